//! What can happen to the explorer: actions a key asks for, messages that arrive, and effects
//! that `State::update` asks the app to perform.

use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};
use serde::de::value::StrDeserializer;
use serde::{Deserialize, Serialize};

use crate::case_file::LoadedCall;
use crate::export::CopyItem;
use crate::highlight::LineStyles;
use crate::model::{CallInfo, Decoded};

/// What a key asks for while browsing the list and the detail. `[keys]` in the config file
/// names these in snake case (`cycle_status`, `copy_menu`), read by serde from the variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Down,
    Up,
    First,
    Last,
    PageDown,
    PageUp,
    SwitchFocus,
    Zoom,
    Back,
    /// Back to the call list the call was opened from, if it was.
    BackToCalls,
    TypePicker,
    CycleStatus,
    /// One row a delivery (retry chains) ↔ one row an attempt.
    ToggleChains,
    /// The selected delivery's attempts shown beneath it, or hidden.
    ToggleAttempts,
    Search,
    NextMatch,
    PrevMatch,
    ClearFilters,
    Refresh,
    /// Follow the call: fetch it again every few seconds, new deliveries as they come.
    ToggleFollow,
    ToggleTime,
    Help,
    ShowPayload,
    ShowResponse,
    ShowInfo,
    ShowRaw,
    NextTab,
    PrevTab,
    ScrollLeft,
    ScrollRight,
    /// The detail back to the first column.
    LineStart,
    /// The detail sideways to the end of its widest visible line.
    LineEnd,
    /// Long lines of the detail wrapped, or scrolled sideways.
    ToggleWrap,
    /// List → timeline → stats.
    CycleView,
    CopyMenu,
    CopyPayload,
    ToggleRedact,
    Export,
    /// `!`: the next lifecycle warning, its first log selected.
    NextWarning,
    /// `]` / `[`: the next / previous failed delivery in the list.
    NextFailure,
    PrevFailure,
    /// `m`: marks the selected log (or unmarks it) for a payload diff.
    Mark,
    /// `d`: the payload diff of the marked log and the selected one.
    Diff,
    /// Ctrl-Z: suspends to the shell. The app does it, since it owns the terminal; the state
    /// has nothing to do.
    Suspend,
    /// Shows or hides the logs of one of the first nine types; named `type_1`…`type_9`.
    #[serde(untagged)]
    ToggleType(TypeSlot),
}

impl Action {
    /// The action `[keys]` calls `name`, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::deserialize(StrDeserializer::<serde::de::value::Error>::new(name)).ok()
    }

    /// What `[keys]` calls it: the name [`Action::from_name`] reads.
    #[must_use]
    pub fn name(self) -> String {
        // A unit variant serialises as its name and a slot as `type_N`, so this is always a string.
        match serde_json::to_value(self) {
            Ok(serde_json::Value::String(name)) => name,
            _ => String::new(),
        }
    }
}

/// One of the first nine webhook types, numbered 1–9 as the type picker shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TypeSlot(u8);

impl TypeSlot {
    /// Slots 1 to 9, in order.
    pub fn all() -> impl Iterator<Item = Self> {
        (1..=9).map(Self)
    }

    /// The slot numbered `number`, if it is 1–9.
    #[must_use]
    pub fn new(number: u8) -> Option<Self> {
        (1..=9).contains(&number).then_some(Self(number))
    }

    /// 1–9.
    #[must_use]
    pub fn number(self) -> u8 {
        self.0
    }

    /// Where the slot's type is in `State::types`.
    #[must_use]
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }
}

impl TryFrom<String> for TypeSlot {
    type Error = String;

    fn try_from(name: String) -> Result<Self, String> {
        name.strip_prefix("type_")
            .and_then(|number| number.parse().ok())
            .and_then(Self::new)
            .ok_or_else(|| format!("`{name}` is not type_1 … type_9"))
    }
}

impl From<TypeSlot> for String {
    fn from(slot: TypeSlot) -> Self {
        format!("type_{}", slot.0)
    }
}

/// What a key asks for in the copy menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyAction {
    Copy(CopyItem),
    Close,
}

/// What a key asks for in the type picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerAction {
    Down,
    Up,
    First,
    Last,
    /// Chooses the type under the cursor, or unchooses it.
    Toggle,
    /// Toggles the type in this slot and moves the cursor to it.
    ToggleSlot(TypeSlot),
    /// Clears the choice: every type is shown.
    All,
    Apply,
    Cancel,
}

/// What a command key asks for on the search line (other characters are typed into it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchAction {
    Apply,
    Cancel,
    DeleteChar,
    Clear,
}

