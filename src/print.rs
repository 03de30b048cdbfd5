//! `--print`: the logs the filters admit, written for scripts and tickets. NDJSON and the table
//! are written log by log as the body arrives; JSON keeps only the logs it prints, to write them
//! at the end; Markdown needs the whole call (its counts and timings).
//!
//! Every format writes logs in attempt order. The server sends them in that order, so the
//! streamed formats hold back only a few logs ([`REORDER_WINDOW`]) to mend a small disorder
//! (ties, clock skew between workers); a log that arrives later than that is written where it
//! arrived, and said on stderr. The table's columns fit the first logs written and those held
//! back then: every log, for a call of no more than [`REORDER_WINDOW`].

mod follow;

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, IsTerminal, Write};

use crate::absent_types::{self, EXIT_ABSENT_TYPE};
use crate::api::RetryHook;
use crate::cli::PrintFormat;
use crate::export;
use crate::filter::{Filter, TextSearch};
use crate::load::{Ending, Loader};
use crate::model::chains::Chains;
use crate::model::{Decoded, LogSet, LogSink, WebhookLog};
use crate::sanitize;
use crate::ui::theme::Theme;
pub use follow::{EXIT_INTERRUPTED, follow};

/// How many admitted logs NDJSON and the table hold back to write them in attempt order.
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
    let printer = Printer::new(filter.clone(), format, redact, out);
    let (printer, ending) = loader.load_into(printer).await;
    printer.finish(ending)
}

/// The sink `--print` decodes into.
struct Printer<W: Write> {
    filter: Filter,
    search: Option<TextSearch>,
    format: PrintFormat,
    /// `--redact`: every format masks phone numbers, e-mail addresses and secrets.
    redact: bool,
    out: io::BufWriter<W>,
    /// The table's columns, once its first row is written; the terminal's width and whether to
    /// colour the result column.
    table: Option<export::TableRows>,
    table_width: Option<usize>,
    color: bool,
    /// JSON and NDJSON on a terminal: invisible characters written as `\u` escapes.
    escape_invisible: bool,
    /// Logs held back (NDJSON, table), in attempt order, and the last one written.
    held: VecDeque<WebhookLog>,
    last_written: Option<WebhookLog>,
    /// How many logs were written out of attempt order, and the first of them, for a warning.
    out_of_order: (usize, Option<String>),
    /// The logs to print at the end: those admitted, or every log for Markdown.
    kept: LogSet,
    /// Logs with a problem that are not in `kept`, and rejected entries: every problem is reported.
    problems: LogSet,
    write_error: Option<io::Error>,
    /// How many logs the filters admit, and every type the call has with its count: an empty
    /// answer says why.
    matched: usize,
    types: BTreeMap<String, usize>,
}

impl<W: Write> Printer<W> {
    fn new(filter: Filter, format: PrintFormat, redact: bool, out: W) -> Self {
        let search = TextSearch::new(&filter.text);
        let on_terminal = io::stdout().is_terminal();
        Self {
            filter,
            search,
            format,
            redact,
            out: io::BufWriter::with_capacity(256 * 1024, out),
            table: None,
            table_width: on_terminal.then(|| crossterm::terminal::size().ok()).flatten().map(|(w, _)| usize::from(w)),
            color: on_terminal && !Theme::no_color_requested(),
            // A pipe gets the bytes as sent; a terminal would act on a bidi override, or hide
            // text behind zero-width and tag characters, as the table already guards against.
            escape_invisible: on_terminal,
            held: VecDeque::new(),
            last_written: None,
            out_of_order: (0, None),
            kept: LogSet::default(),
            problems: LogSet::default(),
            write_error: None,
            matched: 0,
            types: BTreeMap::new(),
        }
    }

    /// Holds an admitted log back, writing the first held one once too many are.
    fn hold(&mut self, log: WebhookLog) {
        if self.last_written.as_ref().is_some_and(|last| log.sorts_before(last)) {
            self.out_of_order.0 += 1;
            self.out_of_order
                .1
                .get_or_insert_with(|| format!("log {} ({})", log.id, crate::model::response_position(log.index)));
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
        if self.write_error.is_none() {
            let written = match self.format {
                PrintFormat::Table => self.write_row(&log),
                _ if self.escape_invisible => {
                    export::write_ndjson(&mut EscapeInvisible(&mut self.out), &[&log], self.redact)
                }
                _ => export::write_ndjson(&mut self.out, &[&log], self.redact),
            };
            self.write_error = written.err();
        }
        if !log.problems().is_empty() {
            self.problems.add(Decoded::Log(log.clone()));
        }
        self.last_written = Some(log);
    }

    /// A table row; the header first, with columns fitted to this log and those held back.
    fn write_row(&mut self, log: &WebhookLog) -> io::Result<()> {
        if self.table.is_none() {
            let fitted_to = std::iter::once(log).chain(&self.held);
            let (table, header) = export::TableRows::fitted_to(fitted_to, self.table_width, self.color, self.redact);
            self.out.write_all(header.as_bytes())?;
            self.table = Some(table);
        }
        let row = self.table.as_ref().map(|table| table.row(log)).unwrap_or_default();
        self.out.write_all(row.as_bytes())
    }

    fn finish(mut self, ending: Ending) -> Printed {
        if let Some(failure) = &ending.failure
            && !ending.cut_short
        {
            return Printed { exit_code: ending.exit_code, messages: vec![failure.message.clone()] };
        }
        // One at a time, so that the table's columns fit the rows still held.
        while let Some(log) = self.held.pop_front() {
            self.write(log);
        }
        let written = self.write_kept(ending.call.as_ref()).and_then(|()| self.out.flush());
        let written = self.write_error.take().map_or(written, Err);

        let mut messages = Vec::new();
        if let Some(why) = &ending.call_error {
            messages.push(format!("note: the call's details could not be fetched: {why}"));
        }
        let mut report = std::mem::take(&mut self.problems);
        report.body_problems = ending.body_problems;
        for log in self.kept.logs.iter().filter(|log| !log.problems().is_empty()) {
            report.add(Decoded::Log(log.clone()));
        }
        let out_of_order = match std::mem::take(&mut self.out_of_order) {
            (1, Some(log)) => {
                Some(format!("{log} arrived after later logs had been written; written where it arrived"))
            }
            (count, Some(first)) => Some(format!(
                "{} logs arrived after later logs had been written; each written where it arrived; first: {first}",
                crate::units::count(count)
            )),
            _ => None,
        };
        let warnings = report.problem_summary().into_iter().chain(out_of_order);
        // A problem quotes the bad value, which can be personal data.
        let redact = self.redact;
        let masked = |warning: String| if redact { crate::redact::redact_text(&warning) } else { warning };
        messages.extend(warnings.map(|warning| format!("warning: {}", masked(warning))));
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
            messages.push(format!("{}; printed only the logs before the cut", failure.message));
            exit_code = ending.exit_code;
        } else if self.matched == 0 && !self.filter.is_empty() {
            let (note, code) = self.nothing_matched();
            messages.push(note);
            exit_code = exit_code.max(code);
        }
        Printed { exit_code, messages }
    }

