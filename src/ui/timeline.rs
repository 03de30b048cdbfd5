//! The timeline view: a `T+` axis, a lane per webhook type, the selected attempt under a cursor
//! column and said in the line under the lanes. Reads the model the state built for this width; a frame
//! only turns its cells into glyphs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Theme;
use crate::outcome::Ending;
use crate::state::{Focus, State};
use crate::timeline::{Cell, Timeline, ticks};
use crate::{columns, sanitize};

/// Columns kept between the starts of two axis labels.
const TICK_GAP: usize = 10;

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let focused = state.focus == Focus::List;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(if focused { theme.border_focused } else { theme.border })
        .title(Span::styled(super::stats::view_title("Timeline", state), theme.title));
    let inner = block.inner(area);
    let Some(timeline) = state.timeline.as_ref() else {
        frame.render_widget(block, area);
        return;
    };
    let lane_rows = usize::from(inner.height.saturating_sub(2));
    let selection = state.timeline_selection();
    // The selected lane stays in sight; lanes past the rows scroll under it.
    let first_lane = selection.map_or(0, |(lane, _)| (lane + 1).saturating_sub(lane_rows));
    let visible = first_lane..(first_lane + lane_rows).min(timeline.lanes.len());
    let position = if timeline.lanes.len() > lane_rows {
        format!(" lanes {}-{} of {} ", visible.start + 1, visible.end, timeline.lanes.len())
    } else {
        String::new()
    };
    let block = block.title_bottom(Line::from(Span::styled(position, theme.dim)).right_aligned());
    frame.render_widget(block, area);

    let cursor = selection.map(|(lane, place)| (lane, timeline.column(timeline.lanes[lane].attempts[place].at_ms)));
    let mut lines = Vec::with_capacity(lane_rows + 2);
    lines.push(axis(timeline, theme));
    for lane in visible {
        lines.push(lane_line(timeline, lane, cursor, theme));
    }
    lines.push(selection_line(state, timeline, usize::from(inner.width), theme));
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The tick labels over the lanes.
fn axis(timeline: &Timeline, theme: &Theme) -> Line<'static> {
    let mut text = " ".repeat(timeline.label_width + 1);
    let origin = text.len();
    for (column, label) in ticks(timeline, TICK_GAP) {
        let at = origin + column;
        if text.len() < at {
            text.push_str(&" ".repeat(at - text.len()));
        }
        text.push_str(&label);
    }
    Line::styled(text, theme.dim)
}

/// What a column of a lane shows: a mark for its attempts (a failure wins a shared column, and
/// several attempts show how many), `─` inside a delivery's retries, else nothing. The glyphs
/// differ, so it reads without colour.
fn glyph(cell: Cell, theme: &Theme) -> (char, Style) {
    match (cell.delivered, cell.failed) {
        (0, 1) => ('✗', theme.failed),
        (_, 1..) => ('✖', theme.failed),
        (1, 0) => ('●', theme.ok),
        (n @ 2..=9, 0) => (char::from_digit(n, 10).unwrap_or('+'), theme.ok),
        (10.., 0) => ('+', theme.ok),
        (0, 0) if cell.joined => ('─', theme.dim),
        _ => (' ', Style::new()),
    }
}

/// A lane: its label, then its cells, the cursor column through it.
fn lane_line(timeline: &Timeline, lane: usize, cursor: Option<(usize, usize)>, theme: &Theme) -> Line<'static> {
    let on_lane = cursor.is_some_and(|(selected, _)| selected == lane);
    let label = columns::cut(&sanitize::short(&timeline.lanes[lane].name), timeline.label_width);
    let pad = timeline.label_width.saturating_sub(unicode_width::UnicodeWidthStr::width(label.as_str()));
    let label_style = if on_lane { theme.accent.add_modifier(ratatui::style::Modifier::BOLD) } else { theme.dim };
    let mut spans = vec![Span::styled(format!("{label}{} ", " ".repeat(pad)), label_style)];
    let mut run = String::new();
    let mut run_style = Style::new();
    for (column, &cell) in timeline.lanes[lane].cells.iter().enumerate() {
        let (mut glyph, mut style) = glyph(cell, theme);
        if cursor.is_some_and(|(_, at)| at == column) {
            if on_lane {
                style = theme.selected;
            } else if glyph == ' ' {
                (glyph, style) = ('│', theme.dim);
            }
        }
        if style != run_style && !run.is_empty() {
            spans.push(Span::styled(std::mem::take(&mut run), run_style));
        }
        run_style = style;
        run.push(glyph);
    }
    spans.push(Span::styled(run, run_style));
    Line::from(spans)
}

/// `T+34s · tool_call · 502 ✗`, and how many logs have no time.
fn selection_line(state: &State, timeline: &Timeline, width: usize, theme: &Theme) -> Line<'static> {
    let said = match (state.selected_offset(), state.selected_log()) {
        (Some(offset), Some(log)) => {
            let mark = super::list::mark(log);
            let ending = Ending::of(log).word();
            format!("{offset} · {} · {ending} {mark}", sanitize::short(&log.webhook_type))
        }
        (None, Some(_)) => "the selected log has no time: h/l go to the axis".to_owned(),
        _ if timeline.lanes.is_empty() => "no log has a time to place".to_owned(),
        _ => String::new(),
    };
    let undated = match timeline.undated {
        0 => String::new(),
        n => format!("{n} undated"),
    };
    let room = width.saturating_sub(undated.chars().count() + 1);
    let said = columns::cut(&said, room);
    let gap = width.saturating_sub(unicode_width::UnicodeWidthStr::width(said.as_str()) + undated.chars().count());
    let style = if state.selected_log().is_some_and(|log| !log.success) { theme.failed } else { theme.accent };
    Line::from(vec![Span::styled(said, style), Span::raw(" ".repeat(gap)), Span::styled(undated, theme.warn)])
}
