//! A card's whole history as one value, to carry a schedule to or from another program
//! (Anki): read out of the database for an export, written in for an import. An import
//! adds each review once, however often it runs, and never moves a card's schedule back.

use rusqlite::{OptionalExtension, params};

use crate::reviews::Source;
use crate::{Store, StoreError};

/// A card with its schedule and every review, oldest first.
#[derive(Clone, Debug, PartialEq)]
pub struct CardHistory {
    /// `{topic}/{item}/{kind}`.
    pub key: String,
    pub item: String,
    pub kind: String,
    /// `new`, `learning`, `review` or `relearning`.
    pub phase: String,
    pub step: u32,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: i64,
    pub last_review: Option<i64>,
    pub reps: u32,
    pub lapses: u32,
    /// Why the card is suspended (`leech`, `manual`), when it is.
    pub suspended: Option<String>,
    pub reviews: Vec<ReviewEntry>,
}

/// One review of a [`CardHistory`].
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewEntry {
    pub at: i64,
    /// 1 again, 2 hard, 3 good, 4 easy.
    pub rating: u8,
    pub phase_before: String,
    pub due_after: i64,
    /// False for a review that left the schedule as it was (cramming).
    pub rescheduled: bool,
}

/// What [`Store::import_history`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HistoryImported {
    /// Cards that were not in the database yet.
    pub cards_added: usize,
    /// Cards whose schedule was taken from the import (it had the later review).
    pub cards_rescheduled: usize,
    pub reviews_added: usize,
    /// Reviews already in the database (an import run again), or with no valid rating.
    /// A review is the same when its card, second, rating and source are, counting
    /// repeats within one second.
    pub reviews_skipped: usize,
}

const PHASES: [&str; 4] = ["new", "learning", "review", "relearning"];

