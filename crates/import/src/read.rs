//! Finding and reading notes: files named on the command line, folders walked recursively
//! for `.md`, `.markdown` and `.txt`, each checked before it is used. Everything skipped is
//! named in a warning; nothing here panics on what a disk holds.

use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::Warning;

/// One note to import.
#[derive(Clone, Debug)]
pub struct Note {
    /// The path (or `-`), as shown in messages.
    pub name: String,
    pub text: String,
    /// `Some(true)`: Markdown (`.md`, `.markdown`); `Some(false)`: plain text; `None`: decide
    /// from the text (plain-text dumps are read by paragraphs and lines).
    pub markdown: Option<bool>,
}

/// How much is read.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// A single note larger than this is skipped.
    pub max_file: u64,
    /// Reading stops once the notes read reach this many bytes.
    pub max_total: u64,
    /// Reading stops after this many notes.
    pub max_files: usize,
    /// Folders deeper than this below a named folder are not entered.
    pub max_depth: usize,
}

/// 16 MiB per note, 256 MiB and 100,000 notes in all, folders 64 deep.
pub const LIMITS: Limits = Limits {
    max_file: 16 * 1024 * 1024,
    max_total: 256 * 1024 * 1024,
    max_files: 100_000,
    max_depth: 64,
};

impl Default for Limits {
    fn default() -> Self {
        LIMITS
    }
}

/// The extensions a folder walk picks up.
const NOTE_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Reads every note under `paths` (files, and folders walked recursively, sorted by path).
/// Returns the notes and a warning for each thing skipped.
pub fn collect(paths: &[PathBuf], limits: &Limits) -> (Vec<Note>, Vec<Warning>) {
    let mut w = Walk {
        limits: *limits,
        notes: Vec::new(),
        warnings: Vec::new(),
        total: 0,
        stopped: false,
        visited: HashSet::new(),
        other_files: 0,
    };
    for p in paths {
        if w.stopped {
            break;
        }
        match fs::metadata(p) {
            Ok(m) if m.is_dir() => w.dir(p, 0),
            Ok(_) => w.file(p),
            Err(e) => {
                let what = describe_error(p, &e);
                w.warn(p, what);
            }
        }
    }
    if w.other_files > 0 {
        let n = w.other_files;
        w.warnings.push(Warning::new(
            &paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            0,
            format!(
                "{n} file{} that {} not .md, .markdown or .txt skipped",
                if n == 1 { "" } else { "s" },
                if n == 1 { "is" } else { "are" }
            ),
        ));
    }
    (w.notes, w.warnings)
}

struct Walk {
    limits: Limits,
    notes: Vec<Note>,
    warnings: Vec<Warning>,
    total: u64,
    stopped: bool,
    /// Folders entered, by device and inode: a symlink back up the tree is seen once.
    visited: HashSet<(u64, u64)>,
    other_files: usize,
}

impl Walk {
    fn warn(&mut self, p: &Path, message: impl Into<String>) {
        self.warnings
            .push(Warning::new(&p.display().to_string(), 0, message));
    }

