//! The rules every card obeys (docs/compression.md, "The rules a card obeys"), each checked
//! over random packs of both shapes (ours, and long anchors with many critical and high
//! concepts) with anchors of 60–300 bytes and a "What it is" of 100–800 bytes. For each rule
//! a second test switches that rule off and shows its check then finds a broken card, so the
//! check can fail.

use memseed_core::card::layout::ItemRef;
use memseed_core::pack::{Pack, Tier};
use memseed_core::select::baseline::{FixedTier, compare};
use memseed_core::select::{Compressor, Forgetting, Rules};
use memseed_core::synth::{self, Shape};
use memseed_core::value::KNOWN_FORGETTING;
use proptest::prelude::*;

/// A random pack of either shape, with the ranges the issue names.
fn pack(seed: u64, long: bool, concepts: usize) -> Pack {
    let mut shape = if long {
        Shape::long_anchors(concepts, seed)
    } else {
        Shape::like_ours(concepts)
    };
    let mut rng = synth::Rng::new(seed ^ 0xa5a5);
    let a = rng.range(60, 280);
    shape.anchor_bytes = (a, rng.range(a, 300));
    let w = rng.range(100, 780);
    shape.what_bytes = (w, rng.range(w, 800));
    synth::pack(seed, shape)
}

/// Card levels of every pack item at `budget` (0 where the budget is below the title).
fn levels(comp: &Compressor, budget: u64) -> Vec<u8> {
    comp.select(budget)
        .map_or_else(|_| vec![0; comp.refs().len()], |s| s.levels)
}

/// Budgets spread over a pack's whole range, small ones densely.
fn budgets(comp: &Compressor, picks: &[f64]) -> Vec<u64> {
    let full = comp.full_bytes() as f64;
    picks
        .iter()
        .map(|&p| (64.0 * (full / 64.0).powf(p)) as u64)
        .collect()
}

type Check = fn(&Pack, &Compressor, &[u8]) -> Result<(), String>;

/// Rule 1: nothing is kept before the orientation line.
fn orientation_first(_: &Pack, comp: &Compressor, lv: &[u8]) -> Result<(), String> {
    let what = comp.refs().iter().position(|&r| r == ItemRef::WhatItIs);
    let oriented = what.is_some_and(|w| lv[w] > 0);
    let anything = lv.iter().any(|&l| l > 0);
    if anything && !oriented {
        return Err("items kept without the orientation line".into());
    }
    Ok(())
}

/// Rule 2: critical and high concepts never appear by title alone, and a title alone
/// appears only once every anchor of a more important tier is on the card.
fn anchors_with_titles(pack: &Pack, comp: &Compressor, lv: &[u8]) -> Result<(), String> {
    let missing = missing_anchor_tiers(pack, comp, lv);
    for (&r, &l) in comp.refs().iter().zip(lv) {
        if let ItemRef::Concept(c) = r
            && l == 1
        {
            let tier = pack.concepts[c].tier;
            if tier <= Tier::High {
                return Err(format!("{} concept {} by title alone", tier.as_str(), c));
            }
            if let Some(t) = missing.iter().find(|&&t| t < tier) {
                return Err(format!(
                    "title of {} concept {c} while a {} anchor is missing",
                    tier.as_str(),
                    t.as_str()
                ));
            }
        }
    }
    Ok(())
}

/// Tiers with an anchor not on the card.
fn missing_anchor_tiers(pack: &Pack, comp: &Compressor, lv: &[u8]) -> Vec<Tier> {
    let mut out = Vec::new();
    for (&r, &l) in comp.refs().iter().zip(lv) {
        if let ItemRef::Concept(c) = r
            && pack.concepts[c].anchor.is_some()
            && l < 2
            && !out.contains(&pack.concepts[c].tier)
        {
            out.push(pack.concepts[c].tier);
        }
    }
    out
}

