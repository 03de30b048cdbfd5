use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use super::*;

fn key(c: char) -> CallsMsg {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\u{1b}' => KeyCode::Esc,
        '\u{8}' => KeyCode::Backspace,
        c => KeyCode::Char(c),
    };
    CallsMsg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn press(browser: &mut Browser, keys: &str) -> Vec<CallsEffect> {
    keys.chars().flat_map(|c| browser.update(key(c))).collect()
}

/// A full page of calls with ids from `first` down.
fn page(first: i64, count: usize, total: Option<u64>) -> CallPage {
    let calls = (0..count)
        .map(|n| {
            let id = first - i64::try_from(n).unwrap();
            crate::model::CallInfo::from_json(&format!(r#"{{"id": {id}, "status": "completed"}}"#)).unwrap()
        })
        .collect();
    CallPage { calls, total, received: count, problems: Vec::new() }
}

/// A browser 24 rows high (20 rows of calls) whose first page has come.
fn loaded(count: usize) -> Browser {
    let mut browser = Browser::new(CallQuery::default(), None, Keymap::default(), Rect::new(0, 0, 80, 24));
    assert_eq!(
        browser.start(),
        [CallsEffect::FetchPage { request: 1, query: CallQuery::default(), skip: 0, limit: PAGE }]
    );
    let effects = browser.update(CallsMsg::Page { request: 1, result: Ok(page(1000, count, Some(250))) });
    assert!(effects.is_empty(), "a first page far from the selection asks for no more: {effects:?}");
    browser
}

fn fetches(effects: &[CallsEffect]) -> Vec<(u64, usize)> {
    effects
        .iter()
        .filter_map(|effect| match effect {
            CallsEffect::FetchPage { request, skip, .. } => Some((*request, *skip)),
            CallsEffect::Open { .. } => None,
        })
        .collect()
}

#[test]
fn the_next_page_is_asked_for_once_when_the_selection_nears_the_end() {
    let mut browser = loaded(PAGE);
    assert_eq!(browser.list_rows(), 20);
    // Row 79 is more than a screen (20 rows) from the end of 100: nothing yet.
    assert!(fetches(&press(&mut browser, &"j".repeat(79))).is_empty());
    assert_eq!(fetches(&press(&mut browser, "j")), [(2, 100)], "row 80 is within a screen of the end");
    assert!(fetches(&press(&mut browser, "jjjG")).is_empty(), "one request at a time");
    assert_eq!(browser.selected, 99);
    // The page comes: the list grows, the selection stays, and the end is near again.
    let effects = browser.update(CallsMsg::Page { request: 2, result: Ok(page(900, PAGE, Some(250))) });
    assert_eq!((browser.calls.len(), browser.selected), (200, 99));
    assert!(fetches(&effects).is_empty(), "row 99 of 200 is not near the end");
    assert_eq!(fetches(&press(&mut browser, "G")), [(3, 200)]);
    // A short page is the last: no request after it.
    browser.update(CallsMsg::Page { request: 3, result: Ok(page(800, 50, Some(250))) });
    assert!(browser.exhausted);
    assert!(fetches(&press(&mut browser, "Gkj")).is_empty());
}

#[test]
fn a_page_whose_calls_were_all_filtered_out_here_leads_to_the_next() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "G");
    let mut empty = page(900, 0, None);
    empty.received = PAGE;
    let effects = browser.update(CallsMsg::Page { request: 2, result: Ok(empty) });
    assert_eq!(fetches(&effects), [(3, 200)], "skip counts what the server sent, not what is shown");
}

#[test]
fn a_failed_later_page_keeps_what_is_loaded_and_says_why() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "G");
    let failure = LoadFailure { message: "server error (502)".into(), hint: String::new(), exit_code: 8 };
    browser.update(CallsMsg::Page { request: 2, result: Err(failure) });
    assert_eq!((browser.load.clone(), browser.calls.len()), (ListLoad::Loaded, 100));
    assert_eq!(browser.page_error.as_deref(), Some("more calls could not be loaded: server error (502) (r reloads)"));
    assert!(fetches(&press(&mut browser, "kj")).is_empty(), "no retry loop on every key");
    assert_eq!(fetches(&press(&mut browser, "r")), [(3, 0)], "r starts over");
    assert_eq!(browser.page_error, None);
}

#[test]
fn a_failed_first_page_is_the_screen_and_the_exit_code() {
    let mut browser = Browser::new(CallQuery::default(), None, Keymap::default(), Rect::new(0, 0, 80, 24));
    browser.start();
    let failure = LoadFailure { message: "401".into(), hint: "Fix the key".into(), exit_code: 4 };
    browser.update(CallsMsg::Page { request: 1, result: Err(failure.clone()) });
    assert_eq!(browser.load, ListLoad::Failed(failure));
    assert_eq!(browser.exit_code(), 4);
}

#[test]
fn a_reply_to_a_superseded_request_is_dropped() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "G");
    press(&mut browser, "r");
    browser.update(CallsMsg::Page { request: 2, result: Ok(page(900, PAGE, None)) });
    assert!(browser.calls.is_empty(), "the old filters' page is not shown");
    browser.update(CallsMsg::Page { request: 3, result: Ok(page(1000, 3, Some(3))) });
    assert_eq!(browser.calls.len(), 3);
}

