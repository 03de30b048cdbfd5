use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use rstest::rstest;

use super::keys::MAX_SEARCH_BYTES;
use super::*;
use crate::action::Progress;
use crate::api::RetryWait;
use crate::case_file::parse_document;
use crate::filter::StatusFilter;
use crate::model::Decoded;

mod chains;
mod detail;
mod following;
mod jumps;
mod loading;
mod search;
mod views;

/// Five logs: two types, two failures, one with a payload mentioning "refund".
const CALL: &str = r#"[
  {"id": 1, "webhook_url": "https://h.example/a", "webhook_type": "call_started", "success": true, "response_status_code": 200,
   "attempted_at": "2025-01-01T00:00:01Z", "request_payload": {"event": "call_started"}, "response_time_ms": 10},
  {"id": 2, "webhook_url": "https://h.example/a", "webhook_type": "transcript", "success": false, "response_status_code": 502,
   "attempted_at": "2025-01-01T00:00:02Z", "request_payload": {"text": "I want a refund"}, "response_body": "<html>Bad Gateway</html>", "response_time_ms": 3000},
  {"id": 3, "webhook_url": "https://h.example/a", "webhook_type": "transcript", "success": true, "response_status_code": 200,
   "attempted_at": "2025-01-01T00:00:03Z", "request_payload": {"text": "hello"}, "response_time_ms": 20},
  {"id": 4, "webhook_url": "https://h.example/a", "webhook_type": "transcript", "success": false, "error_message": "",
   "attempted_at": "2025-01-01T00:00:04Z", "request_payload": {"text": "the refund is late\nreally"}, "response_time_ms": 30000},
  {"id": 5, "webhook_url": "https://h.example/a", "webhook_type": "call_ended", "success": true, "response_status_code": 200,
   "attempted_at": "2025-01-01T00:00:05Z", "request_payload": null, "response_time_ms": 15}
]"#;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn code(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Feeds `msg` and performs the effects that report back synchronously (search), as the app
/// would, ignoring the ones with outside effects.
fn send(state: &mut State, msg: Msg) -> Vec<Effect> {
    let effects = state.update(msg);
    let mut outside = Vec::new();
    for effect in effects {
        match effect {
            Effect::Search { generation, query, time } => {
                let data = state.data.clone().unwrap();
                let search = TextSearch::new(&query).unwrap().with_times(time);
                let matches = data.logs.logs.iter().map(|log| search.matches(log)).collect();
                outside.extend(send(state, Msg::Searched { generation, matches: Arc::new(matches) }));
            }
            other => outside.push(other),
        }
    }
    outside
}

fn loaded(filter: Filter) -> State {
    let mut state = State::new("call 1".into(), filter, Keymap::default(), Rect::new(0, 0, 120, 40));
    let effects = state.start();
    assert_eq!(effects, [Effect::Fetch { request: 1, arriving: true }]);
    let result = Box::new(Ok(parse_document(CALL.to_owned()).unwrap()));
    send(&mut state, Msg::Loaded { request: 1, result, call_error: None });
    state
}

fn shown_ids(state: &State) -> Vec<i64> {
    let set = state.logs().unwrap();
    state.shown.iter().map(|&i| set.logs[i].id).collect()
}

fn selected_id(state: &State) -> Option<i64> {
    state.selected_log().map(|log| log.id)
}

#[test]
fn loading_selects_the_first_log_and_counts_types_in_order_of_appearance() {
    let state = loaded(Filter::default());
    assert_eq!(state.load, Load::Loaded);
    assert_eq!(shown_ids(&state), [1, 2, 3, 4, 5]);
    assert_eq!(selected_id(&state), Some(1));
    let types: Vec<(&str, usize)> = state.types.iter().map(|t| (t.name.as_str(), t.count)).collect();
    assert_eq!(types, [("call_started", 1), ("transcript", 3), ("call_ended", 1)]);
    assert_eq!(state.summary.failed, 2);
}

