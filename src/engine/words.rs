//! The errors of the layers below the front ends (but downloads': see
//! `transfer/words.rs`) in a [`Lang`]: each has a
//! `localized` beside its English `Display` (which stays as it was; the
//! English catalogue holds the same words). What the OS, SQLite, the TOML
//! parser or the server said is kept as sent.

use crate::config::ConfigError;
use crate::engine::preview::PreviewError;
use crate::engine::session::SessionError;
use crate::i18n::Lang;
use crate::index::{IndexError, SearchQueryError};
use crate::inspect::InspectError;
use crate::store::StoreError;
use crate::tr;
use std::path::Path;

fn shown(path: &Path) -> String {
    path.display().to_string()
}

/// What the OS said in `source`, in `lang` (see [`crate::i18n::Message::of_io`]).
fn os_said(lang: Lang, source: &std::io::Error) -> String {
    crate::i18n::Message::of_io(source).text_in(lang)
}

impl ConfigError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            ConfigError::Read { path, source } => {
                tr!(lang, "config-read", path = shown(path), reason = os_said(lang, source))
            }
            ConfigError::Missing { path } => tr!(lang, "config-missing", path = shown(path)),
            ConfigError::Parse {
                path,
                line,
                column,
                message,
                snippet,
            } => {
                let mut out = tr!(lang, "config-bad-file", path = shown(path));
                if let Some(line) = line {
                    out.push_str(&tr!(lang, "config-at-line", line = line.to_string()));
                    if let Some(column) = column {
                        out.push_str(&tr!(lang, "config-at-column", column = column.to_string()));
                    }
                }
                out.push_str(": ");
                out.push_str(message);
                if let (Some(line), Some(snippet)) = (line, snippet) {
                    let gutter = " ".repeat(line.to_string().len());
                    out.push_str(&format!("\n {line} | {snippet}"));
                    if let Some(column) = column {
                        out.push_str(&format!("\n {gutter} | {}^", " ".repeat(column.saturating_sub(1))));
                    }
                }
                out
            }
            ConfigError::UnknownProfile { name, known } => tr!(
                lang,
                "config-unknown-profile",
                quoted = format!("{name:?}"),
                name = name.as_str(),
                known = known.join(", ")
            ),
            ConfigError::Invalid { setting, message } => format!("{setting}: {}", message.text_in(lang)),
            ConfigError::NoHomeDir => tr!(lang, "config-no-home"),
        }
    }
}

impl StoreError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            StoreError::Read { path, source } => {
                tr!(lang, "store-read", path = shown(path), reason = os_said(lang, source))
            }
            StoreError::Write { path, source } => {
                tr!(lang, "store-write", path = shown(path), reason = os_said(lang, source))
            }
            StoreError::Corrupt { path, reason } => {
                tr!(lang, "store-corrupt", path = shown(path), reason = reason.as_str())
            }
            StoreError::EmptyProfile => tr!(lang, "profile-empty"),
            StoreError::Interrupted(reason) => tr!(lang, "store-interrupted", reason = reason.as_str()),
        }
    }
}

impl SessionError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            SessionError::Api(e) => e.localized(lang),
            SessionError::Store(e) => e.localized(lang),
            SessionError::Expired { email, at } => tr!(
                lang,
                "session-expired-cli",
                email = crate::text::safe_line(email, 100),
                when = crate::text::date_time(lang, *at),
                ago = crate::text::relative_time_in(lang, *at, time::OffsetDateTime::now_utc())
            ),
        }
    }
}

impl PreviewError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            PreviewError::Fetch(e) => e.localized(lang),
            PreviewError::TooLarge {
                attachment_id,
                bytes,
                max,
            } => tr!(
                lang,
                "preview-too-large",
                id = attachment_id.as_str(),
                mib = (bytes >> 20).to_string(),
                max = (max >> 20).to_string()
            ),
            PreviewError::Inspect(e) => e.localized(lang),
        }
    }
}

