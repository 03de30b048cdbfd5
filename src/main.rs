//! hookscope's entry point: read the command line, then print or explore.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{CommandFactory, Parser};
use hookscope::api::ApiKey;
use hookscope::app::{App, AppContext};
use hookscope::browser::Browser;
use hookscope::browser::run::{CallsApp, CallsContext};
use hookscope::cli::{self, Cli, ClipboardKind, Command, Environment, PrintFormat, Settings, Source};
use hookscope::clipboard::{ClipboardChoice, EnvFacts};
use hookscope::highlight::{ColorSupport, Highlighter, ThemeChoice, detect_color_support};
use hookscope::keymap::Keymap;
use hookscope::load::Loader;
use hookscope::state::State;
use hookscope::ui::theme::Theme;
use hookscope::{print, sanitize, terminal};

/// Configuration problems (no key, bad config file, plain http refused).
const EXIT_CONFIG: u8 = 3;
/// Bad flags, or a use the terminal cannot serve.
const EXIT_USAGE: u8 = 2;
/// Anything else that is not the API's or the file's fault.
const EXIT_FAILURE: u8 = 1;

fn main() -> ExitCode {
    let mut cli = Cli::parse();
    if let Some(Command::Completions { shell }) = cli.command {
        clap_complete::generate(shell, &mut Cli::command(), "hookscope", &mut std::io::stdout());
        return ExitCode::SUCCESS;
    }
    if let Err(message) = cli.read_call_query(jiff::Timestamp::now(), &jiff::tz::TimeZone::system()) {
        return fail(&message, EXIT_USAGE);
    }
    // As typed, for the call list's header (`since 2h`).
    let since_text = cli.since.clone();
    let settings = match resolve(cli) {
        Ok(settings) => settings,
        Err(message) => return fail(&message, EXIT_CONFIG),
    };
    for warning in &settings.warnings {
        eprintln!("{}", sanitize::line(warning));
    }
    // `--print` runs nothing side by side but its requests, so one thread spares the hand-offs
    // between threads. The explorer's UI, fetches and highlighting share two workers.
    let mut builder = if settings.print.is_some() {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2);
        builder
    };
    let runtime = match builder.enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => return fail(&format!("cannot start: {err}"), EXIT_FAILURE),
    };
    let loader = match &settings.source {
        Source::Calls { query, config, limit } => {
            if settings.print.is_none() {
                let code = browse(&runtime, &settings, query.clone(), config.clone(), since_text);
                runtime.shutdown_timeout(std::time::Duration::from_millis(500));
                return code;
            }
            return list_calls(&runtime, &settings, query, config.clone(), *limit);
        }
        Source::Demo => Loader::Demo,
        Source::File { path, .. } if path.as_os_str() == "-" && std::io::stdin().is_terminal() => {
            return fail(
                "--file - reads the logs from stdin, which is a terminal: pipe them in (curl … | hookscope --file -) \
                 or name the file",
                EXIT_USAGE,
            );
        }
        Source::File { path, max_body_bytes } => Loader::File { path: path.clone(), max_body: *max_body_bytes },
        Source::Api { call, config } => {
            match runtime.block_on(async {
                Loader::api(
                    config.clone(),
                    call.clone(),
                    settings.server_type.clone(),
                    // Only the explorer's header and Markdown reports use the call's details.
                    // Following needs the call's status, to stop when it ends.
                    settings.follow.is_some()
                        || !matches!(
                            settings.print,
                            Some(PrintFormat::Json | PrintFormat::Ndjson | PrintFormat::Table | PrintFormat::Stats)
                        ),
                )
            }) {
                Ok(loader) => loader,
                Err(hookscope::api::ApiError::NoKey { .. }) => {
                    let err = hookscope::api::ApiError::NoKey { config_path: settings.config_path.clone() };
                    return fail(&err.to_string(), err.exit_code());
                }
                Err(err) => return fail(&err.to_string(), err.exit_code()),
            }
        }
    };
    if let Some(format) = settings.print {
        let out = std::io::stdout();
        let (filter, redact) = (&settings.filter, settings.redact);
        let printed = match settings.follow {
            Some(every) => runtime.block_on(print::follow(&loader, filter, format, redact, out, every)),
            None => runtime.block_on(print::print(&loader, filter, format, redact, out)),
        };
        for message in &printed.messages {
            eprintln!("{}", print::stderr_line(message));
        }
        return ExitCode::from(printed.exit_code);
    }
    let code = explore(&runtime, loader, settings);
    // A read still blocked on a silent pipe or FIFO must not keep the process alive.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    code
}

