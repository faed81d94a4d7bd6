//! memseed's study service: the cards every pack offers (`memseed-study`), kept with their
//! history in the database (`memseed-store`), scheduled with FSRS. The terminal session,
//! the quizzes, the reconstruct drill and the web study page all go through here, so they
//! feed one scheduler and one history. The clock is the caller's: every call takes `now`.

mod drills;
mod fitting;
mod personal;
mod planning;

pub use drills::Answered;
pub use fitting::Optimized;
pub use memseed_study::fit::{Fit, FitError, Workload};
pub use memseed_study::plan::Plan;
pub use planning::parse_date;

use std::collections::HashMap;
use std::path::Path;

use memseed_catalog::Catalog;
use memseed_core::Pack;
use memseed_store::{CardRow, NewCard, Scheduled, Source, Store, StoreError, Synced, Undone};
use memseed_study::{
    CardState, Phase, Progress, QueueItem, Rating, ReviewRow, Scheduler, Settings, StudyCard,
};

pub use memseed_store::{JournalEntry, QuizAnswer};
pub use memseed_study::{CardKind, describe_interval};

/// New cards a day, unless the person says otherwise.
pub const DEFAULT_NEW_PER_DAY: u32 = 20;
/// A missed quiz item's card comes back this soon.
pub const MISSED_DUE_IN: i64 = 10 * 60;
/// A card that lapses this many times is a leech: it is suspended, to be relearnt from its
/// concept page rather than failed again (Anki's default threshold).
pub const LEECH_LAPSES: u32 = 8;

/// What can go wrong.
#[derive(Debug, thiserror::Error)]
pub enum RecallError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("there is no topic \"{0}\"")]
    UnknownTopic(String),
    #[error("there is no card \"{0}\" in the current packs")]
    UnknownCard(String),
    #[error("{0}")]
    Settings(String),
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("invalid date \"{0}\": use YYYY-MM-DD, today or later")]
    BadDate(String),
}

/// Every card the packs offer, by key.
#[derive(Clone, Debug, Default)]
pub struct Deck {
    cards: Vec<StudyCard>,
    by_key: HashMap<String, usize>,
}

impl Deck {
    /// The cards of every pack in the catalog.
    pub fn from_catalog(cat: &Catalog) -> Deck {
        Deck::from_packs(cat.entries().iter().map(|e| &e.pack))
    }

    pub fn from_packs<'a>(packs: impl Iterator<Item = &'a Pack>) -> Deck {
        let cards: Vec<StudyCard> = packs.flat_map(memseed_study::cards_for).collect();
        let by_key = cards
            .iter()
            .enumerate()
            .map(|(i, c)| (c.key(), i))
            .collect();
        Deck { cards, by_key }
    }

    pub fn get(&self, key: &str) -> Option<&StudyCard> {
        self.by_key.get(key).map(|&i| &self.cards[i])
    }

    pub fn cards(&self) -> &[StudyCard] {
        &self.cards
    }

    /// The topics with cards, in deck order.
    pub fn topics(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for c in &self.cards {
            if !out.contains(&c.topic.as_str()) {
                out.push(&c.topic);
            }
        }
        out
    }
}

/// A card to show now, with what each rating would do.
#[derive(Clone, Debug)]
pub struct Due {
    pub card: StudyCard,
    pub is_new: bool,
    pub state: CardState,
    /// The interval each rating (again, hard, good, easy) would give, in words.
    pub intervals: [String; 4],
}

/// Seen cards not due yet: see [`Recall::upcoming`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Upcoming {
    /// Cards that fall due later today (local day).
    pub later_today: u32,
    /// When the next one falls due, unix seconds.
    pub next_due: Option<i64>,
}

/// The result of one rating.
#[derive(Clone, Debug)]
pub struct Rated {
    pub key: String,
    pub rating: Rating,
    pub before: CardState,
    pub after: CardState,
    /// `10 min`, `3 d`.
    pub next_in: String,
    /// This rating made the card a leech: it is suspended now.
    pub leech: bool,
}

/// The study service over one database.
pub struct Recall {
    store: Store,
    /// FSRS with the parameters in use for every topic (fitted to all of the person's
    /// reviews, else the defaults).
    scheduler: Scheduler,
    /// Topics with parameters fitted to their own reviews.
    topic_schedulers: HashMap<String, Scheduler>,
    deck: Deck,
    pub new_per_day: u32,
    /// Local time's offset from UTC, for day boundaries.
    pub utc_offset: i32,
}

