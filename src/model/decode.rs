//! Lenient decoding of one entry, then of each field on its own.
//! One bad field is a problem noted on its log; one bad entry is a rejected row; neither hides
//! the rest (`burki-api.md`: every field but five may be null or missing, types are open).

use std::borrow::Cow;

use serde_json::value::RawValue;

use super::name::{Name, Names};
use super::scan;
use super::time::parse_timestamp;
use super::{RejectedLog, Span, WebhookLog};
use crate::{json_text, swar};

/// Why a body could not be read as a list of logs at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the body is empty")]
    Empty,
    #[error("expected JSON, got {0}")]
    NotJson(String),
    #[error("expected a JSON array of logs, got {0}")]
    NotAnArray(&'static str),
}

/// The first `f64` past `u64::MAX`.
const TWO_TO_THE_64: f64 = 18_446_744_073_709_551_616.0;

/// The body ends (after the closing quote) with this when the server cut it.
const TRUNCATION_MARK: &str = "... [TRUNCATED]\"";

/// A stretch of the response text and where it sits in the response: the whole text, or one
/// batch of a body still arriving.
#[derive(Debug, Clone, Copy)]
pub(super) struct Region<'a> {
    pub(super) text: &'a str,
    pub(super) offset: usize,
}

impl Region<'_> {
    /// Where a value read out of this region sits in the whole response.
    fn span_of(&self, raw: &str) -> Span {
        let start = raw.as_ptr().addr() - self.text.as_ptr().addr() + self.offset;
        start..start + raw.len()
    }

    /// Decodes the array element that starts at byte `at` of the region, and says where it
    /// ends. `None` when no JSON value starts there (the body is then not JSON).
    pub(super) fn decode_element(&self, at: usize, index: usize, into: &mut Decoded) -> Option<usize> {
        let (end, result) = if self.text.as_bytes().get(at) == Some(&b'{') {
            let (members, end) = Members::read(self.text, at, &mut into.scratch)?;
            let raw = self.offset + at..self.offset + end;
            (end, decode_entry(index, raw, &members, self, &mut into.scratch.names))
        } else {
            // Not an object: a rejected entry if it is JSON at all.
            let end = scan::value_end(self.text.as_bytes(), at, &mut into.scratch.nesting)?;
            (end, Err(format!("expected an object, got {}", kind_of(&self.text[at..end]))))
        };
        match result {
            Ok(log) => into.logs.push(log),
            Err(reason) => {
                let raw = self.offset + at..self.offset + end;
                into.rejected.push(RejectedLog { index, raw, reason });
            }
        }
        Some(end)
    }
}

/// The logs and rejected entries decoded from some elements.
#[derive(Debug, Default)]
pub(super) struct Decoded {
    pub(super) logs: Vec<WebhookLog>,
    pub(super) rejected: Vec<RejectedLog>,
    /// Once sifted, the text of the entries kept, which their spans then point into.
    pub(super) kept: String,
    scratch: Scratch,
}

pub(super) fn classify_non_array(trimmed: &str, err: &serde_json::Error) -> DecodeError {
    match serde_json::from_str::<&RawValue>(trimmed) {
        Ok(value) => DecodeError::NotAnArray(kind_of(value.get())),
        Err(_) if trimmed.starts_with('<') => DecodeError::NotJson("an HTML or XML page".to_owned()),
        Err(_) => {
            let head: String = trimmed.chars().take(60).collect();
            DecodeError::NotJson(format!("text that is not JSON ({err}), starting {head:?}"))
        }
    }
}

fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The members of one entry, values left as text: the known fields in slots (the last of a
/// repeated one wins, as in most JSON readers), the others in the order sent. Filled in one pass
/// with no allocation for a well-formed entry.
struct Members<'a> {
    known: [Option<&'a str>; KNOWN_FIELDS.len()],
    /// Bit `n` is set when known field `n` is a string with no escapes, so its text is the part
    /// between the quotes: found while scanning, so that nothing scans it again.
    plain: u16,
    /// Known fields sent more than once, once per repeat, to be reported.
    repeated: Vec<&'static str>,
    /// Unknown fields, the first of each name.
    extra: Vec<(Cow<'a, str>, &'a str)>,
}

impl<'a> Members<'a> {
    /// Reads the object whose `{` is at `at`, and says where it ends; `None` when it is not
    /// valid JSON.
    fn read(text: &'a str, at: usize, scratch: &mut Scratch) -> Option<(Self, usize)> {
        let bytes = text.as_bytes();
        let mut members =
            Members { known: [None; KNOWN_FIELDS.len()], plain: 0, repeated: Vec::new(), extra: Vec::new() };
        let mut at = scan::skip_whitespace(bytes, at + 1);
        if bytes.get(at) == Some(&b'}') {
            return Some((members, at + 1));
        }
        for place in 0.. {
            let mut unknown = None;
            let (slot, after_colon) = if let Some((slot, end)) = scratch.order.expected(place, bytes, at) {
                (Some(slot), end)
            } else {
                (bytes.get(at) == Some(&b'"')).then_some(())?;
                let key = scan::string_literal(bytes, at)?;
                let name = if key.escaped {
                    Cow::Owned(json_text::decode_string(&text[at..key.end]).unwrap_or_default())
                } else {
                    Cow::Borrowed(&text[at + 1..key.end - 1])
                };
                let slot = known_field(&name);
                scratch.order.learn(place, slot);
                if slot.is_none() {
                    unknown = Some(name);
                }
                let colon = scan::skip_whitespace(bytes, key.end);
                (bytes.get(colon) == Some(&b':')).then_some(())?;
                (slot, colon + 1)
            };
            let value_start = scan::skip_whitespace(bytes, after_colon);
            let (value_end, plain) = if bytes.get(value_start) == Some(&b'"') {
                let literal = scan::string_literal(bytes, value_start)?;
                (literal.end, !literal.escaped)
            } else {
                (scan::member_value_end(bytes, value_start, &mut scratch.nesting)?, false)
            };
            let value = &text[value_start..value_end];
            match slot {
                Some(slot) => members.add_known(slot, value, plain),
                None => members.add_other(unknown.unwrap_or_default(), value),
            }
            at = scan::skip_whitespace(bytes, value_end);
            match bytes.get(at)? {
                b',' => at = scan::skip_whitespace(bytes, at + 1),
                b'}' => return Some((members, at + 1)),
                _ => return None,
            }
        }
        None
    }

    fn add_known(&mut self, slot: usize, value: &'a str, plain: bool) {
        if self.known[slot].replace(value).is_some() {
            self.repeated.push(KNOWN_FIELDS[slot]);
        }
        self.plain = (self.plain & !(1 << slot)) | (u16::from(plain) << slot);
    }

    /// A field this version does not know, by its name (decoded: names are compared as JSON
    /// means them); the first of each name is kept.
    fn add_other(&mut self, name: Cow<'a, str>, value: &'a str) {
        if !self.extra.iter().any(|(other, _)| *other == name) {
            self.extra.push((name, value));
        }
    }
}

/// Space a decoding thread keeps from one entry to the next.
#[derive(Debug, Default)]
pub(super) struct Scratch {
    nesting: Vec<u8>,
    order: MemberOrder,
    /// URLs and types apart: a call has one URL or a few, which are then found first.
    names: [Names; 2],
}

/// The known fields in the order the last entry sent them. Entries from one server share an
/// order, so a member's name is first compared with the one that came in its place last time:
/// one comparison instead of scanning the name and looking it up, for most members of most logs.
#[derive(Debug)]
struct MemberOrder([u8; 24]);

impl Default for MemberOrder {
    fn default() -> Self {
        Self([Self::NONE; 24])
    }
}

impl MemberOrder {
    const NONE: u8 = u8::MAX;

    /// The slot of the known field whose name (a plain literal: quotes, name and colon) starts at
    /// `at` if it is the one expected in `place`, and where the colon after it ends. A name
    /// spaced from its colon is not recognised here, and is read the long way.
    fn expected(&self, place: usize, bytes: &[u8], at: usize) -> Option<(usize, usize)> {
        let slot = usize::from(*self.0.get(place)?);
        let literal = KNOWN_LITERALS.get(slot)?.as_bytes();
        let end = at + literal.len();
        swar::same(bytes.get(at..end)?, literal).then_some((slot, end))
    }

    fn learn(&mut self, place: usize, slot: Option<usize>) {
        if let Some(expected) = self.0.get_mut(place) {
            *expected = slot.and_then(|slot| u8::try_from(slot).ok()).unwrap_or(Self::NONE);
        }
    }
}

/// The fields of the API's table ([`Members::known`] is indexed the same way), and each as it
/// stands in compact JSON, quotes and colon, for [`MemberOrder`]'s comparisons: one list for
/// both. Taking in the colon spares looking for it, a tenth of the scan of an entry's members.
macro_rules! known_fields {
    ($($name:literal),* $(,)?) => {
        const KNOWN_FIELDS: [&str; 14] = [$($name),*];
        const KNOWN_LITERALS: [&str; KNOWN_FIELDS.len()] = [$(concat!("\"", $name, "\":")),*];
    };
}

known_fields![
    "id",
    "call_id",
    "assistant_id",
    "webhook_url",
    "webhook_type",
    "request_payload",
    "response_status_code",
    "response_body",
    "response_time_ms",
    "attempted_at",
    "success",
    "error_message",
    "retry_count",
    "webhook_metadata",
];
const ID: usize = 0;
const CALL_ID: usize = 1;
const ASSISTANT_ID: usize = 2;
const WEBHOOK_URL: usize = 3;
const WEBHOOK_TYPE: usize = 4;
const REQUEST_PAYLOAD: usize = 5;
const RESPONSE_STATUS_CODE: usize = 6;
const RESPONSE_BODY: usize = 7;
const RESPONSE_TIME_MS: usize = 8;
const ATTEMPTED_AT: usize = 9;
const SUCCESS: usize = 10;
const ERROR_MESSAGE: usize = 11;
const RETRY_COUNT: usize = 12;
const WEBHOOK_METADATA: usize = 13;

/// The slot of a known field. A `match` compiles to a length switch and one comparison, where a
/// search of the table would compare every name for every member of every log.
fn known_field(name: &str) -> Option<usize> {
    Some(match name {
        "id" => ID,
        "call_id" => CALL_ID,
        "assistant_id" => ASSISTANT_ID,
        "webhook_url" => WEBHOOK_URL,
        "webhook_type" => WEBHOOK_TYPE,
        "request_payload" => REQUEST_PAYLOAD,
        "response_status_code" => RESPONSE_STATUS_CODE,
        "response_body" => RESPONSE_BODY,
        "response_time_ms" => RESPONSE_TIME_MS,
        "attempted_at" => ATTEMPTED_AT,
        "success" => SUCCESS,
        "error_message" => ERROR_MESSAGE,
        "retry_count" => RETRY_COUNT,
        "webhook_metadata" => WEBHOOK_METADATA,
        _ => return None,
    })
}

#[expect(clippy::too_many_lines, reason = "one field after another, in the order of the API table")]
fn decode_entry(
    index: usize,
    raw: Span,
    members: &Members<'_>,
    region: &Region<'_>,
    names: &mut [Names; 2],
) -> Result<WebhookLog, String> {
    // Loops, not `collect`: most entries have none of either, and an empty `collect` still
    // cost ~100 instructions, twice a log.
    let mut problems = Vec::new();
    for name in &members.repeated {
        problems.push(format!("field `{name}` appears more than once; the last value is used"));
    }
    let field = |at: usize| members.known[at].filter(|raw| *raw != "null");
    let plain =
        |at: usize| members.known[at].filter(|_| members.plain & (1 << at) != 0).map(|raw| &raw[1..raw.len() - 1]);
    let span_of = |raw: &str| region.span_of(raw);

    let id = match field(ID).map(i64::from_json) {
        Some(Some(id)) => id,
        Some(None) => {
            return Err(format!("field `id`: expected an integer, got {}", preview(field(ID).unwrap_or(""))));
        }
        None => return Err("field `id` is missing".to_owned()),
    };
    let mut fields = Fields { problems: &mut problems };
    let call_id = fields.typed::<i64>("call_id", field(CALL_ID), "an integer");
    let assistant_id = fields.typed::<i64>("assistant_id", field(ASSISTANT_ID), "an integer");
    let webhook_url = fields.required_name("webhook_url", field(WEBHOOK_URL), plain(WEBHOOK_URL), &mut names[0]);
    let webhook_type = fields.required_name("webhook_type", field(WEBHOOK_TYPE), plain(WEBHOOK_TYPE), &mut names[1]);
    let response_status_code =
        fields.typed::<u16>("response_status_code", field(RESPONSE_STATUS_CODE), "an HTTP status code");
    let response_time_ms =
        fields.typed::<f64>("response_time_ms", field(RESPONSE_TIME_MS), "a number").and_then(|ms| {
            // At or past 2^64 it would be clamped to a different number without a word.
            if (0.0..TWO_TO_THE_64).contains(&ms) {
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "checked finite and non-negative; sub-millisecond parts do not matter"
                )]
                Some(ms.round() as u64)
            } else {
                fields.problems.push(format!("field `response_time_ms`: {ms} is not a duration"));
                None
            }
        });
    // Borrowed when the text has no escapes (always, for a real timestamp).
    let attempted_at_text: Option<Cow<str>> = match plain(ATTEMPTED_AT) {
        Some(text) => Some(Cow::Borrowed(text)),
        None => fields.string("attempted_at", field(ATTEMPTED_AT), "a date-time string").map(Cow::Owned),
    };
    let attempted_at = attempted_at_text.as_deref().and_then(|text| {
        let parsed = parse_timestamp(text);
        if parsed.is_none() {
            fields.problems.push(format!("field `attempted_at`: {} is not an ISO 8601 date-time", preview(text)));
        }
        parsed
    });
    let error_message = match plain(ERROR_MESSAGE) {
        Some(text) => Some(text.to_owned()),
        None => fields.string("error_message", field(ERROR_MESSAGE), "a string"),
    };
    let retry_count = fields.typed::<u32>("retry_count", field(RETRY_COUNT), "a non-negative integer").unwrap_or(0);
    let success = match field(SUCCESS) {
        Some("true") => true,
        Some("false") => false,
        other => {
            let derived = matches!(response_status_code, Some(200..=202));
            let why = if other.is_some() { "is not a boolean" } else { "is missing" };
            fields.problems.push(format!("field `success` {why}; taken as {derived} from the status code"));
            derived
        }
    };

    let response_body = field(RESPONSE_BODY).map(|raw| {
        if !raw.starts_with('"') {
            fields
                .problems
                .push(format!("field `response_body`: expected a string, got {}; shown as sent", kind_of(raw)));
        }
        span_of(raw)
    });
    let response_truncated = field(RESPONSE_BODY).is_some_and(|raw| raw.ends_with(TRUNCATION_MARK));
    // Both are objects in the API; anything else is shown as sent, and said.
    let mut object_or_null = |at: usize| {
        let name = KNOWN_FIELDS[at];
        field(at).map(|raw| {
            if !raw.starts_with('{') {
                fields
                    .problems
                    .push(format!("field `{name}`: expected an object, got {}; shown as sent", kind_of(raw)));
            }
            span_of(raw)
        })
    };
    let request_payload = object_or_null(REQUEST_PAYLOAD);
    let webhook_metadata = object_or_null(WEBHOOK_METADATA);
    let mut extra_fields = Vec::new();
    for (key, raw) in &members.extra {
        extra_fields.push((key.clone().into_owned(), span_of(raw)));
    }

    Ok(WebhookLog {
        index,
        raw,
        id,
        call_id,
        assistant_id,
        webhook_url,
        webhook_type,
        request_payload,
        response_status_code,
        response_body,
        response_truncated,
        response_time_ms,
        attempted_at,
        success,
        error_message,
        retry_count,
        webhook_metadata,
        extra_fields,
        problems,
    })
}

