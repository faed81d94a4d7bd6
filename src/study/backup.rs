//! `memseed backup`: a consistent copy of the study database, even while memseed runs.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::db_path;
use crate::cli::{BackupArgs, Global};

pub fn backup(global: &Global, args: &BackupArgs) -> Result<ExitCode> {
    let db = db_path(global)?;
    if !db.exists() {
        bail!(
            "there is no study database at {} yet: nothing to back up",
            db.display()
        );
    }
    if args.dest.exists() {
        bail!("{} exists; choose a new file name", args.dest.display());
    }
    let store = memseed_store::Store::open(&db)?;
    store.backup(&args.dest)?;
    let copy = memseed_store::Store::open(&args.dest)?;
    crate::output::println(&format!(
        "Backed up {} cards and {} reviews to {} (integrity: {}).",
        copy.cards(None)?.len(),
        copy.reviews()?.len(),
        args.dest.display(),
        copy.integrity_check()?
    ))?;
    Ok(ExitCode::SUCCESS)
}
