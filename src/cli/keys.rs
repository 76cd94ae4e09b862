//! The `[keys]` table checked for every command, so a mistake in it is a bad
//! config (exit 2) with its line, whichever command meets it first.

use super::CliError;
use crate::config::{Settings, key_binding_error};
use crate::tui::keymap::{Action, Keymap, KeymapError};

/// Checks the key bindings of `settings` against the TUI's actions and keys.
pub(crate) fn check(settings: &Settings) -> Result<(), CliError> {
    let Err(error) = Keymap::with_overrides(&settings.keys) else {
        return Ok(());
    };
    let bindings: Vec<&str> = match &error {
        KeymapError::UnknownAction(name) | KeymapError::NoKeys(name) | KeymapError::BadKey { action: name, .. } => {
            vec![name.as_str()]
        }
        KeymapError::Conflict { first, second, .. } => settings
            .keys
            .keys()
            .filter(|name| Action::from_config_name(name).is_some_and(|a| a == *first || a == *second))
            .map(String::as_str)
            .collect(),
    };
    let text = std::fs::read_to_string(&settings.config_file).unwrap_or_default();
    let message = words(settings.lang, &error);
    Err(key_binding_error(&text, &settings.config_file, message, &bindings).into())
}

/// A `[keys]` mistake in `lang` (what the key reader said about a key stays in English).
fn words(lang: crate::i18n::Lang, error: &KeymapError) -> String {
    use crate::tr;
    match error {
        KeymapError::UnknownAction(name) => tr!(
            lang,
            "keys-unknown-action",
            name = format!("{name:?}"),
            known = Action::ALL
                .iter()
                .map(|a| a.config_name())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        KeymapError::BadKey { action, reason } => {
            tr!(lang, "keys-bad-key", action = action.as_str(), reason = reason.as_str())
        }
        KeymapError::Conflict { key, first, second } => tr!(
            lang,
            "keys-conflict",
            key = key.to_string(),
            first = first.config_name(),
            second = second.config_name()
        ),
        KeymapError::NoKeys(name) => tr!(lang, "keys-no-keys", action = name.as_str()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::config::{Overrides, Paths};

    fn error(text: &str) -> String {
        let root = tempfile::tempdir().unwrap();
        let paths = Paths::under(root.path());
        std::fs::create_dir_all(paths.config_file.parent().unwrap()).unwrap();
        std::fs::write(&paths.config_file, text).unwrap();
        let settings = Settings::resolve(&paths, &Overrides::default()).unwrap();
        check(&settings).unwrap_err().to_string()
    }

    #[test]
    fn key_mistakes_name_the_line_of_the_binding() {
        let unknown = error("theme = \"dark\"\n\n[keys]\nquit = \"q\"\nexplode = \"e\"\n");
        assert!(
            unknown.contains("line 5") && unknown.contains("known actions"),
            "{unknown}"
        );
        let conflict = error("[keys]\nquit = \"d\"\nhelp = \"h\"\n");
        assert!(
            conflict.contains("line 2") && conflict.contains("quit and download"),
            "{conflict}"
        );
        let dotted = error("keys.help = \"Hyper-h\"\n");
        assert!(dotted.contains("line 1") && dotted.contains("Hyper"), "{dotted}");
        let empty = error("[keys]\nquit = []\n");
        assert!(
            empty.contains("line 2") && empty.contains("at least one key"),
            "{empty}"
        );
        assert!(error("[keys]\nquit = \"d\"\n").contains("config.toml"));
    }

    #[test]
    fn the_words_are_the_keymap_errors_in_english_and_spanish() {
        let errors = [
            KeymapError::UnknownAction("explode".into()),
            KeymapError::BadKey {
                action: "quit".into(),
                reason: "an empty key".into(),
            },
            KeymapError::Conflict {
                key: "d".into(),
                first: Action::Quit,
                second: Action::Download,
            },
            KeymapError::NoKeys("quit".into()),
        ];
        for e in &errors {
            assert_eq!(words(crate::i18n::Lang::En, e), e.to_string());
            assert_ne!(words(crate::i18n::Lang::Es, e), e.to_string());
        }
    }
}
