//! The event loop and the effects it performs. Input comes in as a stream (crossterm's
//! `EventStream` in production, a channel in tests); background work reports back on one
//! message channel, each reply tagged so that `update` can drop the ones it no longer wants.

mod arriving;
mod polling;

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossterm::event::{Event, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::action::{Action, Effect, Msg};
use crate::api::RetryHook;
use crate::clipboard::{COPY_TIMEOUT, ClipboardSink, ClipboardWorker};
use crate::export;
use crate::filter::TextSearch;
use crate::highlight::Highlighter;
use crate::load::Loader;
use crate::state::State;
use crate::ui::{self, theme::Theme};
use arriving::{ArrivingLogs, SharedArrivals};

/// Logs a text search checks between looks at whether a newer search has replaced it.
const SEARCH_CHUNK: usize = 4096;

/// What the app works with, given by `main` (or a test).
pub struct AppContext {
    pub loader: Arc<Loader>,
    pub highlighter: Arc<Highlighter>,
    pub theme: Theme,
    /// Kept for the whole session, on a thread of its own.
    pub clipboard: Box<dyn ClipboardSink>,
    /// Where exports are written; the current directory in production, a temp dir in tests.
    pub export_dir: std::path::PathBuf,
    /// Whether Ctrl-Z suspends the process (off in tests, which have no terminal to give back).
    pub can_suspend: bool,
}

pub struct App {
    pub state: State,
    loader: Arc<Loader>,
    highlighter: Arc<Highlighter>,
    theme: Theme,
    export_dir: std::path::PathBuf,
    can_suspend: bool,
    tx: UnboundedSender<Msg>,
    rx: UnboundedReceiver<Msg>,
    /// The document being highlighted; a running highlighter stops when this moves on.
    highlighting: Arc<AtomicU64>,
    /// The generation of the newest text search; older ones stop.
    searching: Arc<AtomicU64>,
    /// The fetch in flight, aborted when another one starts (`r` again): its reply would be
    /// dropped anyway, and it would hold a connection and decode a body for nothing.
    fetching: Option<tokio::task::AbortHandle>,
    /// Where the running fetch leaves the logs of a body still arriving, and its request.
    arrivals: Option<(u64, SharedArrivals)>,
    /// The timer that starts the next poll while following.
    poll_timer: Option<tokio::task::AbortHandle>,
    /// The entries of the logs on screen, for a poll to tell what changed.
    known: Arc<polling::KnownCache>,
    clipboard: ClipboardWorker,
}

impl App {
    #[must_use]
    pub fn new(state: State, context: AppContext) -> Self {
        let AppContext { loader, highlighter, theme, clipboard, export_dir, can_suspend } = context;
        let (tx, rx) = unbounded_channel();
        Self {
            state,
            loader,
            highlighter,
            theme,
            export_dir,
            can_suspend,
            tx,
            rx,
            highlighting: Arc::new(AtomicU64::new(0)),
            searching: Arc::new(AtomicU64::new(0)),
            fetching: None,
            arrivals: None,
            poll_timer: None,
            known: Arc::default(),
            clipboard: ClipboardWorker::start(clipboard, COPY_TIMEOUT),
        }
    }

    /// A sender for messages from outside (signals), which `run` handles like any other.
    #[must_use]
    pub fn sender(&self) -> UnboundedSender<Msg> {
        self.tx.clone()
    }

    /// Runs until the user quits or the input ends. Only terminal I/O errors end it early.
    ///
    /// # Errors
    /// When drawing or reading the terminal fails.
    pub async fn run<B: Backend, S>(&mut self, terminal: &mut Terminal<B>, mut input: S) -> io::Result<()>
    where
        S: Stream<Item = io::Result<Event>> + Unpin,
        B::Error: Into<io::Error>,
    {
        let effects = self.state.start();
        self.perform(effects);
        self.draw(terminal)?;
        let mut ticker = tokio::time::interval(Duration::from_millis(100));
        'events: loop {
            let animating = self.state.animating();
            tokio::select! {
                event = input.next() => {
                    let mut event = Some(event);
                    // Every event already in, in order, before the next frame: a burst of keys
                    // (a held key, a paste without bracketed paste) costs one frame, not one a key.
                    while let Some(next) = event {
                        match next {
                            Some(Ok(event)) => {
                                if let Some(msg) = self.translate(&event, terminal)? {
                                    self.handle(msg);
                                }
                            }
                            Some(Err(err)) => return Err(err),
                            None => break 'events,
                        }
                        if self.state.stopping() {
                            break;
                        }
                        event = ready_now(&mut input).await;
                    }
                }
                Some(msg) = self.rx.recv() => self.handle(msg),
                () = ring(self.arrivals.as_ref()) => {}
                _ = ticker.tick(), if animating => self.handle(Msg::Tick),
            }
            // Handle everything else already waiting before drawing once.
            while let Ok(msg) = self.rx.try_recv() {
                self.handle(msg);
            }
            self.take_arrivals();
            if self.state.stopping() {
                break;
            }
            self.draw(terminal)?;
        }
        self.highlighting.store(u64::MAX, Ordering::SeqCst);
        self.searching.store(u64::MAX, Ordering::SeqCst);
        Ok(())
    }

    fn draw<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> io::Result<()>
    where
        B::Error: Into<io::Error>,
    {
        // The viewport is fixed (clamped to what can be shown), so ratatui does not follow the
        // terminal's size itself: a resize whose event never came (one before the event source
        // started) would leave frames drawn for the old size. Check it each frame, as ratatui's
        // own autoresize does.
        let area = crate::terminal::drawn_area(terminal.size().map_err(Into::into)?);
        if area != terminal.get_frame().area() {
            terminal.resize(area).map_err(Into::into)?;
            self.handle(Msg::Resize { width: area.width, height: area.height });
        }
        terminal.draw(|frame| ui::render(frame, &self.state, &self.theme)).map_err(Into::into)?;
        Ok(())
    }

    /// Turns a terminal event into a message; the suspend key (Ctrl-Z, in the keymap's table of
    /// keys that work anywhere) is handled here since it is terminal I/O.
    fn translate<B: Backend>(&mut self, event: &Event, terminal: &mut Terminal<B>) -> io::Result<Option<Msg>>
    where
        B::Error: Into<io::Error>,
    {
        Ok(match event {
            Event::Key(key)
                if self.can_suspend
                    && key.kind == KeyEventKind::Press
                    && self.state.keymap.anywhere.action_for(key) == Some(Action::Suspend) =>
            {
                crate::terminal::suspend_and_repaint(terminal)?;
                None
            }
            Event::Key(key) => Some(Msg::Key(*key)),
            Event::Mouse(mouse) => Some(Msg::Mouse(*mouse)),
            &Event::Resize(width, height) => {
                let area = crate::terminal::follow_resize(terminal, width, height)?;
                Some(Msg::Resize { width: area.width, height: area.height })
            }
            Event::Paste(text) => Some(Msg::Paste(text.clone())),
            Event::FocusGained | Event::FocusLost => None,
        })
    }

    fn handle(&mut self, msg: Msg) {
        if let Msg::Loaded { request, .. } = &msg
            && self.arrivals.as_ref().is_some_and(|(arriving, _)| arriving == request)
        {
            // Everything the screen had not taken comes with this message.
            self.arrivals = None;
        }
        let effects = self.state.update(msg);
        self.perform(effects);
    }

    /// Hands the logs that arrived since the last frame to the state.
    fn take_arrivals(&mut self) {
        let Some((request, shared)) = &self.arrivals else { return };
        let request = *request;
        let arrived = arriving::take(shared);
        if let Some(progress) = arrived.progress {
            self.handle(Msg::Arriving { request, decoded: arrived.decoded, progress });
        }
        if let Some(call) = arrived.call {
            self.handle(Msg::CallFound { request, call: Box::new(call) });
        }
    }

    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Fetch { request, arriving } => {
                    if let Some(superseded) = self.fetching.take() {
                        superseded.abort();
                    }
                    let shared = arriving.then(SharedArrivals::default);
                    self.arrivals = shared.clone().map(|shared| (request, shared));
                    let loader = Arc::clone(&self.loader);
                    let tx = self.tx.clone();
                    let waits = self.tx.clone();
                    let retry: RetryHook = Arc::new(move |wait| {
                        let _ = waits.send(Msg::Retrying { request, wait });
                    });
                    let fetch = tokio::spawn(async move {
                        let sink = ArrivingLogs::new(shared, Some(retry));
                        let (sink, ending) = loader.load_into(sink).await;
                        let whole = ending.conclude(sink.into_rest());
                        let _ = tx.send(Msg::Loaded {
                            request,
                            result: Box::new(whole.result),
                            call_error: whole.call_error,
                        });
                    });
                    self.fetching = Some(fetch.abort_handle());
                }
                Effect::Poll { .. } | Effect::SchedulePoll { .. } | Effect::CancelPoll => self.perform_poll(&effect),
                Effect::Search { generation, query, time } => {
                    let Some(data) = self.state.data.clone() else { continue };
                    let tx = self.tx.clone();
                    let failed = Msg::SearchFailed { generation };
                    // Typing starts a search a key: one a newer search supersedes stops early.
                    self.searching.store(generation, Ordering::SeqCst);
                    let current = Arc::clone(&self.searching);
                    spawn_reporting(&self.tx, failed, move || {
                        let search = TextSearch::new(&query).map(|search| search.with_times(time));
                        let mut matches = Vec::with_capacity(data.logs.logs.len());
                        for chunk in data.logs.logs.chunks(SEARCH_CHUNK) {
                            if current.load(Ordering::SeqCst) != generation {
                                return;
                            }
                            matches.extend(chunk.iter().map(|log| search.as_ref().is_none_or(|s| s.matches(log))));
                        }
                        let _ = tx.send(Msg::Searched { generation, matches: Arc::new(matches) });
                    });
                }
                Effect::WarmUpMarkup => {
                    let highlighter = Arc::clone(&self.highlighter);
                    tokio::task::spawn_blocking(move || highlighter.warm_up());
                }
                Effect::Highlight { doc, lines, language } => {
                    self.highlighting.store(doc, Ordering::SeqCst);
                    let current = Arc::clone(&self.highlighting);
                    let highlighter = Arc::clone(&self.highlighter);
                    let tx = self.tx.clone();
                    let failed = Msg::Done {
                        message: "highlighting failed unexpectedly (a bug: please report it)".into(),
                        ok: false,
                    };
                    spawn_reporting(&self.tx, failed, move || {
                        crate::highlight::highlight_in_chunks(
                            &highlighter,
                            language,
                            &lines,
                            || current.load(Ordering::Relaxed) != doc,
                            |first_line, styles| {
                                let _ = tx.send(Msg::Highlighted { doc, first_line, styles });
                            },
                        );
                    });
                }
                Effect::Copy { text, what } => {
                    let report = self.clipboard.copy(text, what);
                    let tx = self.tx.clone();
                    tokio::spawn(async move {
                        let _ = tx.send(Msg::Copied(report.await));
                    });
                }
                Effect::Export { logs } => {
                    let Some(data) = self.state.data.clone() else { continue };
                    let dir = self.export_dir.clone();
                    let redact = self.state.redact;
                    let tx = self.tx.clone();
                    let failed =
                        Msg::Done { message: "export failed unexpectedly (a bug: please report it)".into(), ok: false };
                    spawn_reporting(&self.tx, failed, move || {
                        let message = export_case_file(&data, &logs, &dir, redact);
                        let _ = tx.send(match message {
                            Ok(text) => Msg::Done { message: text, ok: true },
                            Err(text) => Msg::Done { message: text, ok: false },
                        });
                    });
                }
            }
        }
    }
}