    fn dir(&mut self, dir: &Path, depth: usize) {
        use std::os::unix::fs::MetadataExt;
        if depth > self.limits.max_depth {
            self.warn(
                dir,
                format!(
                    "folder more than {} levels deep; not entered",
                    self.limits.max_depth
                ),
            );
            return;
        }
        match fs::metadata(dir) {
            Ok(m) => {
                if !self.visited.insert((m.dev(), m.ino())) {
                    self.warn(
                        dir,
                        "a symlink loop (this folder was already read); skipped",
                    );
                    return;
                }
            }
            Err(e) => {
                let what = describe_error(dir, &e);
                self.warn(dir, what);
                return;
            }
        }
        let entries = match fs::read_dir(dir) {
            Ok(r) => r,
            Err(e) => {
                self.warn(dir, format!("cannot read this folder: {e}; skipped"));
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if self.stopped {
                return;
            }
            let hidden = p
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'));
            if hidden {
                // .git, .obsidian, .trash: tool folders, not notes.
                continue;
            }
            match fs::metadata(&p) {
                Ok(m) if m.is_dir() => self.dir(&p, depth + 1),
                Ok(_) if is_note_name(&p) => self.file(&p),
                Ok(_) => self.other_files += 1,
                Err(e) => {
                    let what = describe_error(&p, &e);
                    self.warn(&p, what);
                }
            }
        }
    }

    fn file(&mut self, p: &Path) {
        use std::os::unix::fs::FileTypeExt;
        if self.notes.len() >= self.limits.max_files {
            self.warn(
                p,
                format!(
                    "reading stopped: {} notes is the most one import takes",
                    self.limits.max_files
                ),
            );
            self.stopped = true;
            return;
        }
        let meta = match fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                let what = describe_error(p, &e);
                self.warn(p, what);
                return;
            }
        };
        let t = meta.file_type();
        if !t.is_file() {
            let what = if t.is_fifo() {
                "a FIFO (named pipe)"
            } else if t.is_char_device() || t.is_block_device() {
                "a device"
            } else if t.is_socket() {
                "a socket"
            } else {
                "not a regular file"
            };
            self.warn(p, format!("{what}, not a note; skipped"));
            return;
        }
        if meta.len() > self.limits.max_file {
            self.warn(
                p,
                format!(
                    "{} bytes; a note may be at most {} MiB; skipped (split it into smaller notes)",
                    meta.len(),
                    self.limits.max_file / (1024 * 1024)
                ),
            );
            return;
        }
        if self.total + meta.len() > self.limits.max_total {
            self.warn(
                p,
                format!(
                    "reading stopped: the notes so far hold {} bytes and one import reads at most {} MiB",
                    self.total,
                    self.limits.max_total / (1024 * 1024)
                ),
            );
            self.stopped = true;
            return;
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        let read = fs::File::open(p)
            .and_then(|f| f.take(self.limits.max_file + 1).read_to_end(&mut bytes));
        if let Err(e) = read {
            self.warn(p, format!("cannot read: {e}; skipped"));
            return;
        }
        if bytes.len() as u64 > self.limits.max_file {
            self.warn(p, "grew past the size limit while being read; skipped");
            return;
        }
        self.total += bytes.len() as u64;
        let name = p.display().to_string();
        match decode(&name, bytes) {
            Ok(text) => {
                let markdown = if is_markdown_name(p) {
                    Some(true)
                } else {
                    None
                };
                self.notes.push(Note {
                    name,
                    text,
                    markdown,
                });
            }
            Err(w) => self.warnings.push(w),
        }
    }
}

/// Checks the bytes of one note: text in UTF-8, not binary, not empty.
pub fn decode(name: &str, bytes: Vec<u8>) -> Result<String, Warning> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Warning::new(name, 0, "empty; skipped"));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Warning::new(
            name,
            0,
            "a binary file (it holds NUL bytes), not a note; skipped",
        ));
    }
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let good = std::str::from_utf8(good).unwrap_or("");
        let line = good.matches('\n').count() + 1;
        let column = good.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Warning::new(
            name,
            line,
            format!("not valid UTF-8 text at column {column}; skipped (re-save the note as UTF-8)"),
        )
    })
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
}

fn is_note_name(p: &Path) -> bool {
    extension(p).is_some_and(|x| NOTE_EXTENSIONS.contains(&x.as_str()))
}

fn is_markdown_name(p: &Path) -> bool {
    extension(p).is_some_and(|x| x == "md" || x == "markdown")
}

fn describe_error(p: &Path, e: &std::io::Error) -> String {
    if e.raw_os_error() == Some(40) {
        "a symlink loop; skipped".into()
    } else if e.kind() == std::io::ErrorKind::NotFound && fs::symlink_metadata(p).is_ok() {
        "a broken symlink; skipped".into()
    } else if e.kind() == std::io::ErrorKind::NotFound {
        "no such file or folder".into()
    } else {
        format!("cannot read: {e}; skipped")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_named_by_line_and_column() {
        let w = decode("n.md", b"ok\nline two \xff here\n".to_vec()).unwrap_err();
        assert_eq!(w.line, 2);
        assert!(w.message.contains("column 10"), "{w}");
        assert_eq!(w.to_string(), format!("n.md:2: {}", w.message));
    }

    #[test]
    fn binary_and_empty_files_are_skipped_with_a_reason() {
        let w = decode("x.png", b"\x89PNG\r\n\x1a\n\0\0\0".to_vec()).unwrap_err();
        assert!(w.message.contains("binary"), "{w}");
        let w = decode("e.md", b"  \n\t\n".to_vec()).unwrap_err();
        assert!(w.message.contains("empty"), "{w}");
        assert_eq!(
            decode("b.md", b"\xEF\xBB\xBF# Hi".to_vec()).unwrap(),
            "# Hi"
        );
    }
}
