//! What the call list is asked for: the filters as a user types them (a phone number copied
//! from a ticket, `--since 2h`), read into what `GET /api/v1/calls/` takes.
//!
//! The server's docs disagree on combining `customer_phone`, `call_sid` and `assistant_name`
//! (one page ANDs them, the generated spec takes exactly one), so at most one of the three is
//! sent and every filter not sent is applied here too ([`CallQuery::matches`]).

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::model::CallInfo;

/// The largest page the server gives (`limit` is 1–1000).
pub const MAX_PAGE: usize = 1000;

/// The filters of one call list; `None` is "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallQuery {
    /// Digits, with a leading `+` when typed with one ([`normalize_phone`]).
    pub phone: Option<String>,
    pub call_sid: Option<String>,
    pub assistant_name: Option<String>,
    pub assistant_id: Option<i64>,
    pub status: Option<String>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

impl CallQuery {
    /// The query parameters for one page, as `(name, value)` pairs to be form-encoded (a `+`
    /// goes out as `%2B`).
    #[must_use]
    pub fn params(&self, skip: usize, limit: usize) -> Vec<(&'static str, String)> {
        let mut params = vec![("skip", skip.to_string()), ("limit", limit.clamp(1, MAX_PAGE).to_string())];
        if let Some((name, value)) = self.sent_one_of() {
            params.push((name, value.to_owned()));
        }
        if let Some(status) = &self.status {
            params.push(("status", status.clone()));
        }
        if let Some(id) = self.assistant_id {
            params.push(("assistant_id", id.to_string()));
        }
        if let Some(since) = self.since {
            params.push(("date_from", seconds(since).to_string()));
        }
        if let Some(until) = self.until {
            params.push(("date_to", seconds(until).to_string()));
        }
        params
    }

    /// The one of `customer_phone`, `call_sid`, `assistant_name` sent to the server, in that
    /// order of preference: a phone number narrows most.
    fn sent_one_of(&self) -> Option<(&'static str, &str)> {
        [("customer_phone", &self.phone), ("call_sid", &self.call_sid), ("assistant_name", &self.assistant_name)]
            .into_iter()
            .find_map(|(name, value)| value.as_deref().map(|value| (name, value)))
    }

    /// Whether `call` passes the filters the server was not sent (see the module's note). The
    /// ones it was sent are its to judge: its phone matching may know formats this does not.
    #[must_use]
    pub fn matches(&self, call: &CallInfo) -> bool {
        let sent = self.sent_one_of().map(|(name, _)| name);
        let contains = |have: Option<&String>, want: &str| {
            have.is_some_and(|have| have.to_lowercase().contains(&want.to_lowercase()))
        };
        let phone_ok = sent == Some("customer_phone")
            || self.phone.as_deref().is_none_or(|want| {
                call.customer_phone_number
                    .as_deref()
                    .is_some_and(|have| phone_digits(have).contains(&phone_digits(want)))
            });
        let sid_ok = sent == Some("call_sid")
            || self.call_sid.as_deref().is_none_or(|want| contains(call.call_sid.as_ref(), want));
        let name_ok = sent == Some("assistant_name")
            || self.assistant_name.as_deref().is_none_or(|want| contains(call.assistant_name.as_ref(), want));
        phone_ok && sid_ok && name_ok
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The filters in words, for a header or a "nothing matched" message:
    /// `phone +15559876543, status failed, since 2025-01-15 00:00 UTC`; empty when there are none.
    #[must_use]
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                parts.push(format!("{label} {value}"));
            }
        };
        push("phone", self.phone.clone());
        push("SID", self.call_sid.clone());
        push("assistant", self.assistant_name.clone());
        push("assistant id", self.assistant_id.map(|id| id.to_string()));
        push("status", self.status.clone());
        push("since", self.since.map(utc_minute));
        push("until", self.until.map(utc_minute));
        crate::sanitize::line(&parts.join(", ")).into_owned()
    }
}

