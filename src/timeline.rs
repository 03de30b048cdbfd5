//! The timeline's model: the shown logs placed on a `T+` axis over the call's span, one lane per
//! webhook type, bucketed into the columns the view has. Built once per (data, filters, width),
//! so that drawing a frame only reads cells, at any size of call.

use std::collections::HashMap;

use jiff::Timestamp;

use crate::model::chains::Chains;
use crate::model::time::parse_timestamp;
use crate::model::{CallInfo, WebhookLog};

/// The `shown` logs (indexes into the logs, in attempt order) grouped by delivery: the retry
/// chains of `model/chains.rs`, built once per load, so a filter change only walks the shown
/// logs. Groups come in the order of their first shown attempt.
#[must_use]
pub fn deliveries(chains: &Chains, shown: &[usize]) -> Vec<Vec<usize>> {
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &at in shown {
        let Some(chain) = chains.of_log(at) else {
            groups.push(vec![at]);
            continue;
        };
        let group = *group_of.entry(chain).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[group].push(at);
    }
    groups
}

/// What one column of a lane holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub delivered: u32,
    pub failed: u32,
    /// Inside a delivery's span, between its first and last attempt.
    pub joined: bool,
}

/// One attempt placed on the axis; ordered by time, then log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Placed {
    /// Milliseconds after the axis starts.
    pub at_ms: u64,
    /// Index into the logs.
    pub log: usize,
}

/// One webhook type's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub name: String,
    /// Its dated attempts, in time order.
    pub attempts: Vec<Placed>,
    /// One per column.
    pub cells: Vec<Cell>,
}

/// The shown logs on the axis, for one width.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Timeline {
    /// Where the axis starts: the call's start, or the first shown attempt when that is
    /// earlier or the start is unknown. `None` when nothing is dated.
    pub start: Option<Timestamp>,
    /// From the axis's start to its end: the call's end, or the last attempt when that is later.
    pub span_ms: u64,
    /// Where `T+0` is, in milliseconds after the axis's start: the call's first attempt, the
    /// origin of every `T+` the explorer shows (negative when that is before the axis, as
    /// when filters hide it and the call's start is unknown).
    pub t_zero_ms: i64,
    pub columns: usize,
    pub lanes: Vec<Lane>,
    /// Shown logs without a time: counted, not placed.
    pub undated: usize,
    /// Columns of the lane labels before the axis, for the view that draws it.
    pub label_width: usize,
}

