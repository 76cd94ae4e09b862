//! `config.toml`: what a user may write in it, read strictly so that a typo is
//! reported with its line rather than silently ignored.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::ConfigError;
pub use crate::store::TokenStoreKind;
use ratatui::style::Color;

/// The colour theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeName {
    /// Light text on a dark terminal.
    #[default]
    Dark,
    /// Dark text on a light terminal.
    Light,
    /// Strong colours and no dim text.
    HighContrast,
}

impl fmt::Display for ThemeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        })
    }
}

/// The contents of `config.toml`; every key is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Where downloads go, as written (`~` not yet expanded).
    pub download_dir: Option<String>,
    /// Downloads at once, 1 to 64.
    #[serde(default, deserialize_with = "concurrency")]
    pub concurrency: Option<usize>,
    /// The colour theme.
    pub theme: Option<ThemeName>,
    /// The language: `en` or `es`.
    pub lang: Option<crate::i18n::Lang>,
    /// The most MiB of attachments fetched to be previewed (`inspect`, the preview pane), 1 to 10240.
    #[serde(default, deserialize_with = "preview_cache_mb")]
    pub preview_cache_mb: Option<u64>,
    /// Seconds between two checks of a process the TUI watches, 1 to 86400.
    #[serde(default, deserialize_with = "watch_interval")]
    pub watch_interval: Option<u64>,
    /// Whether a change of a watched process raises a desktop notification.
    pub notify: Option<bool>,
    /// The command that opens a downloaded file.
    pub opener: Option<String>,
    /// Where session tokens are kept.
    pub token_store: Option<TokenStoreKind>,
    /// The profile used when none is given.
    pub default_profile: Option<String>,
    /// A PEM file of extra trusted certificate authorities, as written (`~` not yet expanded).
    pub ca_cert: Option<String>,
    /// The proxy for every request (`http://user:password@host:port`); `""` for none.
    pub proxy: Option<String>,
    /// Hosts reached without the proxy, comma-separated (as `NO_PROXY`).
    pub no_proxy: Option<String>,
    /// The `[retry]` table.
    #[serde(default)]
    pub retry: RetryConfig,
    /// The `[keys]` table: action → keys, checked against the actions by [`Config::parse`].
    #[serde(default, deserialize_with = "keys")]
    pub keys: BTreeMap<String, Vec<String>>,
    /// The `[colors]` table: colours that replace the theme's.
    #[serde(default, alias = "colours")]
    pub colors: Colors,
    /// The `[profiles.NAME]` tables.
    #[serde(default)]
    pub profiles: BTreeMap<String, ProfileConfig>,
}

/// The `[retry]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetryConfig {
    /// Attempts per request, 1 to 100 (1 means no retry).
    #[serde(default, deserialize_with = "max_attempts")]
    pub max_attempts: Option<u32>,
    /// The longest wait between attempts, in seconds, 0 to 3600.
    #[serde(default, deserialize_with = "max_delay_secs")]
    pub max_delay_secs: Option<u64>,
}

/// One `[profiles.NAME]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileConfig {
    /// The server, including `/api`.
    pub base_url: Option<String>,
    /// The email the login dialog starts with.
    pub email: Option<String>,
    /// Where this profile's downloads go, as written.
    pub download_dir: Option<String>,
}

/// A colour of the `[colors]` table: `"red"` sets the foreground, `{ fg = "black",
/// bg = "#ff8800" }` either or both.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColorOverride {
    /// The text colour.
    pub fg: Option<Color>,
    /// The background colour.
    pub bg: Option<Color>,
}

impl fmt::Display for ColorOverride {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.fg, self.bg) {
            (Some(fg), None) => write!(f, "{fg}"),
            (fg, bg) => {
                let parts: Vec<String> = [("fg", fg), ("bg", bg)]
                    .into_iter()
                    .filter_map(|(k, c)| c.map(|c| format!("{k} = {c}")))
                    .collect();
                write!(f, "{{ {} }}", parts.join(", "))
            }
        }
    }
}

const COLOR_EXPECTED: &str =
    "a colour: a name such as \"red\" or \"light-blue\", \"#ff8800\", or a number from 0 to 255";

fn parse_color<E: de::Error>(text: &str) -> Result<Color, E> {
    text.parse::<Color>()
        .map_err(|_| E::invalid_value(de::Unexpected::Str(text), &COLOR_EXPECTED))
}

