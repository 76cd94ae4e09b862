//! The HTTP side of resuming: where a `.part` can resume from, whether a
//! `206`'s `Content-Range` fits it, which validator (`ETag`, else
//! `Last-Modified`) to keep for `If-Range`, and header values as text.

use super::resume::Part;
use crate::api::client::ResumeFrom;
use reqwest::header::{CONTENT_LENGTH, CONTENT_RANGE, ETAG, HeaderMap, HeaderValue, LAST_MODIFIED};

/// Where to resume `part` from: only when it holds bytes and a validator
/// the server can check with `If-Range`.
pub(super) fn resume_point(part: &Part) -> Option<ResumeFrom> {
    let validator = part.validator.as_deref()?;
    (part.offset > 0 && HeaderValue::from_str(validator).is_ok()).then(|| ResumeFrom {
        offset: part.offset,
        validator: Some(validator.to_string()),
    })
}

/// Whether a 206's `Content-Range` starts at `start` and runs to the end of
/// the file.
pub(super) fn content_range_fits(headers: &HeaderMap, start: u64) -> bool {
    let Some(value) = headers.get(CONTENT_RANGE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    parse_content_range(value).is_some_and(|(first, last, complete)| {
        first == start && complete.is_none_or(|len| last.checked_add(1) == Some(len))
    })
}

/// `bytes FIRST-LAST/LENGTH` (LENGTH may be `*`).
fn parse_content_range(value: &str) -> Option<(u64, u64, Option<u64>)> {
    let spec = value.trim().strip_prefix("bytes")?.trim_start();
    let (range, complete) = spec.split_once('/')?;
    let (first, last) = range.trim().split_once('-')?;
    let first = first.trim().parse().ok()?;
    let last = last.trim().parse().ok()?;
    let complete = match complete.trim() {
        "*" => None,
        len => Some(len.parse().ok()?),
    };
    (first <= last).then_some((first, last, complete))
}

/// The validator to resume with: a strong `ETag`, else `Last-Modified`.
pub(super) fn validator_of(headers: &HeaderMap) -> Option<String> {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::trim)
    };
    text(ETAG)
        .filter(|etag| !etag.is_empty() && !etag.starts_with("W/"))
        .or_else(|| text(LAST_MODIFIED).filter(|date| !date.is_empty()))
        .map(str::to_string)
}

/// The body's length as the server announced it.
pub(super) fn announced_length(response: &reqwest::Response) -> Option<u64> {
    response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .or_else(|| response.content_length())
}

/// A header value as text: UTF-8 if it is, else ISO-8859-1 (RFC 9110's
/// historical header charset).
pub(super) fn header_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_headers_are_read() {
        assert_eq!(
            header_text(b"attachment; filename=\xa3.txt"),
            "attachment; filename=£.txt"
        );
        assert_eq!(header_text("Счёт".as_bytes()), "Счёт");
    }
}
