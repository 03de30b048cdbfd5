//! Copying text out of a terminal app that often runs over SSH.
//!
//! Three ways, because none works everywhere: the system clipboard (arboard, X11 here) needs a
//! display on this machine; OSC 52 asks the user's terminal to set its own clipboard, which is
//! what works over SSH, if the terminal allows it; a user command (`wl-copy`, `pbcopy`) covers
//! the rest. Auto picks OSC 52 over SSH or without a display and the system clipboard
//! otherwise, falling back to OSC 52 when that fails.
//!
//! Inside tmux the terminal the app talks to is tmux, so "OSC 52" means handing the text to
//! tmux itself ([`TmuxSink`]): `tmux load-buffer -w -` puts it in tmux's paste buffer and has
//! tmux pass it on to the outer terminal's clipboard, with tmux's default settings. An OSC 52
//! sequence written inside tmux is taken by tmux and, wrapped in its DCS passthrough, dropped
//! unless the user set `allow-passthrough on`.

use std::ffi::OsString;
use std::io::{self, Read as _, Write};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};

use crate::sanitize;

mod tmux;
mod worker;

pub use tmux::{TMUX_PROGRAM, TmuxSink};
pub use worker::{COPY_TIMEOUT, ClipboardWorker, CopyReport};

/// Some terminals (hterm, older xterm builds) drop or cut OSC 52 payloads over this many bytes
/// of base64; the copy is still sent, with a warning.
pub const OSC52_SAFE_BASE64_BYTES: usize = 74_994;

/// How long a clipboard command may take before it is killed.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(2);

/// How much of a failing command's stderr is quoted in the error.
const STDERR_QUOTE_CHARS: usize = 300;

/// The user's setting.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ClipboardChoice {
    #[default]
    Auto,
    System,
    Osc52,
    /// A shell command that reads the text on stdin.
    Command(String),
}

/// How a copy went out, for the toast ("copied via OSC 52 (large: your terminal may cut it)").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopiedVia {
    System,
    Osc52 {
        warn_large: bool,
    },
    Command(String),
    /// `tmux load-buffer -w`: tmux's paste buffer, and the outer terminal's clipboard by tmux
    /// (with OSC 52 of its own, hence the same size warning).
    Tmux {
        warn_large: bool,
    },
    /// tmux took the text into its buffer but refused `-w` (tmux before 3.2, whose DCS
    /// passthrough is always open): the terminal's clipboard got OSC 52 through passthrough.
    TmuxBufferAndPassthrough {
        refused: String,
        warn_large: bool,
    },
    /// tmux could not be reached at all: OSC 52 went out in tmux's DCS passthrough, which
    /// reaches the terminal only where passthrough is allowed. Not known to have landed.
    Passthrough {
        why: String,
        warn_large: bool,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    #[error("the system clipboard is not available ({0}); try the OSC 52 clipboard or a clipboard command")]
    Unavailable(String),
    #[error("the system clipboard refused the text: {0}")]
    System(String),
    #[error("could not write the OSC 52 sequence to the terminal: {0}")]
    Terminal(#[source] io::Error),
    #[error("could not run the clipboard command `{command}`: {source}")]
    Spawn {
        command: String,
        #[source]
        source: io::Error,
    },
    #[error("the clipboard command `{command}` {status}{}", quoted_stderr(.stderr))]
    CommandFailed { command: String, status: String, stderr: String },
    #[error("the clipboard command `{command}` did not finish within {} ms and was stopped", .timeout.as_millis())]
    CommandTimedOut { command: String, timeout: Duration },
    /// The copying thread is gone: its sink panicked.
    #[error("the clipboard stopped unexpectedly (a bug: please report it)")]
    Stopped,
    #[error("the clipboard did not answer within {}", crate::units::millis(u64::try_from(.timeout.as_millis()).unwrap_or(u64::MAX)))]
    NoAnswer { timeout: Duration },
}

fn quoted_stderr(stderr: &str) -> String {
    if stderr.is_empty() { String::new() } else { format!(": {stderr}") }
}

/// Copies text. `Send` because the app copies off the UI thread: a command can hang and the
/// X11 clipboard can block.
pub trait ClipboardSink: Send {
    /// # Errors
    /// When the backend could not take the text; the message says what to try instead.
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError>;
}

/// The facts about the session that decide the backend under `Auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EnvFacts {
    /// `SSH_TTY` or `SSH_CONNECTION` is set.
    pub ssh: bool,
    /// `DISPLAY` or `WAYLAND_DISPLAY` is set; always true on macOS and Windows, which have a
    /// clipboard without either.
    pub display: bool,
    /// `TMUX` is set: the terminal the app talks to is tmux, and copies go to tmux itself.
    pub tmux: bool,
}

impl EnvFacts {
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_lookup(|name| std::env::var_os(name))
    }

    fn from_lookup(get: impl Fn(&str) -> Option<OsString>) -> Self {
        let set = |name: &str| get(name).is_some_and(|value| !value.is_empty());
        Self {
            ssh: set("SSH_TTY") || set("SSH_CONNECTION"),
            display: cfg!(any(target_os = "macos", windows)) || set("DISPLAY") || set("WAYLAND_DISPLAY"),
            tmux: set("TMUX"),
        }
    }
}