    /// Why nothing was printed, and the exit code for it: a `--type` the call does not have is
    /// [`EXIT_ABSENT_TYPE`]; filters that only happen to match nothing are an answer (0).
    fn nothing_matched(&self) -> (String, u8) {
        let total: usize = self.types.values().sum();
        let present = self.types.iter().map(|(name, &count)| (name.as_str(), count));
        if let Some(hint) = absent_types::hint(&self.filter.types, present) {
            return (hint, EXIT_ABSENT_TYPE);
        }
        let note = match total {
            0 => "note: the call has no webhook deliveries".to_owned(),
            1 => "note: the call's one delivery does not match the filters".to_owned(),
            n => format!("note: none of the call's {n} deliveries matches the filters"),
        };
        (note, 0)
    }

    fn write_kept(&mut self, call: Option<&crate::model::CallInfo>) -> io::Result<()> {
        let logs: Vec<&WebhookLog> = self.kept.logs.iter().collect();
        match self.format {
            // A table of no rows is its header.
            PrintFormat::Table if self.table.is_none() => {
                self.out.write_all(export::table(&[], self.table_width, self.color).as_bytes())
            }
            PrintFormat::Ndjson | PrintFormat::Table => Ok(()),
            PrintFormat::Json if self.escape_invisible => {
                export::write_json_array(&mut EscapeInvisible(&mut self.out), &logs, self.redact)
            }
            PrintFormat::Json => export::write_json_array(&mut self.out, &logs, self.redact),
            PrintFormat::Markdown => {
                let shown: Vec<&WebhookLog> =
                    self.filter.apply(&self.kept).into_iter().map(|i| &self.kept.logs[i]).collect();
                let report = export::markdown_call_report(&self.kept, call, &shown, self.redact, export::REPORT_LIMIT);
                self.out.write_all(report.as_bytes())
            }
            PrintFormat::Stats => {
                let shown: Vec<usize> = (0..self.kept.logs.len()).collect();
                let table =
                    crate::stats::table(&crate::stats::Stats::of(&self.kept.logs, &Chains::build(&self.kept), &shown));
                self.out.write_all(table.as_bytes())
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
        match self.types.get_mut(&*log.webhook_type) {
            Some(count) => *count += 1,
            None => {
                self.types.insert(log.webhook_type.to_string(), 1);
            }
        }
        let matches = self.filter.admits(&log, self.search.as_ref());
        self.matched += usize::from(matches);
        // Markdown reports on the whole call; the stats are of what the filters admit.
        let admitted = self.format == PrintFormat::Markdown || matches;
        match (admitted, self.format) {
            (true, PrintFormat::Ndjson | PrintFormat::Table) => self.hold(log),
            (true, _) => self.kept.add(Decoded::Log(log)),
            (false, _) if !log.problems().is_empty() => self.problems.add(Decoded::Log(log)),
            (false, _) => {}
        }
    }

    /// A wait before a retry is said on stderr as it starts: the user sees why nothing comes.
    fn retry_hook(&self) -> Option<RetryHook> {
        Some(std::sync::Arc::new(|wait: crate::api::RetryWait| {
            eprintln!("{}", stderr_line(&wait.text(wait.wait)));
        }))
    }

    fn progress(&mut self, _received: usize, _expected: Option<usize>) {
        // What has been written reaches the reader as the body arrives, not at the end.
        if matches!(self.format, PrintFormat::Ndjson | PrintFormat::Table)
            && self.write_error.is_none()
            && let Err(err) = self.out.flush()
        {
            self.write_error = Some(err);
        }
    }
}

/// JSON text for a terminal: bidi controls, zero-width, line-separator, tag and other invisible
/// characters written as `\u` escapes ([`sanitize::for_report`]), which read as the same JSON.
/// Each write is a whole piece of JSON text (a string the exporter built), never a part of one.
struct EscapeInvisible<'a, W: Write>(&'a mut W);

impl<W: Write> Write for EscapeInvisible<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match std::str::from_utf8(buf) {
            Ok(text) => self.0.write_all(sanitize::for_report(text, true).as_bytes())?,
            Err(_) => self.0.write_all(buf)?,
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// One clear line for stderr: sanitized, since it may quote the server.
#[must_use]
pub fn stderr_line(message: &str) -> String {
    format!("hookscope: {}", sanitize::line(message))
}
