//! `login`, `logout`, `status` and `profiles`.

use super::CliError;
use super::context::Context;
use super::show_words::LoginState;
use super::stdout::outln;
use crate::engine::Credentials;
use crate::engine::credentials::ENV_PASSWORD;
use crate::exit;
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tr;
use secrecy::SecretString;
use std::io::{BufRead, IsTerminal, Write};
use time::OffsetDateTime;

/// `trackline login`: asks for what it lacks, logs in, stores the session.
pub(super) async fn login(context: &Context, email: Option<String>, password_stdin: bool) -> Result<u8, CliError> {
    let profile = &context.settings.profile;
    let lang = context.settings.lang;
    let interactive = std::io::stdin().is_terminal() && !password_stdin;
    let remembered = context
        .memory()
        .last_email(profile)
        .or_else(|| context.settings.email.clone());
    let email = match email.filter(|e| !e.trim().is_empty()) {
        Some(email) => email,
        None if interactive => prompt_email(lang, remembered.as_deref())?,
        None => remembered.ok_or_else(|| CliError::Usage(tr!(lang, "login-no-email")))?,
    };
    let password = if password_stdin {
        read_password_line(lang, &mut std::io::stdin().lock())?
    } else if let Ok(password) = std::env::var(ENV_PASSWORD) {
        SecretString::from(password)
    } else if interactive {
        let typed = rpassword::prompt_password(tr!(lang, "login-password-for", email = safe_line(&email, 200)))
            .map_err(|e| CliError::Other(tr!(lang, "login-cannot-read-password", reason = e.to_string())))?;
        SecretString::from(typed)
    } else {
        return Err(CliError::Usage(tr!(lang, "login-no-password")));
    };
    let credentials = Credentials {
        email: email.trim().to_string(),
        password,
    };
    let logged_in = context.session()?.login(None, &credentials).await?;
    if let Some(warning) = logged_in.stored?.warning_in(lang) {
        eprintln!("{}", tr!(lang, "cli-warning", warning = warning.to_string()));
    }
    let session = logged_in.session;
    let expires = match session.expires_at {
        Some(at) => tr!(
            lang,
            "login-expires",
            when = describe_expiry(lang, at, OffsetDateTime::now_utc())
        ),
        None => String::new(),
    };
    eprintln!(
        "{}",
        tr!(
            lang,
            "login-done",
            email = safe_line(&session.email, 200),
            server = safe_line(&session.base_url, 200),
            profile = safe_line(profile, 100),
            expires = expires
        )
    );
    Ok(exit::OK)
}

fn prompt_email(lang: Lang, remembered: Option<&str>) -> Result<String, CliError> {
    let mut stderr = std::io::stderr();
    match remembered {
        Some(last) => write!(
            stderr,
            "{}",
            tr!(lang, "login-email-prompt-last", last = safe_line(last, 200))
        ),
        None => write!(stderr, "{}", tr!(lang, "login-email-prompt")),
    }
    .and_then(|()| stderr.flush())
    .map_err(|e| CliError::Other(tr!(lang, "login-cannot-prompt", reason = e.to_string())))?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(tr!(lang, "login-cannot-read-email", reason = e.to_string())))?;
    let typed = line.trim();
    match (typed.is_empty(), remembered) {
        (false, _) => Ok(typed.to_string()),
        (true, Some(last)) => Ok(last.to_string()),
        (true, None) => Err(CliError::Usage(tr!(lang, "login-no-email-given"))),
    }
}

/// Reads the first line of `input` as the password (without its line end).
pub(super) fn read_password_line(lang: Lang, input: &mut impl BufRead) -> Result<SecretString, CliError> {
    // Zeroed when dropped; room for a long line, so reading it does not
    // reallocate and leave a copy behind (stdin's own buffer still holds one).
    let mut line = zeroize::Zeroizing::new(String::with_capacity(1024));
    input
        .read_line(&mut line)
        .map_err(|e| CliError::Other(tr!(lang, "login-cannot-read-stdin", reason = e.to_string())))?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(CliError::Usage(tr!(lang, "login-stdin-empty")));
    }
    Ok(SecretString::from(password))
}

/// `trackline logout [--all]`.
pub(super) fn logout(context: &Context, all: bool) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let store = context.token_store();
    let profiles = if all {
        store.list()
    } else {
        vec![context.settings.profile.clone()]
    };
    let mut removed = 0;
    for profile in &profiles {
        if store.delete(profile)? {
            removed += 1;
            eprintln!("{}", tr!(lang, "logout-done", profile = safe_line(profile, 100)));
        }
    }
    if removed == 0 {
        if all {
            eprintln!("{}", tr!(lang, "logout-nowhere"));
        } else {
            eprintln!("{}", tr!(lang, "logout-not-logged-in"));
        }
    }
    Ok(exit::OK)
}

