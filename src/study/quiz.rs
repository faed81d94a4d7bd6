//! `memseed quiz`: interview and practice questions at one level, self-graded; misses
//! go into the error journal and bring their cards forward.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use memseed_core::pack::Difficulty;
use memseed_recall::{JournalEntry, QuizAnswer, describe_interval};

use super::{Term, now, open, stdio};
use crate::cli::{Global, QuizArgs};
use crate::commands::{catalog, resolve_id};

fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

/// One question of a quiz: an interview question or a practice snippet.
struct QuizItem {
    id: String,
    question: String,
    code: String,
    answer: String,
    /// The item's own card, if it has one (interview questions do).
    card: Option<String>,
    /// Concepts it tests: their cards come due soon when it is missed.
    concepts: Vec<String>,
}

/// `memseed quiz TOPIC --level L`.
pub fn quiz(global: &Global, args: &QuizArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = resolve_id(&cat, &args.topic)?;
    let pack = &cat.get(&topic).expect("resolved").pack;
    let level = Difficulty::ALL
        .into_iter()
        .find(|d| d.as_str() == args.level.to_lowercase())
        .with_context(|| {
            format!(
                "unknown level \"{}\": use beginner, intermediate or expert",
                args.level
            )
        })?;
    let mut recall = open(global, &cat, None)?;
    let mut items: Vec<QuizItem> = pack
        .questions
        .iter()
        .filter(|q| q.level == level)
        .map(|q| {
            let answer = match &q.detailed {
                Some(d) => format!("{}\n\n{d}", q.short),
                None => q.short.clone(),
            };
            QuizItem {
                id: q.id.clone(),
                question: q.question.clone(),
                code: String::new(),
                answer,
                card: Some(format!("{topic}/{}/question", q.id)),
                concepts: q
                    .concepts
                    .iter()
                    .map(|&c| pack.concepts[c].id.clone())
                    .collect(),
            }
        })
        .collect();
    items.extend(
        pack.practice
            .iter()
            .filter(|p| p.level.is_none_or(|l| l == level))
            .map(|p| QuizItem {
                id: p.id.clone(),
                question: p.question.clone(),
                code: p.snippet.code().to_string(),
                answer: p.answer.clone(),
                card: None,
                concepts: p
                    .concepts
                    .iter()
                    .map(|&c| pack.concepts[c].id.clone())
                    .collect(),
            }),
    );
    if items.is_empty() {
        bail!("{} has no {} questions", pack.topic.title, level.as_str());
    }
    shuffle(&mut items, now() as u64);
    items.truncate(args.count);
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
        let QuizItem {
            id,
            question,
            code,
            answer,
            card,
            concepts,
        } = item;
        term.say("")?;
        term.say(&format!("[{}/{}] {question}", i + 1, items.len()))?;
        for line in code.lines() {
            term.say(&format!("    {line}"))?;
        }
        let shown = Instant::now();
        if term.ask("(Enter to check, q stops) ")?.is_none() {
            break;
        }
        let secs = shown.elapsed().as_secs_f64();
        let late = args.timed.is_some_and(|limit| secs > f64::from(limit));
        term.say("---")?;
        term.say(answer)?;
        if late {
            term.say(&format!("(time's up: {secs:.0} s)"))?;
        }
        let correct = loop {
            let Some(line) = term.ask("Did you have it? y/n > ")? else {
                return finish_quiz(&mut term, right, asked, &missed);
            };
            match line.to_lowercase().as_str() {
                "y" | "yes" => break !late,
                "n" | "no" => break false,
                _ => term.say("  answer y or n (q stops)")?,
            }
        };
        let t = now();
        recall.store_mut().record_quiz_answer(&QuizAnswer {
            at: t,
            topic: topic.clone(),
            level: level.as_str().into(),
            item: id.clone(),
            correct,
            seconds: Some(secs),
        })?;
        asked += 1;
        if correct {
            right += 1;
            term.say("saved")?;
            continue;
        }
        // Missed: into the journal, and its cards come back soon.
        let mut keys: Vec<String> = card.iter().cloned().collect();
        keys.extend(
            concepts
                .iter()
                .map(|c| format!("{topic}/{c}/concept-anchor")),
        );
        let mut brought = 0;
        for k in &keys {
            if recall.due_soon(k, t)? {
                brought += 1;
            }
        }
        recall.store_mut().journal(&JournalEntry {
            at: t,
            topic: topic.clone(),
            item: id.clone(),
            source: "quiz".into(),
            prompt: question.clone(),
            card_key: card.clone(),
        })?;
        missed.push(question.clone());
        term.say(&format!(
            "saved · in the error journal; {brought} card{} due in {}",
            if brought == 1 { "" } else { "s" },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shuffle_is_a_permutation_and_depends_on_the_seed() {
        let mut a: Vec<u32> = (0..20).collect();
        let mut b = a.clone();
        shuffle(&mut a, 1);
        shuffle(&mut b, 2);
        assert_ne!(a, b);
        let mut s = a.clone();
        s.sort();
        assert_eq!(s, (0..20).collect::<Vec<_>>());
    }
}
