//! The commands: each turns parsed arguments into calls on the catalog and the core, and
//! prints the result. Errors go back to `main`, which prints them and exits non-zero.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::json;

use memseed_catalog::{Catalog, LoadError, Sources, load_file, toml_files};
use memseed_core::select::Model;
use memseed_core::{Card, Compressor, Pack, budget};

use crate::cli::{
    CardFormat, CheckArgs, Cli, Command, CompressArgs, Global, ListFormat, ServeArgs, TopicsArgs,
};
use crate::study;

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Compress(args) => compress(&cli.global, &args),
        Command::Check(args) => check(&args),
        Command::Topics(args) => topics(&cli.global, &args),
        Command::Serve(args) => serve(&cli.global, &args),
        Command::Study(args) => study::study(&cli.global, &args),
        Command::Quiz(args) => study::quiz(&cli.global, &args),
        Command::Reconstruct(args) => study::reconstruct(&cli.global, &args),
        Command::Stats(args) => study::stats(&cli.global, &args),
        Command::Backup(args) => study::backup(&cli.global, &args),
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
        .min_by_key(|id| strsim::damerau_levenshtein(topic, id))
        .filter(|id| strsim::damerau_levenshtein(topic, id) <= topic.len().max(3) / 3)
        .map(|id| format!(" Did you mean \"{id}\"?"))
        .unwrap_or_default();
    bail!(
        "unknown topic \"{topic}\".{hint} Available: {} (see `memseed topics`).",
        ids.join(", ")
    )
}

fn compress(global: &Global, args: &CompressArgs) -> Result<ExitCode> {
    let budget = budget::parse(&args.budget)?;
    let pack = resolve(global, &args.topic)?;
    let compressor = Compressor::new(&pack);
    let card = Card::new(&pack, &compressor, budget)?;
    let out = match args.format {
        CardFormat::Text => card.text(),
        CardFormat::Md => card.markdown(),
        CardFormat::Json => serde_json::to_string_pretty(&card.report())? + "\n",
        CardFormat::Model => serde_json::to_string(&card.model_json())? + "\n",
        CardFormat::Svg => {
            memseed_render::render_svg(&memseed_render::CardContent::from_card(&card), args.theme)
        }
        CardFormat::Png => {
            let png = memseed_render::render_png(
                &memseed_render::CardContent::from_card(&card),
                args.theme,
            )
            .context("cannot draw the share card")?;
            return emit_binary(args.output.as_deref(), &png).map(|()| ExitCode::SUCCESS);
        }
    };
    emit(args.output.as_deref(), &out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes bytes to the file, or to standard output when it is not a terminal.
fn emit_binary(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    use std::io::IsTerminal;
    match path {
        Some(p) => fs::write(p, bytes).with_context(|| format!("cannot write {}", p.display())),
        None if std::io::stdout().is_terminal() => {
            bail!("a PNG would garble the terminal: pass -o card.png, or redirect the output")
        }
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(bytes).and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

/// Writes to the file if one is given, else to standard output.
fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                // A closed pipe (`| head`) is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.context("cannot write to standard output"),
            }
        }
    }
}

fn check(args: &CheckArgs) -> Result<ExitCode> {
    let mut files = Vec::new();
    for p in &args.paths {
        if p.is_dir() {
            let found = toml_files(p);
            if found.is_empty() {
                bail!("{} holds no .toml files", p.display());
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    let mut failed = 0;
    for f in &files {
        match load_file(f) {
            Ok((pack, warnings)) => {
                for w in &warnings {
                    eprintln!("{w}");
                }
                println!("ok    {}  {}", f.display(), summary(&pack));
            }
            Err(e) => {
                failed += 1;
                match e {
                    LoadError::Invalid(errs) => {
                        for err in &errs.0 {
                            eprintln!("error: {err}");
                        }
                        println!(
                            "FAIL  {}  {} error{}",
                            f.display(),
                            errs.0.len(),
                            if errs.0.len() == 1 { "" } else { "s" }
                        );
                    }
                    other => {
                        eprintln!("error: {other}");
                        println!("FAIL  {}", f.display());
                    }
                }
            }
        }
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `80 concepts (9 critical, 14 high, ...), 38 traps, ...`.
fn summary(p: &Pack) -> String {
    let t = p.concepts_by_tier();
    let q = p.questions_by_level();
    format!(
        "\"{}\": {} concepts ({} critical, {} high, {} medium, {} low), {} traps, {} questions ({}/{}/{} beginner/intermediate/expert), {} practice",
        p.topic.id,
        p.concepts.len(),
        t[0],
        t[1],
        t[2],
        t[3],
        p.traps.len(),
        p.questions.len(),
        q[0],
        q[1],
        q[2],
        p.practice.len()
    )
}

fn topics(global: &Global, args: &TopicsArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    for b in cat.broken() {
        eprintln!("warning: skipped {}:\n{}", b.path.display(), b.error);
    }
    let dir = data_dir(global).map(|d| d.join("topics"));
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = cat
                .entries()
                .iter()
                .map(|e| memseed_catalog::summary_json(&e.pack, &e.origin))
                .collect();
            let doc = json!({
                "user_topics_dir": dir.as_ref().map(|d| d.display().to_string()),
                "topics": list,
            });
            emit(None, &(serde_json::to_string_pretty(&doc)? + "\n"))?;
        }
        ListFormat::Text => {
            let mut out = String::new();
            for e in cat.entries() {
                let p = &e.pack;
                let t = p.concepts_by_tier();
                let full = Model::from_pack(p).0.full().0;
                out.push_str(&format!(
                    "{:<12} {}  [{}]\n             {} concepts ({} critical, {} high, {} medium, {} low) · {} traps · {} interview questions · {} practice · full card {}\n",
                    p.topic.id,
                    p.topic.title,
                    e.origin.label(),
                    p.concepts.len(),
                    t[0],
                    t[1],
                    t[2],
                    t[3],
                    p.traps.len(),
                    p.questions.len(),
                    p.practice.len(),
                    budget::exact(full),
                ));
            }
            if let Some(d) = dir {
                out.push_str(&format!("\nYour packs: {}\n", d.display()));
            }
            emit(None, &out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(global: &Global, args: &ServeArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    for b in cat.broken() {
        eprintln!("warning: skipped {}:\n{}", b.path.display(), b.error);
    }
    let opts = memseed_web::ServeOptions {
        bind: args.bind,
        port: args.port,
    };
    let recall = study::open(global, &cat, None)?;
    let served = memseed_web::Served {
        catalog: &cat,
        recall: Some(recall),
    };
    memseed_web::serve(served, &opts, |addr| {
        println!("memseed is serving on http://{addr}/  (Ctrl-C to stop)");
        let _ = std::io::stdout().flush();
    })
    .with_context(|| format!("cannot serve on {}:{}", args.bind, args.port))?;
    println!("memseed stopped.");
    Ok(ExitCode::SUCCESS)
}
