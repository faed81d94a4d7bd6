//! The commands: each turns parsed arguments into calls on the catalog and the core, and
//! prints the result. Errors go back to `main`, which prints them and exits non-zero.

mod anki_in;
mod check;
mod compress;
pub mod export;
pub(crate) mod import;
mod serve;
mod topics;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};

use memseed_catalog::{Catalog, Sources, load_file};
use memseed_core::Pack;

use crate::cli::{Cli, Command, Global};
use crate::study;

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Compress(args) => compress::compress(&cli.global, &args),
        Command::Check(args) => check::check(&args),
        Command::Topics(args) => topics::topics(&cli.global, &args),
        Command::Serve(args) => serve::serve(&cli.global, &args),
        Command::Study(args) => study::study(&cli.global, &args),
        Command::Quiz(args) => study::quiz(&cli.global, &args),
        Command::Reconstruct(args) => study::reconstruct(&cli.global, &args),
        Command::Stats(args) => study::stats(&cli.global, &args),
        Command::Backup(args) => study::backup(&cli.global, &args),
        Command::Optimize(args) => study::optimize(&cli.global, &args),
        Command::Suspend(args) => study::suspend(&cli.global, &args),
        Command::Unsuspend(args) => study::unsuspend(&cli.global, &args),
        Command::Import(args) => import::import(&cli.global, &args),
        Command::Export(args) => export::export(&cli.global, &args),
    }
}

/// The data directory: `--data-dir`, else `$MEMSEED_DATA_DIR`, else the platform's.
pub fn data_dir(global: &Global) -> Option<PathBuf> {
    global
        .data_dir
        .clone()
        .or_else(|| std::env::var_os("MEMSEED_DATA_DIR").map(PathBuf::from))
        .or_else(|| dirs::data_dir().map(|d| d.join("memseed")))
}

pub fn catalog(global: &Global) -> Result<Catalog> {
    let sources = Sources {
        user_dir: data_dir(global).map(|d| d.join("topics")),
        files: global.packs.clone(),
    };
    Catalog::load(&sources).map_err(|b| anyhow!("{}", b.error))
}

/// User input as it may be echoed in a message: at most 80 characters.
pub fn clip(s: &str) -> String {
    memseed_core::pack::text::clip(s, 80)
}

/// Finds the pack a command names: a path to a pack file, or a topic id.
fn resolve(global: &Global, topic: &str) -> Result<Pack> {
    let as_path = Path::new(topic);
    if topic.ends_with(".toml") || as_path.is_file() {
        let (pack, _) = load_file(as_path).map_err(|e| anyhow!("{e}"))?;
        return Ok(pack);
    }
    let cat = catalog(global)?;
    let id = resolve_id(&cat, topic)?;
    Ok(cat.get(&id).expect("resolved").pack.clone())
}

/// The id of a topic in the catalog, or an error that names the nearest and lists them.
pub fn resolve_id(cat: &Catalog, topic: &str) -> Result<String> {
    if cat.get(topic).is_some() {
        return Ok(topic.to_string());
    }
    if let Some(b) = cat.broken_named(topic) {
        bail!(
            "topic \"{topic}\" is in {}, which has errors:\n{}",
            b.path.display(),
            b.error
        );
    }
    let ids = cat.ids();
    let hint = ids
        .iter()
        .filter(|_| topic.len() <= 64)
        .min_by_key(|id| strsim::damerau_levenshtein(topic, id))
        .filter(|id| strsim::damerau_levenshtein(topic, id) <= topic.len().max(3) / 3)
        .map(|id| format!(" Did you mean \"{id}\"?"))
        .unwrap_or_default();
    bail!(
        "unknown topic \"{}\".{hint} Available: {} (see `memseed topics`).",
        clip(topic),
        ids.join(", ")
    )
}
