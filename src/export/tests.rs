//! Every artefact on one fixed call: seven deliveries covering a success, an HTML error page, a
//! read timeout, a transport error with a traceback, hostile text in the type, URL and body, a
//! body the server cut, and a log with no time and an unknown field.

use std::fmt::Write as _;
use std::path::Path;

use insta::assert_snapshot;
use jiff::Timestamp;
use serde_json::Value;

use super::case::write_case_file_at;
use super::*;
use crate::case_file::parse_document;
use crate::model::{CallInfo, LogSet};

const CALL: &str = r#"{"id": 101, "call_sid": "CA5f1e0c2d", "assistant_id": 3, "assistant_name": "Support bot", "status": "completed", "duration": 148, "to_phone_number": "+15557654321", "customer_phone_number": "+15551234567", "started_at": "2025-08-24T19:22:03Z", "ended_at": "2025-08-24T19:24:31Z", "call_meta": {"z": 1, "a": 2}}"#;

const LOGS: &str = r#"[
{"id":8,"call_id":101,"assistant_id":3,"webhook_url":"https://ops:hunter2@hooks.example.com/burki?token=abc123&env=prod","webhook_type":"status-update","request_payload":{"message":{"type":"status-update","status":"in-progress","phoneNumber":{"number":"+15557654321"},"call":{"id":"CA5f1e0c2d","customer":{"number":"+15551234567"}},"messages":[]}},"response_status_code":500,"response_body":"<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n","response_time_ms":1503,"attempted_at":"2025-08-24T19:22:06.623456","success":false,"error_message":null,"retry_count":0,"webhook_metadata":{"status":"in-progress"}},
{"id":7,"call_id":101,"assistant_id":3,"webhook_url":"https://hooks.example.com/burki","webhook_type":"call_started","request_payload":{"event":"call_started","call_sid":"CA5f1e0c2d","customer_phone_number":"+15551234567","assistant_id":3,"timestamp":"2025-08-24T19:22:04Z"},"response_status_code":200,"response_body":"{\"ok\":true,\"received\":1}","response_time_ms":87,"attempted_at":"2025-08-24T19:22:04.123456","success":true,"error_message":null,"retry_count":0,"webhook_metadata":null},
{
  "id": 9, "call_id": 101, "assistant_id": 3,
  "webhook_url": "https://hooks.example.com/burki",
  "webhook_type": "end-of-call-report",
  "request_payload": {"message": {"type": "end-of-call-report", "endedReason": "customer-ended-call", "durationSeconds": 148, "cost": 0.0310, "trace_id": 123456789012345678901234567890, "summary": "Jane (jane.doe@example.com) asked to be called back on +1 (555) 123-4567.", "messages": [{"role": "bot", "content": "Hello! It's Support bot."}, {"role": "human", "content": "Paste this: ```rm -rf ~``` and $(id)"}]}},
  "response_status_code": null, "response_body": null, "response_time_ms": 30004,
  "attempted_at": "2025-08-24T19:24:32.001Z", "success": false, "error_message": "", "retry_count": 0,
  "webhook_metadata": {"ended_reason": "customer-ended-call", "duration_seconds": 148, "recording_url": null}
},
{"id":10,"call_id":101,"assistant_id":3,"webhook_url":"http://10.0.0.5:9000/hook","webhook_type":"transfer_initiated","request_payload":{"event":"transfer_initiated","to":"+15550001111"},"response_status_code":null,"response_body":null,"response_time_ms":3,"attempted_at":"2025-08-24T19:23:10.500","success":false,"error_message":"ConnectError: [Errno 111] Connection refused\nTraceback (most recent call last):\n  File \"webhook.py\", line 42","retry_count":0,"webhook_metadata":null},
{"id":11,"call_id":101,"assistant_id":3,"webhook_url":"https://evil.example/\u001b]0;pwned\u0007\u202eexe.txt","webhook_type":"tool_call\u001b[31m","request_payload":null,"response_status_code":204,"response_body":"done\n```\n# injected heading\n````\n\u001b[2J\u0007 bell","response_time_ms":12,"attempted_at":"2025-08-24T19:23:11Z","success":false,"error_message":null,"retry_count":1,"webhook_metadata":null},
{"id":12,"call_id":101,"assistant_id":3,"webhook_url":"https://hooks.example.com/burki","webhook_type":"transcript","request_payload":{"event":"transcript","text":"hi"},"response_status_code":200,"response_body":"{\"echo\": {\"text\": \"hi\", \"padding\": \"xxxxxxxx... [TRUNCATED]","response_time_ms":45,"attempted_at":"2025-08-24T19:23:12Z","success":true,"error_message":null,"retry_count":0,"webhook_metadata":null},
{"id":13,"call_id":101,"assistant_id":3,"webhook_url":"https://hooks.example.com/burki","webhook_type":"sms-received","request_payload":{},"response_status_code":202,"response_body":"","response_time_ms":null,"attempted_at":null,"success":true,"error_message":null,"retry_count":0,"webhook_metadata":null,"request_headers":{"Authorization":"Bearer burki_live_secret","X-Trace":"t-1"}}
]"#;

