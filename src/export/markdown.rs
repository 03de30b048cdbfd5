//! Markdown for a bug report: what a support engineer pastes into a ticket.
//!
//! Every piece of data is third-party text, so it goes through [`sanitize`] and then into a
//! code span or a fence sized to its content: a body containing ```` ``` ````, a type
//! containing `**` or a URL containing `](` then cannot change the report's structure or pull in
//! a link or an image. Values in lists are kept to one line, since a line break inside a list
//! item could start a heading.

use std::collections::HashMap;
use std::fmt::Write as _;

use jiff::Timestamp;

use crate::json_text::{self, exact};
use crate::model::chains::{Chain, Chains};
use crate::model::lifecycle::lifecycle_warnings;
use crate::model::time::{TimeDisplay, offset_label};
use crate::model::{CallInfo, LogSet, WebhookLog};
use crate::outcome::{Ending, delivery_verdict};
use crate::redact;
use crate::sanitize;

/// How many characters of a payload or body a report shows before it cuts them, when the
/// report is for pasting (the copy menu, `--print markdown`).
pub const REPORT_LIMIT: usize = 4000;

/// What the server appends to a body it cut, and where (`burki-api.md`).
const SERVER_CUT_AT: usize = 10_240;

/// A report on one delivery. With `redact`, phone numbers, e-mail addresses and secret-looking
/// values are masked. Payload and body over `limit` characters are cut, with a note.
#[must_use]
pub fn markdown_report(set: &LogSet, call: Option<&CallInfo>, log: &WebhookLog, redact: bool, limit: usize) -> String {
    let mut out = String::new();
    let options = Options { redact, limit };
    let chains = Chains::build(set);
    let delivery = Delivery::of(set, &chains, log);
    let _ = writeln!(out, "## Webhook delivery {}", heading_tail(log, delivery.as_ref()));
    out.push('\n');
    if redact {
        out.push_str(REDACTION_NOTE);
    }
    let about_call = [("Call", call_summary(call, log.call_id, options)), ("Assistant", assistant(call, log))];
    let warnings = warnings_by_log(set, call);
    let warnings = warnings.get(&log.index).map_or(&[][..], Vec::as_slice);
    push_log_body(&mut out, log, &about_call, delivery.as_ref(), set.first_attempt(), options, warnings);
    out
}

/// The lifecycle check's warnings by the logs they name (by [`WebhookLog::index`]).
fn warnings_by_log(set: &LogSet, call: Option<&CallInfo>) -> HashMap<usize, Vec<String>> {
    let mut by_log: HashMap<usize, Vec<String>> = HashMap::new();
    for warning in lifecycle_warnings(set, call) {
        for &at in &warning.logs {
            by_log.entry(set.logs[at].index).or_default().push(warning.text.clone());
        }
    }
    by_log
}

/// A call report's list of the lifecycle check's warnings, when there are any.
fn push_warnings(out: &mut String, set: &LogSet, call: Option<&CallInfo>, options: Options) {
    let warnings = lifecycle_warnings(set, call);
    if warnings.is_empty() {
        return;
    }
    out.push_str("\n**Lifecycle warnings**\n\n");
    for warning in &warnings {
        let _ = writeln!(out, "- {}: {}", warning.kind.label(), code_span(&options.text(&warning.text)));
    }
}

