//! The clipboard on its own thread for the whole session: arboard's X11 contents vanish when its
//! handle is dropped, and a hung clipboard owner or command must never freeze the UI. Every copy
//! is answered with a [`CopyReport`], within a time limit whatever the sink does.

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use tokio::sync::oneshot;

use super::{ClipboardError, ClipboardSink, CopiedVia};

/// How long a copy may take before the status line gives up on it.
pub const COPY_TIMEOUT: Duration = Duration::from_secs(3);

/// Said after a copy whose OSC 52 sequence is over [`super::OSC52_SAFE_BASE64_BYTES`].
const LARGE_WARNING: &str = " — over 75 KB: some terminals keep only part of it";

/// What came of one copy: what was copied, how big it was, and how it went out or why not.
#[derive(Debug)]
pub struct CopyReport {
    /// "payload", "curl command (redacted)", …
    pub what: String,
    pub bytes: usize,
    pub result: Result<CopiedVia, ClipboardError>,
}

impl CopyReport {
    /// The status line's words for this copy, the one place they are made: where the text
    /// went, and nothing more than is known.
    #[must_use]
    pub fn toast(&self) -> String {
        let (what, size) = (&self.what, crate::units::size(self.bytes));
        let large = |warn: bool| if warn { LARGE_WARNING } else { "" };
        match &self.result {
            Ok(CopiedVia::System) => format!("✓ copied {what} ({size}) to the system clipboard"),
            Ok(CopiedVia::Osc52 { warn_large: false }) => {
                format!("✓ copied {what} ({size}) via OSC 52 (terminal clipboard)")
            }
            Ok(CopiedVia::Osc52 { warn_large: true }) => format!("✓ copied {what} ({size}) via OSC 52{LARGE_WARNING}"),
            Ok(CopiedVia::Command(command)) => {
                format!("✓ copied {what} ({size}) with `{}`", crate::sanitize::short(command))
            }
            Ok(CopiedVia::Tmux { warn_large }) => {
                format!("✓ copied {what} ({size}) to tmux buffer + your terminal's clipboard{}", large(*warn_large))
            }
            Ok(CopiedVia::TmuxBufferAndPassthrough { refused, warn_large }) => format!(
                "✓ copied {what} ({size}) to tmux buffer + your terminal's clipboard via OSC 52 passthrough \
                 (this tmux refused `load-buffer -w`: {}){}",
                crate::sanitize::short(refused),
                large(*warn_large)
            ),
            Ok(CopiedVia::Passthrough { why, warn_large }) => format!(
                "⚠ {what} ({size}) sent as OSC 52 through tmux, which drops it unless `allow-passthrough` is on: \
                 tmux itself did not take it ({}){}",
                crate::sanitize::short(why),
                large(*warn_large)
            ),
            Err(err) => format!("✗ copy failed: {err}"),
        }
    }

    /// Whether the text is known to have reached a clipboard: a passthrough tmux may drop
    /// is not.
    #[must_use]
    pub fn landed(&self) -> bool {
        matches!(&self.result, Ok(via) if !matches!(via, CopiedVia::Passthrough { .. }))
    }
}

struct Job {
    text: String,
    reply: oneshot::Sender<Result<CopiedVia, ClipboardError>>,
}

/// Owns the session's sink on a thread of its own and copies one text at a time.
pub struct ClipboardWorker {
    jobs: mpsc::Sender<Job>,
    timeout: Duration,
}

impl ClipboardWorker {
    /// Moves `sink` to a new thread; a copy that takes longer than `timeout` is reported as
    /// unanswered (the thread may still finish it later).
    #[must_use]
    pub fn start(mut sink: Box<dyn ClipboardSink>, timeout: Duration) -> Self {
        let (jobs, receiver) = mpsc::channel::<Job>();
        std::thread::spawn(move || {
            for job in receiver {
                let _ = job.reply.send(sink.copy(&job.text));
            }
        });
        Self { jobs, timeout }
    }

