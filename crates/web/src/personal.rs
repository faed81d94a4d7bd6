//! "For me" in Compression Mode (issue 18): a topic's compressor weighted by how likely this
//! person is to have forgotten each item now, from their study history, as `memseed
//! compress --for-me` does (`Recall::forgetting`, `Compressor::personal`).

use std::sync::Arc;

use memseed_core::Compressor;

use crate::error::Problem;
use crate::state::{AppState, Topic};

/// The label the personal card carries, in its title and on its share card.
pub const LABEL: &str = "for me";

/// Which card "For me" gives.
pub enum Personal {
    /// The person's own compressor: they have studied this topic.
    Mine(Box<Compressor>),
    /// Nothing of the topic studied yet: the card for everyone.
    NoHistory,
    /// The server has no study database.
    StudyOff,
}

impl Personal {
    /// The compressor to use: the person's, else the topic's own.
    pub fn compressor<'a>(&'a self, t: &'a Topic) -> &'a Compressor {
        match self {
            Personal::Mine(c) => c,
            _ => &t.compressor,
        }
    }

    /// Whether the card is the personal one.
    pub fn is_mine(&self) -> bool {
        matches!(self, Personal::Mine(_))
    }

    /// What the page says about the card it shows.
    pub fn note(&self, topic: &str) -> String {
        match self {
            Personal::Mine(_) => format!(
                "For me: weighted by what you are likely to have forgotten of {topic} now; what you know cold gives way to what you are about to lose or never saw."
            ),
            Personal::NoHistory => format!(
                "You have not studied {topic} yet, so there is nothing to weigh: this is the card for everyone."
            ),
            Personal::StudyOff => "Study is off (this server has no study database), so there is no history to weigh: this is the card for everyone.".into(),
        }
    }
}

/// The person's compressor for `t` at `now`. Blocking: it reads the study database.
pub fn personal(st: &AppState, t: &Topic, now: i64) -> Result<Personal, Problem> {
    let Some(recall) = &st.recall else {
        return Ok(Personal::StudyOff);
    };
    let forgetting = {
        let r = recall.lock().unwrap_or_else(|p| p.into_inner());
        r.forgetting(&t.pack, now)
            .map_err(|e| Problem::internal("reading the study history", e))?
    };
    let never = |v: &[f64]| v.iter().all(|&f| f >= 1.0);
    if never(&forgetting.concepts) && never(&forgetting.traps) && never(&forgetting.questions) {
        return Ok(Personal::NoHistory);
    }
    Ok(Personal::Mine(Box::new(Compressor::personal(
        &t.pack,
        &forgetting,
    ))))
}

/// [`personal`] off the async threads, for the topic with `slug`.
pub async fn personal_for(st: &Arc<AppState>, slug: &str, now: i64) -> Result<Personal, Problem> {
    let st = Arc::clone(st);
    let slug = slug.to_string();
    tokio::task::spawn_blocking(move || {
        let t = crate::api::find(&st, &slug)?;
        personal(&st, t, now)
    })
    .await
    .map_err(|e| Problem::internal("weighing the study history", e))?
}

/// Whether a query asks for the personal card (`for_me=1`).
pub fn wanted(q: &std::collections::HashMap<String, String>) -> bool {
    matches!(q.get("for_me").map(String::as_str), Some("1" | "on" | "true"))
}
