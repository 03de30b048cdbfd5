//! A non-2xx response as an [`ApiError`]. Burki puts its reason in `detail`, which may be a
//! string, an array of validation errors, or anything else; proxies in front of it answer with
//! plain text or HTML pages. All of it is read leniently and shown through [`server_text`].

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;

use super::error::{ApiError, server_text};
use super::{ApiKey, KeySource};
use crate::key_scrub::KeyScrub;

pub(super) struct StatusContext<'a> {
    /// The route's name, for a 404 that means the route itself is missing.
    pub route: &'static str,
    pub key: &'a ApiKey,
    pub key_source: &'a KeySource,
    pub attempts: u32,
    pub retry_after: Option<Duration>,
    pub content_type: &'a str,
}

pub(super) fn status_error(status: StatusCode, body: &str, context: &StatusContext<'_>) -> ApiError {
    // A server that echoes the bearer token back must not get it onto the screen: the body is
    // scrubbed as sent, and the detail again once read, since JSON escapes may have hidden it.
    let key_scrub = KeyScrub::new(context.key);
    let scrub = |text: String| match &key_scrub {
        Some(key_scrub) => key_scrub.scrub(&text).into_owned(),
        None => text,
    };
    let body = scrub(body.to_owned());
    let json_detail = json_detail(&body).map(scrub);
    let detail = || json_detail.clone().unwrap_or_else(|| describe_body(context.content_type, &body, "error page"));
    match status.as_u16() {
        401 => ApiError::Unauthorized {
            key_source: context.key_source.clone(),
            key_hint: context.key.hint(),
            detail: detail(),
        },
        403 => ApiError::Forbidden { detail: detail() },
        // FastAPI's own 404 for an unknown path says just "Not Found"; a proxy's page has no
        // `detail` at all. Both mean the route, not the call, is missing.
        404 => match json_detail {
            Some(detail) if detail != "Not Found" => ApiError::CallNotFound { detail },
            _ => ApiError::RouteMissing { route: context.route },
        },
        422 => ApiError::InvalidCallId { detail: detail() },
        429 => ApiError::RateLimited {
            attempts: context.attempts,
            retry_after_secs: context.retry_after.map(|wait| wait.as_secs() + u64::from(wait.subsec_nanos() > 0)),
        },
        500..=599 => ApiError::Server { status: status.as_u16(), detail: detail(), attempts: context.attempts },
        _ => ApiError::UnexpectedStatus { status: status.as_u16(), detail: detail() },
    }
}

/// `detail` from a JSON body, rendered as one safe line: a string as is, `FastAPI`'s validation
/// array as its messages, anything else as compact JSON.
fn json_detail(body: &str) -> Option<String> {
    let value: Value = serde_json::from_str(body).ok()?;
    let text = match value.get("detail")? {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(validation_message).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    };
    Some(server_text(&text))
}

/// `{"loc": ["path", "call_id"], "msg": "Input should be a valid integer…"}` as
/// `call_id: Input should be a valid integer…`.
fn validation_message(item: &Value) -> String {
    let Some(msg) = item.get("msg").and_then(Value::as_str) else {
        return item.as_str().map_or_else(|| item.to_string(), str::to_owned);
    };
    match item.get("loc").and_then(Value::as_array).and_then(|loc| loc.last()) {
        Some(Value::String(field)) => format!("{field}: {msg}"),
        Some(Value::Number(index)) => format!("item {index}: {msg}"),
        _ => msg.to_owned(),
    }
}

/// What a body without a usable `detail` was, in a few words: `an HTML error page titled "502
/// Bad Gateway"`, the plain text itself, or `an empty body`.
pub(super) fn describe_body(content_type: &str, body: &str, page: &str) -> String {
    let trimmed = body.trim();
    if trimmed.is_empty() {
        return "an empty body".to_owned();
    }
    if content_type.contains("html") || trimmed.starts_with('<') {
        return match html_title(trimmed) {
            Some(title) => format!("an HTML {page} titled \"{}\"", server_text(title)),
            None => format!("an HTML {page}"),
        };
    }
    server_text(trimmed)
}

fn html_title(html: &str) -> Option<&str> {
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `html`.
    let lower = html.to_ascii_lowercase();
    let open = lower.find("<title")?;
    let start = open + lower[open..].find('>')? + 1;
    let end = start + lower[start..].find("</title")?;
    let title = html[start..end].trim();
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_of_every_shape_become_one_line() {
        assert_eq!(
            json_detail(r#"{"detail": "Call with ID 101 not found"}"#).as_deref(),
            Some("Call with ID 101 not found")
        );
        assert_eq!(
            json_detail(
                r#"{"detail": [{"loc": ["path", "call_id"], "msg": "bad int", "type": "int_parsing"}, "odd"]}"#
            )
            .as_deref(),
            Some("call_id: bad int; odd")
        );
        assert_eq!(json_detail(r#"{"detail": {"code": 7}}"#).as_deref(), Some(r#"{"code":7}"#));
        assert_eq!(json_detail(r#"{"message": "x"}"#), None);
        assert_eq!(json_detail("Internal Server Error"), None);
        assert_eq!(json_detail(r#"{"detail": "a\u001b[2Jb"}"#).as_deref(), Some("a␛[2Jb"));
    }

    #[test]
    fn bodies_without_detail_are_described() {
        let page = "<!DOCTYPE html>\n<html><head><TITLE>\n 502 Bad Gateway </TITLE></head><body>nginx</body></html>";
        assert_eq!(describe_body("text/html", page, "error page"), "an HTML error page titled \"502 Bad Gateway\"");
        assert_eq!(describe_body("", "<html><body>hi</body></html>", "page"), "an HTML page");
        assert_eq!(describe_body("text/plain", " Internal Server Error\n", "error page"), "Internal Server Error");
        assert_eq!(describe_body("", " \n", "error page"), "an empty body");
    }
}
