//! A poll while following: the fetch, compared with the logs on screen so that only new or
//! changed entries are decoded, and the timer that starts the next one.

use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::action::Polled;
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
