//! `--print table`: one aligned line a delivery, for a terminal or a ticket.

use jiff::tz::TimeZone;
use unicode_width::UnicodeWidthStr;

use crate::columns::cut;
use crate::model::WebhookLog;
use crate::outcome::Ending;
use crate::sanitize;

const HEADERS: [&str; COLUMNS] = ["TIME (UTC)", "TYPE", "STATUS", "RESULT", "MS", "RETRIES", "URL"];
const COLUMNS: usize = 7;
const TIME: usize = 0;
const TYPE: usize = 1;
const RESULT: usize = 3;
const URL: usize = 6;
/// Numbers read best right-aligned.
const RIGHT_ALIGNED: [bool; COLUMNS] = [false, false, false, false, true, true, false];
/// Narrower than this, a URL or a type says too little to be worth the column; a type is cut
/// to `TYPE_SHORT` before a URL loses its host, and to `TYPE_MIN` only after.
const URL_MIN: usize = 12;
const TYPE_SHORT: usize = 12;
const TYPE_MIN: usize = 8;
/// How long `YYYY-MM-DD ` is, dropped from the times when the width is short.
const DATE_PREFIX: usize = 11;

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

/// The deliveries as an aligned table. With a `width`, what says least goes first: the date
/// of the times (one call rarely spans two days), the URLs' scheme and then their path (the
/// host is kept), a space between columns, then the type and the URL are cut with `…`, and a
/// line still too wide is cut at the width. `--print json` has every field whole. With
/// `color`, the result column is red or green; nothing else ever writes an escape, since every
/// field from the data goes through [`sanitize`].
#[must_use]
pub fn table(logs: &[&WebhookLog], width: Option<usize>, color: bool) -> String {
    let (table, mut out) = TableRows::fitted_to(logs.iter().copied(), width, color, false);
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
    shape: Shape,
    limit: Option<usize>,
    color: bool,
}

/// What a width too short for the whole table took out of every row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// Times with their date.
    dated: bool,
    /// URLs with their scheme (`https://`) and any user and password before the host.
    schemes: bool,
    /// Spaces between columns.
    gap: usize,
    /// `--redact`: the URL, the one cell that can carry personal data or a secret, is masked.
    redact: bool,
}

impl Shape {
    const WHOLE: Self = Self { dated: true, schemes: true, gap: 2, redact: false };

    fn cells(self, log: &WebhookLog) -> [String; COLUMNS] {
        let mut cells = row(log, self.redact);
        if !self.dated && cells[TIME].len() > DATE_PREFIX {
            cells[TIME].replace_range(..DATE_PREFIX, "");
        }
        if !self.schemes
            && let Some(at) = cells[URL].find("://")
        {
            let authority = &cells[URL][at + 3..];
            let host_end = authority.find(['/', '?', '#']).unwrap_or(authority.len());
            let user = authority[..host_end].rfind('@').map_or(0, |user_end| user_end + 1);
            cells[URL].replace_range(..at + 3 + user, "");
        }
        cells
    }
}

impl TableRows {
    /// Columns fitted to `logs` (and to `width`), and the header line.
    pub fn fitted_to<'l>(
        logs: impl IntoIterator<Item = &'l WebhookLog> + Clone,
        width: Option<usize>,
        color: bool,
        redact: bool,
    ) -> (Self, String) {
        let (widths, shape) = match width {
            Some(limit) => fit(logs, limit, redact),
            None => (widest(logs, Shape { redact, ..Shape::WHOLE }), Shape { redact, ..Shape::WHOLE }),
        };
        let table = Self { widths, shape, limit: width, color };
        let mut header = String::new();
        table.push_line(&mut header, &HEADERS.map(str::to_owned), None);
        (table, header)
    }

    /// The line of one delivery.
    #[must_use]
    pub fn row(&self, log: &WebhookLog) -> String {
        let mut out = String::new();
        let sgr = self.color.then_some(if log.success { GREEN } else { RED });
        self.push_line(&mut out, &self.shape.cells(log), sgr);
        out
    }
}

fn row(log: &WebhookLog, redact: bool) -> [String; COLUMNS] {
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
        if redact {
            sanitize::line(&crate::redact::redact_url(&log.webhook_url)).into_owned()
        } else {
            sanitize::line(&log.webhook_url).into_owned()
        },
    ]
}

/// Each column as wide as its header and its widest cell in `shape`.
fn widest<'l>(logs: impl IntoIterator<Item = &'l WebhookLog>, shape: Shape) -> [usize; COLUMNS] {
    let mut widths: [usize; COLUMNS] = HEADERS.map(UnicodeWidthStr::width);
    for log in logs {
        for (width, cell) in widths.iter_mut().zip(shape.cells(log)) {
            *width = (*width).max(cell.width());
        }
    }
    widths
}

/// The widest URL host (with its port), as the URLs show without their scheme.
fn widest_host<'l>(logs: impl IntoIterator<Item = &'l WebhookLog>, shape: Shape) -> usize {
    logs.into_iter()
        .map(|log| {
            let url = &shape.cells(log)[URL];
            url[..url.find(['/', '?', '#']).unwrap_or(url.len())].width()
        })
        .max()
        .unwrap_or(0)
}

/// Column widths and shape for a line of at most `limit` columns, giving up what says least
/// first (see [`table`]); a line still too wide is cut when written.
fn fit<'l>(
    logs: impl IntoIterator<Item = &'l WebhookLog> + Clone,
    limit: usize,
    redact: bool,
) -> ([usize; COLUMNS], Shape) {
    let over = |widths: &[usize; COLUMNS], shape: Shape| {
        (widths.iter().sum::<usize>() + shape.gap * (COLUMNS - 1)).saturating_sub(limit)
    };
    let mut shape = Shape { redact, ..Shape::WHOLE };
    let mut widths = widest(logs.clone(), shape);
    if over(&widths, shape) > 0 {
        shape.dated = false;
        widths = widest(logs.clone(), shape);
    }
    if over(&widths, shape) > 0 {
        shape.schemes = false;
        widths = widest(logs.clone(), shape);
        // The path goes before the host: `…` right after the host says there was more.
        let host = widest_host(logs, shape) + 1;
        let by = over(&widths, shape);
        shrink(&mut widths, URL, by, host.max(URL_MIN));
    }
    if over(&widths, shape) > 0 {
        shape.gap = 1;
    }
    for (column, floor) in [(TYPE, TYPE_SHORT), (URL, URL_MIN), (TYPE, TYPE_MIN)] {
        let by = over(&widths, shape);
        shrink(&mut widths, column, by, floor);
    }
    (widths, shape)
}

/// Takes up to `by` columns from `column`, leaving it no narrower than `floor` (or than it
/// already was).
fn shrink(widths: &mut [usize; COLUMNS], column: usize, by: usize, floor: usize) {
    widths[column] = widths[column].saturating_sub(by).max(floor.min(widths[column]));
}

impl TableRows {
    fn push_line(&self, out: &mut String, cells: &[String; COLUMNS], result_colour: Option<&str>) {
        push_line(out, cells, &self.widths, self.shape.gap, self.limit, result_colour);
    }
}

fn push_line(
    out: &mut String,
    cells: &[String; COLUMNS],
    widths: &[usize; COLUMNS],
    gap: usize,
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
            text.insert_str(0, &" ".repeat(gap));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

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
