//! `watch`: each process's status at the start, then a line whenever one
//! changes, until `--until` or `--count` is met or a signal comes. Stdout
//! carries only those lines (the first ones in the order the ids were given);
//! errors, pauses and resumptions go to stderr, each said once.

use super::CliError;
use super::args::WatchArgs;
use super::context::Context;
use super::ids::read_ids_file;
use super::stdout::outln;
use crate::engine::signals::Signals;
use crate::engine::watch::{Change, Check, Failure, Scope, WatchEvent, WatchOptions, Watcher};
use crate::i18n::Lang;
use crate::text::safe_line;
use crate::tr;
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;
use time::UtcOffset;

/// `trackline watch PROCESS_ID... [--ids-from FILE] [--interval SECS] [--json] [--until STATUS] [--count N]`
/// (no ids: the profile's watched set);
/// human lines show times at `offset` (read before the runtime started).
pub(crate) async fn watch(context: &Context, args: &WatchArgs, offset: UtcOffset) -> Result<u8, CliError> {
    let lang = context.settings.lang;
    let ids = if args.process_ids.is_empty() && args.ids_from.is_none() {
        watched_set(context).await?
    } else {
        watched_ids(lang, args)?
    };
    let mut signals = Signals::new(true);
    let session = Arc::new(context.signed_in().await?);
    let options = WatchOptions {
        interval: Duration::from_secs(args.interval),
        ..WatchOptions::default()
    };
    let (watcher, control) = Watcher::new(session, ids.clone(), options);
    drop(control);
    let mut printer = Printer::new(&ids, args, offset, lang);
    let stopped = tokio::select! {
        code = signals.recv() => Some(Ok(code)),
        () = super::stdout::closed() => Some(Err(CliError::StdoutClosed)),
        () = watcher.run(|event| printer.on(event)) => None,
    };
    match stopped {
        Some(result) => result,
        None => printer.result.unwrap_or(Ok(crate::exit::OK)),
    }
}

/// The ids of the command line, then those of `--ids-from`, each once.
fn watched_ids(lang: Lang, args: &WatchArgs) -> Result<Vec<String>, CliError> {
    let mut ids: Vec<String> = Vec::new();
    let from_file = match &args.ids_from {
        Some(path) => read_ids_file(lang, path)?,
        None => Vec::new(),
    };
    for id in args.process_ids.iter().chain(&from_file) {
        let id = id.trim();
        if !id.is_empty() && !ids.iter().any(|known| known == id) {
            ids.push(id.to_string());
        }
    }
    if ids.is_empty() {
        return Err(CliError::Usage(tr!(lang, "watch-no-ids")));
    }
    Ok(ids)
}

/// The ids of the profile's watched set (what the TUI's `w` watches), in its order.
async fn watched_set(context: &Context) -> Result<Vec<String>, CliError> {
    let (lang, profile) = (context.settings.lang, &context.settings.profile);
    let set = context
        .index_book()
        .watched(profile)
        .await
        .map_err(|e| CliError::Other(e.localized(lang)))?;
    if set.is_empty() {
        return Err(CliError::Usage(tr!(
            lang,
            "watch-nothing-watched",
            profile = safe_line(profile, 100)
        )));
    }
    Ok(set.into_iter().map(|entry| entry.process_id).collect())
}

/// Turns watch events into lines, and decides when the command is done.
struct Printer {
    json: bool,
    until: Option<String>,
    count: Option<u64>,
    offset: UtcOffset,
    lang: Lang,
    /// Each id's place on the command line.
    order: HashMap<String, usize>,
    /// Lines of processes whose first check came before an earlier process's.
    held: Vec<Vec<String>>,
    /// Whether each process has had its first check (answered or failed).
    reported: Vec<bool>,
    /// The first process whose lines are still held.
    next: usize,
    /// The status each process has now (those seen).
    latest: HashMap<String, Option<String>>,
    /// The exit code of the last failure of a process's own.
    last_failure: Option<u8>,
    /// How the command ends, once it does.
    result: Option<Result<u8, CliError>>,
}

impl Printer {
    fn new(ids: &[String], args: &WatchArgs, offset: UtcOffset, lang: Lang) -> Printer {
        Printer {
            json: args.json,
            until: args.until.as_deref().map(|s| s.trim().to_lowercase()),
            count: args.count,
            offset,
            lang,
            order: ids.iter().enumerate().map(|(i, id)| (id.clone(), i)).collect(),
            held: vec![Vec::new(); ids.len()],
            reported: vec![false; ids.len()],
            next: 0,
            latest: HashMap::new(),
            last_failure: None,
            result: None,
        }
    }

