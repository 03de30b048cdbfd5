//! A validating JSON scanner: where a value ends, and nothing built on the way.
//!
//! Decoding a log needs only where each member's value sits (it is kept as text, DESIGN.md,
//! Data), so parsing into anything is wasted work. Written here rather than taken from
//! `serde_json`, which the decoder used before: reading an entry's members through serde's
//! visitor with `RawValue`s cost about three times the pure skip, and this scanner's skip is
//! itself ~1.4× quicker than `serde_json`'s `IgnoredAny` on a real call (strings are scanned a
//! word at a time). It accepts exactly the JSON that `serde_json` accepts from a `&str`
//! (RFC 8259; a property test holds the two together), with no limit on nesting: `serde_json`
//! skips a `RawValue` without one too, and payloads 10,000 levels deep must still load.

use crate::swar;

/// Where the value starting at `at` (after any whitespace) ends; `None` when no valid JSON
/// value starts there. `nesting` is scratch space, reused between calls to spare allocations.
#[must_use]
pub(crate) fn value_end(bytes: &[u8], at: usize, nesting: &mut Vec<u8>) -> Option<usize> {
    nesting.clear();
    let mut at = at;
    loop {
        at = skip_whitespace(bytes, at);
        at = match *bytes.get(at)? {
            b'"' => string_end(bytes, at)?,
            b'{' => {
                at = skip_whitespace(bytes, at + 1);
                if bytes.get(at) == Some(&b'}') {
                    at + 1
                } else {
                    nesting.push(b'}');
                    at = member_value_start(bytes, at)?;
                    continue;
                }
            }
            b'[' => {
                at = skip_whitespace(bytes, at + 1);
                if bytes.get(at) == Some(&b']') {
                    at + 1
                } else {
                    nesting.push(b']');
                    continue;
                }
            }
            b't' => literal_end(bytes, at, b"true")?,
            b'f' => literal_end(bytes, at, b"false")?,
            b'n' => literal_end(bytes, at, b"null")?,
            _ => number_end(bytes, at)?,
        };
        // A value is complete: close what it completes, up to the next value to read.
        loop {
            let Some(&close) = nesting.last() else { return Some(at) };
            at = skip_whitespace(bytes, at);
            match *bytes.get(at)? {
                b',' if close == b'}' => {
                    at = member_value_start(bytes, skip_whitespace(bytes, at + 1))?;
                    break;
                }
                b',' => {
                    at += 1;
                    break;
                }
                byte if byte == close => {
                    nesting.pop();
                    at += 1;
                }
                _ => return None,
            }
        }
    }
}

/// [`value_end`] for a value that starts exactly at `at`, with the scalars a log's own members
/// mostly are read on the spot rather than through the general loop.
#[must_use]
pub(crate) fn member_value_end(bytes: &[u8], at: usize, nesting: &mut Vec<u8>) -> Option<usize> {
    match *bytes.get(at)? {
        b'"' => string_end(bytes, at),
        b'0'..=b'9' | b'-' => number_end(bytes, at),
        b't' => literal_end(bytes, at, b"true"),
        b'f' => literal_end(bytes, at, b"false"),
        b'n' => literal_end(bytes, at, b"null"),
        _ => value_end(bytes, at, nesting),
    }
}

/// Past `"key"` and `:` at `at`: where the member's value (or whitespace before it) starts.
fn member_value_start(bytes: &[u8], at: usize) -> Option<usize> {
    (bytes.get(at) == Some(&b'"')).then_some(())?;
    let colon = skip_whitespace(bytes, string_end(bytes, at)?);
    (bytes.get(colon) == Some(&b':')).then_some(colon + 1)
}

#[must_use]
pub(crate) fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

fn literal_end(bytes: &[u8], at: usize, literal: &[u8]) -> Option<usize> {
    (bytes.get(at..at + literal.len())? == literal).then_some(at + literal.len())
}

/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
fn number_end(bytes: &[u8], at: usize) -> Option<usize> {
    let mut at = at + usize::from(bytes.get(at) == Some(&b'-'));
    at = match bytes.get(at)? {
        b'0' => at + 1,
        b'1'..=b'9' => digits_end(bytes, at + 1),
        _ => return None,
    };
    // Most numbers in a log are integers: their end is known here.
    match bytes.get(at) {
        Some(b'.' | b'e' | b'E') => fraction_and_exponent_end(bytes, at),
        _ => Some(at),
    }
}

