use std::fmt::Write as _;

use ratatui::style::{Color, Modifier, Style};

use super::*;
use crate::{json_text, sanitize};

/// An end-of-call report with `messages` transcript entries, pretty-printed and sanitized the
/// way the detail pane shows it.
pub(crate) fn pretty_document(messages: usize) -> Vec<String> {
    let mut raw =
        String::from(r#"{"message":{"type":"end-of-call-report","call":{"id":"CA5f1e","cost":0.0425},"messages":["#);
    for i in 0..messages {
        let role = if i.is_multiple_of(2) { "assistant" } else { "user" };
        let _ = write!(
            raw,
            r#"{}{{"role":"{role}","content":"Line {i}: \"quoted\" and é","time":{},"ok":true,"extra":null}}"#,
            if i == 0 { "" } else { "," },
            1_724_000_000_000u64 + i as u64
        );
    }
    raw.push_str("]}}");
    sanitize::lines(&json_text::pretty(&raw))
}

fn highlight_all(hl: &Highlighter, language: Language, text: &str) -> Vec<(String, LineStyles)> {
    let mut state = hl.start(language);
    sanitize::lines(text)
        .into_iter()
        .map(|line| {
            let styles = state.highlight_line(hl, &line);
            (line, styles)
        })
        .collect()
}

const SAMPLE_HTML: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><style>body { color: red; }</style>\n<script>var x = 1; // note\n</script></head>\n<body class=\"err\"><h1>502 Bad Gateway</h1><!-- c --></body>\n</html>";
const SAMPLE_XML: &str = "<?xml version=\"1.0\"?>\n<Response>\n  <Say voice=\"alice\">Hello &amp; bye</Say>\n  <![CDATA[ raw ]]>\n</Response>";

#[rstest::rstest]
#[case::object(r#"{"ok":true}"#, Language::Json)]
#[case::array_of_objects("[{\"a\":1}]", Language::Json)]
#[case::empty_array("[]", Language::Json)]
#[case::pretty_with_leading_space("\n  {\n    \"a\": 1\n  }", Language::Json)]
#[case::byte_order_mark("\u{feff}{\"a\":1}", Language::Json)]
#[case::truncated(r#"{"message":{"transcript":"Hello the... [TRUNCATED]"#, Language::Json)]
#[case::scalar_string(r#""accepted""#, Language::Json)]
#[case::scalar_number("42", Language::Json)]
#[case::scalar_true("true", Language::Json)]
#[case::log_line_in_brackets("[ERROR] upstream timed out", Language::Plain)]
#[case::template_braces("{{ name }} not found", Language::Plain)]
#[case::true_in_prose("true story", Language::Plain)]
#[case::number_in_prose("404 page not found", Language::Plain)]
#[case::doctype("<!DOCTYPE html>\n<html></html>", Language::Html)]
#[case::doctype_lowercase("<!doctype html><title>x</title>", Language::Html)]
#[case::html_tag("<HTML><head></head></HTML>", Language::Html)]
#[case::fragment_with_body("<head><title>502</title></head><BODY>bad gateway</BODY>", Language::Html)]
#[case::nginx_error("<html>\r\n<head><title>502 Bad Gateway</title></head>", Language::Html)]
#[case::xml_declaration("<?xml version=\"1.0\"?><a/>", Language::Xml)]
#[case::twiml("<Response><Say>Hi</Say></Response>", Language::Xml)]
#[case::xml_comment_first("<!-- generated --><feed/>", Language::Xml)]
#[case::plain("Internal Server Error", Language::Plain)]
#[case::less_than_prose("< 5 retries left", Language::Plain)]
#[case::empty("", Language::Plain)]
#[case::blank("  \n ", Language::Plain)]
fn detects_language(#[case] text: &str, #[case] expected: Language) {
    assert_eq!(detect_language(text), expected);
}

#[rstest::rstest]
#[case::dark_truecolor(ThemeChoice::Dark, ColorSupport::TrueColor)]
#[case::dark_256(ThemeChoice::Dark, ColorSupport::Ansi256)]
#[case::light_truecolor(ThemeChoice::Light, ColorSupport::TrueColor)]
#[case::light_256(ThemeChoice::Light, ColorSupport::Ansi256)]
fn json_keys_strings_and_numbers_differ(#[case] theme: ThemeChoice, #[case] color: ColorSupport) {
    let hl = Highlighter::new(theme, color);
    let lines = highlight_all(&hl, Language::Json, "{\n  \"role\": \"assistant\",\n  \"time\": 1724000000\n}");
    let (line, styles) = &lines[1];
    assert_eq!(line, "  \"role\": \"assistant\",");
    let key = styles.style_at(line.find("role").unwrap());
    let value = styles.style_at(line.find("assistant").unwrap());
    let (line, styles) = &lines[2];
    let number = styles.style_at(line.find("1724").unwrap());
    let key_again = styles.style_at(line.find("time").unwrap());

    assert!(key.fg.is_some() && value.fg.is_some() && number.fg.is_some(), "{key:?} {value:?} {number:?}");
    assert_ne!(key, value, "key vs string value");
    assert_ne!(key, number, "key vs number");
    assert_ne!(value, number, "string value vs number");
    assert_eq!(key, key_again, "every key alike");
    // The whole token shares one style, and plain punctuation is left to the terminal.
    let (line, styles) = &lines[1];
    assert_eq!(styles.style_at(line.find("tant").unwrap()), value);
    assert_eq!(styles.style_at(line.find(':').unwrap()), Style::new());
}

#[test]
fn no_color_yields_no_styles_at_all() {
    let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::None);
    assert_eq!(hl.color_support(), ColorSupport::None);
    for (language, text) in [
        (Language::Json, pretty_document(3).join("\n")),
        (Language::Html, SAMPLE_HTML.to_owned()),
        (Language::Xml, SAMPLE_XML.to_owned()),
    ] {
        for (line, styles) in highlight_all(&hl, language, &text) {
            assert!(styles.is_empty(), "{language:?} {line:?} got {styles:?}");
        }
    }
}

