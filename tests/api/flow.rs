//! Redirects, and `fetch_call` putting a SID lookup, the logs and the call details together.

use hookscope::api::{ApiClient, ApiError, CallRef};
use hookscope::model::LogSet;

use crate::support::http_server::{Reply, TestServer};
use crate::{CALL, WAIT, assert_no_key, client, two_logs};

const LOGS: &str = "/api/v1/calls/101/webhook-logs";
const DETAILS: &str = "/api/v1/calls/101";

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_key() {
    let server = TestServer::start(vec![
        Reply::new(307, "Temporary Redirect").header("Location", "/v2/moved?x=1"),
        Reply::json(200, "OK", &two_logs()),
    ])
    .await;
    let logs = client(&server).webhook_logs(101, None).await.unwrap();
    assert_eq!(logs.logs.len(), 2);
    let [first, second] = server.requests().try_into().unwrap();
    assert_eq!((first.target.as_str(), second.target.as_str()), (LOGS, "/v2/moved?x=1"));
    assert_eq!(second.header("authorization"), Some(format!("Bearer {}", crate::KEY).as_str()));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_refused_and_that_host_hears_nothing() {
    let other = TestServer::start_on("127.0.0.2:0", vec![Reply::json(200, "OK", "[]")]).await;
    let location = format!("http://{}/api/v1/calls/101/webhook-logs", other.addr);
    let server = TestServer::start(vec![Reply::new(302, "Found").header("Location", &location)]).await;
    let err = client(&server).webhook_logs(101, None).await.unwrap_err();
    assert_eq!(err, ApiError::RedirectRefused { target: format!("http://{}", other.addr), reason: "another host" });
    assert_eq!(
        err.to_string(),
        format!(
            "the server redirected to http://{} (another host), which was not followed so the API key stays with the \
             base URL's host: if that is the right server, use it as the base URL",
            other.addr
        )
    );
    assert_eq!(err.exit_code(), 10);
    assert_no_key(&err);
    assert_eq!(server.requests().len(), 1);
    assert!(other.requests().is_empty(), "{:?}", other.requests());
}

#[tokio::test]
async fn a_redirect_loop_stops_after_five_hops() {
    let hop = Reply::new(302, "Found").header("Location", "/loop");
    let server = TestServer::start(vec![hop; 8]).await;
    let err = client(&server).webhook_logs(101, None).await.unwrap_err();
    assert_eq!(err, ApiError::TooManyRedirects { target: server.url() });
    assert_eq!(server.requests().len(), 6, "the first request and five redirects");
}

#[tokio::test]
async fn an_id_fetches_logs_and_details_together() {
    // Each reply waits for the other request: run one after the other, both would time out.
    let server = TestServer::start(vec![
        Reply::json(200, "OK", &two_logs()).for_target(LOGS).after_target(DETAILS),
        Reply::json(200, "OK", CALL).for_target(DETAILS).after_target(LOGS),
    ])
    .await;
    let fetched = client(&server).fetch_call(&CallRef::Id(101), None).await.unwrap();
    assert_eq!(fetched.call_id, 101);
    assert_eq!(fetched.logs.logs.len(), 2);
    assert_eq!(fetched.call.unwrap().status.as_deref(), Some("completed"));
    assert!(fetched.call_error.is_none());
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn failing_call_details_leave_the_logs() {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", &two_logs()).for_target(LOGS),
        Reply::new(500, "Internal Server Error").body("Internal Server Error").for_target(DETAILS),
    ])
    .await;
    let fetched = client(&server).fetch_call(&CallRef::Id(101), None).await.unwrap();
    assert_eq!(fetched.logs.logs.len(), 2);
    assert!(fetched.call.is_none());
    assert_eq!(
        fetched.call_error,
        Some(ApiError::Server { status: 500, detail: "Internal Server Error".into(), attempts: 1 })
    );
}

#[tokio::test]
async fn failing_logs_fail_the_fetch_even_when_the_call_loads() {
    let not_found = r#"{"detail": "Call with ID 101 not found in your organization"}"#;
    let server = TestServer::start(vec![
        Reply::json(404, "Not Found", not_found).for_target(LOGS),
        Reply::json(200, "OK", CALL).for_target(DETAILS),
    ])
    .await;
    let err = client(&server).fetch_call(&CallRef::Id(101), None).await.unwrap_err();
    assert_eq!(err, ApiError::CallNotFound { detail: "Call with ID 101 not found in your organization".into() });
    assert_eq!(err.exit_code(), 5);
}

