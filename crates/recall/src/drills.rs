//! The drills' writes, one implementation for the terminal and the web app: a self-graded
//! quiz answer (stored; a miss goes to the error journal and brings its cards forward) and
//! a reconstruct rating (a review of the lost concept's card).

use memseed_store::Source;
use memseed_study::Rating;
use memseed_study::drill::{QuizItem, reconstruct_card};

use crate::{JournalEntry, QuizAnswer, Rated, Recall, RecallError};

/// What a stored quiz answer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Answered {
    pub correct: bool,
    /// Cards a miss brought forward (due in [`crate::MISSED_DUE_IN`]).
    pub brought: usize,
    /// The miss went into the error journal.
    pub journaled: bool,
}

impl Recall {
    /// Stores a self-graded answer to `item` of a `level` quiz on `topic`, as the CLI's
    /// quiz does: the answer row; for a miss, its cards due soon and an error-journal entry
    /// (source `quiz`).
    pub fn answer_quiz(
        &mut self,
        topic: &str,
        level: &str,
        item: &QuizItem,
        correct: bool,
        seconds: Option<f64>,
        now: i64,
    ) -> Result<Answered, RecallError> {
        self.check_topic(Some(topic))?;
        self.store.record_quiz_answer(&QuizAnswer {
            at: now,
            topic: topic.to_string(),
            level: level.to_string(),
            item: item.id.clone(),
            correct,
            seconds,
        })?;
        if correct {
            return Ok(Answered {
                correct,
                brought: 0,
                journaled: false,
            });
        }
        let mut brought = 0;
        for key in item.missed_cards(topic) {
            if self.due_soon(&key, now)? {
                brought += 1;
            }
        }
        self.store.journal(&JournalEntry {
            at: now,
            topic: topic.to_string(),
            item: item.id.clone(),
            source: "quiz".into(),
            prompt: item.question.clone(),
            card_key: item.card.clone(),
        })?;
        Ok(Answered {
            correct,
            brought,
            journaled: true,
        })
    }

    /// Rates the concept-anchor card of a concept re-derived in a reconstruct drill.
    pub fn rate_reconstructed(
        &mut self,
        topic: &str,
        concept: &str,
        rating: Rating,
        now: i64,
    ) -> Result<Rated, RecallError> {
        self.rate(
            &reconstruct_card(topic, concept),
            rating,
            Source::Reconstruct,
            now,
        )
    }
}
