//! What the API sends: processes and their documents, parsed leniently.
//!
//! The guides show `process_id` and `documents` always, and `name`, `status`,
//! `created_at` and `doc_type` only sometimes. Ids may come as strings or
//! numbers. Every field the models do not name is kept in `extra`, so that the
//! TUI shows it and `--json` prints it back.

use crate::i18n::{Message, message};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// An id as the server sent it: a string, or a number kept as its decimal text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Id(String);

impl Id {
    /// Wraps an id given as text.
    pub fn new(id: impl Into<String>) -> Self {
        Id(id.into())
    }

    /// The id as text, as it goes into a query string.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::String(s) => Ok(Id(s)),
            Value::Number(n) => Ok(Id(n.to_string())),
            other => Err(serde::de::Error::custom(id_message(&other))),
        }
    }
}

/// One process: its data and its documents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Process {
    /// The process id (`process_id`).
    pub process_id: Id,
    /// The process name, when the server sends one.
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    /// The status text ("In Progress", …), when sent.
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<String>,
    /// The creation time as sent (RFC 3339 in the guides); see [`Process::created`].
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<String>,
    /// The documents attached to the process.
    #[serde(default, deserialize_with = "lenient_documents")]
    pub documents: Vec<Document>,
    /// Every other field: the process's additional data.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Process {
    /// The creation time, when `created_at` is present and RFC 3339.
    pub fn created(&self) -> Option<time::OffsetDateTime> {
        let raw = self.created_at.as_deref()?;
        time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).ok()
    }

    /// The name to show: the server's name, or "process <id>".
    pub fn display_name(&self) -> String {
        match &self.name {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => format!("process {}", self.process_id),
        }
    }
}

/// One document of a process; its `doc_id` is the `attachment_id` to download it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The document id (`doc_id`), used as `attachment_id`.
    pub doc_id: Id,
    /// The original file name, when sent.
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub doc_name: Option<String>,
    /// The document type ("Invoice", …), when sent.
    #[serde(
        default,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub doc_type: Option<String>,
    /// Every other field the server sent.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Document {
    /// The name to show: `doc_name`, or "attachment <id>".
    pub fn display_name(&self) -> String {
        match &self.doc_name {
            Some(name) if !name.trim().is_empty() => name.clone(),
            _ => format!("attachment {}", self.doc_id),
        }
    }
}

/// Parses a metadata body: an object or an array of objects.
pub fn parse_processes(body: &[u8]) -> Result<Vec<Process>, serde_json::Error> {
    // Parse to a Value first so that the error for a wrong shape names the shape.
    let value: Value = serde_json::from_slice(body)?;
    match value {
        Value::Array(items) => items.into_iter().map(serde_json::from_value).collect(),
        Value::Object(_) => Ok(vec![serde_json::from_value(value)?]),
        other => Err(serde::de::Error::custom(shape_message(&other))),
    }
}

fn id_message(value: &Value) -> Message {
    message!("api-json-id", kind = kind_message(value))
}

fn shape_message(value: &Value) -> Message {
    message!("api-json-shape", kind = kind_message(value))
}

/// [`json_kind`] as a message.
fn kind_message(value: &Value) -> Message {
    match value {
        Value::Null => message!("json-kind-null"),
        Value::Bool(_) => message!("json-kind-boolean"),
        Value::Number(_) => message!("json-kind-number"),
        Value::String(_) => message!("json-kind-string"),
        Value::Array(_) => message!("json-kind-array"),
        Value::Object(_) => message!("json-kind-object"),
    }
}

/// Why [`parse_processes`] failed, as a message: a wrong shape or id said in
/// any language, what serde said kept as it said it.
pub(crate) fn json_reason(error: &serde_json::Error) -> Message {
    let said = error.to_string();
    let kinds = [
        Value::Null,
        Value::Bool(false),
        Value::from(0),
        Value::from(""),
        Value::Array(Vec::new()),
        Value::Object(serde_json::Map::new()),
    ];
    // serde keeps only the text of a custom error: it is known by its English.
    kinds
        .iter()
        .flat_map(|kind| [id_message(kind), shape_message(kind)])
        .find(|message| message.as_str() == said)
        .unwrap_or_else(|| Message::library_words(&crate::text::safe_text(&said, 200)))
}

/// How a process is looked up.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ProcessQuery {
    /// By `process_id`.
    Id(String),
    /// By `process_name`.
    Name(String),
}

/// Why a search text is not a lookup.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing but white space.
    #[error("type a process id or name to search")]
    Empty,
    /// `id:` or `name:` with nothing after it.
    #[error("type something after '{0}:'")]
    EmptyAfterPrefix(&'static str),
    /// A query longer than any real id or name.
    #[error("that search is too long ({0} characters); the limit is {max}", max = MAX_QUERY_CHARS)]
    TooLong(usize),
}

/// The longest search text accepted.
pub const MAX_QUERY_CHARS: usize = 1000;