/// Rule 3: no anchor is kept while an anchor of a more important tier is missing.
fn no_inversion(pack: &Pack, comp: &Compressor, lv: &[u8]) -> Result<(), String> {
    let missing = missing_anchor_tiers(pack, comp, lv);
    for (&r, &l) in comp.refs().iter().zip(lv) {
        if let ItemRef::Concept(c) = r
            && l >= 2
            && pack.concepts[c].anchor.is_some()
        {
            let tier = pack.concepts[c].tier;
            if let Some(t) = missing.iter().find(|&&t| t < tier) {
                return Err(format!(
                    "{} anchor of concept {c} kept while a {} anchor is missing",
                    tier.as_str(),
                    t.as_str()
                ));
            }
        }
    }
    Ok(())
}

/// Rule 4: an answer comes with its concept's anchor, internals come with the answer, and
/// no internals are shown while an answer of a critical or high concept is missing.
fn answers_before_internals(pack: &Pack, comp: &Compressor, lv: &[u8]) -> Result<(), String> {
    let level_of = |r: ItemRef| {
        comp.refs()
            .iter()
            .position(|&x| x == r)
            .map_or(0, |i| lv[i])
    };
    let mut internals = false;
    let mut top_answer_missing = false;
    for (&r, &l) in comp.refs().iter().zip(lv) {
        match r {
            ItemRef::Answer(c) => {
                if l > 0 && level_of(ItemRef::Concept(c)) < 2 {
                    return Err(format!("answer of concept {c} without its anchor"));
                }
                top_answer_missing |= l == 0 && pack.concepts[c].tier <= Tier::High;
            }
            ItemRef::Concept(c) if l >= 4 => {
                internals = true;
                if pack.concepts[c].interview.is_some() && level_of(ItemRef::Answer(c)) == 0 {
                    return Err(format!("internals of concept {c} without its answer"));
                }
            }
            _ => {}
        }
    }
    if internals && top_answer_missing {
        return Err("internals shown while a critical or high answer is missing".into());
    }
    Ok(())
}

/// Every check over random packs and budgets; the first broken card, if any.
fn first_break(
    check: Check,
    rules: Rules,
    seeds: std::ops::Range<u64>,
    picks: &[f64],
) -> Option<String> {
    for seed in seeds {
        for long in [false, true] {
            let p = pack(seed, long, 20 + (seed as usize * 7) % 60);
            let comp = Compressor::with_rules(&p, rules);
            for b in budgets(&comp, picks) {
                if let Err(e) = check(&p, &comp, &levels(&comp, b)) {
                    return Some(format!("seed {seed}, long {long}, budget {b}: {e}"));
                }
            }
        }
    }
    None
}

const PICKS: [f64; 16] = [
    0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 1.0,
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn every_rule_holds_on_random_packs_of_both_shapes(
        seed in any::<u64>(),
        long in any::<bool>(),
        concepts in 1usize..90,
        picks in prop::collection::vec(0.0f64..1.0, 1..12),
    ) {
        let p = pack(seed, long, concepts);
        let comp = Compressor::new(&p);
        for b in budgets(&comp, &picks) {
            let lv = levels(&comp, b);
            for (name, check) in [
                ("orientation first", orientation_first as Check),
                ("a concept comes with its anchor", anchors_with_titles),
                ("no inversion", no_inversion),
                ("answers before internals", answers_before_internals),
            ] {
                if let Err(e) = check(&p, &comp, &lv) {
                    prop_assert!(false, "{}: budget {}: {}", name, b, e);
                }
            }
        }
    }

    #[test]
    fn at_the_originals_own_sizes_the_card_keeps_at_least_what_its_rule_keeps(
        seed in any::<u64>(),
        long in any::<bool>(),
        concepts in 1usize..90,
    ) {
        let p = pack(seed, long, concepts);
        let comp = Compressor::new(&p);
        for row in compare(&p, &comp) {
            let (f, m) = (row.fixed, row.memseed);
            prop_assert!(m.what_it_is >= f.what_it_is, "{:?}: what it is", row.tier);
            prop_assert!(m.critical_anchors >= f.critical_anchors, "{:?}: critical", row.tier);
            prop_assert!(m.high_anchors >= f.high_anchors, "{:?}: high", row.tier);
            prop_assert!(m.top_traps >= f.top_traps, "{:?}: traps", row.tier);
            prop_assert!(m.answers >= f.answers, "{:?}: answers", row.tier);
            prop_assert!(row.memseed_bytes <= row.bytes);
        }
    }
}