impl Drop for App {
    /// Quitting never waits for a fetch: one waiting out a `Retry-After`, or reading a big body,
    /// stops here.
    fn drop(&mut self) {
        if let Some(fetch) = self.fetching.take() {
            fetch.abort();
        }
        self.cancel_poll_timer();
    }
}

fn export_case_file(
    data: &crate::case_file::LoadedCall,
    logs: &[usize],
    dir: &std::path::Path,
    redact: bool,
) -> Result<String, String> {
    let chosen: Vec<&crate::model::WebhookLog> = logs.iter().map(|&i| &data.logs.logs[i]).collect();
    let mut contents = export::case_file(data.call.as_ref(), &chosen, jiff::Timestamp::now());
    contents = if redact {
        crate::redact::redact_json(&contents)
    } else {
        // Logs a server echoed the key into must not carry it into a file meant to be shared.
        crate::key_scrub::scrub(&contents).into_owned()
    };
    let call_id = data.call.as_ref().and_then(|call| call.id).or_else(|| chosen.first().and_then(|log| log.call_id));
    match export::write_case_file(dir, call_id, &contents) {
        Ok(path) => Ok(format!(
            "exported {} log(s){} to {}",
            chosen.len(),
            if redact { ", redacted," } else { "" },
            crate::sanitize::short(&path.display().to_string())
        )),
        Err(err) => Err(format!(
            "export failed: cannot write a case file in {}: {err}",
            crate::sanitize::short(&dir.display().to_string())
        )),
    }
}

