//! Statuses that move, so that `trackline watch` has something to see: a
//! process can be advanced one step through [`LIFECYCLE`] (by a test, at once,
//! or by the sandbox on a timer), and extra small processes can be generated
//! for load tests. The sample data itself never changes: an advanced status
//! is kept beside it and laid over the process when it is served.

use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

/// The states an advanced process moves through, in order; it stays in the last.
pub const LIFECYCLE: [&str; 3] = ["Pending", "In Progress", "Completed"];

/// The id of the first extra process (see [`super::SandboxOptions::extra_processes`]).
pub const FIRST_EXTRA_PROCESS_ID: u32 = 900_000;

/// The status after `current`: the next one of [`LIFECYCLE`] (case does not
/// matter), `Pending` for a status outside it (or none), and the last one
/// once there.
pub fn next_status(current: Option<&str>) -> &'static str {
    let position = current.and_then(|status| {
        LIFECYCLE
            .iter()
            .position(|step| step.eq_ignore_ascii_case(status.trim()))
    });
    match position {
        Some(i) => LIFECYCLE.get(i + 1).copied().unwrap_or(LIFECYCLE[LIFECYCLE.len() - 1]),
        None => LIFECYCLE[0],
    }
}

/// The statuses advanced so far and the extra processes, shared by the handlers.
#[derive(Debug, Default)]
pub(crate) struct Statuses {
    advanced: Mutex<HashMap<String, &'static str>>,
    extra: u32,
}

impl Statuses {
    /// No status advanced yet; `extra` generated processes served beside the sample data.
    pub(crate) fn new(extra: u32) -> Statuses {
        Statuses {
            advanced: Mutex::new(HashMap::new()),
            extra,
        }
    }

    /// One of the extra processes, made from its id: a name, `In Progress`, no documents.
    pub(crate) fn extra_process(&self, process_id: &str) -> Option<Value> {
        let n: u32 = process_id.parse().ok()?;
        let index = n.checked_sub(FIRST_EXTRA_PROCESS_ID)?;
        (index < self.extra && process_id == n.to_string()).then(|| {
            json!({
                "process_id": process_id,
                "name": format!("Load Test Process {}", index + 1),
                "status": "In Progress",
                "created_at": "2024-04-01T08:00:00Z",
                "documents": [],
            })
        })
    }

    /// `process` as served now: with its advanced status, if it has one.
    pub(crate) fn apply<'a>(&self, process: Cow<'a, Value>) -> Cow<'a, Value> {
        let Some(id) = process_id(&process) else {
            return process;
        };
        let advanced = self.lock().get(&id).copied();
        match advanced {
            Some(status) => {
                let mut process = process;
                if let Value::Object(map) = process.to_mut() {
                    map.insert("status".to_owned(), Value::from(status));
                }
                process
            }
            None => process,
        }
    }

    /// Moves `process` (as served now) one step on; returns its new status.
    pub(crate) fn advance(&self, process: &Value) -> Option<&'static str> {
        let id = process_id(process)?;
        let mut advanced = self.lock();
        let current = advanced
            .get(&id)
            .copied()
            .or_else(|| process.get("status").and_then(Value::as_str));
        let next = next_status(current);
        advanced.insert(id, next);
        Some(next)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, &'static str>> {
        self.advanced.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn process_id(process: &Value) -> Option<String> {
    match process.get("process_id")? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_move_pending_in_progress_completed_and_stay() {
        assert_eq!(next_status(Some("Pending")), "In Progress");
        assert_eq!(next_status(Some("in progress")), "Completed");
        assert_eq!(next_status(Some("Completed")), "Completed");
        assert_eq!(next_status(Some("On Hold")), "Pending");
        assert_eq!(next_status(None), "Pending");
    }

    #[test]
    fn an_advanced_status_is_laid_over_the_process_and_the_rest_kept() {
        let statuses = Statuses::new(0);
        let process = json!({"process_id": 31337, "status": "Pending", "documents": [{"doc_id": 1}]});
        assert_eq!(statuses.apply(Cow::Borrowed(&process)).as_ref(), &process);
        assert_eq!(statuses.advance(&process), Some("In Progress"));
        assert_eq!(statuses.advance(&process), Some("Completed"));
        let served = statuses.apply(Cow::Borrowed(&process));
        assert_eq!(served["status"], "Completed");
        assert_eq!(served["documents"], process["documents"]);
        assert_eq!(process["status"], "Pending", "the sample data is untouched");
    }

    #[test]
    fn extra_processes_exist_only_in_their_range() {
        let statuses = Statuses::new(2);
        assert!(statuses.extra_process("900000").is_some());
        assert!(statuses.extra_process("900001").is_some());
        assert!(statuses.extra_process("900002").is_none());
        assert!(statuses.extra_process("0900000").is_none());
        assert!(statuses.extra_process("12345").is_none());
        assert!(Statuses::new(0).extra_process("900000").is_none());
    }
}
