//! Decoding a body while it arrives. The bytes are kept whole, as [`LogSet`] needs them, and a
//! copy of each batch of whole elements goes to a decoding thread as soon as the next batch has
//! started, so that by the time the last byte is in, most of the logs are decoded.
//!
//! This is an accelerator only: when the body is small, or not shaped as expected, or a batch
//! fails, [`LogStream::finish`] hands the bytes back for the ordinary one-shot decode, which
//! gives the same logs (or the error that explains the body).

use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::LogSet;
use super::batch::{BATCH_BYTES, Batch, EntryStart, Gathered};
use super::decode::{Decoded, Region};

/// If the first entry's first key has not shown up in this many bytes, the body is not the
/// array of objects hoped for: no batches, one decode at the end.
const START_WITHIN: usize = 64 * 1024;

struct Job {
    number: usize,
    start: usize,
    text: Vec<u8>,
}

/// A body being received, with the batches decoded so far.
pub struct LogStream {
    received: Vec<u8>,
    /// Where the batch being received starts.
    batch_start: usize,
    /// Where the search for the next cut resumes.
    searched: usize,
    entry_start: Option<EntryStart>,
    /// No more batches: the body is not shaped for them.
    gave_up: bool,
    batch_bytes: usize,
    sealed: Vec<Range<usize>>,
    jobs: Option<SyncSender<Job>>,
    /// Batch buffers the decoders are done with.
    spare: Arc<Mutex<Vec<Vec<u8>>>>,
    gathered: Arc<Mutex<Gathered>>,
    workers: Vec<JoinHandle<()>>,
}

impl LogStream {
    /// A stream for a body of `expected` bytes, when the length is known.
    #[must_use]
    pub fn new(expected: Option<usize>) -> Self {
        Self::with_batch_bytes(expected, BATCH_BYTES)
    }

    fn with_batch_bytes(expected: Option<usize>, batch_bytes: usize) -> Self {
        // Reserved up front so the body is never copied to grow; a size that cannot be had (a
        // file's claimed length, say) is not an error until that much actually arrives.
        let mut received = Vec::new();
        let _ = received.try_reserve_exact(expected.unwrap_or(0));
        Self {
            received,
            batch_start: 0,
            searched: 0,
            entry_start: None,
            gave_up: false,
            batch_bytes,
            sealed: Vec::new(),
            jobs: None,
            spare: Arc::default(),
            gathered: Arc::default(),
            workers: Vec::new(),
        }
    }

    /// Takes the next piece of the body. May wait for a decoding thread when they are all
    /// behind: that back-pressure keeps memory near the size of the body.
    pub fn push(&mut self, chunk: &[u8]) {
        self.received.extend_from_slice(chunk);
        if self.gave_up {
            return;
        }
        let Some(entry_start) = self.entry_start.take().or_else(|| EntryStart::of(&self.received)) else {
            if self.received.len() > START_WITHIN {
                self.gave_up = true;
            }
            return;
        };
        while self.received.len() - self.batch_start >= self.batch_bytes {
            let from = self.searched.max(self.batch_start + (self.batch_bytes / 2).max(1));
            let Some(cut) = entry_start.next_cut(&self.received, from) else {
                // One huge element, or a style the guess does not know: look further next time.
                self.searched = self.received.len().saturating_sub(64);
                break;
            };
            self.seal(cut);
        }
        self.entry_start = Some(entry_start);
    }

    /// Sends `received[batch_start..cut]` to be decoded; the next batch starts at `cut`.
    fn seal(&mut self, cut: usize) {
        // A buffer a decoder has finished with is reused: its memory is already mapped, where a
        // fresh one would cost a page fault every 4 KiB.
        let mut text = self.spare.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_default();
        text.clear();
        text.extend_from_slice(&self.received[self.batch_start..cut]);
        let job = Job { number: self.sealed.len(), start: self.batch_start, text };
        self.sealed.push(self.batch_start..cut);
        self.batch_start = cut;
        let jobs = self.jobs.get_or_insert_with(|| {
            let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            let (sender, receiver) = sync_channel::<Job>(2 * threads);
            let receiver = Arc::new(Mutex::new(receiver));
            // A thread the system refuses is done without; with none, `send` fails below.
            self.workers = (0..threads)
                .filter_map(|_| {
                    let receiver = Arc::clone(&receiver);
                    let spare = Arc::clone(&self.spare);
                    let gathered = Arc::clone(&self.gathered);
                    let decode = move || decode_jobs(&receiver, &spare, &gathered);
                    std::thread::Builder::new().name("hookscope-decode".into()).spawn(decode).ok()
                })
                .collect();
            sender
        });
        if jobs.send(job).is_err() {
            // No decoding thread is left (none started, or they panicked): the one-shot decode
            // will do the work.
            self.gave_up = true;
        }
    }

