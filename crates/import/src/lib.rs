//! Notes into a topic pack: Markdown files, Obsidian vaults and plain-text dumps become a
//! normal, validated pack with concepts, traps, questions and practice, importance
//! estimated and explained, anchors extracted (never invented).
//!
//! The flow is one way: files ([`read`]) → blocks per note ([`blocks`], [`plain`]) → a
//! draft topic ([`outline`]) → importance ([`rank`]) and anchors ([`anchor`]) → a [`Pack`]
//! and its TOML ([`emit`]); [`update`] merges a re-import into a pack a person has edited.
//! Nothing here knows about terminals, HTTP or SQL.

mod anchor;
mod blocks;
mod emit;
mod inline;
mod outline;
mod plain;
mod rank;
pub mod read;
pub mod update;

use std::fmt;

use memseed_core::Pack;

pub use read::{Limits, Note, collect};
pub use update::{Merged, Sidecar, merge};

/// Something the importer skipped or changed, with the place to look.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The note (a path, or `-` for standard input).
    pub file: String,
    /// 1-based line; 0 when the warning is about the whole file.
    pub line: usize,
    pub message: String,
}

impl Warning {
    pub(crate) fn new(file: &str, line: usize, message: impl Into<String>) -> Warning {
        Warning {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

/// Why an import produced no pack.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("no notes to import: {0}")]
    Empty(String),
    #[error("the notes hold no concept (no heading, defined term or paragraph to build one from)")]
    NoConcepts,
    #[error(
        "invalid topic id \"{0}\": use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"
    )]
    BadId(String),
    #[error(
        "the pack made from the notes does not load (a bug in the importer; please report it):\n{0}"
    )]
    Invalid(memseed_core::pack::PackErrors),
}

/// Choices the caller makes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The topic id; by default a slug of the title.
    pub id: Option<String>,
    /// The topic title; by default the notes' own (front matter, first heading, file name).
    pub title: Option<String>,
}

/// Where the import is, for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Notes parsed so far.
    pub done: usize,
    pub total: usize,
}

/// A finished import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The pack, as loaded back from [`Imported::toml`].
    pub pack: Pack,
    /// The pack file's text, with each concept's tier reason as a comment.
    pub toml: String,
    /// Per concept (in pack order), why it has its tier.
    pub reasons: Vec<String>,
    pub warnings: Vec<Warning>,
    /// How many notes were read.
    pub notes: usize,
}

/// Imports notes into one pack. `progress` is called as notes are parsed.
pub fn import(
    notes: &[Note],
    opts: &Options,
    progress: &dyn Fn(Progress),
) -> Result<Imported, ImportError> {
    if notes.is_empty() {
        return Err(ImportError::Empty("nothing was read".into()));
    }
    if let Some(id) = &opts.id
        && !emit::valid_id(id)
    {
        return Err(ImportError::BadId(memseed_core::pack::text::clip(id, 80)));
    }
    let mut warnings = Vec::new();
    let mut draft = outline::Draft::default();
    // Parsing runs on a second thread, a few notes ahead of the outline (which must take
    // the notes in order): the two halves overlap, and memory stays bounded by the queue.
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel(64);
        scope.spawn(move || {
            for note in notes {
                let mut w = Vec::new();
                let parsed = blocks::parse(note, &mut w);
                if tx.send((parsed, w)).is_err() {
                    return;
                }
            }
        });
        for (i, (note, (parsed, w))) in notes.iter().zip(rx).enumerate() {
            warnings.extend(w);
            outline::add_note(&mut draft, note, parsed, &mut warnings);
            progress(Progress {
                done: i + 1,
                total: notes.len(),
            });
        }
    });
    draft.merge_duplicates();
    if draft.concepts.is_empty() {
        return Err(ImportError::NoConcepts);
    }
    let anchors = anchor::all(&draft);
    let has_anchor: Vec<bool> = anchors.iter().map(Option::is_some).collect();
    let ranked = rank::rank(&draft, &has_anchor, &mut warnings);
    emit::emit(draft, anchors, ranked, opts, warnings)
}

/// Imports Markdown or plain text given as a string (standard input, a pasted note).
pub fn import_text(name: &str, text: &str, opts: &Options) -> Result<Imported, ImportError> {
    let note = Note {
        name: name.to_string(),
        text: text.to_string(),
        markdown: None,
    };
    import(std::slice::from_ref(&note), opts, &|_| {})
}