fn fixture() -> (LogSet, CallInfo) {
    let set = LogSet::parse(LOGS).expect("fixture parses");
    assert!(
        set.rejected.is_empty() && set.logs.iter().all(|log| log.problems().is_empty()),
        "{:?}",
        set.problem_report()
    );
    (set, CallInfo::from_json(CALL).unwrap())
}

fn all(set: &LogSet) -> Vec<&crate::model::WebhookLog> {
    set.logs.iter().collect()
}

fn log(set: &LogSet, id: i64) -> &crate::model::WebhookLog {
    set.logs.iter().find(|log| log.id == id).unwrap()
}

fn export_time() -> Timestamp {
    "2025-11-29T10:15:00Z".parse().unwrap()
}

/// Raw entry, payload, body, metadata and the decoded fields of a log.
type Essence = (String, Option<String>, Option<String>, Option<String>, String);

/// What a test may rely on about a log after a round trip: everything but positions.
fn essence(set: &LogSet) -> Vec<Essence> {
    set.logs
        .iter()
        .map(|log| {
            (
                log.raw().to_owned(),
                log.payload().map(str::to_owned),
                log.response_body_text(),
                log.metadata().map(str::to_owned),
                format!(
                    "{} {} {:?} {:?} {:?}",
                    log.id,
                    log.webhook_type,
                    log.attempted_at,
                    log.extra_fields().len(),
                    log.problems()
                ),
            )
        })
        .collect()
}

#[test]
fn json_array_snapshot() {
    let (set, _) = fixture();
    assert_snapshot!(json_array(&all(&set)));
}

#[test]
fn json_array_reopens_to_the_same_logs() {
    let (set, _) = fixture();
    let text = json_array(&all(&set));
    let reopened = parse_document(text).unwrap();
    assert!(reopened.call.is_none());
    assert_eq!(essence(&reopened.logs), essence(&set));
}

#[test]
fn json_array_of_nothing_is_an_empty_array() {
    assert_eq!(json_array(&[]), "[]\n");
    assert_eq!(ndjson(&[]), "");
}

#[test]
fn written_to_a_stream_json_and_ndjson_are_the_same_bytes_as_the_strings() {
    let (set, _) = fixture();
    for logs in [all(&set), all(&set)[..1].to_vec(), Vec::new()] {
        let mut array = Vec::new();
        write_json_array(&mut array, &logs, false).unwrap();
        assert_eq!(String::from_utf8(array).unwrap(), json_array(&logs));
        let mut lines = Vec::new();
        write_ndjson(&mut lines, &logs, false).unwrap();
        assert_eq!(String::from_utf8(lines).unwrap(), ndjson(&logs));
    }
}