/// The backend a choice leads to in an environment. `Osc52` is the terminal's clipboard: a
/// plain OSC 52 sequence, or inside tmux the text handed to tmux ([`TmuxSink`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Plan {
    System { fall_back_to_osc52: bool },
    Osc52,
    Command(String),
}

fn plan(choice: &ClipboardChoice, env: EnvFacts) -> Plan {
    match choice {
        // Over SSH a display may be a forwarded X server whose clipboard the user cannot
        // reach; the terminal in front of them is what they paste from.
        ClipboardChoice::Auto if env.ssh || !env.display => Plan::Osc52,
        ClipboardChoice::Auto => Plan::System { fall_back_to_osc52: true },
        ClipboardChoice::System => Plan::System { fall_back_to_osc52: false },
        ClipboardChoice::Osc52 => Plan::Osc52,
        ClipboardChoice::Command(command) => Plan::Command(command.clone()),
    }
}

/// The clipboard for the session. Keep the returned sink for the whole session: the X11
/// clipboard's contents live in this process and vanish when its handle is dropped. OSC 52 is
/// written to stdout, between frames.
#[must_use]
pub fn open(choice: &ClipboardChoice, env: &EnvFacts) -> Box<dyn ClipboardSink> {
    open_with(choice, env, terminal_writer, || {
        arboard::Clipboard::new()
            .map(|clipboard| Box::new(clipboard) as Box<dyn SystemClipboard>)
            .map_err(|err| err.to_string())
    })
}

/// [`open`] with the OSC 52 destination and the system clipboard supplied, for tests and for
/// an app that wants OSC 52 bytes to go out between frames through its own terminal writer
/// (bytes written from another thread mid-frame could land inside a drawing sequence). Each
/// is made only if the plan needs it.
pub fn open_with(
    choice: &ClipboardChoice,
    env: &EnvFacts,
    osc52_out: impl FnOnce() -> Box<dyn Write + Send>,
    system: impl FnOnce() -> Result<Box<dyn SystemClipboard>, String>,
) -> Box<dyn ClipboardSink> {
    open_in(choice, *env, osc52_out, system, TMUX_PROGRAM)
}

/// [`open_with`] with the program run as tmux (a stand-in, in tests).
fn open_in(
    choice: &ClipboardChoice,
    env: EnvFacts,
    osc52_out: impl FnOnce() -> Box<dyn Write + Send>,
    system: impl FnOnce() -> Result<Box<dyn SystemClipboard>, String>,
    tmux_program: &str,
) -> Box<dyn ClipboardSink> {
    let terminal_clipboard = |out: Box<dyn Write + Send>| -> Box<dyn ClipboardSink> {
        if env.tmux { Box::new(TmuxSink::new(tmux_program, out)) } else { Box::new(Osc52Sink::new(out, false)) }
    };
    match plan(choice, env) {
        Plan::Osc52 => terminal_clipboard(osc52_out()),
        Plan::Command(command) => Box::new(CommandSink::new(command, COMMAND_TIMEOUT)),
        Plan::System { fall_back_to_osc52 } => match system() {
            Ok(clipboard) if fall_back_to_osc52 => Box::new(FallbackSink {
                first: Box::new(SystemSink { clipboard }),
                then: terminal_clipboard(osc52_out()),
            }),
            Ok(clipboard) => Box::new(SystemSink { clipboard }),
            Err(_) if fall_back_to_osc52 => terminal_clipboard(osc52_out()),
            Err(reason) => Box::new(UnavailableSink(reason)),
        },
    }
}

/// Through stdout, the same stream the explorer draws on: `Stdout` holds its lock for each whole
/// `write_all`, so the sequence lands between two complete escape sequences of a frame and
/// never inside one (a separate `/dev/tty` handle could split a frame's sequence in two).
fn terminal_writer() -> Box<dyn Write + Send> {
    Box::new(io::stdout())
}

/// The seam between the system-clipboard backend and arboard.
pub trait SystemClipboard: Send {
    /// # Errors
    /// The platform's reason, as text.
    fn set_text(&mut self, text: &str) -> Result<(), String>;
}

impl SystemClipboard for arboard::Clipboard {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        arboard::Clipboard::set_text(self, text).map_err(|err| err.to_string())
    }
}

struct SystemSink {
    clipboard: Box<dyn SystemClipboard>,
}

impl ClipboardSink for SystemSink {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        self.clipboard.set_text(text).map_err(ClipboardError::System)?;
        Ok(CopiedVia::System)
    }
}

struct UnavailableSink(String);

impl ClipboardSink for UnavailableSink {
    fn copy(&mut self, _text: &str) -> Result<CopiedVia, ClipboardError> {
        Err(ClipboardError::Unavailable(self.0.clone()))
    }
}

struct FallbackSink {
    first: Box<dyn ClipboardSink>,
    then: Box<dyn ClipboardSink>,
}

