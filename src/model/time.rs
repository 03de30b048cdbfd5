//! Delivery timestamps. The docs show `…Z`; the server stores naive UTC and serialises it with no
//! suffix (`2025-08-24T19:22:04.123456`). Both mean UTC.

use std::fmt::Write as _;

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

/// How long `YYYY-MM-DD HH:MM:SS.mmm` is, and where its clock starts.
const DATE_TIME_LEN: usize = 23;
const CLOCK_START: usize = 11;

/// `YYYY-MM-DD HH:MM:SS.mmm` in `zone`, appended to `out`: the detail's time, whose end is the
/// list's clock. Written digit by digit, because the text search writes one for every log.
pub fn write_date_time(out: &mut String, ts: Timestamp, zone: &TimeZone) {
    let at = zone.to_datetime(ts);
    let year = at.year();
    if (0..=9999).contains(&year) {
        push_digits(out, year.unsigned_abs().into(), 4);
    } else {
        let _ = write!(out, "{year:04}");
    }
    let fields = [
        ('-', at.month().unsigned_abs().into(), 2),
        ('-', at.day().unsigned_abs().into(), 2),
        (' ', at.hour().unsigned_abs().into(), 2),
        (':', at.minute().unsigned_abs().into(), 2),
        (':', at.second().unsigned_abs().into(), 2),
        ('.', at.subsec_nanosecond().unsigned_abs() / 1_000_000, 3),
    ];
    for (separator, value, width) in fields {
        out.push(separator);
        push_digits(out, value, width);
    }
}

/// `value`'s last `width` decimal digits, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        out.push(char::from(b'0' + u8::try_from(digit).unwrap_or(0)));
    }
}

/// Parses an `attempted_at` value: RFC 3339 with `Z` or an offset, or a naive date-time (UTC).
#[must_use]
pub fn parse_timestamp(text: &str) -> Option<Timestamp> {
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

    /// The zone times are shown in, for [`write_date_time`].
    #[must_use]
    pub fn zone(self) -> TimeZone {
        match self {
            Self::Utc => TimeZone::UTC,
            Self::Local => TimeZone::system(),
        }
    }

    /// `HH:MM:SS.mmm`, for list rows.
    #[must_use]
    pub fn clock(self, ts: Timestamp) -> String {
        let mut out = String::with_capacity(DATE_TIME_LEN);
        write_date_time(&mut out, ts, &self.zone());
        out.split_off(CLOCK_START)
    }

    /// Date, time with milliseconds, and zone, for the detail pane and reports.
    #[must_use]
    pub fn full(self, ts: Timestamp) -> String {
        let zone = self.zone();
        let mut out = String::with_capacity(DATE_TIME_LEN + 16);
        write_date_time(&mut out, ts, &zone);
        match self {
            Self::Utc => out.push_str(" UTC"),
            Self::Local => {
                let _ = write!(out, "{}", ts.to_zoned_datetime(zone).strftime(" %Z (%:z)"));
            }
        }
        out
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

/// `T+12.345s` (or `T+2m05.1s`, `T+5h29m51s`) from the first delivery of the call.
#[must_use]
pub fn offset_label(first: Timestamp, at: Timestamp) -> String {
    let millis = at.as_millisecond() - first.as_millisecond();
    let sign = if millis < 0 { "-" } else { "+" };
    let millis = millis.unsigned_abs();
    let secs = millis / 1000;
    if millis < 60_000 {
        format!("T{sign}{secs}.{:03}s", millis % 1000)
    } else if secs < 3600 {
        format!("T{sign}{}m{:02}.{}s", secs / 60, secs % 60, (millis % 1000) / 100)
    } else {
        // Past an hour, tenths of a second say nothing.
        format!("T{sign}{}h{:02}m{:02}s", secs / 3600, secs / 60 % 60, secs % 60)
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

    #[test]
    fn times_read_as_the_list_and_the_detail_show_them() {
        let at = parse_timestamp("2025-08-24T19:22:04.123456Z").unwrap();
        assert_eq!(TimeDisplay::Utc.clock(at), "19:22:04.123");
        assert_eq!(TimeDisplay::Utc.full(at), "2025-08-24 19:22:04.123 UTC");
        let early = parse_timestamp("0987-01-02T03:04:05Z").unwrap();
        assert_eq!(TimeDisplay::Utc.full(early), "0987-01-02 03:04:05.000 UTC");
    }

    #[test]
    fn offsets_read_naturally() {
        let first = parse_timestamp("2025-01-01T00:00:00Z").unwrap();
        let later = parse_timestamp("2025-01-01T00:02:05.150Z").unwrap();
        assert_eq!(offset_label(first, first), "T+0.000s");
        assert_eq!(offset_label(first, later), "T+2m05.1s");
        let past_an_hour = parse_timestamp("2025-01-01T05:29:51.500Z").unwrap();
        assert_eq!(offset_label(first, past_an_hour), "T+5h29m51s");
        assert_eq!(offset_label(past_an_hour, first), "T-5h29m51s");
        let just_under = parse_timestamp("2025-01-01T00:59:59.900Z").unwrap();
        assert_eq!(offset_label(first, just_under), "T+59m59.9s");
    }
}