/// A JSON scalar read from its text, which has been checked as JSON already.
trait Scalar: Sized {
    fn from_json(text: &str) -> Option<Self>;
}

/// For JSON number text, `str::parse` accepts exactly the integers `serde_json` would (no
/// fraction, no exponent, in range), without setting up a parser for every field of every log.
macro_rules! integer_scalar {
    ($($int:ty),*) => {$(
        impl Scalar for $int {
            fn from_json(text: &str) -> Option<Self> {
                text.parse().ok()
            }
        }
    )*};
}
integer_scalar!(i64, u16, u32);

impl Scalar for f64 {
    fn from_json(text: &str) -> Option<Self> {
        // Durations are whole milliseconds in practice: read those as integers, which spares
        // setting up a parser for every log. Exact up to 2^53, as the float parse is.
        match text.parse::<u32>() {
            Ok(whole) => Some(f64::from(whole)),
            Err(_) => serde_json::from_str(text).ok(),
        }
    }
}

struct Fields<'p> {
    problems: &'p mut Vec<String>,
}

impl Fields<'_> {
    /// A nullable field of type `T`; a value of another type is a problem and reads as null.
    fn typed<T: Scalar>(&mut self, name: &str, raw: Option<&str>, expected: &str) -> Option<T> {
        let raw = raw?;
        let value = T::from_json(raw);
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw)));
        }
        value
    }

    /// A nullable string field. An escaped lone surrogate (a server cutting text between the
    /// two halves of a pair) becomes U+FFFD instead of losing the whole value: a lost error
    /// message would turn a refused connection into "no response (timeout?)".
    fn string(&mut self, name: &str, raw: Option<&str>, expected: &str) -> Option<String> {
        let raw = raw?;
        let value = json_text::decode_string(raw);
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw)));
        }
        value
    }

    /// A string field the API always sends, shared with the logs that have the same; missing
    /// or mistyped, it reads as empty with a problem.
    /// `plain` is the text when it needs no decoding.
    fn required_name(&mut self, name: &str, raw: Option<&str>, plain: Option<&str>, names: &mut Names) -> Name {
        if raw.is_none() {
            self.problems.push(format!("field `{name}` is missing"));
        }
        match plain {
            Some(text) => names.get(text),
            None => names.get(&self.string(name, raw, "a string").unwrap_or_default()),
        }
    }
}

