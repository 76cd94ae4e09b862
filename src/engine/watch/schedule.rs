//! When each watched process is checked: pure arithmetic over instants, so
//! it is tested without waiting.
//!
//! Process `i` of `n` watched from the start has its slots at
//! `start + (i + 1) / n × interval`, then every `interval` after that: the
//! checks of a round are spread evenly over the interval instead of all
//! going out at once, and round `k` ends `k - 1` intervals after the start.
//! A process watched later has its slots one interval after it was added,
//! and so on. Each check is moved earlier by a random jitter of at most one
//! `n`-th of the interval (and at most a twentieth), so the order of checks
//! changes from round to round while the rate stays even. The next slot is
//! always after the one just used, so a check that went out early and came
//! back before its slot's time is not sent again for the same slot.

use std::time::Duration;
use tokio::time::Instant;

/// The shortest interval the scheduler accepts; a shorter one is taken as this.
pub(crate) const MIN_INTERVAL: Duration = Duration::from_millis(10);

/// The longest interval the scheduler accepts (a year); a longer one is taken as this.
pub(crate) const MAX_INTERVAL: Duration = Duration::from_secs(366 * 24 * 3600);

/// The first slot of process `index` of the `count` watched from `start`.
pub(crate) fn first_slot(start: Instant, index: usize, count: usize, interval: Duration) -> Instant {
    let count = count.max(1) as f64;
    let share = ((index as f64 + 1.0) / count).min(1.0);
    start + interval.mul_f64(share)
}

/// The widest jitter for `count` watched processes: one slot's width, at most a twentieth of the interval.
pub(crate) fn jitter_width(interval: Duration, count: usize) -> Duration {
    interval / u32::try_from(count.max(20)).unwrap_or(u32::MAX)
}

/// The first slot after `after` of a process whose slots start at `first`
/// and repeat every `interval`. Slots that went by while a check ran are
/// skipped, never made up in a burst.
pub(crate) fn next_slot(first: Instant, interval: Duration, after: Instant) -> Instant {
    if after < first {
        return first;
    }
    let interval = interval.max(MIN_INTERVAL);
    let behind = after.duration_since(first).as_nanos();
    let steps = u32::try_from(behind / interval.as_nanos() + 1).unwrap_or(u32::MAX);
    first + interval.saturating_mul(steps)
}

/// When the check of `slot` goes out: `jitter` (0.0 to 1.0) of `width` earlier.
pub(crate) fn jittered(slot: Instant, width: Duration, jitter: f64) -> Instant {
    let early = width.mul_f64(jitter.clamp(0.0, 1.0));
    slot.checked_sub(early).unwrap_or(slot)
}

/// The wait before probing the server again after `failures` failed probes
/// in a row: `min` doubled each time, at most `max`, and never shorter than
/// what the server asked for (`Retry-After`, up to an hour).
pub(crate) fn pause(failures: u32, min: Duration, max: Duration, retry_after: Option<Duration>) -> Duration {
    let doubled = min.saturating_mul(2u32.saturating_pow(failures.min(30)));
    let backoff = doubled.min(max.max(min));
    let asked = retry_after.unwrap_or_default().min(Duration::from_secs(3600));
    backoff.max(asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINUTE: Duration = Duration::from_secs(60);

    #[test]
    fn a_thousand_processes_are_spread_evenly_over_the_interval() {
        let start = Instant::now();
        let slots: Vec<Instant> = (0..1000).map(|i| first_slot(start, i, 1000, MINUTE)).collect();
        let mut per_second = [0usize; 60];
        for slot in &slots {
            let second = slot.duration_since(start).as_secs_f64().ceil() as usize - 1;
            per_second[second.min(59)] += 1;
        }
        assert!(per_second.iter().all(|n| (16..=17).contains(n)), "{per_second:?}");
        assert_eq!(slots[999], start + MINUTE, "round 2 ends one interval after the start");
    }

    #[test]
    fn one_process_is_checked_again_one_interval_later() {
        let start = Instant::now();
        let first = first_slot(start, 0, 1, MINUTE);
        assert_eq!(first, start + MINUTE);
        assert_eq!(next_slot(first, MINUTE, start + Duration::from_millis(5)), first);
        let width = jitter_width(MINUTE, 1);
        assert_eq!(width, Duration::from_secs(3));
        assert_eq!(jittered(first, width, 0.5), first - Duration::from_millis(1500));
    }

    #[test]
    fn slots_missed_while_a_check_ran_are_skipped() {
        let first = Instant::now() + MINUTE;
        let after_a_slow_check = first + MINUTE * 2 + Duration::from_secs(10);
        assert_eq!(next_slot(first, MINUTE, after_a_slow_check), first + MINUTE * 3);
        assert_eq!(
            next_slot(first, MINUTE, first),
            first + MINUTE,
            "the slot just used is never used again, even when its check came early and was quick"
        );
    }

    #[test]
    fn jitter_stays_within_one_slot_and_never_moves_a_check_later() {
        let slot = Instant::now() + MINUTE;
        let width = jitter_width(MINUTE, 1000);
        assert_eq!(width, Duration::from_millis(60));
        for jitter in [0.0, 0.3, 1.0, 7.0, -1.0] {
            let at = jittered(slot, width, jitter);
            assert!(at <= slot && at >= slot - width, "{jitter}");
        }
    }

    #[test]
    fn the_pause_doubles_up_to_its_cap_and_honours_retry_after() {
        let (min, max) = (Duration::from_secs(1), Duration::from_secs(60));
        let waits: Vec<u64> = (0..8).map(|n| pause(n, min, max, None).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(
            pause(0, min, max, Some(Duration::from_secs(30))),
            Duration::from_secs(30)
        );
        assert_eq!(pause(u32::MAX, min, max, None), max);
        assert_eq!(
            pause(0, min, max, Some(Duration::from_secs(86_400))),
            Duration::from_secs(3600)
        );
    }
}