#[rstest::rstest]
#[case::phone("/+1 (555) 987-6543\n", "phone +15559876543")]
#[case::status("sFailed\n", "status failed")]
#[case::assistant("a42\n", "assistant id 42")]
#[case::since("S2h\n", "since 2h")]
fn a_filter_line_applies_on_enter_and_fetches_from_the_first_page(#[case] keys: &str, #[case] header: &str) {
    let mut browser = loaded(PAGE);
    press(&mut browser, "jjj");
    let effects = press(&mut browser, keys);
    assert_eq!(browser.filters_text(), header);
    assert_eq!(fetches(&effects), [(2, 0)]);
    let CallsEffect::FetchPage { query, .. } = &effects[0] else { unreachable!() };
    assert_eq!(query, &browser.query);
    assert_eq!((browser.selected, browser.scroll, browser.calls.len()), (0, 0, 0));
    assert_eq!(browser.line, None);
}

#[test]
fn a_filter_line_that_cannot_be_read_stays_open_and_esc_cancels_it() {
    let mut browser = loaded(PAGE);
    assert!(press(&mut browser, "/555x\n").is_empty());
    assert_eq!(browser.line.as_ref().map(|line| line.text.as_str()), Some("555x"));
    assert!(browser.status.as_deref().unwrap().starts_with("\"555x\" is not a phone number"), "{:?}", browser.status);
    assert!(press(&mut browser, "\u{1b}").is_empty());
    assert_eq!((browser.line.clone(), browser.query.phone.clone(), browser.calls.len()), (None, None, 100));
    assert!(press(&mut browser, "aforty\n").is_empty());
    assert!(browser.status.as_deref().unwrap().contains("is not an assistant id"));
}

#[test]
fn a_line_opens_with_the_filter_it_edits_and_an_empty_line_drops_it() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "/5559876543\n");
    press(&mut browser, "/");
    assert_eq!(browser.line.as_ref().unwrap().text, "5559876543");
    press(&mut browser, &"\u{8}".repeat(10));
    let effects = press(&mut browser, "\n");
    assert_eq!((browser.query.phone.clone(), fetches(&effects).len()), (None, 1));
}

#[test]
fn c_clears_every_filter_and_only_then_fetches() {
    let mut browser = loaded(PAGE);
    assert!(press(&mut browser, "c").is_empty(), "nothing to clear, nothing fetched");
    press(&mut browser, "sfailed\nS1d\n");
    assert_eq!(browser.filters_text(), "status failed · since 1d");
    assert_eq!(fetches(&press(&mut browser, "c")).len(), 1);
    assert_eq!((browser.query.clone(), browser.since_text.clone()), (CallQuery::default(), None));
}

#[test]
fn enter_opens_the_selected_call_and_coming_back_keeps_the_list_as_it_was() {
    let mut browser = loaded(PAGE);
    press(&mut browser, &"j".repeat(30));
    let before = (browser.selected, browser.scroll, browser.calls.len(), browser.query.clone());
    assert_eq!(before.0, 30);
    assert_eq!(press(&mut browser, "\n"), [CallsEffect::Open { id: 970 }]);
    let deliveries = Some(Deliveries { total: 12, failed: 3 });
    assert!(browser.update(CallsMsg::Returned { id: 970, deliveries }).is_empty());
    assert_eq!((browser.selected, browser.scroll, browser.calls.len(), browser.query.clone()), before);
    assert_eq!(browser.opened[&970].text(false), "12 deliveries · 3 failed");
    assert_eq!(browser.opened[&970].text(true), "12 · 3 failed");
}

#[test]
fn keys_follow_the_mode_help_then_line_then_list() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "?");
    assert_eq!(browser.mode(), Mode::Help);
    press(&mut browser, "jq");
    assert!(!browser.quitting, "q closes the help (any key does)");
    assert_eq!((browser.mode(), browser.selected), (Mode::Calls, 0));
    press(&mut browser, "sq");
    assert_eq!((browser.mode(), browser.line.as_ref().unwrap().text.as_str()), (Mode::Search, "q"));
    press(&mut browser, "\u{1b}q");
    assert!(browser.quitting);
}

#[test]
fn r_counts_a_since_span_from_now_again() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "S2h\n");
    let first = browser.query.since.unwrap();
    browser.query.since = Some(first.checked_sub(jiff::SignedDuration::from_hours(5)).unwrap());
    press(&mut browser, "r");
    let again = browser.query.since.unwrap();
    assert!(again >= first, "{again} is 2 h before now, not 7 h");
    press(&mut browser, "S\u{8}\u{8}2025-01-15T10:00:00Z\n");
    press(&mut browser, "r");
    assert_eq!(browser.query.since, Some("2025-01-15T10:00:00Z".parse().unwrap()));
}

#[test]
fn a_paste_goes_into_the_line_cut_to_its_longest() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "/");
    browser.update(CallsMsg::Paste("+1 (555)\n987-6543".to_owned()));
    assert_eq!(browser.line.as_ref().unwrap().text, "+1 (555)987-6543");
    browser.update(CallsMsg::Paste("5".repeat(1000)));
    assert_eq!(browser.line.as_ref().unwrap().text.len(), MAX_LINE_BYTES);
    press(&mut browser, "5");
    assert_eq!(browser.line.as_ref().unwrap().text.len(), MAX_LINE_BYTES);
}

#[test]
fn the_help_scrolls_to_its_last_page_and_no_further() {
    let mut browser = loaded(PAGE);
    press(&mut browser, "?G");
    let bottom = browser.help.unwrap();
    assert!(bottom > 0, "the list's help is taller than 24 rows");
    press(&mut browser, "j");
    assert_eq!(browser.help, Some(bottom));
    press(&mut browser, "gk");
    assert_eq!(browser.help, Some(0));
}
