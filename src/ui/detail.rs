//! The detail pane: a fixed summary of the selected delivery, the tab bar, and the visible slice
//! of the tab's document.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::list::mark;
use super::theme::Theme;
use crate::filter::TextSearch;
use crate::highlight::{LineStyles, styled_line};
use crate::layout::Areas;
use crate::model::time::offset_label;
use crate::outcome::Ending;
use crate::sanitize;
use crate::state::{Detail, Focus, State, Tab};
use crate::units::millis;

pub(super) fn render(frame: &mut Frame, areas: &Areas, state: &State, theme: &Theme) {
    let (Some(set), Some(detail)) = (state.logs(), state.detail.as_ref()) else { return };
    let log = &set.logs[detail.log];
    let focused = state.focus == Focus::Detail || state.zoomed;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(format!(" Delivery {} ", log.id), theme.title));
    frame.render_widget(block, areas.detail);

    let outcome = if log.success { theme.ok } else { theme.failed };
    let verdict = if log.success { "delivered" } else { "FAILED" };
    let time = match log.attempted_at {
        Some(at) => {
            let offset = set.first_attempt().map(|first| format!(" · {}", offset_label(first, at))).unwrap_or_default();
            format!("{}{offset}", state.time.full(at))
        }
        None => "attempt time unknown".to_owned(),
    };
    let ending = Ending::of(log);
    let error = match (log.error_message.as_deref().filter(|message| !message.is_empty()), ending) {
        (Some(message), _) => Span::styled(format!("error: {}", sanitize::line(message)), theme.failed),
        (None, Ending::Status(code)) => {
            Span::styled(explain_status(code, log.success), if log.success { theme.dim } else { theme.warn })
        }
        (None, no_answer) => Span::styled(no_answer.phrase(), theme.failed),
    };
    let mut facts =
        format!("log {} · call {}", log.id, log.call_id.map_or_else(|| "?".to_owned(), |id| id.to_string()));
    if let Some(assistant) = log.assistant_id {
        let _ = write!(facts, " · assistant {assistant}");
    }
    let problems = if log.problems().is_empty() {
        Span::raw("")
    } else {
        Span::styled(format!(" · ⚠ {} problem(s): i shows them", log.problems().len()), theme.warn)
    };
    // An attempt of a delivery tried more than once says which (the info tab tells the rest);
    // otherwise the server's retry_count, as sent.
    let (attempt_label, attempt_value) = match state.chains.attempt_number(detail.log) {
        Some((number, of)) if of > 1 => (" · attempt ", format!("{number} of {of}")),
        _ => (" · retries ", log.retry_count.to_string()),
    };
    let summary = vec![
        Line::from(vec![Span::styled("POST ", theme.dim), Span::raw(sanitize::line(&log.webhook_url).into_owned())]),
        Line::from(vec![
            Span::styled(sanitize::short(&log.webhook_type).into_owned(), theme.accent),
            Span::styled(" · status ", theme.dim),
            Span::styled(format!("{} {} {verdict}", ending.word(), mark(log)), outcome),
            Span::styled(" · ", theme.dim),
            Span::raw(log.response_time_ms.map_or_else(|| "time unknown".to_owned(), millis)),
            Span::styled(attempt_label, theme.dim),
            Span::raw(attempt_value),
        ]),
        Line::from(Span::raw(time)),
        Line::from(error),
        Line::from(vec![Span::styled(facts, theme.dim), problems]),
    ];
    frame.render_widget(Paragraph::new(summary), areas.detail_summary);
    render_document(frame, areas, state, detail, theme);
}

