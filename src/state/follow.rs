//! Following a call (`F`, `--follow`): the call is polled on an interval, one poll at a time,
//! and what a poll brings joins the list without moving the selection, the scroll, the
//! filters or the detail. The decisions are here; the app keeps the timer and runs the polls.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Load, State, StatusLine, TextMatches, refresh};
use crate::action::{Effect, Polled};
use crate::case_file::LoadedCall;

/// The interval when `--follow` names none.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(3);
/// The longest wait after failed polls.
pub const MAX_BACKOFF: Duration = Duration::from_secs(60);
/// The call status that follow turns itself on for, and stops after.
pub const ONGOING: &str = "ongoing";

/// Whether polls run.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Following {
    #[default]
    Off,
    On,
    /// Stopped by itself, with why: the call ended, the key was refused.
    Stopped(String),
}

/// A poll that failed: what, and when the next one goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PollFailure {
    pub message: String,
    pub next: Instant,
}

/// The follow state machine.
#[derive(Debug, Clone)]
pub struct Follow {
    pub every: Duration,
    pub following: Following,
    /// Turned on by itself, for an ongoing call.
    pub auto: bool,
    /// The user turned it off: it does not turn itself on again.
    declined: bool,
    /// The poll running, by request.
    pub in_flight: Option<u64>,
    /// The generation of the timer set; an older one that rings is ignored.
    timer: u64,
    /// When the last good poll (or load) ended.
    pub updated: Option<Instant>,
    pub failure: Option<PollFailure>,
    /// The wait after the next failure, doubled by each failure up to [`MAX_BACKOFF`].
    backoff: Duration,
    /// The call has ended: the next good poll is the last.
    pub last_poll: bool,
}

impl Default for Follow {
    fn default() -> Self {
        Self {
            every: DEFAULT_EVERY,
            following: Following::Off,
            auto: false,
            declined: false,
            in_flight: None,
            timer: 0,
            updated: None,
            failure: None,
            backoff: DEFAULT_EVERY,
            last_poll: false,
        }
    }
}

impl Follow {
    #[must_use]
    pub fn is_on(&self) -> bool {
        self.following == Following::On
    }

    /// The header's words: `following · updated 2 s ago`, a failed poll, or why it stopped.
    /// `None` while off. `fresh` is what the last change brought (`3 new`).
    #[must_use]
    pub fn text(&self, now: Instant, fresh: Option<&refresh::Fresh>) -> Option<String> {
        match &self.following {
            Following::Off => None,
            Following::Stopped(why) => Some(why.clone()),
            Following::On => {
                if let Some(failure) = &self.failure {
                    let next = failure.next.saturating_duration_since(now).as_secs_f64().ceil();
                    return Some(format!("poll failed, next in {next} s: {}", failure.message));
                }
                let mut text =
                    if self.auto { "following (ongoing, F stops)".to_owned() } else { "following".to_owned() };
                if let Some(updated) = self.updated {
                    let _ = write!(text, " · updated {} s ago", now.saturating_duration_since(updated).as_secs());
                }
                if let Some(fresh) = fresh {
                    if fresh.new > 0 {
                        let _ = write!(text, " · {} new", fresh.new);
                    }
                    if fresh.changed > 0 {
                        let _ = write!(text, " · {} changed", fresh.changed);
                    }
                }
                Some(text)
            }
        }
    }

    /// Whether the header's text is a problem (a failed poll, a refused key).
    #[must_use]
    pub fn is_warning(&self) -> bool {
        match &self.following {
            Following::On => self.failure.is_some(),
            Following::Stopped(why) => !why.starts_with("call ended"),
            Following::Off => false,
        }
    }

    fn schedule(&mut self, after: Duration) -> Vec<Effect> {
        self.timer += 1;
        vec![Effect::SchedulePoll { generation: self.timer, after }]
    }

    fn stop(&mut self, why: String) -> Vec<Effect> {
        self.following = Following::Stopped(why);
        self.in_flight = None;
        self.failure = None;
        self.last_poll = false;
        vec![Effect::CancelPoll]
    }

    /// After a good load or poll: the next poll, or the end when the call has ended.
    fn next_after_success(&mut self, status: Option<&str>, now: Instant) -> Vec<Effect> {
        self.updated = Some(now);
        self.failure = None;
        self.backoff = self.every;
        let ended = status.is_some_and(|status| status != ONGOING);
        if ended && self.last_poll {
            return self.stop("call ended, follow stopped".to_owned());
        }
        self.last_poll = ended;
        self.schedule(self.every)
    }
}

impl State {
    /// Starts with follow on (`--follow`), polling every `every`.
    pub fn follow_every(&mut self, every: Duration) {
        self.follow.every = every;
        self.follow.backoff = every;
        self.follow.following = Following::On;
    }

    fn call_status(&self) -> Option<&str> {
        self.data.as_ref()?.call.as_ref()?.status.as_deref()
    }

    /// `F`: follow on or off.
    pub(super) fn toggle_follow(&mut self) -> Vec<Effect> {
        let follow = &mut self.follow;
        if follow.is_on() {
            follow.following = Following::Off;
            follow.declined = true;
            follow.auto = false;
            follow.failure = None;
            follow.last_poll = false;
            self.status = Some(StatusLine { text: "follow off".to_owned(), ok: true });
            return vec![Effect::CancelPoll];
        }
        follow.following = Following::On;
        follow.declined = false;
        follow.backoff = follow.every;
        follow.failure = None;
        follow.last_poll = false;
        let every = follow.every.as_secs_f64();
        self.status = Some(StatusLine { text: format!("following: fetching the call every {every} s"), ok: true });
        self.poll_now()
    }

