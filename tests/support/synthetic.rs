//! Deterministic synthetic webhook logs: big calls for tests, benches and `examples/make_call.rs`.
//!
//! Included with `#[path = "…/tests/support/synthetic.rs"] mod synthetic;`, so it depends on std
//! and `serde_json` only. The same `(count, seed)` always gives the same bytes: a seeded
//! splitmix64 stands in for a random crate, and every timestamp counts from a fixed start.
//! The logs look like what the API returns (`burki-api.md`): one compact object a line, both
//! payload styles, naive and `Z` timestamps, ~15 % failed deliveries of every kind, retries.

use std::fmt::Write as _;

/// 2025-08-24T19:22:04Z, in microseconds since the Unix epoch.
const START_MICROS: i64 = 1_756_063_324_000_000;
const CALL_ID: u32 = 101;
const ASSISTANT_ID: u32 = 7;
const CLINIC: &str = "+15035550142";
const HOOKS_URL: &str = "https://hooks.example.com/burki/events";
const CRM_URL: &str = "http://crm.riverside-dental.example/api/v2/burki-webhook";
const SMS_URL: &str = "https://sms-bridge.example.net/v1/hooks/burki";
/// What the server appends to a response body it cut at 10240 characters.
const TRUNCATION_MARK: &str = "... [TRUNCATED]";
const BODY_LIMIT: usize = 10_240;

/// A JSON array of `count` logs of one long synthetic call: about 680 bytes a log on average
/// (the API's field names and a call SID alone take ~450), so 20,000 logs come to ~13.5 MB.
#[allow(dead_code, reason = "each includer (tests, benches, example) uses only some of these functions")]
#[must_use]
pub fn synthetic_logs_json(count: usize, seed: u64) -> String {
    let mut generator = Generator::new(seed);
    let mut out = String::with_capacity(count * 640 + 8);
    out.push('[');
    for index in 0..count {
        if index > 0 {
            out.push(',');
        }
        out.push('\n');
        generator.write_log(&mut out);
    }
    out.push_str("\n]\n");
    out
}

/// One `end-of-call-report` log whose `request_payload`, pretty-printed with two-space
/// indentation, is about `payload_bytes` long (within a few percent): thousands of messages.
#[allow(dead_code, reason = "each includer (tests, benches, example) uses only some of these functions")]
#[must_use]
pub fn big_payload_log_json(payload_bytes: usize) -> String {
    let mut messages = payload_bytes / 190 + 1;
    let mut payload = big_report(messages);
    for _ in 0..4 {
        let pretty = pretty_len(&payload).max(1);
        if pretty.abs_diff(payload_bytes) * 100 <= payload_bytes {
            break;
        }
        messages = (messages * payload_bytes / pretty).max(1);
        payload = big_report(messages);
    }
    let mut out = String::with_capacity(payload.len() + 512);
    let _ = write!(
        out,
        r#"{{"id":1,"call_id":{CALL_ID},"assistant_id":{ASSISTANT_ID},"webhook_url":"{HOOKS_URL}","webhook_type":"end-of-call-report","request_payload":{payload},"response_status_code":200,"response_body":"{{\"ok\":true}}","response_time_ms":412,"attempted_at":"2025-08-24T19:25:02.314117","success":true,"error_message":null,"retry_count":0,"webhook_metadata":{{"ended_reason":"customer-ended-call","duration_seconds":{messages},"recording_url":null}}}}"#
    );
    out
}

/// The length of `payload` re-indented the way hookscope and `serde_json` print it.
fn pretty_len(payload: &str) -> usize {
    serde_json::from_str::<serde_json::Value>(payload)
        .ok()
        .and_then(|value| serde_json::to_string_pretty(&value).ok())
        .map_or(payload.len(), |text| text.len())
}

