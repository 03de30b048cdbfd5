//! Configuration through the binary: a flag beats the environment, which beats the config file,
//! which beats the default; and the config file's own checks.

use crate::http_server::{Reply, TestServer};
use crate::{ENV_KEY, FILE_KEY, FLAG_KEY, KEY, LOGS_TARGET, config_file, hookscope};

/// Three servers, one a source; each answers one fetch of call 101 with no logs.
async fn three_servers() -> [TestServer; 3] {
    let empty = || vec![Reply::json(200, "OK", "[]").for_target(LOGS_TARGET)];
    [TestServer::start(empty()).await, TestServer::start(empty()).await, TestServer::start(empty()).await]
}

/// The `Authorization` header of each request each server saw.
fn keys_seen(servers: &[TestServer; 3]) -> [Vec<String>; 3] {
    servers.each_ref().map(|server| {
        server
            .requests()
            .iter()
            .map(|request| request.header("authorization").unwrap_or("none").trim_start_matches("Bearer ").to_owned())
            .collect()
    })
}

#[tokio::test]
async fn a_flag_beats_the_environment_which_beats_the_config_file() {
    let [flag, env, file] = three_servers().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &format!("base_url = \"{}/\"\napi_key = \"{FILE_KEY}\"\n", file.url()), 0o600);
    let config = config.to_str().unwrap();
    let servers = [flag, env, file];

    let flag_url = servers[0].url();
    let all = hookscope(["101", "--print", "json", "--config", config, "--base-url", &flag_url, "--api-key", FLAG_KEY])
        .env("BURKI_BASE_URL", servers[1].url())
        .env("BURKI_API_KEY", ENV_KEY)
        .run_async()
        .await;
    assert_eq!(all.quiet_success(), "[]\n");
    assert_eq!(keys_seen(&servers), [vec![FLAG_KEY.to_owned()], vec![], vec![]]);

    let env_and_file = hookscope(["101", "--print", "json", "--config", config])
        .env("BURKI_BASE_URL", servers[1].url())
        .env("BURKI_API_KEY", ENV_KEY)
        .run_async()
        .await;
    env_and_file.quiet_success();
    assert_eq!(keys_seen(&servers), [vec![FLAG_KEY.to_owned()], vec![ENV_KEY.to_owned()], vec![]]);

    let file_only = hookscope(["101", "--print", "json", "--config", config]).run_async().await;
    file_only.quiet_success();
    assert_eq!(keys_seen(&servers), [vec![FLAG_KEY.to_owned()], vec![ENV_KEY.to_owned()], vec![FILE_KEY.to_owned()]]);
}

#[tokio::test]
async fn the_url_and_the_key_are_resolved_each_on_its_own() {
    let [first, second, third] = three_servers().await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), &format!("base_url = \"{}\"\napi_key = \"{FILE_KEY}\"\n", first.url()), 0o600);
    let servers = [first, second, third];
    // The URL from the file, the key from the environment.
    hookscope(["101", "--print", "json", "--config", config.to_str().unwrap()])
        .env("BURKI_API_KEY", ENV_KEY)
        .run_async()
        .await
        .quiet_success();
    // The URL from the environment, the key from the file; a blank variable counts as unset.
    hookscope(["101", "--print", "json", "--config", config.to_str().unwrap()])
        .env("BURKI_BASE_URL", servers[1].url())
        .env("BURKI_API_KEY", " ")
        .run_async()
        .await
        .quiet_success();
    assert_eq!(keys_seen(&servers), [vec![ENV_KEY.to_owned()], vec![FILE_KEY.to_owned()], vec![]]);
}

#[tokio::test]
async fn the_default_config_file_is_read_from_the_config_directory() {
    let [server, _, _] = three_servers().await;
    let command = hookscope(["101", "--print", "json"]);
    let dir = command.home().join(".config/hookscope");
    std::fs::create_dir_all(&dir).unwrap();
    config_file(&dir, &format!("base_url = \"{}\"\napi_key = \"{FILE_KEY}\"\n", server.url()), 0o600);
    command.run_async().await.quiet_success();
    let [request] = server.requests().try_into().unwrap();
    assert_eq!(request.header("authorization"), Some(format!("Bearer {FILE_KEY}").as_str()));
}

