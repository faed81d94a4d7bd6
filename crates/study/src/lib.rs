//! Active recall for memseed: the cards a pack makes, their FSRS scheduling, what to study
//! now, and progress. Pure: no clock (every function that needs the time takes `now`, unix
//! seconds), no database, no I/O.

pub mod cards;
pub mod drill;
pub mod fit;
pub mod knowledge;
pub mod plan;
pub mod queue;
pub mod schedule;
pub mod stats;

pub use cards::{CardKind, StudyCard, cards_for};
pub use queue::{QueueItem, build_queue, build_queue_ahead};
pub use schedule::{
    BadRating, CardState, Phase, Rating, ScheduleError, Scheduler, Settings, describe_interval,
};
pub use stats::{Progress, ReviewRow, TopicMastery, local_day_start, progress};