#[test]
fn a_superseded_fetch_is_ignored() {
    let mut state = loaded(Filter::default());
    assert_eq!(send(&mut state, key('r')), [Effect::Fetch { request: 2, arriving: false }]);
    let superseded_reply = Box::new(Err(LoadFailure { message: "old".into(), hint: String::new(), exit_code: 9 }));
    send(&mut state, Msg::Loaded { request: 1, result: superseded_reply, call_error: None });
    assert!(matches!(state.load, Load::Loading { .. }), "the reply to fetch 1 must not count");
}

/// Rows show while the load still runs (the call's details come last), so a copy can be made
/// before it ends: the load's end, with nothing to say, leaves the copy's toast up.
#[test]
fn the_end_of_a_load_leaves_a_copy_toast_up() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    send(&mut state, arriving(arriving_logs(), 1000));
    let report = crate::clipboard::CopyReport {
        what: "payload".into(),
        bytes: 12,
        result: Ok(crate::clipboard::CopiedVia::Osc52 { warn_large: false }),
    };
    send(&mut state, Msg::Copied(report));
    let toast = state.status.clone();
    assert!(toast.as_ref().is_some_and(|status| status.text.starts_with("✓ copied payload")), "{toast:?}");
    let mut whole = parse_document(CALL.to_owned()).unwrap();
    whole.logs.logs.clear();
    send(&mut state, Msg::Loaded { request: 1, result: Box::new(Ok(whole)), call_error: Some("404".into()) });
    assert_eq!(state.load, Load::Loaded);
    assert_eq!(state.status, toast);
}

/// The first load's logs, each as its own [`Decoded`], in the order the server sends them.
fn arriving_logs() -> Vec<Decoded> {
    let set = parse_document(CALL.to_owned()).unwrap().logs;
    set.logs.into_iter().map(Decoded::Log).collect()
}

fn arriving(decoded: Vec<Decoded>, received: usize) -> Msg {
    Msg::Arriving { request: 1, decoded, progress: Progress { received, expected: Some(1000) } }
}

#[test]
fn rows_arrive_while_the_body_does_and_the_selection_and_filters_work_from_the_first() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let mut logs = arriving_logs();
    let rest: Vec<Decoded> = logs.split_off(2);
    assert!(!state.rows_shown());
    send(&mut state, arriving(Vec::new(), 10));
    assert_eq!(state.arrival.map(|a| a.progress.received), Some(10), "progress shows before the first log");
    assert!(state.logs().is_some_and(|set| set.logs.is_empty()));
    send(&mut state, arriving(logs, 300));
    assert!(state.rows_shown());
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![1, 2], Some(1)));
    send(&mut state, key('j'));
    send(&mut state, key('f'));
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![2], Some(2)), "filters apply to what has arrived");
    let (more, last) = (rest[..2].to_vec(), rest[2..].to_vec());
    send(&mut state, arriving(more, 800));
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![2, 4], Some(2)), "the selection stays put");
    assert_eq!(state.arrival.map(|a| a.progress.received), Some(800));
    // The rest comes with the end of the load.
    let mut whole = parse_document(CALL.to_owned()).unwrap();
    whole.logs.logs.retain(|log| last.iter().any(|d| matches!(d, Decoded::Log(l) if l.id == log.id)));
    send(&mut state, Msg::Loaded { request: 1, result: Box::new(Ok(whole)), call_error: None });
    assert_eq!(state.load, Load::Loaded);
    assert_eq!(state.arrival, None);
    assert_eq!(state.logs().unwrap().logs.len(), 5);
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![2, 4], Some(2)));
    let types: Vec<(&str, usize)> = state.types.iter().map(|t| (t.name.as_str(), t.count)).collect();
    assert_eq!(types, [("call_started", 1), ("transcript", 3), ("call_ended", 1)]);
}

