//! Actions, their default keys (SPEC.md's table) and user overrides from `[keys]`.
//!
//! The help overlay and the hint line are generated from the keymap, so a
//! rebinding shows up everywhere. Two actions bound to one key conflict when a
//! pane takes both (see [`super::bindings`]).

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;

/// Something a key can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// Quit (not while typing).
    Quit,
    /// Show or hide the help overlay.
    Help,
    /// Next pane or field.
    NextPane,
    /// Previous pane or field.
    PrevPane,
    /// Focus the search box.
    FocusSearch,
    /// Look up, log in, choose.
    Submit,
    /// Close the overlay, cancel the request in flight, or leave the text box.
    Cancel,
    /// Move up in a list.
    Up,
    /// Move down in a list.
    Down,
    /// Move a page up.
    PageUp,
    /// Move a page down.
    PageDown,
    /// Go to the first row.
    Home,
    /// Go to the last row.
    End,
    /// Download the selected document.
    Download,
    /// Mark or unmark the selected document.
    Mark,
    /// Download the marked documents, or all if none is marked.
    DownloadAll,
    /// Open the downloaded file.
    Open,
    /// Filter the documents by name or type.
    Filter,
    /// Show or hide the preview of the selected document.
    Preview,
    /// Scroll the preview down.
    PreviewDown,
    /// Scroll the preview up.
    PreviewUp,
    /// Choose an entry of the archive the preview shows (and leave the entries).
    Entries,
    /// Cancel the selected download.
    CancelDownload,
    /// Cancel every queued and running download.
    CancelAll,
    /// Retry a failed download; reload the process in the process pane.
    Retry,
    /// Copy the selected id, saved path or SHA-256 to the clipboard.
    Copy,
    /// Watch or stop watching the process shown (the selected one in the watched list).
    Watch,
    /// Log out (or log in when signed out).
    Logout,
    /// Switch to another profile.
    SwitchProfile,
    /// Suspend to the shell.
    Suspend,
    /// Quit at once, even while typing.
    ForceQuit,
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: [Action; 31] = [
        Action::ForceQuit,
        Action::Quit,
        Action::Help,
        Action::NextPane,
        Action::PrevPane,
        Action::FocusSearch,
        Action::Submit,
        Action::Cancel,
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::Home,
        Action::End,
        Action::Download,
        Action::Mark,
        Action::DownloadAll,
        Action::Open,
        Action::Filter,
        Action::Preview,
        Action::PreviewDown,
        Action::PreviewUp,
        Action::Entries,
        Action::CancelDownload,
        Action::CancelAll,
        Action::Retry,
        Action::Copy,
        Action::Watch,
        Action::Logout,
        Action::SwitchProfile,
        Action::Suspend,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn config_name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::NextPane => "next_pane",
            Action::PrevPane => "prev_pane",
            Action::FocusSearch => "focus_search",
            Action::Submit => "submit",
            Action::Cancel => "cancel",
            Action::Up => "up",
            Action::Down => "down",
            Action::PageUp => "page_up",
            Action::PageDown => "page_down",
            Action::Home => "home",
            Action::End => "end",
            Action::Download => "download",
            Action::Mark => "mark",
            Action::DownloadAll => "download_all",
            Action::Open => "open",
            Action::Filter => "filter",
            Action::Preview => "preview",
            Action::PreviewDown => "preview_down",
            Action::PreviewUp => "preview_up",
            Action::Entries => "entries",
            Action::CancelDownload => "cancel_download",
            Action::CancelAll => "cancel_all",
            Action::Retry => "retry",
            Action::Copy => "copy",
            Action::Watch => "watch",
            Action::Logout => "logout",
            Action::SwitchProfile => "switch_profile",
            Action::Suspend => "suspend",
            Action::ForceQuit => "force_quit",
        }
    }

    /// Reads a config name (`download_all`; `-` works for `_`, case does not matter).
    pub fn from_config_name(name: &str) -> Option<Action> {
        let wanted = name.trim().to_ascii_lowercase().replace('-', "_");
        Action::ALL.into_iter().find(|a| a.config_name() == wanted)
    }

    /// What the action does, for the help overlay, in `lang` (the message `action-NAME`).
    pub fn describe_in(self, lang: crate::i18n::Lang) -> String {
        lang.t(&format!("action-{}", self.config_name()))
    }

    /// What the action does, for help.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show or hide this help",
            Action::NextPane => "next pane or field",
            Action::PrevPane => "previous pane or field",
            Action::FocusSearch => "focus the search box",
            Action::Submit => "look up / log in / choose",
            Action::Cancel => "close / cancel the request / leave the box",
            Action::Up => "move up",
            Action::Down => "move down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::Home => "first row",
            Action::End => "last row",
            Action::Download => "download the selected document",
            Action::Mark => "mark / unmark",
            Action::DownloadAll => "download marked (or all)",
            Action::Open => "open the downloaded file",
            Action::Filter => "filter by name or type",
            Action::Preview => "show / hide the preview",
            Action::PreviewDown => "scroll the preview down",
            Action::PreviewUp => "scroll the preview up",
            Action::Entries => "choose an entry of the archive shown",
            Action::CancelDownload => "cancel the download",
            Action::CancelAll => "cancel all downloads",
            Action::Retry => "retry download / reload process",
            Action::Copy => "copy the id, saved path or SHA-256",
            Action::Watch => "watch / unwatch the shown process",
            Action::Logout => "log out (or in)",
            Action::SwitchProfile => "switch profile",
            Action::Suspend => "suspend to the shell",
            Action::ForceQuit => "quit at once",
        }
    }

    /// Where the action works, in words, for the help overlay (what each
    /// pane does exactly is its table in [`super::bindings`]).
    pub fn place(self) -> &'static str {
        match self {
            Action::ForceQuit | Action::Suspend | Action::NextPane | Action::PrevPane | Action::Cancel => "anywhere",
            Action::Quit
            | Action::Help
            | Action::FocusSearch
            | Action::Logout
            | Action::SwitchProfile
            | Action::Watch => "not typing",
            Action::Submit => "search, login",
            Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Home | Action::End => "lists",
            Action::Download
            | Action::Mark
            | Action::DownloadAll
            | Action::Filter
            | Action::Preview
            | Action::PreviewDown
            | Action::PreviewUp
            | Action::Entries => "documents",
            Action::Open => "documents, downloads",
            Action::Retry => "downloads, process",
            Action::CancelDownload | Action::CancelAll => "downloads",
            Action::Copy => "lists, process",
        }
    }

    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::ForceQuit => &["Ctrl-c"],
            Action::Quit => &["q"],
            Action::Help => &["?"],
            Action::NextPane => &["Tab"],
            Action::PrevPane => &["Shift-Tab"],
            Action::FocusSearch => &["/"],
            Action::Submit => &["Enter"],
            Action::Cancel => &["Esc"],
            Action::Up => &["Up", "k"],
            Action::Down => &["Down", "j"],
            Action::PageUp => &["PgUp"],
            Action::PageDown => &["PgDn"],
            Action::Home => &["Home", "g"],
            Action::End => &["End", "G"],
            Action::Download => &["Enter", "d"],
            Action::Mark => &["Space"],
            Action::DownloadAll => &["D"],
            Action::Open => &["o"],
            Action::Filter => &["f"],
            Action::Preview => &["p"],
            Action::PreviewDown => &["J", "Shift-Down"],
            Action::PreviewUp => &["K", "Shift-Up"],
            Action::Entries => &["e"],
            Action::CancelDownload => &["x"],
            Action::CancelAll => &["X"],
            Action::Retry => &["r"],
            Action::Copy => &["y"],
            Action::Watch => &["w"],
            Action::Logout => &["L"],
            Action::SwitchProfile => &["P"],
            Action::Suspend => &["Ctrl-z"],
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.config_name())
    }
}

