//! The top-level array, decoded in batches of whole elements so that every core can take one,
//! and so that a body can be decoded while the rest of it is still arriving.
//!
//! Where one element ends and the next begins is only known by parsing, so a batch boundary
//! (a "cut") is a guess: a `{` after `},` that opens an object with the same first key as the
//! response's first entry. A guess inside a string or a nested object leaves the batch before
//! it ending part-way through an element, which its decoding notices. That batch is then decoded
//! again together with the next one, from the whole text, so a wrong guess costs time, never
//! correctness.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use serde_json::value::RawValue;

use super::decode::{Decoded, Region, classify_non_array};
use super::{DecodeError, KeepLog, RejectedLog, Span, WebhookLog};

/// One batch's part of the array: everything from its first element up to the next batch.
#[derive(Debug, Clone, Copy)]
pub(super) struct Batch<'a> {
    pub(super) region: Region<'a>,
    /// The batch starts the array: `[` comes first.
    pub(super) opens: bool,
    /// The batch ends the array: `]` comes last.
    pub(super) closes: bool,
}

impl Batch<'_> {
    /// Decodes every element of the batch into `into`, numbering them from 0, and says how many
    /// there were. `None` (with `into` as it was) when the text is not a run of whole elements
    /// as `opens` and `closes` describe: a wrong cut, or a body that is not a JSON array.
    pub(super) fn decode_into(&self, into: &mut Decoded) -> Option<usize> {
        let (logs, rejected) = (into.logs.len(), into.rejected.len());
        let elements = self.decode_elements(into);
        if elements.is_none() {
            into.logs.truncate(logs);
            into.rejected.truncate(rejected);
        }
        elements
    }

    fn decode_elements(&self, into: &mut Decoded) -> Option<usize> {
        let bytes = self.region.text.as_bytes();
        let mut at = skip_whitespace(bytes, 0);
        if self.opens {
            (bytes.get(at) == Some(&b'[')).then_some(())?;
            at = skip_whitespace(bytes, at + 1);
            if self.closes && bytes.get(at) == Some(&b']') {
                return (skip_whitespace(bytes, at + 1) == bytes.len()).then_some(0);
            }
        }
        let mut elements = 0;
        loop {
            if at == bytes.len() {
                // Cut after a comma; the last batch cannot end that way (a trailing comma).
                return (!self.closes).then_some(elements);
            }
            at = self.region.decode_element(at, elements, into)?;
            elements += 1;
            at = skip_whitespace(bytes, at);
            match bytes.get(at) {
                Some(b',') => at = skip_whitespace(bytes, at + 1),
                Some(b']') if self.closes => {
                    return (skip_whitespace(bytes, at + 1) == bytes.len()).then_some(elements);
                }
                _ => return None,
            }
        }
    }
}

fn skip_whitespace(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) {
        at += 1;
    }
    at
}

/// How a response's entries start: `{`, the first key with its quotes (e.g. `{"id"`), and the
/// kind of its value (the first byte class: a digit for `"id": 48211`). Nested objects often
/// share the key (tool calls have an `"id"` too) but rarely the kind of value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EntryStart {
    open_and_key: Vec<u8>,
    value: ValueKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueKind {
    Number,
    String,
    Object,
    Array,
    Literal,
}

impl ValueKind {
    fn of(first: u8) -> Option<Self> {
        Some(match first {
            b'0'..=b'9' | b'-' => Self::Number,
            b'"' => Self::String,
            b'{' => Self::Object,
            b'[' => Self::Array,
            b't' | b'f' | b'n' => Self::Literal,
            _ => return None,
        })
    }
}

