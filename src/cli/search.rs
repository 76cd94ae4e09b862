//! `search` and `history`: questions to the local index, answered offline
//! (no session, no server).

use super::CliError;
use super::args::{HistoryArgs, SearchArgs};
use super::context::Context;
use crate::exit;
use crate::i18n::Lang;
use crate::index::{Hit, Index, IndexError, SearchQuery, SearchResults, StatusChange};
use crate::text::{relative_time_in, safe_line};
use crate::tr;
use serde::Serialize;
use std::io::Write;
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// `trackline search QUERY [--json] [--limit N]`.
pub(super) async fn search(context: &Context, args: &SearchArgs) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let query = SearchQuery::parse(&args.query.join(" ")).map_err(|e| CliError::Usage(e.localized(lang)))?;
    if query.control_removed() {
        eprintln!(
            "{}",
            tr!(lang, "search-control-removed", query = safe_line(query.text(), 200))
        );
    }
    let limit = usize::try_from(args.limit).unwrap_or(usize::MAX);
    let query = Arc::new(query);
    let asked = query.clone();
    let found = read_index(context, move |index| index.search(&asked, limit)).await?;
    let profile = safe_line(&context.settings.profile, 100);
    let Some(SearchResults { hits, total }) = found else {
        eprintln!("{}", tr!(lang, "search-no-index", profile = profile));
        return Err(CliError::AlreadyReported(exit::NOT_FOUND));
    };
    if hits.is_empty() {
        eprintln!(
            "{}",
            tr!(
                lang,
                "search-no-match",
                profile = profile,
                query = safe_line(query.text(), 200)
            )
        );
        return Err(CliError::AlreadyReported(exit::NOT_FOUND));
    }
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        hits.iter().try_for_each(|hit| {
            serde_json::to_writer(&mut stdout, &HitLine::from(hit))?;
            writeln!(stdout)
        })
    } else {
        stdout.write_all(render_hits(lang, &hits, OffsetDateTime::now_utc()).as_bytes())
    };
    written.and_then(|()| stdout.flush()).map_err(super::stdout::error)?;
    match total {
        _ if args.json => {}
        Some(total) if total > hits.len() => {
            eprintln!("{}", tr!(lang, "search-some-shown", shown = hits.len(), total = total));
        }
        None => eprintln!("{}", tr!(lang, "search-best-shown", shown = hits.len())),
        Some(_) => {}
    }
    Ok(exit::OK)
}

/// `trackline history PROCESS_ID [--json]`.
pub(super) async fn history(context: &Context, args: &HistoryArgs) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let id = args.process_id.trim().to_string();
    if id.is_empty() {
        return Err(CliError::Usage(tr!(lang, "history-no-id")));
    }
    let asked = id.clone();
    let changes = read_index(context, move |index| index.history(&asked)).await?.flatten();
    let Some(changes) = changes else {
        eprintln!(
            "{}",
            tr!(
                lang,
                "history-never-seen",
                id = safe_line(&id, 100),
                profile = safe_line(&context.settings.profile, 100)
            )
        );
        return Err(CliError::AlreadyReported(exit::NOT_FOUND));
    };
    let mut stdout = std::io::stdout().lock();
    let written = if args.json {
        changes.iter().try_for_each(|change| {
            serde_json::to_writer(&mut stdout, &ChangeLine::from(change))?;
            writeln!(stdout)
        })
    } else {
        stdout.write_all(render_history(lang, &changes, OffsetDateTime::now_utc()).as_bytes())
    };
    written.and_then(|()| stdout.flush()).map_err(super::stdout::error)?;
    Ok(exit::OK)
}

/// Runs `work` on the profile's index off the async threads; `None` when there is no index yet.
async fn read_index<T: Send + 'static>(
    context: &Context,
    work: impl FnOnce(&Index) -> Result<T, IndexError> + Send + 'static,
) -> Result<Option<T>, CliError> {
    let lang = context.settings.lang;
    let book = context.index_book();
    let profile = context.settings.profile.clone();
    tokio::task::spawn_blocking(move || match book.open_to_read_blocking(&profile)? {
        Some(index) => work(&index).map(Some),
        None => Ok(None),
    })
    .await
    .map_err(|e| CliError::Other(tr!(lang, "search-stopped", reason = e.to_string())))?
    .map_err(|e| CliError::Other(e.localized(lang)))
}

/// One line of `search --json`.
#[derive(Serialize)]
struct HitLine<'a> {
    kind: &'static str,
    process_id: &'a str,
    process_name: Option<&'a str>,
    doc_id: Option<&'a str>,
    doc_name: Option<&'a str>,
    status: Option<&'a str>,
    score: u32,
    last_seen: String,
}

impl<'a> From<&'a Hit> for HitLine<'a> {
    fn from(hit: &'a Hit) -> Self {
        HitLine {
            kind: hit.kind.as_str(),
            process_id: &hit.process_id,
            process_name: hit.process_name.as_deref(),
            doc_id: hit.doc_id.as_deref(),
            doc_name: hit.doc_name.as_deref(),
            status: hit.status.as_deref(),
            score: hit.score,
            last_seen: rfc3339(hit.last_seen),
        }
    }
}

