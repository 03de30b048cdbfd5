//! What the footer's status line says for a while: a toast, or a wait before the fetch tries again.

use std::time::{Duration, Instant};

use crate::api::RetryWait;

/// A one-line message in the footer: a toast, gone after [`StatusLine::lifetime`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub ok: bool,
}

impl StatusLine {
    /// How long the toast stays: a warning longer than a confirmation, as it takes longer to read
    /// and act on. What must stay is said elsewhere (the header, the info tab).
    #[must_use]
    pub fn lifetime(&self) -> Duration {
        if self.ok { Duration::from_secs(4) } else { Duration::from_secs(8) }
    }
}

/// A wait before the fetch tries again, and when it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retrying {
    pub wait: RetryWait,
    pub until: Instant,
}

impl Retrying {
    /// `rate limited, retrying in 18 s (attempt 2 of 4)`, counting down.
    #[must_use]
    pub fn text(&self, now: Instant) -> String {
        self.wait.text(self.until.saturating_duration_since(now))
    }
}
