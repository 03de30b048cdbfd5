//! `--print`: the logs the filters admit, written for scripts and tickets. NDJSON is written log
//! by log as the body arrives; JSON and the table keep only the logs they print, to write them
//! in order at the end; Markdown needs the whole call (its counts and timings).
//!
//! Every format writes logs in attempt order. The server sends them in that order, so NDJSON
//! holds back only a few logs ([`REORDER_WINDOW`]) to mend a small disorder (ties, clock
//! skew between workers); a log that arrives later than that is written where it arrived, and
//! said on stderr.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Write};

use crate::cli::PrintFormat;
use crate::export;
use crate::filter::{Filter, TextSearch};
use crate::load::{Ending, Loader};
use crate::model::{Decoded, LogSet, LogSink, WebhookLog};
use crate::sanitize;
use crate::ui::theme::Theme;

/// How many admitted logs NDJSON holds back to write them in attempt order.
pub const REORDER_WINDOW: usize = 256;

/// Exit code when writing the output fails.
pub const EXIT_WRITE: u8 = 1;

/// How `--print` went: the exit code, and the lines for stderr.
pub struct Printed {
    pub exit_code: u8,
    pub messages: Vec<String>,
}

/// Prints the call `loader` reads to `out`, as `format`, keeping the logs `filter` admits.
pub async fn print(
    loader: &Loader,
    filter: &Filter,
    format: PrintFormat,
    redact: bool,
    out: impl Write + Send + 'static,
) -> Printed {
    let printer = Printer::new(filter.clone(), format, out);
    let (printer, ending) = loader.load_into(printer).await;
    printer.finish(ending, redact)
}

/// The sink `--print` decodes into.
struct Printer<W: Write> {
    filter: Filter,
    search: Option<TextSearch>,
    format: PrintFormat,
    out: io::BufWriter<W>,
    /// NDJSON lines written so far.
    written: usize,
    /// NDJSON logs held back, in attempt order, and the last one written.
    held: VecDeque<WebhookLog>,
    last_written: Option<WebhookLog>,
    /// Logs written out of attempt order, for a warning.
    out_of_order: Vec<String>,
    /// The logs to print at the end: those admitted, or every log for Markdown.
    kept: LogSet,
    /// Logs with a problem that are not in `kept`, and rejected entries: every problem is reported.
    problems: LogSet,
    write_error: Option<io::Error>,
}

impl<W: Write> Printer<W> {
    fn new(filter: Filter, format: PrintFormat, out: W) -> Self {
        let search = TextSearch::new(&filter.text);
        Self {
            filter,
            search,
            format,
            out: io::BufWriter::with_capacity(256 * 1024, out),
            written: 0,
            held: VecDeque::new(),
            last_written: None,
            out_of_order: Vec::new(),
            kept: LogSet::default(),
            problems: LogSet::default(),
            write_error: None,
        }
    }

    /// Holds an admitted NDJSON log back, writing the first held one once too many are.
    fn hold(&mut self, log: WebhookLog) {
        if self.last_written.as_ref().is_some_and(|last| log.sorts_before(last)) {
            self.out_of_order.push(format!(
                "log #{} (id {}) arrived after later logs had been written; written where it arrived",
                log.index, log.id
            ));
            self.write(log);
            return;
        }
        let at = self.held.partition_point(|held| !log.sorts_before(held));
        self.held.insert(at, log);
        if self.held.len() > REORDER_WINDOW
            && let Some(first) = self.held.pop_front()
        {
            self.write(first);
        }
    }

    fn write(&mut self, log: WebhookLog) {
        if self.write_error.is_none()
            && let Err(err) = export::write_ndjson(&mut self.out, &[&log])
        {
            self.write_error = Some(err);
        }
        self.written += 1;
        if !log.problems.is_empty() {
            self.problems.add(Decoded::Log(log.clone()));
        }
        self.last_written = Some(log);
    }

    fn finish(mut self, ending: Ending, redact: bool) -> Printed {
        if let Some(failure) = &ending.failure
            && !ending.cut_short
        {
            return Printed { exit_code: ending.exit_code, messages: vec![failure.message.clone()] };
        }
        for log in std::mem::take(&mut self.held) {
            self.write(log);
        }
        let written = self.write_kept(ending.call.as_ref(), redact).and_then(|()| self.out.flush());
        let written = self.write_error.take().map_or(written, Err);

        let mut messages = Vec::new();
        if let Some(why) = &ending.call_error {
            messages.push(format!("note: the call's details could not be fetched: {why}"));
        }
        let mut report = std::mem::take(&mut self.problems);
        report.body_problems = ending.body_problems;
        for log in self.kept.logs.iter().filter(|log| !log.problems.is_empty()) {
            report.add(Decoded::Log(log.clone()));
        }
        let warnings = report.problem_report().into_iter().chain(self.out_of_order);
        messages.extend(warnings.map(|warning| format!("warning: {warning}")));
        let mut exit_code = 0;
        // A closed pipe (`| head`) is not an error worth a message.
        if let Err(err) = written
            && err.kind() != io::ErrorKind::BrokenPipe
        {
            messages.push(format!("cannot write: {err}"));
            exit_code = EXIT_WRITE;
        }
        // The logs read before a failure were printed; the failure still decides the exit code.
        if let Some(failure) = ending.failure {
            messages.push(failure.message);
            exit_code = ending.exit_code;
        }
        Printed { exit_code, messages }
    }

    fn write_kept(&mut self, call: Option<&crate::model::CallInfo>, redact: bool) -> io::Result<()> {
        let logs: Vec<&WebhookLog> = self.kept.logs.iter().collect();
        match self.format {
            PrintFormat::Ndjson => Ok(()),
            PrintFormat::Json => export::write_json_array(&mut self.out, &logs),
            PrintFormat::Markdown => {
                let shown: Vec<&WebhookLog> =
                    self.filter.apply(&self.kept).into_iter().map(|i| &self.kept.logs[i]).collect();
                let report = export::markdown_call_report(&self.kept, call, &shown, redact, export::REPORT_LIMIT);
                self.out.write_all(report.as_bytes())
            }
            PrintFormat::Table => {
                let on_terminal = io::stdout().is_terminal();
                let width =
                    on_terminal.then(|| crossterm::terminal::size().ok()).flatten().map(|(w, _)| usize::from(w));
                let color = on_terminal && !Theme::no_color_requested();
                self.out.write_all(export::table(&logs, width, color).as_bytes())
            }
        }
    }
}

impl<W: Write> LogSink for Printer<W> {
    fn decoded(&mut self, decoded: Decoded) {
        let log = match decoded {
            Decoded::Log(log) => log,
            rejected @ Decoded::Rejected(_) => return self.problems.add(rejected),
        };
        let admitted = self.format == PrintFormat::Markdown || self.filter.admits(&log, self.search.as_ref());
        match (admitted, self.format) {
            (true, PrintFormat::Ndjson) => self.hold(log),
            (true, _) => self.kept.add(Decoded::Log(log)),
            (false, _) if !log.problems.is_empty() => self.problems.add(Decoded::Log(log)),
            (false, _) => {}
        }
    }

    fn progress(&mut self, _received: usize, _expected: Option<usize>) {
        // What has been written reaches the reader as the body arrives, not at the end.
        if self.format == PrintFormat::Ndjson
            && self.write_error.is_none()
            && let Err(err) = self.out.flush()
        {
            self.write_error = Some(err);
        }
    }
}

/// One clear line for stderr: sanitized, since it may quote the server.
#[must_use]
pub fn stderr_line(message: &str) -> String {
    format!("hookscope: {}", sanitize::line(message))
}
