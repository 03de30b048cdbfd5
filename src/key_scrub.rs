//! Keeping the user's API key out of everything hookscope writes.
//!
//! A server may echo the key back whole, cut short, upper-cased or JSON-escaped
//! (`burki\u005flive…`), in an error page, a `detail` or a logged body. [`KeyScrub`] finds any
//! run of [`RUN_CHARS`] or more characters of the key, in any ASCII case, in the text as written
//! and in the text with its `\uXXXX` and `%XX` escapes read, and replaces the whole run.
//!
//! The API client scrubs what it quotes from the server with its own [`KeyScrub`]. The process
//! also registers its key once ([`protect`]): [`crate::sanitize`] then scrubs every line it
//! shows (messages, warnings, the explorer), every copy and report, and [`crate::redact`] masks
//! the key as it masks other secrets.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::RwLock;
use std::sync::atomic::{AtomicBool, Ordering};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::api::ApiKey;

/// The shortest run of the key's characters that is scrubbed: the README promises that at most
/// the first 12 characters (its hint) are ever shown.
pub const RUN_CHARS: usize = 12;

/// Finds and replaces runs of one key.
pub struct KeyScrub {
    /// Every `run`-byte window of the key, matched in any ASCII case.
    windows: AhoCorasick,
    /// What stands for a run of the key in scrubbed text.
    hint: String,
    /// The key, to register it once however often it is protected.
    key: ApiKey,
}

impl KeyScrub {
    /// `None` when the key is too short to hold a window (a key of one character).
    #[must_use]
    pub fn new(key: &ApiKey) -> Option<Self> {
        let secret = key.expose().as_bytes();
        let hint = key.hint();
        // A short key shows fewer characters in its hint; one more than that is already too many.
        let shown = hint.chars().count() - 1;
        let run = RUN_CHARS.min(shown + 1).min(secret.len());
        if run == 0 {
            return None;
        }
        let windows: Vec<&[u8]> = secret.windows(run).collect();
        let windows = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(windows)
            .ok()?;
        Some(Self { windows, hint, key: key.clone() })
    }

    /// `text` with every run of the key replaced by the key's hint.
    #[must_use]
    pub fn scrub<'a>(&self, text: &'a str) -> Cow<'a, str> {
        self.replace(text, &self.hint)
    }

    /// `text` with every run of the key replaced by `mask`.
    #[must_use]
    pub fn replace<'a>(&self, text: &'a str, mask: &str) -> Cow<'a, str> {
        let runs = self.runs(text);
        if runs.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for run in runs {
            out.push_str(&text[copied..run.start]);
            out.push_str(mask);
            copied = run.end;
        }
        out.push_str(&text[copied..]);
        Cow::Owned(out)
    }

    /// Where the key shows in `text`, as byte ranges on character boundaries, in order and apart.
    fn runs(&self, text: &str) -> Vec<Range<usize>> {
        let mut runs: Vec<Range<usize>> = Vec::new();
        let mut add = |mut run: Range<usize>| {
            while !text.is_char_boundary(run.start) {
                run.start -= 1;
            }
            while !text.is_char_boundary(run.end) {
                run.end += 1;
            }
            // The hint itself, written by hookscope, is not an echo of the key.
            if text[run.start..].starts_with(&self.hint) && run.end <= run.start + self.hint.len() {
                return;
            }
            runs.push(run);
        };
        for found in self.windows.find_overlapping_iter(text.as_bytes()) {
            add(found.start()..found.end());
        }
        if let Some(decoded) = Decoded::new(text) {
            for found in self.windows.find_overlapping_iter(&decoded.bytes) {
                add(decoded.origin(found.start()..found.end()));
            }
        }
        merge(runs)
    }
}

