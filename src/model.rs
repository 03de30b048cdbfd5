//! A call's webhook logs as hookscope holds them.
//!
//! Each log keeps its entry's text exactly as the server sent it, and points into it by byte
//! ranges: the payload, the response body, the metadata and any unknown field. Only the small
//! fields are decoded up front. Memory stays near 1× the response (DESIGN.md, Data), and nothing
//! the server sent is ever re-serialised.

mod call;
pub mod call_list;
pub mod chains;
mod entry;
pub mod lifecycle;
mod name;
mod split;
mod stream;
pub mod time;

use std::ops::Range;
use std::sync::Arc;

pub use call::CallInfo;
pub use call_list::{CallPage, CallSummary};
pub use entry::Decoded;
use jiff::Timestamp;
pub use name::Name;
pub use stream::{CallHook, DecodeError, LogSink, LogStream};

/// A byte range into one log's entry text. Entries are far below 4 GiB (bodies are capped), and
/// a call holds three or more of these a log: 32 bits each keep a 100,000-log call smaller.
pub type Span = Range<u32>;

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookLog {
    /// Position in the response array, for messages that name a log.
    pub index: usize,
    /// The whole entry as the server sent it; every span below is a range of it.
    text: Arc<str>,
    pub id: i64,
    pub call_id: Option<i64>,
    pub assistant_id: Option<i64>,
    pub webhook_url: Name,
    pub webhook_type: Name,
    pub request_payload: Option<Span>,
    pub response_status_code: Option<u16>,
    /// The JSON string literal (quotes included), or raw JSON when a server sent a non-string.
    pub response_body: Option<Span>,
    /// The server cut the body at 10240 characters and appended `... [TRUNCATED]`.
    pub response_truncated: bool,
    pub response_time_ms: Option<u64>,
    pub attempted_at: Option<Timestamp>,
    pub success: bool,
    pub error_message: Option<Box<str>>,
    pub retry_count: u32,
    pub webhook_metadata: Option<Span>,
    /// Unknown fields and problems, which most logs have none of: held apart, so that a log
    /// without them costs one pointer for both.
    oddities: Option<Box<Oddities>>,
}

/// What few logs have: fields this version of hookscope does not know, and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Oddities {
    pub(crate) extra_fields: Vec<(String, Span)>,
    pub(crate) problems: Vec<String>,
}

impl WebhookLog {
    /// How the delivery ended, in the words a support engineer uses.
    #[must_use]
    pub fn outcome(&self) -> Outcome {
        match (self.response_status_code, self.error_message.as_deref()) {
            (Some(code), _) => Outcome::Status(code),
            (None, None | Some("")) => Outcome::NoResponse,
            (None, Some(_)) => Outcome::TransportError,
        }
    }

    /// True when this attempt ran into the SDK's 30 s timeout (or an empty error, which the
    /// server writes for a read timeout).
    #[must_use]
    pub fn looks_like_timeout(&self) -> bool {
        self.response_status_code.is_none()
            && (self.error_message.as_deref() == Some("")
                || self.response_time_ms.is_some_and(|ms| ms >= 29_500)
                || self.error_message.as_deref().is_some_and(|e| {
                    e.to_ascii_lowercase().contains("timeout") || e.to_ascii_lowercase().contains("timed out")
                }))
    }

    /// Fields this version of hookscope does not know, in the order sent.
    #[must_use]
    pub fn extra_fields(&self) -> &[(String, Span)] {
        self.oddities.as_ref().map_or(&[], |oddities| &oddities.extra_fields)
    }

    /// What was wrong with this entry's fields; the entry still loads.
    #[must_use]
    pub fn problems(&self) -> &[String] {
        self.oddities.as_ref().map_or(&[], |oddities| &oddities.problems)
    }

    /// The whole entry as the server sent it.
    #[must_use]
    pub fn raw(&self) -> &str {
        &self.text
    }

    /// One of this log's spans as text.
    #[must_use]
    pub fn slice(&self, span: &Span) -> &str {
        self.text.get(span.start as usize..span.end as usize).unwrap_or_default()
    }

    #[must_use]
    pub fn payload(&self) -> Option<&str> {
        self.request_payload.as_ref().map(|span| self.slice(span))
    }

    #[must_use]
    pub fn metadata(&self) -> Option<&str> {
        self.webhook_metadata.as_ref().map(|span| self.slice(span))
    }

    /// The response body as text: a JSON string decoded, or a non-string value as sent.
    #[must_use]
    pub fn response_body_text(&self) -> Option<String> {
        let literal = self.slice(self.response_body.as_ref()?);
        Some(crate::json_text::decode_string(literal).unwrap_or_else(|| literal.to_owned()))
    }

    /// Whether this log comes before `other` in attempt order.
    #[must_use]
    pub fn sorts_before(&self, other: &Self) -> bool {
        sort_key(self) < sort_key(other)
    }

    /// The host of the webhook URL, for the list.
    #[must_use]
    pub fn url_host(&self) -> &str {
        let rest = self.webhook_url.split_once("://").map_or(self.webhook_url.as_str(), |(_, rest)| rest);
        let host_port = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        host_port.rsplit_once('@').map_or(host_port, |(_, host)| host)
    }
}

