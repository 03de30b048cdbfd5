//! Popups over the explorer: the type picker, the copy menu and the help overlay. The copy
//! menu and the help are read from the keymap, so they list exactly the keys in force.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::action::CopyAction;
use crate::sanitize;
use crate::state::{Popup, State};

pub(super) fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    match &state.popup {
        Popup::None | Popup::Search { .. } => {}
        Popup::Types { cursor, chosen } => {
            let lines: Vec<Line<'_>> = state
                .types
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let check = if chosen.contains(&t.name) { "[x]" } else { "[ ]" };
                    let number = if i < 9 { format!("{}", i + 1) } else { " ".to_owned() };
                    let text = format!("{check} {number} {:<24} {:>6}", sanitize::short(&t.name), t.count);
                    Line::styled(text, if i == *cursor { theme.selected } else { ratatui::style::Style::new() })
                })
                .collect();
            let title = if chosen.is_empty() {
                " Types: all shown ".to_owned()
            } else {
                format!(" Types: {} chosen ", chosen.len())
            };
            let scroll = cursor.saturating_sub(12);
            boxed(frame, theme, &title, lines, 44, scroll);
        }
        Popup::Copy => {
            let mut lines: Vec<Line<'_>> = state
                .keymap
                .copy
                .bindings
                .iter()
                .filter(|binding| matches!(binding.action, CopyAction::Copy(_)))
                .filter_map(|binding| {
                    let key = binding.keys.first()?;
                    Some(Line::from(vec![Span::styled(format!(" {key} "), theme.key), Span::raw(binding.description)]))
                })
                .collect();
            if state.redact {
                lines.push(Line::styled(" redaction is on", theme.warn));
            }
            boxed(frame, theme, " Copy ", lines, 44, 0);
        }
        Popup::Help { scroll } => boxed(frame, theme, " Keys ", super::help::lines(&state.keymap, theme), 64, *scroll),
    }
}

fn boxed(frame: &mut Frame, theme: &Theme, title: &str, lines: Vec<Line<'_>>, width: u16, scroll: usize) {
    let screen = frame.area();
    let height = u16::try_from(lines.len()).unwrap_or(u16::MAX).saturating_add(2).min(screen.height);
    let area = centered(screen, width.min(screen.width), height);
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(title.to_owned(), theme.title));
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    cell
}