/// Sorts and joins ranges that overlap or touch.
fn merge(mut runs: Vec<Range<usize>>) -> Vec<Range<usize>> {
    runs.sort_by_key(|run| run.start);
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(runs.len());
    for run in runs {
        match merged.last_mut() {
            Some(last) if run.start <= last.end => last.end = last.end.max(run.end),
            _ => merged.push(run),
        }
    }
    merged
}

/// Text with its ASCII `\uXXXX`, `\/` and `%XX` escapes read, knowing where each escape was,
/// so a run found in the decoded bytes can be cut out of the text as written. Only escapes are
/// recorded, so a big export costs one copy of its text, not a table per byte.
struct Decoded {
    bytes: Vec<u8>,
    /// `(where in bytes, where in the text, length in the text)` of each escape read, in order.
    escapes: Vec<(usize, usize, usize)>,
}

impl Decoded {
    /// `None` when `text` holds no escape to read.
    fn new(text: &str) -> Option<Self> {
        let raw = text.as_bytes();
        let first =
            raw.iter().enumerate().position(|(at, &b)| (b == b'\\' || b == b'%') && escape_at(raw, at).is_some())?;
        let mut decoded = Self { bytes: Vec::with_capacity(raw.len()), escapes: Vec::new() };
        decoded.bytes.extend_from_slice(&raw[..first]);
        let mut at = first;
        while at < raw.len() {
            if let Some((byte, len)) = escape_at(raw, at) {
                decoded.escapes.push((decoded.bytes.len(), at, len));
                decoded.bytes.push(byte);
                at += len;
            } else {
                decoded.bytes.push(raw[at]);
                at += 1;
            }
        }
        Some(decoded)
    }

    /// The range of the text that decoded bytes `run` were read from.
    fn origin(&self, run: Range<usize>) -> Range<usize> {
        let (start, _) = self.source(run.start);
        let (last, len) = self.source(run.end - 1);
        start..last + len
    }

    /// Where decoded byte `at` was read from in the text, and how many bytes it took there.
    fn source(&self, at: usize) -> (usize, usize) {
        let before = self.escapes.partition_point(|&(decoded, _, _)| decoded <= at);
        match before.checked_sub(1).map(|i| self.escapes[i]) {
            Some((decoded, original, len)) if decoded == at => (original, len),
            Some((decoded, original, len)) => (original + len + (at - decoded - 1), 1),
            None => (at, 1),
        }
    }
}

/// The ASCII byte an escape at `at` stands for, and the escape's length.
fn escape_at(raw: &[u8], at: usize) -> Option<(u8, usize)> {
    let hex = |digits: &[u8]| {
        digits.iter().all(u8::is_ascii_hexdigit).then_some(())?;
        u8::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok().filter(u8::is_ascii)
    };
    match (raw[at], raw.get(at + 1)) {
        // An escaped backslash before it (`\\u005f`) is read as an escape too: scrubbing too much
        // is harmless, too little is not.
        (b'\\', Some(b'u' | b'U')) => {
            let digits = raw.get(at + 2..at + 6)?;
            digits.starts_with(b"00").then_some(())?;
            Some((hex(&digits[2..])?, 6))
        }
        (b'\\', Some(b'/')) => Some((b'/', 2)),
        (b'%', Some(_)) => Some((hex(raw.get(at + 1..at + 3)?)?, 3)),
        _ => None,
    }
}

/// Whether any key was registered: spares the lock on every line when none was.
static ANY: AtomicBool = AtomicBool::new(false);
static PROTECTED: RwLock<Vec<KeyScrub>> = RwLock::new(Vec::new());

/// Registers the process's key: from now on [`scrub`] and [`mask`] remove it.
pub fn protect(key: &ApiKey) {
    let Some(scrub) = KeyScrub::new(key) else { return };
    let mut protected = PROTECTED.write().unwrap_or_else(std::sync::PoisonError::into_inner);
    if !protected.iter().any(|known| known.key == scrub.key) {
        protected.push(scrub);
    }
    ANY.store(true, Ordering::Release);
}