/// A check fails on some random card once its rule is switched off.
fn breaks_without(check: Check, off: Rules) {
    let broken = first_break(check, off, 0..40, &PICKS);
    assert!(
        broken.is_some(),
        "with the rule off, no random card broke it: the check cannot fail"
    );
    eprintln!("with the rule off: {}", broken.unwrap());
    assert_eq!(
        first_break(check, Rules::ALL, 0..40, &PICKS),
        None,
        "with every rule on, the same cards hold"
    );
}

#[test]
fn orientation_first_fails_without_its_rule() {
    breaks_without(
        orientation_first,
        Rules {
            orientation_first: false,
            tiers_as_floor: false,
            ..Rules::ALL
        },
    );
}

#[test]
fn anchors_with_titles_fails_without_its_rule() {
    breaks_without(
        anchors_with_titles,
        Rules {
            anchors_by_tier: false,
            tiers_as_floor: false,
            ..Rules::ALL
        },
    );
}

#[test]
fn no_inversion_fails_without_its_rule() {
    breaks_without(
        no_inversion,
        Rules {
            anchors_by_tier: false,
            tiers_as_floor: false,
            ..Rules::ALL
        },
    );
}

#[test]
fn answers_before_internals_fails_without_its_rule() {
    breaks_without(
        answers_before_internals,
        Rules {
            answers_before_internals: false,
            tiers_as_floor: false,
            ..Rules::ALL
        },
    );
}

#[test]
fn the_floor_fails_without_its_rule() {
    let mut broken = 0;
    for seed in 0..20 {
        for long in [false, true] {
            let p = pack(seed, long, 40);
            let off = Compressor::with_rules(
                &p,
                Rules {
                    tiers_as_floor: false,
                    ..Rules::ALL
                },
            );
            let rows = compare(&p, &off);
            broken += rows
                .iter()
                .filter(|r| {
                    let (f, m) = (r.fixed, r.memseed);
                    m.top_traps < f.top_traps
                        || m.answers < f.answers
                        || m.high_anchors < f.high_anchors
                        || m.critical_anchors < f.critical_anchors
                })
                .count();
        }
    }
    assert!(
        broken > 0,
        "without the floor, some fixed-rule card keeps more"
    );
    let _ = FixedTier::ALL;
}

/// A person who knows some concepts cold and not others, at random.
fn forgetting(pack: &Pack, seed: u64) -> Forgetting {
    let mut rng = synth::Rng::new(seed ^ 0xf0f0);
    let mut f = Forgetting::unknown(pack);
    for p in f
        .concepts
        .iter_mut()
        .chain(&mut f.traps)
        .chain(&mut f.questions)
    {
        *p = match rng.range(0, 3) {
            0 => 0.01,
            1 => 0.05,
            2 => 0.4,
            _ => 1.0,
        };
    }
    f
}