/// One key with its modifiers, normalised so that `Shift-d` and `D` are the same key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// The key of a terminal key event, normalised.
    pub(crate) fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    /// A key from a code and modifiers, normalised: Shift is folded into characters,
    /// BackTab is Shift-Tab, and only Ctrl, Alt and Shift count.
    pub(crate) fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) && c.is_ascii_uppercase() {
                    KeyCode::Char(c.to_ascii_lowercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key { code, mods }
    }

    /// Parses a key as written in the config: `d`, `D`, `Enter`, `Ctrl-c`, `Shift-Tab`,
    /// `PgUp`, `F1`, `Space`, `Alt-x` (`+` works for `-`, names ignore case).
    pub(crate) fn parse(text: &str) -> Result<Key, String> {
        let text = text.trim();
        if text.is_empty() {
            return Err("an empty key".to_string());
        }
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        while let Some(sep) = rest.find(['-', '+']).filter(|&i| i > 0 && i + 1 < rest.len()) {
            let modifier = &rest[..sep];
            match modifier.to_ascii_lowercase().as_str() {
                "ctrl" | "control" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "meta" | "m" | "a" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                _ => return Err(format!("unknown modifier {modifier:?} in {text:?}")),
            }
            rest = &rest[sep + 1..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if mods.contains(KeyModifiers::SHIFT) && c.is_alphabetic() {
                    KeyCode::Char(c.to_uppercase().next().unwrap_or(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pgdown" | "pagedown" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                lower => match lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()) {
                    Some(n @ 1..=24) => KeyCode::F(n),
                    _ => return Err(format!("unknown key {rest:?} in {text:?}")),
                },
            },
        };
        Ok(Key::new(code, mods))
    }

    /// Whether this key types a character into a text box (no Ctrl or Alt).
    pub(crate) fn is_text(&self) -> bool {
        matches!(self.code, KeyCode::Char(_)) && !self.mods.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => {
                write!(f, "{}", c.to_ascii_uppercase())
            }
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl Key {
    /// The key's name as the hints and help show it in `lang`: English as
    /// `Display` (and config.toml) writes it; in Spanish the names on a
    /// Spanish keyboard (Intro, Espacio, Mayús-Tab, RePág, Inicio…).
    pub(crate) fn name_in(&self, lang: crate::i18n::Lang) -> String {
        if lang == crate::i18n::Lang::En {
            return self.to_string();
        }
        let mut name = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            name.push_str(&crate::tr!(lang, "key-ctrl"));
        }
        if self.mods.contains(KeyModifiers::ALT) {
            name.push_str(&crate::tr!(lang, "key-alt"));
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            name.push_str(&crate::tr!(lang, "key-shift"));
        }
        let base = match self.code {
            KeyCode::Char(' ') => crate::tr!(lang, "key-space"),
            KeyCode::Enter => crate::tr!(lang, "key-enter"),
            KeyCode::BackTab => crate::tr!(lang, "key-back-tab"),
            KeyCode::PageUp => crate::tr!(lang, "key-page-up"),
            KeyCode::PageDown => crate::tr!(lang, "key-page-down"),
            KeyCode::Home => crate::tr!(lang, "key-home"),
            KeyCode::End => crate::tr!(lang, "key-end"),
            KeyCode::Backspace => crate::tr!(lang, "key-backspace"),
            KeyCode::Delete => crate::tr!(lang, "key-delete"),
            KeyCode::Insert => crate::tr!(lang, "key-insert"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => c.to_ascii_uppercase().to_string(),
            _ => Key::new(self.code, KeyModifiers::NONE).to_string(),
        };
        name.push_str(&base);
        name
    }
}

/// Why a `[keys]` table cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeymapError {
    /// The action name is not one of SPEC.md's.
    #[error("unknown action {0:?} in [keys]; known actions: {known}", known = known_actions())]
    UnknownAction(String),
    /// The key cannot be read.
    #[error("[keys] {action}: {reason}")]
    BadKey {
        /// The action being bound.
        action: String,
        /// What is wrong with the key.
        reason: String,
    },
    /// One key would do two things in the same place.
    #[error("[keys]: {key} is bound to both {first} and {second}; give one of them another key")]
    Conflict {
        /// The key.
        key: String,
        /// One action.
        first: Action,
        /// The other action.
        second: Action,
    },
    /// An action was left without any key.
    #[error("[keys] {0}: give at least one key")]
    NoKeys(String),
}

fn known_actions() -> String {
    Action::ALL
        .iter()
        .map(|a| a.config_name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which keys trigger which actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    bindings: BTreeMap<Action, Vec<Key>>,
    /// The language the keys are named in (see [`Key::name_in`]).
    lang: crate::i18n::Lang,
}

impl Default for Keymap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for action in Action::ALL {
            let keys = action
                .default_keys()
                .iter()
                .filter_map(|k| Key::parse(k).ok())
                .collect();
            bindings.insert(action, keys);
        }
        Keymap {
            bindings,
            lang: crate::i18n::Lang::En,
        }
    }
}

impl Keymap {
    /// The default keys with the config's `[keys]` applied: each named action gets
    /// exactly the keys given (one string or several).
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, KeymapError> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let action = Action::from_config_name(name).ok_or_else(|| KeymapError::UnknownAction(name.clone()))?;
            if keys.is_empty() {
                return Err(KeymapError::NoKeys(name.clone()));
            }
            let mut parsed = Vec::with_capacity(keys.len());
            for key in keys {
                let key = Key::parse(key).map_err(|reason| KeymapError::BadKey {
                    action: name.clone(),
                    reason,
                })?;
                if !parsed.contains(&key) {
                    parsed.push(key);
                }
            }
            map.bindings.insert(action, parsed);
        }
        map.check_conflicts()?;
        Ok(map)
    }

    fn check_conflicts(&self) -> Result<(), KeymapError> {
        let pairs: Vec<(Action, Key)> = self
            .bindings
            .iter()
            .flat_map(|(a, keys)| keys.iter().map(move |k| (*a, *k)))
            .collect();
        for (i, (first, key)) in pairs.iter().enumerate() {
            for (second, other) in &pairs[i + 1..] {
                if key == other && first != second && super::bindings::meet(*first, *second) {
                    return Err(KeymapError::Conflict {
                        key: key.to_string(),
                        first: *first,
                        second: *second,
                    });
                }
            }
        }
        Ok(())
    }

    /// The actions a key event triggers (release events trigger none).
    pub fn actions(&self, event: &KeyEvent) -> Vec<Action> {
        if event.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let key = Key::from_event(event);
        self.bindings
            .iter()
            .filter(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| *a)
            .collect()
    }

    /// The keys of an action as shown to users (`Ctrl-C`, `↑`, `Shift-Tab`).
    pub fn keys_for(&self, action: Action) -> Vec<String> {
        self.bindings
            .get(&action)
            .map(|keys| keys.iter().map(|key| key.name_in(self.lang)).collect())
            .unwrap_or_default()
    }

    /// The same keys, named in `lang` by [`Keymap::keys_for`].
    pub(crate) fn named_in(mut self, lang: crate::i18n::Lang) -> Keymap {
        self.lang = lang;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_as_config_writes_them_in_english_and_as_a_spanish_keyboard_in_spanish() {
        use crate::i18n::Lang;
        let cases = [
            ("Enter", "Intro"),
            ("Space", "Espacio"),
            ("Shift-Tab", "Mayús-Tab"),
            ("PgUp", "RePág"),
            ("PgDn", "AvPág"),
            ("Home", "Inicio"),
            ("End", "Fin"),
            ("Shift-Down", "Mayús-↓"),
            ("Ctrl-c", "Ctrl-C"),
            ("Esc", "Esc"),
            ("D", "D"),
        ];
        for (config, spanish) in cases {
            let key = Key::parse(config).unwrap();
            assert_eq!(key.name_in(Lang::En), key.to_string(), "{config}");
            assert_eq!(key.name_in(Lang::Es), spanish, "{config}");
        }
        let keymap = Keymap::default();
        assert_eq!(keymap.keys_for(Action::Mark), ["Space"]);
        assert_eq!(keymap.named_in(Lang::Es).keys_for(Action::Mark), ["Espacio"]);
    }

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    impl Keymap {
        /// Whether the key event triggers `action`.
        fn is(&self, event: &KeyEvent, action: Action) -> bool {
            self.actions(event).contains(&action)
        }
    }

    fn overrides(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(a, ks)| (a.to_string(), ks.iter().map(|k| k.to_string()).collect()))
            .collect()
    }

    #[test]
    fn defaults_follow_the_spec_table() {
        let km = Keymap::default();
        assert_eq!(km.keys_for(Action::ForceQuit), ["Ctrl-C"]);
        assert_eq!(km.keys_for(Action::Up), ["↑", "k"]);
        assert_eq!(km.keys_for(Action::Home), ["Home", "g"]);
        assert_eq!(km.keys_for(Action::End), ["End", "G"]);
        assert_eq!(km.keys_for(Action::Download), ["Enter", "d"]);
        assert_eq!(km.keys_for(Action::PrevPane), ["Shift-Tab"]);
        assert!(km.is(&ev(KeyCode::Char('c'), KeyModifiers::CONTROL), Action::ForceQuit));
        assert!(km.is(&ev(KeyCode::Char('D'), KeyModifiers::SHIFT), Action::DownloadAll));
        assert!(km.is(&ev(KeyCode::Char('D'), KeyModifiers::NONE), Action::DownloadAll));
        assert!(km.is(&ev(KeyCode::BackTab, KeyModifiers::SHIFT), Action::PrevPane));
        assert!(km.is(&ev(KeyCode::Char('?'), KeyModifiers::SHIFT), Action::Help));
        assert!(km.is(&ev(KeyCode::Char(' '), KeyModifiers::NONE), Action::Mark));
        assert!(km.is(&ev(KeyCode::Char('z'), KeyModifiers::CONTROL), Action::Suspend));
        assert!(!km.is(&ev(KeyCode::Char('d'), KeyModifiers::NONE), Action::DownloadAll));
        let both = km.actions(&ev(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(both, [Action::Submit, Action::Download]);
    }

    #[test]
    fn release_events_do_nothing() {
        let km = Keymap::default();
        let mut release = ev(KeyCode::Char('q'), KeyModifiers::NONE);
        release.kind = KeyEventKind::Release;
        assert!(km.actions(&release).is_empty());
        assert!(!km.is(&release, Action::Quit));
    }

    #[test]
    fn key_strings_parse() {
        for (text, code, mods) in [
            ("d", KeyCode::Char('d'), KeyModifiers::NONE),
            ("Shift-d", KeyCode::Char('D'), KeyModifiers::NONE),
            ("Enter", KeyCode::Enter, KeyModifiers::NONE),
            ("ctrl+C", KeyCode::Char('c'), KeyModifiers::CONTROL),
            ("Shift-Tab", KeyCode::BackTab, KeyModifiers::NONE),
            ("PgUp", KeyCode::PageUp, KeyModifiers::NONE),
            ("pagedown", KeyCode::PageDown, KeyModifiers::NONE),
            ("F1", KeyCode::F(1), KeyModifiers::NONE),
            ("Alt-x", KeyCode::Char('x'), KeyModifiers::ALT),
            ("-", KeyCode::Char('-'), KeyModifiers::NONE),
            ("Ctrl--", KeyCode::Char('-'), KeyModifiers::CONTROL),
            ("Space", KeyCode::Char(' '), KeyModifiers::NONE),
        ] {
            assert_eq!(Key::parse(text), Ok(Key::new(code, mods)), "{text}");
        }
        assert!(Key::parse("Hyper-x").is_err());
        assert!(Key::parse("F99").is_err());
        assert!(Key::parse("Banana").is_err());
        assert!(Key::parse("").is_err());
    }

    #[test]
    fn overrides_replace_an_actions_keys() {
        let km = Keymap::with_overrides(&overrides(&[
            ("download", &["x", "Enter"]),
            ("cancel-download", &["c"]),
        ]))
        .unwrap();
        assert_eq!(km.keys_for(Action::Download), ["x", "Enter"]);
        assert!(km.is(&ev(KeyCode::Char('x'), KeyModifiers::NONE), Action::Download));
        assert!(!km.is(&ev(KeyCode::Char('d'), KeyModifiers::NONE), Action::Download));
        assert_eq!(km.keys_for(Action::CancelDownload), ["c"]);
    }

    #[test]
    fn bad_overrides_are_reported() {
        assert_eq!(
            Keymap::with_overrides(&overrides(&[("explode", &["e"])])),
            Err(KeymapError::UnknownAction("explode".into()))
        );
        assert!(matches!(
            Keymap::with_overrides(&overrides(&[("quit", &["Hyper-q"])])),
            Err(KeymapError::BadKey { .. })
        ));
        assert_eq!(
            Keymap::with_overrides(&overrides(&[("quit", &[])])),
            Err(KeymapError::NoKeys("quit".into()))
        );
        let err = Keymap::with_overrides(&overrides(&[("quit", &["d"])])).unwrap_err();
        assert!(
            matches!(
                err,
                KeymapError::Conflict {
                    first: Action::Quit,
                    second: Action::Download,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("bound to both quit and download"), "{err}");
        // Keys may repeat where the actions never meet: Enter submits in boxes, downloads in the table.
        assert_eq!(Keymap::with_overrides(&BTreeMap::new()), Ok(Keymap::default()));
        assert!(Keymap::with_overrides(&overrides(&[("open", &["d"])])).is_err());
        assert!(Keymap::with_overrides(&overrides(&[("cancel_download", &["d"])])).is_ok());
        assert!(Keymap::with_overrides(&overrides(&[("submit", &["Enter", "o"])])).is_ok());
    }
}
