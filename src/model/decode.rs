//! Lenient decoding: the array first, then each entry on its own, then each field on its own.
//! One bad field is a problem noted on its log; one bad entry is a rejected row; neither hides
//! the rest (`burki-api.md`: every field but five may be null or missing, types are open).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::time::parse_timestamp;
use super::{RejectedLog, Span, WebhookLog};
use crate::json_text;

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

/// Below this many entries, threads cost more than they save.
const PARALLEL_FROM: usize = 4096;

/// The first `f64` past `u64::MAX`.
const TWO_TO_THE_64: f64 = 18_446_744_073_709_551_616.0;

/// The body ends (after the closing quote) with this when the server cut it.
const TRUNCATION_MARK: &str = "... [TRUNCATED]\"";

pub(super) fn decode_array(text: &str, array: Span) -> Result<(Vec<WebhookLog>, Vec<RejectedLog>), DecodeError> {
    let offset = array.start;
    let array_text = &text[array];
    let trimmed = array_text.trim_start();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    let base = text.as_ptr().addr();
    let span_of = |raw: &RawValue| {
        let start = raw.get().as_ptr().addr() - base;
        start..start + raw.get().len()
    };
    let elements = match element_ranges(array_text) {
        Some(ranges) => ranges
            .into_iter()
            .enumerate()
            .map(|(index, range)| Element {
                index,
                raw: offset + range.start..offset + range.end,
                text: &array_text[range],
            })
            .collect(),
        None => raw_elements(array_text, trimmed, &span_of)?,
    };
    let decode_chunk = |chunk: &[Element]| {
        let mut logs = Vec::with_capacity(chunk.len());
        let mut rejected = Vec::new();
        let mut invalid = false;
        for element in chunk {
            let decoded = match serde_json::from_str::<Members>(element.text) {
                Ok(Members(members)) => decode_entry(element.index, element.raw.clone(), &members, &span_of),
                Err(_) if serde_json::from_str::<&RawValue>(element.text).is_ok() => {
                    Err(format!("expected an object, got {}", kind_of(element.text)))
                }
                Err(_) => {
                    invalid = true;
                    continue;
                }
            };
            match decoded {
                Ok(log) => logs.push(log),
                Err(reason) => rejected.push(RejectedLog { index: element.index, raw: element.raw.clone(), reason }),
            }
        }
        (logs, rejected, invalid)
    };
    // Entries decode independently, so a big call is split across the cores.
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let (mut logs, mut rejected, mut invalid) = (Vec::with_capacity(elements.len()), Vec::new(), false);
    if threads > 1 && elements.len() >= PARALLEL_FROM {
        let chunk_len = elements.len().div_ceil(threads);
        let parts: Vec<_> = std::thread::scope(|scope| {
            let handles: Vec<_> =
                elements.chunks(chunk_len).map(|chunk| scope.spawn(move || decode_chunk(chunk))).collect();
            handles
                .into_iter()
                .map(|handle| handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
                .collect()
        });
        for (part_logs, part_rejected, part_invalid) in parts {
            logs.extend(part_logs);
            rejected.extend(part_rejected);
            invalid |= part_invalid;
        }
    } else {
        (logs, rejected, invalid) = decode_chunk(&elements);
    }
    if invalid {
        // An element that is not JSON at all: the whole body is not JSON, and the parser says
        // where and why.
        return Err(match serde_json::from_str::<Vec<&RawValue>>(array_text) {
            Err(err) => classify_non_array(trimmed, &err),
            Ok(_) => DecodeError::NotJson("an array whose elements could not be told apart".to_owned()),
        });
    }
    // Documented order is by attempt time with no tie-breaker; logs without a time go last.
    logs.sort_by(|a, b| {
        (a.attempted_at.is_none(), a.attempted_at, a.id).cmp(&(b.attempted_at.is_none(), b.attempted_at, b.id))
    });
    Ok((logs, rejected))
}

/// One element of the array: where it is, and its text.
struct Element<'a> {
    index: usize,
    raw: Span,
    text: &'a str,
}