fn digits_end(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_digit) {
        at += 1;
    }
    at
}

/// The rest of a number from `at`, where a `.`, `e` or `E` follows its integer part.
#[inline(never)]
fn fraction_and_exponent_end(bytes: &[u8], mut at: usize) -> Option<usize> {
    if bytes.get(at) == Some(&b'.') {
        let end = digits_end(bytes, at + 1);
        (end > at + 1).then_some(())?;
        at = end;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1 + usize::from(matches!(bytes.get(at + 1), Some(b'+' | b'-')));
        let end = digits_end(bytes, at);
        (end > at).then_some(())?;
        at = end;
    }
    Some(at)
}

/// The bytes of `word` that may end a run of plain string text: `"`, `\` or a control
/// character.
fn string_stoppers(word: u64) -> u64 {
    quotes_or_backslashes(word) | swar::below(word, 0x20)
}

fn quotes_or_backslashes(word: u64) -> u64 {
    swar::equal(word, b'"') | swar::equal(word, b'\\')
}

/// Whether `bytes` holds a `"` or a `\`: whether a string's text needs decoding. A word at a
/// time with no byte loop, for the many short strings of a log (types, times, URLs), where a
/// byte loop or memchr's set-up cost more than the check.
#[must_use]
pub(crate) fn has_quote_or_backslash(bytes: &[u8]) -> bool {
    let found = |word: u64| quotes_or_backslashes(word) != 0;
    if bytes.len() < 8 {
        // Zero bytes pad the word: they are neither.
        let mut padded = [0; 8];
        padded[..bytes.len()].copy_from_slice(bytes);
        return found(u64::from_le_bytes(padded));
    }
    // The last word overlaps the one before it instead of leaving a tail.
    let word = swar::word;
    bytes.chunks_exact(8).any(|chunk| found(word(chunk))) || found(word(&bytes[bytes.len() - 8..]))
}

/// Where the string literal whose opening quote is at `at` ends (just past its closing quote);
/// `None` for a bad escape, a raw control character or no closing quote.
#[must_use]
#[inline]
pub(crate) fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    string_literal(bytes, at).map(|literal| literal.end)
}

/// A string literal scanned: where it ends, and whether its text needs decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Literal {
    pub(crate) end: usize,
    pub(crate) escaped: bool,
}

/// [`string_end`], also saying whether the literal holds escapes: a member name without any is
/// its own text, read with no second pass.
#[must_use]
#[inline]
pub(crate) fn string_literal(bytes: &[u8], at: usize) -> Option<Literal> {
    // Most strings hold no escape: that case is kept small enough to inline into the scanner.
    let stop = first_stopper(bytes, at + 1);
    if bytes.get(stop) == Some(&b'"') {
        return Some(Literal { end: stop + 1, escaped: false });
    }
    escaped_string_rest(bytes, stop)
}

