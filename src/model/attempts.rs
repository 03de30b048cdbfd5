//! Attempts of the same event: logs of one call with the same webhook type and the same request
//! payload text. Burki retries an event by sending the same payload again, so these are the
//! attempts that followed a failed delivery, and say whether it was delivered in the end.

use std::collections::HashMap;

use super::{LogSet, WebhookLog};

/// Later attempts told at most: what happened next to a delivery (its retries until one
/// delivered it), not every later delivery of an event the call repeats.
pub const LATER_ATTEMPTS_TOLD: usize = 10;

/// What makes two logs attempts of one event.
type EventKey<'a> = (Option<i64>, &'a str, Option<&'a str>);

fn event_key(log: &WebhookLog) -> EventKey<'_> {
    (log.call_id, log.webhook_type.as_str(), log.payload())
}

/// The logs of a set grouped by event, built once (one pass) for asking about many logs.
pub struct SameEvent<'a> {
    set: &'a LogSet,
    /// Indexes into `set.logs`, in attempt order (the set's order).
    groups: HashMap<EventKey<'a>, Vec<usize>>,
}

impl<'a> SameEvent<'a> {
    #[must_use]
    pub fn index(set: &'a LogSet) -> Self {
        let mut groups: HashMap<EventKey<'a>, Vec<usize>> = HashMap::new();
        for (at, log) in set.logs.iter().enumerate() {
            groups.entry(event_key(log)).or_default().push(at);
        }
        Self { set, groups }
    }

    /// The attempts of `log`'s event made after it, in attempt order, up to the first that
    /// delivered it and at most [`LATER_ATTEMPTS_TOLD`]. A binary search finds where they start,
    /// so asking this for every log of a big call stays near-linear, where [`later_attempts`]
    /// would scan the call each time.
    #[must_use]
    pub fn later_attempts(&self, log: &WebhookLog) -> Vec<&'a WebhookLog> {
        let Some(group) = self.groups.get(&event_key(log)) else { return Vec::new() };
        let logs = &self.set.logs;
        let start = group.partition_point(|&at| !log.sorts_before(&logs[at]));
        what_happened_next(group[start..].iter().map(|&at| &logs[at]), log)
    }
}

/// Whether `other` came after `log` in attempt order (time, then id). An undated log is not
/// known to have come after a dated one.
fn attempted_after(other: &WebhookLog, log: &WebhookLog) -> bool {
    log.sorts_before(other) && (other.attempted_at.is_some() || log.attempted_at.is_none())
}

/// [`SameEvent::later_attempts`] for one log, without keeping an index.
#[must_use]
pub fn later_attempts<'a>(set: &'a LogSet, log: &WebhookLog) -> Vec<&'a WebhookLog> {
    let key = event_key(log);
    what_happened_next(set.logs.iter().filter(|other| event_key(other) == key), log)
}

/// Of `attempts` (one event's, in attempt order), those after `log`, up to the first that
/// succeeded, at most [`LATER_ATTEMPTS_TOLD`].
fn what_happened_next<'a>(attempts: impl Iterator<Item = &'a WebhookLog>, log: &WebhookLog) -> Vec<&'a WebhookLog> {
    let mut delivered = false;
    attempts
        .filter(|other| attempted_after(other, log))
        .take_while(|other| !std::mem::replace(&mut delivered, other.success))
        .take(LATER_ATTEMPTS_TOLD)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EVENTS: &str = r#"[
{"id":1,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:01Z","success":false},
{"id":2,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:02Z","success":false},
{"id":3,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k": 1},"attempted_at":"2025-01-01T00:00:03Z","success":true},
{"id":4,"call_id":5,"webhook_url":"u","webhook_type":"b","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:04Z","success":true},
{"id":5,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:05Z","success":true},
{"id":6,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":null,"success":true},
{"id":7,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":null,"attempted_at":"2025-01-01T00:00:06Z","success":false},
{"id":8,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":null,"attempted_at":"2025-01-01T00:00:07Z","success":true}
]"#;

    fn ids(logs: &[&WebhookLog]) -> Vec<i64> {
        logs.iter().map(|log| log.id).collect()
    }

    #[rstest::rstest]
    // Same type and payload text, later, dated: not 3 (payload text differs), 4 (type), 6 (no time).
    #[case::first(1, &[2, 5])]
    #[case::middle(2, &[5])]
    #[case::last(5, &[])]
    #[case::null_payloads_are_one_event(7, &[8])]
    #[case::undated(6, &[])]
    fn later_attempts_are_the_same_event_after_this_one(#[case] id: i64, #[case] expected: &[i64]) {
        let set = LogSet::parse(EVENTS).unwrap();
        let log = set.logs.iter().find(|log| log.id == id).unwrap();
        assert_eq!(ids(&later_attempts(&set, log)), expected);
        assert_eq!(ids(&SameEvent::index(&set).later_attempts(log)), expected, "the index agrees");
    }

    /// A failure followed by many attempts of its event tells its retries up to the one that
    /// delivered it, and never more than [`LATER_ATTEMPTS_TOLD`] of them.
    #[test]
    fn later_attempts_stop_at_the_delivery_and_at_the_cap() {
        let entry = |id: usize, success: bool| {
            format!(
                r#"{{"id":{id},"webhook_url":"u","webhook_type":"a","attempted_at":"2025-01-01T00:00:{id:02}Z","success":{success}}}"#
            )
        };
        let delivered_third = [entry(1, false), entry(2, false), entry(3, true), entry(4, false), entry(5, true)];
        let set = LogSet::parse(format!("[{}]", delivered_third.join(","))).unwrap();
        let first = &set.logs[0];
        assert_eq!(ids(&later_attempts(&set, first)), [2, 3]);
        assert_eq!(ids(&SameEvent::index(&set).later_attempts(first)), [2, 3]);

        let never: Vec<String> = (1..=40).map(|id| entry(id, false)).collect();
        let set = LogSet::parse(format!("[{}]", never.join(","))).unwrap();
        let told = SameEvent::index(&set).later_attempts(&set.logs[0]);
        assert_eq!(ids(&told), (2..=11).collect::<Vec<i64>>());
        assert_eq!(ids(&later_attempts(&set, &set.logs[0])), ids(&told));
    }
}
