//! `v` and the timeline's keys: which view is on, which model is built, where the selection goes.

use super::*;

/// Keys typed in order, each through `send`.
fn type_keys(state: &mut State, keys: &str) {
    for c in keys.chars() {
        send(state, key(c));
    }
}

#[test]
fn v_cycles_the_views_and_builds_only_the_one_on() {
    let mut state = loaded(Filter::default());
    assert_eq!((state.view, state.timeline.is_some(), state.stats.is_some()), (View::List, false, false));
    type_keys(&mut state, "v");
    assert_eq!((state.view, state.timeline.is_some(), state.stats.is_some()), (View::Timeline, true, false));
    type_keys(&mut state, "v");
    assert_eq!((state.view, state.timeline.is_some(), state.stats.is_some()), (View::Stats, false, true));
    type_keys(&mut state, "v");
    assert_eq!((state.view, state.timeline.is_some(), state.stats.is_some()), (View::List, false, false));
}

#[rstest]
// Lanes: call_started (1), transcript (2, 3, 4), call_ended (5).
#[case::next_on_the_lane("vjl", Some(3))]
#[case::to_the_lane_end("vjlllll", Some(4))]
#[case::back_on_the_lane("vjllh", Some(3))]
#[case::lane_below_nearest_in_time("vjj", Some(5))]
#[case::lane_above("vjlk", Some(1))]
#[case::stays_at_the_last_lane("vjjj", Some(5))]
// In the list, j moves a row and l a detail tab.
#[case::list_keys_in_the_list("jl", Some(2))]
#[case::the_list_keeps_the_selection("vjlvvj", Some(4))]
fn timeline_keys_move_the_selection(#[case] keys: &str, #[case] expected: Option<i64>) {
    let mut state = loaded(Filter::default());
    type_keys(&mut state, keys);
    assert_eq!(selected_id(&state), expected);
    assert_eq!(state.detail.as_ref().map(|detail| detail.log), state.selected, "the detail follows");
}

#[test]
fn with_the_detail_focused_the_keys_are_the_detail_s() {
    let mut state = loaded(Filter::default());
    type_keys(&mut state, "v");
    send(&mut state, code(KeyCode::Tab));
    type_keys(&mut state, "l");
    assert_eq!((selected_id(&state), state.tab), (Some(1), Tab::Response));
}

#[test]
fn the_views_follow_the_filters() {
    let mut state = loaded(Filter::default());
    type_keys(&mut state, "vf");
    let lanes: Vec<&str> = state.timeline.as_ref().unwrap().lanes.iter().map(|lane| lane.name.as_str()).collect();
    assert_eq!(lanes, ["transcript"], "failed only");
    type_keys(&mut state, "v");
    let figures = state.stats.as_ref().unwrap();
    assert_eq!((figures.logs, figures.by_type.len(), figures.by_type[0].attempts), (2, 1, 2));
}

#[test]
fn a_resize_rebuilds_the_timeline_for_the_new_width() {
    let mut state = loaded(Filter::default());
    type_keys(&mut state, "v");
    let before = state.timeline.as_ref().unwrap().columns;
    send(&mut state, Msg::Resize { width: 80, height: 24 });
    let after = state.timeline.as_ref().unwrap().columns;
    assert!(after < before, "{before} → {after}");
    assert_eq!(after + state.timeline.as_ref().unwrap().label_width + 1, 78, "inside the borders");
}
