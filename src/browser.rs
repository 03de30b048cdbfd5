//! The call list (`hookscope calls`, or no call): the organisation's calls, newest first, read
//! page by page as the selection nears the end of what is loaded, with filters set by keys.
//! Like the explorer's [`crate::state::State`], [`Browser::update`] does no I/O: it returns
//! [`CallsEffect`]s for the runner ([`run::CallsApp`]) to perform.

mod filters;
pub mod run;
#[cfg(test)]
mod tests;

use std::collections::HashMap;

use crossterm::event::{KeyEvent, KeyEventKind};
use ratatui::layout::Rect;

use crate::action::{CallsAction, HelpAction, LoadFailure, SearchAction};
use crate::calls_query::CallQuery;
use crate::keymap::{Keymap, Mode};
use crate::model::CallPage;
use crate::model::CallSummary;
use crate::model::time::TimeDisplay;
pub use filters::{Field, FilterLine};

/// Calls asked for a page.
pub const PAGE: usize = 100;

/// The longest filter line, in bytes: far more than a phone number or a time needs, and what a
/// paste is cut to.
const MAX_LINE_BYTES: usize = 256;

/// Rows above the list (the header, the column titles) and below it (the status line, the keys).
const CHROME_ROWS: u16 = 4;

/// What the deliveries of a call opened from the list came to, shown in its row afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deliveries {
    pub total: usize,
    pub failed: usize,
}

impl Deliveries {
    /// `12 deliveries · 3 failed`, or `12 · 3 failed` where room is short.
    #[must_use]
    pub fn text(self, short: bool) -> String {
        match (short, self.total) {
            (true, total) => format!("{total} · {} failed", self.failed),
            (false, 1) => format!("1 delivery · {} failed", self.failed),
            (false, total) => format!("{total} deliveries · {} failed", self.failed),
        }
    }
}

/// How the first page of the current filters went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ListLoad {
    Loading,
    Loaded,
    Failed(LoadFailure),
}

#[derive(Debug)]
pub enum CallsMsg {
    Key(KeyEvent),
    Paste(String),
    Resize {
        width: u16,
        height: u16,
    },
    /// A page of fetch `request` came (or failed, worded as the explorer's errors are).
    Page {
        request: u64,
        result: Result<CallPage, LoadFailure>,
    },
    /// The explorer opened from the list ended with the user going back; what it had loaded.
    Returned {
        id: i64,
        deliveries: Option<Deliveries>,
    },
    Tick,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallsEffect {
    /// Fetch `limit` calls matching `query` after the first `skip`; the reply carries `request`.
    FetchPage { request: u64, query: CallQuery, skip: usize, limit: usize },
    /// Open the explorer on call `id`, as `hookscope <id>` does.
    Open { id: i64 },
}

/// The call list's whole state. It lives on while an opened call is explored (the runner holds
/// it, untouched, and hands keys back to it afterwards), so scroll, selection, filters and
/// loaded pages are as they were when the user comes back.
#[derive(Debug)]
pub struct Browser {
    pub query: CallQuery,
    /// `--since` as typed (`2h`), for the header; `None` when there is no such filter.
    pub since_text: Option<String>,
    pub calls: Vec<CallSummary>,
    /// How many calls match, when the server says.
    pub total: Option<u64>,
    /// Entries the server sent for these filters so far: the next page's `skip`.
    pub received: usize,
    /// The last page was shorter than asked for: there is no more.
    pub exhausted: bool,
    pub load: ListLoad,
    /// The page request in flight, if any (one at a time).
    pub fetching: Option<u64>,
    /// Why the last page after the first could not be read; what was loaded stays.
    pub page_error: Option<String>,
    pub selected: usize,
    /// The first row shown.
    pub scroll: usize,
    pub line: Option<FilterLine>,
    /// The help overlay's scroll, while it is open.
    pub help: Option<usize>,
    /// A message for the status line (a filter that could not be read).
    pub status: Option<String>,
    pub time: TimeDisplay,
    pub redact: bool,
    /// Calls whose deliveries were opened, by id.
    pub opened: HashMap<i64, Deliveries>,
    pub screen: Rect,
    pub keymap: Keymap,
    pub spinner: usize,
    request: u64,
    pub quitting: bool,
}

impl Browser {
    #[must_use]
    pub fn new(query: CallQuery, since_text: Option<String>, keymap: Keymap, screen: Rect) -> Self {
        Self {
            query,
            since_text,
            calls: Vec::new(),
            total: None,
            received: 0,
            exhausted: false,
            load: ListLoad::Loading,
            fetching: None,
            page_error: None,
            selected: 0,
            scroll: 0,
            line: None,
            help: None,
            status: None,
            time: TimeDisplay::Utc,
            redact: false,
            opened: HashMap::new(),
            screen,
            keymap,
            spinner: 0,
            request: 0,
            quitting: false,
        }
    }

