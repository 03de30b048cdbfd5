//! The help overlay's text: every table of the keymap the explorer runs with, so it lists
//! exactly the keys in force, `[keys]` overrides included.

use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::keymap::Keymap;

/// Keys right-aligned in a column this wide, then what they do.
const KEYS_WIDTH: usize = 14;

pub(super) fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let row = |keys: &str, description: &'static str| {
        Line::from(vec![Span::styled(format!("{keys:>KEYS_WIDTH$}  "), theme.key), Span::raw(description)])
    };
    let mut lines = Vec::new();
    for (title, rows) in keymap.help_sections() {
        lines.push(Line::styled(format!(" {title}"), theme.accent));
        lines.extend(rows.iter().map(|(keys, description)| row(keys, description)));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(" mouse", theme.accent));
    lines.push(row("click", "select the row or the pane"));
    lines.push(row("wheel", "scroll the pane under the pointer"));
    lines
}
