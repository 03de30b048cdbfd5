//! The binary against a scripted Burki on 127.0.0.1: which requests it makes, with what.

use rstest::rstest;

use crate::http_server::{Reply, TestServer};
use crate::{CALL, CALL_SID, KEY, LOGS, LOGS_TARGET, hookscope, ids};

const DETAILS_TARGET: &str = "/api/v1/calls/101";

fn targets(server: &TestServer) -> Vec<String> {
    server.requests().into_iter().map(|request| request.target).collect()
}

/// `hookscope CALL --base-url SERVER ARGS` with the key in `BURKI_API_KEY`.
async fn fetch(server: &TestServer, call: &str, args: &[&str]) -> crate::Run {
    let url = server.url();
    hookscope([call, "--base-url", &url].iter().chain(args)).env("BURKI_API_KEY", KEY).run_async().await
}

#[tokio::test]
async fn an_id_fetches_its_logs_with_the_key_from_the_environment() {
    let server = TestServer::start(vec![Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET)]).await;
    let run = fetch(&server, "101", &["--print", "json"]).await;
    assert_eq!(ids(run.quiet_success()), [1, 2, 3, 4, 5]);
    let [request] = server.requests().try_into().unwrap();
    assert_eq!((request.method.as_str(), request.target.as_str()), ("GET", LOGS_TARGET));
    assert_eq!(request.header("authorization"), Some(format!("Bearer {KEY}").as_str()));
}

/// Over HTTP too, a big call's `--print` output and warnings are those of the call decoded
/// whole, however the body arrives.
#[tokio::test]
async fn a_big_call_prints_what_it_prints_decoded_whole() {
    let text = crate::big_call();
    let filter = hookscope::filter::Filter { status: hookscope::filter::StatusFilter::Failed, ..Default::default() };
    let (expected, warnings) = crate::expected_ndjson(&text, &filter);
    for reply in [
        Reply::json(200, "OK", &text),
        Reply::json(200, "OK", &text).drip(70_001, std::time::Duration::from_micros(100)),
        Reply::json(200, "OK", &text).gzip(),
        Reply::json(200, "OK", &text).no_length(),
    ] {
        let server = TestServer::start(vec![reply.for_target(LOGS_TARGET)]).await;
        let run = fetch(&server, "101", &["--print", "ndjson", "--failed"]).await;
        assert_eq!(run.success(), expected);
        assert_eq!(run.stderr, warnings);
    }
}

#[tokio::test]
async fn a_sid_is_resolved_to_the_id_first() {
    let sid_target = format!("/api/v1/calls/sid/{CALL_SID}");
    let server = TestServer::start(vec![
        Reply::json(200, "OK", CALL).for_target(&sid_target),
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
    ])
    .await;
    let run = fetch(&server, CALL_SID, &["--print", "json"]).await;
    assert_eq!(ids(run.quiet_success()), [1, 2, 3, 4, 5]);
    assert_eq!(targets(&server), [sid_target.as_str(), LOGS_TARGET]);
}

#[tokio::test]
async fn a_sid_report_uses_the_call_the_lookup_returned() {
    let sid_target = format!("/api/v1/calls/sid/{CALL_SID}");
    let server = TestServer::start(vec![
        Reply::json(200, "OK", CALL).for_target(&sid_target),
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
    ])
    .await;
    let run = fetch(&server, CALL_SID, &["--print", "markdown"]).await;
    assert!(run.quiet_success().contains(&format!("`{CALL_SID}`")), "{run:?}");
    assert_eq!(targets(&server), [sid_target.as_str(), LOGS_TARGET], "no second request for the call");
}

#[tokio::test]
async fn one_type_is_filtered_by_the_server_and_again_locally() {
    let filtered = format!("{LOGS_TARGET}?webhook_type=tool_call");
    // This server ignores the filter: hookscope must not show the other types anyway.
    let server = TestServer::start(vec![Reply::json(200, "OK", LOGS).for_target(&filtered)]).await;
    let run = fetch(&server, "101", &["--type", "tool_call", "--print", "json"]).await;
    assert_eq!(ids(run.quiet_success()), [3]);
    assert_eq!(targets(&server), [filtered]);
}

#[tokio::test]
async fn two_types_are_filtered_locally_only() {
    let server = TestServer::start(vec![Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET)]).await;
    let run = fetch(&server, "101", &["-t", "tool_call", "-t", "call_ended", "--print", "json"]).await;
    assert_eq!(ids(run.quiet_success()), [3, 5]);
    assert_eq!(targets(&server), [LOGS_TARGET]);
}

#[rstest]
#[case::json("json")]
#[case::ndjson("ndjson")]
#[case::table("table")]
#[tokio::test]
async fn machine_formats_do_not_fetch_the_call_details(#[case] format: &str) {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
        Reply::json(200, "OK", CALL).for_target(DETAILS_TARGET),
    ])
    .await;
    let run = fetch(&server, "101", &["--print", format]).await;
    run.quiet_success();
    assert_eq!(targets(&server), [LOGS_TARGET]);
}

#[tokio::test]
async fn a_markdown_report_fetches_the_call_details_too() {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
        Reply::json(200, "OK", CALL).for_target(DETAILS_TARGET),
    ])
    .await;
    let run = fetch(&server, "101", &["--print", "markdown"]).await;
    let report = run.quiet_success();
    assert!(report.contains(&format!("`{CALL_SID}`")) && report.contains("`completed`"), "{run:?}");
    let mut seen = targets(&server);
    seen.sort();
    assert_eq!(seen, [DETAILS_TARGET, LOGS_TARGET]);
}