/// The stream's next item if it is already there, without waiting. Polled with the task's own
/// waker, not a no-op one: crossterm's stream parks that waker with its reader thread when
/// nothing is in, and a no-op waker there would leave the loop deaf to the next key.
async fn ready_now<S: Stream + Unpin>(input: &mut S) -> Option<Option<S::Item>> {
    std::future::poll_fn(|cx| {
        std::task::Poll::Ready(match input.poll_next_unpin(cx) {
            std::task::Poll::Ready(item) => Some(item),
            std::task::Poll::Pending => None,
        })
    })
    .await
}

/// Waits for the running fetch's sink to leave logs for the screen; forever when nothing arrives.
async fn ring(arrivals: Option<&(u64, SharedArrivals)>) {
    match arrivals {
        Some((_, shared)) => shared.bell.notified().await,
        None => std::future::pending().await,
    }
}

/// Runs blocking work off the UI thread; a panic in it becomes a status-line message instead of
/// a dead task nobody hears about.
fn spawn_reporting(tx: &UnboundedSender<Msg>, on_panic: Msg, work: impl FnOnce() + Send + 'static) {
    let tx = tx.clone();
    tokio::spawn(async move {
        if tokio::task::spawn_blocking(work).await.is_err() {
            let _ = tx.send(on_panic);
        }
    });
}
