//! The synthetic-call generator that benches and `examples/make_call.rs` rely on: deterministic,
//! decodable, and about the size and failure mix its callers quote.

#[path = "support/synthetic.rs"]
mod synthetic;

use hookscope::model::{LogSet, Outcome};
use synthetic::{big_payload_log_json, synthetic_logs_json};

const COUNT: usize = 20_000;

#[test]
fn the_same_seed_gives_the_same_call() {
    assert_eq!(synthetic_logs_json(500, 42), synthetic_logs_json(500, 42));
    assert_ne!(synthetic_logs_json(500, 42), synthetic_logs_json(500, 43));
    assert_eq!(synthetic_logs_json(0, 1).trim(), "[\n]");
}

#[test]
fn a_big_call_decodes_whole_with_the_advertised_size_and_failure_mix() {
    let text = synthetic_logs_json(COUNT, 7);
    let bytes = text.len();
    let set = LogSet::parse(&text).unwrap();
    assert_eq!(set.logs.len(), COUNT);
    assert!(set.rejected.is_empty(), "{:?}", set.rejected.first());
    assert!(set.logs.iter().all(|log| log.problems().is_empty()), "{:?}", set.problem_report().first());

    let per_log = bytes / COUNT;
    assert!((420..=780).contains(&per_log), "{per_log} bytes a log");

    let failed = set.logs.iter().filter(|log| !log.success).count();
    assert!((COUNT / 10..=COUNT / 5).contains(&failed), "{failed} of {COUNT} failed");

    // Every kind of row the app has to show is in there, many times over.
    let logs = &set.logs;
    let count = |test: &dyn Fn(&hookscope::model::WebhookLog) -> bool| logs.iter().filter(|log| test(log)).count();
    assert!(count(&|log| log.looks_like_timeout() && log.outcome() == Outcome::NoResponse) > 10);
    assert!(count(&|log| log.outcome() == Outcome::TransportError) > 10);
    assert!(count(&|log| log.response_truncated) > 5);
    for code in [200, 201, 202, 204, 301, 302, 401, 404, 422, 429, 500, 502, 503] {
        assert!(count(&|log| log.response_status_code == Some(code)) > 3, "status {code}");
    }
    assert!(count(&|log| log.retry_count > 0) > 50);
    assert!(count(&|log| !log.extra_fields().is_empty()) > 50);
    let mut kinds: Vec<&str> = logs.iter().map(|log| log.webhook_type.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    assert_eq!(kinds.len(), 12, "{kinds:?}");

    // Attempts advance from a fixed start, in file order, in both timestamp forms.
    let raw_order: Vec<i64> = logs.iter().map(|log| log.id).collect();
    assert!(raw_order.windows(2).all(|pair| pair[0] < pair[1]), "already in API order");
    assert!(text.contains(r#""attempted_at":"2025-08-24T19:22"#));
    assert!(logs.iter().filter(|log| log.raw().contains(r#"Z","success""#)).count() > COUNT / 5);
}

#[test]
fn the_big_payload_pretty_prints_to_the_asked_size() {
    let target = 1_500_000;
    let log = big_payload_log_json(target);
    let set = LogSet::parse(format!("[{log}]")).unwrap();
    assert!(set.logs[0].problems().is_empty(), "{:?}", set.logs[0].problems());
    let pretty = hookscope::json_text::pretty(set.logs[0].payload().unwrap()).len();
    assert!(pretty.abs_diff(target) * 20 <= target, "{pretty} bytes pretty-printed");
}
