//! The footer: a status line (or the search being typed), and the keys of whatever has the
//! keys, read from its table in the keymap.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::sanitize;
use crate::state::{Popup, State};

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let [status_area, hints_area] = Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(area);
    let status = match (&state.popup, &state.status) {
        (Popup::Search { input, .. }, _) => Line::from(vec![
            Span::styled("/", theme.key),
            Span::raw(sanitize::short(input).into_owned()),
            Span::styled("▏", theme.accent),
        ]),
        (_, Some(status)) => {
            Line::styled(sanitize::line(&status.text).into_owned(), if status.ok { theme.ok } else { theme.warn })
        }
        (_, None) => Line::default(),
    };
    frame.render_widget(Paragraph::new(status), status_area);
    let hints = state.keymap.hints(state.mode());
    frame
        .render_widget(Paragraph::new(hint_line(theme, &fit_hints(&hints, usize::from(hints_area.width)))), hints_area);
}

/// `key what  key what`, keys in the key style.
pub(super) fn hint_line<K: AsRef<str>>(theme: &Theme, hints: &[(K, &str)]) -> Line<'static> {
    let mut spans = Vec::new();
    for (i, (key, what)) in hints.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw("  "));
        }
        spans.push(Span::styled(key.as_ref().to_owned(), theme.key));
        spans.push(Span::styled(format!(" {what}"), theme.dim));
    }
    Line::from(spans)
}

/// As many hints as fit the width, keeping the last two (help and quit while browsing)
/// whatever happens.
pub(super) fn fit_hints(hints: &[(String, &'static str)], width: usize) -> Vec<(String, &'static str)> {
    let cost = |(key, what): &(String, &str)| key.chars().count() + what.chars().count() + 3;
    let (head, tail) = hints.split_at(hints.len().saturating_sub(2));
    let mut used: usize = tail.iter().map(cost).sum();
    let mut kept = Vec::new();
    for hint in head {
        used += cost(hint);
        if used > width {
            break;
        }
        kept.push(hint.clone());
    }
    kept.extend(tail.iter().cloned());
    kept
}
