//! Masking personal data and secrets before a report leaves the machine.
//!
//! Payloads carry phone numbers, e-mail addresses and transcripts, and response bodies sometimes
//! echo tokens. Reports are pasted into tickets that many people read, so `--redact` masks what
//! looks sensitive and leaves everything else as it was, byte for byte: JSON is rewritten on
//! its token stream (never through `serde_json::Value`, which would re-sort keys and rewrite
//! numbers), and only the strings that change are re-encoded.
//!
//! This errs on the side of masking (a key `max_tokens` is masked, since it contains `token`);
//! it is a safety net, not a guarantee: a secret in a URL path or a phone number sent as a JSON
//! number is not recognised.

use std::borrow::Cow;
use std::ops::Range;

use crate::json_text;
use crate::json_text::tokens::{Kind, Tokens};

/// What replaces a masked value.
pub const MASK: &str = "[REDACTED]";
const MASK_JSON: &str = "\"[REDACTED]\"";

/// Parts of key names whose values are secrets, matched case-insensitively anywhere in the key.
const SECRET_WORDS: [&str; 11] = [
    "authorization",
    "token",
    "secret",
    "signature",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "api-key",
    "cookie",
    "session",
];

/// E.164 allows at most 15 digits; shorter runs after a `+` are offsets, scores and the like.
const E164_DIGITS: Range<usize> = 7..16;

#[must_use]
pub fn is_secret_key(key: &str) -> bool {
    SECRET_WORDS.iter().any(|word| contains_ignore_ascii_case(key, word))
}

/// Masks JSON text and keeps it valid JSON. The value of a secret-looking key becomes
/// `"[REDACTED]"` whatever it was (object, array, number, string), except `null`, booleans and
/// `""`, which reveal nothing and say whether a credential was there at all. Phone numbers,
/// e-mail addresses and bearer tokens are masked inside every string, keys included. Text
/// that is not JSON is scanned as far as it goes; for such text [`redact_text`] does better.
#[must_use]
pub fn redact_json(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut copied = 0;
    // Set by a secret-looking key, taken by the value after its colon.
    let mut secret_key = false;
    let mut tokens = Tokens::new(raw);
    while let Some(token) = tokens.next() {
        if matches!(token.kind, Kind::Whitespace | Kind::Colon) {
            continue;
        }
        let secret_value = std::mem::take(&mut secret_key);
        let (end, replacement): (usize, Option<Cow<'static, str>>) = match token.kind {
            Kind::String { key: true, .. } => {
                secret_key = json_text::decode_string(token.text).is_some_and(|key| is_secret_key(&key));
                (token.end(), redact_string(token.text).map(Cow::Owned))
            }
            Kind::String { .. } if secret_value && token.text != "\"\"" => {
                (token.end(), Some(Cow::Borrowed(MASK_JSON)))
            }
            Kind::String { .. } => (token.end(), redact_string(token.text).map(Cow::Owned)),
            Kind::Open(_) if secret_value => (tokens.skip_container(), Some(Cow::Borrowed(MASK_JSON))),
            Kind::Number | Kind::Other if secret_value => (token.end(), Some(Cow::Borrowed(MASK_JSON))),
            // `null` and booleans reveal nothing; punctuation is kept.
            _ => (token.end(), None),
        };
        if let Some(replacement) = replacement {
            out.push_str(&raw[copied..token.start]);
            out.push_str(&replacement);
            copied = end;
        }
    }
    out.push_str(&raw[copied..]);
    out
}

/// Masks text that is not JSON (an HTML page, a plain-text error, a body the server cut):
/// phone numbers, e-mail addresses, `Bearer` tokens, and the values in `key=value`,
/// `key: value`, `"key": "value"` and `<key>value</key>` when the key looks secret.
#[must_use]
pub fn redact_text(text: &str) -> String {
    redact_text_cow(text).into_owned()
}

/// Masks a URL: the user-info part (`user:password@`) whole, then as [`redact_text`] (query
/// parameters with secret-looking names, phone numbers, e-mail addresses).
#[must_use]
pub fn redact_url(url: &str) -> String {
    let after_scheme = url.find("://").map_or(0, |at| at + 3);
    let authority_end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |at| after_scheme + at);
    let masked = match url[after_scheme..authority_end].rfind('@') {
        Some(at) => format!("{}{MASK}{}", &url[..after_scheme], &url[after_scheme + at..]),
        None => url.to_owned(),
    };
    redact_text(&masked)
}

