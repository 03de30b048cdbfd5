//! `GET /api/v1/calls/`: pages both ways, both response shapes, the trailing slash, the filters
//! as the server receives them, and the errors of the list.

use hookscope::api::ApiError;
use hookscope::calls_query::CallQuery;
use rstest::rstest;

use crate::support::http_server::{Reply, TestServer};
use crate::{assert_no_key, client};

pub(crate) fn call_json(id: i64) -> String {
    format!(
        r#"{{"id": {id}, "call_sid": "CA{id:032x}", "assistant_id": 3, "assistant_name": "Front desk",
        "to_phone_number": "+15550001", "customer_phone_number": "+15559876543", "status": "completed",
        "duration": {id}, "started_at": "2025-01-15T10:{:02}:00Z"}}"#,
        id % 60
    )
}

fn page(newest: i64, oldest: i64, total: u64) -> String {
    let items = (oldest..=newest).rev().map(call_json).collect::<Vec<_>>().join(",");
    format!(r#"{{"items": [{items}], "total": {total}, "skip": 0, "limit": 2}}"#)
}

fn ids(page: &hookscope::model::CallPage) -> Vec<i64> {
    page.calls.iter().filter_map(|call| call.id).collect()
}

/// Five calls, newest first, in pages of two: down to the short last page, then back up.
#[tokio::test]
async fn pages_are_asked_for_with_the_slash_skip_and_limit() {
    let server = TestServer::start(vec![
        Reply::json(200, "OK", &page(5, 4, 5)).for_target("/api/v1/calls/?skip=0&limit=2"),
        Reply::json(200, "OK", &page(3, 2, 5)).for_target("/api/v1/calls/?skip=2&limit=2"),
        Reply::json(200, "OK", &page(1, 1, 5)).for_target("/api/v1/calls/?skip=4&limit=2"),
        Reply::json(200, "OK", &page(3, 2, 5)).for_target("/api/v1/calls/?skip=2&limit=2"),
    ])
    .await;
    let api = client(&server);
    let query = CallQuery::default();
    let mut seen = Vec::new();
    for skip in [0, 2, 4] {
        let page = api.list_calls(&query, skip, 2).await.unwrap();
        assert_eq!(page.total, Some(5));
        seen.extend(ids(&page));
    }
    assert_eq!(seen, [5, 4, 3, 2, 1]);
    assert_eq!(ids(&api.list_calls(&query, 2, 2).await.unwrap()), [3, 2], "a page again, going back");
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn an_old_server_answers_a_bare_array_with_no_total() {
    let body = format!("[{}, 17, {}]", call_json(9), call_json(8));
    let server = TestServer::start(vec![Reply::json(200, "OK", &body)]).await;
    let page = client(&server).list_calls(&CallQuery::default(), 0, 100).await.unwrap();
    assert_eq!((ids(&page), page.total, page.received), (vec![9, 8], None, 3));
    assert_eq!(page.problems, ["entry 2 of the page skipped: the call is not a JSON object"]);
}

/// The server answers 307 for `/api/v1/calls` without the slash; the client never needs that hop.
#[tokio::test]
async fn the_route_without_its_slash_is_never_asked_for() {
    let server = TestServer::start(vec![
        Reply::new(307, "Temporary Redirect")
            .header("Location", "/api/v1/calls/")
            .for_target("/api/v1/calls?skip=0&limit=100"),
        Reply::json(200, "OK", "[]").for_target("/api/v1/calls/?skip=0&limit=100"),
    ])
    .await;
    client(&server).list_calls(&CallQuery::default(), 0, 100).await.unwrap();
    let targets: Vec<String> = server.requests().into_iter().map(|request| request.target).collect();
    assert_eq!(targets, ["/api/v1/calls/?skip=0&limit=100"]);
}

#[tokio::test]
async fn filters_reach_the_server_form_encoded() {
    let server = TestServer::start(vec![Reply::json(200, "OK", "[]")]).await;
    let query = CallQuery {
        phone: Some(hookscope::calls_query::normalize_phone("+1 (555) 987-6543").unwrap()),
        assistant_name: Some("Front desk & co".into()),
        status: Some("failed".into()),
        assistant_id: Some(3),
        since: Some("2025-01-15T05:00:00Z".parse().unwrap()),
        until: Some("2025-01-16T05:00:00.75Z".parse().unwrap()),
        ..CallQuery::default()
    };
    client(&server).list_calls(&query, 100, 50).await.unwrap();
    assert_eq!(
        server.requests()[0].target,
        "/api/v1/calls/?skip=100&limit=50&customer_phone=%2B15559876543&status=failed&assistant_id=3\
         &date_from=2025-01-15T05%3A00%3A00Z&date_to=2025-01-16T05%3A00%3A00Z",
        "one of phone/SID/name: the phone; the name is checked on the client"
    );
}

#[tokio::test]
async fn filters_the_server_was_not_sent_are_applied_to_the_page() {
    let other = call_json(2).replace("Front desk", "Sales");
    let body = format!("[{}, {other}]", call_json(1));
    let server = TestServer::start(vec![Reply::json(200, "OK", &body)]).await;
    let query = CallQuery { phone: Some("555".into()), assistant_name: Some("front".into()), ..CallQuery::default() };
    let page = client(&server).list_calls(&query, 0, 100).await.unwrap();
    assert_eq!((ids(&page), page.received), (vec![1], 2));
}

const NOT_FOUND: &str = "the server has no call list (HTTP 404 for /api/v1/calls/): is the base URL right? An older or \
                         self-hosted Burki may lack it: pass the call's id or SID instead (hookscope 101, hookscope CA…)";

#[rstest]
#[case::unauthorized(
    Reply::json(401, "Unauthorized", r#"{"detail": "Authentication required."}"#),
    "the server rejected the API key burki_live_S… from --api-key (401: Authentication required.): check it is right and not revoked",
    4
)]
#[case::forbidden(
    Reply::json(403, "Forbidden", r#"{"detail": "Not enough permissions"}"#),
    "access denied (403: Not enough permissions): the API key lacks permission for this call",
    4
)]
#[case::no_route(Reply::json(404, "Not Found", r#"{"detail": "Not Found"}"#), NOT_FOUND, 10)]
#[case::proxy_404(Reply::new(404, "Not Found").header("Content-Type", "text/html").body("<html></html>"), NOT_FOUND, 10)]
#[case::method_not_allowed(
    Reply::json(405, "Method Not Allowed", r#"{"detail": "Method Not Allowed"}"#),
    &NOT_FOUND.replace("404", "405"),
    10
)]
#[case::bad_filter(
    Reply::json(422, "Unprocessable Entity", r#"{"detail": [{"loc": ["query", "date_from"], "msg": "Input should be a valid datetime", "type": "datetime_parsing"}]}"#),
    "the server rejected the call filters (422: date_from: Input should be a valid datetime): check --phone, --status, --assistant, --since, --until",
    6
)]
#[case::rate_limited(
    Reply::json(429, "Too Many Requests", r#"{"detail": "slow down"}"#).header("Retry-After", "600"),
    "rate limited (429, 1 attempt): the server asks to wait 600 s before trying again",
    7
)]
#[case::server_error(
    Reply::new(500, "Internal Server Error").body("Internal Server Error"),
    "the server failed (HTTP 500: Internal Server Error) after 1 attempt: try again later; if it persists, report it to Burki",
    8
)]
#[case::html_200(
    Reply::new(200, "OK").header("Content-Type", "text/html").body("<html><head><title>Dashboard</title></head></html>"),
    "expected JSON for the call list, got an HTML page titled \"Dashboard\": is the base URL right?",
    10
)]
#[case::not_a_list(
    Reply::json(200, "OK", r#"{"calls": []}"#),
    "expected a list of calls, got JSON that is neither a list of calls nor an object with `items`: is the base URL right, or is it an older Burki?",
    10
)]
#[tokio::test]
async fn list_errors_say_what_to_do(#[case] reply: Reply, #[case] says: &str, #[case] exit_code: u8) {
    let server = TestServer::start(vec![reply]).await;
    let err = client(&server).list_calls(&CallQuery::default(), 0, 100).await.expect_err("an error");
    assert_no_key(&err);
    assert_eq!(err.to_string(), says);
    assert_eq!(err.exit_code(), exit_code);
}

#[tokio::test]
async fn a_slow_list_times_out_as_the_logs_do() {
    let server = TestServer::start(vec![Reply::json(200, "OK", "[").content_length(1000).then_stall()]).await;
    let mut config = crate::config(&server.url());
    config.timeout = std::time::Duration::from_millis(300);
    let api = hookscope::api::ApiClient::new(config).unwrap();
    let err = api.list_calls(&CallQuery::default(), 0, 100).await.unwrap_err();
    assert!(matches!(err, ApiError::Timeout { .. }), "{err:?}");
    assert_eq!(err.exit_code(), 9);
}
