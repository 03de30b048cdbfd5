//! A poll while following: the fetch, compared with the logs on screen so that only new or
//! changed entries are decoded, and the timer that starts the next one.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use super::App;
use crate::action::{Effect, Msg, Polled};
use crate::case_file::LoadedCall;
use crate::load::{Ending, Loader};
use crate::poll::{KnownEntries, PollSink};

/// The entries of the data last polled against, kept while that data is on screen: a poll of
/// an unchanged call does not hash its logs again.
#[derive(Debug, Default)]
pub(super) struct KnownCache(Mutex<Option<(Weak<LoadedCall>, Arc<KnownEntries>)>>);

impl KnownCache {
    fn entries_of(&self, data: Option<&Arc<LoadedCall>>) -> Arc<KnownEntries> {
        let Some(data) = data else { return Arc::default() };
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((of, known)) = cached.as_ref()
            && of.ptr_eq(&Arc::downgrade(data))
        {
            return Arc::clone(known);
        }
        let known = Arc::new(KnownEntries::of(&data.logs));
        *cached = Some((Arc::downgrade(data), Arc::clone(&known)));
        known
    }
}

/// Polls the call once, against `data` (the logs on screen).
pub(super) async fn poll(loader: &Loader, data: Option<Arc<LoadedCall>>, cache: &KnownCache) -> Polled {
    let known = cache.entries_of(data.as_ref());
    let (sink, ending) = loader.poll_into(PollSink::new(known)).await;
    conclude(sink, ending, data.as_deref())
}

/// A poll cut short is a failed poll: what is on screen stays whole, and the next poll brings
/// everything.
fn conclude(sink: PollSink, ending: Ending, previous: Option<&LoadedCall>) -> Polled {
    let Ending { call, call_error, body_problems, failure, retry_after, .. } = ending;
    if let Some(failure) = failure {
        return Polled { result: Err(failure), call: None, call_error: None, retry_after };
    }
    let empty = crate::model::LogSet::default();
    let logs = sink.assemble(previous.map_or(&empty, |data| &data.logs), body_problems);
    let result = Ok(logs.map(|logs| LoadedCall { call: call.clone(), logs }));
    Polled { result, call, call_error, retry_after }
}

impl App {
    /// Starts a poll, or sets or drops the timer of the next one.
    pub(super) fn perform_poll(&mut self, effect: &Effect) {
        match *effect {
            Effect::Poll { request } => {
                if let Some(superseded) = self.fetching.take() {
                    superseded.abort();
                }
                self.arrivals = None;
                let (loader, known, tx) = (Arc::clone(&self.loader), Arc::clone(&self.known), self.tx.clone());
                let data = self.state.data.clone();
                let fetch = tokio::spawn(async move {
                    let polled = poll(&loader, data, &known).await;
                    let _ = tx.send(Msg::Polled { request, polled: Box::new(polled) });
                });
                self.fetching = Some(fetch.abort_handle());
            }
            Effect::SchedulePoll { generation, after } => {
                self.cancel_poll_timer();
                let tx = self.tx.clone();
                let timer = tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(Msg::PollDue { generation });
                });
                self.poll_timer = Some(timer.abort_handle());
            }
            _ => self.cancel_poll_timer(),
        }
    }

    pub(super) fn cancel_poll_timer(&mut self) {
        if let Some(timer) = self.poll_timer.take() {
            timer.abort();
        }
    }
}
