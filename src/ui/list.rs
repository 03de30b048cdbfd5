//! The list of deliveries. Rows are built for the visible window only, so a frame costs the
//! same with ten logs or a hundred thousand.

use ratatui::Frame;
use ratatui::layout::Constraint;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme::Theme;
use crate::action::Action;
use crate::layout::Areas;
use unicode_width::UnicodeWidthStr;

use crate::model::chains::Chain;
use crate::model::{LogSet, WebhookLog};
use crate::outcome::Ending;
use crate::sanitize;
use crate::state::{Focus, MIN_TRAIL_WIDTH, RowKind, State, trail, trail_word};
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
    // The chain list's fixed columns and spaces; the time taken goes first when they do not fit,
    // then the trails are shortened.
    let inner = areas.list.width.saturating_sub(2);
    let others = 12 + state.type_width + 2 + TRIES_WIDTH + 5;
    let trail_width = state.trail_width.min(inner.saturating_sub(others)).max(MIN_TRAIL_WIDTH);
    let took_fits = inner >= others + trail_width + 9 + MIN_HOST_WIDTH;
    let took = if took_fits { 9 } else { 0 };
    // A host cut to a letter or two says nothing: the column goes.
    let host_fits = inner >= others + trail_width + took + 1 + MIN_HOST_SHOWN;
    let rows = window.iter().map(|&index| {
        let log = &set.logs[index];
        let kind = state.row_kind(index);
        let mut cells = match kind {
            RowKind::Attempt => attempt_cells(state, log, index, theme).to_vec(),
            RowKind::Delivery { chain, expanded } => {
                delivery_cells(state, set, chain, expanded, trail_width, theme).to_vec()
            }
            RowKind::Try { number, of } => try_cells(state, log, index, number, of, theme).to_vec(),
        };
        if state.chained && !host_fits {
            cells.pop();
        }
        if state.chained && !took_fits {
            cells.remove(TOOK_COLUMN);
        }
        let row = Row::new(cells);
        if Some(index) == selected {
            row.style(if focused { theme.selected } else { theme.selected_unfocused })
        } else {
            row
        }
    });
    let (header, widths) = if state.chained {
        let mut titles = vec!["time", "type", "status", "", "took", "tries", "host"];
        let mut widths = vec![
            Constraint::Length(12),
            Constraint::Length(state.type_width),
            Constraint::Length(trail_width),
            Constraint::Length(2),
            Constraint::Length(8),
            Constraint::Length(TRIES_WIDTH),
            Constraint::Fill(1),
        ];
        if !host_fits {
            titles.pop();
            widths.pop();
        }
        if !took_fits {
            titles.remove(TOOK_COLUMN);
            widths.remove(TOOK_COLUMN);
        }
        (Row::new(titles).style(theme.dim), widths)
    } else {
        let header = Row::new(["time", "type", "status", "", "took", "retry", "host"]).style(theme.dim);
        let widths = vec![
            Constraint::Length(12),
            // Measured over every shown row when the filter changed, so scrolling never moves columns.
            Constraint::Length(state.type_width),
            Constraint::Length(11),
            Constraint::Length(2),
            Constraint::Length(8),
            Constraint::Length(5),
            Constraint::Fill(1),
        ];
        (header, widths)
    };
    let position = state.selected_row().map_or_else(String::new, |row| format!(" {}/{} ", row + 1, state.shown.len()));
    // The list's own keys, named in its title (the footer has no room for them at 80 columns).
    let (list_kind, other_kind) =
        if state.chained { ("Deliveries, retries chained", "flat") } else { ("Attempts, one row each", "chains") };
    let keys: Vec<String> = [(Action::ToggleChains, other_kind), (Action::CycleView, "timeline")]
        .into_iter()
        .filter_map(|(action, word)| Some(format!("{} {word}", state.keymap.browse.key_label(action)?)))
        .collect();
    let what = if keys.is_empty() { list_kind.to_owned() } else { format!("{list_kind} ({})", keys.join(" · ")) };
    let title = match fresh {
        Some(fresh) => format!(" {what} · {} new or changed ", fresh.logs.len()),
        None => format!(" {what} "),
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(title, theme.title))
        .title_bottom(Line::from(Span::styled(position, theme.dim)).right_aligned());
    let table = Table::new(rows, widths).header(header).block(block).column_spacing(1).style(Style::new());
    frame.render_widget(table, areas.list);
}

/// The chain list's tries column: `▸ 3 tries · 34 s`.
const TRIES_WIDTH: u16 = 17;
/// Where the time taken is, and the least room the host is given before it goes.
const TOOK_COLUMN: usize = 4;
const MIN_HOST_WIDTH: u16 = 10;
const MIN_HOST_SHOWN: u16 = 6;

fn outcome_style(log: &WebhookLog, theme: &Theme) -> Style {
    if log.success { theme.ok } else { theme.failed }
}

