//! What the API client needs to know, resolved from flags, environment and config file.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Hosted Burki; self-hosted servers run elsewhere.
pub const DEFAULT_BASE_URL: &str = "https://api.burki.dev";

/// A Burki API key (or JWT). Never printed whole: `Debug` and `Display` show at most the first
/// 12 characters, which is what `burki-api.md` allows.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Keys are never validated for shape: a JWT works as well as `burki_…`.
    #[must_use]
    pub fn new(key: impl Into<String>) -> Option<Self> {
        let key: String = key.into().trim().to_owned();
        (!key.is_empty()).then_some(Self(key))
    }

    /// The whole key, for the `Authorization` header and nothing else.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The first 12 characters (fewer for a short key), then `…`.
    #[must_use]
    pub fn hint(&self) -> String {
        let shown: String = self.0.chars().take(12.min(self.0.chars().count() / 2)).collect();
        format!("{shown}…")
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ApiKey({})", self.hint())
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hint())
    }
}

/// Where the key came from, so a 401 can say which one to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    Flag,
    Env,
    ConfigFile(PathBuf),
}

impl fmt::Display for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag => f.write_str("--api-key"),
            Self::Env => f.write_str("the BURKI_API_KEY environment variable"),
            Self::ConfigFile(path) => write!(f, "api_key in {}", path.display()),
        }
    }
}

/// The default cap on a body, from the network, a file or stdin, counted after decompression: a
/// 100,000-log call is about 60 MB, so this leaves room while keeping a gzip bomb or an endless
/// pipe to a few hundred MiB of memory. `--max-body` raises it.
pub const DEFAULT_MAX_BODY: usize = 256 << 20;

#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Without a trailing `/`.
    pub base_url: String,
    pub api_key: Option<(ApiKey, KeySource)>,
    /// The whole request, body included (the official SDKs use 30 s).
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// Permit sending the key over plain `http://` to a host that is not loopback.
    pub allow_http: bool,
    /// Retries of a GET answered 429, 502, 503 or 504.
    pub max_retries: u32,
    /// Responses larger than this (after decompression) are refused rather than exhausting memory.
    pub max_body_bytes: usize,
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_owned(),
            api_key: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            allow_http: false,
            max_retries: 3,
            max_body_bytes: DEFAULT_MAX_BODY,
        }
    }
}

/// A call as the user names it: the internal integer id, or the provider's call SID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallRef {
    Id(i64),
    Sid(String),
}

impl std::str::FromStr for CallRef {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err("a call id or SID is required".to_owned());
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            return text
                .parse()
                .map(Self::Id)
                .map_err(|_| format!("call id {} is too large", crate::sanitize::quoted(text)));
        }
        Ok(Self::Sid(text.to_owned()))
    }
}

impl fmt::Display for CallRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Id(id) => write!(f, "{id}"),
            Self::Sid(sid) => f.write_str(&crate::sanitize::quoted(sid)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_show_more_than_twelve_characters() {
        let key = ApiKey::new("burki_live_0123456789abcdef").unwrap();
        assert_eq!(format!("{key:?} {key}"), "ApiKey(burki_live_0…) burki_live_0…");
        assert_eq!(ApiKey::new("short").unwrap().hint(), "sh…");
        assert_eq!(ApiKey::new("  "), None);
    }

    #[test]
    fn digits_are_an_id_and_anything_else_a_sid() {
        assert_eq!("101".parse::<CallRef>(), Ok(CallRef::Id(101)));
        assert_eq!("CA5f1e".parse::<CallRef>(), Ok(CallRef::Sid("CA5f1e".to_owned())));
        assert_eq!("v3:abc/def".parse::<CallRef>(), Ok(CallRef::Sid("v3:abc/def".to_owned())));
        let huge = "9".repeat(20_000);
        let err = huge.parse::<CallRef>().unwrap_err();
        assert!(err.len() < 200 && err.ends_with("… (20000 characters) is too large"), "{err}");
        assert_eq!(
            CallRef::Sid("x".repeat(1000)).to_string().chars().count(),
            80 + "… (1000 characters)".chars().count()
        );
    }
}
