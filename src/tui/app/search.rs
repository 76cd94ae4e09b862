//! The search box's lookups: asking, cancelling, the answer and its errors.

use super::*;
use crate::tr;
use crate::tui::bindings::Pane;

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
        /// For a name not found: the closest recent processes, best first.
        closest: Vec<RecentEntry>,
        /// What the user can do about it (said with the keys that work where the focus is).
        next: NextStep,
    },
}

/// What can be done after a failed lookup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NextStep {
    /// Search again (the id or name was not found).
    SearchAgain,
    /// Ask again (the server or the network failed).
    Retry,
    /// Log in (the lookup runs again after).
    LogIn,
}

/// What a line above the process details says: an error, a note, or what to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// What went wrong.
    Error,
    /// More about it (the closest names).
    Note,
    /// What to do next.
    Hint,
}

/// Why the search box's text is not a lookup, in `lang`.
fn query_error_in(lang: crate::i18n::Lang, e: &crate::api::model::QueryError) -> String {
    use crate::api::model::QueryError;
    match e {
        QueryError::Empty => tr!(lang, "query-empty"),
        QueryError::EmptyAfterPrefix(prefix) => tr!(lang, "query-empty-after", prefix = *prefix),
        QueryError::TooLong(n) => tr!(
            lang,
            "query-too-long",
            n = n.to_string(),
            max = crate::api::model::MAX_QUERY_CHARS.to_string()
        ),
    }
}

/// "process 12345", "process named "X"" in `lang`.
pub(crate) fn query_in(lang: crate::i18n::Lang, query: &ProcessQuery) -> String {
    match query {
        ProcessQuery::Id(id) => tr!(lang, "query-id", id = id.as_str()),
        ProcessQuery::Name(name) => tr!(lang, "query-name", name = name.as_str()),
    }
}

/// How many of the closest recent names a name not found shows.
const CLOSEST: usize = 3;

impl App {
    pub(super) fn submit_search(&mut self) -> Vec<Command> {
        self.close_matches();
        match ProcessQuery::parse(self.search.value()) {
            Ok(query) => {
                self.search_error = None;
                self.fetch(query)
            }
            Err(e) => {
                self.search_error = Some(query_error_in(self.lang, &e));
                Vec::new()
            }
        }
    }

