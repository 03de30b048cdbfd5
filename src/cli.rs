//! Command line and configuration: flag > environment > config file > default.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use serde::Deserialize;

use crate::api::{ApiConfig, ApiKey, CallRef, DEFAULT_BASE_URL, KeySource};
use crate::calls_query::{self, CallQuery};
use crate::filter::{Filter, StatusFilter};

const AFTER_HELP: &str = "\
Examples:
  hookscope 101                       explore call 101's webhook deliveries
  hookscope CA5f1e0c…                 the same, by the provider's call SID
  hookscope 101 --failed --print      a table of the failed deliveries, fitted to the terminal
                                      (dates, URL paths and long types cut first)
  hookscope 101 --print json          every field whole, exactly as the API sent it
  hookscope 101 --type tool_call --print json > tool-calls.json
  hookscope --file tool-calls.json    reopen a saved response or case file
  hookscope --demo                    a bundled sample call, no network or key
  hookscope calls --phone '+1 (555) 987-6543' --since 1d --print
                                      the organisation's calls from that number in the last day
  hookscope --phone 5559876543 --since 2h
                                      the call list, filtered: Enter opens a call's deliveries,
                                      Esc (or Backspace) comes back to the list

--since/--until take a span back from now (30m, 2h, 1d, 1w), RFC 3339 (2025-01-15T10:00:00Z),
or a date or date-time without a zone, read in the local zone (2025-01-15 is its midnight).

Configuration (a flag beats the environment, which beats the file):
  BURKI_API_KEY     the API key, or api_key in the config file (--api-key works too, but other
                    users of the machine can read a flag in the process list)
  BURKI_BASE_URL    the API's base URL (default https://api.burki.dev)
  config file       <config dir>/hookscope/config.toml, e.g. ~/.config/hookscope/config.toml:
                      base_url = \"http://localhost:8000\"
                      api_key = \"burki_live_…\"      # keep this file private (chmod 600)
                      theme = \"light\"
                      clipboard = \"osc52\"           # auto | system | osc52 | command
                      clipboard_command = \"wl-copy\"
                      timeout_secs = 30
                      [keys]
                      quit = \"x\"                    # a wrong name lists the names

Exit codes: 0 ok, 2 usage, 3 configuration, 4 key refused (401/403), 5 call not found,
6 invalid call id (422), 7 rate limited, 8 server error (5xx), 9 network (timeout, refused,
DNS, TLS, a body cut off), 10 unexpected response (not JSON, wrong route, over --max-body),
11 unreadable file (or over --max-body), 12 a --type the call does not have (stderr lists
those it has); 128+n the explorer stopped by signal n (130 SIGINT, 143 SIGTERM).";

