use rstest::rstest;

use super::*;

fn lines(old: &str, new: &str) -> Vec<String> {
    diff(old, new).unwrap().iter().map(Change::line).collect()
}

#[rstest]
#[case::identical(r#"{"a":1,"b":[1,2]}"#, r#"{ "a": 1, "b": [1, 2] }"#, &[])]
#[case::changed(r#"{"a":1,"b":"x"}"#, r#"{"a":2,"b":"x"}"#, &["~ a: 1 → 2"])]
#[case::number_text_as_sent(r#"{"a":1.0}"#, r#"{"a":1}"#, &["~ a: 1.0 → 1"])]
#[case::big_integers_keep_their_digits(
    r#"{"id":123456789012345678901234567890}"#,
    r#"{"id":123456789012345678901234567891}"#,
    &["~ id: 123456789012345678901234567890 → 123456789012345678901234567891"]
)]
#[case::escapes_are_what_they_say(r#"{"a":"\u00e9"}"#, r#"{"a":"é"}"#, &[])]
#[case::added_and_removed(r#"{"a":1,"b":2}"#, r#"{"b":2,"c":{"d":true}}"#, &["- a: 1", "+ c: {\"d\":true}"])]
#[case::nested_paths(
    r#"{"message":{"call":{"id":"x"},"messages":[{"content":"hi"},{"content":"yo"}]}}"#,
    r#"{"message":{"call":{"id":"y"},"messages":[{"content":"hi"},{"content":"hey"}]}}"#,
    &["~ message.call.id: \"x\" → \"y\"", "~ message.messages[1].content: \"yo\" → \"hey\""]
)]
#[case::arrays_by_index("[1,2,3]", "[1,5]", &["~ [1]: 2 → 5", "- [2]: 3"])]
#[case::array_grows(r#"{"l":[]}"#, r#"{"l":["a"]}"#, &["+ l[0]: \"a\""])]
#[case::a_type_change(r#"{"a":{"b":1}}"#, r#"{"a":[1]}"#, &["~ a: {\"b\":1} → [1]"])]
#[case::null_to_a_value(r#"{"a":null}"#, r#"{"a":0}"#, &["~ a: null → 0"])]
#[case::whole_payloads("1", r#""one""#, &["~ (the whole payload): 1 → \"one\""])]
#[case::odd_names_are_quoted(r#"{"a.b":1,"":2}"#, r#"{"a.b":3,"":2}"#, &["~ [\"a.b\"]: 1 → 3"])]
#[case::control_characters_stay_escaped(r#"{"a":"x"}"#, r#"{"a":"\u001b[2J"}"#, &["~ a: \"x\" → \"\\u001b[2J\""])]
fn paths_that_differ(#[case] old: &str, #[case] new: &str, #[case] expected: &[&str]) {
    assert_eq!(lines(old, new), expected);
}

#[test]
fn long_values_are_cut() {
    let long = "x".repeat(500);
    let got = lines(r#"{"a":1}"#, &format!(r#"{{"a":"{long}"}}"#));
    assert_eq!(got.len(), 1);
    assert!(got[0].ends_with('…'), "{}", got[0]);
    assert!(got[0].chars().count() < 90, "{}", got[0]);
}

#[test]
fn deep_nesting_is_refused_without_a_crash() {
    let deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
    let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert_eq!(diff("{}", &deep), Err(DiffError::TooDeep { which: 1 }));
    assert_eq!(diff(&deep, "{}"), Err(DiffError::TooDeep { which: 0 }));
    assert_eq!(diff(&fine, &fine), Ok(Vec::new()));
    let very = "[".repeat(100_000);
    assert_eq!(diff(&very, "1"), Err(DiffError::TooDeep { which: 0 }));
}

#[rstest]
#[case::cut_short(r#"{"a":"#)]
#[case::trailing("{} x")]
#[case::no_colon(r#"{"a" 1}"#)]
#[case::not_json("NaN")]
#[case::empty("")]
fn what_is_not_json_says_so(#[case] text: &str) {
    assert_eq!(diff(text, "{}"), Err(DiffError::NotJson { which: 0 }));
}
