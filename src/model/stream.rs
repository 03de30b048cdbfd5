//! Decoding a body while it arrives. The text is gathered into batches of whole elements (see
//! `batch.rs`), and each batch goes to a decoding thread as soon as the next has started, so
//! that by the time the last byte is in, most of the logs are decoded.
//!
//! The body is also kept whole, as [`LogSet`] needs it, unless a sieve says which logs to keep
//! ([`LogStream::sieved`], for `--print`): then only the kept entries are held, and of the body
//! only the batches still being decoded. On this machine a fresh page of memory costs ~2 µs to
//! touch, so holding a 13.5 MB body costs more than decoding it.
//!
//! This is an accelerator only: when the body is small, or not shaped as expected, or a batch
//! fails, [`LogStream::finish`] hands the text back for the ordinary one-shot decode, which gives
//! the same logs (or the error that explains the body).

use crossbeam_channel::{Receiver, SendError, Sender, bounded};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::thread::JoinHandle;

use super::batch::{BATCH_BYTES, Batch, EntryStart, Gathered};
use super::decode::{Decoded, Region};
use super::{DecodeError, KeepLog, LogSet};

/// If the first entry's first key has not shown up in this many bytes, the body is not the
/// array of objects hoped for: no batches, one decode at the end.
const START_WITHIN: usize = 64 * 1024;

/// A full batch is cut at an entry that starts this close to its end if there is one, so that
/// little is copied over to start the next batch.
const CUT_NEAR_END: usize = 8 * 1024;

/// Characters of the body an error quotes, as the one-shot decode's does.
const HEAD_CHARS: usize = 60;

struct Job {
    number: usize,
    start: usize,
    text: String,
    /// The last batch: the array ends in it.
    closes: bool,
}

/// What a stream ends with.
#[derive(Debug)]
pub enum Finished {
    /// Every log (or, sieved, every log kept), decoded while the body arrived.
    Logs(LogSet),
    /// The whole body, not decoded: small, not an array of objects, or broken. The one-shot
    /// decode gives its logs or the error that explains it.
    Whole(String),
    /// A sieved body that is not a well-formed array, found after some of it was let go.
    Broken(DecodeError),
}

/// Batch texts the decoders are done with.
#[derive(Default)]
struct Texts {
    /// Ready to take the next batch: their memory is mapped already, where a fresh buffer would
    /// cost a page fault every 4 KiB.
    spare: Vec<String>,
    /// Sieved, the batches that may still be needed: every one from the first that has not
    /// decoded on, since mending a wrong cut decodes a batch again joined with the next.
    held: BTreeMap<usize, String>,
}

impl Texts {
    /// Takes back batch `number`'s text once batches `0..decoded` have all decoded.
    fn give_back(&mut self, number: usize, text: String, decoded: usize, hold: bool) {
        if hold && number >= decoded {
            self.held.insert(number, text);
        } else {
            self.spare.push(text);
        }
        while let Some(entry) = self.held.first_entry().filter(|entry| *entry.key() < decoded) {
            self.spare.push(entry.remove());
        }
    }
}

/// A body being received, with the batches decoded so far.
pub struct LogStream {
    /// The whole body as text, unless sieved. Bytes that are not UTF-8 are replaced as they come
    /// (as `String::from_utf8_lossy` would).
    whole: Option<String>,
    /// The batch being received: the body's text from `batch_start` on.
    current: String,
    batch_start: usize,
    /// The end of a chunk that stopped part-way through a UTF-8 sequence.
    partial_char: Vec<u8>,
    /// Where the first byte that is not UTF-8 was.
    invalid_utf8_at: Option<usize>,
    /// The first characters of the body, for an error that quotes it.
    head: String,
    /// Where in `current` the search for a cut resumes.
    searched: usize,
    entry_start: Option<EntryStart>,
    /// No more batches: the body is not shaped for them.
    gave_up: bool,
    batch_bytes: usize,
    /// The sealed batches' ranges in the body.
    sealed: Vec<Range<usize>>,
    sieve: Option<Arc<KeepLog>>,
    jobs: Option<Sender<Job>>,
    /// The other end of `jobs`, which the decoding threads own: weak, so that `send` fails
    /// rather than waits when they are all gone.
    queue: Weak<Receiver<Job>>,
    texts: Arc<Mutex<Texts>>,
    gathered: Arc<Mutex<Gathered>>,
    workers: Vec<JoinHandle<()>>,
}