/// The byte ranges of the array's elements, found by following strings and brackets only — a
/// fraction of the cost of parsing — so that the elements can then be parsed on every core.
/// `None` when the text is not shaped like an array (the parser then says what it is).
fn element_ranges(array_text: &str) -> Option<Vec<Span>> {
    let bytes = array_text.as_bytes();
    let skip_whitespace = |mut at: usize| {
        while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
            at += 1;
        }
        at
    };
    let mut at = skip_whitespace(0);
    (bytes.get(at) == Some(&b'[')).then_some(())?;
    at = skip_whitespace(at + 1);
    let mut ranges = Vec::new();
    if bytes.get(at) == Some(&b']') {
        return (skip_whitespace(at + 1) == bytes.len()).then_some(ranges);
    }
    loop {
        let start = at;
        let mut depth = 0usize;
        loop {
            match *bytes.get(at)? {
                b'"' => {
                    at = json_text::string_end(bytes, at);
                    continue;
                }
                b'{' | b'[' => depth += 1,
                // The end of the array, or the comma before the next element.
                b'}' | b']' | b',' if depth == 0 => break,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        at += 1;
                        break;
                    }
                }
                _ => {}
            }
            at += 1;
        }
        let mut end = at;
        while end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
            end -= 1;
        }
        (end > start).then_some(())?;
        ranges.push(start..end);
        at = skip_whitespace(at);
        match *bytes.get(at)? {
            b',' => at = skip_whitespace(at + 1),
            b']' => return (skip_whitespace(at + 1) == bytes.len()).then_some(ranges),
            _ => return None,
        }
    }
}

/// The elements as `serde_json` reads them: the fallback when [`element_ranges`] finds no
/// array, so that the error says exactly what the body is.
fn raw_elements<'a>(
    array_text: &'a str,
    trimmed: &str,
    span_of: &impl Fn(&RawValue) -> Span,
) -> Result<Vec<Element<'a>>, DecodeError> {
    let elements: Vec<&RawValue> = serde_json::from_str(array_text).map_err(|err| classify_non_array(trimmed, &err))?;
    Ok(elements
        .into_iter()
        .enumerate()
        .map(|(index, element)| Element { index, raw: span_of(element), text: element.get() })
        .collect())
}