#[derive(Debug, Parser)]
#[expect(clippy::struct_excessive_bools, reason = "each bool is a command-line flag")]
#[command(name = "hookscope", version, about, after_help = AFTER_HELP, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// The call: its internal integer id, or the provider's call SID (anything not all digits).
    /// `calls`, or no call at all, lists the organisation's calls instead (--phone, --since, …).
    #[arg(value_name = "CALL", conflicts_with_all = ["demo", "file"])]
    pub call: Option<String>,

    /// Call list: only calls from this customer number, as typed (`+1 (555) 987-6543`,
    /// `555-987-6543`); the digits are sent, with a leading `+` if it had one.
    #[arg(long, value_name = "NUMBER", conflicts_with_all = ["demo", "file"])]
    pub phone: Option<String>,

    /// Call list: only calls with this status (`completed`, `failed`, `ongoing`, …).
    #[arg(long, value_name = "STATUS", conflicts_with_all = ["demo", "file"])]
    pub status: Option<String>,

    /// Call list: only calls of this assistant (its integer id).
    #[arg(long, value_name = "ID", conflicts_with_all = ["demo", "file"])]
    pub assistant: Option<i64>,

    /// Call list: only calls started at or after this time: 30m, 2h, 1d, 1w back from now;
    /// 2025-01-15 (local midnight); 2025-01-15T10:00 (local); RFC 3339.
    #[arg(long, value_name = "TIME", conflicts_with_all = ["demo", "file"])]
    pub since: Option<String>,

    /// Call list: only calls started at or before this time (the forms of --since).
    #[arg(long, value_name = "TIME", conflicts_with_all = ["demo", "file"])]
    pub until: Option<String>,

    /// Call list with --print: at most this many calls, fetched 1000 a request [default: 1000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub limit: Option<u32>,

    /// The call list's filters, read by [`Cli::call_query`] before [`Cli::resolve`].
    #[arg(skip)]
    pub call_query: Option<CallQuery>,

    /// Open the bundled sample call (no network, no key).
    #[arg(long, conflicts_with = "file")]
    pub demo: bool,

    /// Open a saved API response (a JSON array of logs) or a hookscope case file; '-' reads stdin.
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// API key [env: `BURKI_API_KEY`]. Other users of the machine can read a flag in the process
    /// list (`ps`): prefer `BURKI_API_KEY` or `api_key` in the config file.
    #[arg(long, value_name = "KEY", hide_env_values = true)]
    pub api_key: Option<String>,

    /// API base URL [env: `BURKI_BASE_URL`] [default: <https://api.burki.dev>].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Only this webhook type (repeatable). With exactly one, the server filters too.
    #[arg(long = "type", short = 't', value_name = "TYPE")]
    pub types: Vec<String>,

    /// Only failed deliveries.
    #[arg(long, conflicts_with = "succeeded")]
    pub failed: bool,

    /// Only successful deliveries.
    #[arg(long)]
    pub succeeded: bool,

    /// Only logs whose type, URL, status, error, payload or response contains TEXT (any case).
    #[arg(long, value_name = "TEXT")]
    pub grep: Option<String>,

    /// Print the filtered logs and exit instead of opening the explorer. The table is cut to
    /// fit the terminal; `--print json` has the full data.
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "table")]
    pub print: Option<PrintFormat>,

    /// Seconds one request attempt may take, connecting to the last byte [default: 30]. A 429
    /// or 502-504 is tried again up to 3 times; the waits between attempts (Retry-After, or a
    /// backoff) come on top, 30 s at most in all, and are said as they start.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// The largest body read from the API, a file or stdin, in MiB after decompression [default: 256].
    #[arg(long, value_name = "MIB", value_parser = clap::value_parser!(u32).range(1..=1_048_576))]
    pub max_body: Option<u32>,

    /// Allow sending the key over plain http:// to a host that is not this machine.
    #[arg(long)]
    pub allow_http: bool,

    /// Colours for dark or light terminals.
    #[arg(long, value_enum)]
    pub theme: Option<Theme>,

    /// Where copies go. Inside tmux the terminal's clipboard is tmux itself: its paste buffer and,
    /// through tmux, your terminal's clipboard.
    #[arg(long, value_enum)]
    pub clipboard: Option<ClipboardKind>,

    /// A command that receives copied text on stdin (implies --clipboard command), e.g. 'wl-copy'.
    #[arg(long, value_name = "COMMAND")]
    pub clipboard_command: Option<String>,

    /// Redact phone numbers, e-mails and secrets: in every --print format, and in the explorer's
    /// copies and exports from the start (R toggles it there).
    #[arg(long)]
    pub redact: bool,

    /// Follow the call: fetch it again every SECS seconds (default 3, at least 1), new deliveries
    /// as they come; it stops once the call has ended. With --print ndjson|table, each log is
    /// printed once as it first appears, and hookscope exits when the call ends.
    #[arg(long, value_name = "SECS", num_args = 0..=1, default_missing_value = "3")]
    pub follow: Option<f64>,

    /// The follow interval in milliseconds, under the 1 s minimum: for tests.
    #[arg(long, value_name = "MS", hide = true, requires = "follow")]
    pub follow_interval_ms: Option<u64>,

    /// Read this config file instead of the default one.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PrintFormat {
    /// An aligned summary, cut to fit the terminal (json has the full data).
    Table,
    /// A JSON array of the logs exactly as the API sent them.
    Json,
    /// One log a line, exactly as sent.
    Ndjson,
    /// A Markdown report for a ticket.
    Markdown,
    /// Per type (and per host, when there are several): deliveries, attempts, success, p50/p95/max ms.
    Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Dark,
    Light,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClipboardKind {
    /// The terminal's clipboard over SSH or without a display, else the system clipboard
    Auto,
    /// The system clipboard of this machine (X11, Wayland, macOS, Windows)
    System,
    /// The terminal's clipboard: OSC 52, or inside tmux `tmux load-buffer -w`
    Osc52,
    /// --clipboard-command, which gets the text on stdin
    Command,
}

