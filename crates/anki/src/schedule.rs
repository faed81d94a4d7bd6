//! memseed's schedule and review history in Anki's terms, and back. Out: a card's phase,
//! FSRS memory state and due time become Anki's card type, queue, due and `data`, its
//! reviews revlog rows. In: an Anki card and its revlog become a [`CardHistory`] the store
//! imports, so FSRS goes on from where Anki left off. Pure: `now` is the caller's.

use std::collections::HashSet;

use memseed_store::{CardHistory, ReviewEntry};

use crate::model::{Card, CardType, Collection, DAY, Memory, ReviewKind, Revlog, queue};

/// The SM-2 ease Anki gives a card when it graduates (250%).
const DEFAULT_FACTOR: u32 = 2500;
/// Learning steps in memseed (1 min, 10 min) and relearning steps (10 min).
const LEARNING_STEPS: u32 = 2;

/// The schedule fields of an Anki card.
#[derive(Clone, Debug, PartialEq)]
pub struct AnkiSchedule {
    pub ctype: CardType,
    pub queue: i8,
    pub due: i64,
    pub interval: i64,
    pub factor: u32,
    pub reps: u32,
    pub lapses: u32,
    pub left: u32,
    pub memory: Option<Memory>,
    pub last_review: Option<i64>,
}

/// A new card, `position` in the new queue.
pub fn new_card(position: i64) -> AnkiSchedule {
    AnkiSchedule {
        ctype: CardType::New,
        queue: queue::NEW,
        due: position,
        interval: 0,
        factor: 0,
        reps: 0,
        lapses: 0,
        left: 0,
        memory: None,
        last_review: None,
    }
}

/// The Anki schedule of a memseed card; `position` is its place in the new queue should
/// it be new. Review cards fall due on their due day in `col`'s day numbering.
pub fn to_anki(h: &CardHistory, col: &Collection, position: i64) -> AnkiSchedule {
    let memory = match (h.stability, h.difficulty) {
        (Some(s), Some(d)) if s.is_finite() && d.is_finite() && s > 0.0 => Some(Memory {
            stability: s as f32,
            difficulty: d as f32,
        }),
        _ => None,
    };
    let days = |from: i64| ((h.due - from) as f64 / DAY as f64).round().max(1.0) as i64;
    let mut s = match h.phase.as_str() {
        "learning" => AnkiSchedule {
            ctype: CardType::Learning,
            queue: queue::LEARN,
            due: h.due,
            left: LEARNING_STEPS.saturating_sub(h.step).max(1),
            ..new_card(position)
        },
        "review" => AnkiSchedule {
            ctype: CardType::Review,
            queue: queue::REVIEW,
            due: col.day_of(h.due),
            interval: days(h.last_review.unwrap_or(h.due - DAY)),
            factor: DEFAULT_FACTOR,
            ..new_card(position)
        },
        "relearning" => AnkiSchedule {
            ctype: CardType::Relearning,
            queue: queue::LEARN,
            due: h.due,
            // The interval the card goes back to once relearnt: its stability, a day at least.
            interval: h.stability.map_or(1, |s| s.round().max(1.0) as i64),
            factor: DEFAULT_FACTOR,
            left: 1,
            ..new_card(position)
        },
        _ => new_card(position),
    };
    if s.ctype != CardType::New {
        s.reps = h.reps;
        s.lapses = h.lapses;
        s.memory = memory;
        s.last_review = h.last_review;
    }
    if h.suspended.is_some() {
        s.queue = queue::SUSPENDED;
    }
    s
}

/// The revlog rows of a memseed card's reviews. Ids are the review time in milliseconds,
/// moved on by a millisecond while one is `taken`, so they are unique and the same on
/// every export.
pub fn revlog(h: &CardHistory, card: i64, taken: &mut HashSet<i64>) -> Vec<Revlog> {
    let mut out: Vec<Revlog> = Vec::with_capacity(h.reviews.len());
    let mut last_interval = 0;
    for r in &h.reviews {
        let mut id = r.at.saturating_mul(1000);
        while !taken.insert(id) {
            id += 1;
        }
        let secs = (r.due_after - r.at).max(0);
        let interval = if secs >= DAY {
            (secs as f64 / DAY as f64).round() as i64
        } else {
            -secs
        };
        let (kind, factor) = match (r.rescheduled, r.phase_before.as_str()) {
            // Cramming before an interview: Anki's filtered review that moved no schedule.
            (false, _) => (ReviewKind::Filtered, 0),
            (true, "review") => (ReviewKind::Review, DEFAULT_FACTOR),
            (true, "relearning") => (ReviewKind::Relearning, DEFAULT_FACTOR),
            (true, _) => (ReviewKind::Learning, 0),
        };
        out.push(Revlog {
            id,
            card,
            ease: r.rating,
            interval,
            last_interval,
            factor,
            millis: 0,
            kind,
        });
        if r.rescheduled {
            last_interval = interval;
        }
    }
    out
}

