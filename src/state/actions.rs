//! What each browse action does to the state: the one dispatch from the keymap's actions
//! (keys, the mouse, the help's table) to the state's changes and the effects they ask for.

use super::{Focus, Popup, State, StatusLine, Tab};
use crate::action::{Action, Effect};
use crate::export::{Clip, CopyItem};
use crate::filter::Filter;

impl State {
    #[expect(clippy::too_many_lines, reason = "one short arm per action, in the keymap's order")]
    pub(super) fn perform(&mut self, action: Action) -> Vec<Effect> {
        if let Some(effects) = self.timeline_action(action) {
            return effects;
        }
        match action {
            Action::Quit => {
                self.quitting = true;
                Vec::new()
            }
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(self.list_page()),
            Action::PageUp => self.move_by(-self.list_page()),
            Action::First => self.move_by(isize::MIN / 2),
            Action::Last => self.move_by(isize::MAX / 2),
            // The stats have no detail beside them.
            Action::SwitchFocus if self.view == super::View::Stats => Vec::new(),
            Action::SwitchFocus => {
                self.focus = if self.focus == Focus::List { Focus::Detail } else { Focus::List };
                Vec::new()
            }
            Action::Zoom => {
                if self.detail.is_some() {
                    self.zoomed = true;
                    self.focus = Focus::Detail;
                    self.fit_detail_scroll();
                }
                Vec::new()
            }
            Action::Back => {
                if self.zoomed {
                    self.zoomed = false;
                    self.focus = Focus::List;
                    self.keep_selection_visible();
                } else if self.focus == Focus::Detail {
                    self.focus = Focus::List;
                } else if !self.filter.text.is_empty() {
                    // As in k9s and lazygit: Esc drops the text filter; the others stay (c clears them).
                    self.status = None;
                    return self.set_search_text(String::new());
                } else {
                    self.status = None;
                    self.back_to_calls = self.from_calls;
                }
                Vec::new()
            }
            Action::BackToCalls => {
                self.back_to_calls = self.from_calls;
                Vec::new()
            }
            Action::TypePicker => {
                if !self.types.is_empty() {
                    self.popup = Popup::Types { cursor: 0, chosen: self.filter.types.clone() };
                }
                Vec::new()
            }
            Action::ToggleType(slot) => {
                let Some(name) = self.types.get(slot.index()).map(|t| t.name.clone()) else {
                    let n = slot.number();
                    self.status = Some(StatusLine { text: format!("there is no type {n} in this call"), ok: false });
                    return Vec::new();
                };
                if !self.filter.types.remove(&name) {
                    self.filter.types.insert(name);
                }
                self.refilter()
            }
            Action::CycleStatus => {
                self.filter.status = self.filter.status.next();
                self.refilter()
            }
            Action::ToggleChains => self.toggle_chains(),
            Action::ToggleAttempts => self.toggle_expanded(),
            Action::Search => {
                let text = self.filter.text.clone();
                self.popup = Popup::Search { input: text.clone(), previous: text };
                Vec::new()
            }
            Action::NextMatch => self.step_match(true),
            Action::PrevMatch => self.step_match(false),
            Action::ClearFilters => {
                let had_text = !self.filter.text.is_empty();
                self.filter = Filter::default();
                let mut effects = if had_text { self.start_search() } else { Vec::new() };
                effects.extend(self.refilter());
                effects.extend(self.rebuild_detail());
                effects
            }
            Action::Refresh => self.refetch(),
            Action::ToggleFollow => self.toggle_follow(),
            Action::CycleView => self.cycle_view(),
            Action::ToggleTime => {
                self.time = self.time.toggled();
                // The search reads times as the list shows them.
                if self.filter.text.is_empty() { Vec::new() } else { self.start_search() }
            }
            Action::Help => {
                self.popup = Popup::Help { scroll: 0 };
                Vec::new()
            }
            Action::ShowPayload => self.show_tab(Tab::Payload),
            Action::ShowResponse => self.show_tab(Tab::Response),
            Action::ShowInfo => self.show_tab(Tab::Info),
            Action::ShowRaw => self.show_tab(Tab::Raw),
            Action::ScrollLeft | Action::ScrollRight | Action::LineStart | Action::LineEnd => {
                self.scroll_sideways(action);
                Vec::new()
            }
            Action::ToggleWrap => {
                self.wrap = !self.wrap;
                if let Some(detail) = self.detail.as_mut() {
                    detail.hscroll = 0;
                }
                self.fit_detail_scroll();
                let text = if self.wrap { "long lines wrapped" } else { "long lines scroll sideways (< > 0 $)" };
                self.status = Some(StatusLine { text: text.to_owned(), ok: true });
                Vec::new()
            }
            Action::NextWarning => self.next_warning(),
            Action::NextFailure => self.step_failure(true),
            Action::PrevFailure => self.step_failure(false),
            Action::Mark => {
                self.toggle_mark();
                Vec::new()
            }
            Action::Diff => {
                self.open_diff();
                Vec::new()
            }
            // The app suspends before the key reaches the state.
            Action::Suspend => Vec::new(),
            Action::NextTab => self.show_tab(self.tab.next()),
            Action::PrevTab => self.show_tab(self.tab.previous()),
            Action::CopyMenu => {
                if self.selected.is_some() {
                    self.popup = Popup::Copy;
                }
                Vec::new()
            }
            Action::CopyPayload => self.copy(CopyItem::Payload),
            Action::ToggleRedact => {
                self.redact = !self.redact;
                let state = if self.redact { "on: copies and exports mask phones, e-mails and secrets" } else { "off" };
                self.status = Some(StatusLine { text: format!("redaction {state}"), ok: true });
                Vec::new()
            }
            Action::Export => {
                if self.shown.is_empty() {
                    self.status = Some(StatusLine { text: "nothing to export: no log is shown".to_owned(), ok: false });
                    return Vec::new();
                }
                vec![Effect::Export { logs: self.shown_logs() }]
            }
        }
    }

    pub(super) fn show_tab(&mut self, tab: Tab) -> Vec<Effect> {
        self.tab = tab;
        if self.detail.as_ref().is_some_and(|d| d.tab == tab) {
            return Vec::new();
        }
        self.rebuild_detail()
    }

    pub(super) fn copy(&mut self, item: CopyItem) -> Vec<Effect> {
        let (Some(data), Some(log)) = (self.data.as_deref(), self.selected_log()) else {
            return Vec::new();
        };
        match crate::export::clip(&data.logs, data.call.as_ref(), log, item, self.redact) {
            Ok(Clip { text, what }) => vec![Effect::Copy { text, what }],
            Err(why) => {
                self.status = Some(StatusLine { text: why.to_owned(), ok: false });
                Vec::new()
            }
        }
    }
}