impl<'de> Deserialize<'de> for ColorOverride {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct OverrideVisitor;
        impl<'de> Visitor<'de> for OverrideVisitor {
            type Value = ColorOverride;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{COLOR_EXPECTED}, or a table {{ fg = \"…\", bg = \"…\" }}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ColorOverride, E> {
                Ok(ColorOverride {
                    fg: Some(parse_color(v)?),
                    bg: None,
                })
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ColorOverride, A::Error> {
                let mut out = ColorOverride::default();
                while let Some(key) = map.next_key::<String>()? {
                    let value: String = map.next_value()?;
                    let color = parse_color(&value)?;
                    match key.as_str() {
                        "fg" => out.fg = Some(color),
                        "bg" => out.bg = Some(color),
                        other => return Err(de::Error::unknown_field(other, &["fg", "bg"])),
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_any(OverrideVisitor)
    }
}

macro_rules! colors_table {
    ($($(#[doc = $doc:literal])* $name:ident,)*) => {
        /// The `[colors]` table: any colour of the theme, by the name of what it paints.
        #[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct Colors {
            $($(#[doc = $doc])* #[serde(default)] pub $name: Option<ColorOverride>,)*
        }

        impl Colors {
            /// Every name the table takes, in the order they apply.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// The colours given, by name, in the order they apply (`accent` first).
            pub fn given(&self) -> Vec<(&'static str, ColorOverride)> {
                let mut out = Vec::new();
                $(if let Some(c) = self.$name {
                    out.push((stringify!($name), c));
                })*
                out
            }
        }
    };
}

colors_table! {
    /// Shorthand for the focused border and title, keys, the brand, progress bars and the selection.
    accent,
    /// Plain text.
    text,
    /// Labels, hints and empty states.
    muted,
    /// Borders of panes without the focus.
    border,
    /// The focused pane's border.
    border_focused,
    /// Pane titles.
    title,
    /// The focused pane's title.
    title_focused,
    /// The selected row of the focused list.
    selected,
    /// The selected row of a list without the focus.
    selected_unfocused,
    /// The top bar.
    top_bar,
    /// The app name in the top bar.
    brand,
    /// Keys in the hint line and help.
    key,
    /// Errors and failed states.
    error,
    /// Warnings, waiting and queued states.
    warn,
    /// Success and done states.
    ok,
    /// Things in progress.
    info,
    /// Table headers.
    header,
    /// Marked documents.
    marked,
    /// The filled part of a progress bar.
    gauge,
    /// The empty part of a progress bar.
    gauge_empty,
    /// Text being typed.
    input,
}

impl Config {
    /// Parses the text of a config file; `path` only names the file in errors.
    /// The `[keys]` table is read as text: the front end that owns the keys
    /// checks it and reports a mistake with [`key_binding_error`].
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let snippet = |line: Option<usize>| {
            line.and_then(|l| text.lines().nth(l - 1))
                .map(|s| crate::text::safe_line(s, 120))
        };
        let config: Config = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((None, None), |span| {
                let (l, c) = line_col(text, span.start);
                (Some(l), Some(c))
            });
            ConfigError::Parse {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim_end().to_owned(),
                snippet: snippet(line),
            }
        })?;
        Ok(config)
    }

    /// A commented `config.toml` for `trackline config init`: every setting is
    /// there with its default, commented out.
    pub fn template() -> &'static str {
        TEMPLATE
    }
}

/// A mistake in the `[keys]` table of the config file at `path` (whose text is
/// `text`), as [`ConfigError::Parse`] with the line of the binding it is about:
/// `bindings` names the actions concerned, and the line is the later of theirs
/// (for a conflict, the binding that made it).
pub fn key_binding_error(text: &str, path: &Path, message: String, bindings: &[&str]) -> ConfigError {
    #[derive(Deserialize)]
    struct KeySpans {
        #[serde(default)]
        keys: BTreeMap<String, toml::Spanned<toml::Value>>,
    }
    let spans = toml::from_str::<KeySpans>(text).map(|k| k.keys).unwrap_or_default();
    let line = bindings
        .iter()
        .filter_map(|name| spans.get(*name).map(|v| line_col(text, v.span().start).0))
        .max();
    ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        column: None,
        message,
        snippet: line
            .and_then(|l| text.lines().nth(l - 1))
            .map(|s| crate::text::safe_line(s, 120)),
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

fn concurrency<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    let n = d.deserialize_any(WholeNumber { min: 1, max: 64 })?;
    usize::try_from(n).map(Some).map_err(de::Error::custom)
}

fn preview_cache_mb<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(WholeNumber { min: 1, max: 10_240 }).map(Some)
}

fn watch_interval<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(WholeNumber { min: 1, max: 86_400 }).map(Some)
}

fn max_attempts<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    let n = d.deserialize_any(WholeNumber { min: 1, max: 100 })?;
    u32::try_from(n).map(Some).map_err(de::Error::custom)
}

fn max_delay_secs<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_any(WholeNumber { min: 0, max: 3600 }).map(Some)
}

/// A whole number within bounds, with an error that says which.
struct WholeNumber {
    min: u64,
    max: u64,
}

