use rstest::rstest;

use super::*;

/// One log: `id`, type, seconds after 19:22:00, success, payload, response time.
fn entry(id: i64, kind: &str, second: u32, success: bool, payload: &str, ms: u64) -> String {
    let (minute, second) = (22 + second / 60, second % 60);
    format!(
        r#"{{"id":{id},"call_id":101,"webhook_url":"https://hooks.example.com/e","webhook_type":"{kind}","request_payload":{payload},"response_status_code":{status},"response_time_ms":{ms},"attempted_at":"2025-08-24T19:{minute:02}:{second:02}Z","success":{success}}}"#,
        status = if success { 200 } else { 500 },
    )
}

fn set(entries: &[String]) -> LogSet {
    LogSet::parse(format!("[{}]", entries.join(","))).unwrap()
}

/// Ended at 19:25:00, completed.
fn call() -> CallInfo {
    CallInfo::from_json(r#"{"id":101,"status":"completed","ended_at":"2025-08-24T19:25:00"}"#).unwrap()
}

/// A healthy call: started first, transcripts, one failure retried with success, the end-of-call
/// report within the grace, nothing near the timeout.
fn healthy() -> Vec<String> {
    vec![
        entry(1, "call_started", 0, true, r#"{"e":"start"}"#, 80),
        entry(2, "transcript", 5, true, r#"{"t":"hello"}"#, 90),
        entry(3, "transcript", 9, false, r#"{"t":"again"}"#, 26_999),
        entry(4, "transcript", 12, true, r#"{"t":"again"}"#, 100),
        entry(5, "end-of-call-report", 185, true, r#"{"e":"end"}"#, 120),
        entry(6, "call_ended", 240, true, r#"{"e":"ended"}"#, 120),
    ]
}

/// Each warning's kind and the ids of its logs.
fn kinds(set: &LogSet, warnings: &[Warning]) -> Vec<(WarningKind, Vec<i64>)> {
    warnings.iter().map(|w| (w.kind, w.logs.iter().map(|&at| set.logs[at].id).collect())).collect()
}

#[test]
fn a_healthy_call_has_no_warning() {
    let set = set(&healthy());
    assert_eq!(lifecycle_warnings(&set, Some(&call())), []);
    assert_eq!(lifecycle_warnings(&set, None), []);
    assert_eq!(lifecycle_warnings(&LogSet::default(), Some(&call())), [], "no delivery: no webhook configured");
}

/// Each rule, at and past its boundary. Logs are named by their row from 1 (ids here are rows).
#[rstest]
#[case::no_end_of_call(&[0, 1, 2, 3], &[(WarningKind::NoEndOfCall, vec![4])])]
#[case::the_report_alone_is_an_end(&[0, 1, 2, 3, 4], &[])]
#[case::call_ended_alone_is_an_end(&[0, 1, 2, 3, 5], &[])]
fn the_end_of_call_is_looked_for(#[case] keep: &[usize], #[case] expected: &[(WarningKind, Vec<i64>)]) {
    let all = healthy();
    let entries: Vec<String> = keep.iter().map(|&at| all[at].clone()).collect();
    let set = set(&entries);
    assert_eq!(kinds(&set, &lifecycle_warnings(&set, Some(&call()))), expected);
}

#[rstest]
#[case::completed_status(r#"{"status":"completed"}"#, true)]
#[case::completed_in_another_case(r#"{"status":"Completed"}"#, true)]
#[case::an_end_time(r#"{"status":"in-progress","ended_at":"2025-08-24T19:25:00Z"}"#, true)]
#[case::still_running(r#"{"status":"in-progress","ended_at":null}"#, false)]
#[case::an_end_time_that_is_not_one(r#"{"ended_at":"soon"}"#, false)]
fn a_missing_end_is_warned_of_only_for_a_call_that_ended(#[case] call: &str, #[case] warned: bool) {
    let set = set(&healthy()[..4]);
    let call = CallInfo::from_json(call).unwrap();
    let got = lifecycle_warnings(&set, Some(&call));
    assert_eq!(got.iter().any(|w| w.kind == WarningKind::NoEndOfCall), warned, "{got:?}");
    assert!(lifecycle_warnings(&set, None).is_empty(), "no call details: nothing known of its end");
}

#[rstest]
#[case::end_of_call_report("end-of-call-report")]
#[case::underscores("end_of_call_report")]
#[case::capitals("Call-Ended")]
fn end_of_call_types_match_in_any_case_and_either_separator(#[case] name: &str) {
    let mut entries = healthy()[..4].to_vec();
    entries.push(entry(5, name, 185, true, r#"{"e":"end"}"#, 120));
    assert_eq!(lifecycle_warnings(&set(&entries), Some(&call())), []);
}

#[rstest]
// The same payload again after a success: a duplicate, naming both.
#[case::after_a_success(true, r#"{"t":"hello"}"#, "https://hooks.example.com/e", Some(vec![2, 7]))]
// After a failure it is a retry, whatever came before.
#[case::after_a_failure(false, r#"{"t":"hello"}"#, "https://hooks.example.com/e", None)]
// Another payload text, even one JSON calls equal, is another event.
#[case::payload_text_differs(true, r#"{"t": "hello"}"#, "https://hooks.example.com/e", None)]
// The same event to another receiver is not delivered twice to one.
#[case::another_url(true, r#"{"t":"hello"}"#, "https://other.example.com/e", None)]
fn a_duplicate_repeats_a_delivered_event(
    #[case] first_succeeded: bool,
    #[case] payload: &str,
    #[case] url: &str,
    #[case] expected: Option<Vec<i64>>,
) {
    let mut entries = healthy();
    entries[1] = entry(2, "transcript", 5, first_succeeded, r#"{"t":"hello"}"#, 90);
    entries.push(entry(7, "transcript", 30, true, payload, 90).replace("https://hooks.example.com/e", url));
    let got = lifecycle_warnings(&set(&entries), Some(&call()));
    let duplicates: Vec<Vec<i64>> = got
        .iter()
        .filter(|w| w.kind == WarningKind::Duplicate)
        .map(|w| w.logs.iter().map(|&at| set(&entries).logs[at].id).collect())
        .collect();
    assert_eq!(duplicates, expected.into_iter().collect::<Vec<_>>(), "{got:?}");
    if let [warning] = got.iter().filter(|w| w.kind == WarningKind::Duplicate).collect::<Vec<_>>()[..] {
        assert_eq!(warning.text, "log 7 duplicates delivered log 2 (same transcript payload)");
    }
}

#[test]
fn logs_without_a_payload_are_never_duplicates() {
    let mut entries = healthy();
    entries.push(entry(7, "status-update", 20, true, "null", 90));
    entries.push(entry(8, "status-update", 21, true, "null", 90));
    assert_eq!(lifecycle_warnings(&set(&entries), Some(&call())), []);
}

#[rstest]
// The call ended at 19:25:00 (second 180 here); the grace is 60 s.
#[case::at_the_grace(240, "transcript", false)]
#[case::past_the_grace(241, "transcript", true)]
#[case::an_end_of_call_report_later(900, "end-of-call-report", false)]
#[case::call_ended_later(900, "call_ended", false)]
fn deliveries_well_after_the_end_are_warned_of(#[case] second: u32, #[case] kind: &str, #[case] warned: bool) {
    let mut entries = healthy();
    entries.push(entry(7, kind, second, true, r#"{"late":1}"#, 90));
    let got = lifecycle_warnings(&set(&entries), Some(&call()));
    let late: Vec<&Warning> = got.iter().filter(|w| w.kind == WarningKind::AfterCallEnded).collect();
    assert_eq!(late.len(), usize::from(warned), "{got:?}");
    if warned {
        assert_eq!(late[0].text, "log 7 (transcript) was sent 61 s after the call ended");
    }
}

#[rstest]
#[case::first(0, None)]
#[case::after_two(12, Some(vec![2, 3, 9]))]
// A tie in time is not "before": the server's order of a tie says nothing.
#[case::at_the_same_second(9, Some(vec![2, 9]))]
fn call_started_comes_first(#[case] second: u32, #[case] expected: Option<Vec<i64>>) {
    let mut entries = healthy();
    entries[0] = entry(9, "call_started", second, true, r#"{"e":"start"}"#, 80);
    let set = set(&entries);
    let got = lifecycle_warnings(&set, Some(&call()));
    let found: Vec<Vec<i64>> = got
        .iter()
        .filter(|w| w.kind == WarningKind::CallStartedNotFirst)
        .map(|w| w.logs.iter().map(|&at| set.logs[at].id).collect())
        .collect();
    assert_eq!(found, expected.into_iter().collect::<Vec<_>>(), "{got:?}");
}

#[rstest]
#[case::one_failure_is_not_a_pattern(1, None)]
#[case::two_failures(2, Some("all 2 tool_call attempts failed (log 7 and log 8): the receiver may not handle it"))]
#[case::many_are_counted(
    5,
    Some("all 5 tool_call attempts failed (log 7, log 8, log 9 and 2 more): the receiver may not handle it")
)]
fn a_type_that_always_failed(#[case] attempts: i64, #[case] expected: Option<&str>) {
    let mut entries = healthy();
    for id in 7..7 + attempts {
        entries.push(entry(id, "tool_call", 20 + u32::try_from(id).unwrap(), false, &format!(r#"{{"n":{id}}}"#), 90));
    }
    let got = lifecycle_warnings(&set(&entries), Some(&call()));
    let texts: Vec<&str> =
        got.iter().filter(|w| w.kind == WarningKind::TypeAlwaysFailed).map(|w| w.text.as_str()).collect();
    assert_eq!(texts, expected.into_iter().collect::<Vec<_>>());
}

#[test]
fn one_success_clears_a_type() {
    // The healthy call's transcript failed once and then succeeded.
    let got = lifecycle_warnings(&set(&healthy()), Some(&call()));
    assert!(got.iter().all(|w| w.kind != WarningKind::TypeAlwaysFailed));
}

#[rstest]
#[case::just_under(26_999, false)]
#[case::at_90_percent(27_000, true)]
#[case::a_slow_answer_past_it(30_000, true)]
fn responses_near_the_timeout(#[case] ms: u64, #[case] warned: bool) {
    let mut entries = healthy();
    entries[1] = entry(2, "transcript", 5, true, r#"{"t":"hello"}"#, ms);
    // A timeout (no response) is at the timeout, not near it: it is a failure the list shows.
    let timeout = entry(7, "transcript", 30, false, r#"{"t":"late"}"#, 30_000)
        .replace(r#""response_status_code":500"#, r#""response_status_code":null,"error_message":"""#);
    entries.push(timeout);
    let got = lifecycle_warnings(&set(&entries), Some(&call()));
    let near: Vec<&Warning> = got.iter().filter(|w| w.kind == WarningKind::NearTimeout).collect();
    assert_eq!(near.len(), usize::from(warned), "{got:?}");
    if warned && ms == 27_000 {
        assert_eq!(near[0].text, "log 2 took 27.0 s, within 10% of the 30 s delivery timeout");
        assert_eq!(near[0].logs, [1]);
    }
}

#[test]
fn warnings_come_in_the_order_of_their_first_log() {
    let mut entries = healthy()[1..4].to_vec();
    entries.push(entry(1, "call_started", 20, true, r#"{"e":"start"}"#, 28_000));
    let set = set(&entries);
    let got = lifecycle_warnings(&set, Some(&call()));
    let firsts: Vec<usize> = got.iter().map(|w| w.logs[0]).collect();
    assert!(firsts.is_sorted(), "{got:?}");
    assert_eq!(
        got.iter().map(|w| w.kind).collect::<Vec<_>>(),
        [WarningKind::CallStartedNotFirst, WarningKind::NearTimeout, WarningKind::NoEndOfCall]
    );
    let on_started: Vec<WarningKind> = got.iter().filter(|w| w.logs.contains(&3)).map(|w| w.kind).collect();
    assert_eq!(on_started, [WarningKind::CallStartedNotFirst, WarningKind::NearTimeout, WarningKind::NoEndOfCall]);
}

/// The demo's failures are retried until delivered, it starts and ends as a call does: healthy.
#[test]
fn the_demo_call_is_healthy() {
    let loaded = crate::case_file::parse_document(crate::case_file::DEMO_CALL.to_owned()).unwrap();
    assert_eq!(lifecycle_warnings(&loaded.logs, loaded.call.as_ref()), []);
}

/// The hand-written fixtures the screens are drawn from: one warning of each kind, and none.
#[test]
fn the_fixtures_warn_as_written() {
    let read = |name: &str| {
        let text = std::fs::read_to_string(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let loaded = crate::case_file::parse_document(text).unwrap();
        lifecycle_warnings(&loaded.logs, loaded.call.as_ref())
    };
    assert_eq!(read("lifecycle-healthy.json"), []);
    let texts: Vec<String> = read("lifecycle-warnings.json").into_iter().map(|w| w.text).collect();
    assert_eq!(
        texts,
        [
            "call_started (log 2) was not first: log 1 came before it",
            "all 2 tool_call attempts failed (log 3 and log 4): the receiver may not handle it",
            "log 6 duplicates delivered log 5 (same transcript payload)",
            "log 7 took 28.4 s, within 10% of the 30 s delivery timeout",
            "log 9 (status-update) was sent 150 s after the call ended",
            "the call ended but no call_ended or end-of-call-report was sent",
        ]
    );
}
