use proptest::prelude::*;
use rstest::rstest;
use serde_json::Value;

use super::*;

#[rstest]
#[case::secret_string(r#"{"token":"abc","next":"b"}"#, r#"{"token":"[REDACTED]","next":"b"}"#)]
#[case::layout_and_case_kept(
    r#"{ "X-Api-Key" : "k" ,  "n" : 1.50e3 }"#,
    r#"{ "X-Api-Key" : "[REDACTED]" ,  "n" : 1.50e3 }"#
)]
#[case::secret_object(
    r#"{"auth":{"Authorization":{"a":[1,"}]"]},"b":2}}"#,
    r#"{"auth":{"Authorization":"[REDACTED]","b":2}}"#
)]
#[case::secret_array(r#"{"cookies": ["a", {"b": 1}], "x": []}"#, r#"{"cookies": "[REDACTED]", "x": []}"#)]
#[case::secret_number(r#"{"session_id":123456789012345678901234567890}"#, r#"{"session_id":"[REDACTED]"}"#)]
#[case::nothing_to_hide_is_kept(
    r#"{"password":null,"token_valid":true,"client_secret":""}"#,
    r#"{"password":null,"token_valid":true,"client_secret":""}"#
)]
#[case::escaped_key(r#"{"pass\u0077ord":"hunter2"}"#, r#"{"pass\u0077ord":"[REDACTED]"}"#)]
#[case::every_secret_word(
    r#"{"Signature":1,"passwd":2,"api_key":3,"apikey":4,"api-key":5,"SECRET":6,"cookie":7,"session":8,"authorization":9}"#,
    r#"{"Signature":"[REDACTED]","passwd":"[REDACTED]","api_key":"[REDACTED]","apikey":"[REDACTED]","api-key":"[REDACTED]","SECRET":"[REDACTED]","cookie":"[REDACTED]","session":"[REDACTED]","authorization":"[REDACTED]"}"#
)]
#[case::secret_key_in_an_array_of_objects(
    r#"[{"api_key":"k1"},{"name":"x","list":["token"]}]"#,
    r#"[{"api_key":"[REDACTED]"},{"name":"x","list":["token"]}]"#
)]
#[case::e164_phone(
    r#"{"customer":{"number":"+15551234567"},"assistant_id":123}"#,
    r#"{"customer":{"number":"+*********67"},"assistant_id":123}"#
)]
#[case::formatted_phones(
    r#"["+1 (555) 123-4567", "(555) 123-4567", "555.123.4567", "1-555-123-4567", "+44 20 7946 0958"]"#,
    r#"["+* (***) ***-**67", "(***) ***-**67", "***.***.**67", "*-***-***-**67", "+** ** **** **58"]"#
)]
#[case::email(r#"{"email":"jane.doe+x@mail.example.com"}"#, r#"{"email":"j***@mail.example.com"}"#)]
#[case::inside_prose(
    r#"{"summary":"Call +44 20 7946 0958 back or mail bob@corp.example.org."}"#,
    r#"{"summary":"Call +** ** **** **58 back or mail b***@corp.example.org."}"#
)]
#[case::sip_uri(r#"{"to":"sip:+15551234567@sip.example.com"}"#, r#"{"to":"sip:+***@sip.example.com"}"#)]
#[case::phone_as_key(r#"{"+15551234567":{"calls":2}}"#, r#"{"+*********67":{"calls":2}}"#)]
#[case::unchanged_strings_keep_their_escapes(r#"{"a":"\u00e9\n\/","n":-0.0e-0}"#, r#"{"a":"\u00e9\n\/","n":-0.0e-0}"#)]
#[case::changed_strings_are_re_encoded(r#"{"a":"line\nto +15551234567 \u00e9"}"#, r#"{"a":"line\nto +*********67 é"}"#)]
#[case::header_dump_in_a_string(
    r#"{"headers":"Authorization: Bearer abc.def\nAccept: */*"}"#,
    r#"{"headers":"Authorization: [REDACTED]\nAccept: */*"}"#
)]
#[case::bearer_in_prose(r#"["sent Bearer eyJhbGciOi.x-y_z== to it"]"#, r#"["sent Bearer [REDACTED] to it"]"#)]
#[case::not_phones(
    r#"["2025-08-24T19:22:04.123+02:00","192.168.1.10","1700000000","v1.2.3","CA5f1e0c2d5551234567","+1 2","$1,234,567.00"]"#,
    r#"["2025-08-24T19:22:04.123+02:00","192.168.1.10","1700000000","v1.2.3","CA5f1e0c2d5551234567","+1 2","$1,234,567.00"]"#
)]
#[case::top_level_string(r#""+15551234567""#, r#""+*********67""#)]
#[case::server_style_payload(
    r#"{"message":{"type":"status-update","phoneNumber":{"number":"+15557654321"},"call":{"id":"CAabc","customer":{"number":"+15551234567"}},"messages":[]}}"#,
    r#"{"message":{"type":"status-update","phoneNumber":{"number":"+*********21"},"call":{"id":"CAabc","customer":{"number":"+*********67"}},"messages":[]}}"#
)]
fn redact_json_masks_only_what_it_must(#[case] raw: &str, #[case] expected: &str) {
    let masked = redact_json(raw);
    assert_eq!(masked, expected);
    serde_json::from_str::<Value>(&masked).expect("still JSON");
    assert_eq!(redact_json(&masked), masked, "masking twice changes nothing more");
}

