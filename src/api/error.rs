//! Why a request to Burki failed, as one line a support engineer can act on, and the exit code
//! scripts can branch on.
//!
//! Server text (a `detail`, a plain-text or HTML error page, a redirect target) reaches these
//! messages only through [`server_text`], which cuts it and passes it through
//! [`crate::sanitize::line`]: an error line is printed after the terminal is restored, where an
//! escape sequence would still run. The API key never enters an error; a 401 names where the
//! key came from and its [`crate::api::ApiKey::hint`].

use std::path::PathBuf;
use std::time::Duration;

use super::KeySource;

/// How many characters of server text an error line keeps.
pub const MAX_DETAIL_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// `config_path` is the file the CLI would have read the key from, when it knows it.
    #[error(
        "no API key: pass --api-key, set BURKI_API_KEY, or put api_key in {}",
        config_file(.config_path.as_ref())
    )]
    NoKey { config_path: Option<PathBuf> },
    #[error(
        "the API key from {key_source} holds characters an HTTP header cannot carry (a control or non-ASCII \
         character): copy the key again"
    )]
    KeyNotSendable { key_source: KeySource },
    #[error(
        "refusing to send the API key over plain http:// to {host}: use https://, or pass --allow-http if the \
         network to that host is trusted"
    )]
    InsecureHttp { host: String },
    #[error("invalid base URL \"{url}\": {reason}; expected something like https://api.burki.dev")]
    BadBaseUrl { url: String, reason: String },

    #[error(
        "the server rejected the API key {key_hint} from {key_source} (401: {detail}): check it is right and not revoked"
    )]
    Unauthorized { key_source: KeySource, key_hint: String, detail: String },
    #[error("access denied (403: {detail}): the API key lacks permission for this call")]
    Forbidden { detail: String },

    #[error("{detail} (404): check the call id or SID, and that the API key belongs to the call's organization")]
    CallNotFound { detail: String },

    #[error("the server rejected the call id (422: {detail}): pass the numeric call id or the call SID")]
    InvalidCallId { detail: String },
    /// Refused before any request: no URL can carry it as one path segment.
    #[error("{call} cannot be sent as a call id or SID ({reason}): pass the numeric call id or the call SID")]
    UnsendableCallId { call: String, reason: &'static str },

    /// Still rate limited after the retries, or asked to wait longer than hookscope waits.
    #[error("rate limited (429, {attempts} {}): {}", plural(*.attempts, "attempt"), wait_advice(*.retry_after_secs))]
    RateLimited { attempts: u32, retry_after_secs: Option<u64> },

    #[error(
        "the server failed (HTTP {status}: {detail}) after {attempts} {}: try again later; if it persists, report it \
         to Burki",
        plural(*.attempts, "attempt")
    )]
    Server { status: u16, detail: String, attempts: u32 },

    #[error("{}", timeout_line(*.after, *.connecting))]
    Timeout { after: Duration, connecting: bool },
    #[error("connection refused by {addr}: is the server running, and is the base URL right?")]
    ConnectionRefused { addr: String },
    #[error("could not resolve the host {host}: check the base URL and the network")]
    Dns { host: String },
    #[error("{}", network_line(.addr, .detail))]
    Network { addr: String, detail: String },
    /// The body ended before it was whole: the connection closed early, or the array stops
    /// part-way. What came before the cut is good.
    #[error("the response was cut off at byte {received}{}: {detail}", of_expected(*.expected))]
    CutOff { received: usize, expected: Option<usize>, detail: String },

    /// A 404 whose `detail` is the framework's bare "Not Found", or a proxy's page without any
    /// `detail`: the path is unknown, so no call id would help.
    #[error(
        "the server has no {route} route (404 Not Found): is the base URL right, or is it an older/self-hosted Burki?"
    )]
    RouteMissing { route: &'static str },
    #[error("expected JSON {what}, got {got}: is the base URL right?")]
    NotJson { what: &'static str, got: String },
    #[error("expected a JSON array of webhook logs, got {got}: is the base URL right, or is it an older Burki?")]
    NotAnArray { got: &'static str },
    #[error("unreadable call details ({detail}): is the base URL right?")]
    BadCall { detail: String },
    /// `declared` is set when `Content-Length` gave it away before any of the body was read.
    #[error(
        "the response is over the {} body limit{}: is the base URL right? (the limit guards memory; --max-body \
         MIB raises it)",
        limit_text(*.limit),
        declared_note(*.declared)
    )]
    BodyTooLarge { limit: usize, declared: Option<u64> },
    #[error(
        "the server redirected to {target} ({reason}), which was not followed so the API key stays with the base \
         URL's host: if that is the right server, use it as the base URL"
    )]
    RedirectRefused { target: String, reason: &'static str },
    #[error("too many redirects (the last to {target}): is the base URL right?")]
    TooManyRedirects { target: String },
    #[error("unexpected HTTP {status} ({detail}): is the base URL right?")]
    UnexpectedStatus { status: u16, detail: String },

    /// `GET /api/v1/calls/` answered 404 or 405: an older or self-hosted server without it.
    #[error(
        "the server has no call list (HTTP {status} for /api/v1/calls/): is the base URL right? An older or \
         self-hosted Burki may lack it: pass the call's id or SID instead (hookscope 101, hookscope CA…)"
    )]
    NoCallList { status: u16 },
    /// A 422 for the call list: a filter the server would not take.
    #[error(
        "the server rejected the call filters (422: {detail}): check --phone, --status, --assistant, --since, --until"
    )]
    BadCallQuery { detail: String },
    #[error("expected a list of calls, got {got}: is the base URL right, or is it an older Burki?")]
    BadCallList { got: String },
}