    /// Polls now, unless a poll or a load runs (its end schedules the next).
    fn poll_now(&mut self) -> Vec<Effect> {
        if self.load != Load::Loaded || self.follow.in_flight.is_some() || self.arrival.is_some() {
            return Vec::new();
        }
        self.request += 1;
        self.follow.in_flight = Some(self.request);
        vec![Effect::Poll { request: self.request }]
    }

    /// The timer rang.
    pub(super) fn on_poll_due(&mut self, generation: u64) -> Vec<Effect> {
        if !self.follow.is_on() || generation != self.follow.timer {
            return Vec::new();
        }
        self.poll_now()
    }

    /// A load (the first, or `r`) ended well: follow turns itself on for an ongoing call, and
    /// the next poll is set.
    pub(super) fn follow_after_load(&mut self, now: Instant) -> Vec<Effect> {
        let ongoing = self.call_status() == Some(ONGOING);
        let follow = &mut self.follow;
        follow.in_flight = None;
        if follow.following == Following::Off && ongoing && !follow.declined {
            follow.following = Following::On;
            follow.auto = true;
        }
        if !self.follow.is_on() {
            return Vec::new();
        }
        let status = self.call_status().map(str::to_owned);
        self.follow.next_after_success(status.as_deref(), now)
    }

    /// A poll ended.
    pub(super) fn on_polled(&mut self, request: u64, polled: Polled, now: Instant) -> Vec<Effect> {
        if request != self.request {
            return Vec::new();
        }
        self.follow.in_flight = None;
        let Polled { result, call, call_error, retry_after } = polled;
        let logs = match result {
            Err(failure) => {
                if !self.follow.is_on() {
                    return Vec::new();
                }
                // A refused key does not pass by itself.
                if failure.exit_code == 4 {
                    return self.follow.stop(format!("follow stopped: {}", failure.message));
                }
                let follow = &mut self.follow;
                let wait = retry_after.map_or(follow.backoff, |asked| asked.max(follow.every)).min(MAX_BACKOFF);
                follow.backoff = (follow.backoff * 2).min(MAX_BACKOFF);
                follow.failure = Some(PollFailure { message: failure.message, next: now + wait });
                return follow.schedule(wait);
            }
            Ok(logs) => logs,
        };
        let mut effects = if let Some(mut loaded) = logs {
            loaded.call = call.or_else(|| self.data.as_ref().and_then(|data| data.call.clone()));
            self.take_poll(loaded, now)
        } else {
            // Only the call's details may have changed (its status, its duration).
            if let Some(data) = self.data.as_mut()
                && call.is_some()
                && data.call != call
            {
                Arc::make_mut(data).call = call;
            }
            Vec::new()
        };
        self.call_error = call_error;
        if self.follow.is_on() {
            let status = self.call_status().map(str::to_owned);
            effects.extend(self.follow.next_after_success(status.as_deref(), now));
        }
        effects
    }

    /// Takes the logs a poll found in place of those shown: the selection stays on its log (or,
    /// on the last row, goes on to the new last row), the detail keeps its tab and scroll while
    /// its log is unchanged, the filters and the type picker stay, new and changed rows are
    /// marked. (The one place a poll touches the list.)
    fn take_poll(&mut self, loaded: LoadedCall, now: Instant) -> Vec<Effect> {
        let Some(before) = self.data.take() else { return Vec::new() };
        let tailing = self.selected_row().is_some_and(|row| row + 1 == self.shown.len());
        let selected_id = self.selected.and_then(|at| before.logs.logs.get(at)).map(|log| log.id);
        let marked_id = self.marked.and_then(|at| before.logs.logs.get(at)).map(|log| log.id);
        let mut fresh = refresh::compare(&before.logs, &loaded.logs);
        fresh.since = now;
        // The last search's results, carried over by id; a new or changed log shows until the
        // search that restarts below has seen it.
        if let Some(last) = self.text_matches.as_mut() {
            let found: HashMap<i64, bool> =
                before.logs.logs.iter().zip(last.found.iter()).map(|(log, &found)| (log.id, found)).collect();
            let carried = loaded
                .logs
                .logs
                .iter()
                .enumerate()
                .map(|(at, log)| fresh.contains(at) || found.get(&log.id).copied().unwrap_or(true))
                .collect();
            *last = TextMatches { query: last.query.clone(), found: Arc::new(carried) };
        }
        drop(before);
        self.types = loaded.logs.logs.iter().collect();
        self.selected = selected_id.and_then(|id| loaded.logs.logs.iter().position(|log| log.id == id));
        self.marked = marked_id.and_then(|id| loaded.logs.logs.iter().position(|log| log.id == id));
        self.data = Some(Arc::new(loaded));
        self.rebuild_chains();
        self.check_lifecycle();
        // The detail stays (tab and scroll) unless its log, or another attempt of its delivery
        // (which its info tab tells), is new or changed.
        let untouched = |at: usize| {
            self.chains
                .chain_of(at)
                .map_or(!fresh.contains(at), |chain| !chain.attempts.iter().any(|&a| fresh.contains(a)))
        };
        match (self.selected, self.detail.is_some()) {
            (Some(at), true) if untouched(at) => {
                if let Some(detail) = self.detail.as_mut() {
                    detail.log = at;
                }
            }
            _ => self.detail = None,
        }
        self.fresh = Some(fresh).filter(|fresh| !fresh.logs.is_empty());
        let data = self.data.clone();
        let mut effects: Vec<Effect> =
            self.warm_up_for(data.iter().flat_map(|data| data.logs.logs.iter())).into_iter().collect();
        if !self.filter.text.is_empty() {
            effects.extend(self.start_search());
        }
        effects.extend(self.refilter());
        if tailing && let Some(&last) = self.shown.last() {
            effects.extend(self.select(Some(last)));
        }
        effects
    }
}
