//! The one gate between third-party text and the terminal.
//!
//! Response bodies, error strings, URLs and payloads come from servers nobody here controls.
//! ratatui drops some control characters silently and writes others verbatim, and lets bidi
//! overrides and zero-width characters through, so everything shown passes through here first:
//! control characters become visible pictures (`␛`, `␇`, …), C1 controls and invisible format
//! characters become `⟨U+202E⟩`, tabs become spaces, and very long lines are cut with a note.
//! Nothing that leaves this module can move the cursor, change colours, set a title, write the
//! clipboard, ring the bell or hide text.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::sync::OnceLock;

/// Tab stops every this many columns.
pub const TAB_WIDTH: usize = 4;

/// Lines longer than this many bytes are cut for display (bat skips highlighting at ~16 KB too).
pub const MAX_LINE_BYTES: usize = 16 * 1024;

/// What one character looks like on screen, if it must not be written as itself.
enum Shown {
    Itself,
    Picture(char),
    CodePoint,
    Tab,
}

fn classify(c: char) -> Shown {
    match c {
        '\t' => Shown::Tab,
        // C0 controls map onto the Control Pictures block: U+0000 → ␀ … U+001F → ␟.
        '\0'..='\u{1f}' => Shown::Picture(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
        '\u{7f}' => Shown::Picture('␡'),
        // C1 controls (a UTF-8 encoded U+009B is an 8-bit CSI to some terminals).
        '\u{80}'..='\u{9f}'
        // Line and paragraph separators, interlinear annotation controls, and the blank Braille
        // pattern, which draws nothing though it is not formally ignorable.
        | '\u{2028}' | '\u{2029}' | '\u{fff9}'..='\u{fffb}' | '\u{2800}' => Shown::CodePoint,
        // Bidi controls, zero-width joiners and spaces, variation selectors, Hangul fillers, tag
        // characters, …: Unicode's own list of what renders as nothing.
        _ if !c.is_ascii() && is_default_ignorable(c) => Shown::CodePoint,
        _ => Shown::Itself,
    }
}

/// Whether `c` is shown as itself, not as a picture, a code point or spaces.
#[must_use]
pub fn is_shown_as_itself(c: char) -> bool {
    matches!(classify(c), Shown::Itself)
}

/// Unicode's `Default_Ignorable_Code_Point` property, from the tables of `regex-syntax` (the
/// `regex` crate's own parser, already built for search), read once into sorted ranges.
fn is_default_ignorable(c: char) -> bool {
    static RANGES: OnceLock<Vec<(char, char)>> = OnceLock::new();
    let ranges = RANGES.get_or_init(|| {
        let parsed = regex_syntax::ParserBuilder::new().build().parse(r"\p{Default_Ignorable_Code_Point}");
        match parsed.as_ref().map(regex_syntax::hir::Hir::kind) {
            Ok(regex_syntax::hir::HirKind::Class(regex_syntax::hir::Class::Unicode(class))) => {
                class.ranges().iter().map(|range| (range.start(), range.end())).collect()
            }
            _ => Vec::new(),
        }
    });
    ranges
        .binary_search_by(|&(start, end)| {
            if end < c {
                std::cmp::Ordering::Less
            } else if start > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// `shown` applied to `text` with the process's API key scrubbed out of it first
/// ([`crate::key_scrub`]): whatever is shown, copied or exported never holds the key.
fn key_scrubbed<'a>(text: &'a str, shown: impl for<'b> Fn(&'b str) -> Cow<'b, str>) -> Cow<'a, str> {
    match crate::key_scrub::scrub(text) {
        Cow::Borrowed(text) => shown(text),
        Cow::Owned(text) => Cow::Owned(shown(&text).into_owned()),
    }
}

/// Whether `c` is invisible or reorders text (a bidi control, a zero-width or tag character, a
/// line separator, …): what [`line`] shows as `⟨U+…⟩`, for other writers of untrusted text.
#[must_use]
pub fn is_hidden(c: char) -> bool {
    matches!(classify(c), Shown::CodePoint)
}

fn is_plain_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// Makes one line of untrusted text safe to show. A newline inside it is shown as `␊`, so the
/// result is always a single line. Long text is cut at [`MAX_LINE_BYTES`].
#[must_use]
pub fn line(text: &str) -> Cow<'_, str> {
    key_scrubbed(text, line_shown)
}

fn line_shown(text: &str) -> Cow<'_, str> {
    if text.len() <= MAX_LINE_BYTES && is_plain_ascii(text) {
        return Cow::Borrowed(text);
    }
    let (head, cut) = cut_at(text, MAX_LINE_BYTES);
    let mut out = String::with_capacity(head.len() + 16);
    let mut column = 0;
    for c in head.chars() {
        push_shown(&mut out, c, &mut column);
    }
    if cut > 0 {
        let _ = write!(out, " … {cut} more bytes");
    }
    Cow::Owned(out)
}

/// Like [`line`] without any cut, for short values that are shown whole (a URL, a type).
#[must_use]
pub fn short(text: &str) -> Cow<'_, str> {
    key_scrubbed(text, short_shown)
}

