//! Every state the explorer can be in, drawn to a test terminal at 120×40 and 80×24.

#[path = "support/buffer_text.rs"]
mod buffer_text;
#[path = "support/keys.rs"]
mod keys;

use hookscope::action::{Effect, LoadFailure, Msg};
use hookscope::api::RetryWait;
use hookscope::case_file::{DEMO_CALL, parse_document};
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::{Filter, TextSearch};
use hookscope::keymap::Keymap;
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;

/// The demo call's SID, as a user would type it to open the call.
const DEMO_SID: &str = "CA3f9b2c7e1d4a40b8e6c5d2a1b0f9e874";

fn state(width: u16, height: u16) -> State {
    labelled("call 101", width, height)
}

fn labelled(label: &str, width: u16, height: u16) -> State {
    let mut state = State::new(label.into(), Filter::default(), Keymap::default(), Rect::new(0, 0, width, height));
    state.start();
    state
}

fn loaded_from(text: &str, width: u16, height: u16) -> State {
    load(state(width, height), text)
}

fn load(mut state: State, text: &str) -> State {
    let result = Box::new(Ok(parse_document(text.to_owned()).unwrap()));
    state.update(Msg::Loaded { request: 1, result, call_error: None });
    state
}

/// A hand-written call with retry chains: a tool call 500 → 502 → 200, a status update chained
/// by `retry_count`, a transcript sent again after it was delivered, and an end-of-call report
/// that timed out three times.
const CHAINS: &str = include_str!("fixtures/retry-chains.json");

fn chains(width: u16, height: u16) -> State {
    load(labelled("call 202", width, height), CHAINS)
}

fn demo(width: u16, height: u16) -> State {
    loaded_from(DEMO_CALL, width, height)
}

/// Types `keys`, running each text search they start as the app would in the background.
fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        let mut effects = state.update(Msg::Key(keys::key_event(c)));
        while let Some(Effect::Search { generation, query, time }) =
            effects.iter().find(|e| matches!(e, Effect::Search { .. })).cloned()
        {
            let search = TextSearch::new(&query).unwrap().with_times(time);
            let matches = state.logs().unwrap().logs.iter().map(|log| search.matches(log)).collect();
            effects = state.update(Msg::Searched { generation, matches: std::sync::Arc::new(matches) });
        }
    }
}

/// Where the list's header row writes `title`, in columns.
fn column_of(state: &State, title: &str) -> usize {
    let screen = screen(state);
    let header = screen.lines().nth(usize::from(state.areas().list_rows.y) - 1).unwrap();
    header.chars().collect::<String>().find(title).map(|byte| header[..byte].chars().count()).unwrap()
}

fn draw(state: &State) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(state.screen.width, state.screen.height)).unwrap();
    terminal.draw(|frame| ui::render(frame, state, &Theme::new(ThemeName::Dark, true))).unwrap();
    terminal
}

fn screen(state: &State) -> String {
    let terminal = draw(state);
    let buffer = terminal.backend().buffer();
    buffer_text::buffer_text(buffer)
}

macro_rules! screens {
    ($($name:ident: $build:expr;)*) => {$(
        #[test]
        fn $name() {
            for (width, height) in [(120, 40), (80, 24)] {
                let state: State = $build(width, height);
                insta::assert_snapshot!(format!("{}_{width}x{height}", stringify!($name)), screen(&state));
            }
        }
    )*};
}

