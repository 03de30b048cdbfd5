//! The background driver: whole documents, in order, handed back a chunk at a time.

use std::time::{Duration, Instant};

use super::{Highlighter, Language, LineStyles};

/// The first chunk covers about a screenful, so the top of the pane is coloured within a
/// millisecond or two of starting, well inside a frame.
pub const FIRST_CHUNK_LINES: usize = 100;
/// Later chunks are larger to keep the per-message overhead (a channel send, a redraw) small…
pub const CHUNK_LINES: usize = 500;
/// …but never hold back more than this much work, so slow lines (long HTML) still show
/// progress at a steady rate.
pub const CHUNK_TIME: Duration = Duration::from_millis(8);

/// Highlights `lines` in order, calling `emit(first_line_index, styles)` with consecutive
/// chunks that together cover every line exactly once. Returns early, without emitting the
/// unfinished chunk, as soon as `cancelled()` is true (checked before every line); otherwise
/// the last `emit` has happened when this returns.
///
/// Synchronous on purpose: the caller decides the thread (`spawn_blocking`) and the channel.
pub fn highlight_in_chunks(
    hl: &Highlighter,
    language: Language,
    lines: &[String],
    cancelled: impl Fn() -> bool,
    mut emit: impl FnMut(usize, Vec<LineStyles>),
) {
    let mut state = hl.start(language);
    let mut first = 0;
    let mut limit = FIRST_CHUNK_LINES;
    let mut chunk = Vec::with_capacity(limit);
    let mut started = Instant::now();
    for (index, line) in lines.iter().enumerate() {
        if cancelled() {
            return;
        }
        chunk.push(state.highlight_line(hl, line));
        if chunk.len() >= limit || started.elapsed() >= CHUNK_TIME {
            limit = CHUNK_LINES;
            emit(first, std::mem::replace(&mut chunk, Vec::with_capacity(limit)));
            first = index + 1;
            started = Instant::now();
        }
    }
    if !chunk.is_empty() && !cancelled() {
        emit(first, chunk);
    }
}

#[cfg(test)]
mod tests {
    use std::cell::{Cell, RefCell};

    use super::*;
    use crate::highlight::{ColorSupport, ThemeChoice, tests::pretty_document};

    #[test]
    fn chunks_cover_every_line_once_in_order_with_a_small_first_chunk() {
        let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
        let lines = pretty_document(400);
        assert!(lines.len() > 3 * CHUNK_LINES, "{} lines", lines.len());

        let chunks = RefCell::new(Vec::new());
        highlight_in_chunks(
            &hl,
            Language::Json,
            &lines,
            || false,
            |first, styles| {
                chunks.borrow_mut().push((first, styles));
            },
        );

        let chunks = chunks.into_inner();
        assert!(chunks.len() > 2);
        assert!(chunks[0].1.len() <= FIRST_CHUNK_LINES, "first chunk has {} lines", chunks[0].1.len());
        let mut next = 0;
        for (first, styles) in &chunks {
            assert_eq!(*first, next, "chunks must be contiguous");
            assert!(!styles.is_empty(), "no empty chunks");
            next += styles.len();
        }
        assert_eq!(next, lines.len());

        // Chunking must not disturb the parser: same styles as one pass, line by line.
        let mut state = hl.start(Language::Json);
        let expected: Vec<_> = lines.iter().map(|line| state.highlight_line(&hl, line)).collect();
        let got: Vec<_> = chunks.into_iter().flat_map(|(_, styles)| styles).collect();
        assert!(got == expected, "chunked styles differ from a single pass");
        assert!(got.iter().filter(|styles| !styles.is_empty()).count() > lines.len() / 2);
    }

    #[test]
    fn cancellation_stops_after_the_current_line() {
        let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::Ansi256);
        let lines = pretty_document(400);
        let cancelled = Cell::new(false);
        let emitted = Cell::new(0);
        let checks = Cell::new(0);
        highlight_in_chunks(
            &hl,
            Language::Json,
            &lines,
            || {
                checks.set(checks.get() + 1);
                cancelled.get()
            },
            |_, styles| {
                emitted.set(emitted.get() + styles.len());
                cancelled.set(true);
            },
        );
        assert!(emitted.get() <= FIRST_CHUNK_LINES, "{} lines emitted after cancelling", emitted.get());
        assert_eq!(checks.get(), emitted.get() + 1, "work went on after cancellation");
    }

    #[test]
    fn cancelled_before_start_emits_nothing() {
        let hl = Highlighter::new(ThemeChoice::Light, ColorSupport::TrueColor);
        let lines = pretty_document(10);
        let mut emitted = 0;
        highlight_in_chunks(&hl, Language::Json, &lines, || true, |_, _| emitted += 1);
        assert_eq!(emitted, 0);
    }

    #[test]
    fn no_color_still_covers_every_line_with_empty_styles() {
        let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::None);
        let lines = pretty_document(50);
        let mut covered = 0;
        highlight_in_chunks(
            &hl,
            Language::Json,
            &lines,
            || false,
            |first, styles| {
                assert_eq!(first, covered);
                assert!(styles.iter().all(LineStyles::is_empty));
                covered += styles.len();
            },
        );
        assert_eq!(covered, lines.len());
    }
}
