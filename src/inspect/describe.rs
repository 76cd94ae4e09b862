//! A summary as text a terminal shows: the figures of an e-invoice and its
//! checks, a PDF's metadata, a picture's size, the warnings, then the
//! readable body. Both front ends use it: `inspect` at 80 columns, the
//! preview pane at its width.

use super::invoice::Invoice;
use super::{Amount, Body, Report};
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tr;
use std::fmt::Write as _;

/// A summary as a human reads it, no line wider than `width` columns (at
/// least 40); every string from the document is made safe.
pub fn describe(report: &Report, source: &str, width: usize) -> String {
    describe_in(Lang::En, report, source, width)
}

/// [`describe`] in `lang`: its labels, and the amounts written the way `lang`
/// writes numbers (`1.234,56 €` in Spanish; English as the document has them).
pub fn describe_in(lang: Lang, report: &Report, source: &str, width: usize) -> String {
    let width = width.max(40);
    let mut out = String::new();
    let mut field = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<12}{}", safe_line(value, width - 13));
    };
    field(&lang.t("inspect-file"), source);
    field(
        &lang.t("inspect-kind"),
        &tr!(
            lang,
            "inspect-kind-value",
            kind = kind_in(lang, report.kind),
            media_type = report.media_type.to_string(),
            bytes = match lang {
                Lang::En => report.bytes.to_string(),
                Lang::Es => crate::text::group_digits(lang, &report.bytes.to_string()),
            }
        ),
    );
    field("SHA-256", &report.sha256);
    if let Some(invoice) = &report.invoice {
        out.push('\n');
        render_invoice(lang, &mut out, invoice, width);
    }
    if let Some(pdf) = &report.pdf {
        out.push('\n');
        let mut field = |label: &str, value: &str| {
            let _ = writeln!(out, "{label:<12}{}", safe_line(value, width - 13));
        };
        field(&lang.t("inspect-pages"), &pdf.pages.to_string());
        field(&lang.t("inspect-title"), pdf.title.as_deref().unwrap_or("—"));
        field(&lang.t("inspect-producer"), pdf.producer.as_deref().unwrap_or("—"));
        field(&lang.t("inspect-created"), pdf.created.as_deref().unwrap_or("—"));
        let embedded = if pdf.embedded.is_empty() {
            "—".to_owned()
        } else {
            pdf.embedded.join(", ")
        };
        field(&lang.t("inspect-embedded"), &embedded);
    }
    if let Some(image) = &report.image {
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<12}{}",
            lang.t("inspect-picture"),
            tr!(
                lang,
                "inspect-picture-value",
                width = image.width.to_string(),
                height = image.height.to_string(),
                format = safe_line(&image.format, 10),
                orientation = image.orientation.to_string()
            )
        );
    }
    if !report.warnings.is_empty() {
        let _ = write!(out, "\n{}\n", lang.t("inspect-warnings"));
        for warning in &report.warnings {
            let warning = safe_line(&warning.text_in(lang), 1000);
            wrap_into(&mut out, &format!("! {warning}"), "  ", width);
        }
    }
    if report.invoice.is_none() {
        match (&report.body, report.archive.is_some()) {
            // An archive's entries under a header in `lang`.
            (Body::Table(rows), true) if !rows.is_empty() => {
                let header = [
                    "inspect-archive-col-name",
                    "inspect-archive-col-bytes",
                    "inspect-archive-col-modified",
                ];
                let mut rows = rows.clone();
                rows[0] = header.iter().map(|key| lang.t(key)).collect();
                render_body(&mut out, &Body::Table(rows), width);
            }
            (body, _) => render_body(&mut out, body, width),
        }
        if let Some(more) = &report.body_more {
            wrap_into(&mut out, &safe_line(&more.text_in(lang), 200), "", width);
        }
    }
    out
}

/// An amount of the invoice in `lang`: as the document has it in English,
/// `1.234,56 €` (or `1.234,56 USD`) in Spanish.
pub(crate) fn money_in(lang: Lang, amount: Amount, currency: Option<&str>) -> String {
    match lang {
        Lang::En => amount.to_string(),
        Lang::Es => {
            let number = crate::text::decimal(lang, &amount.to_string());
            match currency.map(str::trim) {
                Some(code) if code.eq_ignore_ascii_case("EUR") => format!("{number} €"),
                Some(code) if !code.is_empty() => format!("{number} {}", safe_line(code, 5)),
                _ => number,
            }
        }
    }
}

