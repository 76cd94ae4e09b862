//! A message of the catalogue kept as its key and arguments, so that it can
//! be said in any language later: the reason inside an error, a warning of a
//! summary. Its English text is fixed when it is made and is what `Display`,
//! logs and `--json` show, the same whatever the language; [`Message::text_in`]
//! says it in the language of the person reading.

use super::{Args, Lang};
use serde::{Serialize, Serializer};
use std::fmt;

/// One message: a key of the catalogue, its arguments and its English text;
/// or words that are no one's to translate (a library's, a server's), kept as they are.
/// Boxed, so that an error holding one stays small.
#[derive(Debug, Clone, PartialEq)]
pub struct Message(Box<Body>);

#[derive(Debug, Clone, PartialEq)]
struct Body {
    key: &'static str,
    args: Vec<(&'static str, Arg)>,
    english: String,
    /// English says `english` (the library's own words), not the catalogue's.
    own_english: bool,
}

/// An argument of a [`Message`].
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Inserted as it is.
    Text(String),
    /// A number (chooses plural forms).
    Count(u64),
    /// Another message, said in the same language.
    Message(Message),
}

impl From<String> for Arg {
    fn from(text: String) -> Arg {
        Arg::Text(text)
    }
}

impl From<&str> for Arg {
    fn from(text: &str) -> Arg {
        Arg::Text(text.to_string())
    }
}

impl From<&String> for Arg {
    fn from(text: &String) -> Arg {
        Arg::Text(text.clone())
    }
}

impl From<u64> for Arg {
    fn from(n: u64) -> Arg {
        Arg::Count(n)
    }
}

impl From<usize> for Arg {
    fn from(n: usize) -> Arg {
        Arg::Count(n as u64)
    }
}

impl From<u32> for Arg {
    fn from(n: u32) -> Arg {
        Arg::Count(u64::from(n))
    }
}

impl From<u16> for Arg {
    fn from(n: u16) -> Arg {
        Arg::Count(u64::from(n))
    }
}

impl From<Message> for Arg {
    fn from(message: Message) -> Arg {
        Arg::Message(message)
    }
}

impl Message {
    /// The message `key` of the catalogue with `args`.
    pub fn new(key: &'static str, args: Vec<(&'static str, Arg)>) -> Message {
        let mut message = Message(Box::new(Body {
            key,
            args,
            english: String::new(),
            own_english: false,
        }));
        message.0.english = message.text_in(Lang::En);
        message
    }

    /// Words that are the same in every language: a library's or a server's.
    pub fn verbatim(text: impl Into<String>) -> Message {
        Message(Box::new(Body {
            key: "",
            args: Vec::new(),
            english: text.into(),
            own_english: false,
        }))
    }

    /// What the operating system said in `error`: its own words in English,
    /// the common kinds said in the other languages, the rest kept in brackets.
    pub fn of_io(error: &std::io::Error) -> Message {
        Message::os_words(Some(error.kind()), &error.to_string())
    }

    /// The words a library or the operating system said (`"Connection
    /// refused (os error 111)"`), of `kind` when it is known: see [`Message::of_io`].
    pub fn os_words(kind: Option<std::io::ErrorKind>, words: &str) -> Message {
        use std::io::ErrorKind as K;
        let key = match kind {
            Some(K::ConnectionRefused) => "os-refused",
            Some(K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe) => "os-reset",
            Some(K::UnexpectedEof) => "os-closed-early",
            Some(K::TimedOut) => "os-timed-out",
            Some(K::NetworkUnreachable | K::NetworkDown) => "os-network-unreachable",
            Some(K::HostUnreachable) => "os-host-unreachable",
            Some(K::PermissionDenied) => "os-permission-denied",
            Some(K::NotFound) => "os-not-found",
            Some(K::StorageFull | K::QuotaExceeded | K::FileTooLarge) => "os-storage-full",
            Some(K::ReadOnlyFilesystem) => "os-read-only",
            Some(K::AlreadyExists) => "os-already-exists",
            _ => return Message::library_words(words),
        };
        Message::in_own_english(key, words)
    }

    /// The message `key` in every language but English, which says `words`.
    pub fn in_own_english(key: &'static str, words: &str) -> Message {
        Message(Box::new(Body {
            key,
            args: Vec::new(),
            english: words.to_string(),
            own_english: true,
        }))
    }

    /// A library's words that trackline does not know: as they are in
    /// English, in brackets in the other languages (`(os error 99: Cannot
    /// assign requested address)`).
    pub fn library_words(words: &str) -> Message {
        let coded = words.strip_suffix(')').and_then(|rest| rest.rsplit_once(" (os error "));
        match coded {
            Some((text, code)) if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) => Message::new(
                "os-other-code",
                vec![("words", Arg::from(text)), ("code", Arg::from(code))],
            ),
            _ => Message::new("os-other", vec![("words", Arg::from(words))]),
        }
    }

    /// The message in `lang`.
    pub fn text_in(&self, lang: Lang) -> String {
        let body = &self.0;
        if body.key.is_empty() || (body.own_english && lang == Lang::En) {
            return body.english.clone();
        }
        let mut args = Args::new();
        for (name, value) in &body.args {
            match value {
                Arg::Text(text) => args.set(*name, text.clone()),
                Arg::Count(n) => args.set(*name, *n),
                Arg::Message(inner) => args.set(*name, inner.text_in(lang)),
            }
        }
        lang.t_args(body.key, &args)
    }

    /// Its catalogue key (empty for words kept verbatim).
    pub fn key(&self) -> &str {
        self.0.key
    }

    /// Its English text, as `Display` and `--json` show it.
    pub fn as_str(&self) -> &str {
        &self.0.english
    }
}