impl WholeNumber {
    fn check<E: de::Error>(&self, n: i128) -> Result<u64, E> {
        match u64::try_from(n) {
            Ok(n) if (self.min..=self.max).contains(&n) => Ok(n),
            _ => Err(E::invalid_value(de::Unexpected::Other(&format!("{n}")), self)),
        }
    }
}

impl Visitor<'_> for WholeNumber {
    type Value = u64;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a whole number from {} to {}", self.min, self.max)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        self.check(i128::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        self.check(i128::from(v))
    }
}

/// One key or an array of keys.
struct Keys(Vec<String>);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeysVisitor;
        impl<'de> Visitor<'de> for KeysVisitor {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key such as \"q\" or an array of keys such as [\"d\", \"Enter\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Keys, E> {
                Ok(Keys(vec![v.to_owned()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Keys, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<String>()? {
                    keys.push(key);
                }
                Ok(Keys(keys))
            }
        }
        d.deserialize_any(KeysVisitor)
    }
}

fn keys<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Vec<String>>, D::Error> {
    let raw = BTreeMap::<String, Keys>::deserialize(d)?;
    Ok(raw.into_iter().map(|(action, Keys(keys))| (action, keys)).collect())
}

const TEMPLATE: &str = r##"## trackline configuration. Every key is optional: remove the `# ` in front
## of a setting to change it. Precedence: built-in default < this file <
## environment variable < command-line flag. `trackline config show` prints
## the settings in effect and where each one came from.

## Where downloads are saved; `~` is your home directory.
## Default: the OS Downloads folder + /Trackline.
# download_dir = "~/Downloads/Trackline"

## How many downloads run at once (1 to 64).
# concurrency = 3

## Colours: "dark", "light" or "high-contrast".
# theme = "dark"

## The language: "en" or "es". Default: TRACKLINE_LANG, else the locale
## (LC_ALL, LC_MESSAGES, LANG), else English. --lang beats them all.
# lang = "es"

## The most MiB kept of attachments fetched to be previewed (`trackline
## inspect`, the preview pane), in the OS cache folder; the oldest go first.
# preview_cache_mb = 256

## Seconds between two checks of each process the TUI watches (`w`), 1 to 86400.
# watch_interval = 60

## A desktop notification when a watched process changes status (skipped
## where no notification service runs).
# notify = false

## The command that opens a downloaded file; it gets one argument, the file's
## path. Default: the system's default application.
# opener = "xdg-open"

## Where session tokens are kept: "file" (one file per profile, mode 0600, in
## the data dir) or "keyring".
# token_store = "file"

## The profile used when neither --profile nor TRACKLINE_PROFILE is given.
# default_profile = "default"

## A PEM file of extra certificate authorities to trust besides the system's
## (a company's TLS-inspecting firewall, say). --ca-cert and TRACKLINE_CA_CERT
## come first; SSL_CERT_FILE is always added too.
# ca_cert = "~/corp-ca.pem"

## The proxy for every request, with its user and password if it needs them.
## --proxy comes first, then HTTPS_PROXY / HTTP_PROXY / ALL_PROXY. "" is none.
# proxy = "http://user:password@proxy.example.com:3128"
## Hosts reached directly, not through the proxy (NO_PROXY comes first).
# no_proxy = "localhost, .internal.example.com, 10.0.0.0/8"

[retry]
## Attempts for a request that timed out, was refused or got a 502-504 (1 to 100).
# max_attempts = 5
## The longest wait between two attempts, in seconds (0 to 3600).
# max_delay_secs = 60

[keys]
## Rebind an action of the TUI: action = "key" or ["key", "key"].
## Press ? in the TUI for the actions and their keys.
# download = ["d", "Enter"]
# quit = "q"

[colors]
## Replace any colour of the theme: a name ("red", "light-blue"), "#rrggbb" or
## a number from 0 to 255 sets the text colour; { fg = "…", bg = "…" } sets
## either or both. `accent` paints the focused border and title, keys, progress
## bars and the selection at once. The other names: text, muted, border,
## border_focused, title, title_focused, selected, selected_unfocused, top_bar,
## brand, key, error, warn, ok, info, header, marked, gauge, gauge_empty, input.
## NO_COLOR or --no-color turn every colour off.
# accent = "#ff8800"
# error = "red"
# selected = { fg = "black", bg = "#ff8800" }

