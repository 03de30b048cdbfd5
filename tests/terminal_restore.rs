//! The real binary in a pseudo-terminal: however the explorer ends, the terminal is left as it
//! was found — raw mode off, the main screen back, the cursor visible, mouse reporting off.
//! Panics are proven on an explorer this test binary runs in a child process of its own
//! ([`explorer_with_a_panicking_part`]), through the same terminal code as the binary, so the
//! binary carries no way to make it panic.

#![cfg(unix)]

#[path = "support/http_server.rs"]
#[allow(dead_code, reason = "these tests use only part of the scripted server")]
mod http_server;
#[path = "support/pty.rs"]
mod pty;

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt as _;
use hookscope::app::{App, AppContext};
use hookscope::clipboard::{ClipboardError, ClipboardSink, CopiedVia};
use hookscope::filter::Filter;
use hookscope::highlight::{ColorSupport, Highlighter, ThemeChoice};
use hookscope::keymap::Keymap;
use hookscope::load::Loader;
use hookscope::state::State;
use hookscope::ui::theme::Theme;
use portable_pty::{CommandBuilder, PtySize};
use pty::{
    LEAVE_ALTERNATE_SCREEN, Session, assert_given_back, assert_restored, contains, find, open_demo, spawn_in_pty,
    start, start_program,
};

#[test]
fn quitting_with_q_restores_the_terminal() {
    let mut session = open_demo();
    session.send(b"q");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

#[test]
fn ctrl_c_restores_the_terminal() {
    let mut session = open_demo();
    session.send(b"\x03");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

/// Every catchable signal that would end the process, sent by another process (not typed:
/// raw mode makes Ctrl-C a key), restores the terminal, and the exit code is the signal's, as
/// the shell reports a process a signal ended: `128 + n`.
#[rstest::rstest]
#[case::term("TERM", "143")]
#[case::hup("HUP", "129")]
#[case::int("INT", "130")]
#[case::quit("QUIT", "131")]
#[case::usr1("USR1", "138")]
fn a_signal_restores_the_terminal_and_exits_with_its_code(#[case] signal: &str, #[case] code: &str) {
    let session = open_demo();
    session.signal(signal);
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, code, "SIG{signal}");
    assert_restored(&after, &stty);
}

/// Which part of [`explorer_with_a_panicking_part`] panics: `keys` (the key reader, on the UI
/// thread, at the first key) or `clipboard` (the sink, on the clipboard's thread, at the first
/// copy).
const PANICKING_PART: &str = "HOOKSCOPE_TEST_PANICKING_PART";

/// Runs [`explorer_with_a_panicking_part`] in a pty as its own process of this test binary.
fn start_panicking(part: &str) -> Session {
    let this_test_binary = std::env::current_exe().unwrap();
    let args = ["--exact", "explorer_with_a_panicking_part", "--ignored", "--nocapture"];
    start_program(this_test_binary.to_str().unwrap(), &args, &[(PANICKING_PART, part)])
}

/// The demo explorer on this process's terminal, through `hookscope::terminal::run_explorer`
/// as the binary runs it, with one part that panics (see [`PANICKING_PART`]). Not a test of its
/// own: the panic tests run it in a pseudo-terminal, and without the variable it does nothing.
#[test]
#[ignore = "run by the panic tests, in a pseudo-terminal of their own"]
fn explorer_with_a_panicking_part() {
    let Ok(part) = std::env::var(PANICKING_PART) else { return };
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let export_dir = std::env::temp_dir();
    let result = hookscope::terminal::run_explorer(&runtime, async move |screen| {
        let state = State::new(Loader::Demo.label(), Filter::default(), Keymap::default(), screen);
        let context = AppContext {
            loader: Arc::new(Loader::Demo),
            highlighter: Arc::new(Highlighter::new(ThemeChoice::Dark, ColorSupport::None)),
            theme: Theme::new(hookscope::cli::Theme::Dark, false),
            clipboard: Box::new(Clipboard { panics: part == "clipboard" }),
            export_dir,
            can_suspend: false,
        };
        let keys_panic = part == "keys";
        let keys = EventStream::new().map(move |event| {
            let is_key = matches!(&event, Ok(Event::Key(key)) if key.kind == KeyEventKind::Press);
            assert!(!(keys_panic && is_key), "test panic on the UI thread");
            event
        });
        Ok((App::new(state, context), keys))
    });
    result.unwrap();
}

/// Copies nowhere, or panics.
struct Clipboard {
    panics: bool,
}

impl ClipboardSink for Clipboard {
    fn copy(&mut self, _: &str) -> Result<CopiedVia, ClipboardError> {
        assert!(!self.panics, "test panic on the clipboard's thread");
        Ok(CopiedVia::Osc52 { warn_large: false })
    }
}

#[test]
fn a_panic_on_the_ui_thread_restores_the_terminal_and_prints_readably() {
    let mut session = start_panicking("keys");
    session.wait_for(b"deliveries", 0);
    session.send(b"j");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "101", "a panic exits with Rust's panic code");
    assert_restored(&after, &stty);
    let text = String::from_utf8_lossy(&after);
    assert!(text.contains("test panic on the UI thread"), "the panic message is shown after the restore:\n{text}");
}

