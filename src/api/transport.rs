//! One GET against Burki: headers, timeouts, retries, redirects and a capped body read. Everything
//! reqwest can fail with becomes an [`ApiError`] here, so the rest of the client sees only typed
//! causes.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::time::Duration;

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER};
use reqwest::{Response, StatusCode, redirect};
use url::Url;

use super::error::{ApiError, server_text};
use super::retry::{self, RETRY_BUDGET, RetryHook, RetryWait};
use super::status::{StatusContext, status_error};
use super::{ApiConfig, ApiKey, KeySource};
use crate::key_scrub::KeyScrub;

/// Redirects followed within the base URL's origin (old paths, a trailing slash).
const MAX_REDIRECTS: usize = 5;
/// An error body is read only for its message; a proxy's page is rarely longer than this.
const ERROR_BODY_CAP: usize = 64 * 1024;
/// The first backoff; each retry doubles it.
pub const DEFAULT_BACKOFF: Duration = Duration::from_millis(250);

#[derive(Clone)]
pub(super) struct Transport {
    http: reqwest::Client,
    /// Kept only to scrub a server that echoes the key back in an error page.
    key: ApiKey,
    key_source: KeySource,
    /// `host:port` of the base URL, for network errors.
    origin: String,
    host: String,
    timeout: Duration,
    connect_timeout: Duration,
    pub(super) max_retries: u32,
    pub(super) backoff: Duration,
    max_body: usize,
    /// Told of each wait before a retry, for the user to see it.
    pub(super) retry_hook: Option<RetryHook>,
}

