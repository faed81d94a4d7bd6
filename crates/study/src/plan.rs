//! An interview date: what it takes for every critical and high card to be seen and then
//! reviewed on a later day before the date, and what to show today towards it.
//!
//! New critical and high cards are introduced early enough to be reviewed again before the
//! date. A card already seen whose next FSRS review falls after the date gets a **cram**
//! review instead: shown and logged, but its FSRS state is left as it was (as Anki's
//! filtered decks without rescheduling), so the catch-up does not wreck the long-term
//! schedule.

use memseed_core::pack::Tier;

use crate::schedule::{CardState, Phase};

const DAY: i64 = 86_400;

/// One card as the plan sees it.
#[derive(Clone, Debug)]
pub struct PlanCard<'a> {
    pub key: &'a str,
    pub tier: Tier,
    /// `None` or a `New` phase: never seen.
    pub state: Option<&'a CardState>,
    /// Distinct local days with a review of the card (cram reviews included).
    pub review_days: u32,
    /// Whether it was reviewed today already.
    pub reviewed_today: bool,
}

impl PlanCard<'_> {
    fn is_new(&self) -> bool {
        self.state.is_none_or(|s| s.phase == Phase::New)
    }

    /// Seen, and reviewed again on a later day: what the plan asks of every card.
    pub fn ready(&self) -> bool {
        !self.is_new() && self.review_days >= 2
    }
}

/// The plan at a moment.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Plan {
    /// The date (start of its local day).
    pub until: i64,
    /// Days left to study, today included.
    pub days_left: u32,
    /// Critical and high cards in the plan.
    pub cards: usize,
    pub ready: usize,
    /// Never seen yet.
    pub left_new: usize,
    /// Seen, not yet reviewed on a later day.
    pub left_review: usize,
    /// New cards to introduce a day to be done in time.
    pub new_per_day: usize,
    /// Reviews a day the plan itself asks for (besides cards that are due anyway).
    pub reviews_per_day: f64,
}

/// The plan for `cards` (every card of the plan's topics; only critical and high ones
/// count) at `today` (start of the local day) for a date starting at `until`.
pub fn summarize(cards: &[PlanCard<'_>], today: i64, until: i64) -> Plan {
    let days_left = u32::try_from(((until - today) / DAY).max(0)).unwrap_or(u32::MAX);
    let planned: Vec<&PlanCard<'_>> = cards.iter().filter(|c| c.tier <= Tier::High).collect();
    let ready = planned.iter().filter(|c| c.ready()).count();
    let left_new = planned.iter().filter(|c| c.is_new()).count();
    let left_review = planned.len() - ready - left_new;
    // A new card needs a later day for its review: introduce them all before the last day.
    let intro_days = (days_left as usize).saturating_sub(1).max(1);
    let new_per_day = left_new.div_ceil(intro_days);
    let reviews_per_day = if days_left == 0 {
        0.0
    } else {
        (2 * left_new + left_review) as f64 / f64::from(days_left)
    };
    Plan {
        until,
        days_left,
        cards: planned.len(),
        ready,
        left_new,
        left_review,
        new_per_day,
        reviews_per_day,
    }
}

/// What the plan adds to today's study at `now`: new critical and high cards to introduce
/// (the day's share, most important first, in the given order), and seen ones to cram
/// (their next review falls on or after the date, and they still need one), spread over the
/// days left. Keys are in `cards`' order.
pub fn today<'a>(cards: &[PlanCard<'a>], plan: &Plan, now: i64) -> (Vec<&'a str>, Vec<&'a str>) {
    if plan.days_left == 0 {
        return (Vec::new(), Vec::new());
    }
    let mut new: Vec<&PlanCard<'a>> = cards
        .iter()
        .filter(|c| c.tier <= Tier::High && c.is_new())
        .collect();
    new.sort_by_key(|c| c.tier);
    let new_keys = new
        .into_iter()
        .take(plan.new_per_day)
        .map(|c| c.key)
        .collect();
    let needs_cram: Vec<&PlanCard<'a>> = cards
        .iter()
        .filter(|c| c.tier <= Tier::High && !c.is_new() && !c.ready() && !c.reviewed_today)
        .filter(|c| c.state.is_some_and(|s| s.due >= plan.until && s.due > now))
        .collect();
    let share = needs_cram.len().div_ceil(plan.days_left as usize);
    let cram_keys = needs_cram.into_iter().take(share).map(|c| c.key).collect();
    (new_keys, cram_keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seen(due: i64) -> CardState {
        CardState {
            phase: Phase::Review,
            due,
            ..CardState::new_card(0)
        }
    }

    #[test]
    fn new_cards_are_spread_over_the_days_before_the_last() {
        let keys: Vec<String> = (0..10).map(|i| format!("k{i}")).collect();
        let cards: Vec<PlanCard<'_>> = keys
            .iter()
            .map(|k| PlanCard {
                key: k,
                tier: Tier::Critical,
                state: None,
                review_days: 0,
                reviewed_today: false,
            })
            .collect();
        let plan = summarize(&cards, 0, 6 * DAY);
        assert_eq!(plan.days_left, 6);
        assert_eq!(plan.left_new, 10);
        assert_eq!(
            plan.new_per_day, 2,
            "10 cards over the 5 days before the last"
        );
        let (new, cram) = today(&cards, &plan, 10);
        assert_eq!(new, vec!["k0", "k1"]);
        assert!(cram.is_empty());
    }

    #[test]
    fn a_seen_card_due_after_the_date_is_crammed_once() {
        let late = seen(100 * DAY);
        let soon = seen(2 * DAY);
        let cards = [
            PlanCard {
                key: "late",
                tier: Tier::High,
                state: Some(&late),
                review_days: 1,
                reviewed_today: false,
            },
            PlanCard {
                key: "soon",
                tier: Tier::High,
                state: Some(&soon),
                review_days: 1,
                reviewed_today: false,
            },
            PlanCard {
                key: "low",
                tier: Tier::Low,
                state: Some(&late),
                review_days: 1,
                reviewed_today: false,
            },
        ];
        let plan = summarize(&cards, 0, 5 * DAY);
        assert_eq!((plan.cards, plan.left_review), (2, 2));
        let (_, cram) = today(&cards, &plan, 10);
        assert_eq!(
            cram,
            vec!["late"],
            "the other comes due before the date anyway"
        );
    }
}
