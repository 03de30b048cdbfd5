use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::action::TypeSlot;
use crate::export::CopyItem;

fn press(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, modifiers)
}

fn char_key(c: char) -> KeyEvent {
    press(KeyCode::Char(c), KeyModifiers::NONE)
}

fn overrides(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(name, key)| ((*name).to_owned(), (*key).to_owned())).collect()
}

#[test]
fn default_keys_reach_their_actions() {
    let keymap = Keymap::default();
    assert_eq!(keymap.browse.action_for(&char_key('j')), Some(Action::Down));
    assert_eq!(keymap.browse.action_for(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Last));
    assert_eq!(keymap.anywhere.action_for(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
    assert_eq!(keymap.browse.action_for(&char_key('c')), Some(Action::ClearFilters));
    assert_eq!(keymap.browse.action_for(&char_key('3')), Some(Action::ToggleType(TypeSlot::new(3).unwrap())));
}

#[test]
fn each_mode_reads_its_own_table() {
    let keymap = Keymap::default();
    assert_eq!(keymap.copy.action_for(&char_key('c')), Some(CopyAction::Copy(CopyItem::Curl)));
    assert_eq!(keymap.copy.action_for(&char_key('z')), Some(CopyAction::Close), "any other key closes the menu");
    assert_eq!(keymap.types.action_for(&char_key(' ')), Some(PickerAction::Toggle));
    assert_eq!(keymap.types.action_for(&char_key('2')), Some(PickerAction::ToggleSlot(TypeSlot::new(2).unwrap())));
    assert_eq!(keymap.types.action_for(&char_key('z')), None, "other keys do nothing in the picker");
    assert_eq!(keymap.search.action_for(&press(KeyCode::Char('u'), KeyModifiers::CONTROL)), Some(SearchAction::Clear));
    assert_eq!(keymap.search.action_for(&char_key('u')), None, "a plain letter is text, not a command");
    assert_eq!(keymap.help.action_for(&char_key('k')), Some(HelpAction::ScrollUp));
    assert_eq!(keymap.help.action_for(&char_key('q')), Some(HelpAction::Close));
}

#[test]
fn no_key_is_bound_twice_in_a_mode() {
    let keymap = Keymap::default();
    assert_eq!(keymap.clashes(), Vec::<String>::new(), "browsing, or browsing and anywhere");
    let popups: [Vec<Vec<Key>>; 4] = [
        keymap.types.bindings.iter().map(|b| b.keys.clone()).collect(),
        keymap.search.bindings.iter().map(|b| b.keys.clone()).collect(),
        keymap.copy.bindings.iter().map(|b| b.keys.clone()).collect(),
        keymap.help.bindings.iter().map(|b| b.keys.clone()).collect(),
    ];
    for table in popups {
        let mut seen: Vec<Key> = Vec::new();
        for key in table.into_iter().flatten() {
            assert!(!seen.contains(&key), "{key} is bound twice");
            seen.push(key);
        }
    }
}

#[test]
fn the_config_file_rebinds_by_action_name() {
    let keymap = Keymap::with_overrides(&overrides(&[("quit", "Q"), ("cycle_status", "ctrl-f")])).unwrap();
    assert_eq!(keymap.browse.action_for(&char_key('Q')), Some(Action::Quit));
    assert_eq!(keymap.browse.action_for(&char_key('q')), None);
    assert_eq!(keymap.browse.action_for(&press(KeyCode::Char('f'), KeyModifiers::CONTROL)), Some(Action::CycleStatus));
    let moved = Keymap::with_overrides(&overrides(&[("clear_filters", "C"), ("quit", "c"), ("type_3", "F3")])).unwrap();
    assert_eq!(moved.browse.action_for(&char_key('c')), Some(Action::Quit), "a key another action gave up is free");
    assert_eq!(
        moved.browse.action_for(&press(KeyCode::F(3), KeyModifiers::NONE)),
        Some(Action::ToggleType(TypeSlot::new(3).unwrap()))
    );
}

#[test]
fn an_unknown_action_is_refused_with_every_name() {
    let error = Keymap::with_overrides(&overrides(&[("fly", "x")])).unwrap_err();
    assert!(error.starts_with("[keys]: no action named `fly` (the actions are: down, up, first, last, "), "{error}");
    for name in ["quit", "cycle_status", "copy_menu", "type_1", "type_9"] {
        assert!(error.contains(&format!(" {name},")) || error.ends_with(&format!(" {name})")), "{name}: {error}");
    }
    let error = Keymap::with_overrides(&overrides(&[("type_10", "x")])).unwrap_err();
    assert!(error.starts_with("[keys]: no action named `type_10` (the actions are: "), "{error}");
}

#[rstest::rstest]
#[case::a_default_key_of_another_action(&[("quit", "c")], "[keys]: `c` is bound to both `clear_filters` and `quit`")]
#[case::two_overrides(&[("export", "Q"), ("refresh", "Q")], "[keys]: `Q` is bound to both `export` and `refresh`")]
#[case::a_key_that_works_anywhere(
    &[("clear_filters", "ctrl-c")],
    "[keys]: `Ctrl-c` is bound to both `quit` (anywhere) and `clear_filters`"
)]
#[case::unreadable(&[("quit", "ctrl-")], "[keys]: cannot read key \"ctrl-\" for `quit`")]
fn a_key_bound_to_two_actions_is_refused(#[case] pairs: &[(&str, &str)], #[case] error: &str) {
    assert_eq!(Keymap::with_overrides(&overrides(pairs)).unwrap_err(), error);
}

