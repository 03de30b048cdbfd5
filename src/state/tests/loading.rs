//! How loads end and what they say: missing call details, refreshes and what they brought,
//! retry waits, exit codes, and many types counted.

use super::*;

/// A failed call-details request leaves the header saying so and the reason in the info tab;
/// no toast is raised for it, and any toast goes after its lifetime.
#[test]
fn missing_call_details_are_told_in_the_info_tab_and_toasts_expire() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let result = Box::new(Ok(parse_document(CALL.to_owned()).unwrap()));
    let why = "Call with ID 1 not found in your organization (404): check the call id".to_owned();
    send(&mut state, Msg::Loaded { request: 1, result, call_error: Some(why.clone()) });
    assert_eq!(state.status, None, "the list loaded: the details' failure is no toast");
    send(&mut state, key('i'));
    let info = state.detail.as_ref().unwrap().doc.lines.join("\n");
    assert!(info.contains("call details unavailable") && info.contains(&why), "{info}");

    send(&mut state, key('R'));
    let since = state.status_since.expect("a toast is up");
    let toast = state.status.clone().unwrap();
    assert!(state.animating(), "ticks come while a toast is up");
    state.on_tick((since + toast.lifetime()).checked_sub(Duration::from_millis(1)).unwrap());
    assert!(state.status.is_some(), "still up just before its time");
    state.on_tick(since + toast.lifetime());
    assert_eq!(state.status, None, "gone after its time");
    assert!(!state.animating(), "nothing left to change with time");
}

/// `r` says what the new fetch brought and marks those rows until the next fetch.
#[test]
fn a_refresh_says_what_it_brought_and_marks_the_new_rows() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('r'));
    let more = CALL.replace(
        "\n]",
        r#",{"id": 6, "webhook_url": "https://h.example/a", "webhook_type": "call_ended", "success": true,
           "attempted_at": "2025-01-01T00:00:06Z"}]"#,
    );
    let changed = more.replace(r#""error_message": "","#, r#""error_message": "timeout","#);
    let result = Box::new(Ok(parse_document(changed).unwrap()));
    send(&mut state, Msg::Loaded { request: 2, result, call_error: None });
    assert_eq!(state.status.as_ref().map(|s| s.text.as_str()), Some("fetched again: 1 new delivery, 1 changed"));
    let fresh = state.fresh.as_ref().expect("rows are marked");
    let marked: Vec<i64> = fresh.logs.iter().map(|&i| state.logs().unwrap().logs[i].id).collect();
    assert_eq!(marked, [4, 6]);

    send(&mut state, key('r'));
    assert_eq!(state.fresh, None, "the next fetch clears the marks");
    let result = Box::new(Ok(parse_document(CALL.to_owned()).unwrap()));
    send(&mut state, Msg::Loaded { request: 3, result, call_error: None });
    assert_eq!(state.status.as_ref().map(|s| s.text.as_str()), Some("fetched again: 1 changed"));
}

/// Quitting from a failed load's screen exits as `--print` would for the failure.
#[test]
fn quitting_a_failed_load_gives_its_exit_code() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    assert_eq!(state.exit_code(), 0);
    let failure = LoadFailure { message: "refused".into(), hint: String::new(), exit_code: 4 };
    send(&mut state, Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
    send(&mut state, key('q'));
    assert!(state.quitting);
    assert_eq!(state.exit_code(), 4);
    assert_eq!(loaded(Filter::default()).exit_code(), 0);
}

/// A wait before a retry is shown for the fetch that waits, and goes when the fetch moves on.
#[test]
fn a_retry_wait_is_kept_for_its_fetch_only() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let wait = RetryWait { status: 429, wait: Duration::from_secs(20), next_attempt: 2, attempts: 4 };
    send(&mut state, Msg::Retrying { request: 7, wait });
    assert_eq!(state.retrying, None, "another fetch's wait");
    send(&mut state, Msg::Retrying { request: 1, wait });
    let retrying = state.retrying.clone().expect("the wait is kept");
    assert_eq!(
        retrying.text(retrying.until.checked_sub(Duration::from_secs(20)).unwrap()),
        "rate limited, retrying in 20 s (attempt 2 of 4)"
    );
    let result = Box::new(Ok(parse_document(CALL.to_owned()).unwrap()));
    send(&mut state, Msg::Loaded { request: 1, result, call_error: None });
    assert_eq!(state.retrying, None);
}

/// A refresh whose data has a problem still says what it brought, first.
#[test]
fn a_refresh_with_a_problem_says_what_it_brought_first() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('r'));
    let broken = CALL.replace("\n]", r#","not a log"]"#);
    let result = Box::new(Ok(parse_document(broken).unwrap()));
    send(&mut state, Msg::Loaded { request: 2, result, call_error: None });
    let text = state.status.as_ref().map(|s| s.text.clone()).unwrap_or_default();
    assert!(text.starts_with("fetched again: no new deliveries · ⚠ entry 6 of the response: skipped"), "{text}");
}

/// 60,000 distinct types are counted with a hash lookup a log: a linear search a log took
/// seconds (30 in `--print markdown`).
#[test]
fn sixty_thousand_types_are_each_counted() {
    let entries: Vec<String> = (0..60_000)
        .map(|n| format!(r#"{{"id": {n}, "webhook_url": "u", "webhook_type": "type_{n}", "success": true}}"#))
        .collect();
    let loaded_call = parse_document(format!("[{}]", entries.join(","))).unwrap();
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    send(&mut state, Msg::Loaded { request: 1, result: Box::new(Ok(loaded_call)), call_error: None });
    assert_eq!(state.types.len(), 60_000);
    assert_eq!((state.types[59_999].name.as_str(), state.types[59_999].count), ("type_59999", 1));
}