    pub(super) fn fetch(&mut self, query: ProcessQuery) -> Vec<Command> {
        let mut commands = Vec::new();
        if let Lookup::Loading { req, .. } = self.lookup {
            commands.push(Command::CancelRequest(req));
        }
        if matches!(self.sessions.phase, Phase::SignedOut { .. }) {
            // No session to ask with: the login dialog, and the lookup after it.
            self.lookup = Lookup::Failed {
                query: query.clone(),
                message: tr!(self.lang, "lookup-not-signed-in"),
                closest: Vec::new(),
                next: NextStep::LogIn,
            };
            self.ask_login(Some(&tr!(
                self.lang,
                "login-to-look-up",
                query = safe_line(&query_in(self.lang, &query), 60)
            )));
            self.sessions.phase = Phase::SignedOut { then: Some(query) };
            return commands;
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
                let e = ApiError::NotFound {
                    what: query.to_string(),
                    message: None,
                };
                self.not_found_or_failed(query, &e);
                Vec::new()
            }
            Ok(processes) => {
                self.lookup = Lookup::Idle;
                self.choices = processes;
                self.choice_cursor.reset();
                // The documents below belong to the process chosen, not the one before.
                self.current = None;
                self.documents = DocumentsPane::default();
                self.details.clear();
                if self.focus == from {
                    self.focus = Focus::Process;
                }
                Vec::new()
            }
            Err(e) if e.needs_login() => {
                self.lookup = Lookup::Failed {
                    query: query.clone(),
                    message: tr!(self.lang, "lookup-session-ended"),
                    closest: Vec::new(),
                    next: NextStep::LogIn,
                };
                self.ask_login(Some(&tr!(self.lang, "login-session-ended")));
                self.sessions.phase = Phase::SignedOut { then: Some(query) };
                Vec::new()
            }
            Err(e) => {
                self.not_found_or_failed(query, &e);
                Vec::new()
            }
        }
    }

    /// A lookup that found nothing or failed: what went wrong, and for a name,
    /// the closest recent names (the closest one selected in the recent list).
    fn not_found_or_failed(&mut self, query: ProcessQuery, e: &ApiError) {
        let mut closest = Vec::new();
        let (message, next) = match (e, &query) {
            (ApiError::NotFound { .. }, ProcessQuery::Id(id)) => (
                tr!(self.lang, "lookup-no-id", id = safe_line(id, 60)),
                NextStep::SearchAgain,
            ),
            (ApiError::NotFound { .. }, ProcessQuery::Name(name)) => {
                let ranked = closest_names(name, &self.recent);
                if let Some(best) = ranked.first() {
                    self.recent_cursor.select(*best, self.recent.len());
                }
                closest = ranked.into_iter().map(|i| self.recent[i].clone()).collect();
                (
                    tr!(self.lang, "lookup-no-name", name = safe_line(name, 60)),
                    NextStep::SearchAgain,
                )
            }
            (e, _) => (safe_line(&e.localized(self.lang), 300), NextStep::Retry),
        };
        self.lookup = Lookup::Failed {
            query,
            message,
            closest,
            next,
        };
    }

    /// The lines above the process details: the search box's error, or the
    /// failed lookup's message, the closest names and what to do next from
    /// where the focus is now.
    pub(crate) fn lookup_lines(&self) -> Vec<(LineKind, String)> {
        if let Some(error) = &self.search_error {
            return vec![(LineKind::Error, format!("✗ {}", safe_line(error, 200)))];
        }
        let Lookup::Failed {
            message, closest, next, ..
        } = &self.lookup
        else {
            return Vec::new();
        };
        let mut lines = vec![(LineKind::Error, format!("✗ {message}"))];
        if !closest.is_empty() {
            let names: Vec<String> = closest
                .iter()
                .map(|entry| match &entry.name {
                    Some(name) => format!("{} ({})", safe_line(name, 120), safe_line(&entry.process_id, 20)),
                    None => safe_line(&entry.process_id, 20),
                })
                .collect();
            lines.push((
                LineKind::Note,
                tr!(self.lang, "lookup-closest", names = names.join(" · ")),
            ));
        }
        lines.push((LineKind::Hint, self.next_step_hint(*next, !closest.is_empty())));
        lines
    }

    /// What to do after a failed lookup, in keys that work where the focus is.
    fn next_step_hint(&self, next: NextStep, closest: bool) -> String {
        let key = |action| self.first_key(action);
        let lang = self.lang;
        let pane = self.pane();
        match (next, pane) {
            (NextStep::LogIn, Pane::Login) => tr!(lang, "next-log-in-then"),
            (NextStep::LogIn, Pane::Search) => tr!(lang, "next-log-in-look-up", key = key(Action::Submit)),
            (NextStep::LogIn, _) => tr!(lang, "next-log-in", key = key(Action::Logout)),
            (NextStep::SearchAgain, Pane::Search) if closest => tr!(
                lang,
                "next-open-closest",
                down = key(Action::Down),
                submit = key(Action::Submit)
            ),
            (NextStep::SearchAgain, Pane::Search) => tr!(lang, "next-edit-search", key = key(Action::Submit)),
            (NextStep::SearchAgain, Pane::Recent) if closest => tr!(
                lang,
                "next-open-selected",
                submit = key(Action::Submit),
                search = key(Action::FocusSearch)
            ),
            (NextStep::SearchAgain, _) => tr!(lang, "next-search-again", key = key(Action::FocusSearch)),
            (NextStep::Retry, Pane::Search) => tr!(lang, "next-try-again", key = key(Action::Submit)),
            (NextStep::Retry, Pane::Process | Pane::Choices) => tr!(
                lang,
                "next-retry-or-search",
                retry = key(Action::Retry),
                search = key(Action::FocusSearch)
            ),
            (NextStep::Retry, _) => tr!(
                lang,
                "next-search-or-retry",
                search = key(Action::FocusSearch),
                retry = key(Action::Retry)
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
        let before = self.shown_selection();
        self.lookup = Lookup::Idle;
        self.choices.clear();
        self.documents = DocumentsPane::new(&process.documents);
        self.details_scroll.reset();
        self.details = crate::tui::details::rows(&process.extra);
        let entry = RecentEntry {
            process_id: process.process_id.as_str().to_string(),
            name: process.name.clone(),
            status: process.status.clone(),
        };
        self.saw_watched(&process);
        self.current = Some(process);
        self.process_shown(before);
        self.recent.retain(|r| r.process_id != entry.process_id);
        self.recent.insert(0, entry);
        self.recent.truncate(MAX_RECENT);
        self.recent_cursor.reset();
        vec![Command::SaveRecent(self.recent.clone())]
    }
}

/// The recent processes whose names are closest to `name`, best first, as
/// indices into `recent`: the same name in other capitals, then names that
/// hold it (or it them), then names a few edits away.
pub(crate) fn closest_names(name: &str, recent: &[RecentEntry]) -> Vec<usize> {
    let wanted: Vec<char> = name.to_lowercase().chars().take(200).collect();
    let mut ranked: Vec<(usize, usize, usize)> = recent
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| {
            let candidate: Vec<char> = entry.name.as_deref()?.to_lowercase().chars().take(200).collect();
            let distance = edit_distance(&wanted, &candidate);
            let holds = |a: &[char], b: &[char]| b.is_empty() || a.windows(b.len()).any(|w| w == b);
            let class = if distance == 0 {
                0
            } else if holds(&candidate, &wanted) || holds(&wanted, &candidate) {
                1
            } else if distance <= (wanted.len() / 3).max(2) {
                2
            } else {
                return None;
            };
            Some((class, distance, i))
        })
        .collect();
    ranked.sort_unstable();
    ranked.into_iter().take(CLOSEST).map(|(_, _, i)| i).collect()
}

/// The Levenshtein distance between two texts.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1).min(row[j] + 1).min(diagonal + usize::from(ca != cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