/// `config.toml`. Unknown keys are an error, so a typo is caught rather than ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub base_url: Option<String>,
    pub api_key: Option<String>,
    pub theme: Option<Theme>,
    pub clipboard: Option<ClipboardKind>,
    pub clipboard_command: Option<String>,
    pub timeout_secs: Option<f64>,
    pub redact: Option<bool>,
    #[serde(default)]
    pub keys: std::collections::BTreeMap<String, String>,
}

/// What `--print` lists the calls up to, unless `--limit` says otherwise.
pub const DEFAULT_CALL_LIMIT: usize = 1000;
/// The `CALL` that asks for the call list rather than a call.
pub const CALLS_WORD: &str = "calls";

/// Where the logs come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// The organisation's calls, for the user to pick one (`hookscope calls`, or no call).
    Calls {
        query: CallQuery,
        config: ApiConfig,
        /// How many calls `--print` lists at most.
        limit: usize,
    },
    Demo,
    /// A file, or stdin for `-`, read up to `max_body_bytes`.
    File {
        path: PathBuf,
        max_body_bytes: usize,
    },
    Api {
        call: CallRef,
        config: ApiConfig,
    },
}

/// Everything the run needs, resolved.
#[derive(Debug)]
pub struct Settings {
    pub source: Source,
    pub filter: Filter,
    /// Sent to the server as `webhook_type` when exactly one type is asked for.
    pub server_type: Option<String>,
    pub print: Option<PrintFormat>,
    /// `--follow`: the interval between polls.
    pub follow: Option<Duration>,
    pub theme: Theme,
    pub clipboard: ClipboardKind,
    pub clipboard_command: Option<String>,
    pub redact: bool,
    pub key_overrides: std::collections::BTreeMap<String, String>,
    /// Said on stderr before anything else (a config file others can read, …).
    pub warnings: Vec<String>,
    /// The config file read, or where one would be read from, for "no API key" messages.
    pub config_path: Option<PathBuf>,
}

/// What the environment holds, passed in so resolution can be tested without touching it.
#[derive(Debug, Default, Clone)]
pub struct Environment {
    pub api_key: Option<String>,
    pub base_url: Option<String>,
}

impl Environment {
    #[must_use]
    pub fn from_process() -> Self {
        let var = |name| std::env::var(name).ok().filter(|v: &String| !v.trim().is_empty());
        Self { api_key: var("BURKI_API_KEY"), base_url: var("BURKI_BASE_URL") }
    }
}

/// A configuration problem: exit code 3.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

#[must_use]
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "hookscope").map(|dirs| dirs.config_dir().join("config.toml"))
}