#[tokio::test]
async fn a_sid_lookup_supplies_the_call_so_details_are_not_fetched_again() {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", CALL).for_target("/api/v1/calls/sid/CA5f1e"),
        Reply::json(200, "OK", &two_logs()).for_target("/api/v1/calls/101/webhook-logs?webhook_type=call_ended"),
    ])
    .await;
    let sid = CallRef::Sid("CA5f1e".into());
    let fetched = client(&server).fetch_call(&sid, Some("call_ended")).await.unwrap();
    assert_eq!(fetched.call_id, 101);
    assert_eq!(fetched.call.unwrap().call_sid.as_deref(), Some("v3:abc/def"));
    assert_eq!(fetched.logs.logs.len(), 2);
    let targets: Vec<String> = server.wait_for_requests(2, WAIT).await.into_iter().map(|r| r.target).collect();
    assert_eq!(targets, ["/api/v1/calls/sid/CA5f1e", "/api/v1/calls/101/webhook-logs?webhook_type=call_ended"]);
}

#[tokio::test]
async fn an_unknown_sid_is_call_not_found() {
    let detail = r#"{"detail": "Call with SID CAdead not found in your organization"}"#;
    let server = TestServer::start(vec![Reply::json(404, "Not Found", detail)]).await;
    let err = client(&server).fetch_call(&CallRef::Sid("CAdead".into()), None).await.unwrap_err();
    assert_eq!(err, ApiError::CallNotFound { detail: "Call with SID CAdead not found in your organization".into() });
    assert_eq!(err.exit_code(), 5);
    assert_eq!(server.requests().len(), 1, "no logs request for a call that is not there");
}

#[tokio::test]
async fn a_sid_lookup_without_an_integer_id_is_an_error() {
    let server = TestServer::start(vec![Reply::json(200, "OK", r#"{"id": "101", "call_sid": "CA1"}"#)]).await;
    let err = client(&server).fetch_call(&CallRef::Sid("CA1".into()), None).await.unwrap_err();
    assert_eq!(err, ApiError::BadCall { detail: "the call has no integer id".into() });
    assert_eq!(err.exit_code(), 10);
    assert_eq!(server.requests().len(), 1);
}

/// A SID no URL can carry is refused before any request, and the message does not blame the
/// server, which never saw it.
#[rstest::rstest]
#[case::parent("..", "\"..\" cannot be sent as a call id or SID (a path segment")]
#[case::dot(".", "\".\" cannot be sent as a call id or SID (a path segment")]
#[case::newline("CA1\nx", "\"CA1␊x\" cannot be sent as a call id or SID (it holds a control character")]
#[case::escape("CA1\u{1b}[2J", "\"CA1␛[2J\" cannot be sent as a call id or SID (it holds a control character")]
#[case::huge(&"C".repeat(5000), "… (5000 characters)\" cannot be sent as a call id or SID (it is too long")]
#[tokio::test]
async fn an_unsendable_sid_is_refused_without_a_request(#[case] sid: &str, #[case] says: &str) {
    let server = TestServer::start(vec![]).await;
    let err = client(&server).resolve_call_id(&CallRef::Sid(sid.into())).await.unwrap_err();
    assert_eq!(err.exit_code(), 6);
    let message = err.to_string();
    assert!(message.contains(says), "{message}");
    assert!(!message.contains("server"), "nothing was sent: {message}");
    assert!(message.len() < 300, "{message}");
    assert!(server.requests().is_empty());
}

/// A call big enough to be decoded in batches while it arrives (`model/stream.rs`), sent in
/// pieces: the logs must be exactly those of the same text decoded in one go.
#[tokio::test]
async fn a_big_call_decoded_as_it_arrives_matches_the_call_decoded_whole() {
    let text = crate::synthetic::synthetic_logs_json(1500, 11);
    assert!(text.len() > 900_000, "several batches: {} bytes", text.len());
    let whole = LogSet::parse(text.clone()).unwrap();
    for reply in [
        Reply::json(200, "OK", &text).drip(70_001, std::time::Duration::from_micros(100)),
        Reply::json(200, "OK", &text).gzip(),
        Reply::json(200, "OK", &text).no_length(),
    ] {
        let server = TestServer::start(vec![reply]).await;
        let mut settings = crate::config(&server.url());
        settings.max_body_bytes = 4 << 20;
        let logs = ApiClient::new(settings).unwrap().webhook_logs(101, None).await.unwrap();
        assert_eq!(logs, whole);
    }
}

/// The same, broken in its last entry so that a string never closes: every log before it loads,
/// and the body is said to end early.
#[tokio::test]
async fn a_big_call_broken_at_the_end_keeps_every_log_before_the_break() {
    let mut text = crate::synthetic::synthetic_logs_json(1500, 11);
    text.truncate(text.len() - 40);
    text.push_str("\"x\": tru}]");
    let server = TestServer::start(vec![Reply::json(200, "OK", &text)]).await;
    let mut settings = crate::config(&server.url());
    settings.max_body_bytes = 4 << 20;
    let logs = ApiClient::new(settings).unwrap().webhook_logs(101, None).await.unwrap();
    assert_eq!((logs.logs.len(), logs.rejected.len()), (1499, 0));
    let [problem] = logs.body_problems.as_slice() else { panic!("{:?}", logs.body_problems) };
    assert!(problem.starts_with("the body ends before its array does"), "{problem}");
}
