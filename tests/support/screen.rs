//! Runs the real `App` against a test terminal: keys go in through a channel, and every frame
//! it draws is published so a test can wait for what it expects to see.

#![allow(dead_code, reason = "each test file uses a different part of this harness")]

#[path = "buffer_text.rs"]
mod buffer_text;

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::Event;
use futures::channel::mpsc::{UnboundedSender, unbounded};
use hookscope::app::{App, AppContext};
use hookscope::clipboard::{ClipboardError, ClipboardSink, CopiedVia};
use hookscope::filter::Filter;
use hookscope::highlight::{ColorSupport, Highlighter, ThemeChoice};
use hookscope::keymap::Keymap;
use hookscope::load::Loader;
use hookscope::state::State;
use hookscope::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use tokio::sync::watch;

#[path = "keys.rs"]
mod keys;

/// A `TestBackend` that publishes the screen as text after every frame.
pub struct WatchedBackend {
    inner: TestBackend,
    frames: watch::Sender<String>,
}

impl WatchedBackend {
    fn publish(&self) {
        self.frames.send_replace(buffer_text::buffer_text(self.inner.buffer()));
    }
}

fn never<T>(result: Result<T, core::convert::Infallible>) -> io::Result<T> {
    result.map_err(|never| match never {})
}

impl Backend for WatchedBackend {
    type Error = io::Error;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, content: I) -> io::Result<()> {
        never(self.inner.draw(content))
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        never(self.inner.hide_cursor())
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        never(self.inner.show_cursor())
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        never(self.inner.get_cursor_position())
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        never(self.inner.set_cursor_position(position))
    }
    fn clear(&mut self) -> io::Result<()> {
        never(self.inner.clear())
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        never(self.inner.clear_region(clear_type))
    }
    fn size(&self) -> io::Result<Size> {
        never(self.inner.size())
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        never(self.inner.window_size())
    }
    fn flush(&mut self) -> io::Result<()> {
        never(self.inner.flush())?;
        self.publish();
        Ok(())
    }
}

/// Everything copied, in order.
#[derive(Clone, Default)]
pub struct RecordingClipboard(pub Arc<std::sync::Mutex<Vec<String>>>);

impl ClipboardSink for RecordingClipboard {
    fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
        self.0.lock().unwrap().push(text.to_owned());
        Ok(CopiedVia::Osc52 { warn_large: false })
    }
}

/// A running explorer: type into it, wait for the screen, and collect how it ended.
pub struct Running {
    keys: UnboundedSender<io::Result<Event>>,
    frames: watch::Receiver<String>,
    pub clipboard: RecordingClipboard,
    pub done: tokio::task::JoinHandle<io::Result<()>>,
    pub export_dir: tempfile::TempDir,
}

pub fn start(loader: Loader, filter: Filter, width: u16, height: u16) -> Running {
    start_with(loader, filter, width, height, |_| {})
}

/// [`start`], the state set up by `configure` first (as `main` does from flags).
pub fn start_with(
    loader: Loader,
    filter: Filter,
    width: u16,
    height: u16,
    configure: impl FnOnce(&mut State),
) -> Running {
    let (frames_tx, frames) = watch::channel(String::new());
    let backend = WatchedBackend { inner: TestBackend::new(width, height), frames: frames_tx };
    let (keys, input) = unbounded();
    let clipboard = RecordingClipboard::default();
    let export_dir = tempfile::tempdir().unwrap();
    let mut state = State::new(loader.label(), filter, Keymap::default(), Rect::new(0, 0, width, height));
    configure(&mut state);
    let context = AppContext {
        loader: Arc::new(loader),
        highlighter: Arc::new(Highlighter::new(ThemeChoice::Dark, ColorSupport::None)),
        theme: Theme::new(hookscope::cli::Theme::Dark, false),
        clipboard: Box::new(clipboard.clone()),
        export_dir: export_dir.path().to_owned(),
        can_suspend: false,
    };
    let done = tokio::spawn(async move {
        let mut terminal = Terminal::new(backend)?;
        let mut app = App::new(state, context);
        app.run(&mut terminal, input).await
    });
    Running { keys, frames, clipboard, done, export_dir }
}

/// Runs the call list (`hookscope calls`) with the API client `client`, as `main` does.
pub fn start_calls(client: hookscope::api::ApiClient, width: u16, height: u16) -> Running {
    use hookscope::browser::Browser;
    use hookscope::browser::run::{CallsApp, CallsContext};
    let (frames_tx, frames) = watch::channel(String::new());
    let backend = WatchedBackend { inner: TestBackend::new(width, height), frames: frames_tx };
    let (keys, input) = unbounded();
    let clipboard = RecordingClipboard::default();
    let export_dir = tempfile::tempdir().unwrap();
    let browser = Browser::new(
        hookscope::calls_query::CallQuery::default(),
        None,
        Keymap::default(),
        Rect::new(0, 0, width, height),
    );
    let copies = clipboard.clone();
    let context = CallsContext {
        client,
        server_type: None,
        filter: Filter::default(),
        highlighter: Arc::new(Highlighter::new(ThemeChoice::Dark, ColorSupport::None)),
        theme: Theme::new(hookscope::cli::Theme::Dark, false),
        clipboard: Arc::new(move || Box::new(copies.clone())),
        export_dir: export_dir.path().to_owned(),
        can_suspend: false,
    };
    let done = tokio::spawn(async move {
        let mut terminal = Terminal::new(backend)?;
        let mut app = CallsApp::new(browser, context);
        app.run(&mut terminal, input).await
    });
    Running { keys, frames, clipboard, done, export_dir }
}

impl Running {
    pub fn press(&self, keys: &str) {
        for c in keys.chars() {
            self.keys.unbounded_send(Ok(Event::Key(keys::key_event(c)))).unwrap();
        }
    }

    /// Waits until a frame satisfies `condition`, or fails with the last frame seen.
    pub async fn wait_for(&mut self, what: &str, condition: impl Fn(&str) -> bool) -> String {
        let found = {
            let wait = self.frames.wait_for(|screen| condition(screen));
            match tokio::time::timeout(Duration::from_secs(10), wait).await {
                Ok(Ok(screen)) => Some(screen.clone()),
                _ => None,
            }
        };
        found.unwrap_or_else(|| panic!("timed out waiting for {what}; the screen was:\n{}", *self.frames.borrow()))
    }

    pub async fn wait_for_text(&mut self, text: &str) -> String {
        let wanted = text.to_owned();
        self.wait_for(text, move |screen| screen.contains(&wanted)).await
    }

    /// Waits for the app to stop by itself (after `q`).
    pub async fn finished(self) -> io::Result<()> {
        tokio::time::timeout(Duration::from_secs(10), self.done)
            .await
            .expect("the app quits")
            .expect("the app task ends")
    }
}