#[test]
fn the_call_found_while_rows_arrive_is_shown_with_them() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let call = || Box::new(crate::model::CallInfo::from_json(r#"{"id": 1, "call_sid": "CAx"}"#).unwrap());
    send(&mut state, Msg::CallFound { request: 2, call: call() });
    assert!(state.data.is_none(), "another fetch's call is ignored");
    send(&mut state, Msg::CallFound { request: 1, call: call() });
    assert!(state.arrival.is_some() && state.logs().is_some_and(|set| set.logs.is_empty()), "arriving, no row yet");
    send(&mut state, arriving(arriving_logs()[..1].to_vec(), 100));
    assert_eq!(state.logs().unwrap().logs.len(), 1);
    assert_eq!(
        state.data.as_ref().unwrap().call.as_ref().unwrap().call_sid.as_deref(),
        Some("CAx"),
        "kept as rows arrive"
    );
    // A load cut short ends without the call's details: those found while it arrived stay.
    let rest = LoadedCall { call: None, logs: crate::model::LogSet::default() };
    send(&mut state, Msg::Loaded { request: 1, result: Box::new(Ok(rest)), call_error: None });
    let sid = state.data.as_ref().unwrap().call.as_ref().unwrap().call_sid.clone();
    assert_eq!(sid.as_deref(), Some("CAx"), "kept at the end");
}

#[test]
fn a_refresh_keeps_the_call_on_screen_and_one_during_arrival_starts_over() {
    let mut state = loaded(Filter::default());
    assert_eq!(send(&mut state, key('r')), [Effect::Fetch { request: 2, arriving: false }]);
    assert!(state.rows_shown(), "the loaded call stays on screen until the new one is whole");
    let mut fresh = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    fresh.start();
    send(&mut fresh, arriving(arriving_logs()[..1].to_vec(), 100));
    assert_eq!(send(&mut fresh, key('r')), [Effect::Fetch { request: 2, arriving: true }]);
    assert!(!fresh.rows_shown(), "the partial rows of the superseded fetch are dropped");
    send(&mut fresh, arriving(arriving_logs(), 100));
    assert!(fresh.logs().is_none(), "rows of fetch 1 arriving late are ignored");
}

#[rstest]
#[case::failed_only("f", &[2, 4])]
#[case::succeeded_only("ff", &[1, 3, 5])]
#[case::retried_only("fff", &[])]
#[case::status_cycles_back("ffff", &[1, 2, 3, 4, 5])]
#[case::second_type("2", &[2, 3, 4])]
#[case::two_types("23", &[2, 3, 4, 5])]
#[case::type_toggled_off("22", &[1, 2, 3, 4, 5])]
#[case::type_and_status("2f", &[2, 4])]
#[case::cleared("2fc", &[1, 2, 3, 4, 5])]
#[case::missing_type_number("9", &[1, 2, 3, 4, 5])]
fn filter_keys(#[case] keys: &str, #[case] expected: &[i64]) {
    let mut state = loaded(Filter::default());
    for c in keys.chars() {
        send(&mut state, key(c));
    }
    assert_eq!(shown_ids(&state), expected);
}

#[test]
fn the_selection_stays_on_the_same_log_while_it_is_shown() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('j'));
    send(&mut state, key('j'));
    assert_eq!(selected_id(&state), Some(3));
    send(&mut state, key('2')); // transcripts: 2, 3, 4
    assert_eq!(selected_id(&state), Some(3));
    send(&mut state, key('f')); // failed transcripts: 2, 4 — 3 is gone, the next one is taken
    assert_eq!(selected_id(&state), Some(4));
    send(&mut state, key('c'));
    assert_eq!(selected_id(&state), Some(4));
}

#[test]
fn the_help_scrolls_no_further_than_its_last_line() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Resize { width: 80, height: 24 });
    send(&mut state, key('?'));
    let lines = state.keymap.help_line_count();
    let page = usize::from(crate::layout::help_box(state.screen, lines).height) - 2;
    assert!(lines > page, "{lines} lines in a box of {page}");
    let scroll = |state: &State| match state.popup {
        Popup::Help { scroll } => scroll,
        _ => panic!("the help closed"),
    };
    send(&mut state, code(KeyCode::PageDown));
    assert_eq!(scroll(&state), page - 1, "a page, keeping a line");
    send(&mut state, key('G'));
    assert_eq!(scroll(&state), lines - page);
    for _ in 0..5 {
        send(&mut state, key('j'));
    }
    assert_eq!(scroll(&state), lines - page, "j at the end stays at the end");
    send(&mut state, key('k'));
    assert_eq!(scroll(&state), lines - page - 1, "and k moves up at once");
    send(&mut state, key('g'));
    assert_eq!(scroll(&state), 0);
    send(&mut state, key('x'));
    assert_eq!(state.popup, Popup::None, "any other key closes");
}

