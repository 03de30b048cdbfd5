//! Keys as tests type them: one character a key, with `\n` Enter, `\t` Tab and `\u{1b}` Esc.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub fn key_event(c: char) -> KeyEvent {
    let code = match c {
        '\n' => KeyCode::Enter,
        '\t' => KeyCode::Tab,
        '\u{1b}' => KeyCode::Esc,
        c => KeyCode::Char(c),
    };
    KeyEvent::new(code, KeyModifiers::NONE)
}