/// A stored row as the scheduler's state.
pub fn state_of(row: &CardRow) -> CardState {
    CardState {
        phase: Phase::parse(&row.phase).unwrap_or(Phase::New),
        step: row.step,
        stability: row.stability.map(|v| v as f32),
        difficulty: row.difficulty.map(|v| v as f32),
        due: row.due,
        last_review: row.last_review,
        reps: row.reps,
        lapses: row.lapses,
    }
}

fn scheduled(s: &CardState) -> Scheduled {
    Scheduled {
        phase: s.phase.as_str().to_string(),
        step: s.step,
        stability: s.stability.map(f64::from),
        difficulty: s.difficulty.map(f64::from),
        due: s.due,
        last_review: s.last_review,
        reps: s.reps,
        lapses: s.lapses,
        suspend: None,
    }
}

/// The store's rows for `cards`.
fn new_cards<'a>(cards: impl Iterator<Item = &'a StudyCard>) -> Vec<NewCard> {
    cards
        .map(|c| NewCard {
            key: c.key(),
            item: c.item.clone(),
            kind: c.kind.as_str().to_string(),
        })
        .collect()
}

impl Recall {
    /// Opens the database and brings its cards in line with the packs (new cards added,
    /// cards whose item left a pack retired).
    pub fn open(
        db: &Path,
        deck: Deck,
        settings: Settings,
        now: i64,
    ) -> Result<Recall, RecallError> {
        Recall::with_store(Store::open(db)?, deck, settings, now)
    }

    /// Opens a database the user may not write, for reports: the deck is not synced, so
    /// cards of packs added since the last write are not in it.
    pub fn open_read_only(
        db: &Path,
        deck: Deck,
        settings: Settings,
    ) -> Result<Recall, RecallError> {
        Recall::assemble(Store::open_read_only(db)?, deck, settings)
    }

    pub fn with_store(
        store: Store,
        deck: Deck,
        settings: Settings,
        now: i64,
    ) -> Result<Recall, RecallError> {
        let mut r = Recall::assemble(store, deck, settings)?;
        r.sync(now)?;
        Ok(r)
    }

    fn assemble(store: Store, deck: Deck, settings: Settings) -> Result<Recall, RecallError> {
        let scheduler =
            Scheduler::new(settings).map_err(|e| RecallError::Settings(e.to_string()))?;
        let mut r = Recall {
            store,
            scheduler,
            topic_schedulers: HashMap::new(),
            deck,
            new_per_day: DEFAULT_NEW_PER_DAY,
            utc_offset: 0,
        };
        r.load_parameters()?;
        Ok(r)
    }

    /// The scheduler for the cards of `topic`.
    pub fn scheduler(&self, topic: &str) -> &Scheduler {
        self.topic_schedulers.get(topic).unwrap_or(&self.scheduler)
    }

    fn sync(&mut self, now: i64) -> Result<Synced, RecallError> {
        let mut total = Synced::default();
        for topic in self.deck.topics() {
            let cards = new_cards(self.deck.cards.iter().filter(|c| c.topic == topic));
            let s = self.store.sync_cards(topic, &cards, now)?;
            total.added += s.added;
            total.retired += s.retired;
            total.revived += s.revived;
        }
        Ok(total)
    }

    pub fn deck(&self) -> &Deck {
        &self.deck
    }

