//! `login`, `logout`, `status` and `profiles`.

use super::CliError;
use super::context::Context;
use super::stdout::outln;
use crate::engine::Credentials;
use crate::engine::credentials::ENV_PASSWORD;
use crate::exit;
use crate::text::safe_line;
use secrecy::SecretString;
use std::io::{BufRead, IsTerminal, Write};
use time::OffsetDateTime;

/// `trackline login`: asks for what it lacks, logs in, stores the session.
pub(super) async fn login(context: &Context, email: Option<String>, password_stdin: bool) -> Result<u8, CliError> {
    let profile = &context.settings.profile;
    let interactive = std::io::stdin().is_terminal() && !password_stdin;
    let remembered = context
        .memory()
        .last_email(profile)
        .or_else(|| context.settings.email.clone());
    let email = match email.filter(|e| !e.trim().is_empty()) {
        Some(email) => email,
        None if interactive => prompt_email(remembered.as_deref())?,
        None => {
            remembered.ok_or_else(|| CliError::Usage("no email: pass --email or set TRACKLINE_EMAIL".to_string()))?
        }
    };
    let password = if password_stdin {
        read_password_line(&mut std::io::stdin().lock())?
    } else if let Ok(password) = std::env::var(ENV_PASSWORD) {
        SecretString::from(password)
    } else if interactive {
        let typed = rpassword::prompt_password(format!("Password for {}: ", safe_line(&email, 200)))
            .map_err(|e| CliError::Other(format!("cannot read the password: {e}")))?;
        SecretString::from(typed)
    } else {
        return Err(CliError::Usage(
            "no password: pass --password-stdin, set TRACKLINE_PASSWORD, or run in a terminal".to_string(),
        ));
    };
    let credentials = Credentials {
        email: email.trim().to_string(),
        password,
    };
    let logged_in = context.session()?.login(None, &credentials).await?;
    if let Some(warning) = logged_in.stored?.warning() {
        eprintln!("trackline: warning: {warning}");
    }
    let session = logged_in.session;
    eprintln!(
        "Logged in as {} at {} (profile {}){}",
        safe_line(&session.email, 200),
        safe_line(&session.base_url, 200),
        safe_line(profile, 100),
        match session.expires_at {
            Some(at) => format!(
                "; the session expires {}",
                describe_expiry(at, OffsetDateTime::now_utc())
            ),
            None => String::new(),
        }
    );
    Ok(exit::OK)
}

fn prompt_email(remembered: Option<&str>) -> Result<String, CliError> {
    let mut stderr = std::io::stderr();
    match remembered {
        Some(last) => write!(stderr, "Email [{}]: ", safe_line(last, 200)),
        None => write!(stderr, "Email: "),
    }
    .and_then(|()| stderr.flush())
    .map_err(|e| CliError::Other(format!("cannot prompt: {e}")))?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Other(format!("cannot read the email: {e}")))?;
    let typed = line.trim();
    match (typed.is_empty(), remembered) {
        (false, _) => Ok(typed.to_string()),
        (true, Some(last)) => Ok(last.to_string()),
        (true, None) => Err(CliError::Usage("no email given".to_string())),
    }
}

/// Reads the first line of `input` as the password (without its line end).
pub(super) fn read_password_line(input: &mut impl BufRead) -> Result<SecretString, CliError> {
    // Zeroed when dropped; room for a long line, so reading it does not
    // reallocate and leave a copy behind (stdin's own buffer still holds one).
    let mut line = zeroize::Zeroizing::new(String::with_capacity(1024));
    input
        .read_line(&mut line)
        .map_err(|e| CliError::Other(format!("cannot read the password from standard input: {e}")))?;
    let password = line.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(CliError::Usage("the password on standard input is empty".to_string()));
    }
    Ok(SecretString::from(password))
}

/// `trackline logout [--all]`.
pub(super) fn logout(context: &Context, all: bool) -> Result<u8, CliError> {
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
            eprintln!("Logged out of profile {}", safe_line(profile, 100));
        }
    }
    if removed == 0 {
        eprintln!("Not logged in{}; nothing to do", if all { " anywhere" } else { "" });
    }
    Ok(exit::OK)
}

/// `trackline status`: who, where, until when. Exit 3 when not logged in.
pub(super) fn status(context: &Context) -> Result<u8, CliError> {
    let settings = &context.settings;
    let now = OffsetDateTime::now_utc();
    outln!("Profile:  {}", safe_line(&settings.profile, 100))?;
    match settings.base_url_origin() {
        Some(origin) => outln!(
            "Server:   {} ({})",
            safe_line(&settings.base_url, 300),
            safe_line(&origin, 300)
        )?,
        None => outln!("Server:   {}", safe_line(&settings.base_url, 300))?,
    }
    outln!("Proxy:    {}", settings.proxies.describe_for(&settings.base_url))?;
    if !settings.ca_certs.is_empty() {
        let files: Vec<String> = settings
            .ca_certs
            .iter()
            .map(|file| format!("{} (from {})", file.path.display(), file.from))
            .collect();
        outln!("CA certs: {} (besides the system's)", files.join(", "))?;
    }
    outln!("Log file: {}", context.paths.log_file.display())?;
    match context.token_store().load(&settings.profile)? {
        Some(session) if !session.is_for(&settings.base_url) => {
            outln!(
                "Session:  none for this server (the stored one is for {})",
                safe_line(&session.base_url, 300)
            )?;
            Ok(exit::AUTH)
        }
        Some(session) if session.is_expired(now) => {
            outln!("Email:    {}", safe_line(&session.email, 200))?;
            outln!(
                "Session:  expired {}; run `trackline login`",
                describe_expiry_opt(session.expires_at, now)
            )?;
            Ok(exit::AUTH)
        }
        Some(session) => {
            outln!("Email:    {}", safe_line(&session.email, 200))?;
            outln!(
                "Session:  valid, expires {}",
                describe_expiry_opt(session.expires_at, now)
            )?;
            Ok(exit::OK)
        }
        None => {
            outln!("Session:  not logged in; run `trackline login`")?;
            Ok(exit::AUTH)
        }
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
    outln!("{:<2}{:<16} {:<12} {:<32} SERVER", "", "PROFILE", "STATE", "EMAIL")?;
    let memory = context.memory().all();
    for name in names {
        let session = store.load(&name)?;
        let (state, email, server) = match &session {
            Some(s) if s.is_expired(now) => ("expired", s.email.clone(), s.base_url.clone()),
            Some(s) => ("logged in", s.email.clone(), s.base_url.clone()),
            // The last login's email and server, so a logged-out row still says whose it was.
            None => match memory.get(&name) {
                Some(last) => ("logged out", last.email.clone(), last.base_url.clone()),
                None => ("logged out", "—".to_string(), "—".to_string()),
            },
        };
        let active = if name == context.settings.profile { "*" } else { "" };
        outln!(
            "{:<2}{:<16} {:<12} {:<32} {}",
            active,
            safe_line(&name, 16),
            state,
            safe_line(&email, 32),
            safe_line(&server, 200)
        )?;
    }
    Ok(exit::OK)
}

fn describe_expiry_opt(at: Option<OffsetDateTime>, now: OffsetDateTime) -> String {
    at.map(|at| describe_expiry(at, now))
        .unwrap_or_else(|| "at an unknown time (the token carries no expiry)".to_string())
}

/// "at 2026-11-28 14:03 UTC (in 59 min)".
pub(super) fn describe_expiry(at: OffsetDateTime, now: OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    let when = at
        .to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_else(|_| at.to_string());
    format!("at {when} ({})", crate::text::relative_time(at, now))
}