/// How a delivery ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Status(u16),
    /// No status and no error text: the server stores a read timeout this way.
    NoResponse,
    /// No status, with an error message (connection refused, DNS, TLS, …).
    TransportError,
}

/// An entry that could not be read as a log at all: not JSON, not an object, or no usable `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedLog {
    pub index: usize,
    /// The entry as sent.
    pub raw: Arc<str>,
    pub reason: String,
}

/// Every log of one call, sorted by (`attempted_at`, `id`), undated ones last.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LogSet {
    pub logs: Vec<WebhookLog>,
    pub rejected: Vec<RejectedLog>,
    /// What was wrong with the body as a whole that cost no complete log: it was cut short,
    /// an element lacked its comma, text followed the array.
    pub body_problems: Vec<String>,
}

impl LogSet {
    /// Decodes a whole body that should be a JSON array of logs.
    ///
    /// # Errors
    /// When the text is not a JSON array, or is cut short before its first log is complete. A
    /// bad entry inside the array is not an error: it lands in [`LogSet::rejected`] or in that
    /// log's `problems`.
    pub fn parse(text: impl AsRef<str>) -> Result<Self, DecodeError> {
        let mut set = Self::default();
        let mut stream = LogStream::default();
        stream.push(text.as_ref().as_bytes(), &mut set);
        set.body_problems = stream.finish()?;
        Ok(set)
    }

    /// Adds a decoded element in its place: after every log that sorts before it. The server
    /// sends logs in attempt order, so this is nearly always an append.
    pub fn add(&mut self, decoded: Decoded) {
        match decoded {
            Decoded::Log(log) => {
                let key = sort_key(&log);
                if self.logs.last().is_none_or(|last| sort_key(last) <= key) {
                    self.logs.push(log);
                } else {
                    let at = self.logs.partition_point(|other| sort_key(other) <= key);
                    self.logs.insert(at, log);
                }
            }
            Decoded::Rejected(rejected) => self.rejected.push(rejected),
        }
    }

    /// The first attempt of the call, the origin of every `T+` offset.
    #[must_use]
    pub fn first_attempt(&self) -> Option<Timestamp> {
        // Logs are sorted by attempt time with undated ones last, so this is the first log's.
        self.logs.first().and_then(|log| log.attempted_at)
    }

    /// One line a problem: the body's, every rejected entry and every log with a bad field,
    /// for the status line and the Markdown report. A log is named by its id and its row in the
    /// list (sorted by time, counted from 1: `log 1716090 (row 7)`); an entry rejected before
    /// it had an id, by its position in the response (`entry 3 of the response`).
    #[must_use]
    pub fn problem_report(&self) -> Vec<String> {
        self.report(|row, log| format!("log {} (row {})", log.id, row + 1))
    }

    fn report(&self, name: impl Fn(usize, &WebhookLog) -> String) -> Vec<String> {
        let mut lines = self.body_problems.clone();
        lines.extend(self.rejected.iter().map(|r| format!("{}: skipped: {}", response_position(r.index), r.reason)));
        for (row, log) in self.logs.iter().enumerate() {
            for problem in log.problems() {
                lines.push(format!("{}: {problem}", name(row, log)));
            }
        }
        lines
    }
}

/// An entry named by where it is in the response, counted from 1 (`entry 3 of the response`).
#[must_use]
pub fn response_position(index: usize) -> String {
    format!("entry {} of the response", index + 1)
}

impl LogSet {
    /// [`LogSet::problem_report`] with the same problem of many logs said once, with how many
    /// and the first of them ("1,000,000 entries: skipped: field `id` is missing; first: entry 1 of
    /// the response"), in order of first appearance: for stderr and reports, which a million bad
    /// entries must not flood. A log is named by its id alone: `--print` holds only some of the
    /// logs, so has no rows to count.
    #[must_use]
    pub fn problem_summary(&self) -> Vec<String> {
        let mut lines = self.body_problems.clone();
        let rejected = self.rejected.iter().map(|r| (response_position(r.index), "skipped: ", r.reason.as_str()));
        let of_logs = self.logs.iter().flat_map(|log| {
            log.problems().iter().map(move |problem| (format!("log {}", log.id), "", problem.as_str()))
        });
        let mut groups: Vec<(String, &str, &str, usize)> = Vec::new();
        let mut seen: std::collections::HashMap<(&str, &str), usize> = std::collections::HashMap::new();
        for (first, kind, problem) in rejected.chain(of_logs) {
            match seen.entry((kind, problem)) {
                std::collections::hash_map::Entry::Occupied(group) => groups[*group.get()].3 += 1,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(groups.len());
                    groups.push((first, kind, problem, 1));
                }
            }
        }
        lines.extend(groups.into_iter().map(|(first, kind, problem, count)| match count {
            1 => format!("{first}: {kind}{problem}"),
            _ => format!("{} entries: {kind}{problem}; first: {first}", crate::units::count(count)),
        }));
        lines
    }
}

impl LogSink for LogSet {
    fn decoded(&mut self, decoded: Decoded) {
        self.add(decoded);
    }
}

/// Documented order is by attempt time with no tie-breaker; logs without a time go last, and
/// the position in the response breaks what ties remain.
fn sort_key(log: &WebhookLog) -> (bool, Option<Timestamp>, i64, usize) {
    (log.attempted_at.is_none(), log.attempted_at, log.id, log.index)
}

#[cfg(test)]
mod tests;
