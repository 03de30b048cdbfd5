//! The real binary, end to end: `--print` in every format from the demo, files and stdin
//! (cli/print.rs); the API through a scripted server on 127.0.0.1 (cli/server.rs); every error's
//! exit code and one-line message (cli/errors.rs); inputs that never end or explode
//! (cli/limits.rs); configuration precedence (cli/config.rs); help, completions and closed pipes
//! (cli/surface.rs).
//!
//! Every run goes through [`Hookscope::run`]: a clean environment (only `PATH` and a fresh
//! temporary `HOME`, so no real config file or key is read), a time limit, and a check that no
//! API key handed to any test shows beyond its 12-character hint in stdout or stderr.

#[path = "support/http_server.rs"]
#[expect(dead_code, reason = "the CLI tests use only part of the scripted server")]
mod http_server;

#[path = "cli/calls.rs"]
mod calls;
#[path = "cli/config.rs"]
mod config;
#[path = "cli/errors.rs"]
mod errors;
#[path = "cli/follow.rs"]
mod follow;
#[path = "support/growing_call.rs"]
mod growing_call;
#[path = "cli/limits.rs"]
mod limits;
#[path = "cli/print.rs"]
mod print;
#[path = "cli/proxy.rs"]
mod proxy;
#[path = "cli/server.rs"]
mod server;
#[path = "cli/surface.rs"]
mod surface;
#[path = "support/synthetic.rs"]
mod synthetic;

use std::ffi::OsStr;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use hookscope::case_file::parse_document;
use serde_json::value::RawValue;

/// The key most tests use. Its first 12 characters (`burki_live_S`) may be shown, no more.
pub(crate) const KEY: &str = "burki_live_SECRETSECRETSECRET123";
/// Keys for the precedence tests, one a source, each distinct after the hint.
pub(crate) const FLAG_KEY: &str = "burki_live_FLAGFLAGFLAGFLAG456";
pub(crate) const ENV_KEY: &str = "burki_live_ENVENVENVENVENV789";
pub(crate) const FILE_KEY: &str = "burki_live_FILEFILEFILEFILE000";
const KEYS: [&str; 4] = [KEY, FLAG_KEY, ENV_KEY, FILE_KEY];
/// How much of a key may show: [`hookscope::api::ApiKey::hint`].
const HINT_CHARS: usize = 12;

/// A run taking longer than this is hung: it is killed and the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// Five deliveries of call 101, written out of attempt order (ids 1–5 in attempt order):
/// a success whose payload says "Needle", a 500 whose body says "NEEDLE", a tool call whose body
/// holds `1.50`, a refused connection, and a `201` with a 30-digit number in its payload.
pub(crate) const LOGS: &str = r#"[
{"id": 3, "call_id": 101, "assistant_id": 3, "webhook_url": "https://hooks.example.com/burki", "webhook_type": "tool_call", "request_payload": {"tool": "lookup", "args": {"n": 123456789012345678901234567890}}, "response_status_code": 200, "response_body": "{\"result\": 1.50}", "response_time_ms": 40, "attempted_at": "2025-08-24T19:22:06.000001", "success": true, "error_message": null, "retry_count": 0, "webhook_metadata": null},
{"id": 1, "call_id": 101, "assistant_id": 3, "webhook_url": "https://hooks.example.com/burki", "webhook_type": "call_started", "request_payload": {"event": "call_started", "note": "a Needle in the payload"}, "response_status_code": 200, "response_body": "ok", "response_time_ms": 12, "attempted_at": "2025-08-24T19:22:04.123456Z", "success": true, "error_message": null, "retry_count": 0, "webhook_metadata": null},
{"id": 2, "call_id": 101, "assistant_id": 3, "webhook_url": "https://crm.example.org/hook", "webhook_type": "transcript", "request_payload": {"text": "hello"}, "response_status_code": 500, "response_body": "upstream said NEEDLE", "response_time_ms": 230, "attempted_at": "2025-08-24T19:22:05Z", "success": false, "error_message": null, "retry_count": 0, "webhook_metadata": null},
{"id": 4, "call_id": 101, "assistant_id": 3, "webhook_url": "https://crm.example.org/hook", "webhook_type": "transcript", "request_payload": {"text": "bye"}, "response_status_code": null, "response_body": null, "response_time_ms": 3, "attempted_at": "2025-08-24T19:22:07Z", "success": false, "error_message": "Connection refused", "retry_count": 0, "webhook_metadata": null},
{"id": 5, "call_id": 101, "assistant_id": 3, "webhook_url": "https://hooks.example.com/burki", "webhook_type": "call_ended", "request_payload": {"event": "call_ended", "duration": 148}, "response_status_code": 201, "response_body": "", "response_time_ms": 18, "attempted_at": "2025-08-24T19:22:08Z", "success": true, "error_message": null, "retry_count": 0, "webhook_metadata": {"ended_reason": "customer-ended-call"}}
]"#;