    fn on(&mut self, event: WatchEvent) -> ControlFlow<()> {
        let outcome = match event {
            WatchEvent::Checked(check) => self.checked(&check),
            WatchEvent::Failed(failure) => self.failed(failure),
            WatchEvent::Paused { error, retry_in } => {
                eprintln!(
                    "{}",
                    tr!(
                        self.lang,
                        "watch-paused",
                        message = safe_line(&error.localized(self.lang), 500),
                        secs = retry_in.as_secs_f64().ceil().to_string()
                    )
                );
                Ok(None)
            }
            WatchEvent::Resumed => {
                eprintln!("{}", tr!(self.lang, "watch-resumed"));
                Ok(None)
            }
            WatchEvent::Round(round) if self.count.is_some_and(|count| round >= count) => Ok(Some(self.done())),
            WatchEvent::Round(_) => Ok(None),
        };
        match outcome {
            Ok(None) => ControlFlow::Continue(()),
            Ok(Some(code)) => self.end(Ok(code)),
            Err(error) => self.end(Err(error)),
        }
    }

    fn end(&mut self, result: Result<u8, CliError>) -> ControlFlow<()> {
        self.result = Some(result);
        ControlFlow::Break(())
    }

    /// How `--count` ends: 0, unless no process was ever seen and each failed on its own.
    fn done(&self) -> u8 {
        match self.last_failure {
            Some(code) if self.latest.is_empty() => code,
            _ => crate::exit::OK,
        }
    }

    fn checked(&mut self, check: &Check) -> Result<Option<u8>, CliError> {
        self.latest.insert(check.process_id.clone(), check.status.clone());
        if check.is_news() {
            let line = self.line(check);
            self.emit(&check.process_id, line)?;
        }
        self.reported(&check.process_id)?;
        let all_there = |until: &String| {
            self.latest.len() == self.order.len()
                && self
                    .latest
                    .values()
                    .all(|status| status.as_deref().is_some_and(|s| s.trim().to_lowercase() == *until))
        };
        Ok(self.until.as_ref().is_some_and(all_there).then_some(crate::exit::OK))
    }

    fn failed(&mut self, failure: Failure) -> Result<Option<u8>, CliError> {
        match failure.scope {
            Scope::Session => return Err(failure.error.into()),
            Scope::Process => {
                self.last_failure = Some(failure.error.exit_code());
                if !failure.repeated {
                    let lang = self.lang;
                    let error = safe_line(&failure.error.localized(lang), 500);
                    if error.contains(&tr!(lang, "what-process", id = failure.process_id.as_str())) {
                        eprintln!("{}", tr!(lang, "watch-still", message = error));
                    } else {
                        let id = safe_line(&failure.process_id, 100);
                        eprintln!("{}", tr!(lang, "watch-process-still", id = id, message = error));
                    }
                }
            }
            Scope::Server => {}
        }
        self.reported(&failure.process_id)?;
        Ok(None)
    }

    /// Prints `line` for `id` now, or holds it while an earlier process's first check is out.
    fn emit(&mut self, id: &str, line: String) -> Result<(), CliError> {
        match self.order.get(id).copied() {
            Some(place) if place >= self.next => {
                if let Some(held) = self.held.get_mut(place) {
                    held.push(line);
                }
                Ok(())
            }
            _ => outln!("{line}"),
        }
    }

    /// `id` has had its first check: print the lines no earlier process holds back.
    fn reported(&mut self, id: &str) -> Result<(), CliError> {
        if let Some(flag) = self.order.get(id).and_then(|&place| self.reported.get_mut(place)) {
            *flag = true;
        }
        while self.reported.get(self.next).copied().unwrap_or(false) {
            let lines = self.held.get_mut(self.next).map(std::mem::take).unwrap_or_default();
            self.next += 1;
            for line in lines {
                outln!("{line}")?;
            }
        }
        Ok(())
    }

    fn line(&self, check: &Check) -> String {
        if self.json {
            json_line(check)
        } else {
            human_line(self.lang, check, self.offset)
        }
    }
}

