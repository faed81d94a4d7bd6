//! The two colour schemes. Both keep body text at 7:1 contrast or more against the
//! background, so the card stays legible when a feed shrinks it to a phone's width.

use std::fmt;
use std::str::FromStr;

use crate::layout::Ink;

/// A colour scheme for the card.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Theme {
    /// Light text on a deep navy background.
    #[default]
    Dark,
    /// Dark text on an off-white background.
    Light,
}

impl Theme {
    /// Every theme.
    pub const ALL: [Theme; 2] = [Theme::Dark, Theme::Light];

    /// The name used on the command line and in URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Dark => "dark",
            Theme::Light => "light",
        }
    }

    /// The background colour.
    pub fn background(self) -> &'static str {
        match self {
            Theme::Dark => "#0b1220",
            Theme::Light => "#fbfaf7",
        }
    }

    /// The colour of an ink role.
    pub fn color(self, ink: Ink) -> &'static str {
        match (self, ink) {
            (Theme::Dark, Ink::Title) => "#ffffff",
            (Theme::Dark, Ink::Text) => "#e3e8f1",
            (Theme::Dark, Ink::Accent) => "#5eead4",
            (Theme::Dark, Ink::Muted) => "#a6b0c3",
            (Theme::Dark, Ink::Trap) => "#fdba74",
            (Theme::Dark, Ink::OnAccent) => "#0b1220",
            (Theme::Dark, Ink::Rule) => "#26324a",
            (Theme::Light, Ink::Title) => "#0b1220",
            (Theme::Light, Ink::Text) => "#1f2937",
            (Theme::Light, Ink::Accent) => "#0f766e",
            (Theme::Light, Ink::Muted) => "#4b5563",
            (Theme::Light, Ink::Trap) => "#c2410c",
            (Theme::Light, Ink::OnAccent) => "#ffffff",
            (Theme::Light, Ink::Rule) => "#d9d6cc",
        }
    }
}

impl fmt::Display for Theme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A theme name that is neither `dark` nor `light`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown theme {0:?} (expected \"dark\" or \"light\")")]
pub struct UnknownTheme(pub String);

impl FromStr for Theme {
    type Err = UnknownTheme;

    fn from_str(s: &str) -> Result<Theme, UnknownTheme> {
        match s.trim().to_ascii_lowercase().as_str() {
            "dark" => Ok(Theme::Dark),
            "light" => Ok(Theme::Light),
            _ => Err(UnknownTheme(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of `#rrggbb`.
    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn text_inks_have_high_contrast() {
        for theme in Theme::ALL {
            let bg = theme.background();
            for (ink, min) in [
                (Ink::Title, 12.0),
                (Ink::Text, 10.0),
                (Ink::Accent, 4.5),
                (Ink::Muted, 7.0),
                (Ink::Trap, 4.5),
            ] {
                let c = contrast(theme.color(ink), bg);
                assert!(c >= min, "{theme} {ink:?}: {c:.1}");
            }
            let badge = contrast(theme.color(Ink::OnAccent), theme.color(Ink::Accent));
            assert!(badge >= 4.5, "{theme} badge: {badge:.1}");
        }
    }

    #[test]
    fn parses_names() {
        assert_eq!("Dark".parse(), Ok(Theme::Dark));
        assert_eq!(" light".parse(), Ok(Theme::Light));
        assert!("sepia".parse::<Theme>().is_err());
    }
}
