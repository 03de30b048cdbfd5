//! Every state the explorer can be in, drawn to a test terminal at 120×40 and 80×24.

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
    let mut out = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
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
    help_scrolled_to_the_popups: |w, h| { let mut s = demo(w, h); press(&mut s, &format!("?{}", "j".repeat(38))); s };
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
    let overrides = [("quit".to_owned(), "x".to_owned()), ("refresh".to_owned(), "F5".to_owned())].into();
    let keymap = Keymap::with_overrides(&overrides).unwrap();
    let mut state = State::new("call 101".into(), Filter::default(), keymap, Rect::new(0, 0, 80, 24));
    state.start();
    let failure = LoadFailure { message: "500 Internal Server Error".into(), hint: String::new(), exit_code: 8 };
    state.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
    let screen = screen(&state);
    assert!(screen.contains("F5 try again  x quit"), "the error panel:\n{screen}");
    assert!(screen.trim_end().ends_with("? help  x quit"), "the footer:\n{screen}");
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
