//! The highlighting budgets from DESIGN.md: loading once per session, colouring the visible
//! top of a 1.5 MB payload within a frame, and whole-document throughput in the background.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hookscope::highlight::{ColorSupport, Highlighter, Language, ThemeChoice, highlight_in_chunks, styled_line};
use hookscope::{json_text, sanitize};
use ratatui::style::Style;

const TARGET_BYTES: usize = 1_500_000;

/// An end-of-call report whose transcript has as many `{"role","content"}` messages as it takes
/// to reach 1.5 MB pretty-printed, deterministic so runs compare.
fn end_of_call_report() -> String {
    let mut raw = String::from(
        r#"{"message":{"type":"end-of-call-report","endedReason":"customer-ended-call","call":{"id":"CA5f1e9b2c","orgId":"org_101","cost":0.4213,"startedAt":"2025-08-24T19:22:04.123456Z"},"artifact":{"messages":["#,
    );
    let mut i = 0u64;
    while raw.len() < TARGET_BYTES * 7 / 10 {
        let (role, content) = if i.is_multiple_of(2) {
            (
                "bot",
                "Thanks for calling Acme support. I can help with billing, orders and returns; which one is it today?",
            )
        } else {
            ("user", "Hi, I was charged twice for order \"A-1029\" and the second charge is still pending on my card.")
        };
        let _ = write!(
            raw,
            r#"{}{{"role":"{role}","message":"{content} ({i})","time":{},"endTime":{},"secondsFromStart":{}.{},"duration":{},"source":null,"toolCalls":[]}}"#,
            if i == 0 { "" } else { "," },
            1_756_063_324_123 + i * 4_000,
            1_756_063_327_456 + i * 4_000,
            i * 4,
            i % 10,
            3_000 + i % 997,
        );
        i += 1;
    }
    raw.push_str(r#"]},"analysis":{"successEvaluation":true,"summary":"Duplicate charge refunded."}}}"#);
    json_text::pretty(&raw)
}

/// A 10 KB error page with inline CSS and script, as a misconfigured proxy returns.
fn error_page() -> String {
    let mut page = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>502 Bad Gateway</title>\n<style>\n  body { font-family: sans-serif; color: #333; margin: 2em; }\n  .trace { background: #f4f4f4; padding: 1em; }\n</style>\n<script>\n  window.onload = function () { document.title = 'Error ' + 502; };\n</script>\n</head>\n<body>\n<h1 class=\"title\">502 Bad Gateway</h1>\n<div class=\"trace\">\n",
    );
    let mut i = 0;
    while page.len() < 10_240 {
        let _ = writeln!(page, "  <p id=\"frame-{i}\">at <code>handler.process(request, &amp;ctx)</code> line {i}</p>");
        i += 1;
    }
    page.push_str("</div>\n</body>\n</html>\n");
    page
}

fn benches(c: &mut Criterion) {
    let text = end_of_call_report();
    let lines = sanitize::lines(&text);
    let bytes: usize = lines.iter().map(|line| line.len() + 1).sum();
    eprintln!("document: {} bytes, {} lines", bytes, lines.len());
    let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);

    let mut group = c.benchmark_group("highlight");
    group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(5));

    group.bench_function("new", |b| b.iter(|| Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor)));

    // What the detail pane needs before its first frame, whatever happens to highlighting.
    group
        .bench_function("prepare_1.5MB_pretty_and_sanitize", |b| b.iter(|| sanitize::lines(&json_text::pretty(&text))));

    group.bench_function("first_100_lines", |b| {
        b.iter(|| {
            let mut state = hl.start(Language::Json);
            lines[..100].iter().map(|line| state.highlight_line(&hl, line)).collect::<Vec<_>>()
        });
    });

    // A first document in a fresh session: syntax loading and regex compilation included.
    group.bench_function("first_100_lines_cold", |b| {
        b.iter(|| {
            let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
            let mut state = hl.start(Language::Json);
            lines[..100].iter().map(|line| state.highlight_line(&hl, line)).collect::<Vec<_>>()
        });
    });

    // Response bodies are cut at 10240 characters by the server; HTML is the slowest syntax.
    let html = sanitize::lines(&error_page());
    group.bench_function("html_10KB_body", |b| {
        b.iter(|| {
            let mut state = hl.start(Language::Html);
            html.iter().map(|line| state.highlight_line(&hl, line)).collect::<Vec<_>>()
        });
    });
    group.bench_function("html_10KB_body_cold", |b| {
        b.iter(|| {
            let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
            let mut state = hl.start(Language::Html);
            html.iter().map(|line| state.highlight_line(&hl, line)).collect::<Vec<_>>()
        });
    });

    group.bench_function("new_and_warm_up", |b| {
        b.iter(|| {
            let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
            hl.warm_up();
            hl
        });
    });

    group.bench_function("render_60_visible_lines", |b| {
        let mut state = hl.start(Language::Json);
        let styles: Vec<_> = lines[..60].iter().map(|line| state.highlight_line(&hl, line)).collect();
        b.iter(|| {
            lines[..60]
                .iter()
                .zip(&styles)
                .map(|(line, styles)| styled_line(line, styles, Style::new()))
                .collect::<Vec<_>>()
        });
    });
    group.finish();

    let mut group = c.benchmark_group("highlight_whole_document");
    group.sample_size(10).measurement_time(Duration::from_secs(10)).throughput(Throughput::Bytes(bytes as u64));
    for (name, color) in [("truecolor", ColorSupport::TrueColor), ("ansi256", ColorSupport::Ansi256)] {
        let hl = Highlighter::new(ThemeChoice::Dark, color);
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut chunks = 0;
                highlight_in_chunks(
                    &hl,
                    Language::Json,
                    &lines,
                    || false,
                    |_, styles| chunks += black_box(styles).len(),
                );
                chunks
            });
        });
    }
    group.finish();
}

criterion_group!(highlight, benches);
criterion_main!(highlight);
