//! The explorer's whole state and the one function that changes it. `update` does no I/O: it
//! returns [`Effect`]s for the app to perform, which is why most tests live here.

mod actions;
mod arrival;
mod columns;
mod detail;
mod follow;
mod keys;
mod lifecycle;
mod loading;
mod matches;
mod refresh;
mod rows;
mod search;
mod status_line;
mod summary;
mod type_counts;
mod views;

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::time::Instant;

use ratatui::layout::Rect;

pub use arrival::Arrival;
pub use detail::{Detail, Doc, Tab};
pub use follow::{DEFAULT_EVERY, Follow, Following, MAX_BACKOFF, ONGOING, PollFailure};
pub use lifecycle::DiffView;
pub use refresh::Fresh;
pub use rows::{MAX_TRAIL_WIDTH, MIN_TRAIL_WIDTH, RowKind, trail, trail_word};
pub use status_line::{Retrying, StatusLine};
pub use summary::Summary;
pub use type_counts::{TypeCount, TypeCounts};
pub use views::{LANE_LABEL_MAX, View};

use crate::action::{Action, Effect, LoadFailure, Msg, Progress};
use crate::case_file::LoadedCall;
use crate::filter::{Filter, TextSearch};
use crate::keymap::{Keymap, Mode};
use crate::layout::{Areas, areas_for};
use crate::model::chains::Chains;
use crate::model::lifecycle::Warning;
use crate::model::time::TimeDisplay;

/// What is known about the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    Loading { since: Instant },
    Loaded,
    Failed(LoadFailure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    List,
    Detail,
}

/// At most one popup takes the keys.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Popup {
    #[default]
    None,
    /// Typing a search: the text filter follows the line as it is typed; Enter keeps it, Esc
    /// puts back `previous`, the text filter from before the line was opened.
    Search {
        input: String,
        previous: String,
    },
    /// The type picker: a cursor over `State::types` and the choice being made.
    Types {
        cursor: usize,
        chosen: BTreeSet<String>,
    },
    Help {
        scroll: usize,
    },
    Copy,
    /// The diff of the marked log's payload and the selected one's (`State::diff`), scrolled.
    Diff {
        scroll: usize,
    },
}

/// Which logs a finished search found, and for which text.
#[derive(Debug, Clone)]
struct TextMatches {
    query: String,
    found: Arc<Vec<bool>>,
}

