use super::*;
use crate::model::WebhookLog;

/// An entry with cut-like text where no cut may go: in a string, and in a nested array of
/// objects that start like an entry.
fn entry(id: usize) -> String {
    format!(
        r#"{{"id":{id},"webhook_url":"https://h/x","webhook_type":"t{}","success":{},"s":"}},{{\"id\":1}}","p":[{{"id":2}},{{"id":3}}],"attempted_at":"2025-08-24T19:22:0{}"}}"#,
        id % 3,
        id.is_multiple_of(2),
        9 - id % 10
    )
}

fn body(entries: impl IntoIterator<Item = String>) -> String {
    format!("[{}]\n", entries.into_iter().collect::<Vec<_>>().join(","))
}

fn stream(bytes: &[u8], chunk: usize, batch_bytes: usize, sieve: Option<Arc<KeepLog>>) -> LogStream {
    let mut stream = LogStream::with_batch_bytes(Some(bytes.len()), batch_bytes, sieve);
    for piece in bytes.chunks(chunk) {
        stream.push(piece);
    }
    stream
}

fn streamed(text: &str, chunk: usize, batch_bytes: usize, sieve: Option<Arc<KeepLog>>) -> Finished {
    stream(text.as_bytes(), chunk, batch_bytes, sieve).finish()
}

/// A sieve that keeps the failed deliveries.
fn failed() -> Arc<KeepLog> {
    Arc::new(|log: &WebhookLog, _: &str| !log.success)
}

/// What a log is, whatever text its spans point into: index, id, entry, payload, problems.
type Seen<'a> = (usize, i64, &'a str, Option<&'a str>, &'a [String]);

fn seen(set: &LogSet) -> Vec<Seen<'_>> {
    set.logs.iter().map(|log| (log.index, log.id, set.raw(log), set.payload(log), &log.problems[..])).collect()
}

fn rejected(set: &LogSet) -> Vec<(usize, &str, &str)> {
    set.rejected.iter().map(|entry| (entry.index, set.slice(&entry.raw), entry.reason.as_str())).collect()
}

/// The logs decoded whole, then those a sieve keeping failed deliveries keeps.
fn whole_then_sifted(text: &str) -> (LogSet, LogSet) {
    let whole = LogSet::parse(text.to_owned()).unwrap();
    let mut sifted = whole.clone();
    sifted.logs.retain(|log| !log.success || !log.problems.is_empty());
    (whole, sifted)
}

#[test]
fn a_body_decoded_as_it_arrives_gives_the_same_logs_as_decoded_whole() {
    let text = body((0..300).map(entry).chain(["42".to_owned()]));
    let (whole, sifted) = whole_then_sifted(&text);
    assert_eq!(whole.rejected.len(), 1);
    for (chunk, batch_bytes) in [(1, 500), (3, 1), (1, 2), (7, 300), (1000, 2000), (4096, 10_000), (text.len(), 1000)] {
        let Finished::Logs(set) = streamed(&text, chunk, batch_bytes, None) else {
            panic!("chunks of {chunk}, batches of {batch_bytes}: not decoded")
        };
        assert_eq!(set, whole, "chunks of {chunk}, batches of {batch_bytes}");
        let Finished::Logs(set) = streamed(&text, chunk, batch_bytes, Some(failed())) else {
            panic!("chunks of {chunk}, batches of {batch_bytes}: not decoded sieved")
        };
        assert_eq!(seen(&set), seen(&sifted), "sieved, chunks of {chunk}, batches of {batch_bytes}");
        assert_eq!(rejected(&set), rejected(&sifted));
    }
}