impl ApiError {
    /// How long the server asked to wait before asking again (a 429's `Retry-After`).
    #[must_use]
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after_secs: Some(secs), .. } => Some(Duration::from_secs(*secs)),
            _ => None,
        }
    }

    /// The process exit code for this error, so scripts around `hookscope --print` can branch:
    ///
    /// | code | meaning |
    /// |---|---|
    /// | 3 | configuration: no key, a key that cannot be sent, plain http to a remote host, a bad base URL |
    /// | 4 | authentication: 401, 403 |
    /// | 5 | the call was not found (404 with a detail) |
    /// | 6 | the server rejected the call id or the call list's filters (422), or the id cannot be sent at all |
    /// | 7 | rate limited, still after the retries (429) |
    /// | 8 | server error (5xx) |
    /// | 9 | network: timeout, refused, DNS, TLS, a connection that broke, a body cut off |
    /// | 10 | unexpected response: no such route (no call list), not JSON, not an array, too large, a refused redirect, another status |
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::NoKey { .. } | Self::KeyNotSendable { .. } | Self::InsecureHttp { .. } | Self::BadBaseUrl { .. } => 3,
            Self::Unauthorized { .. } | Self::Forbidden { .. } => 4,
            Self::CallNotFound { .. } => 5,
            Self::InvalidCallId { .. } | Self::UnsendableCallId { .. } | Self::BadCallQuery { .. } => 6,
            Self::RateLimited { .. } => 7,
            Self::Server { .. } => 8,
            Self::Timeout { .. }
            | Self::ConnectionRefused { .. }
            | Self::Dns { .. }
            | Self::Network { .. }
            | Self::CutOff { .. } => 9,
            Self::RouteMissing { .. }
            | Self::NotJson { .. }
            | Self::NotAnArray { .. }
            | Self::BadCall { .. }
            | Self::BodyTooLarge { .. }
            | Self::RedirectRefused { .. }
            | Self::TooManyRedirects { .. }
            | Self::UnexpectedStatus { .. }
            | Self::NoCallList { .. }
            | Self::BadCallList { .. } => 10,
        }
    }
}

