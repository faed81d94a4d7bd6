//! What can go wrong reading or writing Anki files, with what a person needs to act on it.

use std::path::PathBuf;

/// Every error of this crate.
#[derive(Debug, thiserror::Error)]
pub enum AnkiError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{name} is {size} bytes; an Anki file may be at most {max} bytes (Limits::max_file)")]
    TooLarge { name: String, size: u64, max: u64 },
    #[error("{name} is empty: no Anki package or text export to read")]
    Empty { name: String },
    #[error("{name} is not an Anki package: {detail}")]
    NotAPackage { name: String, detail: String },
    #[error("{name} looks truncated or damaged: {detail} (download or export it again)")]
    Damaged { name: String, detail: String },
    #[error(
        "{name} holds an entry named \"{entry}\", a path outside the package; nothing was read from it and nothing was written"
    )]
    UnsafePath { name: String, entry: String },
    #[error(
        "{name} unpacks to more than {max} bytes (Limits::max_unpacked); it was not read further. A zip bomb, or a package with more media than memseed takes: export it without media"
    )]
    TooBig { name: String, max: u64 },
    #[error("{name} has {count} entries; a package may have at most {max} (Limits::max_entries)")]
    TooManyEntries {
        name: String,
        count: usize,
        max: usize,
    },
    #[error(
        "{name} was written by a newer Anki (package version {version}, collection schema {schema}); memseed reads collection.anki2, collection.anki21 and collection.anki21b (schema 11 to 18)"
    )]
    UnknownVersion {
        name: String,
        version: String,
        schema: i64,
    },
    #[error("{name}: the collection inside cannot be read: {detail}")]
    Collection { name: String, detail: String },
    #[error("{name}: {detail}")]
    Text { name: String, detail: String },
    #[error("{name} holds no note with text to make a concept from")]
    NoConcepts { name: String },
    #[error(
        "invalid topic id \"{0}\": use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"
    )]
    BadId(String),
    #[error(
        "the pack made from the deck does not load (a bug in the Anki reader; please report it):\n{0}"
    )]
    Invalid(memseed_core::pack::PackErrors),
    #[error("cannot build the Anki collection: {0}")]
    Build(#[from] rusqlite::Error),
    #[error("cannot write the package: {0}")]
    Zip(String),
}

/// The result type of this crate.
pub type Result<T, E = AnkiError> = std::result::Result<T, E>;
