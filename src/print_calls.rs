//! `hookscope calls … --print`: the organisation's calls that match, for a script to pick one.
//! Pages are fetched 1000 calls at a time until the list ends or `--limit` is reached; `json`
//! and `ndjson` write each call's object as the server sent it, the table one aligned line a
//! call (times in UTC).

use std::io::{self, IsTerminal, Write};

use unicode_width::UnicodeWidthStr;

use crate::api::{ApiClient, ApiError};
use crate::calls_query::{CallQuery, MAX_PAGE};
use crate::cli::PrintFormat;
use crate::model::{CallSummary, time};
use crate::print::Printed;
use crate::{columns, redact, sanitize};

/// The table's columns and the widest each may grow to (a SID or a name is cut with `…`).
const HEADINGS: [(&str, usize); 7] = [
    ("started (UTC)", 19),
    ("duration", 9),
    ("status", 14),
    ("assistant", 24),
    ("customer", 20),
    ("SID", 40),
    ("id", 12),
];

/// Every call matching `query`, up to `limit`, fetched page by page.
///
/// # Errors
/// The first request that fails; the calls fetched before are dropped with it, since a script
/// must not take part of a list for all of it.
pub async fn fetch_all(client: &ApiClient, query: &CallQuery, limit: usize) -> Result<Fetched, ApiError> {
    let mut fetched = Fetched::default();
    let mut skip = 0;
    while fetched.calls.len() < limit {
        let asked = MAX_PAGE.min(limit - fetched.calls.len()).max(1);
        let page = client.list_calls(query, skip, asked).await?;
        fetched.total = page.total.or(fetched.total);
        fetched.problems.extend(page.problems);
        fetched.calls.extend(page.calls);
        skip += page.received;
        let last = page.received < asked || fetched.total.is_some_and(|total| skip as u64 >= total);
        if last {
            fetched.complete = true;
            break;
        }
    }
    fetched.calls.truncate(limit);
    Ok(fetched)
}

#[derive(Debug, Default)]
pub struct Fetched {
    pub calls: Vec<CallSummary>,
    pub total: Option<u64>,
    /// Whether the list ended before `limit` did.
    pub complete: bool,
    pub problems: Vec<String>,
}

/// Fetches and prints the calls; what went wrong, or what matched nothing, is said in the
/// messages for stderr.
pub async fn print(
    client: &ApiClient,
    query: &CallQuery,
    limit: usize,
    format: PrintFormat,
    redact: bool,
    out: impl Write,
) -> Printed {
    let fetched = match fetch_all(client, query, limit).await {
        Ok(fetched) => fetched,
        Err(err) => return Printed { exit_code: err.exit_code(), messages: vec![err.to_string()] },
    };
    let mut messages: Vec<String> = fetched.problems.iter().map(|problem| format!("warning: {problem}")).collect();
    if fetched.calls.is_empty() {
        messages.push(nothing_matched(query));
        return Printed { exit_code: 0, messages };
    }
    if !fetched.complete {
        let of = fetched.total.map(|total| format!(" of {total}")).unwrap_or_default();
        messages.push(format!("the first {} calls{of} are listed; --limit N lists more", fetched.calls.len()));
    }
    let terminal = io::stdout().is_terminal();
    if let Err(err) = write_calls(&fetched.calls, format, redact, terminal, out) {
        messages.push(format!("cannot write the calls: {err}"));
        return Printed { exit_code: crate::print::EXIT_WRITE, messages };
    }
    Printed { exit_code: 0, messages }
}

/// "no calls match phone +1555, since …": the filters that matched nothing, named.
#[must_use]
pub fn nothing_matched(query: &CallQuery) -> String {
    if query.is_empty() {
        "the organisation has no calls".to_owned()
    } else {
        format!("no calls match {}", query.describe())
    }
}

/// # Errors
/// When `out` cannot be written.
pub fn write_calls(
    calls: &[CallSummary],
    format: PrintFormat,
    redact: bool,
    terminal: bool,
    mut out: impl Write,
) -> io::Result<()> {
    let json = |call: &CallSummary| {
        let text = if redact { redact::redact_json(&call.raw) } else { call.raw.clone() };
        // One line a call, as sent; on a terminal, invisible characters as `\u` escapes.
        let text = if terminal { sanitize::for_report(&text, true).into_owned() } else { text };
        crate::key_scrub::scrub(&text).into_owned()
    };
    match format {
        PrintFormat::Ndjson => {
            for call in calls {
                writeln!(out, "{}", one_line(&json(call)))?;
            }
        }
        PrintFormat::Json => {
            writeln!(out, "[")?;
            for (index, call) in calls.iter().enumerate() {
                let comma = if index + 1 < calls.len() { "," } else { "" };
                writeln!(out, "  {}{comma}", one_line(&json(call)))?;
            }
            writeln!(out, "]")?;
        }
        // Markdown and stats are refused for the call list (cli.rs): a table is the nearest.
        PrintFormat::Table | PrintFormat::Markdown | PrintFormat::Stats => {
            let rows: Vec<[String; 7]> = calls.iter().map(|call| row(call, redact)).collect();
            let mut widths = HEADINGS.map(|(heading, _)| heading.width());
            for row in &rows {
                for (width, (cell, (_, most))) in widths.iter_mut().zip(row.iter().zip(HEADINGS)) {
                    *width = (*width).max(cell.width().min(most));
                }
            }
            write_row(&mut out, &HEADINGS.map(|(heading, _)| heading.to_owned()), &widths)?;
            for row in &rows {
                write_row(&mut out, row, &widths)?;
            }
        }
    }
    out.flush()
}