#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "independent flags of the view, not a state machine")]
pub struct State {
    /// What is being looked at, for the header and messages: "call 101", "demo call", a file.
    pub source_label: String,
    pub load: Load,
    pub data: Option<Arc<LoadedCall>>,
    /// Set while the rows of the first load arrive; `data` holds those decoded so far.
    pub arrival: Option<Arrival>,
    /// Why the call's details are missing from the header, if they are.
    pub call_error: Option<String>,
    pub types: TypeCounts,
    pub filter: Filter,
    /// `filter.text` compiled, for marking matches in the detail (`None` without text).
    pub search: Option<TextSearch>,
    /// The last finished search. While a newer one runs (`searching`), the list keeps showing
    /// these results if the new text extends or shortens theirs, as typing does.
    text_matches: Option<TextMatches>,
    search_generation: u64,
    pub searching: bool,
    /// The list's rows, each a log (an index into `data.logs.logs`), in the order drawn: with
    /// retry chains, a delivery's last attempt, then its earlier attempts while it is expanded.
    pub shown: Vec<usize>,
    /// For each log, its row in `shown` (`u32::MAX`: not shown).
    row_of: Vec<u32>,
    /// The deliveries (indices into `chains`) with a shown row, for the header's counts.
    shown_chains: Vec<usize>,
    /// The attempts of each delivery, rebuilt when the logs change.
    pub chains: Arc<Chains>,
    /// One row a delivery (the default) rather than one an attempt (`x`).
    pub chained: bool,
    /// The deliveries whose attempts are shown beneath them, by their first attempt's id (which
    /// a refresh keeps).
    pub expanded: HashSet<i64>,
    /// The width of the chain list's status trails, measured when the rows change.
    pub trail_width: u16,
    /// The list's type column width, measured over every shown row when `shown` changes.
    pub type_width: u16,
    pub summary: Summary,
    /// The selected log (an index into the logs, so it survives filter changes).
    pub selected: Option<usize>,
    /// The first shown row at the top of the list.
    pub list_scroll: usize,
    pub focus: Focus,
    pub zoomed: bool,
    /// What stands in the list's place: the list, the timeline or the stats (`v`).
    pub view: View,
    /// The timeline of the shown logs at the view's width, while the timeline is on.
    pub timeline: Option<crate::timeline::Timeline>,
    /// The figures of the shown logs, while the stats are on.
    pub stats: Option<crate::stats::Stats>,
    pub popup: Popup,
    pub tab: Tab,
    pub detail: Option<Detail>,
    /// Long lines of the detail wrapped instead of scrolled sideways (`w`).
    pub wrap: bool,
    pub time: TimeDisplay,
    pub redact: bool,
    pub status: Option<StatusLine>,
    /// When the status line was last set, for it to expire.
    status_since: Option<Instant>,
    /// The wait of the running fetch before it tries again, if it is waiting.
    pub retrying: Option<Retrying>,
    /// The logs a refresh brought that were not there before, marked in the list for a while.
    pub fresh: Option<Fresh>,
    /// Polls while following the call (`F`, `--follow`).
    pub follow: Follow,
    pub screen: Rect,
    pub keymap: Keymap,
    pub spinner: usize,
    request: u64,
    next_doc: u64,
    /// A response body in HTML or XML has been met, and the grammars to highlight it were asked
    /// to be made ready.
    markup_warmed: bool,
    /// The lifecycle check's warnings, computed once when a load is whole.
    pub warnings: Arc<Vec<Warning>>,
    /// The warning `!` last jumped to.
    warning_cursor: Option<usize>,
    /// The log `m` marked, for `d` to compare another with.
    pub marked: Option<usize>,
    /// What the diff popup shows, built when `d` opens it.
    pub diff: Option<DiffView>,
    /// Set when the user asked to quit; the app stops after this update.
    pub quitting: bool,
    /// The call was opened from the call list, which Esc (at the top) and Backspace go back to.
    pub from_calls: bool,
    /// Set when the user asked to go back to the call list; the app stops after this update
    /// and the list takes over again.
    pub back_to_calls: bool,
}

impl State {
    #[must_use]
    pub fn new(source_label: String, filter: Filter, keymap: Keymap, screen: Rect) -> Self {
        Self {
            source_label,
            load: Load::Loading { since: Instant::now() },
            data: None,
            arrival: None,
            call_error: None,
            types: TypeCounts::default(),
            filter,
            search: None,
            text_matches: None,
            search_generation: 0,
            searching: false,
            shown: Vec::new(),
            row_of: Vec::new(),
            shown_chains: Vec::new(),
            chains: Arc::default(),
            chained: true,
            expanded: HashSet::new(),
            trail_width: MIN_TRAIL_WIDTH,
            type_width: columns::MIN_TYPE_WIDTH,
            summary: Summary::default(),
            selected: None,
            list_scroll: 0,
            focus: Focus::List,
            zoomed: false,
            view: View::List,
            timeline: None,
            stats: None,
            popup: Popup::None,
            tab: Tab::Payload,
            detail: None,
            wrap: false,
            time: TimeDisplay::Utc,
            redact: false,
            status: None,
            status_since: None,
            retrying: None,
            fresh: None,
            follow: Follow::default(),
            screen,
            keymap,
            spinner: 0,
            request: 0,
            next_doc: 0,
            quitting: false,
            from_calls: false,
            back_to_calls: false,
            markup_warmed: false,
            warnings: Arc::default(),
            warning_cursor: None,
            marked: None,
            diff: None,
        }
    }

    /// The first fetch; the app performs the effect it returns.
    pub fn start(&mut self) -> Vec<Effect> {
        self.refetch()
    }