/// `{"process_id":…,"process_name":…,"status":…,"previous":…,"at":…}`: the
/// server's strings as sent (JSON escapes them), `at` in RFC 3339.
fn json_line(check: &Check) -> String {
    let at = check
        .at
        .replace_nanosecond(0)
        .unwrap_or(check.at)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    #[derive(serde::Serialize)]
    struct Line<'a> {
        process_id: &'a str,
        process_name: Option<&'a str>,
        status: Option<&'a str>,
        previous: Option<&'a str>,
        at: String,
    }
    let line = Line {
        process_id: &check.process_id,
        process_name: check.process_name.as_deref(),
        status: check.status.as_deref(),
        previous: check.previous(),
        at,
    };
    serde_json::to_string(&line).unwrap_or_default()
}

/// `2024-05-01 10:42:07 12347 Supplier Onboarding Nordlicht: Pending → In Progress`,
/// in local time, every server string made safe.
/// In Spanish the time reads `1 may 2024, 10:42:07`.
fn human_line(lang: Lang, check: &Check, offset: UtcOffset) -> String {
    let at = check.at.to_offset(offset);
    let when = match lang {
        Lang::En => at
            .format(time::macros::format_description!(
                "[year]-[month]-[day] [hour]:[minute]:[second]"
            ))
            .unwrap_or_default(),
        Lang::Es => format!("{}:{:02}", crate::text::date_time(lang, at), at.second()),
    };
    let name = match check.process_name.as_deref().map(str::trim) {
        Some(name) if !name.is_empty() => format!(" {}", safe_line(name, 200)),
        _ => String::new(),
    };
    let status = shown(check.status.as_deref());
    let id = safe_line(&check.process_id, 100);
    match &check.change {
        Change::Changed { previous } => format!("{when} {id}{name}: {} → {status}", shown(previous.as_deref())),
        Change::First | Change::Same => format!("{when} {id}{name}: {status}"),
    }
}

fn shown(status: Option<&str>) -> String {
    match status.map(str::trim) {
        Some(status) if !status.is_empty() => safe_line(status, 100),
        _ => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn check(status: Option<&str>, change: Change) -> Check {
        Check {
            process_id: "12347".into(),
            process_name: Some("Supplier\x1b[31m Onboarding".into()),
            status: status.map(String::from),
            change,
            at: datetime!(2024-05-01 10:42:07.5 UTC),
        }
    }

    #[test]
    fn human_lines_show_the_change_in_local_time_with_safe_names() {
        let first = check(Some("Pending"), Change::First);
        assert_eq!(
            human_line(Lang::En, &first, UtcOffset::UTC),
            "2024-05-01 10:42:07 12347 Supplier\\x1b[31m Onboarding: Pending"
        );
        let changed = check(
            Some("In Progress"),
            Change::Changed {
                previous: Some("Pending".into()),
            },
        );
        let offset = UtcOffset::from_hms(2, 0, 0).unwrap();
        assert!(human_line(Lang::En, &changed, offset).starts_with("2024-05-01 12:42:07 "));
        assert!(human_line(Lang::En, &changed, offset).ends_with(": Pending → In Progress"));
        let none = Check {
            process_name: None,
            ..check(None, Change::Changed { previous: None })
        };
        assert_eq!(
            human_line(Lang::En, &none, UtcOffset::UTC),
            "2024-05-01 10:42:07 12347: — → —"
        );
        assert_eq!(
            human_line(Lang::Es, &none, UtcOffset::UTC),
            "1 may 2024, 10:42:07 12347: — → —"
        );
    }

    #[test]
    fn json_lines_carry_the_previous_status_and_the_time() {
        let first: serde_json::Value =
            serde_json::from_str(&json_line(&check(Some("Pending"), Change::First))).unwrap();
        assert_eq!(first["previous"], serde_json::Value::Null);
        assert_eq!(first["at"], "2024-05-01T10:42:07Z");
        assert_eq!(first["process_name"], "Supplier\x1b[31m Onboarding");
        let changed = check(
            Some("Completed"),
            Change::Changed {
                previous: Some("In Progress".into()),
            },
        );
        let changed: serde_json::Value = serde_json::from_str(&json_line(&changed)).unwrap();
        assert_eq!(changed["previous"], "In Progress");
        assert_eq!(changed["status"], "Completed");
        assert_eq!(changed["process_id"], "12347");
    }
}