screens! {
    chains_collapsed: chains;
    chains_one_expanded: |w, h| { let mut s = chains(w, h); press(&mut s, "j "); s };
    chains_flat: |w, h| { let mut s = chains(w, h); press(&mut s, "x"); s };
    chains_retried_only: |w, h| { let mut s = chains(w, h); press(&mut s, "fff"); s };
    chains_attempt_info: |w, h| { let mut s = chains(w, h); press(&mut s, "j jji"); s };
    loading: state;
    fetch_error: |w, h| {
        let mut s = state(w, h);
        let failure = LoadFailure { message: "401 Unauthorized: the key from BURKI_API_KEY (burki_live_…) was refused".into(), hint: "Fix the key, then r tries again.".into(), exit_code: 4 };
        s.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
        s
    };
    empty_call: |w, h| loaded_from("[]", w, h);
    demo_call: demo;
    opened_by_sid: |w, h| load(labelled(&format!("call {DEMO_SID}"), w, h), DEMO_CALL);
    nothing_matches: |w, h| { let mut s = demo(w, h); press(&mut s, "/zebra\n"); s };
    failed_only: |w, h| { let mut s = demo(w, h); press(&mut s, "f"); s };
    response_tab: |w, h| { let mut s = demo(w, h); press(&mut s, "fjb"); s };
    zoomed_detail: |w, h| { let mut s = demo(w, h); press(&mut s, "\n"); s };
    zoomed_after_scrolling_to_the_bottom: |w, h| { let mut s = demo(w, h); press(&mut s, "a\tG\n"); s };
    type_picker: |w, h| { let mut s = demo(w, h); press(&mut s, "tj "); s };
    copy_menu: |w, h| { let mut s = demo(w, h); press(&mut s, "y"); s };
    help: |w, h| { let mut s = demo(w, h); press(&mut s, "?"); s };
    help_scrolled_to_the_popups: |w, h| { let mut s = demo(w, h); press(&mut s, &format!("?{}", "j".repeat(44))); s };
    search_line: |w, h| { let mut s = demo(w, h); press(&mut s, "/refu"); s };
    search_typed_finds_what_the_list_shows: |w, h| { let mut s = demo(w, h); press(&mut s, "/timeout"); s };
    search_for_a_status_reason: |w, h| { let mut s = demo(w, h); press(&mut s, "/bad gateway\n"); s };
    scrolled_to_the_end: |w, h| { let mut s = demo(w, h); press(&mut s, "G"); s };
    scrolled_sideways: |w, h| { let mut s = demo(w, h); press(&mut s, "fj\na>"); s };
    unicode_escapes_shown_as_characters: |w, h| loaded_from(ESCAPED, w, h);
    unicode_escapes_kept_as_sent: |w, h| { let mut s = loaded_from(ESCAPED, w, h); press(&mut s, "\na"); s };
    rate_limited_for_good: |w, h| {
        // A message that wraps still leaves room for the keys under it.
        let mut s = state(w, h);
        let failure = LoadFailure { message: "rate limited (429, 2 attempts): the server asks to wait 20 s before trying again".into(), hint: "This may pass: r tries again.".into(), exit_code: 7 };
        s.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
        s
    };
    rate_limited: |w, h| {
        let mut s = state(w, h);
        let wait = RetryWait { status: 429, wait: std::time::Duration::from_secs(20), next_attempt: 2, attempts: 4 };
        s.update(Msg::Retrying { request: 1, wait });
        s
    };
    call_details_unavailable: |w, h| {
        let mut s = state(w, h);
        let mut loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
        loaded.call = None;
        let result = Box::new(Ok(loaded));
        let why = "Call with ID 101 not found in your organization (404): check the call id or SID, and that the API key belongs to the call's organization";
        s.update(Msg::Loaded { request: 1, result, call_error: Some(why.into()) });
        press(&mut s, "i");
        s
    };
    absent_type: |w, h| {
        let mut s = State::new("call 101".into(), Filter { types: ["nosuch".to_owned()].into(), ..Filter::default() }, Keymap::default(), Rect::new(0, 0, w, h));
        s.start();
        s.update(Msg::Loaded { request: 1, result: Box::new(Ok(parse_document(DEMO_CALL.to_owned()).unwrap())), call_error: None });
        s
    };
    cut_off: |w, h| {
        let mut s = state(w, h);
        let mut loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
        loaded.logs.body_problems.push("the response was cut off at byte 6144 of 9216: the connection closed early; the list holds only the 12 logs before it".into());
        s.update(Msg::Loaded { request: 1, result: Box::new(Ok(loaded)), call_error: None });
        s
    };
    refreshed: |w, h| {
        // The first fetch lacks the call's first delivery; `r` brings it.
        let mut s = state(w, h);
        let mut partial = parse_document(DEMO_CALL.to_owned()).unwrap();
        partial.logs.logs.remove(0);
        s.update(Msg::Loaded { request: 1, result: Box::new(Ok(partial)), call_error: None });
        press(&mut s, "r");
        let whole = parse_document(DEMO_CALL.to_owned()).unwrap();
        s.update(Msg::Loaded { request: 2, result: Box::new(Ok(whole)), call_error: None });
        s
    };
    long_lines_say_they_go_on: |w, h| { let mut s = demo(w, h); press(&mut s, "fj\naG"); s };
    scrolled_to_the_line_end: |w, h| { let mut s = demo(w, h); press(&mut s, "fj\naG$"); s };
    long_lines_wrapped: |w, h| { let mut s = demo(w, h); press(&mut s, "fj\naGw"); s };
    help_at_the_end: |w, h| { let mut s = demo(w, h); press(&mut s, "?G"); s };
    long_summary_beside_the_time_zone: |w, h| { let mut s = demo(w, h); press(&mut s, "12fR"); s };
    following: |w, h| {
        // An ongoing call follows itself; a poll brings its last delivery.
        let mut s = live(w, h, "ongoing", 1);
        let request = poll_due(&mut s);
        polled(&mut s, request, Ok(Some(demo_with_status("ongoing", 0))));
        s
    };
    following_a_failed_poll: |w, h| {
        let mut s = live(w, h, "ongoing", 0);
        let request = poll_due(&mut s);
        let failure = LoadFailure { message: "500 Internal Server Error".into(), hint: String::new(), exit_code: 8 };
        polled(&mut s, request, Err(failure));
        s
    };
    following_stopped_at_the_end_of_the_call: |w, h| {
        // The call ends: one last poll, then follow stops.
        let mut s = live(w, h, "ongoing", 0);
        if let Some(data) = s.data.as_mut() {
            std::sync::Arc::make_mut(data).call.as_mut().unwrap().status = Some("completed".into());
        }
        for _ in 0..2 {
            let request = poll_due(&mut s);
            polled(&mut s, request, Ok(None));
        }
        s
    };
    lifecycle_healthy: |w, h| { let mut s = loaded_from(HEALTHY, w, h); press(&mut s, "!"); s };
    lifecycle_warnings_in_the_header: |w, h| loaded_from(WARNED, w, h);
    lifecycle_call_started_not_first: |w, h| warning_jump(w, h, 1);
    lifecycle_type_always_failed: |w, h| warning_jump(w, h, 2);
    lifecycle_duplicate: |w, h| warning_jump(w, h, 3);
    lifecycle_near_the_timeout: |w, h| warning_jump(w, h, 4);
    lifecycle_after_the_call_ended: |w, h| warning_jump(w, h, 5);
    lifecycle_no_end_of_call: |w, h| warning_jump(w, h, 6);
    lifecycle_warning_in_the_info_tab: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "!!!i"); s };
    lifecycle_jump_lifts_a_filter_that_hides_the_log: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "f!"); s };
    next_failure: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "]]"); s };
    next_failure_wraps: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "G]"); s };
    marked_row: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "xjjjjm"); s };
    diff_without_a_mark: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "d"); s };
    payload_diff: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "xjjjjmjjjd"); s };
    payload_diff_identical: |w, h| { let mut s = loaded_from(WARNED, w, h); press(&mut s, "xjjjjmjd"); s };
    // The views fixture: six types, retries, a timeout, two hosts, two undated logs.
    // Lane by lane from call_started to tool_call's first attempt, a 502.
    timeline_cursor_on_a_failure: |w, h| { let mut s = views(w, h); press(&mut s, "vjjj"); s };
    timeline_after_the_retries: |w, h| { let mut s = views(w, h); press(&mut s, "vjjjll"); s };
    timeline_of_the_demo: |w, h| { let mut s = demo(w, h); press(&mut s, "v"); s };
    timeline_filtered_to_failures: |w, h| { let mut s = views(w, h); press(&mut s, "fv"); s };
    stats_with_two_hosts: |w, h| { let mut s = views(w, h); press(&mut s, "vv"); s };
    stats_of_one_type: |w, h| { let mut s = views(w, h); press(&mut s, "/lookup_order\nvv"); s };
    empty_call_timeline: |w, h| { let mut s = loaded_from("[]", w, h); press(&mut s, "v"); s };
    empty_call_stats: |w, h| { let mut s = loaded_from("[]", w, h); press(&mut s, "vv"); s };
    back_to_the_list_keeps_the_selection: |w, h| { let mut s = views(w, h); press(&mut s, "vjjjlvv"); s };
}

