//! Which logs are shown: by webhook type, by outcome, and by text. Shared by `--print` and the
//! explorer, so a command line and a screen with the same filters show the same logs.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use regex::bytes::{Regex, RegexBuilder};

use crate::model::time::TimeDisplay;
use crate::model::{LogSet, WebhookLog};
use crate::outcome::Ending;

pub mod shown;

/// The outcome filter `f` cycles through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    #[default]
    All,
    Failed,
    Succeeded,
    /// Deliveries that needed more than one try.
    Retried,
}

impl StatusFilter {
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::All => Self::Failed,
            Self::Failed => Self::Succeeded,
            Self::Succeeded => Self::Retried,
            Self::Retried => Self::All,
        }
    }

    /// For one attempt seen alone, as `--print` meets them: retried when the server counted
    /// a retry (`retry_count` above 0).
    #[must_use]
    pub fn admits(self, log: &WebhookLog) -> bool {
        self.admits_attempt(log, if log.retry_count > 0 { 2 } else { 1 })
    }

    /// For one attempt of a delivery that took `tries`: failed and succeeded judge the attempt,
    /// retried the delivery.
    #[must_use]
    pub fn admits_attempt(self, log: &WebhookLog, tries: usize) -> bool {
        match self {
            Self::All => true,
            Self::Failed => !log.success,
            Self::Succeeded => log.success,
            Self::Retried => tries > 1,
        }
    }

    /// For a delivery, judged by its last attempt (`last`) and how many tries it took.
    #[must_use]
    pub fn admits_delivery(self, last: &WebhookLog, tries: usize) -> bool {
        self.admits_attempt(last, tries)
    }

    /// `failed only`, for the header's filter summary.
    #[must_use]
    pub fn label(self) -> Option<&'static str> {
        match self {
            Self::All => None,
            Self::Failed => Some("failed only"),
            Self::Succeeded => Some("succeeded only"),
            Self::Retried => Some("retried only"),
        }
    }
}

/// Every filter at once. An empty type set means every type.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filter {
    pub types: BTreeSet<String>,
    pub status: StatusFilter,
    pub text: String,
}

impl Filter {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.types.is_empty() && self.status == StatusFilter::All && self.text.is_empty()
    }

    /// The filters other than text, which are cheap enough to run on every keystroke.
    #[must_use]
    pub fn admits_fields(&self, log: &WebhookLog) -> bool {
        self.status.admits(log) && (self.types.is_empty() || self.types.contains(log.webhook_type.as_str()))
    }

    /// Whether `log` passes every filter, text included: for one log at a time, as `--print`
    /// meets them while the body arrives. [`TextSearch`] is compiled once for a call's logs.
    #[must_use]
    pub fn admits(&self, log: &WebhookLog, search: Option<&TextSearch>) -> bool {
        self.admits_fields(log) && search.is_none_or(|search| search.matches(log))
    }

    /// Indices into `set.logs` of every log that passes, in order.
    #[must_use]
    pub fn apply(&self, set: &LogSet) -> Vec<usize> {
        let search = TextSearch::new(&self.text);
        (0..set.logs.len()).filter(|&i| self.admits(&set.logs[i], search.as_ref())).collect()
    }
}

/// A case-insensitive text search over a log's short fields, the words the list and the detail
/// show for it (see [`shown`]), its payload and its response body.
///
/// Payloads and bodies are searched as the raw JSON text the server sent, without decoding
/// them, because that is what makes searching a 100 MB call fast. So the query is also looked
/// for in its JSON-escaped forms (a `"` in the query as `\"`, `é` as `\u00e9`), which finds
/// what a user sees in the detail pane.
#[derive(Debug, Clone)]
pub struct TextSearch {
    lowered: String,
    raw: Regex,
    shown: shown::ShownWords,
}

impl TextSearch {
    /// `None` for an empty query, which matches everything. Times are searched as UTC shows
    /// them, as `--print` writes them; [`TextSearch::with_times`] picks the explorer's clock.
    #[must_use]
    pub fn new(query: &str) -> Option<Self> {
        if query.is_empty() {
            return None;
        }
        let lowered = query.to_lowercase();
        let mut forms = vec![regex::escape(query)];
        for escaped in [json_escaped(query, false), json_escaped(query, true)] {
            let escaped = regex::escape(&escaped);
            if !forms.contains(&escaped) {
                forms.push(escaped);
            }
        }
        let raw = RegexBuilder::new(&forms.join("|")).case_insensitive(true).unicode(false).build().ok()?;
        let shown = shown::ShownWords::new(&lowered);
        Some(Self { lowered, raw, shown })
    }

