//! `memseed export`: a topic's cards as an Anki package or Anki's CSV, all of them or those
//! of what survives a budget, with the study schedule and review log when asked.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, ValueEnum};

use memseed_core::budget;

use super::resolve;
use crate::cli::Global;
use crate::output::{emit, emit_binary, println};

pub const EXPORT_EXAMPLES: &str = "\
Examples:
  memseed export python                          python.apkg: every card, as new cards
  memseed export python --budget 2257            python-2257.apkg: what survives 2,257 bytes
  memseed export python --with-history -o my.apkg   your FSRS schedule and review log too
  memseed export python --format csv -o python.csv  Anki's text import (File > Import)

In Anki, import the .apkg with \"Import any learning progress\" ticked to keep the schedule.
The same cards always get the same note ids (GUIDs): importing a later export again
updates those notes and adds none.";

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Topic id (see `memseed topics`), or a path to a pack file.
    pub topic: String,
    /// apkg (an Anki package) or csv (Anki's text import).
    #[arg(short, long, value_enum, default_value_t = ExportFormat::Apkg)]
    pub format: ExportFormat,
    /// Only the cards of what survives this budget: 2257, 2.2KB, 1.5 KiB (1 KB = 1024 bytes).
    #[arg(short, long, allow_hyphen_values = true)]
    pub budget: Option<String>,
    /// Carry each card's FSRS memory state, due date and review log from the study
    /// database (apkg only).
    #[arg(long)]
    pub with_history: bool,
    /// The file to write; `-` for standard output. Default: TOPIC.apkg, or
    /// TOPIC-BUDGET.apkg with --budget (.csv for csv), in the current directory.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What `export` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// An Anki package (`collection.anki2` inside): every Anki and AnkiDroid imports it.
    Apkg,
    /// Tab-separated text with Anki's header lines, for File > Import.
    Csv,
}

pub fn export(global: &Global, args: &ExportArgs) -> Result<ExitCode> {
    let format = match args.format {
        ExportFormat::Apkg => memseed_anki::Format::Apkg,
        ExportFormat::Csv => memseed_anki::Format::Csv,
    };
    if args.with_history && format == memseed_anki::Format::Csv {
        bail!("Anki's text import takes no schedule: use --format apkg with --with-history");
    }
    let budget = args.budget.as_deref().map(budget::parse).transpose()?;
    let pack = resolve(global, &args.topic)?;
    let cards = match budget {
        Some(b) => memseed_anki::export::surviving(&pack, b)?,
        None => memseed_study::cards_for(&pack),
    };
    let history = if args.with_history {
        Some(history(global, &pack.topic.id)?)
    } else {
        None
    };
    let now = crate::study::now();
    let out = memseed_anki::export(&pack, &cards, history.as_deref(), format, now)
        .context("cannot build the Anki export")?;

    let ext = match args.format {
        ExportFormat::Apkg => "apkg",
        ExportFormat::Csv => "csv",
    };
    let path = match &args.output {
        Some(p) if p.as_os_str() == "-" => None,
        Some(p) => Some(p.clone()),
        None => Some(PathBuf::from(match budget {
            Some(b) => format!("{}-{b}.{ext}", pack.topic.id),
            None => format!("{}.{ext}", pack.topic.id),
        })),
    };
    match format {
        memseed_anki::Format::Apkg => {
            if path.is_none() && std::io::stdout().is_terminal() {
                bail!("an .apkg would garble the terminal: pass -o FILE, or redirect the output");
            }
            emit_binary(path.as_deref(), &out.bytes)?;
        }
        // The CSV is text: standard output may be a terminal.
        memseed_anki::Format::Csv => emit(path.as_deref(), &String::from_utf8_lossy(&out.bytes))?,
    }
    let summary = format!(
        "{}: {} note{}, {} card{}, {} review log row{}, in {}",
        path.as_ref().map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string()
        ),
        out.notes,
        plural(out.notes),
        out.cards,
        plural(out.cards),
        out.revlog,
        plural(out.revlog),
        out.decks
            .iter()
            .filter(|d| d.matches("::").count() == 1)
            .cloned()
            .collect::<Vec<_>>()
            .join(", "),
    );
    match path {
        Some(_) => println(&format!("wrote {summary}"))?,
        None => eprintln!("wrote {summary}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The study history of `topic` from the database, read-only; none when nothing was
/// studied yet (said on standard error).
fn history(global: &Global, topic: &str) -> Result<Vec<memseed_store::CardHistory>> {
    let db = crate::study::db_path(global)?;
    if !db.exists() {
        eprintln!(
            "memseed: no study database at {}: the cards go out as new",
            db.display()
        );
        return Ok(Vec::new());
    }
    let store = memseed_store::Store::open_read_only(&db)
        .with_context(|| format!("cannot open the study database {}", db.display()))?;
    Ok(store.card_histories(topic)?)
}