#[test]
fn ndjson_snapshot() {
    let (set, _) = fixture();
    assert_snapshot!(ndjson(&all(&set)));
}

#[test]
fn ndjson_is_one_log_a_line_with_the_same_values() {
    let (set, _) = fixture();
    let text = ndjson(&all(&set));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), set.logs.len());
    for (line, log) in lines.iter().zip(&set.logs) {
        let from_line: Value = serde_json::from_str(line).unwrap();
        let from_raw: Value = serde_json::from_str(log.raw()).unwrap();
        assert_eq!(from_line, from_raw);
    }
    // The pretty-printed entry lost its layout, not its strings or number text.
    assert!(
        lines[5].contains(r#""trace_id":123456789012345678901234567890,"summary":"Jane (jane.doe@example.com) asked"#),
        "{}",
        lines[5]
    );
}

#[test]
fn table_snapshot() {
    let (set, _) = fixture();
    assert_snapshot!(table(&all(&set), None, false));
}

#[test]
fn table_fitted_to_100_columns() {
    let (set, _) = fixture();
    let text = table(&all(&set), Some(100), false);
    assert!(text.lines().all(|line| unicode_width::UnicodeWidthStr::width(line) <= 100), "{text}");
    assert_snapshot!(text);
}

#[test]
fn table_fitted_to_80_columns_drops_dates_and_url_paths_before_types() {
    let (set, _) = fixture();
    let text = table(&all(&set), Some(80), false);
    assert!(text.lines().all(|line| unicode_width::UnicodeWidthStr::width(line) <= 80), "{text}");
    let first = text.lines().nth(1).unwrap();
    assert!(first.starts_with("19:22:04.123 call_started "), "time without its date, type whole: {first}");
    assert!(first.contains(" hooks.example.com"), "the URL's host whole: {first}");
    for kind in ["call_started", "status-update", "transcript", "sms-received"] {
        assert!(text.contains(&format!(" {kind} ")), "{kind} whole:\n{text}");
    }
    assert!(!text.contains("hunter2"), "no password in a URL cut to its host:\n{text}");
    assert!(!text.contains("2025-08-24") && !text.contains("https://"), "{text}");
    assert_snapshot!(text);
}

#[test]
fn table_with_room_keeps_dates_schemes_and_wide_gaps() {
    let (set, _) = fixture();
    let text = table(&all(&set), Some(200), false);
    assert_eq!(text, table(&all(&set), None, false));
    assert!(text.contains("2025-08-24 19:22:04.123  call_started  "), "{text}");
    assert!(text.contains("https://hooks.example.com/burki"), "{text}");
}

#[test]
fn table_narrower_than_its_fixed_columns_cuts_lines() {
    let (set, _) = fixture();
    let text = table(&all(&set), Some(40), true);
    for line in text.lines() {
        let visible = line.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "");
        assert!(unicode_width::UnicodeWidthStr::width(visible.as_str()) <= 40, "{line}");
    }
    assert_snapshot!(text);
}

#[test]
fn table_in_colour_only_colours_the_result() {
    let (set, _) = fixture();
    let text = table(&all(&set), None, true);
    let without = text.replace("\x1b[31m", "").replace("\x1b[32m", "").replace("\x1b[0m", "");
    assert_eq!(without, table(&all(&set), None, false));
    assert!(!without.contains('\x1b'), "no escape from the data");
    assert_eq!(text.matches("\x1b[32mok\x1b[0m").count(), 3);
    assert_eq!(text.matches("\x1b[31mFAILED\x1b[0m").count(), 4);
}

#[test]
fn table_emits_no_control_character_from_the_data() {
    let (set, _) = fixture();
    for width in [None, Some(200), Some(80), Some(30)] {
        let text = table(&all(&set), width, false);
        assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
        assert!(!text.contains('\u{202e}'), "bidi override shown, not applied");
    }
}

