//! A structural diff of two JSON payloads: the paths whose value changed, was added or was
//! removed, with their values, in the first payload's order.
//!
//! Built on the project's tokenizer rather than `serde_json::Value`: a number compares by its
//! text as sent (`1.0` and `1` differ, and a 30-digit id keeps its digits; `Value` would go
//! through `f64`), and nesting is bounded here with a clear message instead of `serde_json`'s
//! error. Strings compare by what they say, so `"\u00e9"` equals `"é"`. Arrays compare by index.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::iter::Peekable;

use crate::columns::cut;
use crate::json_text::decode_string;
use crate::json_text::tokens::{Container, Kind, Token, Tokens};

/// Nesting deeper than this is not compared (`serde_json`'s own limit): a payload that deep is
/// not a webhook event, and walking it would only risk the stack.
pub const MAX_DEPTH: usize = 128;

/// A value is shown in at most this many columns, cut with `…`.
pub const VALUE_WIDTH: usize = 60;

/// How a path differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Changed,
    Added,
    Removed,
}

impl Mark {
    /// `~`, `+` or `-`: the mark that says it without colour.
    #[must_use]
    pub fn symbol(self) -> char {
        match self {
            Mark::Changed => '~',
            Mark::Added => '+',
            Mark::Removed => '-',
        }
    }
}

/// One path that differs, its values compact and cut to [`VALUE_WIDTH`]; not yet sanitized.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub mark: Mark,
    /// `message.call.id`, `messages[3].content`; empty for the whole payload.
    pub path: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl Change {
    /// `~ path: old → new`, `+ path: value`, `- path: value`.
    #[must_use]
    pub fn line(&self) -> String {
        let path = if self.path.is_empty() { "(the whole payload)" } else { &self.path };
        let mut line = format!("{} {path}: ", self.mark.symbol());
        match (&self.old, &self.new) {
            (Some(old), Some(new)) => _ = write!(line, "{old} → {new}"),
            (Some(value), None) | (None, Some(value)) => line.push_str(value),
            (None, None) => {}
        }
        line
    }
}

/// Why two payloads could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// One payload (`which` is 0 or 1) nests deeper than [`MAX_DEPTH`].
    TooDeep { which: usize },
    /// One payload is not JSON.
    NotJson { which: usize },
}

/// The paths that differ from `old` to `new`, both JSON texts.
///
/// # Errors
/// When either is not JSON or nests deeper than [`MAX_DEPTH`].
pub fn diff(old: &str, new: &str) -> Result<Vec<Change>, DiffError> {
    let old = parse(old).map_err(|error| error.of(0))?;
    let new = parse(new).map_err(|error| error.of(1))?;
    let mut changes = Vec::new();
    compare(&old, &new, &mut String::new(), &mut changes);
    Ok(changes)
}

/// A parsed value: leaves keep their text, containers their members and their whole text.
#[derive(Debug)]
enum Node<'a> {
    String(&'a str),
    /// A number or `true`/`false`/`null`, compared by its text.
    Scalar(&'a str),
    Object {
        members: Vec<(String, Node<'a>)>,
        text: &'a str,
    },
    Array {
        items: Vec<Node<'a>>,
        text: &'a str,
    },
}

enum ParseError {
    TooDeep,
    NotJson,
}

impl ParseError {
    fn of(self, which: usize) -> DiffError {
        match self {
            ParseError::TooDeep => DiffError::TooDeep { which },
            ParseError::NotJson => DiffError::NotJson { which },
        }
    }
}

fn parse(text: &str) -> Result<Node<'_>, ParseError> {
    let mut tokens = Tokens::new(text).filter(|token| token.kind != Kind::Whitespace).peekable();
    let node = value(text, &mut tokens, 0)?;
    if tokens.next().is_some() { Err(ParseError::NotJson) } else { Ok(node) }
}

fn value<'a, I: Iterator<Item = Token<'a>>>(
    text: &'a str,
    tokens: &mut Peekable<I>,
    depth: usize,
) -> Result<Node<'a>, ParseError> {
    let token = tokens.next().ok_or(ParseError::NotJson)?;
    match token.kind {
        Kind::String { closed: true, .. } => Ok(Node::String(token.text)),
        Kind::Number | Kind::Literal => Ok(Node::Scalar(token.text)),
        Kind::Open(_) if depth >= MAX_DEPTH => Err(ParseError::TooDeep),
        Kind::Open(Container::Object) => {
            let mut members = Vec::new();
            if !closes(tokens, Container::Object) {
                loop {
                    let key = tokens.next().ok_or(ParseError::NotJson)?;
                    let Kind::String { closed: true, .. } = key.kind else { return Err(ParseError::NotJson) };
                    expect(tokens, Kind::Colon)?;
                    let name = decode_string(key.text).ok_or(ParseError::NotJson)?;
                    members.push((name, value(text, tokens, depth + 1)?));
                    if !more(tokens, Container::Object)? {
                        break;
                    }
                }
            }
            Ok(Node::Object { members, text: until_here(text, token.start, tokens) })
        }
        Kind::Open(Container::Array) => {
            let mut items = Vec::new();
            if !closes(tokens, Container::Array) {
                loop {
                    items.push(value(text, tokens, depth + 1)?);
                    if !more(tokens, Container::Array)? {
                        break;
                    }
                }
            }
            Ok(Node::Array { items, text: until_here(text, token.start, tokens) })
        }
        _ => Err(ParseError::NotJson),
    }
}

