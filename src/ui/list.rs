//! The list of deliveries. Rows are built for the visible window only, so a frame costs the
//! same with ten logs or a hundred thousand.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme::Theme;
use crate::layout::Areas;
use crate::model::WebhookLog;
use crate::outcome::Ending;
use crate::sanitize;
use crate::state::{Focus, State};
use crate::units::millis;

/// Success or failure as a symbol too, so it reads without colour.
#[must_use]
pub fn mark(log: &WebhookLog) -> &'static str {
    if log.success { "✓" } else { "✗" }
}

pub(super) fn render(frame: &mut Frame, areas: &Areas, state: &State, theme: &Theme) {
    let Some(set) = state.logs() else { return };
    let focused = state.focus == Focus::List;
    let row_count = usize::from(areas.list_rows.height);
    let first = state.list_scroll.min(state.shown.len());
    let window = &state.shown[first..(first + row_count).min(state.shown.len())];
    let selected = state.selected;
    let fresh = state.fresh.as_ref();
    let rows = window.iter().map(|&index| {
        let log = &set.logs[index];
        let outcome_style = if log.success { theme.ok } else { theme.failed };
        let time = log.attempted_at.map_or_else(|| "—".to_owned(), |ts| state.time.clock(ts));
        let retries = if log.retry_count > 0 { format!("↻{}", log.retry_count) } else { String::new() };
        let problems = if log.problems().is_empty() { "" } else { "⚠" };
        let row = Row::new([
            Cell::from(Span::styled(time, theme.dim)),
            Cell::from(sanitize::short(&log.webhook_type).into_owned()),
            Cell::from(Line::from(Span::styled(Ending::of(log).word(), outcome_style)).right_aligned()),
            Cell::from(Line::from(vec![Span::styled(mark(log), outcome_style), Span::styled(problems, theme.warn)])),
            Cell::from(Line::from(log.response_time_ms.map(millis).unwrap_or_default()).right_aligned()),
            Cell::from(Span::styled(retries, theme.warn)),
            Cell::from(host_cell(
                log,
                fresh.is_some_and(|fresh| fresh.contains(index)),
                state.marked == Some(index),
                theme,
            )),
        ]);
        if Some(index) == selected {
            row.style(if focused { theme.selected } else { theme.selected_unfocused })
        } else {
            row
        }
    });
    let header = Row::new(["time", "type", "status", "", "took", "retry", "host"]).style(theme.dim);
    let widths = [
        Constraint::Length(12),
        // Measured over every shown row when the filter changed, so scrolling never moves columns.
        Constraint::Length(state.type_width),
        Constraint::Length(11),
        Constraint::Length(2),
        Constraint::Length(8),
        Constraint::Length(5),
        Constraint::Fill(1),
    ];
    let position = state.selected_row().map_or_else(String::new, |row| format!(" {}/{} ", row + 1, state.shown.len()));
    let title = match fresh {
        Some(fresh) => format!(" Deliveries · {} new or changed ", fresh.logs.len()),
        None => " Deliveries ".to_owned(),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(title, theme.title))
        .title_bottom(Line::from(Span::styled(position, theme.dim)).right_aligned());
    let table = Table::new(rows, widths).header(header).block(block).column_spacing(1).style(Style::new());
    frame.render_widget(table, areas.list);
}

/// The host, after a `◆ marked` on the log `m` marked and a `new` on a row a refresh brought
/// (words, so they read without colour).
fn host_cell(log: &WebhookLog, fresh: bool, marked: bool, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::with_capacity(3);
    if marked {
        spans.push(Span::styled("◆ marked ", theme.key));
    }
    if fresh {
        spans.push(Span::styled("new ", theme.accent.add_modifier(Modifier::BOLD)));
    }
    spans.push(Span::styled(sanitize::short(log.url_host()).into_owned(), theme.dim));
    Line::from(spans)
}
