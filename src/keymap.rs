//! Keys are data: one table of (mode, key, action, description) feeds dispatch, the footer
//! hints and the help overlay, so the three can never disagree. `[keys]` in the config file
//! rebinds an action's keys. Popups (search line, type picker, copy menu) read their few keys
//! themselves, and the help overlay lists those too.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;

/// A key with its modifiers, as written in the config file (`x`, `ctrl-c`, `f5`, `pagedown`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Self {
        Self { code, ctrl: false }
    }

    const fn char(c: char) -> Self {
        Self::plain(KeyCode::Char(c))
    }

    /// Reads `x`, `X`, `ctrl-x`, `enter`, `esc`, `tab`, `up`, `pageup`, `f5`, `space`, `?`.
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let lower = text.trim().to_ascii_lowercase();
        let (ctrl, name) = match lower.strip_prefix("ctrl-").or_else(|| lower.strip_prefix("c-")) {
            Some(rest) => (true, rest),
            None => (false, lower.as_str()),
        };
        let code = match name {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "pageup" | "pgup" => KeyCode::PageUp,
            "pagedown" | "pgdn" => KeyCode::PageDown,
            f if f.len() > 1 && f.starts_with('f') => KeyCode::F(f[1..].parse().ok()?),
            _ => {
                // Keep the case the user wrote for letters: `G` and `g` are different keys.
                let mut chars = text.trim().rsplit('-').next()?.chars();
                let c = chars.next()?;
                if chars.next().is_some() {
                    return None;
                }
                KeyCode::Char(if ctrl { c.to_ascii_lowercase() } else { c })
            }
        };
        Some(Self { code, ctrl })
    }

    #[must_use]
    pub fn matches(&self, event: &KeyEvent) -> bool {
        let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
        ctrl == self.ctrl && self.code == event.code
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("S-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One row of the key table.
#[derive(Debug, Clone)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub description: &'static str,
    /// Shown in the footer when browsing (the rest are in `?`).
    pub hint: Option<&'static str>,
}

/// The browse-mode key table.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

fn bind(keys: &[Key], action: Action, description: &'static str, hint: Option<&'static str>) -> Binding {
    Binding { keys: keys.to_vec(), action, description, hint }
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        use KeyCode as K;
        let c = Key::char;
        let p = Key::plain;
        let mut bindings = vec![
            bind(&[c('j'), p(K::Down)], A::Down, "next log / scroll down", None),
            bind(&[c('k'), p(K::Up)], A::Up, "previous log / scroll up", None),
            bind(&[c('g'), p(K::Home)], A::First, "first log / top", None),
            bind(&[c('G'), p(K::End)], A::Last, "last log / bottom", None),
            bind(&[p(K::PageDown), Key { code: K::Char('d'), ctrl: true }], A::PageDown, "page down", None),
            bind(&[p(K::PageUp), Key { code: K::Char('u'), ctrl: true }], A::PageUp, "page up", None),
            bind(&[p(K::Tab)], A::SwitchFocus, "switch focus list ↔ detail", Some("focus")),
            bind(&[p(K::Enter)], A::Zoom, "detail full-screen", Some("open")),
            bind(&[p(K::Esc)], A::Back, "back / close", None),
            bind(&[c('t')], A::TypePicker, "pick webhook types", Some("types")),
            bind(&[c('f')], A::CycleStatus, "status: all → failed → succeeded", Some("failed")),
            bind(&[c('/')], A::Search, "search text", Some("search")),
            bind(&[c('n')], A::NextMatch, "next match in the detail", None),
            bind(&[c('N')], A::PrevMatch, "previous match in the detail", None),
            bind(&[c('c')], A::ClearFilters, "clear every filter", None),
            bind(&[c('p')], A::ShowPayload, "show the request payload", Some("payload")),
            bind(&[c('b')], A::ShowResponse, "show the response body", Some("response")),
            bind(&[c('i')], A::ShowInfo, "show metadata, extra fields, problems", None),
            bind(&[c('a')], A::ShowRaw, "show the entry as sent", None),
            bind(&[c('l'), p(K::Right)], A::NextTab, "next detail tab", None),
            bind(&[c('h'), p(K::Left)], A::PrevTab, "previous detail tab", None),
            bind(&[c('<')], A::ScrollLeft, "scroll the detail left", None),
            bind(&[c('>')], A::ScrollRight, "scroll the detail right (long lines)", None),
            bind(&[c('y')], A::CopyMenu, "copy… (payload, response, curl, report)", Some("copy")),
            bind(&[c('Y')], A::CopyPayload, "copy the payload", None),
            bind(&[c('R')], A::ToggleRedact, "redact copies on/off", None),
            bind(&[c('e')], A::Export, "export shown logs to a case file", None),
            bind(&[c('r')], A::Refresh, "fetch again", None),
            bind(&[c('z')], A::ToggleTime, "UTC ↔ local time", None),
            bind(&[c('?')], A::Help, "this help", Some("help")),
            bind(&[c('q'), Key { code: K::Char('c'), ctrl: true }], A::Quit, "quit", Some("quit")),
        ];
        for n in 1..=9u8 {
            let key = c(char::from(b'0' + n));
            let description = "toggle the Nth type (as in the type picker)";
            bindings.push(bind(&[key], A::ToggleTypeNumber(n), description, None));
        }
        Self { bindings }
    }
}

