//! Defines memseed's command line interface.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Keep a technical topic in your head: compress it to any memory budget, see what
/// survives, and drill it.
#[derive(Debug, Parser)]
#[command(name = "memseed", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct Global {
    /// Also load this pack file (repeatable); it replaces a topic with the same id.
    #[arg(long = "pack", value_name = "FILE", global = true)]
    pub packs: Vec<PathBuf>,
    /// memseed's data directory (your packs live in its `topics/`).
    /// Default: $MEMSEED_DATA_DIR, else the platform's data directory + `/memseed`.
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// The study database. Default: `memseed.db` in the data directory.
    #[arg(long, value_name = "PATH", global = true)]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compress a topic to a memory budget and print the card.
    #[command(after_help = COMPRESS_EXAMPLES)]
    Compress(CompressArgs),
    /// Validate pack files; exits non-zero if any has an error.
    #[command(
        after_help = "Examples:\n  memseed check topics/python.toml\n  memseed check ~/notes/packs/"
    )]
    Check(CheckArgs),
    /// List the available topics with their counts.
    Topics(TopicsArgs),
    /// Open memseed in the browser: every topic to read, and Compression Mode.
    #[command(
        after_help = "Examples:\n  memseed serve                     http://127.0.0.1:8080/\n  memseed serve --port 0            any free port (printed)\n\nStops cleanly on Ctrl-C or SIGTERM: requests in flight finish first."
    )]
    Serve(ServeArgs),
    /// Study due and new cards in the terminal: Enter reveals, 1-4 rates, q stops.
    #[command(
        after_help = "Examples:\n  memseed study python\n  memseed study --new 10          all topics, at most 10 new cards today\n\nRatings: 1 again, 2 hard, 3 good, 4 easy. Scheduling is FSRS (the algorithm Anki uses)."
    )]
    Study(StudyArgs),
    /// A quiz of interview and practice questions at one level, self-graded.
    #[command(
        after_help = "Examples:\n  memseed quiz python --level expert\n  memseed quiz python --level beginner --count 5 --timed 60\n\nMissed questions go into the error journal and their cards come due soon."
    )]
    Quiz(QuizArgs),
    /// Re-derive the concepts a budget loses from the anchors it keeps, and rate yourself.
    #[command(after_help = "Example:\n  memseed reconstruct python --budget 2257")]
    Reconstruct(ReconstructArgs),
    /// Progress: due today, reviews, retention, streak, mastery per topic.
    Stats(StatsArgs),
    /// Turn Markdown notes, a folder of them (an Obsidian vault) or a text dump into a topic.
    #[command(after_help = crate::commands::import::EXAMPLES)]
    Import(crate::commands::import::ImportArgs),
    /// Copy the study database to a new file, safely, even while memseed runs.
    #[command(after_help = "Example:\n  memseed backup ~/memseed-backup.db")]
    Backup(BackupArgs),
    /// Fit FSRS parameters to your own reviews; keep them only if they predict better.
    #[command(
        after_help = "Examples:\n  memseed optimize                 fit to every review\n  memseed optimize --topic python  fit to one topic's reviews"
    )]
    Optimize(OptimizeArgs),
    /// Take a card out of study (its key, as `memseed stats` lists it).
    #[command(after_help = "Example:\n  memseed suspend python/gil/concept-anchor")]
    Suspend(CardArgs),
    /// Bring a suspended card (a leech too) back into study.
    #[command(after_help = "Example:\n  memseed unsuspend python/gil/concept-anchor")]
    Unsuspend(CardArgs),
    /// Export a topic's cards to Anki: an .apkg (with your schedule, if asked) or CSV.
    #[command(after_help = crate::commands::export::EXPORT_EXAMPLES)]
    Export(crate::commands::export::ExportArgs),
}

#[derive(Debug, Args)]
pub struct OptimizeArgs {
    /// Fit to this topic's reviews only (its parameters then schedule only it).
    #[arg(long)]
    pub topic: Option<String>,
}