/// Cuts untrusted text to [`MAX_DETAIL_CHARS`] and makes it safe for one terminal line. Runs of
/// whitespace (an HTML page's indentation, a traceback's newlines) become one space first, so the
/// cut keeps words rather than blanks.
#[must_use]
pub fn server_text(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len().min(MAX_DETAIL_CHARS * 4));
    let mut chars = 0;
    let mut cut = false;
    'words: for word in text.split_whitespace() {
        if chars > 0 {
            if chars == MAX_DETAIL_CHARS {
                cut = true;
                break;
            }
            collapsed.push(' ');
            chars += 1;
        }
        for c in word.chars() {
            if chars == MAX_DETAIL_CHARS {
                cut = true;
                break 'words;
            }
            collapsed.push(c);
            chars += 1;
        }
    }
    if cut {
        collapsed.push('…');
    }
    crate::sanitize::line(&collapsed).into_owned()
}

/// A network failure as a sentence. TLS failures come out of rustls as type names
/// (`invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))`); they are said in words,
/// with what to check.
fn network_line(addr: &str, detail: &str) -> String {
    match tls_problem(detail) {
        Some(problem) => format!("TLS with {addr} failed: {problem}"),
        None => {
            format!("network error talking to {addr} ({detail}): check the network and the base URL, then try again")
        }
    }
}

fn tls_problem(detail: &str) -> Option<String> {
    const CERTIFICATE: [(&str, &str); 9] = [
        ("UnknownIssuer", "is signed by an authority this machine does not trust (self-signed, or a private CA)"),
        ("CaUsedAsEndEntity", "is a certificate authority's, not one for a server (a misconfigured server)"),
        ("xpired", "has expired"),
        ("NotValidYet", "is not valid yet (is this machine's clock right?)"),
        ("not valid yet", "is not valid yet (is this machine's clock right?)"),
        ("NotValidForName", "is not valid for this host name (is the base URL's host right?)"),
        ("not valid for name", "is not valid for this host name (is the base URL's host right?)"),
        ("Revoked", "has been revoked"),
        ("BadSignature", "is badly signed"),
    ];
    if detail.contains("invalid peer certificate") {
        let what = CERTIFICATE
            .iter()
            .find(|(name, _)| detail.contains(name))
            .map_or("was refused (it could not be verified)", |(_, what)| what);
        return Some(format!("the server's certificate {what}: check the base URL, or ask whoever runs that server"));
    }
    if detail.contains("received corrupt message") || detail.contains("InvalidContentType") {
        return Some(
            "the server did not answer in TLS: does the base URL need http:// rather than https://?".to_owned(),
        );
    }
    if detail.contains("HandshakeFailure") || detail.contains("handshake") || detail.contains("PeerIncompatible") {
        return Some(
            "the TLS handshake failed (the server offers no protocol or cipher in common with hookscope): check the \
             base URL"
                .to_owned(),
        );
    }
    None
}

fn config_file(path: Option<&PathBuf>) -> String {
    path.map_or_else(
        || "the config file".to_owned(),
        |path| crate::sanitize::short(&path.display().to_string()).into_owned(),
    )
}

fn plural(n: u32, word: &str) -> String {
    if n == 1 { word.to_owned() } else { format!("{word}s") }
}

fn wait_advice(retry_after: Option<u64>) -> String {
    match retry_after {
        // `Retry-After: 0` on every attempt: the server's hint is no help, so say what is.
        Some(0) => "the server said to retry at once every time; wait a minute and try again".to_owned(),
        Some(secs) => format!("the server asks to wait {secs} s before trying again"),
        None => "wait a minute and try again".to_owned(),
    }
}

fn timeout_line(after: Duration, connecting: bool) -> String {
    if connecting {
        format!("could not connect within {}: check the network and the base URL", duration(after))
    } else {
        format!("no complete response within {}: try again, or allow more time with --timeout", duration(after))
    }
}

