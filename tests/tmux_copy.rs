//! A copy inside a real tmux server with tmux's default settings (`-f /dev/null`: no
//! `allow-passthrough`, `set-clipboard external`) lands in tmux's paste buffer and reaches the
//! outer terminal (a client attached in a pseudo-terminal) as OSC 52, and the status line says
//! where it went. Each test runs its own server on a private socket and stops it; without tmux
//! installed the tests say they skipped.

#![cfg(unix)]

use std::io::Read as _;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::prelude::{BASE64_STANDARD, Engine as _};
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// A tmux server of its own, stopped (and its socket file removed) when dropped.
struct TmuxServer {
    socket: String,
    socket_path: Option<String>,
}

impl TmuxServer {
    /// `None` when tmux is not installed.
    fn start(name: &str, width: u16, height: u16, command: &[&str]) -> Option<Self> {
        if Command::new("tmux").arg("-V").output().is_err() {
            return None;
        }
        let socket = format!("hookscope-test-{name}-{}", std::process::id());
        let mut server = Self { socket, socket_path: None };
        let size = [width.to_string(), height.to_string()];
        let mut args = vec!["new-session", "-d", "-x", &size[0], "-y", &size[1], "--"];
        args.extend(command);
        let started = server.tmux(&args);
        assert!(started.status.success(), "tmux did not start: {}", String::from_utf8_lossy(&started.stderr));
        let path = server.tmux(&["display-message", "-p", "#{socket_path}"]).stdout;
        server.socket_path = Some(String::from_utf8_lossy(&path).trim().to_owned()).filter(|path| !path.is_empty());
        Some(server)
    }

    /// Runs a tmux command against this server alone, never the one the tests may run inside.
    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env_remove("TMUX")
            .output()
            .expect("tmux runs")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p"]).stdout).into_owned()
    }

    /// Waits until `check` passes on the screen, or fails after 30 s (a deadline, not a wait:
    /// the shared machine can be slow to start a debug build).
    fn wait_for_screen(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if check(&screen) {
                return screen;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}; the screen:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// tmux's newest paste buffer, once there is one.
    fn wait_for_buffer(&self) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let shown = self.tmux(&["show-buffer"]);
            if shown.status.success() {
                return String::from_utf8(shown.stdout).unwrap();
            }
            assert!(Instant::now() < deadline, "no tmux buffer; the screen:\n{}", self.screen());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The terminal the user sits at: a tmux client attached in a pseudo-terminal, everything tmux
/// writes to it kept.
struct OuterTerminal {
    output: Arc<Mutex<Vec<u8>>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
}

impl OuterTerminal {
    fn attach(server: &TmuxServer) -> Self {
        let pty =
            native_pty_system().openpty(PtySize { rows: 40, cols: 120, pixel_width: 0, pixel_height: 0 }).unwrap();
        let mut command = CommandBuilder::new("tmux");
        command.args(["-L", &server.socket, "-f", "/dev/null", "attach"]);
        // An xterm: tmux knows it can set its clipboard.
        command.env("TERM", "xterm-256color");
        command.env_remove("TMUX");
        let child = pty.slave.spawn_command(command).unwrap();
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().unwrap();
        let output = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&output);
        std::thread::spawn(move || {
            // Keeps the master open for as long as the client writes.
            let _master = pty.master;
            let mut buffer = [0u8; 8192];
            while let Ok(n @ 1..) = reader.read(&mut buffer) {
                sink.lock().unwrap().extend_from_slice(&buffer[..n]);
            }
        });
        Self { output, child }
    }

    /// Waits until tmux has written `needle` to this terminal, or fails after 30 s.
    fn wait_for(&self, what: &str, needle: &[u8]) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self.output.lock().unwrap().windows(needle.len()).any(|window| window == needle) {
            assert!(Instant::now() < deadline, "the outer terminal never got {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for OuterTerminal {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
        if let Some(path) = &self.socket_path {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// One delivery whose payload the copy carries.
fn write_call(dir: &Path) -> String {
    let path = dir.join("call.json");
    let log = r#"[{"id": 41, "call_id": 5, "webhook_url": "https://hooks.example.com/x", "webhook_type": "call_started",
        "request_payload": {"note":"copied through tmux","lang":"\u65e5\u672c\u8a9e"}, "response_status_code": 200,
        "response_body": "ok", "response_time_ms": 12, "attempted_at": "2025-08-24T19:22:04.123456", "success": true,
        "error_message": null, "retry_count": 0}]"#;
    std::fs::write(&path, log).unwrap();
    path.display().to_string()
}

#[rstest::rstest]
#[case::auto("auto", None)]
#[case::osc52_asked_for("osc52", None)]
#[case::set_clipboard_on("osc52", Some("on"))]
fn a_copy_inside_tmux_lands_in_its_buffer_and_the_outer_terminal(
    #[case] clipboard: &str,
    #[case] set_clipboard: Option<&str>,
) {
    let dir = tempfile::tempdir().unwrap();
    let call = write_call(dir.path());
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let config = config.display().to_string();
    // No display and no SSH: `auto` picks the terminal's clipboard, which inside tmux is tmux.
    let command = [
        "env",
        "-u",
        "DISPLAY",
        "-u",
        "WAYLAND_DISPLAY",
        "-u",
        "SSH_TTY",
        "-u",
        "SSH_CONNECTION",
        "NO_COLOR=1",
        env!("CARGO_BIN_EXE_hookscope"),
        "--config",
        &config,
        "--file",
        &call,
        "--clipboard",
        clipboard,
    ];
    let name = format!("{clipboard}-{}", set_clipboard.unwrap_or("default"));
    let Some(server) = TmuxServer::start(&name, 120, 40, &command) else {
        eprintln!("skipped: tmux is not installed");
        return;
    };
    if let Some(value) = set_clipboard {
        assert!(server.tmux(&["set-option", "-g", "set-clipboard", value]).status.success());
    }
    let outer = OuterTerminal::attach(&server);
    server.wait_for_screen("the list", |screen| screen.contains("call_started"));
    outer.wait_for("the explorer", b"call_started");
    assert!(!server.tmux(&["show-buffer"]).status.success(), "a fresh server has no buffer");

    server.tmux(&["send-keys", "Y"]);
    let copied = server.wait_for_buffer();
    assert_eq!(copied, "{\n  \"note\": \"copied through tmux\",\n  \"lang\": \"\\u65e5\\u672c\\u8a9e\"\n}");
    // tmux sets the outer terminal's clipboard with its own OSC 52 (`ESC ] 52 ; ; base64`).
    outer.wait_for("the copy as OSC 52", BASE64_STANDARD.encode(&copied).as_bytes());
    let screen = server.wait_for_screen("the copy's report", |screen| screen.contains("copied payload"));
    let toast = format!(
        "✓ copied payload ({}) to tmux buffer + your terminal's clipboard",
        hookscope::units::size(copied.len())
    );
    assert!(screen.contains(&toast), "{screen}");
    server.tmux(&["send-keys", "q"]);
}