/// Reads the config file; a missing default file is no error, a missing explicit one is.
///
/// # Errors
/// When the file cannot be read or is not valid.
pub fn load_config(explicit: Option<&Path>) -> Result<(ConfigFile, Option<PathBuf>, Vec<String>), ConfigError> {
    let Some(path) = explicit.map(Path::to_path_buf).or_else(default_config_path) else {
        return Ok((ConfigFile::default(), None, Vec::new()));
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => {
            return Ok((ConfigFile::default(), None, Vec::new()));
        }
        Err(err) => return Err(ConfigError(format!("cannot read config file {}: {err}", path.display()))),
    };
    let config: ConfigFile = toml::from_str(&text).map_err(|err| {
        ConfigError(format!("config file {} is not valid: {}", path.display(), toml_problem(&text, &err)))
    })?;
    let mut warnings = Vec::new();
    if config.api_key.is_some() && readable_by_others(&path) {
        warnings.push(format!(
            "warning: {} holds an API key and is readable by other users; run: chmod 600 {}",
            path.display(),
            path.display()
        ));
    }
    Ok((config, Some(path), warnings))
}

/// Settings the config file knows, which an "unknown field" message lists.
const CONFIG_FIELDS: [&str; 8] =
    ["base_url", "api_key", "theme", "clipboard", "clipboard_command", "timeout_secs", "redact", "keys"];

/// What is wrong with the config file and where, never quoting a value: an API key pasted into
/// the wrong setting (`timeout_secs = "burki_live_…"`) or as a setting's name must not be
/// printed whole. toml's own rendering quotes the line; its message quotes the value.
fn toml_problem(text: &str, err: &toml::de::Error) -> String {
    let message = unquoted_values(err.message());
    match err.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("line {line}: {message}")
        }
        None => message,
    }
}

