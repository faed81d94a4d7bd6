//! What the server holds for its whole life: every topic with its prepared compressor, its
//! value curve, and the search index. Built at start-up; afterwards only added to (a topic
//! saved from the Import page), never changed or removed.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;

use memseed_catalog::{Catalog, Origin};
use memseed_core::{Card, Compressor, Pack};
use memseed_recall::Recall;

use crate::search::Index;

/// Budgets below this are not offered by the slider.
pub const SLIDER_MIN: u64 = 128;

/// One point of a topic's value curve: the share of the pack's value kept at a budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    pub budget: u64,
    pub share: f64,
}

/// A topic ready to serve.
pub struct Topic {
    pub pack: Pack,
    pub origin: Origin,
    pub compressor: Compressor,
    pub curve: Vec<CurvePoint>,
    /// The summary `/api/topics` lists (as `memseed topics --format json`, without the
    /// file path: a server does not tell a browser where its files are).
    pub summary: serde_json::Value,
}

impl Topic {
    /// Prepares a pack to serve: its compressor, value curve and summary.
    pub fn new(pack: Pack, origin: Origin) -> Topic {
        let compressor = Compressor::new(&pack);
        let curve = value_curve(&pack, &compressor, 96);
        let mut summary = memseed_catalog::summary_json(&pack, &origin);
        if let Some(o) = summary.as_object_mut() {
            o.remove("path");
        }
        Topic {
            pack,
            origin,
            compressor,
            curve,
            summary,
        }
    }

    /// The slug used in URLs (the pack's topic id).
    pub fn slug(&self) -> &str {
        &self.pack.topic.id
    }

    /// The largest budget worth offering: the size of the card that keeps everything.
    pub fn full_bytes(&self) -> u64 {
        self.compressor.full_bytes()
    }

    /// The topic's presets: the sizes of its seed, cheatsheet and full cards.
    pub fn presets(&self) -> [u64; 3] {
        self.compressor.presets()
    }

    /// The smallest budget the slider offers.
    pub fn slider_min(&self) -> u64 {
        SLIDER_MIN.max(self.compressor.min_bytes())
    }
}

/// Topics saved from the Import page while the server runs, at most.
pub const MAX_ADDED_TOPICS: usize = 256;

/// The served topics: those of start-up, then any added while serving. Append-only, so a
/// handler reads them without a lock and a `&Topic` stays valid for the server's life.
pub struct Topics {
    slots: Box<[OnceLock<Topic>]>,
    /// Serialises additions (readers never wait).
    adding: Mutex<()>,
}

/// Why a topic could not be added.
#[derive(Debug, PartialEq, Eq)]
pub enum AddError {
    /// A topic with this id is already served.
    Exists,
    /// [`MAX_ADDED_TOPICS`] were added since the server started.
    Full,
    /// The topic is served, but its study cards could not be added to the database.
    Study(String),
}

impl Topics {
    fn new(start: Vec<Topic>) -> Topics {
        let slots: Vec<OnceLock<Topic>> = start
            .into_iter()
            .map(OnceLock::from)
            .chain((0..MAX_ADDED_TOPICS).map(|_| OnceLock::new()))
            .collect();
        Topics {
            slots: slots.into_boxed_slice(),
            adding: Mutex::new(()),
        }
    }

    /// Every topic, in load order.
    pub fn iter(&self) -> impl Iterator<Item = &Topic> {
        self.slots.iter().map_while(OnceLock::get)
    }

    /// The first topic.
    pub fn first(&self) -> Option<&Topic> {
        self.iter().next()
    }

    /// How many topics are served.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether no topic is served.
    pub fn is_empty(&self) -> bool {
        self.first().is_none()
    }

    /// Adds a topic whose id is not served yet.
    pub fn push(&self, topic: Topic) -> Result<&Topic, AddError> {
        let _one_at_a_time = self.adding.lock().unwrap_or_else(|e| e.into_inner());
        if self.iter().any(|t| t.slug() == topic.slug()) {
            return Err(AddError::Exists);
        }
        let slot = self
            .slots
            .iter()
            .find(|s| s.get().is_none())
            .ok_or(AddError::Full)?;
        let _ = slot.set(topic);
        slot.get().ok_or(AddError::Full)
    }
}

