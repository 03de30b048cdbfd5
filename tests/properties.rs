//! Properties over generated input. The number of cases comes from `PROPTEST_CASES` (CI sets
//! 10000; proptest's default configuration reads the variable); without it each property runs
//! a few dozen to a few hundred cases, to keep `cargo test` quick.

#[path = "support/forbidden.rs"]
mod forbidden;

use forbidden::{first_forbidden, is_forbidden, is_hidden_or_control};
use hookscope::action::Msg;
use hookscope::case_file::{LoadedCall, parse_document};
use hookscope::cli::Theme as ThemeName;
use hookscope::export;
use hookscope::filter::Filter;
use hookscope::json_text;
use hookscope::json_text::tokens::Tokens;
use hookscope::keymap::Keymap;
use hookscope::model::{LogSet, WebhookLog};
use hookscope::redact;
use hookscope::sanitize;
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use serde_json::Value;

/// `PROPTEST_CASES` when it is set, else `local` cases.
fn config(local: u32) -> ProptestConfig {
    // `ProptestConfig::default()` has already applied PROPTEST_CASES (and the other
    // PROPTEST_* variables); only the local default is changed here.
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = local;
    }
    config
}

/// Characters a hostile server favours, mixed into generated text far more often than chance.
const SPECIAL: [char; 32] = [
    '\x1b',
    '\x07',
    '\r',
    '\n',
    '\t',
    '\x08',
    '\x7f',
    '\0',
    '\x0b',
    '\x0c',
    '\u{85}',
    '\u{90}',
    '\u{9b}',
    '\u{9c}',
    '\u{9d}',
    '\u{202a}',
    '\u{202e}',
    '\u{2066}',
    '\u{2069}',
    '\u{200b}',
    '\u{200c}',
    '\u{200d}',
    '\u{200e}',
    '\u{feff}',
    '\u{2028}',
    '\u{e0041}',
    '\u{ad}',
    '`',
    '\'',
    '"',
    '\\',
    '\u{fffd}',
];

/// Short text of the characters JSON is made of, in any order.
const JSON_LIKE: &str = "\u{feff}?[ \\[\\]{}\",:0-9a-z_\\\\.eE+-]{0,80}";

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => any::<String>(),
        2 => proptest::collection::vec(prop_oneof![any::<char>(), select(SPECIAL.to_vec())], 0..40)
            .prop_map(String::from_iter),
        1 => "[a-z_ .:/-]{0,20}",
    ]
}

/// A JSON document as a tree that can hold what `serde_json::Value` cannot: number text of any
/// length, duplicate keys, escaped lone surrogates.
#[derive(Debug, Clone)]
enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    /// Valid JSON written as is.
    Raw(&'static str),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    /// Compact when `spaced` is false; otherwise with the spaces and newlines a server may use.
    fn write(&self, out: &mut String, spaced: bool) {
        let gap = if spaced { "\n  " } else { "" };
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(text) => out.push_str(text),
            J::Str(text) => out.push_str(&Value::from(text.as_str()).to_string()),
            J::Raw(text) => out.push_str(text),
            J::Arr(items) => {
                out.push('[');
                for (n, item) in items.iter().enumerate() {
                    out.push_str(if n > 0 { "," } else { "" });
                    out.push_str(gap);
                    item.write(out, spaced);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (n, (key, value)) in members.iter().enumerate() {
                    out.push_str(if n > 0 { "," } else { "" });
                    out.push_str(gap);
                    out.push_str(&Value::from(key.as_str()).to_string());
                    out.push_str(if spaced { " : " } else { ":" });
                    value.write(out, spaced);
                }
                out.push('}');
            }
        }
    }

    fn text(&self, spaced: bool) -> String {
        let mut out = String::new();
        self.write(&mut out, spaced);
        out
    }
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        "-?[1-9][0-9]{19,40}",
        (any::<i32>(), 0u32..10_000).prop_map(|(whole, fraction)| format!("{whole}.{fraction}")),
        "-?(0|[1-9][0-9]{0,5})(\\.[0-9]{1,6})?[eE][+-]?[0-9]{1,3}",
    ]
}

fn leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        number().prop_map(J::Num),
        text().prop_map(J::Str),
        select(vec![r#""\ud800""#, r#""a\udc00b\ud83d""#, "1e400", "-0", "-0.0e-0", r#""\u0000\u001b[2J""#])
            .prop_map(J::Raw),
    ]
}

