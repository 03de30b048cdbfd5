//! One array element to one log. `serde_json` reads and validates the element; every member's
//! value is kept as the raw JSON text it was sent as (`RawValue`), so payloads keep their key
//! order, number text and any depth. Then each field is read on its own: one bad field is a
//! problem noted on its log, one bad entry is a rejected row, and neither hides the rest
//! (`burki-api.md`: every field but five may be null or missing, and types are open).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::name::Names;
use super::time::parse_timestamp;
use super::{Oddities, RejectedLog, Span, WebhookLog};
use crate::json_text;

/// The first `f64` past `u64::MAX`.
const TWO_TO_THE_64: f64 = 18_446_744_073_709_551_616.0;

/// The body ends (after the closing quote) with this when the server cut it.
const TRUNCATION_MARK: &str = "... [TRUNCATED]\"";

/// What one array element became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    Log(WebhookLog),
    Rejected(RejectedLog),
}

/// Reads the element `text`, the `index`th of the array. `names` shares webhook types and URLs
/// between the logs of one call.
pub(super) fn decode_element(text: Arc<str>, index: usize, names: &mut [Names; 2]) -> Decoded {
    let reason = match serde_json::from_str::<Members<'_, true>>(&text) {
        Ok(members) => match decode_entry(index, &text, &text, &members, names) {
            Ok(log) => return Decoded::Log(log),
            Err(reason) => reason,
        },
        Err(err) => match serde_json::from_str::<&RawValue>(&text) {
            Ok(value) => format!("expected an object, got {}", kind_of(value.get())),
            Err(_) => format!("not valid JSON: {}", without_position_suffix(&err)),
        },
    };
    Decoded::Rejected(RejectedLog { index, raw: text, reason })
}

/// Reads the element at the start of `text` if it is a whole, valid object, saying how long it
/// is: one pass of `serde_json` over the text, where finding the element's end first would be two.
/// `None` otherwise (cut short, broken, not an object): the splitter then finds where the
/// element ends, and [`decode_element`] says what is wrong with it.
pub(super) fn decode_object_at(text: &str, index: usize, names: &mut [Names; 2]) -> Option<(usize, Decoded)> {
    if !text.starts_with('{') {
        return None;
    }
    let mut values = serde_json::Deserializer::from_str(text).into_iter::<Members<'_, false>>();
    let members = values.next()?.ok()?;
    let end = values.byte_offset();
    let entry = text.get(..end)?;
    let text: Arc<str> = Arc::from(entry);
    let decoded = match decode_entry(index, entry, &text, &members, names) {
        Ok(log) => Decoded::Log(log),
        Err(reason) => Decoded::Rejected(RejectedLog { index, raw: text, reason }),
    };
    Some((end, decoded))
}

/// serde's messages end in `at line 1 column 57`: within one entry, which the message names
/// anyway, a character count reads better.
fn without_position_suffix(err: &serde_json::Error) -> String {
    let message = err.to_string();
    match message.rfind(" at line ") {
        Some(at) => format!("{} (at character {} of the entry)", &message[..at], err.column()),
        None => message,
    }
}

pub(super) fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The members of one entry, values left as JSON text: the known fields in slots (the last of a
/// repeated one wins, as in most JSON readers), the others in the order sent.
///
/// Member names are read as strings; `LENIENT_NAMES` reads them as bytes instead, which
/// `serde_json` gives even for an escaped lone surrogate (a name it refuses as a string). That is
/// slower, so it is the second try for an entry the first refused.
struct Members<'a, const LENIENT_NAMES: bool> {
    known: [Option<&'a RawValue>; KNOWN_FIELDS.len()],
    /// Known fields sent more than once, once per repeat, to be reported.
    repeated: Vec<&'static str>,
    /// Unknown fields, the first of each name.
    extra: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a, const LENIENT_NAMES: bool> Members<'a, LENIENT_NAMES> {
    fn add(&mut self, name: Cow<'a, str>, value: &'a RawValue) {
        match known_field(&name) {
            Some(slot) => {
                if self.known[slot].replace(value).is_some() {
                    self.repeated.push(KNOWN_FIELDS[slot]);
                }
            }
            None if self.extra.iter().any(|(other, _)| *other == name) => {}
            None => self.extra.push((name, value)),
        }
    }
}

impl<'de, const LENIENT_NAMES: bool> Deserialize<'de> for Members<'de, LENIENT_NAMES> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MembersVisitor::<LENIENT_NAMES>)
    }
}

struct MembersVisitor<const LENIENT_NAMES: bool>;

impl<'de, const LENIENT_NAMES: bool> Visitor<'de> for MembersVisitor<LENIENT_NAMES> {
    type Value = Members<'de, LENIENT_NAMES>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Members { known: [None; KNOWN_FIELDS.len()], repeated: Vec::new(), extra: Vec::new() };
        while let Some(MemberName::<LENIENT_NAMES>(name)) = map.next_key()? {
            members.add(name, map.next_value()?);
        }
        Ok(members)
    }
}

