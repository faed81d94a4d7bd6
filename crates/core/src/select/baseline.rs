//! The original product's fixed rule, as a baseline: three cards of fixed content (seed,
//! cheatsheet, full), laid out in our layout, and what a memseed card of the same size keeps
//! beside them.

use serde::Serialize;

use super::Compressor;
use super::model::Model;
use super::rules::{Phase, top_traps};
use crate::card::layout::ItemRef;
use crate::pack::{Pack, Tier};

/// One of the original's three cards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FixedTier {
    /// What it is, every critical anchor, the three most important traps.
    Seed,
    /// The seed, every high anchor and every top trap.
    Cheatsheet,
    /// The cheatsheet and the interview answer of every critical and high concept.
    Full,
}

impl FixedTier {
    pub const ALL: [FixedTier; 3] = [FixedTier::Seed, FixedTier::Cheatsheet, FixedTier::Full];

    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            FixedTier::Seed => "seed",
            FixedTier::Cheatsheet => "cheatsheet",
            FixedTier::Full => "full",
        }
    }
}

/// What one card keeps, counted the way the table counts it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Kept {
    /// "What it is" is on the card (its orientation line or the whole paragraph).
    pub what_it_is: bool,
    /// The whole "What it is" paragraph is on the card.
    pub what_it_is_full: bool,
    pub critical_anchors: usize,
    pub high_anchors: usize,
    /// Of the traps the fixed rule calls top traps, how many are on the card.
    pub top_traps: usize,
    /// Interview answers of critical and high concepts on the card.
    pub answers: usize,
    /// Concepts shown by title alone.
    pub bare_titles: usize,
    pub value: f64,
}

/// The fixed rule's card and memseed's card at the same size.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Comparison {
    pub tier: FixedTier,
    /// The fixed rule's card size, which memseed is given as its budget.
    pub bytes: u64,
    pub fixed: Kept,
    pub memseed: Kept,
    /// Bytes of memseed's card (at most `bytes`).
    pub memseed_bytes: u64,
}

/// The card levels (per model item, `refs` in model order) the fixed rule keeps at `tier`.
pub fn fixed_levels(pack: &Pack, refs: &[ItemRef], tier: FixedTier) -> Vec<u8> {
    let tops = top_traps(pack);
    refs.iter()
        .map(|&r| {
            let top = *r.levels(pack).last().unwrap_or(&0);
            match r {
                ItemRef::WhatItIs => top,
                ItemRef::Concept(c) => {
                    let t = pack.concepts[c].tier;
                    let wanted =
                        t == Tier::Critical || (t == Tier::High && tier != FixedTier::Seed);
                    if wanted && pack.concepts[c].anchor.is_some() {
                        2
                    } else {
                        0
                    }
                }
                ItemRef::Trap(t) => match tops[t] {
                    Some(Phase::Seed) => 1,
                    Some(_) if tier != FixedTier::Seed => 1,
                    _ => 0,
                },
                ItemRef::Answer(c) => {
                    u8::from(tier == FixedTier::Full && pack.concepts[c].tier <= Tier::High)
                }
                _ => 0,
            }
        })
        .collect()
}

/// Counts what a selection (card levels per model item) keeps.
pub fn count(pack: &Pack, compressor: &Compressor, levels: &[u8]) -> Kept {
    let tops = top_traps(pack);
    let mut k = Kept::default();
    for (&r, &l) in compressor.refs().iter().zip(levels) {
        if l == 0 {
            continue;
        }
        match r {
            ItemRef::WhatItIs => {
                k.what_it_is = true;
                k.what_it_is_full = l == *r.levels(pack).last().unwrap_or(&0);
            }
            ItemRef::Concept(_) if l == 1 => k.bare_titles += 1,
            ItemRef::Concept(c) if pack.concepts[c].anchor.is_some() => {
                match pack.concepts[c].tier {
                    Tier::Critical => k.critical_anchors += 1,
                    Tier::High => k.high_anchors += 1,
                    _ => {}
                }
            }
            ItemRef::Trap(t) if tops[t].is_some() => k.top_traps += 1,
            ItemRef::Answer(c) if pack.concepts[c].tier <= Tier::High => k.answers += 1,
            _ => {}
        }
    }
    k
}

/// Model levels (1-based positions) of card levels, per model item.
fn model_levels(model: &Model, levels: &[u8]) -> Vec<u8> {
    model
        .items
        .iter()
        .zip(levels)
        .map(|(it, &l)| {
            it.levels
                .iter()
                .position(|x| x.semantic == l)
                .map_or(0, |p| u8::try_from(p + 1).expect("few levels"))
        })
        .collect()
}

/// The fixed rule's three cards of `pack`, each beside memseed's card of the same size.
pub fn compare(pack: &Pack, compressor: &Compressor) -> Vec<Comparison> {
    FixedTier::ALL
        .iter()
        .map(|&tier| {
            let levels = fixed_levels(pack, compressor.refs(), tier);
            let (bytes, value) = compressor
                .model()
                .evaluate(&model_levels(compressor.model(), &levels));
            let mut fixed = count(pack, compressor, &levels);
            fixed.value = value;
            let sel = compressor
                .select(bytes)
                .expect("the fixed card holds the title line");
            let mut memseed = count(pack, compressor, &sel.levels);
            memseed.value = sel.value;
            Comparison {
                tier,
                bytes,
                fixed,
                memseed,
                memseed_bytes: sel.bytes,
            }
        })
        .collect()
}

/// The sizes of the fixed rule's three cards of a pack: the topic's own presets.
pub fn preset_sizes(pack: &Pack, model: &Model, refs: &[ItemRef]) -> [u64; 3] {
    FixedTier::ALL.map(|tier| {
        let levels = fixed_levels(pack, refs, tier);
        model.evaluate(&model_levels(model, &levels)).0
    })
}
