//! `memseed suspend` and `memseed unsuspend`: take a card out of study, or bring one back
//! (a leech too).

use std::process::ExitCode;

use anyhow::Result;

use super::{now, open};
use crate::cli::{CardArgs, Global};
use crate::commands::catalog;
use crate::output::println;

/// `memseed suspend KEY`.
pub fn suspend(global: &Global, args: &CardArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let mut recall = open(global, &cat, None)?;
    if recall.suspend(&args.key, now())? {
        println(&format!(
            "suspended {}: it is not studied until `memseed unsuspend {}`",
            args.key, args.key
        ))?;
    } else {
        println(&format!("{} was already suspended", args.key))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `memseed unsuspend KEY`.
pub fn unsuspend(global: &Global, args: &CardArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let mut recall = open(global, &cat, None)?;
    if recall.unsuspend(&args.key)? {
        println(&format!("{} is back in study", args.key))?;
    } else {
        println(&format!("{} was not suspended", args.key))?;
    }
    Ok(ExitCode::SUCCESS)
}