/// `hookscope calls --print` (or no call): the organisation's calls, printed.
fn list_calls(
    runtime: &tokio::runtime::Runtime,
    settings: &Settings,
    query: &hookscope::calls_query::CallQuery,
    config: hookscope::api::ApiConfig,
    limit: usize,
) -> ExitCode {
    let Some(format) = settings.print else { return fail("the call list prints with --print", EXIT_USAGE) };
    let client = match calls_client(settings, config) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let client = client.with_retry_hook(Some(Arc::new(|wait: hookscope::api::RetryWait| {
        eprintln!("{}", print::stderr_line(&wait.text(wait.wait)));
    })));
    let printed = runtime.block_on(hookscope::print_calls::print(
        &client,
        query,
        limit,
        format,
        settings.redact,
        std::io::stdout(),
    ));
    for message in &printed.messages {
        eprintln!("{}", print::stderr_line(message));
    }
    ExitCode::from(printed.exit_code)
}

/// The API client for the call list: the key protected from every text shown, a missing key
/// named with the config file to put it in.
fn calls_client(settings: &Settings, config: hookscope::api::ApiConfig) -> Result<hookscope::api::ApiClient, ExitCode> {
    if let Some((key, _)) = &config.api_key {
        hookscope::key_scrub::protect(key);
    }
    hookscope::api::ApiClient::new(config).map_err(|err| match err {
        hookscope::api::ApiError::NoKey { .. } => {
            let err = hookscope::api::ApiError::NoKey { config_path: settings.config_path.clone() };
            fail(&err.to_string(), err.exit_code())
        }
        err => fail(&err.to_string(), err.exit_code()),
    })
}

/// `hookscope calls` (or no call) on a terminal: the call browser, which opens calls in the
/// explorer as `hookscope <id>` does.
fn browse(
    runtime: &tokio::runtime::Runtime,
    settings: &Settings,
    query: hookscope::calls_query::CallQuery,
    config: hookscope::api::ApiConfig,
    since_text: Option<String>,
) -> ExitCode {
    let keymap = match Keymap::with_overrides(&settings.key_overrides) {
        Ok(keymap) => keymap,
        Err(message) => return fail(&message, EXIT_CONFIG),
    };
    if !std::io::stdout().is_terminal() {
        return fail(
            "the call list needs a terminal; to write it to a pipe or file, add --print [table|json|ndjson]",
            EXIT_USAGE,
        );
    }
    let client = match calls_client(settings, config) {
        Ok(client) => client,
        Err(code) => return code,
    };
    let no_color = Theme::no_color_requested();
    let theme_choice = match settings.theme {
        cli::Theme::Dark => ThemeChoice::Dark,
        cli::Theme::Light => ThemeChoice::Light,
    };
    let color = if no_color { ColorSupport::None } else { detect_color_support() };
    let clipboard = clipboard_choice(settings);
    let theme = Theme::new(settings.theme, !no_color);
    let (server_type, filter, redact) = (settings.server_type.clone(), settings.filter.clone(), settings.redact);
    let result = terminal::run_calls(runtime, async move |screen| {
        let highlighter = tokio::task::spawn_blocking(move || Highlighter::new(theme_choice, color));
        let highlighter = Arc::new(highlighter.await.map_err(std::io::Error::other)?);
        let mut browser = Browser::new(query, since_text, keymap, screen);
        browser.redact = redact;
        let context = CallsContext {
            client,
            server_type,
            filter,
            highlighter,
            theme,
            clipboard: Arc::new(move || hookscope::clipboard::open(&clipboard, &EnvFacts::from_env())),
            export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            can_suspend: true,
        };
        Ok((CallsApp::new(browser, context), crossterm::event::EventStream::new()))
    });
    match result {
        Ok(code) => ExitCode::from(
            terminal::stopped_by_signal().and_then(|signal| u8::try_from(128 + signal).ok()).unwrap_or(code),
        ),
        Err(err) => fail(&format!("terminal error: {err}"), EXIT_FAILURE),
    }
}

