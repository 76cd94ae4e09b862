//! The words `config show` writes around the values (a missing file, no
//! value, where the language came from) and the `profiles` table, in the
//! run's language; values themselves (paths, URLs, `true`, key names) stay
//! as the config file spells them.

use crate::config::{Setting, Settings};
use crate::i18n::{LANG_ENV, Lang, Origin};
use crate::tr;

/// `setting`'s value as `config show` prints it in `lang`; `english` is
/// [`Settings::entries`]' text, kept as it is in English.
pub(super) fn value_in(lang: Lang, settings: &Settings, setting: Setting, english: String) -> String {
    if lang == Lang::En {
        return english;
    }
    let none = || tr!(lang, "config-value-none");
    match setting {
        Setting::Config if !settings.config_loaded => {
            tr!(
                lang,
                "config-value-not-found",
                path = settings.config_file.display().to_string()
            )
        }
        Setting::Email if settings.email.is_none() => none(),
        Setting::CaCert | Setting::SslCertFile | Setting::NoProxy if english == "(none)" => none(),
        Setting::Proxy => settings.proxies.describe_for_in(lang, &settings.base_url),
        Setting::Opener if settings.opener.is_none() => tr!(lang, "config-value-system-opener"),
        Setting::Keys if settings.keys.is_empty() => tr!(lang, "config-value-default-keys"),
        Setting::Colors if english == "(the theme's)" => tr!(lang, "config-value-theme-colors"),
        Setting::Lang => {
            let from = match &settings.lang_origin {
                Origin::Env => LANG_ENV,
                Origin::Locale(name) => name,
                _ => return english,
            };
            tr!(
                lang,
                "config-value-lang",
                lang = settings.lang.code(),
                from = tr!(lang, "origin-from", name = from)
            )
        }
        _ => english,
    }
}

/// The state of a profile in the `profiles` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LoginState {
    /// A session that has expired.
    Expired,
    /// A session still valid.
    LoggedIn,
    /// No session.
    LoggedOut,
}

impl LoginState {
    /// The state's words in `lang`: `logged in`, `con sesión`.
    pub(super) fn words(self, lang: Lang) -> String {
        match self {
            LoginState::Expired => tr!(lang, "profiles-expired"),
            LoginState::LoggedIn => tr!(lang, "profiles-logged-in"),
            LoginState::LoggedOut => tr!(lang, "profiles-logged-out"),
        }
    }
}

/// The `profiles` table's header: `PROFILE`, `STATE`, `EMAIL`, `SERVER` in English.
pub(super) fn profiles_header(lang: Lang) -> [String; 4] {
    [
        tr!(lang, "profiles-col-profile"),
        tr!(lang, "profiles-col-state"),
        tr!(lang, "profiles-col-email"),
        tr!(lang, "profiles-col-server"),
    ]
}