fn short_shown(text: &str) -> Cow<'_, str> {
    if is_plain_ascii(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut column = 0;
    for c in text.chars() {
        push_shown(&mut out, c, &mut column);
    }
    Cow::Owned(out)
}

/// How many characters of input a message quotes: enough for any real call SID or value.
pub const MAX_QUOTED_CHARS: usize = 80;

/// Input quoted in a message (a call id, a SID), made safe as [`short`] and cut after
/// [`MAX_QUOTED_CHARS`] with its full length said: a 20,000-digit id must not make a 20 KB line.
#[must_use]
pub fn quoted(text: &str) -> Cow<'_, str> {
    let Some((cut_at, _)) = text.char_indices().nth(MAX_QUOTED_CHARS) else {
        return short(text);
    };
    let count = text.chars().count();
    Cow::Owned(format!("{}… ({count} characters)", short(&text[..cut_at])))
}

/// Splits untrusted multi-line text into safe display lines (`\n`, `\r\n` and lone `\r` end
/// lines; a `\r` is never written, since it would move the cursor back over the line).
#[must_use]
pub fn lines(text: &str) -> Vec<String> {
    text.split('\n').map(|raw| line(raw.strip_suffix('\r').unwrap_or(raw)).into_owned()).collect()
}

/// Text for a copy or an export: no display placeholders, but every control character except
/// newline and tab removed, so pasting it into a terminal cannot run escapes. Bidi and
/// zero-width characters are kept, since the copy is data, not display.
#[must_use]
pub fn for_copy(text: &str) -> Cow<'_, str> {
    key_scrubbed(text, copy_shown)
}

fn copy_shown(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.chars().filter(|&c| !c.is_control() || c == '\n' || c == '\t').collect())
}

/// Text for a block of a report people read (Markdown for a ticket): as [`for_copy`], and the
/// invisible characters [`line`] shows as `⟨U+…⟩` (bidi overrides, zero-width characters, line
/// separators, tags) made visible too, since a reader cannot see that text was reordered or
/// hidden. In JSON they become `\u` escapes, which keep it the same JSON; elsewhere `⟨U+202E⟩`.
#[must_use]
pub fn for_report(text: &str, json: bool) -> Cow<'_, str> {
    let copy = for_copy(text);
    if !copy.chars().any(is_hidden) {
        return copy;
    }
    let mut out = String::with_capacity(copy.len() + 16);
    for c in copy.chars() {
        if !is_hidden(c) {
            out.push(c);
        } else if json {
            for unit in c.encode_utf16(&mut [0; 2]) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            let _ = write!(out, "⟨U+{:04X}⟩", c as u32);
        }
    }
    Cow::Owned(out)
}

fn push_shown(out: &mut String, c: char, column: &mut usize) {
    match classify(c) {
        Shown::Itself => {
            out.push(c);
            *column += 1;
        }
        Shown::Picture(picture) => {
            out.push(picture);
            *column += 1;
        }
        Shown::CodePoint => {
            let shown = format!("⟨U+{:04X}⟩", c as u32);
            *column += shown.chars().count();
            out.push_str(&shown);
        }
        Shown::Tab => {
            let spaces = TAB_WIDTH - (*column % TAB_WIDTH);
            out.extend(std::iter::repeat_n(' ', spaces));
            *column += spaces;
        }
    }
}

