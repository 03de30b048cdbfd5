//! Every key of the explorer, mode by mode: what it does, how the help overlay describes it, and
//! the footer's word for it. The footer keeps a table's order, and always keeps its last two
//! hints (help and quit while browsing).

use crossterm::event::KeyCode as K;

use super::{Binding, Key, KeyTable, Keymap};
use crate::action::{
    Action as A, CallsAction as C, CopyAction, HelpAction, PickerAction as P, SearchAction as S, TypeSlot,
};
use crate::export::CopyItem;

fn bind<T>(keys: &[Key], action: T, description: &'static str, hint: Option<&'static str>) -> Binding<T> {
    Binding { keys: keys.to_vec(), action, description, hint }
}

const fn c(c: char) -> Key {
    Key::char(c)
}

const fn p(code: K) -> Key {
    Key::plain(code)
}

/// The digit a slot is toggled with, in the list and in the type picker.
fn digit(slot: TypeSlot) -> Key {
    c(char::from(b'0' + slot.number()))
}

fn browse() -> KeyTable<A> {
    let mut bindings = vec![
        bind(&[c('j'), p(K::Down)], A::Down, "next log / scroll down / timeline: lane below", Some("move")),
        bind(&[c('k'), p(K::Up)], A::Up, "previous log / scroll up / timeline: lane above", Some("move")),
        bind(&[c('g'), p(K::Home)], A::First, "first log / top", None),
        bind(&[c('G'), p(K::End)], A::Last, "last log / bottom", None),
        bind(&[p(K::PageDown), Key::ctrl('d')], A::PageDown, "page down", None),
        bind(&[p(K::PageUp), Key::ctrl('u')], A::PageUp, "page up", None),
        bind(&[p(K::Tab)], A::SwitchFocus, "switch focus list ↔ detail", Some("focus")),
        bind(&[p(K::Enter)], A::Zoom, "detail full-screen", Some("open")),
        bind(&[p(K::Esc)], A::Back, "back / close, then clear the search", None),
        bind(&[p(K::Backspace)], A::BackToCalls, "back to the call list this call came from", None),
        bind(&[c('t')], A::TypePicker, "pick webhook types", Some("types")),
        bind(&[c('f')], A::CycleStatus, "status: all → failed → succeeded → retried", Some("failed")),
        bind(&[c('x')], A::ToggleChains, "one row a delivery (retry chains) ↔ one row an attempt", None),
        bind(&[c(' ')], A::ToggleAttempts, "show or hide the selected delivery's attempts", None),
        bind(&[c('/')], A::Search, "search text (the list follows as you type)", Some("search")),
        bind(&[c('v')], A::CycleView, "view: list → timeline → stats", None),
        bind(&[c('n')], A::NextMatch, "next match, on into the next log", None),
        bind(&[c('N')], A::PrevMatch, "previous match, back into the previous log", None),
        bind(&[c('c')], A::ClearFilters, "clear every filter", None),
        bind(&[c(']')], A::NextFailure, "next failed delivery (filters kept)", None),
        bind(&[c('[')], A::PrevFailure, "previous failed delivery", None),
        bind(&[c('!')], A::NextWarning, "next lifecycle warning (header: ⚠ N warnings)", None),
        bind(&[c('m')], A::Mark, "mark this log to compare (again: unmark)", None),
        bind(&[c('d')], A::Diff, "diff this log's payload with the marked one's", None),
        bind(&[c('p')], A::ShowPayload, "show the request payload", Some("payload")),
        bind(&[c('b')], A::ShowResponse, "show the response body", Some("response")),
        bind(&[c('i')], A::ShowInfo, "show metadata, extra fields, problems", None),
        bind(&[c('a')], A::ShowRaw, "show the entry as sent", None),
        bind(&[c('l'), p(K::Right)], A::NextTab, "next detail tab / timeline: next attempt", None),
        bind(&[c('h'), p(K::Left)], A::PrevTab, "previous detail tab / timeline: previous attempt", None),
        bind(&[c('<')], A::ScrollLeft, "scroll the detail left", None),
        bind(&[c('>')], A::ScrollRight, "scroll the detail right (long lines)", None),
        bind(&[c('0')], A::LineStart, "detail: back to the start of the lines", None),
        bind(&[c('$')], A::LineEnd, "detail: to the end of the longest line shown", None),
        bind(&[c('w')], A::ToggleWrap, "detail: wrap long lines on/off", Some("wrap")),
        bind(&[c('y')], A::CopyMenu, "copy… (payload, response, curl, report)", Some("copy")),
        bind(&[c('Y')], A::CopyPayload, "copy the payload", None),
        bind(&[c('R')], A::ToggleRedact, "redact copies on/off", None),
        bind(&[c('e')], A::Export, "export shown logs to a case file", None),
        bind(&[c('r')], A::Refresh, "fetch again", None),
        bind(&[c('F')], A::ToggleFollow, "follow the call: new deliveries as they come", None),
        bind(&[c('z')], A::ToggleTime, "UTC ↔ local time", None),
        bind(&[c('?')], A::Help, "this help", Some("help")),
        bind(&[c('q')], A::Quit, "quit", Some("quit")),
    ];
    for slot in TypeSlot::all() {
        bindings.push(bind(&[digit(slot)], A::ToggleType(slot), "toggle the Nth type (as in the type picker)", None));
    }
    KeyTable { bindings, any_other_key: None }
}

