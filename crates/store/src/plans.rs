//! The `plans` table: an interview date per topic (or for every topic), which the study
//! queue plans towards.

use rusqlite::params;

use crate::{Store, StoreError};

/// A planned date.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// `None`: every topic.
    pub topic: Option<String>,
    /// The date, as the unix time of its start (local midnight).
    pub until: i64,
    pub created: i64,
}

impl Store {
    /// Sets (or moves) the date of `topic`'s plan.
    pub fn set_plan(
        &mut self,
        topic: Option<&str>,
        until: i64,
        now: i64,
    ) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO plans (topic, until, created) VALUES (?1, ?2, ?3) \
                 ON CONFLICT (ifnull(topic, '')) DO UPDATE SET until = excluded.until",
                params![topic, until, now],
            )
            .map_err(self.sql("saving the plan"))?;
        Ok(())
    }

    /// Removes `topic`'s plan; false when there was none.
    pub fn clear_plan(&mut self, topic: Option<&str>) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute("DELETE FROM plans WHERE topic IS ?1", [topic])
            .map_err(self.sql("removing the plan"))?;
        Ok(n > 0)
    }

    /// Every plan, soonest first.
    pub fn plans(&self) -> Result<Vec<Plan>, StoreError> {
        self.query_all(
            "reading plans",
            "SELECT topic, until, created FROM plans ORDER BY until, id",
            [],
            |r| {
                Ok(Plan {
                    topic: r.get(0)?,
                    until: r.get(1)?,
                    created: r.get(2)?,
                })
            },
        )
    }
}
