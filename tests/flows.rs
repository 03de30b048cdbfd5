//! End to end: the real app, a test terminal, scripted keys, and what ends up on screen, in
//! the clipboard and on disk.

#[path = "support/screen.rs"]
mod screen;
#[path = "support/synthetic.rs"]
mod synthetic;

use hookscope::filter::Filter;
use hookscope::load::Loader;

#[tokio::test]
async fn a_support_engineer_filters_failures_and_copies_a_payload() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 120, 40);
    let first = app.wait_for("the demo call", |s| s.contains("deliveries") && s.contains("Delivery ")).await;
    assert!(first.contains("call_started"), "{first}");

    app.press("f");
    let failed = app.wait_for_text("failed only").await;
    assert!(!failed.contains(" ✓ "), "only failures are listed:\n{failed}");

    app.press("yp");
    app.wait_for_text("copied payload").await;
    let copied = app.clipboard.0.lock().unwrap().clone();
    assert_eq!(copied.len(), 1);
    assert!(copied[0].starts_with("{\n  "), "pretty-printed: {}", copied[0]);

    app.press("q");
    app.finished().await.unwrap();
}

#[tokio::test]
async fn the_type_filter_and_search_narrow_the_list() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 120, 40);
    app.wait_for_text("Delivery ").await;
    app.press("t");
    app.wait_for_text("Types: all shown").await;
    app.press(" \n");
    let screen = app.wait_for_text("type=call_started").await;
    assert!(screen.lines().filter(|line| line.contains("call_started")).count() >= 1);

    app.press("c/zzzz-nothing\n");
    app.wait_for_text("None of the").await;
    app.press("c");
    app.wait_for_text("Delivery ").await;
    app.press("q");
    app.finished().await.unwrap();
}

#[tokio::test]
async fn the_list_narrows_as_a_search_is_typed_and_esc_clears_it() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 120, 40);
    app.wait_for_text("Delivery ").await;
    app.press("/timeo");
    let typed =
        app.wait_for("its delivery alone", |s| s.contains("Delivery 48243") && !s.contains("call_started")).await;
    assert!(typed.contains("/timeo▏"), "the line is still open:\n{typed}");
    app.press("ut\n");
    app.wait_for("the line closed", |s| !s.contains("/timeout▏") && s.contains("/\"timeout\"")).await;
    app.press("n");
    // The info tab tells the delivery's attempts, the timeout among them.
    app.wait_for_text("in Info of log 48243").await;
    app.press("n");
    // On into the delivery's first attempt, shown beneath it.
    let first = app.wait_for_text("in Info of log 48241").await;
    assert!(first.contains("↳ try 1 of 3"), "{first}");
    app.press("\u{1b}");
    let cleared = app.wait_for("every log again", |s| s.contains("26 deliveries") && !s.contains("/\"timeout\"")).await;
    assert!(
        cleared.contains("Delivery 48241") && cleared.contains("26/28"),
        "the selection stayed on its log:\n{cleared}"
    );
    app.press("q");
    app.finished().await.unwrap();
}

#[tokio::test]
async fn the_timeline_moves_the_selection_and_the_stats_follow_the_filters() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 80, 24);
    app.wait_for_text("Delivery 48211").await;
    app.press("v");
    app.wait_for("the timeline", |s| s.contains("Timeline · 33 logs") && s.contains("T+0s")).await;
    // call_started → status-update → transcript → tool_call, then the next tool_call.
    app.press("jjjl");
    let moved = app.wait_for_text("T+1m02.9s · tool_call · 200 ✓").await;
    assert!(moved.contains("Delivery 48228"), "the detail follows the cursor:\n{moved}");
    app.press("vf");
    let stats = app.wait_for_text("Stats · 5 of 33 logs · failed only").await;
    assert!(stats.contains("host") && !stats.contains("transfer_initiated"), "{stats}");
    app.press("v");
    let list = app.wait_for_text("Deliveries, retries chained").await;
    assert!(list.contains("5 of 26 deliveries"), "the failed filter stays: {list}");
    app.press("q");
    app.finished().await.unwrap();
}

#[tokio::test]
async fn a_broken_log_is_reported_and_the_others_still_show() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("call.json");
    std::fs::write(
        &path,
        r#"[{"id": 1, "webhook_url": "https://a.example/x", "webhook_type": "call_started", "success": true, "response_status_code": 200},
            "not a log",
            {"id": 3, "webhook_url": "https://a.example/x", "webhook_type": "transcript", "success": "maybe"}]"#,
    )
    .unwrap();
    let mut app =
        screen::start(Loader::File { path, max_body: hookscope::api::DEFAULT_MAX_BODY }, Filter::default(), 120, 40);
    let screen = app.wait_for_text("problem(s) in the data").await;
    assert!(screen.contains("1 unreadable"), "{screen}");
    assert!(screen.contains("call_started") && screen.contains("transcript"), "{screen}");
    app.press("q");
    app.finished().await.unwrap();
}

