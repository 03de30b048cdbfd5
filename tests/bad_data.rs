//! Malformed and extreme API responses. Each case goes through `case_file::parse_document`, the
//! explorer (every tab of the first logs, at 120×40 and 80×24, drawn to a `TestBackend`) and
//! every `--print` renderer (plus curl, the one-log report and the case file), and says what
//! must still hold: no panic, the good logs are all there, a body that is not an array gives the
//! right `DecodeError`, a bad entry or field is named by id and row (or place in the response)
//! and field in `problem_report()`, no cell on screen holds a control, bidi or zero-width character, and the
//! exact outputs read back to the same logs.

#[path = "support/forbidden.rs"]
mod forbidden;

#[path = "support/keys.rs"]
mod keys;

use std::fmt::Write as _;

use forbidden::{first_forbidden, is_forbidden};
use hookscope::action::{LoadFailure, Msg};
use hookscope::case_file::{LoadedCall, parse_document};
use hookscope::cli::Theme as ThemeName;
use hookscope::export;
use hookscope::filter::Filter;
use hookscope::keymap::Keymap;
use hookscope::model::{DecodeError, Outcome, WebhookLog};
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use rstest::rstest;
use unicode_width::UnicodeWidthStr;

/// A complete, valid log in the API's field order; cases change some of its fields.
const GOOD: [(&str, &str); 14] = [
    ("id", "1"),
    ("call_id", "101"),
    ("assistant_id", "3"),
    ("webhook_url", r#""https://hooks.example.com/burki""#),
    ("webhook_type", r#""call_started""#),
    ("request_payload", r#"{"event": "call_started", "call_sid": "CA1", "n": 1}"#),
    ("response_status_code", "200"),
    ("response_body", r#""{\"ok\": true}""#),
    ("response_time_ms", "87"),
    ("attempted_at", r#""2025-08-24T19:22:04.123456""#),
    ("success", "true"),
    ("error_message", "null"),
    ("retry_count", "0"),
    ("webhook_metadata", r#"{"status": "in-progress"}"#),
];

/// A change that removes the field instead of giving it a value.
const ABSENT: &str = "<absent>";

/// Hostile text as JSON string content: C0 escapes (CSI, SGR, OSC 0 and 52 with BEL and ST
/// terminators, DCS, CR, BS, DEL, NUL, VT, FF, tab) escaped as JSON requires, then C1
/// controls, bidi overrides and isolates, zero-width characters and a BOM written raw, which
/// JSON allows.
const HOSTILE: &str = concat!(
    r"\u001b[31mred\u001b[0m \u001b]0;pwned\u0007 \u001b]52;c;aGk=\u001b\\ \u001bP1$r\u001b\\ \u001b[2J",
    r" \r\b\u007f\u0000\u000b\u000c\t|",
    "\u{9b}2J \u{9d}8;;x\u{9c} \u{90}q \u{85} \u{202e}evil\u{202c} \u{2066}iso\u{2069} zero\u{200b}width\u{200c}\u{200d}\u{feff}"
);

/// One log: `id`, the good fields, and `changes` (a new value replaces the field's, an unknown
/// field is appended, [`ABSENT`] removes it).
fn entry(id: i64, changes: &[(&str, &str)]) -> String {
    let mut members: Vec<(String, String)> = GOOD.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    members[0].1 = id.to_string();
    for (key, value) in changes {
        match members.iter().position(|(k, _)| k == key) {
            Some(at) if *value == ABSENT => _ = members.remove(at),
            Some(at) => (*value).clone_into(&mut members[at].1),
            None => members.push(((*key).to_owned(), (*value).to_owned())),
        }
    }
    let mut out = String::from("{");
    for (n, (key, value)) in members.iter().enumerate() {
        let comma = if n > 0 { ", " } else { "" };
        let _ = write!(out, "{comma}{}: {value}", serde_json::Value::from(key.as_str()));
    }
    out.push('}');
    out
}

fn good(id: i64) -> String {
    entry(id, &[])
}

/// `[good 100, bad, good 101]`: the bad entry sits at index 1.
fn around(bad: &str) -> String {
    format!("[{}, {bad}, {}]", good(100), good(101))
}

/// [`around`] a log with id 7 and `changes`.
fn one_bad(changes: &[(&str, &str)]) -> String {
    around(&entry(7, changes))
}

fn array(entries: &[String]) -> String {
    format!("[{}]", entries.join(",\n"))
}

/// What a case must give.
#[derive(Debug)]
enum Want {
    Loads {
        logs: usize,
        rejected: Vec<usize>,
    },
    Fails(DecodeError),
    /// `DecodeError::NotJson` whose text contains this.
    NotJson(&'static str),
}

struct Expect {
    want: Want,
    /// Each pair must be in one problem line (who, what), and every line must match a pair.
    named: Vec<(String, String)>,
    check: Option<fn(&Seen)>,
}

impl Expect {
    fn loads(logs: usize) -> Self {
        Self { want: Want::Loads { logs, rejected: Vec::new() }, named: Vec::new(), check: None }
    }

    fn fails(error: DecodeError) -> Self {
        Self { want: Want::Fails(error), named: Vec::new(), check: None }
    }

    fn not_json(containing: &'static str) -> Self {
        Self { want: Want::NotJson(containing), named: Vec::new(), check: None }
    }

    /// The entry at `index` is rejected, for a reason that contains `why`.
    fn skipped(mut self, index: usize, why: &str) -> Self {
        if let Want::Loads { rejected, .. } = &mut self.want {
            rejected.push(index);
        }
        self.named.push((format!("entry {} of the response: skipped: ", index + 1), why.to_owned()));
        self
    }

    /// The body as a whole has a problem that starts with `what`.
    fn body(mut self, what: &str) -> Self {
        self.named.push((what.to_owned(), String::new()));
        self
    }

    /// The log with `id` loads with a problem naming `field`; the report names it by id and row.
    fn problem(mut self, id: i64, field: &str) -> Self {
        self.named.push((format!("log {id} (row "), format!("): field `{field}`")));
        self
    }

    /// The usual bad log of [`one_bad`]: index 1, id 7.
    fn field(self, field: &str) -> Self {
        self.problem(7, field)
    }

    fn check(mut self, check: fn(&Seen)) -> Self {
        self.check = Some(check);
        self
    }
}

/// Everything a case produced, for its own checks.
struct Seen {
    loaded: LoadedCall,
    /// Every screen drawn, as text.
    screens: Vec<String>,
    json: String,
    ndjson: String,
    table: String,
    markdown: String,
    curls: Vec<String>,
}

impl Seen {
    fn log(&self, id: i64) -> &WebhookLog {
        self.loaded.logs.logs.iter().find(|log| log.id == id).unwrap_or_else(|| panic!("no log {id}"))
    }

    fn any_screen(&self, needle: &str) -> bool {
        self.screens.iter().any(|screen| screen.contains(needle))
    }
}

#[rstest]
// Bodies that are not an array of logs.
#[case::empty_body(String::new(), Expect::fails(DecodeError::Empty))]
#[case::whitespace_only(" \t\r\n  \n".to_owned(), Expect::fails(DecodeError::Empty))]
#[case::no_content_204_like("\r\n".to_owned(), Expect::fails(DecodeError::Empty))]
#[case::detail_object(r#"{"detail": "Not Found"}"#.to_owned(), Expect::fails(DecodeError::NotAnArray("an object")))]
#[case::detail_array_422(
    r#"{"detail": [{"loc": ["path", "call_id"], "msg": "Input should be a valid integer", "type": "int_parsing"}]}"#.to_owned(),
    Expect::fails(DecodeError::NotAnArray("an object"))
)]
#[case::top_level_string(r#""[]""#.to_owned(), Expect::fails(DecodeError::NotAnArray("a string")))]
#[case::top_level_number("42".to_owned(), Expect::fails(DecodeError::NotAnArray("a number")))]
#[case::top_level_null("null".to_owned(), Expect::fails(DecodeError::NotAnArray("null")))]
#[case::html_page(
    "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body>\x1b]0;x\x07</body></html>".to_owned(),
    Expect::fails(DecodeError::NotJson("an HTML or XML page".to_owned()))
)]
#[case::plain_text_500("Internal Server Error\x1b[2J".to_owned(), Expect::not_json("starting \"Internal Server Error"))]
// A body cut short, or broken around its entries, keeps every complete log and says what is wrong.
#[case::truncated_json(
    format!("[{}, {{\"id\": 2, \"webhook_", good(1)),
    Expect::loads(1).body("the body ends before its array does (after 460 bytes): the 1 complete log(s)")
)]
#[case::truncated_before_the_first_log_is_complete("[{\"id\": 2, \"webhook_".to_owned(), Expect::not_json("EOF"))]
#[case::trailing_comma(format!("[{},]", good(1)), Expect::loads(1).body("the array has 1 empty place(s) between commas"))]
#[case::missing_comma(format!("[{} {}]", good(1), good(2)), Expect::loads(2).body("1 log(s) lack the comma before them"))]
#[case::garbage_after_the_array(
    format!("[{}] <!-- cached -->", good(1)),
    Expect::loads(1).body("text follows the end of the array")
)]
// An entry that is not valid JSON inside is one rejected row; the logs around it load.
#[case::bare_nan_token(one_bad(&[("response_time_ms", "NaN")]), Expect::loads(2).skipped(1, "not valid JSON: expected value"))]
#[case::raw_control_in_a_string(
    one_bad(&[("error_message", "\"a\x1bb\"")]),
    Expect::loads(2).skipped(1, "not valid JSON: control character")
)]
#[case::case_file_newer_than_this_build(
    r#"{"hookscope_case": 99, "call": null, "logs": []}"#.to_owned(),
    Expect::not_json("newer than this build")
)]
#[case::case_file_whose_logs_are_an_object(
    r#"{"hookscope_case": 1, "call": null, "logs": {"detail": "x"}}"#.to_owned(),
    Expect::fails(DecodeError::NotAnArray("an object"))
)]
// Arrays with nothing, or nothing usable, in them.
#[case::empty_array("[]".to_owned(), Expect::loads(0))]
#[case::bom_prefixed_array(format!("\u{feff}{}", array(&[good(1), good(2)])), Expect::loads(2))]
#[case::bom_prefixed_case_file(
    format!("\u{feff}{{\"hookscope_case\": 1, \"call\": {{\"id\": 101}}, \"logs\": {}}}", array(&[good(1)])),
    Expect::loads(1).check(|seen| assert_eq!(seen.loaded.call.as_ref().and_then(|c| c.id), Some(101)))
)]
#[case::array_of_nulls(
    "[null, null]".to_owned(),
    Expect::loads(0).skipped(0, "expected an object, got null").skipped(1, "expected an object, got null")
)]
#[case::array_of_arrays(
    format!("[[{}], []]", good(1)),
    Expect::loads(0).skipped(0, "got an array").skipped(1, "got an array")
)]
#[case::scalars_among_logs(
    format!("[{}, 42, \"log\", true, {}]", good(1), good(2)),
    Expect::loads(2).skipped(1, "got a number").skipped(2, "got a string").skipped(3, "got a boolean")
)]
// Every nullable field null, or missing.
#[case::every_nullable_field_null(
    one_bad(&[
        ("call_id", "null"), ("assistant_id", "null"), ("request_payload", "null"), ("response_status_code", "null"),
        ("response_body", "null"), ("response_time_ms", "null"), ("attempted_at", "null"), ("error_message", "null"),
        ("retry_count", "null"), ("webhook_metadata", "null"), ("success", "false"),
    ]),
    Expect::loads(3).check(|seen| {
        let log = seen.log(7);
        assert_eq!((log.call_id, log.request_payload.clone(), log.attempted_at), (None, None, None));
        assert_eq!(log.outcome(), Outcome::NoResponse);
        // Neither a status nor an error nor a time near 30 s: "no response", the same in every view.
        assert!(seen.any_screen("no response") && !seen.any_screen("timeout"));
        assert!(seen.any_screen("(no request payload: the server stored null)"));
        assert!(seen.curls.iter().any(|curl| curl.contains("had a null request payload")));
    })
)]
#[case::only_the_always_present_fields(
    format!("[{{\"id\": 7, \"webhook_url\": \"u\", \"webhook_type\": \"t\", \"success\": false}}, {}]", good(1)),
    Expect::loads(2).check(|seen| assert!(seen.log(7).problems().is_empty()))
)]
#[case::required_strings_null(
    one_bad(&[("webhook_url", "null"), ("webhook_type", "null")]),
    Expect::loads(3).field("webhook_url").field("webhook_type")
)]
// Wrong types, field by field.
#[case::id_string(one_bad(&[("id", r#""seven""#)]), Expect::loads(2).skipped(1, "`id`"))]
#[case::id_float(one_bad(&[("id", "7.5")]), Expect::loads(2).skipped(1, "`id`"))]
#[case::id_null(one_bad(&[("id", "null")]), Expect::loads(2).skipped(1, "`id` is missing"))]
#[case::id_thirty_digits(
    one_bad(&[("id", "123456789012345678901234567890")]),
    Expect::loads(2).skipped(1, "123456789012345678901234567890")
)]
#[case::call_and_assistant_ids_strings(
    one_bad(&[("call_id", r#""101""#), ("assistant_id", "[3]")]),
    Expect::loads(3).field("call_id").field("assistant_id")
)]
#[case::webhook_url_number(one_bad(&[("webhook_url", "443")]), Expect::loads(3).field("webhook_url"))]
#[case::webhook_type_number(
    one_bad(&[("webhook_type", "42")]),
    Expect::loads(3).field("webhook_type").check(|seen| assert_eq!(seen.log(7).webhook_type, ""))
)]
#[case::webhook_type_object(one_bad(&[("webhook_type", r#"{"name": "x"}"#)]), Expect::loads(3).field("webhook_type"))]
#[case::success_string(
    one_bad(&[("success", r#""yes""#)]),
    Expect::loads(3).field("success").check(|seen| assert!(seen.log(7).success, "derived from the 200"))
)]
#[case::success_number(one_bad(&[("success", "1"), ("response_status_code", "500")]), Expect::loads(3).field("success"))]
#[case::success_missing(one_bad(&[("success", ABSENT)]), Expect::loads(3).field("success"))]
#[case::status_code_string(one_bad(&[("response_status_code", r#""200""#)]), Expect::loads(3).field("response_status_code"))]
#[case::status_code_too_big(
    one_bad(&[("response_status_code", "99999")]),
    Expect::loads(3).field("response_status_code").check(|seen| assert_eq!(seen.log(7).response_status_code, None))
)]
#[case::status_code_negative(one_bad(&[("response_status_code", "-1")]), Expect::loads(3).field("response_status_code"))]
#[case::status_code_fraction(one_bad(&[("response_status_code", "1.5")]), Expect::loads(3).field("response_status_code"))]
#[case::status_code_thirty_digits(
    one_bad(&[("response_status_code", "123456789012345678901234567890")]),
    Expect::loads(3).field("response_status_code")
)]
#[case::status_codes_at_the_edges(
    array(&[entry(1, &[("response_status_code", "0")]), entry(2, &[("response_status_code", "65535")]), entry(3, &[("response_status_code", "100")])]),
    Expect::loads(3).check(|seen| {
        let codes: Vec<Option<u16>> = seen.loaded.logs.logs.iter().map(|log| log.response_status_code).collect();
        assert_eq!(codes, [Some(0), Some(65535), Some(100)]);
        assert!(seen.table.contains("65535"));
    })
)]
#[case::response_time_negative(one_bad(&[("response_time_ms", "-5")]), Expect::loads(3).field("response_time_ms"))]
#[case::response_time_nan_string(one_bad(&[("response_time_ms", r#""NaN""#)]), Expect::loads(3).field("response_time_ms"))]
#[case::response_time_infinity_string(one_bad(&[("response_time_ms", r#""-Infinity""#)]), Expect::loads(3).field("response_time_ms"))]
#[case::response_time_out_of_f64_range(one_bad(&[("response_time_ms", "1e400")]), Expect::loads(3).field("response_time_ms"))]
#[case::response_time_past_u64(one_bad(&[("response_time_ms", "1e300")]), Expect::loads(3).field("response_time_ms"))]
#[case::response_time_thirty_digits(
    one_bad(&[("response_time_ms", "123456789012345678901234567890")]),
    Expect::loads(3).field("response_time_ms")
)]
#[case::response_times_just_below_u64_max(
    // The largest f64 below 2^64, twice: their sum does not fit a u64.
    array(&[entry(1, &[("response_time_ms", "18446744073709549568")]), entry(2, &[("response_time_ms", "18446744073709549568.0")])]),
    Expect::loads(2).check(|seen| {
        let times: Vec<Option<u64>> = seen.loaded.logs.logs.iter().map(|log| log.response_time_ms).collect();
        assert_eq!(times, [Some(18_446_744_073_709_549_568); 2]);
        assert!(seen.any_screen("avg 18446744073709548.0 s"), "the header shows the average");
    })
)]
#[case::response_time_fraction(
    one_bad(&[("response_time_ms", "87.6")]),
    Expect::loads(3).check(|seen| assert_eq!(seen.log(7).response_time_ms, Some(88)))
)]
#[case::attempted_at_garbage(
    one_bad(&[("attempted_at", r#""yesterday at noon""#)]),
    Expect::loads(3).field("attempted_at").check(|seen| {
        assert_eq!(seen.log(7).attempted_at, None);
        assert_eq!(seen.loaded.logs.logs.last().map(|log| log.id), Some(7), "undated logs go last");
    })
)]
#[case::attempted_at_number(one_bad(&[("attempted_at", "1724527324")]), Expect::loads(3).field("attempted_at"))]
#[case::attempted_at_out_of_range(one_bad(&[("attempted_at", r#""99999-01-01T00:00:00Z""#)]), Expect::loads(3).field("attempted_at"))]
#[case::retry_count_negative(one_bad(&[("retry_count", "-1")]), Expect::loads(3).field("retry_count"))]
#[case::retry_count_string(one_bad(&[("retry_count", r#""3""#)]), Expect::loads(3).field("retry_count"))]
#[case::retry_count_past_u32(one_bad(&[("retry_count", "4294967296")]), Expect::loads(3).field("retry_count"))]
#[case::request_payload_string(
    one_bad(&[("request_payload", r#""{\"event\": \"call_started\"}""#)]),
    Expect::loads(3).field("request_payload").check(|seen| {
        assert!(seen.curls.iter().any(|curl| curl.contains(r#"--data-binary '"{\"event\": \"call_started\"}"'"#)));
    })
)]
#[case::request_payload_array(one_bad(&[("request_payload", r#"[1, "two", null]"#)]), Expect::loads(3).field("request_payload"))]
#[case::request_payload_number(one_bad(&[("request_payload", "42")]), Expect::loads(3).field("request_payload"))]
#[case::request_payload_boolean(one_bad(&[("request_payload", "false")]), Expect::loads(3).field("request_payload"))]
#[case::response_body_object(
    one_bad(&[("response_body", r#"{"detail": "x"}"#)]),
    Expect::loads(3).field("response_body").check(|seen| {
        assert_eq!(seen.log(7).response_body_text().as_deref(), Some(r#"{"detail": "x"}"#), "shown as sent");
    })
)]
#[case::response_body_number(one_bad(&[("response_body", "500")]), Expect::loads(3).field("response_body"))]
#[case::error_message_number(one_bad(&[("error_message", "111")]), Expect::loads(3).field("error_message"))]
#[case::webhook_metadata_array(one_bad(&[("webhook_metadata", r#"["in-progress"]"#)]), Expect::loads(3).field("webhook_metadata"))]
#[case::webhook_metadata_string(one_bad(&[("webhook_metadata", r#""ended""#)]), Expect::loads(3).field("webhook_metadata"))]
// Odd shapes.
#[case::duplicate_keys(
    around(r#"{"id": 7, "webhook_url": "u", "webhook_type": "a", "success": true, "webhook_type": "b", "id": 8, "response_status_code": 500, "response_status_code": 200}"#),
    Expect::loads(3).problem(8, "webhook_type").problem(8, "id").problem(8, "response_status_code").check(|seen| {
        let log = seen.log(8);
        assert_eq!((log.webhook_type.as_str(), log.response_status_code), ("b", Some(200)), "the last value wins");
    })
)]
#[case::duplicate_ids(
    array(&[good(5), entry(5, &[("webhook_type", r#""call_ended""#)]), good(5)]),
    Expect::loads(3).check(|seen| {
        assert!(seen.loaded.logs.logs.iter().all(|log| log.id == 5));
        assert_eq!(seen.json.lines().count(), 5, "all three exported");
    })
)]
#[case::unknown_extra_fields(
    one_bad(&[("request_headers", r#"{"X-Burki-Signature": "abc"}"#), ("response_headers", "null"), ("zz_future", "[1, 2]")]),
    Expect::loads(3).check(|seen| {
        let names: Vec<&str> = seen.log(7).extra_fields().iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["request_headers", "response_headers", "zz_future"]);
        assert!(seen.any_screen("request_headers"), "the Info tab lists extra fields");
        assert!(seen.markdown.contains("X-Burki-Signature"));
    })
)]
// Extreme sizes and values.
#[case::one_megabyte_single_line_body(
    one_bad(&[("response_body", &format!("\"{}\"", "x".repeat(1 << 20)))]),
    Expect::loads(3).check(|seen| {
        assert_eq!(seen.log(7).response_body_text().map(|body| body.len()), Some(1 << 20));
        assert!(seen.json.len() > 1 << 20, "the exact copy keeps the whole body");
        assert!(seen.any_screen("1.0 MB"), "the Response tab says how big the body is");
    })
)]
#[case::payload_nested_10000_deep(
    one_bad(&[("request_payload", &format!("{{\"a\": {}1{}}}", "[".repeat(10_000), "]".repeat(10_000)))]),
    Expect::loads(3).check(|seen| {
        assert!(seen.json.contains(&"[".repeat(10_000)));
        assert!(seen.any_screen("\"a\": ["), "the Payload tab shows the top of it");
    })
)]
#[case::body_json_nested_10000_deep(
    one_bad(&[("response_body", &format!("\"{}{}\"", "[".repeat(10_000), "]".repeat(10_000)))]),
    Expect::loads(3)
)]
#[case::escaped_lone_surrogates(
    one_bad(&[
        ("response_body", r#""cut here: \ud83d and \udc00 alone, \ud83d\ude00 paired""#),
        ("request_payload", r#"{"text": "\ud800", "low": "\udfff", "pair": "\ud83d\ude00"}"#),
    ]),
    Expect::loads(3).check(|seen| {
        let body = seen.log(7).response_body_text().unwrap();
        assert_eq!(body, "cut here: \u{fffd} and \u{fffd} alone, 😀 paired");
        assert!(seen.json.contains(r#""\ud800""#), "the exact copy keeps the escape");
        assert!(seen.any_screen(r#""text": "\ud800""#));
    })
)]
#[case::escaped_lone_surrogate_in_the_error(
    one_bad(&[("response_status_code", "null"), ("error_message", r#""connect failed: \ud800""#)]),
    Expect::loads(3).check(|seen| {
        assert_eq!(seen.log(7).outcome(), Outcome::TransportError, "the error is kept, not read as a timeout");
        assert!(seen.any_screen("connect failed: \u{fffd}"));
    })
)]
#[case::thirty_digit_numbers(
    one_bad(&[("request_payload", r#"{"big": 123456789012345678901234567890, "neg": -987654321098765432109876543210.5e-3}"#)]),
    Expect::loads(3).check(|seen| {
        for output in [&seen.json, &seen.ndjson, &seen.markdown] {
            assert!(output.contains("123456789012345678901234567890"), "{}", &output[..200.min(output.len())]);
            assert!(output.contains("-987654321098765432109876543210.5e-3"));
        }
        assert!(seen.curls.iter().any(|curl| curl.contains("123456789012345678901234567890")));
        assert!(seen.any_screen("123456789012345678901234567890"));
    })
)]
#[case::five_thousand_logs_at_one_instant(
    {
        // Ids in a scrambled but fixed order: the client must sort them.
        let ids: Vec<i64> = (0..5000).map(|n| (n * 7919) % 5000 + 1).collect();
        array(&ids.iter().map(|&id| entry(id, &[("attempted_at", r#""2025-08-24T19:22:04Z""#)])).collect::<Vec<_>>())
    },
    Expect::loads(5000).check(|seen| {
        let ids: Vec<i64> = seen.loaded.logs.logs.iter().map(|log| log.id).collect();
        assert_eq!(ids, (1..=5000).collect::<Vec<_>>());
        assert!(seen.any_screen("5000 deliveries"));
        assert_eq!(seen.table.lines().count(), 5001);
    })
)]
#[case::timestamps_with_offsets_and_without(
    array(&[
        entry(1, &[("attempted_at", r#""2025-08-24T21:00:00.500+02:00""#)]),
        entry(2, &[("attempted_at", r#""2025-08-24T19:00:00""#)]),
        entry(3, &[("attempted_at", r#""2025-08-24T14:00:00.250-05:00""#)]),
        entry(4, &[("attempted_at", r#""2025-08-24T18:59:59.999999Z""#)]),
        entry(5, &[("attempted_at", r#""2025-08-24T19:00:00.000001""#)]),
        entry(6, &[("attempted_at", r#""2025-08-24T19:00:00Z""#)]),
    ]),
    Expect::loads(6).check(|seen| {
        let ids: Vec<i64> = seen.loaded.logs.logs.iter().map(|log| log.id).collect();
        assert_eq!(ids, [4, 2, 6, 5, 3, 1]);
    })
)]
#[case::hostile_text_in_every_string_field(
    {
        let url = format!("\"https://hooks.example.com/{HOSTILE}\"");
        let kind = format!("\"type{HOSTILE}\"");
        let error = format!("\"refused{HOSTILE}\"");
        let when = format!("\"{HOSTILE}\"");
        let payload = format!("{{\"k{HOSTILE}\": \"v{HOSTILE}\", \"list\": [\"{HOSTILE}\"]}}");
        let body = format!("\"body{HOSTILE}\\nsecond line{HOSTILE}\\r\\nthird\"");
        let metadata = format!("{{\"status\": \"{HOSTILE}\"}}");
        let extra_name = format!("extra{HOSTILE}");
        let extra_value = format!("\"{HOSTILE}\"");
        one_bad(&[
            ("webhook_url", &url), ("webhook_type", &kind), ("error_message", &error), ("attempted_at", &when),
            ("request_payload", &payload), ("response_body", &body), ("webhook_metadata", &metadata),
            ("response_status_code", "null"), (&extra_name, &extra_value), ("short", "\"\u{202e}evil\u{200b}\""),
        ])
    },
    Expect::loads(3).field("attempted_at").check(|seen| {
        assert!(seen.log(7).webhook_type.contains('\u{1b}'), "decoded as sent; only the screen is made safe");
        assert!(seen.any_screen("␛[31mred"), "escapes are shown as pictures");
        assert!(seen.any_screen("\"⟨U+202E⟩evil⟨U+200B⟩\""), "bidi and zero-width characters are shown as code points");
    })
)]
#[case::wide_and_combining_text(
    one_bad(&[
        ("webhook_type", r#""電話📞_ended""#),
        ("webhook_url", r#""https://例え.jp/パス/😀""#),
        ("error_message", "\"Z\u{336}\u{337}\u{338}a\u{300}\u{301}\u{302}\u{303}l\u{304}\u{305}g\u{306}o\u{307}\""),
    ]),
    Expect::loads(3).check(|seen| assert!(seen.any_screen("例え.jp")))
)]
#[case::very_long_type_and_url(
    one_bad(&[
        ("webhook_type", &format!("\"{}\"", "end-of-call-report-".repeat(40))),
        ("webhook_url", &format!("\"https://hooks.example.com/{}\"", "a/".repeat(5000))),
    ]),
    Expect::loads(3)
)]
#[case::extreme_ids_and_dates(
    array(&[
        entry(i64::MIN, &[("attempted_at", r#""0001-01-01T00:00:00Z""#)]),
        entry(i64::MAX, &[("attempted_at", r#""9999-12-30T21:59:59.999999Z""#)]),
        entry(0, &[("attempted_at", r#""1970-01-01T00:00:00""#)]),
    ]),
    Expect::loads(3).check(|seen| {
        let ids: Vec<i64> = seen.loaded.logs.logs.iter().map(|log| log.id).collect();
        assert_eq!(ids, [i64::MIN, 0, i64::MAX]);
        assert!(seen.json.contains(&i64::MIN.to_string()));
    })
)]
#[case::server_cut_body(
    one_bad(&[("response_body", &format!("\"{{\\\"messages\\\": [{}... [TRUNCATED]\"", "\\\"hi\\\", ".repeat(1500)))]),
    Expect::loads(3).check(|seen| {
        assert!(seen.log(7).response_truncated);
        assert!(seen.markdown.contains("cut by the server"));
    })
)]
#[case::body_with_fences_and_carriage_returns(
    one_bad(&[("response_body", r#""```\r\n# not a heading\r```` \rlone CR\n``````""#)]),
    Expect::loads(3).check(|seen| assert!(seen.markdown.contains("```````text\n"), "a fence longer than any run inside"))
)]
fn bad_data(#[case] body: String, #[case] expect: Expect) {
    let result = parse_document(body);
    let loaded = match (result, &expect.want) {
        (Ok(loaded), Want::Loads { logs, rejected }) => {
            assert_eq!(loaded.logs.logs.len(), *logs, "logs loaded");
            let rejected_at: Vec<usize> = loaded.logs.rejected.iter().map(|r| r.index).collect();
            assert_eq!(&rejected_at, rejected, "entries rejected: {:?}", loaded.logs.rejected);
            loaded
        }
        (Err(error), Want::Fails(expected)) => {
            assert_eq!(&error, expected);
            draw_failure(&error);
            return;
        }
        (Err(error), Want::NotJson(part)) => {
            assert!(
                matches!(&error, DecodeError::NotJson(why) if why.contains(part)),
                "{error:?} should contain {part:?}"
            );
            draw_failure(&error);
            return;
        }
        (Ok(loaded), want) => panic!("expected {want:?}, got {} logs", loaded.logs.logs.len()),
        (Err(error), want) => panic!("expected {want:?}, got {error:?}"),
    };

    let report = loaded.logs.problem_report();
    for (who, what) in &expect.named {
        assert!(
            report.iter().any(|line| line.starts_with(who.as_str()) && line.contains(what.as_str())),
            "no problem names {who}… {what}; the report: {report:#?}"
        );
    }
    for line in &report {
        assert!(
            expect.named.iter().any(|(who, what)| line.starts_with(who.as_str()) && line.contains(what.as_str())),
            "unexpected problem: {line}"
        );
    }

    let seen = exercise(loaded);
    if let Some(check) = expect.check {
        check(&seen);
    }
}

fn load(loaded: LoadedCall, width: u16, height: u16) -> State {
    let mut state = State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, width, height));
    state.start();
    state.update(Msg::Loaded { request: 1, result: Box::new(Ok(loaded)), call_error: None });
    state
}

fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        state.update(Msg::Key(keys::key_event(c)));
    }
}

/// Draws the state and fails on any cell that holds a forbidden character; returns the screen.
fn draw_checked(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(state.screen.width, state.screen.height)).unwrap();
    terminal.draw(|frame| ui::render(frame, state, &Theme::new(ThemeName::Dark, true))).unwrap();
    let buffer = terminal.backend().buffer();
    let mut screen = String::new();
    for y in 0..buffer.area.height {
        // The cells a wide character covers are left out, so the text reads as it shows.
        let mut covered = 0;
        for x in 0..buffer.area.width {
            let symbol = buffer[(x, y)].symbol();
            if let Some((_, c)) = first_forbidden(symbol, is_forbidden) {
                let shown: String = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
                panic!("cell ({x}, {y}) holds U+{:04X} in {symbol:?}; the row: {shown:?}", u32::from(c));
            }
            if covered > 0 {
                covered -= 1;
                continue;
            }
            screen.push_str(symbol);
            covered = symbol.width().saturating_sub(1);
        }
        screen.push('\n');
    }
    screen
}

fn draw_failure(error: &DecodeError) {
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state =
            State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, width, height));
        state.start();
        let failure =
            LoadFailure { message: format!("call 101: {error}"), hint: "check the base URL".into(), exit_code: 10 };
        state.update(Msg::Loaded { request: 1, result: Box::new(Err(failure)), call_error: None });
        let screen = draw_checked(&state);
        assert!(screen.contains("Could not load call 101"), "{screen}");
    }
}

/// How many logs a case looks at one by one (in the explorer, curl and the one-log report).
const LOGS_VISITED: usize = 4;

fn exercise(loaded: LoadedCall) -> Seen {
    let mut screens = Vec::new();
    for (width, height) in [(120, 40), (80, 24)] {
        let mut state = load(loaded.clone(), width, height);
        let visited = state.shown.len().min(LOGS_VISITED);
        for tab in ["p", "b", "i", "a"] {
            press(&mut state, tab);
            press(&mut state, "g");
            for _ in 0..visited.max(1) {
                screens.push(draw_checked(&state));
                press(&mut state, "j");
            }
        }
        press(&mut state, "g\n");
        screens.push(draw_checked(&state));
        press(&mut state, "\u{1b}t");
        screens.push(draw_checked(&state));
    }

    let set = &loaded.logs;
    let all: Vec<&WebhookLog> = set.logs.iter().collect();
    let json = export::json_array(&all);
    let ndjson = export::ndjson(&all);
    let table = export::table(&all, None, false);
    let narrow_table = export::table(&all, Some(80), true);
    let markdown = export::markdown_call_report(set, loaded.call.as_ref(), &all, false, 4000);
    let redacted = export::markdown_call_report(set, loaded.call.as_ref(), &all, true, 4000);
    let visited = all.iter().take(LOGS_VISITED).chain(all.last());
    let mut curls = Vec::new();
    let mut reports = Vec::new();
    for log in visited {
        curls.push(export::curl_command(log));
        reports.push(export::markdown_report(set, loaded.call.as_ref(), log, false, 200));
    }
    // The exact copy reads back to the same logs, in the same order, with the same problems.
    let again = parse_document(json.clone()).expect("--print json reads back");
    let ids =
        |loaded: &LoadedCall| loaded.logs.logs.iter().map(|log| (log.id, log.problems().len())).collect::<Vec<_>>();
    assert_eq!(ids(&again), ids(&loaded), "--print json round trip");
    assert!(again.logs.rejected.is_empty());
    // So does a case file (the explorer's `e`), call details included.
    let case = export::case_file(loaded.call.as_ref(), &all, jiff::Timestamp::UNIX_EPOCH);
    let reopened = parse_document(case).expect("a case file reads back");
    assert_eq!(ids(&reopened), ids(&loaded), "case file round trip");
    assert_eq!(reopened.call.as_ref().map(|call| &call.raw), loaded.call.as_ref().map(|call| &call.raw));
    assert_eq!(ndjson.lines().count(), all.len());
    for line in ndjson.lines() {
        serde_json::from_str::<serde::de::IgnoredAny>(line).expect("every NDJSON line is JSON");
    }
    assert_eq!(table.lines().count(), all.len() + 1);
    assert_eq!(narrow_table.lines().count(), all.len() + 1);
    let sections: Vec<&str> = markdown.lines().filter(|line| line.starts_with("## ")).collect();
    assert_eq!(sections.len(), all.len(), "a section a log");
    for (n, (section, log)) in sections.iter().zip(&all).enumerate() {
        assert!(section.starts_with(&format!("## {}. Delivery {}: ", n + 1, log.id)), "{section}");
    }

    // Nothing printed can act on a terminal: no control characters but line ends (and tabs in
    // data), and the only escapes are the table's own colours.
    let plain_table = narrow_table.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "");
    for (name, text) in [("table", &table), ("coloured table", &plain_table)] {
        let bad = first_forbidden(text, |c| c != '\n' && (c.is_control() || is_forbidden(c)));
        assert_eq!(bad, None, "{name}");
    }
    let outputs = [("json", &json), ("ndjson", &ndjson), ("markdown", &markdown), ("redacted markdown", &redacted)];
    for (name, text) in
        outputs.into_iter().chain(curls.iter().map(|c| ("curl", c))).chain(reports.iter().map(|r| ("report", r)))
    {
        let bad = first_forbidden(text, |c| c.is_control() && !matches!(c, '\n' | '\t' | '\r'));
        assert_eq!(bad, None, "{name}");
    }

    Seen { loaded, screens, json, ndjson, table, markdown, curls }
}
