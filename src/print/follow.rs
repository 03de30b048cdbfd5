//! `--print ndjson|table --follow`: the call polled until it ends, each log printed once, as it
//! first appears, in attempt order within a poll, flushed after each poll. A failed poll is said
//! on stderr and tried again later; it prints nothing, so nothing is printed twice or skipped.

use std::collections::HashSet;
use std::io::Write;
use std::time::Duration;

use super::{Printed, Printer, stderr_line};
use crate::cli::PrintFormat;
use crate::filter::Filter;
use crate::load::Loader;
use crate::model::{Decoded, LogSink, WebhookLog};
use crate::poll::{EntryKey, entry_key};
use crate::state::{MAX_BACKOFF, ONGOING};

/// Exit code on Ctrl-C, as a shell reports a process SIGINT ended.
pub const EXIT_INTERRUPTED: u8 = 130;

/// A poll's sink: entries seen by an earlier poll, byte for byte, are not decoded again.
struct Seen {
    known: HashSet<EntryKey>,
    logs: Vec<WebhookLog>,
    rejected: Vec<Decoded>,
}

impl LogSink for Seen {
    fn decoded(&mut self, decoded: Decoded) {
        match decoded {
            Decoded::Log(log) => self.logs.push(log),
            rejected @ Decoded::Rejected(_) => self.rejected.push(rejected),
        }
    }

    fn reuses(&self) -> bool {
        true
    }

    fn already_have(&mut self, text: &str, _index: usize) -> bool {
        self.known.contains(&entry_key(text))
    }
}

/// Polls the call every `every` until it ends (exit 0), Ctrl-C (130), a refused key (4), or a
/// failure of the first load (its own code).
pub async fn follow(
    loader: &Loader,
    filter: &Filter,
    format: PrintFormat,
    redact: bool,
    out: impl Write + Send + 'static,
    every: Duration,
) -> Printed {
    let mut printer = Printer::new(filter.clone(), format, redact, out);
    let mut seen = Seen { known: HashSet::new(), logs: Vec::new(), rejected: Vec::new() };
    let mut written: HashSet<i64> = HashSet::new();
    let (mut first, mut last_poll, mut backoff) = (true, false, every);
    let followable = matches!(loader, Loader::Api { .. });
    // Listened to from the start: a Ctrl-C during a poll is heard too.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let poll = async { if first { loader.load_into(seen).await } else { loader.poll_into(seen).await } };
        let (sink, ending) = tokio::select! {
            polled = poll => polled,
            _ = &mut interrupted => return stopped(&mut printer),
        };
        seen = sink;
        let wait = match ending.failure {
            Some(failure) if first || failure.exit_code == 4 => {
                return Printed { exit_code: ending.exit_code, messages: vec![failure.message] };
            }
            Some(failure) => {
                // What came before a failure is decoded again by the next poll.
                seen.logs.clear();
                seen.rejected.clear();
                let wait = ending.retry_after.map_or(backoff, |asked| asked.max(every)).min(MAX_BACKOFF);
                backoff = (backoff * 2).min(MAX_BACKOFF);
                eprintln!(
                    "{}",
                    stderr_line(&format!(
                        "poll failed: {}; trying again in {}",
                        failure.message,
                        crate::units::millis(u64::try_from(wait.as_millis()).unwrap_or(u64::MAX))
                    ))
                );
                wait
            }
            None => {
                backoff = every;
                write_new(&mut printer, &mut seen, &mut written);
                if let Some(err) = printer.write_error.take() {
                    let (code, messages) = match err.kind() {
                        std::io::ErrorKind::BrokenPipe => (0, Vec::new()),
                        _ => (super::EXIT_WRITE, vec![format!("cannot write: {err}")]),
                    };
                    return Printed { exit_code: code, messages };
                }
                let status = ending.call.as_ref().and_then(|call| call.status.as_deref());
                let ended = status.is_some_and(|status| status != ONGOING);
                if !followable || (ended && last_poll) {
                    return Printed { exit_code: 0, messages: warnings(&printer) };
                }
                last_poll = ended;
                every
            }
        };
        first = false;
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            _ = &mut interrupted => return stopped(&mut printer),
        }
    }
}

/// Ctrl-C: what was printed is flushed (each poll's logs already were).
fn stopped<W: Write>(printer: &mut Printer<W>) -> Printed {
    let _ = printer.out.flush();
    Printed { exit_code: EXIT_INTERRUPTED, messages: warnings(printer) }
}

/// Writes the logs a good poll decoded that were never printed and the filters admit, in
/// attempt order, and flushes; remembers every entry decoded.
fn write_new<W: Write>(printer: &mut Printer<W>, seen: &mut Seen, written: &mut HashSet<i64>) {
    let mut logs = std::mem::take(&mut seen.logs);
    seen.known.extend(logs.iter().map(|log| entry_key(log.raw())));
    for rejected in std::mem::take(&mut seen.rejected) {
        if let Decoded::Rejected(entry) = &rejected {
            seen.known.insert(entry_key(&entry.raw));
        }
        printer.problems.add(rejected);
    }
    logs.sort_by(
        |one, other| if one.sorts_before(other) { std::cmp::Ordering::Less } else { std::cmp::Ordering::Greater },
    );
    for log in logs {
        // A log that changed after it was printed is not printed again.
        if written.contains(&log.id) || !printer.filter.admits(&log, printer.search.as_ref()) {
            continue;
        }
        written.insert(log.id);
        printer.held.push_back(log);
    }
    // One at a time, so that a table's columns fit the first poll's rows.
    while let Some(log) = printer.held.pop_front() {
        printer.write(log);
    }
    if printer.write_error.is_none()
        && let Err(err) = printer.out.flush()
    {
        printer.write_error = Some(err);
    }
}

/// The problems met in the logs printed and the entries that could not be read, once each.
fn warnings<W: Write>(printer: &Printer<W>) -> Vec<String> {
    let masked = |warning: String| if printer.redact { crate::redact::redact_text(&warning) } else { warning };
    printer.problems.problem_summary().into_iter().map(|warning| format!("warning: {}", masked(warning))).collect()
}
