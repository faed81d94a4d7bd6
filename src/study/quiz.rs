//! `memseed quiz`: interview and practice questions at one level, self-graded; misses
//! go into the error journal and bring their cards forward. The questions and what an
//! answer stores are shared with the web app (`memseed_study::drill`, `Recall::answer_quiz`).

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Result, bail};
use memseed_recall::describe_interval;
use memseed_study::drill;

use super::{Term, now, open, stdio};
use crate::cli::{Global, QuizArgs};
use crate::commands::{catalog, resolve_id};

/// `memseed quiz TOPIC --level L`.
pub fn quiz(global: &Global, args: &QuizArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = resolve_id(&cat, &args.topic)?;
    let pack = &cat.get(&topic).expect("resolved").pack;
    let level = drill::parse_level(&args.level)?;
    let mut recall = open(global, &cat, None)?;
    let items = drill::quiz(pack, level, now() as u64, args.count);
    if items.is_empty() {
        bail!("{} has no {} questions", pack.topic.title, level.as_str());
    }
    let mut term = stdio();
    term.say(&format!(
        "{} quiz · {} · {} questions{}. Answer in your head (or aloud), Enter to check, then say if you had it.",
        pack.topic.title,
        level.as_str(),
        items.len(),
        args.timed.map(|s| format!(", {s} s each")).unwrap_or_default()
    ))?;
    let (mut right, mut asked) = (0u32, 0u32);
    let mut missed = Vec::new();
    for (i, item) in items.iter().enumerate() {
        term.say("")?;
        term.say(&format!("[{}/{}] {}", i + 1, items.len(), item.question))?;
        for line in item.code.lines() {
            term.say(&format!("    {line}"))?;
        }
        let shown = Instant::now();
        if term.ask("(Enter to check, q stops) ")?.is_none() {
            break;
        }
        let secs = shown.elapsed().as_secs_f64();
        let late = drill::is_late(secs, args.timed);
        term.say("---")?;
        term.say(&item.answer)?;
        if late {
            term.say(&format!("(time's up: {secs:.0} s)"))?;
        }
        let had_it = loop {
            let Some(line) = term.ask("Did you have it? y/n > ")? else {
                return finish_quiz(&mut term, right, asked, &missed);
            };
            match line.to_lowercase().as_str() {
                "y" | "yes" => break true,
                "n" | "no" => break false,
                _ => term.say("  answer y or n (q stops)")?,
            }
        };
        let correct = drill::counts_as_right(had_it, secs, args.timed);
        let answered =
            recall.answer_quiz(&topic, level.as_str(), item, correct, Some(secs), now())?;
        asked += 1;
        if correct {
            right += 1;
            term.say("saved")?;
            continue;
        }
        missed.push(item.question.clone());
        term.say(&format!(
            "saved · in the error journal; {} card{} due in {}",
            answered.brought,
            if answered.brought == 1 { "" } else { "s" },
            describe_interval(memseed_recall::MISSED_DUE_IN)
        ))?;
    }
    finish_quiz(&mut term, right, asked, &missed)
}

fn finish_quiz<R: BufRead, W: Write>(
    term: &mut Term<R, W>,
    right: u32,
    asked: u32,
    missed: &[String],
) -> Result<ExitCode> {
    term.say("")?;
    term.say(&format!("Quiz over: {right} of {asked} right."))?;
    if !missed.is_empty() {
        term.say("Missed (in your error journal, and due again soon):")?;
        for m in missed {
            term.say(&format!("  - {m}"))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
