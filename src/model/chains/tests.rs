use super::*;

/// One attempt: id, type, URL, payload, seconds after 12:00:00 (`None`: undated), success,
/// `retry_count`.
type Attempt = (i64, &'static str, &'static str, &'static str, Option<u32>, bool, u32);

fn set(attempts: &[Attempt]) -> LogSet {
    let entries: Vec<String> = attempts
        .iter()
        .map(|&(id, kind, url, payload, at, success, retries)| {
            let at = at.map_or_else(
                || "null".to_owned(),
                |s| format!("\"2025-01-01T{:02}:{:02}:{:02}Z\"", 12 + s / 3600, s / 60 % 60, s % 60),
            );
            format!(
                r#"{{"id":{id},"call_id":5,"webhook_url":"{url}","webhook_type":"{kind}","request_payload":{payload},
                "attempted_at":{at},"success":{success},"retry_count":{retries}}}"#
            )
        })
        .collect();
    LogSet::parse(format!("[{}]", entries.join(","))).unwrap()
}

/// The chains as ids, and the rule of each.
fn chains(set: &LogSet) -> Vec<(Vec<i64>, GroupedBy)> {
    Chains::build(set)
        .all()
        .iter()
        .map(|chain| (chain.attempts.iter().map(|&at| set.logs[at].id).collect(), chain.grouped_by))
        .collect()
}

const P: &str = r#"{"k":1}"#;
const Q: &str = r#"{"k":2}"#;
const SAME: GroupedBy = GroupedBy::SamePayload { window: RETRY_WINDOW };
const ONE: GroupedBy = GroupedBy::Single;

#[rstest::rstest]
#[case::fail_fail_succeed(
    &[(1, "tool_call", "u", P, Some(0), false, 0), (2, "tool_call", "u", P, Some(10), false, 0), (3, "tool_call", "u", P, Some(34), true, 0)],
    vec![(vec![1, 2, 3], SAME)]
)]
#[case::just_inside_the_window(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(300), true, 0)],
    vec![(vec![1, 2], SAME)]
)]
#[case::same_payload_outside_the_window(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(301), true, 0)],
    vec![(vec![1], ONE), (vec![2], ONE)]
)]
#[case::the_window_runs_from_the_last_attempt(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(200), false, 0), (3, "a", "u", P, Some(450), true, 0)],
    vec![(vec![1, 2, 3], SAME)]
)]
#[case::retries_of_a_success_are_a_new_delivery(
    &[(1, "a", "u", P, Some(0), true, 0), (2, "a", "u", P, Some(5), false, 0), (3, "a", "u", P, Some(9), true, 0)],
    vec![(vec![1], ONE), (vec![2, 3], SAME)]
)]
#[case::interleaved_types(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "b", "u", P, Some(1), false, 0), (3, "a", "u", P, Some(2), true, 0), (4, "b", "u", P, Some(3), true, 0)],
    vec![(vec![1, 3], SAME), (vec![2, 4], SAME)]
)]
#[case::interleaved_urls(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "v", P, Some(1), false, 0), (3, "a", "v", P, Some(2), true, 0), (4, "a", "u", P, Some(3), true, 0)],
    vec![(vec![1, 4], SAME), (vec![2, 3], SAME)]
)]
#[case::same_payload_different_url(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "v", P, Some(1), true, 0)],
    vec![(vec![1], ONE), (vec![2], ONE)]
)]
#[case::different_payload(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", Q, Some(1), true, 0)],
    vec![(vec![1], ONE), (vec![2], ONE)]
)]
#[case::undated_never_join(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, None, true, 0), (3, "a", "u", P, None, true, 0)],
    vec![(vec![1], ONE), (vec![2], ONE), (vec![3], ONE)]
)]
#[case::equal_timestamps_chain_in_id_order(
    &[(2, "a", "u", P, Some(0), true, 0), (1, "a", "u", P, Some(0), false, 0)],
    vec![(vec![1, 2], SAME)]
)]
#[case::retry_count_filled(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(4), false, 1), (3, "a", "u", P, Some(9), true, 2)],
    vec![(vec![1, 2, 3], GroupedBy::RetryCount)]
)]
#[case::retry_count_zero_starts_a_delivery_where_the_server_counts(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(4), false, 0), (3, "a", "u", P, Some(9), true, 1)],
    vec![(vec![1], ONE), (vec![2, 3], GroupedBy::RetryCount)]
)]
#[case::retry_count_skipping_a_number_does_not_join(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "a", "u", P, Some(4), true, 2)],
    vec![(vec![1], ONE), (vec![2], ONE)]
)]
#[case::retry_count_decided_by_event(
    &[(1, "a", "u", P, Some(0), false, 0), (2, "b", "u", P, Some(1), false, 0), (3, "a", "u", P, Some(4), true, 1), (4, "b", "u", P, Some(5), true, 0)],
    vec![(vec![1, 3], GroupedBy::RetryCount), (vec![2, 4], SAME)]
)]
#[case::a_lone_attempt(&[(1, "a", "u", P, Some(0), false, 0)], vec![(vec![1], ONE)])]
fn chains_group_the_attempts_of_one_delivery(
    #[case] attempts: &[Attempt],
    #[case] expected: Vec<(Vec<i64>, GroupedBy)>,
) {
    assert_eq!(chains(&set(attempts)), expected);
}

#[test]
fn every_log_is_in_exactly_one_chain_and_knows_its_place() {
    let set = set(&[
        (1, "a", "u", P, Some(0), false, 0),
        (2, "b", "u", P, Some(1), true, 0),
        (3, "a", "u", P, Some(2), false, 0),
        (4, "a", "u", P, Some(40), true, 0),
    ]);
    let chains = Chains::build(&set);
    assert_eq!(chains.len(), 2);
    assert_eq!((0..4).map(|log| chains.of_log(log).unwrap()).collect::<Vec<_>>(), [0, 1, 0, 0]);
    assert_eq!(chains.attempt_number(2), Some((2, 3)));
    let chain = chains.chain_of(0).unwrap();
    assert_eq!((chain.last(), chain.tries(), chain.delivered(&set)), (3, 3, true));
    assert_eq!(chain.span(&set), Some(Duration::from_secs(40)));
}

#[test]
fn a_duplicate_after_a_success_names_the_delivery_it_repeats() {
    let set = set(&[(1, "a", "u", P, Some(0), true, 0), (2, "a", "u", P, Some(60), true, 0)]);
    let chains = Chains::build(&set);
    assert_eq!(chains.chain_of(1).unwrap().repeats, Some(0));
    assert_eq!(chains.chain_of(0).unwrap().repeats, None);
}

#[test]
fn a_log_with_decoding_problems_stays_alone() {
    let set = LogSet::parse(
        r#"[{"id":1,"webhook_url":"u","webhook_type":"a","attempted_at":"2025-01-01T00:00:01Z","success":false},
        {"id":2,"webhook_url":"u","webhook_type":"a","attempted_at":"2025-01-01T00:00:02Z","success":true,"response_status_code":"x"}]"#,
    )
    .unwrap();
    assert!(!set.logs[1].problems().is_empty(), "the fixture has a bad field");
    assert_eq!(Chains::build(&set).len(), 2);
}

#[test]
fn singles_make_every_log_a_delivery() {
    let chains = Chains::singles(3);
    assert_eq!((chains.len(), chains.of_log(2), chains.chain_of(1).map(Chain::tries)), (3, Some(2), Some(1)));
}