impl Transport {
    pub(super) fn new(config: &ApiConfig, key: ApiKey, key_source: KeySource, base: &Url) -> Result<Self, ApiError> {
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", key.expose()))
            .map_err(|_| ApiError::KeyNotSendable { key_source: key_source.clone() })?;
        // Keeps the value out of reqwest's and http's Debug output.
        auth.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, auth);
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!("hookscope/", env!("CARGO_PKG_VERSION")))
            .default_headers(headers)
            .gzip(true)
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .redirect(redirect::Policy::custom(judge_attempt));
        // Where the request really goes: a proxy from `http_proxy`, `HTTP_PROXY` or `ALL_PROXY`
        // would get a plain-http request whole, `Authorization` included. So plain http always
        // goes straight to its host (loopback, or one `--allow-http` trusts), and so does any
        // loopback base URL, as curl treats localhost. https through a proxy is a CONNECT tunnel
        // the proxy cannot read, and stays as the environment says.
        if base.scheme() == "http" || base.host().is_some_and(|host| super::is_loopback(&host)) {
            builder = builder.no_proxy();
        }
        if base.scheme() == "http" {
            // No TLS can happen (a redirect to https is another scheme, refused), so the
            // system's root certificates are not loaded: that takes ~4 ms, a third of a
            // 20,000-log call's download from a local server.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder.build().map_err(|err| ApiError::BadBaseUrl {
            url: server_text(base.as_str()),
            reason: format!("the HTTP client could not start: {}", chain_text(&err)),
        })?;
        let host = base.host_str().unwrap_or_default().to_owned();
        let origin = format!("{host}:{}", base.port_or_known_default().unwrap_or(443));
        Ok(Self {
            http,
            key,
            key_source,
            origin: server_text(&origin),
            host: server_text(&host),
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_retries: config.max_retries,
            backoff: DEFAULT_BACKOFF,
            max_body: config.max_body_bytes,
            retry_hook: None,
        })
    }

    /// GETs `url` and returns the body of a 2xx. 429, 502, 503 and 504 are retried (a GET is
    /// safe to repeat); any other status is an error at once.
    pub(super) async fn get(&self, url: &Url, route: &'static str) -> Result<String, ApiError> {
        let response = self.send(url, route).await?;
        let mut body = Vec::with_capacity(self.declared_length(&response)?.unwrap_or(0));
        self.read_body(response, |chunk| body.extend_from_slice(chunk)).await?;
        body.shrink_to_fit();
        // Burki writes UTF-8 JSON; bad bytes can only come from something in between. Replacing
        // them keeps every other log readable, as the lenient decoder does for bad fields; the
        // copy is made only in that broken case.
        Ok(lossy_utf8(body))
    }

    /// GETs `url` until a 2xx, whose body is left to be read; retries as [`Transport::get`],
    /// waiting as `Retry-After` asks (or backing off) within [`RETRY_BUDGET`] in all, and telling
    /// the retry hook of each wait. `--timeout` bounds each attempt, not the waits between them.
    pub(super) async fn send(&self, url: &Url, route: &'static str) -> Result<Response, ApiError> {
        let mut attempts = 0;
        let mut waited = Duration::ZERO;
        loop {
            attempts += 1;
            let response = self.http.get(url.clone()).send().await.map_err(|err| self.network_error(&err))?;
            let status = response.status();
            if status.is_success() {
                return Ok(response);
            }
            let retry_after = retry_after(response.headers());
            if is_retryable(status) && attempts <= self.max_retries {
                let asked = retry_after.unwrap_or_else(|| self.backoff_for(attempts));
                if let Some(wait) = retry::next_wait(asked, waited) {
                    drop(response);
                    if let Some(hook) = &self.retry_hook {
                        let most = self.max_retries + 1;
                        hook(RetryWait { status: status.as_u16(), wait, next_attempt: attempts + 1, attempts: most });
                    }
                    tokio::time::sleep(wait).await;
                    waited += wait;
                    continue;
                }
            }
            let content_type =
                response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
            let body = read_prefix(response, ERROR_BODY_CAP).await;
            let context = StatusContext {
                route,
                key: &self.key,
                key_source: &self.key_source,
                attempts,
                retry_after,
                content_type: &content_type,
            };
            return Err(status_error(status, &body, &context));
        }
    }

    /// `text` with any run of the key longer than its hint (cut, re-cased or escaped) shown as the
    /// hint: for server text quoted in an error, which a server may have echoed the request into.
    pub(super) fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        // Built for the rare error that quotes the server, not kept for every request.
        match KeyScrub::new(&self.key) {
            Some(key_scrub) => key_scrub.scrub(text),
            None => Cow::Borrowed(text),
        }
    }

    fn backoff_for(&self, attempt: u32) -> Duration {
        self.backoff.saturating_mul(1 << (attempt - 1).min(16)).min(RETRY_BUDGET)
    }

    /// The body's length as `Content-Length` declares it, refused at once past the cap: the
    /// caller may reserve this much memory, so a lying header must not get there.
    pub(super) fn declared_length(&self, response: &Response) -> Result<Option<usize>, ApiError> {
        let declared = response.content_length();
        match declared.map(usize::try_from) {
            None => Ok(None),
            Some(Ok(n)) if n <= self.max_body => Ok(Some(n)),
            Some(_) => Err(ApiError::BodyTooLarge { limit: self.max_body, declared }),
        }
    }

    /// Hands the body to `sink` piece by piece as it arrives, refusing it as soon as it is known
    /// to pass the cap (at once when `Content-Length` says so).
    pub(super) async fn read_body(&self, mut response: Response, mut sink: impl FnMut(&[u8])) -> Result<(), ApiError> {
        self.declared_length(&response)?;
        let mut received = 0;
        while let Some(chunk) = self.next_chunk(&mut response, &mut received).await? {
            sink(chunk.as_ref());
        }
        Ok(())
    }

    /// The next piece of the body, `received` bytes of it having come before; an error as soon
    /// as the body passes the cap.
    pub(super) async fn next_chunk(
        &self,
        response: &mut Response,
        received: &mut usize,
    ) -> Result<Option<impl AsRef<[u8]> + Send + 'static>, ApiError> {
        let limit = self.max_body;
        let Some(chunk) = response.chunk().await.map_err(|err| self.network_error(&err))? else {
            return Ok(None);
        };
        if chunk.len() > limit - *received {
            return Err(ApiError::BodyTooLarge { limit, declared: None });
        }
        *received += chunk.len();
        Ok(Some(chunk))
    }

    fn network_error(&self, err: &reqwest::Error) -> ApiError {
        let mut source: Option<&(dyn StdError + 'static)> = Some(err);
        while let Some(cause) = source {
            if let Some(blocked) = cause.downcast_ref::<RedirectBlocked>() {
                return blocked.0.clone();
            }
            source = cause.source();
        }
        if err.is_timeout() {
            let connecting = err.is_connect();
            let after = if connecting { self.connect_timeout } else { self.timeout };
            return ApiError::Timeout { after, connecting };
        }
        if err.is_dns() {
            return ApiError::Dns { host: self.host.clone() };
        }
        if io_kinds(err).any(|kind| kind == std::io::ErrorKind::ConnectionRefused) {
            return ApiError::ConnectionRefused { addr: self.origin.clone() };
        }
        ApiError::Network { addr: self.origin.clone(), detail: server_text(&chain_text(err)) }
    }
}

