//! The sanitizer on real bytes. A call whose type, URL, error, payload, response body, metadata,
//! extra fields and call details are full of terminal escapes, C1 controls, bidi overrides and
//! invisible characters is drawn through ratatui's real `CrosstermBackend` into a `Vec<u8>`:
//! the list, then every log's Payload and Response tabs in turn (highlighted, as the app does),
//! the Info and As-sent tabs, the type picker and the search line. A small parser then walks
//! the bytes: every ESC must begin one of the few sequences ratatui itself writes (cursor
//! moves, SGR colours and attributes, cursor show/hide), and nothing else may be a control
//! character, a C1 code point, or a bidi or zero-width character.

#[path = "support/forbidden.rs"]
mod forbidden;

#[path = "support/keys.rs"]
mod keys;

use std::cell::RefCell;
use std::io::{self, Write};
use std::rc::Rc;
use std::sync::{Arc, LazyLock};

use forbidden::is_hidden_or_control;
use hookscope::action::{Effect, Msg};
use hookscope::case_file::parse_document;
use hookscope::cli::Theme as ThemeName;
use hookscope::filter::{Filter, TextSearch};
use hookscope::highlight::{ColorSupport, Highlighter, ThemeChoice, highlight_in_chunks};
use hookscope::keymap::Keymap;
use hookscope::state::State;
use hookscope::ui::{self, theme::Theme};
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::{Terminal, TerminalOptions, Viewport};
use rstest::rstest;
use serde_json::{Map, Value, json};

/// What a hostile server (or a hostile webhook receiver) can put in the text hookscope shows.
const HOSTILE: [(&str, &str); 43] = [
    ("csi_clear_and_home", "\x1b[2J\x1b[H"),
    ("csi_cursor_up", "up\x1b[5Aover"),
    ("sgr_colour", "\x1b[31;1mred\x1b[0m"),
    ("sgr_truecolor_background", "\x1b[48;2;255;0;0mbg"),
    ("csi_alternate_screen", "\x1b[?1049h"),
    ("csi_device_status_query", "\x1b[6n"),
    ("csi_window_title_report", "\x1b[21t"),
    ("osc0_title_bel", "\x1b]0;pwned\x07"),
    ("osc2_title_st", "\x1b]2;title\x1b\\"),
    ("osc8_hyperlink", "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"),
    ("osc52_clipboard_bel", "\x1b]52;c;cm0gLXJmIH4K\x07"),
    ("osc52_clipboard_st", "\x1b]52;p;Y3VybCBldmlsLnNofHNo\x1b\\"),
    ("dcs", "\x1bP+q544e\x1b\\"),
    ("apc_kitty_graphics", "\x1b_Gf=100,a=T;AAAA\x1b\\"),
    ("pm", "\x1b^privacy message\x1b\\"),
    ("sos", "\x1bXstart of string\x1b\\"),
    ("full_reset", "\x1bc"),
    ("save_restore_cursor", "\x1b7moved\x1b8"),
    ("lone_esc_at_the_end", "trailing\x1b"),
    ("c1_csi", "\u{9b}31mred8bit"),
    ("c1_osc", "\u{9d}0;title\u{9c}"),
    ("c1_dcs", "\u{90}q\u{9c}"),
    ("c1_next_line", "a\u{85}b"),
    ("osc_with_c1_st", "\x1b]0;x\u{9c}"),
    ("bell", "ding\x07\x07"),
    ("carriage_return", "innocent\rEVIL"),
    ("crlf", "line one\r\nline two"),
    ("backspace", "abc\x08\x08\x08xyz"),
    ("delete", "a\x7fb"),
    ("nul", "a\0b"),
    ("vertical_tab_form_feed", "a\x0bb\x0cc"),
    ("tabs", "a\tb\t\tc"),
    ("bidi_override", "invoice\u{202e}fdp.exe"),
    ("bidi_embeddings", "\u{202a}x\u{202b}y\u{202c}z\u{202d}w\u{202c}"),
    ("bidi_isolates", "\u{2066}a\u{2067}b\u{2068}c\u{2069}"),
    ("bidi_marks", "\u{200e}l\u{200f}r\u{61c}a"),
    ("zero_width_space", "pay\u{200b}pal"),
    ("zero_width_joiners", "a\u{200c}b\u{200d}c\u{2060}d"),
    ("byte_order_mark", "\u{feff}bom"),
    ("tag_characters", "flag\u{e0001}\u{e0068}\u{e0069}\u{e007f}"),
    ("line_paragraph_separators", "a\u{2028}b\u{2029}c"),
    ("soft_hyphen", "in\u{ad}visible"),
    ("other_invisibles", "a\u{34f}b\u{fe0f}c\u{17b4}d\u{180b}e\u{1d173}f\u{2800}g"),
];