    /// The same search, with times read in `time`'s zone, as the explorer shows them.
    #[must_use]
    pub fn with_times(mut self, time: TimeDisplay) -> Self {
        self.shown.set_zone(time.zone());
        self
    }

    #[must_use]
    pub fn matches(&self, log: &WebhookLog) -> bool {
        let lowered = self.lowered.as_str();
        let (mut status, mut id) = (itoa::Buffer::new(), itoa::Buffer::new());
        log.webhook_type.lowered().contains(lowered)
            || log.webhook_url.lowered().contains(lowered)
            || Ending::of(log).word_in(&mut status).contains(lowered)
            || log.error_message.as_deref().is_some_and(|error| contains_lowered(error, lowered))
            || id.format(log.id).contains(lowered)
            || self.shown.in_log(log)
            || [&log.request_payload, &log.response_body]
                .into_iter()
                .flatten()
                .any(|span| self.raw.is_match(log.slice(span).as_bytes()))
    }

    /// Byte ranges of every match in `text` (display text, already decoded), for highlighting
    /// matches in the detail pane.
    pub fn find_in<'t>(&'t self, text: &'t str) -> impl Iterator<Item = std::ops::Range<usize>> + 't {
        self.raw.find_iter(text.as_bytes()).map(|m| m.range())
    }
}

/// Whether `text` holds `lowered` (lower-cased already) in any case. Without allocating when
/// both are ASCII: error messages are searched on every keystroke.
pub(crate) fn contains_lowered(text: &str, lowered: &str) -> bool {
    if text.is_ascii() && lowered.is_ascii() {
        lowered.is_empty()
            || text.as_bytes().windows(lowered.len()).any(|window| window.eq_ignore_ascii_case(lowered.as_bytes()))
    } else {
        text.to_lowercase().contains(lowered)
    }
}

