//! The topic pack: the in-memory model of one topic, as loaded and validated from TOML.
//!
//! Everything here is plain data. Text is already normalised (see [`text`]): prose fields
//! hold one paragraph per line, code fields hold their lines verbatim.

mod error;
pub mod ids;
mod load;
pub mod text;
pub mod write;

pub use error::{PackError, PackErrors, Warning};
pub use load::{FORMAT_VERSION, load_str};
pub use write::{Item, to_toml, to_toml_with};

use serde::Serialize;

/// Importance of a concept, trap or question; it sets the weight in the value model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    Critical,
    High,
    Medium,
    Low,
}

impl Tier {
    /// Every tier, most important first.
    pub const ALL: [Tier; 4] = [Tier::Critical, Tier::High, Tier::Medium, Tier::Low];

    /// The name used in packs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Critical => "critical",
            Tier::High => "high",
            Tier::Medium => "medium",
            Tier::Low => "low",
        }
    }

    /// Position in [`Tier::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// Difficulty of an interview or practice question (the pack's `level` key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Expert,
}

impl Difficulty {
    /// Every difficulty, easiest first.
    pub const ALL: [Difficulty; 3] = [
        Difficulty::Beginner,
        Difficulty::Intermediate,
        Difficulty::Expert,
    ];

    /// The name used in packs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Beginner => "beginner",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Expert => "expert",
        }
    }
}

/// Where a category sits on the learning map.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MapSection {
    Foundations,
    CodeExamples,
    QuickReference,
    ActiveRecall,
}

impl MapSection {
    /// Every section, in the order of the learning map.
    pub const ALL: [MapSection; 4] = [
        MapSection::Foundations,
        MapSection::CodeExamples,
        MapSection::QuickReference,
        MapSection::ActiveRecall,
    ];

    /// The name used in packs and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            MapSection::Foundations => "foundations",
            MapSection::CodeExamples => "code-examples",
            MapSection::QuickReference => "quick-reference",
            MapSection::ActiveRecall => "active-recall",
        }
    }
}

/// One loaded, validated topic pack.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    /// Where the pack came from (a path, or `bundled:NAME`), for messages.
    pub source: String,
    pub topic: Topic,
    pub categories: Vec<Category>,
    pub concepts: Vec<Concept>,
    pub traps: Vec<Trap>,
    pub questions: Vec<Question>,
    pub practice: Vec<Practice>,
}

/// The `[topic]` table.
#[derive(Clone, Debug, PartialEq)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub tagline: Option<String>,
    pub language: Option<String>,
    pub what_it_is: String,
    pub why_it_exists: Option<String>,
    pub when_to_use: Vec<String>,
    pub where_it_fails: Vec<String>,
}

/// A `[[categories]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub id: String,
    pub title: String,
    pub map: MapSection,
    pub summary: Option<String>,
}

/// A runnable snippet's expectations, shared by concepts, traps and practice questions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Snippet {
    pub code: Option<String>,
    pub output: Option<String>,
    pub raises: Option<String>,
    pub min_version: Option<String>,
    /// The snippet's language when it differs from the topic's (`sql`, `yaml`, `sh`).
    pub lang: Option<String>,
    /// Shown as an illustration only: tests may parse it but do not run it.
    pub illustrative: bool,
}

/// A `[[concepts]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Concept {
    pub id: String,
    pub title: String,
    /// Index into [`Pack::categories`].
    pub category: usize,
    pub tier: Tier,
    pub anchor: Option<String>,
    /// A short name for the anchor's picture (`one steering wheel`), so that no two anchors
    /// of the bundled packs share one.
    pub image: Option<String>,
    pub basic: Option<String>,
    pub expected: Option<String>,
    pub deep: Option<String>,
    pub snippet: Snippet,
    pub interview: Option<String>,
    pub trap: Option<String>,
    /// Indexes into [`Pack::concepts`] of the concepts this one lets you re-derive.
    pub derives: Vec<usize>,
    pub tags: Vec<String>,
}

/// A `[[traps]]` entry.
#[derive(Clone, Debug, PartialEq)]
pub struct Trap {
    pub id: String,
    pub title: String,
    pub what: String,
    pub fix: String,
    /// Index into [`Pack::concepts`].
    pub concept: Option<usize>,
    /// The trap's own tier, or its concept's, or medium.
    pub tier: Tier,
    pub snippet: Snippet,
}

/// A `[[questions]]` entry: an interview question.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub level: Difficulty,
    pub question: String,
    pub short: String,
    pub detailed: Option<String>,
    /// Indexes into [`Pack::concepts`].
    pub concepts: Vec<usize>,
    /// The question's own tier, or the highest of its concepts, or medium.
    pub tier: Tier,
}

/// A `[[practice]]` entry: code, a question about it, and the answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Practice {
    pub id: String,
    pub question: String,
    pub snippet: Snippet,
    pub answer: String,
    pub level: Option<Difficulty>,
    /// Indexes into [`Pack::concepts`].
    pub concepts: Vec<usize>,
    pub tier: Tier,
}

impl Snippet {
    /// The language of the code: the snippet's own, else the topic's.
    pub fn language<'a>(&'a self, topic: &'a Topic) -> Option<&'a str> {
        self.lang.as_deref().or(topic.language.as_deref())
    }

    /// The code, which a practice question always has.
    pub fn code(&self) -> &str {
        self.code.as_deref().unwrap_or("")
    }
}

impl Pack {
    /// The concept with this id.
    pub fn concept(&self, id: &str) -> Option<&Concept> {
        self.concepts.iter().find(|c| c.id == id)
    }

    /// Count of concepts per tier, in [`Tier::ALL`] order.
    pub fn concepts_by_tier(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for c in &self.concepts {
            counts[c.tier.index()] += 1;
        }
        counts
    }

    /// Count of interview questions per difficulty, in [`Difficulty::ALL`] order.
    pub fn questions_by_level(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for q in &self.questions {
            counts[q.level as usize] += 1;
        }
        counts
    }
}
