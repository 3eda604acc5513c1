//! The app's clock for what waits a while: trying a failed save again, keeping a version of
//! a review every ten minutes. It is the system's monotonic clock, passed to the app as a
//! value so that a test can move it on ([`Clock::advance`]) instead of sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The monotonic clock, plus however far it has been moved on (never, outside tests).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    ahead_ms: Arc<AtomicU64>,
}

impl Clock {
    pub fn now(&self) -> Instant {
        Instant::now() + Duration::from_millis(self.ahead_ms.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every copy of it) on by `by`.
    pub fn advance(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        self.ahead_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_moved_on_is_ahead_and_its_copies_too() {
        let clock = Clock::default();
        let copy = clock.clone();
        let before = Instant::now();
        clock.advance(Duration::from_secs(60));
        assert!(copy.now() >= before + Duration::from_secs(60));
        assert!(Clock::default().now() < before + Duration::from_secs(30));
    }
}
