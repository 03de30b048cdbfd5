//! JSON handled as text: pretty-printing and string decoding that never go through
//! `serde_json::Value`.
//!
//! Why by hand: a copy of a payload must keep key order and number text exactly as the server
//! sent them (a 30-digit id stays 30 digits), `Value` refuses nesting past 128 levels, and
//! re-indenting tokens is a single pass over the bytes, several times faster than parse +
//! serialise. The input has already been validated (by the decoder's scanner, `model/scan.rs`,
//! or by `serde_json` for a call's details), so the re-indenter only has to track strings and
//! brackets.

/// Indentation used by every pretty-printed document hookscope shows or copies.
const INDENT: &str = "  ";

/// Deeper levels are indented no further. Indenting every level makes the output quadratic in
/// the depth: a payload nested 10,000 deep (60 KB) became 200 MB of spaces and froze the
/// explorer for minutes. Past this depth nothing fits on a screen anyway.
pub const MAX_INDENT_LEVELS: usize = 32;

/// Re-indents valid JSON text with two spaces, one member per line, and `": "` after keys.
/// Empty objects and arrays stay on one line (`{}`, `[]`), as `serde_json` prints them.
/// Invalid input is not rejected: it is re-indented as far as the brackets allow.
#[must_use]
pub fn pretty(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len() + raw.len() / 2);
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let end = string_end(bytes, i);
                out.push_str(&raw[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                let next = next_significant(bytes, i + 1);
                if next.is_some_and(|(_, c)| c == close) {
                    out.push(b as char);
                    out.push(close as char);
                    i = next.map_or(bytes.len(), |(at, _)| at + 1);
                    continue;
                }
                out.push(b as char);
                depth += 1;
                newline(&mut out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(b as char);
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            b':' => out.push_str(": "),
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => {
                // A number, `true`, `false` or `null`: copy the run of bytes up to the next
                // structural character untouched, so number text is kept exactly.
                let start = i;
                while i < bytes.len()
                    && !matches!(
                        bytes[i],
                        b',' | b'}' | b']' | b':' | b'"' | b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'['
                    )
                {
                    i += 1;
                }
                out.push_str(&raw[start..i]);
                continue;
            }
        }
        i += 1;
    }
    out
}

fn newline(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth.min(MAX_INDENT_LEVELS) {
        out.push_str(INDENT);
    }
}

fn next_significant(bytes: &[u8], from: usize) -> Option<(usize, u8)> {
    bytes[from..]
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .map(|offset| (from + offset, bytes[from + offset]))
}

/// The index just past the closing quote of the string starting at `start` (or the end of the
/// input for an unterminated string).
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    // memchr jumps over the text between quotes and backslashes: most of a payload's bytes.
    let mut i = start + 1;
    while let Some(found) = bytes.get(i..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
        i += found;
        if bytes[i] == b'"' {
            return i + 1;
        }
        i += 2;
    }
    bytes.len()
}

/// The text of a string literal that holds no escapes, which is then the text between the
/// quotes: most strings of a log, read without a parser.
#[must_use]
pub(crate) fn unescaped_string(literal: &str) -> Option<&str> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    memchr::memchr2(b'"', b'\\', inner.as_bytes()).is_none().then_some(inner)
}

/// Decodes a JSON string literal (with its quotes) into text.
///
/// Unlike `serde_json::from_str::<String>`, an escaped lone surrogate (`"\ud800"`, which some
/// servers emit when they cut a body in the middle of a pair) becomes U+FFFD instead of failing
/// the whole body. Returns `None` when `literal` is not a string at all.
#[must_use]
pub fn decode_string(literal: &str) -> Option<String> {
    if let Some(text) = unescaped_string(literal) {
        return Some(text.to_owned());
    }
    if let Ok(text) = serde_json::from_str::<String>(literal) {
        return Some(text);
    }
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
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

    #[test]
    fn decode_string_replaces_lone_surrogates() {
        assert_eq!(decode_string(r#""a\ud800b""#).unwrap(), "a\u{fffd}b");
        assert_eq!(decode_string(r#""\ud83d\ude00!""#).unwrap(), "😀!");
        assert_eq!(decode_string(r#""tab\there""#).unwrap(), "tab\there");
        assert_eq!(decode_string("12"), None);
    }
}
