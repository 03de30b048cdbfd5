//! Where the request really goes when the environment names a proxy: plain http and loopback
//! never through it (the proxy would read the key in clear), https to a remote host through a
//! CONNECT tunnel the proxy cannot read.

use std::io::Read as _;
use std::net::TcpListener;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rstest::rstest;

use crate::http_server::{Reply, TestServer};
use crate::{KEY, LOGS, LOGS_TARGET, hookscope, ids};

/// A proxy that forwards nothing: it records every byte sent to it, then hangs up.
struct RecordingProxy {
    url: String,
    received: Arc<Mutex<Vec<u8>>>,
}

impl RecordingProxy {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the recording proxy");
        let url = format!("http://{}", listener.local_addr().expect("its address"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::clone(&received);
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { return };
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
                    let mut buffer = [0; 4096];
                    while let Ok(n @ 1..) = stream.read(&mut buffer) {
                        shared.lock().unwrap_or_else(PoisonError::into_inner).extend_from_slice(&buffer[..n]);
                    }
                });
            }
        });
        Self { url, received }
    }

    fn received(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

/// A loopback base URL over plain http, with each proxy variable curl and reqwest read: the
/// request goes to the server itself, and the proxy hears nothing.
#[rstest]
#[case::http_proxy_on_an_address("http_proxy", "127.0.0.1")]
#[case::upper_http_proxy_on_an_address("HTTP_PROXY", "127.0.0.1")]
#[case::all_proxy_on_an_address("ALL_PROXY", "127.0.0.1")]
#[case::lower_all_proxy_on_an_address("all_proxy", "127.0.0.1")]
#[case::http_proxy_on_localhost("http_proxy", "localhost")]
#[case::all_proxy_on_localhost("ALL_PROXY", "localhost")]
#[tokio::test]
async fn a_loopback_base_url_never_goes_through_a_proxy(#[case] variable: &str, #[case] host: &str) {
    let server = TestServer::start(vec![Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET)]).await;
    let proxy = RecordingProxy::start();
    let base = format!("http://{host}:{}", server.addr.port());
    let run = hookscope(["101", "--base-url", &base, "--print", "json", "--timeout", "5"])
        .env("BURKI_API_KEY", KEY)
        .env(variable, &proxy.url)
        .run_async()
        .await;
    assert_eq!(ids(run.quiet_success()), [1, 2, 3, 4, 5]);
    assert_eq!(proxy.received(), "", "the proxy was sent a request: {run:?}");
    assert_eq!(server.requests().len(), 1);
}

/// https on loopback does not go through `HTTPS_PROXY` either (the test server speaks plain
/// http, so the handshake fails, but on the server, not the proxy).
#[tokio::test]
async fn a_loopback_https_base_url_never_goes_through_a_proxy() {
    let server = TestServer::start(vec![]).await;
    let proxy = RecordingProxy::start();
    let base = format!("https://127.0.0.1:{}", server.addr.port());
    let run = hookscope(["101", "--base-url", &base, "--print", "json", "--timeout", "5"])
        .env("BURKI_API_KEY", KEY)
        .env("HTTPS_PROXY", &proxy.url)
        .env("ALL_PROXY", &proxy.url)
        .run_async()
        .await;
    assert_eq!(run.code, Some(9), "{run:?}");
    assert_eq!(proxy.received(), "", "the proxy was sent a request: {run:?}");
}

/// `--allow-http` to another host trusts the network to that host, not a proxy in between: the
/// request goes straight there (here a name that never resolves), never to the proxy in clear.
#[rstest]
#[case::http_proxy("http_proxy")]
#[case::upper_http_proxy("HTTP_PROXY")]
#[case::all_proxy("ALL_PROXY")]
#[tokio::test]
async fn plain_http_to_another_host_never_reaches_a_proxy(#[case] variable: &str) {
    let proxy = RecordingProxy::start();
    let run = hookscope(["101", "--base-url", "http://burki.proxy-test.invalid", "--allow-http", "--print", "json"])
        .env("BURKI_API_KEY", KEY)
        .env(variable, &proxy.url)
        .run_async()
        .await;
    assert_eq!(run.code, Some(9), "{run:?}");
    assert!(run.stderr.contains("burki.proxy-test.invalid"), "{run:?}");
    let received = proxy.received();
    assert!(!received.contains(&KEY[..12]), "the proxy got the key: {received:?}");
    assert_eq!(received, "", "the proxy was sent a request: {run:?}");
}

/// https to a remote host still goes through the proxy the environment names, as a CONNECT
/// tunnel: the proxy learns the host, never the key.
#[rstest]
#[case::https_proxy("HTTPS_PROXY")]
#[case::lower_https_proxy("https_proxy")]
#[case::all_proxy("ALL_PROXY")]
#[tokio::test]
async fn https_to_another_host_goes_through_the_proxy_as_a_tunnel(#[case] variable: &str) {
    let proxy = RecordingProxy::start();
    let run = hookscope(["101", "--base-url", "https://burki.proxy-test.invalid", "--print", "json"])
        .env("BURKI_API_KEY", KEY)
        .env(variable, &proxy.url)
        .run_async()
        .await;
    assert_eq!(run.code, Some(9), "{run:?}");
    let received = proxy.received();
    assert!(received.starts_with("CONNECT burki.proxy-test.invalid:443 HTTP/1.1\r\n"), "{received:?}");
    assert!(!received.contains(&KEY[..12]), "the proxy got the key: {received:?}");
}
