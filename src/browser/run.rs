//! The call list's event loop, and how it hands the terminal to the explorer and takes it back.
//!
//! Design: the runner owns the [`Browser`] for the whole session. Enter builds a fresh explorer
//! [`App`] for the chosen call exactly as `hookscope <id>` does (the same [`State::new`], the
//! same [`Loader::Api`], so the same fetch effects) and runs it on the same terminal and the
//! same input stream until it quits or asks to go back ([`State::back_to_calls`]). Meanwhile
//! the browser is not touched at all: its scroll, selection, filters and loaded pages are there
//! when the user comes back, and a page reply that came in the meantime waits in the channel.
//! The explorer's code only learns one flag; it never knows about the list.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use super::{Browser, CallsEffect, CallsMsg, Deliveries};
use crate::action::{Action, Msg};
use crate::api::{ApiClient, CallRef};
use crate::app::{App, AppContext};
use crate::clipboard::ClipboardSink;
use crate::filter::Filter;
use crate::highlight::Highlighter;
use crate::load::Loader;
use crate::state::State;
use crate::ui::theme::Theme;

/// Makes the clipboard of each explorer opened from the list.
pub type ClipboardMaker = Arc<dyn Fn() -> Box<dyn ClipboardSink> + Send + Sync>;

/// What the call list and the explorers it opens work with, given by `main` (or a test).
pub struct CallsContext {
    pub client: ApiClient,
    pub server_type: Option<String>,
    /// The explorer's starting filter (`--type`, `--failed`… are refused with the list, so
    /// this is the default one unless a test says otherwise).
    pub filter: Filter,
    pub highlighter: Arc<Highlighter>,
    pub theme: Theme,
    pub clipboard: ClipboardMaker,
    pub export_dir: std::path::PathBuf,
    pub can_suspend: bool,
}

pub struct CallsApp {
    pub browser: Browser,
    context: CallsContext,
    tx: UnboundedSender<CallsMsg>,
    rx: UnboundedReceiver<CallsMsg>,
    /// Signals quit through here, whichever screen is up.
    signals_tx: UnboundedSender<Msg>,
    signals: UnboundedReceiver<Msg>,
    /// The page fetch in flight, aborted when the filters change or the app ends.
    fetching: Option<tokio::task::AbortHandle>,
    /// The exit code of the explorer the user quit from, if they quit from one.
    explorer_exit: Option<u8>,
}

impl CallsApp {
    #[must_use]
    pub fn new(browser: Browser, context: CallsContext) -> Self {
        let (tx, rx) = unbounded_channel();
        let (signals_tx, signals) = unbounded_channel();
        Self { browser, context, tx, rx, signals_tx, signals, fetching: None, explorer_exit: None }
    }

