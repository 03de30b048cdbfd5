//! Where each element of a top-level JSON array ends, in bytes that arrive a chunk at a time.
//!
//! It tracks only what decides that: inside a string or not, escapes, and bracket depth. It
//! does not validate: each element it cuts out is then read by `serde_json`, which does. A
//! broken element (a raw control character in a string, a `NaN`) therefore costs that element
//! alone, and a body cut off mid-array still yields every element completed before the cut.

use std::ops::Range;

/// What the splitter found at the start of the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Nothing but whitespace (and a byte order mark) yet.
    Pending,
    /// An array: its elements follow.
    Array,
    /// Something else: the body is not an array of logs, and is left to be explained whole.
    NotAnArray,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Place {
    /// Before the opening `[`.
    #[default]
    BeforeArray,
    /// Between elements: after `[` or `,`, or after an element.
    Between,
    /// Inside the string, container or scalar element that started at `start`.
    InElement,
    /// After the closing `]`.
    AfterArray,
    NotAnArray,
}

/// Finds element boundaries in a growing buffer. Positions are offsets into the caller's
/// buffer: [`Splitter::next`] is called with the whole buffer each time, and [`Splitter::shift`]
/// tells it when the caller drops bytes from the front.
#[derive(Debug, Default)]
#[expect(clippy::struct_excessive_bools, reason = "independent facts about the scan, not one state")]
pub struct Splitter {
    place: Place,
    /// Where scanning resumes.
    at: usize,
    /// Where the current element started.
    start: usize,
    depth: usize,
    in_string: bool,
    /// Inside a string, the byte before `at` was an unconsumed backslash.
    escaped: bool,
    /// An element that is neither a string nor a container (a number, `null`, or junk).
    scalar: bool,
    /// Elements cut out so far.
    pub elements: usize,
    /// Elements that followed the one before with no comma between them.
    pub missing_commas: usize,
    /// Commas with no element before them: `[,1]`, `[1,,2]`, `[1,]`.
    pub empty_places: usize,
    /// Something other than whitespace came after the closing `]`.
    pub trailing_data: bool,
    seen_element_since_comma: bool,
    /// Bytes before the `[`, and how many of them were a byte order mark.
    leading_bytes: usize,
    bom_bytes: usize,
}

impl Splitter {
    #[must_use]
    pub fn start(&self) -> Start {
        match self.place {
            Place::BeforeArray => Start::Pending,
            Place::NotAnArray => Start::NotAnArray,
            _ => Start::Array,
        }
    }

    /// The array's closing `]` has been seen.
    #[must_use]
    pub fn closed(&self) -> bool {
        self.place == Place::AfterArray
    }

    /// Where the element being read started, if one is; bytes before it are no longer needed.
    #[must_use]
    pub fn keep_from(&self) -> usize {
        if self.place == Place::InElement { self.start } else { self.at }
    }

    /// The caller dropped the first `n` bytes of its buffer.
    pub fn shift(&mut self, n: usize) {
        self.at -= n;
        self.start = self.start.saturating_sub(n);
    }

    /// The next complete element in `bytes`, as a range of it, or `None` when more bytes are
    /// needed (or the array is over).
    pub fn next(&mut self, bytes: &[u8]) -> Option<Range<usize>> {
        self.next_element_start(bytes)?;
        let end = self.scan_element(bytes)?;
        Some(self.element_ends_at(end))
    }

    /// Steps over what lies between elements to where the next one starts, and says where that
    /// is; `None` when more bytes are needed (or the array is over).
    pub fn next_element_start(&mut self, bytes: &[u8]) -> Option<usize> {
        while self.at < bytes.len() {
            match self.place {
                Place::BeforeArray => {
                    let byte = bytes[self.at];
                    if byte == b'[' {
                        self.place = Place::Between;
                    } else if !is_space(byte) && !self.byte_order_mark(byte) {
                        self.place = Place::NotAnArray;
                        return None;
                    }
                    self.at += 1;
                    self.leading_bytes += 1;
                }
                Place::Between => {
                    let byte = bytes[self.at];
                    match byte {
                        b',' => {
                            self.empty_places += usize::from(!self.seen_element_since_comma);
                            self.seen_element_since_comma = false;
                        }
                        b']' => {
                            self.empty_places += usize::from(!self.seen_element_since_comma && self.elements > 0);
                            self.place = Place::AfterArray;
                        }
                        _ if is_space(byte) => {}
                        _ => {
                            if self.seen_element_since_comma {
                                self.missing_commas += 1;
                            }
                            // The element's first byte is read again by `scan_element`.
                            self.place = Place::InElement;
                            self.start = self.at;
                            self.depth = 0;
                            self.in_string = false;
                            self.escaped = false;
                            self.scalar = !matches!(byte, b'{' | b'[' | b'"');
                            return Some(self.start);
                        }
                    }
                    self.at += 1;
                }
                Place::InElement => return Some(self.start),
                Place::AfterArray => {
                    self.trailing_data |= !bytes[self.at..].iter().all(|&b| is_space(b));
                    self.at = bytes.len();
                }
                Place::NotAnArray => return None,
            }
        }
        None
    }

    /// Whether the element that starts at [`Splitter::next_element_start`] has not been scanned at all
    /// yet: whoever reads it whole may then say where it ends ([`Splitter::element_ends_at`]).
    #[must_use]
    pub fn unscanned(&self) -> bool {
        self.place == Place::InElement && self.at == self.start
    }