/// One line of `history --json`.
#[derive(Serialize)]
struct ChangeLine<'a> {
    at: String,
    status: Option<&'a str>,
}

impl<'a> From<&'a StatusChange> for ChangeLine<'a> {
    fn from(change: &'a StatusChange) -> Self {
        ChangeLine {
            at: rfc3339(change.at),
            status: change.status.as_deref(),
        }
    }
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC).format(&Rfc3339).unwrap_or_default()
}

/// `2024-02-09 10:30 UTC`; `9 feb 2024, 10:30 UTC` in Spanish.
fn utc_minute(lang: Lang, at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    match lang {
        Lang::En => at
            .format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .unwrap_or_default(),
        Lang::Es => format!("{} UTC", crate::text::date_time(lang, at)),
    }
}

/// A table of hits, every server string made safe and bounded.
pub(crate) fn render_hits(lang: Lang, hits: &[Hit], now: OffsetDateTime) -> String {
    let rows: Vec<[String; 6]> = hits
        .iter()
        .map(|hit| {
            let document = match (&hit.doc_id, &hit.doc_name) {
                (Some(id), Some(name)) => format!("{} ({})", safe_line(name, 50), safe_line(id, 24)),
                (Some(id), None) => tr!(lang, "what-attachment", id = safe_line(id, 24)),
                _ => "—".to_string(),
            };
            [
                // "process" or "document": the JSON's word in English, the catalogue's otherwise.
                lang.try_t(&format!("search-kind-{}", hit.kind.as_str()))
                    .unwrap_or_else(|| hit.kind.as_str().to_string()),
                safe_line(&hit.process_id, 24),
                hit.process_name
                    .as_deref()
                    .map_or_else(|| "—".to_string(), |n| safe_line(n, 40)),
                document,
                hit.status
                    .as_deref()
                    .map_or_else(|| "—".to_string(), |s| safe_line(s, 20)),
                relative_time_in(lang, hit.last_seen, now),
            ]
        })
        .collect();
    let header = [
        "column-kind",
        "column-process",
        "column-name",
        "column-document",
        "column-status",
        "column-seen",
    ]
    .map(|key| lang.t(key));
    table(header.each_ref().map(String::as_str), &rows)
}

fn render_history(lang: Lang, changes: &[StatusChange], now: OffsetDateTime) -> String {
    let rows: Vec<[String; 3]> = changes
        .iter()
        .map(|change| {
            [
                utc_minute(lang, change.at),
                change
                    .status
                    .as_deref()
                    .map_or_else(|| "—".to_string(), |s| safe_line(s, 60)),
                relative_time_in(lang, change.at, now),
            ]
        })
        .collect();
    let header = ["column-seen", "column-status", "column-when"].map(|key| lang.t(key));
    table(header.each_ref().map(String::as_str), &rows)
}

/// Columns padded to their widest cell; the last one is not padded.
fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> String {
    let mut widths: [usize; N] = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                text.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::index::HitKind;

    fn hit(kind: HitKind, doc: Option<(&str, &str)>) -> Hit {
        Hit {
            kind,
            process_id: "12345".to_string(),
            process_name: Some("Odoo \x1b[31mBilling".to_string()),
            doc_id: doc.map(|d| d.0.to_string()),
            doc_name: doc.map(|d| d.1.to_string()),
            status: Some("In Progress".to_string()),
            score: 120,
            last_seen: OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap(),
        }
    }

    #[test]
    fn hits_print_as_a_safe_table_and_as_json_lines() {
        let now = OffsetDateTime::from_unix_timestamp(1_700_000_000 + 7200).unwrap();
        let hits = [
            hit(HitKind::Process, None),
            hit(HitKind::Document, Some(("98765", "Invoice_001.pdf"))),
        ];
        let text = render_hits(Lang::En, &hits, now);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("KIND"), "{text}");
        assert!(lines[1].starts_with("process   12345"), "{text}");
        assert!(lines[2].contains("Invoice_001.pdf (98765)"), "{text}");
        assert!(lines[2].ends_with("2 hours ago"), "{text}");
        assert!(!text.contains('\x1b'), "{text}");
        let json = serde_json::to_value(HitLine::from(&hits[0])).unwrap();
        assert_eq!(json["kind"], "process");
        assert_eq!(json["doc_id"], serde_json::Value::Null);
        assert_eq!(json["last_seen"], "2023-11-14T22:13:20Z");
        assert_eq!(json["score"], 120);
        let spanish = render_hits(Lang::Es, &hits, now);
        assert!(spanish.lines().next().unwrap().starts_with("TIPO"), "{spanish}");
        assert!(
            spanish.lines().nth(1).unwrap().starts_with("proceso    12345"),
            "{spanish}"
        );
        assert!(spanish.lines().nth(2).unwrap().ends_with("hace 2 horas"), "{spanish}");
    }
}
