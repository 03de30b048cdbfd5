//! The first load's rows while its body arrives: they join the list as they are decoded, and
//! the rest of the load joins them at the end.

use std::sync::Arc;
use std::time::Instant;

use super::{State, TypeCount};
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
        let data = Arc::make_mut(self.data.get_or_insert_with(Arc::default));
        for item in decoded {
            if let Decoded::Log(log) = &item {
                count_type(&mut self.types, log);
            }
            data.logs.add(item);
        }
        self.selected = previous_id.and_then(|id| self.logs()?.logs.iter().position(|log| log.id == id));
        let mut effects = if self.filter.text.is_empty() { Vec::new() } else { self.start_search() };
        effects.extend(self.refilter());
        effects
    }
}

/// The logs that arrived, with the rest of the load (what had not been sent, the call, the
/// body's problems) joined to them.
pub(super) fn join(arrived: Arc<LoadedCall>, rest: LoadedCall) -> LoadedCall {
    let mut whole = Arc::unwrap_or_clone(arrived);
    whole.call = rest.call;
    whole.logs.body_problems.extend(rest.logs.body_problems);
    for log in rest.logs.logs {
        whole.logs.add(Decoded::Log(log));
    }
    for rejected in rest.logs.rejected {
        whole.logs.add(Decoded::Rejected(rejected));
    }
    whole
}

/// Counts `log` under its webhook type, a new type going last (the order types are first met).
pub(super) fn count_type(types: &mut Vec<TypeCount>, log: &WebhookLog) {
    match types.iter_mut().find(|t| t.name == log.webhook_type.as_str()) {
        Some(t) => t.count += 1,
        None => types.push(TypeCount { name: log.webhook_type.to_string(), count: 1 }),
    }
}
