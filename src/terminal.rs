//! Taking over the terminal and always giving it back: on quit, on error, on a panic, on
//! SIGTERM/SIGHUP, and around Ctrl-Z.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use futures::Stream;
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedSender;

use crate::action::Msg;
use crate::app::App;

/// Whether the terminal is in the explorer's mode right now.
static ACTIVE: AtomicBool = AtomicBool::new(false);
/// The thread that draws: only a panic there ends the explorer.
static UI_THREAD: OnceLock<ThreadId> = OnceLock::new();
/// Panics of background threads, said on stderr once the terminal is back.
static DEFERRED_PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Runs an explorer on this process's terminal, as the binary does: takes the terminal, builds
/// the app for its size with `start` (which also gives the input it will read), makes SIGTERM
/// and SIGHUP quit it, and gives the terminal back however the run ends (quit, error or panic),
/// then says on stderr what background threads panicked with. The tests that prove a panic
/// leaves the terminal usable run their explorer through here too. Returns the exit code the
/// explorer ended with ([`crate::state::State::exit_code`]).
///
/// # Errors
/// When the terminal cannot be taken, drawn on or read, or `start` fails.
pub fn run_explorer<S>(
    runtime: &tokio::runtime::Runtime,
    start: impl AsyncFnOnce(Rect) -> io::Result<(App, S)>,
) -> io::Result<u8>
where
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    let result = runtime.block_on(async move {
        install_panic_hook();
        enter()?;
        let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
        let size = terminal.size()?;
        let (mut app, input) = start(Rect::new(0, 0, size.width, size.height)).await?;
        quit_on_signals(app.sender());
        app.run(&mut terminal, input).await?;
        Ok(app.state.exit_code())
    });
    restore();
    for panic in take_deferred_panics() {
        eprintln!("hookscope: {}", crate::sanitize::lines(&panic).join("\n"));
    }
    result
}

/// SIGTERM and SIGHUP quit like `q`, so the terminal is restored on the way out.
fn quit_on_signals(tx: UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
        }
        let _ = tx.send(Msg::Quit);
    });
    #[cfg(not(unix))]
    drop(tx);
}

/// Raw mode, the alternate screen, mouse reporting and bracketed paste.
///
/// # Errors
/// When the terminal refuses (not a terminal).
pub fn enter() -> io::Result<()> {
    let _ = UI_THREAD.set(std::thread::current().id());
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture, EnableBracketedPaste, cursor::Hide)
}

/// Undoes [`enter`]; safe to call more than once and from a panic hook.
pub fn restore() {
    if ACTIVE.swap(false, Ordering::SeqCst) {
        let _ = execute!(io::stdout(), DisableBracketedPaste, DisableMouseCapture, LeaveAlternateScreen, cursor::Show);
        let _ = disable_raw_mode();
        let _ = io::stdout().flush();
    }
}

/// Background panics that were held back while the explorer had the screen.
#[must_use]
fn take_deferred_panics() -> Vec<String> {
    DEFERRED_PANICS.lock().map(|mut panics| std::mem::take(&mut *panics)).unwrap_or_default()
}

/// A panic on the UI thread restores the terminal before the message prints, so it is readable
/// and the shell is usable. A panic on a background thread must not tear down the screen under
/// a running explorer (nor scribble on it): its message is kept for later and the task's owner
/// reports the failure in the status line.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let on_ui_thread = UI_THREAD.get().is_none_or(|id| *id == std::thread::current().id());
        if ACTIVE.load(Ordering::SeqCst) && !on_ui_thread {
            let message = format!("background task panicked: {info}");
            if let Ok(mut panics) = DEFERRED_PANICS.lock() {
                panics.push(message);
            }
            return;
        }
        restore();
        previous(info);
    }));
}

/// Ctrl-Z: give the terminal back, stop like any job, and take it again on `fg`.
///
/// # Errors
/// When the terminal cannot be re-entered.
#[cfg(unix)]
pub fn suspend() -> io::Result<()> {
    restore();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    // Execution continues here after SIGCONT.
    enter()
}

#[cfg(not(unix))]
pub fn suspend() -> io::Result<()> {
    Ok(())
}