fn classify_non_array(trimmed: &str, err: &serde_json::Error) -> DecodeError {
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

/// The members of one entry in the order sent, values left raw. Duplicate keys are kept here
/// so that they can be reported; the last one wins, as in most JSON readers.
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

/// A member name, borrowed from the text unless it holds escapes: one allocation fewer per
/// field of every log.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a member name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, text: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(text)))
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(text.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

impl<'de: 'a, 'a> serde::Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

const KNOWN_FIELDS: [&str; 14] = [
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

#[expect(clippy::too_many_lines, reason = "one field after another, in the order of the API table")]
fn decode_entry(
    index: usize,
    raw: Span,
    members: &[(Cow<'_, str>, &RawValue)],
    span_of: &impl Fn(&RawValue) -> Span,
) -> Result<WebhookLog, String> {
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (key, _) in members {
        if seen.contains(&key.as_ref()) && KNOWN_FIELDS.contains(&key.as_ref()) {
            problems.push(format!("field `{key}` appears more than once; the last value is used"));
        }
        seen.push(key);
    }
    let field = |name: &str| {
        members.iter().rev().find(|(key, _)| key == name).map(|(_, raw)| *raw).filter(|raw| raw.get() != "null")
    };

    let id = match field("id").map(|raw| serde_json::from_str::<i64>(raw.get())) {
        Some(Ok(id)) => id,
        Some(Err(_)) => {
            return Err(format!(
                "field `id`: expected an integer, got {}",
                preview(field("id").map_or("", RawValue::get))
            ));
        }
        None => return Err("field `id` is missing".to_owned()),
    };
    let mut fields = Fields { problems: &mut problems };
    let call_id = fields.typed::<i64>("call_id", field("call_id"), "an integer");
    let assistant_id = fields.typed::<i64>("assistant_id", field("assistant_id"), "an integer");
    let webhook_url = fields.required_string("webhook_url", field("webhook_url"));
    let webhook_type = fields.required_string("webhook_type", field("webhook_type"));
    let response_status_code =
        fields.typed::<u16>("response_status_code", field("response_status_code"), "an HTTP status code");
    let response_time_ms =
        fields.typed::<f64>("response_time_ms", field("response_time_ms"), "a number").and_then(|ms| {
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
    let attempted_at_text: Option<Cow<str>> =
        field("attempted_at").and_then(|raw| match serde_json::from_str(raw.get()) {
            Ok(text) => Some(Cow::Borrowed(text)),
            Err(_) => fields.string("attempted_at", Some(raw), "a date-time string").map(Cow::Owned),
        });
    let attempted_at = attempted_at_text.as_deref().and_then(|text| {
        let parsed = parse_timestamp(text);
        if parsed.is_none() {
            fields.problems.push(format!("field `attempted_at`: {} is not an ISO 8601 date-time", preview(text)));
        }
        parsed
    });
    let error_message = fields.string("error_message", field("error_message"), "a string");
    let retry_count = fields.typed::<u32>("retry_count", field("retry_count"), "a non-negative integer").unwrap_or(0);
    let success = match field("success").map(|raw| serde_json::from_str::<bool>(raw.get())) {
        Some(Ok(success)) => success,
        other => {
            let derived = matches!(response_status_code, Some(200..=202));
            let why = if other.is_some() { "is not a boolean" } else { "is missing" };
            fields.problems.push(format!("field `success` {why}; taken as {derived} from the status code"));
            derived
        }
    };

    let response_body = field("response_body").map(|raw| {
        if !raw.get().starts_with('"') {
            fields
                .problems
                .push(format!("field `response_body`: expected a string, got {}; shown as sent", kind_of(raw.get())));
        }
        span_of(raw)
    });
    let response_truncated = field("response_body").is_some_and(|raw| raw.get().ends_with(TRUNCATION_MARK));
    // Both are objects in the API; anything else is shown as sent, and said.
    let mut object_or_null = |name: &str| {
        field(name).map(|raw| {
            if !raw.get().starts_with('{') {
                fields
                    .problems
                    .push(format!("field `{name}`: expected an object, got {}; shown as sent", kind_of(raw.get())));
            }
            span_of(raw)
        })
    };
    let request_payload = object_or_null("request_payload");
    let webhook_metadata = object_or_null("webhook_metadata");
    let mut extra_fields: Vec<(String, Span)> = Vec::new();
    for (key, raw) in members {
        if !KNOWN_FIELDS.contains(&key.as_ref()) && !extra_fields.iter().any(|(k, _)| k == key.as_ref()) {
            extra_fields.push((key.clone().into_owned(), span_of(raw)));
        }
    }

    let status_text = response_status_code.map(|code| code.to_string()).unwrap_or_default();
    let search_text =
        format!("{webhook_type}\n{webhook_url}\n{status_text}\n{}\n{id}", error_message.as_deref().unwrap_or(""))
            .to_lowercase()
            .into_boxed_str();
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
        search_text,
    })
}

struct Fields<'p> {
    problems: &'p mut Vec<String>,
}

impl Fields<'_> {
    /// A nullable field of type `T`; a value of another type is a problem and reads as null.
    fn typed<T: serde::de::DeserializeOwned>(
        &mut self,
        name: &str,
        raw: Option<&RawValue>,
        expected: &str,
    ) -> Option<T> {
        let raw = raw?;
        let value = serde_json::from_str::<T>(raw.get()).ok();
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw.get())));
        }
        value
    }

    /// A nullable string field. An escaped lone surrogate (a server cutting text between the
    /// two halves of a pair) becomes U+FFFD instead of losing the whole value: a lost error
    /// message would turn a refused connection into "no response (timeout?)".
    fn string(&mut self, name: &str, raw: Option<&RawValue>, expected: &str) -> Option<String> {
        let raw = raw?;
        let value = json_text::decode_string(raw.get());
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw.get())));
        }
        value
    }

    /// A field the API always sends; missing or mistyped, it reads as empty with a problem.
    fn required_string(&mut self, name: &str, raw: Option<&RawValue>) -> String {
        if raw.is_none() {
            self.problems.push(format!("field `{name}` is missing"));
        }
        self.string(name, raw, "a string").unwrap_or_default()
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
    fn element_ranges_follow_strings_and_brackets() {
        let text =
            "[ {\"a\\\"b]\" : 1 , \"id\": 2 } ,{\"id\":3},\r\n 42 , \"x,]\" ,[1,[2]], {\"p\":{\"q\":[1,{}]}\t}\n]";
        let parts: Vec<&str> = element_ranges(text).unwrap().into_iter().map(|range| &text[range]).collect();
        assert_eq!(
            parts,
            ["{\"a\\\"b]\" : 1 , \"id\": 2 }", "{\"id\":3}", "42", "\"x,]\"", "[1,[2]]", "{\"p\":{\"q\":[1,{}]}\t}"]
        );
        assert_eq!(element_ranges(" [ ] ").unwrap(), Vec::<Span>::new());
    }

    #[test]
    fn anything_not_shaped_like_an_array_is_left_to_the_parser() {
        for text in ["{\"detail\": 1}", "[1, 2", "[1,]", "[\"open", "[1] x", "", "[,1]"] {
            assert!(element_ranges(text).is_none(), "{text}");
        }
    }
}
