//! Taking over the terminal and always giving it back: on quit, on error, on a panic, on
//! every catchable signal that would end the process, and around Ctrl-Z.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Mutex, OnceLock};
use std::thread::ThreadId;

use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};
use futures::Stream;
use ratatui::backend::Backend as _;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::layout::Size;
use ratatui::{Terminal, TerminalOptions, Viewport};
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
/// the app for its size with `start` (which also gives the input it will read), makes every
/// catchable signal that would end the process quit it instead ([`stopped_by_signal`] says which),
/// and gives the terminal back however the run ends (quit, error or panic), then says on stderr
/// what background threads panicked with. The tests that prove a panic leaves the terminal usable
/// run their explorer through here too. Returns the exit code the explorer ended with
/// ([`crate::state::State::exit_code`]).
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
    on_terminal(runtime, async |terminal, area, signals| {
        let (mut app, input) = start(area).await?;
        quit_on_signals(signals, app.sender());
        app.run(terminal, input).await?;
        Ok(app.state.exit_code())
    })
}

/// Runs the call list on this process's terminal as [`run_explorer`] runs an explorer (the
/// same terminal handling, signals and panic reporting). Returns the exit code the session ended
/// with ([`crate::browser::run::CallsApp::exit_code`]).
///
/// # Errors
/// When the terminal cannot be taken, drawn on or read, or `start` fails.
pub fn run_calls<S>(
    runtime: &tokio::runtime::Runtime,
    start: impl AsyncFnOnce(Rect) -> io::Result<(crate::browser::run::CallsApp, S)>,
) -> io::Result<u8>
where
    S: Stream<Item = io::Result<Event>> + Unpin,
{
    on_terminal(runtime, async |terminal, area, signals| {
        let (mut app, input) = start(area).await?;
        quit_on_signals(signals, app.sender());
        app.run(terminal, input).await?;
        Ok(app.exit_code())
    })
}

/// The terminal as the explorer and the call list take it: the panic hook installed, the
/// quitting signals caught before the terminal is taken (so none of them can end the process
/// with the terminal still raw; one that comes while the app starts is heard once it runs), a
/// fixed viewport of the clamped size (so the frame's buffers follow the size the app gives on
/// each resize rather than whatever the terminal reports), and the terminal given back however
/// `run` ends, then the background threads' panics said on stderr.
fn on_terminal(
    runtime: &tokio::runtime::Runtime,
    run: impl AsyncFnOnce(&mut Terminal<CrosstermBackend<io::Stdout>>, Rect, CaughtSignals) -> io::Result<u8>,
) -> io::Result<u8> {
    let result = runtime.block_on(async move {
        install_panic_hook();
        let signals = catch_quitting_signals();
        enter()?;
        let backend = CrosstermBackend::new(io::stdout());
        let area = drawn_area(backend.size()?);
        let mut terminal = Terminal::with_options(backend, TerminalOptions { viewport: Viewport::Fixed(area) })?;
        run(&mut terminal, area, signals).await
    });
    restore();
    for panic in take_deferred_panics() {
        eprintln!("hookscope: {}", crate::sanitize::lines(&panic).join("\n"));
    }
    result
}

/// Ctrl-Z: suspends the process with the terminal given back, then, on `fg`, takes it again
/// and makes the next draw repaint everything. Resizing to the current size clears the screen
/// and forgets the last frame (`Terminal::clear` would query the cursor position, which races
/// with the event stream reading the same input).
///
/// # Errors
/// When the terminal cannot be given back, taken again or measured.
pub fn suspend_and_repaint<B: ratatui::backend::Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Into<io::Error>,
{
    suspend()?;
    let size = terminal.size().map_err(Into::into)?;
    terminal.resize(drawn_area(size)).map_err(Into::into)
}

/// A resize event: the frame follows the terminal's new size, up to [`MAX_DRAWN`]; the area
/// drawn is what the app is told.
///
/// # Errors
/// When the terminal cannot be cleared for the new size.
pub fn follow_resize<B: ratatui::backend::Backend>(
    terminal: &mut Terminal<B>,
    width: u16,
    height: u16,
) -> io::Result<Rect>
where
    B::Error: Into<io::Error>,
{
    let area = drawn_area(Size { width, height });
    terminal.resize(area).map_err(Into::into)?;
    Ok(area)
}

/// The most columns and rows drawn. A frame costs memory for every cell of the screen, twice,
/// and a terminal (or a hostile pty) may report up to 65535x65535 (a 200 GB frame): what lies
/// beyond this is left blank. 1,000 x 500 is more than a 8K display shows in a legible font.
pub const MAX_DRAWN: Size = Size { width: 1000, height: 500 };

/// The part of a terminal of `size` that the explorer draws on: all of it, up to [`MAX_DRAWN`].
#[must_use]
pub fn drawn_area(size: Size) -> Rect {
    Rect::new(0, 0, size.width.min(MAX_DRAWN.width), size.height.min(MAX_DRAWN.height))
}

/// The signals whose default action ends the process and that can be caught. Each quits the
/// explorer like `q`, so the terminal is restored, and the process then exits as the signal
/// would have had it (`128 + n`: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
#[cfg(unix)]
const QUITTING_SIGNALS: [i32; 12] = {
    use signal_hook::consts::{
        SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
    };
    [SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGIO]
};

/// The signal that ended the explorer, if one did.
static STOPPED_BY: AtomicI32 = AtomicI32::new(0);

/// The signal that made the explorer quit, for the exit code (`128 + n`).
#[must_use]
pub fn stopped_by_signal() -> Option<i32> {
    Some(STOPPED_BY.load(Ordering::SeqCst)).filter(|&signal| signal != 0)
}

#[cfg(unix)]
type CaughtSignals = Vec<(i32, tokio::signal::unix::Signal)>;
#[cfg(not(unix))]
type CaughtSignals = ();

/// Replaces the default action of [`QUITTING_SIGNALS`] (ending the process at once) with a
/// stream each, for the life of the process.
fn catch_quitting_signals() -> CaughtSignals {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        QUITTING_SIGNALS
            .into_iter()
            .filter_map(|number| signal(SignalKind::from_raw(number)).ok().map(|stream| (number, stream)))
            .collect()
    }
}

/// The first of `signals` to arrive quits the app and is kept for the exit code.
fn quit_on_signals(signals: CaughtSignals, tx: UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        if signals.is_empty() {
            return;
        }
        let arrivals = signals.into_iter().map(|(number, mut stream)| {
            Box::pin(async move {
                stream.recv().await;
                number
            })
        });
        let (number, _, _) = futures::future::select_all(arrivals).await;
        STOPPED_BY.store(number, Ordering::SeqCst);
        let _ = tx.send(Msg::Quit);
    });
    #[cfg(not(unix))]
    drop((signals, tx));
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
