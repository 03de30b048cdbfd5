//! How many colours the terminal can show, and theme colours mapped onto them.

use std::ffi::OsStr;

use ratatui::style::{Color, Modifier, Style};
use syntect::highlighting::{Color as ThemeColor, FontStyle, Style as ThemeStyle, Theme};

/// What the terminal can display, decided once at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorSupport {
    /// `NO_COLOR` is set: no colours and no bold or italics either.
    None,
    /// The safe default: every terminal in use today, tmux and screen included, has 256 colours,
    /// while 24-bit colour sent to one that lacks it comes out as garbage or not at all.
    Ansi256,
    TrueColor,
}

/// Reads `NO_COLOR` (<https://no-color.org>: set and non-empty) and `COLORTERM`, the variable
/// terminals with 24-bit colour set, and which ssh passes on when the server accepts it.
#[must_use]
pub fn detect_color_support() -> ColorSupport {
    support_from(std::env::var_os("NO_COLOR").as_deref(), std::env::var_os("COLORTERM").as_deref())
}

fn support_from(no_color: Option<&OsStr>, colorterm: Option<&OsStr>) -> ColorSupport {
    if no_color.is_some_and(|value| !value.is_empty()) {
        ColorSupport::None
    } else if colorterm
        .is_some_and(|value| value.eq_ignore_ascii_case("truecolor") || value.eq_ignore_ascii_case("24bit"))
    {
        ColorSupport::TrueColor
    } else {
        ColorSupport::Ansi256
    }
}

/// The theme's colours converted once, so styling a token is a short lookup rather than a
/// nearest-colour search.
pub(super) struct Palette {
    support: ColorSupport,
    /// The theme's plain-text colour, which is left to the terminal's own foreground.
    default: Option<ThemeColor>,
    colors: Vec<(ThemeColor, Color)>,
}

impl Palette {
    pub(super) fn new(theme: &Theme, support: ColorSupport) -> Self {
        let mut colors: Vec<(ThemeColor, Color)> = Vec::new();
        for item in &theme.scopes {
            if let Some(rgb) = item.style.foreground
                && !colors.iter().any(|&(known, _)| known == rgb)
            {
                colors.push((rgb, convert(rgb, support)));
            }
        }
        Self { support, default: theme.settings.foreground, colors }
    }

    pub(super) fn support(&self) -> ColorSupport {
        self.support
    }

    /// Only the foreground and font style are kept: the terminal's own background stays, so the
    /// pane matches the rest of the UI on any terminal theme. The theme's default foreground
    /// becomes "no colour", so plain punctuation uses the terminal's foreground too.
    pub(super) fn style(&self, style: ThemeStyle) -> Style {
        let mut out = Style::new();
        if self.support == ColorSupport::None {
            return out;
        }
        if let Some(fg) = self.foreground(style.foreground) {
            out = out.fg(fg);
        }
        for (font, modifier) in [
            (FontStyle::BOLD, Modifier::BOLD),
            (FontStyle::ITALIC, Modifier::ITALIC),
            (FontStyle::UNDERLINE, Modifier::UNDERLINED),
        ] {
            if style.font_style.contains(font) {
                out = out.add_modifier(modifier);
            }
        }
        out
    }

    /// `None` for the theme's default colour (and always under `NO_COLOR`).
    fn foreground(&self, rgb: ThemeColor) -> Option<Color> {
        if self.support == ColorSupport::None || self.default == Some(rgb) {
            return None;
        }
        let known = self.colors.iter().find(|&&(known, _)| known == rgb).map(|&(_, color)| color);
        Some(known.unwrap_or_else(|| convert(rgb, self.support)))
    }
}

fn convert(rgb: ThemeColor, support: ColorSupport) -> Color {
    match support {
        ColorSupport::TrueColor => Color::Rgb(rgb.r, rgb.g, rgb.b),
        ColorSupport::Ansi256 => Color::Indexed(ansi256(rgb.r, rgb.g, rgb.b)),
        ColorSupport::None => Color::Reset,
    }
}

/// The levels of xterm's 6×6×6 colour cube (indices 16–231).
const CUBE: [u8; 6] = [0, 95, 135, 175, 215, 255];

/// The nearest xterm-256 colour among the cube and the grey ramp (232–255). Indices 0–15 are
/// never chosen: every terminal theme redefines them, so they would not look like the theme.
#[must_use]
pub(super) fn ansi256(r: u8, g: u8, b: u8) -> u8 {
    let level = |c: u8| {
        CUBE.iter().enumerate().min_by_key(|&(_, &v)| v.abs_diff(c)).map_or(0, |(i, _)| u8::try_from(i).unwrap_or(0))
    };
    let (ri, gi, bi) = (level(r), level(g), level(b));
    let cube = (CUBE[ri as usize], CUBE[gi as usize], CUBE[bi as usize]);
    // Grey ramp: 8, 18, …, 238.
    let average = (u16::from(r) + u16::from(g) + u16::from(b)) / 3;
    let grey_index = u8::try_from((average.saturating_sub(3) / 10).min(23)).unwrap_or(23);
    let grey = 8 + 10 * grey_index;
    if distance((r, g, b), (grey, grey, grey)) < distance((r, g, b), cube) {
        232 + grey_index
    } else {
        16 + 36 * ri + 6 * gi + bi
    }
}

/// Squared distance weighted roughly by the eye's sensitivity to each channel.
fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    2 * d(a.0, b.0) + 4 * d(a.1, b.1) + 3 * d(a.2, b.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[rstest::rstest]
    #[case::nothing_set(None, None, ColorSupport::Ansi256)]
    #[case::truecolor(None, Some("truecolor"), ColorSupport::TrueColor)]
    #[case::bit24(None, Some("24bit"), ColorSupport::TrueColor)]
    #[case::other_colorterm(None, Some("yes"), ColorSupport::Ansi256)]
    #[case::no_color(Some("1"), Some("truecolor"), ColorSupport::None)]
    #[case::empty_no_color_is_unset(Some(""), Some("truecolor"), ColorSupport::TrueColor)]
    fn color_support_follows_the_environment(
        #[case] no_color: Option<&str>,
        #[case] colorterm: Option<&str>,
        #[case] expected: ColorSupport,
    ) {
        assert_eq!(support_from(no_color.map(OsStr::new), colorterm.map(OsStr::new)), expected);
    }

    #[rstest::rstest]
    #[case::black(0, 0, 0, 16)]
    #[case::white(255, 255, 255, 231)]
    #[case::cube_exact(95, 135, 175, 67)]
    #[case::mid_grey(128, 128, 128, 244)]
    #[case::near_black_grey(10, 10, 10, 232)]
    #[case::ocean_green(163, 190, 140, 144)]
    #[case::ocean_foreground(192, 197, 206, 251)]
    fn nearest_xterm_colour(#[case] r: u8, #[case] g: u8, #[case] b: u8, #[case] index: u8) {
        assert_eq!(ansi256(r, g, b), index);
    }
}