/// The server takes whole seconds; a relative time has nanoseconds it need not see.
fn seconds(ts: Timestamp) -> Timestamp {
    Timestamp::from_second(ts.as_second()).unwrap_or(ts)
}

fn utc_minute(ts: Timestamp) -> String {
    let mut out = String::new();
    let _ = write!(out, "{} UTC", ts.strftime("%Y-%m-%d %H:%M"));
    out
}

fn phone_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// A phone number as a ticket has it (`+1 (555) 987-6543`, `555-987-6543`, `555.987.6543`) as
/// the server's substring match wants it: the digits, behind a `+` when it began with one. No
/// country code is invented for a 10-digit number: the server matches a substring, so
/// `5559876543` finds `+15559876543`.
///
/// # Errors
/// When the text holds anything but digits, spaces and `+ ( ) - . /`, or fewer than 3 digits.
pub fn normalize_phone(text: &str) -> Result<String, String> {
    let trimmed = text.trim();
    let plus = trimmed.starts_with('+');
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    if let Some(bad) = body.chars().find(|c| !(c.is_ascii_digit() || " ()-./".contains(*c))) {
        return Err(format!(
            "--phone \"{}\" is not a phone number: it holds '{}' (digits, spaces, + ( ) - . / only)",
            crate::sanitize::quoted(trimmed),
            crate::sanitize::quoted(&bad.to_string())
        ));
    }
    let digits = phone_digits(body);
    if digits.len() < 3 {
        return Err(format!("--phone \"{}\" has too few digits to find a call by", crate::sanitize::quoted(trimmed)));
    }
    Ok(if plus { format!("+{digits}") } else { digits })
}

