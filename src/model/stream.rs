//! Decoding a body while it arrives. A copy of each batch of whole elements goes to a decoding
//! thread as soon as the next batch has started, so that by the time the last byte is in, most
//! of the logs are decoded.
//!
//! The body is kept whole, as [`LogSet`] needs it, unless a sieve says which logs to keep
//! ([`LogStream::sieved`], for `--print`): then only the kept entries are held, and of the body
//! only what the decoders have not yet got through. On this machine a fresh page of memory costs
//! ~2 µs to touch, so holding a 13.5 MB body costs more than decoding it.
//!
//! This is an accelerator only: when the body is small, or not shaped as expected, or a batch
//! fails, [`LogStream::finish`] hands the text back for the ordinary one-shot decode, which gives
//! the same logs (or the error that explains the body).

use std::ops::Range;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::batch::{BATCH_BYTES, Batch, EntryStart, Gathered};
use super::decode::{Decoded, Region};
use super::{DecodeError, KeepLog, LogSet};

/// If the first entry's first key has not shown up in this many bytes, the body is not the
/// array of objects hoped for: no batches, one decode at the end.
const START_WITHIN: usize = 64 * 1024;

struct Job {
    number: usize,
    start: usize,
    text: String,
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

/// A body being received, with the batches decoded so far.
pub struct LogStream {
    /// The body as text, from byte `window_start` on: the whole of it unless sieved. Bytes that
    /// are not UTF-8 are replaced as they come (as `String::from_utf8_lossy` would).
    window: String,
    window_start: usize,
    /// The end of a chunk that stopped part-way through a UTF-8 sequence.
    partial_char: Vec<u8>,
    /// Where the first byte that is not UTF-8 was.
    invalid_utf8_at: Option<usize>,
    /// The first characters of the body, for an error that quotes it.
    head: String,
    /// Where the batch being received starts, in the body.
    batch_start: usize,
    /// Where the search for the next cut resumes, in the body.
    searched: usize,
    entry_start: Option<EntryStart>,
    /// No more batches: the body is not shaped for them.
    gave_up: bool,
    batch_bytes: usize,
    /// The sealed batches' ranges in the body.
    sealed: Vec<Range<usize>>,
    sieve: Option<Arc<KeepLog>>,
    jobs: Option<SyncSender<Job>>,
    /// Batch buffers the decoders are done with.
    spare: Arc<Mutex<Vec<String>>>,
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
        // Reserved up front so the body is never copied to grow; a size that cannot be had (a
        // file's claimed length, say) is not an error until that much actually arrives.
        let mut window = String::new();
        let _ = window.try_reserve_exact(expected.unwrap_or(0));
        Self {
            window,
            window_start: 0,
            partial_char: Vec::new(),
            invalid_utf8_at: None,
            head: String::new(),
            batch_start: 0,
            searched: 0,
            entry_start: None,
            gave_up: false,
            batch_bytes,
            sealed: Vec::new(),
            sieve,
            jobs: None,
            spare: Arc::default(),
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
        self.push_text(chunk);
        if self.gave_up {
            return;
        }
        let Some(entry_start) = self.entry_start.take().or_else(|| EntryStart::of(self.window.as_bytes())) else {
            if self.window.len() > START_WITHIN {
                self.gave_up = true;
            }
            return;
        };
        while self.received() - self.batch_start >= self.batch_bytes {
            let from = self.searched.max(self.batch_start + (self.batch_bytes / 2).max(1));
            let Some(cut) = entry_start.next_cut(self.window.as_bytes(), from - self.window_start) else {
                // One huge element, or a style the guess does not know: look further next time.
                self.searched = self.received().saturating_sub(64);
                break;
            };
            self.seal(self.window_start + cut);
        }
        self.entry_start = Some(entry_start);
        self.let_go();
    }

    /// How many bytes of the body have come in (as text).
    fn received(&self) -> usize {
        self.window_start + self.window.len()
    }