impl Store {
    /// Every active card of `topic` with its reviews, in creation order.
    pub fn card_histories(&self, topic: &str) -> Result<Vec<CardHistory>, StoreError> {
        let mut out: Vec<CardHistory> = self
            .cards(Some(topic))?
            .into_iter()
            .map(|c| CardHistory {
                key: c.key,
                item: c.item,
                kind: c.kind,
                phase: c.phase,
                step: c.step,
                stability: c.stability,
                difficulty: c.difficulty,
                due: c.due,
                last_review: c.last_review,
                reps: c.reps,
                lapses: c.lapses,
                suspended: c
                    .suspended
                    .map(|_| c.suspended_reason.unwrap_or_else(|| "manual".into())),
                reviews: Vec::new(),
            })
            .collect();
        let index: std::collections::HashMap<String, usize> = out
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key.clone(), i))
            .collect();
        let sql = "SELECT c.key, r.at, r.rating, r.phase_before, r.due_after, r.rescheduled \
                   FROM reviews r JOIN cards c ON c.id = r.card_id \
                   WHERE c.topic = ?1 AND c.retired IS NULL ORDER BY r.at, r.id";
        let rows = self.query_all("reading review histories", sql, [topic], |r| {
            Ok((
                r.get::<_, String>(0)?,
                ReviewEntry {
                    at: r.get(1)?,
                    rating: r.get(2)?,
                    phase_before: r.get(3)?,
                    due_after: r.get(4)?,
                    rescheduled: r.get(5)?,
                },
            ))
        })?;
        for (key, review) in rows {
            if let Some(&i) = index.get(&key) {
                out[i].reviews.push(review);
            }
        }
        Ok(out)
    }

    /// Writes histories brought from another program into `topic`, in one transaction: a
    /// card not in the database is added with its schedule; a card that is takes the
    /// imported schedule only when the import's last review is later than its own; each
    /// review is logged with `source` unless the same review (card, time, rating, source)
    /// is already there.
    pub fn import_history(
        &mut self,
        topic: &str,
        cards: &[CardHistory],
        source: Source,
        now: i64,
    ) -> Result<HistoryImported, StoreError> {
        for c in cards {
            let bad_phase = std::iter::once(c.phase.as_str())
                .chain(c.reviews.iter().map(|r| r.phase_before.as_str()))
                .find(|p| !PHASES.contains(p));
            if let Some(p) = bad_phase {
                return Err(StoreError::Sql {
                    path: self.path.clone(),
                    context: "importing a history",
                    source: rusqlite::Error::ToSqlConversionFailure(
                        format!("card {}: unknown phase \"{p}\"", c.key).into(),
                    ),
                });
            }
        }
        let (tx, e) = self.write("starting a history import")?;
        let mut done = HistoryImported::default();
        {
            let mut find = tx
                .prepare("SELECT id, last_review FROM cards WHERE key = ?1")
                .map_err(e.at("reading a card"))?;
            let mut add = tx
                .prepare(
                    "INSERT INTO cards (key, topic, item, kind, phase, step, stability, difficulty, due, last_review, reps, lapses, created, suspended, suspended_reason) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                )
                .map_err(e.at("adding a card"))?;
            let mut set = tx
                .prepare(
                    "UPDATE cards SET phase = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6, last_review = ?7, reps = ?8, lapses = ?9, \
                     suspended = coalesce(suspended, ?10), suspended_reason = coalesce(suspended_reason, ?11) WHERE id = ?1",
                )
                .map_err(e.at("saving a card's schedule"))?;
            let mut seen = tx
                .prepare("SELECT count(*) FROM reviews WHERE card_id = ?1 AND at = ?2 AND rating = ?3 AND source = ?4")
                .map_err(e.at("reading reviews"))?;
            let mut log = tx
                .prepare(
                    "INSERT INTO reviews (card_id, at, rating, phase_before, source, due_after, rescheduled) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(e.at("logging a review"))?;
            for c in cards {
                let suspended_at = c.suspended.as_ref().map(|_| now);
                let found: Option<(i64, Option<i64>)> = find
                    .query_row([&c.key], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
                    .map_err(e.at("reading a card"))?;
                let card_id = match found {
                    None => {
                        add.execute(params![
                            c.key,
                            topic,
                            c.item,
                            c.kind,
                            c.phase,
                            c.step,
                            c.stability,
                            c.difficulty,
                            c.due,
                            c.last_review,
                            c.reps,
                            c.lapses,
                            now,
                            suspended_at,
                            c.suspended
                        ])
                        .map_err(e.at("adding a card"))?;
                        done.cards_added += 1;
                        tx.last_insert_rowid()
                    }
                    Some((id, last)) => {
                        if c.last_review.is_some() && c.last_review > last {
                            set.execute(params![
                                id,
                                c.phase,
                                c.step,
                                c.stability,
                                c.difficulty,
                                c.due,
                                c.last_review,
                                c.reps,
                                c.lapses,
                                suspended_at,
                                c.suspended
                            ])
                            .map_err(e.at("saving a card's schedule"))?;
                            done.cards_rescheduled += 1;
                        }
                        id
                    }
                };
                // Two answers in one second with one rating are told apart by their order:
                // the n-th such review is added when fewer than n are logged already.
                let mut nth: std::collections::HashMap<(i64, u8), i64> =
                    std::collections::HashMap::new();
                for r in &c.reviews {
                    let n = nth.entry((r.at, r.rating)).or_insert(0);
                    *n += 1;
                    let logged: i64 = seen
                        .query_row(params![card_id, r.at, r.rating, source.as_str()], |row| {
                            row.get(0)
                        })
                        .map_err(e.at("reading reviews"))?;
                    if logged >= *n || !(1..=4).contains(&r.rating) {
                        done.reviews_skipped += 1;
                        continue;
                    }
                    log.execute(params![
                        card_id,
                        r.at,
                        r.rating,
                        r.phase_before,
                        source.as_str(),
                        r.due_after,
                        r.rescheduled
                    ])
                    .map_err(e.at("logging a review"))?;
                    done.reviews_added += 1;
                }
            }
        }
        tx.commit().map_err(e.at("committing the history import"))?;
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::NewCard;

    fn card(key: &str, last: Option<i64>, reviews: &[(i64, u8)]) -> CardHistory {
        let (_, rest) = key.split_once('/').unwrap();
        let (item, kind) = rest.split_once('/').unwrap();
        CardHistory {
            key: key.into(),
            item: item.into(),
            kind: kind.into(),
            phase: "review".into(),
            step: 0,
            stability: Some(12.5),
            difficulty: Some(6.0),
            due: 2_000_000,
            last_review: last,
            reps: reviews.len() as u32,
            lapses: 1,
            suspended: None,
            reviews: reviews
                .iter()
                .map(|&(at, rating)| ReviewEntry {
                    at,
                    rating,
                    phase_before: "review".into(),
                    due_after: at + 86_400,
                    rescheduled: true,
                })
                .collect(),
        }
    }

    #[test]
    fn an_import_adds_each_review_once_and_never_moves_a_schedule_back() {
        let mut s = Store::open_in_memory().unwrap();
        s.sync_cards(
            "t",
            &[NewCard {
                key: "t/a/question".into(),
                item: "a".into(),
                kind: "question".into(),
            }],
            10,
        )
        .unwrap();
        let cards = [
            card(
                "t/a/question",
                Some(1_000),
                &[(500, 1), (1_000, 3), (1_000, 3)],
            ),
            card("t/b/trap", Some(900), &[(900, 3), (950, 0)]),
        ];
        let done = s.import_history("t", &cards, Source::Anki, 2_000).unwrap();
        assert_eq!(
            done,
            HistoryImported {
                cards_added: 1,
                cards_rescheduled: 1,
                reviews_added: 4,
                reviews_skipped: 1
            }
        );
        let again = s.import_history("t", &cards, Source::Anki, 3_000).unwrap();
        assert_eq!(again.reviews_added, 0);
        assert_eq!(again.cards_added, 0);
        assert_eq!(
            again.cards_rescheduled, 0,
            "same last review: nothing newer"
        );
        let h = s.card_histories("t").unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].key, "t/a/question");
        assert_eq!(h[0].stability, Some(12.5));
        assert_eq!(
            h[0].reviews.iter().map(|r| r.rating).collect::<Vec<_>>(),
            [1, 3, 3],
            "two answers in one second are two reviews"
        );
        assert!(s.reviews().unwrap().iter().all(|r| r.source == "anki"));
        // An older import does not overwrite what was studied since.
        let older = [card("t/a/question", Some(800), &[])];
        assert_eq!(
            s.import_history("t", &older, Source::Anki, 4_000)
                .unwrap()
                .cards_rescheduled,
            0
        );
        // A phase memseed does not know is refused before anything is written.
        let mut bad = card("t/c/trap", Some(1), &[]);
        bad.phase = "buried".into();
        assert!(s.import_history("t", &[bad], Source::Anki, 5_000).is_err());
        assert!(s.card("t/c/trap").unwrap().is_none());
    }
}
