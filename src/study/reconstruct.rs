//! `memseed reconstruct`: the anchors a budget keeps, then a drill of the concepts it
//! loses, each rated and scheduled with the other cards. What is kept and lost, and the
//! rating's write, are shared with the web app (`memseed_study::drill::Reconstruct`,
//! `Recall::rate_reconstructed`).

use std::process::ExitCode;

use anyhow::Result;
use memseed_core::{Card, Compressor, budget};
use memseed_study::drill::{Reconstruct, reconstruct_card};

use super::{now, open, stdio};
use crate::cli::{Global, ReconstructArgs};
use crate::commands::{catalog, resolve_id};

pub fn reconstruct(global: &Global, args: &ReconstructArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = resolve_id(&cat, &args.topic)?;
    let pack = &cat.get(&topic).expect("resolved").pack;
    let bytes = budget::parse(&args.budget)?;
    let compressor = Compressor::new(pack);
    let card = Card::new(pack, &compressor, bytes)?;
    let report = card.report();
    let drill = Reconstruct::new(pack, &report);
    let total_lost = drill.lost.len();
    let lost = drill.drilled(args.count);
    let mut recall = open(global, &cat, None)?;
    let mut term = stdio();
    term.say(&format!(
        "Reconstruct {} from its {} card. The anchors you keep:",
        pack.topic.title, report.size
    ))?;
    term.say("")?;
    for c in &drill.kept {
        term.say(&format!(
            "  {} — {}",
            c.title,
            c.anchor.as_deref().unwrap_or("")
        ))?;
    }
    if total_lost == 0 {
        term.say("\nEvery concept's anchor is on this card: try a smaller budget.")?;
        return Ok(ExitCode::SUCCESS);
    }
    term.say(&lost_line(total_lost, lost.len()))?;
    if lost.is_empty() {
        return Ok(ExitCode::SUCCESS);
    }
    let mut done = 0;
    for (i, c) in lost.iter().enumerate() {
        let key = reconstruct_card(&topic, &c.id);
        term.say("")?;
        term.say(&format!(
            "[{}/{}] Re-derive: {} ({})",
            i + 1,
            lost.len(),
            c.title,
            c.tier.as_str()
        ))?;
        if term.ask("(Enter to check, q stops) ")?.is_none() {
            break;
        }
        term.say("---")?;
        term.say(c.anchor.as_deref().unwrap_or(""))?;
        if let Some(b) = &c.basic {
            term.say(b)?;
        }
        let t = now();
        let due = recall.due(&key, t)?;
        let Some(rating) = term.rating(&due.intervals)? else {
            break;
        };
        let rated = recall.rate_reconstructed(&topic, &c.id, rating, now())?;
        done += 1;
        term.say(&format!("saved · next in {}", rated.next_in))?;
    }
    term.say(&format!(
        "\nDrill over: {done} concepts rated; they are scheduled with your other cards."
    ))?;
    Ok(ExitCode::SUCCESS)
}

/// What a reconstruct drill says it covers: how many anchors the card lost, and how many of
/// them (the most important first) this drill asks for.
fn lost_line(total: usize, drilled: usize) -> String {
    let anchors = if total == 1 { "anchor" } else { "anchors" };
    if drilled == 0 {
        format!("\n{total} concepts' {anchors} did not survive; --count 0 drills none of them.")
    } else if drilled == total {
        format!(
            "\n{total} {} did not survive. Re-derive each from the anchors above, then check.",
            if total == 1 { "concept" } else { "concepts" }
        )
    } else {
        format!(
            "\n{total} concepts did not survive; here are the {drilled} most important. Re-derive each from the anchors above, then check."
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reconstruct_counts_what_was_lost_and_what_is_drilled() {
        assert!(lost_line(71, 0).contains("71 concepts' anchors did not survive; --count 0"));
        assert!(lost_line(71, 10).contains("71 concepts did not survive; here are the 10 most"));
        assert!(lost_line(3, 3).contains("3 concepts did not survive. Re-derive"));
        assert!(lost_line(1, 1).contains("1 concept did not survive"));
    }
}