fn tree() -> impl Strategy<Value = J> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
            proptest::collection::vec((text(), inner), 0..6).prop_map(J::Obj),
        ]
    })
}

const FIELDS: [&str; 16] = [
    "id",
    "call_id",
    "assistant_id",
    "webhook_url",
    "webhook_type",
    "request_payload",
    "response_status_code",
    "response_body",
    "response_time_ms",
    "attempted_at",
    "success",
    "error_message",
    "retry_count",
    "webhook_metadata",
    "request_headers",
    "response_headers",
];

/// A value for `field`: usually of the type the API documents, sometimes anything at all.
fn value_for(field: &'static str) -> BoxedStrategy<J> {
    let small = || (0u32..100_000).prop_map(|n| J::Num(n.to_string()));
    let right: BoxedStrategy<J> = match field {
        "id" => any::<i64>().prop_map(|n| J::Num(n.to_string())).boxed(),
        "call_id" | "assistant_id" | "response_status_code" | "response_time_ms" | "retry_count" => small().boxed(),
        "success" => any::<bool>().prop_map(J::Bool).boxed(),
        "attempted_at" => {
            "20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9])T[01][0-9]:[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?(Z|[+-][01][0-9]:[0-5][0-9])?"
                .prop_map(J::Str)
                .boxed()
        }
        "request_payload" | "webhook_metadata" | "request_headers" | "response_headers" => tree().boxed(),
        _ => text().prop_map(J::Str).boxed(),
    };
    prop_oneof![4 => right, 1 => Just(J::Null), 1 => tree()].boxed()
}

fn member() -> impl Strategy<Value = (String, J)> {
    prop_oneof![
        5 => select(FIELDS.to_vec()).prop_flat_map(|field| (Just(field.to_owned()), value_for(field))),
        1 => (text(), tree()),
    ]
}

/// A log entry: mostly an object with the API's fields (any of them missing, repeated or of
/// another type), sometimes any JSON value at all.
fn entry() -> impl Strategy<Value = J> {
    prop_oneof![
        8 => (any::<i64>(), proptest::collection::vec(member(), 0..16)).prop_map(|(id, mut members)| {
            members.insert(0, ("id".to_owned(), J::Num(id.to_string())));
            J::Obj(members)
        }),
        1 => proptest::collection::vec(member(), 0..16).prop_map(J::Obj),
        1 => tree(),
    ]
}

fn draw_checked(state: &State) {
    let mut terminal = Terminal::new(TestBackend::new(state.screen.width, state.screen.height)).unwrap();
    terminal.draw(|frame| ui::render(frame, state, &Theme::new(ThemeName::Dark, true))).unwrap();
    for (n, cell) in terminal.backend().buffer().content.iter().enumerate() {
        assert_eq!(first_forbidden(cell.symbol(), is_forbidden), None, "cell {n}: {:?}", cell.symbol());
    }
}

