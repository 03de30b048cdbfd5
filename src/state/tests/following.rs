//! Following a call: on and off, on by itself for an ongoing call, polls that never overlap,
//! what a poll keeps (selection, detail scroll, filters), backoff after a failed poll, a refused
//! key, and the end of the call.

use super::*;
use crate::action::Polled;
use crate::model::{CallInfo, LogSet};
use crate::state::follow::{DEFAULT_EVERY, Following};

fn call(status: &str) -> CallInfo {
    CallInfo::from_json(&format!(r#"{{"id": 1, "call_sid": "CAlive", "status": "{status}"}}"#)).unwrap()
}

/// The five logs of `CALL` and, after them, logs 6.. up to `last`.
fn logs_up_to(last: i64) -> LogSet {
    let more: Vec<String> = (6..=last)
        .map(|id| {
            format!(
                r#"{{"id": {id}, "webhook_url": "https://h.example/a", "webhook_type": "transcript", "success": true, "attempted_at": "2025-01-01T00:01:{id:02}Z"}}"#
            )
        })
        .collect();
    let text = if more.is_empty() { CALL.to_owned() } else { CALL.replace("\n]", &format!(",{}]", more.join(","))) };
    LogSet::parse(text).unwrap()
}

fn loaded_call(status: &str, last: i64) -> Box<crate::action::LoadResult> {
    Box::new(Ok(LoadedCall { call: Some(call(status)), logs: logs_up_to(last) }))
}

/// A call loaded with this status; the effects of the load's end.
fn live(status: &str) -> (State, Vec<Effect>) {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let effects = send(&mut state, Msg::Loaded { request: 1, result: loaded_call(status, 5), call_error: None });
    (state, effects)
}

fn polls(effects: &[Effect]) -> Vec<&Effect> {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Poll { .. } | Effect::SchedulePoll { .. } | Effect::CancelPoll))
        .collect()
}

/// Rings the timer the effects set and returns the poll's request.
fn ring(state: &mut State, effects: &[Effect]) -> u64 {
    let generation = effects
        .iter()
        .find_map(|e| match e {
            Effect::SchedulePoll { generation, .. } => Some(*generation),
            _ => None,
        })
        .expect("a poll is scheduled");
    match send(state, Msg::PollDue { generation }).as_slice() {
        [Effect::Poll { request }] => *request,
        other => panic!("expected a poll, got {other:?}"),
    }
}

fn polled(state: &mut State, request: u64, status: &str, last: Option<i64>) -> Vec<Effect> {
    let result = Ok(last.map(|last| LoadedCall { call: Some(call(status)), logs: logs_up_to(last) }));
    let polled = Polled { result, call: Some(call(status)), call_error: None, retry_after: None };
    send(state, Msg::Polled { request, polled: Box::new(polled) })
}

fn failed(state: &mut State, request: u64, exit_code: u8, retry_after: Option<Duration>) -> Vec<Effect> {
    let failure = LoadFailure { message: format!("failure {exit_code}"), hint: String::new(), exit_code };
    let polled = Polled { result: Err(failure), call: None, call_error: None, retry_after };
    send(state, Msg::Polled { request, polled: Box::new(polled) })
}

fn scheduled_after(effects: &[Effect]) -> Option<Duration> {
    effects.iter().find_map(|e| match e {
        Effect::SchedulePoll { after, .. } => Some(*after),
        _ => None,
    })
}

#[rstest]
#[case::ongoing_turns_it_on("ongoing", true)]
#[case::completed_does_not("completed", false)]
fn follow_turns_itself_on_for_an_ongoing_call(#[case] status: &str, #[case] on: bool) {
    let (state, effects) = live(status);
    assert_eq!(state.follow.is_on(), on);
    assert_eq!(state.follow.auto, on);
    assert_eq!(scheduled_after(&effects), on.then_some(DEFAULT_EVERY));
    let header = state.follow.text(Instant::now(), None);
    assert_eq!(header.is_some_and(|text| text.starts_with("following (ongoing, F stops) · updated 0 s ago")), on);
}

#[test]
fn f_turns_it_off_and_on_and_off_cancels_the_timer() {
    let (mut state, _) = live("ongoing");
    assert_eq!(polls(&send(&mut state, key('F'))), [&Effect::CancelPoll]);
    assert_eq!(state.follow.following, Following::Off);
    // Off by hand stays off through a refresh of an ongoing call.
    send(&mut state, key('r'));
    let effects = send(&mut state, Msg::Loaded { request: 2, result: loaded_call("ongoing", 5), call_error: None });
    assert!(polls(&effects).is_empty() && !state.follow.is_on(), "{effects:?}");
    // On again: a poll at once.
    assert_eq!(polls(&send(&mut state, key('F'))), [&Effect::Poll { request: 3 }]);
    assert!(state.follow.is_on() && !state.follow.auto);
}

