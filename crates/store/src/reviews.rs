//! The `reviews` table: every rating given, with the card's schedule before it, so the
//! last rating can be undone exactly. A rating and the schedule it sets are written in one
//! transaction; so are an undo's restore and delete.

use rusqlite::{OptionalExtension, params};

use crate::cards::{CARD_COLUMNS, CardRow, Scheduled, card_row};
use crate::{Store, StoreError};

/// Where a rating came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Study,
    Quiz,
    Reconstruct,
    /// A catch-up review before an interview date: logged, but the schedule is unchanged.
    Cram,
    /// A review imported from another program's history (Anki).
    Anki,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Study => "study",
            Source::Quiz => "quiz",
            Source::Reconstruct => "reconstruct",
            Source::Cram => "cram",
            Source::Anki => "anki",
        }
    }
}

/// One logged review.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewLog {
    pub id: i64,
    pub card_id: i64,
    pub at: i64,
    pub key: String,
    pub topic: String,
    pub rating: u8,
    pub phase_before: String,
    pub source: String,
    /// Whether the review set the card's schedule (false for cram reviews).
    pub rescheduled: bool,
    pub due_after: i64,
}

/// What an undo took back.
#[derive(Clone, Debug, PartialEq)]
pub struct Undone {
    pub key: String,
    pub rating: u8,
    pub at: i64,
    pub source: String,
    /// The card as it is again.
    pub card: CardRow,
}

const REVIEW_COLUMNS: &str = "r.id, r.card_id, r.at, c.key, c.topic, r.rating, r.phase_before, r.source, r.rescheduled, r.due_after";

fn review_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReviewLog> {
    Ok(ReviewLog {
        id: r.get(0)?,
        card_id: r.get(1)?,
        at: r.get(2)?,
        key: r.get(3)?,
        topic: r.get(4)?,
        rating: r.get(5)?,
        phase_before: r.get(6)?,
        source: r.get(7)?,
        rescheduled: r.get(8)?,
        due_after: r.get(9)?,
    })
}

/// The log row of a review of `before`: the card's schedule before it, for undo.
const INSERT_REVIEW: &str = "INSERT INTO reviews (card_id, at, rating, phase_before, source, due_after, \
     step_before, stability_before, difficulty_before, due_before, last_review_before, reps_before, \
     lapses_before, suspended_before, reason_before, rescheduled) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";

impl Store {
    /// Records a rating of `key`: reads the card, asks `schedule` for its next state, and
    /// writes the state and the review log (with the state before, for undo) in one
    /// transaction, committed before returning. Reading and writing under one write lock
    /// means two ratings at once never lose one. A [`Source::Cram`] rating is logged
    /// without changing the schedule.
    pub fn review(
        &mut self,
        key: &str,
        rating: u8,
        source: Source,
        now: i64,
        schedule: impl FnOnce(&CardRow) -> Scheduled,
    ) -> Result<CardRow, StoreError> {
        if !(1..=4).contains(&rating) {
            // The CHECK constraint would refuse it too; say it plainly first.
            return Err(StoreError::Sql {
                path: self.path.clone(),
                context: "recording a review",
                source: rusqlite::Error::ToSqlConversionFailure(
                    format!("rating must be 1 to 4, not {rating}").into(),
                ),
            });
        }
        let (tx, e) = self.write("starting a review")?;
        let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE key = ?1");
        let before = tx
            .query_row(&sql, [key], card_row)
            .optional()
            .map_err(e.at("reading the card"))?
            .ok_or_else(|| StoreError::UnknownCard {
                key: key.to_string(),
            })?;
        let rescheduled = source != Source::Cram;
        let due_after = if rescheduled {
            let next = schedule(&before);
            let (suspended, reason) = match (&next.suspend, before.suspended) {
                (Some(reason), None) => (Some(now), Some(reason.clone())),
                _ => (before.suspended, before.suspended_reason.clone()),
            };
            tx.execute(
                "UPDATE cards SET phase = ?2, step = ?3, stability = ?4, difficulty = ?5, due = ?6, last_review = ?7, reps = ?8, lapses = ?9, suspended = ?10, suspended_reason = ?11 WHERE id = ?1",
                params![
                    before.id,
                    next.phase,
                    next.step,
                    next.stability,
                    next.difficulty,
                    next.due,
                    next.last_review,
                    next.reps,
                    next.lapses,
                    suspended,
                    reason
                ],
            )
            .map_err(e.at("saving the card's schedule"))?;
            next.due
        } else {
            before.due
        };
        tx.execute(
            INSERT_REVIEW,
            params![
                before.id,
                now,
                rating,
                before.phase,
                source.as_str(),
                due_after,
                before.step,
                before.stability,
                before.difficulty,
                before.due,
                before.last_review,
                before.reps,
                before.lapses,
                before.suspended,
                before.suspended_reason,
                rescheduled
            ],
        )
        .map_err(e.at("logging the review"))?;
        let after = tx
            .query_row(&sql, [key], card_row)
            .map_err(e.at("reading the card back"))?;
        tx.commit().map_err(e.at("committing the review"))?;
        Ok(after)
    }

