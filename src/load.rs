//! Where a call's logs come from: the API, a file, stdin, or the bundled demo. Every source is
//! read the same way: each log goes to a [`LogSink`] as soon as it is decoded, so the explorer
//! shows rows while a big body is still arriving and `--print ndjson` writes them as they come.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::action::{LoadFailure, LoadResult};
use crate::api::{ApiClient, ApiConfig, ApiError, CallRef};
use crate::case_file::{DEMO_CALL, LoadedCall, parse_document};
use crate::model::{CallHook, CallInfo, Decoded, LogSet, LogSink, LogStream};

#[derive(Debug)]
pub enum Loader {
    Demo,
    /// A file, or stdin for `-`, refused past `max_body` bytes.
    File {
        path: PathBuf,
        max_body: usize,
    },
    Api {
        client: Box<ApiClient>,
        call: CallRef,
        server_type: Option<String>,
        /// Whether to fetch the call's details too (the explorer's header, Markdown reports);
        /// `--print json` and friends skip that request.
        with_details: bool,
    },
}

/// How a load ended, besides the logs it handed to its sink.
#[derive(Debug, Default)]
pub struct Ending {
    /// The call's details, when the source has them.
    pub call: Option<CallInfo>,
    /// Why the call's details are missing, if only they failed.
    pub call_error: Option<String>,
    /// What was wrong with the body as a whole that cost no complete log.
    pub body_problems: Vec<String>,
    /// Why the load failed.
    pub failure: Option<LoadFailure>,
    /// The failure cut a body short: the logs handed to the sink before it are good, and shown
    /// (a dropped connection). Otherwise the failure refuses the source whole (a file that is
    /// not UTF-8).
    pub cut_short: bool,
    /// The process exit code for the failure, for `--print`.
    pub exit_code: u8,
    /// How many logs came before a cut: the sink may have passed some on already (the
    /// explorer's rows), so the logs given to [`Ending::conclude`] can be fewer.
    pub before_cut: usize,
    /// How long the server asked to wait before the next request (a 429's `Retry-After`).
    pub retry_after: Option<std::time::Duration>,
}

impl Ending {
    fn failed(err: &ApiError) -> Self {
        Self { failure: Some(api_failure(err)), exit_code: err.exit_code(), ..Self::default() }
    }

    /// The whole load, given the logs the sink kept. A failure that cut the body short is told
    /// as a problem of the body, below the logs that came before it.
    #[must_use]
    pub fn conclude(self, mut logs: LogSet) -> Loaded {
        logs.body_problems.extend(self.body_problems);
        let result = match self.failure {
            Some(failure) if self.cut_short => {
                let before = self.before_cut.max(logs.logs.len());
                let counted = if before == 1 { "1 log".to_owned() } else { format!("{before} logs") };
                logs.body_problems.push(format!("{}; the list holds only the {counted} before it", failure.message));
                Ok(LoadedCall { call: self.call, logs })
            }
            Some(failure) => Err(failure),
            None => Ok(LoadedCall { call: self.call, logs }),
        };
        Loaded { result, call_error: self.call_error }
    }
}

/// A whole load's outcome: the logs (or why not), and why the call's details are missing if only
/// they failed.
pub struct Loaded {
    pub result: LoadResult,
    pub call_error: Option<String>,
}

/// Exit code for a file that cannot be read or decoded.
pub const EXIT_FILE: u8 = 11;

/// Bytes read from a file or pipe at a time.
const READ_BLOCK: usize = 256 * 1024;

const DOCUMENT_HINT: &str =
    "hookscope reads a JSON array of webhook logs as the API returns it, or a case file it exported.";

impl Loader {
    /// # Errors
    /// When the API client cannot be built (no key, plain http to a remote host).
    pub fn api(
        config: ApiConfig,
        call: CallRef,
        server_type: Option<String>,
        with_details: bool,
    ) -> Result<Self, ApiError> {
        if let Some((key, _)) = &config.api_key {
            // From now on nothing this process shows, copies or exports holds the key.
            crate::key_scrub::protect(key);
        }
        Ok(Self::Api { client: Box::new(ApiClient::new(config)?), call, server_type, with_details })
    }

