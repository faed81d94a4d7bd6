//! `memseed import`: notes (or an Anki deck) into a topic pack, written to `-o FILE` or the
//! user's topics folder, never over an existing file unless `--update` (which keeps the
//! person's edits; see docs/import.md). A progress bar shows on a terminal when the import
//! takes a while.

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;
use serde_json::json;

use memseed_catalog::{Catalog, MAX_PACK_BYTES, load_file};
use memseed_core::Pack;
use memseed_import::{Limits, Merged, Note, Options, Sidecar, Warning, collect, merge};

use super::anki_in::{self, AnkiExtra};
use super::data_dir;
use crate::cli::{Global, ListFormat};
use crate::output::println;

pub const EXAMPLES: &str = "\
Examples:
  memseed import ~/notes/python.md                   one note (or a plain-text dump)
  memseed import ~/vault/Python --id python-notes    a folder: .md, .markdown and .txt, recursively
  memseed import notes/ -o python.toml               write the pack here instead
  memseed import notes/ -o python.toml --update      re-import; your edits to the pack are kept
  pbpaste | memseed import - --title \"Rust traits\"   standard input
  memseed import Python.apkg --with-history          an Anki deck, with its review history
  memseed import cards.txt                           an Anki text export (#separator: headers)

The pack goes to the topics folder of the data directory unless -o is given, and an
existing file is replaced only with --update. docs/import.md says what is recognised, how
importance is estimated, and how --update tells your edits from the importer's text;
docs/anki.md what an Anki deck becomes (tiers from its lapses, media kept aside).";

/// `memseed import` arguments.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Markdown or text files, folders (walked recursively), or `-` for standard input;
    /// or one Anki package (`.apkg`, `.colpkg`) or Anki text export (`.csv`, `.tsv`, a
    /// `.txt` with `#separator:` headers).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The topic id (default: a slug of the title).
    #[arg(long)]
    pub id: Option<String>,
    /// The topic title (default: the notes' own, else the file or folder name).
    #[arg(long)]
    pub title: Option<String>,
    /// Write the pack to this file (default: `<data dir>/topics/<id>.toml`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Merge into an existing pack file, keeping your edits to it.
    #[arg(long)]
    pub update: bool,
    /// With an Anki package: bring its review log into the study database, so FSRS goes on
    /// from where Anki left off.
    #[arg(long)]
    pub with_history: bool,
    /// Output format of the summary.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

pub fn import(global: &Global, args: &ImportArgs) -> Result<ExitCode> {
    let (imported, mut warnings, anki) = if args.paths.iter().any(|p| anki_in::is_anki(p)) {
        let [path] = args.paths.as_slice() else {
            bail!("import an Anki file on its own, not with other paths; nothing was written");
        };
        let (imported, extra) = anki_in::read(
            path,
            args.id.clone(),
            args.title.clone(),
            crate::study::now(),
        )?;
        let warnings = imported.warnings.clone();
        (imported, warnings, Some(extra))
    } else {
        if args.with_history {
            bail!("--with-history takes an Anki package (.apkg); notes have no review history");
        }
        let (imported, warnings) = notes(args)?;
        (imported, warnings, None)
    };
    let id = imported.pack.topic.id.clone();
    if Catalog::bundled().get(&id).is_some() {
        warnings.push(Warning {
            file: "-".into(),
            line: 0,
            message: format!("topic id \"{id}\" is a bundled topic's: your pack will replace it; pass --id to keep both"),
        });
    }

    let dest = match &args.output {
        Some(p) => p.clone(),
        None => {
            let Some(dir) = data_dir(global) else {
                bail!("no data directory: pass -o FILE, --data-dir DIR or set MEMSEED_DATA_DIR");
            };
            let dir = dir.join("topics");
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            dir.join(format!("{id}.toml"))
        }
    };
    let sidecar_path = sidecar_path(&dest);
    let exists = dest.exists() || std::fs::symlink_metadata(&dest).is_ok();
    let (pack, toml, sidecar, merged) = if exists {
        if !args.update {
            bail!(
                "{} already exists; nothing was written. Pass --update to merge the notes into it (your edits are kept), or -o another file",
                dest.display()
            );
        }
        let (existing, _) = load_file(&dest).map_err(|e| anyhow::anyhow!("{e}\n(--update reads the existing pack first; fix it or move it away; nothing was written)"))?;
        let old = match std::fs::read_to_string(&sidecar_path) {
            Ok(text) => Some(Sidecar::from_json(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{}: {e}; nothing was written (delete it to treat every field as yours)",
                    sidecar_path.display()
                )
            })?),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => bail!(
                "cannot read {}: {e}; nothing was written",
                sidecar_path.display()
            ),
        };
        let m = merge(&existing, old.as_ref(), &imported).map_err(|e| {
            anyhow::anyhow!("the merged pack would not load:\n{e}\nnothing was written")
        })?;
        (m.pack.clone(), m.toml.clone(), m.sidecar.clone(), Some(m))
    } else {
        let sidecar = Sidecar::of(&imported.pack);
        (imported.pack.clone(), imported.toml.clone(), sidecar, None)
    };
    if toml.len() as u64 > MAX_PACK_BYTES {
        bail!(
            "the notes make a pack of {} bytes; memseed reads packs of at most {} MiB. Import fewer notes at a time; nothing was written",
            toml.len(),
            MAX_PACK_BYTES / (1024 * 1024)
        );
    }
    write_atomic(&dest, toml.as_bytes())?;
    write_atomic(&sidecar_path, sidecar.to_json().as_bytes())?;
    let anki_done = match &anki {
        Some(extra) => Some(anki_extras(
            global,
            args,
            &pack,
            &dest,
            extra,
            &mut warnings,
        )?),
        None => None,
    };

    for w in &warnings {
        eprintln!("warning: {w}");
    }
    match args.format {
        ListFormat::Text => {
            print_text(&pack, &dest, imported.notes, &warnings, merged.as_ref())?;
            if let Some(done) = &anki_done {
                for line in done.lines() {
                    println(&format!("  {line}"))?;
                }
            }
        }
        ListFormat::Json => {
            let t = pack.concepts_by_tier();
            let doc = json!({
                "id": pack.topic.id,
                "title": pack.topic.title,
                "path": dest.display().to_string(),
                "notes": imported.notes,
                "concepts": {"total": pack.concepts.len(), "critical": t[0], "high": t[1], "medium": t[2], "low": t[3]},
                "traps": pack.traps.len(),
                "questions": pack.questions.len(),
                "practice": pack.practice.len(),
                "warnings": warnings.iter().map(|w| json!({"file": w.file, "line": w.line, "message": w.message})).collect::<Vec<_>>(),
                "update": merged.as_ref().map(|m| json!({"added": m.added, "updated": m.updated, "kept": m.kept, "retired": m.retired, "report": m.report})),
                "anki": anki_done.as_ref().map(|d| json!({
                    "media_files": d.media_files,
                    "media_dir": d.media_dir.as_ref().map(|p| p.display().to_string()),
                    "history": d.history.as_ref().map(|h| json!({"cards_added": h.cards_added, "cards_rescheduled": h.cards_rescheduled, "reviews_added": h.reviews_added})),
                })),
            });
            println(&serde_json::to_string_pretty(&doc)?)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the Markdown or text notes the paths name (standard input for `-`) and imports
/// them, with the warnings of what was skipped.
fn notes(args: &ImportArgs) -> Result<(memseed_import::Imported, Vec<Warning>)> {
    let limits = Limits::default();
    let mut notes: Vec<Note> = Vec::new();
    let mut warnings: Vec<Warning> = Vec::new();
    let files: Vec<PathBuf> = args
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if files.len() < args.paths.len() {
        notes.push(read_stdin(&limits)?);
    }
    let (found, skipped) = collect(&files, &limits);
    notes.extend(found);
    warnings.extend(skipped);
    if notes.is_empty() {
        for w in &warnings {
            eprintln!("warning: {w}");
        }
        bail!(
            "no notes to import in {} (looked for .md, .markdown and .txt files)",
            names(&args.paths)
        );
    }
    let bar = Bar::new(notes.len());
    let opts = Options {
        id: args.id.clone(),
        title: args.title.clone(),
    };
    let imported = memseed_import::import(&notes, &opts, &|p| bar.set(p.done));
    bar.finish();
    let imported = imported?;
    warnings.extend(imported.warnings.iter().cloned());
    Ok((imported, warnings))
}

/// What an Anki import did besides the pack.
struct AnkiDone {
    media_files: usize,
    media_dir: Option<PathBuf>,
    history: Option<memseed_store::HistoryImported>,
}

impl AnkiDone {
    fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(dir) = &self.media_dir {
            out.push(format!(
                "{} media file{} kept aside in {}",
                self.media_files,
                if self.media_files == 1 { "" } else { "s" },
                dir.display()
            ));
        }
        if let Some(h) = &self.history {
            out.push(format!(
                "history: {} review{} added ({} card{} new to the study database, {} rescheduled from Anki)",
                h.reviews_added,
                if h.reviews_added == 1 { "" } else { "s" },
                h.cards_added,
                if h.cards_added == 1 { "" } else { "s" },
                h.cards_rescheduled
            ));
        }
        out
    }
}

/// Keeps an Anki package's media aside (`<pack>.media/` beside the pack) and, with
/// `--with-history`, writes its review histories into the study database.
fn anki_extras(
    global: &Global,
    args: &ImportArgs,
    pack: &Pack,
    dest: &Path,
    extra: &AnkiExtra,
    warnings: &mut Vec<Warning>,
) -> Result<AnkiDone> {
    let mut done = AnkiDone {
        media_files: 0,
        media_dir: None,
        history: None,
    };
    if extra.media.iter().any(|m| m.data.is_some()) {
        let dir = dest.with_extension("media");
        done.media_files = memseed_anki::write_media(&dir, &extra.media).map_err(|e| {
            anyhow::anyhow!("{e} (the pack itself was written to {})", dest.display())
        })?;
        done.media_dir = Some(dir);
    }
    if args.with_history {
        let db = crate::study::db_path(global)?;
        let mut store = memseed_store::Store::open(&db)
            .with_context(|| format!("cannot open the study database {}", db.display()))?;
        let h = store
            .import_history(
                &pack.topic.id,
                &extra.history,
                memseed_store::Source::Anki,
                crate::study::now(),
            )
            .with_context(|| {
                format!(
                    "cannot write the review history into {} (the pack was written to {})",
                    db.display(),
                    dest.display()
                )
            })?;
        if args.output.is_some() {
            warnings.push(Warning {
                file: dest.display().to_string(),
                line: 0,
                message: "the reviews are in the study database; they count once the pack is in your topics folder (or loaded with --pack FILE)".into(),
            });
        }
        done.history = Some(h);
    } else if !extra.history.is_empty() {
        warnings.push(Warning {
            file: dest.display().to_string(),
            line: 0,
            message: format!(
                "the deck has review history for {} card{}; pass --with-history to bring it into the study database",
                extra.history.len(),
                if extra.history.len() == 1 { "" } else { "s" }
            ),
        });
    }
    Ok(done)
}

fn print_text(
    pack: &Pack,
    dest: &Path,
    notes: usize,
    warnings: &[Warning],
    merged: Option<&Merged>,
) -> Result<()> {
    let t = pack.concepts_by_tier();
    println(&format!(
        "{} {notes} note{} into \"{}\" ({})",
        if merged.is_some() {
            "re-imported"
        } else {
            "imported"
        },
        if notes == 1 { "" } else { "s" },
        pack.topic.id,
        dest.display()
    ))?;
    println(&format!(
        "  {} concepts: {} critical, {} high, {} medium, {} low",
        pack.concepts.len(),
        t[0],
        t[1],
        t[2],
        t[3]
    ))?;
    println(&format!(
        "  {} traps, {} questions, {} practice",
        pack.traps.len(),
        pack.questions.len(),
        pack.practice.len()
    ))?;
    if let Some(m) = merged {
        println(&format!(
            "  update: {} added, {} updated from the notes, {} with your edits kept, {} retired",
            m.added, m.updated, m.kept, m.retired
        ))?;
        for r in &m.report {
            println(&format!("    {r}"))?;
        }
    }
    if !warnings.is_empty() {
        println(&format!(
            "  {} warning{} (on standard error)",
            warnings.len(),
            if warnings.len() == 1 { "" } else { "s" }
        ))?;
    }
    println(&format!(
        "  check it: memseed check {}   compress it: memseed compress {} --budget 2KB",
        dest.display(),
        pack.topic.id
    ))
}

/// `NAME.import.json` beside `NAME.toml`: what the importer last wrote.
fn sidecar_path(pack: &Path) -> PathBuf {
    pack.with_extension("import.json")
}

fn names(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Standard input as one note, up to the per-note limit.
fn read_stdin(limits: &Limits) -> Result<Note> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(limits.max_file + 1)
        .read_to_end(&mut bytes)
        .context("cannot read standard input")?;
    if bytes.len() as u64 > limits.max_file {
        bail!(
            "standard input holds more than {} MiB; a note may be at most that",
            limits.max_file / (1024 * 1024)
        );
    }
    memseed_import::read::decode("-", bytes)
        .map(|text| Note {
            name: "-".into(),
            text,
            markdown: None,
        })
        .map_err(|w| anyhow::anyhow!("standard input: {w}"))
}

/// Writes a whole file through a temporary one, so a failure leaves the old file intact.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!("partial-{}", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.with_context(|| format!("cannot write {}; nothing was changed", path.display()))
}

/// A progress bar on standard error, shown only on a terminal and only once the import
/// has taken half a second.
struct Bar {
    bar: indicatif::ProgressBar,
    start: Instant,
    tty: bool,
}

impl Bar {
    fn new(total: usize) -> Bar {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::hidden(),
        );
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} notes {elapsed}")
        {
            bar.set_style(style);
        }
        Bar {
            bar,
            start: Instant::now(),
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn set(&self, done: usize) {
        if self.tty && self.bar.is_hidden() && self.start.elapsed() > Duration::from_millis(500) {
            self.bar
                .set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
        self.bar.set_position(done as u64);
    }

    fn finish(&self) {
        if !self.bar.is_hidden() {
            self.bar.finish_and_clear();
        }
    }
}
