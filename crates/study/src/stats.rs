//! Progress from the review log and the cards' states: what is due, how much was done,
//! retention, streak, per-topic mastery, and the two 30-day charts. Days are local days:
//! the caller passes its UTC offset.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::cards::{CardKind, parse_key};
use crate::schedule::{CardState, DAY, Phase, Rating};

/// One review from the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReviewRow {
    /// When, unix seconds.
    pub at: i64,
    pub key: String,
    pub topic: String,
    pub rating: Rating,
    /// The card's phase when it was answered.
    pub phase_before: Phase,
}

/// How much of one topic is learnt.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TopicMastery {
    pub topic: String,
    /// Cards the topic has now.
    pub cards: u32,
    /// Cards reviewed at least once.
    pub seen: u32,
    /// Cards of mastered items (see [`progress`]).
    pub mastered: u32,
    /// `mastered / cards`, 0 to 1 (0 for a topic without cards).
    pub mastery: f64,
}

/// Everything the stats page and `memseed stats` show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    /// Seen cards due before the end of today (overdue ones included); new cards are not due.
    pub due_today: u32,
    pub reviews_today: u32,
    pub reviews_total: u32,
    /// Share of Good/Easy among answers to cards in the review phase; `None` before any.
    pub retention: Option<f64>,
    /// Consecutive days with a review, ending today, or yesterday when none yet today.
    pub streak_days: u32,
    /// In the order of `cards_per_topic`.
    pub per_topic: Vec<TopicMastery>,
    /// (start of the local day as unix seconds, reviews), the last 30 days with today last.
    pub reviews_per_day: Vec<(i64, u32)>,
    /// (start of the local day, cards falling due that day), today and the 29 days after;
    /// today's count includes the overdue cards.
    pub due_next_30: Vec<(i64, u32)>,
}

/// The local day of `t` as a day number.
fn day_of(t: i64, utc_offset_secs: i32) -> i64 {
    t.saturating_add(i64::from(utc_offset_secs)).div_euclid(DAY)
}

/// The start of local day `day` as unix seconds.
fn day_start(day: i64, utc_offset_secs: i32) -> i64 {
    day.saturating_mul(DAY)
        .saturating_sub(i64::from(utc_offset_secs))
}

/// The start, as unix seconds, of the local day that holds `t`.
pub fn local_day_start(t: i64, utc_offset_secs: i32) -> i64 {
    day_start(day_of(t, utc_offset_secs), utc_offset_secs)
}

