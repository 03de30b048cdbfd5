//! Characters that must never reach the terminal from the data: included with
//! `#[path = "support/forbidden.rs"] mod forbidden;` by the tests that check screens and output.

#![allow(dead_code, reason = "each includer uses only some of these functions")]

/// C0 controls (tab and newline too: the UI expands and splits them), DEL, C1 controls, bidi
/// embeddings, overrides and isolates, and zero-width space/non-joiner/joiner.
#[must_use]
pub fn is_forbidden(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200b}'..='\u{200d}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
    )
}

/// [`is_forbidden`] and the other invisible characters `sanitize` promises to make visible:
/// bidi marks, the BOM / zero-width no-break space, word joiner and invisible operators, soft
/// hyphen, line and paragraph separators, tag characters, variation selectors, the combining
/// grapheme joiner and other default-ignorable characters, and the blank Braille pattern.
#[must_use]
pub fn is_hidden_or_control(c: char) -> bool {
    is_forbidden(c)
        || matches!(
            c,
            '\u{ad}'
                | '\u{61c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{2060}'..='\u{2064}'
                | '\u{feff}'
                | '\u{e0000}'..='\u{e007f}'
                | '\u{34f}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{e0100}'..='\u{e01ef}'
                | '\u{17b4}'
                | '\u{17b5}'
                | '\u{180b}'..='\u{180f}'
                | '\u{1d173}'..='\u{1d17a}'
                | '\u{2800}'
        )
}

/// The first forbidden character in `text`, with its byte offset, for a failure message.
#[must_use]
pub fn first_forbidden(text: &str, refused: fn(char) -> bool) -> Option<(usize, char)> {
    text.char_indices().find(|&(_, c)| refused(c))
}