#[test]
fn a_panic_in_a_background_task_leaves_the_explorer_running() {
    let mut session = start_panicking("clipboard");
    session.wait_for(b"deliveries", 0);
    let mark = session.output.len();
    session.send(b"Y");
    session.wait_for(b"unexpectedly", mark);
    session.send(b"q");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
    let text = String::from_utf8_lossy(&after);
    assert!(text.contains("background task panicked"), "the held-back panic is reported at exit:\n{text}");
}

#[test]
fn a_start_up_error_leaves_the_terminal_untouched() {
    let session = start(&["101"], &[("BURKI_API_KEY", "")]);
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "3");
    assert!(!contains(&after, b"\x1b[?1049h"), "the explorer never took the screen");
    assert!(String::from_utf8_lossy(&after).contains("no API key"));
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(words.contains(&"icanon"));
}

#[test]
fn a_resize_to_one_cell_and_back_keeps_running() {
    let mut session = open_demo();
    // Resizing the pty sends SIGWINCH; the explorer clears and redraws at 1×1 without panicking,
    // then redraws everything at the old size.
    let mark = session.output.len();
    session.master.resize(PtySize { rows: 1, cols: 1, pixel_width: 0, pixel_height: 0 }).unwrap();
    session.wait_for(b"\x1b[2J", mark);
    let mark = session.output.len();
    session.master.resize(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).unwrap();
    session.wait_for(b"Deliveries", mark);
    // A key pressed in the same instant as a resize is occasionally not delivered by
    // crossterm's event stream under a pty (seen in about 1 of 6 runs; not reproduced in tmux).
    // The point here is that the explorer survives 1×1 and restores the terminal, so the quit
    // key is pressed again if the first one went missing.
    session.send(b"q");
    if !session.exited_within(Duration::from_secs(2)) {
        session.send(b"q");
    }
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

/// Ctrl-Z suspends the explorer with the terminal given back, and `fg` brings it back redrawn.
/// It runs under an interactive bash, which puts the job in its own process group in charge of
/// the terminal, as a user's shell does: under a script the group is orphaned, and the kernel
/// discards the SIGTSTP.
#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_redraws_the_explorer() {
    if std::process::Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash to run the job control test under");
        return;
    }
    let mut command = CommandBuilder::new("bash");
    command.args(["--norc", "--noprofile", "-i"]);
    command.env("PS1", "[prompt]");
    command.env("HISTFILE", "/dev/null");
    let mut session = spawn_in_pty(command);
    session.wait_for(b"[prompt]", 0);
    let mark = session.output.len();
    session.send(format!("{} --demo\n", env!("CARGO_BIN_EXE_hookscope")).as_bytes());
    session.wait_for(b"deliveries", mark);

    let mark = session.output.len();
    session.send(b"\x1a");
    session.wait_for(b"[prompt]", mark);
    let suspended = &session.output[mark..];
    assert!(contains(suspended, b"Stopped"), "bash reports the job stopped: {}", String::from_utf8_lossy(suspended));
    assert_given_back(suspended, "on suspend");

    let mark = session.output.len();
    session.send(b"fg\n");
    session.wait_for(b"\x1b[?1049h", mark);
    // From where the explorer came back, not from the end of what has been read: the redraw
    // often arrives in the same read as the switch to the alternate screen.
    let resumed = mark + find(&session.output[mark..], b"\x1b[?1049h").unwrap_or(0);
    session.wait_for(b"deliveries", resumed);

    let mark = session.output.len();
    session.send(b"q");
    session.wait_for(LEAVE_ALTERNATE_SCREEN, mark);
    // Quoted apart, so that the echo of the typed line does not count as the output.
    session.send(b"echo \"[exit=$?]\"; stty -a; echo \"[do\"\"ne]\"; exit\n");
    session.wait_for(b"[done]", mark);
    let _ = session.child.wait();
    let text = String::from_utf8_lossy(&session.output[mark..]).into_owned();
    let (_, stty) = text.split_once("[exit=0]").unwrap_or_else(|| panic!("q did not exit with 0:\n{text}"));
    assert_restored(&session.output[mark..], stty);
}

