//! What following costs: polls of an unchanged 10,000-log call from a server on 127.0.0.1, one
//! after the other as the app runs them (the same poll code, compared with the logs on screen),
//! while keystrokes are handled and drawn on this thread as the app does (update, then a full
//! 120×40 render). Prints the keystroke → frame latency with and without polls running, the
//! time of a poll, and the peak and current memory after 1 and after 50 polls.
//!
//! `cargo run --release --example follow_poll`

#[path = "../tests/support/synthetic.rs"]
mod synthetic;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use hookscope::action::{Msg, Polled};
use hookscope::api::{ApiConfig, ApiKey, CallRef, KeySource};
use hookscope::case_file::parse_document;
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::Filter;
use hookscope::keymap::Keymap;
use hookscope::load::Loader;
use hookscope::poll::{KnownEntries, PollSink};
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "support/report.rs"]
mod report;
use report::report;

const LOGS: usize = 10_000;
const POLLS: usize = 50;
const KEYS: usize = 2_000;

/// Serves `logs` for the webhook logs and an ongoing call for anything else.
async fn serve(listener: tokio::net::TcpListener, logs: Arc<String>) {
    let call = Arc::new(r#"{"id": 101, "call_sid": "CAbench", "status": "ongoing"}"#.to_owned());
    loop {
        let Ok((mut stream, _)) = listener.accept().await else { return };
        let (logs, call) = (Arc::clone(&logs), Arc::clone(&call));
        tokio::spawn(async move {
            let mut request = Vec::new();
            let mut buffer = [0_u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                match stream.read(&mut buffer).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buffer[..n]),
                }
            }
            let body = if String::from_utf8_lossy(&request).contains("webhook-logs") { logs } else { call };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes()).await;
            let _ = stream.write_all(body.as_bytes()).await;
            let _ = stream.shutdown().await;
        });
    }
}

/// `VmHWM` and `VmRSS` of this process, in MiB.
fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let read = |name: &str| {
        status
            .lines()
            .find(|line| line.starts_with(name))
            .and_then(|line| line.split_whitespace().nth(1))
            .and_then(|kib| kib.parse::<f64>().ok())
            .map_or(0.0, |kib| kib / 1024.0)
    };
    (read("VmHWM:"), read("VmRSS:"))
}

/// Keystrokes (j, k, alternating) handled and drawn until `done`, or `KEYS` of them.
fn keystrokes(
    state: &mut State,
    terminal: &mut Terminal<TestBackend>,
    theme: &Theme,
    until: &AtomicBool,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(KEYS);
    for at in 0..KEYS {
        if until.load(Ordering::SeqCst) {
            break;
        }
        let c = if at % 2 == 0 { 'j' } else { 'k' };
        let started = Instant::now();
        state.update(Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
        terminal.draw(|frame| ui::render(frame, state, theme)).unwrap();
        samples.push(started.elapsed());
        // About a key every 2 ms, as a held key repeats.
        std::thread::sleep(Duration::from_millis(2));
    }
    samples
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let text = synthetic::synthetic_logs_json(LOGS, 7);
    println!("call: {LOGS} logs, {}", hookscope::units::size(text.len()));
    let listener = runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    runtime.spawn(serve(listener, Arc::new(text.clone())));
    let config = ApiConfig {
        base_url: url,
        api_key: Some((ApiKey::new("burki_bench_key_0000").unwrap(), KeySource::Flag)),
        ..ApiConfig::default()
    };
    let loader = Arc::new(runtime.block_on(async { Loader::api(config, CallRef::Id(101), None, true) }).unwrap());

    let mut state = State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let call = parse_document(text).unwrap();
    let known = Arc::new(KnownEntries::of(&call.logs));
    state.update(Msg::Loaded { request: 1, result: Box::new(Ok(call)), call_error: None });
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    let theme = Theme::new(ThemeName::Dark, true);

    let never = AtomicBool::new(false);
    report("keystroke → frame, no poll", keystrokes(&mut state, &mut terminal, &theme, &never));

    let before = memory();
    let done = Arc::new(AtomicBool::new(false));
    let polls_done = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<(Duration, Polled, (f64, f64))>();
    let poller = {
        let (loader, data, done, polls_done) =
            (Arc::clone(&loader), state.data.clone(), Arc::clone(&done), Arc::clone(&polls_done));
        runtime.spawn(async move {
            for _ in 0..POLLS {
                let started = Instant::now();
                let (sink, ending) = loader.poll_into(PollSink::new(Arc::clone(&known))).await;
                assert!(ending.failure.is_none(), "{:?}", ending.failure);
                assert_eq!(sink.decoded(), 0, "an unchanged call decodes nothing");
                let logs = sink.assemble(&data.as_ref().unwrap().logs, ending.body_problems);
                let polled = Polled {
                    result: Ok(logs.map(|logs| hookscope::case_file::LoadedCall { call: None, logs })),
                    call: ending.call,
                    call_error: None,
                    retry_after: None,
                };
                let _ = tx.send((started.elapsed(), polled, memory()));
                polls_done.fetch_add(1, Ordering::SeqCst);
            }
            done.store(true, Ordering::SeqCst);
        })
    };
    let during = keystrokes(&mut state, &mut terminal, &theme, &done);
    runtime.block_on(poller).unwrap();
    report("keystroke → frame, polls running", during);
    let mut poll_times = Vec::new();
    let mut after = Vec::new();
    for (took, polled, memory) in rx.try_iter() {
        assert!(polled.result.as_ref().is_ok_and(Option::is_none), "unchanged");
        poll_times.push(took);
        after.push(memory);
    }
    report("poll of the unchanged call (download + scan)", poll_times);
    let (first, last) = (after[0], after[after.len() - 1]);
    println!(
        "memory (MiB): before polls peak {:.1} rss {:.1}; after 1 poll peak {:.1} rss {:.1}; after {} polls peak {:.1} rss {:.1}",
        before.0,
        before.1,
        first.0,
        first.1,
        after.len(),
        last.0,
        last.1
    );
}
