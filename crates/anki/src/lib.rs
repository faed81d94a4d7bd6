//! Anki in and out. memseed's cards go out as an `.apkg` (with their FSRS schedule and
//! review log, when asked) or as Anki's CSV; Anki packages (`collection.anki2`, `.anki21`,
//! `.anki21b`) and text exports come in as a memseed pack, tiers from the deck's history.
//!
//! Bytes in, bytes out: nothing here prints, and nothing touches the disk but
//! [`read_file`] and [`write_media`], so the web app can call it as the command line does.
//! The flow each way: pack + cards + history → [`export()`] → [`model::Collection`] →
//! [`package`] / [`csv`] → bytes; bytes → [`read_bytes`] → [`model::Collection`] →
//! [`to_pack`] → pack, TOML and card histories.

pub mod csv;
mod error;
pub mod export;
pub mod html;
pub mod ids;
mod import;
pub mod model;
pub mod package;
mod proto;
pub mod schedule;
mod sqlite;

use std::io::Read as _;
use std::path::Path;

use memseed_core::Pack;
use memseed_store::CardHistory;
use memseed_study::StudyCard;

pub use error::{AnkiError, Result};
pub use import::{Imported, Options, Warning, slug, to_pack, valid_id};
pub use model::{Collection as AnkiCollection, Media};
pub use package::Limits;

/// What an export is written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An Anki package, `collection.anki2` inside.
    Apkg,
    /// Anki's text import, tab-separated with header lines.
    Csv,
}

/// A finished export.
#[derive(Clone, Debug)]
pub struct Exported {
    /// The file's contents.
    pub bytes: Vec<u8>,
    pub notes: usize,
    pub cards: usize,
    /// Review log rows (0 without history).
    pub revlog: usize,
    /// The deck names, parents first.
    pub decks: Vec<String>,
}

/// `cards` of `pack` (all, or those [`export::surviving`] a budget) as an Anki file, with
/// their schedule and reviews from `history` when given (a package only: Anki's text
/// import takes no schedule). `now` (unix seconds) stamps the notes.
pub fn export(
    pack: &Pack,
    cards: &[StudyCard],
    history: Option<&[CardHistory]>,
    format: Format,
    now: i64,
) -> Result<Exported> {
    let col = export::collection(pack, cards, history, now);
    let bytes = match format {
        Format::Apkg => package::write(&col, now)?,
        Format::Csv => csv::write(&col).into_bytes(),
    };
    let mut decks: Vec<String> = col.decks.iter().map(|d| d.name.clone()).collect();
    decks.sort();
    Ok(Exported {
        bytes,
        notes: col.notes.len(),
        cards: col.cards.len(),
        revlog: col.revlog.len(),
        decks,
    })
}

/// Whether a file named `name`, starting with `head` (its first bytes; 64 are enough), is
/// an Anki file rather than notes: a package by its extension (`.apkg`, `.colpkg`), a
/// `.csv` or `.tsv`, or a `.txt` that starts with Anki's header lines (`#separator:`,
/// `#html:`, ...), as Anki's text export writes them.
pub fn is_anki_file(name: &str, head: &[u8]) -> bool {
    let lower = name.to_ascii_lowercase();
    match lower.rsplit_once('.').map_or("", |(_, e)| e) {
        "apkg" | "colpkg" | "csv" | "tsv" => true,
        "txt" => {
            let head = String::from_utf8_lossy(&head[..head.len().min(64)]);
            let head = head.trim_start_matches('\u{feff}');
            [
                "#separator:",
                "#html:",
                "#notetype",
                "#deck",
                "#columns:",
                "#guid column:",
            ]
            .iter()
            .any(|h| head.starts_with(h))
        }
        _ => false,
    }
}

/// Reads an Anki file's contents: a package (`.apkg`, `.colpkg`) or a text export (`.csv`,
/// `.txt`, `.tsv`), by its name's extension, else by its first bytes. `name` is used in
/// messages.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<AnkiCollection> {
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let package = match ext.as_deref() {
        Some("apkg" | "colpkg" | "zip") => true,
        Some("csv" | "txt" | "tsv") => false,
        _ => bytes.starts_with(b"PK"),
    };
    if package {
        return package::read(name, bytes, limits);
    }
    if bytes.is_empty() {
        return Err(AnkiError::Empty { name: name.into() });
    }
    if bytes.len() as u64 > limits.max_file {
        return Err(AnkiError::TooLarge {
            name: name.into(),
            size: bytes.len() as u64,
            max: limits.max_file,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| AnkiError::NotAPackage {
        name: name.into(),
        detail: format!(
            "it is neither a zip package nor UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ),
    })?;
    csv::read(name, text)
}

/// Reads the Anki file at `path` (see [`read_bytes`]). Only a regular file is read, and
/// only if it is within [`Limits::max_file`].
pub fn read_file(path: &Path, limits: &Limits) -> Result<AnkiCollection> {
    let read_err = |source| AnkiError::Read {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    let name = path.display().to_string();
    if !meta.is_file() {
        return Err(AnkiError::NotAPackage {
            name,
            detail: "it is not a regular file".into(),
        });
    }
    if meta.len() > limits.max_file {
        return Err(AnkiError::TooLarge {
            name,
            size: meta.len(),
            max: limits.max_file,
        });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(limits.max_file + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    read_bytes(&name, &bytes, limits)
}

/// Writes the media read from a package into `dir` (created if need be), each under its
/// own name and nowhere else; a file already there is left as it is, and a name that is not
/// one plain file name stops it before anything is written. Returns how many files were
/// written.
pub fn write_media(dir: &Path, media: &[Media]) -> Result<usize> {
    let write_err = |path: &Path, source| AnkiError::Write {
        path: path.to_path_buf(),
        source,
    };
    // Every name is checked before anything is written.
    if let Some(bad) = media.iter().find(|m| !package::safe_media_name(&m.name)) {
        return Err(AnkiError::UnsafePath {
            name: dir.display().to_string(),
            entry: memseed_core::pack::text::clip(&bad.name, 80),
        });
    }
    let mut written = 0;
    for m in media {
        let Some(data) = &m.data else {
            continue;
        };
        std::fs::create_dir_all(dir).map_err(|e| write_err(dir, e))?;
        let path = dir.join(&m.name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                std::io::Write::write_all(&mut f, data).map_err(|e| write_err(&path, e))?;
                written += 1;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(write_err(&path, e)),
        }
    }
    Ok(written)
}
