//! `[keys]` in the config file: `action_name = "key"` (or `"key,key"`) replaces the keys of a
//! browsing action. A table that names no action, or that leaves a key bound to two actions
//! (two overrides, an override and another action's default key, or a key that works
//! anywhere), is refused with a message that says which; an unknown name also brings the list
//! of names.

use std::collections::BTreeMap;

use super::{Key, Keymap};
use crate::action::Action;

impl Keymap {
    /// The default tables with `[keys]` applied.
    ///
    /// # Errors
    /// A message naming every bad entry.
    pub fn with_overrides(overrides: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut keymap = Self::default();
        let mut errors = Vec::new();
        let mut unknown_name = false;
        for (name, key_text) in overrides {
            let binding = Action::from_name(name)
                .and_then(|action| keymap.browse.bindings.iter_mut().find(|binding| binding.action == action));
            let Some(binding) = binding else {
                errors.push(format!("no action named `{name}`"));
                unknown_name = true;
                continue;
            };
            match key_text.split(',').map(Key::parse).collect::<Option<Vec<Key>>>() {
                Some(keys) if !keys.is_empty() => binding.keys = keys,
                _ => errors.push(format!("cannot read key {key_text:?} for `{name}`")),
            }
        }
        errors.extend(keymap.clashes());
        if errors.is_empty() {
            return Ok(keymap);
        }
        let errors = errors.join("; ");
        if !unknown_name {
            return Err(format!("[keys]: {errors}"));
        }
        let names: Vec<String> = keymap.browse.bindings.iter().map(|binding| binding.action.name()).collect();
        Err(format!("[keys]: {errors} (the actions are: {})", names.join(", ")))
    }

    /// Every key that a browsing action shares with another one or with a key that works
    /// anywhere, which would make one of them unreachable.
    pub(super) fn clashes(&self) -> Vec<String> {
        let anywhere = self.anywhere.bindings.iter().map(|binding| (binding, " (anywhere)"));
        let browse = self.browse.bindings.iter().map(|binding| (binding, ""));
        let mut seen: Vec<(Key, Action, String)> = Vec::new();
        let mut clashes = Vec::new();
        for (binding, place) in anywhere.chain(browse) {
            let name = format!("`{}`{place}", binding.action.name());
            for key in &binding.keys {
                match seen.iter().find(|(other_key, _, _)| other_key == key) {
                    // The same action twice (`quit = "q,ctrl-c"`) is harmless.
                    Some((_, action, other)) if *action != binding.action => {
                        clashes.push(format!("`{key}` is bound to both {other} and {name}"));
                    }
                    Some(_) => {}
                    None => seen.push((*key, binding.action, name.clone())),
                }
            }
        }
        clashes
    }
}
