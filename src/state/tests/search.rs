//! The search line and the text search: filtering as you type, Esc, n/N across tabs and logs,
//! the columns a filter measures, and times searched as the clock shows them.

use super::*;

fn type_into_search(state: &mut State, text: &str) {
    for c in text.chars() {
        send(state, key(c));
    }
}

#[test]
fn the_list_follows_the_search_as_it_is_typed_enter_keeps_it_and_esc_restores_the_one_before() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('/'));
    type_into_search(&mut state, "REF");
    assert_eq!(state.popup, Popup::Search { input: "REF".into(), previous: String::new() });
    assert_eq!((state.filter.text.as_str(), shown_ids(&state)), ("REF", vec![2, 4]), "filtered while typing");
    assert!(!state.detail.as_ref().unwrap().match_lines.is_empty(), "matches are marked in the detail");
    send(&mut state, code(KeyCode::Backspace));
    send(&mut state, code(KeyCode::Backspace));
    assert_eq!(state.filter.text, "R");
    send(&mut state, code(KeyCode::Enter));
    assert_eq!((state.popup.clone(), state.filter.text.as_str()), (Popup::None, "R"), "Enter keeps what is typed");

    send(&mut state, key('/'));
    type_into_search(&mut state, "EFUND");
    assert_eq!(shown_ids(&state), [2, 4]);
    send(&mut state, code(KeyCode::Esc));
    assert_eq!(state.popup, Popup::None);
    assert_eq!(state.filter.text, "R", "Esc puts back the search from before the line opened");
    assert_eq!(shown_ids(&state), [1, 2, 3, 4], "and its results");

    send(&mut state, key('/'));
    send(&mut state, Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    assert_eq!(shown_ids(&state), [1, 2, 3, 4, 5], "an emptied line shows every log");
    send(&mut state, code(KeyCode::Esc));
    assert_eq!(state.filter.text, "R");
}

#[test]
fn while_a_search_runs_the_list_keeps_the_results_of_the_text_it_extends() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('/'));
    type_into_search(&mut state, "refu");
    assert_eq!(shown_ids(&state), [2, 4]);
    // The search for "refun" is asked for but has not answered.
    let effects = state.update(key('n'));
    assert!(effects.iter().any(|e| matches!(e, Effect::Search { query, .. } if query == "refun")), "{effects:?}");
    assert!(state.searching);
    assert_eq!(shown_ids(&state), [2, 4], "no flash of every log between two keys");
    // Unrelated text does not keep them: every log shows until its search answers.
    state.update(Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)));
    state.update(key('z'));
    assert_eq!(shown_ids(&state), [1, 2, 3, 4, 5]);
}

#[test]
fn esc_closes_the_innermost_thing_then_clears_the_text_filter_and_nothing_else() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('f'));
    send(&mut state, key('/'));
    type_into_search(&mut state, "refund");
    send(&mut state, code(KeyCode::Enter));
    send(&mut state, key('j'));
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![2, 4], Some(4)));

    send(&mut state, key('t'));
    send(&mut state, code(KeyCode::Esc));
    assert_eq!((state.popup.clone(), state.filter.text.as_str()), (Popup::None, "refund"), "Esc closes the popup");
    send(&mut state, code(KeyCode::Enter));
    send(&mut state, code(KeyCode::Esc));
    assert!(!state.zoomed, "Esc leaves the full-screen detail");
    assert_eq!(state.filter.text, "refund");
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, code(KeyCode::Esc));
    assert_eq!((state.focus, state.filter.text.as_str()), (Focus::List, "refund"), "Esc gives the list the focus");

    send(&mut state, code(KeyCode::Esc));
    assert_eq!(state.filter.text, "", "then Esc clears the text filter");
    assert_eq!(state.search.is_none(), state.detail.as_ref().unwrap().match_lines.is_empty());
    assert_eq!(shown_ids(&state), [2, 4], "the failed filter stays");
    assert_eq!(selected_id(&state), Some(4), "on the same log");
    send(&mut state, code(KeyCode::Esc));
    assert_eq!((shown_ids(&state), state.filter.status), (vec![2, 4], StatusFilter::Failed), "c clears the rest");
}

#[test]
fn search_results_for_an_older_query_are_dropped() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('/'));
    let first = state.update(key('a'));
    let Some(Effect::Search { generation: old, .. }) = first.into_iter().find(|e| matches!(e, Effect::Search { .. }))
    else {
        panic!("a search starts")
    };
    state.update(key('b'));
    state.update(Msg::Searched { generation: old, matches: Arc::new(vec![false; 5]) });
    assert!(state.searching, "the stale answer is ignored; the newer search is still awaited");
    assert_eq!(shown_ids(&state), [1, 2, 3, 4, 5]);
}