/// The longest prefix of at most `max` bytes on a character boundary, and how many bytes follow.
fn cut_at(text: &str, max: usize) -> (&str, usize) {
    if text.len() <= max {
        return (text, 0);
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (&text[..end], text.len() - end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::csi("a\x1b[31mred", "a␛[31mred")]
    #[case::osc52("\x1b]52;c;aGk=\x07", "␛]52;c;aGk=␇")]
    #[case::c1_csi("\u{9b}31m", "⟨U+009B⟩31m")]
    #[case::bidi("abc\u{202e}fed", "abc⟨U+202E⟩fed")]
    #[case::zero_width("pay\u{200b}pal", "pay⟨U+200B⟩pal")]
    #[case::combining_grapheme_joiner("a\u{34f}b", "a⟨U+034F⟩b")]
    #[case::variation_selector("x\u{fe0f}y", "x⟨U+FE0F⟩y")]
    #[case::khmer_inherent_vowel("k\u{17b4}", "k⟨U+17B4⟩")]
    #[case::mongolian_variation_selector("m\u{180b}n", "m⟨U+180B⟩n")]
    #[case::musical_format("q\u{1d173}r", "q⟨U+1D173⟩r")]
    #[case::braille_blank("s\u{2800}t", "s⟨U+2800⟩t")]
    #[case::hangul_filler("\u{3164}u", "⟨U+3164⟩u")]
    #[case::unassigned_tag("v\u{e0fff}", "v⟨U+E0FFF⟩")]
    #[case::visible_emoji_and_marks("☎ é ñ", "☎ é ñ")]
    #[case::cr_bs_del("a\rb\x08c\x7f", "a␍b␈c␡")]
    #[case::newline("one\ntwo", "one␊two")]
    #[case::tab("a\tb", "a   b")]
    #[case::plain("https://example.com/x?y=1", "https://example.com/x?y=1")]
    #[case::non_ascii("café ☎ 電話", "café ☎ 電話")]
    fn hostile_characters_become_visible(#[case] input: &str, #[case] shown: &str) {
        assert_eq!(line(input), shown);
    }

    #[test]
    fn report_blocks_show_hidden_characters_and_json_stays_the_same_json() {
        let json = "{\"name\": \"abc\u{202e}fed\u{200b}\", \"tag\": \"x\u{e0041}\"}";
        let shown = for_report(json, true);
        assert_eq!(shown, r#"{"name": "abc\u202efed\u200b", "tag": "x\udb40\udc41"}"#);
        let before: serde_json::Value = serde_json::from_str(json).unwrap();
        let after: serde_json::Value = serde_json::from_str(&shown).unwrap();
        assert_eq!(before, after);
        assert_eq!(for_report("pay\u{200b}pal\x1b[2J\n", false), "pay⟨U+200B⟩pal[2J\n");
        assert!(matches!(for_report("plain é\n\tok", false), Cow::Borrowed(_)));
    }

    #[test]
    fn quoted_input_is_cut_with_its_length() {
        assert_eq!(quoted("CA5f1e"), "CA5f1e");
        let long = "7".repeat(20_000);
        assert_eq!(quoted(&long), format!("{}… (20000 characters)", "7".repeat(MAX_QUOTED_CHARS)));
        assert_eq!(quoted("a\u{1b}b"), "a␛b");
    }

    #[test]
    fn long_lines_are_cut_with_a_count() {
        let text = "é".repeat(MAX_LINE_BYTES);
        let shown = line(&text);
        assert!(shown.ends_with(&format!(" … {MAX_LINE_BYTES} more bytes")), "{}", &shown[shown.len() - 40..]);
    }

    #[test]
    fn multi_line_text_never_keeps_a_carriage_return() {
        assert_eq!(lines("a\r\nb\rc\n"), ["a", "b␍c", ""]);
    }

    #[test]
    fn copies_lose_escapes_but_keep_layout() {
        assert_eq!(for_copy("{\n\t\"a\": \"\x1b[2J\"\n}"), "{\n\t\"a\": \"[2J\"\n}");
    }
}