/// Every language and theme, so an unconverted colour anywhere would show up.
fn all_styles(color: ColorSupport) -> Vec<Style> {
    let mut all = Vec::new();
    for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
        let hl = Highlighter::new(theme, color);
        for (language, text) in [
            (Language::Json, pretty_document(3).join("\n")),
            (Language::Html, SAMPLE_HTML.to_owned()),
            (Language::Xml, SAMPLE_XML.to_owned()),
        ] {
            let lines = highlight_all(&hl, language, &text);
            assert!(lines.iter().any(|(_, styles)| !styles.is_empty()), "{language:?} got no styles");
            all.extend(lines.iter().flat_map(|(_, styles)| styles.runs().iter().map(|&(_, style)| style)));
        }
    }
    all
}

#[test]
fn ansi256_uses_only_indexed_colours_and_never_a_background() {
    for style in all_styles(ColorSupport::Ansi256) {
        assert!(matches!(style.fg, None | Some(Color::Indexed(_) | Color::Reset)), "{style:?}");
        assert_eq!(style.bg, None, "{style:?}");
    }
}

#[test]
fn truecolor_uses_rgb_and_never_a_background() {
    let styles = all_styles(ColorSupport::TrueColor);
    assert!(styles.iter().any(|style| matches!(style.fg, Some(Color::Rgb(..)))));
    for style in styles {
        assert!(matches!(style.fg, None | Some(Color::Rgb(..))), "{style:?}");
        assert_eq!(style.bg, None, "{style:?}");
    }
}

#[test]
fn html_and_xml_get_tag_colours() {
    let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    let html = highlight_all(&hl, Language::Html, SAMPLE_HTML);
    let (line, styles) = &html[5];
    assert!(styles.style_at(line.find("body").unwrap()).fg.is_some(), "{line}: {styles:?}");
    let xml = highlight_all(&hl, Language::Xml, SAMPLE_XML);
    let (line, styles) = &xml[2];
    assert!(styles.style_at(line.find("Say").unwrap()).fg.is_some(), "{line}: {styles:?}");
    assert_ne!(styles.style_at(line.find("Say").unwrap()), styles.style_at(line.find("alice").unwrap()));
}

#[test]
fn plain_text_is_never_styled() {
    let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    for (_, styles) in highlight_all(&hl, Language::Plain, "{\"a\": 1}\n<b>x</b>") {
        assert!(styles.is_empty());
    }
}

