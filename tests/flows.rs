//! End to end: the real app, a test terminal, scripted keys, and what ends up on screen, in
//! the clipboard and on disk.

#[path = "support/screen.rs"]
mod screen;

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
    let mut app = screen::start(Loader::File(path), Filter::default(), 120, 40);
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