    /// The logs, or the whole body back when it has to be decoded in one go (small, not an
    /// array of objects, not UTF-8, or not well formed).
    ///
    /// # Errors
    /// The received bytes, untouched, whenever the stream did not decode them.
    pub fn finish(mut self) -> Result<LogSet, Vec<u8>> {
        drop(self.jobs.take());
        // Every thread is joined (no short cut): they are all done before the logs are read.
        let worker_died = self.workers.drain(..).map(JoinHandle::join).filter(Result::is_err).count() > 0;
        let mut received = std::mem::take(&mut self.received);
        // Without a length (a gzipped body) the buffer grew by doubling: give the slack back.
        received.shrink_to_fit();
        if self.gave_up || worker_died || self.sealed.is_empty() {
            return Err(received);
        }
        let text = match String::from_utf8(received) {
            Ok(text) => text,
            Err(err) => return Err(err.into_bytes()),
        };
        let last = self.batch_start..text.len();
        let last_batch =
            Batch { region: Region { text: &text[last.clone()], offset: last.start }, opens: false, closes: true };
        Gathered::decode(&self.gathered, self.sealed.len(), &last_batch, &mut Decoded::default());
        let mut ranges = std::mem::take(&mut self.sealed);
        ranges.push(last);
        let gathered = std::mem::take(&mut *self.gathered.lock().unwrap_or_else(PoisonError::into_inner));
        match gathered.assemble(&text, &(0..text.len()), &ranges) {
            Some((logs, rejected)) => Ok(LogSet { text, logs, rejected }),
            None => Err(text.into_bytes()),
        }
    }
}

impl Drop for LogStream {
    fn drop(&mut self) {
        // A stream abandoned part-way (a failed request): let the threads finish and go.
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn decode_jobs(receiver: &Mutex<Receiver<Job>>, spare: &Mutex<Vec<Vec<u8>>>, gathered: &Mutex<Gathered>) {
    let mut scratch = Decoded::default();
    loop {
        let job = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        // Not UTF-8: the batch stays undecoded, and so does the body (`finish` checks it whole).
        let buffer = match String::from_utf8(job.text) {
            Ok(text) => {
                let batch =
                    Batch { region: Region { text: &text, offset: job.start }, opens: job.start == 0, closes: false };
                Gathered::decode(gathered, job.number, &batch, &mut scratch);
                text.into_bytes()
            }
            Err(err) => err.into_bytes(),
        };
        spare.lock().unwrap_or_else(PoisonError::into_inner).push(buffer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: usize) -> String {
        format!(
            r#"{{"id":{id},"webhook_url":"https://h/x","webhook_type":"t{}","success":{},"s":"}},{{\"id\":1}}","p":[{{"id":2}},{{"id":3}}],"attempted_at":"2025-08-24T19:22:0{}"}}"#,
            id % 3,
            id.is_multiple_of(2),
            9 - id % 10
        )
    }

    fn streamed(text: &str, chunk: usize, batch_bytes: usize) -> Result<LogSet, Vec<u8>> {
        let mut stream = LogStream::with_batch_bytes(Some(text.len()), batch_bytes);
        for piece in text.as_bytes().chunks(chunk) {
            stream.push(piece);
        }
        stream.finish()
    }

    #[test]
    fn a_body_decoded_as_it_arrives_gives_the_same_logs_as_decoded_whole() {
        let entries: Vec<String> = (0..300).map(entry).chain(["42".to_owned()]).collect();
        let text = format!("[{}]\n", entries.join(","));
        let whole = LogSet::parse(text.clone()).unwrap();
        assert_eq!(whole.rejected.len(), 1);
        for (chunk, batch_bytes) in
            [(1, 500), (3, 1), (1, 2), (7, 300), (1000, 2000), (4096, 10_000), (text.len(), 1000)]
        {
            let set =
                streamed(&text, chunk, batch_bytes).unwrap_or_else(|_| panic!("{chunk}/{batch_bytes} not decoded"));
            assert_eq!(set, whole, "chunks of {chunk}, batches of {batch_bytes}");
        }
    }

    #[test]
    fn anything_else_is_handed_back_untouched() {
        let big_entries: Vec<String> = (0..100).map(entry).collect();
        let cases = [
            "[]".to_owned(),
            format!("[{}]", entry(1)),
            format!("[{},]", big_entries.join(",")),
            format!("[{}] trailing", big_entries.join(",")),
            format!("{{\"logs\": [{}]}}", big_entries.join(",")),
            format!("\u{feff}[{}]", big_entries.join(",")),
            format!("[{}, {{\"id\": 5, \"x\": tru}}]", big_entries.join(",")),
        ];
        for text in cases {
            assert_eq!(streamed(&text, 100, 500).unwrap_err(), text.as_bytes(), "{}", &text[..text.len().min(40)]);
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_handed_back() {
        let mut body = format!("[{}", (0..100).map(entry).collect::<Vec<_>>().join(",")).into_bytes();
        body.extend_from_slice(b",{\"id\":1,\"x\":\"\xff\"}]");
        let mut stream = LogStream::with_batch_bytes(None, 500);
        for piece in body.chunks(333) {
            stream.push(piece);
        }
        assert_eq!(stream.finish().unwrap_err(), body);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn any_chunking_and_batch_size_gives_the_logs_decoded_whole(chunk in 1..5000usize, batch_bytes in 1..5000usize) {
            let entries: Vec<String> = (0..60).map(entry).chain(["[1]".to_owned(), "\"x\"".to_owned()]).collect();
            let text = format!(" [ {} ] ", entries.join(" ,\n"));
            let whole = LogSet::parse(text.clone()).unwrap();
            match streamed(&text, chunk, batch_bytes) {
                Ok(set) => proptest::prop_assert_eq!(set, whole),
                // Handed back only when no batch was ever cut.
                Err(bytes) => proptest::prop_assert!(bytes == text.as_bytes() && batch_bytes >= text.len() / 2),
            }
        }
    }
}