    /// Appends `chunk` as text: a UTF-8 sequence split between chunks is completed by the next
    /// one, and a byte that cannot start or continue one becomes U+FFFD.
    fn push_text(&mut self, chunk: &[u8]) {
        let joined;
        let mut rest = if self.partial_char.is_empty() {
            chunk
        } else {
            self.partial_char.extend_from_slice(chunk);
            joined = std::mem::take(&mut self.partial_char);
            &joined[..]
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.window.push_str(text),
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    self.window.push_str(std::str::from_utf8(valid).unwrap_or_default());
                    let Some(bad) = err.error_len() else {
                        // Cut short: the rest of the character is in the next chunk.
                        self.partial_char = after.to_vec();
                        return;
                    };
                    self.invalid_utf8_at.get_or_insert(self.received());
                    self.window.push(char::REPLACEMENT_CHARACTER);
                    rest = &after[bad..];
                }
            }
        }
    }

    /// Sends `body[batch_start..cut]` to be decoded; the next batch starts at `cut`.
    fn seal(&mut self, cut: usize) {
        // A buffer a decoder has finished with is reused: its memory is already mapped, where a
        // fresh one would cost a page fault every 4 KiB.
        let mut text = self.spare.lock().unwrap_or_else(PoisonError::into_inner).pop().unwrap_or_default();
        text.clear();
        text.push_str(&self.window[self.batch_start - self.window_start..cut - self.window_start]);
        if self.sealed.is_empty() {
            self.head = self.window.trim_start().chars().take(HEAD_CHARS).collect();
        }
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
                    let sieve = self.sieve.clone();
                    let decode = move || decode_jobs(&receiver, &spare, &gathered, sieve.as_deref());
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

    /// Sieved, drops the text the decoders have got through, once that is at least as much as
    /// what is left: copying what is left to the front then costs no more than receiving it did.
    fn let_go(&mut self) {
        if self.sieve.is_none() || self.gave_up {
            return;
        }
        let decoded = self.gathered.lock().unwrap_or_else(PoisonError::into_inner).decoded_prefix;
        let needed_from = self.sealed.get(decoded).map_or(self.batch_start, |batch| batch.start);
        let done = needed_from - self.window_start;
        if done > 0 && done >= self.window.len() - done {
            self.window.drain(..done);
            self.window_start = needed_from;
        }
    }

    /// The logs, the whole body back when it has to be decoded in one go (small, not an array
    /// of objects, or not well formed), or, sieved, why it could not be decoded.
    ///
    /// # Panics
    /// When a decoding thread panicked after the text it had was let go: nothing can decode it
    /// again, and that is a bug to report, not a body to blame.
    #[must_use]
    pub fn finish(mut self) -> Finished {
        drop(self.jobs.take());
        if !self.partial_char.is_empty() {
            // The body ended part-way through a character.
            self.invalid_utf8_at.get_or_insert(self.received());
            self.partial_char.clear();
            self.window.push(char::REPLACEMENT_CHARACTER);
        }
        // Every thread is joined (no short cut): they are all done before the logs are read.
        let mut worker_died = false;
        for worker in self.workers.drain(..) {
            if let Err(panic) = worker.join() {
                if self.window_start > 0 {
                    std::panic::resume_unwind(panic);
                }
                worker_died = true;
            }
        }
        let mut window = std::mem::take(&mut self.window);
        if self.gave_up || worker_died || self.sealed.is_empty() {
            // Text is let go only while decoders are at work, and a dead one was dealt with above.
            debug_assert_eq!(self.window_start, 0, "a stream gave up after letting text go");
            // Without a length (a gzipped body) the buffer grew by doubling: give the slack back.
            window.shrink_to_fit();
            return Finished::Whole(window);
        }
        let last = self.batch_start..self.received();
        let last_batch = Batch {
            region: Region { text: &window[last.start - self.window_start..], offset: last.start },
            opens: false,
            closes: true,
        };
        let sieve = self.sieve.as_deref();
        Gathered::decode(&self.gathered, self.sealed.len(), &last_batch, &mut Decoded::default(), sieve);
        let mut ranges = std::mem::take(&mut self.sealed);
        ranges.push(last);
        let gathered = std::mem::take(&mut *self.gathered.lock().unwrap_or_else(PoisonError::into_inner));
        let held = Region { text: &window, offset: self.window_start };
        match (gathered.assemble(held, &(0..self.received()), &ranges, sieve), sieve) {
            (Some((logs, rejected, _)), None) => {
                window.shrink_to_fit();
                Finished::Logs(LogSet { text: window, logs, rejected })
            }
            (Some((logs, rejected, kept)), Some(_)) => Finished::Logs(LogSet { text: kept, logs, rejected }),
            (None, _) if self.window_start == 0 => Finished::Whole(window),
            // The start of the body is gone, so this says where the break is instead of quoting
            // the parser, as the one-shot decode does.
            (None, _) => Finished::Broken(DecodeError::NotJson(format!(
                "text that is not JSON (the array is broken past byte {}), starting {:?}",
                self.window_start, self.head
            ))),
        }
    }
}

/// Characters of the body an error quotes, as the one-shot decode's does.
const HEAD_CHARS: usize = 60;

impl Drop for LogStream {
    fn drop(&mut self) {
        // A stream abandoned part-way (a failed request): let the threads finish and go.
        drop(self.jobs.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

fn decode_jobs(
    receiver: &Mutex<Receiver<Job>>,
    spare: &Mutex<Vec<String>>,
    gathered: &Mutex<Gathered>,
    sieve: Option<&KeepLog>,
) {
    let mut scratch = Decoded::default();
    loop {
        let job = receiver.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        let batch =
            Batch { region: Region { text: &job.text, offset: job.start }, opens: job.start == 0, closes: false };
        Gathered::decode(gathered, job.number, &batch, &mut scratch, sieve);
        spare.lock().unwrap_or_else(PoisonError::into_inner).push(job.text);
    }
}