/// A report on a call: its details, counts, an overview table and one section per delivery.
#[must_use]
pub fn markdown_call_report(
    set: &LogSet,
    call: Option<&CallInfo>,
    logs: &[&WebhookLog],
    redact: bool,
    limit: usize,
) -> String {
    let options = Options { redact, limit };
    let call_id = call.and_then(|c| c.id).or_else(|| logs.iter().find_map(|log| log.call_id));
    let mut out = String::new();
    match call_id {
        Some(id) => _ = writeln!(out, "# Webhook deliveries of call {id}\n"),
        None => out.push_str("# Webhook deliveries\n\n"),
    }
    if redact {
        out.push_str(REDACTION_NOTE);
    }
    if let Some(call) = call {
        push_call_details(&mut out, call, options);
    }
    push_summary(&mut out, set, logs, options);
    push_warnings(&mut out, set, call, options);
    push_overview(&mut out, set, logs);
    let warnings = warnings_by_log(set, call);
    // Once, not per log: they scan every log, and a call can have 100,000.
    let first = set.first_attempt();
    let chains = Chains::build(set);
    for (n, log) in logs.iter().enumerate() {
        let delivery = Delivery::of(set, &chains, log);
        let _ = writeln!(out, "\n## {}. Delivery {}\n", n + 1, heading_tail(log, delivery.as_ref()));
        let warnings = warnings.get(&log.index).map_or(&[][..], Vec::as_slice);
        push_log_body(&mut out, log, &[], delivery.as_ref(), first, options, warnings);
    }
    out
}

const REDACTION_NOTE: &str = "_Phone numbers, e-mail addresses and secret-looking values are masked by hookscope._\n\n";

#[derive(Clone, Copy)]
struct Options {
    redact: bool,
    limit: usize,
}

impl Options {
    fn text(self, text: &str) -> String {
        if self.redact { redact::redact_text(text) } else { text.to_owned() }
    }
}

/// The delivery a log is an attempt of: its retry chain, with the logs it holds.
struct Delivery<'s> {
    set: &'s LogSet,
    chain: &'s Chain,
}

impl<'s> Delivery<'s> {
    /// `log`'s delivery, found where it sorts in the set (a binary search: a call report asks
    /// this of every log).
    fn of(set: &'s LogSet, chains: &'s Chains, log: &WebhookLog) -> Option<Self> {
        let start = set.logs.partition_point(|other| other.sorts_before(log));
        let index = (start..set.logs.len())
            .take_while(|&at| !log.sorts_before(&set.logs[at]))
            .find(|&at| set.logs[at].raw() == log.raw())?;
        Some(Self { set, chain: chains.chain_of(index)? })
    }

    fn attempts(&self) -> impl Iterator<Item = &'s WebhookLog> + '_ {
        self.chain.attempts.iter().map(|&at| &self.set.logs[at])
    }

    fn last(&self) -> &'s WebhookLog {
        &self.set.logs[self.chain.last()]
    }
}

/// ``7: `call_started` — FAILED, 500``, and for a failed attempt of a delivery a later attempt
/// made, ``…, delivered later by log 9``.
fn heading_tail(log: &WebhookLog, delivery: Option<&Delivery<'_>>) -> String {
    let result = if log.success { "ok" } else { "FAILED" };
    let mut tail = format!("{}: {} — {result}, {}", log.id, code_span(&log.webhook_type), Ending::of(log).phrase());
    if let Some(last) = delivery.map(Delivery::last).filter(|last| !log.success && last.success) {
        let _ = write!(tail, ", delivered later by log {}", last.id);
    }
    tail
}

/// The assistant that sent the webhook: the call's name for it, or the log's assistant id.
fn assistant(call: Option<&CallInfo>, log: &WebhookLog) -> String {
    let name = call.and_then(|call| call.assistant_name.as_deref());
    let id = call.and_then(|call| call.assistant_id).or(log.assistant_id);
    match (name, id) {
        (Some(name), Some(id)) => format!("{} (id {id})", code_span(name)),
        (Some(name), None) => code_span(name),
        (None, Some(id)) => format!("id {id}"),
        (None, None) => "unknown".to_owned(),
    }
}

/// The delivery in one line: which attempt this was, the rule that grouped the attempts, and
/// how the delivery ended (`attempt 1 of 3, grouped by same payload within 5 min: Delivered on
/// attempt 3 of 3 after 34 s`).
fn delivery_line(log: &WebhookLog, delivery: &Delivery<'_>) -> String {
    let verdict = delivery_verdict(delivery.set, delivery.chain);
    let tries = delivery.chain.tries();
    if tries == 1 {
        return verdict;
    }
    let number = delivery.attempts().position(|attempt| std::ptr::eq(attempt, log) || attempt.id == log.id);
    let rule = delivery.chain.grouped_by.describe().map(|rule| format!(", {rule}")).unwrap_or_default();
    format!("attempt {} of {tries}{rule}: {verdict}", number.map_or(0, |n| n + 1))
}