/// `trackline status`: who, where, until when. Exit 3 when not logged in.
pub(super) fn status(context: &Context) -> Result<u8, CliError> {
    let settings = &context.settings;
    let lang = settings.lang;
    let now = OffsetDateTime::now_utc();
    let labels = Labels::new(lang);
    let label = |key: &str| labels.get(key);
    outln!("{}{}", label("status-profile"), safe_line(&settings.profile, 100))?;
    match settings.base_url_origin_in() {
        Some(origin) => outln!(
            "{}{} ({})",
            label("status-server"),
            safe_line(&settings.base_url, 300),
            safe_line(&origin, 300)
        )?,
        None => outln!("{}{}", label("status-server"), safe_line(&settings.base_url, 300))?,
    }
    outln!(
        "{}{}",
        label("status-proxy"),
        settings.proxies.describe_for_in(lang, &settings.base_url)
    )?;
    if !settings.ca_certs.is_empty() {
        let files: Vec<String> = settings
            .ca_certs
            .iter()
            .map(|file| {
                tr!(
                    lang,
                    "status-ca-file",
                    path = file.path.display().to_string(),
                    from = file.from.to_string()
                )
            })
            .collect();
        outln!(
            "{}{}",
            label("status-ca-certs"),
            tr!(lang, "status-ca-besides", files = files.join(", "))
        )?;
    }
    outln!("{}{}", label("status-log-file"), context.paths.log_file.display())?;
    match context.token_store().load(&settings.profile)? {
        Some(session) if !session.is_for(&settings.base_url) => {
            outln!(
                "{}{}",
                label("status-session"),
                tr!(
                    lang,
                    "status-session-other-server",
                    server = safe_line(&session.base_url, 300)
                )
            )?;
            Ok(exit::AUTH)
        }
        Some(session) if session.is_expired(now) => {
            outln!("{}{}", label("status-email"), safe_line(&session.email, 200))?;
            outln!(
                "{}{}",
                label("status-session"),
                tr!(
                    lang,
                    "status-session-expired",
                    when = describe_expiry_opt(lang, session.expires_at, now)
                )
            )?;
            Ok(exit::AUTH)
        }
        Some(session) => {
            outln!("{}{}", label("status-email"), safe_line(&session.email, 200))?;
            outln!(
                "{}{}",
                label("status-session"),
                tr!(
                    lang,
                    "status-session-valid",
                    when = describe_expiry_opt(lang, session.expires_at, now)
                )
            )?;
            Ok(exit::OK)
        }
        None => {
            outln!("{}{}", label("status-session"), tr!(lang, "status-session-none"))?;
            Ok(exit::AUTH)
        }
    }
}

/// The labels of `status` in one language, padded to one width (the longest and a space).
struct Labels {
    lang: Lang,
    width: usize,
}

impl Labels {
    const KEYS: [&'static str; 7] = [
        "status-profile",
        "status-server",
        "status-proxy",
        "status-ca-certs",
        "status-log-file",
        "status-email",
        "status-session",
    ];

    fn new(lang: Lang) -> Labels {
        let width = Self::KEYS
            .iter()
            .map(|key| lang.t(key).chars().count() + 1)
            .max()
            .unwrap_or(10);
        Labels { lang, width }
    }

    fn get(&self, key: &str) -> String {
        format!("{:<width$}", self.lang.t(key), width = self.width)
    }
}

/// `trackline profiles`: every known profile and its login state.
pub(super) fn profiles(context: &Context) -> Result<u8, CliError> {
    let store = context.token_store();
    let now = OffsetDateTime::now_utc();
    let mut names: Vec<String> = context.settings.profile_names.clone();
    names.extend(store.list());
    names.push(context.settings.profile.clone());
    names.sort();
    names.dedup();
    let lang = context.settings.lang;
    let [profile, state, email, server] = super::show_words::profiles_header(lang);
    outln!("{:<2}{:<16} {:<12} {:<32} {server}", "", profile, state, email)?;
    let memory = context.memory().all();
    for name in names {
        let session = store.load(&name)?;
        let (state, email, server) = match &session {
            Some(s) if s.is_expired(now) => (LoginState::Expired, s.email.clone(), s.base_url.clone()),
            Some(s) => (LoginState::LoggedIn, s.email.clone(), s.base_url.clone()),
            // The last login's email and server, so a logged-out row still says whose it was.
            None => match memory.get(&name) {
                Some(last) => (LoginState::LoggedOut, last.email.clone(), last.base_url.clone()),
                None => (LoginState::LoggedOut, "—".to_string(), "—".to_string()),
            },
        };
        let active = if name == context.settings.profile { "*" } else { "" };
        outln!(
            "{:<2}{:<16} {:<12} {:<32} {}",
            active,
            safe_line(&name, 16),
            state.words(lang),
            safe_line(&email, 32),
            safe_line(&server, 200)
        )?;
    }
    Ok(exit::OK)
}

fn describe_expiry_opt(lang: Lang, at: Option<OffsetDateTime>, now: OffsetDateTime) -> String {
    at.map(|at| describe_expiry(lang, at, now))
        .unwrap_or_else(|| tr!(lang, "expiry-unknown"))
}

/// "at 2026-11-28 14:03 UTC (in 59 minutes)"; "el 28 nov 2026, 14:03 UTC (dentro de 59 minutos)".
pub(super) fn describe_expiry(lang: Lang, at: OffsetDateTime, now: OffsetDateTime) -> String {
    let utc = at.to_offset(time::UtcOffset::UTC);
    let when = match lang {
        Lang::En => utc
            .format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]"
            ))
            .unwrap_or_else(|_| at.to_string()),
        Lang::Es => crate::text::date_time(lang, utc),
    };
    tr!(
        lang,
        "expiry-at",
        when = when,
        ago = crate::text::relative_time_in(lang, at, now)
    )
}
