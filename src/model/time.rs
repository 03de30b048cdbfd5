//! Delivery timestamps. The docs show `…Z`; the server stores naive UTC and serialises it with no
//! suffix (`2025-08-24T19:22:04.123456`). Both mean UTC.

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

/// Parses an `attempted_at` value: RFC 3339 with `Z` or an offset, or a naive date-time (UTC).
#[must_use]
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
    if let Some(at) = utc_fast_path(text) {
        return Some(at);
    }
    let text = text.trim();
    let naive = || {
        let naive: DateTime = text.parse().ok()?;
        naive.to_zoned_datetime(TimeZone::UTC).ok().map(|zoned| zoned.timestamp())
    };
    // The server's own form is naive: trying it first spares a failed parse, whose error
    // allocates, for most logs. Anything with a zone after the date is read with its zone.
    let zoned_after_date = text.ends_with(['Z', 'z']) || text.get(10..).is_some_and(|time| time.contains(['+', '-']));
    if zoned_after_date {
        text.parse::<Timestamp>().ok().or_else(naive)
    } else {
        naive().or_else(|| text.parse::<Timestamp>().ok())
    }
}

/// The two forms Burki writes, `2025-08-24T19:22:04.123456` and `…Z`, read by position: every
/// log has one, and jiff's general parser takes several times as long. Anything else (an offset,
/// a space for the `T`, a leap second, …) is `None` here and goes to the general parser.
fn utc_fast_path(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let bytes = bytes.strip_suffix(b"Z").unwrap_or(bytes);
    let (civil, fraction) = bytes.split_at_checked(19)?;
    let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(at, separator)| civil[at] != separator) {
        return None;
    }
    let nanos = match fraction {
        [] => 0,
        [b'.', rest @ ..] if (1..=9).contains(&rest.len()) => {
            number(rest)? * 10i32.pow(9 - u32::try_from(rest.len()).ok()?)
        }
        _ => return None,
    };
    let (year, month, day) = (number(&civil[0..4])?, number(&civil[5..7])?, number(&civil[8..10])?);
    let (hour, minute, second) = (number(&civil[11..13])?, number(&civil[14..16])?, number(&civil[17..19])?);
    let valid = (1..=12).contains(&month)
        && (1..=days_in_month(year, month)).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    if !valid {
        return None;
    }
    let seconds = days_since_epoch(year, month, day) * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    Timestamp::new(seconds, nanos).ok()
}

/// The value of a run of at most nine ASCII digits; `None` if any byte is not one. One test for
/// the whole run rather than a branch a digit, as an iterator stopping at the first non-digit did.
fn number(digits: &[u8]) -> Option<i32> {
    debug_assert!(digits.len() <= 9);
    // Wide enough for nine bytes that are not digits to add up without overflow.
    let mut value = 0i64;
    let mut not_digit = false;
    for &byte in digits {
        let digit = byte.wrapping_sub(b'0');
        not_digit |= digit > 9;
        value = value * 10 + i64::from(digit);
    }
    if not_digit { None } else { i32::try_from(value).ok() }
}

fn days_in_month(year: i32, month: i32) -> i32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar, year 0 to 9999 (Howard
/// Hinnant's `days_from_civil`): a few multiplications where jiff's checked civil arithmetic
/// took a tenth of a log's decoding.
fn days_since_epoch(year: i32, month: i32, day: i32) -> i64 {
    let year = i64::from(if month <= 2 { year - 1 } else { year });
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = i64::from(if month > 2 { month - 3 } else { month + 9 });
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Which clock times are shown in; the zone is always printed beside them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeDisplay {
    #[default]
    Utc,
    Local,
}

impl TimeDisplay {
    #[must_use]
    pub fn toggled(self) -> Self {
        match self {
            Self::Utc => Self::Local,
            Self::Local => Self::Utc,
        }
    }

    fn zone(self) -> TimeZone {
        match self {
            Self::Utc => TimeZone::UTC,
            Self::Local => TimeZone::system(),
        }
    }

    /// `HH:MM:SS.mmm`, for list rows.
    #[must_use]
    pub fn clock(self, ts: Timestamp) -> String {
        ts.to_zoned_datetime(self.zone()).strftime("%H:%M:%S%.3f").to_string()
    }

    /// Date, time with milliseconds, and zone, for the detail pane and reports.
    #[must_use]
    pub fn full(self, ts: Timestamp) -> String {
        match self {
            Self::Utc => ts.to_zoned_datetime(TimeZone::UTC).strftime("%Y-%m-%d %H:%M:%S%.3f UTC").to_string(),
            Self::Local => ts.to_zoned_datetime(self.zone()).strftime("%Y-%m-%d %H:%M:%S%.3f %Z (%:z)").to_string(),
        }
    }

    /// A short label for the header: `UTC` or the local zone's abbreviation.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Utc => "UTC".to_owned(),
            Self::Local => Timestamp::now().to_zoned_datetime(self.zone()).strftime("local %Z").to_string(),
        }
    }
}