#[test]
fn ctrl_z_is_left_to_the_app_and_changes_nothing_here() {
    let mut state = loaded(Filter::default());
    let suspend = Msg::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    assert_eq!(
        state.keymap.anywhere.action_for(&KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
        Some(Action::Suspend)
    );
    assert!(send(&mut state, suspend).is_empty());
    assert!(!state.quitting);
}

#[test]
fn with_focus_on_the_detail_j_scrolls_instead_of_moving() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Resize { width: 80, height: 24 }); // a detail of four lines
    send(&mut state, key('a')); // the raw entry: a dozen lines
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, key('j'));
    assert_eq!(selected_id(&state), Some(1));
    assert_eq!(state.detail.as_ref().unwrap().scroll, 1);
}

#[test]
fn the_type_picker_applies_on_enter_and_cancels_on_esc() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('t'));
    send(&mut state, key('j'));
    send(&mut state, key(' '));
    send(&mut state, code(KeyCode::Esc));
    assert!(state.filter.types.is_empty());
    send(&mut state, key('t'));
    send(&mut state, key('j'));
    send(&mut state, key(' '));
    send(&mut state, code(KeyCode::Enter));
    assert_eq!(state.filter.types, ["transcript".to_owned()].into());
    assert_eq!(shown_ids(&state), [2, 3, 4]);
}

#[test]
fn page_and_ends_move_within_the_shown_logs() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('G'));
    assert_eq!(selected_id(&state), Some(5));
    send(&mut state, key('g'));
    assert_eq!(selected_id(&state), Some(1));
    send(&mut state, code(KeyCode::PageDown));
    assert_eq!(selected_id(&state), Some(5), "a page is more than five rows at 120x40");
    send(&mut state, key('k'));
    assert_eq!(selected_id(&state), Some(4));
}

#[test]
fn a_click_selects_the_row_under_the_pointer() {
    let mut state = loaded(Filter::default());
    let rows = state.areas().list_rows;
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: rows.x + 3,
        row: rows.y + 2,
        modifiers: KeyModifiers::NONE,
    };
    send(&mut state, Msg::Mouse(click));
    assert_eq!(selected_id(&state), Some(3));
}

#[test]
fn ctrl_c_quits_even_from_a_popup() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('/'));
    let effects = send(&mut state, Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(state.quitting);
}

#[test]
fn a_quit_message_quits_as_q_does() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('/'));
    assert!(send(&mut state, Msg::Quit).is_empty());
    assert!(state.quitting);
}

#[test]
fn keys_other_than_quit_refresh_and_help_wait_for_data() {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 80, 24));
    state.start();
    assert!(send(&mut state, key('f')).is_empty());
    assert_eq!(state.filter.status, StatusFilter::All);
    assert!(send(&mut state, key('q')).is_empty());
    assert!(state.quitting);
}

#[test]
fn export_takes_the_shown_logs() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('f'));
    let effects = send(&mut state, key('e'));
    assert_eq!(effects, [Effect::Export { logs: state.shown.clone() }]);
    assert_eq!(state.shown.len(), 2);
}