/// The demo call with this status, without its first `missing` logs.
fn demo_with_status(status: &str, missing: usize) -> hookscope::case_file::LoadedCall {
    let mut loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
    loaded.logs.logs.drain(..missing);
    loaded.call.as_mut().unwrap().status = Some(status.into());
    loaded
}

/// The demo call loaded with this status (follow turns itself on when it is ongoing).
fn live(width: u16, height: u16, status: &str, missing: usize) -> State {
    let mut s = state(width, height);
    s.update(Msg::Loaded { request: 1, result: Box::new(Ok(demo_with_status(status, missing))), call_error: None });
    s
}

/// Rings the follow timer as the app would; the poll's request.
fn poll_due(state: &mut State) -> u64 {
    for generation in 0..100 {
        if let [Effect::Poll { request }] = state.update(Msg::PollDue { generation }).as_slice() {
            return *request;
        }
    }
    panic!("no poll started");
}

fn polled(state: &mut State, request: u64, result: Result<Option<hookscope::case_file::LoadedCall>, LoadFailure>) {
    let call = state.data.as_ref().and_then(|data| data.call.clone());
    let polled = hookscope::action::Polled { result, call, call_error: None, retry_after: None };
    state.update(Msg::Polled { request, polled: Box::new(polled) });
}