/// Call 101 as `GET /api/v1/calls/101` (or by its SID) returns it.
pub(crate) const CALL: &str = r#"{"id": 101, "call_sid": "CA3f9b2c7e1d4a40b8e6c5d2a1b0f9e874", "assistant_id": 3, "to_phone_number": "+15550001", "customer_phone_number": "+15550002", "status": "completed", "duration": 148}"#;
pub(crate) const CALL_SID: &str = "CA3f9b2c7e1d4a40b8e6c5d2a1b0f9e874";
pub(crate) const LOGS_TARGET: &str = "/api/v1/calls/101/webhook-logs";

/// One run of the binary, being set up.
pub(crate) struct Hookscope {
    command: Command,
    shown: String,
    stdin: Option<Vec<u8>>,
    home: tempfile::TempDir,
}

/// `hookscope ARGS` with only `PATH` and a fresh empty `HOME` in its environment.
pub(crate) fn hookscope<I>(args: I) -> Hookscope
where
    I: IntoIterator,
    I::Item: AsRef<OsStr>,
{
    let home = tempfile::tempdir().expect("a temporary HOME");
    let mut command = Command::new(env!("CARGO_BIN_EXE_hookscope"));
    command.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).env("HOME", home.path());
    let mut shown = "hookscope".to_owned();
    for arg in args {
        let text = arg.as_ref().to_string_lossy();
        shown.push(' ');
        // Failure messages show the command, but never a key.
        shown.push_str(if KEYS.contains(&text.as_ref()) { "<key>" } else { &text });
        command.arg(arg);
    }
    Hookscope { command, shown, stdin: None, home }
}

impl Hookscope {
    pub(crate) fn env(mut self, name: &str, value: impl AsRef<OsStr>) -> Self {
        self.shown = format!("{name}=… {}", self.shown);
        self.command.env(name, value);
        self
    }

    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// The run's `HOME`, to put a default config file in before running.
    pub(crate) fn home(&self) -> &Path {
        self.home.path()
    }

    /// Runs to the end (or fails the test after [`RUN_LIMIT`]).
    #[track_caller]
    pub(crate) fn run(self) -> Run {
        let (child, shown, home) = self.spawn(Stdio::piped());
        let run = finish(child, shown);
        drop(home);
        run
    }

    /// [`Hookscope::run`] off the async runtime, so a scripted server on it can answer.
    pub(crate) async fn run_async(self) -> Run {
        tokio::task::spawn_blocking(move || self.run()).await.expect("the run's thread")
    }

    /// Starts the binary with stdout as given; [`finish`] collects the rest.
    pub(crate) fn spawn(mut self, stdout: Stdio) -> (Child, String, tempfile::TempDir) {
        let stdin = if self.stdin.is_some() { Stdio::piped() } else { Stdio::null() };
        let mut child =
            self.command.stdin(stdin).stdout(stdout).stderr(Stdio::piped()).spawn().expect("start hookscope");
        if let Some(bytes) = self.stdin.take() {
            let mut pipe = child.stdin.take().expect("stdin is piped");
            // A separate thread, so a binary that does not read stdin cannot block the test.
            std::thread::spawn(move || {
                let _ = pipe.write_all(&bytes);
            });
        }
        (child, self.shown, self.home)
    }
}

/// Waits for `child` (killing it after [`RUN_LIMIT`]), collects what it wrote and checks that no
/// key leaked into it.
#[track_caller]
pub(crate) fn finish(child: Child, shown: String) -> Run {
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    let Ok(output) = rx.recv_timeout(RUN_LIMIT) else {
        // Only the process this test started, by its id.
        let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        panic!("`{shown}` did not finish within {RUN_LIMIT:?}");
    };
    let output = output.expect("wait for hookscope");
    let run = Run {
        shown,
        code: output.status.code(),
        stdout: output.stdout,
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    run.assert_no_key();
    run
}

/// What a finished run did.
pub(crate) struct Run {
    shown: String,
    pub(crate) code: Option<i32>,
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A leaked key is named, not repeated, in a failure message.
        let mask = |text: &str| KEYS.iter().fold(text.to_owned(), |text, key| text.replace(key, "<KEY LEAKED HERE>"));
        let head: String = String::from_utf8_lossy(&self.stdout).chars().take(2000).collect();
        let (stdout, stderr) = (mask(&head), mask(&self.stderr));
        write!(f, "`{}` exited {:?}\n--- stderr:\n{stderr}--- stdout:\n{stdout}", self.shown, self.code)
    }
}

impl Run {
    pub(crate) fn stdout(&self) -> &str {
        std::str::from_utf8(&self.stdout).unwrap_or_else(|err| panic!("stdout is not UTF-8 ({err}): {self:?}"))
    }

    /// Exit 0; stdout.
    #[track_caller]
    pub(crate) fn success(&self) -> &str {
        assert_eq!(self.code, Some(0), "{self:?}");
        self.stdout()
    }

    /// Exit 0 with nothing on stderr; stdout.
    #[track_caller]
    pub(crate) fn quiet_success(&self) -> &str {
        assert!(self.stderr.is_empty(), "{self:?}");
        self.success()
    }