impl LogStream {
    /// A stream for a body of `expected` bytes, when the length is known, that keeps every log.
    #[must_use]
    pub fn new(expected: Option<usize>) -> Self {
        Self::with_batch_bytes(expected, BATCH_BYTES, None)
    }

    /// A stream that keeps only the logs `keep` wants, and every log with a problem.
    #[must_use]
    pub fn sieved(keep: Arc<KeepLog>) -> Self {
        Self::with_batch_bytes(None, BATCH_BYTES, Some(keep))
    }

    fn with_batch_bytes(expected: Option<usize>, batch_bytes: usize, sieve: Option<Arc<KeepLog>>) -> Self {
        let whole = sieve.is_none().then(|| {
            // Reserved up front so the body is never copied to grow; a size that cannot be had
            // (a file's claimed length, say) is not an error until that much actually arrives.
            let mut whole = String::new();
            let _ = whole.try_reserve_exact(expected.unwrap_or(0));
            whole
        });
        Self {
            whole,
            current: String::with_capacity(batch_bytes + CUT_NEAR_END),
            batch_start: 0,
            partial_char: Vec::new(),
            invalid_utf8_at: None,
            head: String::new(),
            searched: 0,
            entry_start: None,
            gave_up: false,
            batch_bytes,
            sealed: Vec::new(),
            sieve,
            jobs: None,
            queue: Weak::new(),
            texts: Arc::default(),
            gathered: Arc::default(),
            workers: Vec::new(),
        }
    }

    /// Where the body's first byte that is not UTF-8 was (it reads as U+FFFD), if any.
    #[must_use]
    pub fn invalid_utf8_at(&self) -> Option<usize> {
        self.invalid_utf8_at
    }

