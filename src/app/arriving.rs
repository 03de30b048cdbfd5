//! Logs decoded while a body arrives, on their way to the screen. The fetch's sink leaves them
//! in a shared place as each piece of the body is decoded; the event loop takes what is there
//! before it draws. So the screen takes them at its own pace (a fast body is not re-filtered
//! for every piece), and a body that pauses still shows everything that came before the pause.

use std::sync::{Arc, Mutex, PoisonError};

use tokio::sync::Notify;

use crate::action::Progress;
use crate::api::RetryHook;
use crate::model::{CallHook, CallInfo, Decoded, LogSet, LogSink};

/// What has arrived since the screen last looked.
#[derive(Debug, Default)]
pub(super) struct Arrived {
    pub(super) decoded: Vec<Decoded>,
    /// The call's details, when they came while the logs still arrive.
    pub(super) call: Option<CallInfo>,
    /// Set when anything new came: a log, or only bytes.
    pub(super) progress: Option<Progress>,
}

/// The place, and a bell the sink rings when it leaves something: the event loop waits on it,
/// so rows show as soon as they are decoded. Rings while nobody listens are kept as one.
#[derive(Debug, Default)]
pub(super) struct Arrivals {
    arrived: Mutex<Arrived>,
    pub(super) bell: Notify,
}

pub(super) type SharedArrivals = Arc<Arrivals>;

/// Takes what has arrived, leaving the place empty.
pub(super) fn take(shared: &SharedArrivals) -> Arrived {
    std::mem::take(&mut *shared.arrived.lock().unwrap_or_else(PoisonError::into_inner))
}

/// The sink a fetch decodes into. With a shared place, logs go there piece by piece for the
/// screen; without (a refresh, which keeps the loaded call on screen), they are all kept for
/// the end of the load.
pub(super) struct ArrivingLogs {
    shared: Option<SharedArrivals>,
    /// The logs of the piece being decoded.
    piece: Vec<Decoded>,
    rest: LogSet,
    /// Tells the screen of a wait before a retry, first load or refresh alike.
    retry: Option<RetryHook>,
}

impl ArrivingLogs {
    pub(super) fn new(shared: Option<SharedArrivals>, retry: Option<RetryHook>) -> Self {
        Self { shared, piece: Vec::new(), rest: LogSet::default(), retry }
    }

    /// What the screen has not taken, to go with the end of the load.
    pub(super) fn into_rest(mut self) -> LogSet {
        let left = self.shared.as_ref().map(take).map(|arrived| arrived.decoded).unwrap_or_default();
        for decoded in left.into_iter().chain(self.piece) {
            self.rest.add(decoded);
        }
        self.rest
    }
}

impl LogSink for ArrivingLogs {
    fn decoded(&mut self, decoded: Decoded) {
        if self.shared.is_some() {
            self.piece.push(decoded);
        } else {
            self.rest.add(decoded);
        }
    }

    fn progress(&mut self, received: usize, expected: Option<usize>) {
        let Some(shared) = &self.shared else { return };
        let mut arrived = shared.arrived.lock().unwrap_or_else(PoisonError::into_inner);
        arrived.decoded.append(&mut self.piece);
        arrived.progress = Some(Progress { received, expected });
        drop(arrived);
        shared.bell.notify_one();
    }

    fn call_hook(&self) -> Option<CallHook> {
        let shared = Arc::clone(self.shared.as_ref()?);
        Some(Box::new(move |call: &CallInfo| {
            shared.arrived.lock().unwrap_or_else(PoisonError::into_inner).call = Some(call.clone());
            shared.bell.notify_one();
        }))
    }

    fn retry_hook(&self) -> Option<RetryHook> {
        self.retry.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logs(text: &str) -> Vec<Decoded> {
        LogSet::parse(text).unwrap().logs.into_iter().map(Decoded::Log).collect()
    }

    const TWO: &str = r#"[{"id": 1, "webhook_url": "u", "webhook_type": "t", "success": true},
        {"id": 2, "webhook_url": "u", "webhook_type": "t", "success": true}]"#;

    /// Each log reaches the screen or the end of the load, never both and never neither.
    #[test]
    fn logs_wait_for_the_screen_and_what_it_has_not_taken_goes_with_the_end() {
        let shared = SharedArrivals::default();
        let mut sink = ArrivingLogs::new(Some(Arc::clone(&shared)), None);
        let [first, second]: [Decoded; 2] = logs(TWO).try_into().unwrap();
        sink.decoded(first.clone());
        assert!(take(&shared).progress.is_none(), "nothing until the piece is decoded");
        sink.progress(100, Some(200));
        let arrived = take(&shared);
        assert_eq!(
            (arrived.decoded, arrived.progress),
            (vec![first], Some(Progress { received: 100, expected: Some(200) }))
        );
        sink.decoded(second.clone());
        sink.progress(200, Some(200));
        let rest = sink.into_rest();
        assert_eq!(rest.logs.iter().map(|log| log.id).collect::<Vec<_>>(), [2]);
        assert!(take(&shared).progress.is_none());
    }

    #[test]
    fn without_a_screen_every_log_waits_for_the_end() {
        let mut sink = ArrivingLogs::new(None, None);
        for decoded in logs(TWO) {
            sink.decoded(decoded);
        }
        sink.progress(10, None);
        assert_eq!(sink.into_rest().logs.len(), 2);
    }
}