/// A member name, borrowed from the entry unless it had escapes to decode. `LENIENT` reads it
/// as bytes, where an escaped lone surrogate reads as U+FFFD.
struct MemberName<'a, const LENIENT: bool>(Cow<'a, str>);

impl<'de, const LENIENT: bool> Deserialize<'de> for MemberName<'de, LENIENT> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NameVisitor<const LENIENT: bool>;
        impl<'de, const LENIENT: bool> Visitor<'de> for NameVisitor<LENIENT> {
            type Value = MemberName<'de, LENIENT>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a member name")
            }

            fn visit_borrowed_str<E>(self, name: &'de str) -> Result<Self::Value, E> {
                Ok(MemberName(Cow::Borrowed(name)))
            }

            fn visit_str<E>(self, name: &str) -> Result<Self::Value, E> {
                Ok(MemberName(Cow::Owned(name.to_owned())))
            }

            fn visit_borrowed_bytes<E>(self, name: &'de [u8]) -> Result<Self::Value, E> {
                Ok(MemberName(String::from_utf8_lossy(name)))
            }

            fn visit_bytes<E>(self, name: &[u8]) -> Result<Self::Value, E> {
                Ok(MemberName(Cow::Owned(String::from_utf8_lossy(name).into_owned())))
            }
        }
        if LENIENT {
            deserializer.deserialize_bytes(NameVisitor::<LENIENT>)
        } else {
            deserializer.deserialize_str(NameVisitor::<LENIENT>)
        }
    }
}

/// The fields of the API's table; [`Members::known`] is indexed the same way.
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

/// The slot of a known field. A `match` compiles to a length switch and a comparison, where a
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

/// The log an entry describes: `entry` is the text `members` was read from, and `text` the same
/// text as the log keeps it. `Err` with the reason when the entry has no usable `id`.
fn decode_entry<const LENIENT_NAMES: bool>(
    index: usize,
    entry: &str,
    text: &Arc<str>,
    members: &Members<'_, LENIENT_NAMES>,
    names: &mut [Names; 2],
) -> Result<WebhookLog, String> {
    if u32::try_from(entry.len()).is_err() {
        return Err("the entry is over 4 GiB".to_owned());
    }
    let mut problems: Vec<String> = members
        .repeated
        .iter()
        .map(|name| format!("field `{name}` appears more than once; the last value is used"))
        .collect();
    let field = |at: usize| members.known[at].map(RawValue::get).filter(|raw| *raw != "null");
    // An entry's length fits in a `Span`: one over 4 GiB is refused above.
    let offset = |at: usize| u32::try_from(at).unwrap_or(u32::MAX);
    let span_of = |raw: &str| {
        let start = raw.as_ptr().addr() - entry.as_ptr().addr();
        offset(start)..offset(start + raw.len())
    };

    let id = match field(ID).map(str::parse::<i64>) {
        Some(Ok(id)) => id,
        Some(Err(_)) => {
            return Err(format!("field `id`: expected an integer, got {}", preview(field(ID).unwrap_or(""))));
        }
        None => return Err("field `id` is missing".to_owned()),
    };
    let mut fields = Fields { problems: &mut problems };
    let call_id = fields.integer::<i64>("call_id", field(CALL_ID), "an integer");
    let assistant_id = fields.integer::<i64>("assistant_id", field(ASSISTANT_ID), "an integer");
    let webhook_url = fields.required_string("webhook_url", field(WEBHOOK_URL));
    let webhook_url = names[0].get(&webhook_url);
    let webhook_type = fields.required_string("webhook_type", field(WEBHOOK_TYPE));
    let webhook_type = names[1].get(&webhook_type);
    let response_status_code =
        fields.integer::<u16>("response_status_code", field(RESPONSE_STATUS_CODE), "an HTTP status code");
    let response_time_ms = fields.milliseconds(field(RESPONSE_TIME_MS));
    let attempted_at = fields.string("attempted_at", field(ATTEMPTED_AT), "a date-time string").and_then(|text| {
        let parsed = parse_timestamp(&text);
        if parsed.is_none() {
            fields.problems.push(format!("field `attempted_at`: {} is not an ISO 8601 date-time", preview(&text)));
        }
        parsed
    });
    let error_message = fields.string("error_message", field(ERROR_MESSAGE), "a string").map(Box::from);
    let retry_count = fields.integer::<u32>("retry_count", field(RETRY_COUNT), "a non-negative integer").unwrap_or(0);
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
        field(at).map(|raw| {
            if !raw.starts_with('{') {
                let name = KNOWN_FIELDS[at];
                fields
                    .problems
                    .push(format!("field `{name}`: expected an object, got {}; shown as sent", kind_of(raw)));
            }
            span_of(raw)
        })
    };
    let request_payload = object_or_null(REQUEST_PAYLOAD);
    let webhook_metadata = object_or_null(WEBHOOK_METADATA);
    let extra_fields: Vec<(String, Span)> =
        members.extra.iter().map(|(name, value)| (name.clone().into_owned(), span_of(value.get()))).collect();
    let oddities =
        (!extra_fields.is_empty() || !problems.is_empty()).then(|| Box::new(Oddities { extra_fields, problems }));

    Ok(WebhookLog {
        index,
        text: Arc::clone(text),
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
        oddities,
    })
}