#[tokio::test]
async fn export_writes_a_case_file_that_reopens() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 120, 40);
    app.wait_for_text("Delivery ").await;
    app.press("fe");
    app.wait_for_text("exported").await;
    let files: Vec<_> = std::fs::read_dir(app.export_dir.path()).unwrap().map(|entry| entry.unwrap().path()).collect();
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let reopened = hookscope::case_file::parse_document(text).unwrap();
    assert!(!reopened.logs.logs.is_empty());
    assert!(reopened.logs.logs.iter().all(|log| !log.success), "only the shown (failed) logs are exported");
    app.press("q");
    app.finished().await.unwrap();
}

#[path = "support/growing_call.rs"]
#[allow(dead_code, reason = "the flows use only part of the growing call")]
mod growing_call;
#[path = "support/http_server.rs"]
#[allow(dead_code, reason = "the flows use only part of the scripted server")]
mod http_server;

/// Call 5 from the server at `url`, with its details when `with_details`.
fn call_5_at(url: String, with_details: bool) -> Loader {
    let config = hookscope::api::ApiConfig {
        base_url: url,
        api_key: Some((hookscope::api::ApiKey::new("burki_test_key_0000").unwrap(), hookscope::api::KeySource::Flag)),
        ..hookscope::api::ApiConfig::default()
    };
    Loader::api(config, hookscope::api::CallRef::Id(5), None, with_details).unwrap()
}

#[tokio::test]
async fn a_failed_fetch_says_so_and_r_fetches_again_from_a_real_server() {
    use http_server::{Reply, TestServer};
    const LOGS: &str = "/api/v1/calls/101/webhook-logs";
    const CALL: &str = "/api/v1/calls/101";
    let logs = r#"[{"id": 7, "call_id": 101, "assistant_id": 3, "webhook_url": "https://hooks.example.com/burki",
        "webhook_type": "tool_call", "request_payload": {"name": "book", "args": {"when": "Tue 2pm"}},
        "response_status_code": 500, "response_body": "Internal Server Error", "response_time_ms": 41,
        "attempted_at": "2025-08-24T19:22:04.123456", "success": false, "error_message": null, "retry_count": 0,
        "webhook_metadata": null}]"#;
    let server = TestServer::start(vec![
        Reply::new(500, "Internal Server Error").body("Internal Server Error").for_target(LOGS),
        Reply::json(404, "Not Found", r#"{"detail": "Call with ID 101 not found in your organization"}"#)
            .for_target(CALL),
        Reply::json(200, "OK", logs).for_target(LOGS),
        Reply::json(200, "OK", r#"{"id": 101, "call_sid": "CAfeed", "status": "completed", "duration": 148}"#)
            .for_target(CALL),
    ])
    .await;
    let config = hookscope::api::ApiConfig {
        base_url: server.url(),
        api_key: Some((
            hookscope::api::ApiKey::new("burki_live_secret_key_123").unwrap(),
            hookscope::api::KeySource::Env,
        )),
        ..hookscope::api::ApiConfig::default()
    };
    let loader = Loader::api(config, hookscope::api::CallRef::Id(101), None, true).unwrap();
    let mut app = screen::start(loader, Filter::default(), 120, 40);

    let failed = app.wait_for_text("Could not load call 101").await;
    assert!(failed.contains("500") && failed.contains("try again"), "{failed}");
    assert!(!failed.contains("secret_key"), "the key never shows");

    app.press("r");
    // Rows show as the body arrives; the call's details join the header when the load is whole.
    let shown = app.wait_for("the log and the call", |s| s.contains("Delivery 7") && s.contains("CAfeed")).await;
    assert!(shown.contains("CAfeed") && shown.contains("completed"), "the call's details are in the header:\n{shown}");
    assert!(shown.contains("500 ✗ FAILED"), "{shown}");

    app.press("yc");
    app.wait_for_text("copied curl command").await;
    let curl = app.clipboard.0.lock().unwrap().last().cloned().unwrap();
    assert!(curl.starts_with("curl") && curl.contains("https://hooks.example.com/burki"), "{curl}");

    app.press("q");
    app.finished().await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.iter().filter(|r| r.target == LOGS).count(), 2);
    assert!(requests.iter().all(|r| r.header("authorization") == Some("Bearer burki_live_secret_key_123")));
}

