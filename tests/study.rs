//! The study commands driven like a person at a terminal: scripted answers on standard
//! input, the real binary, a real database in a temporary directory.

use std::path::Path;
use std::process::{Command, Output};

use memseed_store::Store;

#[allow(dead_code)]
mod common;
use common::{run, run_in};
use serde_json::Value;

/// 2026-11-21 10:00 UTC: a fixed clock, so day boundaries are known.
const T0: i64 = 1_795_255_200;

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stats(db: &Path, now: i64) -> Value {
    let o = run(db, now, &["stats", "--format", "json"], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_str(&out(&o)).unwrap()
}

#[test]
fn a_new_user_reviews_twenty_cards_quits_and_sees_them_in_stats() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("memseed.db");
    // Enter to reveal, 3 (good), twenty times, then q.
    let input = "\n3\n".repeat(20) + "q\n";
    let o = run(&db, T0, &["study", "python"], &input);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = out(&o);
    assert!(text.starts_with("Python · 0 due, 20 new."), "{text}");
    assert_eq!(text.matches("saved · next in").count(), 20, "{text}");
    assert!(text.contains("Session over: 20 reviews"), "{text}");
    assert!(text.contains("0 again, 0 hard, 20 good, 0 easy"));
    let s = stats(&db, T0 + 60);
    assert_eq!(s["reviews_total"], 20);
    assert_eq!(s["reviews_today"], 20);
    assert_eq!(s["streak_days"], 1);
    let py = s["per_topic"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == "python")
        .unwrap();
    assert!(py["seen"].as_u64().unwrap() > 0);
    // The text form says the same.
    let o = run(&db, T0 + 60, &["stats"], "");
    assert!(
        out(&o).contains("Reviews today: 20 · all time: 20"),
        "{}",
        out(&o)
    );
}

#[test]
fn learning_cards_come_back_and_new_cards_stop_at_the_daily_limit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    // Three new cards a day; "again" keeps a card in learning, so it comes back.
    let o = run(
        &db,
        T0,
        &["study", "python", "--new", "3"],
        &"\n1\n".repeat(10),
    );
    let text = out(&o);
    assert!(text.contains("0 due, 3 new"), "{text}");
    assert!(text.contains("[4/"), "a learning card came back: {text}");
    // Later the same day: no new cards left, the learning ones are due.
    let o = run(&db, T0 + 3600, &["study", "python", "--new", "3"], "q\n");
    assert!(out(&o).contains("3 due, 0 new"), "{}", out(&o));
    // The next day brings three new ones.
    let o = run(&db, T0 + 86_400, &["study", "python", "--new", "3"], "q\n");
    assert!(out(&o).contains(", 3 new"), "{}", out(&o));
}

#[test]
fn bad_ratings_are_asked_again_and_nothing_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = run(&db, T0, &["study", "git"], "\n5\nzero\n4\nq\n");
    let text = out(&o);
    assert_eq!(
        text.matches("rating must be 1 (again), 2 (hard), 3 (good) or 4 (easy)")
            .count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches("saved · next in").count(), 1);
    assert_eq!(stats(&db, T0)["reviews_total"], 1);
    // End of input is a clean stop too.
    let o = run(&db, T0, &["study", "git"], "\n");
    assert!(o.status.success());
    assert_eq!(stats(&db, T0)["reviews_total"], 1);
}