#[test]
fn redaction_masks_what_copies_carry_and_says_so() {
    let mut state = loaded(Filter::default());
    let text = r#"[{"id": 1, "webhook_url": "https://h.example/a", "webhook_type": "call_started", "success": true,
        "request_payload": {"customer": "+15035550187", "token": "sk_live_abc"}}]"#;
    let result = Box::new(Ok(parse_document(text.to_owned()).unwrap()));
    send(&mut state, key('r'));
    send(&mut state, Msg::Loaded { request: 2, result, call_error: None });

    let plain = send(&mut state, key('Y'));
    let [Effect::Copy { text, what }] = plain.as_slice() else { panic!("{plain:?}") };
    assert_eq!(what, "payload");
    assert!(text.contains("+15035550187") && text.contains("sk_live_abc"), "{text}");

    send(&mut state, key('R'));
    assert!(state.redact);
    let masked = send(&mut state, key('Y'));
    let [Effect::Copy { text, what }] = masked.as_slice() else { panic!("{masked:?}") };
    assert_eq!(what, "payload (redacted)");
    assert!(!text.contains("5035550187") && !text.contains("sk_live_abc"), "{text}");
    serde_json::from_str::<serde_json::Value>(text).expect("still JSON");
}

#[test]
fn z_switches_between_utc_and_local_time() {
    let mut state = loaded(Filter::default());
    assert_eq!(state.time, TimeDisplay::Utc);
    send(&mut state, key('z'));
    assert_eq!(state.time, TimeDisplay::Local);
    send(&mut state, key('z'));
    assert_eq!(state.time, TimeDisplay::Utc);
}

#[rstest]
#[case::copied(Ok(crate::clipboard::CopiedVia::System), "✓ copied payload (1.2 KB) to the system clipboard", true)]
#[case::not_known_to_have_landed(
    Ok(crate::clipboard::CopiedVia::Passthrough { why: "no server running".into(), warn_large: false }),
    "⚠ payload (1.2 KB) sent as OSC 52 through tmux, which drops it unless `allow-passthrough` is on: tmux itself did not take it (no server running)",
    false
)]
#[case::failed(
    Err(crate::clipboard::ClipboardError::Stopped),
    "✗ copy failed: the clipboard stopped unexpectedly (a bug: please report it)",
    false
)]
fn a_copy_report_becomes_the_status_line(
    #[case] result: Result<crate::clipboard::CopiedVia, crate::clipboard::ClipboardError>,
    #[case] text: &str,
    #[case] ok: bool,
) {
    let mut state = loaded(Filter::default());
    let report = crate::clipboard::CopyReport { what: "payload".into(), bytes: 1200, result };
    send(&mut state, Msg::Copied(report));
    assert_eq!(state.status, Some(StatusLine { text: text.to_owned(), ok }));
}

#[test]
fn the_copy_menu_copies_by_its_table_and_any_other_key_closes_it() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('y'));
    assert_eq!(state.popup, Popup::Copy);
    let effects = send(&mut state, key('u'));
    assert_eq!(effects, [Effect::Copy { text: "https://h.example/a".into(), what: "webhook URL".into() }]);
    assert_eq!(state.popup, Popup::None);
    send(&mut state, key('y'));
    assert!(send(&mut state, key('z')).is_empty());
    assert_eq!(state.popup, Popup::None);
}

#[test]
fn the_search_line_edits_with_its_command_keys_and_types_the_rest() {
    let mut state = loaded(Filter::default());
    let ctrl = |c| Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
    for msg in [key('/'), key('a'), key('b'), code(KeyCode::Backspace), key('q'), ctrl('a')] {
        send(&mut state, msg);
    }
    assert_eq!(
        state.popup,
        Popup::Search { input: "aq".into(), previous: String::new() },
        "q is text here, and Ctrl-A types nothing"
    );
    send(&mut state, ctrl('u'));
    assert_eq!(state.popup, Popup::Search { input: String::new(), previous: String::new() });
}

#[test]
fn the_help_scrolls_with_its_keys_and_closes_on_any_other() {
    let mut state = loaded(Filter::default());
    for c in "?jjk".chars() {
        send(&mut state, key(c));
    }
    assert_eq!(state.popup, Popup::Help { scroll: 1 });
    send(&mut state, key('x'));
    assert_eq!(state.popup, Popup::None);
}

