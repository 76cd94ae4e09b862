//! The worker's events.

use super::*;

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
                        "Wrong email or password — check them and press Enter".to_string()
                    }
                    e if e.exit_code() == crate::exit::UNAVAILABLE => {
                        self.login.field = LoginField::Server;
                        format!(
                            "{} — check the Server field and try again",
                            safe_line(&e.to_string(), 200)
                        )
                    }
                    ApiError::InsecureUrl { .. } | ApiError::InvalidUrl { .. } => {
                        self.login.field = LoginField::Server;
                        safe_line(&e.to_string(), 200)
                    }
                    e => safe_line(&e.to_string(), 200),
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
                self.ask_login(Some("Your session has ended. Log in again to continue."));
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
                    text: "Session renewed with the password kept in memory".into(),
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
                    text: format!(
                        "Cannot switch to profile {}: {}",
                        safe_line(&profile, 40),
                        safe_line(&error, 200)
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
                self.documents_notice = Some(Notice {
                    error: false,
                    text: format!("Already saved: {}", safe_line(&path.to_string_lossy(), 300)),
                });
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
                    self.ask_login(Some(
                        "Your session has ended. Log in again; the download continues after.",
                    ));
                }
                Vec::new()
            }
            Event::Retrying {
                target,
                attempt,
                max_attempts,
                delay,
            } => {
                let text = crate::api::client::retry_summary(attempt, max_attempts, delay);
                match target {
                    RetryTarget::Lookup(req) => {
                        if let Lookup::Loading {
                            req: current, retry, ..
                        } = &mut self.lookup
                        {
                            if *current == req {
                                *retry = Some(text);
                            }
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
                    text: format!("Opened {}", file_name(&path)),
                });
                Vec::new()
            }
            Event::Watch(news) => self.on_watch(news),
            Event::OpenFailed { path, error } => {
                self.downloads_notice = Some(Notice {
                    error: true,
                    text: format!(
                        "Could not open {}: {} — the file is at {}",
                        file_name(&path),
                        safe_line(&error, 200),
                        safe_line(&path.to_string_lossy(), 200)
                    ),
                });
                Vec::new()
            }
        }
    }
}
