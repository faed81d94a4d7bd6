//! Decks as a topic and its categories. The deck every note shares is the topic (`Python`
//! in `Python::Basics`, `Python::Async`); the levels below it are the categories. A deck
//! memseed exported (`memseed::python::…`) gives back its topic id.

use memseed_core::pack::MapSection;

use crate::export::{QUESTIONS_DECK, TRAPS_DECK};

/// The category of notes that sit in the topic's own deck.
pub const GENERAL: &str = "General";

/// The topic a set of deck names makes.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// The shared deck's last level, when it names the topic (not `Default`).
    pub title: Option<String>,
    /// The topic id of a deck memseed exported.
    pub memseed_id: Option<String>,
    /// The shared levels, as a deck name (`Python`), empty when there are none.
    pub root: String,
}

/// The layout of the decks that hold notes.
pub fn layout(deck_names: &[&str]) -> Layout {
    let paths: Vec<Vec<&str>> = deck_names.iter().map(|n| split(n)).collect();
    let mut common: Vec<&str> = paths.first().cloned().unwrap_or_default();
    for p in &paths[1.min(paths.len())..] {
        let same = common.iter().zip(p).take_while(|(a, b)| a == b).count();
        common.truncate(same);
    }
    let memseed_id = match common.as_slice() {
        ["memseed", id, ..] => Some((*id).to_string()),
        _ => None,
    };
    // memseed's own export: the topic deck is `memseed::<id>`, whatever sub-decks it has.
    if memseed_id.is_some() {
        common.truncate(2);
    }
    let title = common
        .last()
        .filter(|t| !t.eq_ignore_ascii_case("default") && **t != "memseed")
        .map(|t| (*t).to_string());
    Layout {
        title,
        memseed_id,
        root: common.join("::"),
    }
}

impl Layout {
    /// The category title of a note in deck `name`: the levels below the root, or
    /// [`GENERAL`] for the root itself.
    pub fn category(&self, name: &str) -> String {
        let path = split(name);
        let root_len = split(&self.root).len().min(path.len());
        let below: Vec<&str> = path[root_len..]
            .iter()
            .copied()
            .filter(|p| self.memseed_id.is_none() || (*p != QUESTIONS_DECK && *p != TRAPS_DECK))
            .collect();
        if below.is_empty() {
            GENERAL.to_string()
        } else {
            below.join(" / ")
        }
    }
}

/// A deck name's levels, empty ones dropped.
fn split(name: &str) -> Vec<&str> {
    name.split("::")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Where a category sits on the learning map, from the words of its title.
pub fn map_section(title: &str) -> MapSection {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["code", "example", "snippet", "syntax"]) {
        MapSection::CodeExamples
    } else if has(&["reference", "cheat", "summary", "vocab", "glossary"]) {
        MapSection::QuickReference
    } else if has(&[
        "quiz",
        "question",
        "interview",
        "exercise",
        "practice",
        "recall",
        "exam",
    ]) {
        MapSection::ActiveRecall
    } else {
        MapSection::Foundations
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_deck_is_the_topic_and_levels_below_are_categories() {
        let l = layout(&["Python::Basics", "Python::Async::Tasks", "Python"]);
        assert_eq!(l.title.as_deref(), Some("Python"));
        assert_eq!(l.root, "Python");
        assert_eq!(l.category("Python::Async::Tasks"), "Async / Tasks");
        assert_eq!(l.category("Python"), GENERAL);

        let l = layout(&["Default", "Spanish"]);
        assert_eq!((l.title.as_deref(), l.root.as_str()), (None, ""));
        assert_eq!(l.category("Spanish"), "Spanish");
        assert_eq!(layout(&["Default"]).title, None);

        let l = layout(&["memseed::python::Core language"]);
        assert_eq!(
            l.category("memseed::python::Core language"),
            "Core language"
        );
        let l = layout(&["memseed::python::Core language", "memseed::python::Traps"]);
        assert_eq!(l.memseed_id.as_deref(), Some("python"));
        assert_eq!(l.category("memseed::python::Traps"), GENERAL);
        assert_eq!(
            l.category("memseed::python::Core language"),
            "Core language"
        );
    }

    #[test]
    fn map_sections_from_titles() {
        assert_eq!(map_section("Code examples"), MapSection::CodeExamples);
        assert_eq!(map_section("Interview questions"), MapSection::ActiveRecall);
        assert_eq!(map_section("Basics"), MapSection::Foundations);
    }
}