/// A short, single-line quotation of a bad value for a problem message.
fn preview(raw: &str) -> String {
    const MAX: usize = 40;
    let mut out: String = raw.chars().take(MAX).collect();
    if raw.chars().nth(MAX).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_lists_agree() {
        for (slot, name) in KNOWN_FIELDS.iter().enumerate() {
            assert_eq!(known_field(name), Some(slot), "{name}");
            assert_eq!(KNOWN_LITERALS[slot], format!("\"{name}\":"));
        }
    }

    /// The member order learnt from one entry is a guess for the next, never a rule.
    #[test]
    fn entries_decode_alike_whatever_their_member_order() {
        let members = [
            r#""id":7"#,
            r#""webhook_url":"https://h/x""#,
            r#""webhook_type":"transcript""#,
            r#""success":false"#,
            r#""response_status_code":502"#,
            r#""attempted_at":"2025-08-24T19:22:04Z""#,
        ];
        let forward = format!("{{{}}}", members.join(","));
        let backward = format!("{{{}}}", members.iter().rev().copied().collect::<Vec<_>>().join(","));
        let with_other = format!("{{\"x\":1,{},\"y\":[1]}}", members.join(","));
        let spaced = format!("{{ {} }}", members.join(" , ").replace("\":", "\" :\t"));
        let escaped = forward.replace(r#""id""#, r#""\u0069d""#).replace(r#""success""#, r#""succ\u0065ss""#);
        let text = format!("[{forward},{backward},{with_other},{escaped},{spaced},{forward}]");
        let mut decoded = Decoded::default();
        let region = Region { text: &text, offset: 0 };
        let mut at = 1;
        for index in 0..6 {
            at = region.decode_element(at, index, &mut decoded).expect("an entry") + 1;
        }
        let first = &decoded.logs[0];
        assert!(first.problems.is_empty(), "{:?}", first.problems);
        for log in &decoded.logs {
            let seen = (log.id, log.webhook_type.as_str(), log.success, log.response_status_code, log.attempted_at);
            assert_eq!(seen, (7, "transcript", false, Some(502), first.attempted_at), "entry {}", log.index);
            assert_eq!(log.webhook_url, "https://h/x");
        }
        assert_eq!(decoded.logs[2].extra_fields.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    }
}
