//! Every way a run can fail: its exit code (README, "Exit codes") and the one line on stderr
//! that names the cause. Runs that fail have `RUST_BACKTRACE=1`, which must add nothing.

use rstest::rstest;

use crate::http_server::{Reply, TestServer};
use crate::{KEY, hookscope, write};

const BAD_GATEWAY: &str =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center>nginx</center></body>\r\n</html>\r\n";

fn four(reply: Reply) -> Vec<Reply> {
    vec![reply.clone(), reply.clone(), reply.clone(), reply]
}

/// `hookscope 101 --print json` against a server answering with `script`, the key in the
/// environment; returns the run and the number of requests the server saw.
async fn fail_against(script: Vec<Reply>, args: &[&str]) -> (crate::Run, usize) {
    let server = TestServer::start(script).await;
    let url = server.url();
    let run = hookscope(["101", "--base-url", &url, "--print", "json"].iter().chain(args))
        .env("BURKI_API_KEY", KEY)
        .env("RUST_BACKTRACE", "1")
        .run_async()
        .await;
    (run, server.requests().len())
}

#[rstest]
#[case::unauthorized_echoing_the_key(
    vec![Reply::json(401, "Unauthorized", &format!(r#"{{"detail": "Invalid key {KEY}"}}"#)).header("WWW-Authenticate", "Bearer")],
    &[], 4, 1, &["rejected the API key burki_live_S… from the BURKI_API_KEY environment variable", "401: Invalid key burki_live_S…"]
)]
#[case::unauthorized_page_echoing_the_key(
    vec![Reply::new(401, "Unauthorized").header("Content-Type", "text/plain").body(format!("Authorization: Bearer {KEY}\r\nrefused"))],
    &[], 4, 1, &["401: Authorization: Bearer burki_live_S… refused"]
)]
#[case::forbidden(
    vec![Reply::json(403, "Forbidden", r#"{"detail": "Not enough permissions"}"#)],
    &[], 4, 1, &["access denied (403: Not enough permissions)"]
)]
#[case::call_not_found(
    vec![Reply::json(404, "Not Found", r#"{"detail": "Call with ID 101 not found in your organization"}"#)],
    &[], 5, 1, &["Call with ID 101 not found in your organization (404)"]
)]
#[case::invalid_call_id(
    vec![Reply::json(422, "Unprocessable Entity", r#"{"detail": [{"loc": ["path", "call_id"], "msg": "Input should be a valid integer", "type": "int_parsing"}]}"#)],
    &[], 6, 1, &["rejected the call id (422: call_id: Input should be a valid integer)"]
)]
#[case::rate_limited_after_the_retries(
    four(Reply::json(429, "Too Many Requests", r#"{"detail": "Rate limit exceeded"}"#).header("Retry-After", "0")),
    &[], 7, 4, &["rate limited (429, 4 attempts)"]
)]
#[case::internal_server_error(
    vec![Reply::new(500, "Internal Server Error").header("Content-Type", "text/plain").body("Internal Server Error\x1b[2J\x07 at\r\n  db.py:12")],
    &[], 8, 1, &["the server failed (HTTP 500: Internal Server Error␛[2J␇ at db.py:12) after 1 attempt"]
)]
#[case::server_error_echoing_the_key(
    vec![Reply::new(500, "Internal Server Error").body(format!("KeyError: {KEY}"))],
    &[], 8, 1, &["HTTP 500: KeyError: burki_live_S…"]
)]
#[case::bad_gateway_after_the_retries(
    four(Reply::new(502, "Bad Gateway").header("Content-Type", "text/html").header("Retry-After", "0").body(BAD_GATEWAY)),
    &[], 8, 4, &["HTTP 502: an HTML error page titled \"502 Bad Gateway\") after 4 attempts"]
)]
#[case::timeout(
    vec![Reply::json(200, "OK", "[").content_length(100).then_stall()],
    &["--timeout", "0.3"], 9, 1, &["no complete response within 300 ms"]
)]
#[case::a_web_page(
    vec![Reply::new(200, "OK").header("Content-Type", "text/html").body("<!doctype html><title>Burki Dashboard</title>")],
    &[], 10, 1, &["got an HTML page titled \"Burki Dashboard\": is the base URL right?"]
)]
#[case::a_web_page_echoing_the_key(
    vec![Reply::new(200, "OK").header("Content-Type", "text/html").body(format!("<html><title>Token {KEY}</title></html>"))],
    &[], 10, 1, &["is the base URL right?"]
)]
#[case::text_echoing_the_key(
    vec![Reply::new(200, "OK").body(format!("Bearer {KEY}"))],
    &[], 10, 1, &["is the base URL right?"]
)]
#[case::unauthorized_echoing_the_key_in_json_escapes(
    vec![Reply::json(401, "Unauthorized", &format!(r#"{{"detail": "Invalid key {}"}}"#, KEY.replace('_', "\\u005f")))],
    &[], 4, 1, &["401: Invalid key burki_live_S…)"]
)]
#[case::unauthorized_echoing_the_key_minus_its_last_character(
    vec![Reply::json(401, "Unauthorized", &format!(r#"{{"detail": "Invalid key {}"}}"#, &KEY[..KEY.len() - 1]))],
    &[], 4, 1, &["401: Invalid key burki_live_S…)"]
)]
#[case::forbidden_echoing_a_twenty_character_prefix(
    vec![Reply::json(403, "Forbidden", &format!(r#"{{"detail": "key {} lacks scope"}}"#, &KEY[..20]))],
    &[], 4, 1, &["403: key burki_live_S… lacks scope)"]
)]
#[case::server_error_echoing_the_tail_of_the_key(
    vec![Reply::new(500, "Internal Server Error").body(format!("token ...{} expired", &KEY[11..]))],
    &[], 8, 1, &["HTTP 500: token ...burki_live_S… expired)"]
)]
#[case::server_error_echoing_the_key_upper_cased(
    vec![Reply::new(500, "Internal Server Error").body(format!("KEY={}", KEY.to_ascii_uppercase()))],
    &[], 8, 1, &["HTTP 500: KEY=burki_live_S…)"]
)]
#[case::text_echoing_the_key_escaped(
    vec![Reply::new(200, "OK").body(format!("token: {}", KEY.replace('_', "%5F")))],
    &[], 10, 1, &["starting \"token: burki_live_S…\": is the base URL right?"]
)]
#[case::route_missing(
    vec![Reply::json(404, "Not Found", r#"{"detail":"Not Found"}"#)],
    &[], 10, 1, &["the server has no webhook-logs route (404 Not Found)"]
)]
#[case::not_an_array(
    vec![Reply::json(200, "OK", r#"{"items": [], "total": 0}"#)],
    &[], 10, 1, &["expected a JSON array of webhook logs, got an object"]
)]
#[tokio::test]
async fn every_error_row_has_its_exit_code_and_one_line(
    #[case] script: Vec<Reply>,
    #[case] args: &[&str],
    #[case] code: i32,
    #[case] requests: usize,
    #[case] says: &[&str],
) {
    let (run, seen) = fail_against(script, args).await;
    let line = if requests > 1 { run.failure_after_retries(code, requests) } else { run.failure(code) };
    for part in says {
        assert!(line.contains(part), "expected {part:?} in {line:?}");
    }
    assert_eq!(seen, requests, "requests, retries included: {run:?}");
}