#[test]
fn payload_pretty_keeps_order_and_numbers() {
    let (set, _) = fixture();
    assert_snapshot!(payload_pretty(log(&set, 9)).unwrap());
    assert_eq!(payload_pretty(log(&set, 11)), None, "null payload");
    assert_eq!(payload_pretty(log(&set, 13)).as_deref(), Some("{}"));
}

#[test]
fn curl_snapshot() {
    let (set, _) = fixture();
    assert_snapshot!(curl_command(log(&set, 9)));
}

#[test]
fn curl_without_a_payload_sends_no_body() {
    let (set, _) = fixture();
    assert_snapshot!(curl_command(log(&set, 11)));
}

#[rstest::rstest]
#[case::payload(CopyItem::Payload, "payload")]
#[case::response(CopyItem::Response, "response body")]
#[case::entry(CopyItem::Entry, "log entry")]
#[case::curl(CopyItem::Curl, "curl command")]
#[case::markdown(CopyItem::Markdown, "Markdown report")]
#[case::url(CopyItem::Url, "webhook URL")]
fn each_copy_item_holds_its_artefact_and_names_it(#[case] item: CopyItem, #[case] what: &str) {
    let (set, call) = fixture();
    let log = log(&set, 8);
    let expected = match item {
        CopyItem::Payload => payload_pretty(log).unwrap(),
        CopyItem::Response => log.response_body_text().unwrap().replace('\r', ""),
        CopyItem::Entry => log.raw().to_owned(),
        CopyItem::Curl => curl_command(log),
        CopyItem::Markdown => markdown_report(&set, Some(&call), log, false, REPORT_LIMIT),
        CopyItem::Url => log.webhook_url.to_string(),
    };
    assert_eq!(clip(&set, Some(&call), log, item, false), Ok(Clip { text: expected, what: what.to_owned() }));
    let redacted = clip(&set, Some(&call), log, item, true).unwrap();
    assert_eq!(redacted.what, format!("{what} (redacted)"));
    assert!(!redacted.text.contains("+15551234567") && !redacted.text.contains("hunter2"), "{}", redacted.text);
}

#[test]
fn a_copy_of_what_a_log_lacks_says_so_and_no_copy_carries_an_escape() {
    let (set, call) = fixture();
    assert_eq!(clip(&set, None, log(&set, 11), CopyItem::Payload, false), Err("this log has no request payload"));
    assert_eq!(clip(&set, None, log(&set, 10), CopyItem::Response, false), Err("this log has no response body"));
    for item in [CopyItem::Response, CopyItem::Entry, CopyItem::Curl, CopyItem::Markdown, CopyItem::Url] {
        let text = clip(&set, Some(&call), log(&set, 11), item, false).unwrap().text;
        assert!(!text.contains(['\x1b', '\x07']), "{item:?}: {text:?}");
    }
}

#[test]
fn markdown_report_for_an_html_error() {
    let (set, call) = fixture();
    assert_snapshot!(markdown_report(&set, Some(&call), log(&set, 8), false, 10_000));
}