fn big_report(messages: usize) -> String {
    let mut rng = Rng(0x00B1_6B0D_1E5C_A11E);
    let sid = call_sid(&mut rng);
    let mut out = String::with_capacity(messages * 160 + 1024);
    let _ = write!(
        out,
        r#"{{"message":{{"type":"end-of-call-report","timestamp":"2025-08-24T19:25:02.314Z","phoneNumber":{{"number":"{CLINIC}"}},"customer":{{"number":"+15035550187","name":"José Álvarez"}},"call":{{"id":"{sid}","phoneCallProviderId":"{sid}"}},"summary":"A very long synthetic call.","recordingUrl":null,"endedReason":"customer-ended-call","durationSeconds":{messages},"messages":["#
    );
    for index in 0..messages {
        if index > 0 {
            out.push(',');
        }
        let (role, lines) = if index % 2 == 0 { ("bot", ASSISTANT_LINES) } else { ("human", USER_LINES) };
        let count = 1 + rng.below(2);
        let _ = write!(
            out,
            r#"{{"role":"{role}","content":{},"secondsFromStart":{}.{:02}}}"#,
            json_string(&sentences(&mut rng, lines, count)),
            index,
            rng.below(100)
        );
    }
    out.push_str(r#"],"analysis":{"summary":"A very long synthetic call.","durationSeconds":"#);
    let _ = write!(out, "{messages}");
    out.push_str(r#","structuredData":{"intent":"stress_test","follow_up":false}}}}"#);
    out
}

/// splitmix64: tiny, fast, and well mixed enough for varied but reproducible data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (the modulo bias is irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn per_mille(&mut self, chance: u64) -> bool {
        self.below(1000) < chance
    }

    fn index(&mut self, len: usize) -> usize {
        usize::try_from(self.below(len as u64)).unwrap_or(0)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// One item by weight; `items` must not be empty.
    fn weighted<'a, T>(&mut self, items: &'a [(u64, T)]) -> &'a T {
        let total: u64 = items.iter().map(|(weight, _)| weight).sum();
        let mut roll = self.below(total);
        for (weight, item) in items {
            if roll < *weight {
                return item;
            }
            roll -= weight;
        }
        &items[items.len() - 1].1
    }

    fn hex(&mut self, digits: usize) -> String {
        (0..digits).map(|_| char::from(b"0123456789abcdef"[self.index(16)])).collect()
    }
}

fn call_sid(rng: &mut Rng) -> String {
    format!("CA{}", rng.hex(32))
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
}

fn sentences(rng: &mut Rng, pool: &[&str], count: u64) -> String {
    let mut text = String::new();
    for _ in 0..count {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(rng.pick(pool));
    }
    text
}

const ASSISTANT_LINES: &[&str] = &[
    "Thank you for calling Riverside Dental, this is Maya. How can I help you today?",
    "Of course. Could you confirm your date of birth so I can pull up your file?",
    "I see a cleaning with Dr. Okafor on Thursday at 10:30 AM.",
    "On Tuesday I have 2:15 PM or 4:00 PM. Which would you prefer?",
    "You're all set. I've texted the confirmation to your mobile.",
    "I'm sorry about that. Let me transfer you to our billing team.",
    "Our office is open Monday to Friday from 8 AM to 5 PM, and Saturdays until noon.",
    "Please arrive ten minutes early and bring your insurance card.",
    "Is there anything else I can help you with today?",
    "Dr. Nguyễn can see you on Friday morning if that works better.",
    "I can't give medical advice over the phone, but I can book you an urgent visit.",
    "Let me check that for you, one moment please.",
    "Got it.",
    "Perfect.",
    "One moment.",
    "Sure.",
];

const USER_LINES: &[&str] = &[
    "Hi, this is José Álvarez, I need to move my cleaning.",
    "Sure, it's March 3rd, 1988.",
    "Do you have anything next Tuesday afternoon?",
    "2:15 works, thanks.",
    "Could you text the confirmation to my wife Zoë too?",
    "I got a bill for $245 from July that I think insurance should have covered.",
    "My tooth has been hurting since the weekend, mostly when I drink something cold.",
    "Yeah, no, that's fine. Actually, wait, can we do the later slot instead?",
    "Sorry, you cut out for a second there. Could you repeat that?",
    "I'm calling for my son, he's twelve, he needs a checkup before school starts.",
    "Is parking still free behind the building?",
    "Okay. Thank you so much, bye!",
    "Yes.",
    "Okay.",
    "Mm-hmm.",
    "Thursday.",
    "No, that's all.",
    "Uh, hold on.",
];

const TOOLS: &[&str] =
    &["lookup_appointment", "reschedule_appointment", "check_availability", "send_sms", "lookup_invoice"];