/// A quantity or a price in `lang` (no currency: a quantity has none).
fn number_in(lang: Lang, amount: Amount) -> String {
    match lang {
        Lang::En => amount.to_string(),
        Lang::Es => crate::text::decimal(lang, &amount.to_string()),
    }
}

fn render_invoice(lang: Lang, out: &mut String, invoice: &Invoice, width: usize) {
    let currency = invoice.currency.as_deref();
    let money = |a: &Option<Amount>| a.map_or_else(|| "—".to_owned(), |a| money_in(lang, a, currency));
    let number = |a: &Option<Amount>| a.map_or_else(|| "—".to_owned(), |a| number_in(lang, a));
    let text = |t: &Option<String>| t.as_deref().map_or_else(|| "—".to_owned(), |t| safe_line(t, 60));
    let document_type = match invoice.document_type {
        super::invoice::DocumentType::Invoice => lang.t("inspect-type-invoice"),
        super::invoice::DocumentType::CreditNote => lang.t("inspect-type-credit-note"),
    };
    let mut lines: Vec<(String, String)> = vec![
        (
            lang.t("inspect-e-invoice"),
            format!("{} {document_type}", invoice.format.as_str()),
        ),
        (lang.t("inspect-profile"), text(&invoice.profile)),
        (lang.t("inspect-number"), text(&invoice.number)),
        (
            lang.t("inspect-issued"),
            tr!(
                lang,
                "inspect-issued-value",
                issued = date_in(lang, text(&invoice.issue_date)),
                due = date_in(lang, text(&invoice.due_date))
            ),
        ),
        (lang.t("inspect-currency"), text(&invoice.currency)),
    ];
    for (label, party) in [
        (lang.t("inspect-seller"), &invoice.seller),
        (lang.t("inspect-buyer"), &invoice.buyer),
    ] {
        let mut value = text(&party.name);
        if let Some(id) = &party.tax_id {
            value.push_str(&format!(" ({})", safe_line(id, 30)));
        }
        lines.push((label, value));
    }
    lines.push((lang.t("inspect-net"), money(&invoice.net_total)));
    lines.push((lang.t("inspect-tax"), money(&invoice.tax_total)));
    for tax in invoice.taxes.iter().chain(&invoice.withholdings) {
        let rate = tax
            .rate
            .map_or_else(|| "—".to_owned(), |r| percent_in(lang, &r.rate_string()));
        let category = tax.category.as_deref().map(|c| safe_line(c, 24)).unwrap_or_default();
        lines.push((
            String::new(),
            tr!(
                lang,
                "inspect-tax-line",
                category = category,
                rate = rate,
                base = money(&tax.base),
                amount = money(&tax.amount)
            )
            .trim()
            .to_owned(),
        ));
    }
    if let Some(withheld) = invoice.withheld_total {
        lines.push((lang.t("inspect-withheld"), money_in(lang, withheld, currency)));
    }
    lines.push((lang.t("inspect-total"), money(&invoice.grand_total)));
    lines.push((lang.t("inspect-payable"), money(&invoice.payable)));
    if invoice.signed {
        lines.push((lang.t("inspect-signed"), lang.t("inspect-signed-value")));
    }
    for (label, value) in lines {
        wrap_into(
            out,
            &format!("{label:<12}{}", safe_line(&value, 300)),
            "            ",
            width,
        );
    }
    let _ = writeln!(out, "{:<12}{}", lang.t("inspect-lines"), invoice.lines);
    for (n, line) in invoice.line_items.iter().enumerate().take(50) {
        let figures = format!(
            "{} × {} = {}",
            number(&line.quantity),
            number(&line.price),
            money(&line.amount)
        );
        let room = width.saturating_sub(figures.chars().count() + 8).max(10);
        let description = line
            .description
            .as_deref()
            .map(|d| safe_line(d, room))
            .unwrap_or_default();
        wrap_into(
            out,
            &format!("  {:>3} {description:<room$} {figures}", n + 1),
            "      ",
            width,
        );
    }
    if invoice.line_items.len() > 50 {
        let _ = writeln!(
            out,
            "      {}",
            tr!(lang, "inspect-more-lines", n = (invoice.lines - 50).to_string())
        );
    }
    let _ = writeln!(out, "{}", lang.t("inspect-checks"));
    if invoice.checks.is_empty() {
        let _ = writeln!(out, "  {}", lang.t("inspect-no-checks"));
    }
    for check in &invoice.checks {
        let mark = if check.ok {
            lang.t("inspect-check-ok")
        } else {
            lang.t("inspect-check-bad")
        };
        wrap_into(
            out,
            &format!(
                "  {mark:<3} {:<12} {}",
                check_name(lang, &check.name),
                safe_line(check.detail_in(lang), 300)
            ),
            "                  ",
            width,
        );
    }
}