static HIGHLIGHTER: LazyLock<Highlighter> =
    LazyLock::new(|| Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor));

/// A case file: call details and one log a hostile string, the string in every text field, and
/// one more log whose unreadable time puts the string in the status line.
fn hostile_call() -> String {
    let mut logs = Vec::new();
    for (n, (name, text)) in HOSTILE.iter().enumerate() {
        let body = match n % 3 {
            0 => format!("{text}\nsecond line {text}"),
            1 => json!({"error": text, "detail": [text, {"msg": text}]}).to_string(),
            _ => format!("<!DOCTYPE html><html><body><h1>{text}</h1><p class=\"{text}\">{text}</p></body></html>"),
        };
        let mut payload = Map::new();
        payload.insert("event".into(), Value::from(*text));
        payload.insert((*text).to_owned(), json!({"nested": [text, 1, null]}));
        payload.insert("case".into(), Value::from(*name));
        let no_response = n % 2 == 1;
        let mut log = json!({
            "id": n + 1,
            "call_id": 101,
            "assistant_id": 3,
            "webhook_url": format!("https://{text}.example.com/{text}?q={text}#{text}"),
            "webhook_type": format!("{text}{name}"),
            "request_payload": payload,
            "response_status_code": if no_response { Value::Null } else { json!(500) },
            "response_body": body,
            "response_time_ms": 120 + n,
            "attempted_at": format!("2025-08-24T19:22:{:02}Z", n % 60),
            "success": false,
            "error_message": if no_response { Value::from(format!("connect: {text}")) } else { Value::Null },
            "retry_count": 0,
            "webhook_metadata": {"status": text, (*text): text},
        });
        log[format!("x-{text}")] = Value::from(*text);
        logs.push(log);
    }
    let every: String = HOSTILE.iter().map(|(_, text)| *text).collect();
    logs.push(json!({
        "id": 999, "webhook_url": every, "webhook_type": "end", "success": false, "attempted_at": every,
    }));
    let call = json!({
        "id": 101, "call_sid": format!("CA{every}"), "assistant_name": every, "status": every, "duration": 12,
    });
    json!({"hookscope_case": 1, "call": call, "logs": logs}).to_string()
}

/// Performs what the app would for the effects `update` returned: highlighting and searches,
/// synchronously, so the frames drawn are the coloured ones a user sees.
fn settle(state: &mut State, effects: Vec<Effect>) {
    let mut pending = effects;
    while let Some(effect) = pending.pop() {
        let msgs: Vec<Msg> = match effect {
            Effect::Highlight { doc, lines, language } => {
                let mut msgs = Vec::new();
                highlight_in_chunks(
                    &HIGHLIGHTER,
                    language,
                    &lines,
                    || false,
                    |first_line, styles| {
                        msgs.push(Msg::Highlighted { doc, first_line, styles });
                    },
                );
                msgs
            }
            Effect::Search { generation, query, time } => {
                let set = state.logs().expect("loaded");
                let search = TextSearch::new(&query).expect("a query").with_times(time);
                let matches = set.logs.iter().map(|log| search.matches(log)).collect();
                vec![Msg::Searched { generation, matches: Arc::new(matches) }]
            }
            _ => Vec::new(),
        };
        for msg in msgs {
            pending.extend(state.update(msg));
        }
    }
}

fn press(state: &mut State, keys: &str) {
    for c in keys.chars() {
        let effects = state.update(Msg::Key(keys::key_event(c)));
        settle(state, effects);
    }
}

/// Everything written to it, kept for the test to read: `CrosstermBackend::writer()` is behind
/// ratatui's `unstable-backend-writer` feature, so the test keeps a second handle instead.
#[derive(Clone, Default)]
struct Tape(Rc<RefCell<Vec<u8>>>);