    /// "call 101", "demo call", "file calls.json": for the header and messages.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Demo => "demo call".to_owned(),
            Self::File { path, .. } if path.as_os_str() == "-" => "stdin".to_owned(),
            Self::File { path, .. } => format!("file {}", crate::sanitize::short(&path.display().to_string())),
            Self::Api { call: CallRef::Id(id), .. } => format!("call {id}"),
            Self::Api { call: CallRef::Sid(sid), .. } => format!("call {}", crate::sanitize::short(sid)),
        }
    }

    /// Loads the call, handing each log to `sink` as soon as it is decoded, and gives the sink
    /// back with how the load ended.
    pub async fn load_into<S: LogSink + Send + 'static>(&self, sink: S) -> (S, Ending) {
        self.load_with(sink, true).await
    }

    /// [`Loader::load_into`] for a poll while following a call: a 429 or 5xx is not tried again
    /// (the next poll is the retry), so a poll never waits out a `Retry-After` itself.
    pub async fn poll_into<S: LogSink + Send + 'static>(&self, sink: S) -> (S, Ending) {
        self.load_with(sink, false).await
    }

    async fn load_with<S: LogSink + Send + 'static>(&self, mut sink: S, retries: bool) -> (S, Ending) {
        match self {
            Self::Demo => {
                let ending = from_document(DEMO_CALL.to_owned(), "the demo call", &mut sink);
                (sink, ending)
            }
            Self::File { path, max_body } => {
                let path = path.clone();
                let max_body = *max_body;
                // A thread of its own rather than tokio's blocking pool: a read of a FIFO or a
                // silent pipe can block forever, and the runtime waits for its pool when it shuts
                // down. Dropping this future (a new fetch, quitting) makes the thread stop at its
                // next block, or die with the process if it is stuck in a read.
                let (done, read) = tokio::sync::oneshot::channel();
                std::thread::spawn(move || {
                    let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut counted = Counted { sink, decoded: 0 };
                        let ending = load_file(&path, max_body, &mut counted, &|| done.is_closed());
                        (counted.sink, ending)
                    }));
                    let _ = done.send(loaded);
                });
                match read.await {
                    Ok(Ok(loaded)) => loaded,
                    Ok(Err(panic)) => std::panic::resume_unwind(panic),
                    Err(_) => unreachable!("the reader thread always sends"),
                }
            }
            Self::Api { client, call, server_type, with_details } => {
                let client = if retries { client.as_ref().clone() } else { client.as_ref().clone().without_retries() };
                load_api(&client, call, server_type.as_deref(), *with_details, sink).await
            }
        }
    }
}

async fn load_api<S: LogSink + Send + 'static>(
    client: &ApiClient,
    call: &CallRef,
    server_type: Option<&str>,
    with_details: bool,
    sink: S,
) -> (S, Ending) {
    let client = client.clone().with_retry_hook(sink.retry_hook());
    let (mut counted, mut streamed) =
        client.stream_call(call, server_type, with_details, Counted { sink, decoded: 0 }).await;
    if server_type.is_some() && counted.decoded == 0 && streamed.is_ok() {
        // The server has no log of that type. Fetching the call whole lets the filter, which
        // holds the type too, say which types it has: the type was most likely mistyped.
        let details = streamed.as_ref().ok().map(|found| (found.call.clone(), found.call_error.clone()));
        (counted, streamed) = client.stream_call(call, None, false, counted).await;
        if let (Ok(found), Some((call, call_error))) = (streamed.as_mut(), details) {
            found.call = found.call.take().or(call);
            found.call_error = call_error;
        }
    }
    let decoded = counted.decoded;
    let ending = match streamed {
        Ok(streamed) => Ending {
            call: streamed.call,
            call_error: streamed.call_error.map(|err| err.to_string()),
            body_problems: streamed.body_problems,
            ..Ending::default()
        },
        Err(err) => Ending {
            cut_short: decoded > 0,
            before_cut: decoded,
            retry_after: err.retry_after(),
            ..Ending::failed(&err)
        },
    };
    (counted.sink, ending)
}

