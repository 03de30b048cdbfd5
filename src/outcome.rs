//! How a delivery ended, worded once for every view. The list, the detail, `--print table`,
//! Markdown reports and the text search all ask [`Ending::of`] and use its words, so a log that
//! the list calls a "timeout" is called that everywhere and is found by searching for it.

use crate::model::chains::Chain;
use crate::model::{LogSet, Outcome, WebhookLog};

/// How a delivery ended, as a support engineer tells deliveries apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The receiver answered with this HTTP status (a success or not: see `success`).
    Status(u16),
    /// No answer, and the record looks like the 30 s timeout: an empty error (how the server
    /// stores a read timeout), a time near 30 s, or an error that says so.
    Timeout,
    /// No status and no error text.
    NoResponse,
    /// No status, with an error (connection refused, DNS, TLS, …).
    ConnectionError,
}

impl Ending {
    #[must_use]
    pub fn of(log: &WebhookLog) -> Self {
        match log.outcome() {
            Outcome::Status(code) => Self::Status(code),
            _ if log.looks_like_timeout() => Self::Timeout,
            Outcome::NoResponse => Self::NoResponse,
            Outcome::TransportError => Self::ConnectionError,
        }
    }

    /// The word a column shows: `200`, `timeout`, `no response`. Never blank. A status code's
    /// digits are written into `digits`, so the text search, which asks this of every log,
    /// allocates nothing.
    #[must_use]
    pub fn word_in(self, digits: &mut itoa::Buffer) -> &str {
        match self {
            Self::Status(code) => digits.format(code),
            Self::Timeout => "timeout",
            Self::NoResponse | Self::ConnectionError => "no response",
        }
    }

    /// [`Ending::word_in`] as a `String`.
    #[must_use]
    pub fn word(self) -> String {
        self.word_in(&mut itoa::Buffer::new()).to_owned()
    }

    /// The words a sentence uses, which say why there was no response when that is known:
    /// `no response (timeout?)`, `no response (connection error)`; a status is its code.
    #[must_use]
    pub fn phrase(self) -> String {
        match self {
            Self::Status(code) => code.to_string(),
            unanswered => unanswered.unanswered_phrase().unwrap_or_default().to_owned(),
        }
    }

    /// [`Ending::phrase`] of an ending without a status, which needs no allocation.
    #[must_use]
    pub fn unanswered_phrase(self) -> Option<&'static str> {
        match self {
            Self::Status(_) => None,
            Self::Timeout => Some("no response (timeout?)"),
            Self::NoResponse => Some("no response"),
            Self::ConnectionError => Some("no response (connection error)"),
        }
    }

    /// The status's reason phrase (`Internal Server Error`), when the code is a known one.
    #[must_use]
    pub fn reason(self) -> Option<&'static str> {
        match self {
            Self::Status(code) => reqwest::StatusCode::from_u16(code).ok()?.canonical_reason(),
            _ => None,
        }
    }

    /// The status as the detail names it: `500 Internal Server Error`, or the code alone when
    /// it has no known reason; `None` without a status.
    #[must_use]
    pub fn status_label(self) -> Option<String> {
        let Self::Status(code) = self else { return None };
        Some(match self.reason() {
            Some(reason) => format!("{code} {reason}"),
            None => code.to_string(),
        })
    }
}

/// How a delivery ended, all its attempts told: `Delivered on attempt 3 of 3 after 34 s`,
/// `Failed after 3 attempts: 500, 502, no response (timeout?)`.
#[must_use]
pub fn delivery_verdict(set: &LogSet, chain: &Chain) -> String {
    let tries = chain.tries();
    let span = chain.span(set).filter(|_| tries > 1).map(crate::units::span);
    let after = span.as_ref().map(|span| format!(" after {span}"));
    let over = span.map(|span| format!(" over {span}"));
    if chain.delivered(set) {
        match tries {
            1 => "Delivered on the first attempt".to_owned(),
            n => format!("Delivered on attempt {n} of {n}{}", after.unwrap_or_default()),
        }
    } else {
        let endings: Vec<String> = chain.attempts.iter().map(|&at| Ending::of(&set.logs[at]).phrase()).collect();
        match tries {
            1 => format!("Failed on its only attempt: {}", endings.join(", ")),
            n => format!("Failed after {n} attempts{}: {}", over.unwrap_or_default(), endings.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

    #[rstest::rstest]
    #[case::status(r#""response_status_code": 502"#, Ending::Status(502), "502", "502")]
    #[case::empty_error(r#""error_message": """#, Ending::Timeout, "timeout", "no response (timeout?)")]
    #[case::thirty_seconds(r#""response_time_ms": 30004"#, Ending::Timeout, "timeout", "no response (timeout?)")]
    #[case::timeout_error(r#""error_message": "ReadTimeout""#, Ending::Timeout, "timeout", "no response (timeout?)")]
    #[case::nothing_known(r#""response_time_ms": 12"#, Ending::NoResponse, "no response", "no response")]
    #[case::refused(
        r#""error_message": "Connection refused""#,
        Ending::ConnectionError,
        "no response",
        "no response (connection error)"
    )]
    fn every_view_words_an_ending_the_same_way(
        #[case] fields: &str,
        #[case] ending: Ending,
        #[case] word: &str,
        #[case] phrase: &str,
    ) {
        let entry = format!(r#"{{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": false, {fields}}}"#);
        let set = LogSet::parse(format!("[{entry}]")).unwrap();
        let found = Ending::of(&set.logs[0]);
        assert_eq!((found, found.word().as_str(), found.phrase().as_str()), (ending, word, phrase));
    }

    #[rstest::rstest]
    #[case::server_error(500, Some("500 Internal Server Error"))]
    #[case::no_content(204, Some("204 No Content"))]
    #[case::unknown_code(599, Some("599"))]
    fn a_status_is_labelled_with_its_reason(#[case] code: u16, #[case] label: Option<&str>) {
        assert_eq!(Ending::Status(code).status_label().as_deref(), label);
        assert_eq!(Ending::Timeout.status_label(), None);
    }
}
