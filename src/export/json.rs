//! The logs as JSON, exactly as the API sent them.

use std::borrow::Cow;
use std::io;

use crate::model::{LogSet, WebhookLog};
use crate::{json_text, swar};

/// A JSON array with one log per line, each the entry as the server sent it, so that `--file`
/// reads back the same logs, key order and number text included.
#[must_use]
pub fn json_array(set: &LogSet, logs: &[&WebhookLog]) -> String {
    let mut out = String::with_capacity(logs.iter().map(|log| log.raw().len() + 2).sum::<usize>() + 4);
    push_array(&mut out, set, logs);
    out.push('\n');
    out
}

/// Appends `[`, the raw logs one a line, and `]` (no final newline), for the array and case files.
pub(super) fn push_array(out: &mut String, set: &LogSet, logs: &[&WebhookLog]) {
    out.extend(array_pieces(set, logs));
}

/// One log a line: an entry the server sent on one line (the Burki server sends compact JSON)
/// is printed as sent; one spread over several lines loses the whitespace between its tokens
/// (strings and number text are untouched).
#[must_use]
pub fn ndjson(set: &LogSet, logs: &[&WebhookLog]) -> String {
    let mut out = String::with_capacity(logs.iter().map(|log| log.raw().len() + 1).sum());
    out.extend(ndjson_pieces(set, logs));
    out
}

/// [`json_array`] written straight to `out`, for `--print`: a big call is never held twice.
///
/// # Errors
/// When `out` fails.
pub fn write_json_array(out: &mut impl io::Write, set: &LogSet, logs: &[&WebhookLog]) -> io::Result<()> {
    array_pieces(set, logs).chain([Cow::Borrowed("\n")]).try_for_each(|piece| out.write_all(piece.as_bytes()))
}

/// [`ndjson`] written straight to `out`, for `--print`.
///
/// # Errors
/// When `out` fails.
pub fn write_ndjson(out: &mut impl io::Write, set: &LogSet, logs: &[&WebhookLog]) -> io::Result<()> {
    ndjson_pieces(set, logs).try_for_each(|piece| out.write_all(piece.as_bytes()))
}

/// The array's text in order: `[`, each entry on its own line, `]`. One definition for the
/// string and the stream forms.
fn array_pieces<'a>(set: &'a LogSet, logs: &'a [&'a WebhookLog]) -> impl Iterator<Item = Cow<'a, str>> {
    let open = if logs.is_empty() { "[" } else { "[\n" };
    let entries = logs.iter().enumerate().flat_map(move |(n, log)| {
        [exact(set.raw(log), false), Cow::Borrowed(if n + 1 < logs.len() { ",\n" } else { "\n" })]
    });
    std::iter::once(Cow::Borrowed(open)).chain(entries).chain([Cow::Borrowed("]")])
}

fn ndjson_pieces<'a>(set: &'a LogSet, logs: &'a [&'a WebhookLog]) -> impl Iterator<Item = Cow<'a, str>> {
    logs.iter().flat_map(move |log| [one_line(set.raw(log)), Cow::Borrowed("\n")])
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
pub fn payload_pretty(set: &LogSet, log: &WebhookLog) -> Option<String> {
    set.payload(log).map(|raw| json_text::pretty(&exact(raw, false)))
}

/// Valid JSON text made safe to print without changing what it means: a control character
/// sitting raw inside a string becomes a `\u` escape. JSON forbids raw U+0000–U+001F in strings
/// but allows DEL and the C1 controls (U+0080–U+009F), and a UTF-8 encoded U+009B is a CSI to
/// some terminals. With `compact`, whitespace outside strings is dropped too.
///
/// Every text given here has passed the decoder's validating scanner (entries, payloads).
pub(super) fn exact(raw: &str, compact: bool) -> Cow<'_, str> {
    // Valid JSON holds no raw U+0000–U+001F but whitespace between tokens, so when nothing is to
    // be compacted only DEL and the C1 controls (C2 80 … C2 9F) can change: with neither of
    // their bytes anywhere, the text is its own result, found without walking its tokens.
    if !compact && memchr::memchr2(0x7F, 0xC2, raw.as_bytes()).is_none() {
        return Cow::Borrowed(raw);
    }
    walk_tokens(raw, compact)
}

/// [`exact`] token by token, for any text: a raw control character in a string (which JSON
/// forbids) is escaped too.
fn walk_tokens(raw: &str, compact: bool) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    // Allocated at the first change only: a compact entry with nothing to escape, the usual
    // case, is borrowed as it is after one pass over its bytes.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut replace = |out: &mut Option<String>, at: usize, skip: usize, with: &str| {
        let out = out.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
        out.push_str(&raw[copied..at]);
        out.push_str(with);
        copied = at + skip;
    };
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // String text a word at a time up to whatever needs a look: most of the bytes.
                i += 1;
                loop {
                    i = swar::first_flagged(bytes, i, b'a', string_specials);
                    match bytes.get(i) {
                        None => break,
                        Some(b'"') => {
                            i += 1;
                            break;
                        }
                        Some(b'\\') => i += 2,
                        // C1 controls are the two-byte UTF-8 sequences C2 80 … C2 9F.
                        Some(0xC2) if bytes.get(i + 1).is_some_and(|next| (0x80..0xA0).contains(next)) => {
                            replace(&mut out, i, 2, &format!("\\u{:04x}", bytes[i + 1]));
                            i += 2;
                        }
                        Some(0xC2) => i += 1,
                        Some(&control) => {
                            replace(&mut out, i, 1, &format!("\\u{control:04x}"));
                            i += 1;
                        }
                    }
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' if compact => {
                replace(&mut out, i, 1, "");
                i += 1;
            }
            _ => i += 1,
        }
    }
    match out {
        None => Cow::Borrowed(raw),
        Some(mut out) => {
            out.push_str(&raw[copied.min(raw.len())..]);
            Cow::Owned(out)
        }
    }
}