    /// Takes the next piece of the body. May wait for a decoding thread when they are all
    /// behind: that back-pressure keeps memory near the size of the body (or, sieved, of a few
    /// batches).
    pub fn push(&mut self, chunk: &[u8]) {
        let joined;
        let mut rest = if self.partial_char.is_empty() {
            chunk
        } else {
            self.partial_char.extend_from_slice(chunk);
            joined = std::mem::take(&mut self.partial_char);
            &joined[..]
        };
        // As text: a UTF-8 sequence split between chunks is completed by the next one, and a
        // byte that cannot start or continue one becomes U+FFFD.
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.push_str(text),
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    self.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    let Some(bad) = err.error_len() else {
                        // Cut short: the rest of the character is in the next chunk.
                        self.partial_char = after.to_vec();
                        return;
                    };
                    self.invalid_utf8_at.get_or_insert(self.batch_start + self.current.len());
                    self.push_str("\u{fffd}");
                    rest = &after[bad..];
                }
            }
        }
    }

    /// Adds text to the batch being received, a batch's worth at a time, so that a big chunk is
    /// cut near the end of a batch and little of it is copied to start the next.
    fn push_str(&mut self, text: &str) {
        if let Some(whole) = &mut self.whole {
            whole.push_str(text);
        }
        let mut rest = text;
        while !rest.is_empty() {
            let mut take = rest.len();
            if !self.gave_up && self.current.len() < self.batch_bytes {
                take = take.min(self.batch_bytes - self.current.len());
                while !rest.is_char_boundary(take) {
                    take += 1;
                }
            }
            self.current.push_str(&rest[..take]);
            rest = &rest[take..];
            self.batch_if_full();
        }
    }

    /// Seals the batch being received once it is full and an entry starts near its end.
    fn batch_if_full(&mut self) {
        if self.gave_up {
            return;
        }
        let Some(entry_start) = self.entry_start.take().or_else(|| EntryStart::of(self.current.as_bytes())) else {
            if self.current.len() > START_WITHIN {
                self.gave_up = true;
            }
            return;
        };
        if self.current.len() >= self.batch_bytes {
            match self.find_cut(&entry_start) {
                Some(cut) => self.seal(cut),
                // One huge element, or a style the guess does not know: look further next time.
                None => self.searched = self.current.len().saturating_sub(64),
            }
        }
        self.entry_start = Some(entry_start);
    }

    /// Where in `current` the next batch can start: at an entry near the end, or failing that
    /// the first past the middle of a batch, so that batches stay about the size asked for.
    fn find_cut(&self, entry_start: &EntryStart) -> Option<usize> {
        let bytes = self.current.as_bytes();
        let half = (self.batch_bytes / 2).max(1);
        let near_end = bytes.len().saturating_sub(CUT_NEAR_END).max(half).max(self.searched);
        entry_start.next_cut(bytes, near_end).or_else(|| entry_start.next_cut(bytes, half.max(self.searched)))
    }

    /// Sends `current[..cut]` to be decoded; the next batch starts with the rest.
    fn seal(&mut self, cut: usize) {
        if self.sealed.is_empty() {
            self.head = self.current.trim_start().chars().take(HEAD_CHARS).collect();
        }
        let mut next = self
            .texts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .spare
            .pop()
            .unwrap_or_else(|| String::with_capacity(self.batch_bytes + CUT_NEAR_END));
        next.clear();
        next.push_str(&self.current[cut..]);
        self.current.truncate(cut);
        let text = std::mem::replace(&mut self.current, next);
        let job = Job { number: self.sealed.len(), start: self.batch_start, text, closes: false };
        self.sealed.push(self.batch_start..self.batch_start + cut);
        self.batch_start += cut;
        self.searched = 0;
        let sender = self.jobs.get_or_insert_with(|| {
            let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
            // One queue every thread takes from (std's receiver needed a mutex, whose hand-over
            // woke a thread per batch), two batches deep a thread, so that the receiving thread
            // waits on the decoders less often. A wake-up costs tens of microseconds on a
            // virtual machine: the two took `--print ndjson --failed` on 20,000 logs from 169 to
            // 60 context switches (`perf stat -r 40`) and ~10% off its median time.
            let (sender, receiver) = bounded::<Job>(threads * 2);
            let receiver = Arc::new(receiver);
            self.queue = Arc::downgrade(&receiver);
            // A thread the system refuses is done without; with none, `send` fails below.
            self.workers = (0..threads)
                .filter_map(|_| {
                    let receiver = Arc::clone(&receiver);
                    let texts = Arc::clone(&self.texts);
                    let gathered = Arc::clone(&self.gathered);
                    let sieve = self.sieve.clone();
                    let decode = move || decode_jobs(&receiver, &texts, &gathered, sieve.as_deref());
                    std::thread::Builder::new().name("hookscope-decode".into()).spawn(decode).ok()
                })
                .collect();
            sender
        });
        if let Err(SendError(job)) = sender.send(job) {
            // No decoding thread is left (none started, or they panicked): the batch goes back,
            // and the one-shot decode will do the work.
            let mut text = job.text;
            text.push_str(&self.current);
            self.current = text;
            self.batch_start = job.start;
            self.sealed.pop();
            self.gave_up = true;
        }
    }

    /// The logs, the whole body back when it has to be decoded in one go (small, not an array
    /// of objects, or not well formed), or, sieved, why it could not be decoded.
    ///
    /// # Panics
    /// Sieved, when a decoding thread panicked: the text it had is gone, nothing can decode it
    /// again, and that is a bug to report, not a body to blame.
    #[must_use]
    pub fn finish(mut self) -> Finished {
        if !self.partial_char.is_empty() {
            // The body ended part-way through a character.
            self.invalid_utf8_at.get_or_insert(self.batch_start + self.current.len());
            self.partial_char.clear();
            self.push_str("\u{fffd}");
        }
        if !self.gave_up && !self.sealed.is_empty() {
            // The last batch goes to the decoders like the others.
            let number = self.sealed.len();
            let text = std::mem::take(&mut self.current);
            self.sealed.push(self.batch_start..self.batch_start + text.len());
            let job = Job { number, start: self.batch_start, text, closes: true };
            if let Some(Err(SendError(job))) = self.jobs.as_ref().map(|jobs| jobs.send(job)) {
                self.current = job.text;
                self.sealed.pop();
                self.gave_up = true;
            }
        }
        drop(self.jobs.take());
        // The body is in: this thread has nothing left to wait for, so it decodes batches
        // still queued alongside the decoding threads.
        if let Some(queue) = self.queue.upgrade() {
            decode_jobs(&queue, &self.texts, &self.gathered, self.sieve.as_deref());
        }
        // Every thread is joined (no short cut): they are all done before the logs are read.
        let mut worker_died = false;
        for worker in self.workers.drain(..) {
            if let Err(panic) = worker.join() {
                if self.whole.is_none() {
                    std::panic::resume_unwind(panic);
                }
                worker_died = true;
            }
        }
        if self.gave_up || worker_died || self.sealed.is_empty() {
            // Sieved, nothing was let go: a batch that could not be sent came back.
            let mut whole = self.whole.take().unwrap_or_else(|| std::mem::take(&mut self.current));
            // Without a length (a gzipped body) the buffer grew by doubling: give the slack back.
            whole.shrink_to_fit();
            return Finished::Whole(whole);
        }
        let ranges = std::mem::take(&mut self.sealed);
        let end = ranges.last().map_or(0, |last| last.end);
        let sieve = self.sieve.as_deref();
        let gathered = std::mem::take(&mut *self.gathered.lock().unwrap_or_else(PoisonError::into_inner));
        let decoded = gathered.decoded_prefix;
        let held;
        let window = if let Some(whole) = &self.whole {
            Region { text: whole, offset: 0 }
        } else {
            held = held_text(&self.texts, &ranges, decoded);
            Region { text: &held.0, offset: held.1 }
        };
        let held_from = window.offset;
        let assembled = gathered.assemble(window, &(0..end), &ranges, sieve);
        match (assembled, self.whole.take()) {
            (Some((logs, rejected, _)), Some(mut whole)) => {
                whole.shrink_to_fit();
                Finished::Logs(LogSet { text: whole, logs, rejected })
            }
            (Some((logs, rejected, kept)), None) => Finished::Logs(LogSet { text: kept, logs, rejected }),
            (None, Some(whole)) => Finished::Whole(whole),
            // The start of the body is gone, so this says where the break is instead of quoting
            // the parser, as the one-shot decode does.
            (None, None) => Finished::Broken(DecodeError::NotJson(format!(
                "text that is not JSON (the array is broken past byte {held_from}), starting {:?}",
                self.head
            ))),
        }
    }
}

