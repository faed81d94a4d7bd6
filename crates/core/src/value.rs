//! The value model: how much keeping each piece of a topic is worth. Every constant of the
//! model lives here, with the reason for its value.
//!
//! The value of a card is the sum over items of the larger of the item's level value and its
//! coverage credit. A level value is the item's weight times the share its level earns.

use crate::pack::Tier;

/// Weight of an item by importance tier. Each tier is worth twice the next: a critical
/// concept is what you would rebuild everything else from, a low one is a detail.
pub const TIER_WEIGHT: [f64; 4] = [8.0, 4.0, 2.0, 1.0];

/// Weight of "What it is". Above any single concept: without it a card has no subject, so it
/// is the first thing kept after the title at every budget that can hold it.
pub const WHAT_IT_IS_WEIGHT: f64 = 10.0;

/// Weight of each of "Why it exists", "When to use" and "Where it fails". Useful framing but
/// re-derivable from the concepts, so a little under a high-tier concept.
pub const CONTEXT_WEIGHT: f64 = 3.0;

/// Share of a concept's weight earned at each level: 1 title, 2 + anchor, 3 + basic and
/// expected, 4 + deep, code, interview answer and trap. The anchor carries most of the
/// value (a title alone is only a name), and depth adds less and less per byte.
pub const CONCEPT_LEVEL_SHARE: [f64; 4] = [0.1, 0.6, 0.85, 1.0];

/// Share of a trap's weight at each level: 1 the one-line "what goes wrong", 2 + the fix,
/// 3 + the code. The line alone is what a person needs to stop and think.
pub const TRAP_LEVEL_SHARE: [f64; 3] = [0.4, 0.5, 0.55];

/// Share of an interview question's weight: 1 question and short answer, 2 + the detailed
/// answer.
pub const QUESTION_LEVEL_SHARE: [f64; 2] = [0.3, 0.6];

/// Share of a practice question's weight: it is kept whole (code, question and answer).
/// Practice is for drilling more than for keeping, so it comes late.
pub const PRACTICE_SHARE: f64 = 0.3;

/// Coverage credit: a concept not kept at level 2 or more still earns this share of its
/// weight when a concept whose `derives` lists it is kept at level 2 or more, because a
/// person holding that anchor can re-derive it.
pub const COVERAGE_SHARE: f64 = 0.2;

/// The concept level (anchor shown) at which a concept lets you re-derive the ones it lists.
pub const COVER_LEVEL: u8 = 2;

/// Weight of an item of the given tier.
pub fn tier_weight(tier: Tier) -> f64 {
    TIER_WEIGHT[tier.index()]
}
