//! How a load ends and a fetch starts again: the logs and the call's details taking their place
//! in the state (selection, marks and the text search carried over by log id), and `r`.

use std::sync::Arc;
use std::time::Instant;

use super::{Load, State, StatusLine, TypeCounts, refresh};
use crate::action::Effect;
use crate::case_file::LoadedCall;

impl State {
    /// The call's details, for the header and the lifecycle check, which reads the call's end:
    /// details that come after the logs are whole check them again.
    pub(super) fn set_call(&mut self, call: crate::model::CallInfo) {
        if let Some(data) = self.data.as_mut() {
            Arc::make_mut(data).call = Some(call);
        }
        if self.load == Load::Loaded {
            self.check_lifecycle();
        }
    }

    /// Fetches the call again. The first load (or one that replaces a load still arriving)
    /// shows rows as they arrive; a refresh keeps the loaded call on screen until the new one is
    /// whole.
    pub(super) fn refetch(&mut self) -> Vec<Effect> {
        self.request += 1;
        if self.arrival.take().is_some() {
            self.data = None;
        }
        self.retrying = None;
        self.fresh = None;
        // A poll running is superseded: its answer would be dropped.
        self.follow.in_flight = None;
        self.load = Load::Loading { since: Instant::now() };
        vec![Effect::Fetch { request: self.request, arriving: self.data.is_none() }]
    }

    /// A load is whole: `loaded`, or, when `None`, the data its rows arrived into.
    pub(super) fn on_loaded(&mut self, loaded: Option<LoadedCall>, call_error: Option<String>) -> Vec<Effect> {
        let previous_id = self.selected_log().map(|log| log.id);
        let marked_id = self.marked.and_then(|marked| self.logs()?.logs.get(marked)).map(|log| log.id);
        let mut refreshed = None;
        if let Some(loaded) = loaded {
            // A load replacing a loaded call is a refresh (`r`): say what it brought.
            if let Some(before) = self.data.take() {
                refreshed = Some(refresh::compare(&before.logs, &loaded.logs));
            }
            self.data = Some(Arc::new(loaded));
            self.detail = None;
        }
        let Some(data) = self.data.clone() else { return Vec::new() };
        let types: TypeCounts = data.logs.logs.iter().collect();
        let problems = data.logs.problem_report();
        // The call's details are optional: the header says they are missing, the info tab why.
        let said = if let Some(first) = problems.first() {
            // One line: a lone problem is said alone, so that its point fits the width.
            let mut text = match problems.len() {
                1 => format!("⚠ {first}"),
                n => format!("{n} problem(s) in the data, first: {first} (i on a ⚠ log shows its own)"),
            };
            // A refresh says what it brought first, whatever else there is to say.
            if let Some(fresh) = &refreshed {
                text = format!("{} · {text}", fresh.summary());
            }
            Some(StatusLine { text, ok: false })
        } else {
            refreshed.as_ref().map(|fresh| StatusLine { text: fresh.summary(), ok: true })
        };
        // A load that has nothing to say leaves the status line alone: rows show while the load
        // still runs, so the user may have copied something whose toast is up.
        if said.is_some() {
            self.status = said;
        }
        self.fresh = refreshed.filter(|fresh| !fresh.logs.is_empty());
        self.types = types;
        if call_error.is_some() {
            // The info tab tells why the call's details are missing: build it again.
            self.detail = None;
        }
        self.call_error = call_error;
        self.load = Load::Loaded;
        self.rebuild_chains();
        self.selected = previous_id.and_then(|id| self.logs()?.logs.iter().position(|log| log.id == id));
        self.marked = marked_id.and_then(|id| self.logs()?.logs.iter().position(|log| log.id == id));
        self.check_lifecycle();
        self.text_matches = None;
        let mut effects: Vec<Effect> = self.warm_up_for(&data.logs.logs).into_iter().collect();
        effects.extend(self.start_search());
        effects.extend(self.refilter());
        effects.extend(self.follow_after_load(Instant::now()));
        effects
    }
}
