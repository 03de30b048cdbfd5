//! `--print` in every format, from `--demo`, `--file` and stdin, with the command-line filters.

use std::path::Path;

use hookscope::case_file::{DEMO_CALL, parse_document};
use hookscope::filter::{Filter, StatusFilter};
use hookscope::model::WebhookLog;
use rstest::rstest;

use crate::{LOGS, big_call, expected_ndjson, hookscope, ids, json_entries, raw_logs, write};

/// Two deliveries whose type, URL, error and body hold ESC, BEL, CR and U+202E: escaped in the
/// JSON (`\u001b`, …), and raw where JSON allows it (U+202E, DEL, the 8-bit CSI U+009B).
const HOSTILE: &str = concat!(
    r#"[{"id": 7, "call_id": 101, "webhook_url": "https://x.example/\u001b]52;c;aGk=\u0007/\r\u202eevil", "#,
    r#""webhook_type": "tool\u001b[2J\u0007\r\u202ecall", "request_payload": {"k": "v\u001b[31m"}, "#,
    r#""response_status_code": 502, "response_body": "<html>\u001b[5m\u0007\r\u202e</html>", "#,
    r#""attempted_at": "2025-08-24T19:22:04Z", "success": false, "#,
    r#""error_message": "gateway\u001b[2K\u0007\r\u202e", "retry_count": 0},"#,
    "\n{\"id\": 8, \"call_id\": 101, \"webhook_url\": \"https://y.example/\u{202e}\u{7f}\u{9b}31m\", ",
    "\"webhook_type\": \"\u{9b}2J\u{202e}raw\u{7f}\", \"request_payload\": null, ",
    r#""response_status_code": null, "response_body": null, "attempted_at": "2025-08-24T19:22:05Z", "#,
    r#""success": false, "error_message": "refused\u0007\r\u001b[0m", "retry_count": 0}]"#,
);

/// The two inputs every format is checked on: the demo (a case file with call details, entries
/// spread over several lines) and a saved API response, each with the arguments that open it.
fn inputs(dir: &Path) -> [(Vec<String>, &'static str); 2] {
    let file = write(dir, "logs.json", LOGS);
    [(vec!["--demo".to_owned()], DEMO_CALL), (vec!["--file".to_owned(), file.display().to_string()], LOGS)]
}

fn print(args: &[String], format: &str) -> crate::Run {
    hookscope(args.iter().map(String::as_str).chain(["--print", format])).run()
}

#[test]
fn json_is_an_array_of_the_entries_exactly_as_sent() {
    let dir = tempfile::tempdir().unwrap();
    for (args, input) in inputs(dir.path()) {
        let run = print(&args, "json");
        let expected = raw_logs(input);
        assert!(expected.len() >= 5, "{args:?}");
        assert_eq!(json_entries(run.quiet_success()), expected, "{args:?}");
    }
    // In attempt order, not file order.
    assert_eq!(ids(print(&inputs(dir.path())[1].0, "json").success()), [1, 2, 3, 4, 5]);
}

#[test]
fn ndjson_is_one_json_object_a_line() {
    let dir = tempfile::tempdir().unwrap();
    for (args, input) in inputs(dir.path()) {
        let run = print(&args, "ndjson");
        let stdout = run.quiet_success();
        let expected = raw_logs(input);
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), expected.len(), "{run:?}");
        assert!(stdout.ends_with('\n'));
        for (line, raw) in lines.iter().zip(&expected) {
            let value: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}"));
            assert!(value.is_object(), "{line}");
            assert_eq!(value, serde_json::from_str::<serde_json::Value>(raw).unwrap(), "same entry");
        }
    }
}

#[test]
fn a_table_on_a_pipe_has_a_row_a_log_and_no_escapes() {
    let dir = tempfile::tempdir().unwrap();
    for (args, input) in inputs(dir.path()) {
        // A colour-capable terminal type: colour still depends on stdout being a terminal.
        let run = hookscope(args.iter().map(String::as_str).chain(["--print", "table"]))
            .env("TERM", "xterm-256color")
            .env("COLORTERM", "truecolor")
            .run();
        let stdout = run.quiet_success();
        assert!(!run.stdout.contains(&0x1b), "{run:?}");
        let loaded = parse_document(input.to_owned()).unwrap();
        let lines: Vec<&str> = stdout.lines().collect();
        assert_eq!(lines.len(), loaded.logs.logs.len() + 1, "{run:?}");
        assert!(lines[0].starts_with("TIME (UTC)") && lines[0].contains("URL"), "{}", lines[0]);
        for (line, log) in lines[1..].iter().zip(&loaded.logs.logs) {
            assert!(line.contains(log.webhook_type.as_str()), "{line} is not log {}", log.id);
        }
        assert_eq!(
            print(&args, "table").stdout,
            hookscope(args.iter().map(String::as_str).chain(["--print"])).run().stdout
        );
    }
}

