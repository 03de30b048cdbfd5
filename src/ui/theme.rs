//! Semantic styles. Only the terminal's own palette colours are used (never a fixed white or
//! black), so the UI reads on dark and light backgrounds alike; `NO_COLOR` keeps the layout and
//! the modifiers (bold, reverse, dim) and drops every colour.

use ratatui::style::{Color, Modifier, Style};

use crate::cli;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub ok: Style,
    pub failed: Style,
    pub warn: Style,
    pub dim: Style,
    pub accent: Style,
    pub title: Style,
    pub selected: Style,
    /// The selection while the other pane has focus.
    pub selected_unfocused: Style,
    pub border: Style,
    pub border_focused: Style,
    pub key: Style,
    pub search_match: Style,
    pub color: bool,
}

impl Theme {
    #[must_use]
    pub fn new(choice: cli::Theme, color: bool) -> Self {
        let paint = |style: Style, fg: Color| if color { style.fg(fg) } else { style };
        let (accent, ok, key) = match choice {
            // On light backgrounds the bright cyan and green of dark themes wash out.
            cli::Theme::Dark => (Color::Cyan, Color::Green, Color::Yellow),
            cli::Theme::Light => (Color::Blue, Color::Green, Color::Magenta),
        };
        Self {
            ok: paint(Style::new(), ok),
            failed: paint(Style::new().add_modifier(Modifier::BOLD), Color::Red),
            warn: paint(Style::new(), Color::Yellow),
            dim: Style::new().add_modifier(Modifier::DIM),
            accent: paint(Style::new(), accent),
            title: paint(Style::new().add_modifier(Modifier::BOLD), accent),
            selected: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            selected_unfocused: Style::new().add_modifier(Modifier::REVERSED | Modifier::DIM),
            border: Style::new().add_modifier(Modifier::DIM),
            border_focused: paint(Style::new(), accent),
            key: paint(Style::new().add_modifier(Modifier::BOLD), key),
            // Reversed, so the match's background is the palette's yellow and its text the
            // terminal's own background colour, whatever that is.
            search_match: paint(Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED), Color::Yellow),
            color,
        }
    }

    /// Whether the environment asks for no colour (<https://no-color.org>: set and not empty).
    #[must_use]
    pub fn no_color_requested() -> bool {
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
    }
}