#[test]
fn a_sieve_keeps_every_log_with_a_problem_and_only_the_text_it_keeps() {
    let entries = (0..200).map(|id| match id {
        17 => r#"{"id":17,"webhook_url":"u","webhook_type":"t","success":"yes","response_status_code":201}"#.to_owned(),
        18 => r#"{"webhook_type":"no id"}"#.to_owned(),
        _ => entry(id),
    });
    let text = body(entries);
    let Finished::Logs(set) = streamed(&text, 700, 1000, Some(failed())) else { panic!("not decoded") };
    let problem = set.logs.iter().find(|log| log.id == 17).expect("a log with a problem is kept");
    assert!(problem.success, "derived from 201, so the sieve alone would have dropped it");
    assert_eq!(rejected(&set), [(18, r#"{"webhook_type":"no id"}"#, "field `id` is missing")]);
    assert!(set.logs.iter().all(|log| !log.success || !log.problems.is_empty()));
    let kept: usize = set.logs.iter().map(|log| log.raw.len()).sum::<usize>() + set.rejected[0].raw.len();
    assert_eq!(set.text().len(), kept, "only kept entries are held");
}

#[test]
fn anything_else_is_handed_back_whole() {
    let big = body((0..100).map(entry));
    let cases = [
        "[]".to_owned(),
        body([entry(1)]),
        format!("{{\"logs\": {big}}}"),
        format!("\u{feff}{big}"),
        format!("{}, ]", big.trim_end().trim_end_matches(']')),
        format!("{big} trailing"),
        format!("{}, {{\"id\": 5, \"x\": tru}}]", big.trim_end().trim_end_matches(']')),
    ];
    for text in cases {
        let Finished::Whole(back) = streamed(&text, 100, 500, None) else { panic!("{}", &text[..40.min(text.len())]) };
        assert_eq!(back, text);
    }
}

#[test]
fn a_sieved_body_that_breaks_after_text_was_let_go_says_where() {
    let text = format!("{}, {{\"id\": 5, \"x\": tru}}]", body((0..100).map(entry)).trim_end().trim_end_matches(']'));
    let Finished::Broken(DecodeError::NotJson(why)) = streamed(&text, 100, 500, Some(failed())) else {
        panic!("not refused")
    };
    assert!(why.starts_with("text that is not JSON (the array is broken past byte "), "{why}");
    assert!(why.ends_with(&format!("starting {:?}", &text[..60])), "{why}");
    // Small, nothing is let go: the one-shot decode explains it as usual.
    let small = r#"[{"id": 1, "x": tru}]"#;
    assert!(matches!(streamed(small, 5, 500, Some(failed())), Finished::Whole(back) if back == small));
}

#[test]
fn bytes_that_are_not_utf8_read_as_replacement_characters_and_the_first_is_noted() {
    let mut bytes = body((0..100).map(entry)).into_bytes();
    bytes.truncate(bytes.len() - 2);
    let at = bytes.len() + r#",{"id":1000,"webhook_url":"u","webhook_type":""#.len();
    bytes.extend_from_slice(b",{\"id\":1000,\"webhook_url\":\"u\",\"webhook_type\":\"\xff\xfe\",\"success\":false}]");
    let lossy = String::from_utf8_lossy(&bytes).into_owned();
    let (whole, sifted) = whole_then_sifted(&lossy);
    for sieve in [None, Some(failed())] {
        let sieved = sieve.is_some();
        let stream = stream(&bytes, 333, 500, sieve);
        assert_eq!(stream.invalid_utf8_at(), Some(at));
        let Finished::Logs(set) = stream.finish() else { panic!("not decoded") };
        assert_eq!(seen(&set), seen(if sieved { &sifted } else { &whole }));
        assert_eq!(set.logs.iter().find(|log| log.id == 1000).unwrap().webhook_type, "\u{fffd}\u{fffd}");
    }
}

#[test]
fn a_character_split_between_chunks_is_not_broken() {
    let text = body((0..50).map(|id| entry(id).replace("https://h/x", "https://h/é😀")));
    for chunk in [1, 2, 3, 5] {
        let stream = stream(text.as_bytes(), chunk, 300, None);
        assert_eq!(stream.invalid_utf8_at(), None, "chunks of {chunk}");
        let Finished::Logs(set) = stream.finish() else { panic!("not decoded") };
        assert_eq!(set.text(), text);
    }
    let mut cut_short = text.into_bytes();
    cut_short.truncate(cut_short.len() - 2);
    cut_short.extend_from_slice(&"é".as_bytes()[..1]);
    let stream = stream(&cut_short, 7, 300, None);
    assert_eq!(stream.finish_whole_text(), String::from_utf8_lossy(&cut_short));
}

impl LogStream {
    /// The text the stream hands back for a body it cannot decode.
    fn finish_whole_text(self) -> String {
        match self.finish() {
            Finished::Whole(text) => text,
            other => panic!("decoded: {other:?}"),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_chunking_and_batch_size_gives_the_logs_decoded_whole(chunk in 1..5000usize, batch_bytes in 1..5000usize) {
        let entries: Vec<String> = (0..60).map(entry).chain(["[1]".to_owned(), "\"x\"".to_owned()]).collect();
        let text = format!(" [ {} ] ", entries.join(" ,\n"));
        let (whole, sifted) = whole_then_sifted(&text);
        match streamed(&text, chunk, batch_bytes, None) {
            Finished::Logs(set) => proptest::prop_assert_eq!(set, whole),
            // Handed back only when no batch was ever cut.
            Finished::Whole(back) => proptest::prop_assert!(back == text && batch_bytes >= text.len() / 2),
            Finished::Broken(err) => proptest::prop_assert!(false, "{}", err),
        }
        match streamed(&text, chunk, batch_bytes, Some(failed())) {
            Finished::Logs(set) => {
                proptest::prop_assert_eq!(seen(&set), seen(&sifted));
                proptest::prop_assert_eq!(rejected(&set), rejected(&sifted));
            }
            Finished::Whole(back) => proptest::prop_assert!(back == text && batch_bytes >= text.len() / 2),
            Finished::Broken(err) => proptest::prop_assert!(false, "{}", err),
        }
    }
}
