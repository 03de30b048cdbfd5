//! The call list's screen: a header with the filters and the count, the calls newest first, a
//! status line (the filter being typed, "loading more…", a page that failed) and the keys.
//! Everything from the server goes through `sanitize` (in `print_calls::row`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::{SPINNER, footer, help, message};
use crate::action::CallsAction;
use crate::browser::{Browser, ListLoad};
use crate::columns::cut;
use crate::model::time;

/// Below this width the assistant and SID columns are left out, and times lose their seconds.
const WIDE: u16 = 110;
const GAP: usize = 2;
/// The selection mark, so the selected row reads without colour too.
const MARK: &str = "› ";

pub fn render(frame: &mut Frame, browser: &Browser, theme: &Theme) {
    let area = frame.area();
    let [header, titles, list, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    render_header(frame, header, browser, theme);
    let body = titles.union(list);
    match &browser.load {
        ListLoad::Loading => {
            let spinner = SPINNER[browser.spinner % SPINNER.len()];
            let lines = [
                Line::styled(format!("{spinner} Fetching the call list…"), theme.accent),
                Line::raw(""),
                hints(browser, theme, &[(CallsAction::Quit, "quit")]),
            ];
            message(frame, body, theme, "Loading", &lines);
        }
        ListLoad::Failed(failure) => {
            let lines = [
                Line::styled(crate::sanitize::line(&failure.message).into_owned(), theme.failed),
                Line::raw(""),
                Line::raw(crate::sanitize::line(&failure.hint).into_owned()),
                Line::raw(""),
                hints(browser, theme, &[(CallsAction::Reload, "try again"), (CallsAction::Quit, "quit")]),
            ];
            message(frame, body, theme, "Could not load the call list", &lines);
        }
        ListLoad::Loaded if browser.calls.is_empty() && browser.fetching.is_none() => {
            let filters = browser.filters_text();
            let mut lines = Vec::new();
            if filters.is_empty() {
                lines.push(Line::raw("The organisation has no calls."));
            } else {
                lines.push(Line::raw(format!("No calls match {filters}.")));
                lines.push(Line::raw(""));
                lines.push(hints(browser, theme, &[(CallsAction::ClearFilters, "clear the filters")]));
            }
            lines.push(Line::raw(""));
            lines.push(hints(browser, theme, &[(CallsAction::Reload, "fetch again"), (CallsAction::Quit, "quit")]));
            message(frame, body, theme, "No calls", &lines);
        }
        ListLoad::Loaded => render_list(frame, titles, list, browser, theme),
    }
    render_status(frame, status, browser, theme);
    let all = browser.keymap.hints(browser.mode());
    let fitted = footer::fit_hints(&all, usize::from(keys.width));
    frame.render_widget(Paragraph::new(footer::hint_line(theme, &fitted)), keys);
    if let Some(scroll) = browser.help {
        render_help(frame, browser, theme, scroll);
    }
}

fn hints(browser: &Browser, theme: &Theme, wanted: &[(CallsAction, &str)]) -> Line<'static> {
    let keyed: Vec<(String, &str)> = wanted
        .iter()
        .filter_map(|&(action, what)| browser.keymap.calls.key_label(action).map(|key| (key, what)))
        .collect();
    footer::hint_line(theme, &keyed)
}

fn render_header(frame: &mut Frame, area: Rect, browser: &Browser, theme: &Theme) {
    let filters = browser.filters_text();
    let count = match (browser.total, browser.exhausted) {
        _ if browser.load == ListLoad::Loading => "loading".to_owned(),
        _ if matches!(browser.load, ListLoad::Failed(_)) => "not loaded".to_owned(),
        (Some(total), _) => format!("{} of {total} calls", browser.calls.len()),
        (None, true) => format!("{} calls", browser.calls.len()),
        (None, false) => format!("{}+ calls", browser.calls.len()),
    };
    let right = format!("{count} · {} ", browser.time.label());
    let left_room = usize::from(area.width).saturating_sub(right.width() + 1);
    let title = if area.width >= WIDE { " hookscope · calls" } else { " calls" };
    let mut spans = vec![Span::styled(title, theme.title)];
    let shown_filters = if filters.is_empty() { "all calls".to_owned() } else { filters };
    let used = title.width() + 2;
    spans.push(Span::raw("  "));
    spans.push(Span::styled(cut(&shown_filters, left_room.saturating_sub(used)), theme.accent));
    let left_width: usize = spans.iter().map(|span| span.content.width()).sum();
    let pad = usize::from(area.width).saturating_sub(left_width + right.width());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(right, theme.dim));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The columns at this width and their widths; `None` for a column left out.
