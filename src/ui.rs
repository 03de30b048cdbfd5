//! Drawing. Pure: reads the state, never fetches, parses or highlights. Everything shown that
//! came from the data has been through `sanitize` (when the document was built, or here for
//! the short fields).

mod detail;
mod header;
mod list;
mod popup;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::layout;
use crate::state::{Load, Popup, State};
use theme::Theme;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

pub fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    let areas = layout::areas(frame.area(), state.zoomed);
    header::render(frame, areas.header, state, theme);
    let body = areas.list.union(areas.detail);
    match &state.load {
        Load::Loading { since } => {
            let spinner = SPINNER[state.spinner % SPINNER.len()];
            let waited = since.elapsed().as_secs();
            let waited = if waited > 0 { format!(" {waited} s") } else { String::new() };
            let text = format!("{spinner} Fetching webhook logs for {}…{waited}", state.source_label);
            message(
                frame,
                body,
                theme,
                "Loading",
                &[Line::styled(text, theme.accent), Line::raw(""), hint_line(theme, &[("q", "quit")])],
            );
        }
        Load::Failed(failure) => {
            let lines = [
                Line::styled(crate::sanitize::line(&failure.message).into_owned(), theme.failed),
                Line::raw(""),
                Line::raw(crate::sanitize::line(&failure.hint).into_owned()),
                Line::raw(""),
                hint_line(theme, &[("r", "try again"), ("q", "quit")]),
            ];
            message(frame, body, theme, &format!("Could not load {}", state.source_label), &lines);
        }
        Load::Loaded => {
            let total = state.logs().map_or(0, |set| set.logs.len());
            if total == 0 {
                let lines = [
                    Line::raw("This call has no webhook deliveries."),
                    Line::raw(""),
                    Line::styled(
                        "Either its assistant has no webhook URL configured, or nothing was sent yet.",
                        theme.dim,
                    ),
                    Line::raw(""),
                    hint_line(theme, &[("r", "fetch again"), ("q", "quit")]),
                ];
                message(frame, body, theme, "No deliveries", &lines);
            } else if state.shown.is_empty() && !state.searching {
                let lines = [
                    Line::raw(format!("None of the {total} deliveries matches the filters.")),
                    Line::raw(""),
                    Line::styled(header::filter_summary(state), theme.dim),
                    Line::raw(""),
                    hint_line(theme, &[("c", "clear filters"), ("t", "types"), ("f", "status"), ("/", "search")]),
                ];
                message(frame, body, theme, "Nothing matches", &lines);
            } else {
                if !state.zoomed {
                    list::render(frame, &areas, state, theme);
                }
                detail::render(frame, &areas, state, theme);
            }
        }
    }
    render_footer(frame, areas.footer, state, theme);
    popup::render(frame, state, theme);
}

/// A centred, bordered message for the states that replace the list and detail.
fn message(frame: &mut Frame, area: Rect, theme: &Theme, title: &str, lines: &[Line<'_>]) {
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let [_, middle, _] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(height), Constraint::Fill(1)]).areas(inner);
    frame.render_widget(Paragraph::new(lines.to_vec()).alignment(Alignment::Center).wrap(Wrap { trim: true }), middle);
}

fn hint_line(theme: &Theme, hints: &[(&str, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled((*key).to_owned(), theme.key));
        spans.push(Span::styled(format!(" {what}"), theme.dim));
    }
    Line::from(spans)
}

/// As many hints as fit the width, keeping the last two (help and quit) whatever happens.
fn fit_hints<'h>(hints: &'h [(String, &'static str)], width: usize) -> Vec<(&'h str, &'static str)> {
    let cost = |(key, what): &(String, &str)| key.chars().count() + what.chars().count() + 3;
    let (head, tail) = hints.split_at(hints.len().saturating_sub(2));
    let mut used: usize = tail.iter().map(cost).sum();
    let mut kept: Vec<(&'h str, &'static str)> = Vec::new();
    for hint in head {
        used += cost(hint);
        if used > width {
            break;
        }
        kept.push((hint.0.as_str(), hint.1));
    }
    kept.extend(tail.iter().map(|(key, what)| (key.as_str(), *what)));
    kept
}

fn render_footer(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [status_area, hints_area] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let status = match &state.popup {
        Popup::Search { input, .. } => Line::from(vec![
            Span::styled("/", theme.key),
            Span::raw(crate::sanitize::short(input).into_owned()),
            Span::styled("▏", theme.accent),
            Span::styled("   Enter apply · Esc cancel · Ctrl-U clear", theme.dim),
        ]),
        _ => match &state.status {
            Some(status) => Line::styled(
                crate::sanitize::line(&status.text).into_owned(),
                if status.ok { theme.ok } else { theme.warn },
            ),
            None => Line::default(),
        },
    };
    frame.render_widget(Paragraph::new(status), status_area);
    let hints: Vec<(String, &str)> = match &state.popup {
        Popup::Types { .. } => {
            vec![
                ("j/k".into(), "move"),
                ("Space".into(), "toggle"),
                ("a".into(), "all"),
                ("Enter".into(), "apply"),
                ("Esc".into(), "cancel"),
            ]
        }
        Popup::Copy => vec![("p r e c m u".into(), "copy"), ("Esc".into(), "close")],
        Popup::Help { .. } => vec![("j/k".into(), "scroll"), ("any key".into(), "close")],
        _ => {
            let mut hints = vec![("j/k".to_owned(), "move")];
            hints.extend(state.keymap.footer_hints());
            hints
        }
    };
    let pairs = fit_hints(&hints, usize::from(hints_area.width));
    frame.render_widget(Paragraph::new(hint_line(theme, &pairs)), hints_area);
}
