//! The logs as JSON, exactly as the API sent them.

use std::borrow::Cow;
use std::io;

use crate::json_text::{self, exact};
use crate::model::WebhookLog;
use crate::redact;

/// A JSON array with one log per line, each the entry as the server sent it, so that `--file`
/// reads back the same logs, key order and number text included.
#[must_use]
pub fn json_array(logs: &[&WebhookLog]) -> String {
    let mut out = String::with_capacity(logs.iter().map(|log| log.raw().len() + 2).sum::<usize>() + 4);
    push_array(&mut out, logs, false);
    out.push('\n');
    out
}

/// Appends `[`, the raw logs one a line, and `]` (no final newline), for the array and case files.
pub(super) fn push_array(out: &mut String, logs: &[&WebhookLog], redact: bool) {
    out.extend(array_pieces(logs, redact));
}

/// One log a line: an entry the server sent on one line (the Burki server sends compact JSON)
/// is printed as sent; one spread over several lines loses the whitespace between its tokens
/// (strings and number text are untouched).
#[must_use]
pub fn ndjson(logs: &[&WebhookLog]) -> String {
    let mut out = String::with_capacity(logs.iter().map(|log| log.raw().len() + 1).sum());
    out.extend(ndjson_pieces(logs, false));
    out
}

/// [`json_array`] written straight to `out`, for `--print`: a big call is never held twice.
/// With `redact`, each entry is masked as [`redact::redact_json`] masks (still valid JSON, one
/// log a line, everything not masked as sent).
///
/// # Errors
/// When `out` fails.
pub fn write_json_array(out: &mut impl io::Write, logs: &[&WebhookLog], redact: bool) -> io::Result<()> {
    array_pieces(logs, redact).chain([Cow::Borrowed("\n")]).try_for_each(|piece| out.write_all(piece.as_bytes()))
}

/// [`ndjson`] written straight to `out`, for `--print`; `redact` as in [`write_json_array`].
///
/// # Errors
/// When `out` fails.
pub fn write_ndjson(out: &mut impl io::Write, logs: &[&WebhookLog], redact: bool) -> io::Result<()> {
    ndjson_pieces(logs, redact).try_for_each(|piece| out.write_all(piece.as_bytes()))
}

/// The array's text in order: `[`, each entry on its own line, `]`. One definition for the
/// string and the stream forms.
fn array_pieces<'a>(logs: &'a [&'a WebhookLog], redact: bool) -> impl Iterator<Item = Cow<'a, str>> {
    let open = if logs.is_empty() { "[" } else { "[\n" };
    let entries = logs.iter().enumerate().flat_map(move |(n, log)| {
        [masked(exact(log.raw(), false), redact), Cow::Borrowed(if n + 1 < logs.len() { ",\n" } else { "\n" })]
    });
    std::iter::once(Cow::Borrowed(open)).chain(entries).chain([Cow::Borrowed("]")])
}

fn ndjson_pieces<'a>(logs: &'a [&'a WebhookLog], redact: bool) -> impl Iterator<Item = Cow<'a, str>> {
    logs.iter().flat_map(move |log| [masked(one_line(log.raw()), redact), Cow::Borrowed("\n")])
}

/// An entry's text, masked when redacting. Masking changes only strings, so a line stays a line.
fn masked(entry: Cow<'_, str>, redact: bool) -> Cow<'_, str> {
    if redact { Cow::Owned(redact::redact_json(&entry)) } else { entry }
}

/// An entry as one line of NDJSON. Valid JSON holds a raw line break only between tokens (never
/// in a string), so an entry without one is a line already, and one SIMD search says so: the
/// token-by-token pass of a compaction cost `--print ndjson` a tenth of its time.
fn one_line(raw: &str) -> Cow<'_, str> {
    let compact = memchr::memchr2(b'\n', b'\r', raw.as_bytes()).is_some();
    exact(raw, compact)
}

/// The request payload re-indented for reading; key order and number text stay as sent.
/// `None` when the payload was null or absent.
#[must_use]
pub fn payload_pretty(log: &WebhookLog) -> Option<String> {
    log.payload().map(|raw| json_text::pretty(&exact(raw, false)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json_text::exact::tests::value;

    proptest::proptest! {
        #[test]
        fn one_line_compacts_only_what_spans_lines(value in value(), pretty in proptest::prelude::any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
            // One line: compacted when it was pretty, as sent (but made safe) when it was not.
            proptest::prop_assert_eq!(one_line(&text), exact(&text, pretty));
        }
    }
}