#[tokio::test]
async fn a_sid_that_is_not_found_is_exit_5() {
    let server = TestServer::start(vec![Reply::json(
        404,
        "Not Found",
        r#"{"detail": "Call with SID CAdead not found in your organization"}"#,
    )])
    .await;
    let run = hookscope(["CAdead", "--base-url", &server.url(), "--print", "table"])
        .env("BURKI_API_KEY", KEY)
        .run_async()
        .await;
    assert!(run.failure(5).contains("Call with SID CAdead not found"), "{run:?}");
    assert_eq!(server.requests()[0].target, "/api/v1/calls/sid/CAdead");
}

#[tokio::test]
async fn a_closed_port_is_connection_refused_exit_9() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let run = hookscope(["101", "--base-url", &format!("http://{addr}"), "--print", "json"])
        .env("BURKI_API_KEY", KEY)
        .env("RUST_BACKTRACE", "1")
        .run_async()
        .await;
    assert_eq!(
        run.failure(9),
        format!("hookscope: connection refused by {addr}: is the server running, and is the base URL right?")
    );
}

/// Where a key comes from, and how a 401 must name it.
#[rstest]
#[case::environment("env", "from the BURKI_API_KEY environment variable (401")]
#[case::flag("flag", "from --api-key (401")]
#[case::config_file("file", "from api_key in ")]
#[tokio::test]
async fn a_401_names_where_the_key_came_from(#[case] source: &str, #[case] named: &str) {
    let server = TestServer::start(vec![Reply::json(401, "Unauthorized", r#"{"detail": "Invalid API key"}"#)]).await;
    let dir = tempfile::tempdir().unwrap();
    let config = crate::config_file(dir.path(), &format!("api_key = \"{KEY}\"\n"), 0o600);
    let url = server.url();
    let mut args = vec!["101", "--base-url", &url, "--print", "json"];
    let run = match source {
        "env" => hookscope(args).env("BURKI_API_KEY", KEY),
        "flag" => {
            args.extend(["--api-key", KEY]);
            hookscope(args)
        }
        _ => {
            args.extend(["--config", config.to_str().unwrap()]);
            hookscope(args)
        }
    }
    .run_async()
    .await;
    let line = run.failure(4);
    assert!(line.contains(named), "{line}");
    if source == "file" {
        assert!(line.contains(&format!("api_key in {} (401: Invalid API key)", config.display())), "{line}");
    }
}

#[test]
fn no_key_is_exit_3_and_says_how_to_set_one() {
    let command = hookscope(["101", "--print", "json"]).env("RUST_BACKTRACE", "1");
    let default_config = command.home().join(".config/hookscope/config.toml");
    let run = command.run();
    assert_eq!(
        run.failure(3),
        format!(
            "hookscope: no API key: pass --api-key, set BURKI_API_KEY, or put api_key in {}",
            default_config.display()
        )
    );
}

/// A plain-http base URL on another host is refused before anything is sent. The run's proxy
/// variables point at a loopback server, so a request that did go out would land there (and fail
/// the test) instead of leaving the machine.
#[rstest]
#[case::a_name("http://example.invalid", "example.invalid")]
#[case::an_address("http://10.255.255.1:8000/", "10.255.255.1")]
#[tokio::test]
async fn plain_http_to_another_host_is_refused_without_a_request(#[case] base_url: &str, #[case] host: &str) {
    let tripwire = TestServer::start(vec![]).await;
    let proxy = tripwire.url();
    let run = hookscope(["101", "--base-url", base_url, "--timeout", "2", "--print", "json"])
        .env("BURKI_API_KEY", KEY)
        .env("RUST_BACKTRACE", "1")
        .env("HTTP_PROXY", &proxy)
        .env("HTTPS_PROXY", &proxy)
        .env("ALL_PROXY", &proxy)
        .run_async()
        .await;
    assert_eq!(
        run.failure(3),
        format!(
            "hookscope: refusing to send the API key over plain http:// to {host}: use https://, or pass \
             --allow-http if the network to that host is trusted"
        )
    );
    assert!(tripwire.requests().is_empty(), "a request was sent: {:?}", tripwire.requests());
}

#[rstest]
#[case::missing("missing.json", None, "cannot read")]
#[case::a_directory("dir", None, "cannot read")]
#[case::an_error_object("detail.json", Some(br#"{"detail":"x"}"#.as_slice()), "expected a JSON array of logs, got an object")]
#[case::not_utf8("latin1.json", Some(b"[\"caf\xe9\"]".as_slice()), "is not UTF-8 text")]
#[case::a_web_page("page.html", Some(b"<html><title>Login</title></html>".as_slice()), "expected JSON, got an HTML or XML page")]
#[case::empty("empty.json", Some(b"".as_slice()), "the body is empty")]
#[case::a_newer_case_file("case.json", Some(br#"{"hookscope_case": 99, "logs": []}"#.as_slice()), "newer than this build")]
fn a_file_that_is_not_a_log_array_is_exit_11(#[case] name: &str, #[case] contents: Option<&[u8]>, #[case] says: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("dir")).unwrap();
    if let Some(contents) = contents {
        write(dir.path(), name, contents);
    }
    let path = dir.path().join(name);
    let run = hookscope(["--file", path.to_str().unwrap(), "--print", "json"]).env("RUST_BACKTRACE", "1").run();
    let line = run.failure(11);
    assert!(line.contains(says), "{line}");
}

#[test]
fn empty_stdin_is_exit_11() {
    let run = hookscope(["--file", "-", "--print", "table"]).stdin("").run();
    assert_eq!(run.failure(11), "hookscope: stdin: the body is empty");
}

#[rstest]
#[case::demo_and_a_call(&["--demo", "101"])]
#[case::file_and_a_call(&["--file", "x.json", "101"])]
#[case::demo_and_a_file(&["--demo", "--file", "x.json"])]
#[case::failed_and_succeeded(&["--demo", "--failed", "--succeeded"])]
#[case::unknown_format(&["--demo", "--print", "yaml"])]
#[case::unknown_flag(&["--demo", "--colour"])]
fn usage_errors_are_exit_2(#[case] args: &[&str]) {
    let run = hookscope(args).env("BURKI_API_KEY", KEY).env("RUST_BACKTRACE", "1").run();
    assert_eq!(run.code, Some(2), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
    assert!(run.stderr.starts_with("error: "), "{run:?}");
}

#[test]
fn the_explorer_without_a_terminal_is_a_usage_error() {
    let run = hookscope(["--demo"]).run();
    assert!(run.failure(2).contains("the explorer needs a terminal"), "{run:?}");
}

#[rstest]
#[case::zero_timeout(&["--timeout", "0"], "--timeout must be a positive number")]
#[case::bad_base_url(&["--base-url", "ftp://burki.example"], "invalid base URL \"ftp://burki.example\"")]
#[case::clipboard_without_command(&["--clipboard", "command"], "needs --clipboard-command")]
#[case::the_key_inside_the_base_url(
    &["--base-url", "https://burki_live_SECRETSECRETSECRET123@api.example.com"],
    "invalid base URL \"https://burki_live_S…@api.example.com\": it must not hold a user name"
)]
#[case::the_key_as_the_base_url(&["--base-url", KEY], "invalid base URL \"burki_live_S…\": it needs a scheme")]
fn bad_settings_are_exit_3(#[case] args: &[&str], #[case] says: &str) {
    let run = hookscope(["101", "--print", "json"].iter().chain(args)).env("BURKI_API_KEY", KEY).run();
    let line = run.failure(3);
    assert!(line.contains(says), "{line}");
}

/// An API key pasted into the wrong setting of the config file is named by its setting and
/// line, never quoted (the run's own check fails the test if any run of the key shows).
#[rstest]
#[case::as_the_timeout(&format!("api_key = \"x\"\ntimeout_secs = \"{KEY}\"\n"), "line 2: invalid type: a string, expected f64")]
#[case::as_a_setting_name(&format!("{KEY} = 1\n"), "line 1: unknown field `burki_live_S…`")]
#[case::under_a_misspelt_name(&format!("apikey = \"{KEY}\"\n"), "line 1: unknown field `apikey`")]
#[case::as_the_theme(&format!("theme = \"{KEY}\"\n"), "line 1: unknown variant `burki_live_S…`, expected `dark` or `light`")]
fn a_key_in_the_wrong_setting_is_not_quoted(#[case] contents: &str, #[case] says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::config_file(dir.path(), contents, 0o600);
    let run = hookscope(["101", "--print", "json", "--config", config.to_str().unwrap()]).run();
    let line = run.failure(3);
    assert!(line.contains(says), "{line}");
}

/// A call id no URL can carry is refused before any request, without blaming the server.
#[rstest]
#[case::parent("..")]
#[case::a_control_character("CA1\u{7}CA2")]
#[tokio::test]
async fn an_unsendable_call_id_is_exit_6_without_a_request(#[case] call: &str) {
    let server = TestServer::start(vec![]).await;
    let url = server.url();
    let run = hookscope([call, "--base-url", &url, "--print", "json"]).env("BURKI_API_KEY", KEY).run_async().await;
    let line = run.failure(6);
    assert!(line.contains("cannot be sent as a call id or SID"), "{line}");
    assert!(!line.contains("server"), "{line}");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
}

/// A 20,000-digit id is quoted, cut, in a message of one short line.
#[test]
fn a_huge_call_id_is_quoted_cut() {
    let huge = "9".repeat(20_000);
    let run = hookscope([huge.as_str(), "--print", "json"]).env("BURKI_API_KEY", KEY).run();
    let line = run.failure(3);
    assert!(line.len() < 200, "{} bytes: {line}", line.len());
    assert!(line.ends_with("… (20000 characters) is too large"), "{line}");
}
