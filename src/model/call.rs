//! The call a set of logs belongs to (`GET /api/v1/calls/{id}`), for the header. Decoded
//! leniently: any field may be null, absent or of a surprising type; what cannot be read is
//! simply not shown.

use std::collections::HashMap;

use serde_json::Number;
use serde_json::value::RawValue;

use crate::json_text;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallInfo {
    pub id: Option<i64>,
    pub call_sid: Option<String>,
    pub assistant_id: Option<i64>,
    pub assistant_name: Option<String>,
    pub status: Option<String>,
    pub duration_seconds: Option<f64>,
    pub to_phone_number: Option<String>,
    pub customer_phone_number: Option<String>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    /// The object as the server sent it, kept for case files.
    pub raw: String,
}

impl CallInfo {
    /// # Errors
    /// When the text is not a JSON object.
    pub fn from_json(text: &str) -> Result<Self, String> {
        // Members kept raw and read one by one: a string cut inside a surrogate pair (`"\ud83d"`)
        // costs that one field its last character, not the whole header.
        let members: HashMap<String, &RawValue> = serde_json::from_str(text).map_err(|err| {
            if serde_json::from_str::<&RawValue>(text).is_ok() {
                "the call is not a JSON object".to_owned()
            } else {
                format!("the call is not JSON: {err}")
            }
        })?;
        let raw = |key: &str| members.get(key).map(|raw| raw.get());
        let integer = |key: &str| raw(key).and_then(|raw| serde_json::from_str::<i64>(raw).ok());
        let string = |key: &str| raw(key).and_then(string_field);
        Ok(Self {
            id: integer("id"),
            call_sid: string("call_sid"),
            assistant_id: integer("assistant_id"),
            assistant_name: string("assistant_name"),
            status: string("status"),
            duration_seconds: raw("duration").and_then(|raw| serde_json::from_str::<f64>(raw).ok()),
            to_phone_number: string("to_phone_number"),
            customer_phone_number: string("customer_phone_number"),
            started_at: string("started_at"),
            ended_at: string("ended_at"),
            raw: text.trim().to_owned(),
        })
    }
}

/// A string member as text, a number as its digits; anything else (or an empty string) is not
/// shown.
fn string_field(raw: &str) -> Option<String> {
    if raw.starts_with('"') {
        json_text::decode_string(raw).filter(|text| !text.is_empty())
    } else {
        serde_json::from_str::<Number>(raw).ok().map(|number| number.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_surrogate_costs_only_its_field_a_character() {
        let call = CallInfo::from_json(
            r#"{"id": 101, "call_sid": "CA1", "assistant_name": "Front desk \ud83d", "status": "completed",
                "duration": 42.5, "to_phone_number": 15550100, "started_at": "", "ended_at": null}"#,
        )
        .unwrap();
        assert_eq!(call.id, Some(101));
        assert_eq!(call.assistant_name.as_deref(), Some("Front desk \u{fffd}"));
        assert_eq!(call.status.as_deref(), Some("completed"));
        assert_eq!(call.duration_seconds, Some(42.5));
        assert_eq!(call.to_phone_number.as_deref(), Some("15550100"));
        assert_eq!((call.started_at, call.ended_at), (None, None));
    }

    #[test]
    fn what_is_not_an_object_says_so() {
        assert_eq!(CallInfo::from_json("[1]").unwrap_err(), "the call is not a JSON object");
        assert!(CallInfo::from_json("{\"id\": ").unwrap_err().starts_with("the call is not JSON: "));
    }
}
