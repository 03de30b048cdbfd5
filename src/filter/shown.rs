//! The words the list and the detail show for a log beyond its fields as sent: how it ended
//! (`no response (timeout?)`, `500 Internal Server Error`), the attempt time
//! (`2025-08-24 19:22:04.123`, whose end is the list's clock), how long it took (`87 ms`,
//! `3.0 s`), the retries (`retries 2`) and the type as drawn (control characters as pictures).
//! The text search looks in these, so what is on screen can be found.
//!
//! Left out: the verdict (`delivered`, `FAILED`: `f` filters by it, and as text it would match
//! every log while `re` or `fail` is typed), the call and assistant ids (the same for every log
//! of a call) and the offset from the first attempt (`T+1.250s`), which depends on the whole
//! call.

use std::borrow::Cow;
use std::fmt::Write as _;

use jiff::tz::TimeZone;

use super::contains_lowered;
use crate::model::WebhookLog;
use crate::model::time::write_date_time;
use crate::outcome::Ending;
use crate::sanitize;
use crate::units::write_millis;

/// Which of the shown words a query could be in, decided once a query, since each costs a
/// formatting for every log: a time holds only digits and `-: .`, a duration digits and `. ms`,
/// the retries digits and `retis `, a status label (`500 Internal Server Error`, whose digits
/// alone are the status word) a digit and a letter or a space. A query like `refund` formats
/// nothing.
#[derive(Debug, Clone)]
#[expect(clippy::struct_excessive_bools, reason = "one independent gate a kind of word, not a state machine")]
pub struct ShownWords {
    lowered: String,
    zone: TimeZone,
    times: bool,
    durations: bool,
    retries: bool,
    labels: bool,
}

impl ShownWords {
    /// For `lowered` (a query lower-cased), with times read in UTC.
    #[must_use]
    pub fn new(lowered: &str) -> Self {
        let numbered = lowered.bytes().any(|b| b.is_ascii_digit());
        let only = |allowed: &str| numbered && lowered.chars().all(|c| c.is_ascii_digit() || allowed.contains(c));
        Self {
            lowered: lowered.to_owned(),
            zone: TimeZone::UTC,
            times: only("-:. "),
            durations: only(". ms"),
            retries: only("retis "),
            labels: numbered && lowered.chars().any(|c| c.is_alphabetic() || c == ' '),
        }
    }

    /// Times read in `zone`, as the explorer's clock shows them.
    pub fn set_zone(&mut self, zone: TimeZone) {
        self.zone = zone;
    }

    /// Whether the words shown for `log` hold the query.
    #[must_use]
    pub fn in_log(&self, log: &WebhookLog) -> bool {
        let lowered = self.lowered.as_str();
        let ending = Ending::of(log);
        let words = [ending.unanswered_phrase(), ending.reason()];
        if words.into_iter().flatten().any(|word| contains_lowered(word, lowered)) {
            return true;
        }
        // A type with control characters is drawn with pictures of them; a plain one is its field.
        if let Cow::Owned(drawn) = sanitize::short(&log.webhook_type)
            && contains_lowered(&drawn, lowered)
        {
            return true;
        }
        let mut text = String::with_capacity(64);
        let mut written = |write: &mut dyn FnMut(&mut String)| {
            text.clear();
            write(&mut text);
            contains_lowered(&text, lowered)
        };
        if self.labels
            && let (Ending::Status(code), Some(reason)) = (ending, ending.reason())
            && written(&mut |text| _ = write!(text, "{code} {reason}"))
        {
            return true;
        }
        if self.times
            && let Some(at) = log.attempted_at
            && written(&mut |text| write_date_time(text, at, &self.zone))
        {
            return true;
        }
        if self.durations
            && let Some(ms) = log.response_time_ms
            && written(&mut |text| write_millis(text, ms))
        {
            return true;
        }
        self.retries && written(&mut |text| _ = write!(text, "retries {}", log.retry_count))
    }
}
