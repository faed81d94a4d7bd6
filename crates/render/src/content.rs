//! What a share card says, taken from a compressed card: the topic, its size, the seeds,
//! the top traps and the footer. Plain strings, so tests and other callers can build one.

use memseed_core::Card;
use memseed_core::card::layout::ItemRef;
use unicode_segmentation::UnicodeSegmentation;

/// One seed line: a concept's title and, when the card keeps it, its anchor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seed {
    pub title: String,
    pub anchor: Option<String>,
}

/// Everything the share card shows, before layout.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CardContent {
    /// The topic title, e.g. `Python`.
    pub title: String,
    /// The card's size for the badge, e.g. `2.14 KB`.
    pub size: String,
    /// The budget, e.g. `2,257 bytes`.
    pub budget: String,
    /// The heading over the seeds, e.g. `Seeds · 9 critical, 2 high`.
    pub seeds_heading: String,
    pub seeds: Vec<Seed>,
    /// The heading over the traps, e.g. `Top traps · 3`.
    pub traps_heading: String,
    /// One line per kept trap: what goes wrong.
    pub traps: Vec<String>,
    /// What the budget cost, e.g. `14 high-importance, 38 medium ... concepts, 35 traps`.
    pub lost: String,
}

impl CardContent {
    /// The share card's content for a compressed card, in the card's own order.
    pub fn from_card(card: &Card<'_>) -> CardContent {
        let pack = card.pack;
        let report = card.report();
        let mut seeds = Vec::new();
        let mut traps = Vec::new();
        for (item, level) in card.kept() {
            match item {
                ItemRef::Concept(i) => {
                    let c = &pack.concepts[i];
                    seeds.push(Seed {
                        title: c.title.clone(),
                        anchor: c.anchor.clone().filter(|_| level >= 2),
                    });
                }
                ItemRef::Trap(i) => traps.push(pack.traps[i].what.clone()),
                _ => {}
            }
        }
        let label = |id: &str, fallback: &str| {
            report
                .sections
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| fallback.to_string(), |s| s.label.clone())
        };
        CardContent {
            title: report.title.clone(),
            size: report.size.clone(),
            budget: memseed_core::budget::exact(report.budget),
            seeds_heading: label("seeds", "Seeds"),
            seeds,
            traps_heading: label("traps", "Top traps"),
            traps,
            lost: report.lost.summary.clone(),
        }
    }

    /// The same content with every character outside printable ASCII removed: the
    /// fallback when the renderer fails on some text.
    pub fn ascii_only(&self) -> CardContent {
        let f = |s: &str| clean(s, |c| c.is_ascii_graphic());
        CardContent {
            title: f(&self.title),
            size: f(&self.size),
            budget: f(&self.budget),
            seeds_heading: f(&self.seeds_heading),
            seeds: self
                .seeds
                .iter()
                .map(|s| Seed {
                    title: f(&s.title),
                    anchor: s.anchor.as_deref().map(f),
                })
                .collect(),
            traps_heading: f(&self.traps_heading),
            traps: self.traps.iter().map(|t| f(t)).collect(),
            lost: f(&self.lost),
        }
    }
}

/// Most characters kept in one grapheme cluster: a letter and two combining marks. Longer
/// stacks ("Zalgo" text) would draw far above the line's box.
const MAX_GRAPHEME_CHARS: usize = 3;

/// Text the embedded font can draw: characters it lacks (emoji, CJK, right-to-left
/// scripts, joiners, variation selectors) are dropped, control characters and any run of
/// whitespace become one space, stacks of combining marks are cut short, and the ends are
/// trimmed.
pub(crate) fn clean(text: &str, covers: impl Fn(char) -> bool) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
        } else if covers(c) {
            if space && !kept.is_empty() {
                kept.push(' ');
            }
            space = false;
            kept.push(c);
        }
    }
    if kept.is_ascii() {
        return kept;
    }
    kept.graphemes(true)
        .flat_map(|g| g.chars().take(MAX_GRAPHEME_CHARS))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ascii(c: char) -> bool {
        c.is_ascii_graphic()
    }

    #[test]
    fn clean_drops_what_the_font_lacks_and_collapses_space() {
        let cases = [
            ("plain", "plain"),
            ("  two\t\nlines  ", "two lines"),
            ("emoji \u{1F600} here", "emoji here"),
            (
                "family \u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467} ok",
                "family ok",
            ),
            ("flag \u{1F1EB}\u{1F1F7}!", "flag !"),
            ("\u{05E9}\u{05DC}\u{05D5}\u{05DD}", ""),
            ("a\u{0000}b", "a b"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input, ascii), want, "{input:?}");
        }
    }

    #[test]
    fn clean_cuts_stacks_of_combining_marks() {
        let all = |_: char| true;
        assert_eq!(
            clean("e\u{301}\u{302}\u{303}\u{304}x", all),
            "e\u{301}\u{302}x"
        );
        assert_eq!(clean("caf\u{e9} na\u{ef}ve", all), "caf\u{e9} na\u{ef}ve");
    }
}
