//! A curl command that sends a delivery again, for reproducing it against the customer's endpoint
//! or a local server.

use std::fmt::Write as _;

use crate::json_text::exact;
use crate::model::WebhookLog;
use crate::sanitize;

/// `curl --globoff -X POST --url '<url>' -H 'Content-Type: application/json' --data-binary
/// '<payload>'` over three lines. Everything is single-quoted, the one POSIX quoting in which
/// nothing (`$`, backticks, backslashes, `!`, newlines, non-ASCII) is special, so sh, bash and
/// zsh pass the payload on byte for byte. `--globoff` because curl would otherwise expand
/// `{a,b}` into several requests and refuse `[0]` as a bad range; `--url` because a URL starting
/// with `-` would otherwise be read as an option. `--data-binary` because `-d` drops newlines; a
/// JSON value never starts with `@`, so curl never reads the payload as a file name.
///
/// Burki's own request headers are not known (the API does not return them), so only the
/// content type is set. No final newline: a paste should wait for Enter.
#[must_use]
pub fn curl_command(log: &WebhookLog) -> String {
    let mut out = String::new();
    let payload = log.payload();
    if payload.is_none() {
        let _ = writeln!(
            out,
            "# log {} ({}) had a null request payload: this sends no body",
            log.id,
            comment_text(&log.webhook_type)
        );
    }
    let _ = write!(
        out,
        "curl --globoff -X POST --url {} \\\n  -H 'Content-Type: application/json'",
        quote(&url_for_shell(&log.webhook_url))
    );
    if let Some(raw) = payload {
        let _ = write!(out, " \\\n  --data-binary {}", quote(&exact(raw, false)));
    }
    out
}

/// POSIX single quoting: `'` cannot occur inside single quotes, so it closes them, is escaped,
/// and reopens them.
fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('\'');
    out.push_str(&text.replace('\'', r"'\''"));
    out.push('\'');
    out
}

/// Control characters, white space and invisible formatting (bidi overrides, zero-width
/// characters) are never valid in a URL; pasted raw, a control could act on the terminal or end
/// a bracketed paste, an override makes the command read differently from what it runs, and curl
/// refuses a space. Percent-encoding keeps what they were.
fn url_for_shell(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_control() || c.is_whitespace() || sanitize::is_hidden(c) {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{byte:02X}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Data inside a `#` comment must stay on that line, or the rest would run as a command.
fn comment_text(text: &str) -> String {
    sanitize::line(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::plain("abc", "'abc'")]
    #[case::single_quote("it's", r"'it'\''s'")]
    #[case::only_quotes("''", r"''\'''\'''")]
    #[case::metacharacters("$HOME `id` \\n !x", "'$HOME `id` \\n !x'")]
    fn quoting(#[case] text: &str, #[case] quoted: &str) {
        assert_eq!(quote(text), quoted);
    }

    #[test]
    fn control_characters_in_a_url_are_percent_encoded() {
        assert_eq!(url_for_shell("https://h/\x1b[201~\n\u{9b}x"), "https://h/%1B[201~%0A%C2%9Bx");
        assert_eq!(url_for_shell("https://h/\u{202e}txt.exe\u{200b}/é"), "https://h/%E2%80%AEtxt.exe%E2%80%8B/é");
        assert_eq!(url_for_shell("https://h/a b\u{a0}c"), "https://h/a%20b%C2%A0c");
        assert_eq!(url_for_shell("https://h/x\u{fe0f}\u{2800}"), "https://h/x%EF%B8%8F%E2%A0%80");
    }

    #[test]
    fn a_comment_stays_on_one_line() {
        assert_eq!(comment_text("a\nrm -rf ~\x1b"), "a␊rm -rf ~␛");
    }
}