#[tokio::test]
async fn a_report_without_call_details_says_why_on_one_line() {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
        Reply::json(403, "Forbidden", r#"{"detail": "no\u001b[2J access"}"#).for_target(DETAILS_TARGET),
    ])
    .await;
    let run = fetch(&server, "101", &["--print", "markdown"]).await;
    assert!(run.success().starts_with("# Webhook deliveries of call 101"), "{run:?}");
    assert_eq!(
        run.stderr,
        "hookscope: note: the call's details could not be fetched: access denied (403: no␛[2J access): the API \
         key lacks permission for this call\n"
    );
}

/// A connection that drops part-way through the body: every log complete before the drop is
/// printed, the drop is said, and the exit code is the network error's.
#[tokio::test]
async fn a_body_cut_short_prints_every_complete_log_and_exits_9() {
    let text = crate::synthetic::synthetic_logs_json(300, 3);
    let cut = text.len() * 2 / 3;
    let sent = &text[..cut];
    let server = TestServer::start(vec![
        Reply::json(200, "OK", sent).content_length(text.len()).for_target(LOGS_TARGET),
        Reply::json(200, "OK", sent).content_length(text.len()).for_target(LOGS_TARGET),
    ])
    .await;
    let whole = hookscope::model::LogSet::parse(&text).unwrap();
    let complete: Vec<i64> = whole.logs.iter().filter(|log| sent.contains(log.raw())).map(|log| log.id).collect();
    assert!(complete.len() > 150 && complete.len() < 300, "{} complete", complete.len());

    let run = fetch(&server, "101", &["--print", "ndjson"]).await;
    assert_eq!(run.code, Some(9), "{run:?}");
    let printed: Vec<i64> = run.stdout().lines().map(|line| ids(&format!("[{line}]"))[0]).collect();
    assert_eq!(printed, complete);
    // Where the body was cut, of how much, and that only the logs before it were printed; not
    // a wrong base URL.
    let said = format!("the response was cut off at byte {cut} of {}", text.len());
    assert!(run.stderr.contains(&format!("{said}: the connection closed early")), "{}", run.stderr);
    assert!(run.stderr.contains("printed only the logs before the cut"), "{}", run.stderr);
    assert!(!run.stderr.contains("base URL"), "{}", run.stderr);

    let run = fetch(&server, "101", &["--print", "json"]).await;
    assert_eq!(run.code, Some(9), "{run:?}");
    assert_eq!(ids(run.stdout()), complete);
}

/// A `--type` the call has none of is most likely a typo: stderr names it and the types the
/// call has (fetched whole once the server's filter answered nothing), and the exit code is 12.
#[tokio::test]
async fn a_type_the_call_lacks_is_named_with_the_types_it_has() {
    let filtered = format!("{LOGS_TARGET}?webhook_type=nosuch");
    let server = TestServer::start(vec![
        Reply::json(200, "OK", "[]").for_target(&filtered),
        Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET),
    ])
    .await;
    let run = fetch(&server, "101", &["--type", "nosuch", "--print"]).await;
    assert_eq!(run.code, Some(12), "{run:?}");
    assert_eq!(targets(&server), [filtered.as_str(), LOGS_TARGET]);
    assert!(
        run.stderr.contains(
            "no delivery has type nosuch; this call has call_ended (1), call_started (1), tool_call (1), transcript (2)"
        ),
        "{}",
        run.stderr
    );
    assert!(!run.stdout().contains("tool_call"), "nothing of another type is printed: {}", run.stdout());
}

/// Filters that match nothing in a call that has their type are an answer, said on stderr.
#[tokio::test]
async fn filters_that_match_nothing_say_so_and_exit_0() {
    let server = TestServer::start(vec![Reply::json(200, "OK", LOGS).for_target(LOGS_TARGET)]).await;
    let run =
        fetch(&server, "101", &["--type", "call_ended", "--type", "tool_call", "--failed", "--print", "ndjson"]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert_eq!(run.stdout(), "");
    assert!(run.stderr.contains("none of the call's 5 deliveries matches the filters"), "{}", run.stderr);
}

/// A wait before a retry is said on stderr as it starts, with how long and which attempt.
#[tokio::test]
async fn a_rate_limit_wait_is_said_on_stderr() {
    let server = TestServer::start(vec![
        Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "1"),
        Reply::json(200, "OK", LOGS),
    ])
    .await;
    let run = fetch(&server, "101", &["--print", "ndjson"]).await;
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(run.stderr.contains("hookscope: rate limited, retrying in 1 s (attempt 2 of 4)"), "{}", run.stderr);
    assert_eq!(run.stdout().lines().count(), 5);
}

/// A `Retry-After` past the wait budget is not waited out: the run ends at once, saying how
/// long the server asked for.
#[tokio::test]
async fn a_long_retry_after_fails_at_once() {
    let server = TestServer::start(vec![
        Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "45"),
        Reply::json(200, "OK", LOGS),
    ])
    .await;
    let started = std::time::Instant::now();
    let run = fetch(&server, "101", &["--print", "ndjson", "--timeout", "3"]).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    assert_eq!(run.code, Some(7), "{run:?}");
    assert!(run.stderr.contains("the server asks to wait 45 s before trying again"), "{}", run.stderr);
    assert_eq!(server.requests().len(), 1);
}