struct Columns {
    time: usize,
    assistant: Option<usize>,
    sid: Option<usize>,
    id: usize,
    deliveries: Option<usize>,
}

const DURATION: usize = 7;
const STATUS: usize = 11;
const PHONE: usize = 15;
const ASSISTANT: usize = 16;
/// Narrower than this, the SID column says too little to be worth its room.
const MIN_SID: usize = 12;

impl Columns {
    /// `rows` are the shown calls' cells; `deliveries` their delivery counts, long and short.
    fn fit(width: u16, rows: &[[String; 7]], deliveries: &[Option<(String, String)>]) -> (Self, bool) {
        let widest =
            |index: usize, least: usize| rows.iter().map(|row| row[index].width()).max().unwrap_or(0).max(least);
        let wide = width >= WIDE;
        let time = if wide { 19 } else { 16 };
        let id = widest(6, 2);
        let assistant = wide.then(|| widest(3, "assistant".len()).min(ASSISTANT));
        let fixed = MARK.width() + time + DURATION + STATUS + PHONE + id + 4 * GAP + assistant.map_or(0, |w| w + GAP);
        let rest = usize::from(width).saturating_sub(fixed);
        let sid_wanted = if wide { widest(5, 3) + GAP } else { 0 };
        let long = deliveries.iter().flatten().map(|(long, _)| long.width()).max();
        let short = deliveries.iter().flatten().map(|(_, short)| short.width()).max();
        // The long form (`12 deliveries · 3 failed`) where it leaves the SID whole, else the short.
        let (deliveries, use_short) = match (long, short) {
            (Some(long), _) if long + GAP + sid_wanted <= rest => (Some(long), false),
            (_, Some(short)) => (Some(short.min(rest.saturating_sub(GAP))), true),
            _ => (None, false),
        };
        let rest = rest.saturating_sub(deliveries.map_or(0, |w| w + GAP));
        let sid = (wide && rest >= MIN_SID + GAP).then(|| (rest - GAP).min(sid_wanted.saturating_sub(GAP)));
        (Self { time, assistant, sid, id, deliveries }, use_short)
    }

    /// The cells of one row in order, with the widths they get.
    fn cells(&self, row: [String; 7], deliveries: Option<String>) -> Vec<(String, usize)> {
        let [started, duration, status, assistant, phone, sid, id] = row;
        let mut cells = vec![(started, self.time), (duration, DURATION), (status, STATUS)];
        if let Some(width) = self.assistant {
            cells.push((assistant, width));
        }
        cells.push((phone, PHONE));
        if let Some(width) = self.sid {
            cells.push((sid, width));
        }
        cells.push((id, self.id));
        if let Some(width) = self.deliveries {
            cells.push((deliveries.unwrap_or_default(), width));
        }
        cells
    }
}

fn line_of(cells: &[(String, usize)]) -> String {
    let mut line = String::new();
    for (index, (text, width)) in cells.iter().enumerate() {
        let text = cut(text, *width);
        line.push_str(&text);
        if index + 1 < cells.len() {
            line.push_str(&" ".repeat(width.saturating_sub(text.width()) + GAP));
        }
    }
    line
}