/// ` 5.3 s after the first`, when both times are known.
fn after(first: &WebhookLog, attempt: &WebhookLog) -> String {
    match (first.attempted_at, attempt.attempted_at) {
        (Some(from), Some(at)) if !std::ptr::eq(first, attempt) => {
            let millis = u64::try_from(at.as_millisecond() - from.as_millisecond()).unwrap_or(0);
            format!(", {} after the first", crate::units::millis(millis))
        }
        _ => String::new(),
    }
}

/// Every attempt of a delivery of more than one, one a line: id, time, status and result.
fn push_attempts(out: &mut String, log: &WebhookLog, delivery: &Delivery<'_>) {
    if delivery.chain.tries() < 2 {
        return;
    }
    out.push_str("\n**Attempts of this delivery**\n\n");
    let first = &delivery.set.logs[delivery.chain.first()];
    for attempt in delivery.attempts() {
        let when = attempt.attempted_at.map_or_else(|| "time unknown".to_owned(), |at| TimeDisplay::Utc.full(at));
        let result = if attempt.success { "ok" } else { "**FAILED**" };
        let this = if attempt.id == log.id { " (this report)" } else { "" };
        let _ = writeln!(
            out,
            "- log {}: {when}{} — {result}, {}{this}",
            attempt.id,
            after(first, attempt),
            Ending::of(attempt).phrase()
        );
    }
}

fn call_summary(call: Option<&CallInfo>, log_call_id: Option<i64>, options: Options) -> String {
    let id = call.and_then(|c| c.id).or(log_call_id);
    let mut line = id.map_or_else(|| "unknown".to_owned(), |id| id.to_string());
    if let Some(sid) = call.and_then(|c| c.call_sid.as_deref()) {
        let _ = write!(line, " (SID {})", code_span(&options.text(sid)));
    }
    line
}

fn push_call_details(out: &mut String, call: &CallInfo, options: Options) {
    let mut items: Vec<(&str, String)> = Vec::new();
    if let Some(sid) = &call.call_sid {
        items.push(("SID", code_span(&options.text(sid))));
    }
    if let Some(status) = &call.status {
        items.push(("Status", code_span(status)));
    }
    match (&call.assistant_name, call.assistant_id) {
        (Some(name), Some(id)) => items.push(("Assistant", format!("{} (id {id})", code_span(name)))),
        (Some(name), None) => items.push(("Assistant", code_span(name))),
        (None, Some(id)) => items.push(("Assistant", format!("id {id}"))),
        (None, None) => {}
    }
    if let Some(number) = &call.customer_phone_number {
        items.push(("Customer", code_span(&options.text(number))));
    }
    if let Some(number) = &call.to_phone_number {
        items.push(("Called number", code_span(&options.text(number))));
    }
    if let Some(at) = &call.started_at {
        items.push(("Started", code_span(at)));
    }
    if let Some(at) = &call.ended_at {
        items.push(("Ended", code_span(at)));
    }
    if let Some(seconds) = call.duration_seconds {
        items.push(("Duration", format!("{seconds} s")));
    }
    push_items(out, &items);
}

