//! Keys and mouse. A key goes to the table of whatever has the keys (a popup, or browsing),
//! after the keys that work anywhere; see `crate::keymap`.

use std::collections::BTreeSet;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::{Focus, Popup, State, View};
use crate::action::{Action, CopyAction, Effect, HelpAction, PickerAction, SearchAction};
use crate::layout::help_box;

/// The longest search line, in bytes of UTF-8: far more than any search needs, and what a paste
/// is cut to.
pub(super) const MAX_SEARCH_BYTES: usize = 1024;

impl State {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        if let Some(action) = self.keymap.anywhere.action_for(&key) {
            return self.perform(action);
        }
        match std::mem::take(&mut self.popup) {
            Popup::None => self.browse_key(key),
            Popup::Search { input, previous } => self.search_key(key, input, previous),
            Popup::Types { cursor, chosen } => self.picker_key(key, cursor, chosen),
            Popup::Help { scroll } => {
                let Some(action) = self.keymap.help.action_for(&key).filter(|&action| action != HelpAction::Close)
                else {
                    return Vec::new();
                };
                let lines = self.keymap.help_line_count();
                let page = usize::from(help_box(self.screen, lines).height.saturating_sub(2)).max(1);
                let scroll = match action {
                    HelpAction::ScrollDown => scroll + 1,
                    HelpAction::ScrollUp => scroll.saturating_sub(1),
                    HelpAction::PageDown => scroll + page.saturating_sub(1).max(1),
                    HelpAction::PageUp => scroll.saturating_sub(page.saturating_sub(1).max(1)),
                    HelpAction::Top | HelpAction::Close => 0,
                    HelpAction::Bottom => usize::MAX,
                };
                self.popup = Popup::Help { scroll: scroll.min(lines.saturating_sub(page)) };
                Vec::new()
            }
            Popup::Diff { scroll } => {
                let action = self.keymap.help.action_for(&key);
                self.diff_key(action, scroll);
                Vec::new()
            }
            Popup::Copy => match self.keymap.copy.action_for(&key) {
                Some(CopyAction::Copy(item)) => self.copy(item),
                Some(CopyAction::Close) | None => Vec::new(),
            },
        }
    }

    fn browse_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(action) = self.keymap.browse.action_for(&key) else { return Vec::new() };
        // Before data arrives only a few keys mean anything, and the way back to the call list.
        let back_to_calls = self.from_calls && matches!(action, Action::Back | Action::BackToCalls);
        if !self.rows_shown() && !back_to_calls && !matches!(action, Action::Quit | Action::Refresh | Action::Help) {
            return Vec::new();
        }
        self.perform(action)
    }

    /// The search line's command keys, and any other character typed into it. The text filter
    /// follows the line as it changes; Enter keeps it, Esc puts back the one from before.
    fn search_key(&mut self, key: KeyEvent, mut input: String, previous: String) -> Vec<Effect> {
        match self.keymap.search.action_for(&key) {
            Some(SearchAction::Cancel) => return self.set_search_text(previous),
            Some(SearchAction::Apply) => return Vec::new(),
            Some(SearchAction::DeleteChar) => _ = input.pop(),
            Some(SearchAction::Clear) => input.clear(),
            None => match key.code {
                KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                    return self.type_into_search(input, previous, c.encode_utf8(&mut [0; 4]));
                }
                _ => {}
            },
        }
        let effects = self.set_search_text(input.clone());
        self.popup = Popup::Search { input, previous };
        effects
    }

    /// Text pasted into the terminal goes into the search line when it is open, in one step as
    /// if typed (so 16,000 pasted characters cost one update, not 16,000); anywhere else it is
    /// ignored, since pasted text is not a string of commands.
    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        match std::mem::take(&mut self.popup) {
            Popup::Search { input, previous } => self.type_into_search(input, previous, text),
            popup => {
                self.popup = popup;
                Vec::new()
            }
        }
    }

    /// What a typed character and a paste share: `text` joins the search line as one line
    /// (line breaks and tabs become a space, other control characters are dropped), up to
    /// [`MAX_SEARCH_BYTES`]; the list follows the line, as it does every change of it.
    fn type_into_search(&mut self, mut input: String, previous: String, text: &str) -> Vec<Effect> {
        let mut room = MAX_SEARCH_BYTES.saturating_sub(input.len());
        let mut after_break = false;
        let typed = text
            .chars()
            .filter_map(|c| {
                let was_break = std::mem::replace(&mut after_break, c == '\r');
                match c {
                    '\n' if was_break => None,
                    '\r' | '\n' | '\t' => Some(' '),
                    c if c.is_control() => None,
                    c => Some(c),
                }
            })
            .take_while(|c| match room.checked_sub(c.len_utf8()) {
                Some(left) => {
                    room = left;
                    true
                }
                None => false,
            });
        input.extend(typed);
        let effects = self.set_search_text(input.clone());
        self.popup = Popup::Search { input, previous };
        effects
    }

    fn picker_key(&mut self, key: KeyEvent, cursor: usize, mut chosen: BTreeSet<String>) -> Vec<Effect> {
        let last = self.types.len().saturating_sub(1);
        let mut toggle = |index: usize| {
            if let Some(name) = self.types.get(index).map(|t| t.name.clone())
                && !chosen.remove(&name)
            {
                chosen.insert(name);
            }
        };
        let cursor = match self.keymap.types.action_for(&key) {
            Some(PickerAction::Cancel) => return Vec::new(),
            Some(PickerAction::Apply) => {
                self.filter.types = chosen;
                return self.refilter();
            }
            Some(PickerAction::Down) => (cursor + 1).min(last),
            Some(PickerAction::Up) => cursor.saturating_sub(1),
            Some(PickerAction::First) => 0,
            Some(PickerAction::Last) => last,
            Some(PickerAction::Toggle) => {
                toggle(cursor);
                cursor
            }
            Some(PickerAction::ToggleSlot(slot)) => {
                toggle(slot.index());
                slot.index().min(last)
            }
            Some(PickerAction::All) => {
                chosen.clear();
                cursor
            }
            None => cursor,
        };
        self.popup = Popup::Types { cursor, chosen };
        Vec::new()
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        if self.popup != Popup::None || !self.rows_shown() {
            return Vec::new();
        }
        let areas = self.areas();
        let at = ratatui::layout::Position::new(mouse.column, mouse.row);
        let over_list = areas.list.contains(at);
        let over_detail = areas.detail.contains(at);
        match mouse.kind {
            // The timeline and the stats take clicks as focus only: their rows are not the list's.
            MouseEventKind::Down(MouseButton::Left) if over_list && self.view != View::List => {
                self.focus = Focus::List;
                Vec::new()
            }
            MouseEventKind::Down(MouseButton::Left) if areas.list_rows.contains(at) => {
                self.focus = Focus::List;
                let row = self.list_scroll + usize::from(mouse.row - areas.list_rows.y);
                match self.shown.get(row).copied() {
                    Some(index) => self.select(Some(index)),
                    None => Vec::new(),
                }
            }
            MouseEventKind::Down(MouseButton::Left) if over_detail => {
                self.focus = Focus::Detail;
                Vec::new()
            }
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let delta = if mouse.kind == MouseEventKind::ScrollDown { 3 } else { -3 };
                if over_list && self.view == View::List {
                    let focus = std::mem::replace(&mut self.focus, Focus::List);
                    let effects = self.move_by(delta);
                    self.focus = focus;
                    effects
                } else if over_detail {
                    self.scroll_detail(delta);
                    Vec::new()
                } else {
                    Vec::new()
                }
            }
            MouseEventKind::ScrollLeft | MouseEventKind::ScrollRight if over_detail && !self.wrap => {
                let width = usize::from(areas.detail_doc.width.max(2));
                let delta = if mouse.kind == MouseEventKind::ScrollRight { 4 } else { -4 };
                if let Some(detail) = self.detail.as_mut() {
                    detail.scroll_sideways(delta, width);
                }
                Vec::new()
            }
            _ => Vec::new(),
        }
    }
}
