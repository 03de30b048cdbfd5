//! Jumps across the list and comparing two logs: `!` to each lifecycle warning, `]` / `[` to
//! the next / previous failed delivery, `m` to mark a log and `d` to diff another's payload
//! with the marked one's.

use std::sync::Arc;

use super::{Popup, State};
use crate::action::{Action, Effect, HelpAction};
use crate::json_diff::{self, Change, DiffError, Mark};
use crate::model::WebhookLog;
use crate::model::lifecycle::lifecycle_warnings;

/// The diff popup's content: a title naming the two logs, and one line a path (or a note).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffView {
    pub title: String,
    /// Each line with its mark, `None` for a note; not yet sanitized.
    pub lines: Vec<(Option<Mark>, String)>,
}

impl State {
    /// Runs the lifecycle check on the whole call: after each load, the first and every refresh.
    pub(super) fn check_lifecycle(&mut self) {
        let Some(data) = self.data.as_deref() else { return };
        self.warnings = Arc::new(lifecycle_warnings(&data.logs, data.call.as_ref()));
        self.warning_cursor = None;
    }

    /// `!`: the next warning, its first log selected and its text in the status line. A log the
    /// filters hide is shown by clearing them (and saying so): the jump is for looking at it.
    pub(super) fn next_warning(&mut self) -> Vec<Effect> {
        let count = self.warnings.len();
        if count == 0 {
            self.say("no lifecycle warnings: the deliveries look like a healthy call", true);
            return Vec::new();
        }
        let at = self.warning_cursor.map_or(0, |at| (at + 1) % count);
        self.warning_cursor = Some(at);
        let warnings = Arc::clone(&self.warnings);
        let warning = &warnings[at];
        let mut effects = Vec::new();
        let mut cleared = "";
        if let Some(&log) = warning.logs.first() {
            if self.shown.binary_search(&log).is_err() {
                effects = self.perform(Action::ClearFilters);
                cleared = ", filters cleared";
            }
            effects.extend(self.select(Some(log)));
        }
        self.say(&format!("warning {} of {count}{cleared}: {}", at + 1, warning.text), false);
        effects
    }

    /// `]` / `[`: the next (previous) failed delivery in the list, filters untouched, wrapping.
    pub(super) fn step_failure(&mut self, forward: bool) -> Vec<Effect> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        let failed = |index: usize| !data.logs.logs[index].success;
        match next_in_list(&self.shown, self.selected, forward, failed) {
            None => {
                let text = if self.filter.is_empty() { "no failed deliveries" } else { "no failed deliveries shown" };
                self.say(text, true);
                Vec::new()
            }
            Some(Jump { index, wrapped }) => {
                if wrapped {
                    self.say(
                        if forward { "wrapped to the first failure" } else { "wrapped to the last failure" },
                        true,
                    );
                }
                self.select(Some(index))
            }
        }
    }

    /// `m`: marks the selected log for `d`, or unmarks it.
    pub(super) fn toggle_mark(&mut self) {
        let Some((index, id)) = self.selected.zip(self.selected_log().map(|log| log.id)) else { return };
        if self.marked == Some(index) {
            self.marked = None;
            self.say(&format!("unmarked log {id}"), true);
        } else {
            self.marked = Some(index);
            self.say(&format!("marked log {id} — press d on another log to compare"), true);
        }
    }

    /// `d`: the diff of the marked log's payload and the selected one's, in a popup.
    pub(super) fn open_diff(&mut self) {
        let (Some(data), Some(selected)) = (self.data.clone(), self.selected) else { return };
        let logs = &data.logs.logs;
        let Some(marked) = self.marked.filter(|&marked| marked < logs.len()) else {
            let key = self.keymap.browse.key_label(Action::Mark).unwrap_or_default();
            self.say(&format!("no log is marked: press {key} on a log, then d on another to compare"), false);
            return;
        };
        if marked == selected {
            self.say("this is the marked log: select another to compare with it", false);
            return;
        }
        self.diff = Some(diff_view(&logs[marked], &logs[selected]));
        self.popup = Popup::Diff { scroll: 0 };
    }

    /// A key while the diff is open: the help's scrolling keys scroll; any other closes it.
    pub(super) fn diff_key(&mut self, action: Option<HelpAction>, scroll: usize) {
        let lines = self.diff.as_ref().map_or(0, |diff| diff.lines.len());
        let page = usize::from(crate::layout::diff_box(self.screen, lines).height.saturating_sub(2)).max(1);
        let scroll = match action {
            Some(HelpAction::ScrollDown) => scroll + 1,
            Some(HelpAction::ScrollUp) => scroll.saturating_sub(1),
            Some(HelpAction::PageDown) => scroll + page.saturating_sub(1).max(1),
            Some(HelpAction::PageUp) => scroll.saturating_sub(page.saturating_sub(1).max(1)),
            Some(HelpAction::Top) => 0,
            Some(HelpAction::Bottom) => usize::MAX,
            Some(HelpAction::Close) | None => {
                self.diff = None;
                return;
            }
        };
        self.popup = Popup::Diff { scroll: scroll.min(lines.saturating_sub(page)) };
    }
}

