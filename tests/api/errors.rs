//! Every error row of burki-api.md, and the 200s that are errors too. Each case names the whole
//! line the user reads, its exit code, and how many requests it took (retries included).

use std::time::Duration;

use hookscope::api::{ApiClient, ApiError, KeySource, RetryHook, RetryWait};
use rstest::rstest;

use crate::support::http_server::{Reply, TestServer};
use crate::{KEY, KEY_SECRET_PART, WAIT, client, config, logs_error};

const NOT_FOUND_CALL: &str = r#"{"detail": "Call with ID 101 not found in your organization"}"#;
const INVALID_ID: &str = r#"{"detail": [{"loc": ["path", "call_id"], "msg": "Input should be a valid integer, unable to parse string as an integer", "type": "int_parsing", "input": "abc"}]}"#;
const BAD_GATEWAY: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

#[rstest]
#[case::unauthorized(
    Reply::json(401, "Unauthorized", r#"{"detail": "Authentication required. Provide a valid API key."}"#).header("WWW-Authenticate", "Bearer"),
    "the server rejected the API key burki_live_S… from --api-key (401: Authentication required. Provide a valid API key.): check it is right and not revoked",
    4, 1
)]
#[case::forbidden(
    Reply::json(403, "Forbidden", r#"{"detail": "Not enough permissions"}"#),
    "access denied (403: Not enough permissions): the API key lacks permission for this call",
    4,
    1
)]
#[case::call_not_found(
    Reply::json(404, "Not Found", NOT_FOUND_CALL),
    "Call with ID 101 not found in your organization (404): check the call id or SID, and that the API key belongs to the call's organization",
    5,
    1
)]
#[case::route_missing(
    Reply::json(404, "Not Found", r#"{"detail":"Not Found"}"#),
    "the server has no webhook-logs route (404 Not Found): is the base URL right, or is it an older/self-hosted Burki?",
    10,
    1
)]
#[case::proxy_404_page(
    Reply::new(404, "Not Found").header("Content-Type", "text/html").body("<html><title>404</title></html>"),
    "the server has no webhook-logs route (404 Not Found): is the base URL right, or is it an older/self-hosted Burki?",
    10, 1
)]
#[case::invalid_call_id(
    Reply::json(422, "Unprocessable Entity", INVALID_ID),
    "the server rejected the call id (422: call_id: Input should be a valid integer, unable to parse string as an integer): pass the numeric call id or the call SID",
    6,
    1
)]
#[case::internal_error_not_retried(
    Reply::new(500, "Internal Server Error").header("Content-Type", "text/plain; charset=utf-8").body("Internal Server Error"),
    "the server failed (HTTP 500: Internal Server Error) after 1 attempt: try again later; if it persists, report it to Burki",
    8, 1
)]
#[case::bad_gateway_page_retried(
    Reply::new(502, "Bad Gateway").header("Content-Type", "text/html").body(BAD_GATEWAY),
    "the server failed (HTTP 502: an HTML error page titled \"502 Bad Gateway\") after 4 attempts: try again later; if it persists, report it to Burki",
    8, 4
)]
#[case::hostile_detail(
    Reply::json(403, "Forbidden", r#"{"detail": "no\u001b]52;c;aGk=\u0007\nway"}"#),
    "access denied (403: no␛]52;c;aGk=␇ way): the API key lacks permission for this call",
    4,
    1
)]
#[case::other_status(
    Reply::json(405, "Method Not Allowed", r#"{"detail": "Method Not Allowed"}"#),
    "unexpected HTTP 405 (Method Not Allowed): is the base URL right?",
    10,
    1
)]
#[case::html_200(
    Reply::new(200, "OK").header("Content-Type", "text/html").body("<!doctype html><html><head><title>Burki — Dashboard</title></head></html>"),
    "expected JSON for the webhook logs, got an HTML page titled \"Burki — Dashboard\": is the base URL right?",
    10, 1
)]
#[case::text_200(
    Reply::new(200, "OK").body("hello"),
    "expected JSON for the webhook logs, got text that is not JSON (expected value at line 1 column 1), starting \"hello\": is the base URL right?",
    10, 1
)]
#[case::empty_200(
    Reply::json(200, "OK", ""),
    "expected JSON for the webhook logs, got an empty body: is the base URL right?",
    10,
    1
)]
#[case::object_200(
    Reply::json(200, "OK", r#"{"items": [], "total": 0}"#),
    "expected a JSON array of webhook logs, got an object: is the base URL right, or is it an older Burki?",
    10,
    1
)]
#[tokio::test]
async fn error_rows(#[case] reply: Reply, #[case] line: &str, #[case] exit_code: u8, #[case] requests: usize) {
    // Four copies cover the default three retries; the fifth reply would be a success.
    let script = vec![reply.clone(), reply.clone(), reply.clone(), reply, Reply::json(200, "OK", "[]")];
    let (err, server) = logs_error(script).await;
    assert_eq!(err.to_string(), line);
    assert_eq!(err.exit_code(), exit_code);
    assert_eq!(server.requests().len(), requests);
}

