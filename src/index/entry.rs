//! What the search looks at in each entry: a process's id, name, status and
//! the values of its additional fields; a document's name (its id when it
//! has none) and type.

use super::query::{Scratch, Word};
use super::words::for_each_word;
use serde_json::{Map, Value};

/// The most characters of additional data a process contributes.
const MAX_FIELD_CHARS: usize = 4096;
/// How deep nested additional data is followed.
const MAX_FIELD_DEPTH: usize = 4;

/// Calls `each` with every searchable text of a process.
pub(crate) fn process_texts(
    process_id: &str,
    name: Option<&str>,
    status: Option<&str>,
    extra: &Map<String, Value>,
    mut each: impl FnMut(&str),
) {
    each(process_id);
    if let Some(name) = name {
        each(name);
    }
    if let Some(status) = status {
        each(status);
    }
    let mut budget = MAX_FIELD_CHARS;
    for value in extra.values() {
        field_texts(value, 0, &mut budget, &mut each);
    }
}

fn field_texts(value: &Value, depth: usize, budget: &mut usize, each: &mut impl FnMut(&str)) {
    if *budget == 0 || depth > MAX_FIELD_DEPTH {
        return;
    }
    let mut take = |text: &str| {
        let cut: String = text.chars().take(*budget).collect();
        *budget = budget.saturating_sub(cut.chars().count());
        each(&cut);
    };
    match value {
        Value::String(text) => take(text),
        Value::Number(number) => take(&number.to_string()),
        Value::Array(items) => items.iter().for_each(|v| field_texts(v, depth + 1, budget, each)),
        Value::Object(fields) => fields.values().for_each(|v| field_texts(v, depth + 1, budget, each)),
        Value::Null | Value::Bool(_) => {}
    }
}

/// Calls `each` with every searchable text of a document.
pub(crate) fn document_texts(doc_id: &str, name: Option<&str>, doc_type: Option<&str>, mut each: impl FnMut(&str)) {
    match name {
        Some(name) if !name.trim().is_empty() => each(name),
        _ => each(doc_id),
    }
    if let Some(doc_type) = doc_type {
        each(doc_type);
    }
}

/// Raises `best[i]` to the score of query word `i` against each word of `text`.
pub(crate) fn score_text(words: &[Word], text: &str, scratch: &mut Scratch, best: &mut [u16]) {
    let mut word_buf = std::mem::take(&mut scratch.word);
    for_each_word(text, &mut word_buf, |token, mask| {
        for (word, slot) in words.iter().zip(best.iter_mut()) {
            let score = word.score(token, mask, scratch);
            *slot = (*slot).max(score);
        }
    });
    scratch.word = word_buf;
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_process_offers_its_id_name_status_and_field_values() {
        let extra: Map<String, Value> = serde_json::from_str(
            r#"{"customer": "ACME", "amount": 12.5, "paid": true, "tags": ["urgent", {"owner": "Ana"}]}"#,
        )
        .unwrap();
        let mut texts = Vec::new();
        process_texts("12345", Some("Odoo Billing"), Some("In Progress"), &extra, |t| {
            texts.push(t.to_string())
        });
        assert_eq!(
            texts,
            ["12345", "Odoo Billing", "In Progress", "12.5", "ACME", "urgent", "Ana"]
        );
        let mut texts = Vec::new();
        document_texts("98771", None, Some("Invoice"), |t| texts.push(t.to_string()));
        assert_eq!(texts, ["98771", "Invoice"]);
    }

    #[test]
    fn additional_data_is_bounded() {
        let extra: Map<String, Value> =
            serde_json::from_value(serde_json::json!({"a": "x".repeat(10_000), "b": "more"})).unwrap();
        let mut chars = 0;
        process_texts("1", None, None, &extra, |t| chars += t.chars().count());
        assert_eq!(chars, 1 + MAX_FIELD_CHARS);
    }
}
