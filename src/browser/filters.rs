//! The call list's filters as keys set them: a one-line input per filter, like the explorer's
//! search line, read when Enter applies it (the list is then fetched again from its first page).

use super::{Browser, CallsEffect};
use crate::calls_query::{normalize_phone, parse_time};

/// The filter a line edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Phone,
    Status,
    AssistantId,
    Since,
}

impl Field {
    /// The line's prompt: `phone: `.
    #[must_use]
    pub fn prompt(self) -> &'static str {
        match self {
            Self::Phone => "phone: ",
            Self::Status => "status: ",
            Self::AssistantId => "assistant id: ",
            Self::Since => "since (2h, 1d, 2025-01-15): ",
        }
    }
}

/// A filter being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLine {
    pub field: Field,
    pub text: String,
}

impl Browser {
    pub(super) fn open_line(&mut self, field: Field) -> Vec<CallsEffect> {
        let text = match field {
            Field::Phone => self.query.phone.clone(),
            Field::Status => self.query.status.clone(),
            Field::AssistantId => self.query.assistant_id.map(|id| id.to_string()),
            Field::Since => self.since_text.clone(),
        };
        self.line = Some(FilterLine { field, text: text.unwrap_or_default() });
        Vec::new()
    }

    /// Reads the line into its filter and fetches the list again; a line that cannot be read
    /// stays open, with why in the status line.
    pub(super) fn apply_line(&mut self) -> Vec<CallsEffect> {
        let Some(FilterLine { field, text }) = self.line.clone() else { return Vec::new() };
        let text = text.trim();
        let given = (!text.is_empty()).then_some(text);
        let read: Result<(), String> = match field {
            Field::Phone => given
                .map(|phone| normalize_phone(phone).map_err(|why| why.trim_start_matches("--phone ").to_owned()))
                .transpose()
                .map(|phone| self.query.phone = phone),
            Field::Status => {
                self.query.status = given.map(str::to_lowercase);
                Ok(())
            }
            Field::AssistantId => given
                .map(|id| {
                    id.parse::<i64>()
                        .map_err(|_| format!("\"{}\" is not an assistant id (a number)", crate::sanitize::quoted(id)))
                })
                .transpose()
                .map(|id| self.query.assistant_id = id),
            Field::Since => given
                .map(|since| parse_time(since, jiff::Timestamp::now(), &jiff::tz::TimeZone::system()))
                .transpose()
                .map(|since| {
                    self.query.since = since;
                    self.since_text = given.map(str::to_owned);
                }),
        };
        match read {
            Ok(()) => {
                self.line = None;
                self.status = None;
                self.requery()
            }
            Err(why) => {
                self.status = Some(why);
                Vec::new()
            }
        }
    }

    /// A since typed as a span (`2h`) counts back from now again, as `r` fetches the list
    /// again; a date or a time stays what it was.
    pub(super) fn since_from_now(&mut self) {
        if let Some(text) = &self.since_text
            && let Ok(since) = parse_time(text, jiff::Timestamp::now(), &jiff::tz::TimeZone::system())
        {
            self.query.since = Some(since);
        }
    }

    /// The filters in the header's words: `phone +15559876543 · since 2h`; empty for none.
    #[must_use]
    pub fn filters_text(&self) -> String {
        let query = &self.query;
        let mut parts: Vec<String> = Vec::new();
        let mut push = |label: &str, value: Option<String>| {
            if let Some(value) = value {
                parts.push(format!("{label} {value}"));
            }
        };
        push("phone", query.phone.clone());
        push("SID", query.call_sid.clone());
        push("assistant", query.assistant_name.clone());
        push("assistant id", query.assistant_id.map(|id| id.to_string()));
        push("status", query.status.clone());
        let since =
            self.since_text.clone().or_else(|| query.since.map(|at| at.strftime("%Y-%m-%d %H:%M UTC").to_string()));
        push("since", query.since.and(since));
        push("until", query.until.map(|at| at.strftime("%Y-%m-%d %H:%M UTC").to_string()));
        crate::sanitize::line(&parts.join(" · ")).into_owned()
    }
}