    #[must_use]
    pub fn areas(&self) -> Areas {
        areas_for(self.screen, self.zoomed, self.view.body())
    }

    /// Which key table has the keys.
    #[must_use]
    pub fn mode(&self) -> Mode {
        match self.popup {
            Popup::None => Mode::Browse,
            Popup::Search { .. } => Mode::Search,
            Popup::Types { .. } => Mode::Types,
            Popup::Copy => Mode::Copy,
            // The diff scrolls as the help does, and any other key closes it.
            Popup::Help { .. } | Popup::Diff { .. } => Mode::Help,
        }
    }

    #[must_use]
    pub fn logs(&self) -> Option<&crate::model::LogSet> {
        self.data.as_deref().map(|data| &data.logs)
    }

    /// Whether the list and detail are on screen: the call has loaded (a refresh keeps it there
    /// until the new one is whole), or its rows are arriving.
    #[must_use]
    pub fn rows_shown(&self) -> bool {
        self.data.is_some() && !matches!(self.load, Load::Failed(_))
    }

    /// The row of `selected` within `shown`.
    #[must_use]
    pub fn selected_row(&self) -> Option<usize> {
        let row = *self.row_of.get(self.selected?)?;
        (row != u32::MAX).then_some(row as usize)
    }

    /// Whether the app's loop ends after this update: quitting, or back to the call list.
    #[must_use]
    pub fn stopping(&self) -> bool {
        self.quitting || self.back_to_calls
    }

