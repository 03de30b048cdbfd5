//! JSON text as a stream of tokens with their byte ranges: the one tokenizer behind
//! pretty-printing, exact re-escaping, redaction and highlighting.
//!
//! It takes any text, since bodies arrive cut in the middle of a string and payloads may hold
//! anything: every byte belongs to exactly one token, so the tokens put end to end give back
//! the text. A string that never closes runs to the end of the text; brackets come out as they
//! are, balanced or not, and what nesting means is left to the caller.

use std::ops::Range;

/// What an opening or closing bracket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Object,
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string literal, quotes included. `key` when the next token that is not whitespace is
    /// a `:`, which in valid JSON is exactly a member's name, and needs no nesting to tell
    /// (a highlighter sees one line at a time). `closed` is false for a string that runs to
    /// the end of the text.
    String {
        key: bool,
        closed: bool,
    },
    /// A run starting with `-` or a digit, up to the next whitespace or structural byte: the
    /// text of a number, never rewritten.
    Number,
    /// `true`, `false` or `null`.
    Literal,
    Open(Container),
    Close(Container),
    Colon,
    Comma,
    /// A run of the whitespace JSON allows between tokens: space, tab, line feed, return.
    Whitespace,
    /// Any other run up to the next whitespace or structural byte (`undefined`, `NaN`, a stray
    /// character): not JSON, kept as it is.
    Other,
}

/// One token and where it is in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub kind: Kind,
    /// The byte offset of the token in the text.
    pub start: usize,
    pub text: &'a str,
}

impl Token<'_> {
    #[must_use]
    pub fn end(&self) -> usize {
        self.start + self.text.len()
    }

    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end()
    }
}

/// The tokens of a text, in order. Each step consumes at least one byte, so it always ends.
#[derive(Debug, Clone)]
pub struct Tokens<'a> {
    text: &'a str,
    at: usize,
    /// The text begins inside a string whose opening quote came before it.
    inside_string: bool,
}

impl<'a> Tokens<'a> {
    #[must_use]
    pub fn new(text: &'a str) -> Self {
        Self { text, at: 0, inside_string: false }
    }

    /// The tokens of text that begins inside a string (a line after one where a string did
    /// not close): the first token is the rest of that string, with no opening quote.
    #[must_use]
    pub fn inside_string(text: &'a str) -> Self {
        Self { text, at: 0, inside_string: true }
    }

    /// Called after an opening bracket: consumes the tokens up to the bracket that closes it
    /// (of either kind, so a mismatched one still ends it) and returns the offset just past
    /// that, or the length of the text when nothing closes it.
    pub fn skip_container(&mut self) -> usize {
        let mut depth = 1usize;
        for token in self.by_ref() {
            match token.kind {
                Kind::Open(_) => depth += 1,
                Kind::Close(_) => {
                    depth -= 1;
                    if depth == 0 {
                        return token.end();
                    }
                }
                _ => {}
            }
        }
        self.text.len()
    }