impl Write for Tape {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Tape {
    fn bytes(&self) -> Vec<u8> {
        self.0.borrow().clone()
    }
}

type ByteTerminal = Terminal<CrosstermBackend<Tape>>;

/// A terminal writing into memory through the real crossterm backend. A fixed viewport,
/// because a full-screen one asks the real terminal for its size.
fn byte_terminal(width: u16, height: u16) -> (ByteTerminal, Tape) {
    let tape = Tape::default();
    let options = TerminalOptions { viewport: Viewport::Fixed(Rect::new(0, 0, width, height)) };
    (Terminal::with_options(CrosstermBackend::new(tape.clone()), options).unwrap(), tape)
}

/// What the scan found ratatui writing, to show the check looked at something.
#[derive(Debug, Default)]
struct Written {
    cursor_moves: usize,
    sgr: usize,
    cursor_visibility: usize,
    text: String,
}

/// Walks the bytes a backend wrote. Every ESC must begin a sequence ratatui writes itself: CSI
/// with numeric parameters ending in `H` (cursor position), `m` (SGR), `J` or `K` (erase), or
/// `?25l` / `?25h` (hide or show the cursor). Outside those, no byte may be a C0 control or
/// DEL, and no character a C1 control, bidi control or invisible character.
fn scan(bytes: &[u8]) -> Result<Written, String> {
    let text = std::str::from_utf8(bytes).map_err(|err| format!("not UTF-8: {err}"))?;
    let context = |at: usize| {
        let mut start = at.saturating_sub(40);
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (at + 40).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        format!("{:?}", &text[start..end])
    };
    let mut written = Written::default();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            0x1b => {
                let (len, kind) = ratatui_sequence(&bytes[i..])
                    .ok_or_else(|| format!("ESC at byte {i} is not one ratatui writes: {}", context(i)))?;
                match kind {
                    Sequence::CursorMove => written.cursor_moves += 1,
                    Sequence::Sgr => written.sgr += 1,
                    Sequence::CursorVisibility => written.cursor_visibility += 1,
                    Sequence::Erase => {}
                }
                i += len;
            }
            byte @ (0x00..=0x1f | 0x7f) => {
                return Err(format!("raw control byte 0x{byte:02x} at byte {i}: {}", context(i)));
            }
            _ => {
                let c = text[i..].chars().next().expect("a character boundary");
                if is_hidden_or_control(c) {
                    return Err(format!("U+{:04X} at byte {i}: {}", u32::from(c), context(i)));
                }
                written.text.push(c);
                i += c.len_utf8();
            }
        }
    }
    Ok(written)
}

enum Sequence {
    CursorMove,
    Sgr,
    Erase,
    CursorVisibility,
}

/// The length and kind of the allowed escape sequence `bytes` starts with.
fn ratatui_sequence(bytes: &[u8]) -> Option<(usize, Sequence)> {
    if bytes.get(1) != Some(&b'[') {
        return None;
    }
    let private = bytes.get(2) == Some(&b'?');
    let params_start = if private { 3 } else { 2 };
    let params_len = bytes[params_start..].iter().take_while(|b| b.is_ascii_digit() || **b == b';').count();
    let params = &bytes[params_start..params_start + params_len];
    let end = params_start + params_len;
    let kind = match (private, bytes.get(end)?) {
        (false, b'H') if params.split(|b| *b == b';').count() <= 2 => Sequence::CursorMove,
        (false, b'm') => Sequence::Sgr,
        (false, b'J' | b'K') if params.len() <= 1 => Sequence::Erase,
        (true, b'l' | b'h') if params == b"25" => Sequence::CursorVisibility,
        _ => return None,
    };
    Some((end + 1, kind))
}

