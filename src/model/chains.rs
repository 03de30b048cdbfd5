//! Retry chains: the attempts of one delivery. Burki retries an event by sending the same payload
//! to the same URL again, so a failed attempt followed, soon after, by one of the same type, URL
//! and payload text is the same delivery tried again. Where the server fills `retry_count`
//! (0, 1, 2, …), those numbers chain the rows instead; the open-source server always writes 0.
//!
//! This is the one notion of "the attempts of a delivery" in hookscope: the list's rows, the
//! status filter, the header's counts, the detail and the Markdown report all read it.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::{LogSet, WebhookLog};

/// How soon after a failed attempt the next one must come to be its retry. Burki's documented
/// backoff retries within seconds to a minute; five minutes leaves room for a slow receiver's
/// 30 s timeouts between tries, while the same event sent again much later (a transcript
/// repeated, a report re-sent by hand) is another delivery.
pub const RETRY_WINDOW: Duration = Duration::from_secs(5 * 60);

/// Which rule made a chain of its attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupedBy {
    /// One attempt: nothing was grouped.
    Single,
    /// The server's `retry_count` (0, 1, 2, …) chained the rows.
    RetryCount,
    /// Same type, URL and payload text, each attempt within `window` of a failed one.
    SamePayload { window: Duration },
}

impl GroupedBy {
    /// `grouped by retry_count`, `grouped by same payload within 5 min`, for the detail and reports.
    #[must_use]
    pub fn describe(self) -> Option<String> {
        match self {
            Self::Single => None,
            Self::RetryCount => Some("grouped by retry_count".to_owned()),
            Self::SamePayload { window } => {
                Some(format!("grouped by same payload within {} min", window.as_secs().div_ceil(60)))
            }
        }
    }
}

/// One delivery: its attempts, in attempt order, as indices into the set's logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub attempts: Vec<usize>,
    pub grouped_by: GroupedBy,
    /// The earlier delivery of the same event (type, URL, payload) that had already succeeded
    /// when this one started: this one is a duplicate.
    pub repeats: Option<usize>,
}

impl Chain {
    /// The last attempt, whose outcome is the delivery's.
    #[must_use]
    pub fn last(&self) -> usize {
        // A chain is made with one attempt and only grows.
        self.attempts[self.attempts.len() - 1]
    }

    #[must_use]
    pub fn first(&self) -> usize {
        self.attempts[0]
    }

    #[must_use]
    pub fn tries(&self) -> usize {
        self.attempts.len()
    }

    /// Whether the delivery finally succeeded.
    #[must_use]
    pub fn delivered(&self, set: &LogSet) -> bool {
        set.logs[self.last()].success
    }

    /// From the first attempt to the last, when both are dated.
    #[must_use]
    pub fn span(&self, set: &LogSet) -> Option<Duration> {
        let (first, last) = (set.logs[self.first()].attempted_at?, set.logs[self.last()].attempted_at?);
        u64::try_from(last.as_millisecond() - first.as_millisecond()).ok().map(Duration::from_millis)
    }
}

/// Every log of a set in exactly one chain, chains in the order of their first attempts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chains {
    chains: Vec<Chain>,
    /// For each log, its chain.
    of_log: Vec<u32>,
}

/// What makes two attempts the same event.
type EventKey<'a> = (Option<i64>, &'a str, &'a str, Option<&'a str>);

fn event_key(log: &WebhookLog) -> EventKey<'_> {
    (log.call_id, log.webhook_url.as_str(), log.webhook_type.as_str(), log.payload())
}

