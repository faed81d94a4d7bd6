//! The study commands in the terminal: `study`, `quiz`, `reconstruct`, `stats`,
//! `optimize`, `suspend` and `backup`, one module each. They read answers line by line from
//! standard input, so a script can drive them, and print an acknowledgement only after a
//! rating is committed.

mod backup;
mod cards;
mod optimize;
mod quiz;
mod reconstruct;
mod session;
mod stats;

pub use backup::backup;
pub use cards::{suspend, unsuspend};
pub use optimize::optimize;
pub use quiz::quiz;
pub use reconstruct::reconstruct;
pub use session::study;
pub use stats::stats;

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use memseed_catalog::Catalog;
use memseed_recall::{Deck, Recall};
use memseed_study::{Rating, Settings};

use crate::cli::Global;
use crate::commands::data_dir;

/// The current time in unix seconds; `MEMSEED_NOW` pins it (for tests and demos).
pub fn now() -> i64 {
    if let Some(t) = std::env::var("MEMSEED_NOW")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return t;
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The database: `--db`, else `memseed.db` in the data directory.
pub fn db_path(global: &Global) -> Result<PathBuf> {
    match (&global.db, data_dir(global)) {
        (Some(p), _) => Ok(p.clone()),
        (None, Some(d)) => Ok(d.join("memseed.db")),
        (None, None) => bail!("no data directory on this system; pass --db PATH"),
    }
}

pub(crate) fn settings(retention: Option<f32>) -> Settings {
    let mut s = Settings::default();
    if let Some(r) = retention {
        s.desired_retention = r;
    }
    s
}

/// Opens the study service on the database `--db` names (or the default one).
pub fn open(global: &Global, cat: &Catalog, retention: Option<f32>) -> Result<Recall> {
    let db = db_path(global)?;
    Recall::open(&db, Deck::from_catalog(cat), settings(retention), now())
        .with_context(|| format!("cannot open the study database {}", db.display()))
}

/// Standard input and output, with prompts flushed and EOF read as "stop".
pub(crate) struct Term<R, W> {
    input: R,
    out: W,
}

impl<R: BufRead, W: Write> Term<R, W> {
    pub(crate) fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.out, "{text}")?;
        self.out.flush()?;
        Ok(())
    }

    pub(crate) fn ask(&mut self, prompt: &str) -> Result<Option<String>> {
        write!(self.out, "{prompt}")?;
        self.out.flush()?;
        let mut line = String::new();
        if self.input.read_line(&mut line)? == 0 {
            writeln!(self.out)?;
            return Ok(None);
        }
        let line = line.trim().to_string();
        Ok((line != "q" && line != "quit").then_some(line))
    }

    /// Asks for a rating until one is valid; `None` when the person stops.
    pub(crate) fn rating(&mut self, labels: &[String; 4]) -> Result<Option<Rating>> {
        let prompt = format!(
            "Rate: 1 again ({}) · 2 hard ({}) · 3 good ({}) · 4 easy ({}) · q stop > ",
            labels[0], labels[1], labels[2], labels[3]
        );
        loop {
            let Some(line) = self.ask(&prompt)? else {
                return Ok(None);
            };
            match Rating::parse(&line) {
                Ok(r) => return Ok(Some(r)),
                Err(e) => self.say(&format!("  {e}"))?,
            }
        }
    }
}

pub(crate) fn stdio() -> Term<std::io::StdinLock<'static>, std::io::StdoutLock<'static>> {
    Term {
        input: std::io::stdin().lock(),
        out: std::io::stdout().lock(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratings_are_asked_again_until_valid() {
        let input = b"7\nmaybe\n3\n".as_slice();
        let mut term = Term {
            input,
            out: Vec::new(),
        };
        let labels = ["1 min", "6 min", "10 min", "3 d"].map(String::from);
        assert_eq!(term.rating(&labels).unwrap(), Some(Rating::Good));
        let out = String::from_utf8(term.out).unwrap();
        assert_eq!(out.matches("Rate: 1 again (1 min)").count(), 3);
        assert!(out.contains("rating must be 1"), "{out}");
    }
}
