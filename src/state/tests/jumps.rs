//! `]` / `[` to failures, `!` to warnings, `m` and `d` to compare payloads.

use super::*;
use crate::json_diff::Mark;

fn status_text(state: &State) -> &str {
    state.status.as_ref().map_or("", |status| status.text.as_str())
}

#[rstest]
#[case::next(&[']'], Some(2), "")]
#[case::next_again(&[']', ']'], Some(4), "")]
#[case::wraps_to_the_first(&[']', ']', ']'], Some(2), "wrapped to the first failure")]
#[case::previous_wraps_to_the_last(&['['], Some(4), "wrapped to the last failure")]
#[case::back_from_the_last(&[']', ']', '['], Some(2), "")]
fn brackets_step_through_failures_in_list_order(
    #[case] keys: &[char],
    #[case] expected: Option<i64>,
    #[case] said: &str,
) {
    let mut state = loaded(Filter::default());
    state.status = None;
    for &c in keys {
        send(&mut state, key(c));
    }
    assert_eq!(selected_id(&state), expected);
    assert_eq!(status_text(&state), said);
    assert_eq!(state.filter, Filter::default(), "no filter changed");
}

#[test]
fn brackets_keep_the_filters_and_say_when_none_failed() {
    let mut state = loaded(Filter { status: StatusFilter::Succeeded, ..Filter::default() });
    send(&mut state, key(']'));
    assert_eq!(status_text(&state), "no failed deliveries shown");
    assert_eq!(shown_ids(&state), [1, 3, 5]);
    assert_eq!(state.filter.status, StatusFilter::Succeeded);
}

#[test]
fn a_healthy_call_has_no_warning_to_jump_to() {
    let mut state = loaded(Filter::default());
    assert!(state.warnings.is_empty());
    send(&mut state, key('!'));
    assert_eq!(status_text(&state), "no lifecycle warnings: the deliveries look like a healthy call");
    assert_eq!(selected_id(&state), Some(1));
}

#[test]
fn a_mark_survives_a_refresh_and_m_again_unmarks() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('j'));
    send(&mut state, key('j'));
    send(&mut state, key('m'));
    assert_eq!(status_text(&state), "marked log 3 — press d on another log to compare");
    // A refresh whose first log is gone: the mark follows log 3 to its new place.
    send(&mut state, key('r'));
    let mut fewer = parse_document(CALL.to_owned()).unwrap();
    fewer.logs.logs.remove(0);
    send(&mut state, Msg::Loaded { request: 2, result: Box::new(Ok(fewer)), call_error: None });
    assert_eq!(state.marked, Some(1));
    assert_eq!(selected_id(&state), Some(3));
    send(&mut state, key('m'));
    assert_eq!((state.marked, status_text(&state)), (None, "unmarked log 3"));
}

#[test]
fn d_compares_with_the_marked_log_and_says_how_when_it_cannot() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('d'));
    assert_eq!(status_text(&state), "no log is marked: press m on a log, then d on another to compare");
    assert_eq!(state.popup, Popup::None);
    send(&mut state, key('j'));
    send(&mut state, key('m'));
    send(&mut state, key('d'));
    assert_eq!(status_text(&state), "this is the marked log: select another to compare with it");
    send(&mut state, key('j'));
    send(&mut state, key('d'));
    assert_eq!(state.popup, Popup::Diff { scroll: 0 });
    let diff = state.diff.as_ref().unwrap();
    assert_eq!(diff.title, " Payload diff: log 2 (marked) → log 3 ");
    assert_eq!(
        diff.lines,
        [
            (None, "1 changed · 0 added · 0 removed".to_owned()),
            (Some(Mark::Changed), "~ text: \"I want a refund\" → \"hello\"".to_owned())
        ]
    );
    send(&mut state, code(KeyCode::Esc));
    assert_eq!((state.popup.clone(), state.diff.is_none()), (Popup::None, true));
    // Log 5 has no payload: compared as null, and said.
    send(&mut state, key('G'));
    send(&mut state, key('d'));
    let lines: Vec<&str> = state.diff.as_ref().unwrap().lines.iter().map(|(_, line)| line.as_str()).collect();
    assert_eq!(
        lines,
        [
            "the selected log 5 has no request payload (compared as null)",
            "1 changed · 0 added · 0 removed",
            "~ (the whole payload): {\"text\":\"I want a refund\"} → null",
        ]
    );
}
