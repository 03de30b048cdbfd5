//! Delivery timestamps. The docs show `…Z`; the server stores naive UTC and serialises it with no
//! suffix (`2025-08-24T19:22:04.123456`). Both mean UTC.

use jiff::{Timestamp, civil::DateTime, tz::TimeZone};

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
