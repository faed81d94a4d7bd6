//! The `fsrs_parameters` table: FSRS parameters fitted to the person's own reviews, with
//! when, on how many reviews, and how well they predicted them. The newest row of a scope
//! (one topic, or all) is the one in use.

use rusqlite::{OptionalExtension, params};

use crate::{Store, StoreError};

/// Fitted parameters as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredParameters {
    pub at: i64,
    /// The topic they were fitted to; `None` for every topic.
    pub topic: Option<String>,
    pub parameters: Vec<f32>,
    /// Reviews they were fitted on.
    pub reviews: i64,
    pub log_loss: f64,
    pub rmse_bins: f64,
}

/// Each value in the shortest text that reads back as exactly the same `f32`: parameters
/// are judged by their log loss, so a rounded copy would judge (and schedule) differently
/// from what was fitted.
fn encode(p: &[f32]) -> String {
    p.iter()
        .map(|x| format!("{x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn decode(s: &str) -> Vec<f32> {
    s.split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect()
}

impl Store {
    /// Stores fitted parameters; they are in use from now on for their scope.
    pub fn save_parameters(&mut self, p: &StoredParameters) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO fsrs_parameters (at, topic, parameters, reviews, log_loss, rmse_bins) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![p.at, p.topic, encode(&p.parameters), p.reviews, p.log_loss, p.rmse_bins],
            )
            .map_err(self.sql("saving FSRS parameters"))?;
        Ok(())
    }

    /// The parameters in use for `topic`: its own newest, else the newest fitted to every
    /// topic; `None` when none were ever fitted (FSRS's defaults are in use).
    pub fn parameters(&self, topic: Option<&str>) -> Result<Option<StoredParameters>, StoreError> {
        self.conn
            .query_row(
                "SELECT at, topic, parameters, reviews, log_loss, rmse_bins FROM fsrs_parameters \
                 WHERE topic IS ?1 OR topic IS NULL ORDER BY (topic IS NULL), id DESC LIMIT 1",
                [topic],
                |r| {
                    Ok(StoredParameters {
                        at: r.get(0)?,
                        topic: r.get(1)?,
                        parameters: decode(&r.get::<_, String>(2)?),
                        reviews: r.get(3)?,
                        log_loss: r.get(4)?,
                        rmse_bins: r.get(5)?,
                    })
                },
            )
            .optional()
            .map_err(self.sql("reading FSRS parameters"))
    }
}
