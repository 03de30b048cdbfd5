//! JSON without syntect: the tokens of [`crate::json_text::tokens`] in the theme's colours for
//! syntect's scopes.
//!
//! syntect manages about 1.5 MB/s on JSON here (fancy-regex, a regex set tried at every token),
//! so a 1.5 MB payload would take a second of a core. JSON's tokens never need more than the
//! rest of their line to classify (a key is a string followed by `:`), so this runs at hundreds
//! of MB/s and keeps every style a theme gives syntect's JSON syntax. HTML and XML bodies, which
//! the server cuts at 10 KB anyway, still go through syntect.

use ratatui::style::Style;
use syntect::highlighting::Highlighter as ThemeHighlighter;
use syntect::parsing::Scope;

use super::color::Palette;
use crate::json_text::tokens::{Kind, Token, Tokens};

/// The styles the theme gives the scopes syntect's JSON syntax would assign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct JsonStyles {
    key: Style,
    key_quote: Style,
    string: Style,
    string_quote: Style,
    escape: Style,
    number: Style,
    constant: Style,
    punctuation: Style,
}

impl JsonStyles {
    pub(super) fn new(theme: &ThemeHighlighter<'_>, palette: &Palette) -> Self {
        const DICTIONARY: &str = "meta.structure.dictionary.json";
        const KEY: &str = "meta.structure.dictionary.key.json";
        const VALUE: &str = "meta.structure.dictionary.value.json";
        const STRING: &str = "string.quoted.double.json";
        const QUOTE: &str = "punctuation.definition.string.begin.json";
        let style = |scopes: &[&str]| {
            let stack: Vec<Scope> = std::iter::once("source.json")
                .chain(scopes.iter().copied())
                .filter_map(|s| Scope::new(s).ok())
                .collect();
            palette.style(theme.style_for_stack(&stack))
        };
        Self {
            key: style(&[DICTIONARY, KEY, STRING]),
            key_quote: style(&[DICTIONARY, KEY, STRING, QUOTE]),
            string: style(&[DICTIONARY, VALUE, STRING]),
            string_quote: style(&[DICTIONARY, VALUE, STRING, QUOTE]),
            escape: style(&[DICTIONARY, VALUE, STRING, "constant.character.escape.json"]),
            number: style(&[DICTIONARY, VALUE, "constant.numeric.json"]),
            constant: style(&[DICTIONARY, VALUE, "constant.language.json"]),
            punctuation: style(&[DICTIONARY, "punctuation.separator.dictionary.pair.json"]),
        }
    }
}

/// Style changes, merged as they are recorded.
struct Runs {
    changes: Vec<(u32, Style)>,
    current: Style,
    len: usize,
}

impl Runs {
    /// A change at the very end (a quote that ends the line opens a string) styles nothing.
    fn set(&mut self, at: usize, style: Style) {
        if style == self.current || at >= self.len {
            return;
        }
        self.current = style;
        let at = u32::try_from(at).unwrap_or(u32::MAX);
        match self.changes.last_mut() {
            Some(last) if last.0 == at => last.1 = style,
            _ => self.changes.push((at, style)),
        }
    }
}

/// Styles one line. `in_string` says whether the line starts inside a string and is updated for
/// the next: valid JSON never has one span lines, but a body that is not quite JSON may.
pub(super) fn highlight(line: &str, in_string: &mut bool, styles: &JsonStyles) -> Vec<(u32, Style)> {
    let mut runs = Runs { changes: Vec::new(), current: Style::new(), len: line.len() };
    let resumed = *in_string;
    // An empty line leaves a string open; any other is decided by its last string.
    *in_string = resumed && line.is_empty();
    let tokens = if resumed { Tokens::inside_string(line) } else { Tokens::new(line) };
    for token in tokens {
        let style = match token.kind {
            Kind::String { closed, .. } => {
                let opened = !(resumed && token.start == 0);
                string(line, &token, opened, styles, &mut runs);
                *in_string = !closed;
                continue;
            }
            Kind::Number => styles.number,
            Kind::Literal => styles.constant,
            Kind::Open(_) | Kind::Close(_) | Kind::Colon | Kind::Comma => styles.punctuation,
            Kind::Whitespace | Kind::Other => Style::new(),
        };
        runs.set(token.start, style);
    }
    runs.changes
}