    /// Takes back the last rating given: the card's schedule (and suspension) return to
    /// what they were before it, and its log row is deleted, in one transaction. `None`
    /// when there is nothing to undo (no reviews, or the last one predates undo).
    pub fn undo_last(&mut self) -> Result<Option<Undone>, StoreError> {
        let (tx, e) = self.write("starting an undo")?;
        type Last = (i64, i64, i64, u8, i64, String, bool);
        let last: Option<Last> = tx
            .query_row(
                "SELECT id, card_id, at, rating, step_before IS NOT NULL, source, rescheduled FROM reviews ORDER BY id DESC LIMIT 1",
                [],
                |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                        r.get(5)?,
                        r.get(6)?,
                    ))
                },
            )
            .optional()
            .map_err(e.at("reading the last review"))?;
        let Some((id, card_id, at, rating, has_before, source, rescheduled)) = last else {
            return Ok(None);
        };
        if has_before == 0 {
            return Ok(None);
        }
        if rescheduled {
            tx.execute(
                "UPDATE cards SET (phase, step, stability, difficulty, due, last_review, reps, lapses, suspended, suspended_reason) = \
                 (SELECT phase_before, step_before, stability_before, difficulty_before, due_before, last_review_before, reps_before, lapses_before, suspended_before, reason_before FROM reviews WHERE id = ?1) \
                 WHERE id = ?2",
                params![id, card_id],
            )
            .map_err(e.at("restoring the card"))?;
        }
        tx.execute("DELETE FROM reviews WHERE id = ?1", [id])
            .map_err(e.at("deleting the review"))?;
        let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE id = ?1");
        let card = tx
            .query_row(&sql, [card_id], card_row)
            .map_err(e.at("reading the card back"))?;
        tx.commit().map_err(e.at("committing the undo"))?;
        Ok(Some(Undone {
            key: card.key.clone(),
            rating,
            at,
            source,
            card,
        }))
    }

    /// How many cards (of a topic, or all) had their first review at or after `since`.
    pub fn new_seen_since(&self, topic: Option<&str>, since: i64) -> Result<u32, StoreError> {
        self.conn
            .query_row(
                "SELECT count(*) FROM (SELECT r.card_id, min(r.at) AS first FROM reviews r JOIN cards c ON c.id = r.card_id
                 WHERE ?1 IS NULL OR c.topic = ?1 GROUP BY r.card_id) WHERE first >= ?2",
                params![topic, since],
                |r| r.get(0),
            )
            .map_err(self.sql("counting new cards seen"))
    }

    /// Every review, oldest first.
    pub fn reviews(&self) -> Result<Vec<ReviewLog>, StoreError> {
        self.reviews_since(i64::MIN)
    }

    /// The reviews at or after `since`, oldest first (through the index on `at`).
    pub fn reviews_since(&self, since: i64) -> Result<Vec<ReviewLog>, StoreError> {
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN cards c ON c.id = r.card_id WHERE r.at >= ?1 ORDER BY r.id"
        );
        self.query_all("reading reviews", &sql, [since], review_row)
    }

    /// Every review of the cards of `topic` (or all), ordered by card and then time: the
    /// histories FSRS is fitted to.
    pub fn histories(&self, topic: Option<&str>) -> Result<Vec<ReviewLog>, StoreError> {
        let sql = format!(
            "SELECT {REVIEW_COLUMNS} FROM reviews r JOIN cards c ON c.id = r.card_id \
             WHERE ?1 IS NULL OR c.topic = ?1 ORDER BY r.card_id, r.at, r.id"
        );
        self.query_all("reading review histories", &sql, [topic], review_row)
    }

    /// How many reviews are logged.
    pub fn review_count(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT count(*) FROM reviews", [], |r| r.get(0))
            .map_err(self.sql("counting reviews"))
    }
}
