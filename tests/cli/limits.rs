//! Inputs that never end or explode: devices, sparse files, endless pipes and a gzip bomb are
//! refused early, with memory near the body cap; a million bad entries or 60,000 types cost
//! neither a million lines nor quadratic time.

use std::io::Write as _;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::http_server::{Reply, TestServer};
use crate::{KEY, LOGS_TARGET, hookscope};

const MIB: usize = 1 << 20;

/// The highest resident memory `pid` reached, in bytes, read from /proc until it exits (a
/// lower bound of the true peak: read every millisecond).
fn watch_peak(pid: u32, done: &std::sync::atomic::AtomicBool) -> usize {
    let mut peak = 0;
    while !done.load(std::sync::atomic::Ordering::SeqCst) {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status"))
            && let Some(kib) = status.lines().find_map(|line| line.strip_prefix("VmHWM:"))
        {
            let kib: usize = kib.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
            peak = peak.max(kib * 1024);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    peak
}

/// Runs `run` to its end, with the peak memory it reached.
fn run_with_peak(run: crate::Hookscope) -> (crate::Run, usize) {
    let (child, shown, home) = run.spawn(Stdio::piped());
    let pid = child.id();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watching = {
        let done = std::sync::Arc::clone(&done);
        std::thread::spawn(move || watch_peak(pid, &done))
    };
    let run = crate::finish(child, shown);
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    drop(home);
    (run, watching.join().unwrap())
}

/// A gzip body made here that expands to `expanded` bytes: a log array whose first entry's
/// string never ends, so nothing of it can be let go while it arrives.
fn gzip_bomb(expanded: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(br#"[{"id": 1, "webhook_type": "t", "request_payload": ""#).unwrap();
    let block = vec![b'A'; MIB];
    for _ in 0..expanded / MIB {
        encoder.write_all(&block).unwrap();
    }
    encoder.finish().unwrap()
}

/// The bomb is refused as soon as what it expands to passes the cap, which the message names
/// with the flag that raises it, and memory stays near the cap in every `--print` format.
#[tokio::test]
async fn a_gzip_bomb_is_refused_at_the_cap_with_memory_near_it() {
    let bomb = gzip_bomb(512 * MIB);
    assert!(bomb.len() < 4 * MIB, "the bomb is {} bytes", bomb.len());
    for format in ["json", "ndjson", "markdown"] {
        let reply = Reply::json(200, "OK", "").body(bomb.clone()).header("Content-Encoding", "gzip");
        let server = TestServer::start(vec![reply.for_target(LOGS_TARGET)]).await;
        let url = server.url();
        let args = ["101", "--base-url", &url, "--print", format, "--max-body", "32"];
        let run = hookscope(args).env("BURKI_API_KEY", KEY);
        let (run, peak) = tokio::task::spawn_blocking(move || run_with_peak(run)).await.unwrap();
        let line = run.failure(10);
        assert!(line.contains("over the 32 MiB body limit") && line.contains("--max-body MIB raises it"), "{line}");
        assert!(peak < 32 * MIB + 24 * MIB, "--print {format}: peak {} MiB for a 32 MiB cap", peak / MIB);
    }
}

/// The default cap fits the data: a few hundred MiB, not a GiB.
#[test]
fn the_default_cap_fits_a_big_call_and_no_more() {
    let cap = hookscope::api::DEFAULT_MAX_BODY;
    assert!((100 * MIB..=512 * MIB).contains(&cap), "{cap}");
    assert_eq!(hookscope::api::ApiConfig::default().max_body_bytes, cap);
}

/// `/dev/zero` and a 2 GB sparse file are zeros from their first byte: refused at once, not
/// read to the end of the disk or of memory.
#[test]
fn zeros_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let sparse = dir.path().join("sparse.json");
    std::fs::File::create(&sparse).unwrap().set_len(2 << 30).unwrap();
    for path in [std::path::Path::new("/dev/zero"), sparse.as_path()] {
        let started = Instant::now();
        let (run, peak) = run_with_peak(hookscope(["--file".as_ref(), path.as_os_str(), "--print".as_ref()]));
        let line = run.failure(11);
        assert!(line.contains("holds a run of NUL bytes at offset 0"), "{line}");
        assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
        assert!(peak < 64 * MIB, "peak {} MiB", peak / MIB);
    }
}

/// `yes '['` on stdin: an array that never closes is refused at the cap, which the message
/// names; `/dev/urandom` is refused within its first bytes.
#[test]
fn an_endless_stdin_is_refused_at_the_cap() {
    let run = hookscope(["--file", "-", "--print", "ndjson", "--max-body", "1"]).stdin(b"[\n".repeat(2 * MIB)).run();
    assert_eq!(run.failure(11), "hookscope: stdin is over the 1 MiB input limit (--max-body MIB raises it)");
    let started = Instant::now();
    let (run, peak) = run_with_peak(hookscope(["--file", "/dev/urandom", "--print"]));
    run.failure(11);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(peak < 64 * MIB, "peak {} MiB", peak / MIB);
}

/// A silent FIFO under `--print` ends on SIGTERM as `timeout 2 hookscope …` needs.
#[test]
fn a_silent_fifo_under_print_ends_on_a_signal() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("logs.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (child, shown, _home) =
        hookscope(["--file".as_ref(), fifo.as_os_str(), "--print".as_ref()]).spawn(Stdio::piped());
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    // Only the process this test started, by its id.
    assert!(std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success());
    let run = crate::finish(child, shown);
    assert!(sent.elapsed() < Duration::from_secs(2), "ended {:?} after SIGTERM", sent.elapsed());
    assert_eq!(run.code, None, "ended by the signal: {run:?}");
}

/// A million entries with the same problem are one warning line, with how many and the first.
#[test]
fn repeated_warnings_are_grouped() {
    let mut input = b"[".to_vec();
    input.extend(b"{},".repeat(999_999));
    input.extend(b"{}]");
    let run = hookscope(["--file", "-", "--print", "ndjson"]).stdin(input).run();
    assert_eq!(run.code, Some(0), "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("hookscope: warning: 1,000,000 entries: skipped: "), "{}", lines[0]);
    assert!(lines[0].ends_with("; first: entry 1 of the response"), "{}", lines[0]);
}

/// 60,000 distinct types: counting and grouping are near-linear, so a Markdown report of them
/// takes about as long as of 60,000 logs of one type (a linear search a log took 30 s).
#[test]
fn sixty_thousand_types_print_in_linear_time() {
    let document = |type_of: fn(usize) -> String| {
        let entry = |n: usize| {
            let (kind, success) = (type_of(n), !n.is_multiple_of(3));
            format!(r#"{{"id": {n}, "webhook_url": "u", "webhook_type": "{kind}", "success": {success}}}"#)
        };
        format!("[{}]", (0..60_000).map(entry).collect::<Vec<_>>().join(","))
    };
    let timed = |document: String| {
        let started = Instant::now();
        let run = hookscope(["--file", "-", "--print", "markdown"]).stdin(document).run();
        (started.elapsed(), run)
    };
    let (one_type, _) = timed(document(|_| "transcript".to_owned()));
    let (distinct, run) = timed(document(|n| format!("type_{n}")));
    let report = run.success();
    assert!(report.contains("`type_59997` ×1 (1 failed), `type_59998` ×1, `type_59999` ×1\n"), "{}", &report[..2000]);
    assert!(distinct < one_type * 4 + Duration::from_secs(2), "{distinct:?} against {one_type:?} for one type");
}
