//! The Burki API client: one reqwest client for the session, the three routes hookscope reads,
//! and typed errors ([`ApiError`]) for everything that can go wrong on the way.

mod config;
mod error;
mod retry;
mod status;
mod transport;

use std::fmt;
use std::net::IpAddr;
use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use url::{Host, Url};

pub use config::{ApiConfig, ApiKey, CallRef, DEFAULT_BASE_URL, DEFAULT_MAX_BODY, KeySource};
use error::server_text;
pub use error::{ApiError, MAX_DETAIL_CHARS, limit_text};
pub use retry::{RETRY_BUDGET, RetryHook, RetryWait};
use transport::Transport;

use crate::calls_query::CallQuery;
use crate::model::{CallInfo, CallPage, DecodeError, LogSet, LogSink, LogStream};

/// Everything but RFC 3986's unreserved characters is encoded, so a SID or a webhook type is
/// always exactly one path segment or one query value, whatever the server's router decodes.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

const LOGS_ROUTE: &str = "webhook-logs";
/// Pieces of a body received and not yet decoded, at most: enough to ride out a slow decode
/// without holding much of a big body.
const DECODE_QUEUE_CHUNKS: usize = 4;
/// How much of a body that gave no log is kept to tell what it is (an HTML page?) and quote it.
const UNREAD_QUOTED: usize = 64 * 1024;
/// How errors about the logs' body name it.
const LOGS_WHAT: &str = "for the webhook logs";
const CALL_ROUTE: &str = "call-details";
const SID_ROUTE: &str = "call-by-SID";
const LIST_ROUTE: &str = "call-list";

/// A call's logs and, when it could be read, the call itself.
#[derive(Debug, Clone)]
pub struct FetchedCall {
    pub call_id: i64,
    pub call: Option<CallInfo>,
    /// Why the call details are missing: the logs are still worth showing without them.
    pub call_error: Option<ApiError>,
    pub logs: LogSet,
}

/// What [`ApiClient::stream_call`] found beside the logs it handed to its sink.
#[derive(Debug, Clone)]
pub struct StreamedCall {
    pub call_id: i64,
    pub call: Option<CallInfo>,
    /// Why the call details are missing: the logs are still worth showing without them.
    pub call_error: Option<ApiError>,
    /// What was wrong with the logs' body as a whole (see [`LogStream::finish`]).
    pub body_problems: Vec<String>,
}

/// Cheap to clone: clones share one connection pool, so a spawned fetch can own one.
#[derive(Clone)]
pub struct ApiClient {
    /// Without a trailing `/`.
    base: String,
    transport: Transport,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient").field("base", &self.base).finish_non_exhaustive()
    }
}

impl ApiClient {
    /// # Errors
    /// [`ApiError::NoKey`], [`ApiError::KeyNotSendable`], [`ApiError::BadBaseUrl`], or
    /// [`ApiError::InsecureHttp`] for plain http to a host that is not loopback without
    /// `allow_http`. No request is sent in any of these cases.
    pub fn new(mut config: ApiConfig) -> Result<Self, ApiError> {
        let Some((key, key_source)) = config.api_key.take() else {
            return Err(ApiError::NoKey { config_path: None });
        };
        let base = check_base_url(&config.base_url, config.allow_http)?;
        let transport = Transport::new(&config, key, key_source, &base)?;
        Ok(Self { base: base.as_str().trim_end_matches('/').to_owned(), transport })
    }

    /// The first wait before a retry, doubled for each one after (250 ms by default). A
    /// `Retry-After` from the server takes precedence.
    #[must_use]
    pub fn with_retry_backoff(mut self, first: Duration) -> Self {
        self.transport.backoff = first;
        self
    }

    /// This client, trying each request once: a 429 or 5xx fails at once (a poll, whose retry
    /// is the next poll).
    #[must_use]
    pub fn without_retries(mut self) -> Self {
        self.transport.max_retries = 0;
        self
    }