struct Fields<'p> {
    problems: &'p mut Vec<String>,
}

impl Fields<'_> {
    /// A nullable integer field; a value of another type is a problem and reads as null.
    fn integer<T: std::str::FromStr>(&mut self, name: &str, raw: Option<&str>, expected: &str) -> Option<T> {
        // For JSON number text (already validated), `str::parse` accepts exactly the integers
        // serde_json would: no fraction, no exponent, in range.
        let raw = raw?;
        let value = raw.parse().ok();
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw)));
        }
        value
    }

    /// `response_time_ms`: a whole number of milliseconds, or a fraction rounded.
    fn milliseconds(&mut self, raw: Option<&str>) -> Option<u64> {
        let raw = raw?;
        let Ok(ms) = serde_json::from_str::<f64>(raw) else {
            self.problems.push(format!("field `response_time_ms`: expected a number, got {}", preview(raw)));
            return None;
        };
        // At or past 2^64 it would be clamped to a different number without a word.
        if (0.0..TWO_TO_THE_64).contains(&ms) {
            #[expect(
                clippy::cast_possible_truncation,
                clippy::cast_sign_loss,
                reason = "checked finite and non-negative; sub-millisecond parts do not matter"
            )]
            Some(ms.round() as u64)
        } else {
            self.problems.push(format!("field `response_time_ms`: {ms} is not a duration"));
            None
        }
    }

    /// A nullable string field, borrowed when it has no escapes. An escaped lone surrogate (a
    /// server cutting text between the two halves of a pair) becomes U+FFFD instead of losing
    /// the whole value: a lost error message would turn a refused connection into "no response".
    fn string<'a>(&mut self, name: &str, raw: Option<&'a str>, expected: &str) -> Option<Cow<'a, str>> {
        let raw = raw?;
        if let Some(plain) = raw.strip_prefix('"').and_then(|rest| rest.strip_suffix('"')).filter(|s| !s.contains('\\'))
        {
            return Some(Cow::Borrowed(plain));
        }
        let value = json_text::decode_string(raw).map(Cow::Owned);
        if value.is_none() {
            self.problems.push(format!("field `{name}`: expected {expected}, got {}", preview(raw)));
        }
        value
    }

    /// A string field the API always sends; missing or mistyped, it reads as empty with a problem.
    fn required_string<'a>(&mut self, name: &str, raw: Option<&'a str>) -> Cow<'a, str> {
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

    fn decode(text: &str) -> Decoded {
        decode_element(Arc::from(text), 0, &mut Default::default())
    }

    fn rejected(text: &str) -> String {
        match decode(text) {
            Decoded::Rejected(rejected) => rejected.reason,
            Decoded::Log(log) => panic!("decoded {log:?}"),
        }
    }

    #[test]
    fn entries_decode_alike_whatever_their_member_order_and_spacing() {
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
        for entry in [&forward, &backward, &with_other, &spaced, &escaped] {
            let Decoded::Log(log) = decode(entry) else { panic!("{entry}") };
            assert!(log.problems().is_empty(), "{:?}", log.problems());
            let seen = (log.id, log.webhook_type.as_str(), log.success, log.response_status_code);
            assert_eq!(seen, (7, "transcript", false, Some(502)), "{entry}");
            assert_eq!(log.webhook_url, "https://h/x");
            assert!(log.attempted_at.is_some());
        }
        let Decoded::Log(log) = decode(&with_other) else { panic!() };
        let extra: Vec<_> = log.extra_fields().iter().map(|(name, span)| (name.as_str(), log.slice(span))).collect();
        assert_eq!(extra, [("x", "1"), ("y", "[1]")]);
    }

    #[test]
    fn an_entry_that_is_not_valid_json_inside_is_rejected_alone_with_the_reason() {
        let control = rejected("{\"id\": 1, \"webhook_type\": \"a\u{1}b\"}");
        assert!(control.starts_with("not valid JSON: control character"), "{control}");
        assert!(control.contains("of the entry"), "{control}");
        assert!(rejected(r#"{"id": 1, "response_time_ms": NaN}"#).starts_with("not valid JSON: expected value"));
        assert_eq!(rejected("[1, 2]"), "expected an object, got an array");
        assert_eq!(rejected("\"text\""), "expected an object, got a string");
    }

    #[test]
    fn the_field_list_and_its_slots_agree() {
        for (slot, name) in KNOWN_FIELDS.iter().enumerate() {
            assert_eq!(known_field(name), Some(slot), "{name}");
        }
    }

    #[test]
    fn a_member_name_with_a_lone_surrogate_does_not_cost_the_entry() {
        let Decoded::Log(log) =
            decode(r#"{"id": 3, "x\ud800": 1, "webhook_url": "u", "webhook_type": "t", "success": true}"#)
        else {
            panic!("rejected")
        };
        assert_eq!(log.id, 3);
        assert!(log.extra_fields()[0].0.starts_with("x\u{fffd}"), "{:?}", log.extra_fields());
    }
}