#[test]
fn markdown_report_redacted() {
    let (set, call) = fixture();
    let text = markdown_report(&set, Some(&call), log(&set, 8), true, 10_000);
    for secret in ["hunter2", "abc123", "15551234567", "15557654321"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert_snapshot!(text);
}

#[test]
fn markdown_report_for_a_timeout_with_a_small_limit() {
    let (set, call) = fixture();
    assert_snapshot!(markdown_report(&set, Some(&call), log(&set, 9), false, 200));
}

#[test]
fn markdown_report_for_hostile_text() {
    let (set, _) = fixture();
    let text = markdown_report(&set, None, log(&set, 11), false, 10_000);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert_snapshot!(text);
}

#[test]
fn a_report_shows_text_hidden_by_bidi_and_zero_width_characters() {
    let entry = "{\"id\": 1, \"webhook_url\": \"u\", \"webhook_type\": \"t\", \"success\": false,
        \"request_payload\": {\"say\": \"refund\u{202e}dnuf\u{200b}er\"}, \"response_body\": \"ok \u{2066}hidden\u{2069}\"}";
    let set = LogSet::parse(format!("[{entry}]")).unwrap();
    let report = markdown_report(&set, None, &set.logs[0], false, 10_000);
    assert!(!report.chars().any(|c| matches!(c, '\u{202e}' | '\u{200b}' | '\u{2066}' | '\u{2069}')), "{report}");
    // In the JSON block as escapes: the same JSON a script would read.
    assert!(report.contains(r#""say": "refund\u202ednuf\u200ber""#), "{report}");
    // In the text block as code points.
    assert!(report.contains("ok ⟨U+2066⟩hidden⟨U+2069⟩"), "{report}");
}

#[test]
fn markdown_report_for_a_body_the_server_cut() {
    let (set, call) = fixture();
    assert_snapshot!(markdown_report(&set, Some(&call), log(&set, 12), false, 10_000));
}

#[test]
fn markdown_report_with_unknown_fields_and_no_time() {
    let (set, call) = fixture();
    let redacted = markdown_report(&set, Some(&call), log(&set, 13), true, 10_000);
    assert!(!redacted.contains("burki_live_secret"), "{redacted}");
    assert_snapshot!(markdown_report(&set, Some(&call), log(&set, 13), false, 10_000));
}

#[test]
fn markdown_call_report_snapshot() {
    let (set, call) = fixture();
    assert_snapshot!(markdown_call_report(&set, Some(&call), &all(&set), false, 300));
}

#[test]
fn markdown_call_report_filtered_and_redacted() {
    let (set, call) = fixture();
    let failed: Vec<_> = set.logs.iter().filter(|log| !log.success).collect();
    let text = markdown_call_report(&set, Some(&call), &failed, true, 300);
    for secret in ["hunter2", "abc123", "5551234567", "7654321", "jane.doe", "0001111"] {
        assert!(!text.contains(secret), "{secret} leaked:\n{text}");
    }
    assert_snapshot!(text);
}

#[test]
fn markdown_call_report_without_call_details() {
    let (set, _) = fixture();
    let text = markdown_call_report(&set, None, &[], false, 300);
    assert_snapshot!(text);
}

fn case_text(set: &LogSet, call: Option<&CallInfo>) -> String {
    case_file(call, &all(set), export_time()).replace(env!("CARGO_PKG_VERSION"), "[version]")
}

#[test]
fn case_file_snapshot() {
    let (set, call) = fixture();
    assert_snapshot!(case_text(&set, Some(&call)));
}

#[test]
fn case_file_reopens_to_the_same_call_and_logs() {
    let (set, call) = fixture();
    let reopened = parse_document(case_file(Some(&call), &all(&set), export_time())).unwrap();
    assert_eq!(reopened.call.as_ref(), Some(&call));
    assert_eq!(essence(&reopened.logs), essence(&set));

    let without_call = parse_document(case_file(None, &all(&set), export_time())).unwrap();
    assert_eq!(without_call.call, None);
    assert_eq!(essence(&without_call.logs), essence(&set));

    let built_in_code = CallInfo { id: Some(5), ..CallInfo::default() };
    let text = case_file(Some(&built_in_code), &[], export_time());
    assert!(text.contains("\n\"call\": null,\n\"logs\": []}"), "{text}");
    assert_eq!(parse_document(text).unwrap().logs.logs.len(), 0);
}

#[test]
fn case_files_get_new_private_names_and_never_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let now = export_time();
    let taken = dir.path().join("hookscope-call-101-20251129T101500Z-2.json");
    std::fs::write(&taken, "someone else's").unwrap();

    let first = write_case_file_at(dir.path(), Some(101), "one", now).unwrap();
    let second = write_case_file_at(dir.path(), Some(101), "two", now).unwrap();
    let anonymous = write_case_file_at(dir.path(), None, "three", now).unwrap();
    let name = |path: &Path| path.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(name(&first), "hookscope-call-101-20251129T101500Z.json");
    assert_eq!(name(&second), "hookscope-call-101-20251129T101500Z-3.json");
    assert_eq!(name(&anonymous), "hookscope-case-20251129T101500Z.json");
    assert_eq!(std::fs::read_to_string(&first).unwrap(), "one");
    assert_eq!(std::fs::read_to_string(&second).unwrap(), "two");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "someone else's");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&first).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let written = write_case_file(dir.path(), Some(7), "now").unwrap();
    assert!(name(&written).starts_with("hookscope-call-7-"), "{}", name(&written));
}

