//! The drills beside spaced review, as pure logic shared by the terminal and the web app:
//! a quiz's questions at one level in a seeded order, and the concepts a budget's card
//! loses for the reconstruct drill.

use memseed_core::Pack;
use memseed_core::card::Report;
use memseed_core::pack::{Concept, Difficulty};

use crate::CardKind;
use crate::cards::card_key;

/// A level that is not beginner, intermediate or expert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown level \"{0}\": use beginner, intermediate or expert")]
pub struct BadLevel(pub String);

/// Reads a quiz level, in any case.
pub fn parse_level(s: &str) -> Result<Difficulty, BadLevel> {
    let wanted = s.trim().to_lowercase();
    Difficulty::ALL
        .into_iter()
        .find(|d| d.as_str() == wanted)
        .ok_or_else(|| BadLevel(memseed_core::pack::text::clip(s, 40)))
}

/// One question of a quiz: an interview question or a practice snippet.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizItem {
    pub id: String,
    pub question: String,
    /// The practice snippet's code (empty for an interview question).
    pub code: String,
    pub answer: String,
    /// The item's own card, if it has one (interview questions do).
    pub card: Option<String>,
    /// Concepts it tests: their cards come due soon when it is missed.
    pub concepts: Vec<String>,
}

impl QuizItem {
    /// The cards a miss brings forward: the item's own, then its concepts' anchors.
    pub fn missed_cards(&self, topic: &str) -> Vec<String> {
        let mut keys: Vec<String> = self.card.iter().cloned().collect();
        keys.extend(
            self.concepts
                .iter()
                .map(|c| card_key(topic, c, CardKind::ConceptAnchor)),
        );
        keys
    }
}

/// Every question of `pack` at `level` (interview questions, then practice snippets), in
/// pack order.
pub fn quiz_items(pack: &Pack, level: Difficulty) -> Vec<QuizItem> {
    let topic = pack.topic.id.as_str();
    let concept_ids = |ids: &[usize]| -> Vec<String> {
        ids.iter().map(|&c| pack.concepts[c].id.clone()).collect()
    };
    let mut items: Vec<QuizItem> = pack
        .questions
        .iter()
        .filter(|q| q.level == level)
        .map(|q| QuizItem {
            id: q.id.clone(),
            question: q.question.clone(),
            code: String::new(),
            answer: match &q.detailed {
                Some(d) => format!("{}\n\n{d}", q.short),
                None => q.short.clone(),
            },
            card: Some(card_key(topic, &q.id, CardKind::Question)),
            concepts: concept_ids(&q.concepts),
        })
        .collect();
    items.extend(
        pack.practice
            .iter()
            .filter(|p| p.level.is_none_or(|l| l == level))
            .map(|p| QuizItem {
                id: p.id.clone(),
                question: p.question.clone(),
                code: p.snippet.code().to_string(),
                answer: p.answer.clone(),
                card: None,
                concepts: concept_ids(&p.concepts),
            }),
    );
    items
}

/// A quiz: the questions at `level` in the order `seed` gives, at most `count` of them.
/// The same seed gives the same quiz, so a page can carry a quiz in its address.
pub fn quiz(pack: &Pack, level: Difficulty, seed: u64, count: usize) -> Vec<QuizItem> {
    let mut items = quiz_items(pack, level);
    shuffle(&mut items, seed);
    items.truncate(count);
    items
}

/// Whether a self-graded answer counts as right: the person had it, within the time limit
/// of a timed quiz (an answer checked later counts as missed).
pub fn counts_as_right(had_it: bool, seconds: f64, timed: Option<u32>) -> bool {
    had_it && !is_late(seconds, timed)
}

/// Whether an answer checked after `seconds` is past a timed quiz's limit.
pub fn is_late(seconds: f64, timed: Option<u32>) -> bool {
    timed.is_some_and(|limit| seconds > f64::from(limit))
}

/// A seeded Fisher–Yates shuffle (xorshift).
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

/// What a card keeps and loses of a pack's anchors, for the reconstruct drill.
#[derive(Clone, Debug)]
pub struct Reconstruct<'a> {
    /// Concepts whose anchor the card keeps, in card order.
    pub kept: Vec<&'a Concept>,
    /// Concepts with an anchor the card loses, most important tier first.
    pub lost: Vec<&'a Concept>,
}

