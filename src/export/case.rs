//! Case files: a call's details and logs in one document that `--file` opens again, for
//! attaching to a ticket or handing to a colleague.

use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::json::push_array;
use crate::case_file::CASE_FORMAT_VERSION;
use crate::json_text::{self, exact};
use crate::model::{CallInfo, WebhookLog};

/// `{"hookscope_case": 1, "exported_at": …, "hookscope_version": …, "call": …, "logs": […]}`
/// with the call and every log as the server sent them, one log a line.
/// [`crate::case_file::parse_document`] reads it back to the same call and logs. A call whose
/// text is not JSON (one built in code rather than fetched) is written as `null`.
#[must_use]
pub fn case_file(call: Option<&CallInfo>, logs: &[&WebhookLog], exported_at: Timestamp) -> String {
    let call = call
        .map(|call| call.raw.as_str())
        .filter(|raw| json_text::is_json(raw))
        .map_or(std::borrow::Cow::Borrowed("null"), |raw| exact(raw, false));
    let mut out = format!(
        "{{\"hookscope_case\": {CASE_FORMAT_VERSION}, \"exported_at\": \"{exported_at}\", \
         \"hookscope_version\": \"{}\",\n\"call\": {call},\n\"logs\": ",
        env!("CARGO_PKG_VERSION"),
    );
    push_array(&mut out, logs, false);
    out.push_str("}\n");
    out
}

/// Writes a case file into `dir` under a new name, never over an existing file: a second
/// export in the same second gets `-2`, then `-3`. Readable by the owner only, since payloads
/// carry phone numbers and transcripts.
///
/// # Errors
/// When the directory cannot be written, or ten thousand names in a row are taken.
pub fn write_case_file(dir: &Path, call_id: Option<i64>, contents: &str) -> io::Result<PathBuf> {
    write_case_file_at(dir, call_id, contents, Timestamp::now())
}

pub(super) fn write_case_file_at(
    dir: &Path,
    call_id: Option<i64>,
    contents: &str,
    now: Timestamp,
) -> io::Result<PathBuf> {
    let stamp = now.to_zoned_datetime(TimeZone::UTC).strftime("%Y%m%dT%H%M%SZ").to_string();
    let stem = match call_id {
        Some(id) => format!("hookscope-call-{id}-{stamp}"),
        None => format!("hookscope-case-{stamp}"),
    };
    for n in 1..=10_000 {
        let name = if n == 1 { format!("{stem}.json") } else { format!("{stem}-{n}.json") };
        let path = dir.join(name);
        match create_private(&path) {
            Ok(mut file) => {
                let written = file.write_all(contents.as_bytes()).and_then(|()| file.sync_all());
                return match written {
                    Ok(()) => Ok(path),
                    Err(err) => {
                        // A half-written case file would later open as a confusing parse error.
                        let _ = std::fs::remove_file(&path);
                        Err(err)
                    }
                };
            }
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, format!("every name like {stem}-N.json is taken")))
}

fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}
