//! What to study now: cards that are due, most overdue first, then new cards up to the
//! day's limit.

use serde::Serialize;

use crate::schedule::{CardState, Phase};

/// One card to show, by key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct QueueItem {
    pub key: String,
    /// Never reviewed: showing it uses up one of the day's new cards.
    pub is_new: bool,
    /// A catch-up review before an interview date: rated as a cram, which leaves the
    /// card's schedule as it was.
    #[serde(default)]
    pub cram: bool,
}

/// The study queue at `now`: every seen card whose `due <= now` (learning, relearning and
/// review alike), most overdue first (ties in the given order); then cards never seen
/// (`None`, or a state still in [`Phase::New`]), in the given order, at most
/// `new_per_day - new_seen_today` of them.
pub fn build_queue(
    cards: &[(String, Option<CardState>)],
    new_seen_today: u32,
    new_per_day: u32,
    now: i64,
) -> Vec<QueueItem> {
    build_queue_ahead(cards, new_seen_today, new_per_day, now, 0)
}

/// [`build_queue`], then the learning and relearning cards that fall due within
/// `learn_ahead_secs` of `now`, soonest first — Anki's "learn ahead": once nothing else is
/// left, a step due in a few minutes is shown rather than ending the session.
pub fn build_queue_ahead(
    cards: &[(String, Option<CardState>)],
    new_seen_today: u32,
    new_per_day: u32,
    now: i64,
    learn_ahead_secs: i64,
) -> Vec<QueueItem> {
    let mut due: Vec<(i64, &str)> = Vec::new();
    let mut ahead: Vec<(i64, &str)> = Vec::new();
    let mut new: Vec<&str> = Vec::new();
    for (key, state) in cards {
        match state {
            None => new.push(key),
            Some(s) if s.phase == Phase::New => new.push(key),
            Some(s) if s.due <= now => due.push((s.due, key)),
            Some(s)
                if matches!(s.phase, Phase::Learning | Phase::Relearning)
                    && s.due <= now.saturating_add(learn_ahead_secs) =>
            {
                ahead.push((s.due, key));
            }
            Some(_) => {}
        }
    }
    // Stable sorts: equal due times keep the caller's order.
    due.sort_by_key(|&(at, _)| at);
    ahead.sort_by_key(|&(at, _)| at);
    let room = new_per_day.saturating_sub(new_seen_today) as usize;
    let seen = |(_, key): (i64, &str)| QueueItem {
        key: key.to_string(),
        is_new: false,
        cram: false,
    };
    due.into_iter()
        .map(seen)
        .chain(new.into_iter().take(room).map(|key| QueueItem {
            key: key.to_string(),
            is_new: true,
            cram: false,
        }))
        .chain(ahead.into_iter().map(seen))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn state(phase: Phase, due: i64) -> Option<CardState> {
        Some(CardState {
            phase,
            due,
            last_review: Some(due - 100),
            reps: 1,
            ..CardState::new_card(due)
        })
    }

    fn keys(queue: &[QueueItem]) -> Vec<(&str, bool)> {
        queue.iter().map(|i| (i.key.as_str(), i.is_new)).collect()
    }

    #[test]
    fn due_first_most_overdue_first_then_new_up_to_the_limit() {
        let cards = vec![
            ("new-a".to_string(), None),
            (
                "review-later".to_string(),
                state(Phase::Review, NOW + 86_400),
            ),
            (
                "review-1d-over".to_string(),
                state(Phase::Review, NOW - 86_400),
            ),
            ("learning-now".to_string(), state(Phase::Learning, NOW)),
            ("new-b".to_string(), Some(CardState::new_card(NOW - 5))),
            (
                "relearning-3d-over".to_string(),
                state(Phase::Relearning, NOW - 3 * 86_400),
            ),
            ("new-c".to_string(), None),
            (
                "learning-in-5min".to_string(),
                state(Phase::Learning, NOW + 300),
            ),
        ];
        // name, new seen today, new per day, learn ahead, expected queue
        type Row<'a> = (&'a str, u32, u32, i64, &'a [(&'a str, bool)]);
        let table: &[Row] = &[
            (
                "room for two new cards",
                3,
                5,
                0,
                &[
                    ("relearning-3d-over", false),
                    ("review-1d-over", false),
                    ("learning-now", false),
                    ("new-a", true),
                    ("new-b", true),
                ],
            ),
            (
                "limit reached",
                20,
                20,
                0,
                &[
                    ("relearning-3d-over", false),
                    ("review-1d-over", false),
                    ("learning-now", false),
                ],
            ),
            (
                "seen more than the limit (limit lowered)",
                25,
                20,
                0,
                &[
                    ("relearning-3d-over", false),
                    ("review-1d-over", false),
                    ("learning-now", false),
                ],
            ),
            (
                "learn ahead 20 minutes: the step due in 5 comes last; reviews never early",
                0,
                20,
                1200,
                &[
                    ("relearning-3d-over", false),
                    ("review-1d-over", false),
                    ("learning-now", false),
                    ("new-a", true),
                    ("new-b", true),
                    ("new-c", true),
                    ("learning-in-5min", false),
                ],
            ),
        ];
        for &(name, seen, limit, ahead, expected) in table {
            let queue = build_queue_ahead(&cards, seen, limit, NOW, ahead);
            assert_eq!(keys(&queue), expected, "{name}");
            if ahead == 0 {
                assert_eq!(queue, build_queue(&cards, seen, limit, NOW), "{name}");
            }
        }
    }

    #[test]
    fn equal_due_times_keep_the_given_order_and_empty_input_gives_nothing() {
        let cards = vec![
            ("b".to_string(), state(Phase::Review, NOW - 10)),
            ("a".to_string(), state(Phase::Review, NOW - 10)),
        ];
        assert_eq!(
            keys(&build_queue(&cards, 0, 0, NOW)),
            [("b", false), ("a", false)]
        );
        assert!(build_queue(&[], 0, 20, NOW).is_empty());
    }
}
