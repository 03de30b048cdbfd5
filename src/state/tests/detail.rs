//! The detail pane: tabs and their highlighting, focus and full screen, sideways scrolling,
//! `0` / `$` and wrapping.

use super::*;

#[test]
fn tabs_switch_the_document_and_ask_for_highlighting() {
    let mut state = loaded(Filter::default());
    send(&mut state, key('j')); // log 2: HTML body
    let effects = send(&mut state, key('b'));
    let detail = state.detail.as_ref().unwrap();
    assert_eq!(detail.tab, Tab::Response);
    assert_eq!(detail.doc.lines.as_slice(), ["<html>Bad Gateway</html>"]);
    assert!(
        matches!(effects.as_slice(), [Effect::Highlight { language: crate::highlight::Language::Html, .. }]),
        "{effects:?}"
    );
    send(&mut state, key('j')); // the tab is kept for the next log
    assert_eq!(state.detail.as_ref().unwrap().tab, Tab::Response);
    send(&mut state, key('G')); // log 5 has a null payload
    send(&mut state, key('p'));
    assert_eq!(state.detail.as_ref().unwrap().doc.lines[0], "(no request payload: the server stored null)");
}

#[test]
fn highlight_chunks_for_another_document_are_dropped() {
    let mut state = loaded(Filter::default());
    let doc = state.detail.as_ref().unwrap().doc.id;
    state.update(Msg::Highlighted {
        doc: doc + 100,
        first_line: 0,
        styles: vec![crate::highlight::LineStyles::default()],
    });
    assert!(state.detail.as_ref().unwrap().doc.styles.is_empty());
    state.update(Msg::Highlighted { doc, first_line: 0, styles: vec![crate::highlight::LineStyles::default(); 3] });
    assert_eq!(state.detail.as_ref().unwrap().doc.styles.len(), 3);
}

#[rstest]
#[case::tab_moves_focus(&[code(KeyCode::Tab)], Focus::Detail, false)]
#[case::tab_twice_returns(&[code(KeyCode::Tab), code(KeyCode::Tab)], Focus::List, false)]
#[case::enter_zooms(&[code(KeyCode::Enter)], Focus::Detail, true)]
#[case::esc_unzooms(&[code(KeyCode::Enter), code(KeyCode::Esc)], Focus::List, false)]
#[case::esc_leaves_detail(&[code(KeyCode::Tab), code(KeyCode::Esc)], Focus::List, false)]
fn focus_and_zoom(#[case] keys: &[Msg], #[case] focus: Focus, #[case] zoomed: bool) {
    let mut state = loaded(Filter::default());
    for k in keys {
        let Msg::Key(event) = k else { unreachable!() };
        send(&mut state, Msg::Key(*event));
    }
    assert_eq!((state.focus, state.zoomed), (focus, zoomed));
}

#[test]
fn long_lines_scroll_sideways_no_further_than_the_widest_and_not_into_another_log() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Resize { width: 26, height: 24 });
    send(&mut state, key('a')); // the entry as sent, wider than this pane
    let width = usize::from(state.areas().detail_doc.width);
    let hscroll = |state: &State| state.detail.as_ref().unwrap().hscroll;
    let widest = state.detail.as_ref().unwrap().doc.lines.iter().map(|line| line.chars().count()).max().unwrap();
    assert!(widest > width + width / 2, "{widest} columns in a pane of {width}");
    send(&mut state, key('>'));
    assert_eq!(hscroll(&state), width / 2, "half a pane a press");
    send(&mut state, key('<'));
    send(&mut state, key('<'));
    assert_eq!(hscroll(&state), 0);
    for _ in 0..20 {
        send(&mut state, key('>'));
    }
    assert_eq!(hscroll(&state), widest - width, "the end of the widest line shows, no more");
    send(&mut state, key('<'));
    assert_eq!(hscroll(&state), widest - width - width / 2);
    send(&mut state, key('j'));
    assert_eq!((selected_id(&state), hscroll(&state)), (Some(2), 0), "another log starts at the left");
    let doc = state.areas().detail_doc;
    let swipe = |kind| MouseEvent { kind, column: doc.x + 1, row: doc.y + 1, modifiers: KeyModifiers::NONE };
    send(&mut state, Msg::Mouse(swipe(MouseEventKind::ScrollRight)));
    assert_eq!(hscroll(&state), 4, "a sideways wheel over the detail scrolls it");
    send(&mut state, Msg::Mouse(swipe(MouseEventKind::ScrollLeft)));
    assert_eq!(hscroll(&state), 0);
}

