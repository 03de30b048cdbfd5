//! Syntax highlighting of payloads and response bodies, built so the UI never waits for it.
//!
//! syntect parses at a few MB/s and only in order from the top of a document, so a 1.5 MB
//! payload takes a good part of a second. The detail pane therefore shows sanitized text
//! unstyled at once, [`highlight_in_chunks`] runs off the UI thread and hands back styles a
//! chunk at a time, and [`styled_line`] turns the cached styles into spans for the visible
//! lines only. Styles are computed on lines that went through [`crate::sanitize`], so the byte
//! offsets in a [`LineStyles`] index exactly the text that is drawn.

mod chunks;
mod color;
mod theme;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use syntect::highlighting::{
    FontStyle, HighlightState as StyleStack, Highlighter as ThemeHighlighter, RangedHighlightIterator,
};
use syntect::parsing::{ParseState, ScopeStack, SyntaxReference, SyntaxSet};

pub use chunks::highlight_in_chunks;
pub use color::{ColorSupport, detect_color_support};

use crate::sanitize::MAX_LINE_BYTES;

/// Lines longer than this are shown unstyled, as bat does: regex matching on one huge line is
/// where syntect gets slowest, and a line this long is one the sanitizer cut, whose string
/// literal no longer ends, so highlighting it would be wrong anyway.
pub const MAX_HIGHLIGHT_BYTES: usize = MAX_LINE_BYTES;

/// The syntaxes a webhook body comes in. Anything else is shown as plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Json,
    Html,
    Xml,
    Plain,
}

/// Guesses a body's language from its first bytes, since bodies come with no content type.
///
/// Cheap on large text: only a scalar (`"ok"`, `42`, `true`) is parsed, and only the first
/// characters of `{…` and `[…` are looked at, so a body cut with `... [TRUNCATED]` (no longer
/// valid JSON) is still highlighted as JSON, while a log line such as `[ERROR] …` is not.
#[must_use]
pub fn detect_language(text: &str) -> Language {
    let text = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let bytes = text.as_bytes();
    match bytes.first() {
        Some(b'{' | b'[') if opens_json_container(bytes) => Language::Json,
        Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n')
            if serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() =>
        {
            Language::Json
        }
        Some(b'<') if looks_like_html(bytes) => Language::Html,
        Some(b'<') if bytes.get(1).is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'?' | b'!' | b'_')) => {
            Language::Xml
        }
        _ => Language::Plain,
    }
}

/// Whether the bracket at the start is followed by something JSON allows there.
fn opens_json_container(bytes: &[u8]) -> bool {
    let next = bytes[1..].iter().find(|b| !b.is_ascii_whitespace());
    matches!(
        (bytes[0], next),
        (_, None)
            | (b'{', Some(b'"' | b'}'))
            | (b'[', Some(b'{' | b'[' | b']' | b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n'))
    )
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let starts_with = |prefix: &[u8]| bytes.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
    starts_with(b"<!doctype html")
        || starts_with(b"<html")
        || memchr::memchr_iter(b'<', bytes)
            .any(|at| bytes.get(at + 1..at + 5).is_some_and(|tag| tag.eq_ignore_ascii_case(b"body")))
}

/// Dark suits the common dark terminal; light keeps contrast on a white one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    Dark,
    Light,
}

/// Loaded once per session (parsing syntect's bundled syntax dump takes milliseconds and each
/// syntax compiles its regexes on first use, which then stay compiled) and shared through an
/// `Arc` between the UI and the background highlighter.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: ThemeHighlighter<'static>,
    choice: ThemeChoice,
    palette: color::Palette,
    /// Distinguishes highlighters, because a syntect parse state fed to another `SyntaxSet`
    /// indexes contexts that are not there and may panic.
    id: u64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// Large enough to compile the regexes a pretty-printed payload uses, so the first log the user
/// opens does not pay for that.
const JSON_WARM_UP: &str = "{\n  \"a\": \"b\\n\",\n  \"c\": [\n    -1.5e3,\n    true,\n    null\n  ]\n}";

impl Highlighter {
    /// Loads syntect's syntaxes and compiles the JSON ones; with [`ColorSupport::None`] nothing
    /// is loaded, since no style will ever be produced.
    #[must_use]
    pub fn new(choice: ThemeChoice, color: ColorSupport) -> Self {
        let syntaxes = if color == ColorSupport::None { SyntaxSet::new() } else { SyntaxSet::load_defaults_newlines() };
        let theme = theme::load(choice);
        let highlighter = Self {
            syntaxes,
            theme: ThemeHighlighter::new(theme),
            choice,
            palette: color::Palette::new(theme, color),
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        };
        let mut state = highlighter.start(Language::Json);
        for line in JSON_WARM_UP.lines() {
            state.highlight_line(&highlighter, line);
        }
        highlighter
    }

    /// Starts a document. Cheap: no parsing happens until lines are fed.
    #[must_use]
    pub fn start(&self, language: Language) -> HighlightState {
        let active = self.syntax(language).map(|syntax| Active {
            owner: self.id,
            parse: ParseState::new(syntax),
            styles: StyleStack::new(&self.theme, ScopeStack::new()),
            buffer: String::new(),
        });
        HighlightState { language, active }
    }

    #[must_use]
    pub fn color_support(&self) -> ColorSupport {
        self.palette.support()
    }

    fn syntax(&self, language: Language) -> Option<&SyntaxReference> {
        if self.palette.support() == ColorSupport::None {
            return None;
        }
        let name = match language {
            Language::Json => "JSON",
            Language::Html => "HTML",
            Language::Xml => "XML",
            Language::Plain => return None,
        };
        self.syntaxes.find_syntax_by_name(name)
    }

    /// Only the foreground and font style are kept: the terminal's own background stays, so the
    /// pane matches the rest of the UI on any terminal theme. The theme's default foreground
    /// becomes "no colour", so plain punctuation uses the terminal's foreground too.
    fn style(&self, style: syntect::highlighting::Style) -> Style {
        let mut out = Style::new();
        if let Some(fg) = self.palette.foreground(style.foreground) {
            out = out.fg(fg);
        }
        for (font, modifier) in [
            (FontStyle::BOLD, Modifier::BOLD),
            (FontStyle::ITALIC, Modifier::ITALIC),
            (FontStyle::UNDERLINE, Modifier::UNDERLINED),
        ] {
            if style.font_style.contains(font) {
                out = out.add_modifier(modifier);
            }
        }
        out
    }
}

impl fmt::Debug for Highlighter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Highlighter")
            .field("theme", &self.choice)
            .field("color", &self.palette.support())
            .finish_non_exhaustive()
    }
}