/// Styles a string token: its quotes (no opening one when it continues from the line before),
/// its text, and the escapes in it.
fn string(line: &str, token: &Token<'_>, opened: bool, styles: &JsonStyles, runs: &mut Runs) {
    let Kind::String { key, closed } = token.kind else { return };
    let bytes = line.as_bytes();
    let (text, quote) = if key { (styles.key, styles.key_quote) } else { (styles.string, styles.string_quote) };
    let body = token.start + usize::from(opened);
    let close = closed.then(|| token.end() - 1);
    if opened {
        runs.set(token.start, quote);
    }
    runs.set(body, text);
    let text_end = close.unwrap_or(token.end());
    let mut at = body.min(text_end);
    while let Some(found) = memchr::memchr(b'\\', &bytes[at..text_end]) {
        let slash = at + found;
        runs.set(slash, styles.escape);
        let escaped = line[slash + 1..].chars().next().map_or(0, char::len_utf8);
        let hex = bytes.get(slash + 1) == Some(&b'u')
            && bytes.get(slash + 2..slash + 6).is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit));
        at = (slash + 1 + if hex { 5 } else { escaped }).min(text_end);
        runs.set(at, text);
    }
    if let Some(at) = close {
        runs.set(at, quote);
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use crate::highlight::{ColorSupport, Highlighter, Language, LineStyles, ThemeChoice, styled_line};

    fn styles_of(hl: &Highlighter, lines: &[&str]) -> Vec<LineStyles> {
        let mut state = hl.start(Language::Json);
        lines.iter().map(|line| state.highlight_line(hl, line)).collect()
    }

    /// The point of the tokenizer is to look like syntect, only faster: compare every byte of
    /// a document that mixes all token kinds, in both themes and colour depths.
    #[rstest::rstest]
    fn looks_like_syntect(
        #[values(ThemeChoice::Dark, ThemeChoice::Light)] theme: ThemeChoice,
        #[values(ColorSupport::TrueColor, ColorSupport::Ansi256)] color: ColorSupport,
    ) {
        let hl = Highlighter::new(theme, color);
        let mut lines = crate::highlight::tests::pretty_document(4);
        lines.extend(
            [
                "[",
                "  \"esc \\\" \\\\ \\n \\u00e9 \\/ end\",",
                "  -1.5E+3,",
                "  0,",
                "  false,",
                "  {},",
                "  [],",
                "  { \"a\" : \"b\" , \"c\": [1, 2] }",
                "]",
            ]
            .map(String::from),
        );
        let mut fast = hl.start(Language::Json);
        let mut slow = hl.start_syntect(Language::Json);
        for line in &lines {
            let (fast, slow) = (fast.highlight_line(&hl, line), slow.highlight_line(&hl, line));
            for (at, c) in line.char_indices().filter(|(_, c)| !c.is_whitespace()) {
                assert_eq!(fast.style_at(at), slow.style_at(at), "{c:?} at {at} in {line:?}");
            }
        }
    }

    #[test]
    fn escapes_and_keys() {
        let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
        let line = r#"  "k\"ey" : "a\nb\u00e9c\é","#;
        let styles = &styles_of(&hl, &[line])[0];
        let at = |needle: &str| styles.style_at(line.find(needle).unwrap());
        assert_eq!(at("ey"), at("k"), "an escaped quote does not end a key");
        assert_ne!(at("k"), at("a\\n"), "followed by a colon, so a key");
        assert_ne!(at("\\n"), at("a\\n"), "escape");
        assert_eq!(at("\\n"), at("\\u00e9"));
        assert_eq!(at("b\\u"), at("a\\n"));
        assert_eq!(at("c\\"), at("a\\n"), "\\u takes exactly four hex digits");
        assert_eq!(at("\\é"), at("\\n"), "an invalid escape still ends on a character boundary");
    }

    #[test]
    fn an_unterminated_string_carries_to_the_next_line() {
        let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
        let styles = styles_of(&hl, &[r#"{"transcript": "Hello the... [TRUNCATED]"#, r#"still", 1"#, "2"]);
        let value = styles[0].style_at(20);
        assert_eq!(styles[1].style_at(0), value);
        assert_ne!(styles[1].style_at(9), value, "the number after the closing quote");
        assert_eq!(styles[2].style_at(0), styles[1].style_at(9), "the string ended");
    }

    proptest! {
        #[test]
        fn any_text_gives_ordered_offsets_on_character_boundaries(lines in prop::collection::vec(".{0,60}", 1..6)) {
            let hl = Highlighter::new(ThemeChoice::Light, ColorSupport::Ansi256);
            let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
            for (line, styles) in refs.iter().zip(styles_of(&hl, &refs)) {
                let mut previous = None;
                for &(offset, _) in styles.runs() {
                    let offset = offset as usize;
                    prop_assert!(offset < line.len() && line.is_char_boundary(offset), "{:?} at {}", line, offset);
                    prop_assert!(previous < Some(offset));
                    previous = Some(offset);
                }
                let shown: String = styled_line(line, &styles, ratatui::style::Style::new()).spans.iter().map(|s| s.content.as_ref()).collect();
                prop_assert_eq!(&shown, line);
            }
        }
    }
}
