//! Renderings of a call's logs for people and scripts, shared by `--print` and the copy menu.
//!
//! Two kinds of artefact live here. Exact ones (JSON, NDJSON, the curl payload, case files) keep
//! what the server sent byte for byte, so a script, a replay or `--file` sees the same data; the
//! only change they ever make is to write a control character found raw inside a JSON string
//! as a `\u` escape, which JSON allows for DEL and C1 controls but which some terminals act on.
//! Human ones (the table, Markdown, comment lines) pass every piece of data through
//! [`crate::sanitize`] so that pasting or printing them cannot run escapes.
//!
//! Documents end with a newline; the curl command does not, so that pasting it into a shell
//! does not run it before it has been read.

mod case;
mod copy;
mod curl;
mod json;
mod markdown;
mod table;

pub use case::{case_file, write_case_file};
pub use copy::{Clip, CopyItem, clip};
pub use curl::curl_command;
pub use json::{json_array, ndjson, payload_pretty, write_json_array, write_ndjson};
pub use markdown::{REPORT_LIMIT, markdown_call_report, markdown_report};
pub(crate) use table::cut as cut_to_width;
pub use table::{TableRows, table};

#[cfg(test)]
mod tests;