impl From<String> for Message {
    fn from(text: String) -> Message {
        Message::verbatim(text)
    }
}

impl From<&str> for Message {
    fn from(text: &str) -> Message {
        Message::verbatim(text)
    }
}

impl std::ops::Deref for Message {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0.english
    }
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.english)
    }
}

impl std::error::Error for Message {}

impl Serialize for Message {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.english)
    }
}

/// A [`Message`]: `message!("index-read-only")`,
/// `message!("transfer-ended-early", received = 10u64, expected = 20u64)`.
macro_rules! message {
    ($key:literal) => {
        $crate::i18n::Message::new($key, Vec::new())
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::Message::new(
            $key,
            vec![$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}
pub(crate) use message;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_inside_another_is_said_in_the_same_language() {
        let inner = message!("inspect-refused-encrypted");
        let outer = message!("inspect-refused-stopped", error = inner.clone());
        assert_eq!(outer.as_str(), format!("the preview stopped: {}", inner.as_str()));
        assert_eq!(outer.text_in(Lang::Es), tr_es_stopped(&inner.text_in(Lang::Es)));
    }

    fn tr_es_stopped(inner: &str) -> String {
        crate::tr!(Lang::Es, "inspect-refused-stopped", error = inner)
    }

    #[test]
    fn verbatim_words_are_the_same_in_every_language() {
        let words = Message::verbatim("Connection refused (os error 111)");
        assert_eq!(words.text_in(Lang::Es), "Connection refused (os error 111)");
        assert_eq!(words.to_string(), "Connection refused (os error 111)");
        assert_eq!(
            serde_json::to_string(&words).unwrap(),
            "\"Connection refused (os error 111)\""
        );
    }

    #[test]
    fn the_common_kinds_of_the_os_are_spanish_and_english_keeps_its_words() {
        use std::io::{Error, ErrorKind};
        let cases = [
            (
                ErrorKind::ConnectionRefused,
                "Connection refused (os error 111)",
                "conexión rechazada",
            ),
            (
                ErrorKind::ConnectionReset,
                "Connection reset by peer (os error 104)",
                "la conexión se cortó",
            ),
            (ErrorKind::TimedOut, "timed out", "se agotó el tiempo de espera"),
            (
                ErrorKind::NetworkUnreachable,
                "Network is unreachable (os error 101)",
                "la red no está disponible",
            ),
            (
                ErrorKind::PermissionDenied,
                "Permission denied (os error 13)",
                "permiso denegado",
            ),
        ];
        for (kind, words, spanish) in cases {
            let message = Message::of_io(&Error::new(kind, words));
            assert_eq!(message.as_str(), words);
            assert_eq!(message.text_in(Lang::En), words);
            assert_eq!(message.text_in(Lang::Es), spanish);
        }
    }

    #[test]
    fn an_unknown_kind_keeps_the_library_words_in_brackets() {
        let odd = Message::of_io(&std::io::Error::from_raw_os_error(99));
        assert_eq!(odd.as_str(), "Cannot assign requested address (os error 99)");
        assert_eq!(odd.text_in(Lang::Es), "(os error 99: Cannot assign requested address)");
        let plain = Message::library_words("unexpected end of file");
        assert_eq!(plain.as_str(), "unexpected end of file");
        assert_eq!(plain.text_in(Lang::Es), "(unexpected end of file)");
    }
}
