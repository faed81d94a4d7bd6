//! Quality checks for topic packs that need the outside world: running each snippet with
//! the runtime of its language and comparing what it prints, and loading the bundled packs.
//!
//! The pure pack model knows nothing of processes; this crate is where a pack meets
//! `python3`, `node`, `rustc`, `git` and SQLite.

mod runners;

use std::path::{Path, PathBuf};

use memseed_core::load_str;
use memseed_core::pack::{Pack, Snippet};

pub use runners::{Outcome, run_snippet};

/// The folder of bundled packs: `MEMSEED_TOPICS_DIR`, else the repository's `topics/`.
pub fn topics_dir() -> PathBuf {
    std::env::var_os("MEMSEED_TOPICS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../topics"),
        PathBuf::from,
    )
}

/// Loads one pack file, panicking with the loader's message (file, line, field) if it is
/// invalid or raises a warning.
pub fn load(path: &Path) -> Pack {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let name = path.display().to_string();
    let (pack, warnings) = load_str(&name, &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        warnings.is_empty(),
        "{name} loads with warnings:\n{}",
        warnings
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    pack
}

/// Every `*.toml` pack of [`topics_dir`], sorted by file name.
pub fn bundled() -> Vec<Pack> {
    let dir = topics_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files.iter().map(|p| load(p)).collect()
}

/// Every snippet of a pack with a name for messages (`concept gil`, `practice p-3`).
pub fn snippets(pack: &Pack) -> Vec<(String, &Snippet)> {
    let mut out = Vec::new();
    for c in &pack.concepts {
        out.push((format!("concept {}", c.id), &c.snippet));
    }
    for t in &pack.traps {
        out.push((format!("trap {}", t.id), &t.snippet));
    }
    for p in &pack.practice {
        out.push((format!("practice {}", p.id), &p.snippet));
    }
    out.retain(|(_, s)| s.code.is_some());
    out
}

/// What running every snippet of a pack found.
#[derive(Debug, Default)]
pub struct RunReport {
    pub passed: Vec<String>,
    pub skipped: Vec<String>,
    pub failed: Vec<String>,
}

/// Runs every snippet of `pack` on up to `threads` threads.
pub fn run_all(pack: &Pack, threads: usize) -> RunReport {
    use std::sync::Mutex;
    let jobs = snippets(pack);
    let queue = Mutex::new(jobs.iter());
    let report = Mutex::new(RunReport::default());
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| {
                loop {
                    let Some((name, s)) = queue.lock().unwrap().next() else {
                        break;
                    };
                    let result = run_snippet(pack, s);
                    let mut r = report.lock().unwrap();
                    match result {
                        Ok(Outcome::Passed) => r.passed.push(name.clone()),
                        Ok(Outcome::Skipped(why)) => r.skipped.push(format!("{name}: {why}")),
                        Err(e) => r.failed.push(format!("{name}: {e}")),
                    }
                }
            });
        }
    });
    report.into_inner().unwrap()
}

/// Whether a missing runtime is a failure (CI sets `MEMSEED_REQUIRE_RUNNERS=1`) rather than
/// a skipped snippet.
pub fn runners_required() -> bool {
    std::env::var_os("MEMSEED_REQUIRE_RUNNERS").is_some_and(|v| v != "0")
}
