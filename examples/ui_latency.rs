//! Keystroke-to-frame latency of the explorer on big calls: `State::update` plus a full render
//! to a 120×40 test terminal, as the app does for every key, in the list, the timeline and the
//! stats. Prints p50, p99 and max.
//!
//! `cargo run --release --example ui_latency`
//!
//! Background work (the text search over payloads and bodies, highlighting) is timed on its
//! own: it never blocks a frame.

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hookscope::action::{Effect, Msg};
use hookscope::case_file::parse_document;
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::{Filter, TextSearch};
use hookscope::keymap::Keymap;
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

#[path = "support/report.rs"]
mod report;
use report::report;

fn key(c: char) -> Msg {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\t' => KeyCode::Tab,
        c => KeyCode::Char(c),
    };
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn loaded(text: String) -> State {
    let mut state = State::new("bench".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let result = Box::new(Ok(parse_document(text).expect("synthetic logs decode")));
    state.update(Msg::Loaded { request: 1, result, call_error: None });
    state
}

struct Frames {
    terminal: Terminal<TestBackend>,
    theme: Theme,
}

impl Frames {
    fn new() -> Self {
        Self { terminal: Terminal::new(TestBackend::new(120, 40)).unwrap(), theme: Theme::new(ThemeName::Dark, true) }
    }

    /// One keystroke as the app handles it: update, then draw.
    fn keystroke(&mut self, state: &mut State, msg: Msg) -> (Duration, Vec<Effect>) {
        let started = Instant::now();
        let effects = state.update(msg);
        self.terminal.draw(|frame| ui::render(frame, state, &self.theme)).unwrap();
        (started.elapsed(), effects)
    }
}

/// Ten times, the background search of every log for `query`.
fn search_every_log(logs: &[hookscope::model::WebhookLog], query: &str) -> Vec<Duration> {
    let search = TextSearch::new(query).unwrap();
    (0..10)
        .map(|_| {
            let started = Instant::now();
            let matches: Vec<bool> = logs.iter().map(|log| search.matches(log)).collect();
            assert!(!matches.is_empty());
            started.elapsed()
        })
        .collect()
}

/// The jumps: to the next / previous failure (a scan of the shown rows), to the next lifecycle
/// warning (computed when the data arrived), and a payload diff opened.
fn jumps(frames: &mut Frames, state: &mut State) {
    let samples = (0..300).map(|i| frames.keystroke(state, key(if i % 3 == 2 { '[' } else { ']' })).0).collect();
    report("next / previous failure (] / [) → frame", samples);
    let samples = (0..300).map(|_| frames.keystroke(state, key('!')).0).collect();
    report(&format!("next lifecycle warning (!, {} of them) → frame", state.warnings.len()), samples);
    state.update(key('m'));
    let mut samples = Vec::new();
    for _ in 0..100 {
        state.update(key('j'));
        samples.push(frames.keystroke(state, key('d')).0);
        state.update(Msg::Key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE)));
    }
    report("payload diff with the marked log (d) → frame", samples);
}

