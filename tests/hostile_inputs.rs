//! The real binary in a pseudo-terminal, given what an attacker or a careless environment gives
//! it: sources that never send a byte, signals from other processes, bursts of keys, pastes,
//! and a terminal that claims to be 65535 cells square.

#![cfg(unix)]

#[path = "support/pty.rs"]
mod pty;

use std::path::PathBuf;
use std::time::Duration;

use portable_pty::CommandBuilder;
use pty::{assert_restored, open_demo, spawn_in_pty_sized, start, start_program};

const HOOKSCOPE: &str = env!("CARGO_BIN_EXE_hookscope");

/// How long a stop may take once asked: a blocked read must not hold the process.
const STOP_WITHIN: Duration = Duration::from_secs(5);

/// A FIFO nobody writes to, in a temporary directory.
fn silent_fifo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("logs.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    (dir, fifo)
}

/// `hookscope --file FIFO` (blocked opening it), `--file <(sleep 300)` and `--file -` fed by
/// `sleep 300` (blocked reading a pipe): `q`, Ctrl-C and signals end the process, the terminal
/// restored, however long the read would have waited.
#[rstest::rstest]
#[case::q_on_a_fifo("fifo", b"q", None, "0")]
#[case::ctrl_c_on_a_fifo("fifo", b"\x03", None, "0")]
#[case::sigterm_on_a_fifo("fifo", b"", Some("TERM"), "143")]
#[case::sighup_on_a_fifo("fifo", b"", Some("HUP"), "129")]
#[case::q_on_a_process_substitution("substitution", b"q", None, "0")]
#[case::q_on_a_silent_stdin("stdin", b"q", None, "0")]
#[case::sigint_on_a_silent_stdin("stdin", b"", Some("INT"), "130")]
fn a_read_that_never_ends_does_not_hold_the_process(
    #[case] source: &str,
    #[case] keys: &[u8],
    #[case] signal: Option<&str>,
    #[case] code: &str,
) {
    let (_dir, fifo) = silent_fifo();
    let mut session = match source {
        "fifo" => start(&["--file", fifo.to_str().unwrap()], &[]),
        "substitution" => start_program("bash", &["-c", &format!("exec {HOOKSCOPE} --file <(sleep 300)")], &[]),
        _ => start_program("bash", &["-c", &format!("exec {HOOKSCOPE} --file - < <(sleep 300)")], &[]),
    };
    session.wait_for(b"\x1b[?1049h", 0);
    std::thread::sleep(Duration::from_millis(300));
    session.send(keys);
    if let Some(signal) = signal {
        session.signal(signal);
    }
    assert!(session.exited_within(STOP_WITHIN), "still running:\n{}", String::from_utf8_lossy(&session.output));
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, code);
    assert_restored(&after, &stty);
}

/// `--file -` with the keyboard as stdin would wait for typed JSON: a usage error instead.
#[test]
fn stdin_from_the_terminal_is_a_usage_error() {
    let session = start(&["--file", "-"], &[]);
    let (after, exit, _) = session.finish();
    assert_eq!(exit, "2");
    let text = String::from_utf8_lossy(&after);
    assert!(text.contains("--file - reads the logs from stdin, which is a terminal"), "{text}");
    let (print, exit, _) = start(&["--file", "-", "--print"], &[]).finish();
    assert_eq!(exit, "2", "{}", String::from_utf8_lossy(&print));
}

/// 1.5 KB of keys in one write (a held key, a paste without bracketed paste) is handled
/// whole before the next frame: the help overlay the last key opens shows with no key after it,
/// and a `q` sent later quits rather than meeting a stale key.
#[test]
fn a_burst_of_keys_is_handled_whole_and_in_order() {
    let mut session = open_demo();
    // More than crossterm's 1 KiB read: what was left of a burst used to wait for the next key.
    let mut burst = b"jk".repeat(740);
    burst.extend(b"j?");
    let mark = session.output.len();
    session.send(&burst);
    session.wait_for(b"Keys", mark);
    session.send(b"?q");
    assert!(session.exited_within(STOP_WITHIN), "q did not quit:\n{}", String::from_utf8_lossy(&session.output));
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

/// A bracketed paste joins the search line as one line, its control characters dropped; a
/// megabyte pasted (cut to the line's limit) and a megabyte typed cost one frame each, not a
/// frame a character, so the `q` behind them quits at once.
#[test]
fn a_paste_goes_into_the_search_line_in_one_piece() {
    let mut session = open_demo();
    let mark = session.output.len();
    session.send(b"/\x1b[200~find\x07me\r\nnow\x1b[201~");
    // The space after "findme" is drawn as a cursor move, so the two words are looked for apart.
    session.wait_for(b"findme", mark);
    session.wait_for(b"now\xe2\x96\x8f", mark);
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend(b"x".repeat(1 << 20));
    paste.extend(b"\x1b[201~");
    session.send(&paste);
    session.send(&b"y".repeat(1 << 20));
    session.send(b"\x1b");
    std::thread::sleep(Duration::from_millis(100));
    session.send(b"q");
    assert!(
        session.exited_within(Duration::from_secs(20)),
        "q did not quit after the paste:\n{}",
        String::from_utf8_lossy(&session.output[session.output.len().saturating_sub(2000)..])
    );
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}

/// A terminal that reports 65535x65535 cells is drawn on up to what can be shown, instead of
/// aborting on a 200 GB frame with the terminal left raw.
#[test]
fn a_terminal_of_65535_square_is_drawn_clamped() {
    let mut command = CommandBuilder::new("sh");
    command.arg("-c");
    command.arg(r#""$0" --demo; echo "[exit=$?]"; stty -a; echo "[done]""#);
    command.arg(HOOKSCOPE);
    let mut session = spawn_in_pty_sized(command, u16::MAX, u16::MAX);
    session.wait_for(b"deliveries", 0);
    session.send(b"q");
    let (after, exit, stty) = session.finish();
    assert_eq!(exit, "0");
    assert_restored(&after, &stty);
}