    /// Hands `text` to the thread; the returned future owns everything it needs, so it can be
    /// spawned, and ends with the report.
    pub fn copy(&self, text: String, what: String) -> impl Future<Output = CopyReport> + Send + 'static {
        let bytes = text.len();
        let (reply, answer) = oneshot::channel();
        // Fails only when the thread is gone (its sink panicked on an earlier copy).
        let sent = self.jobs.send(Job { text, reply });
        let timeout = self.timeout;
        async move {
            let result = match sent {
                Err(_) => Err(ClipboardError::Stopped),
                Ok(()) => match tokio::time::timeout(timeout, answer).await {
                    Ok(Ok(result)) => result,
                    // The thread dropped the reply: the sink panicked on this copy.
                    Ok(Err(_)) => Err(ClipboardError::Stopped),
                    Err(_) => Err(ClipboardError::NoAnswer { timeout }),
                },
            };
            CopyReport { what, bytes, result }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// Answers each copy with the next of `answers`, recording the texts.
    struct Scripted {
        copied: Arc<Mutex<Vec<String>>>,
        answers: Vec<Result<CopiedVia, ClipboardError>>,
    }

    impl ClipboardSink for Scripted {
        fn copy(&mut self, text: &str) -> Result<CopiedVia, ClipboardError> {
            self.copied.lock().unwrap().push(text.to_owned());
            self.answers.remove(0)
        }
    }

    struct Panicking;

    impl ClipboardSink for Panicking {
        fn copy(&mut self, _: &str) -> Result<CopiedVia, ClipboardError> {
            panic!("a sink with a bug");
        }
    }

    struct Hanging;

    impl ClipboardSink for Hanging {
        fn copy(&mut self, _: &str) -> Result<CopiedVia, ClipboardError> {
            std::thread::sleep(Duration::from_secs(2));
            Ok(CopiedVia::System)
        }
    }

    #[tokio::test]
    async fn each_copy_is_answered_with_what_and_how_much() {
        let copied = Arc::new(Mutex::new(Vec::new()));
        let answers = vec![Ok(CopiedVia::System), Err(ClipboardError::System("no owner".into()))];
        let worker = ClipboardWorker::start(Box::new(Scripted { copied: Arc::clone(&copied), answers }), COPY_TIMEOUT);
        let first = worker.copy("{}".into(), "payload".into()).await;
        let second = worker.copy("x".repeat(1500), "curl command".into()).await;
        assert_eq!((first.what.as_str(), first.bytes), ("payload", 2));
        assert!(matches!(first.result, Ok(CopiedVia::System)), "{first:?}");
        assert_eq!(first.toast(), "✓ copied payload (2 B) to the system clipboard");
        assert!(second.result.is_err());
        assert_eq!(second.toast(), "✗ copy failed: the system clipboard refused the text: no owner");
        assert_eq!(copied.lock().unwrap().len(), 2);
    }

    #[tokio::test]
    async fn a_sink_that_panics_is_reported_on_that_copy_and_the_next() {
        let worker = ClipboardWorker::start(Box::new(Panicking), COPY_TIMEOUT);
        for _ in 0..2 {
            let report = worker.copy("text".into(), "payload".into()).await;
            assert!(matches!(report.result, Err(ClipboardError::Stopped)), "{report:?}");
            assert_eq!(report.toast(), "✗ copy failed: the clipboard stopped unexpectedly (a bug: please report it)");
        }
    }

    #[tokio::test]
    async fn a_sink_that_hangs_is_given_up_on_in_time() {
        let worker = ClipboardWorker::start(Box::new(Hanging), Duration::from_millis(50));
        let started = std::time::Instant::now();
        let report = worker.copy("text".into(), "payload".into()).await;
        assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
        assert_eq!(report.toast(), "✗ copy failed: the clipboard did not answer within 50 ms");
    }

    #[rstest::rstest]
    #[case::osc52(CopiedVia::Osc52 { warn_large: false }, "✓ copied URL (1.2 KB) via OSC 52 (terminal clipboard)")]
    #[case::osc52_large(
        CopiedVia::Osc52 { warn_large: true },
        "✓ copied URL (1.2 KB) via OSC 52 — over 75 KB: some terminals keep only part of it"
    )]
    #[case::command(CopiedVia::Command("wl-copy\x1b[2J".into()), "✓ copied URL (1.2 KB) with `wl-copy␛[2J`")]
    #[case::tmux(CopiedVia::Tmux { warn_large: false }, "✓ copied URL (1.2 KB) to tmux buffer + your terminal's clipboard")]
    #[case::tmux_large(
        CopiedVia::Tmux { warn_large: true },
        "✓ copied URL (1.2 KB) to tmux buffer + your terminal's clipboard — over 75 KB: some terminals keep only part of it"
    )]
    #[case::old_tmux(
        CopiedVia::TmuxBufferAndPassthrough { refused: "unknown flag -w\x1b[0m".into(), warn_large: false },
        "✓ copied URL (1.2 KB) to tmux buffer + your terminal's clipboard via OSC 52 passthrough (this tmux refused `load-buffer -w`: unknown flag -w␛[0m)"
    )]
    #[case::tmux_unreachable(
        CopiedVia::Passthrough { why: "no server running".into(), warn_large: false },
        "⚠ URL (1.2 KB) sent as OSC 52 through tmux, which drops it unless `allow-passthrough` is on: tmux itself did not take it (no server running)"
    )]
    fn toasts_say_how_the_copy_went_out(#[case] via: CopiedVia, #[case] toast: &str) {
        let report = CopyReport { what: "URL".into(), bytes: 1200, result: Ok(via) };
        assert_eq!(report.toast(), toast);
    }
}