#[test]
fn full_screen_keeps_the_detail_scroll_only_while_the_document_fills_the_pane_from_it() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Resize { width: 80, height: 24 });
    send(&mut state, key('a')); // the raw entry: a dozen lines, more than the pane's four
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, key('G'));
    let lines = state.detail.as_ref().unwrap().doc.lines.len();
    let page = usize::from(state.areas().detail_doc.height);
    assert_eq!(state.detail.as_ref().unwrap().scroll, lines - page, "the bottom of a small pane");
    send(&mut state, code(KeyCode::Enter));
    assert!(usize::from(state.areas().detail_doc.height) >= lines, "full screen holds the whole entry");
    assert_eq!(state.detail.as_ref().unwrap().scroll, 0, "the top, not blank rows under a hidden top");

    send(&mut state, code(KeyCode::Esc));
    send(&mut state, Msg::Resize { width: 80, height: 20 }); // two lines; eight full screen
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, key('g'));
    for _ in 0..3 {
        send(&mut state, key('j'));
    }
    let scroll = state.detail.as_ref().unwrap().scroll;
    assert_eq!(scroll, 3);
    send(&mut state, code(KeyCode::Enter));
    let page = usize::from(state.areas().detail_doc.height);
    assert!(page > 2 && page + scroll <= lines, "the entry still fills {page} lines from line 3 of {lines}");
    assert_eq!(state.detail.as_ref().unwrap().scroll, scroll, "an offset that still fits is kept");
}

#[test]
fn zero_and_dollar_jump_to_the_start_and_end_of_the_lines_shown_and_w_wraps_them() {
    let mut state = loaded(Filter::default());
    send(&mut state, Msg::Resize { width: 26, height: 24 });
    send(&mut state, key('a')); // the entry as sent, wider than this pane
    let doc = state.areas().detail_doc;
    let (width, page) = (usize::from(doc.width), usize::from(doc.height));
    let detail = |state: &State| state.detail.clone().unwrap();
    let widest_shown = detail(&state).doc.lines[..page].iter().map(|line| line.chars().count()).max().unwrap();
    assert!(widest_shown > width, "{widest_shown} columns in a pane of {width}");
    assert_eq!(detail(&state).hidden_right(page, width), widest_shown - width, "said from the start");
    send(&mut state, key('$'));
    assert_eq!(detail(&state).hscroll, widest_shown - width, "the end of the widest line shown");
    assert_eq!(detail(&state).hidden_right(page, width), 0);
    send(&mut state, key('0'));
    assert_eq!(detail(&state).hscroll, 0);

    send(&mut state, key('$'));
    send(&mut state, key('w'));
    assert!(state.wrap);
    assert_eq!(detail(&state).hscroll, 0, "wrapped lines start at the left");
    send(&mut state, key('>'));
    send(&mut state, key('$'));
    assert_eq!(detail(&state).hscroll, 0, "nothing to scroll sideways while lines wrap");
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, key('G'));
    let rows = |from: usize| {
        let lines = &detail(&state).doc.lines[from..];
        lines.iter().map(|line| crate::columns::rows_when_wrapped(line, width)).sum::<usize>()
    };
    let scroll = detail(&state).scroll;
    assert!(rows(scroll) <= page && rows(scroll - 1) > page, "the end wrapped fills the pane, from {scroll}");
    send(&mut state, code(KeyCode::Tab));
    send(&mut state, key('j')); // the next log: lines still wrap
    assert!(state.wrap);
    send(&mut state, key('w'));
    send(&mut state, key('>'));
    assert_eq!(detail(&state).hscroll, width / 2, "sideways again once unwrapped");
}
