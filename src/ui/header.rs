//! The two header lines: which call, and what is shown of it.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::columns::cut;
use crate::model::CallInfo;
use crate::sanitize;
use crate::state::{Load, State};
use crate::units::{millis, size};

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut first = vec![Span::styled("hookscope ", theme.title)];
    let call = state.data.as_ref().and_then(|data| data.call.as_ref());
    let label = call.map_or_else(|| state.source_label.clone(), |call| call_label(call, &state.source_label));
    first.push(Span::raw(label.clone()));
    // While rows arrive, how much has come matters more than the call's facts, which a narrow
    // terminal cuts.
    if let Some(arriving) = arrival_text(state) {
        first.push(Span::styled(" · ", theme.dim));
        first.push(Span::styled(arriving, theme.accent));
    }
    // Following: how fresh the list is, before the call's facts (which a narrow terminal cuts).
    let following = state.follow.text(std::time::Instant::now(), state.fresh.as_ref());
    if let Some(following) = &following {
        first.push(Span::styled(" · ", theme.dim));
        let style = if state.follow.is_warning() { theme.warn } else { theme.accent };
        let room = usize::from(area.width).saturating_sub(Line::from(first.clone()).width());
        first.push(Span::styled(cut(&sanitize::line(following), room), style));
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(call) = call {
        let used = Line::from(first.clone()).width();
        facts = call_facts(call, &label, usize::from(area.width).saturating_sub(used));
    } else if state.call_error.is_some() {
        facts.push("call details unavailable".to_owned());
    }
    let mut used = Line::from(first.clone()).width();
    for fact in facts {
        // Beside the follow state, only the facts that fit whole.
        used += SEPARATOR + fact.width();
        if following.is_some() && used > usize::from(area.width) {
            break;
        }
        first.push(Span::raw(format!(" · {fact}")));
    }
    let mut flags = vec![state.time.label()];
    if state.redact {
        flags.push("redact on".to_owned());
    }
    let flags = Line::from(Span::styled(flags.join(" · "), if state.redact { theme.warn } else { theme.dim }));

    let mut second = Vec::new();
    if let Some(set) = state.logs() {
        let summary = &state.summary;
        let count = counted(summary.deliveries, state.chains.len(), "delivery", "deliveries");
        let attempts = counted(summary.attempts, set.logs.len(), "attempt", "attempts");
        let count = format!("{count} · {attempts}");
        second.push(Span::raw(count));
        second.push(Span::styled(" · ", theme.dim));
        second.push(Span::styled(format!("{} ok", summary.succeeded), theme.ok));
        second.push(Span::styled(" · ", theme.dim));
        second.push(Span::styled(
            format!("{} failed", summary.failed),
            if summary.failed > 0 { theme.failed } else { theme.dim },
        ));
        // The lifecycle check's count, as a word too: it reads without colour.
        match state.warnings.len() {
            0 => {}
            1 => second.push(Span::styled(" · ⚠ 1 warning (!)", theme.warn)),
            n => second.push(Span::styled(format!(" · ⚠ {n} warnings (!)"), theme.warn)),
        }
        if let (Some(avg), Some(p95)) = (summary.average_ms, summary.p95_ms) {
            second.push(Span::styled(format!(" · avg {} · p95 {}", millis(avg), millis(p95)), theme.dim));
        }
        if !set.rejected.is_empty() {
            second.push(Span::styled(format!(" · ⚠ {} unreadable", set.rejected.len()), theme.warn));
        }
        // The toast that told of them expires: the info tab keeps them.
        if !set.body_problems.is_empty() {
            second.push(Span::styled(" · ⚠ response (i)", theme.warn));
        }
        if state.arrival.is_none() && matches!(state.load, Load::Loading { .. }) {
            let again = match &state.retrying {
                Some(retrying) => format!(" · fetching again: {}", retrying.text(std::time::Instant::now())),
                None => " · fetching again…".to_owned(),
            };
            second.push(Span::styled(again, theme.accent));
        }
        if !state.filter.is_empty() {
            second.push(Span::styled("  │ ", theme.dim));
            second.push(Span::styled(filter_summary(state), theme.accent));
        }
    }
    // Times and redaction at the right of the second line; the summary stops a column before
    // them rather than running underneath.
    let width = u16::try_from(flags.width()).unwrap_or(area.width).min(area.width);
    frame.render_widget(Paragraph::new(Line::from(first)), Rect { height: area.height.min(1), ..area });
    let summary = Rect {
        y: area.y + 1,
        width: area.width.saturating_sub(width + 1),
        height: 1.min(area.height.saturating_sub(1)),
        ..area
    };
    frame.render_widget(Paragraph::new(Line::from(fit(second, usize::from(summary.width)))), summary);
    let corner = Rect {
        x: area.right().saturating_sub(width),
        y: area.y + 1,
        width,
        height: 1.min(area.height.saturating_sub(1)),
    };
    frame.render_widget(Paragraph::new(flags), corner);
}

