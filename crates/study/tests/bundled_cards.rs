//! Cards made from the bundled packs: how many, unique keys, tier order, and anchor →
//! concept prompts that do not give the title away.

use std::collections::HashSet;

use memseed_catalog::Catalog;
use memseed_core::Pack;
use memseed_study::cards::{ANCHOR_PROMPT, TRAP_CODE_PROMPT, mask_title, parse_key, title_words};
use memseed_study::{CardKind, cards_for};

fn pack(id: &str) -> Pack {
    Catalog::bundled().get(id).unwrap().pack.clone()
}

/// Whether `text` has `word` as a whole word, ignoring case.
fn has_word(text: &str, word: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| w == word)
}

#[test]
fn python_pack_makes_the_expected_cards() {
    let pack = pack("python");
    let cards = cards_for(&pack);
    let with_anchor = pack.concepts.iter().filter(|c| c.anchor.is_some()).count();
    let count = |kind| cards.iter().filter(|c| c.kind == kind).count();
    assert_eq!(count(CardKind::ConceptAnchor), with_anchor);
    assert_eq!(count(CardKind::AnchorConcept), with_anchor);
    assert_eq!(count(CardKind::Question), pack.questions.len());
    assert_eq!(count(CardKind::Trap), pack.traps.len());
    assert_eq!(
        cards.len(),
        2 * with_anchor + pack.questions.len() + pack.traps.len()
    );
    // The bundled pack is big enough for this to mean something.
    assert!(with_anchor >= 50 && pack.questions.len() >= 50 && pack.traps.len() >= 30);
    assert_eq!(cards, cards_for(&pack), "deterministic");
}

#[test]
fn keys_are_unique_and_split_back() {
    for id in Catalog::bundled().ids() {
        let cards = cards_for(&pack(id));
        let mut keys = HashSet::new();
        for card in &cards {
            let key = card.key();
            assert_eq!(
                parse_key(&key),
                Some((card.topic.as_str(), card.item.as_str(), card.kind))
            );
            assert!(keys.insert(key.clone()), "{key} twice");
            assert!(
                !card.prompt.trim().is_empty() && !card.answer.trim().is_empty(),
                "{key}"
            );
        }
    }
}

#[test]
fn most_important_first_then_pack_order() {
    let pack = pack("python");
    let cards = cards_for(&pack);
    assert!(
        cards
            .windows(2)
            .all(|w| (w[0].tier, w[0].kind) <= (w[1].tier, w[1].kind))
    );
    let questions: Vec<&str> = cards
        .iter()
        .filter(|c| c.kind == CardKind::Question && c.tier == pack.questions[0].tier)
        .map(|c| c.item.as_str())
        .collect();
    let in_pack: Vec<&str> = pack
        .questions
        .iter()
        .filter(|q| q.tier == pack.questions[0].tier)
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(questions, in_pack);
}

#[test]
fn anchor_prompts_hide_the_title() {
    let pack = pack("python");
    let cards = cards_for(&pack);
    let mut masked_some = 0;
    let mut with_anchor = 0;
    for concept in &pack.concepts {
        let Some(anchor) = &concept.anchor else {
            continue;
        };
        with_anchor += 1;
        let card = cards
            .iter()
            .find(|c| c.item == concept.id && c.kind == CardKind::AnchorConcept)
            .unwrap();
        assert_eq!(card.answer, concept.title);
        let shown = card
            .prompt
            .strip_prefix(ANCHOR_PROMPT)
            .and_then(|rest| rest.strip_prefix("\n\n"))
            .unwrap_or_else(|| panic!("{}: {:?}", concept.id, card.prompt));
        assert_eq!(shown, mask_title(anchor, &concept.title));
        let title = concept.title.to_lowercase();
        if anchor.to_lowercase().contains(&title) && !title_words(&title).is_empty() {
            assert!(
                !shown.to_lowercase().contains(&title),
                "{}: the title shows in {shown:?}",
                concept.id
            );
        }
        for word in title_words(&concept.title) {
            assert!(
                !has_word(shown, &word),
                "{}: {word:?} shows in {shown:?}",
                concept.id
            );
        }
        if shown != anchor {
            masked_some += 1;
        }
    }
    // Most anchors name their concept; they must lose that name.
    assert!(
        masked_some * 2 > with_anchor,
        "{masked_some} of {with_anchor} masked"
    );

    let gil = cards
        .iter()
        .find(|c| c.item == "gil" && c.kind == CardKind::AnchorConcept)
        .unwrap();
    // The GIL's anchor starts with its name ("GIL = ..."): the prompt shows a blank there.
    assert!(
        gil.prompt.contains("\n___ = ") && !gil.prompt.contains("GIL"),
        "{}",
        gil.prompt
    );
}

#[test]
fn each_kind_says_what_the_pack_says() {
    let pack = pack("python");
    let cards = cards_for(&pack);
    let find = |item: &str, kind| {
        cards
            .iter()
            .find(|c| c.item == item && c.kind == kind)
            .unwrap()
    };
    let gil = pack.concept("gil").unwrap();
    let card = find("gil", CardKind::ConceptAnchor);
    assert!(card.prompt.contains(&gil.title));
    assert!(card.answer.starts_with(gil.anchor.as_deref().unwrap()));
    assert!(card.answer.ends_with(gil.basic.as_deref().unwrap()));

    for q in &pack.questions {
        let card = find(&q.id, CardKind::Question);
        assert_eq!(card.prompt, q.question);
        assert!(card.answer.starts_with(&q.short));
        if let Some(detailed) = &q.detailed {
            assert!(card.answer.ends_with(detailed.as_str()));
        }
    }
    for t in &pack.traps {
        let card = find(&t.id, CardKind::Trap);
        match &t.snippet.code {
            Some(code) => {
                assert_eq!(card.prompt, format!("{TRAP_CODE_PROMPT}\n\n{code}"));
                assert!(
                    !card.prompt.contains(&t.what),
                    "{}: the prompt gives the answer",
                    t.id
                );
            }
            None => assert!(card.prompt.contains(&t.title)),
        }
        assert_eq!(card.answer, format!("{}\n\nFix: {}", t.what, t.fix));
    }
}