/// Hand-written calls for the lifecycle check: one with a warning of each kind, one with none.
const WARNED: &str = include_str!("fixtures/lifecycle-warnings.json");
const HEALTHY: &str = include_str!("fixtures/lifecycle-healthy.json");

/// The fixture with warnings after `!` pressed `times` times: the status line says the warning.
fn warning_jump(width: u16, height: u16, times: usize) -> State {
    let mut state = loaded_from(WARNED, width, height);
    press(&mut state, &"!".repeat(times));
    state
}

/// The hand-written call the timeline and stats are drawn from.
const VIEWS_CALL: &str = include_str!("fixtures/views-call.json");

fn views(width: u16, height: u16) -> State {
    loaded_from(VIEWS_CALL, width, height)
}

/// Without colour, the timeline still tells a failure from a delivery, and the cursor from the
/// rest: by glyph and by reverse video.
#[test]
fn the_timeline_reads_without_colour() {
    let mut state = views(80, 24);
    press(&mut state, "vjjj");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|frame| ui::render(frame, &state, &Theme::new(ThemeName::Dark, false))).unwrap();
    let buffer = terminal.backend().buffer();
    let text: String = buffer.content.iter().map(ratatui::buffer::Cell::symbol).collect();
    assert!(text.contains('✗') && text.contains('●') && text.contains('─'), "{text}");
    let view = state.areas().list;
    let reversed: Vec<&str> = view
        .positions()
        .map(|at| &buffer[at])
        .filter(|cell| cell.modifier.contains(ratatui::style::Modifier::REVERSED))
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert_eq!(reversed, ["✗"], "the cursor is on the 502, and only there");
}

#[test]
fn the_header_names_a_call_opened_by_sid_once_and_keeps_assistant_and_status_at_80_columns() {
    for label in [format!("call {DEMO_SID}"), "call 101".to_owned()] {
        let state = load(labelled(&label, 80, 24), DEMO_CALL);
        let screen = screen(&state);
        let header = screen.lines().next().unwrap();
        assert!(header.matches("CA3f9b2c7").count() <= 1, "{header}");
        assert!(header.contains("· completed · 2m58s"), "{header}");
        assert!(header.contains("· Riverside Dental"), "{header}");
    }
}

/// A payload whose strings are sent as `\u` escapes: text, a surrogate pair, a lone surrogate,
/// and an escape sequence and a bidi override that must never reach the terminal raw.
const ESCAPED: &str = r#"[{"id": 1, "call_id": 101, "webhook_url": "https://hooks.example.com/x",
  "webhook_type": "transcript", "request_payload": {"text": "\u65e5\u672c\u8a9e", "name": "Jos\u00e9",
  "emoji": "\ud83d\ude00", "lone": "\ud800", "evil": "\u001b[2J\u202eexe", "quote": "\u0022"},
  "response_status_code": 200, "response_body": "{\"echo\": \"\\u00e9\"}", "response_time_ms": 12,
  "attempted_at": "2025-08-24T19:22:04Z", "success": true, "error_message": null, "retry_count": 0}]"#;