impl ProcessQuery {
    /// Reads a search box: digits only means an id, anything else a name;
    /// `id:` or `name:` forces one. Control characters are removed and the
    /// text is trimmed.
    pub fn parse(input: &str) -> Result<Self, QueryError> {
        let cleaned: String = input.chars().filter(|c| !c.is_control()).collect();
        let text = cleaned.trim();
        if text.is_empty() {
            return Err(QueryError::Empty);
        }
        let count = text.chars().count();
        if count > MAX_QUERY_CHARS {
            return Err(QueryError::TooLong(count));
        }
        if let Some(rest) = strip_prefix_ci(text, "id:") {
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(QueryError::EmptyAfterPrefix("id"));
            }
            return Ok(ProcessQuery::Id(rest.to_string()));
        }
        if let Some(rest) = strip_prefix_ci(text, "name:") {
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(QueryError::EmptyAfterPrefix("name"));
            }
            return Ok(ProcessQuery::Name(rest.to_string()));
        }
        if text.chars().all(|c| c.is_ascii_digit()) {
            Ok(ProcessQuery::Id(text.to_string()))
        } else {
            Ok(ProcessQuery::Name(text.to_string()))
        }
    }

    /// The query parameter this lookup sends.
    pub fn param(&self) -> (&'static str, &str) {
        match self {
            ProcessQuery::Id(id) => ("process_id", id),
            ProcessQuery::Name(name) => ("process_name", name),
        }
    }
}

impl fmt::Display for ProcessQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProcessQuery::Id(id) => write!(f, "process {id}"),
            ProcessQuery::Name(name) => write!(f, "process named \"{name}\""),
        }
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// A short name for the kind of a JSON value, for error messages.
pub fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Accepts a string, a number or a boolean (as text), or null/missing.
fn lenient_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(match Value::deserialize(deserializer)? {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    })
}

/// Accepts an array of documents, or null/missing as none.
fn lenient_documents<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<Document>, D::Error> {
    Ok(Option::<Vec<Document>>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE_EXAMPLE: &str = r#"{
        "process_id": "12345",
        "name": "Odoo Billing Process",
        "status": "In Progress",
        "created_at": "2024-02-09T10:30:00Z",
        "documents": [
            {"doc_id": "98765", "doc_name": "Invoice_001.pdf", "doc_type": "Invoice"}
        ]
    }"#;

    /// The shorter guide shows only the id and documents without a type.
    const GUIDE_MINIMAL: &str = r#"{
        "process_id": "12345",
        "documents": [ {"doc_id": "98765", "doc_name": "Invoice_001.pdf"} ]
    }"#;

    #[test]
    fn parses_the_guide_example() {
        let processes = parse_processes(GUIDE_EXAMPLE.as_bytes()).unwrap();
        assert_eq!(processes.len(), 1);
        let p = &processes[0];
        assert_eq!(p.process_id.as_str(), "12345");
        assert_eq!(p.name.as_deref(), Some("Odoo Billing Process"));
        assert_eq!(p.status.as_deref(), Some("In Progress"));
        assert_eq!(p.created().unwrap().unix_timestamp(), 1_707_474_600);
        assert_eq!(p.documents[0].doc_id.as_str(), "98765");
        assert_eq!(p.documents[0].doc_type.as_deref(), Some("Invoice"));
        assert!(p.extra.is_empty());
    }

    #[test]
    fn parses_the_example_without_name_status_or_type() {
        let p = &parse_processes(GUIDE_MINIMAL.as_bytes()).unwrap()[0];
        assert_eq!(p.name, None);
        assert_eq!(p.status, None);
        assert_eq!(p.created_at, None);
        assert_eq!(p.documents[0].doc_type, None);
        assert_eq!(p.display_name(), "process 12345");
    }

    #[test]
    fn numeric_ids_and_unknown_fields_are_kept() {
        let body = r#"{"process_id": 42, "customer": "ACME", "amount": 12.5,
                       "documents": [{"doc_id": 7, "pages": 3}]}"#;
        let p = &parse_processes(body.as_bytes()).unwrap()[0];
        assert_eq!(p.process_id.as_str(), "42");
        assert_eq!(p.documents[0].doc_id.as_str(), "7");
        assert_eq!(p.extra["customer"], "ACME");
        assert_eq!(p.documents[0].extra["pages"], 3);
        let round_trip = serde_json::to_value(p).unwrap();
        assert_eq!(round_trip["customer"], "ACME");
        assert_eq!(round_trip["process_id"], "42");
    }

    #[test]
    fn an_array_answer_gives_every_process() {
        let body = r#"[{"process_id": "1"}, {"process_id": "2", "documents": null}]"#;
        let processes = parse_processes(body.as_bytes()).unwrap();
        assert_eq!(processes.len(), 2);
        assert!(processes[1].documents.is_empty());
    }

    #[test]
    fn a_wrong_shape_is_an_error_naming_it() {
        let err = parse_processes(b"\"hello\"").unwrap_err();
        assert!(err.to_string().contains("a string"), "{err}");
        assert!(parse_processes(br#"{"name": "no id"}"#).is_err());
    }

    #[test]
    fn search_text_picks_id_or_name() {
        assert_eq!(ProcessQuery::parse(" 12345 "), Ok(ProcessQuery::Id("12345".into())));
        assert_eq!(
            ProcessQuery::parse("Odoo Billing"),
            Ok(ProcessQuery::Name("Odoo Billing".into()))
        );
        assert_eq!(ProcessQuery::parse("name:123"), Ok(ProcessQuery::Name("123".into())));
        assert_eq!(ProcessQuery::parse("ID: A-7"), Ok(ProcessQuery::Id("A-7".into())));
        assert_eq!(ProcessQuery::parse("   "), Err(QueryError::Empty));
        assert_eq!(ProcessQuery::parse("id:"), Err(QueryError::EmptyAfterPrefix("id")));
        assert_eq!(ProcessQuery::parse("12\x1b3"), Ok(ProcessQuery::Id("123".into())));
        assert!(matches!(
            ProcessQuery::parse(&"a".repeat(10_000)),
            Err(QueryError::TooLong(_))
        ));
    }
}