    /// The current element ends at `end`; its range.
    pub fn element_ends_at(&mut self, end: usize) -> Range<usize> {
        self.place = Place::Between;
        self.at = end;
        self.seen_element_since_comma = true;
        self.elements += 1;
        self.start..end
    }

    /// Scans on from `at` through the current element; its end when it is complete.
    fn scan_element(&mut self, bytes: &[u8]) -> Option<usize> {
        if self.scalar {
            // A number or literal (or junk) runs to the next delimiter at the top level.
            let rest = &bytes[self.at..];
            if let Some(offset) = rest.iter().position(|&b| matches!(b, b',' | b']') || is_space(b)) {
                self.at += offset;
                return Some(self.at);
            }
            self.at = bytes.len();
            return None;
        }
        // Locals, not fields, in the loop over every byte: this is the hottest loop of a load.
        let (mut at, mut depth, mut in_string) = (self.at, self.depth, self.in_string);
        if self.escaped && at < bytes.len() {
            self.escaped = false;
            at += 1;
        }
        let end = loop {
            if in_string {
                // String contents are most of a body: jump to the next byte that matters.
                let Some(offset) = memchr::memchr2(b'"', b'\\', &bytes[at..]) else {
                    at = bytes.len();
                    break None;
                };
                at += offset + 1;
                if bytes[at - 1] == b'\\' {
                    if at == bytes.len() {
                        self.escaped = true;
                        break None;
                    }
                    at += 1;
                    continue;
                }
                in_string = false;
                if depth == 0 {
                    break Some(at);
                }
                continue;
            }
            let Some(&byte) = bytes.get(at) else { break None };
            at += 1;
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break Some(at);
                    }
                }
                _ => {}
            }
        };
        (self.at, self.depth, self.in_string) = (at, depth, in_string);
        end
    }

    /// Whether `byte` continues a byte order mark at the very start of the body (editors on
    /// Windows start a file with one; it is not JSON), counting it if so.
    fn byte_order_mark(&mut self, byte: u8) -> bool {
        const BOM: &[u8] = "\u{feff}".as_bytes();
        let continues = self.bom_bytes == self.leading_bytes && BOM.get(self.bom_bytes) == Some(&byte);
        self.bom_bytes += usize::from(continues);
        continues
    }
}

/// JSON's whitespace.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every element of `text`, fed to the splitter `chunk` bytes at a time.
    fn elements(text: &str, chunk: usize) -> (Vec<String>, Splitter) {
        let mut splitter = Splitter::default();
        let mut buffer = Vec::new();
        let mut found = Vec::new();
        for piece in text.as_bytes().chunks(chunk.max(1)) {
            buffer.extend_from_slice(piece);
            while let Some(range) = splitter.next(&buffer) {
                found.push(String::from_utf8(buffer[range].to_vec()).unwrap());
            }
            let keep = splitter.keep_from();
            buffer.drain(..keep);
            splitter.shift(keep);
        }
        (found, splitter)
    }

    #[test]
    fn elements_of_every_kind_are_cut_whatever_the_chunking() {
        let text = "\u{feff} [ {\"a\": \"x]}\\\"\\\\\"}, [1, [2]] ,\"s,]\" ,-1.5e3, null,true\n]  ";
        for chunk in 1..text.len() {
            let (found, splitter) = elements(text, chunk);
            assert_eq!(
                found,
                ["{\"a\": \"x]}\\\"\\\\\"}", "[1, [2]]", "\"s,]\"", "-1.5e3", "null", "true"],
                "chunk {chunk}"
            );
            assert!(splitter.closed() && !splitter.trailing_data && splitter.missing_commas == 0);
        }
    }

    #[test]
    fn a_body_cut_short_yields_the_elements_before_the_cut() {
        let (found, splitter) = elements(r#"[{"id": 1}, {"id": 2}, {"id": "#, 3);
        assert_eq!(found, [r#"{"id": 1}"#, r#"{"id": 2}"#]);
        assert!(!splitter.closed());
        assert_eq!(splitter.start(), Start::Array);
    }

    #[test]
    fn broken_elements_stay_apart_from_their_neighbours() {
        let (found, splitter) = elements("[{\"a\": NaN}, {\"b\": \"\u{1}\"} {\"c\": 1}] x", 7);
        assert_eq!(found, ["{\"a\": NaN}", "{\"b\": \"\u{1}\"}", "{\"c\": 1}"]);
        assert_eq!((splitter.missing_commas, splitter.trailing_data), (1, true));
    }

    #[test]
    fn commas_with_nothing_before_them_are_counted() {
        for (text, empty) in [("[]", 0), ("[1]", 0), ("[1,]", 1), ("[,1]", 1), ("[1,,2, ,]", 3)] {
            assert_eq!(elements(text, 1).1.empty_places, empty, "{text}");
        }
    }

    #[test]
    fn anything_but_an_array_is_said_at_once() {
        for text in ["{\"detail\": \"x\"}", "<html>", "  nope"] {
            let (found, splitter) = elements(text, 2);
            assert!(found.is_empty());
            assert_eq!(splitter.start(), Start::NotAnArray, "{text}");
        }
        assert_eq!(elements("  \n", 1).1.start(), Start::Pending);
    }
}
