//! Per-type (and per-host) figures of the shown logs: deliveries, attempts, success rates and
//! response times, for the stats view and `--print stats`. Pure; computed once per filter.

use std::collections::HashMap;

use unicode_width::UnicodeWidthStr;

use crate::model::WebhookLog;
use crate::model::chains::Chains;
use crate::sanitize;
use crate::timeline::deliveries;

/// One row: a webhook type's figures, or a receiver host's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Row {
    pub name: String,
    /// Distinct events sent (a delivery's retries are one), and how many of them got through.
    pub deliveries: usize,
    pub delivered: usize,
    pub attempts: usize,
    pub succeeded: usize,
    /// Response times, nearest-rank percentiles over the attempts that have one.
    pub p50_ms: Option<u64>,
    pub p95_ms: Option<u64>,
    pub max_ms: Option<u64>,
}

impl Row {
    /// Percent of attempts that succeeded, rounded down (99.9 % is not 100 %).
    #[must_use]
    pub fn success_percent(&self) -> usize {
        (self.succeeded * 100).checked_div(self.attempts).unwrap_or(0)
    }
}

/// The figures of the shown logs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stats {
    /// In order of first appearance, as the timeline's lanes.
    pub by_type: Vec<Row>,
    /// One row a receiver host, only when there are several.
    pub by_host: Vec<Row>,
    /// How many logs the figures are of.
    pub logs: usize,
}

impl Stats {
    /// The figures of the `shown` logs (indexes into `logs`, in attempt order).
    #[must_use]
    pub fn of(logs: &[WebhookLog], chains: &Chains, shown: &[usize]) -> Self {
        let groups = deliveries(chains, shown);
        let by_type = rows(logs, shown, &groups, |log| log.webhook_type.as_str());
        let mut by_host = rows(logs, shown, &groups, WebhookLog::url_host);
        if by_host.len() < 2 {
            by_host.clear();
        }
        Self { by_type, by_host, logs: shown.len() }
    }

    /// The slowest p95 of any row: what the bars are scaled to.
    #[must_use]
    pub fn slowest_p95(&self) -> u64 {
        self.by_type.iter().chain(&self.by_host).filter_map(|row| row.p95_ms).max().unwrap_or(0)
    }
}

/// The rows of each `key`, in order of first appearance.
fn rows<'a>(
    logs: &'a [WebhookLog],
    shown: &[usize],
    groups: &[Vec<usize>],
    key: impl Fn(&'a WebhookLog) -> &'a str,
) -> Vec<Row> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut rows: Vec<(Row, Vec<u64>)> = Vec::new();
    let mut row_of = |log: &'a WebhookLog, rows: &mut Vec<(Row, Vec<u64>)>| {
        *index.entry(key(log)).or_insert_with(|| {
            rows.push((Row { name: key(log).to_owned(), ..Row::default() }, Vec::new()));
            rows.len() - 1
        })
    };
    for &at in shown {
        let log = &logs[at];
        let row = row_of(log, &mut rows);
        let (row, times) = &mut rows[row];
        row.attempts += 1;
        row.succeeded += usize::from(log.success);
        times.extend(log.response_time_ms);
    }
    for group in groups {
        let first = &logs[group[0]];
        let row = row_of(first, &mut rows);
        rows[row].0.deliveries += 1;
        rows[row].0.delivered += usize::from(group.iter().any(|&at| logs[at].success));
    }
    rows.into_iter()
        .map(|(mut row, mut times)| {
            times.sort_unstable();
            row.p50_ms = nearest_rank(&times, 50);
            row.p95_ms = nearest_rank(&times, 95);
            row.max_ms = times.last().copied();
            row
        })
        .collect()
}