impl<'a> Reconstruct<'a> {
    /// The kept and lost anchors of `pack` on the card `report` describes.
    pub fn new(pack: &'a Pack, report: &Report) -> Reconstruct<'a> {
        let kept_ids: Vec<&str> = report
            .kept
            .iter()
            .filter(|k| k.kind == "concept" && k.level >= 2)
            .map(|k| k.id.as_str())
            .collect();
        let kept = kept_ids.iter().filter_map(|id| pack.concept(id)).collect();
        let mut lost: Vec<&Concept> = pack
            .concepts
            .iter()
            .filter(|c| c.anchor.is_some() && !kept_ids.contains(&c.id.as_str()))
            .collect();
        lost.sort_by_key(|c| c.tier);
        Reconstruct { kept, lost }
    }

    /// The concepts a drill of `count` asks for: the most important lost ones.
    pub fn drilled(&self, count: usize) -> &[&'a Concept] {
        &self.lost[..count.min(self.lost.len())]
    }
}

/// The card a reconstruct drill rates for `concept`: its concept → anchor card.
pub fn reconstruct_card(topic: &str, concept: &str) -> String {
    card_key(topic, concept, CardKind::ConceptAnchor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use memseed_core::{Card, Compressor};

    fn python() -> Pack {
        memseed_catalog::Catalog::bundled()
            .get("python")
            .expect("bundled python")
            .pack
            .clone()
    }

    #[test]
    fn shuffle_is_a_permutation_and_depends_on_the_seed() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        shuffle(&mut a, 1);
        shuffle(&mut b, 2);
        assert_ne!(a, b);
        let mut s = a.clone();
        s.sort();
        assert_eq!(s, (0..20).collect::<Vec<_>>());
    }

    #[test]
    fn a_late_answer_counts_as_missed() {
        assert!(counts_as_right(true, 30.0, Some(30)));
        assert!(!counts_as_right(true, 30.5, Some(30)));
        assert!(!counts_as_right(false, 1.0, None));
        assert!(counts_as_right(true, 1e6, None));
    }

    #[test]
    fn levels_parse_in_any_case_and_others_are_refused() {
        assert_eq!(parse_level(" Expert"), Ok(Difficulty::Expert));
        let e = parse_level("guru").unwrap_err();
        assert_eq!(
            e.to_string(),
            "unknown level \"guru\": use beginner, intermediate or expert"
        );
    }

    #[test]
    fn a_quiz_is_its_levels_questions_and_the_seed_fixes_the_order() {
        let p = python();
        let all = quiz_items(&p, Difficulty::Beginner);
        assert!(all.iter().all(|i| {
            p.questions
                .iter()
                .find(|q| q.id == i.id)
                .is_none_or(|q| q.level == Difficulty::Beginner)
        }));
        let a = quiz(&p, Difficulty::Beginner, 7, 5);
        assert_eq!(a.len(), 5.min(all.len()));
        assert_eq!(a, quiz(&p, Difficulty::Beginner, 7, 5));
        let q = all.iter().find(|i| i.card.is_some()).expect("a question");
        let missed = q.missed_cards("python");
        assert_eq!(missed[0], format!("python/{}/question", q.id));
        assert_eq!(missed.len(), 1 + q.concepts.len());
    }

    #[test]
    fn reconstruct_loses_what_the_card_drops_most_important_first() {
        let p = python();
        let c = Compressor::new(&p);
        let card = Card::new(&p, &c, 2257).unwrap();
        let r = Reconstruct::new(&p, &card.report());
        assert!(!r.kept.is_empty() && !r.lost.is_empty());
        assert!(r.lost.windows(2).all(|w| w[0].tier <= w[1].tier));
        assert!(r.kept.iter().all(|k| !r.lost.iter().any(|l| l.id == k.id)));
        assert_eq!(r.drilled(3).len(), 3);
        assert_eq!(r.drilled(100_000).len(), r.lost.len());
        let full = Card::new(&p, &c, c.full_bytes()).unwrap();
        assert!(Reconstruct::new(&p, &full.report()).lost.is_empty());
    }
}
