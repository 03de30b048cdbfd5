//! A call that grows on each request and then ends, for following tests: call 101's logs and
//! details, one scripted reply a poll, with a failed poll (a 500, then a 429 asking for 1 s) in
//! the middle.

use crate::http_server::Reply;

pub const LOGS_TARGET: &str = "/api/v1/calls/101/webhook-logs";
pub const CALL_TARGET: &str = "/api/v1/calls/101";

/// Log `id`, attempted `id` seconds into the call; `fixed` is a failure retried later.
pub fn entry(id: i64, fixed: bool) -> String {
    let (status, success) = if id == 3 && !fixed { (502, false) } else { (200, true) };
    format!(
        r#"{{"id": {id}, "call_id": 101, "webhook_url": "https://hooks.example.com/burki", "webhook_type": "transcript", "request_payload": {{"text": "line {id}"}}, "response_status_code": {status}, "response_time_ms": 12, "attempted_at": "2025-08-24T19:22:{id:02}Z", "success": {success}, "error_message": null, "retry_count": 0}}"#
    )
}

/// Logs 1 to `last`, log 3 failed unless `fixed`.
pub fn logs(last: i64, fixed: bool) -> String {
    let entries: Vec<String> = (1..=last).map(|id| entry(id, fixed)).collect();
    format!("[{}]", entries.join(",\n"))
}

fn call(status: &str) -> Reply {
    let body = format!(r#"{{"id": 101, "call_sid": "CAgrowing", "status": "{status}"}}"#);
    Reply::json(200, "OK", &body).for_target(CALL_TARGET)
}

/// Six requests of each route: 3 logs (ongoing); 5 logs, log 3 changed; a 500; a 429 with
/// `Retry-After: 1`; 6 logs (completed); 7 logs (completed, the last poll).
pub fn script() -> Vec<Reply> {
    let logs_reply = |body: String| Reply::json(200, "OK", &body).for_target(LOGS_TARGET);
    vec![
        logs_reply(logs(3, false)),
        call("ongoing"),
        logs_reply(logs(5, true)),
        call("ongoing"),
        Reply::new(500, "Internal Server Error").body("Internal Server Error").for_target(LOGS_TARGET),
        call("ongoing"),
        Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#)
            .header("Retry-After", "1")
            .for_target(LOGS_TARGET),
        call("ongoing"),
        logs_reply(logs(6, true)),
        call("completed"),
        logs_reply(logs(7, true)),
        call("completed"),
    ]
}
