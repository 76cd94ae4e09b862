//! Reading an ids file (`--ids-from`), as people make them: one process id a
//! line, or a spreadsheet saved as CSV (a header row, `,` `;` or tab between
//! columns, CRLF line ends), in UTF-8 with or without a BOM, or UTF-16 with
//! one. Anything else is refused with the line and byte where it stops being
//! text, and how to save the file so it works.

use super::CliError;
use crate::i18n::Lang;
use crate::tr;
use std::collections::HashSet;
use std::path::Path;

/// The ids of an ids file, in order, each once, and what was skipped.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IdsFile {
    /// The process ids.
    pub(crate) ids: Vec<String>,
    /// One line per line that holds no process id ("line 3: …"), for stderr.
    pub(crate) warnings: Vec<String>,
}

/// The longest text taken for one id.
const MAX_ID_CHARS: usize = 100;

/// Reads `path` as an ids file; prints a warning on stderr for every line skipped.
pub(crate) fn read_ids_file(lang: Lang, path: &Path) -> Result<Vec<String>, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::Usage(tr!(
            lang,
            "ids-cannot-read",
            path = path.display().to_string(),
            reason = crate::i18n::Message::of_io(&e).text_in(lang)
        ))
    })?;
    let text = decode(lang, &bytes).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
    let file = parse_ids(lang, &text);
    for warning in &file.warnings {
        let warning = format!("{}: {warning}", path.display());
        eprintln!("{}", tr!(lang, "cli-warning", warning = warning));
    }
    Ok(file.ids)
}

/// The text of the file: UTF-8 (a BOM is dropped), or UTF-16 after its BOM.
fn decode(lang: Lang, bytes: &[u8]) -> Result<String, String> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes.chunks(2).map(|c| from([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16(&units).map_err(|_| tr!(lang, "ids-bad-utf16"))
    };
    match bytes {
        [0xef, 0xbb, 0xbf, rest @ ..] => utf8(lang, rest),
        [0xff, 0xfe, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xfe, 0xff, rest @ ..] => utf16(rest, u16::from_be_bytes),
        _ => utf8(lang, bytes),
    }
}

fn utf8(lang: Lang, bytes: &[u8]) -> Result<String, String> {
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let good = e.utf8_error().valid_up_to();
        let before = bytes.get(..good).unwrap_or_default();
        let line = before.iter().filter(|b| **b == b'\n').count() + 1;
        let byte = good - before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
        tr!(lang, "ids-not-utf8", line = line.to_string(), byte = byte.to_string())
    })
}

/// Whether `text` can be a process id: one token of letters, digits and
/// `. _ - : /`, with at least one digit (every id the API shows is a number;
/// a word is a header or a note).
fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.chars().count() <= MAX_ID_CHARS
        && text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | ':' | '/'))
}

/// Whether a header cell names the column of process ids.
fn is_id_header(cell: &str) -> bool {
    let name: String = cell
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    matches!(name.as_str(), "processid" | "process" | "id" | "idproceso" | "proceso")
}

fn parse_ids(lang: Lang, text: &str) -> IdsFile {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .collect();
    let Some((_, first)) = lines.first() else {
        return IdsFile::default();
    };
    let delimiter = [';', ',', '\t']
        .into_iter()
        .filter(|d| first.contains(*d))
        .max_by_key(|d| first.matches(*d).count());
    let cells = |line: &str| -> Vec<String> {
        match delimiter {
            Some(d) => split_row(line, d),
            None => vec![line.trim_matches('"').trim().to_string()],
        }
    };
    let header = cells(first);
    let (column, skip_first) = match header.iter().position(|c| is_id_header(c)) {
        Some(column) => (column, true),
        None => (0, !header.first().is_some_and(|c| is_id(c))),
    };
    let mut file = IdsFile::default();
    let mut seen = HashSet::new();
    for (index, (number, line)) in lines.iter().enumerate() {
        if index == 0 && skip_first {
            if !header.iter().any(|c| is_id_header(c)) {
                file.warnings.push(tr!(
                    lang,
                    "ids-not-an-id",
                    line = number.to_string(),
                    text = shown(line)
                ));
            }
            continue;
        }
        let row = cells(line);
        match row.get(column) {
            Some(id) if is_id(id) => {
                if seen.insert(id.clone()) {
                    file.ids.push(id.clone());
                }
            }
            _ => file.warnings.push(tr!(
                lang,
                "ids-not-an-id",
                line = number.to_string(),
                text = shown(line)
            )),
        }
    }
    file
}

