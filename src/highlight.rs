//! Syntax highlighting of payloads and response bodies, built so the UI never waits for it.
//!
//! syntect parses at a few MB/s and only in order from the top of a document. JSON, the only
//! kind of document that gets big (response bodies are cut at 10 KB by the server), goes
//! through hookscope's JSON tokenizer ([`crate::json_text::tokens`]) in the theme's colours
//! for syntect's JSON scopes, at hundreds of MB/s. Still, the detail pane shows sanitized text
//! unstyled at once, [`highlight_in_chunks`] runs off the UI thread and hands back styles a
//! chunk at a time, and [`styled_line`] turns the cached styles into spans for the visible
//! lines only. Styles are computed on lines that went through [`crate::sanitize`], so the byte
//! offsets in a [`LineStyles`] index exactly the text that is drawn.

mod chunks;
mod color;
mod json;
mod theme;

#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use syntect::highlighting::{HighlightState as StyleStack, Highlighter as ThemeHighlighter, RangedHighlightIterator};
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
        Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') if crate::json_text::is_json(text) => Language::Json,
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

/// Loaded once per session (parsing syntect's bundled syntax dump takes a millisecond or two,
/// and each syntax compiles its regexes on first use, which then stay compiled) and shared
/// through an `Arc` between the UI and the background highlighter.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    theme: ThemeHighlighter<'static>,
    choice: ThemeChoice,
    palette: color::Palette,
    json: json::JsonStyles,
    /// Distinguishes highlighters, because a syntect parse state fed to another `SyntaxSet`
    /// indexes contexts that are not there and may panic.
    id: u64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(0);

const HTML_SAMPLE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>502 &amp; more</title>
<style>body { font: 12px/1.5 sans-serif; color: #333; } .a:hover > p::before { content: "x"; margin: -1.5em !important; }</style>
<script type="text/javascript">var x = { a: [1, 'two', /re+/g, true, null] }; function f(y) { return `t${y}` + x.a.length; } // c
</script></head><body class="err" onload="f(1)"><!-- note --><p id='p'>Bad <b>gateway</b></p></body></html>"#;

const XML_SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE r><r xmlns:a="urn:x"><a:s v='1'>t &amp; u</a:s><![CDATA[ raw ]]><!-- c --></r>"#;

impl Highlighter {
    /// Loads syntect's syntaxes (for HTML and XML); with [`ColorSupport::None`] nothing is
    /// loaded, since no style will ever be produced.
    #[must_use]
    pub fn new(choice: ThemeChoice, color: ColorSupport) -> Self {
        let syntaxes = if color == ColorSupport::None { SyntaxSet::new() } else { SyntaxSet::load_defaults_newlines() };
        let theme = ThemeHighlighter::new(theme::load(choice));
        let palette = color::Palette::new(theme::load(choice), color);
        Self {
            syntaxes,
            json: json::JsonStyles::new(&theme, &palette),
            theme,
            choice,
            palette,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// Starts a document. Cheap: no parsing happens until lines are fed.
    #[must_use]
    pub fn start(&self, language: Language) -> HighlightState {
        let engine = match language {
            _ if self.palette.support() == ColorSupport::None => Engine::Off,
            Language::Json => Engine::Json { in_string: false },
            Language::Html | Language::Xml => self.start_syntect_engine(language),
            Language::Plain => Engine::Off,
        };
        HighlightState { language, engine }
    }

    /// JSON through syntect, to check the tokenizer against.
    #[cfg(test)]
    fn start_syntect(&self, language: Language) -> HighlightState {
        HighlightState { language, engine: self.start_syntect_engine(language) }
    }

    fn start_syntect_engine(&self, language: Language) -> Engine {
        self.syntax(language).map_or(Engine::Off, |syntax| {
            Engine::Syntect(Box::new(Syntect {
                owner: self.id,
                parse: ParseState::new(syntax),
                styles: StyleStack::new(&self.theme, ScopeStack::new()),
                buffer: String::new(),
            }))
        })
    }

    /// Compiles the HTML and XML regexes (HTML's embedded CSS and JavaScript included), which
    /// otherwise costs the first such body of a session ~150 ms on top of its own highlighting.
    /// Meant for a blocking task at start-up; safe while other threads highlight.
    pub fn warm_up(&self) {
        for (language, sample) in [(Language::Html, HTML_SAMPLE), (Language::Xml, XML_SAMPLE)] {
            let mut state = self.start(language);
            for line in sample.lines() {
                state.highlight_line(self, line);
            }
        }
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
    engine: Engine,
}

#[derive(Debug, Clone)]
enum Engine {
    /// Nothing will be styled (plain text, `NO_COLOR`): lines then cost nothing.
    Off,
    Json {
        in_string: bool,
    },
    Syntect(Box<Syntect>),
}

#[derive(Debug, Clone)]
struct Syntect {
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
    /// (`"key": "…",`) that opens nothing, so that is exact; in HTML or XML it loses at worst
    /// what the line opened, where a reset would forget everything open above it.
    pub fn highlight_line(&mut self, hl: &Highlighter, line: &str) -> LineStyles {
        if line.len() > MAX_HIGHLIGHT_BYTES {
            return LineStyles::default();
        }
        let active = match &mut self.engine {
            Engine::Json { in_string } => return LineStyles(json::highlight(line, in_string, &hl.json)),
            Engine::Syntect(active) if active.owner == hl.id => active,
            // Another highlighter's syntaxes: its context indices would not match.
            Engine::Off | Engine::Syntect(_) => return LineStyles::default(),
        };
        active.buffer.clear();
        active.buffer.push_str(line);
        active.buffer.push('\n');
        let Ok(ops) = active.parse.parse_line(&active.buffer, &hl.syntaxes) else {
            // The parser's stack is no longer trustworthy: start over rather than mis-style the rest.
            self.engine = hl.start_syntect_engine(self.language);
            return LineStyles::default();
        };
        let mut runs = Vec::new();
        let mut current = Style::new();
        // The iterator must run to the end, newline included, to apply every scope change.
        for (style, _, range) in RangedHighlightIterator::new(&mut active.styles, &ops, &active.buffer, &hl.theme) {
            if range.start >= line.len() {
                continue;
            }
            let style = hl.palette.style(style);
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
/// About 20 bytes a style change, a few per line, instead of a `Span` (with its text) per token.
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
