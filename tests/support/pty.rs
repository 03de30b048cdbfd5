//! The real binary in a pseudo-terminal, for the tests that need a terminal: a session that
//! reads what the program draws, sends it keys and signals, and reads back the exit code and
//! the terminal settings it left.

#![allow(dead_code, reason = "each test binary uses part of the harness")]

use std::io::{Read, Write};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub const LEAVE_ALTERNATE_SCREEN: &[u8] = b"\x1b[?1049l";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
pub const MOUSE_OFF: &[u8] = b"\x1b[?1000l";

pub struct Session {
    pub output: Vec<u8>,
    pub chunks: Receiver<Vec<u8>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub master: Box<dyn portable_pty::MasterPty + Send>,
}

/// Runs `hookscope ARGS` under `sh`, which afterwards prints the exit code and `stty -a`, so
/// the state the terminal was left in can be read back. `sh` traps the signals the tests send
/// so that a signal sent to the process group ends hookscope but not the script.
pub fn start(args: &[&str], env: &[(&str, &str)]) -> Session {
    start_program(env!("CARGO_BIN_EXE_hookscope"), args, env)
}

/// [`start`] for any program.
pub fn start_program(program: &str, args: &[&str], env: &[(&str, &str)]) -> Session {
    let mut command = CommandBuilder::new("sh");
    command.arg("-c");
    command.arg(r#"trap : TERM HUP INT QUIT USR1; "$0" "$@"; echo "[exit=$?]"; stty -a; echo "[done]""#);
    command.arg(program);
    command.args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    spawn_in_pty(command)
}

pub fn spawn_in_pty(command: CommandBuilder) -> Session {
    spawn_in_pty_sized(command, 80, 24)
}

/// [`spawn_in_pty`] in a terminal of `cols` x `rows`.
pub fn spawn_in_pty_sized(mut command: CommandBuilder, cols: u16, rows: u16) -> Session {
    let pty = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap();
    command.env("TERM", "xterm-256color");
    command.env("NO_COLOR", "1");
    command.env_remove("BURKI_API_KEY");
    let child = pty.slave.spawn_command(command).unwrap();
    drop(pty.slave);
    let mut reader = pty.master.try_clone_reader().unwrap();
    let writer = pty.master.take_writer().unwrap();
    let (tx, chunks) = channel();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buffer) {
            if n == 0 || tx.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    Session { output: Vec::new(), chunks, writer, child, master: pty.master }
}

impl Session {
    /// Reads until `needle` has appeared after byte `from`, or fails after 30 s (a deadline, not
    /// a wait: with a release build running beside it, this machine once took over 15 s).
    pub fn wait_for(&mut self, needle: &[u8], from: usize) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !contains(&self.output[from.min(self.output.len())..], needle) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.chunks.recv_timeout(left) {
                Ok(chunk) => self.output.extend(chunk),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout | std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    panic!(
                        "timed out waiting for {:?}; output so far:\n{}",
                        String::from_utf8_lossy(needle),
                        String::from_utf8_lossy(&self.output)
                    )
                }
            }
        }
    }

    /// Whether the script printed its exit line within `wait`.
    pub fn exited_within(&mut self, wait: Duration) -> bool {
        let deadline = Instant::now() + wait;
        while !contains(&self.output, b"[exit=") {
            match self.chunks.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                Ok(chunk) => self.output.extend(chunk),
                Err(_) => return false,
            }
        }
        true
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn signal(&self, name: &str) {
        let group = self.child.process_id().expect("sh has a pid");
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), "--", &format!("-{group}")])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the script to finish and returns what hookscope printed after the explorer,
    /// its exit code, and the terminal settings left behind.
    pub fn finish(mut self) -> (Vec<u8>, String, String) {
        let explorer_end = find(&self.output, b"\x1b[?1049h").unwrap_or(0);
        self.wait_for(b"[done]", explorer_end);
        let _ = self.child.wait();
        let text = String::from_utf8_lossy(&self.output).into_owned();
        let exit = text.split("[exit=").nth(1).and_then(|rest| rest.split(']').next()).unwrap_or("?").to_owned();
        let stty = text.split("[exit=").nth(1).unwrap_or("").to_owned();
        (self.output[explorer_end..].to_vec(), exit, stty)
    }
}

pub fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

/// The terminal is back to normal: the restore sequences were written after the explorer ran,
/// and the line discipline is cooked again (`stty -a` shows `icanon` and `echo`, not `-icanon`).
pub fn assert_restored(after: &[u8], stty: &str) {
    let last_enter = find(after, b"\x1b[?1049h").unwrap_or(0);
    assert_given_back(&after[last_enter..], "after the explorer");
    let words: Vec<&str> = stty.split_whitespace().collect();
    assert!(words.contains(&"icanon") && words.contains(&"echo"), "raw mode left on: {stty}");
}

/// `output` holds every sequence that hands the screen back: main screen, cursor, mouse off.
pub fn assert_given_back(output: &[u8], when: &str) {
    for (what, sequence) in
        [("main screen", LEAVE_ALTERNATE_SCREEN), ("cursor shown", SHOW_CURSOR), ("mouse off", MOUSE_OFF)]
    {
        assert!(contains(output, sequence), "{what}: {sequence:?} not written {when}");
    }
}

pub fn open_demo() -> Session {
    let mut session = start(&["--demo"], &[]);
    session.wait_for(b"deliveries", 0);
    session
}
