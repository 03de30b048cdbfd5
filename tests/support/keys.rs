//! Keys as tests type them: one character a key, with `\n` Enter, `\t` Tab, `\u{1b}` Esc and
//! `\u{8}` Backspace.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn key_event(c: char) -> KeyEvent {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\t' => KeyCode::Tab,
        '\u{1b}' => KeyCode::Esc,
        '\u{8}' => KeyCode::Backspace,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}
