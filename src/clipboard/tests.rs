use std::sync::{Arc, Mutex};

use rstest::rstest;

use super::*;

/// A terminal that records what was written to it.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<Vec<u8>>>);

impl Recorder {
    fn bytes(&self) -> Vec<u8> {
        self.0.lock().unwrap().clone()
    }
    fn boxed(&self) -> Box<dyn Write + Send> {
        Box::new(self.clone())
    }
}

impl Write for Recorder {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct BrokenTerminal;

impl Write for BrokenTerminal {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::from(io::ErrorKind::BrokenPipe))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A system clipboard that records the texts it was given, or refuses them.
#[derive(Clone, Default)]
struct FakeSystem {
    texts: Arc<Mutex<Vec<String>>>,
    refuse: bool,
}

impl SystemClipboard for FakeSystem {
    fn set_text(&mut self, text: &str) -> Result<(), String> {
        if self.refuse {
            return Err("no selection owner".to_owned());
        }
        self.texts.lock().unwrap().push(text.to_owned());
        Ok(())
    }
}

#[test]
fn osc52_bytes_exactly() {
    let terminal = Recorder::default();
    let mut sink = Osc52Sink::new(terminal.boxed(), false);
    assert_eq!(sink.copy("hi").unwrap(), CopiedVia::Osc52 { warn_large: false });
    assert_eq!(terminal.bytes(), b"\x1b]52;c;aGk=\x07");
}

#[test]
fn osc52_for_tmux_passthrough_is_wrapped_with_escapes_doubled() {
    let terminal = Recorder::default();
    let mut sink = Osc52Sink::new(terminal.boxed(), true);
    sink.copy("hi").unwrap();
    assert_eq!(terminal.bytes(), b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
}

#[test]
fn osc52_carries_any_text_including_escapes_and_non_ascii() {
    let text = "ok \x1b]0;pwned\x07 ☎ 電話\n";
    let (sequence, _) = osc52_sequence(text, false);
    let payload = &sequence[b"\x1b]52;c;".len()..sequence.len() - 1];
    assert!(payload.iter().all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b)), "only base64 inside");
    assert_eq!(BASE64_STANDARD.decode(payload).unwrap(), text.as_bytes());
}

#[rstest]
// 56 244 bytes encode to 74 992 base64 bytes, 56 245 to 74 996.
#[case::just_under(56_244, false)]
#[case::just_over(56_245, true)]
fn large_copies_still_go_out_with_a_warning(#[case] len: usize, #[case] warn: bool) {
    let terminal = Recorder::default();
    let mut sink = Osc52Sink::new(terminal.boxed(), false);
    assert_eq!(sink.copy(&"x".repeat(len)).unwrap(), CopiedVia::Osc52 { warn_large: warn });
    assert_eq!(terminal.bytes().len(), b"\x1b]52;c;\x07".len() + len.div_ceil(3) * 4);
}

#[test]
fn a_terminal_write_error_is_reported() {
    let mut sink = Osc52Sink::new(Box::new(BrokenTerminal), false);
    let err = sink.copy("x").unwrap_err();
    assert!(matches!(err, ClipboardError::Terminal(_)), "{err:?}");
    assert_eq!(err.to_string(), "could not write the OSC 52 sequence to the terminal: broken pipe");
}

#[test]
fn a_command_gets_the_text_on_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copied it's.txt");
    let command = format!("cat > '{}'", path.display().to_string().replace('\'', r"'\''"));
    let mut sink = CommandSink::new(command.clone(), COMMAND_TIMEOUT);
    let text = "line one\n'quoted' $HOME `id` ☎\n\ttab";
    assert_eq!(sink.copy(text).unwrap(), CopiedVia::Command(command));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn a_failing_command_reports_its_status_and_stderr() {
    let mut sink = CommandSink::new("echo 'no \x1b[31mdisplay' >&2; exit 3".to_owned(), COMMAND_TIMEOUT);
    let err = sink.copy("text").unwrap_err();
    let ClipboardError::CommandFailed { status, stderr, .. } = &err else { panic!("{err:?}") };
    assert_eq!(status, "exited with status 3");
    assert_eq!(stderr, "no ␛[31mdisplay", "sanitised");
    assert!(
        err.to_string().starts_with(
            "the clipboard command `echo 'no ␛[31mdisplay' >&2; exit 3` exited with status 3: no ␛[31mdisplay"
        ),
        "{err}"
    );
}