/// What a key asks for in the call list (`hookscope calls`, or no call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallsAction {
    Down,
    Up,
    First,
    Last,
    PageDown,
    PageUp,
    Open,
    EditPhone,
    EditStatus,
    EditAssistant,
    EditSince,
    ClearFilters,
    Reload,
    ToggleTime,
    Help,
    Quit,
}

/// What a key asks for while the help overlay is up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpAction {
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Close,
}

/// Where a fetch came from, so that the error can say what to do.
pub type LoadResult = Result<LoadedCall, LoadFailure>;

/// A failed load, already worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadFailure {
    pub message: String,
    pub hint: String,
    /// The process exit code `--print` gives this failure; quitting from its screen gives it too.
    pub exit_code: u8,
}

/// Something that arrives at the update function.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize {
        width: u16,
        height: u16,
    },
    /// Logs of fetch `request` decoded so far, and how much of the body is in: the first load
    /// shows rows while the body still arrives.
    Arriving {
        request: u64,
        decoded: Vec<Decoded>,
        progress: Progress,
    },
    /// The call's details of fetch `request`, in while its logs still arrive.
    CallFound {
        request: u64,
        call: Box<CallInfo>,
    },
    /// A fetch finished; `request` says which one, so a superseded fetch is ignored. After
    /// [`Msg::Arriving`], it carries the logs not sent yet.
    Loaded {
        request: u64,
        result: Box<LoadResult>,
        call_error: Option<String>,
    },
    /// A background text search finished.
    Searched {
        generation: u64,
        matches: Arc<Vec<bool>>,
    },
    /// The background search for `generation` died (a bug); the text filter is dropped.
    SearchFailed {
        generation: u64,
    },
    /// A chunk of highlighted lines for the document `doc`.
    Highlighted {
        doc: u64,
        first_line: usize,
        styles: Vec<LineStyles>,
    },
    /// A copy finished, or failed.
    Copied(crate::clipboard::CopyReport),
    /// An export finished, or background work failed: the status line says so.
    Done {
        message: String,
        ok: bool,
    },
    /// Time passed (only sent while something animates or a toast is up).
    Tick,
    /// Fetch `request` waits before trying again (a 429, a 503).
    Retrying {
        request: u64,
        wait: crate::api::RetryWait,
    },
    /// The follow timer of `generation` rang: time for the next poll.
    PollDue {
        generation: u64,
    },
    /// Poll `request` (while following) ended.
    Polled {
        request: u64,
        polled: Box<Polled>,
    },
    /// Stop, as `q` does: a signal that would end the process arrives as this.
    Quit,
    /// Text pasted into the terminal (bracketed paste), in one piece.
    Paste(String),
}

/// What a poll found.
#[derive(Debug)]
pub struct Polled {
    /// The logs when they changed since the data the poll compared with (`Ok(None)` when they
    /// did not), or why the poll failed.
    pub result: Result<Option<LoadedCall>, LoadFailure>,
    /// The call's details, fetched with the logs.
    pub call: Option<CallInfo>,
    pub call_error: Option<String>,
    /// How long a 429 asked to wait before the next request.
    pub retry_after: Option<std::time::Duration>,
}

/// How much of a body has arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub received: usize,
    /// The body's length, when the server said it.
    pub expected: Option<usize>,
}

/// Work `update` asks the app to do; it sends back a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Load the call; with `arriving`, send its logs as they are decoded ([`Msg::Arriving`]).
    Fetch {
        request: u64,
        arriving: bool,
    },
    /// Search every log for `query`, with times read as `time` shows them.
    Search {
        generation: u64,
        query: String,
        time: crate::model::time::TimeDisplay,
    },
    Highlight {
        doc: u64,
        lines: Arc<Vec<String>>,
        language: crate::highlight::Language,
    },
    Copy {
        text: String,
        what: String,
    },
    Export {
        logs: Vec<usize>,
    },
    /// Poll the call (while following), comparing with the data on screen: only new or changed
    /// entries are decoded. Answered by [`Msg::Polled`].
    Poll {
        request: u64,
    },
    /// Ring [`Msg::PollDue`] with `generation` after `after`, replacing any timer set before.
    SchedulePoll {
        generation: u64,
        after: std::time::Duration,
    },
    /// Drop the timer set by [`Effect::SchedulePoll`] (follow turned off or stopped).
    CancelPoll,
    /// Make the HTML and XML grammars ready (~150 ms of a core, ~24 MiB), once a call has such
    /// a body: most calls have none.
    WarmUpMarkup,
}
