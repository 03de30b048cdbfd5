//! Keys and mouse: popups read their own keys first, then the keymap decides.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};

use super::{Focus, Load, Popup, State};
use crate::action::{Action, Effect};
use crate::export::CopyItem;

/// The copy menu, in the order shown: (key, item, label).
pub const COPY_MENU: [(char, CopyItem, &str); 6] = [
    ('p', CopyItem::Payload, "request payload (pretty)"),
    ('r', CopyItem::Response, "response body (escapes removed)"),
    ('e', CopyItem::Entry, "whole log entry as JSON, as sent"),
    ('c', CopyItem::Curl, "curl command that replays it"),
    ('m', CopyItem::Markdown, "Markdown bug report"),
    ('u', CopyItem::Url, "webhook URL"),
];

impl State {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        // Ctrl-C always quits, whatever has the keys.
        if key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c') {
            return self.perform(Action::Quit);
        }
        match std::mem::take(&mut self.popup) {
            Popup::None => {}
            Popup::Search { input } => return self.search_key(key, input),
            Popup::Types { cursor, chosen } => return self.types_key(key, cursor, chosen),
            Popup::Help { scroll } => {
                self.popup = match key.code {
                    KeyCode::Char('j') | KeyCode::Down => Popup::Help { scroll: scroll + 1 },
                    KeyCode::Char('k') | KeyCode::Up => Popup::Help { scroll: scroll.saturating_sub(1) },
                    _ => Popup::None,
                };
                return Vec::new();
            }
            Popup::Copy => return self.copy_key(key),
        }
        let Some(action) = self.keymap.action_for(&key) else { return Vec::new() };
        // Before data arrives only a few keys mean anything.
        if !matches!(self.load, Load::Loaded) && !matches!(action, Action::Quit | Action::Refresh | Action::Help) {
            return Vec::new();
        }
        self.perform(action)
    }

    fn search_key(&mut self, key: KeyEvent, mut input: String) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => Vec::new(),
            KeyCode::Enter => {
                if input == self.filter.text {
                    return Vec::new();
                }
                self.filter.text = input;
                let mut effects = self.start_search();
                effects.extend(self.refilter());
                effects.extend(self.rebuild_detail());
                effects
            }
            KeyCode::Backspace => {
                input.pop();
                self.popup = Popup::Search { input };
                Vec::new()
            }
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.popup = Popup::Search { input: String::new() };
                Vec::new()
            }
            KeyCode::Char(c) if !c.is_control() => {
                input.push(c);
                self.popup = Popup::Search { input };
                Vec::new()
            }
            _ => {
                self.popup = Popup::Search { input };
                Vec::new()
            }
        }
    }

    fn types_key(
        &mut self,
        key: KeyEvent,
        cursor: usize,
        mut chosen: std::collections::BTreeSet<String>,
    ) -> Vec<Effect> {
        let last = self.types.len().saturating_sub(1);
        let cursor = match key.code {
            KeyCode::Esc | KeyCode::Char('q' | 't') => return Vec::new(),
            KeyCode::Enter => {
                self.filter.types = chosen;
                return self.refilter();
            }
            KeyCode::Char('j') | KeyCode::Down => (cursor + 1).min(last),
            KeyCode::Char('k') | KeyCode::Up => cursor.saturating_sub(1),
            KeyCode::Char('g') | KeyCode::Home => 0,
            KeyCode::Char('G') | KeyCode::End => last,
            KeyCode::Char(' ' | 'x') => {
                if let Some(name) = self.types.get(cursor).map(|t| t.name.clone())
                    && !chosen.remove(&name)
                {
                    chosen.insert(name);
                }
                cursor
            }
            KeyCode::Char('a') => {
                chosen.clear();
                cursor
            }
            KeyCode::Char(c @ '1'..='9') => {
                let n = usize::from(c as u8 - b'0') - 1;
                if let Some(name) = self.types.get(n).map(|t| t.name.clone())
                    && !chosen.remove(&name)
                {
                    chosen.insert(name);
                }
                n.min(last)
            }
            _ => cursor,
        };
        self.popup = Popup::Types { cursor, chosen };
        Vec::new()
    }

    fn copy_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(&(_, item, _)) = COPY_MENU
            .iter()
            .find(|(k, _, _)| key.code == KeyCode::Char(*k) && !key.modifiers.contains(KeyModifiers::CONTROL))
        else {
            return Vec::new();
        };
        self.copy(item)
    }

    pub(super) fn on_mouse(&mut self, mouse: MouseEvent) -> Vec<Effect> {
        if self.popup != Popup::None || !matches!(self.load, Load::Loaded) {
            return Vec::new();
        }
        let areas = self.areas();
        let at = ratatui::layout::Position::new(mouse.column, mouse.row);
        let over_list = areas.list.contains(at);
        let over_detail = areas.detail.contains(at);
        match mouse.kind {
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
                if over_list {
                    let focus = std::mem::replace(&mut self.focus, Focus::List);
                    let effects = self.move_by(delta);
                    self.focus = focus;
                    effects
                } else if over_detail {
                    let page = usize::from(areas.detail_doc.height.max(1));
                    if let Some(detail) = self.detail.as_mut() {
                        detail.scroll_by(delta, page);
                    }
                    Vec::new()
                } else {
                    Vec::new()
                }
            }
            MouseEventKind::ScrollLeft | MouseEventKind::ScrollRight if over_detail => {
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
