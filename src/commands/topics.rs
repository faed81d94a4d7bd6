//! `memseed topics`: the bundled and the user's topics with their counts.

use std::process::ExitCode;

use anyhow::Result;
use serde_json::json;

use memseed_core::budget;
use memseed_core::select::Model;

use super::{catalog, data_dir};
use crate::cli::{Global, ListFormat, TopicsArgs};
use crate::output::emit;

pub fn topics(global: &Global, args: &TopicsArgs) -> Result<ExitCode> {
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
