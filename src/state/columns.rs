//! The list's column widths, measured over every shown row once per filter change, so that
//! they do not change as the list scrolls. Only the type column varies: the others have a
//! fixed width, and the host takes what is left.

use unicode_width::UnicodeWidthStr;

use crate::model::WebhookLog;
use crate::sanitize;

/// The type column is never narrower than its title, nor wider than this.
pub const MIN_TYPE_WIDTH: u16 = 4;
pub const MAX_TYPE_WIDTH: u16 = 22;

/// The width of a type as the list draws it.
#[must_use]
pub fn drawn_width(name: &str) -> usize {
    if name.bytes().all(|b| (0x20..0x7f).contains(&b)) { name.len() } else { sanitize::short(name).width() }
}

/// The width of the widest type among the `shown` logs, as drawn, within the bounds above.
/// `widest_possible` is the widest type the filters let through: the scan stops on meeting it,
/// which is early in a big call, so a filter keystroke stays cheap.
#[must_use]
pub fn type_width(logs: &[WebhookLog], shown: &[usize], widest_possible: usize) -> u16 {
    let enough = widest_possible.min(usize::from(MAX_TYPE_WIDTH));
    let mut widest = usize::from(MIN_TYPE_WIDTH);
    let mut last: Option<&str> = None;
    for &index in shown {
        if widest >= enough {
            break;
        }
        let name = logs[index].webhook_type.as_str();
        // Same text as the previous row's (often the very same allocation): already measured.
        if last.is_some_and(|last| std::ptr::eq(last, name) || last == name) {
            continue;
        }
        last = Some(name);
        widest = widest.max(drawn_width(name));
    }
    u16::try_from(widest).unwrap_or(MAX_TYPE_WIDTH).min(MAX_TYPE_WIDTH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::LogSet;

    fn logs(types: &[&str]) -> LogSet {
        let entries: Vec<String> = types
            .iter()
            .enumerate()
            .map(|(id, kind)| {
                format!(
                    r#"{{"id": {id}, "webhook_url": "u", "webhook_type": {}, "success": true}}"#,
                    serde_json::json!(kind)
                )
            })
            .collect();
        LogSet::parse(format!("[{}]", entries.join(","))).unwrap()
    }

    #[rstest::rstest]
    #[case::widest_of_every_shown_row(&["tool", "transcript", "call_ended_with_report"], &[0, 1, 2], 22)]
    #[case::only_shown_rows_count(&["tool", "transcript", "call_ended_with_report"], &[0, 1], 10)]
    #[case::never_narrower_than_the_title(&["a", "b"], &[0, 1], 4)]
    #[case::no_rows(&["transcript"], &[], 4)]
    #[case::capped(&["an_unusually_long_webhook_type_name"], &[0], 22)]
    #[case::control_characters_as_drawn(&["ab\u{9b}c"], &[0], 11)]
    #[case::wide_characters_by_columns(&["通話開始"], &[0], 8)]
    fn the_type_column_fits_the_widest_shown_type(
        #[case] types: &[&str],
        #[case] shown: &[usize],
        #[case] expected: u16,
    ) {
        assert_eq!(type_width(&logs(types).logs, shown, usize::MAX), expected);
    }

    #[test]
    fn the_scan_stops_at_the_widest_the_filters_allow() {
        let set = logs(&["transcript", "tool", "call_ended_with_report"]);
        assert_eq!(type_width(&set.logs, &[0, 1, 2], 10), 10, "a type filter that admits nothing wider");
    }
}
