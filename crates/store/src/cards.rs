//! The `cards` table: the cards made from packs with their schedule, synced with the packs,
//! suspended and unsuspended.

use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

/// A stored card with its schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct CardRow {
    pub id: i64,
    pub key: String,
    pub topic: String,
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
    pub created: i64,
    pub retired: Option<i64>,
    /// When the card was suspended (never queued until unsuspended).
    pub suspended: Option<i64>,
    /// Why: `leech` (it lapsed too often) or `manual`.
    pub suspended_reason: Option<String>,
}

/// A card's schedule after a review, as the scheduler computed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduled {
    pub phase: String,
    pub step: u32,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub due: i64,
    pub last_review: Option<i64>,
    pub reps: u32,
    pub lapses: u32,
    /// Suspend the card with this reason as part of the review (a leech), unless it is
    /// suspended already.
    pub suspend: Option<String>,
}

/// A card a pack offers.
#[derive(Clone, Debug, PartialEq)]
pub struct NewCard {
    pub key: String,
    pub item: String,
    pub kind: String,
}

/// What [`Store::sync_cards`] changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Synced {
    pub added: usize,
    pub retired: usize,
    pub revived: usize,
}

pub(crate) const CARD_COLUMNS: &str = "id, key, topic, item, kind, phase, step, stability, difficulty, due, last_review, reps, lapses, created, retired, suspended, suspended_reason";

pub(crate) fn card_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<CardRow> {
    Ok(CardRow {
        id: r.get(0)?,
        key: r.get(1)?,
        topic: r.get(2)?,
        item: r.get(3)?,
        kind: r.get(4)?,
        phase: r.get(5)?,
        step: r.get(6)?,
        stability: r.get(7)?,
        difficulty: r.get(8)?,
        due: r.get(9)?,
        last_review: r.get(10)?,
        reps: r.get(11)?,
        lapses: r.get(12)?,
        created: r.get(13)?,
        retired: r.get(14)?,
        suspended: r.get(15)?,
        suspended_reason: r.get(16)?,
    })
}

impl Store {
    /// Makes the stored cards of `topic` match `cards`: new ones are added (due now),
    /// missing ones retired (history kept), returning ones revived.
    pub fn sync_cards(
        &mut self,
        topic: &str,
        cards: &[NewCard],
        now: i64,
    ) -> Result<Synced, StoreError> {
        let (tx, e) = self.write("starting to sync cards")?;
        let mut synced = Synced::default();
        {
            let mut existing = tx
                .prepare("SELECT key, retired FROM cards WHERE topic = ?1")
                .map_err(e.at("reading cards"))?;
            let rows: Vec<(String, Option<i64>)> = existing
                .query_map([topic], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(e.at("reading cards"))?
                .collect::<Result<_, _>>()
                .map_err(e.at("reading cards"))?;
            let wanted: std::collections::HashSet<&str> =
                cards.iter().map(|c| c.key.as_str()).collect();
            let have: std::collections::HashMap<&str, Option<i64>> =
                rows.iter().map(|(k, r)| (k.as_str(), *r)).collect();
            let mut insert = tx
                .prepare("INSERT INTO cards (key, topic, item, kind, due, created) VALUES (?1, ?2, ?3, ?4, ?5, ?5)")
                .map_err(e.at("adding cards"))?;
            let mut revive = tx
                .prepare("UPDATE cards SET retired = NULL WHERE key = ?1")
                .map_err(e.at("reviving cards"))?;
            for c in cards {
                match have.get(c.key.as_str()) {
                    None => {
                        insert
                            .execute(params![c.key, topic, c.item, c.kind, now])
                            .map_err(e.at("adding a card"))?;
                        synced.added += 1;
                    }
                    Some(Some(_)) => {
                        revive.execute([&c.key]).map_err(e.at("reviving a card"))?;
                        synced.revived += 1;
                    }
                    Some(None) => {}
                }
            }
            let mut retire = tx
                .prepare("UPDATE cards SET retired = ?2 WHERE key = ?1")
                .map_err(e.at("retiring cards"))?;
            for (k, r) in &rows {
                if r.is_none() && !wanted.contains(k.as_str()) {
                    retire
                        .execute(params![k, now])
                        .map_err(e.at("retiring a card"))?;
                    synced.retired += 1;
                }
            }
        }
        tx.commit().map_err(e.at("committing the card sync"))?;
        Ok(synced)
    }

    /// Active cards, of one topic or all, in creation order.
    pub fn cards(&self, topic: Option<&str>) -> Result<Vec<CardRow>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE retired IS NULL AND (?1 IS NULL OR topic = ?1) ORDER BY id"
        );
        let mut st = self
            .conn
            .prepare_cached(&sql)
            .map_err(self.sql("reading cards"))?;
        st.query_map([topic], card_row)
            .map_err(self.sql("reading cards"))?
            .collect::<Result<_, _>>()
            .map_err(self.sql("reading cards"))
    }

    /// One card by key, retired or not.
    pub fn card(&self, key: &str) -> Result<Option<CardRow>, StoreError> {
        let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE key = ?1");
        self.conn
            .query_row(&sql, [key], card_row)
            .optional()
            .map_err(self.sql("reading a card"))
    }

    /// Makes a card due at `at` (no later than it already is): a missed quiz item comes
    /// back soon.
    pub fn make_due(&mut self, key: &str, at: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE cards SET due = min(due, ?2) WHERE key = ?1 AND retired IS NULL",
                params![key, at],
            )
            .map_err(self.sql("bringing a card forward"))?;
        Ok(n > 0)
    }

    /// Suspends a card (`reason`: `manual` or `leech`); a suspended card is never queued.
    /// Returns false when there is no such card or it is already suspended.
    pub fn suspend(&mut self, key: &str, reason: &str, now: i64) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE cards SET suspended = ?2, suspended_reason = ?3 WHERE key = ?1 AND suspended IS NULL",
                params![key, now, reason],
            )
            .map_err(self.sql("suspending a card"))?;
        Ok(n > 0)
    }

    /// Unsuspends a card; false when it was not suspended.
    pub fn unsuspend(&mut self, key: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE cards SET suspended = NULL, suspended_reason = NULL WHERE key = ?1 AND suspended IS NOT NULL",
                [key],
            )
            .map_err(self.sql("unsuspending a card"))?;
        Ok(n > 0)
    }

    /// Suspended cards that are not retired, most recently suspended first.
    pub fn suspended(&self) -> Result<Vec<CardRow>, StoreError> {
        let sql = format!(
            "SELECT {CARD_COLUMNS} FROM cards WHERE suspended IS NOT NULL AND retired IS NULL ORDER BY suspended DESC, id"
        );
        self.query_all("reading suspended cards", &sql, [], card_row)
    }
}
