//! `--print table`: one aligned line a delivery, for a terminal or a ticket.

use jiff::tz::TimeZone;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::WebhookLog;
use crate::outcome::Ending;
use crate::sanitize;

const HEADERS: [&str; COLUMNS] = ["TIME (UTC)", "TYPE", "STATUS", "RESULT", "MS", "RETRIES", "URL"];
const COLUMNS: usize = 7;
const TYPE: usize = 1;
const RESULT: usize = 3;
const URL: usize = 6;
/// Numbers read best right-aligned.
const RIGHT_ALIGNED: [bool; COLUMNS] = [false, false, false, false, true, true, false];
const GAP: &str = "  ";
/// Narrower than this, a URL or a type says too little to be worth the column.
const URL_MIN: usize = 12;
const TYPE_MIN: usize = 8;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

/// The deliveries as an aligned table. With a `width`, the URL column is cut first and then the
/// type (each with `…`), and a line still too wide is cut at the width. With `color`, the
/// result column is red or green; nothing else ever writes an escape, since every field from the
/// data goes through [`sanitize`].
#[must_use]
pub fn table(logs: &[&WebhookLog], width: Option<usize>, color: bool) -> String {
    let (table, mut out) = TableRows::fitted_to(logs.iter().copied(), width, color);
    for log in logs {
        out.push_str(&table.row(log));
    }
    out
}

/// A table written a row at a time, for `--print table` while the body arrives: its columns are
/// as wide as the rows it was fitted to need, and a later, wider cell is cut with `…`.
#[derive(Debug, Clone)]
pub struct TableRows {
    widths: [usize; COLUMNS],
    limit: Option<usize>,
    color: bool,
}

impl TableRows {
    /// Columns fitted to `logs` (and to `width`), and the header line.
    pub fn fitted_to<'l>(
        logs: impl IntoIterator<Item = &'l WebhookLog>,
        width: Option<usize>,
        color: bool,
    ) -> (Self, String) {
        let mut widths: [usize; COLUMNS] = HEADERS.map(UnicodeWidthStr::width);
        for log in logs {
            for (width, cell) in widths.iter_mut().zip(row(log)) {
                *width = (*width).max(cell.width());
            }
        }
        if let Some(limit) = width {
            fit(&mut widths, limit);
        }
        let mut header = String::new();
        push_line(&mut header, &HEADERS.map(str::to_owned), &widths, width, None);
        (Self { widths, limit: width, color }, header)
    }

    /// The line of one delivery.
    #[must_use]
    pub fn row(&self, log: &WebhookLog) -> String {
        let mut out = String::new();
        let sgr = self.color.then_some(if log.success { GREEN } else { RED });
        push_line(&mut out, &row(log), &self.widths, self.limit, sgr);
        out
    }
}

fn row(log: &WebhookLog) -> [String; COLUMNS] {
    let time = log.attempted_at.map_or_else(
        || "-".to_owned(),
        |ts| ts.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d %H:%M:%S%.3f").to_string(),
    );
    [
        time,
        sanitize::short(&log.webhook_type).into_owned(),
        Ending::of(log).word(),
        if log.success { "ok" } else { "FAILED" }.to_owned(),
        log.response_time_ms.map_or_else(|| "-".to_owned(), |ms| ms.to_string()),
        log.retry_count.to_string(),
        sanitize::line(&log.webhook_url).into_owned(),
    ]
}

/// Shrinks the URL column, then the type column, until the line fits (or both are at their
/// minimum).
fn fit(widths: &mut [usize; COLUMNS], limit: usize) {
    for column in [URL, TYPE] {
        let total: usize = widths.iter().sum::<usize>() + GAP.len() * (COLUMNS - 1);
        let over = total.saturating_sub(limit);
        let floor = if column == URL { URL_MIN } else { TYPE_MIN }.min(widths[column]);
        widths[column] = widths[column].saturating_sub(over).max(floor);
    }
}

fn push_line(
    out: &mut String,
    cells: &[String; COLUMNS],
    widths: &[usize; COLUMNS],
    limit: Option<usize>,
    result_colour: Option<&str>,
) {
    let mut budget = limit.unwrap_or(usize::MAX);
    let start = out.len();
    for (column, cell) in cells.iter().enumerate() {
        let last = column + 1 == COLUMNS;
        let mut text = cut(cell, widths[column]);
        if !last {
            let pad = " ".repeat(widths[column] - text.width());
            text = if RIGHT_ALIGNED[column] { pad + &text } else { text + &pad };
        }
        if column > 0 {
            text.insert_str(0, GAP);
        }
        let fits = text.width() <= budget;
        if !fits {
            text = cut(&text, budget);
        }
        budget -= text.width();
        match result_colour {
            // Colour the word only, not the padding around it.
            Some(sgr) if column == RESULT => {
                let word = text.trim();
                let at = text.find(word).unwrap_or(0);
                out.push_str(&text[..at]);
                if !word.is_empty() {
                    out.push_str(sgr);
                    out.push_str(word);
                    out.push_str(RESET);
                }
                out.push_str(&text[at + word.len()..]);
            }
            _ => out.push_str(&text),
        }
        if !fits {
            break;
        }
    }
    let kept = out[start..].trim_end_matches(' ').len();
    out.truncate(start + kept);
    out.push('\n');
}

/// The text cut to `width` display columns, ending in `…` when anything was cut.
pub(crate) fn cut(text: &str, width: usize) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

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

    #[test]
    fn a_type_wider_than_its_characters_still_fits_the_width() {
        // Found by the property test: an emoji sequence in a type cut to fit made the cell
        // wider than its column, and the padding underflowed.
        let entry = r#"{"id": 1, "webhook_url": "https://h.example/", "webhook_type": "A *\ufe0f\ud83b\ude67 \ud83d\udef4\u0ab2\ud83c\udd00 \ud83c\udcb1   \u1caa", "success": true}"#;
        let set = LogSet::parse(format!("[{entry}]")).unwrap();
        let logs: Vec<&WebhookLog> = set.logs.iter().collect();
        for width in 20..80 {
            let table = table(&logs, Some(width), false);
            assert!(table.lines().all(|line| line.width() <= width), "{width}:\n{table}");
        }
    }
}
