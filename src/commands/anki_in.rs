//! The Anki side of `memseed import`: an `.apkg`/`.colpkg` package or an Anki text export
//! becomes the same import result the Markdown importer makes, with the deck's review
//! histories and media beside it (see docs/anki.md).

use std::path::Path;

use anyhow::{Result, bail};

use memseed_anki::{AnkiCollection, Limits, Media};
use memseed_store::CardHistory;

/// What an Anki file gives besides the pack.
pub struct AnkiExtra {
    /// The histories of the cards Anki showed, for the study database.
    pub history: Vec<CardHistory>,
    /// The package's media, kept aside beside the pack.
    pub media: Vec<Media>,
}

/// Whether `path` is an Anki file rather than notes (see [`memseed_anki::is_anki_file`]).
pub fn is_anki(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 64];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    memseed_anki::is_anki_file(&path.to_string_lossy(), &head[..n])
}

/// Reads the Anki file at `path` into an import result (warnings name the file and the
/// Anki note), its histories and media.
pub fn read(
    path: &Path,
    id: Option<String>,
    title: Option<String>,
    now: i64,
) -> Result<(memseed_import::Imported, AnkiExtra)> {
    let limits = Limits {
        media: true,
        ..Limits::default()
    };
    let col: AnkiCollection = memseed_anki::read_file(path, &limits)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
    if col.notes.is_empty() {
        bail!(
            "{}: the Anki file holds no notes; nothing was written",
            path.display()
        );
    }
    let opts = memseed_anki::Options { id, title, now };
    let name = path.display().to_string();
    let out = memseed_anki::to_pack(&col, &name, &opts)
        .map_err(|e| anyhow::anyhow!("{e}; nothing was written"))?;
    let warnings = out
        .warnings
        .iter()
        .map(|w| memseed_import::Warning {
            file: w.file.clone(),
            line: 0,
            message: match w.note {
                Some(n) => format!("Anki note {n}: {}", w.message),
                None => w.message.clone(),
            },
        })
        .collect();
    let imported = memseed_import::Imported {
        pack: out.pack,
        toml: out.toml,
        reasons: out.reasons,
        warnings,
        notes: out.notes,
    };
    let extra = AnkiExtra {
        history: out.history,
        media: col.media,
    };
    Ok((imported, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_csv_and_headed_text_are_anki_and_notes_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let p = |n: &str, text: &str| {
            let path = dir.path().join(n);
            std::fs::write(&path, text).unwrap();
            path
        };
        assert!(is_anki(&p("deck.apkg", "PK")));
        assert!(is_anki(&p("deck.CSV", "a,b")));
        assert!(is_anki(&p(
            "export.txt",
            "#separator:tab\n#html:true\nfront\tback\n"
        )));
        assert!(is_anki(&p("bom.txt", "\u{feff}#html:false\na\tb\n")));
        assert!(!is_anki(&p("notes.txt", "# A heading\nsome text\n")));
        assert!(!is_anki(&p("notes.md", "#separator:tab\n")));
        assert!(!is_anki(&dir.path().join("missing.txt")));
    }
}