/// `text` with every registered key shown as its hint.
#[must_use]
pub fn scrub(text: &str) -> Cow<'_, str> {
    each(text, None)
}

/// `text` with every registered key replaced by `mask`.
#[must_use]
pub fn mask<'a>(text: &'a str, mask: &str) -> Cow<'a, str> {
    each(text, Some(mask))
}

fn each<'a>(text: &'a str, mask: Option<&str>) -> Cow<'a, str> {
    if !ANY.load(Ordering::Acquire) {
        return Cow::Borrowed(text);
    }
    let protected = PROTECTED.read().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut current = Cow::Borrowed(text);
    for key in protected.iter() {
        let replaced = match key.replace(&current, mask.unwrap_or(&key.hint)) {
            Cow::Borrowed(_) => None,
            Cow::Owned(changed) => Some(changed),
        };
        if let Some(changed) = replaced {
            current = Cow::Owned(changed);
        }
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "burki_live_0123456789abcdefghij";

    fn scrubbed(text: &str) -> String {
        KeyScrub::new(&ApiKey::new(KEY).unwrap()).unwrap().scrub(text).into_owned()
    }

    #[rstest::rstest]
    #[case::whole("Bearer burki_live_0123456789abcdefghij!", "Bearer burki_live_0…!")]
    #[case::followed("burki_live_0123456789abcdefghijXYZ", "burki_live_0…XYZ")]
    #[case::minus_last_char("key burki_live_0123456789abcdefghi.", "key burki_live_0….")]
    #[case::twenty_char_prefix("k=burki_live_01234567 end", "k=burki_live_0… end")]
    #[case::thirteen_char_prefix("k=burki_live_01 end", "k=burki_live_0… end")]
    #[case::tail_after_eleven("tail 0123456789abcdefghij", "tail burki_live_0…")]
    #[case::twelve_from_the_middle("x 3456789abcde y", "x burki_live_0… y")]
    #[case::upper_case("BURKI_LIVE_0123456789ABCDEFGHIJ", "burki_live_0…")]
    #[case::json_escapes(r#""burki\u005flive\u005f0123456789abcdefghij""#, r#""burki_live_0…""#)]
    #[case::upper_json_escapes(r"burki\u005Flive\u005F0123456789abcdefghij", "burki_live_0…")]
    #[case::percent_escapes("q=burki%5Flive%5F0123456789abcdefghij&x", "q=burki_live_0…&x")]
    #[case::twice("a burki_live_0123456789abcdefghij b 0123456789abcdef c", "a burki_live_0… b burki_live_0… c")]
    #[case::eleven_chars_stay("only 0123456789a here", "only 0123456789a here")]
    #[case::the_hint_stays("the key burki_live_0… was refused", "the key burki_live_0… was refused")]
    #[case::unrelated("no key here at all, just text", "no key here at all, just text")]
    fn runs_of_the_key_are_scrubbed(#[case] text: &str, #[case] shown: &str) {
        assert_eq!(scrubbed(text), shown);
    }

    #[test]
    fn scrubbing_is_idempotent_and_keeps_non_ascii_text_whole() {
        let once = scrubbed("é burki_live_0123456789abcdefghij ☎");
        assert_eq!(once, "é burki_live_0… ☎");
        assert_eq!(scrubbed(&once), once);
    }

    #[test]
    fn short_keys_scrub_more_than_their_hint() {
        let key = ApiKey::new("ab€d").unwrap();
        let scrub = KeyScrub::new(&key).unwrap();
        assert_eq!(scrub.scrub("x ab€d ab€ ab y"), "x ab… ab… ab y");
    }

    #[test]
    fn masks_replace_runs_whole() {
        let scrub = KeyScrub::new(&ApiKey::new(KEY).unwrap()).unwrap();
        assert_eq!(scrub.replace("t=0123456789abcdefghij;", "[REDACTED]"), "t=[REDACTED];");
    }
}