impl EntryStart {
    /// Read from the start of the array; `None` until the first key and the start of its value
    /// have arrived, or when the array does not start with an object.
    pub(super) fn of(array_start: &[u8]) -> Option<Self> {
        let at = skip_whitespace(array_start, 0);
        (array_start.get(at) == Some(&b'[')).then_some(())?;
        let open = skip_whitespace(array_start, at + 1);
        (array_start.get(open) == Some(&b'{')).then_some(())?;
        let quote = skip_whitespace(array_start, open + 1);
        (array_start.get(quote) == Some(&b'"')).then_some(())?;
        // A first key with escapes is left alone: no cuts, one batch.
        let close = quote + 1 + memchr::memchr2(b'"', b'\\', array_start.get(quote + 1..)?)?;
        (array_start[close] == b'"').then_some(())?;
        let mut open_and_key = vec![b'{'];
        open_and_key.extend_from_slice(&array_start[quote..=close]);
        let value = Self::value_after_key(array_start, close + 1)?;
        Some(Self { open_and_key, value })
    }

    /// The kind of value after the key that ends just before `at`.
    fn value_after_key(bytes: &[u8], at: usize) -> Option<ValueKind> {
        let colon = skip_whitespace(bytes, at);
        (bytes.get(colon) == Some(&b':')).then_some(())?;
        ValueKind::of(*bytes.get(skip_whitespace(bytes, colon + 1))?)
    }

    /// The first likely element start at or after `from`: where a cut can go.
    pub(super) fn next_cut(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
        let mut at = from;
        while let Some(found) = memchr::memchr(b'{', bytes.get(at..)?) {
            let open = at + found;
            at = open + 1;
            let before = bytes[..open].iter().rposition(|b| !is_space(b));
            let after_comma = before
                .filter(|&comma| bytes[comma] == b',')
                .and_then(|comma| bytes[..comma].iter().rposition(|b| !is_space(b)));
            if after_comma.is_none_or(|close| bytes[close] != b'}') {
                continue;
            }
            let key = skip_whitespace(bytes, open + 1);
            let key_end = key + self.open_and_key.len() - 1;
            if bytes.get(key..key_end) == Some(&self.open_and_key[1..])
                && Self::value_after_key(bytes, key_end) == Some(self.value)
            {
                return Some(open);
            }
        }
        None
    }
}

/// The logs of every batch, gathered in one vector as the decoding threads finish batches, so
/// that a call's logs are never held twice (a batch's own vector is small and reused).
#[derive(Debug, Default)]
pub(super) struct Gathered {
    logs: Vec<WebhookLog>,
    /// The batch of each log in `logs`: their indices count from the start of their batch.
    batch_of: Vec<usize>,
    rejected: Vec<RejectedLog>,
    rejected_batch_of: Vec<usize>,
    /// Elements in each batch, by batch number; `None` for a batch that did not decode.
    elements: Vec<Option<usize>>,
    /// Batches `0..decoded_prefix` have all decoded: their text is not needed again.
    pub(super) decoded_prefix: usize,
    /// With a sieve, the text of the entries kept, in the order their batches came in: their
    /// spans point into it.
    kept: String,
}

/// The logs of one decoded run of elements that `keep` wants, and every log with a problem
/// (so that each is still reported), with the text of their entries (and of every rejected
/// entry) copied to `decoded.kept` and their spans moved there.
fn sift(decoded: &mut Decoded, region: &Region<'_>, keep: &KeepLog) {
    let entry = |raw: &Span| &region.text[raw.start - region.offset..raw.end - region.offset];
    let kept = &mut decoded.kept;
    kept.clear();
    decoded.logs.retain_mut(|log| {
        let text = entry(&log.raw);
        let wanted = !log.problems.is_empty() || keep(log, text);
        if wanted {
            log.move_entry_to(kept.len());
            kept.push_str(text);
        }
        wanted
    });
    for rejected in &mut decoded.rejected {
        let text = entry(&rejected.raw);
        rejected.raw = kept.len()..kept.len() + text.len();
        kept.push_str(text);
    }
}

impl Gathered {
    /// Decodes batch `number` and adds what it held, or with a sieve what it keeps; `scratch` is
    /// the caller's reusable space. Says how many batches from the first have now all decoded.
    pub(super) fn decode(
        gathered: &Mutex<Self>,
        number: usize,
        batch: &Batch<'_>,
        scratch: &mut Decoded,
        sieve: Option<&KeepLog>,
    ) -> usize {
        let elements = batch.decode_into(scratch);
        if let (Some(keep), Some(_)) = (sieve, elements) {
            sift(scratch, &batch.region, keep);
        }
        let mut gathered = gathered.lock().unwrap_or_else(PoisonError::into_inner);
        gathered.add(number, elements, scratch, sieve.is_some());
        gathered.decoded_prefix
    }

