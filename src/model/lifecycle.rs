//! The lifecycle check: what looks wrong with a call's deliveries as a whole, beyond any one
//! failed attempt. Each rule is a pattern a support engineer would otherwise find by reading the
//! whole list; none fires on a healthy call. One pass over the logs plus hash maps, so it runs
//! once when the data arrives, at any size.
//!
//! The texts name logs by id (`log 48211`) and may hold webhook types as sent: they go through
//! `sanitize` where they are shown, like every other text from the network.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};

use super::time::parse_timestamp;
use super::{CallInfo, LogSet, WebhookLog};
use crate::units::millis;

/// Burki gives up on a delivery after 30 s; a receiver answering within 10% of that is one slow
/// day away from timeouts.
pub const NEAR_TIMEOUT_MS: u64 = 27_000;

/// How long after the call's end a delivery may still be sent without a warning. Burki sends the
/// last transcript and status updates as the call hangs up, and retries a failure after a few
/// seconds of backoff; a minute covers both, where a delivery minutes later is another call's
/// event or a stuck queue.
pub const AFTER_END_GRACE: SignedDuration = SignedDuration::from_secs(60);

/// A type whose attempts all failed is warned of from this many attempts: one failed attempt is
/// already marked in the list and may be a blip; a second that failed too (a retry, or another
/// event of that type) makes "the receiver does not handle this type" the likely story.
pub const ALWAYS_FAILED_MIN_ATTEMPTS: usize = 2;

/// Logs named in a warning's text at most; the rest are counted (`and 12 more`).
const NAMED_AT_MOST: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// The call ended but no `call_ended` / `end-of-call-report` was delivered or attempted.
    NoEndOfCall,
    /// The same event delivered again after it had been delivered.
    Duplicate,
    /// Attempted well after the call ended.
    AfterCallEnded,
    /// Something was sent before the call's `call_started`.
    CallStartedNotFirst,
    /// Every attempt of a type failed.
    TypeAlwaysFailed,
    /// A response that came within 10% of the delivery timeout (a timeout itself is not one).
    NearTimeout,
}

impl WarningKind {
    /// A short name, for lists and reports.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            WarningKind::NoEndOfCall => "no end of call",
            WarningKind::Duplicate => "duplicate",
            WarningKind::AfterCallEnded => "after the call ended",
            WarningKind::CallStartedNotFirst => "call_started not first",
            WarningKind::TypeAlwaysFailed => "type always failed",
            WarningKind::NearTimeout => "near the timeout",
        }
    }
}

/// One thing that looks wrong, with the logs it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// One line, naming the logs by id; not yet sanitized.
    pub text: String,
    /// Indices into the set's logs, in attempt order; the first is where a jump lands.
    pub logs: Vec<usize>,
}

/// Every warning of a call, ordered by the first log each names.
#[must_use]
pub fn lifecycle_warnings(set: &LogSet, call: Option<&CallInfo>) -> Vec<Warning> {
    let logs = &set.logs;
    let ended_at = call.and_then(|call| call.ended_at.as_deref()).and_then(parse_timestamp);
    let mut warnings = Vec::new();
    let mut last_of_event: HashMap<EventKey<'_>, usize> = HashMap::new();
    let mut by_type: HashMap<&str, TypeTally> = HashMap::new();
    let mut first_call_started = None;
    let mut saw_end_of_call = false;
    for (at, log) in logs.iter().enumerate() {
        if let Some(earlier) = last_of_event.insert(event_key(log), at)
            && is_duplicate(&logs[earlier], log)
        {
            warnings.push(Warning {
                kind: WarningKind::Duplicate,
                text: format!(
                    "log {} duplicates delivered log {} (same {} payload)",
                    log.id, logs[earlier].id, log.webhook_type
                ),
                logs: vec![earlier, at],
            });
        }
        // A call has a handful of types: each is normalized once, not once a log.
        let tally = by_type.entry(log.webhook_type.as_str()).or_insert_with(|| TypeTally::new(&log.webhook_type));
        tally.logs.push(at);
        tally.succeeded |= log.success;
        let kind = tally.normalized.as_str();
        if kind == "call_started" && first_call_started.is_none() {
            first_call_started = Some(at);
        }
        saw_end_of_call |= is_end_of_call(kind);
        if let Some(warning) = after_call_ended(log, at, kind, ended_at) {
            warnings.push(warning);
        }
        // A delivery that timed out is at the timeout, not near it: the list says so already.
        if let Some(ms) = log.response_time_ms.filter(|&ms| ms >= NEAR_TIMEOUT_MS && !log.looks_like_timeout()) {
            warnings.push(Warning {
                kind: WarningKind::NearTimeout,
                text: format!("log {} took {}, within 10% of the 30 s delivery timeout", log.id, millis(ms)),
                logs: vec![at],
            });
        }
    }
    if let Some(first) = first_call_started {
        warnings.extend(call_started_not_first(set, first));
    }
    warnings.extend(always_failed(set, by_type));
    // A call with no delivery at all has no webhook configured: nothing is missing.
    if let Some(last) = logs.len().checked_sub(1).filter(|_| !saw_end_of_call && call_ended(call)) {
        warnings.push(Warning {
            kind: WarningKind::NoEndOfCall,
            text: "the call ended but no call_ended or end-of-call-report was sent".to_owned(),
            logs: vec![last],
        });
    }
    warnings.sort_by_key(|warning| warning.logs.first().copied());
    warnings
}