/// The spans cut to `width` columns, the one cut ending in `…`, so a cut reads as one.
fn fit(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut left = width;
    let mut fitted = Vec::with_capacity(spans.len());
    for span in spans {
        let span_width = span.width();
        if span_width <= left {
            left -= span_width;
            fitted.push(span);
        } else {
            fitted.push(Span::styled(cut(&span.content, left), span.style));
            break;
        }
    }
    fitted
}

/// `receiving 3.2 of 13.5 MB (24%) · 2.1 MB/s · 1.5 s` while the rows of the first load arrive.
pub(super) fn arrival_text(state: &State) -> Option<String> {
    let arrival = state.arrival?;
    let received = arrival.progress.received;
    let mut text = format!("receiving {}", size(received));
    if let Some(expected) = arrival.progress.expected.filter(|&expected| expected > 0) {
        let percent = received.saturating_mul(100) / expected;
        let _ = write!(text, " of {} ({percent}%)", size(expected));
    }
    let seconds = arrival.since.elapsed().as_secs_f64();
    if seconds >= 0.2 {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a rate, shown rounded"
        )]
        let rate = (received as f64 / seconds) as usize;
        let _ = write!(text, " · {}/s · {seconds:.1} s", size(rate));
    }
    Some(text)
}

/// `14 deliveries`, or `3 of 14 deliveries` when filters hide some.
fn counted(shown: usize, total: usize, one: &str, many: &str) -> String {
    let noun = if total == 1 { one } else { many };
    if shown == total { format!("{total} {noun}") } else { format!("{shown} of {total} {noun}") }
}

/// `type=transcript,tool_call · failed · /"timeout" (searching…)`.
pub(super) fn filter_summary(state: &State) -> String {
    let mut parts = Vec::new();
    if !state.filter.types.is_empty() {
        let names: Vec<String> = state.filter.types.iter().map(|t| sanitize::short(t).into_owned()).collect();
        parts.push(format!("type={}", names.join(",")));
    }
    if let Some(label) = state.filter.status.label() {
        parts.push(label.to_owned());
    }
    if !state.filter.text.is_empty() {
        let searching = if state.searching { " (searching…)" } else { "" };
        parts.push(format!("/{:?}{searching}", sanitize::short(&state.filter.text)));
    }
    if parts.is_empty() { "no filters".to_owned() } else { parts.join(" · ") }
}

/// Columns of the ` · ` between facts of the first line.
const SEPARATOR: usize = 3;
/// A SID cut shorter than this no longer tells calls apart; it is left out instead (a short
/// one that fits is shown whole).
const SID_MIN: usize = 10;
/// An assistant's name is cut no shorter than this.
const ASSISTANT_MIN: usize = 12;

/// `call 101` for a call opened by its SID, once the call's id is known: the SID then comes
/// with the facts, where a narrow terminal can cut it.
fn call_label(call: &CallInfo, source_label: &str) -> String {
    match (call.id, &call.call_sid) {
        (Some(id), Some(sid)) if source_label.contains(sanitize::short(sid).as_ref()) => format!("call {id}"),
        _ => source_label.to_owned(),
    }
}