    /// This client, telling `hook` of each wait before a retry (for a loading screen, or
    /// stderr), or no one.
    #[must_use]
    pub fn with_retry_hook(mut self, hook: Option<RetryHook>) -> Self {
        self.transport.retry_hook = hook;
        self
    }

    /// The internal id for a call reference. A SID costs one request, whose answer is the call
    /// itself, so it is returned to save fetching it again.
    ///
    /// # Errors
    /// Any [`ApiError`] from the lookup; [`ApiError::BadCall`] when the call has no integer id.
    pub async fn resolve_call_id(&self, call: &CallRef) -> Result<(i64, Option<CallInfo>), ApiError> {
        let sid = match call {
            CallRef::Id(id) => return Ok((*id, None)),
            CallRef::Sid(sid) => sid,
        };
        if let Some(reason) = unsendable_sid(sid) {
            return Err(ApiError::UnsendableCallId { call: format!("\"{}\"", crate::sanitize::quoted(sid)), reason });
        }
        let url = self.url(&format!("/api/v1/calls/sid/{}", utf8_percent_encode(sid, COMPONENT)))?;
        let info = self.parse_call(&self.transport.get(&url, SID_ROUTE).await?)?;
        let id = info.id.ok_or_else(|| ApiError::BadCall { detail: "the call has no integer id".to_owned() })?;
        Ok((id, Some(info)))
    }

    /// Every webhook delivery of the call, optionally only those of one type.
    ///
    /// # Errors
    /// Any [`ApiError`]; a 200 that is not a JSON array is [`ApiError::NotJson`] or
    /// [`ApiError::NotAnArray`].
    pub async fn webhook_logs(&self, call_id: i64, webhook_type: Option<&str>) -> Result<LogSet, ApiError> {
        let (mut set, body_problems) = self.stream_webhook_logs(call_id, webhook_type, LogSet::default()).await;
        set.body_problems = body_problems?;
        Ok(set)
    }