/// What makes two logs deliveries of one event: the same type, URL and payload text, as retry
/// chains group them. A log without a payload has nothing to compare, so it is its own event.
type EventKey<'a> = (&'a str, &'a str, Option<&'a str>, usize);

fn event_key(log: &WebhookLog) -> EventKey<'_> {
    let unique = if log.payload().is_none() { log.index } else { 0 };
    (log.webhook_type.as_str(), log.webhook_url.as_str(), log.payload(), unique)
}

/// Whether `log`, the next delivery of `previous`'s event, is a duplicate rather than a retry:
/// a resend after a failure is how Burki retries (a retry chain), one after a success delivers
/// the event twice. The one place that tells the two apart.
fn is_duplicate(previous: &WebhookLog, log: &WebhookLog) -> bool {
    previous.success && previous.sorts_before(log)
}

/// The first `call_started` (at `first`) with deliveries attempted before it: the receiver saw
/// events of a call it had not been told had started. A log at the same instant is not "before"
/// (the order of a tie is the server's), and an undated `call_started` cannot be placed.
fn call_started_not_first(set: &LogSet, first: usize) -> Option<Warning> {
    let started = set.logs[first].attempted_at?;
    let before: Vec<usize> =
        (0..first).filter(|&at| set.logs[at].attempted_at.is_some_and(|time| time < started)).collect();
    if before.is_empty() {
        return None;
    }
    Some(Warning {
        kind: WarningKind::CallStartedNotFirst,
        text: format!(
            "call_started (log {}) was not first: {} came before it",
            set.logs[first].id,
            name_logs(set, &before)
        ),
        logs: before.into_iter().chain([first]).collect(),
    })
}

/// A delivery sent more than [`AFTER_END_GRACE`] after the call's end. The end-of-call types are
/// sent after the end by design and are left out.
fn after_call_ended(log: &WebhookLog, at: usize, kind: &str, ended_at: Option<Timestamp>) -> Option<Warning> {
    let (ended_at, attempted_at) = (ended_at?, log.attempted_at?);
    if is_end_of_call(kind) || attempted_at <= ended_at.checked_add(AFTER_END_GRACE).ok()? {
        return None;
    }
    let late = attempted_at.duration_since(ended_at).as_secs();
    Some(Warning {
        kind: WarningKind::AfterCallEnded,
        text: format!("log {} ({}) was sent {late} s after the call ended", log.id, log.webhook_type),
        logs: vec![at],
    })
}

/// One type's attempts, whether any succeeded, and its name as the rules compare it.
struct TypeTally {
    logs: Vec<usize>,
    succeeded: bool,
    normalized: String,
}

impl TypeTally {
    fn new(name: &str) -> Self {
        Self { logs: Vec::new(), succeeded: false, normalized: normalized_type(name) }
    }
}

/// A type with [`ALWAYS_FAILED_MIN_ATTEMPTS`] or more attempts and no success: the receiver may
/// not handle it at all.
fn always_failed(set: &LogSet, by_type: HashMap<&str, TypeTally>) -> impl Iterator<Item = Warning> {
    by_type.into_iter().filter(|(_, tally)| !tally.succeeded && tally.logs.len() >= ALWAYS_FAILED_MIN_ATTEMPTS).map(
        |(name, tally)| Warning {
            kind: WarningKind::TypeAlwaysFailed,
            text: format!(
                "all {} {name} attempts failed ({}): the receiver may not handle it",
                tally.logs.len(),
                name_logs(set, &tally.logs)
            ),
            logs: tally.logs,
        },
    )
}

/// Whether the call is over: its status says `completed`, or its end time is known.
fn call_ended(call: Option<&CallInfo>) -> bool {
    call.is_some_and(|call| {
        call.status.as_deref().is_some_and(|status| status.eq_ignore_ascii_case("completed"))
            || call.ended_at.as_deref().and_then(parse_timestamp).is_some()
    })
}

/// A type lower-cased with `-` read as `_`: Burki writes `end-of-call-report` and `call_ended`.
fn normalized_type(name: &str) -> String {
    name.trim().to_lowercase().replace('-', "_")
}

fn is_end_of_call(normalized: &str) -> bool {
    matches!(normalized, "call_ended" | "end_of_call_report")
}

/// `log 1, log 2, log 3 and 4 more`.
fn name_logs(set: &LogSet, indices: &[usize]) -> String {
    let mut names: Vec<String> =
        indices.iter().take(NAMED_AT_MOST).map(|&at| format!("log {}", set.logs[at].id)).collect();
    if indices.len() > NAMED_AT_MOST {
        names.push(format!("{} more", indices.len() - NAMED_AT_MOST));
    }
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

#[cfg(test)]
#[path = "lifecycle_tests.rs"]
mod tests;
