//! `memseed study`: due and new cards in the terminal, rated 1-4, with `u` to undo the
//! last rating, the interview-date plan's new cards and cram reviews, and leeches
//! suspended.

use std::io::{BufRead, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use memseed_recall::Recall;
use memseed_store::Source;
use memseed_study::{QueueItem, Rating};

use super::{Term, now, open, stdio};
use crate::cli::{Global, StudyArgs};
use crate::commands::{catalog, resolve_id};

/// Learning cards due within this many seconds come back in the same session.
const LEARN_AHEAD: i64 = 20 * 60;

/// What the person typed at a prompt.
enum Answer {
    Go,
    Rate(Rating),
    Undo,
    Stop,
}

/// Asks `prompt`; at a rating prompt (`rating`) repeats until the answer is 1-4, `u` or `q`.
fn answer<R: BufRead, W: Write>(
    term: &mut Term<R, W>,
    prompt: &str,
    rating: bool,
) -> Result<Answer> {
    loop {
        let Some(line) = term.ask(prompt)? else {
            return Ok(Answer::Stop);
        };
        if line == "u" || line == "undo" {
            return Ok(Answer::Undo);
        }
        if !rating {
            return Ok(Answer::Go);
        }
        match Rating::parse(&line) {
            Ok(r) => return Ok(Answer::Rate(r)),
            Err(e) => term.say(&format!("  {e} (or u to undo the last rating)"))?,
        }
    }
}

/// Undoes the last rating and says what came back; the card goes to the front.
fn undo<R: BufRead, W: Write>(
    term: &mut Term<R, W>,
    recall: &mut Recall,
    queue: &mut Vec<QueueItem>,
    done: &mut usize,
) -> Result<()> {
    match recall.undo()? {
        Some(u) => {
            term.say(&format!(
                "undone · {} is back as it was ({}); it comes again now",
                u.key, u.card.phase
            ))?;
            *done = done.saturating_sub(1);
            queue.retain(|q| q.key != u.key);
            queue.insert(
                0,
                QueueItem {
                    key: u.key,
                    is_new: u.card.phase == "new",
                    cram: u.source == "cram",
                },
            );
        }
        None => term.say("nothing to undo")?,
    }
    Ok(())
}

/// `memseed study [TOPIC] [--until DATE]`.
pub fn study(global: &Global, args: &StudyArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = args
        .topic
        .as_deref()
        .map(|t| resolve_id(&cat, t))
        .transpose()?;
    let mut recall = open(global, &cat, args.retention)?;
    recall.new_per_day = args.new;
    let mut term = stdio();
    let start = Instant::now();
    let t0 = now();
    if args.until.as_deref().is_some_and(|d| d.trim() == "none") {
        let removed = recall.clear_plan(topic.as_deref())?;
        term.say(if removed {
            "Interview date removed."
        } else {
            "There was no interview date to remove."
        })?;
    } else if let Some(date) = &args.until {
        recall.set_plan(topic.as_deref(), date, t0)?;
        if let Some(p) = recall.plan(topic.as_deref(), t0)? {
            term.say(&format!(
                "Plan to {date}: {} of {} critical and high cards ready; {} new and {} to review again, about {:.0} reviews a day for {} days.",
                p.ready, p.cards, p.left_new, p.left_review, p.reviews_per_day, p.days_left
            ))?;
        }
    }
    let mut queue = recall.queue(topic.as_deref(), t0)?;
    let new = queue.iter().filter(|q| q.is_new).count();
    let cram = queue.iter().filter(|q| q.cram).count();
    let scope = topic
        .as_deref()
        .and_then(|t| cat.get(t))
        .map(|e| e.pack.topic.title.clone())
        .unwrap_or_else(|| "All topics".into());
    if queue.is_empty() {
        term.say(&format!("{scope}: nothing is due and today's new cards are done. Come back later, or see `memseed stats`."))?;
        return Ok(ExitCode::SUCCESS);
    }
    let crams = if cram > 0 {
        format!(", {cram} to cram before your date")
    } else {
        String::new()
    };
    term.say(&format!(
        "{scope} · {} due, {new} new{crams}. Enter shows the answer, 1-4 rates it, u undoes the last rating, q stops.",
        queue.len() - new - cram
    ))?;
    let mut counts = [0u32; 4];
    let mut done = 0usize;
    while !queue.is_empty() {
        let item = queue.remove(0);
        let t = now();
        let due = recall.due(&item.key, t)?;
        term.say("")?;
        let phase = if item.cram {
            "cram (schedule unchanged)"
        } else if due.is_new {
            "new"
        } else {
            due.state.phase.as_str()
        };
        term.say(&format!(
            "[{}/{}] {phase} · {} · {}",
            done + 1,
            done + 1 + queue.len(),
            due.card.kind.as_str(),
            due.card.tier.as_str()
        ))?;
        term.say(&due.card.prompt)?;
        match answer(
            &mut term,
            "(Enter shows the answer, u undoes, q stops) ",
            false,
        )? {
            Answer::Stop => break,
            Answer::Undo => {
                queue.insert(0, item);
                undo(&mut term, &mut recall, &mut queue, &mut done)?;
                continue;
            }
            _ => {}
        }
        term.say("---")?;
        term.say(&due.card.answer)?;
        let labels = &due.intervals;
        let prompt = format!(
            "Rate: 1 again ({}) · 2 hard ({}) · 3 good ({}) · 4 easy ({}) · u undo · q stop > ",
            labels[0], labels[1], labels[2], labels[3]
        );
        let rating = match answer(&mut term, &prompt, true)? {
            Answer::Rate(r) => r,
            Answer::Undo => {
                queue.insert(0, item);
                undo(&mut term, &mut recall, &mut queue, &mut done)?;
                continue;
            }
            Answer::Stop | Answer::Go => break,
        };
        let source = if item.cram {
            Source::Cram
        } else {
            Source::Study
        };
        let rated = recall.rate(&item.key, rating, source, now())?;
        counts[rating as usize - 1] += 1;
        done += 1;
        if rated.leech {
            term.say(&format!(
                "saved · leech: this card lapsed {} times and is suspended; relearn it from its concept page (`memseed unsuspend {}` brings it back)",
                rated.after.lapses, item.key
            ))?;
        } else if item.cram {
            term.say("saved · cram: its schedule is unchanged")?;
        } else {
            term.say(&format!("saved · next in {}", rated.next_in))?;
            if rated.after.due - now() <= LEARN_AHEAD {
                queue.push(QueueItem {
                    key: item.key,
                    is_new: false,
                    cram: false,
                });
            }
        }
    }
    let mins = start.elapsed().as_secs().div_ceil(60);
    term.say("")?;
    term.say(&format!(
        "Session over: {done} reviews in about {mins} min · {} again, {} hard, {} good, {} easy.",
        counts[0], counts[1], counts[2], counts[3]
    ))?;
    let left = recall.queue(topic.as_deref(), now())?.len();
    term.say(&format!(
        "Still to study today: {left}. `memseed stats` shows your progress."
    ))?;
    Ok(ExitCode::SUCCESS)
}
