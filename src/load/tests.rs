//! Loading: how a load's end is told, and reading files and pipes that never end or explode.

use super::*;

/// A reader that never ends: `pattern` over and over, counting what it gave.
struct Endless {
    pattern: Vec<u8>,
    given: usize,
}

impl Endless {
    fn new(pattern: &[u8]) -> Self {
        Self { pattern: pattern.to_vec(), given: 0 }
    }
}

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        for (at, byte) in buf.iter_mut().enumerate() {
            *byte = self.pattern[(self.given + at) % self.pattern.len()];
        }
        self.given += buf.len();
        Ok(buf.len())
    }
}

/// Reads `reader` as `stdin` with a cap of `max_body`, as the explorer would (nothing cancels).
fn read_capped(reader: &mut dyn Read, max_body: usize) -> (LogSet, Ending) {
    let mut counted = Counted { sink: LogSet::default(), decoded: 0 };
    let ending = read_logs(reader, Source { shown: "stdin", expected: None, max_body }, &mut counted, &|| false);
    (counted.sink, ending)
}

fn failure_message(ending: &Ending) -> &str {
    ending.failure.as_ref().map_or("", |failure| failure.message.as_str())
}

const MIB: usize = 1 << 20;

/// `yes '['` and the like: the array never closes, so only the cap ends the read, just past it.
#[test]
fn an_endless_array_is_refused_at_the_cap_naming_the_flag() {
    for pattern in [&b"[\n"[..], b"[{\"id\": 1, \"a\": \"", b"[ "] {
        let mut endless = Endless::new(pattern);
        let (_, ending) = read_capped(&mut endless, 4 * MIB);
        assert_eq!(failure_message(&ending), "stdin is over the 4 MiB input limit (--max-body MIB raises it)");
        assert_eq!(ending.exit_code, EXIT_FILE);
        assert!(endless.given <= 4 * MIB + READ_BLOCK, "read {} bytes", endless.given);
    }
}

/// Logs complete before the cap was passed are kept, with the cap as a problem of the body.
#[test]
fn logs_before_the_cap_are_kept() {
    let log = br#"{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}, "#;
    let mut input = b"[".to_vec();
    input.extend(log.repeat(100));
    let mut endless = std::io::Cursor::new(input).chain(Endless::new(b" "));
    let (logs, ending) = read_capped(&mut endless, MIB);
    assert!(ending.cut_short, "{:?}", ending.failure);
    let Ok(loaded) = ending.conclude(logs).result else { panic!("the logs are lost") };
    assert_eq!(loaded.logs.logs.len(), 100);
}

/// `/dev/zero`, a sparse file, `/dev/urandom`, text that is not an array: refused within the
/// first block, not at the cap.
#[test]
fn input_that_cannot_become_logs_stops_the_read_at_once() {
    let cases: [(&[u8], &str); 4] = [
        (b"\0", "stdin holds a run of NUL bytes at offset 0, which no JSON text has"),
        (b"[{\"id\": 1}, \0\0\0\0\0\0\0\0", "stdin holds a run of NUL bytes at offset 12, which no JSON text has"),
        (b"\xff\xfe[", "stdin is not UTF-8 text (invalid byte at offset 0)"),
        (b"hello ", "stdin: expected JSON, got"),
    ];
    for (pattern, message) in cases {
        // The pattern once, then zeros (the NUL run case) or the pattern again, endlessly: the
        // source's first read is a whole block, as a file's is.
        let mut input = pattern.to_vec();
        let mut endless = Endless::new(if pattern.contains(&0) { b"\0" } else { pattern });
        input.resize(READ_BLOCK, 0);
        endless.read_exact(&mut input[pattern.len()..]).unwrap();
        let mut endless = std::io::Cursor::new(input).chain(endless);
        let (_, ending) = read_capped(&mut endless, 64 * MIB);
        let shown = String::from_utf8_lossy(pattern);
        assert!(failure_message(&ending).starts_with(message), "{shown:?}: {}", failure_message(&ending));
        let given = endless.into_inner().1.given;
        assert!(given <= 2 * READ_BLOCK, "{:?}: read {given} bytes", String::from_utf8_lossy(pattern));
    }
}

