//! Waits before a request is tried again (a 429, a 502–504): how long, which attempt comes
//! next, and who is told. All waits of one request share one budget, so `Retry-After: 20` three
//! times does not hold the user a minute.

use std::sync::Arc;
use std::time::Duration;

/// The longest a request waits in all before its retries, however the server asks: past it, the
/// request fails at once, saying how long the server asked to wait.
pub const RETRY_BUDGET: Duration = Duration::from_secs(30);

/// A wait before the next attempt, as the user is told of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryWait {
    /// The status that is retried: 429, 502, 503, 504.
    pub status: u16,
    pub wait: Duration,
    /// The attempt that follows the wait, of `attempts` at most.
    pub next_attempt: u32,
    pub attempts: u32,
}

impl RetryWait {
    /// `rate limited, retrying in 18 s (attempt 2 of 4)`, with `left` of the wait to go.
    #[must_use]
    pub fn text(&self, left: Duration) -> String {
        let why = if self.status == 429 { "rate limited".to_owned() } else { format!("server busy ({})", self.status) };
        // Whole seconds, rounded up: `in 0 s` would read as a hang.
        let secs = left.as_millis().div_ceil(1000);
        let when = if secs == 0 { "retrying now".to_owned() } else { format!("retrying in {secs} s") };
        format!("{why}, {when} (attempt {} of {})", self.next_attempt, self.attempts)
    }
}

/// Told of each wait as it starts, from the task that waits.
pub type RetryHook = Arc<dyn Fn(RetryWait) + Send + Sync>;

/// What the next wait is, given what the server asked (`Retry-After`) or the backoff, and what
/// has been waited already: `None` when it would pass [`RETRY_BUDGET`].
#[must_use]
pub fn next_wait(asked: Duration, waited: Duration) -> Option<Duration> {
    (waited.saturating_add(asked) <= RETRY_BUDGET).then_some(asked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wait_reads_as_a_countdown() {
        let wait = RetryWait { status: 429, wait: Duration::from_secs(20), next_attempt: 2, attempts: 4 };
        assert_eq!(wait.text(Duration::from_millis(17_200)), "rate limited, retrying in 18 s (attempt 2 of 4)");
        assert_eq!(wait.text(Duration::ZERO), "rate limited, retrying now (attempt 2 of 4)");
        let busy = RetryWait { status: 503, ..wait };
        assert_eq!(busy.text(Duration::from_secs(1)), "server busy (503), retrying in 1 s (attempt 2 of 4)");
    }

    #[test]
    fn waits_stop_at_the_budget() {
        let twenty = Duration::from_secs(20);
        assert_eq!(next_wait(twenty, Duration::ZERO), Some(twenty));
        assert_eq!(next_wait(twenty, twenty), None, "a second 20 s wait would pass 30 s");
        assert_eq!(next_wait(Duration::from_secs(10), twenty), Some(Duration::from_secs(10)));
        assert_eq!(next_wait(Duration::from_secs(31), Duration::ZERO), None);
    }
}