    /// [`ApiClient::webhook_logs`], handing each log to `sink` as soon as its entry has arrived,
    /// with the download's progress; gives the sink back, with what was wrong with the body as a
    /// whole that cost no complete log (see [`LogStream::finish`]) or the error. When the
    /// connection fails part-way, the sink keeps every log that was complete before it did.
    ///
    /// The body is decoded on a thread of its own while this one receives the rest: the two take
    /// about as long, so side by side a big call takes half the time.
    pub async fn stream_webhook_logs<S: LogSink + Send + 'static>(
        &self,
        call_id: i64,
        webhook_type: Option<&str>,
        sink: S,
    ) -> (S, Result<Vec<String>, ApiError>) {
        let mut path = format!("/api/v1/calls/{call_id}/webhook-logs");
        if let Some(webhook_type) = webhook_type {
            path.push_str("?webhook_type=");
            path.extend(utf8_percent_encode(webhook_type, COMPONENT));
        }
        let response = match self.url(&path) {
            Ok(url) => self.transport.send(&url, LOGS_ROUTE).await,
            Err(err) => Err(err),
        };
        let (mut response, declared) =
            match response.and_then(|response| Ok((self.transport.declared_length(&response)?, response))) {
                Ok((declared, response)) => (response, declared),
                Err(err) => return (sink, Err(err)),
            };
        let (chunks, mut arriving) = tokio::sync::mpsc::channel(DECODE_QUEUE_CHUNKS);
        let decoder = tokio::task::spawn_blocking(move || {
            let (mut sink, mut stream, mut received) = (sink, LogStream::default(), 0);
            while let Some(chunk) = arriving.blocking_recv() {
                let chunk: &[u8] = AsRef::as_ref(&chunk);
                stream.push(chunk, &mut sink);
                received += chunk.len();
                sink.progress(received, declared);
            }
            // Only its start, to tell a page and quote it: a copy of a whole refused body would
            // double the memory it took.
            let unread = stream.unread_body().map(|body| {
                let end = (0..=UNREAD_QUOTED.min(body.len())).rev().find(|&at| body.is_char_boundary(at));
                body[..end.unwrap_or(0)].to_owned()
            });
            let ended_early = stream.ended_early();
            (sink, unread, ended_early, stream.finish())
        });
        let mut received = 0;
        let read = loop {
            match self.transport.next_chunk(&mut response, &mut received).await {
                Ok(Some(chunk)) => {
                    if chunks.send(chunk).await.is_err() {
                        break Ok(());
                    }
                }
                Ok(None) => break Ok(()),
                // The body had begun: the connection ending now cuts it, it is not a wrong URL.
                Err(ApiError::Network { detail, .. }) => {
                    // hyper's words for a body shorter than its `Content-Length`.
                    let detail = if detail.contains("end of file before message length reached") {
                        "the connection closed early".to_owned()
                    } else {
                        detail
                    };
                    break Err(ApiError::CutOff { received, expected: declared, detail });
                }
                Err(err) => break Err(err),
            }
        };
        drop(chunks);
        let (sink, unread, ended_early, finished) = match decoder.await {
            Ok(finished) => finished,
            Err(join) => std::panic::resume_unwind(join.into_panic()),
        };
        let result = read.and_then(|()| {
            if let Some(body) = unread {
                self.refuse_markup(&body, LOGS_WHAT)?;
            }
            // Without `Content-Length` a body ends when the connection does: an array that stops
            // part-way was cut there. (A body as long as it said is whole, if broken: its
            // problems are the body's.)
            if ended_early && declared.is_none() {
                let detail = "the body ends before its array does".to_owned();
                return Err(ApiError::CutOff { received, expected: declared, detail });
            }
            finished.map_err(|err| self.decode_error(err))
        });
        (sink, result)
    }

    fn decode_error(&self, err: DecodeError) -> ApiError {
        match err {
            DecodeError::Empty => ApiError::NotJson { what: LOGS_WHAT, got: "an empty body".to_owned() },
            // It quotes the start of the body, which may echo the key back.
            DecodeError::NotJson(got) => {
                ApiError::NotJson { what: LOGS_WHAT, got: server_text(&self.transport.scrub(&got)) }
            }
            DecodeError::NotAnArray(got) => ApiError::NotAnArray { got },
        }
    }

    /// # Errors
    /// Any [`ApiError`]; [`ApiError::BadCall`] when the body is not a JSON object.
    pub async fn call_details(&self, call_id: i64) -> Result<CallInfo, ApiError> {
        let url = self.url(&format!("/api/v1/calls/{call_id}"))?;
        self.parse_call(&self.transport.get(&url, CALL_ROUTE).await?)
    }

    /// The logs and the call, fetched side by side. Only the logs are essential: when the call
    /// details fail alone, the reason is kept in [`FetchedCall::call_error`].
    ///
    /// # Errors
    /// A failed SID lookup or a failed logs request.
    pub async fn fetch_call(&self, call: &CallRef, webhook_type: Option<&str>) -> Result<FetchedCall, ApiError> {
        let (mut logs, streamed) = self.stream_call(call, webhook_type, true, LogSet::default()).await;
        let streamed = streamed?;
        logs.body_problems = streamed.body_problems;
        Ok(FetchedCall { call_id: streamed.call_id, call: streamed.call, call_error: streamed.call_error, logs })
    }

    /// [`ApiClient::fetch_call`], handing each log to `sink` as it arrives (see
    /// [`ApiClient::stream_webhook_logs`]); the call's details only `with_details`, unless a SID
    /// lookup brought them anyway.
    ///
    /// # Errors
    /// A failed SID lookup or a failed logs request; the sink keeps the logs that came before a
    /// failure part-way through the body.
    pub async fn stream_call<S: LogSink + Send + 'static>(
        &self,
        call: &CallRef,
        webhook_type: Option<&str>,
        with_details: bool,
        sink: S,
    ) -> (S, Result<StreamedCall, ApiError>) {
        let (call_id, known) = match self.resolve_call_id(call).await {
            Ok(resolved) => resolved,
            Err(err) => return (sink, Err(err)),
        };
        let hook = sink.call_hook();
        let logs = self.stream_webhook_logs(call_id, webhook_type, sink);
        // The details are optional: their retries are not the user's wait, so nobody is told.
        let quiet = self.clone().with_retry_hook(None);
        let ((sink, logs), details) = if with_details && known.is_none() {
            let details = async {
                let details = quiet.call_details(call_id).await;
                if let (Ok(info), Some(hook)) = (&details, hook) {
                    hook(info);
                }
                details
            };
            let (logs, details) = tokio::join!(logs, details);
            (logs, Some(details))
        } else {
            if let (Some(info), Some(hook)) = (&known, hook) {
                hook(info);
            }
            (logs.await, None)
        };
        let (call, call_error) = match details {
            Some(Ok(info)) => (Some(info), None),
            Some(Err(err)) => (None, Some(err)),
            None => (known, None),
        };
        let streamed = logs.map(|body_problems| StreamedCall { call_id, call, call_error, body_problems });
        (sink, streamed)
    }

    /// One page of the organisation's calls, newest first: `limit` (1–1000) of those matching
    /// `query` after the first `skip`. The route is asked for with its trailing slash (without
    /// it the server answers 307, a hop a proxy may take `Authorization` off). Filters the
    /// server was not sent ([`CallQuery::matches`]) are applied to the page here, so a page may
    /// hold fewer calls than it received ([`CallPage::received`] says how many came).
    ///
    /// # Errors
    /// Any [`ApiError`] of a request; a 404 or 405 is [`ApiError::NoCallList`], a 422
    /// [`ApiError::BadCallQuery`], a 200 that is no list of calls [`ApiError::BadCallList`].
    pub async fn list_calls(&self, query: &CallQuery, skip: usize, limit: usize) -> Result<CallPage, ApiError> {
        let mut url = self.url("/api/v1/calls/")?;
        url.query_pairs_mut().extend_pairs(query.params(skip, limit));
        let text = self.transport.get(&url, LIST_ROUTE).await.map_err(|err| match err {
            ApiError::RouteMissing { .. } | ApiError::CallNotFound { .. } => ApiError::NoCallList { status: 404 },
            ApiError::UnexpectedStatus { status: 405, .. } => ApiError::NoCallList { status: 405 },
            ApiError::InvalidCallId { detail } => ApiError::BadCallQuery { detail },
            other => other,
        })?;
        self.refuse_markup(&text, "for the call list")?;
        let mut page = CallPage::from_json(&text)
            .map_err(|got| ApiError::BadCallList { got: server_text(&self.transport.scrub(&got)) })?;
        page.calls.retain(|call| query.matches(call));
        Ok(page)
    }

    fn url(&self, path: &str) -> Result<Url, ApiError> {
        let text = format!("{}{path}", self.base);
        Url::parse(&text).map_err(|err| ApiError::BadBaseUrl { url: server_text(&self.base), reason: err.to_string() })
    }

    /// A wrong base URL often answers 200 with a web page; its title says more than a JSON parse
    /// error would, and the decoder would consume the text before it could be read. The page may
    /// echo the request back, key included, so the key is scrubbed from it first.
    fn refuse_markup(&self, text: &str, what: &'static str) -> Result<(), ApiError> {
        if text.trim_start().starts_with('<') {
            return Err(ApiError::NotJson {
                what,
                got: status::describe_body("", &self.transport.scrub(text), "page"),
            });
        }
        Ok(())
    }

    fn parse_call(&self, text: &str) -> Result<CallInfo, ApiError> {
        self.refuse_markup(text, "for the call")?;
        CallInfo::from_json(text).map_err(|detail| ApiError::BadCall { detail: server_text(&detail) })
    }
}