    /// A sender for the signals that quit (`Msg::Quit`), heard while the list or a call is up.
    #[must_use]
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.signals_tx.clone()
    }

    /// The process exit code: the explorer's if the user quit from one, else the list's.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        self.explorer_exit.unwrap_or_else(|| self.browser.exit_code())
    }

    /// Runs until the user quits (from the list or from a call) or the input ends.
    ///
    /// # Errors
    /// When drawing or reading the terminal fails.
    pub async fn run<B: Backend, S>(&mut self, terminal: &mut Terminal<B>, mut input: S) -> io::Result<()>
    where
        S: Stream<Item = io::Result<Event>> + Unpin,
        B::Error: Into<io::Error>,
    {
        let effects = self.browser.start();
        let mut open = self.perform(effects);
        let mut ticker = tokio::time::interval(Duration::from_millis(100));
        loop {
            if let Some(id) = open.take()
                && self.explore(id, terminal, &mut input).await?
            {
                break;
            }
            self.draw(terminal)?;
            let animating = self.browser.animating();
            let effects = tokio::select! {
                event = input.next() => match event {
                    Some(Ok(event)) => match self.translate(&event, terminal)? {
                        Some(msg) => self.browser.update(msg),
                        None => Vec::new(),
                    },
                    Some(Err(err)) => return Err(err),
                    None => break,
                },
                Some(msg) = self.rx.recv() => self.browser.update(msg),
                Some(_) = self.signals.recv() => {
                    self.browser.quitting = true;
                    Vec::new()
                }
                _ = ticker.tick(), if animating => self.browser.update(CallsMsg::Tick),
            };
            open = self.perform(effects);
            if self.browser.quitting {
                break;
            }
        }
        Ok(())
    }

    /// Runs the explorer on call `id` until it goes back (false) or quits (true).
    async fn explore<B: Backend, S>(&mut self, id: i64, terminal: &mut Terminal<B>, input: &mut S) -> io::Result<bool>
    where
        S: Stream<Item = io::Result<Event>> + Unpin,
        B::Error: Into<io::Error>,
    {
        let mut app = self.explorer(id);
        let signalled = tokio::select! {
            ran = app.run(terminal, &mut *input) => {
                ran?;
                false
            }
            Some(_) = self.signals.recv() => true,
        };
        // The input ending also ends the explorer's run: that is a quit, not a way back.
        let quit = signalled || app.state.quitting || !app.state.back_to_calls;
        if quit {
            self.explorer_exit = Some(app.state.exit_code());
            return Ok(true);
        }
        // Deliveries as the explorer's header counts them: retry chains, failed when the last
        // attempt failed.
        let chains = &app.state.chains;
        let deliveries = app.state.logs().map(|logs| Deliveries {
            total: chains.len(),
            failed: chains.all().iter().filter(|chain| !chain.delivered(logs)).count(),
        });
        let screen = app.state.screen;
        drop(app);
        self.browser.update(CallsMsg::Returned { id, deliveries });
        // The explorer may have seen a resize the list did not.
        let effects = self.browser.update(CallsMsg::Resize { width: screen.width, height: screen.height });
        let _ = self.perform(effects);
        Ok(false)
    }

    /// The explorer for call `id`, built as `main` builds it for `hookscope <id>`.
    fn explorer(&self, id: i64) -> App {
        let context = &self.context;
        let loader = Loader::Api {
            client: Box::new(context.client.clone()),
            call: CallRef::Id(id),
            server_type: context.server_type.clone(),
            with_details: true,
        };
        let mut state =
            State::new(loader.label(), context.filter.clone(), self.browser.keymap.clone(), self.browser.screen);
        state.redact = self.browser.redact;
        state.time = self.browser.time;
        state.from_calls = true;
        App::new(
            state,
            AppContext {
                loader: Arc::new(loader),
                highlighter: Arc::clone(&context.highlighter),
                theme: context.theme,
                clipboard: (context.clipboard)(),
                export_dir: context.export_dir.clone(),
                can_suspend: context.can_suspend,
            },
        )
    }

    fn draw<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> io::Result<()>
    where
        B::Error: Into<io::Error>,
    {
        let area = crate::terminal::drawn_area(terminal.size().map_err(Into::into)?);
        if area != terminal.get_frame().area() {
            terminal.resize(area).map_err(Into::into)?;
        }
        if area != self.browser.screen {
            let effects = self.browser.update(CallsMsg::Resize { width: area.width, height: area.height });
            let _ = self.perform(effects);
        }
        terminal
            .draw(|frame| crate::ui::browser::render(frame, &self.browser, &self.context.theme))
            .map_err(Into::into)?;
        Ok(())
    }

    fn translate<B: Backend>(&mut self, event: &Event, terminal: &mut Terminal<B>) -> io::Result<Option<CallsMsg>>
    where
        B::Error: Into<io::Error>,
    {
        Ok(match event {
            Event::Key(key)
                if self.context.can_suspend
                    && key.kind == KeyEventKind::Press
                    && self.browser.keymap.anywhere.action_for(key) == Some(Action::Suspend) =>
            {
                crate::terminal::suspend_and_repaint(terminal)?;
                None
            }
            Event::Key(key) => Some(CallsMsg::Key(*key)),
            &Event::Resize(width, height) => {
                let area = crate::terminal::follow_resize(terminal, width, height)?;
                Some(CallsMsg::Resize { width: area.width, height: area.height })
            }
            Event::Paste(text) => Some(CallsMsg::Paste(text.clone())),
            Event::Mouse(_) | Event::FocusGained | Event::FocusLost => None,
        })
    }

    /// Performs the effects; gives the call to open, if one is asked for.
    fn perform(&mut self, effects: Vec<CallsEffect>) -> Option<i64> {
        let mut open = None;
        for effect in effects {
            match effect {
                CallsEffect::FetchPage { request, query, skip, limit } => {
                    if let Some(superseded) = self.fetching.take() {
                        superseded.abort();
                    }
                    let client = self.context.client.clone();
                    let tx = self.tx.clone();
                    let fetch = tokio::spawn(async move {
                        let result =
                            client.list_calls(&query, skip, limit).await.map_err(|err| crate::load::api_failure(&err));
                        let _ = tx.send(CallsMsg::Page { request, result });
                    });
                    self.fetching = Some(fetch.abort_handle());
                }
                CallsEffect::Open { id } => open = Some(id),
            }
        }
        open
    }
}

impl Drop for CallsApp {
    fn drop(&mut self) {
        if let Some(fetch) = self.fetching.take() {
            fetch.abort();
        }
    }
}
