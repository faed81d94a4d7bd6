//! `memseed stats`: due today, reviews, retention, streak, mastery, the error journal,
//! leeches, the FSRS parameters in use and how well they predict, the workload of a few
//! desired retentions, and interview-date plans.

use std::process::ExitCode;

use anyhow::{Context, Result};
use memseed_recall::{Deck, Recall, RecallError};
use memseed_store::StoreError;

use super::{db_path, now, open, settings};
use crate::cli::{Global, ListFormat, StatsArgs};
use crate::commands::catalog;

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
    let t = now();
    let p = recall.progress(t)?;
    let journal = recall.store().journal_entries(5)?;
    let leeches: Vec<_> = recall
        .suspended()?
        .into_iter()
        .filter(|(_, row)| row.suspended_reason.as_deref() == Some("leech"))
        .collect();
    let params = recall.parameters_in_use(None)?;
    let fit = recall.evaluation(None)?;
    let workload = recall.workload(None)?;
    let plans = recall.plans(t)?;
    let out = if args.format == ListFormat::Json {
        let mut v = serde_json::to_value(&p)?;
        v["read_only"] = read_only.into();
        v["leeches"] = leeches
            .iter()
            .map(|(c, row)| {
                serde_json::json!({"key": row.key, "topic": c.topic, "item": c.item,
                    "lapses": row.lapses, "suspended": row.suspended})
            })
            .collect();
        v["parameters"] = serde_json::json!({
            "fitted": params.as_ref().map(|p| serde_json::json!({
                "at": p.at, "topic": p.topic, "reviews": p.reviews,
            })),
            "log_loss": fit.map(|f| f.log_loss),
            "rmse_bins": fit.map(|f| f.rmse_bins),
        });
        v["workload"] = workload
            .iter()
            .map(|w| {
                serde_json::json!({"retention": w.retention, "reviews_per_day": w.reviews_per_day,
                    "minutes_per_day": w.minutes_per_day, "recalled": w.recalled})
            })
            .collect();
        v["plans"] = plans
            .iter()
            .map(|(topic, p)| {
                let mut o = serde_json::to_value(p).unwrap_or_default();
                o["topic"] = topic.clone().into();
                o
            })
            .collect();
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
                "  {:<18} {:>5.1}%  ({} of {} concepts)\n",
                t.topic,
                t.mastery * 100.0,
                t.mastered / 2,
                t.cards / 2
            ));
        }
        for (topic, plan) in &plans {
            s.push_str(&format!(
                "Plan for {}: {} of {} critical and high cards ready, {} new and {} to review again; about {:.0} reviews a day for {} day{}\n",
                topic.as_deref().unwrap_or("all topics"),
                plan.ready,
                plan.cards,
                plan.left_new,
                plan.left_review,
                plan.reviews_per_day,
                plan.days_left,
                if plan.days_left == 1 { "" } else { "s" }
            ));
        }
        match (&params, fit) {
            (Some(p), Some(f)) => s.push_str(&format!(
                "FSRS parameters: fitted to {} reviews; log loss {:.4}, RMSE (bins) {:.4}\n",
                p.reviews, f.log_loss, f.rmse_bins
            )),
            (None, Some(f)) => s.push_str(&format!(
                "FSRS parameters: the defaults (`memseed optimize` fits yours); log loss {:.4}, RMSE (bins) {:.4}\n",
                f.log_loss, f.rmse_bins
            )),
            (_, None) => s.push_str(
                "FSRS parameters: the defaults; not enough reviews on later days to judge them yet\n",
            ),
        }
        if !workload.is_empty() {
            s.push_str("Daily workload by desired retention (a simulated year of this deck):\n");
            for w in &workload {
                s.push_str(&format!(
                    "  {:.0}%: {:>5.0} reviews, {:>4.0} min a day; {:.0}% recalled at the end\n",
                    w.retention * 100.0,
                    w.reviews_per_day,
                    w.minutes_per_day,
                    w.recalled * 100.0
                ));
            }
        }
        if !leeches.is_empty() {
            s.push_str(
                "Leeches (suspended after 8 lapses; relearn them, then `memseed unsuspend KEY`):\n",
            );
            for (c, row) in &leeches {
                s.push_str(&format!("  {}  ({} lapses)\n", row.key, row.lapses));
                let _ = c;
            }
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