/// Plain string text a word at a time, up to the first `"`, `\` or control character.
#[inline]
fn first_stopper(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..at + 8) {
        let stoppers = string_stoppers(swar::word(chunk));
        if stoppers != 0 {
            return at + (stoppers.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    swar::first_flagged(bytes, at, b'a', string_stoppers)
}

/// The rest of a string literal from `at`, where plain text stopped at something else than the
/// closing quote: an escape, or a character that ends it as invalid.
#[inline(never)]
fn escaped_string_rest(bytes: &[u8], mut at: usize) -> Option<Literal> {
    loop {
        match *bytes.get(at)? {
            b'"' => return Some(Literal { end: at + 1, escaped: true }),
            b'\\' => {
                at += match *bytes.get(at + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => 2,
                    // A lone surrogate passes: it is valid JSON text, and the string decoder
                    // turns it into U+FFFD.
                    b'u' if bytes.get(at + 2..at + 6)?.iter().all(u8::is_ascii_hexdigit) => 6,
                    _ => return None,
                };
            }
            _ => return None,
        }
        at = first_stopper(bytes, at);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::value::RawValue;

    use super::*;

    fn end(text: &str) -> Option<usize> {
        value_end(text.as_bytes(), 0, &mut Vec::new())
    }

    #[rstest::rstest]
    #[case::string(r#""a\"b\\\u00e9\ud800" tail"#, Some(20))]
    #[case::nested(r#"{"a":[1,{"b":null}],"c":{}} ,"#, Some(27))]
    #[case::numbers("[0,-1.5e+3,2E-0,10]", Some(19))]
    #[case::literals("[true,false,null]", Some(17))]
    #[case::spaces(" \t\n\r[ 1 , { \"k\" : 2 } ]", Some(23))]
    #[case::leading_zero_ends_the_number("01", Some(1))]
    #[case::trailing_comma("[1,]", None)]
    #[case::trailing_comma_in_object(r#"{"a":1,}"#, None)]
    #[case::bare_key(r"{a:1}", None)]
    #[case::missing_colon(r#"{"a" 1}"#, None)]
    #[case::mismatched("[1}", None)]
    #[case::unclosed(r#"{"a":[1"#, None)]
    #[case::bad_escape(r#""\x""#, None)]
    #[case::short_unicode_escape(r#""\u12""#, None)]
    #[case::raw_newline_in_string("\"a\nb\"", None)]
    #[case::half_literal("tru", None)]
    #[case::plus("+1", None)]
    #[case::bare_fraction(".5", None)]
    #[case::dot_without_digits("1.", None)]
    #[case::exponent_without_digits("1e+", None)]
    #[case::empty("", None)]
    fn value_ends(#[case] text: &str, #[case] expected: Option<usize>) {
        assert_eq!(end(text), expected);
    }

    #[test]
    fn quotes_and_backslashes_are_found_anywhere() {
        let text = "plain text, long enough for several words: é😀\u{1}".as_bytes();
        assert!(!has_quote_or_backslash(text));
        for at in 0..=text.len() {
            for needle in [b'"', b'\\'] {
                let mut bytes = text.to_vec();
                bytes.insert(at, needle);
                assert!(has_quote_or_backslash(&bytes), "{} at {at}", needle as char);
            }
        }
    }

    #[test]
    fn nesting_has_no_limit() {
        let deep = format!("{}1{}", "[{\"a\":".repeat(20_000), "}]".repeat(20_000));
        assert_eq!(end(&deep), Some(deep.len()));
        assert_eq!(end(&deep[..deep.len() - 1]), None);
    }

    /// Where `serde_json` says the value at the start of `text` ends, as a `RawValue`.
    fn serde_end(text: &str) -> Option<usize> {
        let mut values = serde_json::Deserializer::from_str(text).into_iter::<&RawValue>();
        let value = values.next()?.ok()?;
        Some(value.get().as_ptr().addr() - text.as_ptr().addr() + value.get().len())
    }

    /// Text made of JSON's own pieces, so that most cases are nearly valid.
    fn json_like() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("{"),
            Just("}"),
            Just("["),
            Just("]"),
            Just(","),
            Just(":"),
            Just("\""),
            Just("\\"),
            Just("\\u00e9"),
            Just("\\ud83d"),
            Just("\\n"),
            Just("\\q"),
            Just(" "),
            Just("\n"),
            Just("\u{1}"),
            Just("a"),
            Just("é😀"),
            Just("0"),
            Just("12"),
            Just("-"),
            Just("."),
            Just("e"),
            Just("E+"),
            Just("true"),
            Just("fals"),
            Just("null"),
            Just("\"k\":"),
            Just("\"text, with {brackets}\""),
        ];
        proptest::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn agrees_with_serde_json_on_where_a_value_ends(text in json_like()) {
            // serde_json also wants a number to be followed by a delimiter; the array decoder
            // checks what follows every element itself, so only the values are compared.
            let serde = serde_end(&text);
            let ours = end(&text);
            match serde {
                Some(_) => prop_assert_eq!(ours, serde),
                None => prop_assert!(
                    ours.is_none() || text.as_bytes().get(ours.unwrap()).is_some_and(|b| !b" \t\n\r,]}:\"[{".contains(b)),
                    "we accept {:?} of {:?}", ours, text
                ),
            }
        }

        #[test]
        fn agrees_with_serde_json_on_generated_documents(value in any_value()) {
            for text in [serde_json::to_string(&value).unwrap(), serde_json::to_string_pretty(&value).unwrap()] {
                prop_assert_eq!(end(&text), Some(text.len()));
                for cut in (0..text.len()).filter(|&cut| text.is_char_boundary(cut)) {
                    prop_assert_eq!(end(&text[..cut]).is_some(), serde_end(&text[..cut]).is_some(), "{:?}", &text[..cut]);
                }
            }
        }
    }

    fn any_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            any::<String>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
            any::<bool>().prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
                proptest::collection::vec((any::<String>(), inner), 0..4)
                    .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
            ]
        })
    }
}
