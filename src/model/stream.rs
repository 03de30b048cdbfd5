//! Decoding a body while it arrives: each array element is decoded as soon as its last byte is
//! in, and handed to a [`LogSink`], which keeps it (the explorer, a whole [`super::LogSet`]) or
//! prints it and lets it go (`--print ndjson`). Only the element still arriving is buffered.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::value::RawValue;

use super::CallInfo;
use super::entry::{Decoded, decode_element, decode_object_at, kind_of};
use super::name::Names;
use super::split::{Splitter, Start};

/// Why a body could not be read as a list of logs at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("the body is empty")]
    Empty,
    #[error("expected JSON, got {0}")]
    NotJson(String),
    #[error("expected a JSON array of logs, got {0}")]
    NotAnArray(&'static str),
}

/// Where decoded elements go, in the order they arrive.
pub trait LogSink {
    fn decoded(&mut self, decoded: Decoded);

    /// `received` bytes of the body are in, of `expected` when the server said how many.
    fn progress(&mut self, _received: usize, _expected: Option<usize>) {}

    /// What to tell when the call's details come, which may be while the logs still arrive
    /// (the sink itself is busy with them then); `None` when the sink does not want to know
    /// before the load ends.
    fn call_hook(&self) -> Option<CallHook> {
        None
    }

    /// Whom to tell when a request waits before trying again (a 429): the wait may be long,
    /// and the sink hears nothing else meanwhile.
    fn retry_hook(&self) -> Option<crate::api::RetryHook> {
        None
    }

    /// Whether the sink may already have some elements (a poll, which has the last poll's
    /// logs): then each element is cut out before it is decoded, and offered to
    /// [`LogSink::already_have`] first.
    fn reuses(&self) -> bool {
        false
    }

    /// Offered each element's text when [`LogSink::reuses`]: `true` when the sink has it
    /// already, and the element is not decoded.
    fn already_have(&mut self, _text: &str, _index: usize) -> bool {
        false
    }
}

/// Told the call's details as soon as they are in.
pub type CallHook = Box<dyn FnOnce(&CallInfo) + Send>;

/// Characters of the body an error quotes.
const HEAD_CHARS: usize = 60;

/// A body being received.
#[derive(Debug, Default)]
pub struct LogStream {
    /// The text not yet decoded: the element still arriving, or, while the body is not known to
    /// be an array with a complete first element, all of it (to explain it whole if need be).
    /// Checked as UTF-8 once as it arrives, so that `serde_json` reads it as text without checking
    /// every value again; bytes that are not UTF-8 are replaced as they come.
    buffer: String,
    /// The end of a chunk that stopped part-way through a character.
    partial_char: Vec<u8>,
    /// Bytes of the body received, and dropped from the front of `buffer`.
    received: usize,
    dropped: usize,
    splitter: Splitter,
    /// URLs and types apart: a call has one URL or a few, which are then found first.
    names: [Names; 2],
    /// Where the first byte that is not UTF-8 was.
    invalid_utf8_at: Option<usize>,
}

impl LogStream {
    /// Takes the next bytes of the body, and hands every element they complete to `sink`.
    pub fn push(&mut self, bytes: &[u8], sink: &mut impl LogSink) {
        self.append_text(bytes);
        let reuses = sink.reuses();
        loop {
            // Most elements are whole, valid objects, read in one pass; the splitter scans only
            // an element that is not (still arriving, broken, not an object) to find its end.
            if !reuses
                && let Some(start) = self.splitter.next_element_start(self.buffer.as_bytes())
                && self.splitter.unscanned()
                && let Some((length, decoded)) =
                    decode_object_at(&self.buffer[start..], self.splitter.elements, &mut self.names)
            {
                self.splitter.element_ends_at(start + length);
                sink.decoded(decoded);
                continue;
            }
            let Some(range) = self.splitter.next(self.buffer.as_bytes()) else { break };
            // Elements start and end at ASCII bytes, so at character boundaries.
            let text = self.buffer.get(range).unwrap_or_default();
            let index = self.splitter.elements - 1;
            if reuses && sink.already_have(text, index) {
                continue;
            }
            let text = Arc::from(text);
            sink.decoded(decode_element(text, index, &mut self.names));
        }
        // Until one element is complete the body may yet have to be quoted whole, in an error.
        if self.splitter.elements > 0 && self.buffer.is_char_boundary(self.splitter.keep_from()) {
            let keep = self.splitter.keep_from();
            self.buffer.drain(..keep);
            self.splitter.shift(keep);
            self.dropped += keep;
        }
    }

