//! Faults the sandbox can inject, each deterministic enough for tests: a fixed
//! delay, seeded random failures, a per-second rate limit, one cut download, one
//! stalled download, slow (trickled) downloads, redirects elsewhere and ignored
//! Range headers.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Which faults the sandbox injects. The default injects none.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Faults {
    /// Delay before answering each request, in milliseconds.
    pub latency_ms: u64,
    /// Share of requests (0.0..=1.0) answered with 503, drawn from a generator seeded with `seed`.
    pub fail_rate: f64,
    /// Requests per second allowed (a token bucket of that size); the rest get 429 with `Retry-After: 1`.
    pub rate_limit: Option<u32>,
    /// Cut the first download whose body is longer than this many bytes: the
    /// connection closes after them although Content-Length announced the whole body.
    /// Only once per server start; later downloads complete.
    pub drop_after_bytes: Option<u64>,
    /// Ignore Range and If-Range: every download is a 200 with the whole file.
    pub no_range: bool,
    /// Seed of the generator behind `fail_rate`.
    pub seed: u64,
    /// Stall the first download whose body is longer than this many bytes:
    /// send the headers and that many bytes, then nothing, with the connection
    /// left open (`Some(0)`: headers, then nothing). Only once per server start.
    pub stall_after_bytes: Option<u64>,
    /// Send every download slowly: 1 KiB, then a pause of this many milliseconds, and so on.
    pub trickle_ms: Option<u64>,
    /// Answer metadata and attachment requests with `302 Found` to this origin
    /// (e.g. `http://127.0.0.1:9999`), the path and query kept.
    pub redirect_to: Option<String>,
}

/// The running state of the faults of one server.
#[derive(Debug)]
pub(crate) struct FaultState {
    faults: Faults,
    rng: Mutex<u64>,
    bucket: Mutex<Bucket>,
    drop_armed: AtomicBool,
    stall_armed: AtomicBool,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    refilled: Instant,
}

impl FaultState {
    pub(crate) fn new(faults: Faults) -> FaultState {
        let capacity = faults.rate_limit.map_or(0.0, f64::from);
        FaultState {
            rng: Mutex::new(seed_state(faults.seed)),
            bucket: Mutex::new(Bucket {
                tokens: capacity,
                refilled: Instant::now(),
            }),
            drop_armed: AtomicBool::new(faults.drop_after_bytes.is_some()),
            stall_armed: AtomicBool::new(faults.stall_after_bytes.is_some()),
            faults,
        }
    }

    pub(crate) fn no_range(&self) -> bool {
        self.faults.no_range
    }

    pub(crate) fn redirect_to(&self) -> Option<&str> {
        self.faults.redirect_to.as_deref()
    }

    /// The pause between two 1 KiB pieces of a download, when trickling.
    pub(crate) fn trickle(&self) -> Option<Duration> {
        self.faults.trickle_ms.map(Duration::from_millis)
    }

    /// Where to stall a body of `len` bytes, if this is the one download to stall.
    pub(crate) fn stall_at(&self, len: u64) -> Option<u64> {
        fire_once(self.faults.stall_after_bytes, &self.stall_armed, len)
    }

    pub(crate) async fn delay(&self) {
        if self.faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(self.faults.latency_ms)).await;
        }
    }

    /// Takes a token from the bucket; `false` when there is none left this second.
    pub(crate) fn admit(&self) -> bool {
        let Some(rate) = self.faults.rate_limit else {
            return true;
        };
        let rate = f64::from(rate);
        let mut bucket = match self.bucket.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = Instant::now();
        let elapsed = now.duration_since(bucket.refilled).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(rate);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Draws whether this request fails.
    pub(crate) fn should_fail(&self) -> bool {
        if self.faults.fail_rate <= 0.0 {
            return false;
        }
        let mut state = match self.rng.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let draw = xorshift64(&mut state);
        ((draw >> 11) as f64 / (1u64 << 53) as f64) < self.faults.fail_rate
    }

    /// Where to cut a body of `len` bytes, if this is the one download to cut.
    pub(crate) fn cut_at(&self, len: u64) -> Option<u64> {
        fire_once(self.faults.drop_after_bytes, &self.drop_armed, len)
    }
}

/// `after`, the first time a body of `len` bytes is longer than it (disarming
/// `armed`); `None` for shorter bodies and every time after.
fn fire_once(after: Option<u64>, armed: &AtomicBool, len: u64) -> Option<u64> {
    let after = after.filter(|after| len > *after)?;
    armed
        .compare_exchange(true, false, Ordering::SeqCst, Ordering::SeqCst)
        .ok()
        .map(|_| after)
}

fn seed_state(seed: u64) -> u64 {
    // xorshift has a fixed point at 0; mix the seed so every seed gives a live state.
    let mixed = seed ^ 0x9e37_79b9_7f4a_7c15;
    if mixed == 0 { 1 } else { mixed }
}

fn xorshift64(state: &mut u64) -> u64 {
    let mut x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *state = x;
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draws(seed: u64) -> Vec<bool> {
        let state = FaultState::new(Faults {
            fail_rate: 0.5,
            seed,
            ..Faults::default()
        });
        (0..64).map(|_| state.should_fail()).collect()
    }

    #[test]
    fn failures_repeat_for_the_same_seed_and_differ_for_another() {
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let failed = draws(7).iter().filter(|f| **f).count();
        assert!((10..=54).contains(&failed), "{failed} of 64 failed");
    }

    #[test]
    fn full_and_zero_fail_rates_are_absolute() {
        let always = FaultState::new(Faults {
            fail_rate: 1.0,
            ..Faults::default()
        });
        let never = FaultState::new(Faults::default());
        for _ in 0..100 {
            assert!(always.should_fail());
            assert!(!never.should_fail());
        }
    }

    #[test]
    fn only_the_first_long_enough_body_is_cut() {
        let state = FaultState::new(Faults {
            drop_after_bytes: Some(100),
            ..Faults::default()
        });
        assert_eq!(state.cut_at(50), None);
        assert_eq!(state.cut_at(500), Some(100));
        assert_eq!(state.cut_at(500), None);
    }

    #[test]
    fn only_the_first_long_enough_body_stalls() {
        let state = FaultState::new(Faults {
            stall_after_bytes: Some(0),
            ..Faults::default()
        });
        assert_eq!(state.stall_at(0), None);
        assert_eq!(state.stall_at(10), Some(0));
        assert_eq!(state.stall_at(10), None);
    }

    #[test]
    fn the_bucket_holds_one_second_of_requests() {
        let state = FaultState::new(Faults {
            rate_limit: Some(3),
            ..Faults::default()
        });
        let admitted = (0..10).filter(|_| state.admit()).count();
        assert!((3..=4).contains(&admitted), "{admitted} admitted");
    }
}
