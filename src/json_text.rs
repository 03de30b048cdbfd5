//! JSON handled as text, never through `serde_json::Value`: pretty-printing and printing
//! exactly as sent, on the one tokenizer ([`tokens`]) that redaction and highlighting share too,
//! validation, and string decoding.
//!
//! Why text: a copy of a payload must keep key order and number text exactly as the server
//! sent them (a 30-digit id stays 30 digits), `Value` refuses nesting past 128 levels, and
//! re-indenting tokens is a single pass over the bytes, several times faster than parse +
//! serialise. What is shown or copied has been validated already (by the decoder, or with
//! [`is_json`]); the functions here still take any text without panicking.

pub(crate) mod exact;
pub mod tokens;

pub use exact::exact;
use tokens::{Kind, Tokens};

/// Indentation used by every pretty-printed document hookscope shows or copies.
const INDENT: &str = "  ";

/// Deeper levels are indented no further. Indenting every level makes the output quadratic in
/// the depth: a payload nested 10,000 deep (60 KB) would become 200 MB of spaces. Past this
/// depth nothing fits on a screen anyway.
pub const MAX_INDENT_LEVELS: usize = 32;

/// Whether `text` is one JSON value (whitespace around it allowed). Unlike parsing into
/// `Value`, validating as a `RawValue` has no nesting limit.
#[must_use]
pub fn is_json(text: &str) -> bool {
    serde_json::from_str::<&serde_json::value::RawValue>(text).is_ok()
}

/// Re-indents valid JSON text with two spaces, one member per line, and `": "` after keys.
/// Empty objects and arrays stay on one line (`{}`, `[]`), as `serde_json` prints them.
/// Invalid input is not rejected: it is re-indented as far as the brackets allow.
#[must_use]
pub fn pretty(raw: &str) -> String {
    pretty_with(raw, false)
}

/// [`pretty`] for reading on screen: a `\uXXXX` escape inside a string (`"\u65e5\u672c"`) is
/// shown as the character it stands for (`"日本"`), a surrogate pair as one character. An
/// escape is kept as sent where the character would not be shown as itself (a control,
/// `\u001b`; a bidi override, `\u202e`; a lone surrogate, `\ud800`), or is a quote or
/// backslash, which a JSON string must escape. Views "as sent" and copies use [`pretty`].
#[must_use]
pub fn pretty_readable(raw: &str) -> String {
    pretty_with(raw, true)
}

fn pretty_with(raw: &str, readable: bool) -> String {
    let mut out = String::with_capacity(raw.len() + raw.len() / 2);
    let mut depth = 0usize;
    let mut tokens = Tokens::new(raw).filter(|token| token.kind != Kind::Whitespace).peekable();
    while let Some(token) = tokens.next() {
        match token.kind {
            Kind::Open(container) => {
                out.push_str(token.text);
                if let Some(close) = tokens.next_if(|next| next.kind == Kind::Close(container)) {
                    out.push_str(close.text);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            Kind::Close(_) => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push_str(token.text);
            }
            Kind::Comma => {
                out.push(',');
                newline(&mut out, depth);
            }
            Kind::Colon => out.push_str(": "),
            Kind::String { .. } if readable => push_unicode_escapes_shown(&mut out, token.text),
            // Strings, numbers and literals are copied untouched, so number text is kept exactly.
            _ => out.push_str(token.text),
        }
    }
    out
}

/// Appends a string literal with each `\uXXXX` escape (or surrogate pair) that stands for a
/// character shown as itself replaced by that character; everything else as it is.
fn push_unicode_escapes_shown(out: &mut String, literal: &str) {
    if !literal.contains("\\u") {
        out.push_str(literal);
        return;
    }
    let mut rest = literal;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let len = match unicode_escape(rest) {
            Some((c, len)) if c != '"' && c != '\\' && crate::sanitize::is_shown_as_itself(c) => {
                out.push(c);
                len
            }
            // Any other escape as sent: the backslash and the character it escapes (so that
            // `\\u00e9` stays an escaped backslash); a kept `\u` escape's digits follow as text.
            _ => {
                let escaped = rest[1..].chars().next().map_or(0, char::len_utf8);
                out.push_str(&rest[..=escaped]);
                1 + escaped
            }
        };
        rest = &rest[len..];
    }
    out.push_str(rest);
}

