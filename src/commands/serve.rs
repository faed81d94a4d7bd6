//! `memseed serve`: the web app on this machine. It needs no standard output: the address
//! is printed if anyone reads it, and a closed or full stdout changes nothing.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, Result};

use super::{catalog, data_dir};
use crate::cli::{Global, ServeArgs};
use crate::study;

/// Prints a line for whoever watches the terminal; a write that fails is ignored.
fn tell(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|()| out.flush());
}

pub fn serve(global: &Global, args: &ServeArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    for b in cat.broken() {
        eprintln!("warning: skipped {}:\n{}", b.path.display(), b.error);
    }
    let opts = memseed_web::ServeOptions {
        bind: args.bind,
        port: args.port,
        allow_hosts: args.allow_host.clone(),
    };
    let recall = study::open(global, &cat, None)?;
    // A damaged database is refused now, as the other commands refuse it, not one request
    // at a time once serving.
    recall
        .store()
        .check_readable()
        .context("cannot serve with this study database")?;
    let served = memseed_web::Served {
        catalog: &cat,
        recall: Some(recall),
        topics_dir: data_dir(global).map(|d| d.join("topics")),
    };
    memseed_web::serve(served, &opts, |addr| {
        tell(&format!(
            "memseed is serving on http://{addr}/  (Ctrl-C to stop)"
        ));
    })
    .with_context(|| format!("cannot serve on {}:{}", args.bind, args.port))?;
    tell("memseed stopped.");
    Ok(ExitCode::SUCCESS)
}