impl InspectError {
    /// The message in `lang` (what a library said inside it stays as it said it).
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            InspectError::Unreadable { path, source } => {
                tr!(
                    lang,
                    "inspect-unreadable",
                    path = path.as_str(),
                    reason = os_said(lang, source)
                )
            }
            InspectError::Cancelled => tr!(lang, "inspect-cancelled"),
            InspectError::OutOfTime { seconds } => tr!(lang, "inspect-out-of-time", seconds = seconds.to_string()),
            InspectError::Refused(reason) => reason.text_in(lang),
        }
    }
}

impl IndexError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            IndexError::ReadOnly { path, reason } => {
                tr!(
                    lang,
                    "index-read-only",
                    path = shown(path),
                    reason = reason.text_in(lang)
                )
            }
            IndexError::Damaged { path, reason } => {
                tr!(lang, "index-damaged", path = shown(path), reason = reason.text_in(lang))
            }
            IndexError::Newer { path, reason } => {
                tr!(lang, "index-newer", path = shown(path), reason = reason.text_in(lang))
            }
            IndexError::EmptyProfile => tr!(lang, "profile-empty"),
            IndexError::Sql { path, source } => {
                tr!(lang, "index-sql", path = shown(path), reason = source.to_string())
            }
        }
    }
}

impl SearchQueryError {
    /// The message in `lang`.
    pub fn localized(&self, lang: Lang) -> String {
        match self {
            SearchQueryError::Empty => tr!(lang, "search-query-empty"),
            SearchQueryError::TooLong(n) => tr!(
                lang,
                "search-query-too-long",
                n = n.to_string(),
                max = crate::index::MAX_QUERY_CHARS.to_string()
            ),
            SearchQueryError::TooManyWords(n) => tr!(
                lang,
                "search-query-too-many-words",
                n = n.to_string(),
                max = crate::index::MAX_QUERY_WORDS.to_string()
            ),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::transfer::TransferError;
    use std::io;
    use std::path::PathBuf;

    fn io(kind: io::ErrorKind) -> io::Error {
        io::Error::new(kind, "refused")
    }

    /// One of each variant, as (English display, Spanish).
    fn all() -> Vec<(String, String, String)> {
        let p = || PathBuf::from("/x/y");
        let pair =
            |display: String, localized: &dyn Fn(Lang) -> String| (display, localized(Lang::En), localized(Lang::Es));
        let mut out = Vec::new();
        let transfers = vec![
            TransferError::Io {
                path: p(),
                source: io(io::ErrorKind::StorageFull),
            },
            TransferError::Io {
                path: p(),
                source: io(io::ErrorKind::PermissionDenied),
            },
            TransferError::Io {
                path: p(),
                source: io(io::ErrorKind::NotADirectory),
            },
            TransferError::Io {
                path: p(),
                source: io(io::ErrorKind::Other),
            },
            TransferError::Exists { path: p() },
            TransferError::Incomplete {
                expected: 10,
                received: 5,
                part: p(),
            },
            TransferError::TooLong { expected: 10 },
            TransferError::Interrupted {
                received: 5,
                reason: "reset".into(),
                part: p(),
            },
            TransferError::Cancelled { part: None },
        ];
        for e in &transfers {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        let configs = vec![
            ConfigError::Read {
                path: p(),
                source: io(io::ErrorKind::PermissionDenied),
            },
            ConfigError::Missing { path: p() },
            ConfigError::Parse {
                path: p(),
                line: Some(3),
                column: Some(5),
                message: "invalid string".into(),
                snippet: Some("theme = dark".into()),
            },
            ConfigError::Parse {
                path: p(),
                line: None,
                column: None,
                message: "invalid string".into(),
                snippet: None,
            },
            ConfigError::UnknownProfile {
                name: "work".into(),
                known: vec!["default".into(), "home".into()],
            },
            ConfigError::NoHomeDir,
        ];
        for e in &configs {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        let stores = vec![
            StoreError::Read {
                path: p(),
                source: io(io::ErrorKind::Other),
            },
            StoreError::Write {
                path: p(),
                source: io(io::ErrorKind::Other),
            },
            StoreError::Corrupt {
                path: p(),
                reason: "bad json".into(),
            },
            StoreError::EmptyProfile,
            StoreError::Interrupted("panic".into()),
        ];
        for e in &stores {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        let previews = vec![
            PreviewError::TooLarge {
                attachment_id: "5".into(),
                bytes: 300 << 20,
                max: 256 << 20,
            },
            PreviewError::Inspect(InspectError::Unreadable {
                path: "/x".into(),
                source: io(io::ErrorKind::NotFound),
            }),
            PreviewError::Inspect(InspectError::Cancelled),
            PreviewError::Inspect(InspectError::OutOfTime { seconds: 10 }),
            PreviewError::Inspect(InspectError::Refused(crate::i18n::message!(
                "inspect-refused-encrypted"
            ))),
            PreviewError::Inspect(InspectError::Refused(crate::i18n::message!(
                "inspect-refused-nested",
                depth = 3u64
            ))),
        ];
        for e in &previews {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        let indexes = vec![
            IndexError::ReadOnly {
                path: p(),
                reason: "read-only".into(),
            },
            IndexError::Damaged {
                path: p(),
                reason: "malformed".into(),
            },
            IndexError::Newer {
                path: p(),
                reason: "version 9".into(),
            },
            IndexError::EmptyProfile,
        ];
        for e in &indexes {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        for e in [
            SearchQueryError::Empty,
            SearchQueryError::TooLong(2000),
            SearchQueryError::TooManyWords(40),
        ] {
            out.push(pair(e.to_string(), &|l| e.localized(l)));
        }
        out
    }

    #[test]
    fn english_from_the_catalogue_is_the_display_text_and_spanish_differs() {
        for (display, en, es) in all() {
            assert_eq!(en, display);
            assert_ne!(es, display, "{display}");
        }
    }

    /// A refusal is said in the reader's language; what the library said
    /// stays as it said it, as a detail in brackets.
    #[test]
    fn a_refusal_is_spanish_and_keeps_the_library_detail_in_brackets() {
        let e = InspectError::Refused(crate::i18n::message!(
            "inspect-warn-archive-unreadable",
            error = "invalid Zip archive: Could not find EOCD"
        ));
        assert_eq!(
            e.to_string(),
            "the archive cannot be read: invalid Zip archive: Could not find EOCD"
        );
        assert_eq!(e.localized(Lang::En), e.to_string());
        assert_eq!(
            e.localized(Lang::Es),
            "no se puede leer el archivo comprimido (zip: invalid Zip archive: Could not find EOCD)"
        );
    }

    #[test]
    fn spanish_keeps_paths_and_says_what_the_os_said_by_its_kind() {
        let e = TransferError::Io {
            path: PathBuf::from("/descargas/a.pdf.part"),
            source: io(io::ErrorKind::StorageFull),
        };
        let es = e.localized(Lang::Es);
        assert!(
            es.contains("/descargas/a.pdf.part") && es.contains("el disco está lleno"),
            "{es}"
        );
        assert!(!es.contains("refused"), "{es}");
        assert!(
            e.localized(Lang::En).contains("refused"),
            "English keeps the OS's words"
        );
        let unknown = TransferError::Io {
            path: PathBuf::from("/descargas/b.pdf"),
            source: io::Error::other("Device or resource busy (os error 16)"),
        };
        assert!(
            unknown
                .localized(Lang::Es)
                .contains("(os error 16: Device or resource busy)"),
            "{}",
            unknown.localized(Lang::Es)
        );
        let config = ConfigError::Read {
            path: PathBuf::from("/home/ana/.config/trackline/config.toml"),
            source: io(io::ErrorKind::PermissionDenied),
        };
        assert!(
            config.localized(Lang::Es).contains("permiso denegado"),
            "{}",
            config.localized(Lang::Es)
        );
    }
}
