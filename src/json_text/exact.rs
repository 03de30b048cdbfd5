//! JSON text printed exactly as it was sent, save what a terminal would act on.

use std::borrow::Cow;
use std::ops::Range;

use super::tokens::{Kind, Tokens};

/// Valid JSON text made safe to print without changing what it means: a control character
/// sitting raw inside a string becomes a `\u` escape. JSON forbids raw U+0000–U+001F in strings
/// but allows DEL and the C1 controls (U+0080–U+009F), and a UTF-8 encoded U+009B is a CSI to
/// some terminals. With `compact`, whitespace outside strings is dropped too.
#[must_use]
pub fn exact(raw: &str, compact: bool) -> Cow<'_, str> {
    // Valid JSON holds no raw U+0000–U+001F but whitespace between tokens, so when nothing is to
    // be compacted only DEL and the C1 controls (C2 80 … C2 9F) can change: with neither of
    // their bytes anywhere, the text is its own result, found without walking its tokens.
    if !compact && memchr::memchr2(0x7F, 0xC2, raw.as_bytes()).is_none() {
        return Cow::Borrowed(raw);
    }
    walk_tokens(raw, compact)
}

/// [`exact`] token by token, for any text: a raw control character in a string (which JSON
/// forbids) is escaped too, even right after a backslash, since the point is safe output.
fn walk_tokens(raw: &str, compact: bool) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    // Allocated at the first change only: a compact entry with nothing to escape, the usual
    // case, is borrowed as it is after one pass over its tokens.
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut replace = |range: Range<usize>, with: &str| {
        let out = out.get_or_insert_with(|| String::with_capacity(raw.len() + 16));
        out.push_str(&raw[copied..range.start]);
        out.push_str(with);
        copied = range.end;
    };
    for token in Tokens::new(raw) {
        match token.kind {
            Kind::String { .. } => {
                let mut at = token.start;
                while let Some(found) = next_control(&bytes[at..token.end()]) {
                    let control = at + found;
                    at = control + 1;
                    let code = match (bytes[control], bytes.get(control + 1)) {
                        // C1 controls are the two-byte UTF-8 sequences C2 80 … C2 9F.
                        (0xC2, Some(&second)) if (0x80..0xA0).contains(&second) => {
                            at += 1;
                            second
                        }
                        (0xC2, _) => continue,
                        (control, _) => control,
                    };
                    replace(control..at, &format!("\\u{code:04x}"));
                }
            }
            Kind::Whitespace if compact => replace(token.range(), ""),
            _ => {}
        }
    }
    match out {
        None => Cow::Borrowed(raw),
        Some(mut out) => {
            out.push_str(&raw[copied..]);
            Cow::Owned(out)
        }
    }
}

/// The offset of the first byte that may need escaping: a C0 control, DEL, or 0xC2 (the lead
/// byte of the C1 controls).
fn next_control(bytes: &[u8]) -> Option<usize> {
    let needs_a_look = |b: u8| matches!(b, 0x00..0x20 | 0x7F | 0xC2);
    // Blocks with no early exit inside, which the compiler tests many bytes at a time: string
    // text is most of a document, and nearly all of it needs nothing.
    let mut offset = 0;
    for block in bytes.chunks(32) {
        if block.iter().fold(false, |found, &b| found | needs_a_look(b)) {
            return block.iter().position(|&b| needs_a_look(b)).map(|at| offset + at);
        }
        offset += block.len();
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use std::fmt::Write as _;

    use super::*;

    /// A byte loop written without the tokenizer: the reference [`walk_tokens`] must agree
    /// with, byte for byte.
    fn byte_by_byte(raw: &str, compact: bool) -> Cow<'_, str> {
        let bytes = raw.as_bytes();
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

    #[rstest::rstest]
    #[case::raw_controls_in_a_string("[\"a\u{1}\tb\n\"]", "[\"a\\u0001\\u0009b\\u000a\"]")]
    #[case::cut_in_a_string("{\"a\": \"x\u{1b}", "{\"a\":\"x\\u001b")]
    #[case::control_after_a_backslash("[\"a\\\u{9b}\"]", "[\"a\\\\u009b\"]")]
    #[case::controls_outside_strings_are_not_json_and_kept("[1\u{7f}]", "[1\u{7f}]")]
    fn any_text_gives_strings_without_raw_controls(#[case] raw: &str, #[case] expected: &str) {
        assert_eq!(walk_tokens(raw, true), expected);
    }

    #[test]
    fn text_with_nothing_to_change_is_borrowed() {
        let long_plain = format!("[\"{}\",1]", "plain text ".repeat(100));
        assert!(matches!(exact(&long_plain, false), Cow::Borrowed(_)));
        assert!(matches!(walk_tokens(&long_plain, true), Cow::Borrowed(_)));
        assert!(matches!(walk_tokens("[\"é\u{a0}\"]", false), Cow::Borrowed(_)), "C2 A0 is no control");
    }

    /// Valid JSON of every kind, strings with any characters, for properties over valid JSON.
    pub(crate) fn value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
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
        fn the_token_walk_changes_exactly_what_a_byte_loop_does(
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
        fn the_shortcut_agrees_with_the_walk_on_valid_json(value in value(), pretty in proptest::prelude::any::<bool>()) {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
            proptest::prop_assert_eq!(exact(&text, false), walk_tokens(&text, false));
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