/// Everything the handlers share.
pub struct AppState {
    pub topics: Topics,
    pub index: Index,
    /// The study service, when the server has a database. One connection behind a lock:
    /// writes are serialised, each committed before its request is answered.
    pub recall: Option<Arc<Mutex<Recall>>>,
    /// Share-card PNGs drawn lately, by (topic, budget, theme): a card takes ~30 ms of CPU
    /// to draw and the same link is often asked for again. `Bytes` clones share the buffer,
    /// so a hit is answered without copying the image.
    pub png_cache: Mutex<HashMap<PngKey, Bytes>>,
    /// Share cards drawn at once (see [`DRAWERS`]).
    pub drawers: Arc<tokio::sync::Semaphore>,
    /// The Host names the server answers to.
    pub hosts: crate::guard::Hosts,
    /// Where the Import page saves topics (`<data dir>/topics`); `None`: it cannot save.
    pub topics_dir: Option<PathBuf>,
    /// "For me" (issue 18): the person's compressors, kept while their history is unchanged.
    pub(crate) personal: crate::personal::Cache,
}

/// Share cards drawn at the same time: drawing is CPU work, and more at once than the
/// machine has cores only makes every one slower.
pub const DRAWERS: usize = 2;

/// A cached share card: topic, budget, theme.
pub type PngKey = (String, u64, &'static str);

/// How many share-card PNGs the cache keeps (about 100 KB each).
pub const PNG_CACHE_SIZE: usize = 64;

impl AppState {
    /// Prepares every usable pack of the catalog.
    pub fn new(catalog: &Catalog) -> AppState {
        AppState::from_packs(
            catalog
                .entries()
                .iter()
                .map(|e| (e.pack.clone(), e.origin.clone())),
        )
    }

    /// Prepares these packs (for tests and callers without a catalog).
    pub fn from_packs(packs: impl IntoIterator<Item = (Pack, Origin)>) -> AppState {
        let topics: Vec<Topic> = packs
            .into_iter()
            .map(|(pack, origin)| Topic::new(pack, origin))
            .collect();
        let index = Index::new(topics.iter().map(|t| &t.pack));
        AppState {
            topics: Topics::new(topics),
            index,
            recall: None,
            png_cache: Mutex::new(HashMap::new()),
            drawers: Arc::new(tokio::sync::Semaphore::new(DRAWERS)),
            hosts: crate::guard::Hosts::default(),
            topics_dir: None,
            personal: crate::personal::Cache::default(),
        }
    }

    /// With the study pages, over `recall`.
    pub fn with_recall(catalog: &Catalog, recall: Recall) -> AppState {
        AppState {
            recall: Some(Arc::new(Mutex::new(recall))),
            ..AppState::new(catalog)
        }
    }

    /// The topic with this slug.
    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.slug() == slug)
    }

    /// Serves a new topic from now on (pages, search, compression); its study cards come
    /// with the next start.
    /// Its study cards join the database at once (at `now`), when study is on.
    pub fn add_topic(&self, pack: Pack, origin: Origin, now: i64) -> Result<&Topic, AddError> {
        if self.topic(&pack.topic.id).is_some() {
            return Err(AddError::Exists);
        }
        let t = self.topics.push(Topic::new(pack, origin))?;
        self.index.add(&t.pack);
        if let Some(recall) = &self.recall {
            let mut recall = recall.lock().unwrap_or_else(|e| e.into_inner());
            recall
                .add_pack(&t.pack, now)
                .map_err(|e| AddError::Study(e.to_string()))?;
        }
        Ok(t)
    }
}

/// The share of the pack's value kept at `points` budgets spaced evenly on a log scale from
/// the slider's minimum to the full size (both included).
fn value_curve(pack: &Pack, compressor: &Compressor, points: usize) -> Vec<CurvePoint> {
    let lo = SLIDER_MIN.max(compressor.min_bytes()) as f64;
    let hi = (compressor.full_bytes() as f64).max(lo + 1.0);
    let full = compressor.full_value();
    (0..points)
        .map(|i| {
            let t = i as f64 / (points - 1) as f64;
            let budget = (lo * (hi / lo).powf(t)).round() as u64;
            let share = match Card::new(pack, compressor, budget) {
                Ok(card) if full > 0.0 => card.selection.value / full,
                Ok(_) => 1.0,
                Err(_) => 0.0,
            };
            CurvePoint { budget, share }
        })
        .collect()
}
