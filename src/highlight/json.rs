//! JSON without syntect: a one-pass tokenizer with the theme's colours for syntect's scopes.
//!
//! syntect manages about 1.5 MB/s on JSON here (fancy-regex, a regex set tried at every token),
//! so a 1.5 MB payload took a second of a core. JSON's tokens never need more than the rest of
//! their line to classify (a key is a string followed by `:`), so this runs at hundreds of MB/s
//! and keeps every style a theme gives syntect's JSON syntax. HTML and XML bodies, which the
//! server cuts at 10 KB anyway, still go through syntect.

use ratatui::style::Style;
use syntect::highlighting::Highlighter as ThemeHighlighter;
use syntect::parsing::Scope;

use super::color::Palette;

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
    let bytes = line.as_bytes();
    let mut runs = Runs { changes: Vec::new(), current: Style::new(), len: bytes.len() };
    let mut i = 0;
    if std::mem::take(in_string) {
        i = string(line, None, 0, styles, &mut runs, in_string);
    }
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string(line, Some(i), i + 1, styles, &mut runs, in_string),
            b'-' | b'0'..=b'9' => {
                runs.set(i, styles.number);
                i = word_end(bytes, i);
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let end = word_end(bytes, i);
                let known = matches!(&bytes[i..end], b"true" | b"false" | b"null");
                runs.set(i, if known { styles.constant } else { Style::new() });
                i = end;
            }
            b'{' | b'}' | b'[' | b']' | b',' | b':' => {
                runs.set(i, styles.punctuation);
                i += 1;
            }
            _ => {
                runs.set(i, Style::new());
                i += line[i..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    runs.changes
}

fn word_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-' | b'_')))
        .map_or(bytes.len(), |offset| from + offset)
}

/// Styles a string whose opening quote is at `open` (or which continues from the previous line)
/// and whose text starts at `body`; returns where it ends.
fn string(
    line: &str,
    open: Option<usize>,
    body: usize,
    styles: &JsonStyles,
    runs: &mut Runs,
    in_string: &mut bool,
) -> usize {
    let bytes = line.as_bytes();
    let mut close = None;
    let mut i = body;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                close = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let end = close.map_or(bytes.len(), |at| at + 1);
    let is_key = close.is_some() && bytes[end..].iter().find(|b| !b.is_ascii_whitespace()) == Some(&b':');
    let (text, quote) = if is_key { (styles.key, styles.key_quote) } else { (styles.string, styles.string_quote) };
    if let Some(open) = open {
        runs.set(open, quote);
    }
    runs.set(body, text);
    let text_end = close.unwrap_or(bytes.len());
    let mut i = body;
    while i < text_end {
        if bytes[i] == b'\\' {
            runs.set(i, styles.escape);
            let escaped = line[i + 1..].chars().next().map_or(0, char::len_utf8);
            let hex = bytes.get(i + 1) == Some(&b'u')
                && bytes.get(i + 2..i + 6).is_some_and(|digits| digits.iter().all(u8::is_ascii_hexdigit));
            i = (i + 1 + if hex { 5 } else { escaped }).min(text_end);
            runs.set(i, text);
        } else {
            i += 1;
        }
    }
    match close {
        Some(at) => runs.set(at, quote),
        None => *in_string = true,
    }
    end
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