#[test]
fn writing_into_a_missing_directory_fails_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let err = write_case_file_at(&dir.path().join("missing"), Some(1), "x", export_time()).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

/// The exact artefacts print JSON text as sent. Is that safe for a terminal? JSON forbids raw
/// U+0000–U+001F inside strings, so those always arrive escaped; but it allows DEL and the C1
/// controls raw, and U+009B is a CSI to some terminals. So the exporter escapes exactly those.
#[test]
fn exact_artefacts_hold_no_raw_control_characters() {
    assert!(serde_json::from_str::<Value>("\"a\u{1b}b\"").is_err(), "raw C0 is not JSON");
    assert!(serde_json::from_str::<Value>("\"a\nb\"").is_err(), "raw newline is not JSON");
    assert!(serde_json::from_str::<Value>("\"a\u{7f}\u{9b}b\"").is_ok(), "raw DEL and C1 are JSON");

    let escaped_c0 = (0..0x20).fold(String::new(), |mut text, c| {
        let _ = write!(text, "\\u{c:04x}");
        text
    });
    let raw = format!(
        "[{{\"id\": 1, \"webhook_url\": \"http://h/\", \"webhook_type\": \"t\", \"success\": true,\n \"request_payload\": {{\"c0\": \"{escaped_c0}\", \"c1\": \"\u{7f}\u{80}\u{9b}\u{9f}\", \"esc\": \"\\u001b[2J\"}},\n \"response_body\": \"\u{9b}31m\"}}]"
    );
    let set = LogSet::parse(raw).unwrap();
    let logs = all(&set);
    let outputs = [json_array(&logs), ndjson(&logs), curl_command(logs[0]), case_text(&set, None)];
    for output in &outputs {
        let bad: Vec<char> = output.chars().filter(|c| c.is_control() && *c != '\n').collect();
        assert!(bad.is_empty(), "{bad:?} in {output}");
    }
    let original: Value = serde_json::from_str(logs[0].raw()).unwrap();
    let reopened = LogSet::parse(json_array(&logs)).unwrap();
    assert_eq!(serde_json::from_str::<Value>(reopened.logs[0].raw()).unwrap(), original, "same values");
    assert_eq!(ndjson(&logs).lines().next().map(|line| serde_json::from_str::<Value>(line).unwrap()), Some(original));
    assert!(outputs[1].contains(r#""c1":"\u007f\u0080\u009b\u009f""#), "{}", outputs[1]);
}

#[test]
fn table_never_exceeds_any_width() {
    let (set, _) = fixture();
    for width in 1..=140 {
        let text = table(&all(&set), Some(width), false);
        assert_eq!(text.lines().count(), set.logs.len() + 1);
        for line in text.lines() {
            assert!(unicode_width::UnicodeWidthStr::width(line) <= width, "{width}: {line}");
        }
    }
}

#[test]
fn a_response_body_nested_deeper_than_serde_json_value_allows_is_still_pretty_printed() {
    let body = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let entry =
        serde_json::json!({"id": 1, "webhook_url": "u", "webhook_type": "t", "success": false, "response_body": body});
    let set = LogSet::parse(format!("[{entry}]")).unwrap();
    let report = markdown_report(&set, None, &set.logs[0], false, usize::MAX);
    assert!(report.contains("```json\n[\n  [\n    [\n"), "{report}");
}

/// One `status-update` sent five times: failed at :06 (500) and :11 (no response), delivered at
/// :21; before it, an attempt of the same event; beside it, the same type with another payload
/// and the same payload as another type, which are other events.
const RETRIED: &str = r#"[
{"id":19,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"status-update","request_payload":{"status":"ringing"},"response_status_code":503,"response_body":"busy","response_time_ms":20,"attempted_at":"2025-08-24T19:22:01Z","success":false,"error_message":null,"retry_count":0},
{"id":20,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"status-update","request_payload":{"status":"ringing"},"response_status_code":500,"response_body":"oops","response_time_ms":31,"attempted_at":"2025-08-24T19:22:06Z","success":false,"error_message":null,"retry_count":0},
{"id":21,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"status-update","request_payload":{"status":"ringing"},"response_status_code":null,"response_body":null,"response_time_ms":30002,"attempted_at":"2025-08-24T19:22:11.500Z","success":false,"error_message":"","retry_count":1},
{"id":23,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"status-update","request_payload":{"status":"in-progress"},"response_status_code":200,"response_body":"ok","response_time_ms":25,"attempted_at":"2025-08-24T19:22:15Z","success":true,"error_message":null,"retry_count":0},
{"id":24,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"call_started","request_payload":{"status":"ringing"},"response_status_code":200,"response_body":"ok","response_time_ms":25,"attempted_at":"2025-08-24T19:22:16Z","success":true,"error_message":null,"retry_count":0},
{"id":22,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"status-update","request_payload":{"status":"ringing"},"response_status_code":200,"response_body":"ok","response_time_ms":40,"attempted_at":"2025-08-24T19:22:21Z","success":true,"error_message":null,"retry_count":2},
{"id":30,"call_id":101,"assistant_id":3,"webhook_url":"https://h.example/in","webhook_type":"call_ended","request_payload":{"reason":"hangup"},"response_status_code":404,"response_body":"no route","response_time_ms":9,"attempted_at":"2025-08-24T19:25:00Z","success":false,"error_message":null,"retry_count":0}
]"#;

#[test]
fn a_failed_attempt_tells_its_whole_delivery_and_how_it_ended() {
    let set = LogSet::parse(RETRIED).unwrap();
    let call = CallInfo::from_json(CALL).unwrap();
    let report = markdown_report(&set, Some(&call), log(&set, 20), false, 10_000);
    assert!(report.starts_with("## Webhook delivery 20: `status-update` — FAILED, 500, delivered later by log 22\n"));
    assert!(report.contains("- **Assistant:** `Support bot` (id 3)\n"), "{report}");
    assert!(
        report.contains(
            "- **Delivery:** attempt 1 of 3, grouped by retry_count: Delivered on attempt 3 of 3 after 15 s\n"
        ),
        "{report}"
    );
    let listed: Vec<&str> = report.lines().filter(|line| line.starts_with("- log ")).collect();
    assert_eq!(
        listed,
        [
            "- log 20: 2025-08-24 19:22:06.000 UTC — **FAILED**, 500 (this report)",
            "- log 21: 2025-08-24 19:22:11.500 UTC, 5.5 s after the first — **FAILED**, no response (timeout?)",
            "- log 22: 2025-08-24 19:22:21.000 UTC, 15.0 s after the first — ok, 200",
        ]
    );
    // Said once each: the heading holds the id, the type and the result.
    for repeated in ["Log id", "**Success:**", "**Type:**", "**Status:**"] {
        assert!(!report.contains(repeated), "{repeated}:\n{report}");
    }
    assert_snapshot!(report);
}

#[test]
fn every_attempt_of_a_delivery_tells_the_same_delivery() {
    let set = LogSet::parse(RETRIED).unwrap();
    let retried = markdown_report(&set, None, log(&set, 21), false, 10_000);
    assert!(
        retried.contains("- **Delivery:** attempt 2 of 3, grouped by retry_count: Delivered on attempt 3"),
        "{retried}"
    );
    let delivered = markdown_report(&set, None, log(&set, 22), false, 10_000);
    assert!(delivered.contains("- **Delivery:** attempt 3 of 3, grouped by retry_count: Delivered"), "{delivered}");
    assert!(
        delivered.contains("- log 22: 2025-08-24 19:22:21.000 UTC, 15.0 s after the first — ok, 200 (this report)")
    );
    // Where the server counts retries, a 0 after a failure is a delivery of its own.
    let first = markdown_report(&set, None, log(&set, 19), false, 10_000);
    assert!(first.contains("- **Delivery:** Failed on its only attempt: 503\n"), "{first}");
    assert!(retried.contains("- **Assistant:** id 3\n"), "the log's assistant without call details: {retried}");
    let alone = markdown_report(&set, None, log(&set, 30), false, 10_000);
    assert!(!alone.contains("Attempts of this delivery"), "{alone}");
    let mut never = RETRIED.replace(
        r#""response_status_code":200,"response_body":"ok","response_time_ms":40"#,
        r#""response_status_code":502,"response_body":"bad","response_time_ms":40"#,
    );
    never = never.replace(
        r#""success":true,"error_message":null,"retry_count":2"#,
        r#""success":false,"error_message":null,"retry_count":2"#,
    );
    let never = LogSet::parse(never).unwrap();
    let failed_again = markdown_report(&never, None, log(&never, 20), false, 10_000);
    assert!(failed_again.starts_with("## Webhook delivery 20: `status-update` — FAILED, 500\n"), "{failed_again}");
    assert!(
        failed_again.contains(
            "- **Delivery:** attempt 1 of 3, grouped by retry_count: Failed after 3 attempts over 15 s: 500, no response (timeout?), 502\n"
        ),
        "{failed_again}"
    );
}

#[test]
fn a_call_report_says_what_came_of_each_failure() {
    let set = LogSet::parse(RETRIED).unwrap();
    let failed: Vec<_> = set.logs.iter().filter(|log| !log.success).collect();
    let report = markdown_call_report(&set, None, &failed, false, 300);
    assert!(report.contains("## 1. Delivery 19: `status-update` — FAILED, 503\n"), "{report}");
    assert!(
        report.contains(
            "## 3. Delivery 21: `status-update` — FAILED, no response (timeout?), delivered later by log 22\n"
        ),
        "{report}"
    );
    assert!(report.contains("## 4. Delivery 30: `call_ended` — FAILED, 404\n"), "{report}");
    assert_eq!(report.matches("- log 22: ").count(), 2, "{report}");
}

/// A call report lists the lifecycle check's warnings, and each delivery the ones naming it.
#[test]
fn markdown_reports_say_the_lifecycle_warnings() {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lifecycle-warnings.json"))
            .unwrap();
    let loaded = parse_document(text).unwrap();
    let logs: Vec<&crate::model::WebhookLog> = loaded.logs.logs.iter().collect();
    let report = markdown_call_report(&loaded.logs, loaded.call.as_ref(), &logs, false, 4096);
    assert!(report.contains("\n**Lifecycle warnings**\n\n- call_started not first: `call_started (log 2) was not first: log 1 came before it`\n"), "{report}");
    assert!(
        report.contains("- no end of call: `the call ended but no call_ended or end-of-call-report was sent`\n"),
        "{report}"
    );
    let one = markdown_report(&loaded.logs, loaded.call.as_ref(), &loaded.logs.logs[5], false, 4096);
    assert!(
        one.contains("- **Lifecycle warnings:** `log 6 duplicates delivered log 5 (same transcript payload)`\n"),
        "{one}"
    );
}
