//! A summary as text a terminal shows: the figures of an e-invoice and its
//! checks, a PDF's metadata, a picture's size, the warnings, then the
//! readable body. Both front ends use it: `inspect` at 80 columns, the
//! preview pane at its width.

use super::invoice::Invoice;
use super::{Amount, Body, Report};
use crate::text::safe_line;
use std::fmt::Write as _;

/// A summary as a human reads it, no line wider than `width` columns (at
/// least 40); every string from the document is made safe.
pub fn describe(report: &Report, source: &str, width: usize) -> String {
    let width = width.max(40);
    let mut out = String::new();
    let mut field = |label: &str, value: &str| {
        let _ = writeln!(out, "{label:<12}{}", safe_line(value, width - 13));
    };
    field("File", source);
    field(
        "Kind",
        &format!(
            "{} · {} · {} bytes",
            report.kind.as_str(),
            report.media_type,
            report.bytes
        ),
    );
    field("SHA-256", &report.sha256);
    if let Some(invoice) = &report.invoice {
        out.push('\n');
        render_invoice(&mut out, invoice, width);
    }
    if let Some(pdf) = &report.pdf {
        out.push('\n');
        let mut field = |label: &str, value: &str| {
            let _ = writeln!(out, "{label:<12}{}", safe_line(value, width - 13));
        };
        field("Pages", &pdf.pages.to_string());
        field("Title", pdf.title.as_deref().unwrap_or("—"));
        field("Producer", pdf.producer.as_deref().unwrap_or("—"));
        field("Created", pdf.created.as_deref().unwrap_or("—"));
        let embedded = if pdf.embedded.is_empty() {
            "—".to_owned()
        } else {
            pdf.embedded.join(", ")
        };
        field("Embedded", &embedded);
    }
    if let Some(image) = &report.image {
        out.push('\n');
        let _ = writeln!(
            out,
            "{:<12}{} × {} pixels, {}, orientation {}",
            "Picture",
            image.width,
            image.height,
            safe_line(&image.format, 10),
            image.orientation
        );
    }
    if !report.warnings.is_empty() {
        out.push_str("\nWarnings\n");
        for warning in &report.warnings {
            wrap_into(&mut out, &format!("! {}", safe_line(warning, 1000)), "  ", width);
        }
    }
    if report.invoice.is_none() {
        render_body(&mut out, &report.body, width);
    }
    out
}

fn render_invoice(out: &mut String, invoice: &Invoice, width: usize) {
    let money = |a: &Option<Amount>| a.map_or_else(|| "—".to_owned(), |a| a.to_string());
    let text = |t: &Option<String>| t.as_deref().map_or_else(|| "—".to_owned(), |t| safe_line(t, 60));
    let document_type = match invoice.document_type {
        super::invoice::DocumentType::Invoice => "invoice",
        super::invoice::DocumentType::CreditNote => "credit note",
    };
    let mut lines: Vec<(String, String)> = vec![
        (
            "E-invoice".into(),
            format!("{} {document_type}", invoice.format.as_str()),
        ),
        ("Profile".into(), text(&invoice.profile)),
        ("Number".into(), text(&invoice.number)),
        (
            "Issued".into(),
            format!("{}   due {}", text(&invoice.issue_date), text(&invoice.due_date)),
        ),
        ("Currency".into(), text(&invoice.currency)),
    ];
    for (label, party) in [("Seller", &invoice.seller), ("Buyer", &invoice.buyer)] {
        let mut value = text(&party.name);
        if let Some(id) = &party.tax_id {
            value.push_str(&format!(" ({})", safe_line(id, 30)));
        }
        lines.push((label.into(), value));
    }
    lines.push(("Net".into(), money(&invoice.net_total)));
    lines.push(("Tax".into(), money(&invoice.tax_total)));
    for tax in invoice.taxes.iter().chain(&invoice.withholdings) {
        let rate = tax
            .rate
            .map_or_else(|| "—".to_owned(), |r| format!("{}%", r.rate_string()));
        let category = tax.category.as_deref().map(|c| safe_line(c, 24)).unwrap_or_default();
        lines.push((
            String::new(),
            format!("{category} {rate} of {} = {}", money(&tax.base), money(&tax.amount))
                .trim()
                .to_owned(),
        ));
    }
    if let Some(withheld) = invoice.withheld_total {
        lines.push(("Withheld".into(), withheld.to_string()));
    }
    lines.push(("Total".into(), money(&invoice.grand_total)));
    lines.push(("Payable".into(), money(&invoice.payable)));
    if invoice.signed {
        lines.push(("Signed".into(), "yes (the signature is not verified)".into()));
    }
    for (label, value) in lines {
        wrap_into(
            out,
            &format!("{label:<12}{}", safe_line(&value, 300)),
            "            ",
            width,
        );
    }
    let _ = writeln!(out, "{:<12}{}", "Lines", invoice.lines);
    for (n, line) in invoice.line_items.iter().enumerate().take(50) {
        let figures = format!(
            "{} × {} = {}",
            money(&line.quantity),
            money(&line.price),
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
        let _ = writeln!(out, "      … {} more lines (--json lists them)", invoice.lines - 50);
    }
    out.push_str("Checks\n");
    if invoice.checks.is_empty() {
        out.push_str("  (the document has too few figures to check)\n");
    }
    for check in &invoice.checks {
        let mark = if check.ok { "ok " } else { "BAD" };
        wrap_into(
            out,
            &format!("  {mark} {:<12} {}", check.name, safe_line(&check.detail, 300)),
            "                  ",
            width,
        );
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
                let shown: String = line.trim_end().chars().take(width).collect();
                let _ = writeln!(out, "{shown}");
            }
        }
    }
}

/// Appends `text` cut into lines of at most `width` characters, the lines
/// after the first indented by `indent`.
fn wrap_into(out: &mut String, text: &str, indent: &str, width: usize) {
    let chars: Vec<char> = text.chars().collect();
    let mut start = 0;
    let mut first = true;
    loop {
        let room = if first { width } else { width - indent.chars().count() };
        let end = (start + room).min(chars.len());
        let piece: String = chars.get(start..end).unwrap_or_default().iter().collect();
        if !first {
            out.push_str(indent);
        }
        out.push_str(&piece);
        out.push('\n');
        if end >= chars.len() {
            break;
        }
        start = end;
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
}
