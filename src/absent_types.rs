//! A `--type` (or a type chosen in the explorer) that the call does not have is most likely a
//! typo: rather than an empty list, say so, and which types the call has.

use std::collections::BTreeSet;

use crate::sanitize;

/// Exit code of `--print` when a `--type` names a type the call has none of (the call has
/// other deliveries): an empty answer would hide the typo from a script.
pub const EXIT_ABSENT_TYPE: u8 = 12;

/// `no delivery has type nosuch; this call has call_started (3), transcript (12)`, when some of
/// `chosen` is not among `present` (each with its count) and the call has deliveries at all.
#[must_use]
pub fn hint<'a>(chosen: &BTreeSet<String>, present: impl IntoIterator<Item = (&'a str, usize)>) -> Option<String> {
    let present: Vec<(&str, usize)> = present.into_iter().collect();
    let absent: Vec<String> = chosen
        .iter()
        .filter(|name| !present.iter().any(|(have, _)| have == name))
        .map(|name| sanitize::short(name).into_owned())
        .collect();
    if absent.is_empty() || present.is_empty() {
        return None;
    }
    let types = if absent.len() == 1 { "type" } else { "types" };
    let has: Vec<String> = present.iter().map(|(name, count)| format!("{} ({count})", sanitize::short(name))).collect();
    Some(format!("no delivery has {types} {}; this call has {}", absent.join(", "), has.join(", ")))
}

/// [`hint`] for a screen, where a call's many types would not fit: the type picker lists them.
#[must_use]
pub fn short_hint(chosen: &BTreeSet<String>, present: &[(&str, usize)], picker_key: &str) -> Option<String> {
    hint(chosen, present.iter().copied())?;
    let absent: Vec<String> = chosen
        .iter()
        .filter(|name| !present.iter().any(|(have, _)| have == name))
        .map(|name| sanitize::short(name).into_owned())
        .collect();
    let types = if absent.len() == 1 { "type" } else { "types" };
    let count = present.len();
    Some(format!("No delivery has {types} {}: {picker_key} lists the {count} types this call has.", absent.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|&name| name.to_owned()).collect()
    }

    #[test]
    fn an_absent_type_is_named_with_the_types_there_are() {
        let present = [("call_started", 3), ("transcript", 12)];
        assert_eq!(
            hint(&chosen(&["nosuch"]), present).as_deref(),
            Some("no delivery has type nosuch; this call has call_started (3), transcript (12)")
        );
        assert_eq!(
            hint(&chosen(&["nosuch", "transcript", "x\u{1b}[2J"]), present).as_deref(),
            Some("no delivery has types nosuch, x␛[2J; this call has call_started (3), transcript (12)")
        );
        assert_eq!(hint(&chosen(&["transcript"]), present), None, "the type is there");
        assert_eq!(hint(&chosen(&["nosuch"]), []), None, "an empty call has no types to offer");
    }
}