const CUSTOMERS: &[&str] = &["+15035550187", "+15035550163", "+15035550121", "+15035550199", "+15035550174"];
const NAMES: &[&str] = &["José Álvarez", "Zoë Álvarez", "Amara Okafor", "Nguyễn Thị Lan", "Sam Lee"];
const SMS_BODIES: &[&str] = &[
    "Riverside Dental: your cleaning is now Tue, Sep 2 at 2:15 PM. Reply YES to confirm ✅",
    "YES",
    "Can we make it 4 instead? 🙏",
    "Reminder: appointment tomorrow at 9:00 AM with Dr. Okafor. Reply C to confirm.",
    "STOP",
];

/// Which event a fresh delivery reports, per mille.
const KINDS: &[(u64, &str)] = &[
    (600, "transcript"),
    (100, "status-update"),
    (80, "tool_call"),
    (30, "sms-sent"),
    (20, "sms_received"),
    (20, "sms-received"),
    (15, "sms-error"),
    (25, "call_started"),
    (25, "call_ended"),
    (25, "end-of-call-report"),
    (25, "transfer_initiated"),
    // Not in the docs: types are an open vocabulary and must still show.
    (35, "speech-update"),
];

#[derive(Clone, Copy)]
enum Failure {
    NoContent,
    Moved,
    Found,
    Unauthorized,
    Forbidden,
    NotFound,
    Unprocessable,
    TooMany,
    ServerError,
    BadGateway,
    Unavailable,
    GatewayTimeout,
    ReadTimeout,
    Refused,
    Dns,
    Tls,
    Disconnected,
}

const FAILURES: &[(u64, Failure)] = &[
    (8, Failure::NoContent),
    (4, Failure::Moved),
    (4, Failure::Found),
    (6, Failure::Unauthorized),
    (3, Failure::Forbidden),
    (6, Failure::NotFound),
    (6, Failure::Unprocessable),
    (5, Failure::TooMany),
    (12, Failure::ServerError),
    (10, Failure::BadGateway),
    (6, Failure::Unavailable),
    (4, Failure::GatewayTimeout),
    (10, Failure::ReadTimeout),
    (8, Failure::Refused),
    (3, Failure::Dns),
    (3, Failure::Tls),
    (3, Failure::Disconnected),
];

/// What came back: status, body (raw JSON: a string literal or `null`), time, error (raw JSON).
struct Response {
    status: Option<u16>,
    body: String,
    millis: u64,
    error: String,
}

/// A failed delivery to send again, as the docs promise (and the server's rows may or may not count).
struct Retry {
    url: &'static str,
    kind: &'static str,
    payload: String,
    metadata: String,
    attempt: u32,
    counted: bool,
}

struct Generator {
    rng: Rng,
    now_micros: i64,
    next_id: u64,
    sid: String,
    recent: Vec<(bool, String)>,
    retry: Option<Retry>,
}

impl Generator {
    fn new(seed: u64) -> Self {
        let mut rng = Rng(seed ^ 0x6B6F_6F6B_7363_6F70);
        let sid = call_sid(&mut rng);
        let next_id = 1_000_000 + rng.below(1_000_000);
        Self { rng, now_micros: START_MICROS, next_id, sid, recent: Vec::new(), retry: None }
    }

    fn write_log(&mut self, out: &mut String) {
        let (url, kind, payload, metadata, attempt, counted) = if let Some(retry) = self.retry.take() {
            let backoff = 1_000_000_i64 << retry.attempt.min(4);
            self.now_micros += backoff + self.jitter(300_000);
            (retry.url, retry.kind, retry.payload, retry.metadata, retry.attempt, retry.counted)
        } else {
            self.now_micros += 300_000 + self.jitter(4_200_000);
            let kind = *self.rng.weighted(KINDS);
            let url = match kind {
                k if k.starts_with("sms") => SMS_URL,
                "call_started" | "call_ended" if self.rng.per_mille(200) => CRM_URL,
                _ => HOOKS_URL,
            };
            let (payload, metadata) = self.payload(kind);
            // Half the failures are retried with a growing count, half (as the open-source
            // server writes them) with `retry_count` 0 on every row.
            let counted = self.rng.per_mille(500);
            (url, kind, payload, metadata, 0, counted)
        };
        let retry_count = if counted { attempt } else { 0 };
        let fails = self.rng.per_mille(if attempt == 0 { 130 } else { 350 });
        let response = if fails { self.failure(kind) } else { self.success(kind) };
        let success = response.status.is_some_and(|code| (200..=202).contains(&code));
        let status = response.status.map_or_else(|| "null".to_owned(), |code| code.to_string());
        let attempted_at = self.timestamp();
        let id = self.next_id;
        self.next_id += 1;
        let _ = write!(
            out,
            r#"{{"id":{id},"call_id":{CALL_ID},"assistant_id":{ASSISTANT_ID},"webhook_url":"{url}","webhook_type":"{kind}","request_payload":{payload},"response_status_code":{status},"response_body":{body},"response_time_ms":{millis},"attempted_at":"{attempted_at}","success":{success},"error_message":{error},"retry_count":{retry_count},"webhook_metadata":{metadata}"#,
            body = response.body,
            millis = response.millis,
            error = response.error,
        );
        if self.rng.per_mille(10) {
            let _ = write!(
                out,
                r#","request_headers":{{"Content-Type":"application/json","User-Agent":"Burki-Webhook/1.0","X-Burki-Event":"{kind}"}}"#
            );
        }
        out.push('}');
        self.now_micros += i64::try_from(response.millis).unwrap_or(0) * 1000;
        if !success && attempt < 3 && self.rng.per_mille(400) {
            self.retry = Some(Retry { url, kind, payload, metadata, attempt: attempt + 1, counted });
        }
    }

