//! The call list end to end: the real runner against a real server on 127.0.0.1 serving more
//! calls than a page, a call opened in the explorer, and the way back.

#[path = "support/http_server.rs"]
#[allow(dead_code, reason = "the flows use only part of the scripted server")]
mod http_server;
#[path = "support/screen.rs"]
mod screen;

use std::time::Duration;

use http_server::{Reply, TestServer};

/// Calls `first` down to `first - count + 1`, newest first, as the server lists them.
fn calls(first: i64, count: i64) -> String {
    let items: Vec<String> = (0..count)
        .map(|n| {
            let id = first - n;
            format!(
                r#"{{"id": {id}, "call_sid": "CA{id:032}", "status": "completed", "assistant_name": "Front desk",
                    "duration": 95, "customer_phone_number": "+1555{id:07}",
                    "started_at": "2025-01-15T{:02}:{:02}:00"}}"#,
                (n / 60) % 24,
                n % 60
            )
        })
        .collect();
    items.join(",")
}

const LOGS: &str = r#"[
  {"id": 1, "call_id": 1120, "webhook_url": "https://crm.example/hook", "webhook_type": "call_started",
   "success": true, "response_status_code": 200, "attempted_at": "2025-01-15T09:00:00Z"},
  {"id": 2, "call_id": 1120, "webhook_url": "https://crm.example/hook", "webhook_type": "call_summary",
   "success": false, "response_status_code": 502, "attempted_at": "2025-01-15T09:05:00Z"},
  {"id": 3, "call_id": 1120, "webhook_url": "https://crm.example/hook", "webhook_type": "call_summary",
   "success": true, "response_status_code": 200, "attempted_at": "2025-01-15T09:05:30Z"}
]"#;

fn client(url: String) -> hookscope::api::ApiClient {
    let config = hookscope::api::ApiConfig {
        base_url: url,
        api_key: Some((hookscope::api::ApiKey::new("burki_test_key_0000").unwrap(), hookscope::api::KeySource::Flag)),
        ..hookscope::api::ApiConfig::default()
    };
    hookscope::api::ApiClient::new(config).unwrap()
}

/// The rows of the list: the lines between the column titles and the status line.
fn rows(screen: &str) -> Vec<String> {
    screen.lines().skip(2).take(36).map(str::to_owned).collect()
}

#[tokio::test]
async fn a_call_opened_from_the_list_comes_back_to_the_same_place() {
    let server = TestServer::start(vec![
        Reply::json(
            200,
            "OK",
            &format!(r#"{{"items": [{}], "total": 150, "skip": 0, "limit": 100}}"#, calls(1150, 100)),
        )
        .for_target("/api/v1/calls/?skip=0&limit=100"),
        Reply::json(
            200,
            "OK",
            &format!(r#"{{"items": [{}], "total": 150, "skip": 100, "limit": 100}}"#, calls(1050, 50)),
        )
        .for_target("/api/v1/calls/?skip=100&limit=100"),
        Reply::json(200, "OK", LOGS).for_target("/api/v1/calls/1120/webhook-logs"),
        Reply::json(200, "OK", r#"{"id": 1120, "call_sid": "CA1120", "status": "completed", "duration": 95}"#)
            .for_target("/api/v1/calls/1120"),
        // The second visit loads the call again, as `hookscope 1120` would; this time it fails.
        Reply::new(500, "Internal Server Error").body("oops").for_target("/api/v1/calls/1120/webhook-logs"),
        Reply::new(500, "Internal Server Error").body("oops").for_target("/api/v1/calls/1120"),
    ])
    .await;
    let mut app = screen::start_calls(client(server.url()), 120, 40);
    app.wait_for_text("100 of 150 calls").await;

    // 36 rows show; row 70 is within a screen of the 100 loaded, so the next page comes.
    app.press(&"j".repeat(70));
    app.wait_for_text("150 of 150 calls").await;
    app.press(&"k".repeat(40));
    let before =
        app.wait_for("row 30 selected", |s| s.lines().any(|l| l.starts_with("› ") && l.contains(" 1120"))).await;

    app.press("\n");
    let explorer =
        app.wait_for("the call's deliveries", |s| s.contains("call_summary") && s.contains("call 1120")).await;
    assert!(explorer.contains("call_started"), "{explorer}");

    app.press("\u{1b}");
    let after = app.wait_for_text("150 of 150 calls").await;
    let (before, after) = (rows(&before), rows(&after));
    assert_eq!(before.len(), after.len());
    for (was, is) in before.iter().zip(&after) {
        if was.contains(" 1120 ") || was.ends_with(" 1120") {
            assert!(
                is.starts_with("› ") && is.contains("2 · 0 failed"),
                "the opened call shows its deliveries (the retried summary is one, delivered): {is}"
            );
        } else {
            // The SID column gives room to the deliveries column; the rest stays put.
            let key = |row: &str| {
                (row.chars().take(70).collect::<String>(), row.split_whitespace().last().map(str::to_owned))
            };
            assert_eq!(key(was), key(is), "the other rows are where they were");
        }
    }
    let listed = server.requests().iter().filter(|r| r.target.starts_with("/api/v1/calls/?")).count();
    assert_eq!(listed, 2, "coming back fetches no page again");

    // Backspace comes back too, even from a call that could not be loaded; q quits from a call.
    app.press("\n");
    app.wait_for_text("Could not load call 1120").await;
    app.press("\u{8}");
    app.wait_for_text("150 of 150 calls").await;
    app.press("\nq");
    tokio::time::timeout(Duration::from_secs(10), app.done).await.unwrap().unwrap().unwrap();
}