/// Sieved, the text of every batch from `decoded` (the first that did not decode) to the end,
/// joined, and where it starts in the body: what mending a wrong cut reads again.
fn held_text(texts: &Mutex<Texts>, ranges: &[Range<usize>], decoded: usize) -> (String, usize) {
    let Some(first) = ranges.get(decoded) else { return (String::new(), 0) };
    let mut texts = texts.lock().unwrap_or_else(PoisonError::into_inner);
    let mut joined = String::new();
    for number in decoded..ranges.len() {
        // Held by `Texts::give_back` from the first batch that failed on.
        let text = texts.held.remove(&number);
        assert!(text.is_some(), "batch {number} was let go before it decoded");
        joined.push_str(&text.unwrap_or_default());
    }
    (joined, first.start)
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

fn decode_jobs(receiver: &Receiver<Job>, texts: &Mutex<Texts>, gathered: &Mutex<Gathered>, sieve: Option<&KeepLog>) {
    let mut scratch = Decoded::default();
    loop {
        let job = receiver.recv();
        let Ok(job) = job else { return };
        let region = Region { text: &job.text, offset: job.start };
        let batch = Batch { region, opens: job.start == 0, closes: job.closes };
        let decoded = Gathered::decode(gathered, job.number, &batch, &mut scratch, sieve);
        // With the whole body kept, a batch is never read again.
        let hold = sieve.is_some();
        texts.lock().unwrap_or_else(PoisonError::into_inner).give_back(job.number, job.text, decoded, hold);
    }
}

#[cfg(test)]
mod tests;