fn main() {
    // As a real session has: the user's key registered, so every line drawn is scrubbed of it.
    let api_key = hookscope::api::ApiKey::new("burki_live_latency0123456789abcdef").expect("a valid key");
    hookscope::key_scrub::protect(&api_key);
    for count in [10_000, 100_000] {
        let text = synthetic::synthetic_logs_json(count, 7);
        #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
        let mb = text.len() as f64 / 1e6;
        let mut state = loaded(text);
        let mut frames = Frames::new();
        println!("-- {count} logs ({mb:.1} MB)");

        // A type or status filter keystroke: the list, the header figures and the detail change.
        let samples =
            (0..300).map(|i| frames.keystroke(&mut state, key(if i % 2 == 0 { 'f' } else { '1' })).0).collect();
        report("filter keystroke (f / 1) → frame", samples);
        state.update(key('c'));

        // Typing into the search line, which filters as it goes: the frame comes at once (the
        // list keeps the last results meanwhile) and the search runs in the background.
        let samples =
            (0..300).map(|i| frames.keystroke(&mut state, key(if i % 10 == 9 { '\n' } else { '/' })).0).collect();
        report("search keystroke → frame (search in background)", samples);
        state.update(key('c'));

        let data = state.data.clone().unwrap();
        report("background search of every payload and body", search_every_log(&data.logs.logs, "refund"));
        // A query with a digit also reads every log's time and duration as shown.
        report("the same, a query with digits (\"19:22\")", search_every_log(&data.logs.logs, "19:22"));
        let search = TextSearch::new("refund").unwrap();
        let matches = Arc::new(data.logs.logs.iter().map(|log| search.matches(log)).collect::<Vec<bool>>());
        // The list follows the line: each key typed starts a search, the last one counts.
        state.update(key('/'));
        let mut generation = None;
        for c in "refund".chars() {
            let effects = state.update(key(c));
            generation = effects
                .iter()
                .find_map(|e| if let Effect::Search { generation, .. } = e { Some(*generation) } else { None })
                .or(generation);
        }
        state.update(key('\n'));
        let (applied, _) = frames.keystroke(&mut state, Msg::Searched { generation: generation.unwrap(), matches });
        report("search result arrives → frame", vec![applied]);
        state.update(key('c'));

        let samples = (0..1000)
            .map(|i| frames.keystroke(&mut state, key(if (i / 100) % 2 == 0 { 'j' } else { 'k' })).0)
            .collect();
        report("move selection (j / k) → frame", samples);

        // Retry chains: the list one row a delivery ↔ one an attempt, and a delivery's
        // attempts shown and hidden.
        let samples = (0..200).map(|_| frames.keystroke(&mut state, key('x')).0).collect();
        report("chains ↔ flat (x) → frame", samples);
        let samples = (0..200).map(|_| frames.keystroke(&mut state, key(' ')).0).collect();
        report("a delivery's attempts shown / hidden (Space) → frame", samples);
        jumps(&mut frames, &mut state);
        state.update(key('c'));
        views(&mut frames, &mut state);
    }

    // A log whose payload pretty-prints to 1.5 MB: selecting it builds the document (pretty
    // print + sanitize) and draws the first, unhighlighted frame; highlighting follows in the
    // background.
    let big = synthetic::big_payload_log_json(1_500_000);
    let small = r#"{"id": 1, "webhook_url": "https://h.example/", "webhook_type": "call_started", "success": true, "attempted_at": "2025-01-01T00:00:00Z", "request_payload": {"a": 1}}"#;
    let mut state = loaded(format!("[{small}, {big}]"));
    let mut frames = Frames::new();
    let mut samples = Vec::new();
    for _ in 0..20 {
        samples.push(frames.keystroke(&mut state, key('j')).0);
        frames.keystroke(&mut state, key('k'));
    }
    report("open a 1.5 MB payload → first frame", samples);

    // Highlighting runs in the background and arrives in chunks; each chunk is a message the
    // UI handles, followed by a frame. Produce the chunks as the app would, then time each
    // chunk's frame.
    let effects = state.update(key('j'));
    let Some(Effect::Highlight { doc, lines, language }) =
        effects.into_iter().find(|e| matches!(e, Effect::Highlight { .. }))
    else {
        panic!("opening the payload asks for highlighting");
    };
    let highlighter = hookscope::highlight::Highlighter::new(
        hookscope::highlight::ThemeChoice::Dark,
        hookscope::highlight::ColorSupport::TrueColor,
    );
    let mut chunks = Vec::new();
    let started = Instant::now();
    hookscope::highlight::highlight_in_chunks(
        &highlighter,
        language,
        &lines,
        || false,
        |first_line, styles| chunks.push((first_line, styles)),
    );
    report("highlight the whole 1.5 MB payload (background)", vec![started.elapsed()]);
    let samples = chunks
        .into_iter()
        .map(|(first_line, styles)| frames.keystroke(&mut state, Msg::Highlighted { doc, first_line, styles }).0)
        .collect();
    report("each highlight chunk arriving → frame", samples);
    state.update(key('k'));
    state.update(key('j'));
    state.update(key('\t'));
    let samples = (0..200)
        .map(|i| {
            frames
                .keystroke(
                    &mut state,
                    Msg::Key(KeyEvent::new(
                        if i % 40 < 20 { KeyCode::PageDown } else { KeyCode::PageUp },
                        KeyModifiers::NONE,
                    )),
                )
                .0
        })
        .collect();
    report("scroll the 1.5 MB payload by pages → frame", samples);
}

/// The views (`v`): switching builds the view's model; moving on the timeline reads it; a filter
/// keystroke rebuilds it for the logs shown. Leaves the list on, with no filter.
fn views(frames: &mut Frames, state: &mut State) {
    let (to_timeline, _) = frames.keystroke(state, key('v'));
    report("v: list → timeline → frame", vec![to_timeline]);
    let moves = ['l', 'l', 'j', 'l', 'h', 'k', 'l', 'j'];
    let samples = (0..1000).map(|i| frames.keystroke(state, key(moves[i % moves.len()])).0).collect();
    report("timeline: move (h / l / j / k) → frame", samples);
    let samples = (0..300).map(|i| frames.keystroke(state, key(if i % 2 == 0 { 'f' } else { '1' })).0).collect();
    report("timeline: filter keystroke (f / 1) → frame", samples);
    state.update(key('c'));
    let (to_stats, _) = frames.keystroke(state, key('v'));
    report("v: timeline → stats → frame", vec![to_stats]);
    let samples = (0..300).map(|i| frames.keystroke(state, key(if i % 2 == 0 { 'f' } else { '1' })).0).collect();
    report("stats: filter keystroke (f / 1) → frame", samples);
    state.update(key('c'));
    state.update(key('v'));
}
