//! The webhook types present in a call, with how many logs have each, in the order they are
//! first met. Counting is a hash lookup a log, so a call of 60,000 distinct types loads as fast
//! as one of six.

use std::collections::HashMap;
use std::ops::Deref;

use crate::model::WebhookLog;

/// A webhook type present in the call, with how many logs have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeCount {
    pub name: String,
    pub count: usize,
}

/// Every type met so far, first met first; reads as a slice of [`TypeCount`].
#[derive(Debug, Clone, Default)]
pub struct TypeCounts {
    counts: Vec<TypeCount>,
    /// Where each type's count is in `counts`.
    slots: HashMap<String, usize>,
}

impl TypeCounts {
    /// Counts `log` under its webhook type, a new type going last.
    pub fn count(&mut self, log: &WebhookLog) {
        let name = log.webhook_type.as_str();
        if let Some(&slot) = self.slots.get(name) {
            self.counts[slot].count += 1;
        } else {
            self.slots.insert(name.to_owned(), self.counts.len());
            self.counts.push(TypeCount { name: name.to_owned(), count: 1 });
        }
    }

    pub fn clear(&mut self) {
        self.counts.clear();
        self.slots.clear();
    }
}

impl Deref for TypeCounts {
    type Target = [TypeCount];

    fn deref(&self) -> &[TypeCount] {
        &self.counts
    }
}

impl<'l> FromIterator<&'l WebhookLog> for TypeCounts {
    fn from_iter<I: IntoIterator<Item = &'l WebhookLog>>(logs: I) -> Self {
        let mut counts = Self::default();
        for log in logs {
            counts.count(log);
        }
        counts
    }
}