#[test]
fn long_stderr_is_cut() {
    let mut sink = CommandSink::new("printf 'e%.0s' $(seq 1000) >&2; exit 1".to_owned(), COMMAND_TIMEOUT);
    let ClipboardError::CommandFailed { stderr, .. } = sink.copy("").unwrap_err() else { panic!() };
    assert_eq!(stderr, format!("{}…", "e".repeat(STDERR_QUOTE_CHARS)));
}

#[test]
fn a_command_that_ignores_its_input_still_succeeds() {
    let mut sink = CommandSink::new("exit 0".to_owned(), COMMAND_TIMEOUT);
    assert!(sink.copy(&"x".repeat(1 << 20)).is_ok());
}

#[test]
fn a_hanging_command_is_stopped() {
    let mut sink = CommandSink::new("exec sleep 30".to_owned(), Duration::from_millis(200));
    let started = Instant::now();
    let err = sink.copy("x").unwrap_err();
    assert!(matches!(err, ClipboardError::CommandTimedOut { .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.to_string(), "the clipboard command `exec sleep 30` did not finish within 200 ms and was stopped");
}

#[test]
fn a_missing_program_is_a_clear_failure() {
    let mut sink = CommandSink::new("hookscope-no-such-clipboard-tool".to_owned(), COMMAND_TIMEOUT);
    let ClipboardError::CommandFailed { status, stderr, .. } = sink.copy("x").unwrap_err() else { panic!() };
    assert_eq!(status, "exited with status 127");
    assert!(stderr.contains("not found"), "{stderr}");
}

const LOCAL_DESKTOP: EnvFacts = EnvFacts { ssh: false, display: true, tmux: false };
const SSH_WITH_X_FORWARDING: EnvFacts = EnvFacts { ssh: true, display: true, tmux: false };
const SSH_IN_TMUX: EnvFacts = EnvFacts { ssh: true, display: false, tmux: true };
const HEADLESS: EnvFacts = EnvFacts { ssh: false, display: false, tmux: false };

#[rstest]
#[case::auto_local(ClipboardChoice::Auto, LOCAL_DESKTOP, Plan::System { fall_back_to_osc52: true })]
#[case::auto_ssh_even_with_a_display(ClipboardChoice::Auto, SSH_WITH_X_FORWARDING, Plan::Osc52)]
#[case::auto_ssh_tmux(ClipboardChoice::Auto, SSH_IN_TMUX, Plan::Osc52)]
#[case::auto_headless(ClipboardChoice::Auto, HEADLESS, Plan::Osc52)]
#[case::system_is_obeyed_over_ssh(ClipboardChoice::System, SSH_IN_TMUX, Plan::System { fall_back_to_osc52: false })]
#[case::osc52_is_obeyed_locally(ClipboardChoice::Osc52, LOCAL_DESKTOP, Plan::Osc52)]
#[case::command(ClipboardChoice::Command("wl-copy".to_owned()), HEADLESS, Plan::Command("wl-copy".to_owned()))]
fn auto_decides_by_environment(#[case] choice: ClipboardChoice, #[case] env: EnvFacts, #[case] expected: Plan) {
    assert_eq!(plan(&choice, env), expected);
}

#[rstest]
#[case::nothing(&[], HEADLESS)]
#[case::local_x11(&[("DISPLAY", ":0")], LOCAL_DESKTOP)]
#[case::wayland(&[("WAYLAND_DISPLAY", "wayland-0")], LOCAL_DESKTOP)]
#[case::ssh_tmux(&[("SSH_CONNECTION", "1.2.3.4 5 6.7.8.9 22"), ("TMUX", "/tmp/tmux-1/default,1,0")], SSH_IN_TMUX)]
#[case::empty_is_unset(&[("SSH_TTY", ""), ("DISPLAY", "")], HEADLESS)]
fn env_facts_from_variables(#[case] vars: &[(&str, &str)], #[case] mut expected: EnvFacts) {
    expected.display |= cfg!(any(target_os = "macos", windows));
    let facts = EnvFacts::from_lookup(|name| vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.into()));
    assert_eq!(facts, expected);
}

#[test]
fn auto_uses_the_system_clipboard_on_a_desktop() {
    let system = FakeSystem::default();
    let terminal = Recorder::default();
    let fake = system.clone();
    let mut sink = open_with(&ClipboardChoice::Auto, &LOCAL_DESKTOP, || terminal.boxed(), || Ok(Box::new(fake)));
    assert_eq!(sink.copy("payload").unwrap(), CopiedVia::System);
    assert_eq!(*system.texts.lock().unwrap(), ["payload"]);
    assert!(terminal.bytes().is_empty());
}

#[test]
fn auto_falls_back_to_osc52_when_the_system_clipboard_cannot_open() {
    let terminal = Recorder::default();
    let mut sink =
        open_with(&ClipboardChoice::Auto, &LOCAL_DESKTOP, || terminal.boxed(), || Err("no display".to_owned()));
    assert_eq!(sink.copy("hi").unwrap(), CopiedVia::Osc52 { warn_large: false });
    assert_eq!(terminal.bytes(), b"\x1b]52;c;aGk=\x07");
}

#[test]
fn auto_falls_back_to_osc52_when_the_system_clipboard_refuses() {
    let terminal = Recorder::default();
    let refusing = FakeSystem { refuse: true, ..FakeSystem::default() };
    let mut sink = open_with(&ClipboardChoice::Auto, &LOCAL_DESKTOP, || terminal.boxed(), || Ok(Box::new(refusing)));
    assert_eq!(sink.copy("hi").unwrap(), CopiedVia::Osc52 { warn_large: false });
    assert_eq!(terminal.bytes(), b"\x1b]52;c;aGk=\x07");
}

/// A stand-in for tmux in `dir`: `load-buffer [-w] -` saves stdin to `dir/buffer` (and notes
/// `-w` in `dir/flags`), unless it is told to refuse `-w` (as tmux before 3.2 does) or to
/// refuse everything (as without a server).
fn fake_tmux(dir: &std::path::Path, refuse_w: bool, no_server: bool) -> String {
    let script = dir.join("tmux");
    let refuse = match (no_server, refuse_w) {
        (true, _) => "echo \"no server running on /tmp/tmux-1/default\" >&2; exit 1",
        (false, true) => "[ \"$2\" = -w ] && { echo \"unknown flag -w\" >&2; exit 1; }",
        (false, false) => ":",
    };
    let dir = dir.display();
    std::fs::write(&script, format!("#!/bin/sh\n{refuse}\necho \"$@\" > {dir}/flags\ncat > {dir}/buffer\n")).unwrap();
    std::fs::set_permissions(&script, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    script.display().to_string()
}

#[rstest]
#[case::auto_over_ssh(ClipboardChoice::Auto, SSH_IN_TMUX)]
#[case::osc52_asked_for(ClipboardChoice::Osc52, EnvFacts { tmux: true, ..LOCAL_DESKTOP })]
#[case::auto_headless(ClipboardChoice::Auto, EnvFacts { tmux: true, ..HEADLESS })]
fn inside_tmux_the_text_goes_to_tmux_itself(#[case] choice: ClipboardChoice, #[case] env: EnvFacts) {
    let dir = tempfile::tempdir().unwrap();
    let tmux = fake_tmux(dir.path(), false, false);
    let terminal = Recorder::default();
    let mut sink = open_in(&choice, env, || terminal.boxed(), || panic!("not needed"), &tmux);
    assert_eq!(sink.copy("hi ☎").unwrap(), CopiedVia::Tmux { warn_large: false });
    assert_eq!(std::fs::read_to_string(dir.path().join("buffer")).unwrap(), "hi ☎");
    assert_eq!(std::fs::read_to_string(dir.path().join("flags")).unwrap(), "load-buffer -w -\n");
    assert!(terminal.bytes().is_empty(), "no passthrough sequence for tmux to drop: {:?}", terminal.bytes());
}

#[test]
fn inside_tmux_on_a_desktop_the_system_clipboard_falls_back_to_tmux() {
    let dir = tempfile::tempdir().unwrap();
    let tmux = fake_tmux(dir.path(), false, false);
    let env = EnvFacts { tmux: true, ..LOCAL_DESKTOP };
    let refusing = FakeSystem { refuse: true, ..FakeSystem::default() };
    let mut sink =
        open_in(&ClipboardChoice::Auto, env, || Recorder::default().boxed(), || Ok(Box::new(refusing)), &tmux);
    assert_eq!(sink.copy("hi").unwrap(), CopiedVia::Tmux { warn_large: false });
    assert_eq!(std::fs::read_to_string(dir.path().join("buffer")).unwrap(), "hi");
}

#[test]
fn a_tmux_that_refuses_w_gets_the_buffer_and_the_terminal_gets_passthrough() {
    let dir = tempfile::tempdir().unwrap();
    let terminal = Recorder::default();
    let mut sink = TmuxSink::new(&fake_tmux(dir.path(), true, false), terminal.boxed());
    let via = sink.copy("hi").unwrap();
    assert_eq!(via, CopiedVia::TmuxBufferAndPassthrough { refused: "unknown flag -w".into(), warn_large: false });
    assert_eq!(std::fs::read_to_string(dir.path().join("buffer")).unwrap(), "hi");
    assert_eq!(std::fs::read_to_string(dir.path().join("flags")).unwrap(), "load-buffer -\n");
    assert_eq!(terminal.bytes(), b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
}

#[test]
fn an_unreachable_tmux_leaves_only_passthrough_and_says_it_may_not_land() {
    let dir = tempfile::tempdir().unwrap();
    let terminal = Recorder::default();
    let mut sink = TmuxSink::new(&fake_tmux(dir.path(), false, true), terminal.boxed());
    let via = sink.copy("hi").unwrap();
    assert_eq!(
        via,
        CopiedVia::Passthrough { why: "no server running on /tmp/tmux-1/default".into(), warn_large: false }
    );
    assert_eq!(terminal.bytes(), b"\x1bPtmux;\x1b\x1b]52;c;aGk=\x07\x1b\\");
    let report = CopyReport { what: "payload".into(), bytes: 2, result: Ok(via) };
    assert!(!report.landed());
    assert!(report.toast().starts_with("⚠ payload (2 B) sent as OSC 52 through tmux"), "{}", report.toast());
}

#[test]
fn a_missing_tmux_program_is_unreachable_too() {
    let terminal = Recorder::default();
    let mut sink = TmuxSink::new("hookscope-no-such-tmux", terminal.boxed());
    let CopiedVia::Passthrough { why, .. } = sink.copy("hi").unwrap() else { panic!() };
    assert!(why.contains("not found"), "{why}");
}

#[test]
fn an_explicit_system_clipboard_that_cannot_open_says_so() {
    let mut sink = open_with(
        &ClipboardChoice::System,
        &HEADLESS,
        || panic!("no OSC 52 when the user asked for System"),
        || Err("X11 server connection timed out".to_owned()),
    );
    let err = sink.copy("x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "the system clipboard is not available (X11 server connection timed out); try the OSC 52 clipboard or a clipboard command"
    );
}

#[test]
fn the_system_clipboard_handle_is_made_once_and_kept() {
    let system = FakeSystem::default();
    let made = Arc::new(Mutex::new(0));
    let (fake, count) = (system.clone(), made.clone());
    let mut sink = open_with(
        &ClipboardChoice::System,
        &LOCAL_DESKTOP,
        || panic!("not needed"),
        move || {
            *count.lock().unwrap() += 1;
            Ok(Box::new(fake))
        },
    );
    sink.copy("one").unwrap();
    sink.copy("two").unwrap();
    assert_eq!(*made.lock().unwrap(), 1);
    assert_eq!(*system.texts.lock().unwrap(), ["one", "two"]);
}

#[test]
fn sinks_can_move_to_a_copy_thread() {
    fn assert_send<T: Send>(_: &T) {}
    let sink = open(&ClipboardChoice::Osc52, &HEADLESS);
    assert_send(&sink);
}