/// Rules 2 and 3 within each knowledge state, and an answer with its anchor and internals
/// with their answer, for a personal card.
fn personal_rules_hold(
    pack: &Pack,
    f: &Forgetting,
    comp: &Compressor,
    lv: &[u8],
) -> Result<(), String> {
    let known = |c: usize| f.concepts[c] < KNOWN_FORGETTING;
    for state in [true, false] {
        let missing: Vec<Tier> = comp
            .refs()
            .iter()
            .zip(lv)
            .filter_map(|(&r, &l)| match r {
                ItemRef::Concept(c)
                    if known(c) == state && pack.concepts[c].anchor.is_some() && l < 2 =>
                {
                    Some(pack.concepts[c].tier)
                }
                _ => None,
            })
            .collect();
        for (&r, &l) in comp.refs().iter().zip(lv) {
            let ItemRef::Concept(c) = r else { continue };
            if known(c) != state || l == 0 {
                continue;
            }
            let tier = pack.concepts[c].tier;
            if l == 1 && tier <= Tier::High {
                return Err(format!("{} concept {c} by title alone", tier.as_str()));
            }
            if let Some(t) = missing.iter().find(|&&t| t < tier) {
                return Err(format!(
                    "concept {c} ({}, known {state}) shown while a {} anchor of its state is missing",
                    tier.as_str(),
                    t.as_str()
                ));
            }
        }
    }
    let level_of = |r: ItemRef| {
        comp.refs()
            .iter()
            .position(|&x| x == r)
            .map_or(0, |i| lv[i])
    };
    for (&r, &l) in comp.refs().iter().zip(lv) {
        match r {
            ItemRef::Answer(c) if l > 0 && level_of(ItemRef::Concept(c)) < 2 => {
                return Err(format!("answer of concept {c} without its anchor"));
            }
            ItemRef::Concept(c)
                if l >= 4
                    && pack.concepts[c].interview.is_some()
                    && level_of(ItemRef::Answer(c)) == 0 =>
            {
                return Err(format!("internals of concept {c} without its answer"));
            }
            _ => {}
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn a_personal_card_keeps_every_rule_within_each_knowledge_state(
        seed in any::<u64>(),
        long in any::<bool>(),
        concepts in 1usize..90,
        picks in prop::collection::vec(0.0f64..1.0, 1..12),
    ) {
        let p = pack(seed, long, concepts);
        let f = forgetting(&p, seed);
        let comp = Compressor::personal(&p, &f);
        let mut prev: Option<Vec<u8>> = None;
        let mut sorted = budgets(&comp, &picks);
        sorted.sort_unstable();
        for b in sorted {
            let lv = levels(&comp, b);
            if let Err(e) = orientation_first(&p, &comp, &lv) {
                prop_assert!(false, "budget {}: {}", b, e);
            }
            if let Err(e) = personal_rules_hold(&p, &f, &comp, &lv) {
                prop_assert!(false, "budget {}: {}", b, e);
            }
            if let Some(prev) = &prev {
                prop_assert!(prev.iter().zip(&lv).all(|(a, b)| a <= b), "nested at {}", b);
            }
            prev = Some(lv);
        }
    }
}

#[test]
fn a_personal_card_leaves_out_what_is_known_cold() {
    // Half the critical concepts known cold: the small card is about the rest.
    let p = pack(11, true, 60);
    let mut f = Forgetting::unknown(&p);
    let critical: Vec<usize> = (0..p.concepts.len())
        .filter(|&c| p.concepts[c].tier == Tier::Critical)
        .collect();
    let known: Vec<usize> = critical.iter().copied().step_by(2).collect();
    for &c in &known {
        f.concepts[c] = 0.01;
    }
    let comp = Compressor::personal(&p, &f);
    let lv = levels(&comp, 2048);
    let kept_known = comp
        .refs()
        .iter()
        .zip(&lv)
        .filter(|(r, l)| matches!(r, ItemRef::Concept(c) if known.contains(c)) && **l >= 2)
        .count();
    assert!(
        kept_known <= 1,
        "{kept_known} known-cold anchors on the 2 KB card"
    );
    let everyone = Compressor::new(&p);
    let lv = levels(&everyone, 2048);
    let kept_everyone = everyone
        .refs()
        .iter()
        .zip(&lv)
        .filter(|(r, l)| matches!(r, ItemRef::Concept(c) if known.contains(c)) && **l >= 2)
        .count();
    assert!(
        kept_everyone > kept_known,
        "the card for everyone keeps them: {kept_everyone}"
    );
}
