//! The list's rows: one a delivery (its retry chain, `model/chains.rs`) by default, its attempts
//! beneath it while expanded (Space), or one an attempt (`x`). Every row is a log index, so the
//! selection, the detail, search and the mouse work the same in both: a delivery's row is its
//! last attempt, whose outcome is the delivery's.

use std::sync::Arc;

use super::{State, StatusLine};
use crate::action::Effect;
use crate::model::chains::{Chain, Chains};
use crate::model::{LogSet, WebhookLog};
use crate::outcome::Ending;

/// A row as the list draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind<'s> {
    /// One attempt, in the flat list.
    Attempt,
    /// A delivery: its chain, and whether its attempts are shown beneath it.
    Delivery { chain: &'s Chain, expanded: bool },
    /// An attempt shown beneath its delivery: which one, of how many.
    Try { number: usize, of: usize },
}

/// How many attempts a trail names before it cuts the middle (`500 → … → 200`).
const TRAIL_NAMED: usize = 3;
/// The status column's width in the chain list: never narrower than its words, nor wider
/// than this.
pub const MIN_TRAIL_WIDTH: u16 = 11;
pub const MAX_TRAIL_WIDTH: u16 = 27;

/// An attempt's status in a trail: the list's word, `no response` shortened to `no resp` so
/// that three of them fit.
#[must_use]
pub fn trail_word(log: &WebhookLog) -> String {
    match Ending::of(log) {
        Ending::NoResponse | Ending::ConnectionError => "no resp".to_owned(),
        ending => ending.word(),
    }
}

/// `500 → 502 → 200`, or for a long chain `500 → … → 200`: the statuses of a delivery's attempts.
#[must_use]
pub fn trail(set: &LogSet, chain: &Chain) -> String {
    let word = |at: usize| trail_word(&set.logs[at]);
    let attempts = &chain.attempts;
    if attempts.len() <= TRAIL_NAMED {
        attempts.iter().map(|&at| word(at)).collect::<Vec<_>>().join(" → ")
    } else {
        format!("{} → … → {}", word(chain.first()), word(chain.last()))
    }
}

/// The width of [`trail`] without building it.
fn trail_width(set: &LogSet, chain: &Chain) -> usize {
    let width = |at: usize| match Ending::of(&set.logs[at]) {
        Ending::NoResponse | Ending::ConnectionError => 7,
        ending => ending.word_in(&mut itoa::Buffer::new()).len(),
    };
    let attempts = &chain.attempts;
    if attempts.len() <= TRAIL_NAMED {
        attempts.iter().map(|&at| width(at)).sum::<usize>() + 3 * (attempts.len() - 1)
    } else {
        width(chain.first()) + width(chain.last()) + 7
    }
}

impl State {
    /// The chains of the logs now held, after they changed. While the first load's rows
    /// arrive, each is a delivery of its own; they are chained when the load is whole.
    pub(super) fn rebuild_chains(&mut self) {
        let arriving = self.arrival.is_some();
        // The old chains go first, so that a big call never holds two sets of them.
        self.chains = Arc::default();
        let chains = self.logs().map(|set| if arriving { Chains::singles(set.logs.len()) } else { Chains::build(set) });
        self.chains = Arc::new(chains.unwrap_or_default());
    }

