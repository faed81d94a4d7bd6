//! "For me" in Compression Mode (issue 18): a topic's compressor weighted by how likely this
//! person is to have forgotten each item now, from their study history, as `memseed
//! compress --for-me` does (`Recall::forgetting`, `Compressor::personal`).
//!
//! Preparing a compressor takes tens of milliseconds, too long for every move of the
//! slider, so the person's compressor is kept per topic while the topic's study history is
//! unchanged (a fingerprint of its cards' states), for at most [`FRESH_FOR`] seconds: the
//! forgetting drifts with the clock, slowly.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex};

use memseed_core::Compressor;

use crate::error::Problem;
use crate::state::{AppState, Topic};

/// The label the personal card carries, in its title and on its share card.
pub const LABEL: &str = "for me";

/// Which card "For me" gives.
pub enum Personal {
    /// The person's own compressor: they have studied this topic.
    Mine(Arc<Compressor>),
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

/// How long a kept personal compressor stays in use, in seconds.
pub const FRESH_FOR: i64 = 60;

/// A kept personal compressor: (history fingerprint, made at, compressor or `None` for no
/// history).
type Kept = (u64, i64, Option<Arc<Compressor>>);

/// Personal compressors kept by topic.
#[derive(Default)]
pub struct Cache(Mutex<HashMap<String, Kept>>);

/// A fingerprint of a topic's study history: every card's schedule.
fn fingerprint(rows: &[memseed_store::CardRow]) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for r in rows {
        (&r.key, r.last_review, r.reps, r.lapses, &r.phase).hash(&mut h);
        (
            r.stability.map(f64::to_bits),
            r.difficulty.map(f64::to_bits),
        )
            .hash(&mut h);
    }
    h.finish()
}

/// The person's compressor for `t` at `now`. Blocking: it reads the study database.
pub fn personal(st: &AppState, t: &Topic, now: i64) -> Result<Personal, Problem> {
    let Some(recall) = &st.recall else {
        return Ok(Personal::StudyOff);
    };
    let slug = t.slug();
    let read = |e| Problem::internal("reading the study history", e);
    let forgetting = {
        let r = recall.lock().unwrap_or_else(|p| p.into_inner());
        let rows = r.store().cards(Some(slug)).map_err(|e| read(e.into()))?;
        let fp = fingerprint(&rows);
        let kept = st
            .personal
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(slug)
            .filter(|(f, at, _)| *f == fp && now - at < FRESH_FOR && now >= *at)
            .map(|(_, _, c)| c.clone());
        if let Some(c) = kept {
            return Ok(c.map_or(Personal::NoHistory, Personal::Mine));
        }
        (fp, r.forgetting(&t.pack, now).map_err(read)?)
    };
    let (fp, forgetting) = forgetting;
    let never = |v: &[f64]| v.iter().all(|&f| f >= 1.0);
    let made = if never(&forgetting.concepts)
        && never(&forgetting.traps)
        && never(&forgetting.questions)
    {
        None
    } else {
        Some(Arc::new(Compressor::personal(&t.pack, &forgetting)))
    };
    st.personal
        .0
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(slug.to_string(), (fp, now, made.clone()));
    Ok(made.map_or(Personal::NoHistory, Personal::Mine))
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
    matches!(
        q.get("for_me").map(String::as_str),
        Some("1" | "on" | "true")
    )
}