/// What every decoded document must allow without a panic.
fn use_everything(loaded: &LoadedCall) {
    let set = &loaded.logs;
    let _ = set.problem_report();
    let all: Vec<&WebhookLog> = set.logs.iter().collect();
    let _ = export::json_array(&all);
    for log in &all {
        if let Some(payload) = log.payload() {
            let _ = json_text::pretty(payload);
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in any::<Vec<u8>>()) {
        if let Ok(loaded) = parse_document(String::from_utf8_lossy(&bytes).into_owned()) {
            use_everything(&loaded);
        }
    }

    #[test]
    fn decoding_json_like_text_never_panics(text in JSON_LIKE) {
        if let Ok(loaded) = parse_document(text) {
            use_everything(&loaded);
        }
    }

    #[test]
    fn sanitized_lines_hold_nothing_a_terminal_acts_on(
        text in text(),
        repeat in prop_oneof![9 => Just(1usize), 1 => 100usize..1000],
    ) {
        let text = text.repeat(repeat);
        let line = sanitize::line(&text);
        prop_assert_eq!(first_forbidden(&line, is_hidden_or_control), None, "{:?}", line);
        prop_assert!(line.len() <= 8 * sanitize::MAX_LINE_BYTES, "cut: {} bytes", line.len());
        let short = sanitize::short(&text);
        prop_assert_eq!(first_forbidden(&short, is_hidden_or_control), None, "{:?}", short);
        for line in sanitize::lines(&text) {
            prop_assert_eq!(first_forbidden(&line, is_hidden_or_control), None, "{:?}", line);
        }
        if text.bytes().all(|b| (0x20..0x7f).contains(&b)) && text.len() <= sanitize::MAX_LINE_BYTES {
            prop_assert_eq!(line.as_ref(), text.as_str(), "plain text is shown as it is");
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Any array of (mostly) log-shaped objects decodes: every entry is a log or a rejected
    /// row, problems are named, the explorer draws it, and `--print json` reads back the same.
    #[test]
    fn decoding_arbitrary_arrays_of_objects(entries in proptest::collection::vec(entry(), 0..8), spaced in any::<bool>()) {
        let text = J::Arr(entries.clone()).text(spaced);
        let loaded = parse_document(text.clone()).unwrap_or_else(|err| panic!("{err}: {text}"));
        let set = &loaded.logs;
        prop_assert_eq!(set.logs.len() + set.rejected.len(), entries.len());
        let mut indices: Vec<usize> = set.logs.iter().map(|log| log.index).chain(set.rejected.iter().map(|r| r.index)).collect();
        indices.sort_unstable();
        prop_assert_eq!(indices, (0..entries.len()).collect::<Vec<_>>());
        for (index, entry) in entries.iter().enumerate() {
            if !matches!(entry, J::Obj(_)) {
                prop_assert!(set.rejected.iter().any(|r| r.index == index), "entry {} is not an object", index);
            }
        }
        let report = set.problem_report();
        prop_assert_eq!(report.len(), set.rejected.len() + set.logs.iter().map(|log| log.problems().len()).sum::<usize>());
        for (row, log) in set.logs.iter().enumerate() {
            let named = format!("log {} (row {}): field `", log.id, row + 1);
            prop_assert_eq!(report.iter().filter(|line| line.starts_with(&named)).count(), log.problems().len());
        }
        let key = |log: &WebhookLog| (log.attempted_at.is_none(), log.attempted_at, log.id);
        prop_assert!(set.logs.windows(2).all(|pair| key(&pair[0]) <= key(&pair[1])), "sorted by (time, id)");

        let all: Vec<&WebhookLog> = set.logs.iter().collect();
        let json = export::json_array(&all);
        let again = parse_document(json).unwrap();
        let ids = |set: &LogSet| set.logs.iter().map(|log| (log.id, log.problems().len())).collect::<Vec<_>>();
        prop_assert_eq!(ids(&again.logs), ids(set));
        prop_assert_eq!(export::ndjson(&all).lines().count(), all.len());
        let _ = export::table(&all, Some(80), true);
        let _ = export::markdown_call_report(set, None, &all, true, 500);
        for log in &all {
            let _ = export::curl_command(log);
        }

        let mut state = State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, 80, 24));
        state.start();
        state.update(Msg::Loaded { request: 1, result: Box::new(Ok(loaded)), call_error: None });
        draw_checked(&state);
    }

    /// Pretty-printing changes only whitespace: the text parses to the same value, every number
    /// keeps its text, and it does not matter how the input was spaced.
    #[test]
    fn pretty_json_means_the_same_and_keeps_number_text(value in value_tree()) {
        let compact = serde_json::to_string(&value).unwrap();
        let pretty = json_text::pretty(&compact);
        let reread: Value = serde_json::from_str(&pretty).unwrap_or_else(|err| panic!("{err}: {pretty}"));
        prop_assert_eq!(&reread, &value);
        prop_assert_eq!(number_texts(&pretty), number_texts(&compact));
        prop_assert_eq!(&json_text::pretty(&serde_json::to_string_pretty(&value).unwrap()), &pretty);
        prop_assert_eq!(&json_text::pretty(&pretty), &pretty, "idempotent");
    }

    /// The payload argument of the curl command, unquoted as a POSIX shell does, is the payload
    /// as the server sent it (DEL and C1 controls inside strings written as `\u` escapes), and
    /// nothing outside the quotes is special to the shell.
    #[test]
    fn curl_passes_the_payload_through_the_shell_unchanged(
        url in text(),
        kind in text(),
        payload in proptest::option::weighted(0.9, tree()),
        spaced in any::<bool>(),
    ) {
        // A payload of `null` is no payload: the command then sends no body.
        let raw_payload = payload.map(|payload| payload.text(spaced)).filter(|raw| raw != "null");
        let entry = J::Obj(vec![
            ("id".into(), J::Num("1".into())),
            ("webhook_url".into(), J::Str(url.clone())),
            ("webhook_type".into(), J::Str(kind)),
            ("success".into(), J::Bool(true)),
        ]);
        let mut text = entry.text(false);
        text.pop();
        text = format!("[{text}, \"request_payload\": {}}}]", raw_payload.as_deref().unwrap_or("null"));
        let set = LogSet::parse(text).unwrap();
        let command = export::curl_command(&set.logs[0]);
        let words = shell_words(&command).unwrap_or_else(|why| panic!("{why}: {command}"));
        let mut expected = vec!["curl", "--globoff", "-X", "POST", "--url", "<url>", "-H", "Content-Type: application/json"];
        if raw_payload.is_some() {
            expected.extend(["--data-binary", "<payload>"]);
        }
        prop_assert_eq!(words.len(), expected.len(), "{:?}", words);
        for (word, want) in words.iter().zip(&expected) {
            if !want.starts_with('<') {
                prop_assert_eq!(word, want);
            }
        }
        let shown_url = &words[5];
        prop_assert_eq!(first_forbidden(shown_url, |c| c.is_control() || c.is_whitespace() || is_hidden_or_control(c)), None);
        if !url.chars().any(|c| c.is_control() || c.is_whitespace() || sanitize::is_hidden(c)) {
            prop_assert_eq!(shown_url, &url);
        }
        if let Some(raw) = raw_payload {
            let escaped: String = raw
                .chars()
                .map(|c| if c == '\u{7f}' || ('\u{80}'..='\u{9f}').contains(&c) { format!("\\u{:04x}", u32::from(c)) } else { c.to_string() })
                .collect();
            prop_assert_eq!(&words[9], &escaped);
        }
    }

    /// A response body cannot close the fence it is put in, however many backticks it holds.
    #[test]
    fn markdown_fences_hold_any_body(
        parts in proptest::collection::vec(prop_oneof![text(), "\n? {0,3}`{1,12}[a-z]*\n?"], 1..8),
        error in proptest::option::of(text()),
    ) {
        let body: String = parts.concat();
        prop_assume!(!body.is_empty());
        let entry = J::Obj(vec![
            ("id".into(), J::Num("1".into())),
            ("webhook_url".into(), J::Str("https://h.example/".into())),
            ("webhook_type".into(), J::Str("t".into())),
            ("success".into(), J::Bool(false)),
            ("response_body".into(), J::Str(body.clone())),
            ("error_message".into(), error.map_or(J::Null, J::Str)),
        ]);
        let set = LogSet::parse(J::Arr(vec![entry]).text(false)).unwrap();
        let report = export::markdown_report(&set, None, &set.logs[0], false, usize::MAX);

        let is_json = serde_json::from_str::<serde::de::IgnoredAny>(&body).is_ok();
        let shown = if is_json { json_text::pretty(&body) } else { body.clone() };
        // A block tagged `json` (a body that is JSON, or starts like it) shows hidden characters
        // as `\u` escapes; any other as `⟨U+…⟩`.
        let json_tag = is_json || body.trim_start().starts_with(['{', '[']);
        let shown = sanitize::for_report(&shown, json_tag);
        let blocks = fenced_blocks(&report).unwrap_or_else(|why| panic!("{why}:\n{report}"));
        let after = report.find("**Response body**").expect("a body section");
        let (fence, content) = blocks
            .iter()
            .find(|(_, _, start)| *start > after)
            .map(|(fence, content, _)| (fence, content))
            .expect("a fenced body");
        prop_assert!(*fence > longest_backtick_run(&shown), "fence {} for a run of {}", fence, longest_backtick_run(&shown));
        prop_assert_eq!(content.trim_end_matches('\n'), shown.trim_end_matches('\n'));
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Every byte of any text is in exactly one token, in order, so the tokens put end to end
    /// give back the text, whether it is read from the start or as the rest of a string.
    #[test]
    fn tokens_give_back_any_text(
        text in prop_oneof![
            text(),
            JSON_LIKE,
            (tree(), any::<bool>()).prop_map(|(json, spaced)| json.text(spaced)),
        ],
    ) {
        for tokens in [Tokens::new(&text), Tokens::inside_string(&text)] {
            let mut end = 0;
            let mut joined = String::new();
            for token in tokens {
                prop_assert_eq!(token.start, end, "{:?}", text);
                prop_assert!(!token.text.is_empty());
                prop_assert_eq!(&text[token.range()], token.text);
                joined.push_str(token.text);
                end = token.end();
            }
            prop_assert_eq!(&joined, &text);
        }
    }

    /// On valid JSON, what is done to the text is what `serde_json` would see: pretty-printing and
    /// printing as sent (spaced or compacted) keep the value and every number's text, and
    /// redaction gives the value that masking `serde_json`'s tree member by member gives.
    #[test]
    fn json_text_agrees_with_serde_json(value in value_tree(), spaced in any::<bool>()) {
        let text = if spaced { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) }.unwrap();
        let reread = |out: &str| serde_json::from_str::<Value>(out).unwrap_or_else(|err| panic!("{err}: {out}"));
        let printed = [
            json_text::pretty(&text),
            json_text::exact(&text, false).into_owned(),
            json_text::exact(&text, true).into_owned(),
        ];
        for out in printed {
            prop_assert_eq!(&reread(&out), &value);
            prop_assert_eq!(number_texts(&out), number_texts(&text));
        }
        prop_assert_eq!(reread(&redact::redact_json(&text)), redacted(&value));
    }
}

/// Redaction done on `serde_json`'s tree: every string (keys included) masked as text, and the
/// value of a secret-looking key replaced unless it is `null`, a boolean or `""`.
fn redacted(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::from(redact::redact_text(text)),
        Value::Array(items) => Value::Array(items.iter().map(redacted).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| {
                    let reveals_nothing = matches!(value, Value::Null | Value::Bool(_)) || value == "";
                    let value = if redact::is_secret_key(key) && !reveals_nothing {
                        Value::from(redact::MASK)
                    } else {
                        redacted(value)
                    };
                    (redact::redact_text(key), value)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn value_tree() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        // Parsed from short decimal text, so the value prints back as that text.
        (-100_000i64..100_000, 0u32..1000)
            .prop_map(|(whole, thousandths)| Value::from(format!("{whole}.{thousandths:03}").parse::<f64>().unwrap())),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec((text(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

/// The text of every number in a JSON document, in order (strings skipped).
fn number_texts(json: &str) -> Vec<&str> {
    let bytes = json.as_bytes();
    let mut numbers = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i += 1;
                while bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = i;
                while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    i += 1;
                }
                numbers.push(&json[start..i]);
            }
            _ => i += 1,
        }
    }
    numbers
}

/// Splits a command into words as a POSIX shell does, for the little curl commands use:
/// single quotes, backslash escapes and line continuations, `#` comments. Anything else the
/// shell would expand or act on, unquoted, is an error.
fn shell_words(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let word = word.get_or_insert_with(String::new);
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("an unterminated single quote".into()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => word.get_or_insert_with(String::new).push(c),
                None => return Err("a backslash at the end".into()),
            },
            ' ' | '\t' | '\n' => words.extend(word.take()),
            '#' if word.is_none() => {
                if chars.by_ref().find(|&c| c == '\n').is_none() {
                    return Err("a comment with no command after it".into());
                }
            }
            c if c.is_control() || "\"$`;&|<>(){}[]*?~!".contains(c) => {
                return Err(format!("{c:?} outside quotes"));
            }
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    words.extend(word);
    Ok(words)
}

/// Every fenced code block as a Markdown renderer reads it: (fence length, content, offset of the
/// opening line). Fails on a block that is never closed.
fn fenced_blocks(markdown: &str) -> Result<Vec<(usize, String, usize)>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, String, usize)> = None;
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let bare = line.trim_end_matches('\n');
        let indent = bare.len() - bare.trim_start_matches(' ').len();
        let run = bare[indent..].chars().take_while(|&c| c == '`').count();
        match &mut open {
            None if indent <= 3 && run >= 3 => open = Some((run, String::new(), start)),
            None => {}
            Some((fence, _, _)) if indent <= 3 && run >= *fence && bare[indent + run..].trim().is_empty() => {
                blocks.extend(open.take());
            }
            Some((_, content, _)) => content.push_str(line),
        }
    }
    match open {
        Some((fence, _, at)) => Err(format!("the fence of {fence} at byte {at} is never closed")),
        None => Ok(blocks),
    }
}

fn longest_backtick_run(text: &str) -> usize {
    text.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}
