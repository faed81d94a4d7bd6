//! The topics memseed knows: packs compiled into the binary, packs in the user's data
//! directory, and packs named on the command line. This is the one place that reads pack
//! files; everything it returns has passed the full validation of `memseed_core::pack`.

use std::fs;
use std::path::{Path, PathBuf};

use memseed_core::pack::{PackErrors, Warning};
use memseed_core::select::Model;
use memseed_core::{Pack, load_str};
use serde_json::json;

mod bundled {
    include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
}

/// Where a pack came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Compiled into the binary from the repository's `topics/` folder.
    Bundled,
    /// Found in the user's topics directory.
    User(PathBuf),
    /// Named with `--pack`.
    File(PathBuf),
}

impl Origin {
    /// A short label: `bundled`, `user`, `file`.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::Bundled => "bundled",
            Origin::User(_) => "user",
            Origin::File(_) => "file",
        }
    }
}

/// A loaded pack with its origin and the warnings it raised.
#[derive(Clone, Debug)]
pub struct Entry {
    pub pack: Pack,
    pub origin: Origin,
    pub warnings: Vec<Warning>,
}

/// The largest pack file read: 64 MiB. The bundled packs are under 0.5 MB each; a bigger
/// file is not a topic a person wrote, and reading it whole would only cost memory.
pub const MAX_PACK_BYTES: u64 = 64 * 1024 * 1024;

/// A pack file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is {what}, not a pack file (a pack is a regular .toml file)")]
    NotAFile { path: PathBuf, what: &'static str },
    #[error(
        "{path} is {size} bytes; a pack may be at most {} MiB (see docs/limits.md)",
        MAX_PACK_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf, size: u64 },
    #[error("{path}:{line}:{column}: not valid UTF-8 text (a pack is UTF-8)")]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        column: usize,
    },
    #[error("{0}")]
    Invalid(PackErrors),
}

impl LoadError {
    /// The file concerned.
    pub fn path(&self) -> &Path {
        match self {
            LoadError::Read { path, .. }
            | LoadError::NotAFile { path, .. }
            | LoadError::TooLarge { path, .. }
            | LoadError::NotUtf8 { path, .. } => path,
            LoadError::Invalid(errs) => {
                errs.0.first().map_or(Path::new(""), |e| Path::new(&e.file))
            }
        }
    }
}

/// A user pack that failed to load; kept so asking for it explains why it is missing.
#[derive(Debug)]
pub struct Broken {
    pub path: PathBuf,
    pub error: LoadError,
}

/// Every topic available to this run.
#[derive(Debug, Default)]
pub struct Catalog {
    entries: Vec<Entry>,
    broken: Vec<Broken>,
}

/// Where to look for packs besides the bundled ones.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// The user's topics directory (`<data dir>/topics`); skipped when it does not exist.
    pub user_dir: Option<PathBuf>,
    /// Packs named explicitly; any error in them is fatal.
    pub files: Vec<PathBuf>,
}

impl Catalog {
    /// Loads the bundled packs, then the user's, then the named files; a later pack with the
    /// same topic id replaces an earlier one. Broken user packs are set aside (see
    /// [`Catalog::broken`]); a broken named file is an error.
    pub fn load(sources: &Sources) -> Result<Catalog, Broken> {
        let mut cat = Catalog::bundled();
        if let Some(dir) = &sources.user_dir {
            let (files, skipped) = toml_files(dir);
            for error in skipped {
                let path = error.path().to_path_buf();
                cat.broken.push(Broken { path, error });
            }
            for path in files {
                match load_file(&path) {
                    Ok((pack, warnings)) => cat.insert(Entry {
                        pack,
                        origin: Origin::User(path),
                        warnings,
                    }),
                    Err(error) => cat.broken.push(Broken { path, error }),
                }
            }
        }
        for path in &sources.files {
            let (pack, warnings) = load_file(path).map_err(|error| Broken {
                path: path.clone(),
                error,
            })?;
            cat.insert(Entry {
                pack,
                origin: Origin::File(path.clone()),
                warnings,
            });
        }
        Ok(cat)
    }

    /// Only the packs compiled into the binary.
    ///
    /// # Panics
    /// If a bundled pack is invalid, which the test suite rules out.
    pub fn bundled() -> Catalog {
        let mut cat = Catalog::default();
        for (name, text) in bundled::BUNDLED {
            let (pack, warnings) = load_str(&format!("topics/{name}"), text)
                .unwrap_or_else(|e| panic!("bundled pack topics/{name} is invalid:\n{e}"));
            cat.insert(Entry {
                pack,
                origin: Origin::Bundled,
                warnings,
            });
        }
        cat
    }

    fn insert(&mut self, entry: Entry) {
        match self
            .entries
            .iter_mut()
            .find(|e| e.pack.topic.id == entry.pack.topic.id)
        {
            Some(slot) => *slot = entry,
            None => self.entries.push(entry),
        }
    }

