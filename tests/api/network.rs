//! Servers that are not there, too slow, or send too much or too little.

use std::time::{Duration, Instant};

use hookscope::api::{ApiClient, ApiError};
use rstest::rstest;
use tokio::io::AsyncWriteExt;

use crate::support::http_server::{Reply, TestServer};
use crate::{assert_no_key, config};

/// A client with a short total timeout and a small body cap.
fn strict_client(server: &TestServer, timeout: Duration, max_body_bytes: usize) -> ApiClient {
    let mut settings = config(&server.url());
    settings.timeout = timeout;
    settings.max_body_bytes = max_body_bytes;
    ApiClient::new(settings).unwrap()
}

#[tokio::test]
async fn a_dead_port_is_connection_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let api = ApiClient::new(config(&format!("http://{addr}"))).unwrap();
    let err = api.webhook_logs(101, None).await.unwrap_err();
    assert_eq!(err, ApiError::ConnectionRefused { addr: addr.to_string() });
    assert_eq!(
        err.to_string(),
        format!("connection refused by {addr}: is the server running, and is the base URL right?")
    );
    assert_eq!(err.exit_code(), 9);
    assert_no_key(&err);
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_network_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let plain = tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        stream.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await.unwrap();
    });
    let err = ApiClient::new(config(&format!("https://{addr}"))).unwrap().webhook_logs(1, None).await.unwrap_err();
    plain.await.unwrap();
    let ApiError::Network { addr: shown, detail } = &err else { panic!("{err:?}") };
    assert_eq!(*shown, addr.to_string());
    assert!(!detail.is_empty());
    assert_eq!(err.exit_code(), 9);
    // A sentence with what to check, not rustls's type names.
    assert_eq!(
        err.to_string(),
        format!(
            "TLS with {addr} failed: the server did not answer in TLS: does the base URL need http:// rather than \
             https://?"
        )
    );
    assert_no_key(&err);
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_error() {
    // `.invalid` never resolves (RFC 6761); a resolver with no network fails at once too.
    let mut settings = config("http://hookscope-test.invalid:8000");
    settings.allow_http = true;
    let err = ApiClient::new(settings).unwrap().webhook_logs(1, None).await.unwrap_err();
    assert_eq!(err, ApiError::Dns { host: "hookscope-test.invalid".into() });
    assert_eq!(
        err.to_string(),
        "could not resolve the host hookscope-test.invalid: check the base URL and the network"
    );
    assert_eq!(err.exit_code(), 9);
}

#[tokio::test]
async fn a_declared_length_past_any_memory_is_refused_for_every_route() {
    // Memory is reserved from the declared length: a lying header must be refused first.
    let huge = 1 << 50;
    let server = TestServer::start(vec![Reply::json(200, "OK", "[").content_length(huge).then_stall(); 2]).await;
    let api = strict_client(&server, Duration::from_secs(10), 1000);
    let expected = ApiError::BodyTooLarge { limit: 1000, declared: Some(huge as u64) };
    assert_eq!(api.webhook_logs(101, None).await.unwrap_err(), expected);
    assert_eq!(api.call_details(101).await.unwrap_err(), expected);
}

#[rstest]
#[case::stall_after_headers(Reply::json(200, "OK", "").content_length(100).then_stall())]
#[case::stall_mid_body(Reply::json(200, "OK", "[{\"id\": 1,").content_length(100).then_stall())]
#[case::drip(Reply::json(200, "OK", &" ".repeat(2000)).drip(10, Duration::from_millis(20)))]
#[tokio::test]
async fn the_total_timeout_covers_the_body(#[case] reply: Reply) {
    let server = TestServer::start(vec![reply]).await;
    let api = strict_client(&server, Duration::from_millis(300), 1 << 20);
    let started = Instant::now();
    let err = api.webhook_logs(101, None).await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(err, ApiError::Timeout { after: Duration::from_millis(300), connecting: false });
    assert_eq!(err.to_string(), "no complete response within 300 ms: try again, or allow more time with --timeout");
    assert_eq!(err.exit_code(), 9);
    assert!(took >= Duration::from_millis(290) && took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    // The server then stalls: only an early refusal can end this before the 10 s timeout.
    let server = TestServer::start(vec![Reply::json(200, "OK", "[").content_length(5_000_000).then_stall()]).await;
    let api = strict_client(&server, Duration::from_secs(10), 1000);
    let started = Instant::now();
    let err = api.webhook_logs(101, None).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    assert_eq!(err, ApiError::BodyTooLarge { limit: 1000, declared: Some(5_000_000) });
    assert_eq!(
        err.to_string(),
        "the response is over the 1000-byte body limit (it declares 5000000 bytes): is the base URL right? (the limit guards memory; --max-body MIB raises it)"
    );
    assert_eq!(err.exit_code(), 10);
}

#[rstest]
#[case::no_length(Reply::json(200, "OK", &format!("[{}]", " ".repeat(5000))).no_length())]
#[case::gzipped(Reply::json(200, "OK", &format!("[{}]", " ".repeat(5000))).gzip())]
#[tokio::test]
async fn an_undeclared_body_over_the_cap_is_cut_off(#[case] reply: Reply) {
    let server = TestServer::start(vec![reply]).await;
    let err = strict_client(&server, Duration::from_secs(10), 4096).webhook_logs(101, None).await.unwrap_err();
    assert_eq!(err, ApiError::BodyTooLarge { limit: 4096, declared: None });
}

/// The connection closing before the body's declared end cuts it off: a network error, said
/// with where the cut came.
#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_cut_off() {
    let server = TestServer::start(vec![Reply::json(200, "OK", "[]").content_length(500)]).await;
    let err = crate::client(&server).webhook_logs(101, None).await.unwrap_err();
    assert_eq!(
        err,
        ApiError::CutOff { received: 2, expected: Some(500), detail: "the connection closed early".into() }
    );
    assert_eq!(err.exit_code(), 9);
    assert_no_key(&err);
}

#[tokio::test]
async fn a_body_limit_exactly_met_is_accepted() {
    let body = format!("[{}]", " ".repeat(98));
    let server = TestServer::start(vec![Reply::json(200, "OK", &body).no_length()]).await;
    let logs = strict_client(&server, Duration::from_secs(10), 100).webhook_logs(101, None).await.unwrap();
    assert!(logs.logs.is_empty() && logs.body_problems.is_empty(), "{logs:?}");
}