/// Where a jump lands: a log index, and whether it went round the end of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jump {
    pub index: usize,
    pub wrapped: bool,
}

/// The first of `rows` (log indices in list order) after (before) the row of `from` that
/// `wanted` admits, going round the end; `from` itself only when nothing else is. The one place
/// `]` and `[` move by, so a list whose rows are other things can adapt it.
#[must_use]
pub fn next_in_list(
    rows: &[usize],
    from: Option<usize>,
    forward: bool,
    wanted: impl Fn(usize) -> bool,
) -> Option<Jump> {
    let count = rows.len();
    // Where the search starts: the row of `from`, or where it would be had filters not hidden it.
    let (start, on_row) = match from {
        Some(from) => match rows.binary_search(&from) {
            Ok(row) => (row, true),
            Err(row) => (row, false),
        },
        None => (if forward { count } else { 0 }, false),
    };
    (1..=count).find_map(|step| {
        // Forward from the row after `start` (or from `start` itself when `from` is hidden there).
        let offset = if on_row || !forward { step } else { step - 1 };
        let (row, wrapped) = if forward {
            let row = start + offset;
            (row % count, row >= count)
        } else {
            let back = start.wrapping_sub(step);
            let wrapped = step > start;
            (if wrapped { count + start - step } else { back }, wrapped)
        };
        wanted(rows[row]).then_some(Jump { index: rows[row], wrapped: wrapped && from.is_some() })
    })
}

fn diff_view(marked: &WebhookLog, other: &WebhookLog) -> DiffView {
    let title = format!(" Payload diff: log {} (marked) → log {} ", marked.id, other.id);
    let mut lines: Vec<(Option<Mark>, String)> = Vec::new();
    for (log, which) in [(marked, "marked"), (other, "selected")] {
        if log.payload().is_none() {
            lines.push((None, format!("the {which} log {} has no request payload (compared as null)", log.id)));
        }
    }
    let result = json_diff::diff(marked.payload().unwrap_or("null"), other.payload().unwrap_or("null"));
    match result {
        Ok(changes) if changes.is_empty() => lines.push((None, "payloads are identical".to_owned())),
        Ok(changes) => {
            let count = |mark: Mark| changes.iter().filter(|change| change.mark == mark).count();
            lines.push((
                None,
                format!(
                    "{} changed · {} added · {} removed",
                    count(Mark::Changed),
                    count(Mark::Added),
                    count(Mark::Removed)
                ),
            ));
            lines.extend(changes.iter().map(|change: &Change| (Some(change.mark), change.line())));
        }
        Err(DiffError::TooDeep { which }) => lines.push((
            None,
            format!(
                "cannot compare: log {}'s payload nests deeper than {} levels",
                [marked, other][which].id,
                json_diff::MAX_DEPTH
            ),
        )),
        Err(DiffError::NotJson { which }) => {
            let id = [marked, other][which].id;
            lines.push((None, format!("cannot compare: log {id}'s payload is not valid JSON")));
        }
    }
    DiffView { title, lines }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rows 0, 2, 4, 6 shown; the failed ones are 2 and 6.
    const ROWS: [usize; 4] = [0, 2, 4, 6];

    fn failed(index: usize) -> bool {
        matches!(index, 2 | 6)
    }

    #[rstest::rstest]
    #[case::forward(Some(2), true, Some((6, false)))]
    #[case::forward_wraps(Some(6), true, Some((2, true)))]
    #[case::back(Some(6), false, Some((2, false)))]
    #[case::back_wraps(Some(2), false, Some((6, true)))]
    #[case::from_a_passing_row(Some(4), true, Some((6, false)))]
    #[case::from_a_hidden_log(Some(3), true, Some((6, false)))]
    #[case::from_a_hidden_log_back(Some(3), false, Some((2, false)))]
    #[case::hidden_failure_itself(Some(5), true, Some((6, false)))]
    #[case::nothing_selected(None, true, Some((2, false)))]
    #[case::nothing_selected_back(None, false, Some((6, false)))]
    fn failures_in_list_order(
        #[case] from: Option<usize>,
        #[case] forward: bool,
        #[case] expected: Option<(usize, bool)>,
    ) {
        let got = next_in_list(&ROWS, from, forward, failed).map(|jump| (jump.index, jump.wrapped));
        assert_eq!(got, expected);
    }

    #[test]
    fn the_only_failure_is_found_from_itself_and_none_means_none() {
        assert_eq!(next_in_list(&ROWS, Some(2), true, |i| i == 2), Some(Jump { index: 2, wrapped: true }));
        assert_eq!(next_in_list(&ROWS, Some(2), true, |_| false), None);
        assert_eq!(next_in_list(&[], None, true, |_| true), None);
    }
}