/// A memseed history of an Anki card, keyed `key` (`{topic}/{item}/{kind}`). `revlog` is
/// the card's log, oldest first; `leech` says Anki tagged its note a leech. `now` dates a
/// new card's first showing.
pub fn from_anki(
    col: &Collection,
    card: &Card,
    revlog: &[&Revlog],
    key: &str,
    leech: bool,
    now: i64,
) -> CardHistory {
    let (item, kind) = key
        .split_once('/')
        .and_then(|(_, rest)| rest.rsplit_once('/'))
        .map_or((String::new(), String::new()), |(i, k)| {
            (i.to_string(), k.to_string())
        });
    let phase = match card.ctype {
        CardType::New => "new",
        CardType::Learning => "learning",
        CardType::Review => "review",
        CardType::Relearning => "relearning",
    };
    // Learning cards are due at a unix time; review cards (and learning with day-long
    // steps) on a day. Anki keeps suspended and buried cards' due as it was.
    let due = match card.ctype {
        CardType::New => now,
        _ if card.due > 1_000_000_000 => card.due,
        _ => {
            let as_review = Card {
                queue: queue::REVIEW,
                ..card.clone()
            };
            col.due_day_time(&as_review).unwrap_or(now)
        }
    };
    let reviews: Vec<ReviewEntry> = revlog
        .iter()
        .filter(|r| (1..=4).contains(&r.ease))
        .filter(|r| !matches!(r.kind, ReviewKind::Manual | ReviewKind::Rescheduled))
        .enumerate()
        .map(|(i, r)| {
            let at = r.id.div_euclid(1000);
            let after = if r.interval > 0 {
                r.interval.saturating_mul(DAY)
            } else {
                -r.interval
            };
            ReviewEntry {
                at,
                rating: r.ease,
                phase_before: match r.kind {
                    ReviewKind::Review | ReviewKind::Filtered => "review",
                    ReviewKind::Relearning => "relearning",
                    _ if i == 0 => "new",
                    _ => "learning",
                }
                .to_string(),
                due_after: at.saturating_add(after),
                rescheduled: !(r.kind == ReviewKind::Filtered && r.factor == 0),
            }
        })
        .collect();
    let memory = card.memory.or_else(|| sm2_memory(card));
    let learning = matches!(card.ctype, CardType::Learning);
    CardHistory {
        key: key.to_string(),
        item,
        kind,
        phase: phase.to_string(),
        step: if learning {
            LEARNING_STEPS
                .saturating_sub(card.left % 1000)
                .min(LEARNING_STEPS - 1)
        } else {
            0
        },
        stability: (card.ctype != CardType::New)
            .then_some(memory)
            .flatten()
            .map(|m| f64::from(m.stability)),
        difficulty: (card.ctype != CardType::New)
            .then_some(memory)
            .flatten()
            .map(|m| f64::from(m.difficulty)),
        due,
        last_review: card.last_review.or_else(|| reviews.last().map(|r| r.at)),
        reps: card.reps,
        lapses: card.lapses,
        suspended: if leech {
            Some("leech".into())
        } else {
            (card.queue == queue::SUSPENDED).then(|| "manual".into())
        },
        reviews,
    }
}