fn status_text(state: &State) -> &str {
    state.status.as_ref().map_or("", |status| status.text.as_str())
}

#[test]
fn n_and_shift_n_walk_the_matches_from_log_to_log_and_wrap() {
    let mut state = loaded(Filter { text: "refund".into(), ..Filter::default() });
    assert_eq!((shown_ids(&state), selected_id(&state)), (vec![2, 4], Some(2)));
    send(&mut state, key('n'));
    assert_eq!(status_text(&state), "match 1 of 1 in Payload");
    send(&mut state, key('n'));
    assert_eq!((selected_id(&state), state.tab), (Some(4), Tab::Payload));
    assert_eq!(status_text(&state), "match 1 of 1 in Payload of log 4");
    assert_eq!(state.detail.as_ref().unwrap().current_match, Some(0));
    send(&mut state, key('n'));
    assert_eq!(selected_id(&state), Some(2));
    assert_eq!(status_text(&state), "match 1 of 1 in Payload of log 2 (wrapped to the top)");
    send(&mut state, key('N'));
    assert_eq!(selected_id(&state), Some(4));
    assert_eq!(status_text(&state), "match 1 of 1 in Payload of log 4 (wrapped to the bottom)");
}

#[test]
fn n_goes_on_in_the_tab_that_matches() {
    let mut state = loaded(Filter { text: "gateway".into(), ..Filter::default() });
    assert_eq!((selected_id(&state), state.tab), (Some(2), Tab::Payload));
    send(&mut state, key('n'));
    assert_eq!(state.tab, Tab::Response, "the payload has no match, the body has");
    assert_eq!(status_text(&state), "match 1 of 1 in Response of log 2");
    // "timeout" is in the list and the summary of log 4, in none of its tabs.
    let mut state = loaded(Filter { text: "timeout".into(), ..Filter::default() });
    send(&mut state, key('b'));
    send(&mut state, key('n'));
    assert_eq!((selected_id(&state), state.tab), (Some(4), Tab::Response));
    assert_eq!(status_text(&state), "log 4 matches in its summary, not in a tab (the only log that matches)");
}

#[test]
fn n_without_a_search_says_how_to_search() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('n'));
    assert_eq!(status_text(&state), "no search: / searches the logs");
}

#[test]
fn the_type_column_is_measured_over_every_shown_row_once_per_filter() {
    let mut state = loaded(Filter::default());
    assert_eq!(state.type_width, 12, "call_started, the widest of all");
    send(&mut state, key('G'));
    assert_eq!(state.type_width, 12, "scrolling changes nothing");
    send(&mut state, key('2'));
    assert_eq!(state.type_width, 10, "transcripts only");
}

#[test]
fn toggling_the_clock_searches_again_with_times_as_they_now_read() {
    let mut state = loaded(Filter { text: "00:00".into(), ..Filter::default() });
    let effects = state.update(key('z'));
    assert!(
        effects.iter().any(|e| matches!(e, Effect::Search { time: crate::model::time::TimeDisplay::Local, .. })),
        "{effects:?}"
    );
    assert!(state.update(key('z')).iter().any(|e| matches!(e, Effect::Search { .. })));
    state.update(key('c'));
    assert!(state.update(key('z')).is_empty(), "no search without text");
}

/// A paste goes into the open search line as one line, as typing it would, and is cut to the
/// line's limit; anywhere else it does nothing (it is not a string of commands).
#[test]
fn a_paste_types_into_the_search_line_only() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Paste("qqq".into()));
    assert!(!state.quitting, "pasted text is not keys");
    assert_eq!(state.popup, Popup::None);
    send(&mut state, key('/'));
    send(&mut state, key('a'));
    send(&mut state, Msg::Paste("re\u{7}fund\r\nlate\tnow\u{1b}[2J".into()));
    assert_eq!(state.popup, Popup::Search { input: "arefund late now[2J".into(), previous: String::new() });
    assert_eq!(state.filter.text, "arefund late now[2J", "the list follows a paste as it does typing");
    send(&mut state, Msg::Paste("é".repeat(2 * MAX_SEARCH_BYTES)));
    let Popup::Search { input, .. } = state.popup.clone() else { panic!("the search line closed") };
    assert!(input.len() <= MAX_SEARCH_BYTES && input.len() > MAX_SEARCH_BYTES - 2, "{}", input.len());
    send(&mut state, key('z'));
    send(&mut state, key('z'));
    let Popup::Search { input: full, .. } = state.popup.clone() else { panic!("the search line closed") };
    assert_eq!(full.len(), MAX_SEARCH_BYTES, "a full line takes no more");
    assert!(full.starts_with(&input));
    send(&mut state, code(KeyCode::Esc));
    assert_eq!(state.popup, Popup::None);
}
