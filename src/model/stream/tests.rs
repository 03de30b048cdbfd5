use super::*;
use crate::model::LogSet;

/// An entry with text a splitter could mistake for an element's end: in a string, and in a
/// nested array of objects that start like an entry.
fn entry(id: usize) -> String {
    format!(
        r#"{{"id":{id},"webhook_url":"https://h/x","webhook_type":"t{}","success":{},"s":"}},{{\"id\":1}}]","p":[{{"id":2}},{{"id":3}}],"attempted_at":"2025-08-24T19:22:0{}"}}"#,
        id % 3,
        id.is_multiple_of(2),
        9 - id % 10
    )
}

fn body(entries: impl IntoIterator<Item = String>) -> String {
    format!("[{}]\n", entries.into_iter().collect::<Vec<_>>().join(","))
}

/// `bytes` pushed `chunk` at a time into a set, and how the stream ended.
fn streamed(bytes: &[u8], chunk: usize) -> (LogSet, LogStream) {
    let mut set = LogSet::default();
    let mut stream = LogStream::default();
    for piece in bytes.chunks(chunk) {
        stream.push(piece, &mut set);
    }
    (set, stream)
}

#[test]
fn bytes_that_are_not_utf8_read_as_replacement_characters_and_the_first_is_noted() {
    let mut bytes = body((0..100).map(entry)).into_bytes();
    bytes.truncate(bytes.len() - 2);
    let at = bytes.len() + r#",{"id":1000,"webhook_url":"u","webhook_type":""#.len();
    bytes.extend_from_slice(b",{\"id\":1000,\"webhook_url\":\"u\",\"webhook_type\":\"\xff\xfe\",\"success\":false}]");
    let whole = LogSet::parse(String::from_utf8_lossy(&bytes)).unwrap();
    let (set, stream) = streamed(&bytes, 333);
    assert_eq!(stream.invalid_utf8_at(), Some(at));
    assert_eq!(stream.finish(), Ok(Vec::new()));
    assert_eq!(set, whole);
    assert_eq!(set.logs.iter().find(|log| log.id == 1000).unwrap().webhook_type, "\u{fffd}\u{fffd}");
}

#[test]
fn a_character_split_between_chunks_is_not_broken() {
    let text = body((0..50).map(|id| entry(id).replace("https://h/x", "https://h/é😀")));
    for chunk in [1, 2, 3, 5] {
        let (set, stream) = streamed(text.as_bytes(), chunk);
        assert_eq!(stream.invalid_utf8_at(), None, "chunks of {chunk}");
        assert!(set.logs.iter().all(|log| log.webhook_url == "https://h/é😀"));
    }
}

#[test]
fn an_error_quotes_the_body_while_no_log_has_been_decoded() {
    let (_, stream) = streamed(b"<html><title>Sign in</title>", 4);
    assert_eq!(stream.unread_body().as_deref(), Some("<html><title>Sign in</title>"));
    assert_eq!(stream.finish(), Err(DecodeError::NotJson("an HTML or XML page".to_owned())));
    let (_, stream) = streamed(body([entry(1), entry(2)]).as_bytes(), 10);
    assert_eq!(stream.unread_body(), None, "the body is let go once logs decode");
}

#[test]
fn only_the_element_still_arriving_is_held() {
    let text = body((0..200).map(entry));
    let mut set = LogSet::default();
    let mut stream = LogStream::default();
    for piece in text.as_bytes().chunks(1000) {
        stream.push(piece, &mut set);
        assert!(stream.buffer.len() < 1000 + entry(0).len(), "{} bytes held", stream.buffer.len());
    }
    assert_eq!(set.logs.len(), 200);
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn any_chunking_gives_the_logs_decoded_whole_and_any_cut_keeps_every_complete_one(
        chunk in 1..5000usize,
        cut in 0..20_000usize,
    ) {
        let entries: Vec<String> = (0..60).map(entry).chain(["[1]".to_owned(), "\"x\"".to_owned()]).collect();
        let text = format!(" [ {} ] ", entries.join(" ,\n"));
        let whole = LogSet::parse(&text).unwrap();
        let (set, stream) = streamed(text.as_bytes(), chunk);
        proptest::prop_assert_eq!(stream.finish(), Ok(Vec::new()));
        proptest::prop_assert_eq!(&set, &whole);

        let before_cut = &text[..cut.min(text.len())];
        let (cut_set, _) = streamed(before_cut.as_bytes(), chunk);
        let complete: Vec<_> = whole.logs.iter().filter(|log| before_cut.contains(log.raw())).collect();
        proptest::prop_assert_eq!(cut_set.logs.iter().collect::<Vec<_>>(), complete);
        let complete = whole.rejected.iter().filter(|entry| before_cut.contains(&*entry.raw)).count();
        proptest::prop_assert_eq!(cut_set.rejected.len(), complete);
    }
}
