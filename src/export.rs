//! (placeholder until the export branch lands)
use crate::model::{CallInfo, LogSet, WebhookLog};
#[must_use]
pub fn payload_pretty(set: &LogSet, log: &WebhookLog) -> Option<String> { set.payload(log).map(crate::json_text::pretty) }
#[must_use]
pub fn curl_command(_set: &LogSet, log: &WebhookLog) -> String { log.webhook_url.clone() }
#[must_use]
pub fn markdown_report(_set: &LogSet, _call: Option<&CallInfo>, log: &WebhookLog, _redact: bool, _limit: usize) -> String { log.webhook_type.clone() }
#[must_use]
pub fn json_array(set: &LogSet, logs: &[&WebhookLog]) -> String { let v: Vec<&str> = logs.iter().map(|l| set.raw(l)).collect(); format!("[\n{}\n]\n", v.join(",\n")) }
#[must_use]
pub fn ndjson(set: &LogSet, logs: &[&WebhookLog]) -> String { logs.iter().map(|l| format!("{}\n", set.raw(l))).collect() }
#[must_use]
pub fn table(_set: &LogSet, logs: &[&WebhookLog], _width: Option<usize>, _color: bool) -> String { logs.iter().map(|l| format!("{}\n", l.id)).collect() }
#[must_use]
pub fn markdown_call_report(_set: &LogSet, _call: Option<&CallInfo>, logs: &[&WebhookLog], _redact: bool, _limit: usize) -> String { format!("{}", logs.len()) }
#[must_use]
pub fn case_file(set: &LogSet, _call: Option<&CallInfo>, logs: &[&WebhookLog], _at: jiff::Timestamp) -> String { json_array(set, logs) }
/// # Errors
/// io
pub fn write_case_file(dir: &std::path::Path, _call_id: Option<i64>, contents: &str) -> std::io::Result<std::path::PathBuf> { let p = dir.join("x.json"); std::fs::write(&p, contents)?; Ok(p) }