fn anywhere() -> KeyTable<A> {
    let bindings = vec![
        bind(&[Key::ctrl('c')], A::Quit, "quit, whatever is open", None),
        bind(&[Key::ctrl('z')], A::Suspend, "suspend to the shell (fg comes back)", None),
    ];
    KeyTable { bindings, any_other_key: None }
}

fn types() -> KeyTable<P> {
    let mut bindings = vec![
        bind(&[c('j'), p(K::Down)], P::Down, "next type", Some("move")),
        bind(&[c('k'), p(K::Up)], P::Up, "previous type", Some("move")),
        bind(&[c('g'), p(K::Home)], P::First, "first type", None),
        bind(&[c('G'), p(K::End)], P::Last, "last type", None),
        bind(&[c(' '), c('x')], P::Toggle, "choose the type, or unchoose it", Some("toggle")),
        bind(&[c('a')], P::All, "all types: clear the choice", Some("all")),
    ];
    for slot in TypeSlot::all() {
        bindings.push(bind(&[digit(slot)], P::ToggleSlot(slot), "toggle the Nth type", None));
    }
    bindings.extend([
        bind(&[p(K::Enter)], P::Apply, "show the chosen types", Some("apply")),
        bind(&[p(K::Esc), c('q'), c('t')], P::Cancel, "close without changing the filter", Some("cancel")),
    ]);
    KeyTable { bindings, any_other_key: None }
}

fn search() -> KeyTable<S> {
    let bindings = vec![
        bind(&[p(K::Enter)], S::Apply, "keep the search, close the line", Some("done")),
        bind(&[p(K::Esc)], S::Cancel, "put back the search from before", Some("cancel")),
        bind(&[Key::ctrl('u')], S::Clear, "clear the line", Some("clear")),
        bind(&[p(K::Backspace)], S::DeleteChar, "delete the last character", None),
    ];
    KeyTable { bindings, any_other_key: None }
}

fn copy() -> KeyTable<CopyAction> {
    let item = |key: char, item: CopyItem, description: &'static str| {
        bind(&[c(key)], CopyAction::Copy(item), description, Some("copy"))
    };
    let bindings = vec![
        item('p', CopyItem::Payload, "request payload (pretty)"),
        item('r', CopyItem::Response, "response body (escapes removed)"),
        item('e', CopyItem::Entry, "whole log entry as JSON, as sent"),
        item('c', CopyItem::Curl, "curl command that replays it"),
        item('m', CopyItem::Markdown, "Markdown bug report"),
        item('u', CopyItem::Url, "webhook URL"),
        bind(&[p(K::Esc)], CopyAction::Close, "close", Some("close")),
    ];
    KeyTable { bindings, any_other_key: Some(bind(&[], CopyAction::Close, "close", None)) }
}

fn help() -> KeyTable<HelpAction> {
    let bindings = vec![
        bind(&[c('j'), p(K::Down)], HelpAction::ScrollDown, "scroll down", Some("scroll")),
        bind(&[c('k'), p(K::Up)], HelpAction::ScrollUp, "scroll up", Some("scroll")),
        bind(&[p(K::PageDown), Key::ctrl('d')], HelpAction::PageDown, "page down", None),
        bind(&[p(K::PageUp), Key::ctrl('u')], HelpAction::PageUp, "page up", None),
        bind(&[c('g'), p(K::Home)], HelpAction::Top, "top", None),
        bind(&[c('G'), p(K::End)], HelpAction::Bottom, "bottom", None),
    ];
    KeyTable { bindings, any_other_key: Some(bind(&[], HelpAction::Close, "close", Some("close"))) }
}

/// The call list's keys; its filter line is read with the search line's table.
fn calls() -> KeyTable<C> {
    let bindings = vec![
        bind(&[c('j'), p(K::Down)], C::Down, "next call", Some("move")),
        bind(&[c('k'), p(K::Up)], C::Up, "previous call", Some("move")),
        bind(&[c('g'), p(K::Home)], C::First, "newest call", None),
        bind(&[c('G'), p(K::End)], C::Last, "last call loaded (loads more)", None),
        bind(&[p(K::PageDown), Key::ctrl('d')], C::PageDown, "page down", None),
        bind(&[p(K::PageUp), Key::ctrl('u')], C::PageUp, "page up", None),
        bind(&[p(K::Enter)], C::Open, "open the call's deliveries (Esc comes back)", Some("open")),
        bind(&[c('/')], C::EditPhone, "filter by customer phone number", Some("phone")),
        bind(&[c('s')], C::EditStatus, "filter by call status", Some("status")),
        bind(&[c('a')], C::EditAssistant, "filter by assistant id", None),
        bind(&[c('S')], C::EditSince, "calls since (2h, 1d, 2025-01-15)", Some("since")),
        bind(&[c('c')], C::ClearFilters, "clear every filter", None),
        bind(&[c('r')], C::Reload, "fetch the list again", None),
        bind(&[c('z')], C::ToggleTime, "UTC ↔ local time", None),
        bind(&[c('?')], C::Help, "this help", Some("help")),
        bind(&[c('q')], C::Quit, "quit", Some("quit")),
    ];
    KeyTable { bindings, any_other_key: None }
}

impl Default for Keymap {
    fn default() -> Self {
        Self {
            browse: browse(),
            anywhere: anywhere(),
            types: types(),
            search: search(),
            copy: copy(),
            help: help(),
            calls: calls(),
        }
    }
}
