//! The detail of the selected log: which tab shows, the tab's document (built once when the
//! log or tab changes, never while drawing), its highlighting as it arrives, and the scroll.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::action::Effect;
use crate::filter::TextSearch;
use crate::highlight::{Language, LineStyles, detect_language};
use crate::json_text;
use crate::model::LogSet;
use crate::model::chains::{Chain, Chains};
use crate::model::lifecycle::Warning;
use crate::model::time::TimeDisplay;
use crate::outcome::{Ending, delivery_verdict};
use crate::sanitize;
use crate::units::{millis, size};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Payload,
    Response,
    Info,
    Raw,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Payload, Tab::Response, Tab::Info, Tab::Raw];

    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Tab::Payload => "Payload",
            Tab::Response => "Response",
            Tab::Info => "Info",
            Tab::Raw => "As sent",
        }
    }

    #[must_use]
    pub fn next(self) -> Self {
        let i = Self::ALL.iter().position(|&t| t == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    #[must_use]
    pub fn previous(self) -> Self {
        let i = Self::ALL.iter().position(|&t| t == self).unwrap_or(0);
        Self::ALL[(i + Self::ALL.len() - 1) % Self::ALL.len()]
    }
}

/// A tab's text, sanitized once, with its highlighting filled in as background chunks arrive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Tells highlight chunks for this document from those of one the user has moved away from.
    pub id: u64,
    pub lines: Arc<Vec<String>>,
    /// One entry a line once highlighted; shorter while highlighting runs.
    pub styles: Vec<LineStyles>,
    pub language: Language,
    /// Said above the document: what it is, and whether the server cut it.
    pub note: String,
}

impl Doc {
    fn new(id: u64, text: &str, language: Language, note: String) -> Self {
        Self { id, lines: Arc::new(sanitize::lines(text)), styles: Vec::new(), language, note }
    }

    #[must_use]
    pub fn highlight_effect(&self) -> Option<Effect> {
        (self.language != Language::Plain && !self.lines.is_empty()).then(|| Effect::Highlight {
            doc: self.id,
            lines: Arc::clone(&self.lines),
            language: self.language,
        })
    }

    pub fn add_styles(&mut self, first_line: usize, styles: Vec<LineStyles>) {
        if first_line == self.styles.len() {
            self.styles.extend(styles);
        } else if first_line < self.styles.len() {
            for (offset, style) in styles.into_iter().enumerate() {
                match self.styles.get_mut(first_line + offset) {
                    Some(slot) => *slot = style,
                    None => self.styles.push(style),
                }
            }
        }
    }

    #[must_use]
    pub fn is_highlighting(&self) -> bool {
        self.language != Language::Plain && self.styles.len() < self.lines.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    /// Index of the log in the set.
    pub log: usize,
    pub tab: Tab,
    pub doc: Doc,
    /// First document line shown.
    pub scroll: usize,
    /// Columns scrolled off to the left, for lines wider than the pane.
    pub hscroll: usize,
    /// The widest line's width in columns, measured the first time it is needed.
    widest: Option<usize>,
    /// Lines of the document with a match of the text search.
    pub match_lines: Vec<usize>,
    pub current_match: Option<usize>,
}

/// What the info tab tells of a log beyond its own fields: why the call's details are missing,
/// the retry chain it belongs to, the lifecycle warnings that name it.
#[derive(Clone, Copy)]
pub struct About<'a> {
    pub call_error: Option<&'a str>,
    pub chains: &'a Chains,
    pub warnings: &'a [Warning],
}

impl Detail {
    #[must_use]
    /// The detail of log `index`; `about` is what the info tab tells beyond the log itself.
    pub fn build(
        set: &LogSet,
        index: usize,
        tab: Tab,
        id: u64,
        search: Option<&TextSearch>,
        about: &About<'_>,
    ) -> Self {
        let doc = build_doc(set, index, tab, id, about);
        let mut detail = Self {
            log: index,
            tab,
            doc,
            scroll: 0,
            hscroll: 0,
            widest: None,
            match_lines: Vec::new(),
            current_match: None,
        };
        detail.find_matches(search);
        detail
    }

    /// Marks the lines `search` matches (none without one), and scrolls to the first of them.
    pub fn find_matches(&mut self, search: Option<&TextSearch>) {
        self.match_lines = search.map_or_else(Vec::new, |search| {
            self.doc
                .lines
                .iter()
                .enumerate()
                .filter(|(_, line)| search.find_in(line).next().is_some())
                .map(|(i, _)| i)
                .collect()
        });
        self.current_match = None;
        if let Some(&first) = self.match_lines.first() {
            self.scroll = first.saturating_sub(2);
        }
    }