    /// Adds a pack that arrived while running (a topic saved from the Import page): its
    /// cards join the deck and the database at once. A topic already in the deck is left
    /// as it is. Returns how many cards were added to the database.
    pub fn add_pack(&mut self, pack: &Pack, now: i64) -> Result<usize, RecallError> {
        let topic = pack.topic.id.as_str();
        if self.deck.topics().contains(&topic) {
            return Ok(0);
        }
        let added = Deck::from_packs(std::iter::once(pack));
        let cards = new_cards(added.cards.iter());
        let synced = self.store.sync_cards(topic, &cards, now)?;
        for card in added.cards {
            self.deck.by_key.insert(card.key(), self.deck.cards.len());
            self.deck.cards.push(card);
        }
        Ok(synced.added + synced.revived)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn store_mut(&mut self) -> &mut Store {
        &mut self.store
    }

    fn check_topic(&self, topic: Option<&str>) -> Result<(), RecallError> {
        match topic {
            Some(t) if !self.deck.topics().contains(&t) => {
                Err(RecallError::UnknownTopic(t.to_string()))
            }
            _ => Ok(()),
        }
    }

    /// What to study now: due cards first, then new ones up to today's allowance.
    ///
    /// New cards are buried by item, as Anki buries siblings: one item (a concept, a
    /// question, a trap) introduces at most one new card a day, so the anchor → concept
    /// card of a concept never follows its concept → anchor card in the same day, when the
    /// answer is still in view.
    pub fn queue(&self, topic: Option<&str>, now: i64) -> Result<Vec<QueueItem>, RecallError> {
        self.queue_where(topic, |_| true, false, now)
    }

    /// The queue of a chosen set of items (`{topic}/{item}`, as in a card's key): what a
    /// compressed card keeps, or what a search found. Due cards of the set first, then its
    /// new cards, buried by item as in [`Recall::queue`] but not held to the day's
    /// allowance: the person picked these.
    pub fn queue_items(
        &self,
        topic: Option<&str>,
        items: &[String],
        now: i64,
    ) -> Result<Vec<QueueItem>, RecallError> {
        let items: std::collections::HashSet<&str> = items.iter().map(String::as_str).collect();
        self.queue_where(
            topic,
            |c| items.contains(format!("{}/{}", c.topic, c.item).as_str()),
            true,
            now,
        )
    }

    fn queue_where(
        &self,
        topic: Option<&str>,
        keep: impl Fn(&StudyCard) -> bool,
        any_new: bool,
        now: i64,
    ) -> Result<Vec<QueueItem>, RecallError> {
        self.check_topic(topic)?;
        let today = memseed_study::local_day_start(now, self.utc_offset);
        let rows = self.store.cards(topic)?;
        let by_key: HashMap<&str, &CardRow> = rows.iter().map(|r| (r.key.as_str(), r)).collect();
        let mut busy: std::collections::HashSet<(String, String)> = self
            .store
            .reviews_since(today)?
            .into_iter()
            .filter_map(|r| {
                by_key
                    .get(r.key.as_str())
                    .map(|c| (c.topic.clone(), c.item.clone()))
            })
            .collect();
        let cards: Vec<(String, Option<CardState>)> = self
            .deck
            .cards
            .iter()
            .filter(|c| topic.is_none_or(|t| c.topic == t) && keep(c))
            .filter_map(|c| {
                let key = c.key();
                let row = by_key.get(key.as_str())?;
                if row.suspended.is_some() {
                    return None;
                }
                let state = (row.phase != "new").then(|| state_of(row));
                if state.is_none() && !busy.insert((c.topic.clone(), c.item.clone())) {
                    return None; // a sibling already came up today
                }
                Some((key, state))
            })
            .collect();
        let (seen, limit) = if any_new {
            (0, u32::MAX)
        } else {
            (self.store.new_seen_since(topic, today)?, self.new_per_day)
        };
        let queue = memseed_study::build_queue(&cards, seen, limit, now);
        if any_new {
            // A chosen set: the interview plan's catch-up cards belong to the whole topic.
            Ok(queue)
        } else {
            self.with_plan(topic, queue, now)
        }
    }

    /// Seen cards that are not due yet (of `topic`, and of `items` when given): how many
    /// fall due later today, and when the next one does. `/stats` counts "due today" the
    /// same way, so the study page and the progress page agree.
    pub fn upcoming(
        &self,
        topic: Option<&str>,
        items: Option<&[String]>,
        now: i64,
    ) -> Result<Upcoming, RecallError> {
        self.check_topic(topic)?;
        let tomorrow = memseed_study::local_day_start(now, self.utc_offset) + 86_400;
        let set: Option<std::collections::HashSet<&str>> =
            items.map(|i| i.iter().map(String::as_str).collect());
        let mut out = Upcoming::default();
        for row in self.store.cards(topic)? {
            let in_set = set
                .as_ref()
                .is_none_or(|s| s.contains(format!("{}/{}", row.topic, row.item).as_str()));
            if row.phase == "new"
                || row.suspended.is_some()
                || row.due <= now
                || !in_set
                || self.deck.get(&row.key).is_none()
            {
                continue;
            }
            if row.due < tomorrow {
                out.later_today += 1;
            }
            out.next_due = Some(out.next_due.map_or(row.due, |d| d.min(row.due)));
        }
        Ok(out)
    }

    /// The card with `key` as it stands, with what each rating would do.
    pub fn due(&self, key: &str, now: i64) -> Result<Due, RecallError> {
        let card = self
            .deck
            .get(key)
            .ok_or_else(|| RecallError::UnknownCard(key.to_string()))?
            .clone();
        let row = self
            .store
            .card(key)?
            .ok_or_else(|| RecallError::UnknownCard(key.to_string()))?;
        let state = state_of(&row);
        let preview = self.scheduler(&card.topic).preview(key, &state, now);
        let intervals = preview.map(|s| describe_interval(s.due - now));
        Ok(Due {
            card,
            is_new: row.phase == "new",
            state,
            intervals,
        })
    }

    /// How many ratings were given today.
    pub fn reviews_today(&self, now: i64) -> Result<usize, RecallError> {
        let today = memseed_study::local_day_start(now, self.utc_offset);
        Ok(self.store.reviews_since(today)?.len())
    }

    /// Records a rating; the review is committed before this returns.
    pub fn rate(
        &mut self,
        key: &str,
        rating: Rating,
        source: Source,
        now: i64,
    ) -> Result<Rated, RecallError> {
        let Some(card) = self.deck.get(key) else {
            return Err(RecallError::UnknownCard(key.to_string()));
        };
        let scheduler = self
            .topic_schedulers
            .get(&card.topic)
            .unwrap_or(&self.scheduler);
        let mut before = None;
        let mut after = None;
        let row = self.store.review(key, rating as u8, source, now, |row| {
            let b = state_of(row);
            let a = scheduler.review(key, &b, rating, now);
            let mut s = scheduled(&a);
            if a.lapses >= LEECH_LAPSES {
                s.suspend = Some("leech".to_string());
            }
            before = Some(b);
            after = Some(a);
            s
        })?;
        // A cram review leaves the schedule as it was.
        let before = before.unwrap_or_else(|| state_of(&row));
        let after = after.unwrap_or_else(|| state_of(&row));
        Ok(Rated {
            key: key.to_string(),
            rating,
            next_in: describe_interval(after.due - now),
            leech: row.suspended_reason.as_deref() == Some("leech") && row.suspended == Some(now),
            before,
            after,
        })
    }

    /// Takes back the last rating: the card's schedule returns to exactly what it was and
    /// the log row is removed, in one transaction. `None` when there is nothing to undo.
    pub fn undo(&mut self) -> Result<Option<Undone>, RecallError> {
        Ok(self.store.undo_last()?)
    }

    /// Suspends a card by hand; false when it already was.
    pub fn suspend(&mut self, key: &str, now: i64) -> Result<bool, RecallError> {
        self.known_card(key)?;
        Ok(self.store.suspend(key, "manual", now)?)
    }

    /// Unsuspends a card (a leech too); false when it was not suspended.
    pub fn unsuspend(&mut self, key: &str) -> Result<bool, RecallError> {
        self.known_card(key)?;
        Ok(self.store.unsuspend(key)?)
    }

    /// Suspended cards of the current packs with their rows, most recent first; leeches
    /// have `suspended_reason` `leech`.
    pub fn suspended(&self) -> Result<Vec<(StudyCard, CardRow)>, RecallError> {
        Ok(self
            .store
            .suspended()?
            .into_iter()
            .filter_map(|row| Some((self.deck.get(&row.key)?.clone(), row)))
            .collect())
    }

    fn known_card(&self, key: &str) -> Result<&StudyCard, RecallError> {
        self.deck
            .get(key)
            .ok_or_else(|| RecallError::UnknownCard(key.to_string()))
    }

    /// Brings a card forward so it is due soon (a missed quiz item).
    pub fn due_soon(&mut self, key: &str, now: i64) -> Result<bool, RecallError> {
        Ok(self.store.make_due(key, now + MISSED_DUE_IN)?)
    }

    /// Progress: due today, reviews, retention, streak, mastery per topic, the charts.
    pub fn progress(&self, now: i64) -> Result<Progress, RecallError> {
        let rows: Vec<ReviewRow> = self
            .store
            .reviews()?
            .into_iter()
            .filter_map(|r| {
                Some(ReviewRow {
                    at: r.at,
                    key: r.key,
                    topic: r.topic,
                    rating: Rating::try_from(r.rating).ok()?,
                    phase_before: Phase::parse(&r.phase_before)?,
                })
            })
            .collect();
        let cards = self.store.cards(None)?;
        let states: Vec<(String, String, CardState)> = cards
            .iter()
            .map(|c| (c.key.clone(), c.topic.clone(), state_of(c)))
            .collect();
        let mut p = memseed_study::progress(&rows, &states, &[], now, self.utc_offset);
        // Mastery is about concepts: the share of a topic's concepts whose two anchor
        // cards are past their first review and never lapsed. So it is computed over the
        // anchor cards only (two per concept).
        let is_anchor = |key: &str| {
            memseed_study::cards::parse_key(key).is_some_and(|(_, _, k)| {
                matches!(k, CardKind::ConceptAnchor | CardKind::AnchorConcept)
            })
        };
        let anchor_states: Vec<(String, String, CardState)> = states
            .into_iter()
            .filter(|(k, _, _)| is_anchor(k))
            .collect();
        let mut per_topic: Vec<(String, u32)> = Vec::new();
        for (_, topic, _) in &anchor_states {
            match per_topic.iter_mut().find(|(t, _)| t == topic) {
                Some((_, n)) => *n += 1,
                None => per_topic.push((topic.clone(), 1)),
            }
        }
        p.per_topic =
            memseed_study::progress(&[], &anchor_states, &per_topic, now, self.utc_offset)
                .per_topic;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-11-21 10:00 UTC.
    const T0: i64 = 1_795_255_200;

    fn recall() -> Recall {
        let cat = Catalog::bundled();
        Recall::with_store(
            Store::open_in_memory().unwrap(),
            Deck::from_catalog(&cat),
            Settings::default(),
            T0,
        )
        .unwrap()
    }

    fn item(key: &str) -> String {
        key.rsplit_once('/').unwrap().0.to_string()
    }

    #[test]
    fn new_cards_of_one_item_are_not_shown_the_same_day() {
        let mut r = recall();
        let q = r.queue(Some("python"), T0).unwrap();
        assert_eq!(q.len(), 20);
        let items: std::collections::HashSet<String> = q.iter().map(|i| item(&i.key)).collect();
        assert_eq!(items.len(), 20, "one new card per item");
        // Rate the GIL's first card: its sibling waits for tomorrow.
        let first = q[0].key.clone();
        assert_eq!(first, "python/gil/concept-anchor");
        r.rate(&first, Rating::Good, Source::Study, T0).unwrap();
        let later = r.queue(Some("python"), T0 + 60).unwrap();
        assert!(!later.iter().any(|i| i.key == "python/gil/anchor-concept"));
        let tomorrow = r.queue(Some("python"), T0 + 86_400).unwrap();
        assert!(
            tomorrow
                .iter()
                .any(|i| i.key == "python/gil/anchor-concept"),
            "{tomorrow:?}"
        );
    }

    #[test]
    fn a_chosen_set_queues_only_its_cards_past_the_new_allowance() {
        let mut r = recall();
        r.new_per_day = 1;
        let set = vec!["python/gil".to_string(), "python/decorators".to_string()];
        let q = r.queue_items(Some("python"), &set, T0).unwrap();
        let items: Vec<String> = q.iter().map(|i| item(&i.key)).collect();
        assert_eq!(
            items,
            ["python/gil", "python/decorators"],
            "one new card per item"
        );
        assert!(
            r.queue(Some("python"), T0).unwrap().len() == 1,
            "the allowance still holds"
        );
        // Rated Good, the GIL's card comes back in minutes: upcoming, not queued.
        r.rate(&q[0].key, Rating::Good, Source::Study, T0).unwrap();
        let later = r.queue_items(Some("python"), &set, T0 + 1).unwrap();
        assert!(later.iter().all(|i| i.key != q[0].key));
        let up = r.upcoming(Some("python"), Some(&set), T0 + 1).unwrap();
        assert_eq!(up.later_today, 1);
        let due = r.store().card(&q[0].key).unwrap().unwrap().due;
        assert_eq!(up.next_due, Some(due));
        assert_eq!(
            r.upcoming(Some("git"), None, T0 + 1).unwrap(),
            Upcoming::default()
        );
        let other = vec!["python/decorators".to_string()];
        assert_eq!(
            r.upcoming(None, Some(&other), T0 + 1).unwrap().later_today,
            0
        );
        // The progress page counts the same card as due today.
        assert_eq!(r.progress(T0 + 1).unwrap().due_today, 1);
    }

    #[test]
    fn a_rating_is_scheduled_and_stored_together() {
        let mut r = recall();
        let key = r.queue(Some("git"), T0).unwrap()[0].key.clone();
        let rated = r.rate(&key, Rating::Easy, Source::Study, T0).unwrap();
        assert_eq!(rated.before.reps, 0);
        assert_eq!(rated.after.reps, 1);
        assert!(rated.after.due > T0 + 86_400, "Easy graduates at once");
        let row = r.store().card(&rated.key).unwrap().unwrap();
        assert_eq!(row.due, rated.after.due);
        assert!(matches!(
            r.rate("git/none/x", Rating::Good, Source::Study, T0),
            Err(RecallError::UnknownCard(_))
        ));
    }
}
