//! What a copy puts on the clipboard: the text each item of the copy menu makes of a log, and
//! how the status line names it.

use crate::model::{CallInfo, LogSet, WebhookLog};
use crate::redact;

/// What can be copied from the selected log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyItem {
    Payload,
    Response,
    Entry,
    Curl,
    Markdown,
    Url,
}

impl CopyItem {
    /// How the status line names the copy: "copied payload (1.2 KB) …".
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Payload => "payload",
            Self::Response => "response body",
            Self::Entry => "log entry",
            Self::Curl => "curl command",
            Self::Markdown => "Markdown report",
            Self::Url => "webhook URL",
        }
    }
}

/// Text ready for the clipboard, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    pub text: String,
    /// The item's name, with "(redacted)" when it was.
    pub what: String,
}

/// The text `item` makes of `log`. With `redact`, phone numbers, e-mail addresses and secrets
/// are masked. Escapes and other control characters from the data are dropped (newlines and
/// tabs kept), since a copy is pasted into terminals and tickets.
///
/// # Errors
/// When the log has nothing of that kind (no payload, no body), worded for the status line.
pub fn clip(
    set: &LogSet,
    call: Option<&CallInfo>,
    log: &WebhookLog,
    item: CopyItem,
    redact: bool,
) -> Result<Clip, &'static str> {
    let json = |text: String| if redact { redact::redact_json(&text) } else { text };
    let plain = |text: String| if redact { redact::redact_text(&text) } else { text };
    let text = match item {
        CopyItem::Payload => json(super::payload_pretty(log).ok_or("this log has no request payload")?),
        CopyItem::Response => plain(log.response_body_text().ok_or("this log has no response body")?),
        CopyItem::Entry => json(log.raw().to_owned()),
        CopyItem::Curl => plain(super::curl_command(log)),
        CopyItem::Markdown => super::markdown_report(set, call, log, redact, super::REPORT_LIMIT),
        CopyItem::Url if redact => redact::redact_url(&log.webhook_url),
        CopyItem::Url => log.webhook_url.to_string(),
    };
    let what = if redact { format!("{} (redacted)", item.name()) } else { item.name().to_owned() };
    Ok(Clip { text: crate::sanitize::for_copy(&text).into_owned(), what })
}
