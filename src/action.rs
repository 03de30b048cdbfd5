//! What can happen to the explorer: actions a key asks for, messages that arrive, and effects
//! that `State::update` asks the app to perform.

use std::sync::Arc;

use crossterm::event::{KeyEvent, MouseEvent};

use crate::case_file::LoadedCall;
use crate::highlight::LineStyles;

/// A user intent, named in the keymap and listed by the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
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
    TypePicker,
    ToggleTypeNumber(u8),
    CycleStatus,
    Search,
    NextMatch,
    PrevMatch,
    ClearFilters,
    Refresh,
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
    CopyMenu,
    CopyPayload,
    ToggleRedact,
    Export,
}

impl Action {
    /// The name used in the `[keys]` table of the config file.
    #[must_use]
    pub fn config_name(self) -> String {
        match self {
            Self::ToggleTypeNumber(n) => format!("type_{n}"),
            other => {
                let debug = format!("{other:?}");
                let mut name = String::new();
                for (i, c) in debug.chars().enumerate() {
                    if c.is_ascii_uppercase() && i > 0 {
                        name.push('_');
                    }
                    name.push(c.to_ascii_lowercase());
                }
                name
            }
        }
    }
}

/// Where a fetch came from, so that the error can say what to do.
pub type LoadResult = Result<LoadedCall, LoadFailure>;

/// A failed load, already worded for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadFailure {
    pub message: String,
    pub hint: String,
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
    /// A fetch finished; `request` says which one, so a superseded fetch is ignored.
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
    /// Stop, as `q` does: SIGTERM and SIGHUP arrive as this.
    Quit,
}

/// Work `update` asks the app to do; it sends back a [`Msg`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Fetch { request: u64 },
    Search { generation: u64, query: String },
    Highlight { doc: u64, lines: Arc<Vec<String>>, language: crate::highlight::Language },
    Copy { text: String, what: String },
    Export { logs: Vec<usize> },
}
