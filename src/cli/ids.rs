//! Reading an ids file (`--ids-from`): one process id per line, or a CSV with a
//! `process_id` column.

use super::CliError;
use std::collections::HashSet;
use std::io::Read;
use std::path::Path;

/// The process ids of an ids file: one per line, or a CSV whose header has
/// a `process_id` column. Blank lines and lines starting with `#` are
/// skipped; an id listed twice is exported once.
pub(crate) fn read_ids_file(path: &Path) -> Result<Vec<String>, CliError> {
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_string(&mut text))
        .map_err(|e| CliError::Usage(format!("cannot read --ids-from {}: {e}", path.display())))?;
    parse_ids(&text).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

fn parse_ids(text: &str) -> Result<Vec<String>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let meaningful = |line: &&str| {
        let line = line.trim();
        !line.is_empty() && !line.starts_with('#')
    };
    let Some(first) = text.lines().find(meaningful) else {
        return Ok(Vec::new());
    };
    let header_has_column = first
        .split([',', ';', '\t'])
        .any(|field| field.trim().trim_matches('"').eq_ignore_ascii_case("process_id"));
    let raw: Vec<String> = if header_has_column {
        ids_from_csv(text)?
    } else if first.contains(',') {
        return Err("a CSV file needs a header row with a process_id column".to_string());
    } else {
        text.lines()
            .filter(meaningful)
            .map(|line| line.trim().to_string())
            .collect()
    };
    let mut seen = HashSet::new();
    Ok(raw
        .into_iter()
        .filter(|id| !id.is_empty() && seen.insert(id.clone()))
        .collect())
}

fn ids_from_csv(text: &str) -> Result<Vec<String>, String> {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or_default();
    let delimiter = [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .comment(Some(b'#'))
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let column = headers
        .iter()
        .position(|h| h.eq_ignore_ascii_case("process_id"))
        .ok_or("no process_id column")?;
    let mut ids = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| e.to_string())?;
        if let Some(id) = record.get(column) {
            ids.push(id.to_string());
        }
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_come_one_per_line_without_blanks_comments_or_repeats() {
        let text = "# processes to export\n12345\n\n  12346  \n# done\n12345\n";
        assert_eq!(parse_ids(text), Ok(vec!["12345".to_string(), "12346".to_string()]));
        assert_eq!(parse_ids("\n# nothing\n"), Ok(Vec::new()));
    }

    #[test]
    fn ids_come_from_the_process_id_column_of_a_csv() {
        let text = "\u{feff}name,process_id,owner\n\"Odoo, Billing\",12345,ana\n\n# skipped\nVAT,\"12346\",bo\n";
        assert_eq!(parse_ids(text), Ok(vec!["12345".to_string(), "12346".to_string()]));
        let semicolons = "process_id;name\n31337;Payroll\n";
        assert_eq!(parse_ids(semicolons), Ok(vec!["31337".to_string()]));
        assert!(parse_ids("id,name\n1,a\n").is_err());
    }
}
