//! The views that take the list's place (`v`): the timeline and the stats. Their models are
//! built when the shown logs, the call or the width change, and only while the view is on, so a
//! frame only reads them.

use super::{Focus, State};
use crate::action::{Action, Effect};
use crate::model::time::offset_label;
use crate::stats::Stats;
use crate::timeline::Timeline;

/// What stands in the list's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    List,
    Timeline,
    Stats,
}

impl View {
    #[must_use]
    pub fn next(self) -> Self {
        match self {
            Self::List => Self::Timeline,
            Self::Timeline => Self::Stats,
            Self::Stats => Self::List,
        }
    }

    /// How much room it takes.
    #[must_use]
    pub fn body(self) -> crate::layout::Body {
        match self {
            Self::List => crate::layout::Body::List,
            Self::Timeline => crate::layout::Body::Timeline,
            Self::Stats => crate::layout::Body::Stats,
        }
    }

    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::List => "list",
            Self::Timeline => "timeline",
            Self::Stats => "stats",
        }
    }
}

/// The widest lane label: a type name longer than this is cut.
pub const LANE_LABEL_MAX: usize = 18;

impl State {
    /// `v`: list → timeline → stats → list. The selection stays on its log.
    pub(super) fn cycle_view(&mut self) -> Vec<Effect> {
        self.view = self.view.next();
        self.focus = Focus::List;
        self.rebuild_view();
        self.keep_selection_visible();
        self.fit_detail_scroll();
        Vec::new()
    }

    /// Builds the model of the view that is on, and drops the other's.
    pub(super) fn rebuild_view(&mut self) {
        self.timeline = None;
        self.stats = None;
        let Some(data) = self.data.clone() else { return };
        match self.view {
            View::List => {}
            View::Timeline => {
                let inner = usize::from(self.areas().list.width.saturating_sub(2));
                let widest = self.types.iter().map(|t| super::columns::drawn_width(&t.name)).max().unwrap_or(4);
                let label = widest.clamp(4, LANE_LABEL_MAX).min(inner / 4);
                let columns = inner.saturating_sub(label + 1).max(1);
                let mut built = Timeline::build(
                    &data.logs.logs,
                    &self.chains,
                    data.call.as_ref(),
                    data.logs.first_attempt(),
                    &self.shown_logs(),
                    columns,
                );
                built.label_width = label;
                self.timeline = Some(built);
            }
            View::Stats => self.stats = Some(Stats::of(&data.logs.logs, &self.chains, &self.shown_logs())),
        }
    }

    /// The timeline's keys, when it has them: the list's moves become moves on the axis.
    /// `None` leaves the action to the list and the detail.
    pub(super) fn timeline_action(&mut self, action: Action) -> Option<Vec<Effect>> {
        if self.view != View::Timeline || self.focus != Focus::List || self.zoomed {
            return None;
        }
        let timeline = self.timeline.as_ref()?;
        let logs = &self.data.as_deref()?.logs.logs;
        let target = match action {
            Action::NextTab => timeline.step_in_lane(logs, self.selected, true),
            Action::PrevTab => timeline.step_in_lane(logs, self.selected, false),
            Action::Down => timeline.change_lane(logs, self.selected, true),
            Action::Up => timeline.change_lane(logs, self.selected, false),
            _ => return None,
        };
        Some(match target {
            Some(log) => self.select_log(log),
            None => Vec::new(),
        })
    }

    /// The selected log on the axis, as the timeline's last line says it:
    /// `T+34s · tool_call · 502`.
    #[must_use]
    pub fn timeline_selection(&self) -> Option<(usize, usize)> {
        let timeline = self.timeline.as_ref()?;
        timeline.position_of(&self.logs()?.logs, self.selected?)
    }

    /// `T+34.120s` for the selected log, from the call's first attempt, as the detail says it.
    #[must_use]
    pub fn selected_offset(&self) -> Option<String> {
        self.timeline_selection()?;
        let logs = self.logs()?;
        Some(offset_label(logs.first_attempt()?, self.selected_log()?.attempted_at?))
    }
}