/// Where highlighting of one document has got to. `Clone` so a caller can keep checkpoints and
/// resume from one instead of from the top.
#[derive(Debug, Clone)]
pub struct HighlightState {
    language: Language,
    /// `None` when nothing will be styled (plain text, `NO_COLOR`): lines then cost nothing.
    active: Option<Active>,
}

#[derive(Debug, Clone)]
struct Active {
    owner: u64,
    parse: ParseState,
    styles: StyleStack,
    /// The line plus `\n`, reused: syntect's `*.sublime-syntax` rules match on line ends.
    buffer: String,
}

impl HighlightState {
    /// Styles the next line of the document; lines must come in order from the top.
    ///
    /// A line over [`MAX_HIGHLIGHT_BYTES`] gets no styles and is not fed to the parser, so the
    /// state stays as it was before it. In pretty-printed JSON a long line is a whole member
    /// (`"key": "…",`) that opens nothing, so the next line parses right; resetting the parser
    /// instead would read every later key as a top-level string.
    pub fn highlight_line(&mut self, hl: &Highlighter, line: &str) -> LineStyles {
        let Some(active) = &mut self.active else { return LineStyles::default() };
        if active.owner != hl.id || line.len() > MAX_HIGHLIGHT_BYTES {
            return LineStyles::default();
        }
        active.buffer.clear();
        active.buffer.push_str(line);
        active.buffer.push('\n');
        let Ok(ops) = active.parse.parse_line(&active.buffer, &hl.syntaxes) else {
            // The parser's stack is no longer trustworthy: start over rather than mis-style the rest.
            *self = hl.start(self.language);
            return LineStyles::default();
        };
        let mut runs = Vec::new();
        let mut current = Style::new();
        // The iterator must run to the end, newline included, to apply every scope change.
        for (style, _, range) in RangedHighlightIterator::new(&mut active.styles, &ops, &active.buffer, &hl.theme) {
            if range.start >= line.len() {
                continue;
            }
            let style = hl.style(style);
            if style != current {
                runs.push((u32::try_from(range.start).unwrap_or(u32::MAX), style));
                current = style;
            }
        }
        LineStyles(runs)
    }
}

/// The styles of one displayed line: each entry is the byte offset where a style starts, in
/// order; text before the first entry is unstyled, and an empty list means the whole line is.
/// About 16 bytes a style change, a few per line, instead of a `Span` (with its text) per token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineStyles(Vec<(u32, Style)>);

impl LineStyles {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    #[must_use]
    pub fn runs(&self) -> &[(u32, Style)] {
        &self.0
    }

    /// The style of the byte at `offset` (for tests and cell assertions).
    #[must_use]
    pub fn style_at(&self, offset: usize) -> Style {
        self.0.iter().take_while(|&&(start, _)| start as usize <= offset).last().map_or_else(Style::new, |&(_, s)| s)
    }
}

/// Builds the spans for one visible line, each style patched onto `base` (the pane's own style).
///
/// Never panics: styles computed for another text (an offset past the end or inside a
/// character) are skipped, so a stale cache shows wrong colours at worst.
#[must_use]
pub fn styled_line<'a>(line: &'a str, styles: &LineStyles, base: Style) -> Line<'a> {
    let mut spans = Vec::with_capacity(styles.0.len() + 1);
    let mut start = 0;
    let mut style = base;
    for &(offset, next) in &styles.0 {
        let offset = offset as usize;
        if offset < start || offset > line.len() || !line.is_char_boundary(offset) {
            continue;
        }
        if offset > start {
            spans.push(Span::styled(&line[start..offset], style));
        }
        start = offset;
        style = base.patch(next);
    }
    if start < line.len() || spans.is_empty() {
        spans.push(Span::styled(&line[start..], style));
    }
    Line::from(spans)
}
