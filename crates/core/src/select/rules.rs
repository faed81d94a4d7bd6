//! The rules every card obeys, whatever the pack's shape and whatever the values say, as
//! precedence constraints ("gates") on the selection model. docs/compression.md states each
//! rule with its reason.
//!
//! 1. **Orientation first.** Nothing is kept before the topic's orientation line.
//! 2. **A concept comes with its anchor.** Critical and high concepts have no title-only
//!    level; other titles go to one compact checklist, and only once every anchor of a more
//!    important tier is on the card.
//! 3. **No inversion.** No anchor is kept while an anchor of a more important tier is
//!    missing.
//! 4. **Answers before internals.** A concept's interview answer needs its anchor, and its
//!    internals need its answer.
//! 5. **The original's tiers are a floor.** The original product's fixed rule keeps, in
//!    three cards: what it is, every critical anchor and the top three traps (seed); + every
//!    high anchor and every top trap (cheatsheet); + the interview answer of every critical
//!    and high concept (full). Those three sets come first, in that order, so at each of
//!    those cards' own sizes memseed keeps at least what they keep.
//!
//! A gate is a set of (item, level) steps; a step that needs a gate may be taken only once
//! every member is.

use crate::card::layout::ItemRef;
use crate::pack::{Pack, Tier};
use crate::value;

/// Which rules to enforce. All are on in the product; tests switch one off to show that the
/// property test of that rule fails without it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rules {
    pub orientation_first: bool,
    pub anchors_by_tier: bool,
    pub answers_before_internals: bool,
    pub tiers_as_floor: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules::ALL
    }
}

impl Rules {
    /// Every rule on: what the product uses.
    pub const ALL: Rules = Rules {
        orientation_first: true,
        anchors_by_tier: true,
        answers_before_internals: true,
        tiers_as_floor: true,
    };

    /// No rule: the pure value optimisation (for comparisons in tests and benches).
    pub const NONE: Rules = Rules {
        orientation_first: false,
        anchors_by_tier: false,
        answers_before_internals: false,
        tiers_as_floor: false,
    };
}

/// A set of (model item, 1-based model level) steps.
pub type Gate = Vec<(u32, u8)>;

/// The phase of the original's fixed rule a step belongs to (rule 5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// The seed card: orientation, critical anchors, the top three traps.
    Seed,
    /// The cheatsheet: high anchors and the other top traps.
    Cheatsheet,
    /// The full card: interview answers of critical and high concepts.
    Full,
    /// Everything else.
    Rest,
    /// The rest of "What it is" after its orientation line: after the seed card, and
    /// otherwise free, because the fixed rule's cards all hold it.
    AfterSeed,
}

/// The traps the original's fixed rule keeps: the [`value::TOP_TRAPS`] most important (by
/// tier, then pack order) on the seed card, and with them every critical and high trap on
/// the cheatsheet. Returns per trap `Some(Phase::Seed | Phase::Cheatsheet)` or `None`.
pub fn top_traps(pack: &Pack) -> Vec<Option<Phase>> {
    let mut order: Vec<usize> = (0..pack.traps.len()).collect();
    order.sort_by_key(|&i| (pack.traps[i].tier, i));
    let mut out = vec![None; pack.traps.len()];
    for (rank, &i) in order.iter().enumerate() {
        if rank < value::TOP_TRAPS {
            out[i] = Some(Phase::Seed);
        } else if pack.traps[i].tier <= Tier::High {
            out[i] = Some(Phase::Cheatsheet);
        }
    }
    out
}

/// The phase of an item at a card (semantic) level.
pub fn phase(pack: &Pack, tops: &[Option<Phase>], item: ItemRef, semantic: u8) -> Phase {
    match item {
        ItemRef::WhatItIs if semantic == *item.levels(pack).first().unwrap_or(&0) => Phase::Seed,
        ItemRef::WhatItIs => Phase::AfterSeed,
        ItemRef::Concept(c) if semantic == 2 => match pack.concepts[c].tier {
            Tier::Critical => Phase::Seed,
            Tier::High => Phase::Cheatsheet,
            _ => Phase::Rest,
        },
        ItemRef::Answer(c) if pack.concepts[c].tier <= Tier::High => Phase::Full,
        ItemRef::Trap(t) if semantic == 1 => tops[t].unwrap_or(Phase::Rest),
        _ => Phase::Rest,
    }
}

/// Records that item `i` at `level` needs `gate`, once.
fn need(needs: &mut [Vec<(u8, u32)>], i: usize, level: u8, gate: usize) {
    let g = u32::try_from(gate).expect("few gates");
    if !needs[i].contains(&(level, g)) {
        needs[i].push((level, g));
    }
}

/// Adds a gate with these members; none for an empty set (it would always be open).
fn add_gate(gates: &mut Vec<Gate>, members: Gate) -> Option<usize> {
    (!members.is_empty()).then(|| {
        gates.push(members);
        gates.len() - 1
    })
}

