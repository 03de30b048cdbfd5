//! How amounts read on screen and in messages: sizes (`812 B`, `14.2 KB`, `1.5 MB`) and
//! durations (`87 ms`, `2.1 s`).

use std::fmt::Write as _;

/// `812 B`, `14.2 KB`, `1.5 MB`.
#[must_use]
pub fn size(bytes: usize) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a size shown to one decimal")]
    let b = bytes as f64;
    if bytes < 1000 {
        format!("{bytes} B")
    } else if bytes < 1_000_000 {
        format!("{:.1} KB", b / 1e3)
    } else {
        format!("{:.1} MB", b / 1e6)
    }
}

/// `87 ms`, `2.1 s`.
#[must_use]
pub fn millis(ms: u64) -> String {
    let mut out = String::new();
    write_millis(&mut out, ms);
    out
}

/// [`millis`] appended to `out`, for the text search, which words every log's time.
pub fn write_millis(out: &mut String, ms: u64) {
    if ms < 1000 {
        let _ = write!(out, "{ms} ms");
    } else {
        #[expect(clippy::cast_precision_loss, reason = "shown to one decimal")]
        let secs = ms as f64 / 1000.0;
        let _ = write!(out, "{secs:.1} s");
    }
}

/// `34 s`, `4m05s`: how long a delivery took from its first attempt to its last.
#[must_use]
pub fn span(span: std::time::Duration) -> String {
    let secs = span.as_secs();
    if secs < 60 { format!("{secs} s") } else { format!("{}m{:02}s", secs / 60, secs % 60) }
}

/// A count with thousands separated: 1,000,000.
#[must_use]
pub fn count(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (at, digit) in digits.chars().enumerate() {
        if at > 0 && (digits.len() - at).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