    /// The process exit code on quitting: a load that failed for good exits as `--print` would.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match &self.load {
            Load::Failed(failure) => failure.exit_code,
            Load::Loading { .. } | Load::Loaded => 0,
        }
    }

    /// Whether the screen changes with time alone: a spinner, a countdown, a toast to expire,
    /// rows marked new.
    #[must_use]
    pub fn animating(&self) -> bool {
        matches!(self.load, Load::Loading { .. })
            || self.searching
            || self.status.is_some()
            || self.fresh.is_some()
            || self.follow.is_on()
            || self.detail.as_ref().is_some_and(|d| d.doc.is_highlighting())
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let before = self.status.clone();
        let effects = self.apply(msg);
        if self.status != before {
            self.status_since = self.status.as_ref().map(|_| Instant::now());
        }
        effects
    }

    /// What time does to the screen: the spinner turns, toasts and new-row marks expire.
    fn on_tick(&mut self, now: Instant) {
        self.spinner = self.spinner.wrapping_add(1);
        if let (Some(status), Some(since)) = (&self.status, self.status_since)
            && now.saturating_duration_since(since) >= status.lifetime()
        {
            self.status = None;
            self.status_since = None;
        }
        if self.fresh.as_ref().is_some_and(|fresh| fresh.expired(now)) {
            self.fresh = None;
        }
    }

    fn apply(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Mouse(mouse) => self.on_mouse(mouse),
            Msg::Resize { width, height } => {
                self.on_resize(width, height);
                Vec::new()
            }
            Msg::Arriving { request, decoded, progress } => {
                if request != self.request {
                    return Vec::new();
                }
                self.retrying = None;
                self.on_arriving(request, decoded, progress)
            }
            Msg::CallFound { request, call } => {
                if request != self.request {
                    return Vec::new();
                }
                // Only a load whose rows arrive hears of its call early: the call starts it
                // arriving if no row has yet.
                let mut effects = Vec::new();
                if self.arrival.is_none_or(|arrival| arrival.request != request) {
                    effects = self.on_arriving(request, Vec::new(), Progress { received: 0, expected: None });
                }
                self.set_call(*call);
                effects
            }
            Msg::Loaded { request, result, call_error } => {
                if request != self.request {
                    return Vec::new();
                }
                self.retrying = None;
                // Only the rows of this load's arrival are joined; a refresh's old rows stay in
                // `data`, to be compared with what came.
                let arrived = match self.arrival.take() {
                    Some(arrival) if arrival.request == request => self.data.take(),
                    _ => None,
                };
                match (*result, arrived) {
                    (Ok(rest), Some(arrived)) => {
                        self.data = Some(Arc::new(arrival::join(arrived, rest)));
                        self.on_loaded(None, call_error)
                    }
                    (Ok(loaded), None) => self.on_loaded(Some(loaded), call_error),
                    (Err(failure), _) => {
                        self.load = Load::Failed(failure);
                        Vec::new()
                    }
                }
            }
            Msg::Searched { generation, matches } => {
                if generation == self.search_generation {
                    self.searching = false;
                    self.text_matches = Some(TextMatches { query: self.filter.text.clone(), found: matches });
                    return self.refilter();
                }
                Vec::new()
            }
            Msg::SearchFailed { generation } => {
                if generation != self.search_generation {
                    return Vec::new();
                }
                self.searching = false;
                self.filter.text.clear();
                self.search = None;
                self.status = Some(StatusLine {
                    text: "search failed unexpectedly (a bug: please report it); the text filter was dropped".into(),
                    ok: false,
                });
                self.refilter()
            }
            Msg::Highlighted { doc, first_line, styles } => {
                if let Some(detail) = self.detail.as_mut().filter(|d| d.doc.id == doc) {
                    detail.doc.add_styles(first_line, styles);
                }
                Vec::new()
            }
            Msg::Done { message, ok } => {
                self.status = Some(StatusLine { text: message, ok });
                Vec::new()
            }
            Msg::Copied(report) => {
                self.status = Some(StatusLine { text: report.toast(), ok: report.landed() });
                Vec::new()
            }
            Msg::Tick => {
                self.on_tick(Instant::now());
                Vec::new()
            }
            Msg::Retrying { request, wait } => {
                if request == self.request {
                    let until = Instant::now() + wait.wait;
                    self.retrying = Some(Retrying { wait, until });
                }
                Vec::new()
            }
            Msg::PollDue { generation } => self.on_poll_due(generation),
            Msg::Polled { request, polled } => self.on_polled(request, *polled, Instant::now()),
            Msg::Quit => self.perform(Action::Quit),
            Msg::Paste(text) => self.on_paste(&text),
        }
    }

    fn on_resize(&mut self, width: u16, height: u16) {
        let resized = self.screen.width != width || self.screen.height != height;
        self.screen = Rect::new(0, 0, width, height);
        // The timeline's buckets are columns of the view.
        if resized && self.view == View::Timeline {
            self.rebuild_view();
        }
        self.keep_selection_visible();
        self.fit_detail_scroll();
    }

    /// What the info tab tells of a log beyond its own fields.
    fn about(&self) -> detail::About<'_> {
        detail::About { call_error: self.call_error.as_deref(), chains: &self.chains, warnings: &self.warnings }
    }

    #[must_use]
    pub fn selected_log(&self) -> Option<&crate::model::WebhookLog> {
        self.logs()?.logs.get(self.selected?)
    }

    /// Recomputes the shown logs after a filter change, keeping the selection on the same log
    /// while it is still shown (else the nearest shown one after it).
    fn refilter(&mut self) -> Vec<Effect> {
        let Some(data) = self.data.clone() else { return Vec::new() };
        let logs = &data.logs.logs;
        // A log the last search did not see (it arrived since) shows until the running one says.
        let (no_text, searching) = (self.filter.text.is_empty(), self.searching);
        let found = self.text_matches.as_ref().map(|last| Arc::clone(&last.found));
        let text_found = move |i: usize| match &found {
            _ if no_text => true,
            Some(found) => found.get(i).copied().unwrap_or(searching),
            None => true,
        };
        self.build_rows(&data.logs, &text_found);
        let attempts: Vec<usize> = if self.chained {
            self.shown_chains.iter().flat_map(|&c| self.chains.all()[c].attempts.iter().copied()).collect()
        } else {
            self.shown.clone()
        };
        self.summary = Summary::of(logs, &self.chains, &self.shown_chains, &attempts);
        let widest_possible = self
            .types
            .iter()
            .filter(|t| self.filter.types.is_empty() || self.filter.types.contains(&t.name))
            .map(|t| columns::drawn_width(&t.name))
            .max()
            .unwrap_or(usize::MAX);
        self.type_width = columns::type_width(logs, &self.shown, widest_possible);
        self.rebuild_view();
        self.select(self.row_to_keep(self.selected))
    }

    /// Makes `log` the selected one and builds its detail.
    fn select(&mut self, log: Option<usize>) -> Vec<Effect> {
        let changed = self.selected != log || self.detail.as_ref().map(|d| d.log) != log;
        self.selected = log;
        self.keep_selection_visible();
        if changed { self.rebuild_detail() } else { Vec::new() }
    }

    fn rebuild_detail(&mut self) -> Vec<Effect> {
        let (Some(data), Some(index)) = (self.data.clone(), self.selected) else {
            self.detail = None;
            return Vec::new();
        };
        self.next_doc += 1;
        let detail = Detail::build(&data.logs, index, self.tab, self.next_doc, self.search.as_ref(), &self.about());
        let effect = detail.doc.highlight_effect();
        self.detail = Some(detail);
        effect.into_iter().collect()
    }

    fn keep_selection_visible(&mut self) {
        let rows = usize::from(self.areas().list_rows.height.max(1));
        let Some(row) = self.selected_row() else {
            self.list_scroll = 0;
            return;
        };
        if row < self.list_scroll {
            self.list_scroll = row;
        } else if row >= self.list_scroll + rows {
            self.list_scroll = row + 1 - rows;
        }
        self.list_scroll = self.list_scroll.min(self.shown.len().saturating_sub(rows));
    }

    /// Moves the selection by `delta` rows (clamped), or scrolls the detail when it has focus.
    fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        if self.focus == Focus::Detail || self.zoomed {
            self.scroll_detail(delta);
            return Vec::new();
        }
        if self.shown.is_empty() {
            return Vec::new();
        }
        let row = self.selected_row().unwrap_or(0);
        let target = row.saturating_add_signed(delta).min(self.shown.len() - 1);
        self.select(Some(self.shown[target]))
    }

    /// `<` and `>` (half a pane, as `less` does), `0` and `$`; nothing while lines wrap.
    fn scroll_sideways(&mut self, action: Action) {
        let doc = self.areas().detail_doc;
        let (width, page) = (usize::from(doc.width.max(2)), usize::from(doc.height.max(1)));
        let Some(detail) = self.detail.as_mut().filter(|_| !self.wrap) else { return };
        let step = isize::try_from(width / 2).unwrap_or(1);
        match action {
            Action::ScrollLeft => detail.scroll_sideways(-step, width),
            Action::ScrollRight => detail.scroll_sideways(step, width),
            Action::LineStart => detail.hscroll = 0,
            _ => detail.scroll_to_line_end(page, width),
        }
    }

    /// Keeps the detail's scroll where it is while the document still fills the pane from
    /// there, else moves it up just enough to fill it (to the top when the document is shorter
    /// than the pane): a pane that grew never shows blank rows under a hidden top.
    fn fit_detail_scroll(&mut self) {
        self.scroll_detail(0);
    }

    /// Scrolls the detail by `delta` lines, no further than fills its pane, wrapped or not.
    pub(super) fn scroll_detail(&mut self, delta: isize) {
        let doc = self.areas().detail_doc;
        let wrap = self.wrap.then_some(usize::from(doc.width.max(1)));
        if let Some(detail) = self.detail.as_mut() {
            detail.scroll_by(delta, usize::from(doc.height.max(1)), wrap);
        }
    }

    fn list_page(&self) -> isize {
        let rows = if self.focus == Focus::Detail || self.zoomed {
            self.areas().detail_doc.height
        } else {
            self.areas().list_rows.height
        };
        isize::try_from(rows.max(2) - 1).unwrap_or(1)
    }
}

#[cfg(test)]
mod tests;
