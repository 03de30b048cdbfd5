//! Drawing. Pure: reads the state, never fetches, parses or highlights. Everything shown that
//! came from the data has been through `sanitize` (when the document was built, or here for
//! the short fields).

pub mod browser;
mod detail;
mod footer;
mod header;
mod help;
mod list;
mod popup;
mod stats;
pub mod theme;
mod timeline;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::action::Action;
use crate::layout;
use crate::state::{Load, State, View};
use footer::hint_line;
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    let areas = layout::areas_for(frame.area(), state.zoomed, state.view.body());
    header::render(frame, areas.header, state, theme);
    let body = areas.list.union(areas.detail);
    match &state.load {
        Load::Loading { .. } if state.rows_shown() => render_logs(frame, &areas, state, theme),
        Load::Loading { since } => {
            let spinner = SPINNER[state.spinner % SPINNER.len()];
            let waited = since.elapsed().as_secs();
            let waited = if waited > 0 { format!(" {waited} s") } else { String::new() };
            let text = format!("{spinner} Fetching webhook logs for {}…{waited}", state.source_label);
            // A wait before a retry can be long: say why nothing comes, and for how long.
            let retrying = state.retrying.as_ref().map(|retrying| retrying.text(std::time::Instant::now()));
            let mut lines = vec![Line::styled(text, theme.accent)];
            lines.extend(retrying.map(|text| Line::styled(text, theme.warn)));
            lines.push(Line::raw(""));
            lines.push(action_hints(state, theme, &[(Action::Quit, "quit")]));
            message(frame, body, theme, "Loading", &lines);
        }
        Load::Failed(failure) => {
            let lines = [
                Line::styled(crate::sanitize::line(&failure.message).into_owned(), theme.failed),
                Line::raw(""),
                Line::raw(crate::sanitize::line(&failure.hint).into_owned()),
                Line::raw(""),
                action_hints(state, theme, &[(Action::Refresh, "try again"), (Action::Quit, "quit")]),
            ];
            message(frame, body, theme, &format!("Could not load {}", state.source_label), &lines);
        }
        Load::Loaded => render_logs(frame, &areas, state, theme),
    }
    footer::render(frame, areas.footer, state, theme);
    popup::render(frame, state, theme);
}

/// The list and the detail, or what stands in for them when there is nothing to list.
fn render_logs(frame: &mut Frame, areas: &layout::Areas, state: &State, theme: &Theme) {
    let body = areas.list.union(areas.detail);
    let total = state.logs().map_or(0, |set| set.logs.len());
    if total == 0 && state.arrival.is_some() {
        let lines = [Line::styled(header::arrival_text(state).unwrap_or_default(), theme.accent)];
        message(frame, body, theme, "Receiving", &lines);
    } else if total == 0 {
        let lines = [
            Line::raw("This call has no webhook deliveries."),
            Line::raw(""),
            Line::styled("Either its assistant has no webhook URL configured, or nothing was sent yet.", theme.dim),
            Line::raw(""),
            action_hints(state, theme, &[(Action::Refresh, "fetch again"), (Action::Quit, "quit")]),
        ];
        message(frame, body, theme, "No deliveries", &lines);
    } else if state.shown.is_empty() && !state.searching {
        let present: Vec<(&str, usize)> = state.types.iter().map(|t| (t.name.as_str(), t.count)).collect();
        let picker = state.keymap.browse.key_label(Action::TypePicker).unwrap_or_default();
        let absent = crate::absent_types::short_hint(&state.filter.types, &present, &picker);
        let lines = [
            Line::raw(format!("None of the {total} deliveries matches the filters.")),
            Line::raw(""),
            Line::styled(header::filter_summary(state), theme.dim),
            absent.map_or_else(Line::default, |hint| Line::styled(hint, theme.warn)),
            Line::raw(""),
            action_hints(
                state,
                theme,
                &[
                    (Action::ClearFilters, "clear filters"),
                    (Action::TypePicker, "types"),
                    (Action::CycleStatus, "status"),
                    (Action::Search, "search"),
                ],
            ),
        ];
        message(frame, body, theme, "Nothing matches", &lines);
    } else {
        match state.view {
            _ if state.zoomed => {}
            View::List => list::render(frame, areas, state, theme),
            View::Timeline => timeline::render(frame, areas.list, state, theme),
            View::Stats => stats::render(frame, areas.list, state, theme),
        }
        if state.zoomed || state.view != View::Stats {
            detail::render(frame, areas, state, theme);
        }
    }
}

/// A centred, bordered message for the states that replace the list and detail.
fn message(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: &[Line<'_>]) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    // A line wider than the box wraps: count the rows it takes, or the last lines (the keys)
    // would fall off the bottom of the middle.
    let width = usize::from(inner.width.max(1));
    let rows: usize = lines.iter().map(|line| line.width().div_ceil(width).max(1)).sum();
    let height = u16::try_from(rows).unwrap_or(u16::MAX);
    let [_, middle, _] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines.to_vec()).alignment(Alignment::Center).wrap(Wrap { trim: true }), middle);
}

/// Hints for the screens that replace the list, naming the keys the actions are bound to.
fn action_hints(state: &State, theme: &Theme, hints: &[(Action, &str)]) -> Line<'static> {
    let keyed: Vec<(String, &str)> = hints
        .iter()
        .filter_map(|&(action, what)| state.keymap.browse.key_label(action).map(|key| (key, what)))
        .collect();
    hint_line(theme, &keyed)
}
