//! A process's additional data as rows of an indented tree, made once when the
//! process is shown: a nested object or array puts its first field on its own
//! line after `▸` and the others under it (`approval ▸ by     Ana Weber`, then
//! `           level  2`). Every text is already safe to show.

use crate::text::safe_line;
use serde_json::{Map, Value};

/// The most characters of a field's name shown as its label.
pub(crate) const LABEL_CHARS: usize = 24;

/// The width of the top level's labels at least (the fixed labels: "Status", "Created").
pub(crate) const MIN_LABEL: usize = 9;

/// Past this depth a value is shown as compact JSON on one line.
const MAX_DEPTH: usize = 12;

/// The most rows made; the rest are summarised on one row.
const MAX_ROWS: usize = 2_000;

/// An array of at most this many scalars, this wide once joined, is shown on one row.
const JOIN_ITEMS: usize = 8;
const JOIN_CHARS: usize = 60;

/// What a value is, for its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueKind {
    /// A string.
    Text,
    /// A number, a boolean, or a list joined on one row.
    Other,
    /// Null, an empty object or list, or a note.
    Muted,
}

/// One row of the tree: everything before the value (the indent, the parents'
/// names and `▸`, the padded label), and the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DetailRow {
    /// The indent, the parents and the label, padded to the label column.
    pub(crate) lead: String,
    /// The value.
    pub(crate) value: String,
    /// What the value is.
    pub(crate) kind: ValueKind,
}

/// The width of the top level's label column for these fields.
pub(crate) fn label_width(extra: &Map<String, Value>) -> usize {
    extra
        .keys()
        .map(|k| safe_line(k, LABEL_CHARS).chars().count())
        .max()
        .unwrap_or(0)
        .max(MIN_LABEL)
}

/// The rows of `extra`, the top level's labels padded to [`label_width`].
pub(crate) fn rows(extra: &Map<String, Value>) -> Vec<DetailRow> {
    let mut rows = Vec::new();
    let fields: Vec<(String, &Value)> = extra.iter().map(|(k, v)| (safe_line(k, LABEL_CHARS), v)).collect();
    group(&mut rows, String::new(), &fields, label_width(extra), 0);
    if rows.len() > MAX_ROWS {
        rows.truncate(MAX_ROWS);
        rows.push(DetailRow {
            lead: String::new(),
            value: "… more fields: trackline process --json shows them all".into(),
            kind: ValueKind::Muted,
        });
    }
    rows
}

/// Adds the rows of one object's (or array's) fields: the first after
/// `prefix`, the others after as many spaces.
fn group(rows: &mut Vec<DetailRow>, prefix: String, fields: &[(String, &Value)], width: usize, depth: usize) {
    let indent = " ".repeat(prefix.chars().count());
    for (i, (label, value)) in fields.iter().enumerate() {
        if rows.len() > MAX_ROWS {
            return;
        }
        let lead = if i == 0 { prefix.clone() } else { indent.clone() };
        match children(value, depth) {
            Some(children) => {
                let width = children.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0);
                group(rows, format!("{lead}{label} ▸ "), &children, width, depth + 1);
            }
            None => {
                let (value, kind) = leaf(value);
                rows.push(DetailRow {
                    lead: format!("{lead}{label:<width$} "),
                    value,
                    kind,
                });
            }
        }
    }
}

/// The fields of a value shown as a branch: an object's, or a list's as `#1`, `#2`…
fn children(value: &Value, depth: usize) -> Option<Vec<(String, &Value)>> {
    if depth >= MAX_DEPTH {
        return None;
    }
    match value {
        Value::Object(map) if !map.is_empty() => {
            Some(map.iter().map(|(k, v)| (safe_line(k, LABEL_CHARS), v)).collect())
        }
        Value::Array(items) if !items.is_empty() && joined(items).is_none() => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("#{}", i + 1), v))
                .collect(),
        ),
        _ => None,
    }
}

/// A short list of scalars on one row: `vat, q1, germany`.
fn joined(items: &[Value]) -> Option<String> {
    if items.len() > JOIN_ITEMS {
        return None;
    }
    let parts: Option<Vec<String>> = items
        .iter()
        .map(|v| match v {
            Value::String(s) => Some(safe_line(s, JOIN_CHARS)),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => Some("null".into()),
            _ => None,
        })
        .collect();
    let text = parts?.join(", ");
    (text.chars().count() <= JOIN_CHARS).then_some(text)
}

fn leaf(value: &Value) -> (String, ValueKind) {
    match value {
        Value::String(s) => (safe_line(s, 500), ValueKind::Text),
        Value::Null => ("null".into(), ValueKind::Muted),
        Value::Object(map) if map.is_empty() => ("(empty)".into(), ValueKind::Muted),
        Value::Array(items) if items.is_empty() => ("(empty)".into(), ValueKind::Muted),
        Value::Array(items) => match joined(items) {
            Some(text) => (text, ValueKind::Other),
            None => (safe_line(&value.to_string(), 500), ValueKind::Other),
        },
        other => (safe_line(&other.to_string(), 500), ValueKind::Other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lines(value: Value) -> Vec<String> {
        let Value::Object(map) = value else { panic!() };
        rows(&map)
            .into_iter()
            .map(|r| format!("{}{}", r.lead, r.value).trim_end().to_string())
            .collect()
    }

    #[test]
    fn nested_objects_and_lists_are_an_indented_tree() {
        let shown = lines(json!({
            "approval": {"by": "Ana Weber", "level": 2, "comments": null},
            "customer": "Acme Trading AG",
            "tags": ["vat", "q1"],
        }));
        assert_eq!(
            shown,
            [
                "approval ▸ by       Ana Weber",
                "           comments null",
                "           level    2",
                "customer  Acme Trading AG",
                "tags      vat, q1",
            ]
        );
    }

    #[test]
    fn lists_of_objects_and_deep_values_are_branches() {
        let shown = lines(json!({
            "deep": {"level1": {"level3": [1, "two", {"three": 3.0}]}},
            "empty": {},
        }));
        let indent = " ".repeat("deep ▸ level1 ▸ level3 ▸ ".chars().count());
        assert_eq!(
            shown,
            [
                "deep ▸ level1 ▸ level3 ▸ #1 1".to_string(),
                format!("{indent}#2 two"),
                format!("{indent}#3 ▸ three 3.0"),
                "empty     (empty)".to_string(),
            ]
        );
    }

    #[test]
    fn hostile_keys_and_values_are_escaped_and_depth_and_rows_are_bounded() {
        let shown = lines(json!({"\u{1b}[31mkey": "a\u{7}b"}));
        assert_eq!(shown, ["\\x1b[31mkey a\\x07b"]);
        let mut deep = json!("bottom");
        for _ in 0..100 {
            deep = json!({ "d": deep });
        }
        let Value::Object(map) = json!({ "x": deep }) else {
            panic!()
        };
        let rows = rows(&map);
        assert_eq!(rows.len(), 1);
        assert!(rows[0].value.starts_with("{\"d\":"), "{:?}", rows[0]);
        let wide: Map<String, Value> = (0..5000).map(|i| (format!("k{i:05}"), json!(i))).collect();
        let rows = super::rows(&wide);
        assert_eq!(rows.len(), MAX_ROWS + 1);
        assert!(rows[MAX_ROWS].value.contains("process --json"));
    }
}