/// Why a SID cannot be sent as one path segment, checked before any request so that no message
/// blames the server for what was never sent.
fn unsendable_sid(sid: &str) -> Option<&'static str> {
    if sid == "." || sid == ".." {
        // URL parsers resolve `.` and `..` segments, encoded or not.
        Some("a path segment that means the directory itself or its parent")
    } else if sid.chars().any(char::is_control) {
        // Encodable, but no SID holds one: a paste that went wrong.
        Some("it holds a control character")
    } else if sid.len() > MAX_SID_BYTES {
        Some("it is too long for a URL")
    } else {
        None
    }
}

/// Real SIDs are under 100 characters; servers refuse URLs of a few KB.
const MAX_SID_BYTES: usize = 1024;

fn check_base_url(text: &str, allow_http: bool) -> Result<Url, ApiError> {
    let trimmed = text.trim().trim_end_matches('/');
    let bad = |reason: &str| ApiError::BadBaseUrl { url: server_text(trimmed), reason: reason.to_owned() };
    let url = Url::parse(trimmed).map_err(|err| match err {
        url::ParseError::RelativeUrlWithoutBase => bad("it needs a scheme, like https://"),
        other => bad(&other.to_string()),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(bad("the scheme must be https:// (or http://)"));
    }
    let Some(host) = url.host() else {
        return Err(bad("it has no host"));
    };
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it must not have a query or a fragment"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(bad("it must not hold a user name or password (the API key is sent as a bearer token)"));
    }
    if url.scheme() == "http" && !allow_http && !is_loopback(&host) {
        return Err(ApiError::InsecureHttp { host: server_text(&host.to_string()) });
    }
    Ok(url)
}