#[test]
fn polls_never_overlap_and_a_stale_timer_is_ignored() {
    let (mut state, effects) = live("ongoing");
    let request = ring(&mut state, &effects);
    // The timer rings again (an old one) while the poll runs: nothing starts.
    for generation in 0..5 {
        assert!(send(&mut state, Msg::PollDue { generation }).is_empty());
    }
    let effects = polled(&mut state, request, "ongoing", None);
    assert_eq!(scheduled_after(&effects), Some(DEFAULT_EVERY));
    assert_eq!(state.follow.in_flight, None);
}

/// New deliveries join the list: the selection stays on its log, the detail keeps its tab and
/// scroll, the filter stays, the new rows are marked and counted in the header.
#[test]
fn a_poll_keeps_the_selection_the_detail_and_the_filters() {
    let (mut state, effects) = live("ongoing");
    send(&mut state, key('j'));
    send(&mut state, key('i'));
    state.scroll_detail(2);
    let scroll = state.detail.as_ref().unwrap().scroll;
    let doc = state.detail.as_ref().unwrap().doc.id;
    send(&mut state, key('f'));
    assert_eq!(selected_id(&state), Some(2));
    let request = ring(&mut state, &effects);
    let effects = polled(&mut state, request, "ongoing", Some(8));
    assert_eq!(selected_id(&state), Some(2));
    let detail = state.detail.as_ref().unwrap();
    assert_eq!((detail.doc.id, detail.scroll, detail.tab), (doc, scroll, Tab::Info), "the same detail");
    assert_eq!(state.filter.status, StatusFilter::Failed);
    assert_eq!(shown_ids(&state), [2, 4], "the new logs all succeeded");
    let fresh = state.fresh.as_ref().unwrap();
    assert_eq!((fresh.new, fresh.changed), (3, 0));
    let header = state.follow.text(Instant::now(), state.fresh.as_ref()).unwrap();
    assert!(header.ends_with(" · 3 new"), "{header}");
    assert_eq!(state.logs().unwrap().logs.len(), 8);
    assert_eq!(scheduled_after(&effects), Some(DEFAULT_EVERY));
}

#[test]
fn on_the_last_row_the_selection_tails() {
    let (mut state, effects) = live("ongoing");
    send(&mut state, key('G'));
    assert_eq!(selected_id(&state), Some(5));
    let request = ring(&mut state, &effects);
    polled(&mut state, request, "ongoing", Some(7));
    assert_eq!(selected_id(&state), Some(7));
}