    /// The whole body, while no element of it has been decoded: for an error to quote.
    #[must_use]
    pub fn unread_body(&self) -> Option<Cow<'_, str>> {
        (self.splitter.elements == 0).then_some(Cow::Borrowed(self.buffer.as_str()))
    }

    /// Appends a chunk to the text, a character cut at its end kept for the next chunk.
    fn append_text(&mut self, bytes: &[u8]) {
        let mut joined = std::mem::take(&mut self.partial_char);
        let start = self.received - joined.len();
        self.received += bytes.len();
        let mut rest = if joined.is_empty() {
            bytes
        } else {
            joined.extend_from_slice(bytes);
            &joined
        };
        let whole = rest.len();
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.buffer.push_str(text),
                Err(err) => {
                    let (valid, after) = rest.split_at(err.valid_up_to());
                    self.buffer.push_str(&String::from_utf8_lossy(valid));
                    let Some(invalid) = err.error_len() else {
                        self.partial_char = after.to_vec();
                        return;
                    };
                    self.invalid_utf8_at.get_or_insert(start + whole - after.len());
                    self.buffer.push(char::REPLACEMENT_CHARACTER);
                    rest = &after[invalid..];
                }
            }
        }
    }

    /// Whether the body began an array and, so far, has not closed it: at its end, a cut.
    #[must_use]
    pub fn ended_early(&self) -> bool {
        matches!(self.splitter.start(), Start::Array) && !self.splitter.closed()
    }

    /// Where the first byte that is not UTF-8 was, if any was (it reads as U+FFFD).
    /// Whether more input cannot add a log: the body is not an array, its array has closed, or
    /// it is not UTF-8 (which refuses it whole). A reader of an endless source stops here.
    #[must_use]
    pub fn settled(&self) -> bool {
        self.splitter.start() == Start::NotAnArray || self.splitter.closed() || self.invalid_utf8_at.is_some()
    }

    #[must_use]
    pub fn invalid_utf8_at(&self) -> Option<usize> {
        self.invalid_utf8_at
    }

    /// Ends the body. Returns what was wrong with it as a whole that cost no complete log: cut
    /// off mid-array, elements without a comma between them, text after the array.
    ///
    /// # Errors
    /// When the body is empty, is not a JSON array, or ends before its first element does.
    pub fn finish(mut self) -> Result<Vec<String>, DecodeError> {
        if !self.partial_char.is_empty() {
            // The body ends part-way through a character.
            self.invalid_utf8_at.get_or_insert(self.received - self.partial_char.len());
            self.buffer.push(char::REPLACEMENT_CHARACTER);
        }
        match self.splitter.start() {
            Start::Pending => return Err(DecodeError::Empty),
            Start::Array if self.splitter.elements > 0 || self.splitter.closed() => {}
            Start::Array | Start::NotAnArray => {
                return Err(classify_non_array(&self.buffer));
            }
        }
        let mut problems = Vec::new();
        if !self.splitter.closed() {
            problems.push(format!(
                "the body ends before its array does (after {} bytes): the {} complete log(s) before the \
                 cut are shown",
                self.dropped + self.buffer.len(),
                self.splitter.elements
            ));
        }
        if self.splitter.missing_commas > 0 {
            problems.push(format!(
                "{} log(s) lack the comma before them in the array; read anyway",
                self.splitter.missing_commas
            ));
        }
        if self.splitter.empty_places > 0 {
            problems
                .push(format!("the array has {} empty place(s) between commas; ignored", self.splitter.empty_places));
        }
        if self.splitter.trailing_data {
            problems.push("text follows the end of the array; ignored".to_owned());
        }
        Ok(problems)
    }
}

/// Names what a body that is not an array of logs is instead.
fn classify_non_array(text: &str) -> DecodeError {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return DecodeError::Empty;
    }
    match serde_json::from_str::<&RawValue>(trimmed) {
        Ok(value) => DecodeError::NotAnArray(kind_of(value.get())),
        Err(_) if trimmed.starts_with('<') => DecodeError::NotJson("an HTML or XML page".to_owned()),
        Err(err) => {
            let head: String = trimmed.chars().take(HEAD_CHARS).collect();
            DecodeError::NotJson(format!("text that is not JSON ({err}), starting {head:?}"))
        }
    }
}

#[cfg(test)]
mod tests;
