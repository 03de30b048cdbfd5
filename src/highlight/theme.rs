//! The two themes, loaded once per process.
//!
//! base16-ocean.dark and `InspiredGitHub` are syntect's bundled themes, the ones bat users know,
//! but neither tells keys from string values well, and a payload is mostly keys and strings:
//! base16-ocean.dark colours both green, and `InspiredGitHub` has JSON-only rules that make keys
//! bold navy and leave every string value uncoloured. So both lose their JSON-only rules and get
//! one giving keys a colour of their own from the theme's palette.
//!
//! The themes live in statics because syntect's `Highlighter` borrows its theme, and building
//! one per line (it copies every selector) would cost a good fraction of the parse itself.

use std::str::FromStr;
use std::sync::OnceLock;

use syntect::highlighting::{Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSet};

use super::ThemeChoice;

/// Keys in the JSON syntax syntect bundles, and in newer Sublime JSON syntaxes.
const KEY_SELECTOR: &str = "meta.structure.dictionary.key.json string, meta.mapping.key string";

static THEMES: OnceLock<[Theme; 2]> = OnceLock::new();

pub(super) fn load(choice: ThemeChoice) -> &'static Theme {
    let [dark, light] = THEMES.get_or_init(|| {
        let mut set = ThemeSet::load_defaults();
        // base16's blue (base0D) beside its green strings and orange numbers.
        let dark =
            with_key_colour(set.themes.remove("base16-ocean.dark"), Color { r: 0x8f, g: 0xa1, b: 0xb3, a: 0xff });
        // GitHub's purple beside its navy strings and teal numbers.
        let light = with_key_colour(set.themes.remove("InspiredGitHub"), Color { r: 0x79, g: 0x5d, b: 0xa3, a: 0xff });
        [dark, light]
    });
    match choice {
        ThemeChoice::Dark => dark,
        ThemeChoice::Light => light,
    }
}

fn with_key_colour(theme: Option<Theme>, key: Color) -> Theme {
    let mut theme = theme.unwrap_or_default();
    theme.scopes.retain(|item| {
        !item.scope.selectors.iter().any(|selector| {
            selector.path.as_slice().iter().any(|scope| scope.build_string().rsplit('.').next() == Some("json"))
        })
    });
    if let Ok(scope) = ScopeSelectors::from_str(KEY_SELECTOR) {
        theme.scopes.push(ThemeItem {
            scope,
            style: StyleModifier { foreground: Some(key), background: None, font_style: None },
        });
    }
    theme
}
