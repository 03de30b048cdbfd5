//! Documents `--file` and `--demo` open: a bare array of logs as the API returns it, or a
//! hookscope case file (`{"hookscope_case": 1, "call": {…} | null, "logs": […]}`) that also
//! carries the call's details for the header.

use serde::Deserialize;
use serde_json::value::RawValue;

use crate::model::{CallInfo, DecodeError, LogSet};

/// The byte order mark editors on Windows start a file with.
const BOM: char = '\u{feff}';

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
    let document = text.strip_prefix(BOM).unwrap_or(&text);
    if !document.trim_start().starts_with('{') {
        return Ok(LoadedCall { call: None, logs: LogSet::parse(text)? });
    }
    match serde_json::from_str::<CaseFileShape>(document) {
        Ok(case) if case.hookscope_case <= CASE_FORMAT_VERSION => {
            let call = case.call.filter(|raw| raw.get() != "null").and_then(|raw| CallInfo::from_json(raw.get()).ok());
            Ok(LoadedCall { call, logs: LogSet::parse(case.logs.get())? })
        }
        Ok(_) => Err(DecodeError::NotJson(format!(
            "a hookscope case file newer than this build (format > {CASE_FORMAT_VERSION})"
        ))),
        Err(_) => LogSet::parse(text).map(|logs| LoadedCall { call: None, logs }),
    }
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
        assert_eq!(loaded.logs.logs[0].raw(), r#"{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}"#);
    }

    #[test]
    fn the_demo_call_loads_cleanly() {
        let loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
        assert!(loaded.call.is_some());
        assert!((25..=40).contains(&loaded.logs.logs.len()), "{}", loaded.logs.logs.len());
        assert!(loaded.logs.rejected.is_empty());
        assert!(loaded.logs.logs.iter().all(|log| log.problems().is_empty()));
    }

    /// The demo is the app's showcase: if an edit drops a case, this says which.
    #[test]
    #[expect(clippy::too_many_lines, reason = "one assertion per feature the demo must show")]
    fn the_demo_call_shows_every_type_and_failure_kind() {
        use serde_json::{Value, json};

        use crate::model::Outcome;

        let loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
        let set = &loaded.logs;
        let logs = &set.logs;
        let body = |log: &crate::model::WebhookLog| log.response_body_text().unwrap_or_default();
        let any = |what: &str, test: &dyn Fn(&crate::model::WebhookLog) -> bool| {
            assert!(logs.iter().any(test), "the demo lost: {what}");
        };

        for kind in [
            "call_started",
            "call_ended",
            "transcript",
            "tool_call",
            "transfer_initiated",
            "sms_received",
            "status-update",
            "end-of-call-report",
            "sms-received",
            "sms-sent",
            "sms-error",
        ] {
            any(kind, &|log| log.webhook_type == kind);
        }
        assert!(logs.iter().filter(|log| log.webhook_type == "transcript").count() >= 5);

        // Payload styles, and one call told the same way everywhere.
        let sid = loaded.call.as_ref().and_then(|call| call.call_sid.clone()).unwrap();
        let payloads: Vec<Value> =
            logs.iter().map(|log| serde_json::from_str(log.payload().unwrap()).unwrap()).collect();
        assert!(payloads.iter().any(|p| p["event"].is_string() && p["call_sid"] == sid.as_str()), "docs style");
        assert!(payloads.iter().any(|p| p["message"]["type"] == "status-update"), "server style");
        assert!(
            payloads.iter().any(|p| p["message"]["type"] == "end-of-call-report"
                && p["message"]["messages"].as_array().is_some_and(|m| m.len() >= 8)
                && p["message"]["analysis"]["structuredData"].is_object()),
            "a rich end-of-call report"
        );
        assert!(logs.iter().all(|log| log.payload().unwrap().contains(&sid)), "one call SID everywhere");

        // Successes and every way a delivery fails.
        for code in [200, 201, 202] {
            any(&format!("a {code}"), &|log| log.response_status_code == Some(code) && log.success);
        }
        let is_json = |text: &str| serde_json::from_str::<Value>(text).is_ok();
        any("401 with a JSON detail", &|log| {
            log.response_status_code == Some(401)
                && serde_json::from_str::<Value>(&body(log)).unwrap()["detail"].is_string()
        });
        any("404 with an HTML page", &|log| log.response_status_code == Some(404) && body(log).contains("<html"));
        any("422 with a detail array", &|log| {
            log.response_status_code == Some(422)
                && serde_json::from_str::<Value>(&body(log)).unwrap()["detail"].is_array()
        });
        any("a proxy's 502 page", &|log| log.response_status_code == Some(502) && body(log).contains("<html"));
        any("a plain-text 500", &|log| log.response_status_code == Some(500) && !is_json(&body(log)));
        any("a read timeout", &|log| {
            log.outcome() == Outcome::NoResponse
                && log.error_message.as_deref() == Some("")
                && log.response_time_ms.is_some_and(|ms| (29_500..=31_000).contains(&ms))
                && log.looks_like_timeout()
        });
        any("a refused connection", &|log| {
            log.outcome() == Outcome::TransportError
                && log.error_message.as_deref().is_some_and(|e| e.contains("Connection refused"))
        });
        any("a 204 that counts as a failure", &|log| log.response_status_code == Some(204) && !log.success);
        any("a redirect that counts as a failure", &|log| {
            matches!(log.response_status_code, Some(301 | 302)) && !log.success
        });
        any("a truncated body", &|log| {
            let text = body(log);
            log.response_truncated
                && text.chars().count() > 10_240
                && text.ends_with("... [TRUNCATED]")
                && !is_json(&text)
        });
        assert!(
            logs.iter().all(|log| log.success == matches!(log.response_status_code, Some(200..=202))),
            "success is true exactly for 200, 201 and 202"
        );

        // Retries: the same type and payload several times, with and without a retry count.
        let retry_counts = |log: &crate::model::WebhookLog| -> Vec<u32> {
            logs.iter()
                .filter(|other| other.webhook_type == log.webhook_type && other.payload() == log.payload())
                .map(|other| other.retry_count)
                .collect()
        };
        any("retries counted 0, 1, 2, 3", &|log| retry_counts(log) == [0, 1, 2, 3]);
        any("retries all counted 0", &|log| retry_counts(log).len() >= 3 && retry_counts(log).iter().all(|&n| n == 0));

        // Response bodies of every kind.
        any("a JSON body", &|log| is_json(&body(log)));
        any("an HTML body", &|log| body(log).contains("<html"));
        any("an XML body", &|log| body(log).starts_with("<?xml"));
        any("a plain-text body", &|log| {
            let text = body(log);
            !text.is_empty() && !is_json(&text) && !text.starts_with('<')
        });
        any("an empty body", &|log| log.response_body.is_some() && body(log).is_empty());
        any("no body", &|log| log.response_body.is_none());

        // Metadata, extras, awkward text, timestamps and hosts.
        any("null metadata", &|log| log.webhook_metadata.is_none());
        any("in-progress metadata", &|log| {
            log.metadata()
                .is_some_and(|m| serde_json::from_str::<Value>(m).unwrap() == json!({"status": "in-progress"}))
        });
        any("ended metadata", &|log| {
            log.metadata().is_some_and(|m| m.contains("ended_reason") && m.contains("recording_url"))
        });
        any("an unknown field", &|log| log.extra_fields().iter().any(|(key, _)| key == "request_headers"));
        let raw_payloads: Vec<&str> = logs.iter().filter_map(|log| log.payload()).collect();
        let has = |needle: &str| raw_payloads.iter().any(|p| p.contains(needle));
        assert!(has("884213377120045521098765432101"), "a 30-digit integer");
        assert!(has("José") && has("✅"), "non-ASCII text and an emoji");
        assert!(has(r"\t") && has(r"\u001b[31m"), "a tab and an ANSI escape, escaped in JSON");
        let stamps: Vec<String> = logs
            .iter()
            .map(|log| serde_json::from_str::<Value>(log.raw()).unwrap()["attempted_at"].as_str().unwrap().to_owned())
            .collect();
        assert!(stamps.iter().any(|s| s.ends_with('Z')) && stamps.iter().any(|s| !s.ends_with('Z')));
        let mut hosts: Vec<&str> = logs.iter().map(crate::model::WebhookLog::url_host).collect();
        hosts.sort_unstable();
        hosts.dedup();
        assert!((2..=3).contains(&hosts.len()), "{hosts:?}");
        assert!(logs.windows(2).any(|pair| pair[0].id > pair[1].id), "ids follow completion, not attempt time");
        assert!(logs.iter().enumerate().all(|(index, log)| log.index == index), "the file is in API order");
    }

    #[test]
    fn an_error_object_is_not_a_case_file() {
        assert_eq!(
            parse_document(r#"{"detail": "Not Found"}"#.to_owned()).unwrap_err(),
            DecodeError::NotAnArray("an object")
        );
    }
}