## A profile is a server, an email and its own session; pick one with
## --profile NAME (or TRACKLINE_PROFILE).
# [profiles.prod]
# base_url = "https://api.codecontractplattform.com/api"
# email = "ana@example.com"
# download_dir = "~/Invoices/prod"
"##;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("/home/ana/.config/trackline/config.toml"))
    }

    fn error(text: &str) -> String {
        let err = parse(text).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        err.to_string()
    }

    #[test]
    fn the_spec_example_parses() {
        let config = parse(
            r#"
download_dir = "~/Downloads/Trackline"
concurrency = 3              # downloads at once
theme = "dark"               # dark | light | high-contrast
opener = "xdg-open"
token_store = "file"         # file | keyring
default_profile = "default"

[retry]
max_attempts = 5
max_delay_secs = 60

[keys]                       # action = key or [keys]; actions as in the keys table
download = ["d", "Enter"]
quit = "q"

[profiles.prod]
base_url = "https://api.codecontractplattform.com/api"
email = "ana@example.com"
download_dir = "~/Invoices/prod"
"#,
        )
        .unwrap();
        assert_eq!(config.concurrency, Some(3));
        assert_eq!(config.theme, Some(ThemeName::Dark));
        assert_eq!(config.token_store, Some(TokenStoreKind::File));
        assert_eq!(config.retry.max_attempts, Some(5));
        assert_eq!(config.keys["download"], ["d", "Enter"]);
        assert_eq!(config.keys["quit"], ["q"]);
        assert_eq!(config.profiles["prod"].email.as_deref(), Some("ana@example.com"));
    }

    #[test]
    fn an_empty_file_is_all_defaults() {
        assert_eq!(parse("").unwrap(), Config::default());
        assert_eq!(parse("# nothing\n").unwrap(), Config::default());
    }

    #[test]
    fn the_template_parses_as_it_is_and_uncommented() {
        assert_eq!(parse(Config::template()).unwrap().concurrency, None);
        let uncommented: String = Config::template()
            .lines()
            .map(|l| l.strip_prefix("# ").filter(|_| !l.starts_with("## ")).unwrap_or(l))
            .map(|l| format!("{l}\n"))
            .collect();
        let config = parse(&uncommented).unwrap();
        assert_eq!(config.concurrency, Some(3));
        assert_eq!(config.theme, Some(ThemeName::Dark));
        assert_eq!(config.retry.max_delay_secs, Some(60));
        assert_eq!(config.keys["download"], ["d", "Enter"]);
        assert_eq!(config.profiles["prod"].download_dir.as_deref(), Some("~/Invoices/prod"));
        let accent = Color::Rgb(0xff, 0x88, 0);
        assert_eq!(config.colors.accent.and_then(|c| c.fg), Some(accent));
        assert_eq!(
            config.colors.selected,
            Some(ColorOverride {
                fg: Some(Color::Black),
                bg: Some(accent)
            })
        );
    }

    #[test]
    fn a_syntax_error_names_file_line_and_column() {
        let msg = error("concurrency = 3\ntheme = \"dark\n");
        assert!(msg.contains("config.toml"), "{msg}");
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("column"), "{msg}");
    }

    #[test]
    fn an_unknown_key_names_its_line_and_the_known_keys() {
        let msg = error("concurrency = 3\n\ncolour = \"dark\"\n");
        assert!(msg.contains("line 3, column 1"), "{msg}");
        assert!(msg.contains("colour"), "{msg}");
        assert!(msg.contains("theme"), "{msg}");
        let nested = error("[profiles.prod]\nbase_url = \"https://x/api\"\nemial = \"a@b\"\n");
        assert!(nested.contains("line 3"), "{nested}");
        assert!(nested.contains("emial"), "{nested}");
        let retry = error("[retry]\nmax_attempt = 3\n");
        assert!(retry.contains("line 2") && retry.contains("max_attempts"), "{retry}");
    }

    #[test]
    fn a_wrong_type_names_its_line_and_what_was_expected() {
        let msg = error("theme = \"dark\"\nconcurrency = \"three\"\n");
        assert!(msg.contains("line 2, column 15"), "{msg}");
        assert!(msg.contains("expected a whole number from 1 to 64"), "{msg}");
        assert!(msg.contains("concurrency = \"three\""), "{msg}");
        let theme = error("theme = \"blue\"\n");
        assert!(theme.contains("line 1") && theme.contains("high-contrast"), "{theme}");
        let keys = error("[keys]\nquit = 5\n");
        assert!(keys.contains("line 2") && keys.contains("array of keys"), "{keys}");
    }

    #[test]
    fn out_of_range_numbers_are_refused_with_their_line() {
        let msg = error("\nconcurrency = 0\n");
        assert!(msg.contains("line 2") && msg.contains("1 to 64"), "{msg}");
        let retry = error("[retry]\nmax_attempts = 0\n");
        assert!(retry.contains("line 2") && retry.contains("1 to 100"), "{retry}");
        let delay = error("[retry]\nmax_delay_secs = -1\n");
        assert!(delay.contains("line 2") && delay.contains("0 to 3600"), "{delay}");
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\ncdé f", 8), (2, 5));
        assert_eq!(line_col("x", 0), (1, 1));
        assert_eq!(line_col("x", 99), (1, 2));
    }
}
