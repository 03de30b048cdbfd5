//! Text measured and cut in terminal columns (a CJK character takes two, a combining mark
//! none), for the table `--print` writes, the explorer's header and its wrapped detail.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The text cut to `width` display columns, ending in `…` when anything was cut.
#[must_use]
pub fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    // A string can be wider than its characters added up: `*` with U+FE0F is one emoji two
    // columns wide. Drop characters until the whole, ellipsis included, fits.
    while !out.is_empty() && out.width() + 1 > width {
        out.pop();
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// How many rows `text` takes wrapped at `width` columns, at any character: a character that
/// would cross the edge starts the next row (the explorer's detail wraps so).
#[must_use]
pub fn rows_when_wrapped(text: &str, width: usize) -> usize {
    let mut rows = 1;
    let mut used = 0;
    for w in text.chars().map(|c| c.width().unwrap_or(0)) {
        if used + w > width && used > 0 {
            rows += 1;
            used = 0;
        }
        used += w;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::fits("abc", 5, "abc")]
    #[case::exact("abcde", 5, "abcde")]
    #[case::cut("abcdef", 5, "abcd…")]
    #[case::wide_chars("電話電話", 5, "電話…")]
    #[case::zero("abc", 0, "")]
    #[case::emoji_sequence("A *\u{fe0f}𞹧 🛴", 5, "A *\u{fe0f}…")]
    fn cut_counts_display_columns(#[case] text: &str, #[case] width: usize, #[case] expected: &str) {
        assert_eq!(cut(text, width), expected);
        assert!(cut(text, width).width() <= width);
    }

    #[rstest::rstest]
    #[case::empty("", 4, 1)]
    #[case::exact("abcd", 4, 1)]
    #[case::one_over("abcde", 4, 2)]
    #[case::wide_chars_do_not_straddle("a電話電話", 4, 3)]
    fn rows_when_wrapped_counts_rows_as_the_detail_draws_them(
        #[case] text: &str,
        #[case] width: usize,
        #[case] rows: usize,
    ) {
        assert_eq!(rows_when_wrapped(text, width), rows);
    }
}
