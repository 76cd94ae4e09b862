//! The language of every word trackline shows: English or Spanish, chosen once
//! at start ([`choose`]) and passed down as a [`Lang`] value.
//!
//! The words live in Fluent catalogues, `locales/en.ftl` and `locales/es.ftl`,
//! built into the binary. The catalogue is read-only data parsed on first use;
//! there is no process-wide "current language": every caller says which
//! language it wants. [`tr!`](crate::tr) looks a message up with its
//! arguments: `tr!(lang, "pane-search")`, `tr!(lang, "state-failed-times", tries = 3)`.
//!
//! Adding a string: a message in both `.ftl` files (the catalogue test checks
//! that both have it, with the same placeholders, and that every key the
//! source names exists).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::fmt;
use std::sync::OnceLock;

pub use fluent_bundle::FluentArgs as Args;

mod message;
pub(crate) use message::message;
pub use message::{Arg, Message};

/// The English catalogue's text.
pub const EN_FTL: &str = include_str!("../locales/en.ftl");
/// The Spanish catalogue's text.
pub const ES_FTL: &str = include_str!("../locales/es.ftl");

/// The environment variable that names the language.
pub const LANG_ENV: &str = "TRACKLINE_LANG";
/// The locale variables, in the order POSIX reads them for messages.
pub const LOCALE_ENV: [&str; 3] = ["LC_ALL", "LC_MESSAGES", "LANG"];

/// A language trackline speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The code, as `--lang` takes it: `en`, `es`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// A language named the way `--lang`, `TRACKLINE_LANG` and config `lang`
    /// take it: `en`, `es`, or a locale of one (`es_MX`, `es-ES`, `en_GB.UTF-8`).
    pub fn parse(name: &str) -> Option<Lang> {
        match locale_language(name).as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The language of a locale value (`LANG=es_ES.UTF-8`): Spanish for `es…`,
    /// English for everything else (`C`, `POSIX`, `en_US`, `fr_FR`, …).
    pub fn from_locale(value: &str) -> Lang {
        Lang::parse(value).unwrap_or(Lang::En)
    }

    /// The message `key` with no arguments; the key itself when missing.
    pub fn t(self, key: &str) -> String {
        self.format(key, None)
    }

    /// The message `key` with `args` (see [`tr!`](crate::tr)).
    pub fn t_args(self, key: &str, args: &FluentArgs) -> String {
        self.format(key, Some(args))
    }

    /// The message `key` with no arguments, if the catalogue has it.
    pub fn try_t(self, key: &str) -> Option<String> {
        let bundle = catalogue().bundle(self);
        let pattern = bundle.get_message(key)?.value()?;
        let mut errors = Vec::new();
        Some(bundle.format_pattern(pattern, None, &mut errors).into_owned())
    }

    fn format(self, key: &str, args: Option<&FluentArgs>) -> String {
        let bundle = catalogue().bundle(self);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            debug_assert!(false, "no message {key:?} in the {} catalogue", self.code());
            return key.to_string();
        };
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        debug_assert!(errors.is_empty(), "{key:?} ({}): {errors:?}", self.code());
        text.into_owned()
    }
}

impl Lang {
    /// A hint label of a binding table (`"next pane"`) in this language:
    /// the message `hint-next-pane`.
    pub fn hint(self, label: &str) -> String {
        self.t(&format!("hint-{}", slug(label)))
    }

    /// A help-overlay place (`"search, login"`): the message `place-search-login`.
    pub fn place(self, place: &str) -> String {
        self.t(&format!("place-{}", slug(place)))
    }
}

/// `"download marked/all"` → `"download-marked-all"`.
pub fn slug(label: &str) -> String {
    label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Looks a message up: `tr!(lang, "key")` or `tr!(lang, "key", name = value, …)`,
/// where each value is a string or a number (numbers choose plural forms).
#[macro_export]
macro_rules! tr {
    ($lang:expr, $key:literal) => {
        $crate::i18n::Lang::t($lang, $key)
    };
    ($lang:expr, $key:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::i18n::Args::new();
        $( args.set(stringify!($name), $value); )+
        $crate::i18n::Lang::t_args($lang, $key, &args)
    }};
}

/// Where the language came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Nothing named one: English.
    Default,
    /// `--lang`.
    Flag,
    /// `TRACKLINE_LANG`.
    Env,
    /// The config file's `lang`.
    File,
    /// A locale variable, by name (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    Locale(&'static str),
}

/// The language of this run, from the first of `--lang`, `TRACKLINE_LANG`,
/// config `lang`, then the locale (`env` returns a variable's value).
///
/// `--lang` was checked by the command line; an unknown `TRACKLINE_LANG` or
/// locale falls back to English, as a locale trackline does not speak would.
/// The first non-empty locale variable decides (POSIX): `LC_ALL=fr_FR` with
/// `LANG=es_ES` is English.
pub fn choose(flag: Option<Lang>, file: Option<Lang>, env: impl Fn(&str) -> Option<String>) -> (Lang, Origin) {
    if let Some(lang) = flag {
        return (lang, Origin::Flag);
    }
    if let Some(value) = env(LANG_ENV).filter(|v| !v.trim().is_empty()) {
        return (Lang::parse(&value).unwrap_or(Lang::En), Origin::Env);
    }
    if let Some(lang) = file {
        return (lang, Origin::File);
    }
    for name in LOCALE_ENV {
        if let Some(value) = env(name).filter(|v| !v.trim().is_empty()) {
            return (Lang::from_locale(&value), Origin::Locale(name));
        }
    }
    (Lang::En, Origin::Default)
}

/// `es_ES.UTF-8@euro` → `es`; `C` → `c`.
fn locale_language(name: &str) -> String {
    name.trim()
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .split(['_', '-'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

struct Catalogue {
    en: FluentBundle<FluentResource>,
    es: FluentBundle<FluentResource>,
}

impl Catalogue {
    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Es => &self.es,
        }
    }
}

fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| Catalogue {
        en: bundle(Lang::En, EN_FTL),
        es: bundle(Lang::Es, ES_FTL),
    })
}

fn bundle(lang: Lang, text: &str) -> FluentBundle<FluentResource> {
    // A broken entry is dropped by the parser and reported by the catalogue test.
    let resource = FluentResource::try_new(text.to_string()).unwrap_or_else(|(partial, _)| partial);
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // The terminal shows Unicode isolation marks as garbage.
    bundle.set_use_isolating(false);
    let _ = bundle.add_resource(resource);
    bundle
}

#[cfg(test)]
mod tests;
