//! The explorer's per-keystroke work on big calls: `State::update` plus a full render to a
//! 120×40 test terminal, which is what the app does for every key. Medians from criterion; for
//! p99 and max over many keystrokes, `cargo run --release --example ui_latency`.

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hookscope::action::Msg;
use hookscope::case_file::parse_document;
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::{Filter, StatusFilter, TextSearch};
use hookscope::keymap::Keymap;
use hookscope::model::{Decoded, LogSet, LogSink, LogStream, WebhookLog};
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn loaded(text: String) -> State {
    let mut state = State::new("bench".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    state.update(Msg::Loaded { request: 1, result: Box::new(Ok(parse_document(text).unwrap())), call_error: None });
    state
}

fn keystroke(state: &mut State, terminal: &mut Terminal<TestBackend>, theme: &Theme, msg: Msg) {
    black_box(state.update(msg));
    terminal.draw(|frame| ui::render(frame, state, theme)).unwrap();
}

fn explorer(c: &mut Criterion) {
    let theme = Theme::new(ThemeName::Dark, true);
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let mut group = c.benchmark_group("keystroke_to_frame");
    for count in [10_000, 100_000] {
        let mut state = loaded(synthetic::synthetic_logs_json(count, 7));
        group.bench_function(BenchmarkId::new("status_filter_f", count), |b| {
            b.iter(|| keystroke(&mut state, &mut terminal, &theme, key('f')));
        });
        state.update(key('c'));
        group.bench_function(BenchmarkId::new("type_toggle_1", count), |b| {
            b.iter(|| keystroke(&mut state, &mut terminal, &theme, key('1')));
        });
        state.update(key('c'));
        let mut down = true;
        group.bench_function(BenchmarkId::new("move_selection_j_k", count), |b| {
            b.iter(|| {
                down = !down;
                keystroke(&mut state, &mut terminal, &theme, key(if down { 'j' } else { 'k' }));
            });
        });
    }
    group.finish();

    let big = synthetic::big_payload_log_json(1_500_000);
    let small = r#"{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true, "attempted_at": "2025-01-01T00:00:00Z", "request_payload": {"a": 1}}"#;
    let mut state = loaded(format!("[{small}, {big}]"));
    c.bench_function("open_1.5MB_payload_first_frame", |b| {
        b.iter(|| {
            keystroke(&mut state, &mut terminal, &theme, key('j'));
            state.update(key('k'));
        });
    });

    let text = synthetic::synthetic_logs_json(100_000, 7);
    let set = LogSet::parse(text.clone()).unwrap();
    let mut group = c.benchmark_group("load_and_search_100k");
    group.sample_size(10);
    group.bench_function("decode", |b| b.iter(|| LogSet::parse(black_box(text.clone())).unwrap()));
    // The same text as a body arriving in 64 KiB pieces, decoded while it arrives.
    group.bench_function("decode_streamed", |b| {
        b.iter(|| {
            let mut set = LogSet::default();
            let mut stream = LogStream::default();
            for piece in black_box(text.as_bytes()).chunks(64 * 1024) {
                stream.push(piece, &mut set);
            }
            set.body_problems = stream.finish().unwrap();
            set
        });
    });
    // `--print ndjson --failed`: the same pieces, each log dropped unless it failed.
    let failed = Filter { status: StatusFilter::Failed, ..Filter::default() };
    group.bench_function("decode_streamed_keeping_failed", |b| {
        b.iter(|| {
            let mut kept = Kept { filter: &failed, logs: Vec::new() };
            let mut stream = LogStream::default();
            for piece in black_box(text.as_bytes()).chunks(64 * 1024) {
                stream.push(piece, &mut kept);
            }
            stream.finish().unwrap();
            kept.logs.len()
        });
    });
    let search = TextSearch::new("refund").unwrap();
    group.bench_function("background_text_search", |b| {
        b.iter(|| set.logs.iter().filter(|log| search.matches(log)).count());
    });
    group.finish();
}

/// The logs a filter admits, as `--print` keeps them.
struct Kept<'f> {
    filter: &'f Filter,
    logs: Vec<WebhookLog>,
}

impl LogSink for Kept<'_> {
    fn decoded(&mut self, decoded: Decoded) {
        if let Decoded::Log(log) = decoded
            && self.filter.admits(&log, None)
        {
            self.logs.push(log);
        }
    }
}

criterion_group!(benches, explorer);
criterion_main!(benches);