    /// The string whose text starts at `from`, after its opening quote: its kind and its end.
    fn string(&self, from: usize) -> (Kind, usize) {
        let bytes = self.text.as_bytes();
        let mut at = from;
        // memchr jumps over the text between quotes and backslashes: most of a payload's bytes.
        while let Some(found) = bytes.get(at..).and_then(|rest| memchr::memchr2(b'"', b'\\', rest)) {
            at += found;
            if bytes[at] == b'"' {
                let end = at + 1;
                let key = bytes[end..].iter().find(|&&b| !is_whitespace(b)) == Some(&b':');
                return (Kind::String { key, closed: true }, end);
            }
            // A backslash and the byte it escapes.
            at += 2;
        }
        (Kind::String { key: false, closed: false }, bytes.len())
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let first = *bytes.get(start)?;
        let single = |kind| (kind, start + 1);
        let (kind, end) = if std::mem::take(&mut self.inside_string) {
            self.string(start)
        } else {
            match first {
                b'"' => self.string(start + 1),
                b'{' => single(Kind::Open(Container::Object)),
                b'[' => single(Kind::Open(Container::Array)),
                b'}' => single(Kind::Close(Container::Object)),
                b']' => single(Kind::Close(Container::Array)),
                b':' => single(Kind::Colon),
                b',' => single(Kind::Comma),
                b if is_whitespace(b) => (Kind::Whitespace, run_end(bytes, start, |b| !is_whitespace(b))),
                _ => {
                    let end = run_end(bytes, start, |b| is_whitespace(b) || is_structural(b));
                    let kind = match &bytes[start..end] {
                        b"true" | b"false" | b"null" => Kind::Literal,
                        [b'-' | b'0'..=b'9', ..] => Kind::Number,
                        _ => Kind::Other,
                    };
                    (kind, end)
                }
            }
        };
        self.at = end;
        // Every end is after an ASCII byte or at the end of the text: a character boundary.
        Some(Token { kind, start, text: &self.text[start..end] })
    }
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_structural(b: u8) -> bool {
    matches!(b, b'"' | b'{' | b'}' | b'[' | b']' | b':' | b',')
}

/// The first offset after `start` whose byte passes `stop`, or the end of the text.
fn run_end(bytes: &[u8], start: usize, stop: impl Fn(u8) -> bool) -> usize {
    bytes[start + 1..].iter().position(|&b| stop(b)).map_or(bytes.len(), |offset| start + 1 + offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(tokens: Tokens<'_>) -> Vec<(Kind, &str)> {
        tokens.map(|token| (token.kind, token.text)).collect()
    }

    const OBJECT: Container = Container::Object;
    const ARRAY: Container = Container::Array;
    const KEY: Kind = Kind::String { key: true, closed: true };
    const VALUE: Kind = Kind::String { key: false, closed: true };
    const CUT: Kind = Kind::String { key: false, closed: false };
    const SPACE: Kind = Kind::Whitespace;

    #[test]
    fn every_kind_of_token_with_its_text() {
        let text = "{\"k\\\"ey\" :[-1.5e3, true,null ,\"v\"],\r\n\t\"n\":0}";
        assert_eq!(
            kinds(Tokens::new(text)),
            [
                (Kind::Open(OBJECT), "{"),
                (KEY, "\"k\\\"ey\""),
                (SPACE, " "),
                (Kind::Colon, ":"),
                (Kind::Open(ARRAY), "["),
                (Kind::Number, "-1.5e3"),
                (Kind::Comma, ","),
                (SPACE, " "),
                (Kind::Literal, "true"),
                (Kind::Comma, ","),
                (Kind::Literal, "null"),
                (SPACE, " "),
                (Kind::Comma, ","),
                (VALUE, "\"v\""),
                (Kind::Close(ARRAY), "]"),
                (Kind::Comma, ","),
                (SPACE, "\r\n\t"),
                (KEY, "\"n\""),
                (Kind::Colon, ":"),
                (Kind::Number, "0"),
                (Kind::Close(OBJECT), "}"),
            ]
        );
    }

    #[rstest::rstest]
    #[case::number_text_kept_whole("123456789012345678901234567890", Kind::Number)]
    #[case::a_word_that_is_no_literal("truex", Kind::Other)]
    #[case::not_a_number("NaN", Kind::Other)]
    #[case::digits_then_junk("12é", Kind::Number)]
    #[case::control_characters("\u{1b}(B\u{7}", Kind::Other)]
    fn runs_end_at_whitespace_or_structure(#[case] word: &str, #[case] kind: Kind) {
        assert_eq!(kinds(Tokens::new(&format!("{word},"))), [(kind, word), (Kind::Comma, ",")]);
    }

    #[test]
    fn an_unterminated_string_runs_to_the_end() {
        assert_eq!(kinds(Tokens::new("[\"abc, 1]")), [(Kind::Open(ARRAY), "["), (CUT, "\"abc, 1]")]);
        assert_eq!(kinds(Tokens::new("\"ends in a backslash\\")), [(CUT, "\"ends in a backslash\\")]);
        assert_eq!(kinds(Tokens::new("\"escaped quote\\\"")), [(CUT, "\"escaped quote\\\"")]);
        assert_eq!(kinds(Tokens::new("\"")), [(CUT, "\"")]);
    }

    #[test]
    fn a_key_is_a_string_before_a_colon() {
        assert_eq!(kinds(Tokens::new("\"a\"\t :")).first(), Some(&(KEY, "\"a\"")));
        assert_eq!(kinds(Tokens::new("[\"a\", \"b\"]"))[1], (VALUE, "\"a\""));
        assert_eq!(kinds(Tokens::new("\"a\" x :"))[0], (VALUE, "\"a\""), "only whitespace may come between");
    }

    #[test]
    fn text_that_begins_inside_a_string() {
        assert_eq!(
            kinds(Tokens::inside_string("rest\\\" of it\": 1")),
            [(KEY, "rest\\\" of it\""), (Kind::Colon, ":"), (SPACE, " "), (Kind::Number, "1")]
        );
        assert_eq!(kinds(Tokens::inside_string("\", 2"))[0], (VALUE, "\""), "the closing quote alone");
        assert_eq!(kinds(Tokens::inside_string("still going")), [(CUT, "still going")]);
        assert!(kinds(Tokens::inside_string("")).is_empty());
    }

    #[test]
    fn unbalanced_brackets_come_out_as_they_are() {
        assert_eq!(
            kinds(Tokens::new("]}{[")),
            [
                (Kind::Close(ARRAY), "]"),
                (Kind::Close(OBJECT), "}"),
                (Kind::Open(OBJECT), "{"),
                (Kind::Open(ARRAY), "["),
            ]
        );
    }

    #[rstest::rstest]
    #[case::nested(r#"{"a":[1,{"b":"}]"}],"c":2} tail"#, r#"{"a":[1,{"b":"}]"}],"c":2}"#)]
    #[case::empty("[] tail", "[]")]
    #[case::mismatched_close_still_closes("[1} tail", "[1}")]
    #[case::never_closed("{\"a\": [1, 2", "{\"a\": [1, 2")]
    fn skip_container_ends_after_the_matching_bracket(#[case] text: &str, #[case] container: &str) {
        let mut tokens = Tokens::new(text);
        assert!(matches!(tokens.next().map(|token| token.kind), Some(Kind::Open(_))));
        assert_eq!(tokens.skip_container(), container.len());
        let rest: String = tokens.map(|token| token.text).collect();
        assert_eq!(rest, &text[container.len()..]);
    }

    #[test]
    fn ten_thousand_levels_deep() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let mut tokens = Tokens::new(&text);
        tokens.next();
        assert_eq!(tokens.skip_container(), text.len());
    }
}
