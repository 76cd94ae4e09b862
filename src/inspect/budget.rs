//! When an inspection stops: a deadline and a flag the caller raises to cancel.

use super::InspectError;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A deadline and a cancel flag, checked between the steps of an inspection.
///
/// The TUI gives each preview a budget whose flag it raises when the
/// selection moves; the work then ends at its next step with
/// [`InspectError::Cancelled`].
#[derive(Debug, Clone, Default)]
pub struct Budget {
    deadline: Option<(Instant, Duration)>,
    cancel: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// A budget that ends `within` from now.
    pub fn within(within: Duration) -> Budget {
        Budget {
            deadline: Instant::now().checked_add(within).map(|at| (at, within)),
            cancel: None,
        }
    }

    /// This budget, also ended as soon as `cancel` is set.
    pub fn with_cancel(mut self, cancel: Arc<AtomicBool>) -> Budget {
        self.cancel = Some(cancel);
        self
    }

    /// The time left before the deadline (zero once it passed); `None` without one.
    pub fn remaining(&self) -> Option<Duration> {
        self.deadline
            .map(|(at, _)| at.saturating_duration_since(Instant::now()))
    }

    /// `Err` once the flag is set or the deadline has passed.
    pub fn check(&self) -> Result<(), InspectError> {
        if self.cancel.as_ref().is_some_and(|flag| flag.load(Ordering::Relaxed)) {
            return Err(InspectError::Cancelled);
        }
        match self.deadline {
            Some((at, within)) if Instant::now() >= at => Err(InspectError::OutOfTime {
                seconds: within.as_secs().max(1),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_raised_flag_cancels_and_a_spent_budget_runs_out() {
        let flag = Arc::new(AtomicBool::new(false));
        let budget = Budget::default().with_cancel(flag.clone());
        assert!(budget.check().is_ok());
        flag.store(true, Ordering::Relaxed);
        assert!(matches!(budget.check(), Err(InspectError::Cancelled)));
        let spent = Budget::within(Duration::ZERO);
        assert!(matches!(spent.check(), Err(InspectError::OutOfTime { seconds: 1 })));
        assert!(Budget::within(Duration::from_secs(3600)).check().is_ok());
        assert_eq!(spent.remaining(), Some(Duration::ZERO));
        assert_eq!(Budget::default().remaining(), None);
    }
}