#[test]
fn markdown_has_a_heading_a_log() {
    let dir = tempfile::tempdir().unwrap();
    for (args, input) in inputs(dir.path()) {
        let run = print(&args, "markdown");
        let stdout = run.quiet_success();
        assert!(stdout.starts_with("# Webhook deliveries of call 101\n"), "{run:?}");
        let loaded = parse_document(input.to_owned()).unwrap();
        let headings: Vec<&str> = stdout.lines().filter(|line| line.starts_with("## ")).collect();
        assert_eq!(headings.len(), loaded.logs.logs.len(), "{headings:#?}");
        for (n, (heading, log)) in headings.iter().zip(&loaded.logs.logs).enumerate() {
            assert!(heading.starts_with(&format!("## {}. Delivery {}: ", n + 1, log.id)), "{heading}");
        }
    }
}

#[test]
fn data_with_control_characters_is_printed_visibly_and_inertly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.json", HOSTILE);
    let path = path.to_str().unwrap();
    for format in ["table", "markdown"] {
        let run = hookscope(["--file", path, "--print", format]).run();
        let stdout = run.success();
        for byte in [0x1b, 0x07, 0x0d] {
            assert!(!run.stdout.contains(&byte), "{format}: byte {byte:#04x} in {run:?}");
        }
        for c in ['\u{9b}', '\u{7f}'] {
            assert!(!stdout.contains(c), "{format}: {c:?} in {run:?}");
        }
        // Markdown keeps bidi characters inside code fences, where a copy is data (`sanitize::for_copy`).
        assert!(!outside_fences(stdout).contains('\u{202e}'), "{format}: U+202E in {run:?}");
        assert!(stdout.contains("tool␛[2J␇␍⟨U+202E⟩call"), "{format}: the type is shown visibly: {run:?}");
        assert!(stdout.contains("https://x.example/␛]52;c;aGk=␇/␍⟨U+202E⟩evil"), "{format}: the URL: {run:?}");
        assert!(stdout.contains("⟨U+009B⟩2J⟨U+202E⟩raw␡"), "{format}: raw controls: {run:?}");
        assert!(!run.stderr.chars().any(|c| c.is_control() && c != '\n'), "{run:?}");
    }
    let markdown = hookscope(["--file", path, "--print", "markdown"]).run();
    assert!(markdown.stdout().contains("gateway␛[2K␇␍⟨U+202E⟩"), "the error is shown visibly: {markdown:?}");

    // The exact formats keep the data, but never as a raw control character.
    for format in ["json", "ndjson"] {
        let run = hookscope(["--file", path, "--print", format]).run();
        let stdout = run.success();
        assert!(!stdout.chars().any(|c| c.is_control() && c != '\n'), "{format}: {run:?}");
    }
}