fn push_summary(out: &mut String, set: &LogSet, logs: &[&WebhookLog], options: Options) {
    let ok = logs.iter().filter(|log| log.success).count();
    let mut deliveries = format!("{} ({ok} ok, {} failed)", logs.len(), logs.len() - ok);
    if logs.len() != set.logs.len() {
        let _ = write!(deliveries, ", filtered from {}", set.logs.len());
    }
    let mut items = vec![("Deliveries", deliveries)];
    if !logs.is_empty() {
        let outcomes = tally(logs, |log| Ending::of(log).word());
        items.push((
            "Outcomes",
            outcomes.iter().map(|(label, n)| format!("{label} ×{n}")).collect::<Vec<_>>().join(", "),
        ));
        let type_of = |log: &WebhookLog| log.webhook_type.to_string();
        let failed_logs: Vec<&WebhookLog> = logs.iter().copied().filter(|log| !log.success).collect();
        let failed_by_type: std::collections::HashMap<String, usize> =
            tally(&failed_logs, type_of).into_iter().collect();
        let types = tally(logs, type_of);
        let types = types
            .iter()
            .map(|(kind, n)| {
                let failed = failed_by_type.get(kind).copied().unwrap_or(0);
                let failed = if failed > 0 { format!(" ({failed} failed)") } else { String::new() };
                format!("{} ×{n}{failed}", code_span(kind))
            })
            .collect::<Vec<_>>()
            .join(", ");
        items.push(("Types", types));
    }
    if let Some(first) = set.first_attempt() {
        items.push(("First delivery", TimeDisplay::Utc.full(first)));
    }
    push_items(out, &items);
    let problems = set.problem_summary();
    if !problems.is_empty() {
        out.push_str("\nThe response had entries hookscope could not fully read:\n\n");
        // A problem quotes the bad value, which can be personal data.
        for problem in problems {
            let _ = writeln!(out, "- {}", code_span(&options.text(&problem)));
        }
    }
}

/// Labels in order of first appearance with their counts: deterministic and chronological. A
/// hash lookup a log, so 60,000 distinct types cost no more than six.
fn tally(logs: &[&WebhookLog], label: impl Fn(&WebhookLog) -> String) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut slots: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for log in logs {
        let label = label(log);
        if let Some(&slot) = slots.get(&label) {
            counts[slot].1 += 1;
        } else {
            slots.insert(label.clone(), counts.len());
            counts.push((label, 1));
        }
    }
    counts
}

fn push_overview(out: &mut String, set: &LogSet, logs: &[&WebhookLog]) {
    if logs.is_empty() {
        return;
    }
    let first = set.first_attempt();
    out.push_str("\n| # | Id | Time | Type | Status | Result |\n|---:|---:|---|---|---|---|\n");
    for (n, log) in logs.iter().enumerate() {
        let at = match (first, log.attempted_at) {
            (Some(first), Some(at)) => offset_label(first, at),
            _ => "—".to_owned(),
        };
        let result = if log.success { "ok" } else { "**FAILED**" };
        let _ = writeln!(
            out,
            "| {} | {} | {at} | {} | {} | {result} |",
            n + 1,
            log.id,
            code_span(&log.webhook_type).replace('|', r"\|"),
            Ending::of(log).word(),
        );
    }
}

