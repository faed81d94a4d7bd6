//! An Anki collection as plain data: the note types, decks, notes, cards and review log a
//! package holds. The exporter builds one and the SQLite writer stores it; the readers give
//! one back from any package or text export. Nothing here knows SQL, zip or clocks.

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// The hour (UTC) at which Anki's day rolls over by default, and at which a review card
/// written by memseed falls due.
pub const ROLLOVER_HOUR: i64 = 4;

/// A card queue of Anki's: where a card waits (`cards.queue`).
pub mod queue {
    /// Suspended by the user.
    pub const SUSPENDED: i8 = -1;
    pub const NEW: i8 = 0;
    /// Learning or relearning, due at a unix time.
    pub const LEARN: i8 = 1;
    /// Review, due on a day counted from the collection's creation.
    pub const REVIEW: i8 = 2;
    /// Learning with a step of a day or more, due on a day.
    pub const DAY_LEARN: i8 = 3;
}

/// What a card is, scheduling-wise (`cards.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CardType {
    New = 0,
    Learning = 1,
    Review = 2,
    Relearning = 3,
}

impl CardType {
    /// From the number Anki stores; anything unknown reads as new.
    pub fn from_i64(n: i64) -> CardType {
        match n {
            1 => CardType::Learning,
            2 => CardType::Review,
            3 => CardType::Relearning,
            _ => CardType::New,
        }
    }
}

/// What a review log row records (`revlog.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewKind {
    Learning = 0,
    Review = 1,
    Relearning = 2,
    /// Reviewed early or in a filtered deck; with factor 0, cramming that left the schedule.
    Filtered = 3,
    /// Rescheduled by hand (no rating).
    Manual = 4,
    Rescheduled = 5,
}

impl ReviewKind {
    /// From the number Anki stores; anything unknown reads as manual (it is then ignored).
    pub fn from_i64(n: i64) -> ReviewKind {
        match n {
            0 => ReviewKind::Learning,
            1 => ReviewKind::Review,
            2 => ReviewKind::Relearning,
            3 => ReviewKind::Filtered,
            5 => ReviewKind::Rescheduled,
            _ => ReviewKind::Manual,
        }
    }
}

/// Where the collection came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `collection.anki2` (schema 11), the oldest and most widely read package.
    Anki2,
    /// `collection.anki21` (schema 11, Anki 2.1 features).
    Anki21,
    /// `collection.anki21b`: zstd-compressed, schema 18, protobuf media map (Anki 2.1.50+).
    Anki21b,
    /// Anki's "Notes in Plain Text" or "Cards in Plain Text" export (CSV or tab-separated).
    Text,
}

impl Format {
    /// The file inside the package, or `text` for a text export.
    pub fn name(self) -> &'static str {
        match self {
            Format::Anki2 => "collection.anki2",
            Format::Anki21 => "collection.anki21",
            Format::Anki21b => "collection.anki21b",
            Format::Text => "text",
        }
    }
}

/// A whole collection, as a package holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Collection {
    pub format: Format,
    /// When the collection was created (unix seconds): review due days count from it.
    pub crt: i64,
    pub notetypes: Vec<Notetype>,
    pub decks: Vec<Deck>,
    pub notes: Vec<Note>,
    pub cards: Vec<Card>,
    pub revlog: Vec<Revlog>,
    pub media: Vec<Media>,
}

/// A note type: its fields and card templates.
#[derive(Clone, Debug, PartialEq)]
pub struct Notetype {
    pub id: i64,
    pub name: String,
    /// A cloze note type makes one card per cloze number, not per template.
    pub cloze: bool,
    /// Field names, in order.
    pub fields: Vec<String>,
    pub templates: Vec<Template>,
    pub css: String,
}

/// A card template of a note type.
#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    pub name: String,
    /// The question side (`qfmt`).
    pub front: String,
    /// The answer side (`afmt`).
    pub back: String,
}

/// A deck; `name` uses `::` between levels (`memseed::python::Core`).
#[derive(Clone, Debug, PartialEq)]
pub struct Deck {
    pub id: i64,
    pub name: String,
    /// HTML shown on the deck's overview.
    pub description: String,
}

/// A note: the fields of one fact, from which its cards are made.
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub id: i64,
    /// Globally unique id: what Anki matches a re-imported note by.
    pub guid: String,
    pub notetype: i64,
    /// Field contents (HTML), in the note type's field order.
    pub fields: Vec<String>,
    pub tags: Vec<String>,
    /// Last modified, unix seconds.
    pub mtime: i64,
}