#[test]
fn clear_errors_for_unknown_topics_bad_settings_and_foreign_databases() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = run(&db, T0, &["study", "pyhton"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("Did you mean \"python\""));
    let o = run(&db, T0, &["study", "python", "--retention", "1.5"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("retention"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // A file that is not a database at all is refused as such and left alone.
    let other = dir.path().join("notes.db");
    std::fs::write(&other, b"these are my notes, not a database").unwrap();
    let o = run(&other, T0, &["study", "python"], "\n3\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("is not a SQLite database"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read(&other).unwrap(),
        b"these are my notes, not a database"
    );
}

#[test]
fn a_quiz_stores_answers_and_missed_items_go_to_the_journal_and_come_due() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = run(
        &db,
        T0,
        &["quiz", "python", "--level", "expert", "--count", "3"],
        "\nn\n\ny\n\nn\n",
    );
    let text = out(&o);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(text.contains("Quiz over: 1 of 3 right."), "{text}");
    let store = Store::open(&db).unwrap();
    let answers = store.quiz_answers().unwrap();
    assert_eq!(answers.len(), 3);
    assert_eq!(answers.iter().filter(|a| a.correct).count(), 1);
    assert!(
        answers
            .iter()
            .all(|a| a.level == "expert" && a.topic == "python")
    );
    let journal = store.journal_entries(10).unwrap();
    assert_eq!(journal.len(), 2);
    // Each missed interview question's card is due within ten minutes.
    for j in journal.iter().filter_map(|j| j.card_key.as_ref()) {
        let c = store.card(j).unwrap().unwrap();
        assert!(c.due <= T0 + 600, "{j} due at {}", c.due);
    }
    let s = stats(&db, T0);
    assert_eq!(s["error_journal"].as_array().unwrap().len(), 2);
    assert!(out(&run(&db, T0, &["stats"], "")).contains("Recently missed (error journal):"));
    let o = run(&db, T0, &["quiz", "python", "--level", "wizard"], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("beginner, intermediate or expert"));
}

#[test]
fn reconstruct_shows_the_anchors_then_drills_what_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = run(
        &db,
        T0,
        &["reconstruct", "python", "--budget", "2257", "--count", "2"],
        "\n3\n\n2\n",
    );
    let text = out(&o);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let catalog = memseed_catalog::Catalog::bundled();
    let python = &catalog.get("python").expect("python is bundled").pack;
    let gil = python.concept("gil").unwrap();
    let line = format!("{} — {}", gil.title, gil.anchor.as_deref().unwrap());
    assert!(text.contains(&line), "{line} in {text}");
    assert!(text.contains("[1/2] Re-derive: "), "{text}");
    assert!(text.contains("Drill over: 2 concepts rated"), "{text}");
    let store = Store::open(&db).unwrap();
    let reviews = store.reviews().unwrap();
    assert_eq!(reviews.len(), 2);
    assert!(
        reviews
            .iter()
            .all(|r| r.source == "reconstruct" && r.key.ends_with("/concept-anchor"))
    );
    // The lost concepts are high-tier ones: the critical ones are all on the card.
    assert!(!text.contains("Re-derive: Decorators"));
}

#[test]
fn backup_copies_the_history_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    run(&db, T0, &["study", "git"], &"\n3\n".repeat(5));
    let dest = dir.path().join("copy.db");
    let o = run(&db, T0, &["backup", dest.to_str().unwrap()], "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out(&o).contains("5 reviews"), "{}", out(&o));
    assert!(out(&o).contains("integrity: ok"));
    assert_eq!(stats(&dest, T0)["reviews_total"], 5);
    let o = run(&db, T0, &["backup", dest.to_str().unwrap()], "");
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("exists"));
}

/// A database the user may not write is refused for study with a message that names it,
/// still answers `stats`, and is left byte-identical. File modes do not bind root, so under
/// root the program runs as `nobody` through `setpriv` (util-linux), from a copy of the
/// binary that user can reach.
#[cfg(unix)]
#[test]
fn a_read_only_database_is_refused_for_study_read_for_stats_and_left_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = data.join("m.db");
    let o = run(&db, T0, &["study", "python", "--new", "1"], "\n3\n");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let before = std::fs::read(&db).unwrap();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o555)).unwrap();

    let uid = Command::new("id").arg("-u").output().unwrap();
    let root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
    let bin = dir.path().join("memseed");
    if root && std::fs::hard_link(env!("CARGO_BIN_EXE_memseed"), &bin).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_memseed"), &bin).unwrap();
    }
    let as_user = || {
        if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin);
            c
        } else {
            Command::new(env!("CARGO_BIN_EXE_memseed"))
        }
    };
    let o = run_in(
        as_user(),
        &db,
        T0 + 86_400,
        &["study", "python", "--new", "1"],
        "",
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{} is read-only; nothing was written",
            db.display()
        )),
        "{err}"
    );
    // A report needs no writes: `stats` reads the database as last saved.
    let o = run_in(as_user(), &db, T0 + 3_600, &["stats"], "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.contains("Reviews today: 1 · all time: 1"), "{out}");
    assert!(out.contains("(read-only: shown as last saved"), "{out}");
    let o = run_in(
        as_user(),
        &db,
        T0 + 3_600,
        &["stats", "--format", "json"],
        "",
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["read_only"], true);
    assert_eq!(v["reviews_total"], 1);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(!data.join("m.db-wal").exists());
}
