//! The API client against a real HTTP server on 127.0.0.1 (`tests/support/http_server.rs`): the
//! success paths here, errors in api/errors.rs, the network in api/network.rs, redirects and
//! `fetch_call` in api/flow.rs.

mod support;
#[path = "support/synthetic.rs"]
mod synthetic;

#[path = "api/calls.rs"]
mod calls;
#[path = "api/errors.rs"]
mod errors;
#[path = "api/flow.rs"]
mod flow;
#[path = "api/network.rs"]
mod network;

use std::time::Duration;

use hookscope::api::{ApiClient, ApiConfig, ApiError, ApiKey, CallRef, KeySource};
use hookscope::model::WebhookLog;
use support::http_server::{Reply, TestServer};

pub(crate) const KEY: &str = "burki_live_SECRETSECRETSECRET0123";
/// The part of [`KEY`] that must never be shown (everything past the 12-character hint).
pub(crate) const KEY_SECRET_PART: &str = "SECRETSECRET";
pub(crate) const WAIT: Duration = Duration::from_secs(5);

pub(crate) fn config(base_url: &str) -> ApiConfig {
    ApiConfig {
        base_url: base_url.to_owned(),
        api_key: Some((ApiKey::new(KEY).unwrap(), KeySource::Flag)),
        timeout: Duration::from_secs(10),
        connect_timeout: Duration::from_secs(5),
        allow_http: false,
        max_retries: 3,
        max_body_bytes: 1 << 20,
    }
}

/// A client for `server` whose retries wait 1 ms, 2 ms, 4 ms.
pub(crate) fn client(server: &TestServer) -> ApiClient {
    ApiClient::new(config(&server.url())).unwrap().with_retry_backoff(Duration::from_millis(1))
}

/// Every error a test sees goes through this: the key is in neither form of it.
#[track_caller]
pub(crate) fn assert_no_key(err: &ApiError) {
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(KEY_SECRET_PART), "the key leaked: {shown}");
        assert!(!shown.contains('\n'), "not one line: {shown}");
    }
}

/// Fetches call 101's logs from a server that answers with `script`, expecting an error.
pub(crate) async fn logs_error(script: Vec<Reply>) -> (ApiError, TestServer) {
    let server = TestServer::start(script).await;
    let err = client(&server).webhook_logs(101, None).await.expect_err("an error");
    assert_no_key(&err);
    (err, server)
}

pub(crate) fn log_json(id: i64, webhook_type: &str, at: &str) -> String {
    format!(
        r#"{{"id": {id}, "call_id": 101, "assistant_id": 3, "webhook_url": "https://hooks.example.com/burki",
        "webhook_type": "{webhook_type}", "request_payload": {{"event": "{webhook_type}"}},
        "response_status_code": 200, "response_body": "ok", "response_time_ms": 12, "attempted_at": "{at}",
        "success": true, "error_message": null, "retry_count": 0, "webhook_metadata": null}}"#
    )
}

pub(crate) fn two_logs() -> String {
    format!(
        "[{}, {}]",
        log_json(2, "call_ended", "2025-08-24T19:25:00.000001"),
        log_json(1, "call_started", "2025-08-24T19:22:04.123456Z")
    )
}

pub(crate) const CALL: &str = r#"{"id": 101, "call_sid": "v3:abc/def", "assistant_id": 3, "to_phone_number": "+15550001",
    "customer_phone_number": "+15550002", "status": "completed", "duration": 148}"#;

#[tokio::test]
async fn logs_arrive_sorted_with_the_documented_headers() {
    let server = TestServer::start(vec![Reply::json(200, "OK", &two_logs())]).await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.iter().map(|log| log.id).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(logs.logs[1].webhook_type, "call_ended");
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.target, "/api/v1/calls/101/webhook-logs");
    assert_eq!(request.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some(concat!("hookscope/", env!("CARGO_PKG_VERSION"))));
    assert!(request.header("accept-encoding").is_some_and(|v| v.contains("gzip")), "{request:?}");
}

#[tokio::test]
async fn an_empty_array_is_no_logs() {
    let server = TestServer::start(vec![Reply::json(200, "OK", " [ ]\n")]).await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert!(logs.logs.is_empty() && logs.rejected.is_empty());
}

#[tokio::test]
async fn a_gzipped_body_is_decoded() {
    let many = (1..=40).map(|id| log_json(id, "transcript", "2025-08-24T19:22:04Z")).collect::<Vec<_>>().join(",");
    let body = format!("[{many}]");
    assert!(body.len() > 1000, "the server gzips only bodies over 1000 bytes");
    let server = TestServer::start(vec![Reply::json(200, "OK", &body).gzip()]).await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.len(), 40);
    let entries: Vec<&str> = logs.logs.iter().map(WebhookLog::raw).collect();
    assert_eq!(format!("[{}]", entries.join(",")), body, "each entry is kept exactly as decoded");
}

#[tokio::test]
async fn the_webhook_type_is_one_encoded_query_value() {
    let server = TestServer::start(vec![Reply::json(200, "OK", "[]")]).await;
    client(&server).webhook_logs(7, Some("end of/call&x=1#ü")).await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/api/v1/calls/7/webhook-logs?webhook_type=end%20of%2Fcall%26x%3D1%23%C3%BC"
    );
}

#[tokio::test]
async fn an_id_resolves_without_a_request() {
    let server = TestServer::start(vec![]).await;
    assert_eq!(client(&server).resolve_call_id(&CallRef::Id(42)).await.unwrap(), (42, None));
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn a_sid_is_one_encoded_path_segment() {
    let server = TestServer::start(vec![Reply::json(200, "OK", CALL)]).await;
    let sid = CallRef::Sid("v3:abc/def?x #%é".to_owned());
    let (id, call) = client(&server).resolve_call_id(&sid).await.unwrap();
    assert_eq!(id, 101);
    let call = call.unwrap();
    assert_eq!((call.call_sid.as_deref(), call.status.as_deref()), (Some("v3:abc/def"), Some("completed")));
    assert_eq!(server.requests()[0].target, "/api/v1/calls/sid/v3%3Aabc%2Fdef%3Fx%20%23%25%C3%A9");
}

#[tokio::test]
async fn invalid_utf8_is_replaced_and_the_logs_still_load() {
    let mut body = two_logs().into_bytes();
    let at = body.windows(5).position(|w| w == b"hooks").unwrap();
    body[at] = 0xff;
    let server = TestServer::start(vec![Reply::new(200, "OK").body(body)]).await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.len(), 2);
    assert!(logs.logs.iter().any(|log| log.raw().contains("https://\u{fffd}ooks.example.com")), "{logs:?}");
}

#[tokio::test]
async fn a_base_url_path_prefix_and_trailing_slash_are_kept_and_trimmed() {
    let server = TestServer::start(vec![Reply::json(200, "OK", "[]")]).await;
    let api = ApiClient::new(config(&format!("{}/burki/", server.url()))).unwrap();
    api.webhook_logs(5, None).await.unwrap();
    assert_eq!(server.requests()[0].target, "/burki/api/v1/calls/5/webhook-logs");
}

#[test]
fn the_client_debug_output_holds_no_key() {
    let api = ApiClient::new(config("https://api.burki.dev")).unwrap();
    let shown = format!("{api:?}");
    assert!(!shown.contains(KEY_SECRET_PART), "{shown}");
    assert!(shown.contains("https://api.burki.dev"), "{shown}");
}