    fn jitter(&mut self, max_micros: u64) -> i64 {
        i64::try_from(self.rng.below(max_micros)).unwrap_or(0)
    }

    /// Naive microseconds as the server writes them, or `…Z` milliseconds as the docs show.
    fn timestamp(&mut self) -> String {
        if self.rng.per_mille(300) { zulu(self.now_micros) } else { naive(self.now_micros) }
    }

    fn payload(&mut self, kind: &'static str) -> (String, String) {
        let now = zulu(self.now_micros);
        let sid = self.sid.clone();
        let customer = self.rng.pick(CUSTOMERS);
        let docs = |extra: &str| {
            format!(
                r#"{{"event":"{kind}","call_sid":"{sid}","assistant_id":{ASSISTANT_ID}{extra},"timestamp":"{now}"}}"#
            )
        };
        let server = |extra: &str| {
            format!(
                r#"{{"message":{{"type":"{kind}","timestamp":"{now}","phoneNumber":{{"number":"{CLINIC}"}},"call":{{"id":"{sid}","phoneCallProviderId":"{sid}","customer":{{"number":"{customer}"}}}}{extra}}}}}"#
            )
        };
        let null = || "null".to_owned();
        match kind {
            "transcript" => {
                let user = self.rng.per_mille(500);
                let lines = if user { USER_LINES } else { ASSISTANT_LINES };
                let count =
                    if self.rng.per_mille(30) { 3 + self.rng.below(5) } else { 1 + u64::from(self.rng.per_mille(80)) };
                let content = sentences(&mut self.rng, lines, count);
                self.recent.push((user, content.clone()));
                if self.recent.len() > 6 {
                    self.recent.remove(0);
                }
                let speaker = if user { "user" } else { "assistant" };
                let confidence = 80 + self.rng.below(20);
                (
                    docs(&format!(
                        r#","speaker":"{speaker}","content":{},"is_final":true,"confidence":0.{confidence}"#,
                        json_string(&content)
                    )),
                    null(),
                )
            }
            "status-update" => {
                let status = self.rng.pick(&["ringing", "in-progress", "in-progress", "forwarding", "ended"]);
                (server(&format!(r#","status":"{status}","messages":[]"#)), format!(r#"{{"status":"{status}"}}"#))
            }
            "tool_call" => (docs(&self.tool_call()), null()),
            "call_started" => (docs(&format!(r#","customer_phone_number":"{customer}""#)), null()),
            "call_ended" => {
                let duration = 30 + self.rng.below(600);
                let summary = json_string(&sentences(&mut self.rng, USER_LINES, 2));
                (
                    docs(&format!(
                        r#","customer_phone_number":"{customer}","duration":{duration},"status":"completed","transcript_summary":{summary}"#
                    )),
                    null(),
                )
            }
            "transfer_initiated" => (docs(r#","transfer_to":"+15035550100","reason":"billing question""#), null()),
            "sms_received" => {
                let body = json_string(self.rng.pick(SMS_BODIES));
                let message_sid = self.rng.hex(32);
                (
                    docs(&format!(
                        r#","from":"{customer}","to":"{CLINIC}","body":{body},"message_sid":"SM{message_sid}""#
                    )),
                    null(),
                )
            }
            "sms-received" | "sms-sent" | "sms-error" => {
                let body = json_string(self.rng.pick(SMS_BODIES));
                let sms_sid = self.rng.hex(32);
                let (from, to) = if kind == "sms-received" { (customer, CLINIC) } else { (CLINIC, customer) };
                let error = if kind == "sms-error" {
                    r#","error":{"code":"30006","message":"Landline or unreachable carrier"}"#
                } else {
                    ""
                };
                (
                    server(&format!(
                        r#","sms":{{"sid":"SM{sms_sid}","from":"{from}","to":"{to}","body":{body},"status":"{}"}}{error}"#,
                        if kind == "sms-error" { "failed" } else { "queued" }
                    )),
                    null(),
                )
            }
            "end-of-call-report" => self.end_of_call_report(&server),
            _ => {
                let role = self.rng.pick(&["assistant", "user"]);
                (server(&format!(r#","status":"started","role":"{role}""#)), null())
            }
        }
    }

    fn tool_call(&mut self) -> String {
        let tool = self.rng.pick(TOOLS);
        let call_id = self.rng.hex(10);
        let name = json_string(self.rng.pick(NAMES));
        let mut result = format!(r#"{{"ok":true,"patient":{name}"#);
        if self.rng.per_mille(150) {
            // Legacy practice-management numbers overflow every float.
            let _ = write!(
                result,
                r#","pms_patient_number":{}{:015}"#,
                884_213_377_120_045_u64,
                self.rng.below(10_u64.pow(15))
            );
        }
        if self.rng.per_mille(100) {
            result.push_str(r#","pms_log":"\u001b[31mWARN\u001b[0m slot held\tpending confirmation""#);
        }
        result.push('}');
        let millis = 50 + self.rng.below(2000);
        format!(
            r#","tool_call_id":"call_{call_id}","tool_name":"{tool}","arguments":{{"patient_name":{name},"date":"2025-09-02"}},"result":{result},"duration_ms":{millis}"#
        )
    }

    fn end_of_call_report(&mut self, server: &dyn Fn(&str) -> String) -> (String, String) {
        let mut messages = String::new();
        for (user, content) in &self.recent {
            if !messages.is_empty() {
                messages.push(',');
            }
            let role = if *user { "human" } else { "bot" };
            let _ = write!(messages, r#"{{"role":"{role}","content":{}}}"#, json_string(content));
        }
        let duration = 30 + self.rng.below(600);
        let reason = self.rng.pick(&["customer-ended-call", "assistant-ended-call", "assistant-forwarded-call"]);
        let recording = if self.rng.per_mille(700) {
            format!(r#""https://recordings.burki.dev/2025/08/24/{}.mp3""#, self.sid)
        } else {
            "null".to_owned()
        };
        let summary = json_string(&sentences(&mut self.rng, USER_LINES, 2));
        (
            server(&format!(
                r#","summary":{summary},"recordingUrl":{recording},"endedReason":"{reason}","durationSeconds":{duration},"messages":[{messages}],"analysis":{{"summary":{summary},"durationSeconds":{duration},"structuredData":{{"intent":"reschedule_appointment","sentiment":"neutral","follow_up":true}}}}"#
            )),
            format!(r#"{{"ended_reason":"{reason}","duration_seconds":{duration},"recording_url":{recording}}}"#),
        )
    }

    fn success(&mut self, kind: &str) -> Response {
        let millis = 15 + self.rng.below(120) + if self.rng.per_mille(100) { self.rng.below(2500) } else { 0 };
        let (status, body) = if self.rng.per_mille(1) {
            (200, json_string(&truncated_echo(&mut self.rng)))
        } else if kind.starts_with("sms") && self.rng.per_mille(600) {
            (200, json_string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response/>\n"))
        } else {
            match self.rng.below(20) {
                0..=5 => (200, json_string(r#"{"ok":true}"#)),
                6..=7 => (200, json_string(&format!(r#"{{"received":true,"event":"{kind}"}}"#))),
                8..=9 => (200, json_string("OK")),
                10..=11 => (201, json_string(&format!(r#"{{"id":"evt_{}"}}"#, self.rng.hex(10)))),
                12 => (200, "\"\"".to_owned()),
                _ => (202, json_string(r#"{"queued":true}"#)),
            }
        };
        Response { status: Some(status), body, millis, error: "null".to_owned() }
    }

    fn failure(&mut self, kind: &str) -> Response {
        let quick = 5 + self.rng.below(200);
        let http = |status: u16, body: &str, millis: u64| Response {
            status: Some(status),
            body: json_string(body),
            millis,
            error: "null".to_owned(),
        };
        let transport = |error: &str, millis: u64| Response {
            status: None,
            body: "null".to_owned(),
            millis,
            error: json_string(error),
        };
        match *self.rng.weighted(FAILURES) {
            Failure::NoContent => http(204, "", quick),
            Failure::Moved => http(301, &nginx_page("301 Moved Permanently"), quick),
            Failure::Found => http(302, "", quick),
            Failure::Unauthorized => http(401, r#"{"detail":"Invalid or expired webhook token"}"#, quick),
            Failure::Forbidden => http(403, r#"{"detail":"This integration is disabled"}"#, quick),
            Failure::NotFound => http(
                404,
                &format!(
                    "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>No handler for event type &#39;{kind}&#39;.</p>\n"
                ),
                quick,
            ),
            Failure::Unprocessable => http(
                422,
                r#"{"detail":[{"type":"missing","loc":["body","customer","name"],"msg":"Field required","input":null}]}"#,
                quick,
            ),
            Failure::TooMany => http(429, r#"{"detail":"Rate limit exceeded: 60 per 1 minute"}"#, quick),
            Failure::ServerError => {
                if self.rng.per_mille(300) {
                    let body = "Traceback (most recent call last):\n  File \"app.py\", line 88, in hook\n\t\u{1b}[31mKeyError\u{1b}[0m: 'call_sid'\n";
                    http(500, body, quick)
                } else {
                    http(500, "Internal Server Error", quick)
                }
            }
            Failure::BadGateway => http(502, &nginx_page("502 Bad Gateway"), 3000 + self.rng.below(40)),
            Failure::Unavailable => http(
                503,
                "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h1>Down for maintenance</h1><p>We'll be back shortly.</p></body></html>",
                quick,
            ),
            Failure::GatewayTimeout => http(504, &nginx_page("504 Gateway Time-out"), 60_000 + self.rng.below(30)),
            Failure::ReadTimeout => transport("", 30_000 + self.rng.below(25)),
            Failure::Refused => transport(
                &format!("Cannot connect to host {} ssl:default [Connection refused]", host_port(kind)),
                1 + self.rng.below(40),
            ),
            Failure::Dns => transport(
                &format!("Cannot connect to host {} ssl:default [Name or service not known]", host_port(kind)),
                1 + self.rng.below(5),
            ),
            Failure::Tls => transport(
                &format!(
                    "Cannot connect to host {} ssl:True [SSLCertVerificationError: (1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: certificate has expired (_ssl.c:1006)')]",
                    host_port(kind)
                ),
                20 + self.rng.below(200),
            ),
            Failure::Disconnected => transport("Server disconnected", 100 + self.rng.below(5000)),
        }
    }
}

fn host_port(kind: &str) -> &'static str {
    if kind.starts_with("sms") { "sms-bridge.example.net:443" } else { "hooks.example.com:443" }
}

fn nginx_page(title: &str) -> String {
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n"
    )
}

/// A receiver that echoes what it stored, cut by the server: over 10240 characters, not JSON.
fn truncated_echo(rng: &mut Rng) -> String {
    let mut text = String::from("{\n  \"ok\": true,\n  \"events\": [\n");
    while text.chars().count() < BODY_LIMIT {
        let _ = writeln!(
            text,
            "    {{\"type\": \"transcript\", \"content\": {}}},",
            json_string(&sentences(rng, USER_LINES, 2))
        );
    }
    let cut: String = text.chars().take(BODY_LIMIT).collect();
    cut + TRUNCATION_MARK
}

fn zulu(micros: i64) -> String {
    let (date, time, fraction) = civil(micros);
    format!("{date}T{time}.{:03}Z", fraction / 1000)
}

fn naive(micros: i64) -> String {
    let (date, time, fraction) = civil(micros);
    format!("{date}T{time}.{fraction:06}")
}

/// `(YYYY-MM-DD, HH:MM:SS, microseconds)` in UTC (Howard Hinnant's `civil_from_days`).
fn civil(micros: i64) -> (String, String, i64) {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        format!("{year:04}-{month:02}-{day:02}"),
        format!("{:02}:{:02}:{:02}", of_day / 3600, of_day % 3600 / 60, of_day % 60),
        fraction,
    )
}
