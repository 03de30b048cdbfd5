//! The header's figures for the shown logs: how many deliveries and attempts, how many
//! deliveries finally failed, how fast the attempts were.

use crate::model::WebhookLog;
use crate::model::chains::Chains;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Summary {
    pub deliveries: usize,
    pub attempts: usize,
    /// Deliveries whose last attempt succeeded.
    pub succeeded: usize,
    /// Deliveries whose last attempt failed.
    pub failed: usize,
    pub average_ms: Option<u64>,
    pub p95_ms: Option<u64>,
}

impl Summary {
    /// Over the shown `deliveries` (indices into `chains`) and `attempts` (indices into `logs`).
    /// Linear time: p95 uses a selection, not a sort, so a filter keystroke over 100,000 logs
    /// stays within a frame.
    #[must_use]
    pub fn of(logs: &[WebhookLog], chains: &Chains, deliveries: &[usize], attempts: &[usize]) -> Self {
        let succeeded = deliveries.iter().filter(|&&c| chains.get(c).is_some_and(|c| logs[c.last()].success)).count();
        let mut times: Vec<u64> = attempts.iter().filter_map(|&i| logs[i].response_time_ms).collect();
        // Summed wide: a server can send a time near u64::MAX, and two of them overflow a u64.
        let average_ms = (!times.is_empty()).then(|| {
            let sum: u128 = times.iter().map(|&ms| u128::from(ms)).sum();
            u64::try_from(sum / times.len() as u128).unwrap_or(u64::MAX)
        });
        let p95_ms = (!times.is_empty()).then(|| {
            // Nearest-rank p95: the smallest value with at least 95% of values at or below it.
            let rank = (times.len() * 95).div_ceil(100).max(1) - 1;
            *times.select_nth_unstable(rank).1
        });
        let (deliveries, attempts) = (deliveries.len(), attempts.len());
        Self { deliveries, attempts, succeeded, failed: deliveries - succeeded, average_ms, p95_ms }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

    #[test]
    fn counts_and_percentiles_cover_the_shown_logs() {
        let entries: Vec<String> = (1..=20)
            .map(|i| {
                format!(
                    r#"{{"id": {i}, "webhook_url": "u", "webhook_type": "t", "success": {}, "response_time_ms": {}}}"#,
                    i % 4 != 0,
                    i * 10
                )
            })
            .chain([
                r#"{"id": 99, "webhook_url": "u", "webhook_type": "t", "success": false, "response_time_ms": null}"#
                    .to_owned(),
            ])
            .collect();
        let set = LogSet::parse(format!("[{}]", entries.join(","))).unwrap();
        let all: Vec<usize> = (0..set.logs.len()).collect();
        let chains = Chains::build(&set);
        let summary = Summary::of(&set.logs, &chains, &all, &all);
        let expected = Summary {
            deliveries: 21,
            attempts: 21,
            succeeded: 15,
            failed: 6,
            average_ms: Some(105),
            p95_ms: Some(190),
        };
        assert_eq!(summary, expected);
        assert_eq!(Summary::of(&set.logs, &chains, &[], &[]), Summary::default());
    }

    #[test]
    fn times_near_the_top_of_u64_do_not_overflow_the_average() {
        // The largest f64 below 2^64 (larger times are refused when decoding), twice.
        let entry = |id| {
            format!(
                r#"{{"id": {id}, "webhook_url": "u", "webhook_type": "t", "success": true, "response_time_ms": 18446744073709549568}}"#
            )
        };
        let set = LogSet::parse(format!("[{}, {}]", entry(1), entry(2))).unwrap();
        let summary = Summary::of(&set.logs, &Chains::build(&set), &[0, 1], &[0, 1]);
        let top = Some(18_446_744_073_709_549_568);
        assert_eq!((summary.average_ms, summary.p95_ms), (top, top));
    }
}
