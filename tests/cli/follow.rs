//! `--print ndjson --follow` against a call that grows and then ends.

use crate::growing_call::{self, LOGS_TARGET};
use crate::http_server::TestServer;
use crate::{KEY, hookscope};

/// The id of each NDJSON line.
fn ndjson_ids(text: &str) -> Vec<i64> {
    text.lines().map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap()["id"].as_i64().unwrap()).collect()
}

/// Each log printed once (log 3, which changed, too), in order, through a failed poll; the
/// failures said on stderr; exit 0 once the call has ended and one last poll is done.
#[tokio::test]
async fn follow_prints_each_log_once_and_exits_when_the_call_ends() {
    let server = TestServer::start(growing_call::script()).await;
    let url = server.url();
    let args = ["101", "--base-url", &url, "--print", "ndjson", "--follow", "--follow-interval-ms", "50"];
    let run = hookscope(args).env("BURKI_API_KEY", KEY).run_async().await;
    let printed = run.success();
    assert_eq!(ndjson_ids(printed), [1, 2, 3, 4, 5, 6, 7], "{run:?}");
    assert!(printed.contains(r#""response_status_code": 502"#), "log 3 as it first appeared: {run:?}");
    let failures: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(failures.len(), 2, "{run:?}");
    assert!(failures[0].starts_with("hookscope: poll failed: ") && failures[0].contains("500"), "{run:?}");
    assert!(failures[1].contains("rate limited") && failures[1].contains("trying again in 1.0 s"), "{run:?}");
    let polls = server.requests().iter().filter(|request| request.target == LOGS_TARGET).count();
    assert_eq!(polls, 6, "no poll after the last");
}

#[test]
fn follow_wants_a_streamed_format_and_an_interval_of_a_second_or_more() {
    let run = hookscope(["--demo", "--print", "json", "--follow"]).run();
    assert!(run.failure(3).contains("--print ndjson or --print table"), "{run:?}");
    let run = hookscope(["--demo", "--print", "ndjson", "--follow", "0.5"]).run();
    assert!(run.failure(3).contains("--follow takes 1 to 86400 seconds"), "{run:?}");
}

/// A source that cannot end (the demo, a file) is printed once.
#[test]
fn following_the_demo_prints_it_once() {
    let run = hookscope(["--demo", "--print", "ndjson", "--follow", "1"]).run();
    assert_eq!(
        ndjson_ids(run.quiet_success()).len(),
        hookscope::case_file::parse_document(hookscope::case_file::DEMO_CALL.to_owned()).unwrap().logs.logs.len()
    );
}