#[rstest]
fn hostile_text_never_reaches_the_terminal(
    #[values((120, 40), (80, 24))] size: (u16, u16),
    #[values(true, false)] color: bool,
) {
    let (width, height) = size;
    let loaded = parse_document(hostile_call()).unwrap();
    assert_eq!(loaded.logs.logs.len(), HOSTILE.len() + 1);
    let mut state = State::new("call 101".into(), Filter::default(), Keymap::default(), Rect::new(0, 0, width, height));
    state.start();
    let effects = state.update(Msg::Loaded { request: 1, result: Box::new(Ok(loaded)), call_error: None });
    settle(&mut state, effects);
    let theme = Theme::new(ThemeName::Dark, color);
    let (mut terminal, tape) = byte_terminal(width, height);
    let mut draw = |state: &State| {
        terminal.draw(|frame| ui::render(frame, state, &theme)).unwrap();
    };

    draw(&state);
    for _ in 0..=HOSTILE.len() {
        for tab in ["p", "b"] {
            press(&mut state, tab);
            draw(&state);
        }
        press(&mut state, "j");
    }
    press(&mut state, "g");
    for keys in ["i", "a", "j", "i", "\n", "b", "\u{1b}", "t", "jjjjjjjjjjjjjjjjjjjj", "\u{1b}"] {
        press(&mut state, keys);
        draw(&state);
    }
    // The search line echoes what is typed; a search then marks matches inside the detail.
    press(&mut state, "/in\u{202e}\u{9b}x");
    draw(&state);
    press(&mut state, "\u{1b}/pwned\n");
    draw(&state);
    press(&mut state, "pb");
    draw(&state);

    let written = scan(&tape.bytes()).unwrap_or_else(|why| panic!("{why}"));
    assert!(written.cursor_moves > 100 && written.cursor_visibility > 0, "{written:?}");
    assert!(written.sgr > 10, "attributes (reverse, bold) are written even without colour: {}", written.sgr);
    // The hostile text was drawn, made visible.
    for shown in ["␛]52;c;", "␛[2J", "␇", "␍", "⟨U+202E⟩", "⟨U+200B⟩", "⟨U+009B⟩", "⟨U+E0068⟩", "⟨U+FEFF⟩"]
    {
        assert!(written.text.contains(shown), "{shown} was never drawn");
    }
}

#[rstest]
#[case::osc_title("\x1b]0;x\x07")]
#[case::osc_st("\x1b]52;c;eA==\x1b\\")]
#[case::dcs("\x1bPq\x1b\\")]
#[case::apc("\x1b_G\x1b\\")]
#[case::pm("\x1b^x\x1b\\")]
#[case::sos("\x1bXx\x1b\\")]
#[case::reset("\x1bc")]
#[case::lone_esc("\x1b")]
#[case::csi_query("\x1b[6n")]
#[case::csi_private_mode("\x1b[?1049h")]
#[case::cursor_up("\x1b[5A")]
#[case::bell("\x07")]
#[case::carriage_return("\r")]
#[case::newline("\n")]
#[case::backspace("\x08")]
#[case::delete("\x7f")]
#[case::nul("\0")]
#[case::c1_csi("\u{9b}")]
#[case::bidi("\u{202e}")]
#[case::isolate("\u{2067}")]
#[case::zero_width("\u{200d}")]
#[case::bom("\u{feff}")]
#[case::tag("\u{e0041}")]
fn the_scanner_refuses(#[case] text: &str) {
    let bytes = format!("\x1b[1;1Hok{text}ok\x1b[0m");
    assert!(scan(bytes.as_bytes()).is_err(), "{text:?} passed");
}

#[test]
fn the_scanner_accepts_what_ratatui_writes() {
    let written =
        scan(b"\x1b[?25l\x1b[3;7Hab\x1b[38;5;1;48;2;0;0;0mc\x1b[1m\x1b[0m\x1b[2J\x1b[K\x1b[H\xe2\x9c\x93").unwrap();
    assert_eq!((written.cursor_moves, written.sgr, written.cursor_visibility), (2, 3, 1));
    assert_eq!(written.text, "abc✓");
}

/// The check above is only worth something if the real backend passes bad text through when
/// nothing sanitizes it. It does: a cell's symbol is written verbatim, and although ratatui
/// 0.30 drops a control, bidi control or zero-width space that stands alone in a span, the
/// joiners and tag characters attach to the character before them and are written with it.
#[rstest]
#[case::escape_in_a_cell("\x1b]52;c;eA==\x07", true)]
#[case::bidi_override_in_a_cell("\u{202e}", true)]
#[case::c1_in_a_cell("\u{9b}", true)]
#[case::zero_width_joiner_in_a_span("pay\u{200d}pal", false)]
#[case::zero_width_non_joiner_in_a_span("pay\u{200c}pal", false)]
#[case::tag_characters_in_a_span("flag\u{e0068}\u{e0069}", false)]
fn unsanitized_text_would_be_caught(#[case] text: &str, #[case] in_a_cell: bool) {
    let (mut terminal, tape) = byte_terminal(20, 2);
    terminal
        .draw(|frame| {
            if in_a_cell {
                frame.buffer_mut()[(0, 0)].set_symbol(text);
            } else {
                frame.render_widget(Paragraph::new(Line::raw(text)), frame.area());
            }
        })
        .unwrap();
    assert!(scan(&tape.bytes()).is_err(), "{text:?} got through unseen");
}
