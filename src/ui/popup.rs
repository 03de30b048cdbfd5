//! Popups over the explorer: the type picker, the copy menu and the help overlay. The copy
//! menu and the help are read from the keymap, so they list exactly the keys in force; the
//! help's place is `layout::help_box`, which the state scrolls it by.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Theme;
use crate::action::CopyAction;
use crate::json_diff::Mark;
use crate::sanitize;
use crate::state::{Popup, State};

pub(super) fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    match &state.popup {
        Popup::None | Popup::Search { .. } => {}
        Popup::Types { cursor, chosen } => {
            // Only the rows the box can show are built: a call may have 60,000 types.
            let scroll = cursor.saturating_sub(12);
            let shown = usize::from(frame.area().height.saturating_sub(2));
            let lines: Vec<Line<'_>> = state
                .types
                .iter()
                .enumerate()
                .skip(scroll)
                .take(shown)
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
            boxed(frame, theme, &title, Rows { lines, total: state.types.len(), scroll: 0 }, 44);
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
            let total = lines.len();
            boxed(frame, theme, " Copy ", Rows { lines, total, scroll: 0 }, 44);
        }
        Popup::Help { scroll } => help(frame, state, theme, *scroll),
        Popup::Diff { scroll } => diff(frame, state, theme, *scroll),
    }
}

/// The payload diff: `~` changed in the warning colour, `+` added in green, `-` removed in red;
/// the marks carry it without colour. Every line is from the payloads, so sanitized here.
fn diff(frame: &mut Frame, state: &State, theme: &Theme, scroll: usize) {
    let Some(view) = &state.diff else { return };
    let area = crate::layout::diff_box(frame.area(), view.lines.len());
    let page = usize::from(area.height.saturating_sub(2));
    let lines: Vec<Line<'_>> = view
        .lines
        .iter()
        .skip(scroll)
        .take(page)
        .map(|(mark, text)| {
            let style = match mark {
                Some(Mark::Changed) => theme.warn,
                Some(Mark::Added) => theme.ok,
                Some(Mark::Removed) => theme.failed,
                None => theme.dim,
            };
            Line::styled(sanitize::line(text).into_owned(), style)
        })
        .collect();
    let mut block = block(theme, &sanitize::line(&view.title));
    if page < view.lines.len() {
        let last = (scroll + page).min(view.lines.len());
        block = block.title_bottom(Span::styled(
            format!(" {}-{last} of {} · j/k PgDn · any other key closes ", scroll + 1, view.lines.len()),
            theme.key,
        ));
    }
    draw(frame, area, block, lines, 0);
}

/// The help over everything but the footer; when it holds fewer lines than it has, its bottom
/// border says which are shown and how to see the others.
fn help(frame: &mut Frame, state: &State, theme: &Theme, scroll: usize) {
    let lines = super::help::lines(&state.keymap, theme);
    let area = crate::layout::help_box(frame.area(), lines.len());
    let page = usize::from(area.height.saturating_sub(2));
    let block = block(theme, " Keys ");
    let block = if page < lines.len() {
        let last = (scroll + page).min(lines.len());
        let more = if last < lines.len() { " · j/k PgDn more" } else { " · g top" };
        block.title_bottom(Span::styled(format!(" {}-{last} of {}{more} ", scroll + 1, lines.len()), theme.key))
    } else {
        block
    };
    draw(frame, area, block, lines, scroll);
}

/// A popup's lines: `total` rows in all (for the box's height), of which `lines` were built,
/// shown from row `scroll` of them.
struct Rows<'a> {
    lines: Vec<Line<'a>>,
    total: usize,
    scroll: usize,
}

fn boxed(frame: &mut Frame, theme: &Theme, title: &str, rows: Rows<'_>, width: u16) {
    let Rows { lines, total, scroll } = rows;
    let screen = frame.area();
    let height = u16::try_from(total).unwrap_or(u16::MAX).saturating_add(2).min(screen.height);
    let area = centered(screen, width.min(screen.width), height);
    draw(frame, area, block(theme, title), lines, scroll);
}

fn block<'a>(theme: &Theme, title: &str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(title.to_owned(), theme.title))
}

fn draw(frame: &mut Frame, area: Rect, block: Block<'_>, lines: Vec<Line<'_>>, scroll: usize) {
    frame.render_widget(Clear, area);
    let scroll = u16::try_from(scroll).unwrap_or(u16::MAX);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), area);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
    cell
}
