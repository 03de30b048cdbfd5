//! The first load's rows while its body arrives: they join the list as they are decoded, and
//! the rest of the load joins them at the end.

use std::sync::Arc;
use std::time::Instant;

use super::State;
use crate::action::{Effect, Progress};
use crate::case_file::LoadedCall;
use crate::model::{Decoded, WebhookLog};

/// The first load's body while its rows arrive and are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Arrival {
    pub request: u64,
    pub since: Instant,
    pub progress: Progress,
}

impl State {
    /// Logs decoded while the body arrives join the list; the selection stays on its log.
    pub(super) fn on_arriving(&mut self, request: u64, decoded: Vec<Decoded>, progress: Progress) -> Vec<Effect> {
        let since = match self.arrival {
            Some(arrival) if arrival.request == request => arrival.since,
            _ => {
                self.data = Some(Arc::default());
                self.types.clear();
                Instant::now()
            }
        };
        self.arrival = Some(Arrival { request, since, progress });
        if decoded.is_empty() {
            return Vec::new();
        }
        let previous_id = self.selected_log().map(|log| log.id);
        let arrived = decoded.iter().filter_map(|item| if let Decoded::Log(log) = item { Some(log) } else { None });
        let warm_up = self.warm_up_for(arrived);
        let data = Arc::make_mut(self.data.get_or_insert_with(Arc::default));
        for item in decoded {
            if let Decoded::Log(log) = &item {
                self.types.count(log);
            }
            data.logs.add(item);
        }
        self.selected = previous_id.and_then(|id| self.logs()?.logs.iter().position(|log| log.id == id));
        self.rebuild_chains();
        let mut effects: Vec<Effect> = warm_up.into_iter().collect();
        if !self.filter.text.is_empty() {
            effects.extend(self.start_search());
        }
        effects.extend(self.refilter());
        effects
    }
}

impl State {
    /// [`Effect::WarmUpMarkup`] the first time one of `logs` has a body that looks like HTML or
    /// XML, so that opening it does not wait for the grammars.
    pub(super) fn warm_up_for<'l>(&mut self, logs: impl IntoIterator<Item = &'l WebhookLog>) -> Option<Effect> {
        if self.markup_warmed || !logs.into_iter().any(body_looks_like_markup) {
            return None;
        }
        self.markup_warmed = true;
        Some(Effect::WarmUpMarkup)
    }
}

/// Whether the response body (a JSON string literal) starts with `<` once leading whitespace,
/// sent raw or escaped, is skipped. A quick look at every log, not a language detection.
fn body_looks_like_markup(log: &WebhookLog) -> bool {
    let Some(span) = &log.response_body else { return false };
    let mut text = log.slice(span).strip_prefix('"').unwrap_or_default();
    loop {
        let trimmed = text.trim_start_matches([' ', '\t', '\n', '\r']);
        match ["\\n", "\\r", "\\t"].iter().find_map(|escape| trimmed.strip_prefix(escape)) {
            Some(rest) => text = rest,
            None => return trimmed.starts_with('<'),
        }
    }
}

/// The logs that arrived, with the rest of the load (what had not been sent, the call, the
/// body's problems) joined to them.
pub(super) fn join(arrived: Arc<LoadedCall>, rest: LoadedCall) -> LoadedCall {
    let arrived = Arc::unwrap_or_clone(arrived);
    // A load cut short ends without the call's details; those found while it arrived stay.
    let call = rest.call.or(arrived.call);
    // The smaller joins the larger, so that a big call is not held twice while it does.
    let (mut whole, joining) = if arrived.logs.logs.len() >= rest.logs.logs.len() {
        (arrived.logs, rest.logs)
    } else {
        (rest.logs, arrived.logs)
    };
    whole.body_problems.extend(joining.body_problems);
    for log in joining.logs {
        whole.add(Decoded::Log(log));
    }
    for rejected in joining.rejected {
        whole.add(Decoded::Rejected(rejected));
    }
    whole.rejected.sort_by_key(|rejected| rejected.index);
    LoadedCall { call, logs: whole }
}
