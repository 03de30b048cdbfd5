use super::*;
use crate::model::LogSet;

/// `a` fails twice then delivers (one delivery of three attempts), `b` delivers twice
/// (two deliveries: a success ends one), one undated `a`.
const LOGS: &str = r#"[
{"id":1,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:00Z","success":false},
{"id":2,"call_id":5,"webhook_url":"u","webhook_type":"b","request_payload":{"k":2},"attempted_at":"2025-01-01T00:00:10Z","success":true},
{"id":3,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:00:20Z","success":false},
{"id":4,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":1},"attempted_at":"2025-01-01T00:01:00Z","success":true},
{"id":5,"call_id":5,"webhook_url":"u","webhook_type":"b","request_payload":{"k":2},"attempted_at":"2025-01-01T00:01:40Z","success":true},
{"id":6,"call_id":5,"webhook_url":"u","webhook_type":"a","request_payload":{"k":9},"attempted_at":null,"success":true}
]"#;

fn set() -> LogSet {
    LogSet::parse(LOGS).unwrap()
}

fn all(set: &LogSet) -> Vec<usize> {
    (0..set.logs.len()).collect()
}

fn ids(set: &LogSet, logs: &[usize]) -> Vec<i64> {
    logs.iter().map(|&at| set.logs[at].id).collect()
}

#[test]
fn a_delivery_ends_at_its_success() {
    let set = set();
    let groups: Vec<Vec<i64>> = deliveries(&Chains::build(&set), &all(&set)).iter().map(|g| ids(&set, g)).collect();
    assert_eq!(groups, [vec![1, 3, 4], vec![2], vec![5], vec![6]]);
}

#[test]
fn lanes_in_order_of_first_appearance_marks_bucketed_and_chains_joined() {
    let set = set();
    let timeline = Timeline::build(&set.logs, &Chains::build(&set), None, set.first_attempt(), &all(&set), 11);
    assert_eq!(timeline.span_ms, 100_000, "first to last attempt without call details");
    assert_eq!(timeline.undated, 1);
    let names: Vec<&str> = timeline.lanes.iter().map(|lane| lane.name.as_str()).collect();
    assert_eq!(names, ["a", "b"]);
    let a = &timeline.lanes[0].cells;
    // 0 s, 20 s and 60 s land in columns 0, 2 and 6; the chain joins 1..=5.
    assert_eq!((a[0].failed, a[2].failed, a[6].delivered), (1, 1, 1));
    let joined: Vec<usize> = (0..11).filter(|&c| a[c].joined).collect();
    assert_eq!(joined, [1, 2, 3, 4, 5]);
    assert!(timeline.lanes[1].cells.iter().all(|cell| !cell.joined), "two deliveries, none retried");
}

#[test]
fn the_call_details_widen_the_axis() {
    let set = set();
    let call = CallInfo {
        started_at: Some("2024-12-31T23:59:50Z".into()),
        ended_at: Some("2025-01-01T00:02:00".into()),
        ..CallInfo::default()
    };
    let timeline = Timeline::build(&set.logs, &Chains::build(&set), Some(&call), set.first_attempt(), &all(&set), 14);
    assert_eq!(timeline.span_ms, 130_000);
    assert_eq!(timeline.t_zero_ms, 10_000, "T+0 stays at the first attempt, as the detail says it");
    assert_eq!(timeline.lanes[0].attempts[0].at_ms, 10_000);
}

#[test]
fn nothing_dated_places_nothing() {
    let set = set();
    let timeline = Timeline::build(&set.logs, &Chains::build(&set), None, None, &[5], 40);
    assert_eq!((timeline.start, timeline.lanes.len(), timeline.undated), (None, 0, 1));
    assert_eq!(Timeline::build(&set.logs, &Chains::build(&set), None, None, &[], 40).undated, 0);
}

#[test]
fn moving_along_a_lane_and_across_lanes() {
    let set = set();
    let timeline = Timeline::build(&set.logs, &Chains::build(&set), None, set.first_attempt(), &all(&set), 60);
    let log = |id: i64| set.logs.iter().position(|log| log.id == id);
    let id = |at: Option<usize>| at.map(|at| set.logs[at].id);
    assert_eq!(id(timeline.step_in_lane(&set.logs, log(1), true)), Some(3));
    assert_eq!(id(timeline.step_in_lane(&set.logs, log(4), true)), Some(4), "stays at the lane's end");
    assert_eq!(id(timeline.step_in_lane(&set.logs, log(3), false)), Some(1));
    assert_eq!(id(timeline.change_lane(&set.logs, log(3), true)), Some(2), "20 s: 10 s is nearer than 100 s");
    assert_eq!(id(timeline.change_lane(&set.logs, log(5), false)), Some(4));
    assert_eq!(id(timeline.step_in_lane(&set.logs, log(6), true)), Some(1), "undated: from the first");
}

#[rstest::rstest]
#[case(0, "0s")]
#[case(450, "450ms")]
#[case(34_000, "34s")]
#[case(120_000, "2m")]
#[case(148_000, "2m28s")]
#[case(3_900_000, "1h05m")]
fn offsets_read_short(#[case] ms: u64, #[case] text: &str) {
    assert_eq!(offset_text(ms), text);
}

#[test]
fn ticks_keep_apart_and_end_at_the_span() {
    let timeline = Timeline { start: None, span_ms: 148_000, columns: 60, ..Timeline::default() };
    let ticks = ticks(&timeline, 10);
    assert_eq!(ticks.first(), Some(&(0, "T+0s".to_owned())));
    assert_eq!(ticks.last().map(|(_, label)| label.as_str()), Some("T+2m28s"));
    for pair in ticks.windows(2) {
        assert!(pair[0].0 + pair[0].1.len() < pair[1].0, "{ticks:?}");
    }
    let last = ticks.last().unwrap();
    assert_eq!(last.0 + last.1.len(), 60, "the end label ends at the last column");
}

/// `T+0` is the call's first attempt: ticks start there, not at the axis's start (the call's
/// start, earlier), and the end says its own `T+`.
#[test]
fn ticks_count_from_the_first_attempt() {
    let timeline = Timeline { start: None, span_ms: 70_000, t_zero_ms: 10_000, columns: 71, ..Timeline::default() };
    let placed = ticks(&timeline, 10);
    assert_eq!(placed.first(), Some(&(10, "T+0s".to_owned())));
    assert_eq!(placed.last().map(|(_, label)| label.as_str()), Some("T+1m"));
    let hidden_origin = Timeline { t_zero_ms: -5_000, ..timeline };
    assert_eq!(
        ticks(&hidden_origin, 10).first(),
        Some(&(10, "T+15s".to_owned())),
        "the first whole step (15 s) on the axis"
    );
}

/// Payloads that share their length and ends but differ inside are different events; a null
/// payload is an event of its own.
#[test]
fn payloads_are_compared_whole() {
    let pad = "x".repeat(100);
    let entry = |id: u8, middle: char, payload: bool| {
        let body = if payload { format!(r#"{{"a":"{pad}{middle}{pad}"}}"#) } else { "null".to_owned() };
        format!(
            r#"{{"id":{id},"webhook_url":"u","webhook_type":"t","request_payload":{body},"attempted_at":"2025-01-01T00:00:0{id}Z","success":false}}"#
        )
    };
    let text = format!(
        "[{},{},{},{},{}]",
        entry(1, 'a', true),
        entry(2, 'b', true),
        entry(3, 'a', true),
        entry(4, 'a', false),
        entry(5, 'a', false)
    );
    let set = LogSet::parse(text).unwrap();
    let groups: Vec<Vec<i64>> = deliveries(&Chains::build(&set), &all(&set)).iter().map(|g| ids(&set, g)).collect();
    assert_eq!(groups, [vec![1, 3], vec![2], vec![4, 5]]);
}