/// A sink that counts what passes through it.
struct Counted<S> {
    sink: S,
    decoded: usize,
}

impl<S: LogSink> LogSink for Counted<S> {
    fn decoded(&mut self, decoded: Decoded) {
        self.decoded += 1;
        self.sink.decoded(decoded);
    }

    fn progress(&mut self, received: usize, expected: Option<usize>) {
        self.sink.progress(received, expected);
    }

    fn call_hook(&self) -> Option<CallHook> {
        self.sink.call_hook()
    }

    fn retry_hook(&self) -> Option<crate::api::RetryHook> {
        self.sink.retry_hook()
    }

    fn reuses(&self) -> bool {
        self.sink.reuses()
    }

    fn already_have(&mut self, text: &str, index: usize) -> bool {
        let have = self.sink.already_have(text, index);
        self.decoded += usize::from(have);
        have
    }
}

/// An API error as the explorer's error screen says it, with the hint under it (the call list
/// says its errors the same way).
#[must_use]
pub fn api_failure(err: &ApiError) -> LoadFailure {
    let hint = match err.exit_code() {
        3 | 4 => "Fix the key or URL, then start hookscope again (r retries with the same settings).",
        7..=9 => "This may pass: r tries again.",
        _ => "r tries again.",
    };
    LoadFailure { message: err.to_string(), hint: hint.to_owned(), exit_code: err.exit_code() }
}

fn file_failure(message: String, hint: &str) -> Ending {
    let failure = LoadFailure { message, hint: hint.to_owned(), exit_code: EXIT_FILE };
    Ending { failure: Some(failure), exit_code: EXIT_FILE, ..Ending::default() }
}

/// Reads a file (or stdin for `-`). An array is decoded as it is read; a case file, which has
/// the call's details around its logs, is read whole. Reading stops as soon as more input cannot
/// become logs (not an array, not UTF-8, a zero-filled region, the array closed), past
/// `max_body` bytes, or when `cancelled` says nobody waits for the result any more.
fn load_file<S: LogSink>(path: &Path, max_body: usize, sink: &mut Counted<S>, cancelled: &dyn Fn() -> bool) -> Ending {
    let stdin = path.as_os_str() == "-";
    let shown =
        if stdin { "stdin".to_owned() } else { crate::sanitize::short(&path.display().to_string()).into_owned() };
    let cannot_read =
        |err: std::io::Error| file_failure(format!("cannot read {shown}: {err}"), "Check the path and permissions.");
    let (mut reader, expected): (Box<dyn Read>, _) = if stdin {
        (Box::new(std::io::stdin().lock()), None)
    } else {
        match std::fs::File::open(path) {
            Ok(file) => {
                let length = file.metadata().ok().filter(std::fs::Metadata::is_file).map(|meta| meta.len());
                (Box::new(file), length.and_then(|length| usize::try_from(length).ok()))
            }
            Err(err) => return cannot_read(err),
        }
    };
    read_logs(reader.as_mut(), Source { shown: &shown, expected, max_body }, sink, cancelled)
}

/// What [`read_logs`] reads: its name in messages, its length if known, and the cap.
#[derive(Clone, Copy)]
struct Source<'a> {
    shown: &'a str,
    expected: Option<usize>,
    max_body: usize,
}

