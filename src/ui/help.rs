//! The help overlay's text: every table of the keymap the explorer runs with, so it lists
//! exactly the keys in force, `[keys]` overrides included.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::keymap::Keymap;

pub(super) fn lines(keymap: &Keymap, theme: &Theme) -> Vec<Line<'static>> {
    let lines = section_lines(keymap.help_sections(), theme);
    debug_assert_eq!(lines.len(), keymap.help_line_count(), "the state scrolls by this count");
    lines
}

/// Each section's title and rows, a blank line between sections.
pub(super) fn section_lines(
    sections: Vec<(&'static str, Vec<(String, &'static str)>)>,
    theme: &Theme,
) -> Vec<Line<'static>> {
    // Keys right-aligned in a column as wide as the widest, then what they do.
    let keys_width = sections.iter().flat_map(|(_, rows)| rows).map(|(keys, _)| keys.width()).max().unwrap_or(0) + 1;
    let row = |keys: &str, description: &'static str| {
        let pad = " ".repeat(keys_width.saturating_sub(keys.width()));
        Line::from(vec![Span::styled(format!("{pad}{keys}  "), theme.key), Span::raw(description)])
    };
    let mut lines = Vec::new();
    for (title, rows) in sections {
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::styled(format!(" {title}"), theme.accent));
        lines.extend(rows.iter().map(|(keys, description)| row(keys, description)));
    }
    lines
}