fn clipboard_choice(settings: &Settings) -> ClipboardChoice {
    match settings.clipboard {
        ClipboardKind::Auto => ClipboardChoice::Auto,
        ClipboardKind::System => ClipboardChoice::System,
        ClipboardKind::Osc52 => ClipboardChoice::Osc52,
        ClipboardKind::Command => ClipboardChoice::Command(settings.clipboard_command.clone().unwrap_or_default()),
    }
}

fn resolve(cli: Cli) -> Result<Settings, String> {
    let env = Environment::from_process();
    // Keys known before the config file is read: a message about the file never shows them.
    for key in [&cli.api_key, &env.api_key].into_iter().flatten().filter_map(|key| ApiKey::new(key.as_str())) {
        hookscope::key_scrub::protect(&key);
    }
    let (file, path, warnings) = cli::load_config(cli.config.as_deref()).map_err(|err| err.to_string())?;
    let mut settings = cli.resolve(&env, file, path).map_err(|err| err.to_string())?;
    settings.warnings.extend(warnings);
    Ok(settings)
}

/// One clear line on stderr (sanitized: it may quote the server) and the exit code.
fn fail(message: &str, code: u8) -> ExitCode {
    eprintln!("hookscope: {}", sanitize::line(message));
    ExitCode::from(code)
}

fn explore(runtime: &tokio::runtime::Runtime, loader: Loader, settings: Settings) -> ExitCode {
    // A bad `[keys]` table is a configuration error wherever the explorer would have run.
    let keymap = match Keymap::with_overrides(&settings.key_overrides) {
        Ok(keymap) => keymap,
        Err(message) => return fail(&message, EXIT_CONFIG),
    };
    // Keys are read from the terminal itself (crossterm opens /dev/tty when stdin is a pipe), so
    // `… | hookscope --file -` works; only the screen must be a terminal.
    if !std::io::stdout().is_terminal() {
        return fail(
            "the explorer needs a terminal; to write the logs to a pipe or file, add --print [table|json|ndjson|markdown]",
            EXIT_USAGE,
        );
    }
    let no_color = Theme::no_color_requested();
    let theme_choice = match settings.theme {
        cli::Theme::Dark => ThemeChoice::Dark,
        cli::Theme::Light => ThemeChoice::Light,
    };
    let color = if no_color { ColorSupport::None } else { detect_color_support() };
    let clipboard = clipboard_choice(&settings);
    let label = loader.label();
    let result = terminal::run_explorer(runtime, async move |screen| {
        let mut state = State::new(label, settings.filter.clone(), keymap, screen);
        state.redact = settings.redact;
        if let Some(every) = settings.follow {
            state.follow_every(every);
        }
        let highlighter = tokio::task::spawn_blocking(move || Highlighter::new(theme_choice, color));
        let highlighter = Arc::new(highlighter.await.map_err(std::io::Error::other)?);
        let context = AppContext {
            loader: Arc::new(loader),
            highlighter,
            theme: Theme::new(settings.theme, !no_color),
            clipboard: hookscope::clipboard::open(&clipboard, &EnvFacts::from_env()),
            export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            can_suspend: true,
        };
        Ok((App::new(state, context), crossterm::event::EventStream::new()))
    });
    match result {
        // As the shell reports a process the signal ended: 130 for SIGINT, 143 for SIGTERM;
        // otherwise a fatal error screen quits with the code `--print` gives that error.
        Ok(code) => ExitCode::from(
            terminal::stopped_by_signal().and_then(|signal| u8::try_from(128 + signal).ok()).unwrap_or(code),
        ),
        Err(err) => fail(&format!("terminal error: {err}"), EXIT_FAILURE),
    }
}