    fn add(&mut self, number: usize, elements: Option<usize>, decoded: &mut Decoded, sifted: bool) {
        if self.elements.len() <= number {
            self.elements.resize(number + 1, None);
        }
        self.elements[number] = elements;
        while self.elements.get(self.decoded_prefix).is_some_and(Option::is_some) {
            self.decoded_prefix += 1;
        }
        if sifted {
            let base = self.kept.len();
            self.kept.push_str(&decoded.kept);
            decoded.kept.clear();
            for log in &mut decoded.logs {
                log.move_entry_to(base + log.raw.start);
            }
            for rejected in &mut decoded.rejected {
                rejected.raw = base + rejected.raw.start..base + rejected.raw.end;
            }
        }
        insert_in_batch_order(&mut self.logs, &mut self.batch_of, number, &mut decoded.logs);
        insert_in_batch_order(&mut self.rejected, &mut self.rejected_batch_of, number, &mut decoded.rejected);
    }

    /// The logs in the documented order with their positions in the whole array, the rejected
    /// entries by position, and with a sieve the text the logs kept point into. `ranges` are the
    /// batches' byte ranges in the body, in order; `window` is the part of the body still held,
    /// which covers every batch that failed. A batch that failed is decoded again joined with the
    /// next one, or failing that with all the rest; `None` when even that fails (the array is not
    /// well formed).
    pub(super) fn assemble(
        mut self,
        window: Region<'_>,
        array: &Span,
        ranges: &[Range<usize>],
        sieve: Option<&KeepLog>,
    ) -> Option<(Vec<WebhookLog>, Vec<RejectedLog>, String)> {
        self.elements.resize(ranges.len(), None);
        let mut first = 0;
        while let Some(failed) = (first..ranges.len()).find(|&number| self.elements[number].is_none()) {
            let mut scratch = Decoded::default();
            // Usually an element straddles one wrong cut and the next batch completes it. If not
            // (an element longer than a batch, or a body broken there), the rest is read in one
            // go: trying one more batch each time would read a long element over and over.
            let rest = ranges.len() - 1;
            let tries = [Some(failed + 1), (rest > failed + 1).then_some(rest)];
            let joined = tries.into_iter().flatten().filter(|&last| last <= rest).find_map(|last| {
                let held = ranges[failed].start.checked_sub(window.offset)?..ranges[last].end - window.offset;
                let batch = Batch {
                    region: Region { text: window.text.get(held)?, offset: ranges[failed].start },
                    opens: ranges[failed].start == array.start,
                    closes: ranges[last].end == array.end,
                };
                let elements = batch.decode_into(&mut scratch)?;
                if let Some(keep) = sieve {
                    sift(&mut scratch, &batch.region, keep);
                }
                Some((last, elements))
            })?;
            let (last, elements) = joined;
            // What the batches after a wrong cut gave was read from the middle of an element.
            let stale = |number: &usize| (failed..=last).contains(number);
            retain_by_batch(&mut self.logs, &mut self.batch_of, stale);
            retain_by_batch(&mut self.rejected, &mut self.rejected_batch_of, stale);
            for number in failed..=last {
                self.elements[number] = Some(0);
            }
            self.add(failed, Some(elements), &mut scratch, sieve.is_some());
            first = last + 1;
        }
        let mut elements_before = Vec::with_capacity(ranges.len());
        let mut total = 0;
        for elements in &self.elements {
            elements_before.push(total);
            total += elements.unwrap_or(0);
        }
        for (log, batch) in self.logs.iter_mut().zip(&self.batch_of) {
            log.index += elements_before[*batch];
        }
        for (entry, batch) in self.rejected.iter_mut().zip(&self.rejected_batch_of) {
            entry.index += elements_before[*batch];
        }
        // Documented order is by attempt time with no tie-breaker; logs without a time go last.
        // The position in the response breaks ties, whichever thread decoded which batch.
        // The server sends them in order and they are gathered in batch order, so a check
        // usually spares the sort, which moves every 300-byte log several times.
        let order = |log: &WebhookLog| (log.attempted_at.is_none(), log.attempted_at, log.id, log.index);
        if !self.logs.is_sorted_by_key(order) {
            self.logs.sort_unstable_by_key(order);
        }
        self.rejected.sort_unstable_by_key(|entry| entry.index);
        Some((self.logs, self.rejected, self.kept))
    }
}