/// The text, with any bytes that are not UTF-8 replaced (copied only in that case).
fn lossy_utf8(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

fn is_retryable(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 502 | 503 | 504)
}

/// `Retry-After` as seconds or as an HTTP date; anything else is ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = jiff::fmt::rfc2822::parse(value).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// The start of an error body, for its message. A read that fails part-way keeps what came.
async fn read_prefix(mut response: Response, cap: usize) -> String {
    let mut body = Vec::new();
    while body.len() < cap {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk[..chunk.len().min(cap - body.len())]),
            Ok(None) | Err(_) => break,
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

fn io_kinds<'a>(err: &'a (dyn StdError + 'static)) -> impl Iterator<Item = std::io::ErrorKind> + 'a {
    std::iter::successors(Some(err), |e| (*e).source())
        .filter_map(|e| e.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind)
}

/// The causes under reqwest's own message (which only repeats the URL), joined, each once.
fn chain_text(err: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in std::iter::successors(err.source(), |e| (*e).source()) {
        let text = cause.to_string();
        if !parts.iter().any(|part| part.contains(&text)) {
            parts.push(text);
        }
    }
    if parts.is_empty() { err.to_string() } else { parts.join(": ") }
}

/// Carries a refused redirect out through reqwest's error, to be turned back into the
/// [`ApiError`] it holds.
#[derive(Debug)]
struct RedirectBlocked(ApiError);

impl fmt::Display for RedirectBlocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for RedirectBlocked {}

fn judge_attempt(attempt: redirect::Attempt<'_>) -> redirect::Action {
    let verdict = match attempt.previous().first() {
        Some(origin) => judge_redirect(origin, attempt.url(), attempt.previous().len()),
        None => Ok(()),
    };
    match verdict {
        Ok(()) => attempt.follow(),
        Err(err) => attempt.error(RedirectBlocked(err)),
    }
}

/// Follows only within the origin of the first request: same scheme, host and port. That rules
/// out a downgrade to http and keeps the key on its host. reqwest would strip `Authorization`
/// on any other hop anyway, so following it would only turn into a puzzling 401.
pub(super) fn judge_redirect(origin: &Url, next: &Url, redirects: usize) -> Result<(), ApiError> {
    let target = || {
        let port = next.port().map(|p| format!(":{p}")).unwrap_or_default();
        server_text(&format!("{}://{}{port}", next.scheme(), next.host_str().unwrap_or("?")))
    };
    let reason = if origin.scheme() == "https" && next.scheme() != "https" {
        Some("a downgrade from https")
    } else if origin.host_str() != next.host_str() {
        Some("another host")
    } else if origin.scheme() != next.scheme() || origin.port_or_known_default() != next.port_or_known_default() {
        Some("another port or scheme")
    } else {
        None
    };
    if let Some(reason) = reason {
        return Err(ApiError::RedirectRefused { target: target(), reason });
    }
    if redirects > MAX_REDIRECTS {
        return Err(ApiError::TooManyRedirects { target: target() });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> Url {
        Url::parse(text).unwrap()
    }

    #[test]
    fn redirects_stay_within_the_origin() {
        let origin = url("https://api.burki.dev/api/v1/calls/1/webhook-logs");
        assert_eq!(judge_redirect(&origin, &url("https://api.burki.dev/v2/x"), 1), Ok(()));
        assert_eq!(
            judge_redirect(&origin, &url("http://api.burki.dev/x"), 1),
            Err(ApiError::RedirectRefused { target: "http://api.burki.dev".into(), reason: "a downgrade from https" })
        );
        assert_eq!(
            judge_redirect(&origin, &url("https://evil.example:8443/x"), 1),
            Err(ApiError::RedirectRefused { target: "https://evil.example:8443".into(), reason: "another host" })
        );
        assert_eq!(
            judge_redirect(&origin, &url("https://api.burki.dev:8443/x"), 1),
            Err(ApiError::RedirectRefused {
                target: "https://api.burki.dev:8443".into(),
                reason: "another port or scheme"
            })
        );
        assert_eq!(
            judge_redirect(&origin, &url("https://api.burki.dev/x"), MAX_REDIRECTS + 1),
            Err(ApiError::TooManyRedirects { target: "https://api.burki.dev".into() })
        );
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers), None);
    }
}
