//! The text search: started in the background for `filter.text` as it is typed, its last
//! results kept on screen while a newer one runs.

use super::State;
use crate::action::Effect;
use crate::filter::TextSearch;

impl State {
    /// Starts the background text search for `filter.text`, if there is text. The last results
    /// stay on screen meanwhile when they are for text the new one extends or shortens (a key
    /// typed or deleted), so the list narrows as the user types instead of flashing every log.
    pub(super) fn start_search(&mut self) -> Vec<Effect> {
        self.search_generation += 1;
        let text = self.filter.text.to_lowercase();
        let related = |query: &str| {
            let query = query.to_lowercase();
            text.contains(&query) || query.contains(&text)
        };
        if self.text_matches.as_ref().is_some_and(|last| text.is_empty() || !related(&last.query)) {
            self.text_matches = None;
        }
        self.search = TextSearch::new(&self.filter.text).map(|search| search.with_times(self.time));
        if self.filter.text.is_empty() || self.data.is_none() {
            self.searching = false;
            return Vec::new();
        }
        self.searching = true;
        vec![Effect::Search { generation: self.search_generation, query: self.filter.text.clone(), time: self.time }]
    }

    /// Makes `text` the text filter, as it is typed: the search restarts, the list follows, and
    /// the detail marks the new matches without being rebuilt.
    pub(super) fn set_search_text(&mut self, text: String) -> Vec<Effect> {
        if text == self.filter.text {
            return Vec::new();
        }
        self.filter.text = text;
        let mut effects = self.start_search();
        let shown_doc = self.detail.as_ref().map(|detail| detail.doc.id);
        effects.extend(self.refilter());
        // A detail built anew for another log has its matches already.
        if let Some(detail) = self.detail.as_mut().filter(|detail| Some(detail.doc.id) == shown_doc) {
            detail.find_matches(self.search.as_ref());
        }
        effects
    }
}