/// The lines of a Markdown text that are not inside a code fence.
fn outside_fences(markdown: &str) -> String {
    let mut fenced = false;
    let mut out = String::new();
    for line in markdown.lines() {
        if line.starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

#[test]
fn print_json_output_reopens_to_the_same_output() {
    let dir = tempfile::tempdir().unwrap();
    let hostile = write(dir.path(), "hostile.json", HOSTILE);
    let mut sources: Vec<Vec<String>> = inputs(dir.path()).into_iter().map(|(args, _)| args).collect();
    sources.push(vec!["--file".to_owned(), hostile.display().to_string()]);
    sources.push(vec!["--demo".to_owned(), "--failed".to_owned()]);
    for (n, args) in sources.iter().enumerate() {
        let first = print(args, "json");
        let saved = write(dir.path(), &format!("saved-{n}.json"), first.success());
        let again = print(&["--file".to_owned(), saved.display().to_string()], "json");
        assert_eq!(again.success(), first.stdout(), "{args:?}");
        for format in ["ndjson", "table", "markdown"] {
            if format == "markdown" && args[0] == "--demo" {
                continue; // the demo's call details and unfiltered count are not in a bare array
            }
            let reopened = print(&["--file".to_owned(), saved.display().to_string()], format);
            assert_eq!(reopened.success(), print(args, format).success(), "{args:?} as {format}");
        }
    }
}

#[test]
fn a_case_file_exported_by_hookscope_reopens_to_the_same_output() {
    let loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
    let logs: Vec<&WebhookLog> = loaded.logs.logs.iter().collect();
    let case = hookscope::export::case_file(loaded.call.as_ref(), &logs, jiff::Timestamp::UNIX_EPOCH);
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "case.json", case);
    for format in ["json", "ndjson", "table", "markdown"] {
        let reopened = hookscope(["--file", path.to_str().unwrap(), "--print", format]).run();
        let demo = hookscope(["--demo", "--print", format]).run();
        assert_eq!(reopened.quiet_success(), demo.quiet_success(), "{format}");
    }
    let markdown = hookscope(["--file", path.to_str().unwrap(), "--print", "markdown"]).run();
    assert!(markdown.stdout().contains("CA3f9b2c7e1d4a40b8e6c5d2a1b0f9e874"), "the call's details came along");
}

#[test]
fn file_dash_reads_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "logs.json", LOGS);
    for format in ["json", "table"] {
        let piped = hookscope(["--file", "-", "--print", format]).stdin(LOGS).run();
        let named = hookscope(["--file", path.to_str().unwrap(), "--print", format]).run();
        assert_eq!(piped.quiet_success(), named.quiet_success(), "{format}");
    }
    let case = hookscope(["--file", "-", "--print", "json"]).stdin(DEMO_CALL).run();
    assert_eq!(case.success(), hookscope(["--demo", "--print", "json"]).run().stdout());
}

#[rstest]
#[case::no_filter(&[], &[1, 2, 3, 4, 5])]
#[case::one_type(&["--type", "transcript"], &[2, 4])]
#[case::two_types(&["--type", "transcript", "-t", "tool_call"], &[2, 3, 4])]
#[case::failed(&["--failed"], &[2, 4])]
#[case::succeeded(&["--succeeded"], &[1, 3, 5])]
#[case::grep_in_a_payload_and_a_body_any_case(&["--grep", "nEEdle"], &[1, 2])]
#[case::grep_in_a_json_body(&["--grep", "\"RESULT\": 1.50"], &[3])]
#[case::grep_a_big_number(&["--grep", "123456789012345678901234567890"], &[3])]
#[case::grep_an_error(&["--grep", "REFUSED"], &[4])]
#[case::grep_a_url(&["--grep", "crm.example"], &[2, 4])]
#[case::all_together(&["--type", "transcript", "--failed", "--grep", "needle"], &[2])]
fn filters_select_the_expected_logs(#[case] filters: &[&str], #[case] expected: &[i64]) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "logs.json", LOGS);
    let run = hookscope(["--file", path.to_str().unwrap(), "--print", "json"].iter().chain(filters)).run();
    assert_eq!(ids(run.quiet_success()), expected, "{run:?}");
    let ndjson = hookscope(["--file", path.to_str().unwrap(), "--print", "ndjson"].iter().chain(filters)).run();
    assert_eq!(ndjson.quiet_success().lines().count(), expected.len(), "{ndjson:?}");
}

/// Filters that match nothing print nothing and say so on stderr; a `--type` the call does not
/// have is most likely a typo, named with the types the call has, and exits 12.
#[rstest]
#[case::grep_nothing(&["--grep", "zebra"], 0, "hookscope: note: none of the call's 5 deliveries matches the filters")]
#[case::an_absent_type(
    &["--type", "sms-sent"],
    12,
    "hookscope: no delivery has type sms-sent; this call has call_ended (1), call_started (1), tool_call (1), transcript (2)"
)]
fn nothing_matched_is_said(#[case] filters: &[&str], #[case] code: i32, #[case] said: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "logs.json", LOGS);
    for format in ["json", "ndjson", "table"] {
        let run = hookscope(["--file", path.to_str().unwrap(), "--print", format].iter().chain(filters)).run();
        assert_eq!(run.code, Some(code), "{run:?}");
        assert!(run.stderr.starts_with(said), "{run:?}");
        assert!(!run.stdout().contains("call_ended"), "{run:?}");
    }
}