/// The character a `\uXXXX` escape at the start of `text` stands for, joined with a following
/// low surrogate escape when it is a high one, and the escape's length. `None` for a lone
/// surrogate or a bad escape.
fn unicode_escape(text: &str) -> Option<(char, usize)> {
    let unit = u16::from_str_radix(text.strip_prefix("\\u")?.get(..4)?, 16).ok()?;
    if !(0xD800..0xE000).contains(&unit) {
        return char::from_u32(u32::from(unit)).map(|c| (c, 6));
    }
    let low = u16::from_str_radix(text.get(6..)?.strip_prefix("\\u")?.get(..4)?, 16).ok()?;
    if !(0xD800..0xDC00).contains(&unit) || !(0xDC00..0xE000).contains(&low) {
        return None;
    }
    let code = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
    char::from_u32(code).map(|c| (c, 12))
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth.min(MAX_INDENT_LEVELS) {
        out.push_str(INDENT);
    }
}

/// Decodes a JSON string literal (with its quotes) into text.
///
/// Unlike `serde_json::from_str::<String>`, an escaped lone surrogate (`"\ud800"`, which some
/// servers emit when they cut a body in the middle of a pair) becomes U+FFFD instead of failing
/// the whole body. Returns `None` when `literal` is not a string at all.
#[must_use]
pub fn decode_string(literal: &str) -> Option<String> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    if memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_none() {
        // No escape: the text is what is between the quotes, as in most strings of a log.
        return Some(inner.to_owned());
    }
    if let Ok(text) = serde_json::from_str::<String>(literal) {
        return Some(text);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next()? {
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' => {
                let unit = hex4(&mut chars)?;
                if (0xD800..0xDC00).contains(&unit) {
                    // A high surrogate: only a following `\uDC00..DFFF` completes it.
                    let rest = chars.as_str();
                    if let Some(low) = rest.strip_prefix("\\u").and_then(|r| u16::from_str_radix(r.get(..4)?, 16).ok())
                        && (0xDC00..0xE000).contains(&low)
                    {
                        let code = 0x10000 + ((u32::from(unit) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
                        out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
                        chars.nth(5);
                        continue;
                    }
                    out.push(char::REPLACEMENT_CHARACTER);
                } else {
                    out.push(char::from_u32(u32::from(unit)).unwrap_or(char::REPLACEMENT_CHARACTER));
                }
            }
            other => out.push(other),
        }
    }
    Some(out)
}