/// A pretty-printed object from an odd server on one line: NDJSON needs it so, and JSON text
/// keeps its meaning with its line breaks (outside strings they are whitespace) as spaces.
fn one_line(text: &str) -> String {
    if text.contains(['\n', '\r']) { text.replace(['\n', '\r'], " ") } else { text.to_owned() }
}

fn write_row(out: &mut impl Write, cells: &[String; 7], widths: &[usize; 7]) -> io::Result<()> {
    let mut line = String::new();
    for (index, (cell, width)) in cells.iter().zip(widths).enumerate() {
        let cell = columns::cut(cell, *width);
        line.push_str(&cell);
        if index + 1 < cells.len() {
            line.push_str(&" ".repeat(width - cell.width() + 2));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

/// A call's cells, sanitized: everything in them came from the server.
#[must_use]
pub fn row(call: &CallSummary, redact: bool) -> [String; 7] {
    let dash = || "—".to_owned();
    let text = |value: Option<&String>| value.map_or_else(dash, |value| sanitize::line(value).into_owned());
    let started = call.started_at.as_deref().and_then(time::parse_timestamp).map_or_else(
        || text(call.started_at.as_ref()),
        |at| {
            let mut out = String::new();
            time::write_date_time(&mut out, at, &jiff::tz::TimeZone::UTC);
            out.truncate(19);
            out
        },
    );
    let assistant = call
        .assistant_name
        .as_ref()
        .map(|name| sanitize::line(name).into_owned())
        .or_else(|| call.assistant_id.map(|id| format!("#{id}")))
        .unwrap_or_else(dash);
    let customer = call.customer_phone_number.as_ref().map_or_else(dash, |number| {
        let shown = sanitize::line(number).into_owned();
        if redact { redact::redact_text(&shown) } else { shown }
    });
    [
        started,
        call.duration_seconds.map_or_else(dash, duration),
        text(call.status.as_ref()),
        assistant,
        customer,
        text(call.call_sid.as_ref()),
        call.id.map_or_else(dash, |id| id.to_string()),
    ]
}

/// `2m 28s`, `45s`, `1h 02m`: a call's length at a glance.
#[must_use]
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "—".to_owned();
    }
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "finite, non-negative, rounded")]
    let total = seconds.round() as u64;
    match (total / 3600, total % 3600 / 60, total % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(raw: &str) -> CallSummary {
        CallSummary::from_json(raw).unwrap()
    }

    const CALL: &str = r#"{"id": 7, "call_sid": "CA7", "assistant_name": "Front\u001b[2J desk", "status": "completed",
        "customer_phone_number": "+15559876543", "duration": 148.4, "started_at": "2025-01-15T10:05:00.123"}"#;

    #[test]
    fn the_table_is_aligned_and_safe() {
        let mut out = Vec::new();
        let other = call(r#"{"id": 12345, "assistant_id": 3}"#);
        write_calls(&[call(CALL), other], PrintFormat::Table, false, false, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "started (UTC)        duration  status     assistant       customer      SID  id\n\
             2025-01-15 10:05:00  2m 28s    completed  Front␛[2J desk  +15559876543  CA7  7\n\
             —                    —         —          #3              —             —    12345\n"
        );
    }

    #[test]
    fn ndjson_is_each_object_as_sent_and_redaction_masks_the_number() {
        let mut out = Vec::new();
        write_calls(&[call(CALL)], PrintFormat::Ndjson, false, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1);
        assert!(text.contains(r#""assistant_name": "Front\u001b[2J desk""#), "{text}");
        let mut out = Vec::new();
        write_calls(&[call(CALL)], PrintFormat::Json, true, false, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains("9876543"), "{text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(parsed[0]["id"], 7);
    }

    #[test]
    fn durations_read_at_a_glance() {
        assert_eq!(duration(45.0), "45s");
        assert_eq!(duration(148.4), "2m 28s");
        assert_eq!(duration(3725.0), "1h 02m");
        assert_eq!(duration(f64::NAN), "—");
    }
}
