//! `hookscope calls … --print` (and the same flags with no call) against a scripted server: the
//! requests it makes, the pages it follows, what it prints, and how it fails.

use crate::http_server::{Reply, TestServer};
use crate::{KEY, hookscope};

fn call_json(id: i64) -> String {
    format!(
        r#"{{"id": {id}, "call_sid": "CA{id}", "assistant_name": "Front desk", "status": "completed",
        "customer_phone_number": "+15559876543", "duration": 61, "started_at": "2025-01-15T10:{:02}:00Z"}}"#,
        id % 60
    )
}

fn page(ids: &[i64], total: u64) -> String {
    let items = ids.iter().map(|id| call_json(*id)).collect::<Vec<_>>().join(",");
    format!(r#"{{"items": [{items}], "total": {total}, "skip": 0, "limit": 1000}}"#)
}

async fn list(server: &TestServer, args: &[&str]) -> crate::Run {
    let url = server.url();
    hookscope(["--base-url", url.as_str()].iter().chain(args)).env("BURKI_API_KEY", KEY).run_async().await
}

fn targets(server: &TestServer) -> Vec<String> {
    server.requests().into_iter().map(|request| request.target).collect()
}

#[tokio::test]
async fn calls_print_as_ndjson_with_the_filters_sent() {
    let server = TestServer::start(vec![Reply::json(200, "OK", &page(&[9, 8], 2))]).await;
    let run = list(
        &server,
        &[
            "calls",
            "--phone",
            "+1 (555) 987-6543",
            "--status",
            "completed",
            "--since",
            "2025-01-15T00:00:00Z",
            "--print",
            "ndjson",
        ],
    )
    .await;
    let out = run.quiet_success();
    let ids: Vec<i64> = out
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [9, 8]);
    assert_eq!(
        targets(&server),
        [
            "/api/v1/calls/?skip=0&limit=1000&customer_phone=%2B15559876543&status=completed&date_from=2025-01-15T00%3A00%3A00Z"
        ]
    );
    assert_eq!(server.requests()[0].header("authorization"), Some(format!("Bearer {KEY}").as_str()));
}

/// No call at all is the call list too; `--limit` pages through more than one request.
#[tokio::test]
async fn the_list_follows_pages_up_to_the_limit() {
    let first: Vec<i64> = (1..=1000).rev().map(|id| id + 1000).collect();
    let server = TestServer::start(vec![
        Reply::json(200, "OK", &page(&first, 1500)).for_target("/api/v1/calls/?skip=0&limit=1000"),
        Reply::json(200, "OK", &page(&[1000, 999], 1500)).for_target("/api/v1/calls/?skip=1000&limit=2"),
    ])
    .await;
    let run = list(&server, &["--limit", "1002", "--print", "json"]).await;
    let parsed: serde_json::Value = serde_json::from_str(run.success()).unwrap();
    let ids: Vec<i64> = parsed.as_array().unwrap().iter().map(|call| call["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), 1002);
    assert_eq!(&ids[998..], [1002, 1001, 1000, 999]);
    assert_eq!(run.stderr, "hookscope: the first 1002 calls of 1500 are listed; --limit N lists more\n");
}

#[tokio::test]
async fn the_table_has_a_line_a_call() {
    let server = TestServer::start(vec![Reply::json(200, "OK", &format!("[{}]", call_json(7)))]).await;
    let run = list(&server, &["calls", "--print"]).await;
    assert_eq!(
        run.quiet_success(),
        "started (UTC)        duration  status     assistant   customer      SID  id\n\
         2025-01-15 10:07:00  1m 01s    completed  Front desk  +15559876543  CA7  7\n"
    );
}

#[tokio::test]
async fn nothing_matched_names_the_filters() {
    let server =
        TestServer::start(vec![Reply::json(200, "OK", r#"{"items": [], "total": 0, "skip": 0, "limit": 1000}"#)]).await;
    let run = list(&server, &["calls", "--phone", "555.987.6543", "--status", "failed", "--print"]).await;
    assert_eq!(run.success(), "");
    assert_eq!(run.stderr, "hookscope: no calls match phone 5559876543, status failed\n");
}

#[tokio::test]
async fn a_server_without_the_list_suggests_the_id() {
    let server = TestServer::start(vec![Reply::json(404, "Not Found", r#"{"detail": "Not Found"}"#)]).await;
    let run = list(&server, &["calls", "--print"]).await;
    let line = run.failure(10);
    assert!(line.contains("the server has no call list") && line.contains("pass the call's id or SID"), "{line}");
}

#[tokio::test]
async fn a_refused_key_is_exit_4() {
    let server =
        TestServer::start(vec![Reply::json(401, "Unauthorized", r#"{"detail": "Authentication required."}"#)]).await;
    let line = list(&server, &["--phone", "555", "--print", "json"]).await.failure(4).to_owned();
    assert!(line.contains("401: Authentication required."), "{line}");
}

#[rstest::rstest]
#[case::bad_phone(&["calls", "--phone", "call me", "--print"], "--phone \"call me\" is not a phone number")]
#[case::bad_time(&["calls", "--since", "soon", "--print"], "--since \"soon\" is not a time")]
#[case::flag_with_a_call(&["101", "--phone", "555", "--print"], "--phone is for the call list")]
#[case::markdown(&["calls", "--print", "markdown"], "the call list prints as table, json or ndjson")]
#[case::no_print_no_terminal(&["calls"], "the call list needs a terminal; to write it to a pipe or file, add --print")]
#[case::no_call_no_terminal(&[], "the call list needs a terminal")]
#[case::no_call_but_log_flags(&["--print", "json", "--failed"], "--failed filters one call's deliveries")]
fn usage_errors_are_exit_2(#[case] args: &[&str], #[case] says: &str) {
    let run = hookscope(args.iter().copied()).env("BURKI_API_KEY", KEY).run();
    let line = run.failure(2);
    assert!(line.contains(says), "{line}");
}