#[tokio::test]
async fn q_quits_at_once_while_a_fetch_hangs() {
    use http_server::{Reply, TestServer};
    // The server sends headers and then nothing: the fetch would wait for its 30 s timeout.
    let server = TestServer::start(vec![
        Reply::json(200, "OK", "[]").content_length(1000).then_stall(),
        Reply::json(200, "OK", "[]").content_length(1000).then_stall(),
    ])
    .await;
    let loader = call_5_at(server.url(), true);
    let mut app = screen::start(loader, Filter::default(), 80, 24);
    app.wait_for_text("Fetching webhook logs for call 5").await;
    server.wait_for_requests(1, std::time::Duration::from_secs(5)).await;
    let pressed = std::time::Instant::now();
    app.press("q");
    app.finished().await.unwrap();
    assert!(pressed.elapsed() < std::time::Duration::from_secs(1), "quit took {:?}", pressed.elapsed());
}

/// `r` while a fetch hangs starts another and aborts the first: its connection is closed at
/// once, not left open until the request times out.
#[tokio::test]
async fn fetching_again_aborts_the_fetch_it_replaces() {
    use tokio::io::AsyncReadExt as _;
    // Accepts requests and never answers; says when each connection opens and when its client
    // hangs up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (opened_tx, mut opened) = tokio::sync::mpsc::unbounded_channel();
    let (closed_tx, mut closed) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        for connection in 1.. {
            let Ok((mut stream, _)) = listener.accept().await else { return };
            let _ = opened_tx.send(connection);
            let closed_tx = closed_tx.clone();
            tokio::spawn(async move {
                let mut buffer = [0_u8; 4096];
                while matches!(stream.read(&mut buffer).await, Ok(n) if n > 0) {}
                let _ = closed_tx.send(connection);
            });
        }
    });
    let loader = call_5_at(url, false);
    let mut app = screen::start(loader, Filter::default(), 80, 24);
    let within = |seconds| std::time::Duration::from_secs(seconds);
    assert_eq!(tokio::time::timeout(within(10), opened.recv()).await.unwrap(), Some(1));

    app.press("r");
    assert_eq!(tokio::time::timeout(within(10), opened.recv()).await.unwrap(), Some(2));
    let first_closed = tokio::time::timeout(within(5), closed.recv()).await;
    assert_eq!(first_closed.ok().flatten(), Some(1), "the superseded fetch's connection is closed");
    app.wait_for_text("Fetching webhook logs for call 5").await;
    assert!(closed.try_recv().is_err(), "the new fetch still runs");

    app.press("q");
    app.finished().await.unwrap();
}

/// A big body still arriving: its first rows are on screen with the progress line, and the
/// list can be filtered and moved in before the rest has come.
#[tokio::test]
async fn rows_show_while_the_body_still_arrives() {
    use http_server::{Reply, TestServer};
    let text = synthetic::synthetic_logs_json(400, 9);
    // The body's first half, then nothing more: the load stays in progress.
    let half = &text[..text.len() / 2];
    let server = TestServer::start(vec![
        Reply::json(200, "OK", half).content_length(text.len()).then_stall(),
        Reply::json(200, "OK", r#"{"id": 5, "call_sid": "CAarriving", "status": "ongoing"}"#)
            .for_target("/api/v1/calls/5"),
    ])
    .await;
    let loader = call_5_at(server.url(), true);
    let mut app = screen::start(loader, Filter::default(), 120, 40);
    // Every log complete in what was sent shows while the rest has not come.
    let complete =
        hookscope::model::LogSet::parse(&text).unwrap().logs.iter().filter(|log| half.contains(log.raw())).count();
    // Retries are chained once the load is whole: until then, each attempt is a delivery.
    let count = format!("{complete} deliveries · {complete} attempts");
    // The call's details are in the header while the rows still arrive.
    let arriving = app
        .wait_for("rows, progress and the call", |s| {
            s.contains("receiving") && s.contains(&count) && s.contains("CAarriving · ongoing")
        })
        .await;
    assert!(arriving.contains("Delivery "), "{arriving}");
    let progress = arriving.lines().next().and_then(|line| line.split_once("receiving ")).map(|(_, rest)| rest);
    let whole = format!(" of {} (", hookscope::units::size(text.len()));
    let said = progress.and_then(|rest| rest.split_once(whole.as_str())).is_some_and(|(_, rest)| rest.contains("%)"));
    assert!(said, "the progress line says how much of the body is in:\n{arriving}");
    app.press("f");
    let failed = app.wait_for_text("failed only").await;
    assert!(failed.contains("receiving") && !failed.contains(" ✓ "), "filtered while arriving:\n{failed}");
    app.press("q");
    app.finished().await.unwrap();
}

/// A 429's wait is on the loading screen, counting down with the attempt; `q` quits at once in
/// the middle of it, without waiting it out.
#[tokio::test]
async fn a_rate_limit_wait_is_shown_and_q_quits_at_once() {
    use http_server::{Reply, TestServer};
    let slow = Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "20");
    let server = TestServer::start(vec![slow.clone(), slow]).await;
    let mut app = screen::start(call_5_at(server.url(), false), Filter::default(), 80, 24);
    let screen = app.wait_for_text("rate limited, retrying in").await;
    assert!(screen.contains("(attempt 2 of 4)"), "{screen}");
    let quit_at = std::time::Instant::now();
    app.press("q");
    app.finished().await.unwrap();
    assert!(quit_at.elapsed() < std::time::Duration::from_secs(2), "{:?}", quit_at.elapsed());
    assert_eq!(server.requests().len(), 1, "the retry never went out");
}