/// A stray NUL costs only its log; a run of them (a zero-filled region) ends the read.
#[test]
fn a_single_nul_is_not_a_run() {
    let mut input: &[u8] = b"[{\"id\": 1, \"webhook_type\": \"a\0b\", \"webhook_url\": \"u\", \"success\": true}, {\"id\": 2, \"webhook_url\": \"u\", \"webhook_type\": \"t\", \"success\": true}]";
    let (logs, ending) = read_capped(&mut input, MIB);
    assert!(ending.failure.is_none(), "{}", failure_message(&ending));
    assert_eq!(logs.logs.iter().map(|log| log.id).collect::<Vec<_>>(), [2]);
    let mut runs = ZeroRun::default();
    assert_eq!(runs.find(&[0; ZERO_RUN - 1], 0), None);
    assert_eq!(runs.find(&[0], ZERO_RUN - 1), Some(0), "a run across two blocks");
    let mut broken = ZeroRun::default();
    assert_eq!(broken.find(&[0; ZERO_RUN - 1], 0), None);
    assert_eq!(broken.find(&[b' ', 0], ZERO_RUN - 1), None);
}

/// Once the array has closed, nothing after it is read: `[]` then an endless stream ends.
#[test]
fn the_read_ends_when_the_array_closes() {
    let mut endless = std::io::Cursor::new(b"[]".to_vec()).chain(Endless::new(b" "));
    let (_, ending) = read_capped(&mut endless, 64 * MIB);
    assert!(ending.failure.is_none(), "{}", failure_message(&ending));
    assert!(endless.into_inner().1.given <= READ_BLOCK);
}

/// A case file (which is read whole) is capped too.
#[test]
fn a_case_file_is_capped_too() {
    let mut endless = Endless::new(b"{ ");
    let (_, ending) = read_capped(&mut endless, MIB);
    assert_eq!(failure_message(&ending), "stdin is over the 1 MiB input limit (--max-body MIB raises it)");
    assert!(endless.given <= MIB + READ_BLOCK + 1);
}

/// Nobody waiting (a new fetch, quitting) stops the read at the next block.
#[test]
fn a_cancelled_read_stops() {
    let mut endless = Endless::new(b"[ ");
    let mut counted = Counted { sink: LogSet::default(), decoded: 0 };
    let blocks = std::cell::Cell::new(0);
    let cancelled = || {
        blocks.set(blocks.get() + 1);
        blocks.get() > 3
    };
    let source = Source { shown: "stdin", expected: None, max_body: 1 << 30 };
    let ending = read_logs(&mut endless, source, &mut counted, &cancelled);
    assert!(ending.failure.is_none());
    assert_eq!(endless.given, 3 * READ_BLOCK);
}

fn failure() -> LoadFailure {
    LoadFailure { message: "network error: end of file".to_owned(), hint: String::new(), exit_code: 9 }
}

/// A failure part-way through a body shows the logs before it, and says so below them; one
/// that refuses the source whole is the load's failure.
#[test]
fn a_load_cut_short_keeps_its_logs_and_one_refused_whole_does_not() {
    let logs = LogSet::parse(r#"[{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true}]"#).unwrap();
    let cut = Ending { failure: Some(failure()), cut_short: true, exit_code: 9, ..Ending::default() };
    let Ok(loaded) = cut.conclude(logs.clone()).result else { panic!("the logs are lost") };
    assert_eq!(loaded.logs.logs.len(), 1);
    assert_eq!(loaded.logs.body_problems, ["network error: end of file; the list holds only the 1 log before it"]);
    let refused = Ending { failure: Some(failure()), exit_code: 11, ..Ending::default() };
    assert_eq!(refused.conclude(logs).result.err(), Some(failure()));
}

/// The explorer's rows leave the sink as they arrive: the count before the cut is of every
/// log the load decoded, not of those left for the end.
#[test]
fn the_count_before_a_cut_includes_the_rows_already_shown() {
    let cut = Ending { failure: Some(failure()), cut_short: true, before_cut: 12, ..Ending::default() };
    let Ok(loaded) = cut.conclude(LogSet::default()).result else { panic!("a cut keeps what came") };
    assert_eq!(loaded.logs.body_problems, ["network error: end of file; the list holds only the 12 logs before it"]);
}