/// The query as it would appear inside a JSON string literal.
fn json_escaped(query: &str, ascii_only: bool) -> String {
    let mut out = String::with_capacity(query.len());
    for c in query.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (ascii_only && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> LogSet {
        LogSet::parse(
            r#"[
            {"id": 1, "webhook_url": "https://a.example/x", "webhook_type": "transcript", "success": true, "response_status_code": 200,
             "request_payload": {"text": "Hola Jos\u00e9, say \"hi\""}, "response_body": "ok"},
            {"id": 2, "webhook_url": "https://b.example/y", "webhook_type": "call_ended", "success": false, "response_status_code": 502,
             "request_payload": {"text": "bye"}, "response_body": "<html><title>Bad Gateway</title></html>"},
            {"id": 3, "webhook_url": "https://b.example/y", "webhook_type": "transcript", "success": false, "error_message": "Connection refused"},
            {"id": 40, "webhook_url": "https://c.example/Z", "webhook_type": "SMS-Error", "success": false, "error_message": "Échec: hôte introuvable"}
        ]"#,
        )
        .unwrap()
    }

    fn ids(set: &LogSet, filter: &Filter) -> Vec<i64> {
        filter.apply(set).into_iter().map(|i| set.logs[i].id).collect()
    }

    #[rstest::rstest]
    #[case::everything(Filter::default(), &[1, 2, 3, 40])]
    #[case::failed(Filter { status: StatusFilter::Failed, ..Filter::default() }, &[2, 3, 40])]
    #[case::succeeded(Filter { status: StatusFilter::Succeeded, ..Filter::default() }, &[1])]
    #[case::one_type(Filter { types: ["transcript".to_owned()].into(), ..Filter::default() }, &[1, 3])]
    #[case::type_and_failed(Filter { types: ["transcript".to_owned()].into(), status: StatusFilter::Failed, ..Filter::default() }, &[3])]
    #[case::status_code(Filter { text: "502".to_owned(), ..Filter::default() }, &[2])]
    #[case::error_text_any_case(Filter { text: "REFUSED".to_owned(), ..Filter::default() }, &[3])]
    #[case::response_body(Filter { text: "bad gateway".to_owned(), ..Filter::default() }, &[2])]
    #[case::payload_escaped_unicode(Filter { text: "josé".to_owned(), ..Filter::default() }, &[1])]
    #[case::payload_escaped_quote(Filter { text: "say \"hi\"".to_owned(), ..Filter::default() }, &[1])]
    #[case::url(Filter { text: "b.example".to_owned(), ..Filter::default() }, &[2, 3])]
    #[case::nothing(Filter { text: "zebra".to_owned(), ..Filter::default() }, &[])]
    #[case::id(Filter { text: "40".to_owned(), ..Filter::default() }, &[40])]
    #[case::type_any_case(Filter { text: "sms-error".to_owned(), ..Filter::default() }, &[40])]
    #[case::url_any_case(Filter { text: "EXAMPLE/z".to_owned(), ..Filter::default() }, &[40])]
    #[case::non_ascii_error_any_case(Filter { text: "ÉCHEC: HÔTE".to_owned(), ..Filter::default() }, &[40])]
    fn filters_select_the_expected_logs(#[case] filter: Filter, #[case] expected: &[i64]) {
        assert_eq!(ids(&set(), &filter), expected);
    }

    #[rstest::rstest]
    #[case::timeout("TIMEOUT", &[2])]
    // The detail calls a timeout "no response (timeout?)".
    #[case::no_response("no response", &[2, 3, 4])]
    #[case::status_code("50", &[1])]
    fn a_search_finds_the_ending_the_list_shows(#[case] text: &str, #[case] expected: &[i64]) {
        let set = LogSet::parse(
            r#"[
            {"id": 1, "webhook_url": "u", "webhook_type": "t", "success": false, "response_status_code": 503},
            {"id": 2, "webhook_url": "u", "webhook_type": "t", "success": false, "error_message": ""},
            {"id": 3, "webhook_url": "u", "webhook_type": "t", "success": false, "error_message": "Connection refused"},
            {"id": 4, "webhook_url": "u", "webhook_type": "t", "success": false, "response_time_ms": 12}
        ]"#,
        )
        .unwrap();
        let words: Vec<String> = set.logs.iter().map(|log| Ending::of(log).word()).collect();
        assert_eq!(words, ["503", "timeout", "no response", "no response"], "what the list shows");
        assert_eq!(ids(&set, &Filter { text: text.to_owned(), ..Filter::default() }), expected);
    }

    /// What the list and the detail show for each log, and a search for it.
    #[rstest::rstest]
    #[case::reason_phrase("internal server ERROR", &[1])]
    #[case::code_and_reason("500 internal", &[1])]
    #[case::code_and_a_space_on_the_way("500 ", &[1])]
    #[case::why_no_response("connection error", &[3])]
    #[case::timeout_phrase("(timeout?)", &[2])]
    #[case::list_clock("19:22:05", &[2])]
    #[case::clock_with_milliseconds("19:22:04.123", &[1])]
    #[case::detail_date_and_time("2025-08-24 19:22:06", &[3])]
    #[case::duration_in_ms("230 ms", &[1])]
    #[case::duration_in_seconds("30.0 s", &[2])]
    #[case::retries("retries 2", &[3])]
    #[case::type_as_drawn("sms␛sent", &[4])]
    #[case::digits_alone_are_not_everything("2026", &[])]
    fn a_search_finds_what_the_list_and_the_detail_show(#[case] text: &str, #[case] expected: &[i64]) {
        let set = LogSet::parse(
            r#"[
            {"id": 1, "webhook_url": "u", "webhook_type": "t", "success": false, "response_status_code": 500,
             "attempted_at": "2025-08-24T19:22:04.123456", "response_time_ms": 230},
            {"id": 2, "webhook_url": "u", "webhook_type": "t", "success": false, "error_message": "",
             "attempted_at": "2025-08-24T19:22:05Z", "response_time_ms": 30004},
            {"id": 3, "webhook_url": "u", "webhook_type": "t", "success": false, "error_message": "Connection refused",
             "attempted_at": "2025-08-24T19:22:06Z", "retry_count": 2},
            {"id": 4, "webhook_url": "u", "webhook_type": "sms\u001bsent", "success": true, "response_status_code": 200}
        ]"#,
        )
        .unwrap();
        assert_eq!(ids(&set, &Filter { text: text.to_owned(), ..Filter::default() }), expected);
    }

    #[test]
    fn status_cycles_all_failed_succeeded_retried() {
        assert_eq!(StatusFilter::All.next().next().next().next(), StatusFilter::All);
        assert_eq!(StatusFilter::All.next(), StatusFilter::Failed);
    }
}