/// `--grep` finds what the table and the explorer show, not only the fields as sent: the
/// README's own `--grep timeout`, a status's reason, a time as the table writes it.
#[rstest]
#[case::timeout("timeout", &[2])]
#[case::no_response("no response", &[2, 3])]
#[case::status_reason("Internal Server Error", &[1])]
#[case::time_as_the_table_writes_it("2025-08-24 19:22:05", &[2])]
fn grep_finds_what_is_shown(#[case] text: &str, #[case] expected: &[i64]) {
    const SHOWN: &str = r#"[
{"id": 1, "webhook_url": "https://h.example/a", "webhook_type": "tool_call", "response_status_code": 500, "response_body": "oops", "attempted_at": "2025-08-24T19:22:04Z", "success": false},
{"id": 2, "webhook_url": "https://h.example/a", "webhook_type": "tool_call", "response_status_code": null, "error_message": "", "response_time_ms": 30004, "attempted_at": "2025-08-24T19:22:05Z", "success": false},
{"id": 3, "webhook_url": "https://h.example/a", "webhook_type": "tool_call", "response_status_code": null, "error_message": "Connection refused", "attempted_at": "2025-08-24T19:22:06Z", "success": false}
]"#;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "logs.json", SHOWN);
    let table = hookscope(["--file", path.to_str().unwrap(), "--print", "table"]).run();
    assert!(table.quiet_success().contains("timeout"), "the table lists a timeout:\n{table:?}");
    let run = hookscope(["--file", path.to_str().unwrap(), "--grep", text, "--print", "json"]).run();
    assert_eq!(ids(run.quiet_success()), expected, "{run:?}");
}

/// A big call is decoded while it is read and only what is printed is kept (`model/stream.rs`):
/// the output and the warnings are those of the call decoded whole, from a file and from a pipe.
#[rstest]
#[case::failed(&["--failed"], Filter { status: StatusFilter::Failed, ..Filter::default() })]
#[case::one_type(&["--type", "tool_call"], Filter { types: ["tool_call".to_owned()].into(), ..Filter::default() })]
#[case::grep_any_case(&["--grep", "INSURANCE"], Filter { text: "INSURANCE".to_owned(), ..Filter::default() })]
#[case::everything(&[], Filter::default())]
fn a_big_call_prints_what_it_prints_decoded_whole(#[case] filters: &[&str], #[case] filter: Filter) {
    let text = big_call();
    assert!(text.len() > 900_000, "several batches: {} bytes", text.len());
    let (expected, warnings) = expected_ndjson(&text, &filter);
    assert!(!expected.is_empty() && warnings.contains("field `success` is not a boolean"), "{warnings}");
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "big.json", &text);
    let named = hookscope(["--file", path.to_str().unwrap(), "--print", "ndjson"].iter().chain(filters)).run();
    let piped = hookscope(["--file", "-", "--print", "ndjson"].iter().chain(filters)).stdin(text.clone()).run();
    for run in [named, piped] {
        assert_eq!(run.success(), expected, "{filters:?}");
        assert_eq!(run.stderr, warnings, "{filters:?}");
    }
}

/// NDJSON is written as the body arrives, mending a small disorder; a log that arrives far out
/// of attempt order is written where it arrived, and said. JSON, written at the end, is sorted.
#[test]
fn ndjson_writes_a_log_far_out_of_order_where_it_arrives_and_says_so() {
    let text = crate::synthetic::synthetic_logs_json(400, 5);
    let early = r#"{"id": 99000001, "webhook_url": "u", "webhook_type": "transcript", "success": true, "attempted_at": "2025-08-24T19:00:00Z"}"#;
    let late = format!("{}, {early}]", text.trim_end().strip_suffix(']').expect("an array"));
    let run = hookscope(["--file", "-", "--print", "ndjson"]).stdin(late.clone()).run();
    let written: Vec<i64> = run.success().lines().map(|line| ids(&format!("[{line}]"))[0]).collect();
    assert_eq!(written.len(), 401);
    // It comes after what was written when it arrived, before what was still held back.
    let at = written.iter().position(|&id| id == 99_000_001);
    assert_eq!(at, Some(400 - hookscope::print::REORDER_WINDOW), "written where it arrived");
    let rest: Vec<i64> = written.iter().copied().filter(|&id| id != 99_000_001).collect();
    assert!(rest.is_sorted(), "the rest in attempt order");
    assert_eq!(
        run.stderr,
        "hookscope: warning: log 99000001 (entry 401 of the response) arrived after later logs had been written; written where it \
         arrived\n"
    );
    let json = hookscope(["--file", "-", "--print", "json"]).stdin(late).run();
    assert_eq!(ids(json.quiet_success())[0], 99_000_001, "JSON is written whole, in attempt order");
}

