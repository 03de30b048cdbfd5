//! A drawn frame as text, one line a row: what snapshots and flows compare.

use ratatui::buffer::Buffer;

pub fn buffer_text(buffer: &Buffer) -> String {
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}