/// The nearest-rank percentile of sorted values: the smallest value with at least `percent` %
/// of the values at or below it.
#[must_use]
pub fn nearest_rank(sorted: &[u64], percent: usize) -> Option<u64> {
    let rank = (sorted.len() * percent).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// `--print stats`: an aligned table with one header line, tab-free. `by` says whether a row is
/// a type's or a host's; times are whole milliseconds, `-` when no attempt had one.
#[must_use]
pub fn table(stats: &Stats) -> String {
    let header = ["by", "name", "deliveries", "delivered", "attempts", "success", "p50_ms", "p95_ms", "max_ms"];
    let ms = |value: Option<u64>| value.map_or_else(|| "-".to_owned(), |ms| ms.to_string());
    let mut lines: Vec<[String; 9]> = vec![header.map(str::to_owned)];
    let tagged = stats.by_type.iter().map(|row| ("type", row)).chain(stats.by_host.iter().map(|row| ("host", row)));
    for (by, row) in tagged {
        lines.push([
            by.to_owned(),
            // A name is the server's text: shown visibly, and never with a space that would
            // split the column for a script.
            sanitize::short(&row.name).replace(' ', "\u{2423}"),
            row.deliveries.to_string(),
            row.delivered.to_string(),
            row.attempts.to_string(),
            format!("{}%", row.success_percent()),
            ms(row.p50_ms),
            ms(row.p95_ms),
            ms(row.max_ms),
        ]);
    }
    let width =
        |column: usize| lines.iter().map(|line| UnicodeWidthStr::width(line[column].as_str())).max().unwrap_or(0);
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    for line in &lines {
        let mut text = String::new();
        for (column, cell) in line.iter().enumerate() {
            let pad = widths[column].saturating_sub(cell.width());
            if column > 0 {
                text.push_str("  ");
            }
            // Names to the left, figures to the right.
            if column < 2 {
                text.push_str(cell);
                text.extend(std::iter::repeat_n(' ', pad));
            } else {
                text.extend(std::iter::repeat_n(' ', pad));
                text.push_str(cell);
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

    const LOGS: &str = r#"[
{"id":1,"call_id":5,"webhook_url":"https://a.example/x","webhook_type":"tool_call","request_payload":{"k":1},"response_status_code":502,"response_time_ms":900,"attempted_at":"2025-01-01T00:00:00Z","success":false},
{"id":2,"call_id":5,"webhook_url":"https://a.example/x","webhook_type":"tool_call","request_payload":{"k":1},"response_status_code":200,"response_time_ms":100,"attempted_at":"2025-01-01T00:00:05Z","success":true},
{"id":3,"call_id":5,"webhook_url":"https://b.example/y","webhook_type":"call_ended","request_payload":{"k":2},"response_time_ms":null,"attempted_at":"2025-01-01T00:00:06Z","success":false},
{"id":4,"call_id":5,"webhook_url":"https://a.example/x","webhook_type":"tool_call","request_payload":{"k":3},"response_status_code":200,"response_time_ms":300,"attempted_at":"2025-01-01T00:00:07Z","success":true}
]"#;

    #[test]
    fn per_type_and_per_host() {
        let set = LogSet::parse(LOGS).unwrap();
        let stats = Stats::of(&set.logs, &Chains::build(&set), &[0, 1, 2, 3]);
        let tool = &stats.by_type[0];
        assert_eq!(
            (tool.name.as_str(), tool.deliveries, tool.delivered, tool.attempts, tool.succeeded),
            ("tool_call", 2, 2, 3, 2)
        );
        assert_eq!((tool.p50_ms, tool.p95_ms, tool.max_ms), (Some(300), Some(900), Some(900)));
        assert_eq!(tool.success_percent(), 66);
        let ended = &stats.by_type[1];
        assert_eq!((ended.deliveries, ended.delivered, ended.p50_ms), (1, 0, None));
        let hosts: Vec<&str> = stats.by_host.iter().map(|row| row.name.as_str()).collect();
        assert_eq!(hosts, ["a.example", "b.example"]);
        assert!(Stats::of(&set.logs, &Chains::build(&set), &[0, 1]).by_host.is_empty(), "one host: no host rows");
    }

    #[rstest::rstest]
    #[case(&[], 50, None)]
    #[case(&[7], 95, Some(7))]
    #[case(&[1, 2, 3, 4], 50, Some(2))]
    #[case(&[1, 2, 3, 4], 95, Some(4))]
    #[case(&[10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200], 95, Some(190))]
    fn nearest_rank_percentiles(#[case] sorted: &[u64], #[case] percent: usize, #[case] expected: Option<u64>) {
        assert_eq!(nearest_rank(sorted, percent), expected);
    }

    #[test]
    fn the_table_aligns_and_names_hosts() {
        let set = LogSet::parse(LOGS).unwrap();
        let text = table(&Stats::of(&set.logs, &Chains::build(&set), &[0, 1, 2, 3]));
        assert_eq!(
            text,
            "\
by    name        deliveries  delivered  attempts  success  p50_ms  p95_ms  max_ms
type  tool_call            2          2         3      66%     300     900     900
type  call_ended           1          0         1       0%       -       -       -
host  a.example            2          2         3      66%     300     900     900
host  b.example            1          0         1       0%       -       -       -
"
        );
    }
}
