//! The `quiz_answers` and `error_journal` tables: self-graded quiz results and what was
//! missed, to look back on.

use rusqlite::params;

use crate::{Store, StoreError};

/// One self-graded quiz answer.
#[derive(Clone, Debug, PartialEq)]
pub struct QuizAnswer {
    pub at: i64,
    pub topic: String,
    pub level: String,
    pub item: String,
    pub correct: bool,
    pub seconds: Option<f64>,
}

/// One entry of the error journal.
#[derive(Clone, Debug, PartialEq)]
pub struct JournalEntry {
    pub at: i64,
    pub topic: String,
    pub item: String,
    pub source: String,
    pub prompt: String,
    pub card_key: Option<String>,
}

impl Store {
    /// Stores one quiz answer.
    pub fn record_quiz_answer(&mut self, a: &QuizAnswer) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO quiz_answers (at, topic, level, item, correct, seconds) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![a.at, a.topic, a.level, a.item, a.correct, a.seconds],
            )
            .map_err(self.sql("saving a quiz answer"))?;
        Ok(())
    }

    /// Quiz answers, oldest first.
    pub fn quiz_answers(&self) -> Result<Vec<QuizAnswer>, StoreError> {
        let sql = "SELECT at, topic, level, item, correct, seconds FROM quiz_answers ORDER BY id";
        self.query_all("reading quiz answers", sql, [], |r| {
            Ok(QuizAnswer {
                at: r.get(0)?,
                topic: r.get(1)?,
                level: r.get(2)?,
                item: r.get(3)?,
                correct: r.get(4)?,
                seconds: r.get(5)?,
            })
        })
    }

    /// Adds an entry to the error journal.
    pub fn journal(&mut self, j: &JournalEntry) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO error_journal (at, topic, item, source, prompt, card_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![j.at, j.topic, j.item, j.source, j.prompt, j.card_key],
            )
            .map_err(self.sql("writing the error journal"))?;
        Ok(())
    }

    /// The error journal, newest first.
    pub fn journal_entries(&self, limit: u32) -> Result<Vec<JournalEntry>, StoreError> {
        self.query_all("reading the error journal", "SELECT at, topic, item, source, prompt, card_key FROM error_journal ORDER BY id DESC LIMIT ?1", [limit], |r| {
            Ok(JournalEntry {
                at: r.get(0)?,
                topic: r.get(1)?,
                item: r.get(2)?,
                source: r.get(3)?,
                prompt: r.get(4)?,
                card_key: r.get(5)?,
            })
        })
    }
}
