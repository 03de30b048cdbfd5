//! `n` / `N`: walking the text search's matches as one list, log after log in the list's order
//! and, within a log, tab after tab. The "As sent" tab repeats the payload and the body, so it is
//! visited only for a log whose other tabs have no match. A log whose match is only in what the
//! list and the summary show (`timeout`, a time) is visited too, in the tab already shown.

use super::detail::About;
use super::{Detail, RowKind, State, StatusLine, Tab};
use crate::action::Effect;
use crate::filter::TextSearch;
use crate::model::LogSet;

impl State {
    /// The next (or previous) match: in the detail's tab, else in a later (or earlier) tab of
    /// the log, else in the next (or previous) shown log that matches, wrapping around the list.
    pub(super) fn step_match(&mut self, forward: bool) -> Vec<Effect> {
        let (Some(search), Some(data)) = (self.search.clone(), self.data.clone()) else {
            self.say("no search: / searches the logs", false);
            return Vec::new();
        };
        let Some(detail) = self.detail.as_mut() else { return Vec::new() };
        if let Some((at, of)) = detail.step_match(forward) {
            let text = format!("match {at} of {of} in {}", detail.tab.title());
            self.say(&text, true);
            return Vec::new();
        }
        let (log, tab) = (detail.log, detail.tab);
        let later_tab = matching_tabs(&data.logs, log, &search, &self.about())
            .into_iter()
            .filter(|&other| if forward { rank(other) > rank(tab) } else { rank(other) < rank(tab) })
            .reduce(|first, other| if forward { first } else { other });
        if let Some(tab) = later_tab {
            let effects = self.show_tab(tab);
            self.arrive_at_match(forward, "");
            return effects;
        }
        let Some(row) = self.selected_row() else { return Vec::new() };
        let count = self.shown.len();
        for step in 1..=count {
            let other_row = if forward { (row + step) % count } else { (row + count - step) % count };
            // A delivery whose attempts are hidden is searched attempt by attempt: a match in
            // an earlier one shows it beneath its delivery.
            let candidates = match self.row_kind(self.shown[other_row]) {
                RowKind::Delivery { chain, expanded: false } => chain.attempts.clone(),
                _ => vec![self.shown[other_row]],
            };
            let found = if forward {
                candidates.iter().copied().find(|&index| self.log_matches(&data.logs, index, &search))
            } else {
                candidates.iter().rev().copied().find(|&index| self.log_matches(&data.logs, index, &search))
            };
            let Some(index) = found else { continue };
            let wrapped = if other_row == row {
                " (the only log that matches)"
            } else if forward == (other_row < row) {
                if forward { " (wrapped to the top)" } else { " (wrapped to the bottom)" }
            } else {
                ""
            };
            let tabs = matching_tabs(&data.logs, index, &search, &self.about());
            let tab = if forward { tabs.first() } else { tabs.last() };
            self.tab = tab.copied().unwrap_or(self.tab);
            let mut effects = self.select_log(index);
            if self.detail.as_ref().is_some_and(|detail| detail.tab != self.tab) {
                effects.extend(self.rebuild_detail());
            }
            if tab.is_some() {
                self.arrive_at_match(forward, wrapped);
            } else {
                let id = data.logs.logs[index].id;
                self.say(&format!("log {id} matches in its summary, not in a tab{wrapped}"), true);
            }
            return effects;
        }
        self.say("no other match", false);
        Vec::new()
    }

    /// Shows the first (or last) match of the detail just built for the walk.
    fn arrive_at_match(&mut self, forward: bool, note: &str) {
        let Some(detail) = self.detail.as_mut() else { return };
        let (at, of) = detail.show_match(if forward { 0 } else { usize::MAX });
        let (index, tab) = (detail.log, detail.tab);
        let log = self.logs().map_or(0, |set| set.logs[index].id);
        let text = format!("match {at} of {of} in {} of log {log}{note}", tab.title());
        self.say(&text, true);
    }

    /// Whether log `index` matches the text filter: by the finished search when it is for this
    /// text, else asked of the log itself.
    fn log_matches(&self, set: &LogSet, index: usize, search: &TextSearch) -> bool {
        match &self.text_matches {
            Some(last) if !self.searching && last.query == self.filter.text => {
                last.found.get(index).copied().unwrap_or(false)
            }
            _ => search.matches(&set.logs[index]),
        }
    }

    pub(super) fn say(&mut self, text: &str, ok: bool) {
        self.status = Some(StatusLine { text: text.to_owned(), ok });
    }
}

/// The tabs of log `index` in which `search` marks a line, in the tab bar's order; "As sent"
/// only when no other tab has a match. `about` is told in the info tab, as it is shown.
fn matching_tabs(set: &LogSet, index: usize, search: &TextSearch, about: &About<'_>) -> Vec<Tab> {
    let has_match = |tab: Tab| !Detail::build(set, index, tab, 0, Some(search), about).match_lines.is_empty();
    let tabs: Vec<Tab> = [Tab::Payload, Tab::Response, Tab::Info].into_iter().filter(|&tab| has_match(tab)).collect();
    if tabs.is_empty() && has_match(Tab::Raw) { vec![Tab::Raw] } else { tabs }
}

/// Where `tab` is in the tab bar.
fn rank(tab: Tab) -> usize {
    Tab::ALL.iter().position(|&t| t == tab).unwrap_or(0)
}