#[test]
fn keys_rebound_in_the_config_file_are_the_keys_that_work() {
    let overrides = [("quit".to_owned(), "Q".to_owned()), ("cycle_status".to_owned(), "X".to_owned())].into();
    let keymap = Keymap::with_overrides(&overrides).unwrap();
    let mut state = State::new("call 1".into(), Filter::default(), keymap, Rect::new(0, 0, 120, 40));
    state.start();
    let result = Box::new(Ok(parse_document(CALL.to_owned()).unwrap()));
    send(&mut state, Msg::Loaded { request: 1, result, call_error: None });
    send(&mut state, key('f'));
    send(&mut state, key('q'));
    assert_eq!((state.filter.status, state.quitting), (StatusFilter::All, false), "the default keys do nothing");
    send(&mut state, key('X'));
    assert_eq!(shown_ids(&state), [2, 4]);
    send(&mut state, key('Q'));
    assert!(state.quitting);
}

/// The HTML and XML grammars are made ready once, for a call that has such a body, and never
/// for one that has none.
#[test]
fn markup_grammars_are_warmed_once_and_only_for_a_call_with_markup() {
    let with_body = |id: u32, body: &str| {
        format!(r#"{{"id": {id}, "webhook_url": "u", "webhook_type": "t", "success": false, "response_body": {body}}}"#)
    };
    let load = |entries: &[String]| {
        let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
        state.start();
        let loaded = parse_document(format!("[{}]", entries.join(","))).unwrap();
        let effects = send(&mut state, Msg::Loaded { request: 1, result: Box::new(Ok(loaded)), call_error: None });
        (state, effects.iter().filter(|effect| **effect == Effect::WarmUpMarkup).count())
    };
    let plain = [with_body(1, r#""ok""#), with_body(2, r#""{\"a\": \"<b>\"}""#), with_body(3, "null")];
    assert_eq!(load(&plain).1, 0);
    let page = with_body(4, r#""\n  <html><title>502</title></html>""#);
    let (mut state, warmed) = load(&[plain[0].clone(), page.clone()]);
    assert_eq!(warmed, 1);
    let again = send(&mut state, key('r'));
    let loaded = parse_document(format!("[{page}]")).unwrap();
    let mut effects = again;
    effects.extend(send(&mut state, Msg::Loaded { request: 2, result: Box::new(Ok(loaded)), call_error: None }));
    assert!(!effects.contains(&Effect::WarmUpMarkup), "once a session");
}

/// Esc goes back to the call list only once nothing else is open and no search is left to
/// clear; Backspace goes back at once; a call opened by id has no list to go back to.
#[test]
fn esc_at_the_top_and_backspace_go_back_to_the_call_list_it_was_opened_from() {
    let mut state = loaded(Filter::default());
    send(&mut state, code(KeyCode::Esc));
    send(&mut state, code(KeyCode::Backspace));
    assert!(!state.stopping(), "opened by id: nothing to go back to");

    state.from_calls = true;
    send(&mut state, key('/'));
    for c in "refund\n".chars() {
        send(&mut state, if c == '\n' { code(KeyCode::Enter) } else { key(c) });
    }
    send(&mut state, code(KeyCode::Enter));
    assert!(state.zoomed);
    send(&mut state, code(KeyCode::Esc));
    assert!(!state.zoomed && !state.back_to_calls, "Esc closed the zoomed detail first");
    send(&mut state, code(KeyCode::Esc));
    assert!(state.filter.text.is_empty() && !state.back_to_calls, "then cleared the search");
    send(&mut state, code(KeyCode::Esc));
    assert!(state.back_to_calls && !state.quitting && state.stopping());

    state.back_to_calls = false;
    send(&mut state, code(KeyCode::Enter));
    send(&mut state, code(KeyCode::Backspace));
    assert!(state.back_to_calls, "Backspace goes back whatever is open");
}

/// A call still loading, or one that failed to load, can be left for the call list; opened by
/// id, Esc does nothing before the data is in.
#[rstest]
#[case::from_the_list(true)]
#[case::by_id(false)]
fn esc_leaves_a_call_still_loading_only_for_the_call_list(#[case] from_calls: bool) {
    let mut state = State::new("call 1".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.from_calls = from_calls;
    state.start();
    send(&mut state, code(KeyCode::Esc));
    assert_eq!(state.back_to_calls, from_calls);
}