/// A scripted server on a runtime of its own (these tests are not async), kept with it.
fn serve(script: Vec<http_server::Reply>) -> (tokio::runtime::Runtime, http_server::TestServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let server = runtime.block_on(http_server::TestServer::start(script));
    (runtime, server)
}

/// Quitting from the screen of a load that failed for good exits with the code `--print` gives
/// that failure: 4 for a refused key.
#[test]
fn quitting_a_fatal_error_screen_exits_with_its_code() {
    let refused = http_server::Reply::json(401, "Unauthorized", r#"{"detail": "Invalid API key"}"#);
    // The logs and the call's details are asked side by side: both are refused.
    let (_runtime, server) = serve(vec![
        refused.clone().for_target("/api/v1/calls/101/webhook-logs"),
        refused.for_target("/api/v1/calls/101"),
    ]);
    let url = server.url();
    let mut session = start(&["101", "--base-url", &url, "--api-key", "burki_live_refused_key_0"], &[]);
    session.wait_for(b"rejected the API key", 0);
    session.send(b"q");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "4");
    assert_restored(&after, &stty);
}

/// `q` during a 20 s `Retry-After` wait quits at once, the terminal given back.
#[test]
fn q_during_a_retry_wait_quits_at_once() {
    let slow = http_server::Reply::json(429, "Too Many Requests", "{}").header("Retry-After", "20");
    let (_runtime, server) =
        serve(vec![slow.clone().for_target("/api/v1/calls/101/webhook-logs"), slow.for_target("/api/v1/calls/101")]);
    let url = server.url();
    let mut session = start(&["101", "--base-url", &url, "--timeout", "3", "--api-key", "burki_live_slow_key_00"], &[]);
    session.wait_for(b"retrying in", 0);
    let pressed = Instant::now();
    session.send(b"q");
    assert!(session.exited_within(Duration::from_secs(3)), "still waiting after q");
    assert!(pressed.elapsed() < Duration::from_secs(3), "{:?}", pressed.elapsed());
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

/// `--print json|ndjson` on a terminal writes invisible characters (bidi controls, zero-width,
/// line separators, tags, variation selectors, …) as `\u` escapes, which are the same JSON; a
/// pipe gets the bytes as sent (tests/cli/print.rs).
#[test]
fn json_printed_on_a_terminal_escapes_invisible_characters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("logs.json");
    let hidden = "a\u{202e}b\u{200b}c\u{2028}d\u{e0041}e\u{34f}f\u{fe0f}g\u{17b4}h\u{180b}i\u{1d173}j\u{2800}k";
    let log = serde_json::json!([{"id": 1, "webhook_type": "t", "webhook_url": "https://h.example/", "success": true, "request_payload": {"text": hidden}}]);
    std::fs::write(&path, log.to_string()).unwrap();
    for format in ["json", "ndjson"] {
        let mut session = start(&["--file", path.to_str().unwrap(), "--print", format], &[]);
        assert!(session.exited_within(Duration::from_secs(30)), "{format}: did not finish");
        let output = String::from_utf8_lossy(&session.output).into_owned();
        assert!(output.contains("[exit=0]"), "{format}: {output}");
        let printed = &output[..output.find("[exit=").unwrap()];
        let escaped = r"a\u202eb\u200bc\u2028d\udb40\udc41e\u034ff\ufe0fg\u17b4h\u180bi\ud834\udd73j\u2800k";
        assert!(printed.contains(escaped), "{format}: {printed}");
        let first_hidden = printed.char_indices().find(|&(_, c)| {
            "\u{202e}\u{200b}\u{2028}\u{e0041}\u{34f}\u{fe0f}\u{17b4}\u{180b}\u{1d173}\u{2800}".contains(c)
        });
        assert_eq!(first_hidden, None, "{format}: {printed}");
        let _ = session.child.wait();
    }
}