    /// Exit `code`, nothing on stdout, and exactly one plain line on stderr, which is returned.
    #[track_caller]
    pub(crate) fn failure(&self, code: i32) -> &str {
        assert_eq!(self.code, Some(code), "{self:?}");
        assert!(self.stdout.is_empty(), "{self:?}");
        let line = self.stderr.strip_suffix('\n').unwrap_or_else(|| panic!("no line on stderr: {self:?}"));
        assert!(!line.contains('\n'), "more than one line on stderr: {self:?}");
        assert!(line.starts_with("hookscope: "), "{self:?}");
        assert!(!line.chars().any(char::is_control), "a control character on stderr: {self:?}");
        line
    }

    /// [`Run::failure`] for a request tried `attempts` times: each wait before a retry is said
    /// on a line of its own first, then the error's line.
    #[track_caller]
    pub(crate) fn failure_after_retries(&self, code: i32, attempts: usize) -> &str {
        assert_eq!(self.code, Some(code), "{self:?}");
        assert!(self.stdout.is_empty(), "{self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), attempts, "a line a wait, and the error: {self:?}");
        for (wait, line) in lines[..attempts - 1].iter().enumerate() {
            let attempt = format!("(attempt {} of {attempts})", wait + 2);
            assert!(line.starts_with("hookscope: ") && line.ends_with(&attempt), "{line:?} in {self:?}");
            assert!(line.contains(", retrying "), "{line:?}");
        }
        let line = lines[attempts - 1];
        assert!(line.starts_with("hookscope: ") && !line.chars().any(char::is_control), "{self:?}");
        line
    }

    /// No key shows beyond its hint, on either stream.
    #[track_caller]
    fn assert_no_key(&self) {
        let stdout = self.stdout.to_ascii_lowercase();
        let stderr = self.stderr.to_ascii_lowercase();
        for key in KEYS {
            let key = key.to_ascii_lowercase();
            // The hint (the first 12 characters) may show; any other 12 characters in a row, in
            // any case, or the hint and one more, may not.
            let runs = (1..=key.len() - HINT_CHARS).map(|at| &key[at..at + HINT_CHARS]);
            for needle in runs.chain([&key[..=HINT_CHARS]]) {
                assert!(!contains(&stdout, needle.as_bytes()), "stdout shows a key ({needle}): {self:?}");
                assert!(!stderr.contains(needle), "stderr shows a key ({needle}): {self:?}");
            }
        }
    }
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// Writes `contents` to `dir/name`.
pub(crate) fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).expect("write a test file");
    path
}

/// Writes a config file with the given permission bits.
pub(crate) fn config_file(dir: &Path, contents: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt as _;
    let path = write(dir, "config.toml", contents);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod the config file");
    path
}

/// The entries of a JSON array, each as its exact text.
#[track_caller]
pub(crate) fn json_entries(text: &str) -> Vec<&str> {
    let entries: Vec<&RawValue> =
        serde_json::from_str(text).unwrap_or_else(|err| panic!("not a JSON array ({err}): {text}"));
    entries.into_iter().map(RawValue::get).collect()
}

/// The `id` of every entry of a JSON array, in order.
#[track_caller]
pub(crate) fn ids(text: &str) -> Vec<i64> {
    json_entries(text)
        .into_iter()
        .map(|entry| {
            let value: serde_json::Value = serde_json::from_str(entry).expect("an entry is JSON");
            value["id"].as_i64().unwrap_or_else(|| panic!("no id in {entry}"))
        })
        .collect()
}

/// A call big enough to arrive in many pieces, with a log that has a problem (a `success` that
/// is not a boolean, for a 201) and an entry that is no log at all at its end, so that `--print`
/// must report both whether it prints the log or not. The odd log is the latest attempt, in its
/// place in attempt order as a server sends it.
pub(crate) fn big_call() -> String {
    let text = synthetic::synthetic_logs_json(1500, 11);
    let odd = r#"{"id": 99000001, "webhook_url": "u", "webhook_type": "transcript", "success": "yes", "response_status_code": 201, "attempted_at": "2025-08-24T23:59:59Z"}, 42"#;
    format!("{}, {odd}]", text.trim_end().strip_suffix(']').expect("an array"))
}

/// What `--print ndjson` with `filter` must write for `document`, decoded whole, and the
/// warnings it must give (naming logs by id: `--print` has no list rows to count).
pub(crate) fn expected_ndjson(document: &str, filter: &hookscope::filter::Filter) -> (String, String) {
    let set = parse_document(document.to_owned()).expect("a document").logs;
    let shown: Vec<_> = filter.apply(&set).into_iter().map(|i| &set.logs[i]).collect();
    let warnings = set.problem_summary().iter().fold(String::new(), |mut out, line| {
        out.push_str("hookscope: warning: ");
        out.push_str(line);
        out.push('\n');
        out
    });
    (hookscope::export::ndjson(&shown), warnings)
}

pub(crate) fn raw_logs(document: &str) -> Vec<String> {
    let loaded = parse_document(document.to_owned()).expect("the input is a log document");
    loaded.logs.logs.iter().map(|log| log.raw().to_owned()).collect()
}