/// Moves batch `number`'s items into `items`, after those of earlier batches and before those
/// of later ones. Threads finish batches nearly in order, so this is usually an append, and the
/// logs end up in the server's order, which is usually the documented one: sorting 300-byte
/// logs that arrived out of order cost more than keeping them in order.
fn insert_in_batch_order<T>(items: &mut Vec<T>, batch_of: &mut Vec<usize>, number: usize, batch: &mut Vec<T>) {
    let at = batch_of.partition_point(|&other| other <= number);
    batch_of.splice(at..at, std::iter::repeat_n(number, batch.len()));
    items.splice(at..at, batch.drain(..));
}

/// Drops the items whose batch is `stale`, keeping `batch_of` in step.
fn retain_by_batch<T>(items: &mut Vec<T>, batch_of: &mut Vec<usize>, stale: impl Fn(&usize) -> bool) {
    let mut keep = batch_of.iter().map(|batch| !stale(batch));
    items.retain(|_| keep.next().unwrap_or(true));
    batch_of.retain(|batch| !stale(batch));
}

/// How much text a batch holds, roughly: small enough that the last one decodes in well under
/// a millisecond, large enough that threads hand over work rarely.
pub(super) const BATCH_BYTES: usize = 128 * 1024;

/// Decodes the array at `array` in `text`, in batches shared out to every core when it is big.
pub(super) fn decode_array(text: &str, array: Span) -> Result<(Vec<WebhookLog>, Vec<RejectedLog>), DecodeError> {
    decode_in_batches(text, array, BATCH_BYTES)
}

