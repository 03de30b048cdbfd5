//! Where a call's logs come from: the API, a file, or the bundled demo. One loader a session;
//! `r` runs it again.

use std::path::PathBuf;
use std::sync::Arc;

use crate::action::{LoadFailure, LoadResult};
use crate::api::{ApiClient, ApiConfig, CallRef};
use crate::case_file::{DEMO_CALL, LoadedCall, parse_document};
use crate::model::{Finished, KeepLog, LogStream};

#[derive(Debug)]
pub enum Loader {
    Demo,
    File(PathBuf),
    Api {
        client: Box<ApiClient>,
        call: CallRef,
        server_type: Option<String>,
        /// Whether to fetch the call's details too (the explorer's header, Markdown reports);
        /// `--print json` and friends skip that request.
        with_details: bool,
    },
}

/// A load's outcome: the logs (or why not), and why the call's details are missing if only
/// they failed.
pub struct Loaded {
    pub result: LoadResult,
    pub call_error: Option<String>,
    /// The process exit code for this failure, for `--print`.
    pub exit_code: u8,
}

/// Exit code for a file that cannot be read or decoded.
pub const EXIT_FILE: u8 = 11;

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
    ) -> Result<Self, crate::api::ApiError> {
        Ok(Self::Api { client: Box::new(ApiClient::new(config)?), call, server_type, with_details })
    }

    /// "call 101", "demo call", "file calls.json": for the header and messages.
    #[must_use]
    pub fn label(&self) -> String {
        match self {
            Self::Demo => "demo call".to_owned(),
            Self::File(path) if path.as_os_str() == "-" => "stdin".to_owned(),
            Self::File(path) => format!("file {}", crate::sanitize::short(&path.display().to_string())),
            Self::Api { call: CallRef::Id(id), .. } => format!("call {id}"),
            Self::Api { call: CallRef::Sid(sid), .. } => format!("call {}", crate::sanitize::short(sid)),
        }
    }

    pub async fn load(&self) -> Loaded {
        self.load_kept(None).await
    }

    /// [`Loader::load`], keeping only the logs `keep` wants (and every log with a problem) of
    /// a call from the API, a file or a pipe: `--print` never holds a big call whole. The call's
    /// details are not fetched then (the formats that print only some logs do not show them).
    pub async fn load_kept(&self, keep: Option<Arc<KeepLog>>) -> Loaded {
        match self {
            Self::Demo => from_text(DEMO_CALL.to_owned(), "the demo call"),
            Self::File(path) => {
                let path = path.clone();
                match tokio::task::spawn_blocking(move || load_file(&path, keep)).await {
                    Ok(loaded) => loaded,
                    Err(join) => Loaded {
                        result: Err(LoadFailure {
                            message: format!("reading the file failed: {join}"),
                            hint: String::new(),
                        }),
                        call_error: None,
                        exit_code: EXIT_FILE,
                    },
                }
            }
            Self::Api { client, call, server_type, with_details: true } if keep.is_none() => {
                match client.fetch_call(call, server_type.as_deref()).await {
                    Ok(fetched) => Loaded {
                        result: Ok(LoadedCall { call: fetched.call, logs: fetched.logs }),
                        call_error: fetched.call_error.map(|err| err.to_string()),
                        exit_code: 0,
                    },
                    Err(err) => api_failure(&err),
                }
            }
            Self::Api { client, call, server_type, .. } => {
                let logs = match client.resolve_call_id(call).await {
                    Ok((id, call)) => {
                        let logs = client.webhook_logs_kept(id, server_type.as_deref(), keep).await;
                        logs.map(|logs| (call, logs))
                    }
                    Err(err) => Err(err),
                };
                match logs {
                    Ok((call, logs)) => {
                        Loaded { result: Ok(LoadedCall { call, logs }), call_error: None, exit_code: 0 }
                    }
                    Err(err) => api_failure(&err),
                }
            }
        }
    }
}

fn api_failure(err: &crate::api::ApiError) -> Loaded {
    Loaded {
        result: Err(LoadFailure { message: err.to_string(), hint: retry_hint(err) }),
        call_error: None,
        exit_code: err.exit_code(),
    }
}

fn retry_hint(err: &crate::api::ApiError) -> String {
    match err.exit_code() {
        3 | 4 => "Fix the key or URL, then start hookscope again (r retries with the same settings).".to_owned(),
        7..=9 => "This may pass: r tries again.".to_owned(),
        _ => "r tries again.".to_owned(),
    }
}

/// Reads a file (or stdin for `-`) and decodes it.
fn load_file(path: &std::path::Path, keep: Option<Arc<KeepLog>>) -> Loaded {
    let stdin = path.as_os_str() == "-";
    let shown =
        if stdin { "stdin".to_owned() } else { crate::sanitize::short(&path.display().to_string()).into_owned() };
    let failed = |message: String, hint: &str| Loaded {
        result: Err(LoadFailure { message, hint: hint.to_owned() }),
        call_error: None,
        exit_code: EXIT_FILE,
    };
    let cannot_read =
        |err: std::io::Error| failed(format!("cannot read {shown}: {err}"), "Check the path and permissions.");
    let not_utf8 = |at: usize| {
        failed(
            format!("{shown} is not UTF-8 text (invalid byte at offset {at})"),
            "Save the API response as it came (curl -o file.json …).",
        )
    };
    // A pipe (`curl … | hookscope --file -`) is decoded while it flows, and so is a file for
    // `--print`, which then holds only what it prints: touching fresh memory for a whole call
    // costs more than reading it. For the explorer a file is read whole, quicker than any
    // decoding, and then decoded on every core in one go.
    let text = if stdin || keep.is_some() {
        let reader: Box<dyn std::io::Read> = if stdin {
            Box::new(std::io::stdin().lock())
        } else {
            match std::fs::File::open(path) {
                Ok(file) => Box::new(file),
                Err(err) => return cannot_read(err),
            }
        };
        let stream = match stream_from(reader, keep) {
            Ok(stream) => stream,
            Err(err) => return cannot_read(err),
        };
        if let Some(at) = stream.invalid_utf8_at() {
            return not_utf8(at);
        }
        match stream.finish() {
            Finished::Logs(logs) => {
                return Loaded { result: Ok(LoadedCall { call: None, logs }), call_error: None, exit_code: 0 };
            }
            Finished::Whole(text) => text,
            Finished::Broken(err) => return failed(format!("{shown}: {err}"), DOCUMENT_HINT),
        }
    } else {
        match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(err)) => return not_utf8(err.utf8_error().valid_up_to()),
            Err(err) => return cannot_read(err),
        }
    };
    from_text(text, &shown)
}

/// Everything `reader` gives, fed to a [`LogStream`] a block at a time.
fn stream_from(mut reader: impl std::io::Read, keep: Option<Arc<KeepLog>>) -> std::io::Result<LogStream> {
    let mut stream = keep.map_or_else(|| LogStream::new(None), LogStream::sieved);
    let mut block = vec![0; 256 * 1024];
    loop {
        match reader.read(&mut block) {
            Ok(0) => return Ok(stream),
            Ok(n) => stream.push(&block[..n]),
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => {}
            Err(err) => return Err(err),
        }
    }
}

fn from_text(text: String, name: &str) -> Loaded {
    match parse_document(text) {
        Ok(loaded) => Loaded { result: Ok(loaded), call_error: None, exit_code: 0 },
        Err(err) => Loaded {
            result: Err(LoadFailure { message: format!("{name}: {err}"), hint: DOCUMENT_HINT.to_owned() }),
            call_error: None,
            exit_code: EXIT_FILE,
        },
    }
}