    /// Scrolls by `delta` lines, no further than the last lines fill a pane `page` rows high:
    /// a line a row, or, with lines wrapped at `wrap` columns, as many rows as each takes.
    pub fn scroll_by(&mut self, delta: isize, page: usize, wrap: Option<usize>) {
        let lines = self.doc.lines.len();
        let max = match wrap {
            None => lines.saturating_sub(page.max(1)),
            Some(width) => {
                // Back from the end while the lines still fit.
                let mut first = lines;
                let mut rows = 0;
                while first > 0 {
                    rows += crate::columns::rows_when_wrapped(&self.doc.lines[first - 1], width);
                    if rows > page.max(1) {
                        break;
                    }
                    first -= 1;
                }
                first.min(lines.saturating_sub(1))
            }
        };
        self.scroll = self.scroll.saturating_add_signed(delta).min(max);
    }

    /// Scrolls sideways by `delta` columns, no further than shows the end of the widest line in
    /// a pane `width` columns wide.
    pub fn scroll_sideways(&mut self, delta: isize, width: usize) {
        let widest = *self.widest.get_or_insert_with(|| {
            self.doc.lines.iter().map(|line| unicode_width::UnicodeWidthStr::width(line.as_str())).max().unwrap_or(0)
        });
        self.hscroll = self.hscroll.saturating_add_signed(delta).min(widest.saturating_sub(width.max(1)));
    }

    /// The widest of the `page` lines shown from the scroll, in columns.
    #[must_use]
    pub fn widest_shown(&self, page: usize) -> usize {
        let shown = self.doc.lines.iter().skip(self.scroll).take(page);
        shown.map(|line| unicode_width::UnicodeWidthStr::width(line.as_str())).max().unwrap_or(0)
    }

    /// Sideways to where the widest line shown ends at the pane's right edge (`$`).
    pub fn scroll_to_line_end(&mut self, page: usize, width: usize) {
        self.hscroll = self.widest_shown(page).saturating_sub(width);
    }

    /// Columns of the lines shown still hidden to the right of a pane `width` wide.
    #[must_use]
    pub fn hidden_right(&self, page: usize, width: usize) -> usize {
        self.widest_shown(page).saturating_sub(self.hscroll + width)
    }

    /// Moves to the next (or previous) match of this document; `None` past its last (or before
    /// its first), where `n` goes on in another tab or log. Returns (1-based position, count).
    pub fn step_match(&mut self, forward: bool) -> Option<(usize, usize)> {
        let count = self.match_lines.len();
        let next = match (self.current_match, forward) {
            (None, true) => self.match_lines.iter().position(|&line| line >= self.scroll)?,
            (None, false) => self.match_lines.iter().rposition(|&line| line < self.scroll)?,
            (Some(i), true) => Some(i + 1).filter(|&next| next < count)?,
            (Some(i), false) => i.checked_sub(1)?,
        };
        Some(self.show_match(next))
    }

    /// Scrolls to match `index` (the last one if there are fewer) and makes it the current one.
    /// Returns (1-based position, count), `(0, 0)` without matches.
    pub fn show_match(&mut self, index: usize) -> (usize, usize) {
        let count = self.match_lines.len();
        if count == 0 {
            return (0, 0);
        }
        let index = index.min(count - 1);
        self.current_match = Some(index);
        self.scroll = self.match_lines[index].saturating_sub(2);
        (index + 1, count)
    }
}

fn build_doc(set: &LogSet, index: usize, tab: Tab, id: u64, about: &About<'_>) -> Doc {
    let log = &set.logs[index];
    match tab {
        Tab::Payload => match log.payload() {
            Some(raw) => Doc::new(id, &json_text::pretty_readable(raw), Language::Json, size(raw.len())),
            None => Doc::new(id, "(no request payload: the server stored null)", Language::Plain, String::new()),
        },
        Tab::Response => match log.response_body_text() {
            None => Doc::new(id, "(no response body)", Language::Plain, String::new()),
            Some(body) if body.is_empty() => Doc::new(id, "(empty body)", Language::Plain, String::new()),
            Some(body) => {
                let language = detect_language(&body);
                let cut = if log.response_truncated { " · cut by server at 10240 chars" } else { "" };
                let note = format!("{} · {}{cut}", language_name(language), size(body.len()));
                let text = if language == Language::Json { json_text::pretty_readable(&body) } else { body };
                Doc::new(id, &text, language, note)
            }
        },
        Tab::Info => Doc::new(id, &info_text(set, index, about), Language::Plain, String::new()),
        // As sent: escapes stay escapes.
        Tab::Raw => {
            let raw = log.raw();
            Doc::new(id, &json_text::pretty(raw), Language::Json, size(raw.len()))
        }
    }
}

