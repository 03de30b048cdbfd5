//! Where everything goes on screen, for a screen size. Pure and shared by both sides: `ui`
//! draws into these areas, and `State::update` uses them to page by a screenful, scroll the
//! detail and map a mouse click to a row, without depending on the drawing code.

use ratatui::layout::{Constraint, Layout, Rect};

/// From this width on, the list and the detail stand side by side; narrower, they stack.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 150;

/// Lines of the fixed summary above the detail tabs.
pub const DETAIL_SUMMARY_LINES: u16 = 5;

/// Columns of the help overlay, its borders included.
pub const HELP_WIDTH: u16 = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub header: Rect,
    /// The list block (borders included); empty when the detail is zoomed.
    pub list: Rect,
    /// The list's rows, below its column titles.
    pub list_rows: Rect,
    pub detail: Rect,
    pub detail_summary: Rect,
    pub detail_tabs: Rect,
    /// The scrolling document of the current tab.
    pub detail_doc: Rect,
    pub footer: Rect,
}

/// What the list's place holds, for how much room it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Body {
    /// The list: beside the detail, or above it in two fifths of the height.
    #[default]
    List,
    /// The timeline: beside the detail, or above it in half the height (a lane a row).
    Timeline,
    /// The stats: the whole body. A row of figures is no log for the detail to show, and the
    /// table needs the width.
    Stats,
}

/// The list view's areas.
#[must_use]
pub fn areas(screen: Rect, zoomed: bool) -> Areas {
    areas_for(screen, zoomed, Body::List)
}

/// The areas with the list's place given to `body`.
#[must_use]
pub fn areas_for(screen: Rect, zoomed: bool, body_holds: Body) -> Areas {
    let [header, body, footer] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(3), Constraint::Length(2)]).areas(screen);
    let (list, detail) = if zoomed {
        (Rect::default(), body)
    } else if body_holds == Body::Stats {
        (body, Rect::default())
    } else if screen.width >= SIDE_BY_SIDE_MIN_WIDTH {
        let [list, detail] = Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        (list, detail)
    } else {
        let share = if body_holds == Body::Timeline { body.height / 2 } else { body.height * 2 / 5 };
        let list_height = share.max(5).min(body.height);
        let [list, detail] = Layout::vertical([Constraint::Length(list_height), Constraint::Min(0)]).areas(body);
        (list, detail)
    };
    let list_inner = inner(list);
    let list_rows = Rect { y: list_inner.y + 1, height: list_inner.height.saturating_sub(1), ..list_inner };
    let detail_inner = inner(detail);
    let [detail_summary, detail_tabs, detail_doc] = Layout::vertical([
        Constraint::Length(DETAIL_SUMMARY_LINES.min(detail_inner.height)),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(detail_inner);
    Areas { header, list, list_rows, detail, detail_summary, detail_tabs, detail_doc, footer }
}

/// The help overlay for `lines` lines: `HELP_WIDTH` columns (or the screen's), as tall as the
/// lines and its borders but never over the footer, whose hints say how to scroll and close it;
/// centred above the footer. It scrolls what it cannot hold.
#[must_use]
pub fn help_box(screen: Rect, lines: usize) -> Rect {
    let footer = areas(screen, false).footer;
    let above = Rect { height: footer.y.saturating_sub(screen.y), ..screen };
    let height = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2).min(above.height);
    let width = HELP_WIDTH.min(above.width);
    Rect { x: above.x + (above.width - width) / 2, y: above.y + (above.height - height) / 2, width, height }
}

/// The payload diff's popup: as help, above the footer, but as wide as the screen allows (up
/// to [`DIFF_WIDTH`]) for paths and values.
#[must_use]
pub fn diff_box(screen: Rect, lines: usize) -> Rect {
    let footer = areas(screen, false).footer;
    let above = Rect { height: footer.y.saturating_sub(screen.y), ..screen };
    let height = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2).min(above.height);
    let width = DIFF_WIDTH.min(above.width.saturating_sub(2)).max(above.width.min(20));
    Rect { x: above.x + (above.width - width) / 2, y: above.y + (above.height - height) / 2, width, height }
}

/// The diff popup's widest: a path and two values cut at 60 columns each.
const DIFF_WIDTH: u16 = 110;

/// Inside a bordered block.
fn inner(area: Rect) -> Rect {
    Rect {
        x: area.x.saturating_add(1),
        y: area.y.saturating_add(1),
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_screens_stack_and_wide_ones_split() {
        let narrow = areas(Rect::new(0, 0, 80, 24), false);
        assert_eq!(narrow.list.width, 80);
        assert!(narrow.detail.y > narrow.list.y);
        let wide = areas(Rect::new(0, 0, 200, 50), false);
        assert_eq!(wide.list.y, wide.detail.y);
        assert!(wide.detail.x > wide.list.x);
    }

    #[test]
    fn zoom_gives_the_detail_the_whole_body() {
        let zoomed = areas(Rect::new(0, 0, 80, 24), true);
        assert_eq!(zoomed.list, Rect::default());
        assert_eq!(zoomed.detail.height, 20);
    }

    #[test]
    fn a_tiny_screen_does_not_panic() {
        for (w, h) in [(1, 1), (0, 0), (10, 3), (3, 10)] {
            let _ = areas(Rect::new(0, 0, w, h), false);
            let _ = help_box(Rect::new(0, 0, w, h), 70);
        }
    }

    #[test]
    fn the_help_fits_above_the_footer_and_is_no_taller_than_its_lines() {
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let screen = Rect::new(0, 0, w, h);
            let help = help_box(screen, 70);
            assert!(screen.contains(help.as_position()) && help.right() <= w, "{help:?}");
            assert!(help.bottom() <= areas(screen, false).footer.y, "{w}x{h}: {help:?}");
        }
        assert_eq!(help_box(Rect::new(0, 0, 200, 100), 70).height, 72, "70 lines and two borders");
    }
}
