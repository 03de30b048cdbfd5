//! Webhook types and URLs. A call has a handful of each, repeated on every log, so each is held
//! once and shared, with its lower-cased form for text search: two strings a call instead of
//! four a log.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// A webhook type or URL as sent, with its lower-cased form for text search.
#[derive(Clone, Default)]
pub struct Name(Arc<Forms>);

#[derive(Default)]
struct Forms {
    text: Box<str>,
    lowered: Box<str>,
}

impl Name {
    #[must_use]
    pub fn new(text: &str) -> Self {
        let lowered = if text.is_ascii() { text.to_ascii_lowercase() } else { text.to_lowercase() };
        Self(Arc::new(Forms { text: text.into(), lowered: lowered.into() }))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0.text
    }

    /// The text lower-cased, as a text filter compares it.
    #[must_use]
    pub fn lowered(&self) -> &str {
        &self.0.lowered
    }
}

impl Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.as_str() == other.as_str()
    }
}

impl Eq for Name {}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names a decoding thread has met lately, to hand out shared.
#[derive(Debug, Default)]
pub(super) struct Names {
    recent: Vec<Name>,
}

/// A call whose every log has a URL of its own (a query string, say) costs this many
/// comparisons a log and no more.
const RECENT: usize = 32;

impl Names {
    pub(super) fn get(&mut self, text: &str) -> Name {
        if let Some(name) = self.recent.iter().find(|name| name.as_str() == text) {
            return name.clone();
        }
        let name = Name::new(text);
        if self.recent.len() == RECENT {
            self.recent.clear();
        }
        self.recent.push(name.clone());
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_met_again_is_shared() {
        let mut names = Names::default();
        let first = names.get("transcript");
        let again = names.get("transcript");
        assert!(Arc::ptr_eq(&first.0, &again.0));
        assert_ne!(names.get("Tool_Call"), first);
        assert_eq!(names.get("Tool_Call").lowered(), "tool_call");
        assert_eq!(Name::new("ÉTÉ").lowered(), "été");
    }

    #[test]
    fn more_names_than_are_remembered_are_still_right() {
        let mut names = Names::default();
        for round in 0..3 {
            for n in 0..(RECENT * 2) {
                assert_eq!(names.get(&format!("https://h/{n}")), format!("https://h/{n}").as_str(), "round {round}");
            }
        }
    }
}
