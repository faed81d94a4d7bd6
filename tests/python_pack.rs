//! The Python pack is complete and compresses the way the product promises. Its examples
//! run, and its wording is checked against the seeds, with every bundled pack's in
//! `crates/packs/tests/bundled.rs`.

use std::collections::HashSet;
use std::path::Path;

use memseed_core::card::layout::ItemRef;
use memseed_core::pack::{Pack, Tier};
use memseed_core::{Card, Compressor, load_str};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python_pack() -> Pack {
    let path = root().join("topics/python.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (pack, warnings) = load_str("topics/python.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    pack
}

#[test]
fn the_pack_is_as_complete_as_promised() {
    let pack = python_pack();
    let by_tier = pack.concepts_by_tier();
    assert!(
        pack.concepts.len() >= 60,
        "{} concepts",
        pack.concepts.len()
    );
    let critical: HashSet<&str> = pack
        .concepts
        .iter()
        .filter(|c| c.tier == Tier::Critical)
        .map(|c| c.id.as_str())
        .collect();
    let nine: HashSet<&str> = [
        "gil",
        "refcounting",
        "decorators",
        "generators",
        "async-await",
        "data-model",
        "mro",
        "event-loop",
        "dict-internals",
    ]
    .into();
    assert_eq!(
        critical, nine,
        "exactly the nine critical concepts of the original screen"
    );
    assert!(by_tier[1] >= 11, "{} high concepts", by_tier[1]);
    for c in &pack.concepts {
        let anchor = c
            .anchor
            .as_deref()
            .unwrap_or_else(|| panic!("{} has an anchor", c.id));
        assert!(
            (100..=170).contains(&anchor.len()),
            "{}: anchor of {} bytes",
            c.id,
            anchor.len()
        );
        assert!(
            c.basic.is_some() && c.expected.is_some(),
            "{} has basic and expected",
            c.id
        );
        if c.tier <= Tier::High {
            assert!(
                c.deep.is_some()
                    && c.snippet.code.is_some()
                    && c.interview.is_some()
                    && c.trap.is_some(),
                "{} is complete",
                c.id
            );
        } else {
            let derivable = pack.concepts.iter().any(|k| {
                k.tier <= Tier::High && k.derives.iter().any(|&d| pack.concepts[d].id == c.id)
            });
            assert!(
                derivable,
                "{} can be re-derived from a critical or high concept",
                c.id
            );
        }
    }
    let categories: HashSet<&str> = pack.categories.iter().map(|c| c.id.as_str()).collect();
    for want in [
        "execution-model",
        "memory-model",
        "types-data",
        "functions",
        "classes",
        "iteration",
        "concurrency",
        "errors-testing",
        "modules",
        "performance",
        "typing",
        "modern",
        "stdlib",
    ] {
        assert!(categories.contains(want), "category {want}");
    }
    assert!(pack.traps.len() >= 15, "{} traps", pack.traps.len());
    let levels = pack.questions_by_level();
    assert!(
        pack.questions.len() >= 45 && levels.iter().all(|&n| n >= 12),
        "questions {levels:?}"
    );
    assert!(pack.questions.iter().all(|q| q.detailed.is_some()));
    assert!(
        pack.practice.len() >= 15,
        "{} practice",
        pack.practice.len()
    );
}

/// What a card keeps at one budget, with the item's card level.
fn kept_at(pack: &Pack, comp: &Compressor, budget: u64) -> Vec<(ItemRef, u8)> {
    Card::new(pack, comp, budget).unwrap().kept().collect()
}

fn concepts_at_level(pack: &Pack, kept: &[(ItemRef, u8)], tier: Tier, level: u8) -> usize {
    kept.iter()
        .filter(|(r, l)| {
            matches!(r, ItemRef::Concept(c) if pack.concepts[*c].tier == tier) && *l >= level
        })
        .count()
}

#[test]
fn the_headline_card_holds_what_it_is_the_nine_anchors_and_three_traps() {
    let pack = python_pack();
    let comp = Compressor::new(&pack);
    let card = Card::new(&pack, &comp, 2257).unwrap();
    assert!(card.selection.bytes <= 2257);
    assert_eq!(card.text().len() as u64, card.selection.bytes);
    let kept: Vec<_> = card.kept().collect();
    assert!(
        kept.iter().any(|(r, _)| *r == ItemRef::WhatItIs),
        "what it is"
    );
    assert_eq!(
        concepts_at_level(&pack, &kept, Tier::Critical, 2),
        9,
        "all nine critical anchors"
    );
    let traps = kept
        .iter()
        .filter(|(r, _)| matches!(r, ItemRef::Trap(_)))
        .count();
    assert!(traps >= 3, "{traps} traps");
    let report = card.report();
    let seeds = report.sections.iter().find(|s| s.id == "seeds").unwrap();
    assert!(
        seeds.label.starts_with("Seeds \u{b7} 9 critical"),
        "{}",
        seeds.label
    );
}

#[test]
fn richer_levels_arrive_as_the_budget_grows() {
    let pack = python_pack();
    let comp = Compressor::new(&pack);
    let high = pack.concepts_by_tier()[1];
    let high_anchors = concepts_at_level(&pack, &kept_at(&pack, &comp, 6 * 1024), Tier::High, 2);
    assert!(
        high_anchors * 2 > high,
        "by 6 KB most high concepts show their anchors ({high_anchors} of {high})"
    );
    // The topic's "full" preset: the size of the original's full card.
    let full_preset = kept_at(&pack, &comp, comp.presets()[2]);
    let answers = full_preset
        .iter()
        .filter(|(r, _)| matches!(r, ItemRef::Answer(c) if pack.concepts[*c].tier <= Tier::High))
        .count();
    let with_answer = pack
        .concepts
        .iter()
        .filter(|c| c.tier <= Tier::High && c.interview.is_some())
        .count();
    assert_eq!(
        answers, with_answer,
        "at the full preset every critical and high concept has its interview answer"
    );
    let full = Card::new(&pack, &comp, comp.full_bytes()).unwrap();
    let kept: Vec<_> = full.kept().collect();
    assert_eq!(
        kept.len(),
        comp.refs().len(),
        "the full card holds everything"
    );
    for (r, l) in kept {
        assert_eq!(
            l,
            *r.levels(&pack).last().unwrap(),
            "{r:?} at its deepest level"
        );
    }
    assert_eq!(
        full.report().lost.summary,
        "nothing: this card holds the whole topic"
    );
}