/// The bytes of a string's text that `exact` must look at: the end, an escape, and what may
/// be a control character.
fn string_specials(word: u64) -> u64 {
    swar::equal(word, b'"')
        | swar::equal(word, b'\\')
        | swar::below(word, 0x20)
        | swar::equal(word, 0x7F)
        | swar::equal(word, 0xC2)
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// The byte loop `exact` was before it went a word at a time: the reference it must agree
    /// with, byte for byte.
    fn byte_by_byte(raw: &str, compact: bool) -> Cow<'_, str> {
        let bytes = raw.as_bytes();
        // Allocated at the first change only: a compact entry with nothing to escape, the usual
        // case, is borrowed as it is after one pass over its bytes.
        let mut out: Option<String> = None;
        let mut run = 0;
        let mut in_string = false;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if in_string {
                match b {
                    b'\\' => i += 1,
                    b'"' => in_string = false,
                    // C1 controls are the two-byte UTF-8 sequences C2 80 … C2 9F.
                    0xC2 if bytes.get(i + 1).is_some_and(|next| (0x80..0xA0).contains(next)) => {
                        let out = out.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
                        out.push_str(&raw[run..i]);
                        let _ = write!(out, "\\u{:04x}", bytes[i + 1]);
                        i += 2;
                        run = i;
                        continue;
                    }
                    0x00..0x20 | 0x7F => {
                        let out = out.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
                        out.push_str(&raw[run..i]);
                        let _ = write!(out, "\\u{b:04x}");
                        run = i + 1;
                    }
                    _ => {}
                }
            } else if b == b'"' {
                in_string = true;
            } else if compact && matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                out.get_or_insert_with(|| String::with_capacity(raw.len())).push_str(&raw[run..i]);
                run = i + 1;
            }
            i += 1;
        }
        match out {
            None => Cow::Borrowed(raw),
            Some(mut out) => {
                out.push_str(&raw[run.min(raw.len())..]);
                Cow::Owned(out)
            }
        }
    }

    /// True when the text holds a control character other than the whitespace JSON allows between
    /// tokens (valid JSON can then only hold it raw inside a string).
    fn has_raw_control(raw: &str) -> bool {
        raw.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    }

    #[rstest::rstest]
    #[case::untouched(r#"{"a": [1, 2.50e3]}"#, false, r#"{"a": [1, 2.50e3]}"#)]
    #[case::compacted("{\n  \"a b\": [1,\r\n\t2]\n}", true, r#"{"a b":[1,2]}"#)]
    #[case::strings_keep_their_spaces(r#"{ "k" : " x , y " }"#, true, r#"{"k":" x , y "}"#)]
    #[case::escaped_quote_does_not_end_a_string(r#"["a\" b" , 1]"#, true, r#"["a\" b",1]"#)]
    #[case::del_and_c1_are_escaped("[\"a\u{7f}b\u{9b}c\u{85}\"]", false, r#"["a\u007fb\u009bc\u0085"]"#)]
    #[case::other_non_ascii_is_kept("[\"é\u{a0}電話😀\u{202e}\"]", true, "[\"é\u{a0}電話😀\u{202e}\"]")]
    #[case::big_numbers_kept(
        "[123456789012345678901234567890, -0.000e-0]",
        true,
        "[123456789012345678901234567890,-0.000e-0]"
    )]
    fn exact_changes_only_what_it_must(#[case] raw: &str, #[case] compact: bool, #[case] expected: &str) {
        assert_eq!(exact(raw, compact), expected);
        let before: serde_json::Value = serde_json::from_str(raw).unwrap();
        let after: serde_json::Value = serde_json::from_str(&exact(raw, compact)).unwrap();
        assert_eq!(before, after, "same meaning");
    }

    fn value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            any::<String>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..5)
                    .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn a_word_at_a_time_changes_exactly_what_the_byte_loop_did(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec!["\"", "\\\"", "\\\\", " ", "\n", "\t", "a", "é", "\u{7f}", "\u{85}", "\u{9b}", "\u{a0}", "\u{1}", "{", "}", ",", ":", "12", "longer plain text"]),
                0..40,
            ),
            compact in proptest::prelude::any::<bool>(),
        ) {
            let text = pieces.concat();
            proptest::prop_assert_eq!(walk_tokens(&text, compact), byte_by_byte(&text, compact));
        }

        #[test]
        fn the_shortcuts_agree_with_the_walk_on_valid_json(value in value(), pretty in proptest::prelude::any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
            proptest::prop_assert_eq!(exact(&text, false), walk_tokens(&text, false));
            // One line: compacted when it was pretty, as sent (but made safe) when it was not.
            proptest::prop_assert_eq!(one_line(&text), walk_tokens(&text, pretty));
        }

        #[test]
        fn compacting_pretty_json_gives_serde_json_compact_form(value in value()) {
            // Texts, not values, are compared: serde_json reads some floats back one ulp off.
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            let compact = exact(&pretty, true);
            proptest::prop_assert!(!has_raw_control(&compact));
            let serde_compact = serde_json::to_string(&value).unwrap();
            proptest::prop_assert_eq!(compact, exact(&serde_compact, false));
        }
    }
}