fn decode_in_batches(
    text: &str,
    array: Span,
    batch_bytes: usize,
) -> Result<(Vec<WebhookLog>, Vec<RejectedLog>), DecodeError> {
    let array_text = &text[array.clone()];
    let trimmed = array_text.trim_start();
    if trimmed.is_empty() {
        return Err(DecodeError::Empty);
    }
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut bounds = vec![array.start];
    if let Some(start) = EntryStart::of(array_text.as_bytes()) {
        let bytes = &text.as_bytes()[..array.end];
        while let Some(cut) = start.next_cut(bytes, bounds[bounds.len() - 1] + batch_bytes) {
            bounds.push(cut);
        }
    }
    bounds.push(array.end);
    let ranges: Vec<Range<usize>> = bounds.windows(2).map(|pair| pair[0]..pair[1]).collect();
    let gathered = Mutex::new(Gathered::default());
    let next = AtomicUsize::new(0);
    let work = || {
        let mut scratch = Decoded::default();
        loop {
            let number = next.fetch_add(1, Ordering::Relaxed);
            let Some(range) = ranges.get(number) else { return };
            let batch = Batch {
                region: Region { text: &text[range.clone()], offset: range.start },
                opens: range.start == array.start,
                closes: range.end == array.end,
            };
            Gathered::decode(&gathered, number, &batch, &mut scratch, None);
        }
    };
    if ranges.len() > 1 {
        std::thread::scope(|scope| {
            // A thread the system refuses is done without: this one works through every batch.
            let helpers: Vec<_> = (1..threads.min(ranges.len()))
                .filter_map(|_| {
                    std::thread::Builder::new().name("hookscope-decode".into()).spawn_scoped(scope, work).ok()
                })
                .collect();
            work();
            for helper in helpers {
                helper.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            }
        });
    } else {
        work();
    }
    let gathered = gathered.into_inner().unwrap_or_else(PoisonError::into_inner);
    let whole = Region { text, offset: 0 };
    gathered.assemble(whole, &array, &ranges, None).map(|(logs, rejected, _)| (logs, rejected)).ok_or_else(|| {
        // Not an array of JSON values: the parser says what the text is, where and why.
        match serde_json::from_str::<Vec<&RawValue>>(array_text) {
            Err(err) => classify_non_array(trimmed, &err),
            Ok(_) => DecodeError::NotJson("an array whose elements could not be told apart".to_owned()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_go_only_before_an_entry_that_starts_like_the_first() {
        let text =
            br#"[{"id":1,"p":[{"a":1},{"a":2}],"t":[{"id":"call_1"},{"id":"call_2"}],"s":"},{\"id\":9"},{"id":2},{ "id" : 3}]"#;
        let start = EntryStart::of(text).unwrap();
        assert_eq!(start, EntryStart { open_and_key: br#"{"id""#.to_vec(), value: ValueKind::Number });
        let cut = start.next_cut(text, 1).unwrap();
        assert!(text[cut..].starts_with(br#"{"id":2}"#), "{}", String::from_utf8_lossy(&text[cut..]));
        let next = start.next_cut(text, cut + 1).unwrap();
        assert!(text[next..].starts_with(br#"{ "id" : 3}"#));
        assert_eq!(start.next_cut(text, next + 1), None);
        assert_eq!(EntryStart::of(br#"[{"id""#), None, "not before the value has started");
    }

    /// Decodes `text` cut at `cuts`, as threads would, and puts it together.
    fn decoded_with_cuts(text: &str, cuts: &[usize]) -> Option<(Vec<WebhookLog>, Vec<RejectedLog>)> {
        let bounds: Vec<usize> = [0].into_iter().chain(cuts.iter().copied()).chain([text.len()]).collect();
        let ranges: Vec<Range<usize>> = bounds.windows(2).map(|pair| pair[0]..pair[1]).collect();
        let gathered = Mutex::new(Gathered::default());
        // Last batch first: the order threads finish in must not matter.
        for (number, range) in ranges.iter().enumerate().rev() {
            let batch = Batch {
                region: Region { text: &text[range.clone()], offset: range.start },
                opens: range.start == 0,
                closes: range.end == text.len(),
            };
            Gathered::decode(&gathered, number, &batch, &mut Decoded::default(), None);
        }
        let whole = Region { text, offset: 0 };
        gathered
            .into_inner()
            .unwrap()
            .assemble(whole, &(0..text.len()), &ranges, None)
            .map(|(logs, rejected, _)| (logs, rejected))
    }

    #[test]
    fn a_wrong_cut_is_mended_by_decoding_again_across_it() {
        // A cut at the `{` inside the string leaves the first batch ending inside it; one inside
        // the nested array leaves it ending inside the entry.
        let text = r#"[{"id":1,"s":"x},{\"id\":9"},{"id":2,"p":[{"id":7},{"id":8},{"id":9}]},7,{"id":3}]"#;
        let in_string = text.find(r#"{\"id\""#).unwrap();
        let nested = text.find(r#"{"id":8"#).unwrap();
        let nested_again = text.find(r#"{"id":9"#).unwrap();
        let right = text.rfind(r#"{"id":2"#).unwrap();
        let whole = decoded_with_cuts(text, &[]).unwrap();
        assert_eq!(whole.0.iter().map(|log| (log.index, log.id)).collect::<Vec<_>>(), [(0, 1), (1, 2), (3, 3)]);
        assert_eq!(whole.1.iter().map(|r| r.index).collect::<Vec<_>>(), [2]);
        for cuts in [
            vec![in_string],
            vec![right],
            vec![nested],
            vec![in_string, right, nested],
            vec![right, nested],
            vec![nested, nested_again],
            vec![in_string, nested, nested_again],
        ] {
            assert_eq!(decoded_with_cuts(text, &cuts), Some(whole.clone()), "cuts {cuts:?}");
        }
    }

    #[test]
    fn a_body_that_is_not_an_array_of_values_is_refused_whatever_the_cuts() {
        let text = r#"[{"id":1},{"id":2},{"id":3,"x":tru}]"#;
        let cut = text.find(r#"{"id":2"#).unwrap();
        assert_eq!(decoded_with_cuts(text, &[cut]), None);
        assert_eq!(decoded_with_cuts(text, &[]), None);
    }

    #[test]
    fn a_batch_must_hold_whole_elements_and_the_ends_of_the_array() {
        let batch = |text, opens, closes| {
            Batch { region: Region { text, offset: 0 }, opens, closes }.decode_into(&mut Decoded::default())
        };
        assert_eq!(batch(r#"[{"id":1},"#, true, false), Some(1));
        assert_eq!(batch(r#"{"id":2} , 3 ]  "#, false, true), Some(2));
        assert_eq!(batch(" [ ] ", true, true), Some(0));
        for (text, opens, closes) in [
            (r#"[{"id":1},"#, true, true),
            (r#"[{"id":1}"#, true, false),
            (r#"{"id":1,"#, false, false),
            (r#"{"id":1}]x"#, false, true),
            (r#"{"id":1}"#, true, true),
            ("[1 2]", true, true),
            ("[,1]", true, true),
        ] {
            assert!(batch(text, opens, closes).is_none(), "{text}");
        }
    }

    /// Entries that put cut-like text where a cut must not go: in strings, in nested arrays of
    /// objects that start like an entry, and non-objects between entries.
    fn tricky_array() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let string = prop_oneof![Just(r#"},{"id":"#), Just(r#"},{\"id\":1}"#), Just(r"x\\"), Just("é😀"), Just(""),];
        let entry = prop_oneof![
            (0..1000u32, string.clone())
                .prop_map(|(id, s)| format!(r#"{{"id":{id},"p":[{{"id":1}},{{"id":2}}],"s":"{s}"}}"#)),
            (0..1000u32, string).prop_map(|(id, s)| format!(r#"{{"id":{id},"s":"{s}","webhook_type":"t"}}"#)),
            (0..1000u32).prop_map(|id| format!(r#"{{ "id" : {id} }}"#)),
            Just("42".to_owned()),
            Just(r#"[1,{"id":2}]"#.to_owned()),
            Just("null".to_owned()),
        ];
        let separator = prop_oneof![Just(","), Just(", "), Just(",\n"), Just(" ,\n  ")];
        (proptest::collection::vec((entry, separator), 0..40), prop_oneof![Just(""), Just(" "), Just("\n")]).prop_map(
            |(entries, space)| {
                let mut text = format!("{space}[{space}");
                for (n, (entry, separator)) in entries.iter().enumerate() {
                    if n > 0 {
                        text.push_str(separator);
                    }
                    text.push_str(entry);
                }
                text.push_str(space);
                text.push(']');
                text.push_str(space);
                text
            },
        )
    }

    proptest::proptest! {
        #[test]
        fn batches_of_any_size_decode_to_what_one_batch_does(text in tricky_array(), batch_bytes in 1..200usize) {
            let whole = decode_in_batches(&text, 0..text.len(), usize::MAX / 2).map_err(|err| err.to_string());
            let batched = decode_in_batches(&text, 0..text.len(), batch_bytes).map_err(|err| err.to_string());
            proptest::prop_assert_eq!(batched, whole);
        }

        #[test]
        fn a_broken_array_is_refused_however_it_is_cut(
            text in tricky_array(),
            cut in proptest::prelude::any::<proptest::sample::Index>(),
            batch_bytes in 1..200usize,
        ) {
            // Cut the text short somewhere: never a silent partial result.
            let end = cut.index(text.len() + 1);
            let end = (0..=end).rev().find(|&at| text.is_char_boundary(at)).unwrap_or(0);
            let short = &text[..end];
            if serde_json::from_str::<Vec<&RawValue>>(short).is_err() {
                proptest::prop_assert!(decode_in_batches(short, 0..short.len(), batch_bytes).is_err());
            }
        }
    }
}
