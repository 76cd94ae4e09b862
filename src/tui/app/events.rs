//! The worker's events.

use super::*;
use crate::tr;

impl App {
    pub(super) fn on_event(&mut self, event: Event, now: OffsetDateTime) -> Vec<Command> {
        match event {
            Event::LoggedIn {
                email,
                base_url,
                expires_at,
            } => {
                let signed_in = Phase::signed_in(email, expires_at, self.login.keep_password);
                let before = std::mem::replace(&mut self.sessions.phase, signed_in);
                self.base_url = base_url;
                self.login.state = LoginState::Hidden;
                self.login.reason = None;
                self.login.password.clear();
                let mut commands = Vec::new();
                if let Phase::SignedOut { then: Some(query) } = before {
                    commands.extend(self.fetch(query));
                }
                commands.extend(self.downloads.resume_after_login());
                commands
            }
            Event::LoginFailed(e) => {
                let message = match &e {
                    ApiError::BadCredentials { .. } => {
                        self.login.field = LoginField::Password;
                        self.login.password.clear();
                        tr!(self.lang, "login-wrong-password")
                    }
                    e if e.exit_code() == crate::exit::UNAVAILABLE => {
                        self.login.field = LoginField::Server;
                        tr!(
                            self.lang,
                            "login-check-server",
                            error = safe_line(&e.localized(self.lang), 200)
                        )
                    }
                    ApiError::InsecureUrl { .. } | ApiError::InvalidUrl { .. } => {
                        self.login.field = LoginField::Server;
                        safe_line(&e.localized(self.lang), 200)
                    }
                    e => safe_line(&e.localized(self.lang), 200),
                };
                self.login.fail(message);
                Vec::new()
            }
            Event::LoggedOut => {
                self.sign_out();
                if !self.login.visible() {
                    self.ask_login(None);
                }
                Vec::new()
            }
            Event::SessionExpired => {
                self.ask_login(Some(&tr!(self.lang, "login-session-ended")));
                Vec::new()
            }
            Event::SessionRenewed { expires_at } => {
                if let Phase::SignedIn {
                    expires_at: at, end, ..
                } = &mut self.sessions.phase
                {
                    *at = expires_at;
                    *end = SessionEnd::Later;
                }
                self.sessions.notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "session-renewed"),
                });
                Vec::new()
            }
            Event::Warning(text) => {
                self.sessions.notice = Some(Notice {
                    error: true,
                    text: safe_line(&text, 300),
                });
                Vec::new()
            }
            Event::ProfileSwitched {
                profile,
                base_url,
                base_url_origin,
                email,
                session,
            } => {
                self.base_url_origin = base_url_origin;
                self.forget_index();
                self.profile_switched(profile, base_url, email, session)
            }
            Event::ProfileSwitchFailed { profile, error } => {
                self.sessions.notice = Some(Notice {
                    error: true,
                    text: tr!(
                        self.lang,
                        "profile-cannot-switch",
                        profile = safe_line(&profile, 40),
                        error = safe_line(&error, 200)
                    ),
                });
                Vec::new()
            }
            Event::ProcessLoaded { req, result } => {
                let failed = result.is_err();
                let commands = self.loaded(req, result);
                if failed {
                    self.lookup_failed();
                }
                commands
            }
            Event::IndexMatches { query, hits } => {
                self.matches_found(query, hits);
                Vec::new()
            }
            Event::CachedProcess { process_id, cached } => self.cached_process(process_id, cached),
            Event::SavedFiles { files } => {
                self.saved_files(files);
                Vec::new()
            }
            Event::AlreadySaved {
                id,
                path,
                bytes,
                sha256,
            } => {
                self.heard_of(id);
                self.remember_saved(id, &path);
                self.say_already_saved(&path);
                self.downloads.done(id, path, bytes, sha256);
                Vec::new()
            }
            Event::DownloadVerifying { id, bytes } => {
                self.heard_of(id);
                self.downloads.verifying(id, bytes);
                Vec::new()
            }
            Event::DownloadStarted {
                id, received, total, ..
            } => {
                self.heard_of(id);
                self.downloads.started(id, received, total, now);
                Vec::new()
            }
            Event::Progress { id, received, total } => {
                self.downloads.progress(id, received, total, now);
                Vec::new()
            }
            Event::Downloaded {
                id,
                path,
                bytes,
                sha256,
            } => {
                self.heard_of(id);
                self.remember_saved(id, &path);
                self.downloads.done(id, path, bytes, sha256);
                Vec::new()
            }
            Event::DownloadFailed {
                id,
                error,
                retryable,
                needs_login,
            } => {
                self.heard_of(id);
                self.download_failed(id, safe_line(&error, 300), retryable, needs_login);
                if needs_login {
                    self.ask_login(Some(&tr!(self.lang, "login-ended-download")));
                }
                Vec::new()
            }
            Event::Retrying {
                target,
                attempt,
                max_attempts,
                delay,
            } => {
                let text = retry_summary_in(self.lang, attempt, max_attempts, delay);
                match target {
                    RetryTarget::Lookup(req) => {
                        if let Lookup::Loading {
                            req: current, retry, ..
                        } = &mut self.lookup
                            && *current == req
                        {
                            *retry = Some(text);
                        }
                    }
                    RetryTarget::Download(id) => self.downloads.retrying(id, text),
                }
                Vec::new()
            }
            Event::DownloadCancelled { id } => {
                self.heard_of(id);
                self.downloads.cancelled(id);
                Vec::new()
            }
            Event::Previewed { req, result, .. } => self.previewed(req, result),
            Event::Opened(path) => {
                self.downloads_notice = Some(Notice {
                    error: false,
                    text: tr!(self.lang, "opened", file = file_name(&path)),
                });
                Vec::new()
            }
            Event::Watch(news) => self.on_watch(news),
            Event::OpenFailed { path, error } => {
                self.downloads_notice = Some(Notice {
                    error: true,
                    text: tr!(
                        self.lang,
                        "open-failed",
                        file = file_name(&path),
                        error = safe_line(&error, 200),
                        path = safe_line(&path.to_string_lossy(), 200)
                    ),
                });
                Vec::new()
            }
        }
    }
}

/// "retrying in 3 s (attempt 2 of 5)" in `lang`.
pub(super) fn retry_summary_in(
    lang: crate::i18n::Lang,
    attempt: usize,
    max_attempts: usize,
    delay: std::time::Duration,
) -> String {
    let secs = delay.as_secs() + u64::from(delay.subsec_nanos() > 0);
    tr!(
        lang,
        "retry-summary",
        secs = secs.to_string(),
        attempt = attempt.to_string(),
        max = max_attempts.to_string()
    )
}