#[test]
fn redact_json_masks_a_cut_document_as_far_as_it_goes() {
    assert_eq!(
        redact_json(r#"{"email": "jo@example.com", "token": {"a": [1, "#),
        r#"{"email": "j***@example.com", "token": "[REDACTED]""#
    );
}

#[rstest]
#[case::phone_and_email(
    "Call +15551234567 or write to jane@example.com.",
    "Call +*********67 or write to j***@example.com."
)]
#[case::bearer("Authorization failed for Bearer abc123", "Authorization failed for Bearer [REDACTED]")]
#[case::header("Authorization: Bearer abc123\nX: y", "Authorization: [REDACTED]\nX: y")]
#[case::query_string(
    "https://h.example.com/cb?api_key=k-1&To=%2B15551234567&x=1",
    "https://h.example.com/cb?api_key=[REDACTED]&To=%2B*********67&x=1"
)]
#[case::cut_json(
    r#"{"session_id": 12345, "token": "abc", "x": {"password": {"a": 1}} ... [TRUNCATED]"#,
    r#"{"session_id": [REDACTED], "token": "[REDACTED]", "x": {"password": [REDACTED]} ... [TRUNCATED]"#
)]
#[case::xml(
    "<Response><Password>hunter2</Password></Response>",
    "<Response><Password>[REDACTED]</Password></Response>"
)]
#[case::html_prose("<p>Bad gateway</p> at 10:30 on 2025-08-24", "<p>Bad gateway</p> at 10:30 on 2025-08-24")]
#[case::empty_values_kept("token= &password=\"\"", "token= &password=\"\"")]
fn redact_text_masks_phones_emails_tokens_and_secret_pairs(#[case] text: &str, #[case] expected: &str) {
    assert_eq!(redact_text(text), expected);
    assert_eq!(redact_text(expected), expected, "masking twice changes nothing more");
}

#[rstest]
#[case::userinfo(
    "https://user:pw@hooks.example.com:8443/burki?x=1",
    "https://[REDACTED]@hooks.example.com:8443/burki?x=1"
)]
#[case::secret_query("https://h.example.com/p?token=abc&page=2", "https://h.example.com/p?token=[REDACTED]&page=2")]
#[case::at_in_path_is_not_userinfo("https://h.example.com/u/@me", "https://h.example.com/u/@me")]
#[case::plain("http://localhost:8000/hook", "http://localhost:8000/hook")]
fn redact_url_masks_credentials(#[case] url: &str, #[case] expected: &str) {
    assert_eq!(redact_url(url), expected);
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z0-9@.+() \\-\"\\\\/]{0,24}",
        Just("+15551234567".to_owned()),
        Just("(555) 123-4567 and jo@example.com".to_owned()),
        Just("Authorization: Bearer abc\n\"quoted\" \u{7f}\u{9b}".to_owned()),
        Just("token=\"x\\\" {[".to_owned()),
    ]
}

fn interesting_key() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        Just("token".to_owned()),
        Just("Authorization".to_owned()),
        Just("api-key".to_owned()),
        Just("+15551234567".to_owned()),
        Just("x\"token\":".to_owned()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(Value::from),
        interesting_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((interesting_key(), inner), 0..6)
                .prop_map(|members| Value::Object(members.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn redacted_json_is_still_json(value in json_value()) {
        for text in [value.to_string(), serde_json::to_string_pretty(&value).unwrap()] {
            let masked = redact_json(&text);
            prop_assert!(serde_json::from_str::<Value>(&masked).is_ok(), "{text}\n→ {masked}");
            prop_assert_eq!(redact_json(&masked), masked.clone());
        }
    }

    #[test]
    fn redact_text_never_panics(text in any::<String>()) {
        let _ = redact_text(&text);
        let _ = redact_json(&text);
        let _ = redact_url(&text);
    }
}

/// The process's own key (registered by `main` for the key it sends) is masked wherever it
/// shows, whole, cut, re-cased or escaped, in JSON strings and plain text alike.
#[test]
fn redaction_masks_the_users_own_key() {
    // A key no other test uses: registering it is process-wide.
    let key = "hs_own_QWERTYUIOPASDFGHJKL";
    crate::key_scrub::protect(&crate::api::ApiKey::new(key).unwrap());
    assert_eq!(
        redact_json(
            r#"{"echo":"sent hs_own_QWERTYUIOPASDFGHJKL","cut":"QWERTYUIOPASDFG","esc":"hs\u005fown\u005fQWERTYUIOPAS"}"#
        ),
        r#"{"echo":"sent [REDACTED]","cut":"[REDACTED]","esc":"[REDACTED]"}"#
    );
    assert_eq!(redact_text("upper HS_OWN_QWERTYUIOPASD, short QWERTYUIOP"), "upper [REDACTED], short QWERTYUIOP");
    assert_eq!(redact_url("https://h.example/cb/QWERTYUIOPASDFGHJKL?x=1"), "https://h.example/cb/[REDACTED]?x=1");
}
