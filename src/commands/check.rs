//! `memseed check`: validates pack files and folders of them; any error exits non-zero.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};

use memseed_catalog::{LoadError, load_file, toml_files};
use memseed_core::Pack;

use crate::cli::CheckArgs;
use crate::output::println;

pub fn check(args: &CheckArgs) -> Result<ExitCode> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut failed = 0;
    for p in &args.paths {
        if p.is_dir() {
            let (found, skipped) = toml_files(p);
            for s in &skipped {
                eprintln!("warning: {s}");
                println(&format!("FAIL  {}", s.path().display()))?;
            }
            failed += skipped.len();
            if found.is_empty() && skipped.is_empty() {
                bail!("{} holds no .toml files", p.display());
            }
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    for f in &files {
        match load_file(f) {
            Ok((pack, warnings)) => {
                for w in &warnings {
                    eprintln!("{w}");
                }
                println(&format!("ok    {}  {}", f.display(), summary(&pack)))?;
            }
            Err(LoadError::Invalid(errs)) => {
                failed += 1;
                for err in &errs.0 {
                    eprintln!("error: {err}");
                }
                println(&format!(
                    "FAIL  {}  {} error{}",
                    f.display(),
                    errs.0.len(),
                    if errs.0.len() == 1 { "" } else { "s" }
                ))?;
            }
            Err(other) => {
                failed += 1;
                eprintln!("error: {other}");
                println(&format!("FAIL  {}", f.display()))?;
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