/// The gates of a pack's model and, per model item, the gates each of its levels needs
/// (`(1-based model level, gate index)`). `semantic[i]` lists item `i`'s card levels.
/// `states`, when given, puts each pack concept in a knowledge state (personal
/// compression): rules 2 and 3 then hold within each state, not across states.
pub fn gates(
    pack: &Pack,
    refs: &[ItemRef],
    semantic: &[Vec<u8>],
    rules: Rules,
    states: Option<&[u8]>,
) -> (Vec<Gate>, Vec<Vec<(u8, u32)>>) {
    let mut gates: Vec<Gate> = Vec::new();
    let mut needs: Vec<Vec<(u8, u32)>> = vec![Vec::new(); refs.len()];
    // Model level (1-based) of a semantic level of item `i`.
    let model_level = |i: usize, s: u8| -> Option<u8> {
        semantic[i]
            .iter()
            .position(|&x| x == s)
            .map(|p| u8::try_from(p + 1).expect("a handful of levels"))
    };
    let item_of = |r: ItemRef| refs.iter().position(|&x| x == r);

    // Rule 1: the orientation line, first.
    if rules.orientation_first
        && let Some(w) = item_of(ItemRef::WhatItIs)
        && let Some(g) = add_gate(&mut gates, vec![(w as u32, 1)])
    {
        for i in (0..refs.len()).filter(|&i| i != w && !semantic[i].is_empty()) {
            need(&mut needs, i, 1, g);
        }
    }

    // Rules 2 and 3: anchors by tier; titles after the anchors of the tiers above them.
    let concept_items: Vec<(usize, usize)> = refs
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match *r {
            ItemRef::Concept(c) => Some((i, c)),
            _ => None,
        })
        .collect();
    if rules.anchors_by_tier {
        let state_of = |c: usize| states.map_or(0, |s| s[c]);
        let mut all_states: Vec<u8> = concept_items.iter().map(|&(_, c)| state_of(c)).collect();
        all_states.sort_unstable();
        all_states.dedup();
        for state in all_states {
            let mut tier_gate: [Option<usize>; 4] = [None; 4];
            for t in Tier::ALL {
                let members: Gate = concept_items
                    .iter()
                    .filter(|&&(_, c)| pack.concepts[c].tier == t && state_of(c) == state)
                    .filter_map(|&(i, _)| model_level(i, 2).map(|l| (i as u32, l)))
                    .collect();
                tier_gate[t.index()] = add_gate(&mut gates, members);
            }
            for &(i, c) in concept_items.iter().filter(|&&(_, c)| state_of(c) == state) {
                let tier = pack.concepts[c].tier.index();
                // The nearest more important tier of this state that has anchors.
                if let Some(g) = (0..tier).rev().find_map(|t| tier_gate[t]) {
                    need(&mut needs, i, 1, g);
                }
            }
        }
    }

    // Rule 4: an answer needs its concept's entry; internals need the answer.
    if rules.answers_before_internals {
        for (a, r) in refs.iter().enumerate() {
            let ItemRef::Answer(c) = *r else { continue };
            let Some(ci) = item_of(ItemRef::Concept(c)) else {
                continue;
            };
            let entry = semantic[ci]
                .iter()
                .position(|&s| s >= 2)
                .map(|p| u8::try_from(p + 1).expect("few levels"));
            if let Some(l) = entry
                && let Some(g) = add_gate(&mut gates, vec![(ci as u32, l)])
            {
                need(&mut needs, a, 1, g);
            }
            if let Some(l) = model_level(ci, 4)
                && let Some(g) = add_gate(&mut gates, vec![(a as u32, 1)])
            {
                need(&mut needs, ci, l, g);
            }
        }
    }

    // Rule 5: the original's three cards, in order, before everything else.
    if rules.tiers_as_floor {
        let tops = top_traps(pack);
        let mut members: [Gate; 5] = Default::default();
        let mut first_of: Vec<[Option<u8>; 5]> = vec![[None; 5]; refs.len()];
        for (i, &r) in refs.iter().enumerate() {
            for (p, &s) in semantic[i].iter().enumerate() {
                let level = u8::try_from(p + 1).expect("few levels");
                let ph = phase(pack, &tops, r, s) as usize;
                if ph < Phase::Rest as usize {
                    members[ph].push((i as u32, level));
                }
                first_of[i][ph].get_or_insert(level);
            }
        }
        let mut earlier: Option<usize> = None;
        let mut seed_gate: Option<usize> = None;
        for ph in [Phase::Seed, Phase::Cheatsheet, Phase::Full, Phase::Rest] {
            if let Some(g) = earlier {
                for (i, first) in first_of.iter().enumerate() {
                    if let Some(level) = first[ph as usize] {
                        need(&mut needs, i, level, g);
                    }
                }
            }
            if ph != Phase::Rest
                && let Some(g) = add_gate(&mut gates, std::mem::take(&mut members[ph as usize]))
            {
                earlier = Some(g);
                if ph == Phase::Seed {
                    seed_gate = Some(g);
                }
            }
        }
        if let Some(g) = seed_gate {
            for (i, first) in first_of.iter().enumerate() {
                if let Some(level) = first[Phase::AfterSeed as usize] {
                    need(&mut needs, i, level, g);
                }
            }
        }
    }
    (gates, needs)
}