/// Just past the bracket closing the one at `start`, or the end of the text.
fn container_end(text: &str, start: usize) -> usize {
    let mut tokens = Tokens::new(&text[start..]);
    tokens.next();
    start + tokens.skip_container()
}

/// The string literal re-encoded if masking changed its text, else `None` (keep it as sent,
/// escapes and all).
fn redact_string(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let decoded =
        if inner.contains('\\') { Cow::Owned(json_text::decode_string(literal)?) } else { Cow::Borrowed(inner) };
    match redact_text_cow(&decoded) {
        Cow::Borrowed(_) => None,
        Cow::Owned(masked) => Some(serde_json::Value::String(masked).to_string()),
    }
}

fn redact_text_cow(text: &str) -> Cow<'_, str> {
    let passes: [fn(&str) -> Cow<'_, str>; 5] =
        [mask_own_key, mask_secret_pairs, mask_bearer_tokens, mask_emails, mask_phones];
    let mut current = Cow::Borrowed(text);
    for pass in passes {
        let changed = match pass(&current) {
            Cow::Owned(changed) => Some(changed),
            Cow::Borrowed(_) => None,
        };
        if let Some(changed) = changed {
            current = Cow::Owned(changed);
        }
    }
    current
}

/// The user's own API key, or any run of it ([`crate::key_scrub`]), wherever it shows.
fn mask_own_key(text: &str) -> Cow<'_, str> {
    crate::key_scrub::mask(text, MASK)
}

/// Applies non-overlapping edits given in order.
fn splice(text: &str, edits: Vec<(Range<usize>, String)>) -> Cow<'_, str> {
    if edits.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (range, replacement) in edits {
        out.push_str(&text[copied..range.start]);
        out.push_str(&replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

fn skip_blanks(bytes: &[u8], mut at: usize) -> usize {
    while at < bytes.len() && matches!(bytes[at], b' ' | b'\t') {
        at += 1;
    }
    at
}

fn mask_secret_pairs(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_word_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let word_start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        if !is_secret_key(&text[word_start..i]) {
            continue;
        }
        let mut at = i;
        // `<password>value</password>`
        if word_start > 0 && bytes[word_start - 1] == b'<' && bytes.get(at) == Some(&b'>') {
            let start = at + 1;
            let end = text[start..].find('<').map_or(text.len(), |offset| start + offset);
            if end > start && &text[start..end] != MASK {
                edits.push((start..end, MASK.to_owned()));
            }
            i = end;
            continue;
        }
        if matches!(bytes.get(at), Some(b'"' | b'\'')) {
            at += 1;
        }
        at = skip_blanks(bytes, at);
        let Some(&separator @ (b'=' | b':')) = bytes.get(at) else {
            continue;
        };
        at = skip_blanks(bytes, at + 1);
        let (range, resume) = match bytes.get(at) {
            Some(&quote @ (b'"' | b'\'')) => {
                let mut end = at + 1;
                while end < bytes.len() && bytes[end] != quote {
                    end += if bytes[end] == b'\\' { 2 } else { 1 };
                }
                let end = end.min(bytes.len());
                (at + 1..end, end)
            }
            Some(b'{' | b'[') => {
                let end = container_end(text, at);
                (at..end, end)
            }
            Some(_) => {
                let stops: &[u8] = if separator == b'=' { b" \t\r\n&;,\"'<>)}]" } else { b"\r\n,;\"'<>)}]" };
                let mut end = at;
                while end < bytes.len() && !stops.contains(&bytes[end]) {
                    end += 1;
                }
                while end > at && bytes[end - 1] == b' ' {
                    end -= 1;
                }
                (at..end, end)
            }
            None => continue,
        };
        let value = &text[range.clone()];
        if !value.is_empty() && !matches!(value, "null" | "true" | "false" | MASK) {
            edits.push((range, MASK.to_owned()));
        }
        i = resume.max(i);
    }
    splice(text, edits)
}

fn mask_bearer_tokens(text: &str) -> Cow<'_, str> {
    const WORD: &[u8] = b"bearer";
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i + WORD.len() < bytes.len() {
        let at_word = bytes[i..i + WORD.len()].eq_ignore_ascii_case(WORD)
            && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric())
            && matches!(bytes[i + WORD.len()], b' ' | b'\t');
        if !at_word {
            i += 1;
            continue;
        }
        let start = skip_blanks(bytes, i + WORD.len());
        let mut end = start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || b"-._~+/=:".contains(&bytes[end])) {
            end += 1;
        }
        if end > start {
            edits.push((start..end, MASK.to_owned()));
        }
        i = end.max(i + 1);
    }
    splice(text, edits)
}