impl Timeline {
    /// Places the `shown` logs (indexes into `logs`, in attempt order) over `columns` columns,
    /// with `T+0` at the call's first attempt (`origin`).
    #[must_use]
    pub fn build(
        logs: &[WebhookLog],
        chains: &Chains,
        call: Option<&CallInfo>,
        origin: Option<Timestamp>,
        shown: &[usize],
        columns: usize,
    ) -> Self {
        let columns = columns.max(1);
        let call_time = |field: Option<&String>| field.and_then(|text| parse_timestamp(text));
        let (call_start, call_end) =
            (call_time(call.and_then(|c| c.started_at.as_ref())), call_time(call.and_then(|c| c.ended_at.as_ref())));
        let dated = || shown.iter().filter_map(|&at| logs[at].attempted_at);
        let start = [call_start, dated().min()].into_iter().flatten().min();
        let end = [call_end, dated().max()].into_iter().flatten().max();
        let Some(start) = start else {
            return Self { columns, undated: shown.len(), ..Self::default() };
        };
        let offset = |ts: Timestamp| u64::try_from(ts.as_millisecond() - start.as_millisecond()).unwrap_or(0);
        let span_ms = end.map_or(0, offset);
        let t_zero_ms = origin.map_or(0, |origin| origin.as_millisecond() - start.as_millisecond());
        let mut timeline = Self { start: Some(start), span_ms, t_zero_ms, columns, ..Self::default() };

        let mut lane_of: HashMap<&str, usize> = HashMap::new();
        for &at in shown {
            let log = &logs[at];
            let Some(ts) = log.attempted_at else {
                timeline.undated += 1;
                continue;
            };
            let lane = *lane_of.entry(log.webhook_type.as_str()).or_insert_with(|| {
                timeline.lanes.push(Lane {
                    name: log.webhook_type.to_string(),
                    attempts: Vec::new(),
                    cells: vec![Cell::default(); columns],
                });
                timeline.lanes.len() - 1
            });
            let at_ms = offset(ts);
            let column = timeline.column(at_ms);
            let lane = &mut timeline.lanes[lane];
            lane.attempts.push(Placed { at_ms, log: at });
            let bucket = &mut lane.cells[column];
            if log.success {
                bucket.delivered += 1;
            } else {
                bucket.failed += 1;
            }
        }
        // A delivery's attempts joined: +1 after its first column, -1 at its last, summed.
        let mut joins: Vec<Vec<i32>> = vec![vec![0; columns + 1]; timeline.lanes.len()];
        for delivery in deliveries(chains, shown) {
            let mut dated = delivery.iter().filter_map(|&at| logs[at].attempted_at).map(offset);
            let Some(first) = dated.next() else { continue };
            let last = dated.next_back().unwrap_or(first);
            let (first, last) = (timeline.column(first), timeline.column(last));
            if last > first + 1
                && let Some(&lane) = lane_of.get(logs[delivery[0]].webhook_type.as_str())
            {
                joins[lane][first + 1] += 1;
                joins[lane][last] -= 1;
            }
        }
        for (lane, joins) in timeline.lanes.iter_mut().zip(joins) {
            let mut open = 0;
            for (cell, join) in lane.cells.iter_mut().zip(joins) {
                open += join;
                cell.joined = open > 0;
            }
        }
        for lane in &mut timeline.lanes {
            lane.attempts.sort_unstable();
        }
        timeline
    }

    /// The column a time falls in.
    #[must_use]
    pub fn column(&self, at_ms: u64) -> usize {
        if self.span_ms == 0 || self.columns <= 1 {
            return 0;
        }
        let column = u128::from(at_ms.min(self.span_ms)) * (self.columns as u128 - 1) / u128::from(self.span_ms);
        usize::try_from(column).unwrap_or(self.columns - 1)
    }

    /// The lane and place in it of `log`, if it is on the axis.
    #[must_use]
    pub fn position_of(&self, logs: &[WebhookLog], log: usize) -> Option<(usize, usize)> {
        let start = self.start?;
        let ts = logs.get(log)?.attempted_at?;
        let at_ms = u64::try_from(ts.as_millisecond() - start.as_millisecond()).unwrap_or(0);
        let lane = self.lanes.iter().position(|lane| lane.name == *logs[log].webhook_type)?;
        let place = self.lanes[lane]
            .attempts
            .binary_search(&Placed { at_ms, log })
            .ok()
            .or_else(|| self.lanes[lane].attempts.iter().position(|placed| placed.log == log))?;
        Some((lane, place))
    }

    /// The first attempt on the axis: where a selection the axis lacks starts from.
    fn first(&self) -> Option<usize> {
        self.lanes.iter().filter_map(|lane| lane.attempts.first()).min_by_key(|placed| placed.at_ms).map(|p| p.log)
    }

    /// The previous (or next) attempt in time on the selected log's lane; the first attempt on
    /// the axis when the selection is not on it.
    #[must_use]
    pub fn step_in_lane(&self, logs: &[WebhookLog], selected: Option<usize>, forward: bool) -> Option<usize> {
        let Some((lane, place)) = selected.and_then(|log| self.position_of(logs, log)) else { return self.first() };
        let attempts = &self.lanes[lane].attempts;
        let place = if forward { (place + 1).min(attempts.len() - 1) } else { place.saturating_sub(1) };
        Some(attempts[place].log)
    }

