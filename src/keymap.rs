//! Keys are data: each mode of the explorer has a table of (keys, action, description, footer
//! hint), and dispatch, the footer and the help overlay are all read from those tables, so the
//! three can never disagree. The default tables are in `keymap/defaults.rs`; `[keys]` in the
//! config file rebinds browsing actions (`keymap/overrides.rs`).

mod defaults;
mod key;
mod overrides;

use crossterm::event::{KeyCode, KeyEvent};

use crate::action::{Action, CallsAction, CopyAction, HelpAction, PickerAction, SearchAction};
pub use key::Key;

/// Which table has the keys: browsing, or the popup that is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Browse,
    Types,
    Search,
    Copy,
    Help,
    /// The call list, and its filter line ([`Mode::Search`]'s table).
    Calls,
}

/// One row of a key table.
#[derive(Debug, Clone)]
pub struct Binding<A> {
    pub keys: Vec<Key>,
    pub action: A,
    /// What the help overlay says the keys do.
    pub description: &'static str,
    /// What the footer says, if the footer shows these keys.
    pub hint: Option<&'static str>,
}

/// One mode's keys.
#[derive(Debug, Clone)]
pub struct KeyTable<A> {
    pub bindings: Vec<Binding<A>>,
    /// What every key the table does not bind does, if anything (the help overlay closes on
    /// any key). Its `keys` are empty.
    pub any_other_key: Option<Binding<A>>,
}

impl<A: Copy + PartialEq> KeyTable<A> {
    /// The action `event` asks for in this mode.
    #[must_use]
    pub fn action_for(&self, event: &KeyEvent) -> Option<A> {
        self.bindings
            .iter()
            .find(|b| b.keys.iter().any(|k| k.matches(event)))
            .or(self.any_other_key.as_ref())
            .map(|b| b.action)
    }

    /// The first key bound to `action`, as shown (`r`, `Ctrl-c`), for the hints of the screens
    /// that replace the list (loading, errors, nothing matches).
    #[must_use]
    pub fn key_label(&self, action: A) -> Option<String> {
        self.bindings.iter().find(|b| b.action == action).and_then(|b| b.keys.first()).map(ToString::to_string)
    }

    /// `(keys, hint)` pairs for the footer, in table order. Neighbours with the same hint share
    /// one (`j/k move`); the keys of any other key read `any key`.
    #[must_use]
    pub fn hints(&self) -> Vec<(String, &'static str)> {
        let mut hints: Vec<(String, &'static str)> = Vec::new();
        for binding in &self.bindings {
            let (Some(hint), Some(key)) = (binding.hint, binding.keys.first()) else { continue };
            match hints.last_mut() {
                Some((keys, last)) if *last == hint => {
                    keys.push('/');
                    keys.push_str(&key.to_string());
                }
                _ => hints.push((key.to_string(), hint)),
            }
        }
        hints.extend(self.any_other_key.as_ref().and_then(|b| b.hint).map(|hint| ("any key".to_owned(), hint)));
        hints
    }

    /// `(keys, description)` rows for the help overlay, in table order. Neighbours with the
    /// same description share a row (`1…9`).
    #[must_use]
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        let mut rows: Vec<(Vec<Key>, &'static str)> = Vec::new();
        for binding in &self.bindings {
            match rows.last_mut() {
                Some((keys, description)) if *description == binding.description => keys.extend(&binding.keys),
                _ => rows.push((binding.keys.clone(), binding.description)),
            }
        }
        let mut rows: Vec<(String, &'static str)> =
            rows.into_iter().map(|(keys, description)| (keys_label(&keys), description)).collect();
        rows.extend(self.any_other_key.as_ref().map(|b| ("any other key".to_owned(), b.description)));
        rows
    }
}

/// Keys as the help overlay lists them: `j ↓`, `PgDn Ctrl-d`, and a run of three or more
/// consecutive characters as its ends (`1…9`).
fn keys_label(keys: &[Key]) -> String {
    let chars: Option<Vec<char>> = keys
        .iter()
        .map(|key| match key.code {
            KeyCode::Char(c) if !key.ctrl => Some(c),
            _ => None,
        })
        .collect();
    if let Some(chars) = chars
        && chars.len() >= 3
        && chars.windows(2).all(|pair| u32::from(pair[1]) == u32::from(pair[0]) + 1)
    {
        return format!("{}…{}", chars[0], chars[chars.len() - 1]);
    }
    keys.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// Every mode's table.
#[derive(Debug, Clone)]
pub struct Keymap {
    pub browse: KeyTable<Action>,
    /// Keys that work in every mode, popups included, before the mode's own table.
    pub anywhere: KeyTable<Action>,
    pub types: KeyTable<PickerAction>,
    pub search: KeyTable<SearchAction>,
    pub copy: KeyTable<CopyAction>,
    pub help: KeyTable<HelpAction>,
    /// The call list's keys (`hookscope calls`).
    pub calls: KeyTable<CallsAction>,
}

impl Keymap {
    /// The footer's `(keys, hint)` pairs in `mode`.
    #[must_use]
    pub fn hints(&self, mode: Mode) -> Vec<(String, &'static str)> {
        match mode {
            Mode::Browse => self.browse.hints(),
            Mode::Types => self.types.hints(),
            Mode::Search => self.search.hints(),
            Mode::Copy => self.copy.hints(),
            Mode::Help => self.help.hints(),
            Mode::Calls => self.calls.hints(),
        }
    }

    /// The help overlay's sections: a title and the rows of each table, then the mouse.
    #[must_use]
    pub fn help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        vec![
            ("browsing the list and the detail", self.browse.help_rows()),
            ("anywhere", self.anywhere.help_rows()),
            ("type picker", self.types.help_rows()),
            ("search line (other keys type the text)", self.search.help_rows()),
            ("copy menu", self.copy.help_rows()),
            ("this help", self.help.help_rows()),
            (
                "mouse",
                vec![
                    ("click".to_owned(), "select the row or the pane"),
                    ("wheel".to_owned(), "scroll the pane under the pointer"),
                ],
            ),
        ]
    }

    /// The call list's help overlay: its own keys, the filter line's, the help's.
    #[must_use]
    pub fn calls_help_sections(&self) -> Vec<(&'static str, Vec<(String, &'static str)>)> {
        vec![
            ("the call list", self.calls.help_rows()),
            ("anywhere", self.anywhere.help_rows()),
            ("filter line (other keys type the text)", self.search.help_rows()),
            ("this help", self.help.help_rows()),
        ]
    }

    /// Lines of the help overlay: each section's title and rows, a blank line between sections.
    #[must_use]
    pub fn help_line_count(&self) -> usize {
        self.help_sections().iter().map(|(_, rows)| rows.len() + 2).sum::<usize>().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests;
