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

/// Whether the words shown for `log` hold `lowered` (lower-cased already). Times and durations
/// are written only with a `zone`, which the search gives only to a query with a digit.
#[must_use]
pub fn shows(log: &WebhookLog, lowered: &str, zone: Option<&TimeZone>) -> bool {
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
    let Some(zone) = zone else { return false };
    let mut text = String::with_capacity(64);
    if let (Ending::Status(code), Some(reason)) = (ending, ending.reason()) {
        let _ = writeln!(text, "{code} {reason}");
    }
    if let Some(at) = log.attempted_at {
        write_date_time(&mut text, at, zone);
        text.push('\n');
    }
    if let Some(ms) = log.response_time_ms {
        write_millis(&mut text, ms);
        text.push('\n');
    }
    let _ = write!(text, "retries {}", log.retry_count);
    text.split('\n').any(|line| contains_lowered(line, lowered))
}