impl Keymap {
    /// The default table with `[keys]` overrides applied: `action_name = "key"` replaces that
    /// action's keys. Unknown names and unreadable keys are reported, not ignored.
    ///
    /// # Errors
    /// A message naming every bad entry.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut keymap = Self::default();
        let mut errors = Vec::new();
        for (name, key_text) in overrides {
            let Some(binding) = keymap.bindings.iter_mut().find(|b| b.action.config_name() == *name) else {
                errors.push(format!("[keys]: no action named `{name}`"));
                continue;
            };
            let keys: Option<Vec<Key>> = key_text.split(',').map(Key::parse).collect();
            match keys {
                Some(keys) if !keys.is_empty() => binding.keys = keys,
                _ => errors.push(format!("[keys]: cannot read key {key_text:?} for `{name}`")),
            }
        }
        if errors.is_empty() { Ok(keymap) } else { Err(errors.join("; ")) }
    }

    #[must_use]
    pub fn action_for(&self, event: &KeyEvent) -> Option<Action> {
        self.bindings.iter().find(|b| b.keys.iter().any(|k| k.matches(event))).map(|b| b.action)
    }

    /// `(keys, hint)` pairs for the footer.
    pub fn footer_hints(&self) -> impl Iterator<Item = (String, &'static str)> + '_ {
        self.bindings.iter().filter_map(|b| b.hint.map(|hint| (b.keys[0].to_string(), hint)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn default_keys_reach_their_actions() {
        let keymap = Keymap::default();
        assert_eq!(keymap.action_for(&press(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(keymap.action_for(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Last));
        assert_eq!(keymap.action_for(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(keymap.action_for(&press(KeyCode::Char('c'), KeyModifiers::NONE)), Some(Action::ClearFilters));
        assert_eq!(
            keymap.action_for(&press(KeyCode::Char('3'), KeyModifiers::NONE)),
            Some(Action::ToggleTypeNumber(3))
        );
    }

    #[test]
    fn no_key_is_bound_twice() {
        let keymap = Keymap::default();
        let mut seen: Vec<Key> = Vec::new();
        for binding in &keymap.bindings {
            for key in &binding.keys {
                assert!(!seen.contains(key), "{key} is bound twice");
                seen.push(*key);
            }
        }
    }

    #[test]
    fn the_config_file_rebinds_by_action_name() {
        let overrides = [("quit".to_owned(), "x".to_owned()), ("cycle_status".to_owned(), "ctrl-f".to_owned())].into();
        let keymap = Keymap::with_overrides(&overrides).unwrap();
        assert_eq!(keymap.action_for(&press(KeyCode::Char('x'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(keymap.action_for(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert_eq!(keymap.action_for(&press(KeyCode::Char('f'), KeyModifiers::CONTROL)), Some(Action::CycleStatus));
        let bad = [("fly".to_owned(), "x".to_owned())].into();
        assert_eq!(Keymap::with_overrides(&bad).unwrap_err(), "[keys]: no action named `fly`");
    }
}
