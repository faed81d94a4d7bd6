//! The study commands in the terminal: `study`, `quiz`, `reconstruct`, `stats` and
//! `backup`. They read answers line by line from standard input, so a script can drive
//! them, and print an acknowledgement only after a rating is committed.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, bail};
use memseed_catalog::Catalog;
use memseed_core::pack::Difficulty;
use memseed_core::{Card, Compressor, budget};
use memseed_recall::{Deck, JournalEntry, QuizAnswer, Recall, RecallError, describe_interval};
use memseed_store::{Source, StoreError};
use memseed_study::{Rating, Settings};

use crate::cli::{BackupArgs, Global, ListFormat, QuizArgs, ReconstructArgs, StatsArgs, StudyArgs};
use crate::commands::{catalog, data_dir, resolve_id};

/// Learning cards due within this many seconds come back in the same session.
const LEARN_AHEAD: i64 = 20 * 60;

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

fn settings(retention: Option<f32>) -> Settings {
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
struct Term<R, W> {
    input: R,
    out: W,
}

impl<R: BufRead, W: Write> Term<R, W> {
    fn say(&mut self, text: &str) -> Result<()> {
        writeln!(self.out, "{text}")?;
        self.out.flush()?;
        Ok(())
    }

    fn ask(&mut self, prompt: &str) -> Result<Option<String>> {
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
    fn rating(&mut self, labels: &[String; 4]) -> Result<Option<Rating>> {
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

fn stdio() -> Term<std::io::StdinLock<'static>, std::io::StdoutLock<'static>> {
    Term {
        input: std::io::stdin().lock(),
        out: std::io::stdout().lock(),
    }
}

/// `memseed study [TOPIC]`.
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
    let queue_items = recall.queue(topic.as_deref(), t0)?;
    let new = queue_items.iter().filter(|q| q.is_new).count();
    let mut queue: Vec<String> = queue_items.into_iter().map(|q| q.key).collect();
    let scope = topic
        .as_deref()
        .and_then(|t| cat.get(t))
        .map(|e| e.pack.topic.title.clone())
        .unwrap_or_else(|| "All topics".into());
    if queue.is_empty() {
        term.say(&format!("{scope}: nothing is due and today's new cards are done. Come back later, or see `memseed stats`."))?;
        return Ok(ExitCode::SUCCESS);
    }
    term.say(&format!(
        "{scope} · {} due, {new} new. Enter shows the answer, 1-4 rates it, q stops.",
        queue.len() - new
    ))?;
    let mut counts = [0u32; 4];
    let mut done = 0usize;
    while let Some(key) = (!queue.is_empty()).then(|| queue.remove(0)) {
        let t = now();
        let due = recall.due(&key, t)?;
        term.say("")?;
        term.say(&format!(
            "[{}/{}] {} · {} · {}",
            done + 1,
            done + 1 + queue.len(),
            if due.is_new {
                "new"
            } else {
                due.state.phase.as_str()
            },
            due.card.kind.as_str(),
            due.card.tier.as_str()
        ))?;
        term.say(&due.card.prompt)?;
        if term.ask("(Enter shows the answer, q stops) ")?.is_none() {
            break;
        }
        term.say("---")?;
        term.say(&due.card.answer)?;
        let Some(rating) = term.rating(&due.intervals)? else {
            break;
        };
        let rated = recall.rate(&key, rating, Source::Study, now())?;
        counts[rating as usize - 1] += 1;
        done += 1;
        term.say(&format!("saved · next in {}", rated.next_in))?;
        if rated.after.due - now() <= LEARN_AHEAD {
            queue.push(key);
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

/// A tiny deterministic shuffle (xorshift), so a quiz is not the same first questions
/// every time.
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

/// `memseed reconstruct TOPIC --budget B`.
pub fn reconstruct(global: &Global, args: &ReconstructArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    let topic = resolve_id(&cat, &args.topic)?;
    let pack = &cat.get(&topic).expect("resolved").pack;
    let bytes = budget::parse(&args.budget)?;
    let compressor = Compressor::new(pack);
    let card = Card::new(pack, &compressor, bytes)?;
    let report = card.report();
    let kept_anchor: Vec<&str> = report
        .kept
        .iter()
        .filter(|k| k.kind == "concept" && k.level >= 2)
        .map(|k| k.id.as_str())
        .collect();
    let mut lost: Vec<&memseed_core::pack::Concept> = pack
        .concepts
        .iter()
        .filter(|c| c.anchor.is_some() && !kept_anchor.contains(&c.id.as_str()))
        .collect();
    lost.sort_by_key(|c| c.tier);
    let total_lost = lost.len();
    lost.truncate(args.count);
    let mut recall = open(global, &cat, None)?;
    let mut term = stdio();
    term.say(&format!(
        "Reconstruct {} from its {} card. The anchors you keep:",
        pack.topic.title, report.size
    ))?;
    term.say("")?;
    for k in report
        .kept
        .iter()
        .filter(|k| k.kind == "concept" && k.level >= 2)
    {
        if let Some(c) = pack.concept(&k.id) {
            term.say(&format!(
                "  {} — {}",
                c.title,
                c.anchor.as_deref().unwrap_or("")
            ))?;
        }
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
        let key = format!("{topic}/{}/concept-anchor", c.id);
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
        let rated = recall.rate(&key, rating, Source::Reconstruct, now())?;
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

/// `memseed stats`.
pub fn stats(global: &Global, args: &StatsArgs) -> Result<ExitCode> {
    let cat = catalog(global)?;
    // A report needs no writes: a database the user may not write is read as last saved.
    let (recall, read_only) = match open(global, &cat, None) {
        Ok(r) => (r, false),
        Err(e)
            if matches!(
                e.downcast_ref(),
                Some(RecallError::Store(StoreError::ReadOnly { .. }))
            ) =>
        {
            let db = db_path(global)?;
            let r = Recall::open_read_only(&db, Deck::from_catalog(&cat), settings(None))
                .with_context(|| format!("cannot read the study database {}", db.display()))?;
            (r, true)
        }
        Err(e) => return Err(e),
    };
    let p = recall.progress(now())?;
    let journal = recall.store().journal_entries(5)?;
    let out = if args.format == ListFormat::Json {
        let mut v = serde_json::to_value(&p)?;
        v["read_only"] = read_only.into();
        v["error_journal"] = journal
            .iter()
            .map(|j| {
                serde_json::json!({
                    "at": j.at, "topic": j.topic, "item": j.item, "source": j.source,
                    "prompt": j.prompt, "card": j.card_key,
                })
            })
            .collect();
        serde_json::to_string_pretty(&v)? + "\n"
    } else {
        let mut s = String::new();
        s.push_str(&format!(
            "Due today: {}\nReviews today: {} · all time: {}\nRetention: {}\nStreak: {} day{}\n",
            p.due_today,
            p.reviews_today,
            p.reviews_total,
            p.retention
                .map(|r| format!("{:.0}% (Good or Easy on reviews)", r * 100.0))
                .unwrap_or_else(|| "none yet (no reviews of learned cards)".into()),
            p.streak_days,
            if p.streak_days == 1 { "" } else { "s" }
        ));
        s.push_str("Mastery by topic:\n");
        for t in &p.per_topic {
            s.push_str(&format!(
                "  {:<10} {:>5.1}%  ({} of {} concepts)\n",
                t.topic,
                t.mastery * 100.0,
                t.mastered / 2,
                t.cards / 2
            ));
        }
        if !journal.is_empty() {
            s.push_str("Recently missed (error journal):\n");
            for j in &journal {
                s.push_str(&format!("  - [{}] {}\n", j.topic, j.prompt));
            }
        }
        s.push_str(&format!("Database: {}\n", recall.store().path().display()));
        if read_only {
            s.push_str("(read-only: shown as last saved; packs added since are not counted)\n");
        }
        s
    };
    crate::output::print(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// `memseed backup DEST`.
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
