//! The value model: how much keeping each piece of a topic is worth. Every constant of the
//! model lives here, with the reason for its value. The rules a card obeys whatever the
//! values (orientation first, anchors by tier, answers before internals, the original's
//! tiers as a floor) are in [`crate::select::rules`]; the values only decide the order among
//! what those rules allow.
//!
//! The value of a card is the sum over items of the larger of the item's level value and its
//! coverage credit. A level value is the item's weight times the share its level earns.

use crate::pack::Tier;

/// Weight of an item by importance tier. Each tier is worth twice the next: a critical
/// concept is what you would rebuild everything else from, a low one is a detail.
pub const TIER_WEIGHT: [f64; 4] = [8.0, 4.0, 2.0, 1.0];

/// Weight of "What it is". Above any single concept: without it a card has no subject.
pub const WHAT_IT_IS_WEIGHT: f64 = 10.0;

/// Share of "What it is" earned by its orientation line alone (the first sentence), when the
/// paragraph has more: the sentence that says what the topic is carries most of it; the rest
/// of the paragraph adds detail.
pub const ORIENTATION_SHARE: f64 = 0.7;

/// The orientation line is cut at a word boundary to at most this many bytes: a first
/// sentence longer than that is a paragraph in disguise, and the line must fit small cards.
pub const ORIENTATION_MAX_BYTES: usize = 240;

/// Weight of each of "Why it exists", "When to use" and "Where it fails": framing that the
/// concepts re-derive, worth about a medium concept.
pub const CONTEXT_WEIGHT: f64 = 2.5;

/// Share of a concept's weight earned at each level: 1 the title alone (one entry of the
/// card's compact checklist), 2 + anchor, 3 + basic and expected, 4 + deep, code and trap.
/// A title alone re-derives nothing: it is a table-of-contents entry, worth a twelfth of the
/// anchor, so its value per byte stays below an anchor's even for anchors ten times its
/// length. The anchor carries most of the concept; depth adds less and less per byte.
pub const CONCEPT_LEVEL_SHARE: [f64; 4] = [0.05, 0.6, 0.75, 0.85];

/// Share of a concept's weight earned by its interview answer, an item of its own that
/// needs the concept's anchor on the card. What you would say about a concept in an
/// interview is worth more than its internals and code, which is why it is not a level
/// behind them.
pub const ANSWER_SHARE: f64 = 0.35;

/// Share of a trap's weight at each level: 1 the one-line "what goes wrong", 2 + the fix,
/// 3 + the code. The line alone is what a person needs to stop and think.
pub const TRAP_LEVEL_SHARE: [f64; 3] = [0.4, 0.5, 0.55];

/// How many traps the card's "Top traps" holds before any high-tier anchor: the original's
/// seed card shows three.
pub const TOP_TRAPS: usize = 3;

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

/// Personal compression: an item the person is this unlikely (or less) to have forgotten
/// by the date asked about is *known*; the rest (fading, forgotten, never seen) is *at
/// risk*. Anchors are kept in tier order within each of the two states, not across them:
/// a critical anchor known cold must not hold back a high one about to be lost. 0.1 is
/// FSRS's default target: a card at its due date is recalled 90% of the time.
pub const KNOWN_FORGETTING: f64 = 0.1;

/// Weight of an item of the given tier.
pub fn tier_weight(tier: Tier) -> f64 {
    TIER_WEIGHT[tier.index()]
}