/// FSRS memory state of a card.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Memory {
    /// Days for recall probability to fall to 90%.
    pub stability: f32,
    /// 1 (easy) to 10 (hard).
    pub difficulty: f32,
}

/// A card with its schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Card {
    pub id: i64,
    pub note: i64,
    pub deck: i64,
    /// Template index (or cloze number − 1).
    pub ord: u32,
    pub ctype: CardType,
    /// See [`queue`].
    pub queue: i8,
    /// New: position; learning: unix seconds; review and day learning: days since `crt`.
    pub due: i64,
    /// Days, for review cards.
    pub interval: i64,
    /// SM-2 ease in permille (2500 = 250%).
    pub factor: u32,
    pub reps: u32,
    pub lapses: u32,
    /// Learning steps left.
    pub left: u32,
    pub memory: Option<Memory>,
    /// Unix seconds of the last review, when the card records it.
    pub last_review: Option<i64>,
}

/// One row of the review log.
#[derive(Clone, Debug, PartialEq)]
pub struct Revlog {
    /// Unix milliseconds of the review; unique.
    pub id: i64,
    pub card: i64,
    /// The button: 1 again, 2 hard, 3 good, 4 easy; 0 for a manual reschedule.
    pub ease: u8,
    /// Interval after: days when positive, seconds when negative.
    pub interval: i64,
    /// Interval before, in the same units.
    pub last_interval: i64,
    /// Ease in permille, or FSRS difficulty mapped to 100–1100; 0 while learning.
    pub factor: u32,
    /// Milliseconds taken to answer.
    pub millis: u32,
    pub kind: ReviewKind,
}

/// A media file of the package.
#[derive(Clone, Debug, PartialEq)]
pub struct Media {
    /// The name notes use (`<img src="NAME">`): one path component, never `..`.
    pub name: String,
    /// The bytes, when they were read (see `Limits::media`).
    pub data: Option<Vec<u8>>,
}

impl Collection {
    /// An empty collection of `format` created at `crt`.
    pub fn new(format: Format, crt: i64) -> Collection {
        Collection {
            format,
            crt,
            notetypes: Vec::new(),
            decks: Vec::new(),
            notes: Vec::new(),
            cards: Vec::new(),
            revlog: Vec::new(),
            media: Vec::new(),
        }
    }

    /// The note type with this id.
    pub fn notetype(&self, id: i64) -> Option<&Notetype> {
        self.notetypes.iter().find(|n| n.id == id)
    }

    /// The deck with this id.
    pub fn deck(&self, id: i64) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id == id)
    }

    /// The unix time a review or day-learning card is due, from its day number: the day's
    /// rollover, `ROLLOVER_HOUR` o'clock UTC. `None` for other cards.
    pub fn due_day_time(&self, card: &Card) -> Option<i64> {
        matches!(card.queue, queue::REVIEW | queue::DAY_LEARN)
            .then(|| day_start(self.crt) + card.due * DAY + ROLLOVER_HOUR * 3600)
    }

    /// The day number (since `crt`) of a unix time, as a review card's `due`.
    pub fn day_of(&self, at: i64) -> i64 {
        (at - ROLLOVER_HOUR * 3600 - day_start(self.crt)).div_euclid(DAY)
    }
}

/// Midnight UTC of the day holding `t`.
pub fn day_start(t: i64) -> i64 {
    t - t.rem_euclid(DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_days_round_trip_through_the_rollover() {
        let col = Collection::new(Format::Anki2, 1_577_836_800);
        // 2026-11-21 10:00 UTC is on day n; 03:00 the next morning is still day n.
        let t = 1_795_255_200;
        let n = col.day_of(t);
        assert_eq!(col.day_of(t + 17 * 3600), n);
        assert_eq!(col.day_of(t + 18 * 3600), n + 1);
        let card = Card {
            id: 1,
            note: 1,
            deck: 1,
            ord: 0,
            ctype: CardType::Review,
            queue: queue::REVIEW,
            due: n,
            interval: 3,
            factor: 2500,
            reps: 1,
            lapses: 0,
            left: 0,
            memory: None,
            last_review: None,
        };
        let due = col.due_day_time(&card).unwrap();
        assert!(due <= t && t - due < DAY, "{due} {t}");
        assert_eq!(col.day_of(due), n);
    }
}