#[test]
fn a_log_that_changed_is_updated_in_place_and_marked() {
    let (mut state, effects) = live("ongoing");
    let request = ring(&mut state, &effects);
    let mut logs = logs_up_to(5);
    let changed = CALL.replace(r#""error_message": "","#, r#""error_message": "reset","#);
    logs.logs = LogSet::parse(changed).unwrap().logs;
    let polled = Polled {
        result: Ok(Some(LoadedCall { call: Some(call("ongoing")), logs })),
        call: Some(call("ongoing")),
        call_error: None,
        retry_after: None,
    };
    send(&mut state, Msg::Polled { request, polled: Box::new(polled) });
    let fresh = state.fresh.as_ref().unwrap();
    assert_eq!((fresh.new, fresh.changed), (0, 1));
    let log = &state.logs().unwrap().logs[3];
    assert_eq!((log.id, log.error_message.as_deref()), (4, Some("reset")));
    assert!(fresh.contains(3));
}

/// A failed poll keeps what is loaded, says so, and waits longer each time (a 429's
/// Retry-After when it asks more); the next good poll clears it.
#[test]
fn failed_polls_back_off_and_a_good_one_clears_it() {
    let (mut state, effects) = live("ongoing");
    let mut request = ring(&mut state, &effects);
    let mut waits = Vec::new();
    for _ in 0..6 {
        let effects = failed(&mut state, request, 8, None);
        waits.push(scheduled_after(&effects).unwrap().as_secs());
        request = ring(&mut state, &effects);
    }
    assert_eq!(waits, [3, 6, 12, 24, 48, 60]);
    assert_eq!(state.logs().unwrap().logs.len(), 5, "nothing lost");
    assert_eq!(state.load, Load::Loaded);
    let header = state.follow.text(Instant::now(), None).unwrap();
    assert!(header.starts_with("poll failed, next in ") && header.ends_with(" s: failure 8"), "{header}");
    assert!(state.follow.is_warning());
    let effects = failed(&mut state, request, 7, Some(Duration::from_secs(90)));
    assert_eq!(scheduled_after(&effects), Some(MAX_BACKOFF), "at most a minute");
    let request = ring(&mut state, &effects);
    let effects = polled(&mut state, request, "ongoing", Some(6));
    assert_eq!(scheduled_after(&effects), Some(DEFAULT_EVERY));
    assert!(state.follow.failure.is_none() && !state.follow.is_warning());
    let request = ring(&mut state, &effects);
    let effects = failed(&mut state, request, 7, Some(Duration::from_secs(20)));
    assert_eq!(scheduled_after(&effects), Some(Duration::from_secs(20)), "as Retry-After asks");
}

#[test]
fn a_refused_key_stops_following_with_the_reason() {
    let (mut state, effects) = live("ongoing");
    let request = ring(&mut state, &effects);
    assert_eq!(polls(&failed(&mut state, request, 4, None)), [&Effect::CancelPoll]);
    assert_eq!(state.follow.following, Following::Stopped("follow stopped: failure 4".into()));
    assert!(state.follow.is_warning());
    assert_eq!(state.logs().unwrap().logs.len(), 5);
}

/// The call ends: one last poll (late deliveries), then follow stops and says why.
#[test]
fn the_end_of_the_call_stops_following_after_one_last_poll() {
    let (mut state, effects) = live("ongoing");
    let request = ring(&mut state, &effects);
    let effects = polled(&mut state, request, "completed", Some(6));
    assert!(state.follow.is_on() && state.follow.last_poll);
    let request = ring(&mut state, &effects);
    let effects = polled(&mut state, request, "completed", Some(7));
    assert_eq!(polls(&effects), [&Effect::CancelPoll]);
    assert_eq!(state.follow.following, Following::Stopped("call ended, follow stopped".into()));
    assert_eq!(state.logs().unwrap().logs.len(), 7, "the last poll's deliveries are in");
    assert!(!state.follow.is_warning());
}

/// `r` while a poll runs supersedes it; its answer is dropped and the refresh sets the next.
#[test]
fn a_refresh_supersedes_the_poll_in_flight() {
    let (mut state, effects) = live("ongoing");
    let request = ring(&mut state, &effects);
    send(&mut state, key('r'));
    assert!(polled(&mut state, request, "ongoing", Some(9)).is_empty());
    assert_eq!(state.logs().unwrap().logs.len(), 5);
    let effects =
        send(&mut state, Msg::Loaded { request: request + 1, result: loaded_call("ongoing", 6), call_error: None });
    assert_eq!(scheduled_after(&effects), Some(DEFAULT_EVERY));
}

/// A retry of the delivery on the last row joins that delivery: the row stays one delivery, now
/// delivered, and the selection follows it to the attempt that delivered it.
#[test]
fn a_retry_a_poll_brings_joins_its_delivery_and_the_selection_follows_it() {
    let entry = |id: i64, kind: &str, second: u32, status: u16| {
        format!(
            r#"{{"id": {id}, "webhook_url": "https://h.example/t", "webhook_type": "{kind}", "request_payload": {{"k": 1}}, "success": {}, "response_status_code": {status}, "attempted_at": "2025-01-01T00:00:{second:02}Z"}}"#,
            status == 200
        )
    };
    let (started, failed_try, retry) =
        (entry(1, "call_started", 0, 200), entry(2, "tool_call", 10, 500), entry(3, "tool_call", 40, 200));
    let loaded = |entries: &[&String]| LoadedCall {
        call: Some(call("ongoing")),
        logs: LogSet::parse(format!("[{}]", entries.iter().map(|e| e.as_str()).collect::<Vec<_>>().join(","))).unwrap(),
    };
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let effects = send(
        &mut state,
        Msg::Loaded { request: 1, result: Box::new(Ok(loaded(&[&started, &failed_try]))), call_error: None },
    );
    send(&mut state, key('G'));
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![1, 2], Some(2)));

    let request = ring(&mut state, &effects);
    let result = Ok(Some(loaded(&[&started, &failed_try, &retry])));
    let polled = Polled { result, call: Some(call("ongoing")), call_error: None, retry_after: None };
    send(&mut state, Msg::Polled { request, polled: Box::new(polled) });
    assert_eq!(shown_ids(&state), [1, 3], "one row for the delivery, its last attempt");
    assert_eq!(selected_id(&state), Some(3), "the selection stays on the delivery");
    let chain = state.chains.chain_of(2).expect("the retried delivery");
    assert_eq!(chain.tries(), 2);
    assert_eq!(state.detail.as_ref().map(|d| d.log), Some(2), "the detail shows the attempt that delivered it");
}
