//! A poll of a call being followed: the API has no "since", so each poll downloads the whole
//! array. Each element is cut out of the body and known by its length and a hash of its bytes
//! (std's `SipHash`, `DefaultHasher`); only an element the last poll did not have, byte for byte,
//! is decoded. A poll of an unchanged call costs the download and a scan, and builds nothing.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hasher};
use std::sync::Arc;

use crate::model::{Decoded, LogSet, LogSink, RejectedLog, WebhookLog};

/// What an element is known by: its length in bytes and a hash of them.
pub type EntryKey = (usize, u64);

/// The key of an element's text.
#[must_use]
pub fn entry_key(text: &str) -> EntryKey {
    let mut hasher = DefaultHasher::new();
    hasher.write(text.as_bytes());
    (text.len(), hasher.finish())
}

/// The entries of a set of logs by key, to tell a poll's unchanged elements.
#[derive(Debug, Default)]
pub struct KnownEntries {
    by_key: HashMap<EntryKey, usize>,
}

impl KnownEntries {
    /// Every log of `logs` by the key of its entry text.
    #[must_use]
    pub fn of(logs: &LogSet) -> Self {
        Self { by_key: logs.logs.iter().enumerate().map(|(at, log)| (entry_key(log.raw()), at)).collect() }
    }

    /// Where `text` is in the logs these were made of, if it is there byte for byte.
    #[must_use]
    pub fn find(&self, text: &str) -> Option<usize> {
        self.by_key.get(&entry_key(text)).copied()
    }
}

/// One element of a poll's array, in the order it came.
#[derive(Debug)]
enum Slot {
    /// The same bytes as the last poll's log at `previous`, now at `index` in the response.
    Same {
        previous: usize,
        index: usize,
    },
    New(WebhookLog),
}

/// The sink a poll decodes into: elements the last poll had are only noted.
#[derive(Debug)]
pub struct PollSink {
    known: Arc<KnownEntries>,
    slots: Vec<Slot>,
    rejected: Vec<RejectedLog>,
    decoded: usize,
}

impl PollSink {
    #[must_use]
    pub fn new(known: Arc<KnownEntries>) -> Self {
        Self { known, slots: Vec::new(), rejected: Vec::new(), decoded: 0 }
    }

    /// How many elements had to be decoded (those new or changed, and unreadable ones).
    #[must_use]
    pub fn decoded(&self) -> usize {
        self.decoded
    }

    /// The logs this poll found, built from `previous` and what was decoded; `None` when they
    /// are `previous` exactly (same entries, same order, same body problems), so nothing needs
    /// building.
    #[must_use]
    pub fn assemble(self, previous: &LogSet, body_problems: Vec<String>) -> Option<LogSet> {
        let unchanged = self.slots.len() == previous.logs.len()
            && self
                .slots
                .iter()
                .enumerate()
                .all(|(at, slot)| matches!(slot, Slot::Same { previous, .. } if *previous == at))
            && self.rejected == previous.rejected
            && body_problems == previous.body_problems;
        if unchanged {
            return None;
        }
        let mut set = LogSet { logs: Vec::with_capacity(self.slots.len()), ..LogSet::default() };
        for slot in self.slots {
            let log = match slot {
                Slot::Same { previous: at, index } => {
                    let mut log = previous.logs[at].clone();
                    log.index = index;
                    log
                }
                Slot::New(log) => log,
            };
            set.add(Decoded::Log(log));
        }
        set.rejected = self.rejected;
        set.body_problems = body_problems;
        Some(set)
    }
}

impl LogSink for PollSink {
    fn decoded(&mut self, decoded: Decoded) {
        self.decoded += 1;
        match decoded {
            Decoded::Log(log) => self.slots.push(Slot::New(log)),
            Decoded::Rejected(rejected) => self.rejected.push(rejected),
        }
    }

    fn reuses(&self) -> bool {
        true
    }

    fn already_have(&mut self, text: &str, index: usize) -> bool {
        let Some(previous) = self.known.find(text) else { return false };
        self.slots.push(Slot::Same { previous, index });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogStream;

    fn entry(id: i64, success: bool) -> String {
        format!(
            r#"{{"id": {id}, "webhook_url": "https://h.example/a", "webhook_type": "t", "success": {success}, "attempted_at": "2025-01-01T00:00:0{id}Z"}}"#
        )
    }

    fn body(entries: &[String]) -> String {
        format!("[{}]", entries.join(",\n"))
    }

    fn poll(previous: &LogSet, text: &str) -> (Option<LogSet>, usize) {
        let mut sink = PollSink::new(Arc::new(KnownEntries::of(previous)));
        let mut stream = LogStream::default();
        // In small pieces, as a body arrives.
        for piece in text.as_bytes().chunks(7) {
            stream.push(piece, &mut sink);
        }
        let problems = stream.finish().unwrap();
        let decoded = sink.decoded();
        (sink.assemble(previous, problems), decoded)
    }

    #[test]
    fn an_unchanged_poll_decodes_nothing_and_builds_nothing() {
        let text = body(&[entry(1, true), entry(2, false)]);
        let previous = LogSet::parse(&text).unwrap();
        assert_eq!(poll(&previous, &text), (None, 0));
    }

    #[test]
    fn only_new_and_changed_entries_are_decoded_and_the_result_is_a_whole_decode() {
        let previous = LogSet::parse(body(&[entry(1, true), entry(2, false)])).unwrap();
        // A log inserted before the others, one changed, one appended.
        let text = body(&[entry(0, true), entry(1, true), entry(2, true), entry(3, false)]);
        let (logs, decoded) = poll(&previous, &text);
        assert_eq!(decoded, 3);
        assert_eq!(logs.unwrap(), LogSet::parse(&text).unwrap(), "the same as decoding it all");
    }

    #[test]
    fn unreadable_entries_are_decoded_and_kept() {
        let previous = LogSet::parse(body(&[entry(1, true)])).unwrap();
        let text = body(&[entry(1, true), "\"not a log\"".to_owned()]);
        let (logs, decoded) = poll(&previous, &text);
        assert_eq!(decoded, 1);
        assert_eq!(logs.unwrap(), LogSet::parse(&text).unwrap());
    }
}
