//! The call a set of logs belongs to (`GET /api/v1/calls/{id}`), for the header. Decoded
//! leniently: any field may be null, absent or of a surprising type; what cannot be read is
//! simply not shown.

use serde_json::{Map, Value};

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
        let value: Value = serde_json::from_str(text).map_err(|err| format!("the call is not JSON: {err}"))?;
        let Value::Object(object) = value else {
            return Err("the call is not a JSON object".to_owned());
        };
        let string = |key: &str| string_field(&object, key);
        Ok(Self {
            id: object.get("id").and_then(Value::as_i64),
            call_sid: string("call_sid"),
            assistant_id: object.get("assistant_id").and_then(Value::as_i64),
            assistant_name: string("assistant_name"),
            status: string("status"),
            duration_seconds: object.get("duration").and_then(Value::as_f64),
            to_phone_number: string("to_phone_number"),
            customer_phone_number: string("customer_phone_number"),
            started_at: string("started_at"),
            ended_at: string("ended_at"),
            raw: text.trim().to_owned(),
        })
    }
}

fn string_field(object: &Map<String, Value>, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(text) if !text.is_empty() => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}