/// `invalid type: string "…", expected a number` as `invalid type: a string, expected a number`,
/// and a name in backticks that is not a setting (an unknown field or variant) cut to the 12
/// characters a key may show.
fn unquoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(open) = rest.find(['"', '`']) {
        let quote = rest[open..].chars().next().unwrap_or('"');
        let Some(len) = rest[open + 1..].find(quote) else {
            // An unclosed quote: nothing after it is shown.
            out.push_str(&rest[..open]);
            rest = "";
            break;
        };
        let inner = &rest[open + 1..open + 1 + len];
        let before = &rest[..open];
        if quote == '"' {
            if let Some(kept) = before.strip_suffix("string ") {
                out.push_str(kept);
                out.push_str("a string");
            } else {
                out.push_str(before);
                out.push_str("a value");
            }
        } else {
            out.push_str(before);
            let shown: String =
                if CONFIG_FIELDS.contains(&inner) { inner.to_owned() } else { inner.chars().take(12).collect() };
            let cut = if shown.len() < inner.len() { "…" } else { "" };
            out.push('`');
            out.push_str(&shown);
            out.push_str(cut);
            out.push('`');
        }
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|meta| meta.permissions().mode() & 0o044 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> bool {
    false
}

impl Cli {
    /// Whether this run lists calls: `calls` or no call at all, and no demo or file.
    #[must_use]
    pub fn lists_calls(&self) -> bool {
        !self.demo && self.file.is_none() && self.call.as_deref().is_none_or(|call| call == CALLS_WORD)
    }

    /// The call list's filters, read from the flags (`now` and `zone` for `--since`/`--until`);
    /// `None` when the run opens a call. Kept in [`Cli::call_query`] for [`Cli::resolve`].
    ///
    /// # Errors
    /// A usage error: a filter that cannot be read, a call-list flag beside a call, or a format
    /// the call list has no use for.
    pub fn read_call_query(&mut self, now: jiff::Timestamp, zone: &jiff::tz::TimeZone) -> Result<(), String> {
        let list_flags = [
            ("--phone", self.phone.is_some()),
            ("--status", self.status.is_some()),
            ("--assistant", self.assistant.is_some()),
            ("--since", self.since.is_some()),
            ("--until", self.until.is_some()),
            ("--limit", self.limit.is_some()),
        ];
        if !self.lists_calls() {
            if let Some((flag, _)) = list_flags.iter().find(|(_, given)| *given) {
                return Err(format!(
                    "{flag} is for the call list, which a call id or SID does not need: drop the call, or the flag"
                ));
            }
            return Ok(());
        }
        let log_flags = [
            ("--type", !self.types.is_empty()),
            ("--failed", self.failed),
            ("--succeeded", self.succeeded),
            ("--grep", self.grep.is_some()),
        ];
        if let Some((flag, _)) = log_flags.iter().find(|(_, given)| *given) {
            return Err(format!(
                "{flag} filters one call's deliveries: pass the call's id or SID (the call list takes --phone, \
                 --status, --assistant, --since, --until)"
            ));
        }
        if matches!(self.print, Some(PrintFormat::Markdown | PrintFormat::Stats)) {
            return Err(
                "the call list prints as table, json or ndjson; markdown and stats are of one call's deliveries"
                    .to_owned(),
            );
        }
        let time = |flag: &str, text: &Option<String>| {
            text.as_deref()
                .map(|text| calls_query::parse_time(text, now, zone).map_err(|err| format!("{flag} {err}")))
                .transpose()
        };
        let query = CallQuery {
            phone: self.phone.as_deref().map(calls_query::normalize_phone).transpose()?,
            status: self.status.clone().filter(|status| !status.trim().is_empty()),
            assistant_id: self.assistant,
            since: time("--since", &self.since)?,
            until: time("--until", &self.until)?,
            ..CallQuery::default()
        };
        if let (Some(since), Some(until)) = (query.since, query.until)
            && since > until
        {
            return Err("--since is after --until: no call can match".to_owned());
        }
        self.call_query = Some(query);
        Ok(())
    }

    /// Combines flags, environment and config file.
    ///
    /// # Errors
    /// On an invalid base URL, timeout or call reference.
    pub fn resolve(
        self,
        env: &Environment,
        file: ConfigFile,
        file_path: Option<PathBuf>,
    ) -> Result<Settings, ConfigError> {
        let timeout_secs = self.timeout.or(file.timeout_secs).unwrap_or(30.0);
        if !(timeout_secs.is_finite() && timeout_secs > 0.0) {
            return Err(ConfigError(format!("--timeout must be a positive number of seconds, not {timeout_secs}")));
        }
        let follow = match (self.follow, self.follow_interval_ms) {
            (_, Some(ms)) => Some(Duration::from_millis(ms.max(1))),
            (Some(secs), None) if (1.0..=86_400.0).contains(&secs) => Some(Duration::from_secs_f64(secs)),
            (Some(secs), None) => {
                return Err(ConfigError(format!("--follow takes 1 to 86400 seconds between polls, not {secs}")));
            }
            (None, None) => None,
        };
        if follow.is_some() && matches!(self.print, Some(PrintFormat::Json | PrintFormat::Markdown)) {
            return Err(ConfigError(
                "--follow prints each log as it comes: use it with --print ndjson or --print table".to_owned(),
            ));
        }
        let max_body_bytes = self.max_body.map_or(crate::api::DEFAULT_MAX_BODY, |mib| (mib as usize) << 20);
        let source = if self.demo {
            Source::Demo
        } else if let Some(path) = self.file.clone() {
            Source::File { path, max_body_bytes }
        } else {
            let base_url = self
                .base_url
                .clone()
                .or_else(|| env.base_url.clone())
                .or_else(|| file.base_url.clone())
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
            let api_key = [
                (self.api_key.clone(), KeySource::Flag),
                (env.api_key.clone(), KeySource::Env),
                (file.api_key.clone(), KeySource::ConfigFile(file_path.clone().unwrap_or_default())),
            ]
            .into_iter()
            .find_map(|(key, source)| key.and_then(ApiKey::new).map(|key| (key, source)));
            let timeout = Duration::from_secs_f64(timeout_secs);
            let config = ApiConfig {
                base_url: base_url.trim().trim_end_matches('/').to_owned(),
                api_key,
                timeout,
                connect_timeout: timeout.min(Duration::from_secs(10)),
                allow_http: self.allow_http,
                max_body_bytes,
                ..ApiConfig::default()
            };
            if self.lists_calls() {
                let limit = self.limit.map_or(DEFAULT_CALL_LIMIT, |n| n as usize);
                Source::Calls { query: self.call_query.clone().unwrap_or_default(), config, limit }
            } else {
                let call: CallRef = self.call.as_deref().unwrap_or_default().parse().map_err(ConfigError)?;
                Source::Api { call, config }
            }
        };
        let status = match (self.failed, self.succeeded) {
            (true, _) => StatusFilter::Failed,
            (_, true) => StatusFilter::Succeeded,
            _ => StatusFilter::All,
        };
        let server_type = match self.types.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        };
        let clipboard_command = self.clipboard_command.or(file.clipboard_command);
        let clipboard = self
            .clipboard
            .or(clipboard_command.as_ref().map(|_| ClipboardKind::Command))
            .or(file.clipboard)
            .unwrap_or(ClipboardKind::Auto);
        if clipboard == ClipboardKind::Command && clipboard_command.is_none() {
            return Err(ConfigError("--clipboard command needs --clipboard-command (or clipboard_command)".to_owned()));
        }
        Ok(Settings {
            source,
            filter: Filter { types: self.types.into_iter().collect(), status, text: self.grep.unwrap_or_default() },
            server_type,
            print: self.print,
            follow,
            theme: self.theme.or(file.theme).unwrap_or_default(),
            clipboard,
            clipboard_command,
            redact: self.redact || file.redact.unwrap_or(false),
            key_overrides: file.keys,
            warnings: Vec::new(),
            config_path: file_path.or_else(default_config_path),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(args: &[&str], env: &Environment, file: ConfigFile) -> Settings {
        let cli = Cli::try_parse_from(std::iter::once("hookscope").chain(args.iter().copied())).unwrap();
        cli.resolve(env, file, Some(PathBuf::from("/cfg/config.toml"))).unwrap()
    }

    fn api(settings: &Settings) -> (&CallRef, &ApiConfig) {
        match &settings.source {
            Source::Api { call, config } => (call, config),
            other => panic!("expected an API source, got {other:?}"),
        }
    }

    #[test]
    fn a_flag_beats_the_environment_which_beats_the_file() {
        let env = Environment { api_key: Some("from-env-key".into()), base_url: Some("http://localhost:8000/".into()) };
        let file = || ConfigFile {
            api_key: Some("from-file-key".into()),
            base_url: Some("https://file".into()),
            ..ConfigFile::default()
        };

        let settings = resolve(&["101", "--api-key", "from-flag-key"], &env, file());
        let (call, config) = api(&settings);
        assert_eq!(call, &CallRef::Id(101));
        assert_eq!(
            config.api_key.as_ref().map(|(key, source)| (key.expose(), source)),
            Some(("from-flag-key", &KeySource::Flag))
        );
        assert_eq!(config.base_url, "http://localhost:8000", "env wins over file, trailing / trimmed");

        let settings = resolve(&["101"], &env, file());
        assert_eq!(api(&settings).1.api_key.as_ref().map(|(_, source)| source), Some(&KeySource::Env));

        let settings = resolve(&["101"], &Environment::default(), file());
        let (_, config) = api(&settings);
        assert_eq!(config.api_key.as_ref().map(|(_, s)| s), Some(&KeySource::ConfigFile("/cfg/config.toml".into())));
        assert_eq!(config.base_url, "https://file");
    }

    #[test]
    fn filters_come_from_flags_and_one_type_goes_to_the_server() {
        let settings = resolve(
            &["CA123", "--type", "tool_call", "--failed", "--grep", "Timeout"],
            &Environment::default(),
            ConfigFile::default(),
        );
        assert_eq!(api(&settings).0, &CallRef::Sid("CA123".into()));
        assert_eq!(settings.server_type.as_deref(), Some("tool_call"));
        assert_eq!(settings.filter.status, StatusFilter::Failed);
        assert_eq!(settings.filter.text, "Timeout");
        let two = resolve(&["1", "-t", "a", "-t", "b"], &Environment::default(), ConfigFile::default());
        assert_eq!(two.server_type, None);
        assert_eq!(two.filter.types.len(), 2);
    }

    #[test]
    fn print_defaults_to_a_table() {
        let settings = resolve(&["--demo", "--print"], &Environment::default(), ConfigFile::default());
        assert_eq!(settings.print, Some(PrintFormat::Table));
        assert!(matches!(settings.source, Source::Demo));
    }

    #[test]
    fn no_call_or_calls_lists_the_calls() {
        for args in [&["hookscope"][..], &["hookscope", "calls"], &["hookscope", "--phone", "555-987-6543"]] {
            let cli = Cli::try_parse_from(args).unwrap();
            assert!(cli.lists_calls(), "{args:?}");
        }
        assert!(!Cli::try_parse_from(["hookscope", "101"]).unwrap().lists_calls());
        assert!(Cli::try_parse_from(["hookscope", "--demo", "101"]).is_err());
        assert!(Cli::try_parse_from(["hookscope", "--demo", "--phone", "1"]).is_err());
    }

    #[test]
    fn the_call_list_filters_are_read_before_resolving() {
        let now: jiff::Timestamp = "2025-01-15T12:00:00Z".parse().unwrap();
        let zone = jiff::tz::TimeZone::UTC;
        let mut cli =
            Cli::try_parse_from(["hookscope", "calls", "--phone", "+1 (555) 987-6543", "--since", "2h"]).unwrap();
        cli.read_call_query(now, &zone).unwrap();
        let settings = cli.resolve(&Environment::default(), ConfigFile::default(), None).unwrap();
        let Source::Calls { query, limit, .. } = settings.source else { panic!("not the call list") };
        assert_eq!(query.phone.as_deref(), Some("+15559876543"));
        assert_eq!(query.since, Some("2025-01-15T10:00:00Z".parse().unwrap()));
        assert_eq!(limit, DEFAULT_CALL_LIMIT);
        let refused = |args: &[&str]| {
            let mut cli = Cli::try_parse_from(std::iter::once("hookscope").chain(args.iter().copied())).unwrap();
            cli.read_call_query(now, &zone).unwrap_err()
        };
        assert!(refused(&["101", "--phone", "555"]).starts_with("--phone is for the call list"));
        assert!(refused(&["--since", "soon"]).starts_with("--since \"soon\" is not a time"));
        assert!(refused(&["--since", "1h", "--until", "2h"]).contains("after --until"));
        assert!(refused(&["--print", "markdown"]).contains("table, json or ndjson"));
    }

    /// A key in the wrong place is named by its setting and line, never quoted whole.
    #[rstest::rstest]
    #[case::as_the_timeout(
        "api_key = \"x\"\ntimeout_secs = \"burki_live_ABCDEFGHIJKLMNOP\"\n",
        "line 2: invalid type: a string, expected f64"
    )]
    #[case::as_a_setting_name("burki_live_ABCDEFGHIJKLMNOP = 1\n", "line 1: unknown field `burki_live_A…`")]
    #[case::as_a_theme("theme = \"burki_live_ABCDEFGHIJKLMNOP\"\n", "line 1: unknown variant `burki_live_A…`")]
    #[case::a_typo_still_shows(
        "apikey = \"x\"\n",
        "line 1: unknown field `apikey`, expected one of `base_url`, `api_key`"
    )]
    fn config_errors_never_quote_a_value(#[case] text: &str, #[case] says: &str) {
        let err = toml::from_str::<ConfigFile>(text).unwrap_err();
        let problem = toml_problem(text, &err);
        assert!(problem.starts_with(says), "{problem}");
        assert!(!problem.contains("ABCDEFGHIJKLMNOP"), "{problem}");
        assert!(!problem.contains("burki_live_AB"), "{problem}");
    }

    #[test]
    fn config_files_reject_unknown_keys() {
        let err = toml::from_str::<ConfigFile>("base_url = 'x'\napikey = 'y'").unwrap_err();
        assert!(err.message().contains("unknown field `apikey`"), "{}", err.message());
    }
}
