use super::*;

fn parse(text: &str) -> LogSet {
    LogSet::parse(text).expect("an array")
}

const GOOD: &str = r#"{"id": 7, "call_id": 101, "assistant_id": 3, "webhook_url": "https://user:pw@hooks.example.com:8443/burki?x=1",
  "webhook_type": "call_started", "request_payload": {"z": 1, "a": 123456789012345678901234567890},
  "response_status_code": 200, "response_body": "{\"ok\":true}", "response_time_ms": 87,
  "attempted_at": "2025-08-24T19:22:04.123456", "success": true, "error_message": null,
  "retry_count": 0, "webhook_metadata": {"status": "in-progress"}}"#;

#[test]
fn a_complete_log_decodes_with_payload_kept_as_sent() {
    let set = parse(&format!("[{GOOD}]"));
    let log = &set.logs[0];
    assert_eq!((log.id, log.call_id, log.assistant_id), (7, Some(101), Some(3)));
    assert_eq!(log.webhook_type, "call_started");
    assert_eq!(log.payload(), Some(r#"{"z": 1, "a": 123456789012345678901234567890}"#));
    assert_eq!(log.response_body_text().as_deref(), Some(r#"{"ok":true}"#));
    assert_eq!(log.metadata(), Some(r#"{"status": "in-progress"}"#));
    assert_eq!(log.outcome(), Outcome::Status(200));
    assert_eq!(log.url_host(), "hooks.example.com:8443");
    assert!(log.problems().is_empty(), "{:?}", log.problems());
    assert_eq!(log.raw(), GOOD);
}

#[test]
fn every_nullable_field_may_be_null_or_missing() {
    let set = parse(
        r#"[{"id": 1, "call_id": 1, "assistant_id": 1, "webhook_url": "u", "webhook_type": "t", "success": false,
        "request_payload": null, "response_status_code": null, "response_body": null, "response_time_ms": null,
        "attempted_at": null, "error_message": "", "retry_count": null, "webhook_metadata": null}]"#,
    );
    let log = &set.logs[0];
    assert!(log.problems().is_empty(), "{:?}", log.problems());
    assert_eq!(log.outcome(), Outcome::NoResponse);
    assert!(log.looks_like_timeout());
    assert_eq!((log.request_payload.clone(), log.response_body.clone(), log.attempted_at), (None, None, None));
}

#[test]
fn unknown_types_and_fields_are_kept() {
    let set = parse(
        r#"[{"id": 1, "webhook_url": "u", "webhook_type": "sms-error", "success": true, "request_headers": {"a": "b"}}]"#,
    );
    let log = &set.logs[0];
    assert_eq!(log.webhook_type, "sms-error");
    assert_eq!(log.extra_fields().len(), 1);
    assert_eq!(log.extra_fields()[0].0, "request_headers");
    assert_eq!(log.slice(&log.extra_fields()[0].1), r#"{"a": "b"}"#);
}

#[test]
fn a_malformed_log_is_reported_and_the_others_load() {
    let set = parse(&format!(
        r#"[{GOOD}, 42, {{"webhook_type": "x"}}, {{"id": "seven"}}, {{"id": 9, "webhook_url": "u", "webhook_type": "t", "success": "yes", "response_status_code": 201, "retry_count": -1}}]"#
    ));
    assert_eq!(set.logs.len(), 2);
    assert_eq!(set.rejected.iter().map(|r| r.index).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(set.rejected[0].reason, "expected an object, got a number");
    assert_eq!(set.rejected[1].reason, "field `id` is missing");
    let partly_bad = set.logs.iter().find(|log| log.id == 9).unwrap();
    assert!(partly_bad.success, "derived from 201");
    assert_eq!(
        partly_bad.problems(),
        [
            "field `retry_count`: expected a non-negative integer, got -1",
            "field `success` is not a boolean; taken as true from the status code"
        ]
    );
    let report = set.problem_report();
    assert!(report.iter().any(|line| line.starts_with("log 9 (row 2): field `retry_count`")), "{report:?}");
}

#[test]
fn problems_name_a_log_by_id_and_row_and_a_rejected_entry_by_its_place_in_the_response() {
    // Sent newest first: the bad log is the response's first entry and the list's last row.
    let set = parse(
        r#"[{"id": 1716090, "webhook_url": "u", "webhook_type": "t", "success": true, "retry_count": -1, "attempted_at": "2025-01-01T00:00:09Z"},
            {"webhook_type": "no id"},
            {"id": 12, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T00:00:01Z"},
            {"id": 13, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T00:00:02Z"}]"#,
    );
    assert_eq!(
        set.problem_report(),
        [
            "entry 2 of the response: skipped: field `id` is missing",
            "log 1716090 (row 3): field `retry_count`: expected a non-negative integer, got -1",
        ]
    );
    assert_eq!(set.problem_summary()[1], "log 1716090: field `retry_count`: expected a non-negative integer, got -1");
}

#[test]
fn logs_sort_by_attempt_time_then_id_with_undated_last() {
    let set = parse(
        r#"[{"id": 5, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T00:00:02Z"},
            {"id": 4, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": null},
            {"id": 3, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T00:00:02"},
            {"id": 2, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T01:00:01+01:00"}]"#,
    );
    assert_eq!(set.logs.iter().map(|log| log.id).collect::<Vec<_>>(), [2, 3, 5, 4]);
}

#[test]
fn non_object_payloads_and_non_string_bodies_are_shown_as_sent() {
    let set = parse(
        r#"[{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": false, "request_payload": [1, "two"], "response_body": {"detail": "x"}}]"#,
    );
    let log = &set.logs[0];
    assert_eq!(log.payload(), Some(r#"[1, "two"]"#));
    assert_eq!(log.response_body_text().as_deref(), Some(r#"{"detail": "x"}"#));
    assert_eq!(
        log.problems(),
        [
            "field `response_body`: expected a string, got an object; shown as sent",
            "field `request_payload`: expected an object, got an array; shown as sent"
        ]
    );
}

#[test]
fn a_truncated_body_is_recognised() {
    let set = parse(
        r#"[{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true, "response_body": "{\"a\": ... [TRUNCATED]"}]"#,
    );
    assert!(set.logs[0].response_truncated);
}

#[test]
fn duplicate_keys_take_the_last_value_and_say_so() {
    let set = parse(r#"[{"id": 1, "webhook_url": "u", "webhook_type": "a", "webhook_type": "b", "success": true}]"#);
    assert_eq!(set.logs[0].webhook_type, "b");
    assert_eq!(set.logs[0].problems(), ["field `webhook_type` appears more than once; the last value is used"]);
}

#[test]
fn deep_nesting_in_a_payload_does_not_reject_the_log() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let set = parse(&format!(
        r#"[{{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true, "request_payload": {deep}}}]"#
    ));
    assert_eq!(set.logs.len() + set.rejected.len(), 1, "decoded or rejected, never lost");
}

#[rstest::rstest]
#[case::empty("", DecodeError::Empty)]
#[case::object(r#"{"detail": "Not Found"}"#, DecodeError::NotAnArray("an object"))]
#[case::html("<!doctype html><html>login</html>", DecodeError::NotJson("an HTML or XML page".to_owned()))]
fn bodies_that_are_not_arrays_are_named(#[case] body: &str, #[case] expected: DecodeError) {
    assert_eq!(LogSet::parse(body).unwrap_err(), expected);
}

#[test]
fn truncated_json_is_not_json() {
    let err = LogSet::parse(r#"[{"id": 1, "webhook_"#).unwrap_err();
    assert!(matches!(err, DecodeError::NotJson(ref why) if why.contains("EOF")), "{err}");
}

#[test]
fn a_lone_surrogate_in_a_string_field_keeps_the_rest_of_it() {
    let set = parse(
        r#"[{"id": 1, "webhook_url": "u", "webhook_type": "t\ud800", "success": false, "error_message": "refused \udc00"}]"#,
    );
    let log = &set.logs[0];
    assert_eq!((log.webhook_type.as_str(), log.error_message.as_deref()), ("t\u{fffd}", Some("refused \u{fffd}")));
    assert_eq!(log.outcome(), Outcome::TransportError);
    assert!(log.problems().is_empty(), "{:?}", log.problems());
}

#[test]
fn a_byte_order_mark_is_skipped() {
    let set = parse("\u{feff}[{\"id\": 1, \"webhook_url\": \"u\", \"webhook_type\": \"t\", \"success\": true}]");
    assert_eq!(set.logs.len(), 1);
    assert_eq!(set.logs[0].raw(), r#"{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}"#);
}