    /// How row `log` (a shown row) is drawn.
    #[must_use]
    pub fn row_kind(&self, log: usize) -> RowKind<'_> {
        let Some(chain) = self.chains.chain_of(log).filter(|_| self.chained) else { return RowKind::Attempt };
        if chain.last() == log {
            let expanded = self.is_expanded(chain);
            RowKind::Delivery { chain, expanded }
        } else {
            let number = chain.attempts.iter().position(|&at| at == log).unwrap_or(0) + 1;
            RowKind::Try { number, of: chain.tries() }
        }
    }

    fn is_expanded(&self, chain: &Chain) -> bool {
        chain.tries() > 1 && self.logs().is_some_and(|set| self.expanded.contains(&set.logs[chain.first()].id))
    }

    /// Every attempt of the shown rows' deliveries (in the flat list, the shown attempts), in
    /// attempt order: what an export writes.
    #[must_use]
    pub fn shown_logs(&self) -> Vec<usize> {
        if !self.chained {
            return self.shown.clone();
        }
        let mut logs: Vec<usize> =
            self.shown_chains.iter().flat_map(|&c| self.chains.all()[c].attempts.clone()).collect();
        logs.sort_unstable();
        logs
    }

    /// Builds the rows from the filters: `text_found` says whether the text search found a log.
    /// With chains, a delivery shows when its last attempt passes the status filter and any
    /// attempt the type and text filters; flat, each attempt is judged (retried: its delivery
    /// took more than one try).
    pub(super) fn build_rows(&mut self, set: &LogSet, text_found: &dyn Fn(usize) -> bool) {
        let logs = &set.logs;
        let chains = Arc::clone(&self.chains);
        let types_admit =
            |log: &WebhookLog| self.filter.types.is_empty() || self.filter.types.contains(log.webhook_type.as_str());
        let status = self.filter.status;
        let mut shown = Vec::new();
        let mut shown_chains = Vec::new();
        let mut trail = usize::from(MIN_TRAIL_WIDTH);
        if self.chained {
            for (at, chain) in chains.all().iter().enumerate() {
                let last = &logs[chain.last()];
                if !status.admits_delivery(last, chain.tries())
                    || !chain.attempts.iter().any(|&i| types_admit(&logs[i]) && text_found(i))
                {
                    continue;
                }
                shown_chains.push(at);
                shown.push(chain.last());
                if chain.tries() > 1 {
                    trail = trail.max(trail_width(set, chain));
                    if self.expanded.contains(&logs[chain.first()].id) {
                        shown.extend_from_slice(&chain.attempts[..chain.tries() - 1]);
                    }
                }
            }
        } else {
            let mut seen = vec![false; chains.len()];
            for (i, log) in logs.iter().enumerate() {
                let tries = chains.chain_of(i).map_or(1, Chain::tries);
                if status.admits_attempt(log, tries) && types_admit(log) && text_found(i) {
                    shown.push(i);
                    if let Some(chain) = chains.of_log(i).filter(|&c| !std::mem::replace(&mut seen[c], true)) {
                        shown_chains.push(chain);
                    }
                }
            }
        }
        let mut row_of = vec![u32::MAX; logs.len()];
        for (row, &log) in shown.iter().enumerate() {
            row_of[log] = u32::try_from(row).unwrap_or(u32::MAX);
        }
        self.trail_width = u16::try_from(trail).unwrap_or(MAX_TRAIL_WIDTH).min(MAX_TRAIL_WIDTH);
        self.shown = shown;
        self.shown_chains = shown_chains;
        self.row_of = row_of;
    }

    /// The row to select after the rows changed, for the log selected before: itself while
    /// shown, else its delivery's row, else the nearest shown log after it (or the last).
    pub(super) fn row_to_keep(&self, selected: Option<usize>) -> Option<usize> {
        let Some(s) = selected else { return self.shown.first().copied() };
        if self.row_of.get(s).is_some_and(|&row| row != u32::MAX) {
            return Some(s);
        }
        if let Some(last) = self
            .chains
            .chain_of(s)
            .map(Chain::last)
            .filter(|&last| self.row_of.get(last).is_some_and(|&r| r != u32::MAX))
        {
            return Some(last);
        }
        let after = self.shown.iter().copied().filter(|&i| i > s).min();
        after.or_else(|| self.shown.iter().copied().max())
    }

    /// Makes log `index` shown and selected: in the chain list, its delivery is expanded when it
    /// is not the delivery's last attempt. A log the filters hide stays hidden (the selection
    /// moves to the nearest shown one, as after any filter change).
    pub fn select_log(&mut self, index: usize) -> Vec<Effect> {
        if self.chained
            && let Some(chain) = self.chains.chain_of(index)
            && chain.last() != index
            && let Some(set) = self.logs()
        {
            let first = set.logs[chain.first()].id;
            self.expanded.insert(first);
        }
        self.selected = Some(index);
        self.refilter()
    }

    /// `x`: one row a delivery ↔ one row an attempt. The same log stays selected where it can.
    pub(super) fn toggle_chains(&mut self) -> Vec<Effect> {
        self.chained = !self.chained;
        let text = if self.chained {
            "one row a delivery, its retries chained (Space: its attempts; x: every attempt)"
        } else {
            "one row an attempt (x: retry chains)"
        };
        self.status = Some(StatusLine { text: text.to_owned(), ok: true });
        self.refilter()
    }

    /// Space: shows or hides the attempts of the selected delivery. On an attempt shown beneath
    /// its delivery, hides them and selects the delivery.
    pub(super) fn toggle_expanded(&mut self) -> Vec<Effect> {
        let (Some(selected), Some(set)) = (self.selected, self.logs()) else { return Vec::new() };
        let Some(chain) = self.chains.chain_of(selected).filter(|_| self.chained) else {
            self.status = Some(StatusLine {
                text: "Space shows a delivery's attempts in the chain list (x)".to_owned(),
                ok: false,
            });
            return Vec::new();
        };
        if chain.tries() < 2 {
            self.status = Some(StatusLine { text: "this delivery took one attempt".to_owned(), ok: true });
            return Vec::new();
        }
        let (first, last) = (set.logs[chain.first()].id, chain.last());
        if !self.expanded.remove(&first) {
            self.expanded.insert(first);
        }
        self.selected = Some(last);
        self.refilter()
    }
}
