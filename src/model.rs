//! A call's webhook logs as hookscope holds them.
//!
//! The response text is kept whole, once, and every log points into it by byte ranges: the raw
//! entry (for `--print json` and copies, exactly as sent), the payload, the response body and
//! the metadata. Only the small fields are decoded up front. This keeps memory near 1× the
//! response (DESIGN.md, Data) and means nothing the server sent is ever re-serialised.

mod batch;
mod call;
mod decode;
mod name;
pub(crate) mod scan;
mod stream;
pub mod time;

use std::ops::Range;

pub use call::CallInfo;
pub use decode::DecodeError;
use jiff::Timestamp;
pub use name::Name;
pub use stream::{Finished, LogStream};

/// The byte order mark a document may start with.
pub const BOM: char = '\u{feff}';

/// A byte range into [`LogSet::text`].
pub type Span = Range<usize>;

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookLog {
    /// Position in the response array, for messages that name a log.
    pub index: usize,
    /// The whole entry as the server sent it.
    pub raw: Span,
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
    pub error_message: Option<String>,
    pub retry_count: u32,
    pub webhook_metadata: Option<Span>,
    /// Fields this version of hookscope does not know, in the order sent.
    pub extra_fields: Vec<(String, Span)>,
    /// What was wrong with this entry's fields; the entry still loads.
    pub problems: Vec<String>,
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

    /// One of this log's spans as text, given the text of its entry alone (where a sieve sees
    /// it, before the log is kept).
    #[must_use]
    pub fn slice_of_entry<'t>(&self, entry: &'t str, span: &Span) -> &'t str {
        &entry[span.start - self.raw.start..span.end - self.raw.start]
    }

    /// Moves every span with the entry, which now starts at byte `start` of another text.
    pub(crate) fn move_entry_to(&mut self, start: usize) {
        let from = self.raw.start;
        let shift = |span: &mut Span| *span = span.start - from + start..span.end - from + start;
        let spans = [&mut self.request_payload, &mut self.response_body, &mut self.webhook_metadata];
        for span in spans.into_iter().flatten().chain(self.extra_fields.iter_mut().map(|(_, span)| span)) {
            shift(span);
        }
        shift(&mut self.raw);
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

/// Which logs a body's decoding keeps, when not all: `--print` holds only the logs it prints,
/// so a big call is never held whole. It sees each log with the text of its entry. Logs with
/// problems are kept whatever it says, so that every problem is still reported.
pub type KeepLog = dyn Fn(&WebhookLog, &str) -> bool + Send + Sync;

/// An entry that could not be read as a log at all (not an object, or no usable `id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectedLog {
    pub index: usize,
    pub raw: Span,
    pub reason: String,
}

/// Every log of one call, sorted by (`attempted_at`, `id`), with the text they point into.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LogSet {
    text: String,
    pub logs: Vec<WebhookLog>,
    pub rejected: Vec<RejectedLog>,
}

impl LogSet {
    /// Decodes a response body that should be a JSON array of logs.
    ///
    /// # Errors
    /// When the text is not JSON, or is JSON but not an array. A bad entry inside the array is
    /// not an error: it lands in [`LogSet::rejected`] or in that log's `problems`.
    pub fn parse(text: String) -> Result<Self, DecodeError> {
        // A byte order mark is not JSON, but editors on Windows put one at the start of a file.
        let start = if text.starts_with(BOM) { BOM.len_utf8() } else { 0 };
        let whole = start..text.len();
        Self::parse_array_at(text, whole)
    }

    /// Like [`LogSet::parse`], for an array that sits at `array` inside a larger document
    /// (a hookscope case file).
    ///
    /// # Errors
    /// As [`LogSet::parse`].
    pub fn parse_array_at(text: String, array: Span) -> Result<Self, DecodeError> {
        let (logs, rejected) = batch::decode_array(&text, array)?;
        Ok(Self { text, logs, rejected })
    }

    /// The response text every span points into.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    #[must_use]
    pub fn slice(&self, span: &Span) -> &str {
        &self.text[span.clone()]
    }

    #[must_use]
    pub fn raw(&self, log: &WebhookLog) -> &str {
        self.slice(&log.raw)
    }

    #[must_use]
    pub fn payload(&self, log: &WebhookLog) -> Option<&str> {
        log.request_payload.as_ref().map(|span| self.slice(span))
    }

    #[must_use]
    pub fn metadata(&self, log: &WebhookLog) -> Option<&str> {
        log.webhook_metadata.as_ref().map(|span| self.slice(span))
    }

    /// The response body as text: a JSON string decoded, or a non-string value as sent.
    #[must_use]
    pub fn response_body(&self, log: &WebhookLog) -> Option<String> {
        let literal = self.slice(log.response_body.as_ref()?);
        Some(crate::json_text::decode_string(literal).unwrap_or_else(|| literal.to_owned()))
    }

    /// The first attempt of the call, the origin of every `T+` offset.
    #[must_use]
    pub fn first_attempt(&self) -> Option<Timestamp> {
        // Logs are sorted by attempt time with undated ones last, so this is the first log's.
        self.logs.first().and_then(|log| log.attempted_at)
    }

    /// One line a problem: every rejected entry and every log with a bad field, named by index
    /// and id, for stderr and the status line.
    #[must_use]
    pub fn problem_report(&self) -> Vec<String> {
        let mut lines: Vec<String> =
            self.rejected.iter().map(|r| format!("log #{}: skipped: {}", r.index, r.reason)).collect();
        for log in &self.logs {
            for problem in &log.problems {
                lines.push(format!("log #{} (id {}): {problem}", log.index, log.id));
            }
        }
        lines
    }
}

#[cfg(test)]
mod tests;