/// Whether a card counts toward mastery: past its first review and never forgotten.
fn is_mastered(state: &CardState) -> bool {
    state.phase == Phase::Review && state.lapses == 0
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Progress at `now`, from the review log `rows`, the `states` of seen cards (key, topic,
/// state) and the number of cards each topic has (`cards_per_topic`, whose order the
/// per-topic list keeps).
///
/// Mastery, exactly: a card's *item* is its concept, question or trap (the key's middle
/// part). An item is mastered when every card it makes is in the review phase with no
/// lapse — for a concept, both its anchor → concept and concept → anchor cards; for a
/// question or trap, its one card. A topic's `mastered` is the number of cards of its
/// mastered items, and `mastery = mastered / cards`, so a topic made only of concepts
/// reads as the share of its concepts mastered, and cards never seen count as not
/// mastered. Pass the states of the topic's current cards: states of retired cards count
/// too (capped at `cards`).
pub fn progress(
    rows: &[ReviewRow],
    states: &[(String, String, CardState)],
    cards_per_topic: &[(String, u32)],
    now: i64,
    utc_offset_secs: i32,
) -> Progress {
    let today = day_of(now, utc_offset_secs);
    let tomorrow_start = day_start(today + 1, utc_offset_secs);
    let seen = || states.iter().filter(|(_, _, s)| s.phase != Phase::New);

    let due_today = count(seen().filter(|(_, _, s)| s.due < tomorrow_start).count());

    let review_days: Vec<i64> = rows.iter().map(|r| day_of(r.at, utc_offset_secs)).collect();
    let reviews_today = count(review_days.iter().filter(|&&d| d == today).count());

    let at_review: Vec<Rating> = rows
        .iter()
        .filter(|r| r.phase_before == Phase::Review)
        .map(|r| r.rating)
        .collect();
    let retention = (!at_review.is_empty()).then(|| {
        let passed = at_review
            .iter()
            .filter(|r| matches!(r, Rating::Good | Rating::Easy))
            .count();
        passed as f64 / at_review.len() as f64
    });

    let active: HashSet<i64> = review_days.iter().copied().collect();
    let mut streak_days = 0;
    let mut day = if active.contains(&today) {
        today
    } else {
        today - 1
    };
    while active.contains(&day) {
        streak_days += 1;
        day -= 1;
    }

    let reviews_per_day = (today - 29..=today)
        .map(|d| {
            let n = review_days.iter().filter(|&&rd| rd == d).count();
            (day_start(d, utc_offset_secs), count(n))
        })
        .collect();
    let due_next_30 = (today..today + 30)
        .map(|d| {
            let n = seen()
                .filter(|(_, _, s)| day_of(s.due, utc_offset_secs).max(today) == d)
                .count();
            (day_start(d, utc_offset_secs), count(n))
        })
        .collect();

    Progress {
        due_today,
        reviews_today,
        reviews_total: count(rows.len()),
        retention,
        streak_days,
        per_topic: mastery(states, cards_per_topic),
        reviews_per_day,
        due_next_30,
    }
}

/// Per-topic mastery, as [`progress`] defines it.
fn mastery(
    states: &[(String, String, CardState)],
    cards_per_topic: &[(String, u32)],
) -> Vec<TopicMastery> {
    // (topic, item) -> (cards it needs, cards mastered)
    let mut items: BTreeMap<(&str, &str), (u32, u32)> = BTreeMap::new();
    let mut seen: BTreeMap<&str, u32> = BTreeMap::new();
    for (key, topic, state) in states {
        let (item, needs) = match parse_key(key) {
            Some((_, item, CardKind::ConceptAnchor | CardKind::AnchorConcept)) => (item, 2),
            Some((_, item, _)) => (item, 1),
            None => (key.as_str(), 1),
        };
        let entry = items.entry((topic, item)).or_insert((needs, 0));
        entry.1 += u32::from(is_mastered(state));
        if state.phase != Phase::New {
            *seen.entry(topic).or_default() += 1;
        }
    }
    let mut mastered: BTreeMap<&str, u32> = BTreeMap::new();
    for ((topic, _), (needs, done)) in items {
        if done >= needs {
            *mastered.entry(topic).or_default() += needs;
        }
    }
    cards_per_topic
        .iter()
        .map(|(topic, cards)| {
            let done = mastered
                .get(topic.as_str())
                .copied()
                .unwrap_or(0)
                .min(*cards);
            TopicMastery {
                topic: topic.clone(),
                cards: *cards,
                seen: seen.get(topic.as_str()).copied().unwrap_or(0).min(*cards),
                mastered: done,
                mastery: if *cards == 0 {
                    0.0
                } else {
                    f64::from(done) / f64::from(*cards)
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-03-10 12:00 UTC, a Sunday.
    const NOW: i64 = 1_710_072_000;

    #[test]
    fn local_days_start_at_local_midnight() {
        assert_eq!(local_day_start(NOW, 0), NOW - 12 * 3600);
        // UTC+2: local 14:00, the day began at 22:00 UTC the evening before.
        assert_eq!(local_day_start(NOW, 7200), NOW - 14 * 3600);
        // UTC-5: local 07:00.
        assert_eq!(local_day_start(NOW, -5 * 3600), NOW - 7 * 3600);
        assert_eq!(local_day_start(NOW - 12 * 3600, 0), NOW - 12 * 3600);
    }
    const TODAY: i64 = 1_710_028_800; // 00:00 UTC that day
    const H: i64 = 3600;

    fn row(at: i64, rating: Rating, phase_before: Phase) -> ReviewRow {
        ReviewRow {
            at,
            key: "python/gil/question".into(),
            topic: "python".into(),
            rating,
            phase_before,
        }
    }

    fn state(phase: Phase, due: i64, lapses: u32) -> CardState {
        CardState {
            phase,
            due,
            lapses,
            last_review: Some(due - DAY),
            reps: 3,
            stability: Some(3.0),
            difficulty: Some(5.0),
            step: 0,
        }
    }

    fn keyed(key: &str, s: CardState) -> (String, String, CardState) {
        let topic = key.split('/').next().unwrap().to_string();
        (key.to_string(), topic, s)
    }

    #[test]
    fn counts_retention_and_streak() {
        use Phase::{Learning, New, Review};
        use Rating::{Again, Easy, Good, Hard};
        let rows = vec![
            row(TODAY - 3 * DAY + H, Good, New), // 3 days ago: breaks the streak (gap 2 days ago)
            row(TODAY - DAY + 5 * H, Good, Learning),
            row(TODAY - DAY + 6 * H, Again, Review),
            row(TODAY + H, Hard, Review),
            row(TODAY + 2 * H, Easy, Review),
            row(TODAY + 3 * H, Good, Review),
        ];
        let p = progress(&rows, &[], &[], NOW, 0);
        assert_eq!(p.reviews_total, 6);
        assert_eq!(p.reviews_today, 3);
        // Review-phase answers: Again, Hard, Easy, Good -> 2 of 4 are Good/Easy.
        assert_eq!(p.retention, Some(0.5));
        assert_eq!(p.streak_days, 2);

        let table: &[(&str, &[i64], u32)] = &[
            ("nothing", &[], 0),
            ("today only", &[TODAY + H], 1),
            ("yesterday only: still alive", &[TODAY - DAY + H], 1),
            ("two days ago only: broken", &[TODAY - 2 * DAY + H], 0),
            (
                "four days running, many a day",
                &[
                    TODAY + H,
                    TODAY + 2 * H,
                    TODAY - DAY,
                    TODAY - 2 * DAY,
                    TODAY - 3 * DAY + 1,
                ],
                4,
            ),
            ("the last second of yesterday", &[TODAY - 1], 1),
        ];
        for &(name, times, streak) in table {
            let rows: Vec<ReviewRow> = times.iter().map(|&t| row(t, Good, New)).collect();
            assert_eq!(
                progress(&rows, &[], &[], NOW, 0).streak_days,
                streak,
                "{name}"
            );
        }
        assert_eq!(progress(&[], &[], &[], NOW, 0).retention, None);
    }

    #[test]
    fn local_days_follow_the_utc_offset() {
        use Rating::Good;
        // 23:30 UTC on the 9th and 09:00 UTC on the 10th: both on the 10th in UTC+2, one
        // day each in UTC, and both on the 9th in UTC-10 (where NOW is 02:00 on the 10th).
        let rows = vec![
            row(TODAY - 30 * 60, Good, Phase::New),
            row(TODAY + 9 * H, Good, Phase::New),
        ];
        let plus2 = progress(&rows, &[], &[], NOW, 2 * 3600);
        assert_eq!(plus2.reviews_today, 2);
        assert_eq!(plus2.reviews_per_day.last(), Some(&(TODAY - 2 * H, 2)));
        let utc = progress(&rows, &[], &[], NOW, 0);
        assert_eq!(utc.reviews_today, 1);
        assert_eq!(utc.reviews_per_day[28], (TODAY - DAY, 1));
        let minus10 = progress(&rows, &[], &[], NOW, -10 * 3600);
        assert_eq!(minus10.reviews_today, 0);
        assert_eq!(minus10.streak_days, 1);
    }

    #[test]
    fn charts_cover_thirty_days() {
        use Rating::Good;
        let rows = vec![
            row(TODAY - 29 * DAY, Good, Phase::New),
            row(TODAY - 30 * DAY, Good, Phase::New), // too old for the chart
            row(TODAY + H, Good, Phase::New),
        ];
        let states = vec![
            keyed(
                "python/a/question",
                state(Phase::Review, TODAY - 5 * DAY, 0),
            ), // overdue
            keyed("python/b/question", state(Phase::Learning, NOW + 600, 0)),
            keyed(
                "python/c/question",
                state(Phase::Review, TODAY + DAY + H, 0),
            ),
            keyed(
                "python/d/question",
                state(Phase::Review, TODAY + 29 * DAY, 0),
            ),
            keyed(
                "python/e/question",
                state(Phase::Review, TODAY + 30 * DAY, 0),
            ), // beyond
            keyed("python/f/question", CardState::new_card(TODAY)), // new: never due
        ];
        let p = progress(&rows, &states, &[], NOW, 0);
        assert_eq!(p.reviews_per_day.len(), 30);
        assert_eq!(p.reviews_per_day[0], (TODAY - 29 * DAY, 1));
        assert_eq!(p.reviews_per_day[29], (TODAY, 1));
        assert_eq!(p.reviews_per_day.iter().map(|d| d.1).sum::<u32>(), 2);
        assert_eq!(p.due_next_30.len(), 30);
        assert_eq!(p.due_next_30[0], (TODAY, 2));
        assert_eq!(p.due_next_30[1], (TODAY + DAY, 1));
        assert_eq!(p.due_next_30[29], (TODAY + 29 * DAY, 1));
        assert_eq!(p.due_next_30.iter().map(|d| d.1).sum::<u32>(), 4);
        assert_eq!(p.due_today, 2);
    }

    #[test]
    fn mastery_needs_both_anchor_cards_and_no_lapse() {
        let review = |lapses| state(Phase::Review, NOW + 5 * DAY, lapses);
        let states = vec![
            // gil: both anchor cards in review, no lapse -> 2 mastered cards
            keyed("python/gil/concept-anchor", review(0)),
            keyed("python/gil/anchor-concept", review(0)),
            // refcounting: one of two -> none
            keyed("python/refcounting/concept-anchor", review(0)),
            // mutability: both, but one lapsed -> none
            keyed("python/mutability/concept-anchor", review(0)),
            keyed("python/mutability/anchor-concept", review(1)),
            // copying: one in relearning -> none
            keyed("python/copying/concept-anchor", review(0)),
            keyed(
                "python/copying/anchor-concept",
                state(Phase::Relearning, NOW, 1),
            ),
            // a question and a trap in review -> 1 each; a learning question -> none
            keyed("python/q-pass-by/question", review(0)),
            keyed("python/mutable-default-args/trap", review(0)),
            keyed("python/q-gil/question", state(Phase::Learning, NOW, 0)),
            keyed("git/rebase/question", review(0)),
        ];
        let per_topic = progress(
            &[],
            &states,
            &[("python".into(), 20), ("git".into(), 4), ("rust".into(), 0)],
            NOW,
            0,
        )
        .per_topic;
        let brief: Vec<(&str, u32, u32, u32, f64)> = per_topic
            .iter()
            .map(|t| (t.topic.as_str(), t.cards, t.seen, t.mastered, t.mastery))
            .collect();
        assert_eq!(
            brief,
            [
                ("python", 20, 10, 4, 0.2),
                ("git", 4, 1, 1, 0.25),
                ("rust", 0, 0, 0, 0.0),
            ]
        );
    }
}
