//! What a person is likely to have forgotten by a moment: 1 − FSRS retrievability of each
//! card then. A card never studied counts as unknown: forgotten for sure.

use fsrs::current_retrievability;

use crate::schedule::CardState;

const DAY: f64 = 86_400.0;

/// The chance that the card with `state` is forgotten at `at` (unix seconds), with the
/// forgetting curve's `decay` (FSRS-6 parameter 20). 1 for a card never studied.
pub fn forgotten(state: Option<&CardState>, at: i64, decay: f32) -> f64 {
    let Some(s) = state else { return 1.0 };
    let (Some(memory), Some(last)) = (s.memory(), s.last_review) else {
        return 1.0;
    };
    let days = ((at - last).max(0) as f64 / DAY) as f32;
    let r = current_retrievability(memory, days, decay);
    if r.is_finite() {
        (1.0 - f64::from(r)).clamp(0.0, 1.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::Phase;

    #[test]
    fn forgetting_grows_with_time_and_is_certain_for_an_unseen_card() {
        let s = CardState {
            phase: Phase::Review,
            stability: Some(10.0),
            difficulty: Some(5.0),
            last_review: Some(0),
            ..CardState::new_card(0)
        };
        let decay = fsrs::DEFAULT_PARAMETERS[20];
        let at_10 = forgotten(Some(&s), 10 * 86_400, decay);
        assert!(
            (at_10 - 0.1).abs() < 0.01,
            "retention 0.9 at the stability: {at_10}"
        );
        assert!(forgotten(Some(&s), 100 * 86_400, decay) > at_10);
        assert!(forgotten(Some(&s), 0, decay) < 0.001);
        assert_eq!(forgotten(None, 0, decay), 1.0);
    }
}