fn hex4(chars: &mut std::str::Chars<'_>) -> Option<u16> {
    let digits: String = chars.by_ref().take(4).collect();
    if digits.len() == 4 { u16::from_str_radix(&digits, 16).ok() } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_key_order_and_number_text() {
        let raw = r#"{"z":1,"a":{"big":123456789012345678901234567890,"f":1.50e3},"e":[],"o":{},"s":"x,{\"y\":1}"}"#;
        assert_eq!(
            pretty(raw),
            "{\n  \"z\": 1,\n  \"a\": {\n    \"big\": 123456789012345678901234567890,\n    \"f\": 1.50e3\n  },\n  \"e\": [],\n  \"o\": {},\n  \"s\": \"x,{\\\"y\\\":1}\"\n}"
        );
    }

    #[test]
    fn pretty_matches_serde_json_on_ordinary_documents() {
        let raw = r#" { "message" : { "list":[1, 2 ,{"k":null}], "ok":true, "type":"status-update" } } "#;
        let value: serde_json::Value = serde_json::from_str(raw).unwrap();
        // serde_json without preserve_order sorts keys, so compare a document already sorted.
        assert_eq!(pretty(raw), serde_json::to_string_pretty(&value).unwrap());
    }

    #[test]
    fn pretty_handles_nesting_deeper_than_serde_json_allows() {
        let raw = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let out = pretty(&raw);
        assert_eq!(out.lines().count(), 2 * 9_999 + 1);
        let widest = out.lines().map(str::len).max().unwrap();
        assert_eq!(widest, INDENT.len() * MAX_INDENT_LEVELS + "[]".len(), "indentation stops growing");
        assert!(out.len() < 3 * 1024 * 1024, "linear in the depth: {} bytes", out.len());
    }

    #[rstest::rstest]
    #[case::cut_in_a_string("{\"a\": [1, \"cut", "{\n  \"a\": [\n    1,\n    \"cut")]
    #[case::more_closes_than_opens("1]}", "1\n]\n}")]
    #[case::words_that_are_not_json("{\"a\":undefined}", "{\n  \"a\": undefined\n}")]
    fn pretty_indents_invalid_json_as_far_as_it_goes(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(pretty(raw), expected);
    }

    #[test]
    fn is_json_validates_without_a_nesting_limit() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(is_json(&deep));
        assert!(serde_json::from_str::<serde_json::Value>(&deep).is_err(), "where `Value` gives up");
        assert!(!is_json(&deep[1..]), "one bracket short");
        assert!(is_json(" {\"a\": [1, \"x\", -0.5e3, null]}\n"));
        for not_json in ["", "{", "[1,]", "{\"a\" 1}", "\"raw\u{1}control\"", "1 2", "NaN", "{\"a\":1} ... [TRUNCATED]"]
        {
            assert!(!is_json(not_json), "{not_json:?}");
        }
    }

    #[rstest::rstest]
    #[case::cjk(r#"{"t":"\u65e5\u672c\u8a9e"}"#, "{\n  \"t\": \"日本語\"\n}")]
    #[case::in_a_key(r#"{"\u00e9t\u00e9":1}"#, "{\n  \"été\": 1\n}")]
    #[case::upper_case_hex(r#"["\u00C9"]"#, "[\n  \"É\"\n]")]
    #[case::surrogate_pair(r#"["\ud83d\ude00!"]"#, "[\n  \"😀!\"\n]")]
    #[case::escape_kept(r#"["a\u001b[31m"]"#, "[\n  \"a\\u001b[31m\"\n]")]
    #[case::bidi_kept(r#"["\u202eevil"]"#, "[\n  \"\\u202eevil\"\n]")]
    #[case::tab_kept(r#"["\u0009"]"#, "[\n  \"\\u0009\"\n]")]
    #[case::quote_and_backslash_kept(r#"["\u0022\u005c"]"#, "[\n  \"\\u0022\\u005c\"\n]")]
    #[case::lone_high_surrogate(r#"["\ud800x"]"#, "[\n  \"\\ud800x\"\n]")]
    #[case::lone_low_surrogate(r#"["\udc00\u00e9"]"#, "[\n  \"\\udc00é\"\n]")]
    #[case::high_then_high(r#"["\ud800\ud800"]"#, "[\n  \"\\ud800\\ud800\"\n]")]
    #[case::escaped_backslash_before_u(r#"["\\u00e9"]"#, "[\n  \"\\\\u00e9\"\n]")]
    #[case::other_escapes_as_sent(r#"["\n\"\/\u00e9"]"#, "[\n  \"\\n\\\"\\/é\"\n]")]
    #[case::cut_escape(r#"["\u00"#, "[\n  \"\\u00")]
    #[case::escape_before_a_wide_character(r#"["\é\u0é"]"#, "[\n  \"\\é\\u0é\"\n]")]
    #[case::backslash_at_the_end(r#"["\"#, "[\n  \"\\")]
    #[case::numbers_untouched("[1.50e3]", "[\n  1.50e3\n]")]
    fn readable_pretty_shows_unicode_escapes_as_characters(#[case] raw: &str, #[case] shown: &str) {
        assert_eq!(pretty_readable(raw), shown);
        assert_eq!(pretty(raw).matches("\\u").count(), raw.matches("\\u").count(), "pretty keeps every escape");
    }

    proptest::proptest! {
        #[test]
        fn readable_pretty_takes_any_text(text in r#"(\\u[0-9a-fA-FdD]{0,4}|\\|"|[a-zé\[\]{},:]){0,40}"#) {
            let shown = pretty_readable(&text);
            if !text.contains("\\u") {
                proptest::prop_assert_eq!(shown, pretty(&text));
            }
        }
    }

    #[test]
    fn decode_string_replaces_lone_surrogates() {
        assert_eq!(decode_string(r#""a\ud800b""#).unwrap(), "a\u{fffd}b");
        assert_eq!(decode_string(r#""\ud83d\ude00!""#).unwrap(), "😀!");
        assert_eq!(decode_string(r#""tab\there""#).unwrap(), "tab\there");
        assert_eq!(decode_string("12"), None);
    }
}
