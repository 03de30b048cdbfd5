//! The copied curl command, pasted into a shell, must send the payload byte for byte: run it
//! through `sh -c` against a server on 127.0.0.1 and compare what arrives.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

use hookscope::export::curl_command;
use hookscope::model::LogSet;
use serde_json::Value;

/// Payloads as a server would store them: raw JSON text, quoting hazards included.
fn payloads() -> Vec<(&'static str, String)> {
    vec![
        (
            "shell metacharacters",
            r#"{"q":"it's \"quoted\" $HOME ${PATH} `id` $(id) \\ back\\slash ! !! %s & | ; < > * ? ~ # { } [ ] ( ) '' '\\''","n":1}"#
                .to_owned(),
        ),
        ("only quotes", r#"{"a":"'''","b":"\"\"\"","c":"\\'"}"#.to_owned()),
        (
            "non-ASCII",
            "{\"text\":\"café ☎ 電話 😀 مرحبا \u{202e}abc\u{200b} \\u00e9\\ud83d\\ude00\",\"é\":\"ключ\"}".to_owned(),
        ),
        (
            "layout from the server kept",
            "{\n\t\"message\": {\n  \"type\": \"end-of-call-report\" ,\n  \"messages\" : [ ]\n }\n}".to_owned(),
        ),
        (
            "numbers as sent",
            r#"{"trace_id":123456789012345678901234567890,"cost":0.0310,"e":1.50e3,"neg":-0.0}"#.to_owned(),
        ),
        ("escapes", r#"{"nl":"a\nb\r\nc\td","esc":"\u001b[2J\u0007","nul":"\u0000"}"#.to_owned()),
        ("top-level string", r#""just 'a' string""#.to_owned()),
        ("top-level array", r#"[1,"two",{"three":[]}]"#.to_owned()),
        ("large, past curl's Expect: 100-continue threshold", format!(r#"{{"big":"{}"}}"#, "'$`\\\\x".repeat(4000))),
    ]
}

struct Received {
    request_line: String,
    content_type: Option<String>,
    body: Vec<u8>,
}

/// Accepts one request, answers 200, and hands back what came in.
fn serve_once(listener: TcpListener) -> thread::JoinHandle<Received> {
    thread::spawn(move || {
        let (stream, _) = listener.accept().expect("a connection");
        stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let (mut length, mut content_type, mut expect_continue) = (0, None, false);
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':').unwrap();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap(),
                "content-type" => content_type = Some(value.trim().to_owned()),
                "expect" => expect_continue = value.trim().eq_ignore_ascii_case("100-continue"),
                _ => {}
            }
        }
        let mut writer = stream;
        if expect_continue {
            writer.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").unwrap();
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        writer.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok").unwrap();
        Received { request_line: request_line.trim_end().to_owned(), content_type, body }
    })
}

/// Runs the command as a user's shell would, with no proxy or curlrc in the way.
fn run_in_sh(command: &str, home: &std::path::Path) -> std::process::Output {
    let child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("all_proxy")
        .env_remove("ALL_PROXY")
        .env("NO_PROXY", "*")
        .env("HOME", home)
        .env("CURL_HOME", home)
        .env("XDG_CONFIG_HOME", home)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh runs");
    // Wait on the child from another thread, so the test waits for an answer, not a fixed time.
    let pid = child.id();
    let (done, finished) = std::sync::mpsc::channel();
    thread::spawn(move || {
        let _ = done.send(child.wait_with_output());
    });
    if let Ok(output) = finished.recv_timeout(Duration::from_secs(30)) {
        return output.unwrap();
    }
    let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
    panic!("curl did not finish within 30 s: {command}");
}

fn curl_installed() -> bool {
    Command::new("which").arg("curl").stdout(Stdio::null()).status().is_ok_and(|status| status.success())
}

#[test]
fn the_curl_command_sends_the_payload_byte_for_byte() {
    if !curl_installed() {
        eprintln!("SKIPPED the_curl_command_sends_the_payload_byte_for_byte: `curl` is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    for (name, payload) in payloads() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        // The customer's URL, rewritten to point here; shell metacharacters kept in it.
        let url = format!("http://127.0.0.1:{port}/hooks/it's?a=$HOME&b=(x);c=!d");
        let log = format!(
            r#"[{{"id": 1, "webhook_url": {}, "webhook_type": "t", "success": true, "request_payload": {payload}}}]"#,
            Value::from(url.as_str())
        );
        let set = LogSet::parse(log).unwrap();
        assert_eq!(set.logs[0].payload(), Some(payload.as_str()), "{name}: fixture keeps the payload as sent");
        let command = curl_command(&set.logs[0]);
        let server = serve_once(listener);

        let output = run_in_sh(&command, home.path());
        assert!(output.status.success(), "{name}: curl failed: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.stdout, b"ok", "{name}");
        let received = server.join().unwrap();
        assert_eq!(received.request_line, "POST /hooks/it's?a=$HOME&b=(x);c=!d HTTP/1.1", "{name}");
        assert_eq!(received.content_type.as_deref(), Some("application/json"), "{name}");
        assert!(
            received.body == payload.as_bytes(),
            "{name}: body differs:\n{}\n{payload}",
            String::from_utf8_lossy(&received.body)
        );
    }
}

/// JSON allows DEL and C1 controls raw in strings; the command writes them as `\u` escapes (some
/// terminals act on a raw U+009B), so the body sent means the same but is not the same bytes.
#[test]
fn raw_c1_controls_are_sent_escaped_with_the_same_meaning() {
    if !curl_installed() {
        eprintln!("SKIPPED raw_c1_controls_are_sent_escaped_with_the_same_meaning: `curl` is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let payload = "{\"c1\":\"a\u{9b}31m\u{7f}b\"}";
    let log = format!(
        r#"[{{"id": 1, "webhook_url": "http://127.0.0.1:{port}/", "webhook_type": "t", "success": true, "request_payload": {payload}}}]"#
    );
    let set = LogSet::parse(log).unwrap();
    let command = curl_command(&set.logs[0]);
    assert!(!command.chars().any(|c| c.is_control() && c != '\n'), "{command:?}");
    let server = serve_once(listener);
    let output = run_in_sh(&command, home.path());
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let received = server.join().unwrap();
    assert_eq!(received.body, br#"{"c1":"a\u009b31m\u007fb"}"#);
    let meaning: Value = serde_json::from_slice(&received.body).unwrap();
    assert_eq!(meaning, serde_json::from_str::<Value>(payload).unwrap());
}

/// curl reads `{a,b}` and `[0]` in a URL as a glob (several requests, or "bad range"), a space
/// as the URL's end, and a URL starting with `-` as an option. The command sends exactly one
/// request, to the URL as logged.
#[test]
fn urls_with_braces_brackets_and_spaces_are_sent_once_as_written() {
    if !curl_installed() {
        eprintln!("SKIPPED urls_with_braces_brackets_and_spaces_are_sent_once_as_written: `curl` is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    for (name, path, sent) in [
        ("braces", "/g/{a,b,c}", "/g/{a,b,c}"),
        ("brackets", "/hook?items[0]=1&items[1]=2", "/hook?items[0]=1&items[1]=2"),
        ("a range", "/n/[1-3]/x", "/n/[1-3]/x"),
        ("spaces", "/a b/c?q=d e", "/a%20b/c?q=d%20e"),
    ] {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let url = format!("http://127.0.0.1:{port}{path}");
        let log = format!(
            r#"[{{"id": 1, "webhook_url": {}, "webhook_type": "t", "success": true, "request_payload": {{"n": 1}}}}]"#,
            Value::from(url.as_str())
        );
        let set = LogSet::parse(log).unwrap();
        let command = curl_command(&set.logs[0]);
        let server = serve_once(listener.try_clone().unwrap());
        let output = run_in_sh(&command, home.path());
        assert!(output.status.success(), "{name}: curl failed: {}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(output.stdout, b"ok", "{name}: one request, one answer");
        let received = server.join().unwrap();
        assert_eq!(received.request_line, format!("POST {sent} HTTP/1.1"), "{name}");
        assert_eq!(received.body, br#"{"n": 1}"#, "{name}");
        // A glob would have gone on to a second request.
        listener.set_nonblocking(true).unwrap();
        thread::sleep(Duration::from_millis(100));
        assert!(listener.accept().is_err(), "{name}: curl sent a second request");
    }
}

/// A logged URL starting with `-` is a URL curl cannot reach, never an option: `-o FILE` would
/// write a file, `-K FILE` would read one as curl's config.
#[test]
fn a_url_starting_with_a_dash_is_never_an_option() {
    if !curl_installed() {
        eprintln!("SKIPPED a_url_starting_with_a_dash_is_never_an_option: `curl` is not installed");
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let written = home.path().join("written-by-curl");
    let url = format!("-o{}", written.display());
    let log = format!(
        r#"[{{"id": 1, "webhook_url": {}, "webhook_type": "t", "success": true, "request_payload": {{"n": 1}}}}]"#,
        Value::from(url.as_str())
    );
    let set = LogSet::parse(log).unwrap();
    let command = curl_command(&set.logs[0]);
    let output = run_in_sh(&command, home.path());
    assert!(!written.exists(), "curl read the URL as -o: {command}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // Exit 2 is curl's "no URL specified"; a URL it could not use is 3 (malformed) or 6 (host).
    assert!(matches!(output.status.code(), Some(3 | 6)), "{:?} {stderr}", output.status.code());
}