/// A type the server has no log of: the call is fetched whole, and the empty list says the type
/// is not in the call and where its types are listed.
#[tokio::test]
async fn a_type_the_call_lacks_is_said_in_the_empty_list() {
    use http_server::{Reply, TestServer};
    let logs = r#"[{"id": 1, "webhook_url": "https://h.example/a", "webhook_type": "transcript", "success": true},
        {"id": 2, "webhook_url": "https://h.example/a", "webhook_type": "call_ended", "success": true}]"#;
    let server = TestServer::start(vec![
        Reply::json(200, "OK", "[]").for_target("/api/v1/calls/5/webhook-logs?webhook_type=nosuch"),
        Reply::json(200, "OK", logs).for_target("/api/v1/calls/5/webhook-logs"),
    ])
    .await;
    let config = hookscope::api::ApiConfig {
        base_url: server.url(),
        api_key: Some((hookscope::api::ApiKey::new("burki_test_key_0000").unwrap(), hookscope::api::KeySource::Flag)),
        ..hookscope::api::ApiConfig::default()
    };
    let loader = Loader::api(config, hookscope::api::CallRef::Id(5), Some("nosuch".into()), false).unwrap();
    let filter = Filter { types: ["nosuch".to_owned()].into(), ..Filter::default() };
    let mut app = screen::start(loader, filter, 120, 40);
    let screen = app.wait_for_text("No delivery has type nosuch: t lists the 2 types this call has.").await;
    assert!(screen.contains("None of the 2 deliveries matches the filters."), "{screen}");
}