/// FSRS's estimate of the memory state of a card scheduled by SM-2 (no FSRS state of its
/// own): from its ease and interval, as Anki does when FSRS is switched on.
fn sm2_memory(card: &Card) -> Option<Memory> {
    if !matches!(card.ctype, CardType::Review | CardType::Relearning) || card.interval <= 0 {
        return None;
    }
    let fsrs = fsrs::FSRS::new(&[]).ok()?;
    let factor = if card.factor == 0 {
        DEFAULT_FACTOR
    } else {
        card.factor
    };
    let m = fsrs
        .memory_state_from_sm2(factor as f32 / 1000.0, card.interval as f32, 0.9)
        .ok()?;
    Some(Memory {
        stability: m.stability,
        difficulty: m.difficulty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Format;

    const CRT: i64 = 1_577_836_800;
    const T0: i64 = 1_795_255_200;

    fn history(phase: &str) -> CardHistory {
        CardHistory {
            key: "python/gil/concept-anchor".into(),
            item: "gil".into(),
            kind: "concept-anchor".into(),
            phase: phase.into(),
            step: 0,
            stability: Some(8.4),
            difficulty: Some(5.5),
            due: T0 + 8 * DAY,
            last_review: Some(T0),
            reps: 4,
            lapses: 1,
            suspended: None,
            reviews: vec![
                ReviewEntry {
                    at: T0 - 3 * DAY,
                    rating: 3,
                    phase_before: "new".into(),
                    due_after: T0 - 3 * DAY + 600,
                    rescheduled: true,
                },
                ReviewEntry {
                    at: T0 - 3 * DAY + 600,
                    rating: 3,
                    phase_before: "learning".into(),
                    due_after: T0,
                    rescheduled: true,
                },
                ReviewEntry {
                    at: T0 - 3 * DAY + 600,
                    rating: 1,
                    phase_before: "review".into(),
                    due_after: T0 - 3 * DAY + 700,
                    rescheduled: false,
                },
                ReviewEntry {
                    at: T0,
                    rating: 3,
                    phase_before: "review".into(),
                    due_after: T0 + 8 * DAY,
                    rescheduled: true,
                },
            ],
        }
    }

    #[test]
    fn a_review_card_keeps_its_due_day_memory_and_log() {
        let col = Collection::new(Format::Anki2, CRT);
        let h = history("review");
        let s = to_anki(&h, &col, 7);
        assert_eq!(s.ctype, CardType::Review);
        assert_eq!(s.queue, queue::REVIEW);
        assert_eq!(s.interval, 8);
        assert_eq!(
            s.memory,
            Some(Memory {
                stability: 8.4,
                difficulty: 5.5
            })
        );
        let card = Card {
            id: 5,
            note: 1,
            deck: 1,
            ord: 0,
            ctype: s.ctype,
            queue: s.queue,
            due: s.due,
            interval: s.interval,
            factor: s.factor,
            reps: s.reps,
            lapses: s.lapses,
            left: s.left,
            memory: s.memory,
            last_review: s.last_review,
        };
        let due = col.due_day_time(&card).unwrap();
        assert!((h.due - due).abs() < DAY, "due {due} for {}", h.due);

        let mut taken = HashSet::new();
        let log = revlog(&h, 5, &mut taken);
        assert_eq!(log.len(), 4);
        assert_eq!(log[1].id, log[2].id - 1, "same second, next millisecond");
        assert_eq!(log[0].interval, -600);
        assert_eq!(log[3].interval, 8);
        assert_eq!(log[3].last_interval, 3, "the cram review does not count");
        assert_eq!((log[2].kind, log[2].factor), (ReviewKind::Filtered, 0));

        // And back: the same schedule and reviews, due on the same day.
        let refs: Vec<&Revlog> = log.iter().collect();
        let back = from_anki(&col, &card, &refs, &h.key, false, T0);
        assert_eq!(back.phase, "review");
        assert_eq!(back.item, "gil");
        assert_eq!(back.kind, "concept-anchor");
        assert_eq!(back.reviews.len(), 4);
        assert_eq!(back.reviews[0].phase_before, "new");
        assert_eq!(back.reviews[1].phase_before, "learning");
        assert!(!back.reviews[2].rescheduled);
        assert_eq!(back.reviews[3].due_after, T0 + 8 * DAY);
        assert_eq!(back.stability, Some(f64::from(8.4f32)));
        assert!((back.due - h.due).abs() < DAY);
    }

    #[test]
    fn new_learning_and_suspended_cards() {
        let col = Collection::new(Format::Anki2, CRT);
        let mut h = history("new");
        assert_eq!(to_anki(&h, &col, 3), new_card(3));
        h.phase = "learning".into();
        h.step = 1;
        let s = to_anki(&h, &col, 3);
        assert_eq!((s.queue, s.due, s.left), (queue::LEARN, h.due, 1));
        h.suspended = Some("leech".into());
        assert_eq!(to_anki(&h, &col, 3).queue, queue::SUSPENDED);
    }

    #[test]
    fn an_sm2_card_gets_an_fsrs_memory_estimate() {
        let card = Card {
            id: 1,
            note: 1,
            deck: 1,
            ord: 0,
            ctype: CardType::Review,
            queue: queue::REVIEW,
            due: 100,
            interval: 20,
            factor: 2500,
            reps: 5,
            lapses: 0,
            left: 0,
            memory: None,
            last_review: None,
        };
        let m = sm2_memory(&card).unwrap();
        assert!(m.stability > 10.0 && m.stability < 40.0, "{m:?}");
        assert!((1.0..=10.0).contains(&m.difficulty));
    }
}
