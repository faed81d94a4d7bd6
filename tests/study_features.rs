//! The study features of a serious SRS through the real binary: undo, leeches and
//! suspension, parameters fitted to one's own reviews, an interview date, and the
//! personal card (`compress --for-me`).

#[allow(dead_code)]
mod common;
#[path = "../crates/recall/tests/common/learner.rs"]
#[allow(dead_code)]
mod learner;
use common::run;

use std::collections::HashSet;
use std::path::Path;
use std::process::Output;

use memseed_catalog::Catalog;
use memseed_core::pack::Tier;
use memseed_recall::{Deck, Recall};
use memseed_store::Store;
use memseed_study::Settings;
use serde_json::Value;

/// 2026-11-21 10:00 UTC: a fixed clock, so day boundaries are known.
const T0: i64 = 1_795_255_200;
const DAY: i64 = 86_400;

/// Standard output of a run that must succeed.
fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stats(db: &Path, now: i64) -> Value {
    serde_json::from_str(&ok(&run(db, now, &["stats", "--format", "json"], ""))).unwrap()
}

#[test]
fn undo_takes_back_the_last_rating_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    // One card rated good, then two ratings of a second card are taken back in turn (one
    // at the answer prompt, one at the question prompt), then q.
    let text = ok(&run(&db, T0, &["study", "python"], "\n3\n\n1\n\nu\nu\nq\n"));
    assert_eq!(text.matches("saved · ").count(), 2, "{text}");
    assert_eq!(text.matches("undone · ").count(), 2, "{text}");
    let store = Store::open(&db).unwrap();
    assert_eq!(store.reviews().unwrap().len(), 0);
    // Both cards are exactly as they were before: new, never reviewed.
    for c in store.cards(Some("python")).unwrap() {
        assert_eq!(
            (c.phase.as_str(), c.reps, c.lapses),
            ("new", 0, 0),
            "{}",
            c.key
        );
        assert!(
            c.last_review.is_none() && c.stability.is_none(),
            "{}",
            c.key
        );
    }
    assert_eq!(stats(&db, T0 + 60)["reviews_total"], 0);
    // With nothing left to undo, it says so.
    let text = ok(&run(&db, T0 + 120, &["study", "python"], "u\nq\n"));
    assert!(text.contains("nothing to undo"), "{text}");
}

#[test]
fn a_card_that_lapses_eight_times_is_suspended_listed_and_brought_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    // One card learnt on the first day.
    ok(&run(
        &db,
        T0,
        &["study", "python", "--new", "1"],
        "\n3\n\n3\n\n3\nq\n",
    ));
    let key = Store::open(&db).unwrap().reviews().unwrap()[0].key.clone();
    // Then, long after each time it falls due, it is forgotten (a lapse) and relearnt.
    let mut now = T0;
    let mut leech_text = String::new();
    for lapse in 1..=8 {
        now += 400 * DAY;
        let text = ok(&run(
            &db,
            now,
            &["study", "python", "--new", "0"],
            "\n1\n\n3\n\n3\nq\n",
        ));
        assert!(
            text.starts_with("Python · 1 due, 0 new."),
            "lapse {lapse}: {text}"
        );
        let lapses = Store::open(&db)
            .unwrap()
            .cards(Some("python"))
            .unwrap()
            .into_iter()
            .find(|c| c.key == key)
            .unwrap()
            .lapses;
        assert_eq!(lapses, lapse, "{text}");
        if lapse == 8 {
            leech_text = text;
        }
    }
    assert!(leech_text.contains("leech"), "{leech_text}");
    assert!(leech_text.contains("suspended"), "{leech_text}");
    // Suspended: it is not studied however due it is, and stats lists it as a leech.
    now += 400 * DAY;
    let text = ok(&run(&db, now, &["study", "python", "--new", "0"], "q\n"));
    assert!(text.starts_with("Python: nothing is due"), "{text}");
    let s = stats(&db, now);
    let leeches = s["leeches"].as_array().unwrap();
    assert_eq!(leeches.len(), 1, "{s}");
    assert_eq!(leeches[0]["key"], key.as_str());
    let text = ok(&run(&db, now, &["stats"], ""));
    assert!(text.contains("Leeches") && text.contains(&key), "{text}");
    // Unsuspended, it is due again; suspended by hand, it is gone again.
    let text = ok(&run(&db, now, &["unsuspend", &key], ""));
    assert!(text.contains(&key), "{text}");
    let text = ok(&run(&db, now, &["study", "python", "--new", "0"], "q\n"));
    assert!(text.starts_with("Python · 1 due, 0 new."), "{text}");
    ok(&run(&db, now, &["suspend", &key], ""));
    let text = ok(&run(&db, now, &["study", "python", "--new", "0"], "q\n"));
    assert!(text.starts_with("Python: nothing is due"), "{text}");
    // A key that names no card is a clear error.
    let e = err(&run(
        &db,
        now,
        &["suspend", "python/no-such-thing/trap"],
        "",
    ));
    assert!(e.contains("python/no-such-thing/trap"), "{e}");
}