fn render_list(frame: &mut Frame, titles: Rect, list: Rect, browser: &Browser, theme: &Theme) {
    let rows = usize::from(list.height);
    let shown: Vec<_> = browser.calls.iter().enumerate().skip(browser.scroll).take(rows).collect();
    let cells: Vec<[String; 7]> = shown
        .iter()
        .map(|(_, call)| {
            let mut row = crate::print_calls::row(call, browser.redact);
            if let Some(at) = call.started_at.as_deref().and_then(time::parse_timestamp) {
                let mut text = String::new();
                time::write_date_time(&mut text, at, &browser.time.zone());
                text.truncate(19);
                row[0] = text;
            }
            row
        })
        .collect();
    let deliveries: Vec<Option<(String, String)>> = shown
        .iter()
        .map(|(_, call)| call.id.and_then(|id| browser.opened.get(&id)).map(|d| (d.text(false), d.text(true))))
        .collect();
    let (columns, short) = Columns::fit(titles.width, &cells, &deliveries);
    let heading = ["started", "length", "status", "assistant", "customer", "SID", "id"].map(str::to_owned);
    let title_cells = columns.cells(heading, Some("deliveries".to_owned()));
    frame.render_widget(
        Paragraph::new(Line::styled(format!("{}{}", " ".repeat(MARK.width()), line_of(&title_cells)), theme.title)),
        titles,
    );
    let lines: Vec<Line<'_>> = shown
        .iter()
        .zip(cells)
        .zip(deliveries)
        .map(|(((index, call), mut row), delivered)| {
            row[0].truncate(columns.time);
            let failed_status = call.status.as_deref().is_some_and(|status| {
                matches!(status.to_ascii_lowercase().as_str(), "failed" | "busy" | "no-answer" | "canceled")
            });
            let failed_deliveries = call.id.and_then(|id| browser.opened.get(&id)).is_some_and(|d| d.failed > 0);
            let selected = *index == browser.selected;
            let delivered = delivered.map(|(long, brief)| if short { brief } else { long });
            let text = format!("{}{}", if selected { MARK } else { "  " }, line_of(&columns.cells(row, delivered)));
            let style = if selected {
                theme.selected
            } else if failed_status || failed_deliveries {
                theme.failed
            } else {
                Style::new()
            };
            Line::styled(text, style)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

fn render_status(frame: &mut Frame, area: Rect, browser: &Browser, theme: &Theme) {
    let line = if let Some(line) = &browser.line {
        let mut spans = vec![
            Span::styled(line.field.prompt(), theme.key),
            Span::raw(crate::sanitize::short(&line.text).into_owned()),
            Span::styled("▏", theme.accent),
        ];
        if let Some(why) = &browser.status {
            spans.push(Span::styled(format!("  {}", crate::sanitize::line(why)), theme.warn));
        }
        Line::from(spans)
    } else if let Some(why) = &browser.page_error {
        Line::styled(crate::sanitize::line(why).into_owned(), theme.warn)
    } else if browser.fetching.is_some() && browser.load == ListLoad::Loaded {
        let spinner = SPINNER[browser.spinner % SPINNER.len()];
        Line::styled(format!("{spinner} loading more…"), theme.accent)
    } else if let Some(why) = &browser.status {
        Line::styled(crate::sanitize::line(why).into_owned(), theme.warn)
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn render_help(frame: &mut Frame, browser: &Browser, theme: &Theme, scroll: usize) {
    let lines = help::section_lines(browser.keymap.calls_help_sections(), theme);
    let area = crate::layout::help_box(frame.area(), lines.len());
    let page = usize::from(area.height.saturating_sub(2));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border_focused)
        .title(Span::styled(" Keys ", theme.title));
    let block = if page < lines.len() {
        let last = (scroll + page).min(lines.len());
        block.title_bottom(Span::styled(format!(" {}-{last} of {} ", scroll + 1, lines.len()), theme.key))
    } else {
        block
    };
    frame.render_widget(Clear, area);
    frame.render_widget(Paragraph::new(lines.into_iter().skip(scroll).collect::<Vec<_>>()).block(block), area);
}