#[tokio::test]
async fn a_rate_limit_waits_as_long_as_retry_after_says_then_succeeds() {
    let server = TestServer::start(vec![
        Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "1"),
        Reply::json(200, "OK", "[]"),
    ])
    .await;
    client(&server).webhook_logs(101, None).await.unwrap();
    let [first, second] = server.requests().try_into().unwrap();
    let waited = second.at - first.at;
    assert!(waited >= Duration::from_millis(990), "waited only {waited:?}: Retry-After ignored");
    assert!(waited < Duration::from_secs(3), "waited {waited:?}");
}

#[tokio::test]
async fn a_rate_limit_still_there_after_the_retries_says_how_long_to_wait() {
    let too_many = Reply::json(429, "Too Many Requests", r#"{"detail": "Rate limit exceeded"}"#);
    let server =
        TestServer::start(vec![too_many.clone(), too_many.clone(), too_many.header("Retry-After", "120")]).await;
    let mut settings = config(&server.url());
    settings.max_retries = 2;
    let api = ApiClient::new(settings).unwrap().with_retry_backoff(Duration::from_millis(1));
    let err = api.webhook_logs(101, None).await.unwrap_err();
    assert_eq!(err, ApiError::RateLimited { attempts: 3, retry_after_secs: Some(120) });
    assert_eq!(err.to_string(), "rate limited (429, 3 attempts): the server asks to wait 120 s before trying again");
    assert_eq!(err.exit_code(), 7);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_retry_after_past_the_cap_is_reported_instead_of_waited() {
    let (err, server) = logs_error(vec![
        Reply::json(429, "Too Many Requests", "{}").header("Retry-After", "3600"),
        Reply::json(200, "OK", "[]"),
    ])
    .await;
    assert_eq!(err, ApiError::RateLimited { attempts: 1, retry_after_secs: Some(3600) });
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn unavailable_then_ok_is_retried() {
    let unavailable = Reply::new(503, "Service Unavailable").body("Service Unavailable");
    let server =
        TestServer::start(vec![unavailable.clone(), unavailable, Reply::json(200, "OK", &crate::two_logs())]).await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.len(), 2);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn unavailable_four_times_is_an_error_after_exactly_four_requests() {
    let unavailable = Reply::new(503, "Service Unavailable").body("Service Unavailable");
    let mut script = vec![unavailable; 4];
    script.push(Reply::json(200, "OK", "[]"));
    let (err, server) = logs_error(script).await;
    assert_eq!(err, ApiError::Server { status: 503, detail: "Service Unavailable".into(), attempts: 4 });
    assert_eq!(err.exit_code(), 8);
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_key_echoed_by_the_server_is_shown_only_as_its_hint() {
    let echo = format!("invalid token {KEY} for this org");
    let (err, _server) = logs_error(vec![Reply::new(401, "Unauthorized").body(echo)]).await;
    assert_eq!(
        err,
        ApiError::Unauthorized {
            key_source: KeySource::Flag,
            key_hint: "burki_live_S…".into(),
            detail: "invalid token burki_live_S… for this org".into()
        }
    );
    assert!(!format!("{err} {err:?}").contains(KEY_SECRET_PART));
}

#[tokio::test]
async fn a_401_names_the_config_file_the_key_came_from() {
    let server = TestServer::start(vec![Reply::json(401, "Unauthorized", r#"{"detail": "Invalid API key"}"#)]).await;
    let mut settings = config(&server.url());
    settings.api_key.as_mut().unwrap().1 = KeySource::ConfigFile("/etc/hookscope.toml".into());
    let err = ApiClient::new(settings).unwrap().webhook_logs(1, None).await.unwrap_err();
    assert!(err.to_string().contains("from api_key in /etc/hookscope.toml (401: Invalid API key)"), "{err}");
}

#[tokio::test]
async fn call_details_that_are_not_a_call_are_an_error() {
    let server = TestServer::start(vec![
        Reply::new(200, "OK").body("<html><title>Login</title></html>"),
        Reply::json(200, "OK", "[1, 2]"),
        Reply::json(404, "Not Found", r#"{"detail": "Not Found"}"#),
    ])
    .await;
    let api = client(&server);
    let html = api.call_details(101).await.unwrap_err();
    assert_eq!(
        html.to_string(),
        "expected JSON for the call, got an HTML page titled \"Login\": is the base URL right?"
    );
    let array = api.call_details(101).await.unwrap_err();
    assert_eq!(array.to_string(), "unreadable call details (the call is not a JSON object): is the base URL right?");
    let missing = api.call_details(101).await.unwrap_err();
    assert_eq!(missing, ApiError::RouteMissing { route: "call-details" });
    assert_eq!(server.wait_for_requests(3, WAIT).await[2].target, "/api/v1/calls/101");
    for err in [html, array, missing] {
        assert_eq!(err.exit_code(), 10);
        crate::assert_no_key(&err);
    }
}

#[test]
fn configuration_errors_send_nothing_and_exit_3() {
    let mut no_key = config("https://api.burki.dev");
    no_key.api_key = None;
    let cases = [
        (no_key, "no API key: pass --api-key, set BURKI_API_KEY, or put api_key in the config file"),
        (
            config("http://burki.internal.example:8000"),
            "refusing to send the API key over plain http:// to burki.internal.example: use https://, or pass --allow-http if the network to that host is trusted",
        ),
        (
            config("https://api.burki.dev:99999"),
            "invalid base URL \"https://api.burki.dev:99999\": invalid port number; expected something like https://api.burki.dev",
        ),
    ];
    for (settings, line) in cases {
        let err = ApiClient::new(settings).unwrap_err();
        assert_eq!(err.to_string(), line);
        assert_eq!(err.exit_code(), 3);
        crate::assert_no_key(&err);
    }
    let mut allowed = config("http://burki.internal.example:8000");
    allowed.allow_http = true;
    assert!(ApiClient::new(allowed).is_ok());
    let mut newline = config("https://api.burki.dev");
    newline.api_key = Some((hookscope::api::ApiKey::new(format!("{KEY}\u{7f}x")).unwrap(), KeySource::Env));
    let err = ApiClient::new(newline).unwrap_err();
    assert_eq!(err, ApiError::KeyNotSendable { key_source: KeySource::Env });
    assert!(err.to_string().contains("from the BURKI_API_KEY environment variable"));
}

/// Each wait before a retry is told as it starts (how long, which attempt of how many); the
/// call details, fetched beside the logs, wait without telling.
#[tokio::test]
async fn each_wait_before_a_retry_is_told_as_it_starts() {
    let server = TestServer::start(vec![
        Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "1"),
        Reply::json(503, "Service Unavailable", "busy"),
        Reply::json(200, "OK", &crate::two_logs()),
    ])
    .await;
    let told = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hook: RetryHook = {
        let told = std::sync::Arc::clone(&told);
        std::sync::Arc::new(move |wait: RetryWait| told.lock().unwrap().push(wait))
    };
    let logs = client(&server).with_retry_hook(Some(hook)).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.len(), 2);
    let told = told.lock().unwrap().clone();
    assert_eq!(
        told,
        [
            RetryWait { status: 429, wait: Duration::from_secs(1), next_attempt: 2, attempts: 4 },
            RetryWait { status: 503, wait: Duration::from_millis(2), next_attempt: 3, attempts: 4 },
        ]
    );
}

/// Waits share one budget: a second `Retry-After: 20` would pass it, so the client stops after
/// the first and says how long the server asked.
#[tokio::test]
async fn retry_waits_stop_at_their_budget() {
    let slow = Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "31");
    let (err, server) = logs_error(vec![slow, Reply::json(200, "OK", "[]")]).await;
    assert_eq!(err, ApiError::RateLimited { attempts: 1, retry_after_secs: Some(31) });
    assert_eq!(server.requests().len(), 1, "a wait past the budget is not waited out");
}

/// A body shorter than its `Content-Length` is cut off, not "not JSON": where, of how much, and
/// exit code 9, the logs before the cut kept. Cut before its first log is complete, it is the
/// same error (no log to keep), never a question about the base URL.
#[rstest]
#[case::after_a_log(2)]
#[case::before_any_log(1)]
#[tokio::test]
async fn a_body_cut_off_says_where_and_keeps_the_logs_before(#[case] cut_in_log: usize) {
    let text = crate::two_logs();
    // Part-way into the first log (1) or the second (2).
    let starts: Vec<usize> = text.match_indices("{\"id\"").map(|(at, _)| at).collect();
    let cut = starts[cut_in_log - 1] + 20;
    let server = TestServer::start(vec![Reply::json(200, "OK", &text[..cut]).content_length(text.len())]).await;
    let (logs, result) = client(&server).stream_webhook_logs(101, None, hookscope::model::LogSet::default()).await;
    let err = result.unwrap_err();
    assert_eq!(
        err,
        ApiError::CutOff { received: cut, expected: Some(text.len()), detail: "the connection closed early".into() }
    );
    assert_eq!(
        err.to_string(),
        format!("the response was cut off at byte {cut} of {}: the connection closed early", text.len())
    );
    assert_eq!(err.exit_code(), 9);
    assert_eq!(logs.logs.len(), cut_in_log - 1);
}

/// Without `Content-Length` the body ends when the connection closes: an array that stops
/// there is cut off all the same.
#[tokio::test]
async fn an_array_that_stops_without_a_length_is_cut_off() {
    let text = crate::two_logs();
    let cut = text.len() - 30;
    let server = TestServer::start(vec![Reply::json(200, "OK", &text[..cut]).no_length()]).await;
    let (logs, result) = client(&server).stream_webhook_logs(101, None, hookscope::model::LogSet::default()).await;
    let err = result.unwrap_err();
    assert_eq!(
        err,
        ApiError::CutOff { received: cut, expected: None, detail: "the body ends before its array does".into() }
    );
    assert_eq!(logs.logs.len(), 1);
}
