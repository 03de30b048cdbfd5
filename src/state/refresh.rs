//! What a refresh (`r`) brought: the deliveries that were not there before, and those whose
//! entry changed (a retry that finished, a status filled in), for the status line and the list.

use std::collections::{BTreeSet, HashMap};
use std::time::{Duration, Instant};

use crate::model::LogSet;

/// How long the list marks the rows a refresh brought (the next fetch clears them sooner).
pub const FRESH_FOR: Duration = Duration::from_secs(10);

/// The rows a refresh brought, by their index in the new logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fresh {
    /// Indices into the new logs of those new or changed.
    pub logs: BTreeSet<usize>,
    pub new: usize,
    pub changed: usize,
    pub since: Instant,
}

impl Fresh {
    /// Whether a row is marked.
    #[must_use]
    pub fn contains(&self, index: usize) -> bool {
        self.logs.contains(&index)
    }

    #[must_use]
    pub fn expired(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.since) >= FRESH_FOR
    }

    /// `fetched again: 2 new deliveries, 1 changed`, or `fetched again: no new deliveries`.
    #[must_use]
    pub fn summary(&self) -> String {
        let new = match self.new {
            0 if self.changed > 0 => None,
            0 => Some("no new deliveries".to_owned()),
            1 => Some("1 new delivery".to_owned()),
            n => Some(format!("{n} new deliveries")),
        };
        let changed = (self.changed > 0).then(|| format!("{} changed", self.changed));
        let parts: Vec<String> = new.into_iter().chain(changed).collect();
        format!("fetched again: {}", parts.join(", "))
    }
}

/// Compares the logs before a refresh with those after, by id; an entry whose text differs is
/// changed. Logs without a usable id (rejected entries) are not in either set.
#[must_use]
pub fn compare(before: &LogSet, after: &LogSet) -> Fresh {
    let old: HashMap<i64, &str> = before.logs.iter().map(|log| (log.id, log.raw())).collect();
    let mut fresh = Fresh { logs: BTreeSet::new(), new: 0, changed: 0, since: Instant::now() };
    for (index, log) in after.logs.iter().enumerate() {
        match old.get(&log.id) {
            None => fresh.new += 1,
            Some(&raw) if raw != log.raw() => fresh.changed += 1,
            Some(_) => continue,
        }
        fresh.logs.insert(index);
    }
    fresh
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logs(entries: &[(i64, bool)]) -> LogSet {
        let items: Vec<String> = entries
            .iter()
            .map(|(id, success)| {
                format!(
                    r#"{{"id": {id}, "webhook_url": "https://h.example/a", "webhook_type": "t", "success": {success}}}"#
                )
            })
            .collect();
        LogSet::parse(format!("[{}]", items.join(","))).unwrap()
    }

    #[test]
    fn new_and_changed_deliveries_are_counted_and_marked() {
        let before = logs(&[(1, true), (2, false)]);
        let fresh = compare(&before, &logs(&[(1, true), (2, true), (3, true), (4, false)]));
        assert_eq!((fresh.new, fresh.changed), (2, 1));
        assert_eq!(fresh.logs, BTreeSet::from([1, 2, 3]));
        assert_eq!(fresh.summary(), "fetched again: 2 new deliveries, 1 changed");
    }

    #[rstest::rstest]
    #[case::nothing(&[(1, true)], "fetched again: no new deliveries")]
    #[case::one_new(&[(1, true), (2, true)], "fetched again: 1 new delivery")]
    #[case::one_changed(&[(1, false)], "fetched again: 1 changed")]
    fn the_summary_says_what_came(#[case] after: &[(i64, bool)], #[case] said: &str) {
        assert_eq!(compare(&logs(&[(1, true)]), &logs(after)).summary(), said);
    }

    #[test]
    fn marks_expire() {
        let fresh = compare(&logs(&[]), &logs(&[(1, true)]));
        assert!(!fresh.expired(fresh.since));
        assert!(fresh.expired(fresh.since + FRESH_FOR));
    }
}
