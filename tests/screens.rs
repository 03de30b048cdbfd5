//! Every state the explorer can be in, drawn to a test terminal at 120×40 and 80×24.

#[path = "support/keys.rs"]
mod keys;

use hookscope::action::{LoadFailure, Msg};
use hookscope::case_file::{DEMO_CALL, parse_document};
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::Filter;
use hookscope::keymap::Keymap;
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;

fn state(width: u16, height: u16) -> State {
    let mut state = State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, width, height));
    state.start();
    state
}

fn loaded_from(text: &str, width: u16, height: u16) -> State {
    let mut state = state(width, height);
    let result = Box::new(Ok(parse_document(text.to_owned()).unwrap()));
    state.update(Msg::Loaded { request: 1, result, call_error: None });
    state
}

fn demo(width: u16, height: u16) -> State {
    loaded_from(DEMO_CALL, width, height)
}

fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        state.update(Msg::Key(keys::key_event(c)));
    }
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
        let failure = LoadFailure { message: "401 Unauthorized: the key from BURKI_API_KEY (burki_live_…) was refused".into(), hint: "Fix the key, then r tries again.".into() };
        s.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
        s
    };
    empty_call: |w, h| loaded_from("[]", w, h);
    demo_call: demo;
    nothing_matches: |w, h| { let mut s = demo(w, h); s.filter.text = "zebra".into(); press(&mut s, "/zebra\n"); s.update(Msg::Searched { generation: 1, matches: std::sync::Arc::new(vec![false; 40]) }); s };
    failed_only: |w, h| { let mut s = demo(w, h); press(&mut s, "f"); s };
    response_tab: |w, h| { let mut s = demo(w, h); press(&mut s, "fjb"); s };
    zoomed_detail: |w, h| { let mut s = demo(w, h); press(&mut s, "\n"); s };
    type_picker: |w, h| { let mut s = demo(w, h); press(&mut s, "tj "); s };
    copy_menu: |w, h| { let mut s = demo(w, h); press(&mut s, "y"); s };
    help: |w, h| { let mut s = demo(w, h); press(&mut s, "?"); s };
    help_scrolled_to_the_popups: |w, h| { let mut s = demo(w, h); press(&mut s, &format!("?{}", "j".repeat(37))); s };
    search_line: |w, h| { let mut s = demo(w, h); press(&mut s, "/refu"); s };
    scrolled_sideways: |w, h| { let mut s = demo(w, h); press(&mut s, "fj\na>"); s };
    long_summary_beside_the_time_zone: |w, h| { let mut s = demo(w, h); press(&mut s, "12fR"); s };
}

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
    let failure = LoadFailure { message: "500 Internal Server Error".into(), hint: String::new() };
    state.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
    let screen = screen(&state);
    assert!(screen.contains("F5 try again  x quit"), "the error panel:\n{screen}");
    assert!(screen.trim_end().ends_with("? help  x quit"), "the footer:\n{screen}");
}