    /// All usable packs, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// User packs that failed to load.
    pub fn broken(&self) -> &[Broken] {
        &self.broken
    }

    /// The pack with this topic id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.pack.topic.id == id)
    }

    /// A broken user pack whose file name matches `id`, to explain a missing topic.
    pub fn broken_named(&self, id: &str) -> Option<&Broken> {
        self.broken
            .iter()
            .find(|b| b.path.file_stem().is_some_and(|s| s == id))
    }

    /// Topic ids, for "did you mean" and listings.
    pub fn ids(&self) -> Vec<&str> {
        self.entries
            .iter()
            .map(|e| e.pack.topic.id.as_str())
            .collect()
    }
}

/// Reads and validates one pack file: a regular file of at most [`MAX_PACK_BYTES`], in
/// UTF-8. A FIFO, a device or a directory is refused before anything is read.
pub fn load_file(path: &Path) -> Result<(Pack, Vec<Warning>), LoadError> {
    let text = read_pack_text(path)?;
    load_str(&path.display().to_string(), &text).map_err(LoadError::Invalid)
}

/// What a path is, when it is not a regular file (after following symlinks).
fn not_a_file(path: &Path) -> Result<Option<&'static str>, LoadError> {
    use std::os::unix::fs::FileTypeExt;
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        // ELOOP: a symlink that points back at itself.
        Err(e) if e.raw_os_error() == Some(40) => return Ok(Some("a symlink loop")),
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound && fs::symlink_metadata(path).is_ok() =>
        {
            return Ok(Some("a broken symlink"));
        }
        Err(source) => {
            return Err(LoadError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    let t = meta.file_type();
    Ok(if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO (named pipe)")
    } else if t.is_char_device() || t.is_block_device() {
        Some("a device")
    } else if t.is_socket() {
        Some("a socket")
    } else {
        Some("not a regular file")
    })
}

/// The text of a pack file, with every refusal of [`load_file`].
pub fn read_pack_text(path: &Path) -> Result<String, LoadError> {
    use std::io::Read;
    if let Some(what) = not_a_file(path)? {
        return Err(LoadError::NotAFile {
            path: path.to_path_buf(),
            what,
        });
    }
    let read_err = |source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    };
    let file = fs::File::open(path).map_err(read_err)?;
    let mut bytes = Vec::new();
    // Read one byte past the cap, so a file that grows while read is still refused.
    file.take(MAX_PACK_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_path_buf(),
            size: fs::metadata(path).map_or(bytes.len() as u64, |m| m.len()),
        });
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or("");
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        LoadError::NotUtf8 {
            path: path.to_path_buf(),
            line,
            column,
        }
    })
}

/// The `.toml` entries directly inside `dir`, sorted: the regular files, and the others
/// (directories, FIFOs, devices, symlink loops) with what they are, to be named in a
/// warning. Neither when `dir` cannot be read.
pub fn toml_files(dir: &Path) -> (Vec<PathBuf>, Vec<LoadError>) {
    let Ok(read) = fs::read_dir(dir) else {
        return (Vec::new(), Vec::new());
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for p in paths {
        match not_a_file(&p) {
            Ok(None) => files.push(p),
            Ok(Some(what)) => skipped.push(LoadError::NotAFile { path: p, what }),
            Err(e) => skipped.push(e),
        }
    }
    (files, skipped)
}

/// A topic's summary as JSON: id, title, origin, counts by kind, tier and level, and the
/// full card's size. `memseed topics --format json` and the web API both print this.
pub fn summary_json(p: &Pack, origin: &Origin) -> serde_json::Value {
    let t = p.concepts_by_tier();
    let q = p.questions_by_level();
    let full = Model::from_pack(p).0.full().0;
    json!({
        "id": p.topic.id,
        "title": p.topic.title,
        "tagline": p.topic.tagline,
        "origin": origin.label(),
        "path": match origin { Origin::Bundled => None, Origin::User(p) | Origin::File(p) => Some(p.display().to_string()) },
        "counts": {
            "concepts": p.concepts.len(),
            "concepts_by_tier": {"critical": t[0], "high": t[1], "medium": t[2], "low": t[3]},
            "traps": p.traps.len(),
            "questions": p.questions.len(),
            "questions_by_level": {"beginner": q[0], "intermediate": q[1], "expert": q[2]},
            "practice": p.practice.len(),
            "categories": p.categories.len(),
        },
        "full_bytes": full,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_pack_loads_without_warnings() {
        let cat = Catalog::bundled();
        assert!(!cat.entries().is_empty(), "topics/ holds at least one pack");
        for e in cat.entries() {
            assert!(
                e.warnings.is_empty(),
                "{}: {:?}",
                e.pack.topic.id,
                e.warnings
            );
        }
    }
}