#[test]
fn failures_are_red_and_marked_without_colour_too() {
    let state = demo(120, 40);
    let terminal = draw(&state);
    let buffer = terminal.backend().buffer();
    let rows = state.areas().list_rows;
    let mut failed_rows = 0;
    for y in rows.y..rows.bottom() {
        let line: String = (rows.x..rows.right()).map(|x| buffer[(x, y)].symbol()).collect();
        if let Some(x) = line.find('✗') {
            failed_rows += 1;
            let column = rows.x + u16::try_from(line[..x].chars().count()).unwrap();
            assert_eq!(buffer[(column, y)].fg, Color::Red, "row {y}: {line}");
        }
    }
    assert!(failed_rows > 0, "the demo shows failures in its first screen");
}

#[test]
fn no_color_draws_no_colour_at_all() {
    let state = demo(120, 40);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|frame| ui::render(frame, &state, &Theme::new(ThemeName::Dark, false))).unwrap();
    let buffer = terminal.backend().buffer();
    for cell in &buffer.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{cell:?}");
    }
}

#[test]
fn hints_name_the_keys_as_the_config_file_bound_them() {
    let overrides = [("quit".to_owned(), "Q".to_owned()), ("refresh".to_owned(), "F5".to_owned())].into();
    let keymap = Keymap::with_overrides(&overrides).unwrap();
    let mut state = State::new("call 101".into(), Filter::default(), keymap, Rect::new(0, 0, 80, 24));
    state.start();
    let failure = LoadFailure { message: "500 Internal Server Error".into(), hint: String::new(), exit_code: 8 };
    state.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
    let screen = screen(&state);
    assert!(screen.contains("F5 try again  Q quit"), "the error panel:\n{screen}");
    assert!(screen.trim_end().ends_with("? help  Q quit"), "the footer:\n{screen}");
}

#[test]
fn columns_stay_put_while_the_list_scrolls() {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = demo(width, height);
        let before = column_of(&state, "status");
        press(&mut state, "G");
        assert_eq!(column_of(&state, "status"), before, "{width}x{height}: the type column kept its width");
        press(&mut state, "3");
        assert!(column_of(&state, "status") < before, "{width}x{height}: a narrower filter, a narrower column");
    }
}

/// The diff's lines are green (added), red (removed) and yellow (changed), and their marks say
/// the same without colour.
#[test]
fn the_diff_is_coloured_by_mark_and_marked_without_colour() {
    let mut state = loaded_from(WARNED, 120, 40);
    press(&mut state, "xjjjjmjjjd");
    let terminal = draw(&state);
    let buffer = terminal.backend().buffer();
    let colour_of = |mark: &str| {
        (0..buffer.area.height).find_map(|y| {
            let line: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
            let at = line.find(&format!("│{mark} "))?;
            let x = u16::try_from(line[..at].chars().count()).unwrap() + 1;
            Some(buffer[(x, y)].fg)
        })
    };
    assert_eq!(colour_of("+"), Some(Color::Green));
    assert_eq!(colour_of("-"), Some(Color::Red));
    assert_eq!(colour_of("~"), Some(Color::Yellow));
    let mut plain = Terminal::new(TestBackend::new(120, 40)).unwrap();
    plain.draw(|frame| ui::render(frame, &state, &Theme::new(ThemeName::Dark, false))).unwrap();
    let text: String = plain.backend().buffer().content.iter().map(ratatui::buffer::Cell::symbol).collect();
    for line in ["~ text: \"hello\" → \"see you on Tuesday\"", "- tags[1]: \"b\"", "+ speaker: \"user\""] {
        assert!(text.contains(line), "{line}");
    }
    assert!(plain.backend().buffer().content.iter().all(|cell| cell.fg == Color::Reset));
}

/// The views on screens too small for them draw what fits, and never panic.
#[test]
fn the_views_fit_tiny_screens() {
    for (width, height) in [(1, 1), (10, 3), (20, 8), (40, 12), (3, 30)] {
        for keys in ["v", "vv", "vjjjl"] {
            let mut state = views(width, height);
            press(&mut state, keys);
            let _ = screen(&state);
        }
    }
}