/// With no base URL anywhere, the hosted API is used. Seen through a proxy on 127.0.0.1 (the
/// run's proxy variables point at it), which gets `CONNECT api.burki.dev:443` and refuses it, so
/// nothing leaves the machine. First a probe checks that the binary honours the proxy variables
/// at all: if it did not, the second run would connect to the real API, so it is not made.
#[tokio::test]
async fn without_a_base_url_the_hosted_api_is_used() {
    let proxy = TestServer::start(vec![
        Reply::new(403, "Forbidden").body("this test proxy forwards nothing"),
        Reply::new(403, "Forbidden").body("this test proxy forwards nothing"),
    ])
    .await;
    let via_proxy = |args: &[&str]| {
        let url = proxy.url();
        hookscope(args)
            .env("BURKI_API_KEY", KEY)
            .env("HTTP_PROXY", &url)
            .env("HTTPS_PROXY", &url)
            .env("ALL_PROXY", &url)
    };
    // `.invalid` never resolves (RFC 6761): without the proxy this probe cannot reach anything.
    let probe = via_proxy(&["101", "--base-url", "https://proxy-probe.invalid", "--print", "json"]).run_async().await;
    let probed: Vec<String> = proxy.requests().into_iter().map(|request| request.target).collect();
    assert_eq!(
        probed,
        ["proxy-probe.invalid:443"],
        "the binary ignores the proxy variables, so the hosted-API check is not run: {probe:?}"
    );
    assert_eq!(probe.code, Some(9), "{probe:?}");

    let run = via_proxy(&["101", "--print", "json"]).run_async().await;
    assert!(run.failure(9).contains("api.burki.dev:443"), "{run:?}");
    let [_, connect] = proxy.requests().try_into().unwrap();
    assert_eq!((connect.method.as_str(), connect.target.as_str()), ("CONNECT", "api.burki.dev:443"));
    assert_eq!(connect.header("authorization"), None, "the key stays inside the tunnel");
}

#[test]
fn a_config_file_with_a_key_that_others_can_read_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let open = config_file(dir.path(), &format!("api_key = \"{KEY}\"\n"), 0o644);
    let run = hookscope(["--demo", "--print", "json", "--config", open.to_str().unwrap()]).run();
    run.success();
    assert_eq!(
        run.stderr,
        format!(
            "warning: {path} holds an API key and is readable by other users; run: chmod 600 {path}\n",
            path = open.display()
        )
    );

    let private = config_file(dir.path(), &format!("api_key = \"{KEY}\"\n"), 0o600);
    hookscope(["--demo", "--print", "json", "--config", private.to_str().unwrap()]).run().quiet_success();

    let no_key = config_file(dir.path(), "theme = \"light\"\n", 0o644);
    hookscope(["--demo", "--print", "json", "--config", no_key.to_str().unwrap()]).run().quiet_success();
}

#[test]
fn config_file_errors_are_exit_3() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (format!("apikey = \"{KEY}\"\n"), "unknown field `apikey`"),
        ("theme = \"blue\"\n".to_owned(), "is not valid"),
        ("timeout_secs = \"soon\"\n".to_owned(), "is not valid"),
        ("base_url = \n".to_owned(), "is not valid"),
    ];
    for (contents, says) in cases {
        let path = config_file(dir.path(), &contents, 0o600);
        let run = hookscope(["--demo", "--print", "json", "--config", path.to_str().unwrap()])
            .env("RUST_BACKTRACE", "1")
            .run();
        let line = run.failure(3);
        assert!(line.contains(&format!("config file {}", path.display())) && line.contains(says), "{line}");
    }
    let missing = dir.path().join("missing.toml");
    let run = hookscope(["--demo", "--print", "json", "--config", missing.to_str().unwrap()]).run();
    assert!(run.failure(3).contains("cannot read config file"), "{run:?}");
}

#[rstest::rstest]
#[case::an_unknown_action("[keys]\nfly = \"x\"\n", "no action named `fly` (the actions are: down, up, first,")]
#[case::a_key_for_two_actions("[keys]\nquit = \"c\"\n", "`c` is bound to both `clear_filters` and `quit`")]
fn a_bad_keys_table_is_refused_before_the_explorer_starts(#[case] contents: &str, #[case] says: &str) {
    let dir = tempfile::tempdir().unwrap();
    let config = config_file(dir.path(), contents, 0o600);
    let run = hookscope(["--demo", "--config", config.to_str().unwrap()]).run();
    assert!(run.failure(3).contains(says), "{run:?}");
}