/// The cells of one CSV row (quotes around a cell, and `""` inside one, as spreadsheets write them).
fn split_row(line: &str, delimiter: char) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == delimiter && !quoted => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => cell.push(c),
        }
    }
    cells.push(cell.trim().to_string());
    cells
}

/// A line as a warning quotes it: safe, and short.
fn shown(line: &str) -> String {
    format!("{:?}", crate::text::safe_line(line, 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(text: &str) -> Vec<String> {
        parse_ids(Lang::En, text).ids
    }

    #[test]
    fn ids_come_one_per_line_without_blanks_comments_or_repeats() {
        let text = "# processes to export\n12345\n\n  12346  \n# done\n12345\n";
        assert_eq!(ids(text), ["12345", "12346"]);
        assert!(ids("\n# nothing\n").is_empty());
        assert!(parse_ids(Lang::En, "\n# nothing\n").warnings.is_empty());
    }

    #[test]
    fn ids_come_from_the_process_id_column_of_a_csv() {
        let text = "\u{feff}name,process_id,owner\n\"Odoo, Billing\",12345,ana\n\n# skipped\nVAT,\"12346\",bo\n";
        assert_eq!(ids(text.trim_start_matches('\u{feff}')), ["12345", "12346"]);
        let semicolons = "process_id;name\n31337;Payroll\n";
        assert_eq!(ids(semicolons), ["31337"]);
        assert_eq!(
            ids("id,name\n1,a\n"),
            ["1"],
            "a spreadsheet's own header names the column"
        );
    }

    #[test]
    fn a_spreadsheets_csv_is_read_whatever_it_is_saved_as() {
        let sheet = "Process ID;Name\r\n12345;Odoo Billing Process\r\n\"12346\";\"Month; End\"\r\n";
        assert_eq!(ids(sheet), ["12345", "12346"]);
        let headless = "12345,Odoo\n12346,VAT\n";
        assert_eq!(ids(headless), ["12345", "12346"]);
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend(
            "process_id\r\n12345\r\n12346\r\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        assert_eq!(ids(&decode(Lang::En, &utf16).unwrap()), ["12345", "12346"]);
        let mut utf16_be = vec![0xfe, 0xff];
        utf16_be.extend("12345\n".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(ids(&decode(Lang::En, &utf16_be).unwrap()), ["12345"]);
        assert_eq!(decode(Lang::En, b"\xef\xbb\xbf12345\n").unwrap(), "12345\n");
    }

    #[test]
    fn latin1_is_refused_with_its_line_and_byte_and_what_to_do() {
        let latin1 = b"12345\nNi\xf1o;12346\n";
        let error = decode(Lang::En, latin1).unwrap_err();
        assert!(error.contains("line 2, byte 3"), "{error}");
        assert!(error.contains("CSV UTF-8"), "{error}");
    }

    #[test]
    fn lines_that_are_not_ids_are_warned_about_with_their_number() {
        let file = parse_ids(Lang::En, "12345\nhello world\n12346\n");
        assert_eq!(file.ids, ["12345", "12346"]);
        assert_eq!(file.warnings.len(), 1);
        assert!(
            file.warnings[0].starts_with("line 2: \"hello world\""),
            "{:?}",
            file.warnings
        );
        let header = parse_ids(Lang::En, "process_id\n12345\n");
        assert!(
            header.warnings.is_empty(),
            "a header is no mistake: {:?}",
            header.warnings
        );
        let note = parse_ids(Lang::En, "export these\n12345\n");
        assert_eq!(note.ids, ["12345"]);
        assert!(note.warnings[0].starts_with("line 1:"), "{:?}", note.warnings);
    }
}