/// The heading says the log's id, type, result and status; this says the rest. `about_call`
/// opens the list (a one-delivery report names the call and assistant); `delivery` is the
/// delivery the log is an attempt of. `first` is the call's first attempt
/// ([`LogSet::first_attempt`]), the origin of `T+` offsets.
fn push_log_body(
    out: &mut String,
    log: &WebhookLog,
    about_call: &[(&'static str, String)],
    delivery: Option<&Delivery<'_>>,
    first: Option<Timestamp>,
    options: Options,
    warnings: &[String],
) {
    let mut items: Vec<(&str, String)> = about_call.to_vec();
    let when = log.attempted_at.map_or_else(
        || "unknown".to_owned(),
        |at| match first {
            Some(first) => {
                format!("{} ({} from the first delivery)", TimeDisplay::Utc.full(at), offset_label(first, at))
            }
            None => TimeDisplay::Utc.full(at),
        },
    );
    items.push(("Attempted", when));
    let url = if options.redact { redact::redact_url(&log.webhook_url) } else { log.webhook_url.to_string() };
    items.push(("URL", code_span(&url)));
    if let Some(delivery) = delivery {
        items.push(("Delivery", delivery_line(log, delivery)));
    }
    items.push(("Response time", log.response_time_ms.map_or_else(|| "unknown".to_owned(), |ms| format!("{ms} ms"))));
    items.push(("Retries", log.retry_count.to_string()));
    let error = log.error_message.as_deref().map(|error| options.text(error));
    match error.as_deref() {
        None => {}
        Some("") => items.push(("Error", "empty (the server stores a read timeout this way)".to_owned())),
        Some(error) if error.contains('\n') => items.push(("Error", "below".to_owned())),
        Some(error) => items.push(("Error", code_span(error))),
    }
    let metadata = log.metadata().map(|raw| json_for_report(raw, options));
    if let Some(metadata) = metadata.as_deref().filter(|m| m.len() <= 120 && !m.contains('\n')) {
        items.push(("Metadata", code_span(metadata)));
    }
    if !log.problems().is_empty() {
        let problems = log.problems().iter().map(|p| code_span(&options.text(p))).collect::<Vec<_>>().join("; ");
        items.push(("Decoding problems", problems));
    }
    if !warnings.is_empty() {
        let warnings = warnings.iter().map(|w| code_span(&options.text(w))).collect::<Vec<_>>().join("; ");
        items.push(("Lifecycle warnings", warnings));
    }
    push_items(out, &items);
    if let Some(delivery) = delivery {
        push_attempts(out, log, delivery);
    }

    if let Some(error) = error.as_deref().filter(|e| e.contains('\n')) {
        out.push_str("\n**Error**\n\n");
        push_fenced(out, "text", error, options.limit);
    }
    if let Some(metadata) = metadata.as_deref().filter(|m| m.len() > 120 || m.contains('\n')) {
        out.push_str("\n**Metadata**\n\n");
        push_fenced(out, "json", &json_text::pretty(metadata), options.limit);
    }
    if !log.extra_fields().is_empty() {
        let mut object = String::from("{");
        for (n, (key, span)) in log.extra_fields().iter().enumerate() {
            if n > 0 {
                object.push(',');
            }
            let _ = write!(object, "{}:{}", serde_json::Value::from(key.as_str()), log.slice(span));
        }
        object.push('}');
        out.push_str("\n**Other fields the server sent**\n\n");
        push_fenced(out, "json", &json_text::pretty(&json_for_report(&object, options)), options.limit);
    }

    match log.payload() {
        Some(raw) => {
            out.push_str("\n**Request payload**\n\n");
            push_fenced(out, "json", &json_text::pretty(&json_for_report(raw, options)), options.limit);
        }
        None => out.push_str("\n**Request payload:** none (null)\n"),
    }
    push_response_body(out, log, options);
}

/// Compact JSON, masked when redacting.
fn json_for_report(raw: &str, options: Options) -> String {
    let compact = exact(raw, true);
    if options.redact { redact::redact_json(&compact) } else { compact.into_owned() }
}

fn push_response_body(out: &mut String, log: &WebhookLog, options: Options) {
    let Some(body) = log.response_body_text() else {
        out.push_str("\n**Response body:** none (null)\n");
        return;
    };
    if body.is_empty() {
        out.push_str("\n**Response body:** empty\n");
        return;
    }
    let is_json = json_text::is_json(&body);
    let body = match (options.redact, is_json) {
        (true, true) => redact::redact_json(&body),
        (true, false) => redact::redact_text(&body),
        (false, _) => body,
    };
    let tag = if is_json { "json" } else { sniff(&body) };
    let shown = if is_json { json_text::pretty(&body) } else { body };
    out.push_str("\n**Response body**\n\n");
    if log.response_truncated {
        let _ = writeln!(
            out,
            "_The body was cut by the server at {SERVER_CUT_AT} characters (it ends in `... [TRUNCATED]`)._\n"
        );
    }
    push_fenced(out, tag, &shown, options.limit);
}

/// A fence language for a body, from its first characters: the API does not return the
/// response's content type.
fn sniff(body: &str) -> &'static str {
    let start = body.trim_start();
    if start.starts_with('{') || start.starts_with('[') {
        return "json";
    }
    if !start.starts_with('<') {
        return "text";
    }
    let head: String = start.chars().take(512).collect::<String>().to_ascii_lowercase();
    if head.starts_with("<!doctype html")
        || ["<html", "<head", "<body", "<div", "<p>"].iter().any(|tag| head.contains(tag))
    {
        "html"
    } else {
        "xml"
    }
}

fn push_items(out: &mut String, items: &[(&str, String)]) {
    for (label, value) in items {
        let _ = writeln!(out, "- **{label}:** {value}");
    }
}

/// A code span that holds any text: its fence longer than any run of backticks inside, and the
/// text made one visible line by [`sanitize::line`], as in the TUI: a value with an escape or a
/// bidi override in it is suspicious, and the reader should see that it is there (an override
/// left in would also reverse what follows it in the rendered ticket).
fn code_span(text: &str) -> String {
    let text = sanitize::line(text);
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let fence = "`".repeat(longest_backtick_run(&text) + 1);
    // A space on each side keeps a leading or trailing backtick off the fence; CommonMark
    // strips exactly one from each side.
    let pad = if text.starts_with('`') || text.ends_with('`') || text.starts_with(' ') && text.ends_with(' ') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fenced block, its fence longer than any run of backticks in the content, so a body that
/// contains a fence cannot close it. Content over `limit` characters is cut at a line end
/// where one is near, with a note saying how much is missing.
fn push_fenced(out: &mut String, tag: &str, content: &str, limit: usize) {
    let content = sanitize::for_report(content, tag == "json");
    let total = content.chars().count();
    let (shown, cut) = if total > limit {
        let end = content.char_indices().nth(limit).map_or(content.len(), |(at, _)| at);
        let end = match content[..end].rfind('\n') {
            Some(line_end) if line_end >= end / 2 => line_end,
            _ => end,
        };
        (&content[..end], total - content[..end].chars().count())
    } else {
        (&*content, 0)
    };
    let fence = "`".repeat(longest_backtick_run(shown).max(2) + 1);
    let _ = writeln!(out, "{fence}{tag}");
    out.push_str(shown);
    if !shown.ends_with('\n') {
        out.push('\n');
    }
    let _ = writeln!(out, "{fence}");
    if cut > 0 {
        let _ = writeln!(out, "\n_… {cut} more characters cut by hookscope_");
    }
}

fn longest_backtick_run(text: &str) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::plain("call_started", "`call_started`")]
    #[case::backticks("a`b``c", "```a`b``c```")]
    #[case::leading_backtick("`x", "`` `x ``")]
    #[case::newline("a\nb\r\nc", "`a␊b␍␊c`")]
    #[case::escape("a\x1b[31mb\u{202e}", "`a␛[31mb⟨U+202E⟩`")]
    #[case::empty("", "(empty)")]
    fn code_spans_hold_any_text(#[case] text: &str, #[case] span: &str) {
        assert_eq!(code_span(text), span);
    }

    #[test]
    fn a_fence_in_the_content_cannot_close_the_block() {
        let mut out = String::new();
        push_fenced(&mut out, "text", "before\n```\n# not a heading\n`````\nafter", usize::MAX);
        assert_eq!(out, "``````text\nbefore\n```\n# not a heading\n`````\nafter\n``````\n");
    }

    #[rstest::rstest]
    #[case::json_object(" {\"a\": 1", "json")]
    #[case::html_doctype("<!DOCTYPE html><html>", "html")]
    #[case::html_fragment("<h1>502</h1><p>Bad gateway</p>", "html")]
    #[case::xml("<?xml version=\"1.0\"?><Response/>", "xml")]
    #[case::text("Internal Server Error", "text")]
    fn bodies_are_sniffed(#[case] body: &str, #[case] tag: &str) {
        assert_eq!(sniff(body), tag);
    }

    #[test]
    fn long_content_is_cut_at_a_line_end_with_a_count() {
        let mut out = String::new();
        push_fenced(&mut out, "text", "aaaa\nbbbb\ncccc", 12);
        assert_eq!(out, "```text\naaaa\nbbbb\n```\n\n_… 5 more characters cut by hookscope_\n");
    }
}