/// A webhook receiver that echoed the user's Burki key (whole, cut, upper-cased, JSON-escaped)
/// into its response: the explorer shows only the key's hint, copies and exports hold only the
/// hint, and with `R` the key is masked like any other secret.
#[tokio::test]
async fn the_users_own_key_never_shows_in_the_explorer_copies_or_exports() {
    use http_server::{Reply, TestServer};
    const KEY: &str = "burki_live_flowOWNERkey_987654";
    let body = format!("whole {KEY} cut {} upper {} tail {}", &KEY[..20], KEY.to_ascii_uppercase(), &KEY[11..]);
    let escaped = KEY.replace('_', r"\u005f");
    let logs = format!(
        r#"[{{"id": 7, "call_id": 5, "webhook_url": "https://hooks.example.com/burki", "webhook_type": "tool_call",
        "request_payload": {{"echo": "{escaped}"}}, "response_status_code": 500, "response_body": "{body}",
        "success": false}}]"#
    );
    let server =
        TestServer::start(vec![Reply::json(200, "OK", &logs).for_target("/api/v1/calls/5/webhook-logs")]).await;
    let config = hookscope::api::ApiConfig {
        base_url: server.url(),
        api_key: Some((hookscope::api::ApiKey::new(KEY).unwrap(), hookscope::api::KeySource::Env)),
        ..hookscope::api::ApiConfig::default()
    };
    let loader = Loader::api(config, hookscope::api::CallRef::Id(5), None, false).unwrap();
    let mut app = screen::start(loader, Filter::default(), 120, 40);
    let leaks = |text: &str| {
        let lower = text.to_ascii_lowercase();
        let key = KEY.to_ascii_lowercase();
        (1..=key.len() - 12).any(|at| lower.contains(&key[at..at + 12])) || text.contains(r"flowOWNERkey\u005f")
    };

    let payload = app.wait_for_text("Delivery 7").await;
    assert!(payload.contains(r#""echo": "burki_live_f…""#), "the hint stands for the key:\n{payload}");
    app.press("b");
    let response =
        app.wait_for_text("whole burki_live_f… cut burki_live_f… upper burki_live_f… tail burki_live_f…").await;
    assert!(!leaks(&payload) && !leaks(&response), "{payload}\n{response}");

    app.press("yr");
    app.wait_for_text("copied response body").await;
    app.press("yp");
    app.wait_for_text("copied payload").await;
    app.press("R");
    app.wait_for_text("redaction on").await;
    app.press("yr");
    app.wait_for_text("copied response body (redacted)").await;
    app.press("yp");
    app.wait_for_text("copied payload (redacted)").await;
    let copies = app.clipboard.0.lock().unwrap().clone();
    assert_eq!(copies.len(), 4);
    for copy in &copies {
        assert!(!leaks(copy), "{copy}");
    }
    assert!(copies[0].contains("whole burki_live_f…"), "{}", copies[0]);
    assert!(copies[2].contains("whole [REDACTED] cut [REDACTED] upper [REDACTED] tail [REDACTED]"), "{}", copies[2]);
    assert!(copies[3].contains(r#""echo": "[REDACTED]""#), "{}", copies[3]);

    app.press("R");
    app.wait_for_text("redaction off").await;
    app.press("e");
    app.wait_for_text("exported").await;
    let files: Vec<_> = std::fs::read_dir(app.export_dir.path()).unwrap().map(|entry| entry.unwrap().path()).collect();
    let exported = std::fs::read_to_string(&files[0]).unwrap();
    assert!(!leaks(&exported), "{exported}");
    assert!(hookscope::case_file::parse_document(exported).is_ok(), "the export is still a case file");
    app.press("q");
    app.finished().await.unwrap();
}

/// An export that cannot be written says where it tried.
#[tokio::test]
async fn a_failed_export_names_the_directory() {
    let mut app = screen::start(Loader::Demo, Filter::default(), 120, 40);
    app.wait_for_text("Delivery ").await;
    let dir = app.export_dir.path().to_owned();
    std::fs::remove_dir(&dir).unwrap();
    app.press("e");
    let screen = app.wait_for_text("export failed").await;
    let named = format!("cannot write a case file in {}", dir.display());
    assert!(screen.contains(&named), "expected {named:?} in:\n{screen}");
    std::fs::create_dir(&dir).unwrap();
    app.press("q");
    app.finished().await.unwrap();
}

/// Following a call that grows and then ends: new rows join without moving the selection and
/// are marked, a failed poll is said and loses nothing, and follow stops when the call ends.
#[tokio::test]
async fn following_a_live_call_shows_its_growth_and_stops_at_its_end() {
    use http_server::TestServer;
    let server = TestServer::start(growing_call::script()).await;
    let config = hookscope::api::ApiConfig {
        base_url: server.url(),
        api_key: Some((hookscope::api::ApiKey::new("burki_test_key_0000").unwrap(), hookscope::api::KeySource::Flag)),
        ..hookscope::api::ApiConfig::default()
    };
    let loader = Loader::api(config, hookscope::api::CallRef::Id(101), None, true).unwrap();
    // Slow enough to select a row before the second poll; the failed polls back off from it.
    let every = std::time::Duration::from_millis(400);
    let mut app = screen::start_with(loader, Filter::default(), 120, 40, |state| state.follow_every(every));
    let first = app.wait_for("the first load", |s| s.contains("3 deliveries") && s.contains("following")).await;
    assert!(first.contains("Delivery 1"), "{first}");
    app.press("j");
    let grown = app.wait_for("the second poll", |s| s.contains("5 deliveries")).await;
    assert!(grown.contains("Delivery 2"), "the selection stayed on log 2:\n{grown}");
    assert!(grown.contains("· 2 new · 1 changed") && grown.contains("3 new or changed"), "{grown}");
    let failed = app.wait_for_text("poll failed").await;
    assert!(failed.contains("5 deliveries") && failed.contains("Delivery 2"), "nothing lost:\n{failed}");
    let ended = app.wait_for_text("call ended, follow stopped").await;
    assert!(ended.contains("7 deliveries") && ended.contains("Delivery 2"), "{ended}");
    app.press("q");
    app.finished().await.unwrap();
    let polls = server.requests().iter().filter(|request| request.target == growing_call::LOGS_TARGET).count();
    assert_eq!(polls, 6, "no poll after the last");
}