/// Plain http is acceptable only where the bytes never leave the machine.
fn is_loopback(host: &Host<&str>) -> bool {
    match host {
        Host::Domain(name) => name.eq_ignore_ascii_case("localhost"),
        Host::Ipv4(ip) => IpAddr::V4(*ip).is_loopback(),
        Host::Ipv6(ip) => IpAddr::V6(*ip).is_loopback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::hosted("https://api.burki.dev/", false, Ok("https://api.burki.dev/"))]
    #[case::prefix("https://example.com/burki//", false, Ok("https://example.com/burki"))]
    #[case::localhost("http://LOCALHOST:8000", false, Ok("http://localhost:8000/"))]
    #[case::loopback_v4("http://127.9.9.9:1", false, Ok("http://127.9.9.9:1/"))]
    #[case::loopback_v6("http://[::1]:8000", false, Ok("http://[::1]:8000/"))]
    #[case::allowed("http://10.0.0.5", true, Ok("http://10.0.0.5/"))]
    #[case::remote_http(
        "http://10.0.0.5:8000",
        false,
        Err("refusing to send the API key over plain http:// to 10.0.0.5")
    )]
    #[case::lookalike(
        "http://localhost.evil.example",
        false,
        Err("refusing to send the API key over plain http:// to localhost.evil.example")
    )]
    #[case::no_scheme("api.burki.dev", false, Err("invalid base URL \"api.burki.dev\": it needs a scheme"))]
    #[case::ftp("ftp://api.burki.dev", false, Err("invalid base URL \"ftp://api.burki.dev\": the scheme must be"))]
    #[case::query("https://api.burki.dev/?x=1", false, Err("must not have a query"))]
    #[case::userinfo("https://me:pw@api.burki.dev", false, Err("must not hold a user name or password"))]
    fn base_urls(#[case] text: &str, #[case] allow_http: bool, #[case] expected: Result<&str, &str>) {
        match (check_base_url(text, allow_http), expected) {
            (Ok(url), Ok(expected)) => assert_eq!(url.as_str(), expected),
            (Err(err), Err(expected)) => {
                assert!(err.to_string().contains(expected), "{err}");
                assert_eq!(err.exit_code(), 3);
            }
            (got, expected) => panic!("{text}: got {got:?}, expected {expected:?}"),
        }
    }

    #[test]
    fn components_encode_everything_but_unreserved() {
        let encoded = utf8_percent_encode("v3:a/b?c#d%e f-g.h_i~j✓", COMPONENT).to_string();
        assert_eq!(encoded, "v3%3Aa%2Fb%3Fc%23d%25e%20f-g.h_i~j%E2%9C%93");
    }
}