fn info_text(set: &LogSet, index: usize, about: &About<'_>) -> String {
    let About { call_error, chains, warnings } = *about;
    let log = &set.logs[index];
    let mut out = String::new();
    // The lifecycle check's warnings that name this log, first: what to look at.
    for (at, warning) in warnings.iter().enumerate().filter(|(_, warning)| warning.logs.contains(&index)) {
        if out.is_empty() {
            out.push_str("lifecycle warnings (! jumps to each):\n");
        }
        let _ = writeln!(out, "  ⚠ {} of {}: {}", at + 1, warnings.len(), warning.text);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    // A delivery of one attempt has nothing to add, unless it repeats an earlier one.
    if let Some(chain) = chains.chain_of(index).filter(|chain| chain.tries() > 1 || chain.repeats.is_some()) {
        push_delivery(&mut out, set, chains, chain, index);
    }
    out.push_str("webhook_metadata:\n");
    match log.metadata() {
        Some(raw) => out.push_str(&json_text::pretty_readable(raw)),
        None => out.push_str("  (none)"),
    }
    out.push_str("\n\n");
    if log.extra_fields().is_empty() {
        out.push_str("extra fields: none\n");
    } else {
        out.push_str("extra fields (not in the documented API):\n");
        for (name, span) in log.extra_fields() {
            let _ = writeln!(out, "{name}: {}", json_text::pretty_readable(log.slice(span)));
        }
    }
    out.push('\n');
    if log.problems().is_empty() {
        out.push_str("problems: none");
    } else {
        out.push_str("problems reading this entry:\n");
        for problem in log.problems() {
            let _ = writeln!(out, "  ⚠ {problem}");
        }
    }
    // What concerns the whole call rather than this log.
    if !set.body_problems.is_empty() || call_error.is_some() {
        out.truncate(out.trim_end().len());
    }
    if !set.body_problems.is_empty() {
        out.push_str("\n\nthe response as a whole:");
        for problem in &set.body_problems {
            let _ = write!(out, "\n  ⚠ {problem}");
        }
    }
    if let Some(why) = call_error {
        out.push_str("\n\ncall details unavailable (the header shows none):");
        for line in wrap_words(why, REASON_WIDTH) {
            let _ = write!(out, "\n  {line}");
        }
    }
    out
}

/// The delivery this attempt belongs to: which attempt it was, the rule that grouped them,
/// every attempt (time, status, duration, error) and the final outcome.
fn push_delivery(out: &mut String, set: &LogSet, chains: &Chains, chain: &Chain, index: usize) {
    let number = chain.attempts.iter().position(|&at| at == index).unwrap_or(0) + 1;
    let _ = write!(out, "attempt {number} of {}", chain.tries());
    if let Some(rule) = chain.grouped_by.describe() {
        let _ = write!(out, " · {rule}");
    }
    out.push('\n');
    if chain.tries() > 1 {
        for (n, &at) in chain.attempts.iter().enumerate() {
            let attempt = &set.logs[at];
            let here = if at == index { "▸" } else { " " };
            let when = attempt.attempted_at.map_or_else(|| "time unknown".to_owned(), |ts| TimeDisplay::Utc.full(ts));
            let took = attempt.response_time_ms.map(millis).unwrap_or_default();
            let _ = write!(out, "{here} {}. {when}  {:<24} {took:>8}", n + 1, Ending::of(attempt).phrase());
            if let Some(error) = attempt.error_message.as_deref().filter(|e| !e.is_empty()) {
                let _ = write!(out, "  {}", error.lines().next().unwrap_or_default());
            }
            out.push('\n');
        }
    }
    let _ = writeln!(out, "{}", delivery_verdict(set, chain));
    if let Some(earlier) = chain.repeats.and_then(|c| chains.get(c)).map(|earlier| set.logs[earlier.last()].id) {
        let _ = writeln!(out, "the same event was already delivered (log {earlier}): this delivery repeats it");
    }
    out.push('\n');
}

/// Columns a reason is wrapped to in the info tab: it reads whole in an 80-column terminal.
const REASON_WIDTH: usize = 70;

/// `text` in lines of at most `width` characters, broken between words (a longer word is a
/// line of its own).
fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.extend((!line.is_empty()).then_some(line));
    lines
}

fn language_name(language: Language) -> &'static str {
    match language {
        Language::Json => "JSON",
        Language::Html => "HTML",
        Language::Xml => "XML",
        Language::Plain => "text",
    }
}