/// `300 ms`, `30 s`, `1.5 s`: what a user would type back into `--timeout`.
#[must_use]
pub fn duration(d: Duration) -> String {
    let ms = d.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

/// A byte limit as people read it: `256 MiB`, or `1000-byte`.
#[must_use]
pub fn limit_text(n: usize) -> String {
    const MIB: usize = 1 << 20;
    if n >= MIB && n.is_multiple_of(MIB) { format!("{} MiB", n / MIB) } else { format!("{n}-byte") }
}

fn of_expected(expected: Option<usize>) -> String {
    expected.map(|n| format!(" of {n}")).unwrap_or_default()
}

fn declared_note(declared: Option<u64>) -> String {
    declared.map(|n| format!(" (it declares {n} bytes)")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_text_is_one_cut_safe_line() {
        assert_eq!(server_text("  Internal\n\tServer   Error \n"), "Internal Server Error");
        assert_eq!(server_text("evil\u{1b}[2Jtext"), "evil␛[2Jtext");
        let long = "word ".repeat(100);
        let cut = server_text(&long);
        assert_eq!(cut.chars().count(), MAX_DETAIL_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    /// rustls names its failures by type; each reads as a sentence that says what to check.
    #[rstest::rstest]
    #[case::ca_as_end_entity(
        "client error (Connect): invalid peer certificate: Other(OtherError(CaUsedAsEndEntity))",
        "TLS with h:443 failed: the server's certificate is a certificate authority's, not one for a server"
    )]
    #[case::unknown_issuer(
        "client error (Connect): invalid peer certificate: UnknownIssuer",
        "TLS with h:443 failed: the server's certificate is signed by an authority this machine does not trust"
    )]
    #[case::expired(
        "invalid peer certificate: certificate expired: verification time 2 (UNIX), but certificate is not valid after 1 (1 seconds ago)",
        "TLS with h:443 failed: the server's certificate has expired"
    )]
    #[case::wrong_name(
        "invalid peer certificate: certificate not valid for name \"h\"; certificate is only valid for x",
        "TLS with h:443 failed: the server's certificate is not valid for this host name"
    )]
    #[case::something_else(
        "invalid peer certificate: Other(OtherError(Whatever))",
        "the server's certificate was refused"
    )]
    #[case::plain_http_server(
        "client error (Connect): received corrupt message of type InvalidContentType",
        "TLS with h:443 failed: the server did not answer in TLS: does the base URL need http://"
    )]
    #[case::not_tls("connection reset by peer", "network error talking to h:443 (connection reset by peer)")]
    fn network_failures_read_as_sentences(#[case] detail: &str, #[case] says: &str) {
        let line = ApiError::Network { addr: "h:443".into(), detail: detail.into() }.to_string();
        assert!(line.contains(says), "{line}");
        assert!(!line.contains("OtherError") && !line.contains("InvalidContentType"), "{line}");
    }

    #[test]
    fn rate_limit_advice_never_says_to_wait_zero_seconds() {
        let advice = |secs| ApiError::RateLimited { attempts: 4, retry_after_secs: secs }.to_string();
        assert_eq!(
            advice(Some(0)),
            "rate limited (429, 4 attempts): the server said to retry at once every time; wait a minute and try again"
        );
        assert_eq!(
            advice(Some(90)),
            "rate limited (429, 4 attempts): the server asks to wait 90 s before trying again"
        );
        assert_eq!(advice(None), "rate limited (429, 4 attempts): wait a minute and try again");
    }

    #[test]
    fn durations_read_like_flags() {
        assert_eq!(duration(Duration::from_millis(300)), "300 ms");
        assert_eq!(duration(Duration::from_secs(30)), "30 s");
        assert_eq!(duration(Duration::from_millis(1500)), "1.5 s");
    }

    #[test]
    fn no_key_names_the_config_file_when_known() {
        let generic = ApiError::NoKey { config_path: None };
        assert_eq!(
            generic.to_string(),
            "no API key: pass --api-key, set BURKI_API_KEY, or put api_key in the config file"
        );
        let known = ApiError::NoKey { config_path: Some(PathBuf::from("/home/a/.config/hookscope/config.toml")) };
        assert!(known.to_string().ends_with("api_key in /home/a/.config/hookscope/config.toml"));
        assert_eq!(known.exit_code(), 3);
    }
}