#[test]
fn filters_on_the_demo_match_its_data() {
    let loaded = parse_document(DEMO_CALL.to_owned()).unwrap();
    let all: Vec<&WebhookLog> = loaded.logs.logs.iter().collect();
    let pick = |keep: &dyn Fn(&WebhookLog) -> bool| all.iter().filter(|log| keep(log)).map(|log| log.id).collect();
    let cases: [(&[&str], Vec<i64>); 4] = [
        (&["--failed"], pick(&|log| !log.success)),
        (&["--succeeded"], pick(&|log| log.success)),
        (
            &["-t", "transcript", "-t", "tool_call"],
            pick(&|log| ["transcript", "tool_call"].contains(&&*log.webhook_type)),
        ),
        (
            &["--grep", "CONNECTION REFUSED"],
            pick(&|log| {
                log.error_message.as_deref().is_some_and(|e| e.contains("Connection refused"))
                    || log.response_body_text().is_some_and(|b| b.to_lowercase().contains("connection refused"))
                    || log.payload().is_some_and(|p| p.to_lowercase().contains("connection refused"))
            }),
        ),
    ];
    for (filters, expected) in cases {
        assert!(!expected.is_empty() && expected.len() < all.len(), "{filters:?} must select some");
        let run = hookscope(["--demo", "--print", "json"].iter().chain(filters)).run();
        assert_eq!(ids(run.quiet_success()), expected, "{filters:?}");
    }
}

/// The table is written as the body arrives: its columns fit the first rows written and those
/// held back then, and a later, wider cell is cut to its column.
#[test]
fn a_table_of_a_big_call_streams_with_columns_fitted_to_its_first_rows() {
    let text = crate::synthetic::synthetic_logs_json(400, 5);
    let wide = r#"{"id": 99000001, "webhook_url": "u", "webhook_type": "a-webhook-type-wider-than-any-before-it", "success": true, "attempted_at": "2025-08-24T23:59:59Z"}"#;
    let body = format!("{}, {wide}]", text.trim_end().strip_suffix(']').expect("an array"));
    let run = hookscope(["--file", "-", "--print", "table"]).stdin(body).run();
    let lines: Vec<&str> = run.quiet_success().lines().collect();
    assert_eq!(lines.len(), 402, "a header and a row a log");
    let type_column = lines[0].find("TYPE").unwrap()..lines[0].find("STATUS").unwrap();
    let last = lines[401];
    assert!(last.contains("a-webhook-type") && !last.contains("wider-than-any-before-it"), "{last}");
    assert!(last.contains('…'), "cut to its column: {last}");
    let gap_after_type = |line: &&str| line.chars().skip(type_column.end - 2).take(2).collect::<String>();
    assert!(lines[1..].iter().all(|line| gap_after_type(line) == "  "), "aligned");
}

/// A delivery whose payload, URL and body carry a phone number, an e-mail address and secrets.
const PERSONAL: &str = concat!(
    r#"[{"id": 3, "call_id": 9, "webhook_url": "https://bot:hunter2@hooks.example.com/in?to=+15035550187", "#,
    r#""webhook_type": "call_ended", "request_payload": {"customer_phone_number": "+15035550187", "#,
    r#""email": "ann@example.com", "api_key": "burki_live_s3cret", "n": 123456789012345678901234567890}, "#,
    r#""response_status_code": 200, "response_body": "{\"echo\":\"+15035550187\"}", "#,
    r#""attempted_at": "2025-08-24T19:22:04Z", "success": true, "error_message": null, "retry_count": 0}]"#,
);

