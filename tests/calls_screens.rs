//! Every state of the call list (`hookscope calls`), drawn to a test terminal at 120×40 and 80×24.

#[path = "support/buffer_text.rs"]
mod buffer_text;
#[path = "support/keys.rs"]
mod keys;

use hookscope::action::LoadFailure;
use hookscope::browser::{Browser, CallsMsg, Deliveries};
use hookscope::calls_query::CallQuery;
use hookscope::cli::Theme as ThemeName;
use hookscope::keymap::Keymap;
use hookscope::model::{CallInfo, CallPage};
use hookscope::ui::{browser::render, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

const STATUSES: [&str; 5] = ["completed", "completed", "failed", "in-progress", "no-answer"];
const ASSISTANTS: [&str; 3] = ["Front desk", "After-hours support line", "Billing"];

/// Call `id`, started `n` × 7 minutes before 2025-01-15 10:00 UTC.
fn call(id: i64, n: i64) -> CallInfo {
    let index = usize::try_from(n).unwrap();
    let started = jiff::Timestamp::from_second(1_736_935_200 - n * 420).unwrap();
    let assistant = if n % 4 == 3 {
        format!(r#""assistant_id": {}"#, 7 + n)
    } else {
        format!(r#""assistant_name": "{}", "assistant_id": 7"#, ASSISTANTS[index % 3])
    };
    CallInfo::from_json(&format!(
        r#"{{"id": {id}, "call_sid": "CA{:032x}", "status": "{}", {assistant}, "duration": {},
            "customer_phone_number": "+1555{:07}", "started_at": "{}"}}"#,
        u128::try_from(id).unwrap().wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834),
        STATUSES[index % 5],
        (n * 37) % 900,
        9_876_543 - n,
        started.strftime("%Y-%m-%dT%H:%M:%S%.6f"),
    ))
    .unwrap()
}

fn page(count: i64, total: u64) -> CallPage {
    let calls: Vec<CallInfo> = (0..count).map(|n| call(4812 - n, n)).collect();
    CallPage { received: calls.len(), calls, total: Some(total), problems: Vec::new() }
}

fn browser(query: CallQuery, since: Option<&str>, width: u16, height: u16) -> Browser {
    let mut browser = Browser::new(query, since.map(str::to_owned), Keymap::default(), Rect::new(0, 0, width, height));
    browser.start();
    browser
}

fn with_page(mut browser: Browser, page: CallPage) -> Browser {
    browser.update(CallsMsg::Page { request: 1, result: Ok(page) });
    browser
}

fn list(width: u16, height: u16) -> Browser {
    let mut browser = with_page(browser(CallQuery::default(), None, width, height), page(100, 1342));
    browser.update(CallsMsg::Returned { id: 4810, deliveries: Some(Deliveries { total: 12, failed: 3 }) });
    browser.update(CallsMsg::Returned { id: 4811, deliveries: Some(Deliveries { total: 33, failed: 0 }) });
    press(&mut browser, "jj");
    browser
}

fn filtered_query() -> CallQuery {
    CallQuery {
        phone: Some("+15559876543".into()),
        status: Some("failed".into()),
        since: Some("2025-01-15T08:00:00Z".parse().unwrap()),
        ..CallQuery::default()
    }
}

fn press(browser: &mut Browser, keys: &str) {
    for c in keys.chars() {
        browser.update(CallsMsg::Key(keys::key_event(c)));
    }
}

fn screen(browser: &Browser, color: bool) -> String {
    let mut terminal = Terminal::new(TestBackend::new(browser.screen.width, browser.screen.height)).unwrap();
    terminal.draw(|frame| render(frame, browser, &Theme::new(ThemeName::Dark, color))).unwrap();
    let buffer = terminal.backend().buffer();
    buffer_text::buffer_text(buffer)
}

macro_rules! screens {
    ($($name:ident: $build:expr;)*) => {$(
        #[test]
        fn $name() {
            for (width, height) in [(120, 40), (80, 24)] {
                let browser: Browser = $build(width, height);
                insta::assert_snapshot!(format!("{}_{width}x{height}", stringify!($name)), screen(&browser, true));
            }
        }
    )*};
}

screens! {
    calls_loading: |w, h| browser(CallQuery::default(), None, w, h);
    calls_list: list;
    calls_filtered: |w, h| with_page(browser(filtered_query(), Some("2h"), w, h), page(4, 4));
    calls_empty_with_filters: |w, h| with_page(browser(filtered_query(), Some("2h"), w, h), page(0, 0));
    calls_none_at_all: |w, h| with_page(browser(CallQuery::default(), None, w, h), page(0, 0));
    calls_loading_more: |w, h| { let mut b = list(w, h); press(&mut b, "G"); b };
    calls_page_failed: |w, h| {
        let mut b = list(w, h);
        press(&mut b, "G");
        let failure = LoadFailure { message: "server error (502 Bad Gateway)".into(), hint: String::new(), exit_code: 8 };
        b.update(CallsMsg::Page { request: 2, result: Err(failure) });
        b
    };
    calls_first_page_failed: |w, h| {
        let mut b = browser(CallQuery::default(), None, w, h);
        let failure = LoadFailure {
            message: "401 Unauthorized: the key from BURKI_API_KEY (burki_live_…) was refused".into(),
            hint: "Fix the key or URL, then start hookscope again (r retries with the same settings).".into(),
            exit_code: 4,
        };
        b.update(CallsMsg::Page { request: 1, result: Err(failure) });
        b
    };
    calls_phone_line: |w, h| { let mut b = list(w, h); press(&mut b, "/+1 (555) 987-65"); b };
    calls_bad_phone: |w, h| { let mut b = list(w, h); press(&mut b, "/555 call me\n"); b };
    calls_help: |w, h| { let mut b = list(w, h); press(&mut b, "?"); b };
}

/// Without colour, the selection and failures still read: a mark and bold, not only red.
#[test]
fn the_selected_row_is_marked_without_colour() {
    let browser = list(120, 40);
    let text = screen(&browser, false);
    let selected: Vec<&str> = text.lines().filter(|line| line.starts_with("› ")).collect();
    assert_eq!(selected.len(), 1, "{text}");
    assert!(selected[0].contains("4810") && selected[0].contains("12 · 3 failed"), "{text}");
}

/// A number the server sends with control characters cannot move the cursor or recolour.
#[test]
fn server_text_is_sanitized() {
    let mut hostile = call(1, 0);
    hostile.customer_phone_number = Some("+1555\u{1b}[2J\u{7}".into());
    hostile.assistant_name = Some("evil\u{1b}]52;c;AAAA\u{7}".into());
    let page = CallPage { calls: vec![hostile], total: Some(1), received: 1, problems: Vec::new() };
    let browser = with_page(browser(CallQuery::default(), None, 120, 40), page);
    let text = screen(&browser, true);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text}");
}
