//! Bytes eight at a time in a `u64` ("SIMD within a register"), for the scans that pass over
//! every byte of a call: most of those bytes are plain text inside strings, and testing a word
//! at once is several times quicker than a byte loop, in safe code on any CPU.
//!
//! A mask has the high bit set in each byte that passed a test. The tests may also flag a byte
//! just above one that truly passed (a borrow carries into it), never one below the first, and
//! never any when none passed: only the lowest flag and "any flag" are to be trusted.

const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);

/// Eight bytes as one word, the first byte lowest.
#[must_use]
pub fn word(chunk: &[u8]) -> u64 {
    <[u8; 8]>::try_from(chunk).map_or(0, u64::from_le_bytes)
}

/// Bytes equal to `byte`.
#[must_use]
pub fn equal(word: u64, byte: u8) -> u64 {
    let diff = word ^ (ONES * u64::from(byte));
    diff.wrapping_sub(ONES) & !diff & HIGHS
}

/// Bytes below `bound`, which must be at most 0x80.
#[must_use]
pub fn below(word: u64, bound: u8) -> u64 {
    debug_assert!(bound <= 0x80);
    word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGHS
}

/// The index of the first byte at or after `from` whose word `mask` flags, or `bytes.len()`.
/// The last few bytes are tested in a word filled out with `pad`, which the mask must not flag.
#[must_use]
pub fn first_flagged(bytes: &[u8], from: usize, pad: u8, mask: impl Fn(u64) -> u64) -> usize {
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let flags = mask(word(chunk));
        if flags != 0 {
            return at + (flags.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    let tail = bytes.get(at..).unwrap_or_default();
    let mut padded = [pad; 8];
    padded[..tail.len()].copy_from_slice(tail);
    let flags = mask(u64::from_le_bytes(padded));
    if flags == 0 { bytes.len() } else { (at + (flags.trailing_zeros() / 8) as usize).min(bytes.len()) }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn finds_what_a_byte_loop_finds(bytes in proptest::collection::vec(any::<u8>(), 0..40), from in 0..40usize) {
            let from = from.min(bytes.len());
            let special = |b: u8| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7f;
            let expected = bytes[from..].iter().position(|&b| special(b)).map_or(bytes.len(), |at| from + at);
            let found = first_flagged(&bytes, from, b'a', |w| equal(w, b'"') | equal(w, b'\\') | below(w, 0x20) | equal(w, 0x7f));
            prop_assert_eq!(found, expected);
        }
    }
}