    /// The first page's request.
    pub fn start(&mut self) -> Vec<CallsEffect> {
        self.requery()
    }

    /// Which key table is in force.
    #[must_use]
    pub fn mode(&self) -> Mode {
        if self.help.is_some() {
            Mode::Help
        } else if self.line.is_some() {
            Mode::Search
        } else {
            Mode::Calls
        }
    }

    /// Rows of calls the screen shows.
    #[must_use]
    pub fn list_rows(&self) -> usize {
        usize::from(self.screen.height.saturating_sub(CHROME_ROWS)).max(1)
    }

    #[must_use]
    pub fn selected_call(&self) -> Option<&CallSummary> {
        self.calls.get(self.selected)
    }

    /// The process exit code on quitting: a first page that failed for good exits as `--print`.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match &self.load {
            ListLoad::Failed(failure) => failure.exit_code,
            ListLoad::Loading | ListLoad::Loaded => 0,
        }
    }

    pub fn update(&mut self, msg: CallsMsg) -> Vec<CallsEffect> {
        match msg {
            CallsMsg::Key(key) if key.kind != KeyEventKind::Release => self.key(&key),
            CallsMsg::Key(_) => Vec::new(),
            CallsMsg::Paste(text) => {
                if let Some(line) = &mut self.line {
                    for c in text.chars().filter(|c| !c.is_control()) {
                        if line.text.len() + c.len_utf8() > MAX_LINE_BYTES {
                            break;
                        }
                        line.text.push(c);
                    }
                }
                Vec::new()
            }
            CallsMsg::Resize { width, height } => {
                self.screen = Rect::new(0, 0, width, height);
                self.keep_selection_visible();
                self.more_if_near_the_end()
            }
            CallsMsg::Page { request, result } => self.page(request, result),
            CallsMsg::Returned { id, deliveries } => {
                if let Some(deliveries) = deliveries {
                    self.opened.insert(id, deliveries);
                }
                Vec::new()
            }
            CallsMsg::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
        }
    }

    /// Whether the screen changes with time alone (a spinner).
    #[must_use]
    pub fn animating(&self) -> bool {
        self.fetching.is_some()
    }

    fn key(&mut self, key: &KeyEvent) -> Vec<CallsEffect> {
        if self.keymap.anywhere.action_for(key) == Some(crate::action::Action::Quit) {
            self.quitting = true;
            return Vec::new();
        }
        if let Some(scroll) = self.help {
            self.help = self.help_key(key, scroll);
            return Vec::new();
        }
        if let Some(line) = &mut self.line {
            return match self.keymap.search.action_for(key) {
                Some(SearchAction::Apply) => self.apply_line(),
                Some(SearchAction::Cancel) => {
                    self.line = None;
                    self.status = None;
                    Vec::new()
                }
                Some(SearchAction::DeleteChar) => {
                    line.text.pop();
                    Vec::new()
                }
                Some(SearchAction::Clear) => {
                    line.text.clear();
                    Vec::new()
                }
                None => {
                    if let crossterm::event::KeyCode::Char(c) = key.code
                        && !key.modifiers.contains(crossterm::event::KeyModifiers::CONTROL)
                        && line.text.len() + c.len_utf8() <= MAX_LINE_BYTES
                    {
                        line.text.push(c);
                    }
                    Vec::new()
                }
            };
        }
        let Some(action) = self.keymap.calls.action_for(key) else { return Vec::new() };
        self.status = None;
        match action {
            CallsAction::Down => self.move_by(1),
            CallsAction::Up => self.move_by(-1),
            CallsAction::First => self.move_by(isize::MIN / 2),
            CallsAction::Last => self.move_by(isize::MAX / 2),
            CallsAction::PageDown => self.move_by(self.page_step()),
            CallsAction::PageUp => self.move_by(-self.page_step()),
            CallsAction::Open => match self.selected_call().map(|call| call.id) {
                Some(Some(id)) => vec![CallsEffect::Open { id }],
                Some(None) => {
                    self.status = Some("this call has no id to open it by".to_owned());
                    Vec::new()
                }
                None => Vec::new(),
            },
            CallsAction::EditPhone => self.open_line(Field::Phone),
            CallsAction::EditStatus => self.open_line(Field::Status),
            CallsAction::EditAssistant => self.open_line(Field::AssistantId),
            CallsAction::EditSince => self.open_line(Field::Since),
            CallsAction::ClearFilters => {
                if self.query.is_empty() {
                    return Vec::new();
                }
                self.query = CallQuery::default();
                self.since_text = None;
                self.requery()
            }
            CallsAction::Reload => {
                self.since_from_now();
                self.requery()
            }
            CallsAction::ToggleTime => {
                self.time = self.time.toggled();
                Vec::new()
            }
            CallsAction::Help => {
                self.help = Some(0);
                Vec::new()
            }
            CallsAction::Quit => {
                self.quitting = true;
                Vec::new()
            }
        }
    }

    fn help_key(&self, key: &KeyEvent, scroll: usize) -> Option<usize> {
        let lines: usize =
            self.keymap.calls_help_sections().iter().map(|(_, rows)| rows.len() + 2).sum::<usize>().saturating_sub(1);
        let page = usize::from(crate::layout::help_box(self.screen, lines).height.saturating_sub(2)).max(1);
        let last = lines.saturating_sub(page);
        Some(match self.keymap.help.action_for(key)? {
            HelpAction::ScrollDown => (scroll + 1).min(last),
            HelpAction::ScrollUp => scroll.saturating_sub(1),
            HelpAction::PageDown => (scroll + page).min(last),
            HelpAction::PageUp => scroll.saturating_sub(page),
            HelpAction::Top => 0,
            HelpAction::Bottom => last,
            HelpAction::Close => return None,
        })
    }

    fn page_step(&self) -> isize {
        isize::try_from(self.list_rows()).unwrap_or(1)
    }

    fn move_by(&mut self, delta: isize) -> Vec<CallsEffect> {
        if self.calls.is_empty() {
            return Vec::new();
        }
        let last = self.calls.len() - 1;
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.keep_selection_visible();
        self.more_if_near_the_end()
    }

    fn keep_selection_visible(&mut self) {
        let rows = self.list_rows();
        if self.selected < self.scroll {
            self.scroll = self.selected;
        } else if self.selected >= self.scroll + rows {
            self.scroll = self.selected + 1 - rows;
        }
        let most = self.calls.len().saturating_sub(rows);
        self.scroll = self.scroll.min(most.max(self.selected.saturating_sub(rows - 1)));
    }

    /// The next page, when the selection is within a screen of the end of what is loaded, no
    /// page is on its way, and the last one was full.
    fn more_if_near_the_end(&mut self) -> Vec<CallsEffect> {
        let near = self.selected + self.list_rows() >= self.calls.len();
        if !near
            || self.exhausted
            || self.fetching.is_some()
            || self.load != ListLoad::Loaded
            || self.page_error.is_some()
        {
            return Vec::new();
        }
        self.fetch(self.received)
    }

    fn fetch(&mut self, skip: usize) -> Vec<CallsEffect> {
        self.request += 1;
        self.fetching = Some(self.request);
        vec![CallsEffect::FetchPage { request: self.request, query: self.query.clone(), skip, limit: PAGE }]
    }

    /// Drops what is loaded and asks for the first page of the current filters.
    fn requery(&mut self) -> Vec<CallsEffect> {
        self.calls.clear();
        self.total = None;
        self.received = 0;
        self.exhausted = false;
        self.page_error = None;
        self.selected = 0;
        self.scroll = 0;
        self.load = ListLoad::Loading;
        self.fetch(0)
    }

    fn page(&mut self, request: u64, result: Result<CallPage, LoadFailure>) -> Vec<CallsEffect> {
        if self.fetching != Some(request) {
            return Vec::new();
        }
        self.fetching = None;
        match result {
            Ok(page) => {
                self.received += page.received;
                self.exhausted = page.received < PAGE;
                self.total = page.total.or(self.total);
                self.calls.extend(page.calls);
                self.load = ListLoad::Loaded;
                self.more_if_near_the_end()
            }
            Err(failure) if self.load == ListLoad::Loading => {
                self.load = ListLoad::Failed(failure);
                Vec::new()
            }
            Err(failure) => {
                self.page_error = Some(format!("more calls could not be loaded: {} (r reloads)", failure.message));
                Vec::new()
            }
        }
    }
}