impl Chains {
    /// One pass over the logs (sorted by attempt time), with a map from each event to its latest
    /// chain. A log joins that chain when its last attempt failed and this one came within
    /// [`RETRY_WINDOW`] of it (and, for an event whose retries the server counts, carries the
    /// next count); otherwise it starts a chain. Undated logs and logs with decoding problems
    /// stay alone. Whether the server counts is decided by event (a first pass: any attempt
    /// with a `retry_count` above 0), so a call whose server counts some retries and not others
    /// still chains the others by payload.
    #[must_use]
    pub fn build(set: &LogSet) -> Self {
        let logs = &set.logs;
        let counted: HashSet<EventKey<'_>> = logs.iter().filter(|log| log.retry_count > 0).map(event_key).collect();
        // Sized once: growing by doubling would hold the old and the new buffers at once, and a
        // big call's load is when the explorer's memory peaks.
        let mut chains: Vec<Chain> = Vec::with_capacity(logs.len());
        let mut of_log = Vec::with_capacity(logs.len());
        let mut latest: HashMap<EventKey<'_>, usize> = HashMap::with_capacity(logs.len());
        for (at, log) in logs.iter().enumerate() {
            let key = event_key(log);
            let counted = counted.contains(&key);
            let rule = if counted { GroupedBy::RetryCount } else { GroupedBy::SamePayload { window: RETRY_WINDOW } };
            let alone = log.attempted_at.is_none() || !log.problems().is_empty();
            let mut joined = None;
            let mut repeats = None;
            if !alone && let Some(&chain_at) = latest.get(&key) {
                let chain = &chains[chain_at];
                let last = &logs[chain.last()];
                if last.success {
                    repeats = Some(chain_at);
                } else if within_window(last, log) && (!counted || log.retry_count == last.retry_count + 1) {
                    joined = Some(chain_at);
                }
            }
            let chain_at = if let Some(chain_at) = joined {
                let chain = &mut chains[chain_at];
                chain.attempts.push(at);
                chain.grouped_by = rule;
                chain_at
            } else {
                chains.push(Chain { attempts: vec![at], grouped_by: GroupedBy::Single, repeats });
                chains.len() - 1
            };
            if !alone {
                latest.insert(key, chain_at);
            }
            of_log.push(u32::try_from(chain_at).unwrap_or(u32::MAX));
        }
        drop(latest);
        chains.shrink_to_fit();
        Self { chains, of_log }
    }

    /// Every log a delivery of its own, without looking at them: for the rows of a load still
    /// arriving, where building chains again for every batch would cost a hash of every
    /// payload each time.
    #[must_use]
    pub fn singles(count: usize) -> Self {
        let chains =
            (0..count).map(|at| Chain { attempts: vec![at], grouped_by: GroupedBy::Single, repeats: None }).collect();
        let of_log = (0..count).map(|at| u32::try_from(at).unwrap_or(u32::MAX)).collect();
        Self { chains, of_log }
    }

    #[must_use]
    pub fn len(&self) -> usize {
        self.chains.len()
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.chains.is_empty()
    }

    /// Every chain, in the order of their first attempts.
    #[must_use]
    pub fn all(&self) -> &[Chain] {
        &self.chains
    }

    #[must_use]
    pub fn get(&self, chain: usize) -> Option<&Chain> {
        self.chains.get(chain)
    }

    /// The chain of log `log` (an index into the set's logs).
    #[must_use]
    pub fn of_log(&self, log: usize) -> Option<usize> {
        self.of_log.get(log).map(|&chain| chain as usize)
    }

    /// The chain holding log `log`.
    #[must_use]
    pub fn chain_of(&self, log: usize) -> Option<&Chain> {
        self.get(self.of_log(log)?)
    }

    /// Which attempt of its delivery log `log` was, counted from 1, and of how many.
    #[must_use]
    pub fn attempt_number(&self, log: usize) -> Option<(usize, usize)> {
        let chain = self.chain_of(log)?;
        let at = chain.attempts.iter().position(|&other| other == log)?;
        Some((at + 1, chain.tries()))
    }
}

/// Whether `next` came within [`RETRY_WINDOW`] of `last` (both dated; `next` sorts after).
fn within_window(last: &WebhookLog, next: &WebhookLog) -> bool {
    let (Some(last), Some(next)) = (last.attempted_at, next.attempted_at) else { return false };
    let gap = next.as_millisecond() - last.as_millisecond();
    u64::try_from(gap).is_ok_and(|gap| Duration::from_millis(gap) <= RETRY_WINDOW)
}

#[cfg(test)]
mod tests;