/// A kind's name: SPEC.md's in English (`invoice`, `pdf`), Spanish words in Spanish.
fn kind_in(lang: Lang, kind: super::Kind) -> String {
    match lang {
        Lang::En => kind.as_str().to_owned(),
        Lang::Es => match kind {
            super::Kind::Invoice => lang.t("inspect-type-invoice"),
            super::Kind::Image => lang.t("kind-image"),
            super::Kind::Archive => lang.t("kind-archive"),
            super::Kind::Text => lang.t("kind-text"),
            super::Kind::Binary => lang.t("kind-binary"),
            other => other.as_str().to_owned(),
        },
    }
}

/// A date of the document: as written in English, `5 mar 2024` in Spanish
/// when it is an ISO date (`2024-03-05`).
fn date_in(lang: Lang, written: String) -> String {
    if lang == Lang::En {
        return written;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match time::Date::parse(written.trim(), &format) {
        Ok(date) => crate::text::date(lang, date),
        Err(_) => written,
    }
}

/// `7%` in English, `7 %` (and `5,5 %`) in Spanish.
fn percent_in(lang: Lang, rate: &str) -> String {
    match lang {
        Lang::En => format!("{rate}%"),
        Lang::Es => format!("{} %", crate::text::decimal(lang, rate)),
    }
}

/// A check's name as `inspect` shows it: its JSON name in English.
fn check_name(lang: Lang, name: &str) -> String {
    let key = match name {
        "lines" => "check-lines",
        "line_amounts" => "check-line-amounts",
        "net" => "check-net",
        "tax_rates" => "check-tax-rates",
        "tax_total" => "check-tax-total",
        "grand_total" => "check-grand-total",
        "payable" => "check-payable",
        _ => return name.to_owned(),
    };
    match lang {
        Lang::En => name.to_owned(),
        Lang::Es => lang.t(key),
    }
}

fn render_body(out: &mut String, body: &Body, width: usize) {
    match body {
        Body::Empty => {}
        Body::Lines(lines) if lines.is_empty() => {}
        Body::Lines(lines) => {
            out.push('\n');
            for line in lines {
                wrap_into(out, &crate::text::safe_text(line, 4000), "", width);
            }
        }
        Body::Table(rows) => {
            out.push('\n');
            let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
            let widths: Vec<usize> = (0..columns)
                .map(|c| {
                    rows.iter()
                        .filter_map(|r| r.get(c))
                        .map(|cell| safe_line(cell, 30).chars().count())
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            for row in rows {
                let mut line = String::new();
                for (c, width) in widths.iter().enumerate() {
                    let cell = row.get(c).map(|v| safe_line(v, 30)).unwrap_or_default();
                    line.push_str(&format!("{cell:<width$}  "));
                }
                let line = line.trim_end();
                if line.chars().count() > width {
                    let kept: String = line.chars().take(width.saturating_sub(1)).collect();
                    let _ = writeln!(out, "{kept}…");
                } else {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
}

/// Appends `text` cut into lines of at most `width` characters, the lines
/// after the first indented by `indent`.
fn wrap_into(out: &mut String, text: &str, indent: &str, width: usize) {
    let chars: Vec<char> = text.chars().collect();
    let indent_width = indent.chars().count();
    let mut start = 0;
    let mut first = true;
    loop {
        let room = if first { width } else { width - indent_width }.max(1);
        let mut end = (start + room).min(chars.len());
        // Break after the last space of the piece, when that keeps at least
        // half of it (a tax id or a URN without spaces is cut where it must).
        if end < chars.len()
            && let Some(space) = chars
                .get(start..end)
                .and_then(|piece| piece.iter().rposition(|c| *c == ' '))
            && space >= room / 2
        {
            end = start + space + 1;
        }
        let piece: String = chars.get(start..end).unwrap_or_default().iter().collect();
        if !first {
            out.push_str(indent);
        }
        out.push_str(piece.trim_end());
        out.push('\n');
        if end >= chars.len() {
            break;
        }
        start = end;
        while chars.get(start) == Some(&' ') && start + 1 < chars.len() {
            start += 1;
        }
        first = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inspect::{Options, inspect_file};

    #[test]
    fn no_line_is_wider_than_asked_and_the_figures_are_named() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files");
        for name in [
            "Peppol_INV-2024-101.xml",
            "orders.csv",
            "Factur-X_2024-0099.pdf",
            "E-Invoices_2024.zip",
        ] {
            let report = inspect_file(&dir.join(name), &Options::default()).unwrap();
            for width in [40, 60, 120] {
                let text = describe(&report, name, width);
                for line in text.lines() {
                    assert!(line.chars().count() <= width, "{name} at {width}: {line:?}");
                }
            }
        }
        let report = inspect_file(&dir.join("Peppol_INV-2024-101.xml"), &Options::default()).unwrap();
        let text = describe(&report, "x", 80);
        for expected in [
            "Total       942.47",
            "Payable     842.47",
            "VAT S 7% of 125.00 = 8.75",
            "ok  payable",
        ] {
            assert!(text.contains(expected), "{expected} missing:\n{text}");
        }
    }

    #[test]
    fn a_long_value_wraps_between_words_and_a_word_longer_than_the_line_is_cut() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files");
        let report = inspect_file(&dir.join("Peppol_INV-2024-101.xml"), &Options::default()).unwrap();
        let text = describe(&report, "x", 40);
        let lines: Vec<&str> = text.lines().collect();
        let seller = lines.iter().position(|l| l.starts_with("Seller ")).unwrap();
        assert_eq!(lines[seller], "Seller      Nordlicht Supplies GmbH", "{text}");
        assert_eq!(lines[seller + 1], "            (DE123456789)", "{text}");
        let report = inspect_file(&dir.join("E-Invoices_2024.zip"), &Options::default()).unwrap();
        let text = describe(&report, "x", 40);
        let row = text.lines().find(|l| l.starts_with("mexico.zip ")).unwrap();
        assert!(
            row.ends_with('…') && row.chars().count() == 40,
            "a cut row is marked: {row:?}"
        );
        let mut out = String::new();
        wrap_into(&mut out, &format!("Profile     {}", "x".repeat(50)), "            ", 40);
        assert_eq!(
            out,
            format!("Profile     {}\n            {}\n", "x".repeat(28), "x".repeat(22))
        );
    }

    #[test]
    fn spanish_writes_amounts_and_dates_the_spanish_way_within_the_width() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sandbox/files");
        let report = inspect_file(&dir.join("XRechnung_2024_0042.xml"), &Options::default()).unwrap();
        let english = describe(&report, "x", 80);
        assert!(english.contains("Total       1234.56\n"), "{english}");
        let text = describe_in(Lang::Es, &report, "x", 80);
        for expected in [
            "Total       1.234,56 €",
            "A pagar     1.234,56 €",
            "Vendedor    Code Contract Demo GmbH",
            "Emitida     9 feb 2024   vence 10 mar 2024",
            "12,50 × 82,996 = 1.037,45 €",
            "ok  a pagar      el total = 1.234,56",
            "Comprobaciones",
        ] {
            assert!(text.contains(expected), "{expected} missing:\n{text}");
        }
        let report = inspect_file(&dir.join("Peppol_INV-2024-101.xml"), &Options::default()).unwrap();
        for width in [40, 80] {
            for line in describe_in(Lang::Es, &report, "x", width).lines() {
                assert!(line.chars().count() <= width, "{width}: {line:?}");
            }
        }
        assert!(describe_in(Lang::Es, &report, "x", 80).contains("VAT S 7 % de 125,00 € = 8,75 €"));
    }
}