fn clock(state: &State, log: &WebhookLog) -> String {
    log.attempted_at.map_or_else(|| "—".to_owned(), |ts| state.time.clock(ts))
}

fn mark_cell(log: &WebhookLog, theme: &Theme) -> Cell<'static> {
    let problems = if log.problems().is_empty() { "" } else { "⚠" };
    Cell::from(Line::from(vec![Span::styled(mark(log), outcome_style(log, theme)), Span::styled(problems, theme.warn)]))
}

fn took_cell(log: &WebhookLog) -> Cell<'static> {
    Cell::from(Line::from(log.response_time_ms.map(millis).unwrap_or_default()).right_aligned())
}

fn is_fresh(state: &State, index: usize) -> bool {
    state.fresh.as_ref().is_some_and(|fresh| fresh.contains(index))
}

/// One attempt of the flat list.
fn attempt_cells(state: &State, log: &WebhookLog, index: usize, theme: &Theme) -> [Cell<'static>; 7] {
    let retries = if log.retry_count > 0 { format!("↻{}", log.retry_count) } else { String::new() };
    [
        Cell::from(Span::styled(clock(state, log), theme.dim)),
        Cell::from(sanitize::short(&log.webhook_type).into_owned()),
        Cell::from(Line::from(Span::styled(Ending::of(log).word(), outcome_style(log, theme))).right_aligned()),
        mark_cell(log, theme),
        took_cell(log),
        Cell::from(Span::styled(retries, theme.warn)),
        Cell::from(host_cell(log, is_fresh(state, index), state.marked == Some(index), theme)),
    ]
}

/// A delivery of the chain list: the first attempt's time, the trail of statuses, the last
/// attempt's mark and time taken, how many tries over how long.
fn delivery_cells(
    state: &State,
    set: &LogSet,
    chain: &Chain,
    expanded: bool,
    trail_width: u16,
    theme: &Theme,
) -> [Cell<'static>; 7] {
    let (first, last) = (&set.logs[chain.first()], &set.logs[chain.last()]);
    let tries = if chain.tries() > 1 {
        let fold = if expanded { "▾" } else { "▸" };
        let span = chain.span(set).map(|span| format!(" · {}", crate::units::span(span))).unwrap_or_default();
        format!("{fold} {} tries{span}", chain.tries())
    } else {
        String::new()
    };
    let fresh = chain.attempts.iter().any(|&at| is_fresh(state, at));
    let marked = state.marked.is_some_and(|m| chain.attempts.contains(&m));
    [
        Cell::from(Span::styled(clock(state, first), theme.dim)),
        Cell::from(sanitize::short(&last.webhook_type).into_owned()),
        Cell::from(trail_line(set, chain, usize::from(trail_width), theme)),
        mark_cell(last, theme),
        took_cell(last),
        Cell::from(Span::styled(tries, if chain.tries() > 1 { theme.warn } else { theme.dim })),
        Cell::from(host_cell(last, fresh, marked, theme)),
    ]
}

/// An earlier attempt, beneath its expanded delivery.
fn try_cells(
    state: &State,
    log: &WebhookLog,
    index: usize,
    number: usize,
    of: usize,
    theme: &Theme,
) -> [Cell<'static>; 7] {
    [
        Cell::from(Span::styled(clock(state, log), theme.dim)),
        Cell::from(Span::styled(format!("  ↳ try {number} of {of}"), theme.dim)),
        Cell::from(Line::from(Span::styled(Ending::of(log).word(), outcome_style(log, theme))).right_aligned()),
        mark_cell(log, theme),
        took_cell(log),
        Cell::from(""),
        Cell::from(host_cell(log, is_fresh(state, index), state.marked == Some(index), theme)),
    ]
}

/// The trail, each status in its attempt's colour. When it is wider than `width`, only the
/// first and last statuses (`timeout → … → timeout`), and cut if even that is wider.
fn trail_line(set: &LogSet, chain: &Chain, width: usize, theme: &Theme) -> Line<'static> {
    let text = trail(set, chain);
    let last = &set.logs[chain.last()];
    let elided = chain.tries() > 3 || text.width() > width;
    let short = format!("{} → … → {}", trail_word(&set.logs[chain.first()]), trail_word(last));
    if elided && short.width() > width {
        return Line::from(Span::styled(crate::columns::cut(&short, width), outcome_style(last, theme)))
            .right_aligned();
    }
    let mut spans = Vec::new();
    let named: Vec<usize> = if elided { vec![chain.first(), chain.last()] } else { chain.attempts.clone() };
    for (n, &at) in named.iter().enumerate() {
        if n > 0 {
            spans.push(Span::styled(if elided { " → … → " } else { " → " }, theme.dim));
        }
        let log = &set.logs[at];
        spans.push(Span::styled(trail_word(log), outcome_style(log, theme)));
    }
    Line::from(spans).right_aligned()
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