#[derive(Debug, Args)]
pub struct CardArgs {
    /// The card's key: TOPIC/ITEM/KIND (e.g. python/gil/concept-anchor).
    pub key: String,
}

#[derive(Debug, Args)]
pub struct StudyArgs {
    /// Topic id; all topics when left out.
    pub topic: Option<String>,
    /// New cards a day at most.
    #[arg(long, default_value_t = 20)]
    pub new: u32,
    /// Desired retention, the share of reviews you want to pass (0.7 to 0.99).
    #[arg(long)]
    pub retention: Option<f32>,
    /// An interview date, YYYY-MM-DD: plan so that every critical and high card is seen
    /// and reviewed before it (kept for later sessions; catch-up reviews leave the FSRS
    /// schedule as it was). `none` removes it.
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// Topic id.
    pub topic: String,
    /// beginner, intermediate or expert.
    #[arg(short, long)]
    pub level: String,
    /// How many questions.
    #[arg(short, long, default_value_t = 10)]
    pub count: usize,
    /// Seconds per question; an answer checked later counts as missed.
    #[arg(long, value_name = "SECONDS")]
    pub timed: Option<u32>,
}

#[derive(Debug, Args)]
pub struct ReconstructArgs {
    /// Topic id.
    pub topic: String,
    /// The budget whose card you keep (2257, 2.2KB, ...).
    #[arg(short, long, allow_hyphen_values = true)]
    pub budget: String,
    /// How many lost concepts to drill, most important first.
    #[arg(short, long, default_value_t = 10)]
    pub count: usize,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// The new file to write (must not exist).
    pub dest: PathBuf,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Keep the default unless other machines should reach it.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Also answer requests for this host name (repeatable). On a loopback address only
    /// localhost, 127.0.0.1 and [::1] are answered otherwise, which stops DNS rebinding.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

const COMPRESS_EXAMPLES: &str = "\
Examples:
  memseed compress python --budget 2KB             the 2 KB card, as plain text
  memseed compress python --budget 2257 --format json
  memseed compress python --budget 6KB --format md -o python-6k.md
  memseed compress ./my-topic.toml --budget 1.5KiB
  memseed compress python --budget 2257 --format model | python3 optimum.py
  memseed compress python --budget 2257 --format png -o python.png --theme light

The card's size is the exact UTF-8 byte length of its plain text and never exceeds the
budget; a larger budget keeps everything a smaller one kept.";

#[derive(Debug, Args)]
pub struct CompressArgs {
    /// Topic id (see `memseed topics`), or a path to a pack file.
    pub topic: String,
    /// Memory budget: 2257, 2.2KB, 1.5 KiB, 2K, 1MB (1 KB = 1024 bytes).
    #[arg(short, long, allow_hyphen_values = true)]
    pub budget: String,
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = CardFormat::Text)]
    pub format: CardFormat,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The share card's theme (png and svg).
    #[arg(long, default_value = "dark", value_parser = parse_theme)]
    pub theme: memseed_render::Theme,
    /// Your card: weigh each item by how likely you are to have forgotten it, from your
    /// review history (never studied counts as forgotten).
    #[arg(long)]
    pub for_me: bool,
    /// With --for-me: forgotten by this date (YYYY-MM-DD), not now.
    #[arg(long, value_name = "DATE", requires = "for_me")]
    pub at: Option<String>,
}

fn parse_theme(s: &str) -> Result<memseed_render::Theme, String> {
    s.parse()
        .map_err(|_| format!("unknown theme \"{s}\": use dark or light"))
}

/// Output formats of `compress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CardFormat {
    /// The canonical plain-text card (its byte length is the card's size).
    Text,
    /// The same selection as Markdown.
    Md,
    /// Sizes per section, kept items, what was lost, value.
    Json,
    /// The selection model for the exact solver (`optimum.py`).
    Model,
    /// The 1200×630 share card as PNG (use -o FILE).
    Png,
    /// The share card as SVG.
    Svg,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Pack files, or directories whose `.toml` files are checked.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct TopicsArgs {
    /// Output format.
    #[arg(short, long, value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Output formats of listings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}