#[rstest]
#[case::json("json")]
#[case::ndjson("ndjson")]
#[case::table("table")]
#[case::markdown("markdown")]
fn redact_masks_every_format(#[case] format: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "personal.json", PERSONAL).display().to_string();
    let plain = print(&["--file".to_owned(), file.clone()], format);
    assert!(plain.quiet_success().contains("+15035550187"), "without --redact the data is as sent: {plain:?}");

    let run = print(&["--file".to_owned(), file, "--redact".to_owned()], format);
    let stdout = run.quiet_success();
    for secret in ["+15035550187", "ann@example.com", "burki_live_s3cret", "hunter2"] {
        assert!(!stdout.contains(secret), "{format} leaks {secret}:\n{stdout}");
    }
    assert!(stdout.contains("[REDACTED]"), "{stdout}");
    if format != "table" && format != "markdown" {
        // Still the JSON it was, number text and key order included, with only strings masked.
        let entry = stdout.lines().find(|line| line.starts_with('{')).expect("an entry a line");
        let value: serde_json::Value = serde_json::from_str(entry).unwrap_or_else(|err| panic!("{err}: {entry}"));
        assert_eq!(value["request_payload"]["api_key"], "[REDACTED]");
        assert!(entry.contains(r#""n": 123456789012345678901234567890"#), "{entry}");
        assert!(entry.find("customer_phone_number") < entry.find("email"), "{entry}");
    }
}

#[test]
fn redact_masks_the_values_problems_quote() {
    let dir = tempfile::tempdir().unwrap();
    let bad = PERSONAL.replace(r#""call_id": 9"#, r#""call_id": "+15035550187""#);
    let file = write(dir.path(), "bad.json", bad).display().to_string();
    let plain = print(&["--file".to_owned(), file.clone()], "markdown");
    assert!(plain.stderr.contains("+15035550187"), "the problem quotes the value: {plain:?}");
    for format in ["markdown", "ndjson"] {
        let run = print(&["--file".to_owned(), file.clone(), "--redact".to_owned()], format);
        assert!(run.stderr.contains("field `call_id`"), "{run:?}");
        assert!(!run.success().contains("+15035550187") && !run.stderr.contains("+15035550187"), "{format}: {run:?}");
    }
}

/// Logs that hold the user's key (in a URL, a type, fields the warnings quote), printed as a
/// table with the key in the environment: the table and every warning show only its hint. (The
/// run's own check fails the test if 12 characters of the key in a row show anywhere.)
#[test]
fn the_table_and_its_warnings_never_show_the_key() {
    let key = crate::KEY;
    let dir = tempfile::tempdir().unwrap();
    let logs = format!(
        r#"[{{"id": 1, "webhook_url": "https://h.example/cb?token={key}", "webhook_type": "t", "success": true, "response_time_ms": "{key}"}},
            {{"id": "{key}", "webhook_type": "x"}},
            {{"id": 3, "webhook_url": "https://h.example/", "webhook_type": "{}", "success": true}}]"#,
        &key[..20]
    );
    let path = write(dir.path(), "logs.json", logs);
    let run = hookscope(["--file", path.to_str().unwrap(), "--print", "table"]).env("BURKI_API_KEY", key).run();
    let table = run.success();
    assert!(table.contains("https://h.example/cb?token=burki_live_S…"), "{table}");
    assert!(table.contains(" burki_live_S…  "), "{table}");
    assert!(run.stderr.contains(r#"field `id`: expected an integer, got "burki_live_S…""#), "{run:?}");
    assert!(run.stderr.contains(r#"field `response_time_ms`: expected a number, got "burki_live_S…""#), "{run:?}");
}

/// `--print stats` of the views fixture: a row a type, then a row a host (it has two), times in
/// whole milliseconds; the filters apply.
#[test]
fn stats_is_one_aligned_table_of_types_then_hosts() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/views-call.json");
    let all = hookscope(["--file", fixture, "--print", "stats"]).run();
    assert_eq!(
        all.quiet_success(),
        "\
by    name                deliveries  delivered  attempts  success  p50_ms  p95_ms  max_ms
type  call_started                 1          1         1     100%     120     120     120
type  status-update                2          1         2      50%      80      80      80
type  transcript                   4          4         4     100%      45      61      61
type  tool_call                    2          2         4      50%     210    3000    3000
type  call_ended                   1          0         2       0%     900   30000   30000
type  end-of-call-report           1          1         1     100%    1500    1500    1500
host  hooks.acme.test              9          8        11      72%      80    3000    3000
host  crm.example.org              2          1         3      33%    1500   30000   30000
"
    );
    let one_host = hookscope(["--file", fixture, "--print", "stats", "--type", "tool_call"]).run();
    assert_eq!(
        one_host.quiet_success(),
        "\
by    name       deliveries  delivered  attempts  success  p50_ms  p95_ms  max_ms
type  tool_call           2          2         4      50%     210    3000    3000
"
    );
}

/// Type names and hosts are the server's text: the stats table shows their control characters
/// visibly and never splits a column at a space.
#[test]
fn stats_sanitizes_types_and_hosts() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hostile.json", HOSTILE);
    let run = hookscope(["--file", path.to_str().unwrap(), "--print", "stats"]).run();
    let stdout = run.success();
    assert!(!stdout.contains(['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{9b}']), "{stdout:?}");
    for line in stdout.lines() {
        assert_eq!(line.split_whitespace().count(), 9, "{line:?}");
    }
}