#[test]
fn lines_over_16_kb_are_skipped_and_the_document_goes_on() {
    let hl = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    let long = format!("  \"content\": \"{}\",", "x".repeat(MAX_HIGHLIGHT_BYTES));
    let exactly = format!("  \"c\": \"{}\",", "y".repeat(MAX_HIGHLIGHT_BYTES - 10));
    assert_eq!(exactly.len(), MAX_HIGHLIGHT_BYTES);
    // The sanitizer cuts raw lines over 16 KB and appends a note, so the cut line is skipped too.
    let cut = sanitize::line(&format!("  \"cut\": \"{}\",", "z".repeat(40_000))).into_owned();
    assert!(cut.len() > MAX_HIGHLIGHT_BYTES);

    let mut state = hl.start(Language::Json);
    let before = state.highlight_line(&hl, "{");
    assert!(state.highlight_line(&hl, long.as_str()).is_empty(), "long line styled");
    assert!(!state.highlight_line(&hl, exactly.as_str()).is_empty(), "a line of exactly 16 KB is styled");
    assert!(state.highlight_line(&hl, cut.as_str()).is_empty(), "cut line styled");
    let after = "  \"after\": 1,";
    let styles = state.highlight_line(&hl, after);
    let mut fresh = hl.start(Language::Json);
    fresh.highlight_line(&hl, "{");
    assert_eq!(styles, fresh.highlight_line(&hl, after), "the parser lost its place after a skipped line");
    assert_ne!(styles.style_at(3), styles.style_at(after.find('1').unwrap()));
    assert!(before.is_empty(), "braces keep the terminal's colour");
}

#[test]
fn offsets_stay_inside_the_line_on_character_boundaries() {
    let hl = Highlighter::new(ThemeChoice::Light, ColorSupport::TrueColor);
    let text = "{\n  \"naïve ☎\": \"café ⟨U+202E⟩ 電話\",\n  \"n\": -1.5e3\n}";
    for (line, styles) in highlight_all(&hl, Language::Json, text) {
        let mut previous = None;
        for &(offset, _) in styles.runs() {
            let offset = offset as usize;
            assert!(offset < line.len() && line.is_char_boundary(offset), "{line:?} at {offset}");
            assert!(previous < Some(offset), "offsets must increase: {styles:?}");
            previous = Some(offset);
        }
        let rendered: String =
            styled_line(&line, &styles, Style::new()).spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(rendered, line);
    }
}

#[test]
fn styled_line_patches_styles_onto_the_base() {
    let green = Style::new().fg(Color::Green);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let styles = LineStyles(vec![(2, green), (5, Style::new())]);
    let base = Style::new().fg(Color::White).bg(Color::Blue);
    let line = styled_line("ab\"cd\",", &styles, base);
    let spans: Vec<_> = line.spans.iter().map(|s| (s.content.as_ref(), s.style)).collect();
    assert_eq!(spans, [("ab", base), ("\"cd", base.fg(Color::Green)), ("\",", base)]);

    let unstyled = styled_line("plain", &LineStyles::default(), bold);
    assert_eq!(unstyled.spans.len(), 1);
    assert_eq!((unstyled.spans[0].content.as_ref(), unstyled.spans[0].style), ("plain", bold));
    assert_eq!(styled_line("", &LineStyles::default(), bold).spans.len(), 1);
}

#[test]
fn styled_line_survives_styles_from_another_text() {
    let styles = LineStyles(vec![(1, Style::new().fg(Color::Red)), (9, Style::new()), (40, Style::new())]);
    // Offset 1 falls inside "é"; 40 is past the end.
    let line = styled_line("éa\"bcdefgh", &styles, Style::new());
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    assert_eq!(text, "éa\"bcdefgh");
}

#[test]
fn a_state_fed_to_another_highlighter_styles_nothing_instead_of_panicking() {
    let one = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    let other = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    let mut state = one.start(Language::Html);
    assert!(state.highlight_line(&other, "<p class=\"a\">").is_empty());
    assert!(!state.highlight_line(&one, "<p class=\"a\">").is_empty());
}

#[test]
fn highlighter_is_shareable_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Highlighter>();
    assert_send_sync::<HighlightState>();
    let hl = std::sync::Arc::new(Highlighter::new(ThemeChoice::Dark, ColorSupport::Ansi256));
    let worker = std::sync::Arc::clone(&hl);
    let styles = std::thread::spawn(move || worker.start(Language::Json).highlight_line(&worker, "42")).join().unwrap();
    assert!(!styles.is_empty());
}

#[test]
fn warm_up_leaves_highlighting_unchanged() {
    let cold = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    let warm = Highlighter::new(ThemeChoice::Dark, ColorSupport::TrueColor);
    warm.warm_up();
    let styles = |hl: &Highlighter| {
        highlight_all(hl, Language::Html, SAMPLE_HTML).into_iter().map(|(_, s)| s).collect::<Vec<_>>()
    };
    assert_eq!(styles(&warm), styles(&cold));
    Highlighter::new(ThemeChoice::Light, ColorSupport::None).warm_up();
}

#[test]
fn a_style_change_stays_20_bytes() {
    assert!(size_of::<(u32, Style)>() <= 20, "{} bytes", size_of::<(u32, Style)>());
}
