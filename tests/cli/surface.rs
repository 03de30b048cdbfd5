//! Help, completions, and stdout closed early (`| head -1`).

use std::io::{BufRead as _, BufReader};
use std::process::Stdio;

use rstest::rstest;

use crate::{KEY, finish, hookscope, write};

#[test]
fn help_names_the_environment_and_the_exit_codes() {
    // The key is in the environment and on the command line: help shows neither.
    let run = hookscope(["--api-key", KEY, "--help"]).env("BURKI_API_KEY", KEY).env("BURKI_BASE_URL", "http://x").run();
    let help = run.quiet_success();
    for needle in [
        "BURKI_API_KEY",
        "BURKI_BASE_URL",
        "--print",
        "--print json          every field whole",
        "`--print json` has the full data",
        "Exit codes: 0 ok, 2 usage, 3 configuration, 4 key refused (401/403), 5 call not found",
        "6 invalid call id (422), 7 rate limited, 8 server error (5xx), 9 network",
        "10 unexpected response",
        "11 unreadable file",
        "12 a --type the call does not have",
        // What --timeout bounds, and that waits for a retry come on top, capped.
        "Seconds one request attempt may take",
        "30 s at most in all",
        // A flag is visible to other users: help says so where the flag and the variable are.
        "API key [env: `BURKI_API_KEY`]. Other users of the machine can read a flag in the process",
        "users of the machine can read a flag in the process list)",
    ] {
        assert!(help.contains(needle), "{needle:?} missing from --help:\n{help}");
    }
    assert_eq!(hookscope(["-h"]).run().quiet_success().lines().next(), help.lines().next());
}

#[test]
fn the_version_is_the_crate_version() {
    let run = hookscope(["--version"]).run();
    assert_eq!(run.quiet_success(), concat!("hookscope ", env!("CARGO_PKG_VERSION"), "\n"));
}

#[rstest]
#[case::bash("bash", "complete -F")]
#[case::zsh("zsh", "#compdef hookscope")]
#[case::fish("fish", "complete -c hookscope")]
fn completions_cover_the_flags(#[case] shell: &str, #[case] marker: &str) {
    let run = hookscope(["completions", shell]).env("BURKI_API_KEY", KEY).run();
    let script = run.quiet_success();
    assert!(script.contains(marker), "{script}");
    for flag in ["print", "api-key", "base-url", "grep"] {
        assert!(script.contains(flag), "{flag} missing from the {shell} completions");
    }
}

#[test]
fn completions_for_an_unknown_shell_are_a_usage_error() {
    let run = hookscope(["completions", "cmd.exe"]).run();
    assert_eq!(run.code, Some(2), "{run:?}");
}

/// Stdout closed before hookscope writes: no error, no message.
#[rstest]
#[case::table("table")]
#[case::json("json")]
#[case::markdown("markdown")]
fn a_stdout_closed_before_any_output_is_not_an_error(#[case] format: &str) {
    let (mut child, shown, _home) = hookscope(["--demo", "--print", format]).spawn(Stdio::piped());
    drop(child.stdout.take());
    let run = finish(child, shown);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}

/// `hookscope --print table | head -1` on a call whose table is far larger than a pipe's buffer:
/// the first line arrives, then the reader goes away mid-write.
#[test]
fn a_reader_that_stops_after_one_line_ends_the_run_quietly() {
    let logs: Vec<String> = (1..=3000)
        .map(|id| {
            format!(
                r#"{{"id": {id}, "call_id": 101, "webhook_url": "https://hooks.example.com/{id}/a/long/path/for/width", "webhook_type": "transcript", "response_status_code": 200, "attempted_at": "2025-08-24T19:22:04Z", "success": true}}"#
            )
        })
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.json", format!("[{}]", logs.join(",\n")));
    let (mut child, shown, _home) =
        hookscope(["--file", path.to_str().unwrap(), "--print", "table"]).spawn(Stdio::piped());
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("TIME (UTC)"), "{first}");
    let run = finish(child, shown);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.is_empty(), "{run:?}");
}