/// [`load_file`]'s reading, from any reader.
fn read_logs<S: LogSink>(
    reader: &mut dyn Read,
    source: Source<'_>,
    sink: &mut Counted<S>,
    cancelled: &dyn Fn() -> bool,
) -> Ending {
    let Source { shown, expected, max_body } = source;
    let cannot_read =
        |err: std::io::Error| file_failure(format!("cannot read {shown}: {err}"), "Check the path and permissions.");
    let too_large = |decoded: usize| Ending {
        cut_short: decoded > 0,
        ..file_failure(
            format!("{shown} is over the {} input limit (--max-body MIB raises it)", crate::api::limit_text(max_body)),
            "A call of 100,000 logs is about 60 MB: is this the right file?",
        )
    };
    let mut stream = LogStream::default();
    let mut received = 0;
    let mut block = vec![0; READ_BLOCK];
    let mut first = true;
    let mut zeros = ZeroRun::default();
    while !stream.settled() {
        if cancelled() {
            return Ending::default();
        }
        let n = match reader.read(&mut block) {
            Ok(0) => break,
            Ok(n) => n,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return cannot_read(err),
        };
        if n > max_body - received {
            return too_large(sink.decoded);
        }
        if let Some(at) = zeros.find(&block[..n], received) {
            return Ending {
                cut_short: sink.decoded > 0,
                ..file_failure(
                    format!("{shown} holds a run of NUL bytes at offset {at}, which no JSON text has"),
                    "A sparse or zero-filled file, or a device: save the API response as it came (curl -o file.json …).",
                )
            };
        }
        if std::mem::take(&mut first) && starts_an_object(&block[..n]) {
            let mut whole = block[..n].to_vec();
            let limit = u64::try_from(max_body - n).unwrap_or(u64::MAX).saturating_add(1);
            if let Err(err) = reader.take(limit).read_to_end(&mut whole) {
                return cannot_read(err);
            }
            if whole.len() > max_body {
                return too_large(0);
            }
            return match String::from_utf8(whole) {
                Ok(text) => from_document(text, shown, sink),
                Err(err) => not_utf8(shown, err.utf8_error().valid_up_to()),
            };
        }
        stream.push(&block[..n], sink);
        received += n;
        sink.progress(received, expected);
    }
    if let Some(at) = stream.invalid_utf8_at() {
        return not_utf8(shown, at);
    }
    match stream.finish() {
        Ok(body_problems) => Ending { body_problems, ..Ending::default() },
        Err(err) => file_failure(format!("{shown}: {err}"), DOCUMENT_HINT),
    }
}

/// NUL bytes in a row that mark a zero-filled region (a sparse file, a device, a preallocated
/// log): JSON text never holds one, and a single stray NUL costs only the log it is in.
const ZERO_RUN: usize = 1024;

/// Finds a run of [`ZERO_RUN`] NUL bytes across the blocks of a read.
#[derive(Debug, Default)]
struct ZeroRun {
    /// NUL bytes at the end of the blocks so far.
    run: usize,
}

impl ZeroRun {
    /// Where in the input (the block starts at `offset`) the first run this block completes
    /// begins.
    fn find(&mut self, block: &[u8], offset: usize) -> Option<usize> {
        let mut at = 0;
        while let Some(zero) = memchr::memchr(0, &block[at..]).map(|found| at + found) {
            if zero > at {
                self.run = 0;
            }
            let end = block[zero..].iter().position(|&byte| byte != 0).map_or(block.len(), |len| zero + len);
            self.run += end - zero;
            if self.run >= ZERO_RUN {
                return Some(offset + end - self.run);
            }
            at = end;
        }
        if at < block.len() {
            self.run = 0;
        }
        None
    }
}

/// Whether a document starts with `{` (a case file), after any byte order mark and whitespace.
fn starts_an_object(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    bytes.iter().find(|byte| !byte.is_ascii_whitespace()) == Some(&b'{')
}

fn not_utf8(shown: &str, at: usize) -> Ending {
    file_failure(
        format!("{shown} is not UTF-8 text (invalid byte at offset {at})"),
        "Save the API response as it came (curl -o file.json …).",
    )
}

/// A whole document (an array, or a case file with the call's details), its logs handed to `sink`.
fn from_document(text: String, name: &str, sink: &mut impl LogSink) -> Ending {
    match parse_document(text) {
        Ok(loaded) => {
            for log in loaded.logs.logs {
                sink.decoded(Decoded::Log(log));
            }
            for rejected in loaded.logs.rejected {
                sink.decoded(Decoded::Rejected(rejected));
            }
            Ending { call: loaded.call, body_problems: loaded.logs.body_problems, ..Ending::default() }
        }
        Err(err) => file_failure(format!("{name}: {err}"), DOCUMENT_HINT),
    }
}

#[cfg(test)]
mod tests;