impl ClipboardSink for FallbackSink {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        self.first.copy(text).or_else(|_| self.then.copy(text))
    }
}

/// Sets the clipboard of the terminal the user sits at, through any number of SSH hops.
pub struct Osc52Sink {
    out: Box<dyn Write + Send>,
    tmux: bool,
}

impl Osc52Sink {
    #[must_use]
    pub fn new(out: Box<dyn Write + Send>, tmux: bool) -> Self {
        Self { out, tmux }
    }
}

impl ClipboardSink for Osc52Sink {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        let (sequence, warn_large) = osc52_sequence(text, self.tmux);
        // One write, so the sequence is not split by other output more than necessary.
        self.out.write_all(&sequence).and_then(|()| self.out.flush()).map_err(ClipboardError::Terminal)?;
        Ok(CopiedVia::Osc52 { warn_large })
    }
}

/// `ESC ] 52 ; c ; <base64> BEL`; with `tmux`, wrapped in tmux's DCS passthrough (`ESC P tmux;`,
/// every ESC doubled, `ESC \`), which tmux 3.3+ drops unless `allow-passthrough` is on: only
/// [`TmuxSink`]'s fallbacks use it. Also whether the payload is over [`OSC52_SAFE_BASE64_BYTES`].
#[must_use]
pub fn osc52_sequence(text: &str, tmux: bool) -> (Vec<u8>, bool) {
    let encoded = BASE64_STANDARD.encode(text);
    let warn_large = osc52_too_large(text.len());
    let sequence = format!("\x1b]52;c;{encoded}\x07");
    let bytes = if tmux {
        format!("\x1bPtmux;{}\x1b\\", sequence.replace('\x1b', "\x1b\x1b")).into_bytes()
    } else {
        sequence.into_bytes()
    };
    (bytes, warn_large)
}

/// Whether `bytes` of text make an OSC 52 payload over [`OSC52_SAFE_BASE64_BYTES`].
#[must_use]
pub fn osc52_too_large(bytes: usize) -> bool {
    bytes.div_ceil(3) * 4 > OSC52_SAFE_BASE64_BYTES
}

/// Runs `sh -c <command>` with the text on stdin.
pub struct CommandSink {
    command: String,
    timeout: Duration,
}

impl CommandSink {
    #[must_use]
    pub fn new(command: String, timeout: Duration) -> Self {
        Self { command, timeout }
    }

    fn shown_command(&self) -> String {
        sanitize::short(&self.command).into_owned()
    }
}

impl ClipboardSink for CommandSink {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::piped())
            // The command's output would land on the TUI's screen.
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|source| ClipboardError::Spawn { command: self.shown_command(), source })?;

        // Feed stdin and drain stderr on their own threads: a command that reads slowly, or
        // writes a lot before reading, must not deadlock against us. Neither thread is joined:
        // `xclip` and friends fork a child that keeps the pipes open for as long as it owns the
        // selection.
        if let Some(mut stdin) = child.stdin.take() {
            let input = text.to_owned();
            thread::spawn(move || {
                // A command that exits without reading everything closes the pipe; its exit
                // status says whether that was a failure.
                let _ = stdin.write_all(input.as_bytes());
            });
        }
        let (stderr_tx, stderr_rx) = mpsc::channel();
        if let Some(stderr) = child.stderr.take() {
            thread::spawn(move || {
                let mut head = Vec::new();
                let mut stderr = stderr;
                let _ = (&mut stderr).take(4096).read_to_end(&mut head);
                let _ = stderr_tx.send(head);
                let _ = io::copy(&mut stderr, &mut io::sink());
            });
        }

        let status = match wait_with_timeout(&mut child, self.timeout) {
            Ok(Some(status)) => status,
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(ClipboardError::CommandTimedOut { command: self.shown_command(), timeout: self.timeout });
            }
            Err(source) => return Err(ClipboardError::Spawn { command: self.shown_command(), source }),
        };
        if status.success() {
            return Ok(CopiedVia::Command(self.command.clone()));
        }
        let stderr = stderr_rx.recv_timeout(Duration::from_millis(500)).unwrap_or_default();
        Err(ClipboardError::CommandFailed {
            command: self.shown_command(),
            status: describe(status),
            stderr: quote_stderr(&stderr),
        })
    }
}

fn wait_with_timeout(child: &mut std::process::Child, timeout: Duration) -> io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + timeout;
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        let now = Instant::now();
        if now >= deadline {
            return Ok(None);
        }
        thread::sleep(pause.min(deadline - now));
        pause = (pause * 2).min(Duration::from_millis(25));
    }
}

fn describe(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exited with status {code}"),
        None => "was stopped by a signal".to_owned(),
    }
}

/// A command's stderr is third-party text shown in the status line: one sanitised line, cut.
fn quote_stderr(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr);
    let text = text.trim();
    let mut quoted: String = text.chars().take(STDERR_QUOTE_CHARS).collect();
    if text.chars().nth(STDERR_QUOTE_CHARS).is_some() {
        quoted.push('…');
    }
    sanitize::line(&quoted).into_owned()
}

#[cfg(test)]
mod tests;