    /// The attempt nearest in time to the selected one on the lane below (or above).
    #[must_use]
    pub fn change_lane(&self, logs: &[WebhookLog], selected: Option<usize>, down: bool) -> Option<usize> {
        let Some((lane, place)) = selected.and_then(|log| self.position_of(logs, log)) else { return self.first() };
        let at_ms = self.lanes[lane].attempts[place].at_ms;
        let target = if down { (lane + 1).min(self.lanes.len() - 1) } else { lane.saturating_sub(1) };
        let attempts = &self.lanes[target].attempts;
        let after = attempts.partition_point(|placed| placed.at_ms < at_ms);
        let nearest = [after.checked_sub(1), Some(after).filter(|&i| i < attempts.len())]
            .into_iter()
            .flatten()
            .min_by_key(|&i| attempts[i].at_ms.abs_diff(at_ms))?;
        Some(attempts[nearest].log)
    }
}

/// `0s`, `34s`, `2m28s`, `1h05m`, `450ms`: a time after `T+0`.
#[must_use]
pub fn offset_text(ms: u64) -> String {
    let seconds = ms / 1000;
    match seconds {
        0 if ms > 0 => format!("{ms}ms"),
        0..60 => format!("{seconds}s"),
        60..3600 if seconds.is_multiple_of(60) => format!("{}m", seconds / 60),
        60..3600 => format!("{}m{:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h{:02}m", seconds / 3600, seconds / 60 % 60),
    }
}

/// Tick steps, in milliseconds, from which the axis takes the smallest that keeps labels apart.
const TICK_STEPS: [u64; 17] = [
    100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000,
    3_600_000, 7_200_000,
];

/// The axis's ticks as (column, label): a round step that leaves each label room (`min_gap`
/// columns), the end of the span last when it does not crowd the tick before it.
#[must_use]
pub fn ticks(timeline: &Timeline, min_gap: usize) -> Vec<(usize, String)> {
    let span = timeline.span_ms;
    let columns = timeline.columns;
    let wanted = (columns / min_gap.max(1)).max(1) as u64;
    let step = TICK_STEPS.iter().copied().find(|&step| span / step < wanted).unwrap_or(span.max(1));
    // `T+` times, from the first multiple of the step on the axis (none before `T+0`).
    let axis_at = |t: u64| u64::try_from(i64::try_from(t).unwrap_or(i64::MAX).saturating_add(timeline.t_zero_ms)).ok();
    let t_end = u64::try_from(i64::try_from(span).unwrap_or(i64::MAX) - timeline.t_zero_ms).unwrap_or(0);
    let t_first = u64::try_from(-timeline.t_zero_ms).unwrap_or(0).div_ceil(step) * step;
    let mut ticks: Vec<(usize, String)> = Vec::new();
    let mut t = t_first;
    while let Some(at) = axis_at(t).filter(|&at| at <= span) {
        let column = timeline.column(at);
        if ticks.last().is_none_or(|(last, _)| column >= last + min_gap) {
            ticks.push((column, format!("T+{}", offset_text(t))));
        }
        t += step;
        if span == 0 {
            break;
        }
    }
    let end = timeline.column(span);
    let end_label = format!("T+{}", offset_text(t_end));
    if span > 0 && ticks.last().is_some_and(|(last, _)| *last != end) {
        // The end's label ends at the last column: it replaces a tick it would run into.
        let end_start = end.saturating_sub(end_label.chars().count().saturating_sub(1));
        while ticks.len() > 1 && ticks.last().is_some_and(|(last, label)| last + label.chars().count() + 1 > end_start)
        {
            ticks.pop();
        }
        if ticks.last().is_none_or(|(last, label)| last + label.chars().count() < end_start) {
            ticks.push((end_start, end_label));
        }
    }
    ticks
}

#[cfg(test)]
mod tests;
