//! Documents `--file` and `--demo` open: a bare array of logs as the API returns it, or a
//! hookscope case file (`{"hookscope_case": 1, "call": {…} | null, "logs": […]}`) that also
//! carries the call's details for the header.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::model::{CallInfo, DecodeError, LogSet};

/// The `hookscope_case` version this build writes and reads.
pub const CASE_FORMAT_VERSION: u32 = 1;

/// A call's logs and, when the document has them, its details.
#[derive(Debug, Clone, Default)]
pub struct LoadedCall {
    pub call: Option<CallInfo>,
    pub logs: LogSet,
}

#[derive(Deserialize)]
struct CaseFileShape<'a> {
    hookscope_case: u32,
    #[serde(borrow, default)]
    call: Option<&'a RawValue>,
    #[serde(borrow)]
    logs: &'a RawValue,
}

/// Reads an API response array or a case file.
///
/// # Errors
/// When the text is neither; a bad entry inside the logs is not an error (see [`LogSet`]).
pub fn parse_document(text: String) -> Result<LoadedCall, DecodeError> {
    if !text.trim_start().starts_with('{') {
        return Ok(LoadedCall { call: None, logs: LogSet::parse(text)? });
    }
    let (call, logs_span) = match serde_json::from_str::<CaseFileShape>(&text) {
        Ok(case) if case.hookscope_case <= CASE_FORMAT_VERSION => {
            let start = case.logs.get().as_ptr().addr() - text.as_ptr().addr();
            let call = case.call.filter(|raw| raw.get() != "null").and_then(|raw| CallInfo::from_json(raw.get()).ok());
            (call, start..start + case.logs.get().len())
        }
        Ok(_) => {
            return Err(DecodeError::NotJson(format!(
                "a hookscope case file newer than this build (format > {CASE_FORMAT_VERSION})"
            )));
        }
        Err(_) => return LogSet::parse(text).map(|logs| LoadedCall { call: None, logs }),
    };
    Ok(LoadedCall { call, logs: LogSet::parse_array_at(text, logs_span)? })
}

/// The sample call bundled for `--demo`.
pub const DEMO_CALL: &str = include_str!("../assets/demo-call.json");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_file_brings_its_call_details() {
        let loaded = parse_document(
            r#"{"hookscope_case": 1, "call": {"id": 101, "call_sid": "CAabc", "status": "completed"},
                "logs": [{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}]}"#
                .to_owned(),
        )
        .unwrap();
        assert_eq!(loaded.call.unwrap().call_sid.as_deref(), Some("CAabc"));
        assert_eq!(
            loaded.logs.raw(&loaded.logs.logs[0]),
            r#"{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}"#
        );
    }

    #[test]
    fn an_error_object_is_not_a_case_file() {
        assert_eq!(
            parse_document(r#"{"detail": "Not Found"}"#.to_owned()).unwrap_err(),
            DecodeError::NotAnArray("an object")
        );
    }
}
