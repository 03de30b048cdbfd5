//! One page of the organisation's calls (`GET /api/v1/calls/`). Current servers answer
//! `{items, total, skip, limit}`, older ones a bare array; both are read. Each entry is a call
//! object read by [`CallInfo::from_json`], so one bad entry costs only itself: it is named in
//! [`CallPage::problems`] and the others are kept.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::CallInfo;

/// A call as the list shows it: the same lenient reading as the call's own route, its JSON
/// kept as sent for `--print json`.
pub type CallSummary = CallInfo;

/// One page of calls, in the server's order (newest `started_at` first).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallPage {
    pub calls: Vec<CallSummary>,
    /// How many calls match the filters in all, when the server says (a bare array does not).
    pub total: Option<u64>,
    /// How many entries the page held, bad ones included: a page shorter than asked for is the
    /// last one, whatever the entries were.
    pub received: usize,
    /// Entries skipped, each naming its place (`entry 3 of the page`) and why.
    pub problems: Vec<String>,
}

/// The current servers' shape; other members (`skip`, `limit`) are not needed.
#[derive(Deserialize)]
struct Paged<'a> {
    #[serde(borrow)]
    items: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    total: Option<&'a RawValue>,
}

impl CallPage {
    /// # Errors
    /// When the body is neither a JSON array nor an object with an `items` array: the text says
    /// what it is instead.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let not_a_list = || "JSON that is neither a list of calls nor an object with `items`".to_owned();
        let top: &RawValue = serde_json::from_str(text).map_err(|err| format!("text that is not JSON ({err})"))?;
        let (items, total) = match top.get().as_bytes().first() {
            Some(b'[') => (serde_json::from_str::<Vec<&RawValue>>(top.get()).map_err(|_| not_a_list())?, None),
            Some(b'{') => {
                let paged: Paged<'_> = serde_json::from_str(top.get()).map_err(|_| not_a_list())?;
                (paged.items, paged.total.and_then(|raw| serde_json::from_str::<u64>(raw.get()).ok()))
            }
            _ => return Err(not_a_list()),
        };
        let mut page = Self { total, received: items.len(), ..Self::default() };
        for (index, item) in items.into_iter().enumerate() {
            match CallInfo::from_json(item.get()) {
                Ok(call) => page.calls.push(call),
                Err(why) => page.problems.push(format!("entry {} of the page skipped: {why}", index + 1)),
            }
        }
        Ok(page)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CALL: &str =
        r#"{"id": 7, "call_sid": "CA7", "status": "completed", "customer_phone_number": "+15559876543"}"#;

    #[test]
    fn both_shapes_read_the_same_calls() {
        let paged =
            CallPage::from_json(&format!(r#"{{"items": [{CALL}], "total": 42, "skip": 0, "limit": 1}}"#)).unwrap();
        let bare = CallPage::from_json(&format!("[{CALL}]")).unwrap();
        assert_eq!(paged.calls, bare.calls);
        assert_eq!(paged.calls[0].id, Some(7));
        assert_eq!((paged.total, bare.total), (Some(42), None));
        assert_eq!((paged.received, bare.received), (1, 1));
    }

    #[test]
    fn a_bad_entry_costs_only_itself() {
        let page = CallPage::from_json(&format!(r#"[{CALL}, 5, "x", {{"id": "not a number", "status": 3}}, {CALL}]"#))
            .unwrap();
        assert_eq!(page.calls.len(), 3, "two good ones and the object with odd fields");
        assert_eq!(page.calls[1].id, None);
        assert_eq!(page.received, 5);
        assert_eq!(
            page.problems,
            [
                "entry 2 of the page skipped: the call is not a JSON object",
                "entry 3 of the page skipped: the call is not a JSON object"
            ]
        );
    }

    #[test]
    fn what_is_no_page_says_what_it_is() {
        assert_eq!(
            CallPage::from_json(r#"{"detail": "x"}"#).unwrap_err(),
            "JSON that is neither a list of calls nor an object with `items`"
        );
        assert!(CallPage::from_json("<html>").unwrap_err().starts_with("text that is not JSON"));
        assert_eq!(CallPage::from_json(r#"{"items": [], "total": null}"#).unwrap().total, None);
    }
}
