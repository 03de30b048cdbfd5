//! Arbitrary bytes as a response body or `--file` document: decoding must never panic, and what
//! decodes must survive what every output path does with it first.

#![no_main]

use hookscope::{case_file, export, json_text};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(loaded) = case_file::parse_document(String::from_utf8_lossy(data).into_owned()) else {
        return;
    };
    let set = &loaded.logs;
    let report = set.problem_report();
    let problems = set.logs.iter().map(|log| log.problems().len()).sum::<usize>();
    assert_eq!(report.len(), set.body_problems.len() + set.rejected.len() + problems);
    let logs: Vec<_> = set.logs.iter().collect();
    for log in &logs {
        if let Some(payload) = log.payload() {
            let _ = json_text::pretty(payload);
        }
    }
    // The exact copy (`--print json`) must read back to the same logs.
    let json = export::json_array(&logs);
    let again = case_file::parse_document(json).expect("--print json output decodes");
    let ids = |set: &hookscope::model::LogSet| set.logs.iter().map(|log| log.id).collect::<Vec<_>>();
    assert_eq!(ids(&again.logs), ids(set));
});
