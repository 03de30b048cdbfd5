//! The stats view: per webhook type (then per receiver host, when there are several)
//! deliveries, attempts, success and response times, with a bar of each p95 scaled to the
//! slowest. Reads the figures the state computed for the shown logs.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Row, Table};

use super::theme::Theme;
use crate::state::{Focus, State};
use crate::stats::{self, Stats};
use crate::units::millis;
use crate::{columns, sanitize};

/// ` Timeline · 33 logs ` or ` Stats · 12 of 33 logs · failed only `: the view follows the
/// list's filters, and says so.
pub(super) fn view_title(name: &str, state: &State) -> String {
    let total = state.logs().map_or(0, |set| set.logs.len());
    let shown = state.shown.len();
    if state.filter.is_empty() {
        format!(" {name} · {} logs ", crate::units::count(total))
    } else {
        format!(
            " {name} · {} of {} logs · {} ",
            crate::units::count(shown),
            crate::units::count(total),
            super::header::filter_summary(state)
        )
    }
}

/// The eighths of a block, for bars finer than a column.
const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

/// A bar `value / most` of `width` columns.
fn bar(value: u64, most: u64, width: usize) -> String {
    if most == 0 || width == 0 {
        return String::new();
    }
    let eighths = u128::from(value) * (width as u128) * 8 / u128::from(most);
    let eighths = usize::try_from(eighths).unwrap_or(width * 8).min(width * 8);
    format!("{}{}", "█".repeat(eighths / 8), EIGHTHS[eighths % 8])
}

fn time(ms: Option<u64>) -> String {
    ms.map_or_else(|| "—".to_owned(), millis)
}

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Focus::List;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(view_title("Stats", state), theme.title));
    let Some(figures) = state.stats.as_ref() else {
        frame.render_widget(block, area);
        return;
    };
    let inner_width = usize::from(area.width.saturating_sub(2));
    let name_width = name_width(figures, inner_width);
    // name, delivered, attempts, success, p50, p95, max; the bar takes the rest.
    let fixed = [name_width, 9, 8, 7, 7, 7, 7];
    let bar_width = inner_width.saturating_sub(fixed.iter().sum::<usize>() + fixed.len());
    let slowest = figures.slowest_p95();
    let row = |row: &stats::Row| {
        let failing = row.succeeded < row.attempts;
        let success = format!("{}%", row.success_percent());
        Row::new([
            Line::raw(columns::cut(&sanitize::short(&row.name), name_width)),
            Line::raw(format!("{}/{}", row.delivered, row.deliveries)).right_aligned(),
            Line::raw(row.attempts.to_string()).right_aligned(),
            Line::styled(success, if failing { theme.failed } else { theme.ok }).right_aligned(),
            Line::raw(time(row.p50_ms)).right_aligned(),
            Line::raw(time(row.p95_ms)).right_aligned(),
            Line::raw(time(row.max_ms)).right_aligned(),
            Line::styled(bar(row.p95_ms.unwrap_or(0), slowest, bar_width), theme.accent),
        ])
    };
    let heading = |first: &'static str| {
        Row::new(
            [first, "delivered", "attempts", "success", "p50", "p95", "max", "p95 bar"].into_iter().enumerate().map(
                |(i, title)| if (1..7).contains(&i) { Line::raw(title).right_aligned() } else { Line::raw(title) },
            ),
        )
        .style(theme.dim.add_modifier(Modifier::BOLD))
    };
    let mut rows: Vec<Row> = figures.by_type.iter().map(row).collect();
    if !figures.by_host.is_empty() {
        rows.push(Row::new([""]));
        rows.push(heading("host"));
        rows.extend(figures.by_host.iter().map(row));
    }
    let widths: Vec<Constraint> = fixed
        .iter()
        .map(|&w| Constraint::Length(u16::try_from(w).unwrap_or(u16::MAX)))
        .chain([Constraint::Fill(1)])
        .collect();
    let table = Table::new(rows, widths).header(heading("type")).block(block).column_spacing(1);
    frame.render_widget(table, area);
}

/// The name column: the widest name, at most a quarter of the width (and no less than `type`).
fn name_width(figures: &Stats, width: usize) -> usize {
    let widest = figures
        .by_type
        .iter()
        .chain(&figures.by_host)
        .map(|row| unicode_width::UnicodeWidthStr::width(sanitize::short(&row.name).as_ref()))
        .max()
        .unwrap_or(4);
    widest.clamp(4, (width / 4).max(4))
}