/// A `--since`/`--until` time: a span back from `now` (`30m`, `2h`, `1d`, `1w`, `90s`), an
/// RFC 3339 time (`2025-01-15T10:00:00Z`, with an offset), or a date or date-time without a
/// zone (`2025-01-15`, `2025-01-15T10:00`), which is read in `zone` (a date as its midnight).
///
/// # Errors
/// When the text is none of those, naming the forms that are.
pub fn parse_time(text: &str, now: Timestamp, zone: &TimeZone) -> Result<Timestamp, String> {
    let text = text.trim();
    let bad = || {
        format!(
            "\"{}\" is not a time: use a span back from now (30m, 2h, 1d, 1w), a date (2025-01-15, local \
             midnight), a local date-time (2025-01-15T10:00) or RFC 3339 (2025-01-15T10:00:00Z)",
            crate::sanitize::quoted(text)
        )
    };
    if let Some(ago) = span_seconds(text) {
        return now.checked_sub(jiff::SignedDuration::from_secs(ago)).map_err(|_| bad());
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    // jiff reads a date out of a date-time too (dropping the time), so the form decides.
    if text.contains(['T', 't', ' ', ':']) {
        if let Ok(datetime) = text.parse::<jiff::civil::DateTime>() {
            return zone.to_timestamp(datetime).map_err(|_| bad());
        }
    } else if let Ok(date) = text.parse::<jiff::civil::Date>() {
        return zone.to_timestamp(date.to_datetime(jiff::civil::Time::midnight())).map_err(|_| bad());
    }
    Err(bad())
}

/// `2h` as seconds, `None` when the text is not a number and a unit; one too large to mean
/// anything is `i64::MAX`, which no time can be that far before.
fn span_seconds(text: &str) -> Option<i64> {
    let unit_at = text.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = text.split_at(unit_at);
    if number.is_empty() {
        return None;
    }
    let per = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return None,
    };
    Some(
        number
            .parse::<i64>()
            .ok()
            .and_then(|n| n.checked_mul(per))
            .filter(|secs| *secs < 200 * 365 * 86_400)
            .unwrap_or(i64::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::international("+1 (555) 987-6543", "+15559876543")]
    #[case::dashes("555-987-6543", "5559876543")]
    #[case::dots("555.987.6543", "5559876543")]
    #[case::already_clean("+15559876543", "+15559876543")]
    #[case::spaces_around("  (555) 987 6543 ", "5559876543")]
    fn phones_become_digits(#[case] typed: &str, #[case] sent: &str) {
        assert_eq!(normalize_phone(typed).unwrap(), sent);
    }

    #[rstest::rstest]
    #[case::letters("555-CALL-NOW", "it holds 'C'")]
    #[case::plus_inside("555+123", "it holds '+'")]
    #[case::no_digits("()-", "too few digits")]
    #[case::empty("", "too few digits")]
    fn junk_is_refused(#[case] typed: &str, #[case] says: &str) {
        let err = normalize_phone(typed).unwrap_err();
        assert!(err.contains(says), "{err}");
    }

    fn now() -> Timestamp {
        "2025-01-15T12:00:00.5Z".parse().unwrap()
    }

    #[rstest::rstest]
    #[case::hours("2h", "2025-01-15T10:00:00.5Z")]
    #[case::minutes("30m", "2025-01-15T11:30:00.5Z")]
    #[case::days("1d", "2025-01-14T12:00:00.5Z")]
    #[case::weeks("1w", "2025-01-08T12:00:00.5Z")]
    #[case::rfc3339("2025-01-10T08:00:00Z", "2025-01-10T08:00:00Z")]
    #[case::offset("2025-01-10T08:00:00+02:00", "2025-01-10T06:00:00Z")]
    #[case::local_date("2025-01-15", "2025-01-15T05:00:00Z")]
    #[case::local_datetime("2025-01-15T10:00", "2025-01-15T15:00:00Z")]
    fn times_read_in_the_local_zone(#[case] typed: &str, #[case] utc: &str) {
        let zone = TimeZone::fixed(jiff::tz::offset(-5));
        assert_eq!(parse_time(typed, now(), &zone).unwrap(), utc.parse::<Timestamp>().unwrap());
    }

    #[rstest::rstest]
    #[case::unit("2y")]
    #[case::words("yesterday")]
    #[case::huge("99999999999d")]
    #[case::bad_date("2025-13-40")]
    fn bad_times_name_the_forms(#[case] typed: &str) {
        let err = parse_time(typed, now(), &TimeZone::UTC).unwrap_err();
        assert!(err.contains("2h, 1d"), "{err}");
    }

    #[test]
    fn one_of_the_exclusive_three_is_sent_and_the_rest_checked_here() {
        let query = CallQuery {
            phone: Some("+15559876543".into()),
            assistant_name: Some("desk".into()),
            status: Some("completed".into()),
            assistant_id: Some(4),
            since: Some(now()),
            ..CallQuery::default()
        };
        assert_eq!(
            query.params(200, 5000),
            [
                ("skip", "200".to_owned()),
                ("limit", "1000".to_owned()),
                ("customer_phone", "+15559876543".to_owned()),
                ("status", "completed".to_owned()),
                ("assistant_id", "4".to_owned()),
                ("date_from", "2025-01-15T12:00:00Z".to_owned()),
            ]
        );
        let call = |name: &str| CallInfo { assistant_name: Some(name.into()), ..CallInfo::default() };
        assert!(query.matches(&call("Front Desk")), "the phone was the server's to judge");
        assert!(!query.matches(&call("Sales")));
        let by_sid = CallQuery { call_sid: Some("ca7".into()), phone: None, ..query };
        let with =
            CallInfo { call_sid: Some("CA7".into()), assistant_name: Some("desk".into()), ..CallInfo::default() };
        assert!(by_sid.matches(&with));
    }

    #[test]
    fn the_filters_read_as_words() {
        let query = CallQuery { phone: Some("+1555".into()), since: Some(now()), ..CallQuery::default() };
        assert_eq!(query.describe(), "phone +1555, since 2025-01-15 12:00 UTC");
        assert_eq!(CallQuery::default().describe(), "");
    }
}
