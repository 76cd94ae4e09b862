//! The search box's lookups: asking, cancelling, the answer and its errors.

use super::*;

/// Where the process lookup is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lookup {
    /// Nothing asked (or the last answer is shown).
    Idle,
    /// A lookup is in flight.
    Loading {
        /// The id its answer carries; any other answer is stale.
        req: ReqId,
        /// What is looked up.
        query: ProcessQuery,
        /// The focus when it was asked; if it has not moved, the answer takes it.
        from: Focus,
        /// While a failed attempt waits to be retried: "retrying in 3 s (attempt 2 of 5)".
        retry: Option<String>,
    },
    /// The last lookup failed.
    Failed {
        /// What was looked up (`r` asks again).
        query: ProcessQuery,
        /// What went wrong (already safe to show).
        message: String,
        /// What to do next.
        hint: String,
    },
}

impl App {
    pub(super) fn submit_search(&mut self) -> Vec<Command> {
        match ProcessQuery::parse(self.search.value()) {
            Ok(query) => {
                self.search_error = None;
                self.fetch(query)
            }
            Err(e) => {
                self.search_error = Some(e.to_string());
                Vec::new()
            }
        }
    }

    pub(super) fn fetch(&mut self, query: ProcessQuery) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Lookup::Loading { req, .. } = self.lookup {
            commands.push(Command::CancelRequest(req));
        }
        let req = ReqId(self.next_req);
        self.next_req += 1;
        self.lookup = Lookup::Loading {
            req,
            query: query.clone(),
            from: self.focus,
            retry: None,
        };
        commands.push(Command::FetchProcess { req, query });
        commands
    }

    pub(super) fn reload(&mut self) -> Vec<Command> {
        if matches!(self.lookup, Lookup::Loading { .. }) {
            return Vec::new();
        }
        if let Some(p) = &self.current {
            let query = ProcessQuery::Id(p.process_id.as_str().to_string());
            return self.fetch(query);
        }
        if let Lookup::Failed { query, .. } = &self.lookup {
            let query = query.clone();
            return self.fetch(query);
        }
        Vec::new()
    }

    pub(super) fn cancel_lookup(&mut self) -> Option<Vec<Command>> {
        if let Lookup::Loading { req, .. } = self.lookup {
            self.lookup = Lookup::Idle;
            return Some(vec![Command::CancelRequest(req)]);
        }
        None
    }

    pub(super) fn loaded(&mut self, req: ReqId, result: Result<Vec<Process>, ApiError>) -> Vec<Command> {
        let (query, from) = match &self.lookup {
            Lookup::Loading {
                req: current,
                query,
                from,
                ..
            } if *current == req => (query.clone(), *from),
            _ => return Vec::new(),
        };
        match result {
            Ok(mut processes) if processes.len() == 1 => {
                let commands = processes.pop().map(|p| self.show_process(p)).unwrap_or_default();
                if self.focus == from {
                    self.focus = if self.documents.total() > 0 {
                        Focus::Documents
                    } else {
                        Focus::Process
                    };
                }
                commands
            }
            Ok(processes) if processes.is_empty() => {
                self.lookup = Lookup::Failed {
                    query: query.clone(),
                    message: format!(
                        "No {} — check it, or search another way",
                        safe_line(&query.to_string(), 120)
                    ),
                    hint: String::new(),
                };
                Vec::new()
            }
            Ok(processes) => {
                self.lookup = Lookup::Idle;
                self.choices = processes;
                self.choice_cursor.reset();
                if self.focus == from {
                    self.focus = Focus::Process;
                }
                Vec::new()
            }
            Err(e) if e.needs_login() => {
                self.lookup = Lookup::Failed {
                    query: query.clone(),
                    message: "The session has ended".into(),
                    hint: "Log in to continue; the lookup runs again after".into(),
                };
                self.ask_login(Some("Your session has ended. Log in again to continue."));
                self.sessions.phase = Phase::SignedOut { then: Some(query) };
                Vec::new()
            }
            Err(ApiError::Cancelled) => {
                self.lookup = Lookup::Idle;
                Vec::new()
            }
            Err(e) => {
                let (message, hint) = self.lookup_error(&query, &e);
                self.lookup = Lookup::Failed { query, message, hint };
                Vec::new()
            }
        }
    }

    pub(super) fn lookup_error(&self, query: &ProcessQuery, e: &ApiError) -> (String, String) {
        let retry = self.first_key(Action::Retry);
        let search = self.first_key(Action::FocusSearch);
        match (e, query) {
            (ApiError::NotFound { .. }, ProcessQuery::Id(id)) => (
                format!("No process {} — check the id, or search by name", safe_line(id, 60)),
                format!("Press {search} to search again"),
            ),
            (ApiError::NotFound { .. }, ProcessQuery::Name(name)) => (
                format!(
                    "No process named \"{}\" — check the spelling, or search by id",
                    safe_line(name, 60)
                ),
                format!("Press {search} to search again"),
            ),
            (e, _) if e.is_retryable() => (safe_line(&e.to_string(), 300), format!("Press {retry} to try again")),
            (e, _) => (
                safe_line(&e.to_string(), 300),
                format!("Press {retry} to try again, or {search} to search"),
            ),
        }
    }

    pub(super) fn first_key(&self, action: Action) -> String {
        self.keymap
            .keys_for(action)
            .into_iter()
            .next()
            .unwrap_or_else(|| action.config_name().to_string())
    }

    /// Shows a process: details, documents, and remembers it as recent.
    pub(super) fn show_process(&mut self, process: Process) -> Vec<Command> {
        self.lookup = Lookup::Idle;
        self.choices.clear();
        self.documents = DocumentsPane::new(&process.documents);
        self.details_scroll.reset();
        let entry = RecentEntry {
            process_id: process.process_id.as_str().to_string(),
            name: process.name.clone(),
            status: process.status.clone(),
        };
        self.current = Some(process);
        self.recent.retain(|r| r.process_id != entry.process_id);
        self.recent.insert(0, entry);
        self.recent.truncate(MAX_RECENT);
        self.recent_cursor.reset();
        vec![Command::SaveRecent(self.recent.clone())]
    }
}
