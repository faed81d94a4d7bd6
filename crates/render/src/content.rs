//! What a share card says, taken from a compressed card: the topic, its size, the seeds,
//! the top traps and the footer. Plain strings, so tests and other callers can build one;
//! pack prose is read through [`memseed_core::prose::plain`], so inline code shows without
//! its backticks.

use memseed_core::Card;
use memseed_core::card::layout::ItemRef;
use memseed_core::prose;
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
    /// Seeds and traps on the card but left out of `seeds` and `traps` before layout,
    /// because a 1200×630 card could never show them; counted in the "+N more" lines.
    pub more_seeds: usize,
    pub more_traps: usize,
}

/// Most seeds and traps laid out: far more than a 1200×630 card can show, so a card of a
/// huge pack costs no more to draw than one of a small pack.
pub const MAX_LAID_OUT: usize = 64;

impl CardContent {
    /// The share card's content for a compressed card, in the card's own order.
    pub fn from_card(card: &Card<'_>) -> CardContent {
        let pack = card.pack;
        let arranged = card.seeds();
        let mut seeds: Vec<Seed> = arranged
            .entries
            .iter()
            .map(|&(c, level, _)| (c, level))
            .chain(arranged.checklist.iter().map(|&c| (c, 1)))
            .map(|(c, level)| Seed {
                title: prose::plain(&pack.concepts[c].title),
                anchor: pack.concepts[c]
                    .anchor
                    .as_deref()
                    .filter(|_| level >= 2)
                    .map(prose::plain),
            })
            .take(MAX_LAID_OUT + 1)
            .collect();
        let all_seeds = arranged.entries.len() + arranged.checklist.len();
        let mut traps: Vec<String> = card
            .kept()
            .filter_map(|(item, _)| match item {
                ItemRef::Trap(i) => Some(prose::plain(&pack.traps[i].what)),
                _ => None,
            })
            .take(MAX_LAID_OUT + 1)
            .collect();
        let all_traps = card
            .kept()
            .filter(|(item, _)| matches!(item, ItemRef::Trap(_)))
            .count();
        seeds.truncate(MAX_LAID_OUT);
        traps.truncate(MAX_LAID_OUT);
        let labels = card.section_labels();
        let label = |id: &str, fallback: &str| {
            labels
                .iter()
                .find(|(s, _)| *s == id)
                .map_or_else(|| fallback.to_string(), |(_, l)| l.clone())
        };
        CardContent {
            title: prose::plain(&pack.topic.title),
            size: memseed_core::budget::human(card.selection.bytes),
            budget: memseed_core::budget::exact(card.selection.budget),
            seeds_heading: label("seeds", "Seeds"),
            more_seeds: all_seeds - seeds.len(),
            seeds,
            traps_heading: label("traps", "Top traps"),
            more_traps: all_traps - traps.len(),
            traps,
            lost: card.lost().summary,
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
            more_seeds: self.more_seeds,
            more_traps: self.more_traps,
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