/// `T+12.345s` (or `T+2m05.1s`) from the first delivery of the call.
#[must_use]
pub fn offset_label(first: Timestamp, at: Timestamp) -> String {
    let millis = at.as_millisecond() - first.as_millisecond();
    let sign = if millis < 0 { "-" } else { "+" };
    let millis = millis.unsigned_abs();
    if millis < 60_000 {
        format!("T{sign}{}.{:03}s", millis / 1000, millis % 1000)
    } else {
        let secs = millis / 1000;
        format!("T{sign}{}m{:02}.{}s", secs / 60, secs % 60, (millis % 1000) / 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn naive_and_suffixed_forms_are_the_same_instant() {
        let naive = parse_timestamp("2025-08-24T19:22:04.123456").unwrap();
        let zulu = parse_timestamp("2025-08-24T19:22:04.123456Z").unwrap();
        let offset = parse_timestamp("2025-08-24T21:22:04.123456+02:00").unwrap();
        assert_eq!(naive, zulu);
        assert_eq!(naive, offset);
        assert_eq!(parse_timestamp("yesterday"), None);
    }

    /// The general parser alone, as before the fast path: jiff's own parsers, naive read as UTC,
    /// with the surrounding whitespace the app allows trimmed.
    fn general(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        let naive = text.parse::<DateTime>().ok().and_then(|naive| naive.to_zoned_datetime(TimeZone::UTC).ok());
        text.parse::<Timestamp>().ok().or_else(|| naive.map(|zoned| zoned.timestamp()))
    }

    #[rstest::rstest]
    #[case::naive_micros("2025-08-24T19:22:04.123456")]
    #[case::zulu_millis("2025-08-24T19:22:05.340Z")]
    #[case::whole_seconds("2025-08-24T19:22:05")]
    #[case::nanos("2025-08-24T19:22:05.123456789Z")]
    #[case::leap_day("2024-02-29T23:59:59.9")]
    fn the_fast_path_reads_what_the_general_parser_reads(#[case] text: &str) {
        assert!(utc_fast_path(text).is_some(), "{text} takes the fast path");
        assert_eq!(utc_fast_path(text), general(text));
    }

    #[rstest::rstest]
    #[case::not_a_leap_year("2025-02-29T00:00:00")]
    #[case::hour_24("2025-08-24T24:00:00")]
    #[case::ten_digit_fraction("2025-08-24T19:22:05.1234567890")]
    #[case::empty_fraction("2025-08-24T19:22:05.")]
    #[case::space_for_t("2025-08-24 19:22:05")]
    #[case::offset("2025-08-24T19:22:05+02:00")]
    #[case::lower_z("2025-08-24T19:22:05z")]
    #[case::sign_in_digits("2025-0+-24T19:22:05")]
    #[case::short("2025-08-24")]
    fn anything_else_is_left_to_the_general_parser(#[case] text: &str) {
        assert_eq!(utc_fast_path(text), None, "{text}");
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_never_disagrees(
            (year, month, day) in (0..=9999u32, 0..=13u32, 0..=32u32),
            (hour, minute, second) in (0..=25u32, 0..=60u32, 0..=61u32),
            separator in "[T ]",
            fraction in "(\\.[0-9]{0,10})?",
            zone in "(Z|z|\\+01:00)?",
            typo in proptest::option::of((0..30usize, proptest::char::range(' ', '~'))),
        ) {
            let mut text = format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}{fraction}{zone}");
            // Any one character changed: a letter or a sign for a digit, a digit for a separator.
            if let Some((at, typo)) = typo.filter(|(at, _)| *at < text.len()) {
                text.replace_range(at..=at, typo.encode_utf8(&mut [0; 4]));
            }
            if let Some(fast) = utc_fast_path(&text) {
                proptest::prop_assert_eq!(Some(fast), general(&text), "{}", text);
            }
            proptest::prop_assert_eq!(parse_timestamp(&text), general(&text), "{}", text);
        }
    }

    #[test]
    fn offsets_read_naturally() {
        let first = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let later = parse_timestamp("2025-01-01T00:02:05.150Z").unwrap();
        assert_eq!(offset_label(first, first), "T+0.000s");
        assert_eq!(offset_label(first, later), "T+2m05.1s");
    }
}