/// The tab bar, with where the pane is in the document, and the document's lines in view.
fn render_document(frame: &mut Frame, areas: &Areas, state: &State, detail: &Detail, theme: &Theme) {
    let mut tabs = Vec::new();
    for tab in Tab::ALL {
        let key = match tab {
            Tab::Payload => "p",
            Tab::Response => "b",
            Tab::Info => "i",
            Tab::Raw => "a",
        };
        let style = if tab == detail.tab { theme.selected } else { theme.dim };
        tabs.push(Span::styled(format!(" {key} {} ", tab.title()), style));
        tabs.push(Span::raw(" "));
    }
    let doc = &detail.doc;
    let doc_area = areas.detail_doc;
    let (page, width) = (usize::from(doc_area.height), usize::from(doc_area.width));
    let plain = LineStyles::default();
    let styled = |i: usize| {
        let text = doc.lines[i].as_str();
        let line = styled_line(text, doc.styles.get(i).unwrap_or(&plain), Style::new());
        match &state.search {
            Some(search) => mark_matches(line, text, search, theme.search_match),
            None => line,
        }
    };
    // Wrapped, a line takes as many rows as it needs; the position counts the lines that fit.
    let (rows, end) = if state.wrap {
        let mut rows = Vec::new();
        let mut end = detail.scroll;
        while end < doc.lines.len() && rows.len() < page {
            rows.extend(wrap(styled(end), width.max(1)));
            end += 1;
        }
        (rows, end)
    } else {
        let end = (detail.scroll + page).min(doc.lines.len());
        ((detail.scroll..end).map(styled).collect(), end)
    };
    let mut position = format!(" {}-{}/{}", (detail.scroll + 1).min(end), end, doc.lines.len());
    let hidden_right = if state.wrap { 0 } else { detail.hidden_right(page, width) };
    // Columns hidden on each side of the lines shown: `<` and `0` bring back those on the left,
    // `>` and `$` show those on the right, `w` wraps.
    if detail.hscroll > 0 && !state.wrap {
        let _ = write!(position, " · ← {}", detail.hscroll);
    }
    if hidden_right > 0 {
        let _ = write!(position, " · → {hidden_right} more");
    }
    let busy = if doc.is_highlighting() { " highlighting…" } else { "" };
    let note = if doc.note.is_empty() { String::new() } else { format!(" {} ·", sanitize::short(&doc.note)) };
    // Where the pane is matters most; what the document is, then that highlighting runs, give
    // way to it on a narrow pane.
    let room = usize::from(areas.detail_tabs.width).saturating_sub(Line::from(tabs.clone()).width());
    let said = [format!("{note}{busy}{position}"), format!("{note}{position}"), position.clone()]
        .into_iter()
        .find(|said| said.width() <= room)
        .unwrap_or(position);
    tabs.push(Span::styled(said, theme.dim));
    frame.render_widget(Paragraph::new(Line::from(tabs)), areas.detail_tabs);

    if state.wrap {
        frame.render_widget(Paragraph::new(rows), doc_area);
        return;
    }
    let sideways = u16::try_from(detail.hscroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(rows).scroll((0, sideways)), doc_area);
    // A line that goes on past the right edge ends in a marker over its last column shown.
    for (y, line) in (doc_area.y..doc_area.bottom()).zip(&doc.lines[detail.scroll..end]) {
        if line.width() > detail.hscroll + width
            && let Some(cell) = frame.buffer_mut().cell_mut((doc_area.right().saturating_sub(1), y))
        {
            cell.set_symbol("›").set_style(theme.accent);
        }
    }
}

/// `line` cut into rows of at most `width` columns, styles kept (wrapped at any character, as a
/// terminal does: JSON strings and URLs have no spaces to wrap at).
fn wrap(line: Line<'_>, width: usize) -> Vec<Line<'static>> {
    let mut rows = Vec::new();
    let mut row = Line::default().style(line.style);
    let mut used = 0;
    for span in line.spans {
        let mut piece = String::new();
        for c in span.content.chars() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                if !piece.is_empty() {
                    row.push_span(Span::styled(std::mem::take(&mut piece), span.style));
                }
                rows.push(std::mem::replace(&mut row, Line::default().style(line.style)));
                used = 0;
            }
            piece.push(c);
            used += w;
        }
        if !piece.is_empty() {
            row.push_span(Span::styled(piece, span.style));
        }
    }
    rows.push(row);
    rows
}

/// The status with its reason, and why it counts as it does: Burki calls only 200, 201 and 202
/// a success. The text search finds the reason (`internal server error`) too.
fn explain_status(code: u16, success: bool) -> String {
    let label = Ending::Status(code).status_label().unwrap_or_default();
    match code {
        _ if success => format!("{label}: the receiver accepted it"),
        204 => format!("{label} counts as a failure: Burki wants 200, 201 or 202"),
        300..=399 => format!("{label}: not followed; the receiver moved (b shows where)"),
        400..=499 => format!("{label}: the receiver refused it (b shows its answer)"),
        500..=599 => format!("{label}: the receiver failed (b shows its answer)"),
        _ => format!("{label} is not 200, 201 or 202, so it counts as a failure"),
    }
}

/// Patches the match style over the parts of `line` (already styled) that the search matches.
fn mark_matches<'a>(line: Line<'a>, text: &'a str, search: &TextSearch, style: Style) -> Line<'a> {
    let ranges: Vec<std::ops::Range<usize>> = search.find_in(text).collect();
    if ranges.is_empty() {
        return line;
    }
    // Re-split each span at match boundaries; spans borrow from `text`, so offsets line up.
    let mut out = Vec::new();
    let mut offset = 0;
    for span in line.spans {
        let content = span.content.as_ref();
        let (start, end) = (offset, offset + content.len());
        offset = end;
        let mut cursor = start;
        for range in ranges.iter().filter(|r| r.start < end && r.end > start) {
            let (from, to) = (range.start.max(start), range.end.min(end));
            if from > cursor {
                out.push(Span::styled(text[cursor..from].to_owned(), span.style));
            }
            out.push(Span::styled(text[from..to].to_owned(), span.style.patch(style)));
            cursor = to;
        }
        if cursor < end {
            out.push(Span::styled(text[cursor..end].to_owned(), span.style));
        }
    }
    Line::from(out).style(line.style)
}