#[test]
fn optimize_says_what_is_missing_then_fits_a_real_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    // Twenty first reviews: nothing to fit yet, and it says how many more are needed.
    ok(&run(&db, T0, &["study", "python"], &"\n3\n".repeat(20)));
    let e = err(&run(&db, T0 + 60, &["optimize"], ""));
    assert!(e.contains("more are needed"), "{e}");
    // Months of a simulated learner's reviews, through the real service.
    {
        let cat = Catalog::bundled();
        let mut r = Recall::open(&db, Deck::from_catalog(&cat), Settings::default(), T0).unwrap();
        r.new_per_day = 20;
        let mut l = learner::Learner::new(&learner::true_parameters(), 11);
        l.study(&mut r, Some("python"), T0 + DAY, 120);
    }
    let now = T0 + 121 * DAY;
    let text = ok(&run(&db, now, &["optimize"], ""));
    assert!(text.contains("Fitted FSRS to"), "{text}");
    assert!(text.contains("Kept:"), "{text}");
    // Stats names the parameters in use with their log loss and RMSE.
    let s = stats(&db, now);
    let p = &s["parameters"];
    assert!(p["fitted"]["reviews"].as_u64().unwrap() > 1000, "{s}");
    let log_loss = p["log_loss"].as_f64().unwrap();
    assert!(log_loss > 0.0 && log_loss < 1.0, "{s}");
    assert!(p["rmse_bins"].as_f64().unwrap() < 0.2, "{s}");
    // Fitting again to the same reviews cannot beat what is in use: not kept.
    let text = ok(&run(&db, now, &["optimize"], ""));
    assert!(text.contains("Not kept:"), "{text}");
}

#[test]
fn an_interview_date_gets_every_critical_and_high_card_seen_and_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let until = T0 + 10 * DAY;
    // 2026-12-01: ten days after T0. The plan is kept; later sessions follow it.
    let answers = "\n3\n".repeat(400) + "q\n";
    let text = ok(&run(
        &db,
        T0,
        &["study", "git", "--until", "2026-12-01", "--new", "5"],
        &answers,
    ));
    assert!(text.contains("2026-12-01"), "{text}");
    for day in 1..10 {
        ok(&run(
            &db,
            T0 + day * DAY,
            &["study", "git", "--new", "5"],
            &answers,
        ));
    }
    let deck = Deck::from_catalog(&Catalog::bundled());
    let planned: Vec<String> = deck
        .cards()
        .iter()
        .filter(|c| c.topic == "git" && c.tier <= Tier::High)
        .map(|c| c.key())
        .collect();
    assert!(planned.len() > 30);
    let log = Store::open(&db).unwrap().reviews().unwrap();
    for key in &planned {
        let days: HashSet<i64> = log
            .iter()
            .filter(|l| &l.key == key && l.at < until)
            .map(|l| l.at / DAY)
            .collect();
        assert!(days.len() >= 2, "{key}: reviewed on {} days", days.len());
    }
    // Catch-up reviews moved no schedule.
    assert!(
        log.iter()
            .filter(|l| l.source == "cram")
            .all(|l| !l.rescheduled)
    );
    // A date that is no date is a clear error, and nothing is written.
    let before = log.len();
    let e = err(&run(&db, until, &["study", "git", "--until", "soon"], ""));
    assert!(e.contains("soon") && e.contains("YYYY-MM-DD"), "{e}");
    assert_eq!(Store::open(&db).unwrap().reviews().unwrap().len(), before);
    // Stats shows the plan until it is removed.
    assert_eq!(
        stats(&db, T0 + 5 * DAY)["plans"].as_array().unwrap().len(),
        1
    );
    let text = ok(&run(
        &db,
        T0 + 5 * DAY,
        &["study", "git", "--until", "none"],
        "q\n",
    ));
    assert!(text.contains("Interview date removed."), "{text}");
    assert!(
        stats(&db, T0 + 5 * DAY)["plans"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_personal_card_is_labelled_and_drops_what_is_known_cold() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let compress = |now: i64, extra: &[&str]| {
        let mut args = vec!["compress", "python", "--budget", "2KB", "--format", "json"];
        args.extend_from_slice(extra);
        let v: Value = serde_json::from_str(&ok(&run(&db, now, &args, ""))).unwrap();
        v
    };
    // Nothing studied: every item counts as unknown, and no database is created.
    let fresh = compress(T0, &["--for-me"]);
    assert!(!db.exists());
    assert!(
        fresh["title"].as_str().unwrap().contains("for me"),
        "{fresh}"
    );
    // Months of reviews.
    {
        let cat = Catalog::bundled();
        let mut r = Recall::open(&db, Deck::from_catalog(&cat), Settings::default(), T0).unwrap();
        r.new_per_day = 30;
        let mut l = learner::Learner::new(&learner::true_parameters(), 5);
        l.study(&mut r, Some("python"), T0, 60);
    }
    let now = T0 + 61 * DAY;
    let mine = compress(now, &["--for-me"]);
    let theirs = compress(now, &[]);
    assert_ne!(mine["kept"], theirs["kept"], "the history changes the card");
    assert!(mine["bytes"].as_u64().unwrap() <= 2048);
    // A later date forgets more: the card for next year differs from today's.
    let later = compress(now, &["--for-me", "--at", "2028-06-01"]);
    assert!(
        later["title"].as_str().unwrap().contains("2028-06-01"),
        "{later}"
    );
    let e = err(&run(
        &db,
        now,
        &[
            "compress", "python", "--budget", "2KB", "--for-me", "--at", "June",
        ],
        "",
    ));
    assert!(e.contains("June") && e.contains("YYYY-MM-DD"), "{e}");
}
