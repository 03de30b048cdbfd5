//! The two header lines: which call, and what is shown of it.

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::filter::StatusFilter;
use crate::sanitize;
use crate::state::{Load, State};
use crate::units::{millis, size};

pub(super) fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut first = vec![Span::styled("hookscope ", theme.title)];
    let call = state.data.as_ref().and_then(|data| data.call.as_ref());
    first.push(Span::raw(state.source_label.clone()));
    // While rows arrive, how much has come matters more than the call's facts, which a narrow
    // terminal cuts.
    if let Some(arriving) = arrival_text(state) {
        first.push(Span::styled(" · ", theme.dim));
        first.push(Span::styled(arriving, theme.accent));
    }
    let mut facts: Vec<String> = Vec::new();
    if let Some(call) = call {
        facts.extend(call.call_sid.as_deref().map(|sid| sanitize::short(sid).into_owned()));
        facts.extend(call.assistant_name.as_deref().map(|name| sanitize::short(name).into_owned()));
        facts.extend(call.status.as_deref().map(|status| sanitize::short(status).into_owned()));
        facts.extend(call.duration_seconds.map(duration));
    } else if state.call_error.is_some() {
        facts.push("call details unavailable".to_owned());
    }
    for fact in facts {
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
        let total = set.logs.len();
        let count = if summary.shown == total {
            if total == 1 { "1 delivery".to_owned() } else { format!("{total} deliveries") }
        } else {
            format!("{} of {total} shown", summary.shown)
        };
        second.push(Span::raw(count));
        second.push(Span::styled(" · ", theme.dim));
        second.push(Span::styled(format!("{} ok", summary.succeeded), theme.ok));
        second.push(Span::styled(" · ", theme.dim));
        second.push(Span::styled(
            format!("{} failed", summary.failed),
            if summary.failed > 0 { theme.failed } else { theme.dim },
        ));
        if let (Some(avg), Some(p95)) = (summary.average_ms, summary.p95_ms) {
            second.push(Span::styled(format!(" · avg {} · p95 {}", millis(avg), millis(p95)), theme.dim));
        }
        if !set.rejected.is_empty() {
            second.push(Span::styled(format!(" · ⚠ {} unreadable", set.rejected.len()), theme.warn));
        }
        if state.arrival.is_none() && matches!(state.load, Load::Loading { .. }) {
            second.push(Span::styled(" · fetching again…", theme.accent));
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
            fitted.push(Span::styled(crate::export::cut_to_width(&span.content, left), span.style));
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

/// `type=transcript,tool_call · failed · /"timeout" (searching…)`.
pub(super) fn filter_summary(state: &State) -> String {
    let mut parts = Vec::new();
    if !state.filter.types.is_empty() {
        let names: Vec<String> = state.filter.types.iter().map(|t| sanitize::short(t).into_owned()).collect();
        parts.push(format!("type={}", names.join(",")));
    }
    match state.filter.status {
        StatusFilter::All => {}
        StatusFilter::Failed => parts.push("failed only".to_owned()),
        StatusFilter::Succeeded => parts.push("succeeded only".to_owned()),
    }
    if !state.filter.text.is_empty() {
        let searching = if state.searching { " (searching…)" } else { "" };
        parts.push(format!("/{:?}{searching}", sanitize::short(&state.filter.text)));
    }
    if parts.is_empty() { "no filters".to_owned() } else { parts.join(" · ") }
}

fn duration(seconds: f64) -> String {
    #[expect(clippy::cast_possible_truncation, clippy::cast_sign_loss, reason = "a call lasts seconds to hours")]
    let whole = seconds.max(0.0).round() as u64;
    format!("{}m{:02}s", whole / 60, whole % 60)
}