fn mask_emails(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let is_local = |b: u8| b.is_ascii_alphanumeric() || b"._%+-".contains(&b);
    let mut edits = Vec::new();
    let mut done = 0;
    for at in memchr::memchr_iter(b'@', bytes) {
        if at < done {
            continue;
        }
        let mut start = at;
        while start > done && is_local(bytes[start - 1]) {
            start -= 1;
        }
        while start < at && bytes[start] == b'.' {
            start += 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'.' | b'-')) {
            end += 1;
        }
        while end > at + 1 && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        if start == at || !is_domain(&text[at + 1..end]) {
            continue;
        }
        edits.push((start..at, format!("{}***", char::from(bytes[start]))));
        done = end;
    }
    splice(text, edits)
}

fn is_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|label| !label.is_empty())
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

fn mask_phones(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut edits = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let Some(span) = phone_at(bytes, i) else {
            i += 1;
            continue;
        };
        // The digits of a `%2B` prefix are not part of the number.
        let prefix = if bytes[span.start] == b'%' { 3 } else { 0 };
        let number = &text[span.start + prefix..span.end];
        let digits = number.bytes().filter(u8::is_ascii_digit).count();
        let mut masked = text[span.start..span.start + prefix].to_owned();
        let mut seen = 0;
        for c in number.chars() {
            if c.is_ascii_digit() {
                seen += 1;
                masked.push(if seen + 2 > digits { c } else { '*' });
            } else {
                masked.push(c);
            }
        }
        i = span.end;
        edits.push((span, masked));
    }
    splice(text, edits)
}

/// A phone number starting at `i`: `+` (or `%2B`, as form-encoded webhooks send it) and 7–15
/// digits with the usual separators, or a North American number written with separators
/// (`(555) 123-4567`, `555-123-4567`, `1 555.123.4567`). Bare digit runs are not matched:
/// without a `+` or separators they are far more often ids and timestamps.
fn phone_at(bytes: &[u8], i: usize) -> Option<Range<usize>> {
    let after_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b'.' | b'-'));
    if after_word {
        return None;
    }
    let plus = match bytes[i] {
        b'+' => 1,
        b'%' if bytes.get(i + 1..i + 3).is_some_and(|hex| hex.eq_ignore_ascii_case(b"2B")) => 3,
        b'(' | b'0'..=b'9' => 0,
        _ => return None,
    };
    let groups = digit_groups(bytes, i + plus);
    let end = if plus > 0 {
        // The longest run of groups that is still a possible E.164 number.
        let mut total = 0;
        let mut end = None;
        for group in &groups {
            total += group.len();
            if total >= E164_DIGITS.end {
                break;
            }
            if E164_DIGITS.contains(&total) {
                end = Some(group.end);
            }
        }
        end?
    } else {
        let lengths: Vec<usize> = groups.iter().map(Range::len).take(4).collect();
        match lengths.as_slice() {
            [3, 3, 4, ..] => groups[2].end,
            [1, 3, 3, 4] => groups[3].end,
            _ => return None,
        }
    };
    if plus == 0 && bytes[i] == b'(' && bytes.get(groups[0].end) != Some(&b')') {
        return None;
    }
    let glued = bytes.get(end).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
    (!glued).then_some(i..end)
}

/// The digit runs starting at `from` (after an optional `(`), joined by at most two separator
/// characters (` `, `-`, `.`, `(`, `)`), as in `+44 (0)20 7946 0958`.
fn digit_groups(bytes: &[u8], from: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut at = from;
    if bytes.get(at) == Some(&b'(') {
        at += 1;
    }
    loop {
        let start = at;
        while at < bytes.len() && bytes[at].is_ascii_digit() {
            at += 1;
        }
        if at == start {
            break;
        }
        groups.push(start..at);
        let separators = at;
        while at < bytes.len() && at - separators < 2 && matches!(bytes[at], b' ' | b'-' | b'.' | b'(' | b')') {
            at += 1;
        }
        if at == separators || !bytes.get(at).is_some_and(u8::is_ascii_digit) {
            break;
        }
    }
    groups
}

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack.as_bytes().windows(needle.len()).any(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

#[cfg(test)]
mod tests;
