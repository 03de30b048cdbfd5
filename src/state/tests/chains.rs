//! Retry chains in the list: one row a delivery, its attempts beneath it, the flat list, the
//! status filter on deliveries, the header's counts and `select_log`.

use super::*;

const CHAINS: &str = include_str!("../../../tests/fixtures/retry-chains.json");

fn chained(filter: Filter) -> State {
    let mut state = State::new("call 202".into(), filter, Keymap::default(), Rect::new(0, 0, 120, 40));
    state.start();
    let result = Box::new(Ok(parse_document(CHAINS.to_owned()).unwrap()));
    send(&mut state, Msg::Loaded { request: 1, result, call_error: None });
    state
}

fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        send(state, key(c));
    }
}

fn index_of(state: &State, id: i64) -> usize {
    state.logs().unwrap().logs.iter().position(|log| log.id == id).unwrap()
}

fn selected_id(state: &State) -> Option<i64> {
    state.selected_log().map(|log| log.id)
}

const DELIVERIES: [i64; 8] = [9101, 9105, 9103, 9107, 9108, 9109, 9110, 9113];

#[rstest]
#[case::one_row_a_delivery_by_its_last_attempt("", &DELIVERIES)]
#[case::failed_means_finally_failed("f", &[9113])]
#[case::succeeded_means_finally_delivered("ff", &[9101, 9105, 9103, 9107, 9108, 9109, 9110])]
#[case::retried_deliveries("fff", &[9105, 9107, 9113])]
#[case::the_cycle_ends_where_it_began("ffff", &DELIVERIES)]
#[case::a_type_keeps_its_deliveries("2", &[9105])]
#[case::flat_every_attempt("x", &[9101, 9102, 9103, 9104, 9105, 9106, 9107, 9108, 9109, 9110, 9111, 9112, 9113])]
#[case::flat_failed_attempts("xf", &[9102, 9104, 9106, 9111, 9112, 9113])]
#[case::flat_retried_attempts_of_deliveries_that_needed_retries("xfff", &[9102, 9104, 9105, 9106, 9107, 9111, 9112, 9113])]
#[case::back_to_chains("xx", &DELIVERIES)]
fn the_list_keys_on_chains(#[case] keys: &str, #[case] expected: &[i64]) {
    let mut state = chained(Filter::default());
    press(&mut state, keys);
    assert_eq!(shown_ids(&state), expected);
}

#[test]
fn a_text_filter_keeps_a_delivery_if_any_attempt_matches() {
    let mut state = chained(Filter::default());
    press(&mut state, "/bad gateway");
    send(&mut state, code(KeyCode::Enter));
    assert_eq!(shown_ids(&state), [9105], "the 502 was the second attempt; the row is the delivery");
}

#[test]
fn space_shows_a_deliverys_attempts_beneath_it_and_hides_them_again() {
    let mut state = chained(Filter::default());
    press(&mut state, "j");
    assert_eq!(selected_id(&state), Some(9105), "a delivery's row selects its last attempt");
    press(&mut state, " ");
    assert_eq!(shown_ids(&state)[..5], [9101, 9105, 9102, 9104, 9103]);
    press(&mut state, "j");
    assert_eq!(selected_id(&state), Some(9102));
    assert_eq!(state.row_kind(index_of(&state, 9102)), RowKind::Try { number: 1, of: 3 });
    press(&mut state, " ");
    assert_eq!(shown_ids(&state), DELIVERIES, "Space on an attempt hides them");
    assert_eq!(selected_id(&state), Some(9105), "and selects its delivery");
    press(&mut state, "g ");
    assert_eq!(shown_ids(&state), DELIVERIES, "a delivery of one attempt has nothing to show");
}

#[test]
fn the_header_counts_deliveries_and_attempts_and_deliveries_that_finally_failed() {
    let mut state = chained(Filter::default());
    let counts = |state: &State| (state.summary.deliveries, state.summary.attempts, state.summary.failed);
    assert_eq!(counts(&state), (8, 13, 1));
    press(&mut state, "x");
    assert_eq!(counts(&state), (8, 13, 1), "the flat list counts the same");
    press(&mut state, "f");
    assert_eq!(counts(&state), (3, 6, 1), "failed attempts belong to three deliveries, one finally failed");
}

#[test]
fn select_log_expands_the_delivery_of_an_earlier_attempt() {
    let mut state = chained(Filter::default());
    let first_try = index_of(&state, 9111);
    send_effects(state.select_log(first_try));
    assert_eq!(selected_id(&state), Some(9111));
    assert!(state.selected_row().is_some(), "shown");
    assert_eq!(shown_ids(&state)[7..], [9113, 9111, 9112]);
    assert_eq!(state.detail.as_ref().map(|detail| detail.log), Some(first_try));
}

fn send_effects(_effects: Vec<Effect>) {}

#[test]
fn the_flat_list_keeps_the_selected_attempt_and_chains_select_its_delivery() {
    let mut state = chained(Filter::default());
    press(&mut state, "x");
    press(&mut state, "j");
    assert_eq!(selected_id(&state), Some(9102));
    press(&mut state, "x");
    assert_eq!(selected_id(&state), Some(9105), "the delivery of the attempt that was selected");
}

#[test]
fn an_export_writes_every_attempt_of_the_shown_deliveries() {
    let mut state = chained(Filter::default());
    press(&mut state, "fff");
    let Some(Effect::Export { logs }) = send(&mut state, key('e')).pop() else { panic!("no export") };
    let set = state.logs().unwrap();
    let ids: Vec<i64> = logs.iter().map(|&i| set.logs[i].id).collect();
    assert_eq!(ids, [9102, 9104, 9105, 9106, 9107, 9111, 9112, 9113]);
}