/// Consumes the closing bracket if it is next (an empty container).
fn closes<'a, I: Iterator<Item = Token<'a>>>(tokens: &mut Peekable<I>, container: Container) -> bool {
    tokens.next_if(|token| token.kind == Kind::Close(container)).is_some()
}

/// After a member or item: `true` on a comma, `false` on the closing bracket.
fn more<'a, I: Iterator<Item = Token<'a>>>(tokens: &mut Peekable<I>, container: Container) -> Result<bool, ParseError> {
    match tokens.next().map(|token| token.kind) {
        Some(Kind::Comma) => Ok(true),
        Some(Kind::Close(closing)) if closing == container => Ok(false),
        _ => Err(ParseError::NotJson),
    }
}

fn expect<'a, I: Iterator<Item = Token<'a>>>(tokens: &mut Peekable<I>, kind: Kind) -> Result<(), ParseError> {
    if tokens.next().is_some_and(|token| token.kind == kind) { Ok(()) } else { Err(ParseError::NotJson) }
}

/// The text of a container from its opening bracket to the closing one just consumed: the end
/// is where the next token starts, or the end of the text.
fn until_here<'a, I: Iterator<Item = Token<'a>>>(text: &'a str, start: usize, tokens: &mut Peekable<I>) -> &'a str {
    let end = tokens.peek().map_or(text.len(), |token| token.start);
    text[start..end].trim_end()
}

fn compare(old: &Node<'_>, new: &Node<'_>, path: &mut String, changes: &mut Vec<Change>) {
    match (old, new) {
        (Node::Object { members: old, .. }, Node::Object { members: new, .. }) => {
            // The first member of a name, should a payload repeat one.
            let mut in_new: HashMap<&str, usize> = HashMap::with_capacity(new.len());
            for (at, (name, _)) in new.iter().enumerate().rev() {
                in_new.insert(name, at);
            }
            let mut matched = vec![false; new.len()];
            for (name, value) in old {
                let len = path.len();
                push_key(path, name);
                match in_new.get(name.as_str()) {
                    Some(&at) if !matched[at] => {
                        matched[at] = true;
                        compare(value, &new[at].1, path, changes);
                    }
                    _ => changes.push(Change {
                        mark: Mark::Removed,
                        path: path.clone(),
                        old: Some(shown(value)),
                        new: None,
                    }),
                }
                path.truncate(len);
            }
            for ((name, value), _) in new.iter().zip(matched).filter(|(_, matched)| !matched) {
                let len = path.len();
                push_key(path, name);
                changes.push(Change { mark: Mark::Added, path: path.clone(), old: None, new: Some(shown(value)) });
                path.truncate(len);
            }
        }
        (Node::Array { items: old, .. }, Node::Array { items: new, .. }) => {
            for at in 0..old.len().max(new.len()) {
                let len = path.len();
                let _ = write!(path, "[{at}]");
                match (old.get(at), new.get(at)) {
                    (Some(old), Some(new)) => compare(old, new, path, changes),
                    (Some(old), None) => {
                        changes.push(Change {
                            mark: Mark::Removed,
                            path: path.clone(),
                            old: Some(shown(old)),
                            new: None,
                        });
                    }
                    (None, Some(new)) => {
                        changes.push(Change {
                            mark: Mark::Added,
                            path: path.clone(),
                            old: None,
                            new: Some(shown(new)),
                        });
                    }
                    (None, None) => {}
                }
                path.truncate(len);
            }
        }
        _ if same_leaf(old, new) => {}
        _ => changes.push(Change {
            mark: Mark::Changed,
            path: path.clone(),
            old: Some(shown(old)),
            new: Some(shown(new)),
        }),
    }
}

/// Two leaves that say the same: strings by their decoded text, the rest by their text.
fn same_leaf(old: &Node<'_>, new: &Node<'_>) -> bool {
    match (old, new) {
        (Node::String(old), Node::String(new)) => old == new || decode_string(old) == decode_string(new),
        (Node::Scalar(old), Node::Scalar(new)) => old == new,
        _ => false,
    }
}

/// `.name` for a plain name, `["odd name"]` for one with other characters; no dot at the start.
fn push_key(path: &mut String, name: &str) {
    let plain = !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(name);
    } else {
        path.push('[');
        path.push_str(&serde_json::to_string(name).unwrap_or_default());
        path.push(']');
    }
}

/// A value on one line: a string decoded and quoted again (its characters, not its escapes), a
/// container without the whitespace between tokens; cut to [`VALUE_WIDTH`] columns.
fn shown(node: &Node<'_>) -> String {
    let text = match node {
        Node::String(literal) => decode_string(literal)
            .and_then(|text| serde_json::to_string(&text).ok())
            .unwrap_or_else(|| (*literal).to_owned()),
        Node::Scalar(text) => (*text).to_owned(),
        Node::Object { text, .. } | Node::Array { text, .. } => compact(text),
    };
    cut(&text, VALUE_WIDTH)
}

/// Container text without whitespace between tokens, built no longer than is shown.
fn compact(text: &str) -> String {
    let mut out = String::new();
    for token in Tokens::new(text).filter(|token| token.kind != Kind::Whitespace) {
        out.push_str(token.text);
        if out.len() > VALUE_WIDTH * 4 {
            break;
        }
    }
    out
}

#[cfg(test)]
#[path = "json_diff_tests.rs"]
mod tests;