/// The call's SID, assistant, status and duration, fitted to `room` columns. The SID is left
/// out when `label` has it already, and cut or left out first when room
/// is short; then the assistant's name is cut. Each comes after a ` · `.
fn call_facts(call: &CallInfo, label: &str, room: usize) -> Vec<String> {
    let sid = call.call_sid.as_deref().map(|sid| sanitize::short(sid).into_owned()).filter(|sid| !label.contains(sid));
    let mut assistant = call.assistant_name.as_deref().map(|name| sanitize::short(name).into_owned());
    let rest: Vec<String> = call
        .status
        .as_deref()
        .map(|status| sanitize::short(status).into_owned())
        .into_iter()
        .chain(call.duration_seconds.map(duration))
        .collect();
    let cost = |facts: &[&String]| facts.iter().map(|fact| fact.width() + SEPARATOR).sum::<usize>();
    let rest_cost = cost(&rest.iter().collect::<Vec<_>>());
    if let Some(name) = &mut assistant {
        let room_for_name = room.saturating_sub(rest_cost + SEPARATOR).max(ASSISTANT_MIN);
        *name = cut(name, room_for_name);
    }
    let left = room.saturating_sub(rest_cost + assistant.as_ref().map_or(0, |name| name.width() + SEPARATOR));
    let room_for_sid = left.saturating_sub(SEPARATOR);
    let sid =
        sid.filter(|sid| sid.width() <= room_for_sid || room_for_sid >= SID_MIN).map(|sid| cut(&sid, room_for_sid));
    sid.into_iter().chain(assistant).chain(rest).collect()
}

/// `2m58s`, or `1h02m05s` past an hour.
fn duration(seconds: f64) -> String {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a call lasts seconds to hours")]
    let whole = seconds.max(0.0).round() as u64;
    if whole < 3600 {
        format!("{}m{:02}s", whole / 60, whole % 60)
    } else {
        format!("{}h{:02}m{:02}s", whole / 3600, whole / 60 % 60, whole % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(sid: &str) -> CallInfo {
        CallInfo::from_json(&format!(
            r#"{{"id": 101, "call_sid": "{sid}", "assistant_name": "Riverside Dental Receptionist", "status": "completed", "duration": 178}}"#
        ))
        .unwrap()
    }

    const SID: &str = "CA3f9b2c7e1d4a40b8e6c5d2a1b0f9e874";

    #[test]
    fn a_call_opened_by_its_sid_does_not_repeat_it() {
        let facts = call_facts(&call(SID), &format!("call {SID}"), 200);
        assert_eq!(facts, ["Riverside Dental Receptionist", "completed", "2m58s"]);
        let facts = call_facts(&call(SID), "call 101", 200);
        assert_eq!(facts, [SID, "Riverside Dental Receptionist", "completed", "2m58s"]);
    }

    #[test]
    fn a_call_opened_by_its_sid_is_labelled_by_its_id_once_known() {
        assert_eq!(call_label(&call(SID), &format!("call {SID}")), "call 101");
        assert_eq!(call_label(&call(SID), "file calls.json"), "file calls.json");
    }

    #[test]
    fn short_room_cuts_the_sid_then_the_assistant_and_keeps_the_status() {
        assert_eq!(
            call_facts(&call(SID), "call 101", 65),
            ["CA3f9b2c7…", "Riverside Dental Receptionist", "completed", "2m58s"]
        );
        assert_eq!(call_facts(&call(SID), "call 101", 52), ["Riverside Dental Receptionist", "completed", "2m58s"]);
        assert_eq!(call_facts(&call(SID), "call 101", 40), ["Riverside Dental…", "completed", "2m58s"]);
    }

    #[test]
    fn a_short_sid_that_fits_is_shown() {
        assert_eq!(call_facts(&call("CAfeed"), "call 101", 80)[0], "CAfeed");
        assert_eq!(call_facts(&call("CAfeed"), "call 101", 52)[0], "Riverside Dental Receptionist", "no room");
    }

    #[test]
    fn durations_past_an_hour_read_in_hours() {
        assert_eq!(duration(178.0), "2m58s");
        assert_eq!(duration(19_791.4), "5h29m51s");
    }
}