#[test]
fn the_same_key_twice_for_one_action_is_no_clash() {
    let keymap = Keymap::with_overrides(&overrides(&[("quit", "q,ctrl-c")])).unwrap();
    assert_eq!(keymap.browse.action_for(&char_key('q')), Some(Action::Quit));
}

#[test]
fn action_names_are_read_and_written_by_serde() {
    for binding in &Keymap::default().browse.bindings {
        let name = binding.action.name();
        assert!(name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{name}");
        assert_eq!(Action::from_name(&name), Some(binding.action), "{name}");
    }
    assert_eq!(Action::CycleStatus.name(), "cycle_status");
    assert_eq!(Action::ToggleType(TypeSlot::new(3).unwrap()).name(), "type_3");
    assert_eq!(Action::from_name("type_0"), None);
    assert_eq!(Action::from_name("CycleStatus"), None);
}

#[test]
fn the_footer_shows_each_modes_hints_with_shared_words_joined() {
    let keymap = Keymap::default();
    let hints =
        |mode| -> Vec<String> { keymap.hints(mode).into_iter().map(|(keys, hint)| format!("{keys} {hint}")).collect() };
    assert_eq!(hints(Mode::Browse)[0], "j/k move");
    assert_eq!(hints(Mode::Browse).last().unwrap(), "q quit");
    assert_eq!(hints(Mode::Types), ["j/k move", "Space toggle", "a all", "Enter apply", "Esc cancel"]);
    assert_eq!(hints(Mode::Search), ["Enter done", "Esc cancel", "Ctrl-u clear"]);
    assert_eq!(hints(Mode::Copy), ["p/r/e/c/m/u copy", "Esc close"]);
    assert_eq!(hints(Mode::Help), ["j/k scroll", "any key close"]);
    let rebound = Keymap::with_overrides(&overrides(&[("down", "s"), ("quit", "Q")])).unwrap();
    assert_eq!(rebound.hints(Mode::Browse)[0], ("s/k".to_owned(), "move"), "the footer follows the config");
}

#[test]
fn the_help_lists_every_table_with_runs_of_keys_shortened() {
    let keymap = Keymap::default();
    let sections = keymap.help_sections();
    let titles: Vec<&str> = sections.iter().map(|(title, _)| *title).collect();
    assert_eq!(
        titles,
        [
            "browsing the list and the detail",
            "anywhere",
            "type picker",
            "search line (other keys type the text)",
            "copy menu",
            "this help",
            "mouse"
        ]
    );
    let rows = |n: usize| sections[n].1.iter().map(|(keys, what)| format!("{keys}: {what}")).collect::<Vec<_>>();
    assert!(rows(0).contains(&"1…9: toggle the Nth type (as in the type picker)".to_owned()), "{:?}", rows(0));
    for row in [
        "w: detail: wrap long lines on/off",
        "0: detail: back to the start of the lines",
        "$: detail: to the end of the longest line shown",
    ] {
        assert!(rows(0).contains(&row.to_owned()), "{row} in {:?}", rows(0));
    }
    assert!(rows(0).contains(&"PgDn Ctrl-d: page down".to_owned()));
    assert_eq!(rows(1), ["Ctrl-c: quit, whatever is open", "Ctrl-z: suspend to the shell (fg comes back)"]);
    assert!(rows(2).contains(&"1…9: toggle the Nth type".to_owned()));
    assert_eq!(
        rows(5),
        [
            "j ↓: scroll down",
            "k ↑: scroll up",
            "PgDn Ctrl-d: page down",
            "PgUp Ctrl-u: page up",
            "g Home: top",
            "G End: bottom",
            "any other key: close"
        ]
    );
    let lines: usize = sections.iter().map(|(_, rows)| rows.len() + 1).sum::<usize>() + sections.len() - 1;
    assert_eq!(keymap.help_line_count(), lines, "titles and rows, a blank line between sections");
    let total: usize = keymap.browse.bindings.len();
    assert_eq!(rows(0).len(), total - 8, "nine digits in one row");
}
