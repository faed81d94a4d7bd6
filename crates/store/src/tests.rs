use super::*;

fn cards(keys: &[&str]) -> Vec<NewCard> {
    keys.iter()
        .map(|k| NewCard {
            key: format!("t/{k}/concept-anchor"),
            item: k.to_string(),
            kind: "concept-anchor".into(),
        })
        .collect()
}

fn next(row: &CardRow, due: i64) -> Scheduled {
    Scheduled {
        phase: "learning".into(),
        step: row.step + 1,
        stability: Some(1.5),
        difficulty: Some(5.0),
        due,
        last_review: Some(due - 60),
        reps: row.reps + 1,
        lapses: row.lapses,
        suspend: None,
    }
}

#[test]
fn a_new_database_is_migrated_and_marked_as_memseeds() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/memseed.db");
    let s = Store::open(&path).unwrap();
    let v: u32 = s
        .conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(v, schema_version());
    let mode: String = s
        .conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: bool = s
        .conn
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap();
    assert!(fk);
    drop(s);
    // Opening again changes nothing.
    let s = Store::open(&path).unwrap();
    assert_eq!(s.integrity_check().unwrap(), "ok");
}

#[test]
fn syncing_adds_retires_and_revives_without_losing_history() {
    let mut s = Store::open_in_memory().unwrap();
    let r = s.sync_cards("t", &cards(&["a", "b", "c"]), 100).unwrap();
    assert_eq!(
        r,
        Synced {
            added: 3,
            retired: 0,
            revived: 0
        }
    );
    s.review("t/b/concept-anchor", 3, Source::Study, 200, |c| {
        next(c, 800)
    })
    .unwrap();
    let r = s.sync_cards("t", &cards(&["a", "c"]), 300).unwrap();
    assert_eq!(
        r,
        Synced {
            added: 0,
            retired: 1,
            revived: 0
        }
    );
    assert_eq!(s.cards(Some("t")).unwrap().len(), 2);
    let b = s.card("t/b/concept-anchor").unwrap().unwrap();
    assert_eq!(b.retired, Some(300));
    assert_eq!(
        s.reviews().unwrap().len(),
        1,
        "the retired card's history stays"
    );
    let r = s.sync_cards("t", &cards(&["a", "b", "c"]), 400).unwrap();
    assert_eq!(
        r,
        Synced {
            added: 0,
            retired: 0,
            revived: 1
        }
    );
    let b = s.card("t/b/concept-anchor").unwrap().unwrap();
    assert_eq!(
        (b.retired, b.reps, b.due),
        (None, 1, 800),
        "revived with its schedule"
    );
    // Other topics are untouched.
    s.sync_cards("u", &cards(&["z"]), 500).unwrap();
    assert_eq!(s.cards(None).unwrap().len(), 4);
    assert_eq!(s.cards(Some("t")).unwrap().len(), 3);
}

#[test]
fn a_review_saves_the_schedule_and_the_log_together() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a"]), 100).unwrap();
    let after = s
        .review("t/a/concept-anchor", 4, Source::Quiz, 150, |c| {
            assert_eq!(c.phase, "new");
            next(c, 1000)
        })
        .unwrap();
    assert_eq!(
        (after.phase.as_str(), after.reps, after.due),
        ("learning", 1, 1000)
    );
    let log = s.reviews().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(
        (
            log[0].at,
            log[0].rating,
            log[0].phase_before.as_str(),
            log[0].source.as_str()
        ),
        (150, 4, "new", "quiz")
    );
    assert_eq!(s.new_seen_since(Some("t"), 100).unwrap(), 1);
    assert_eq!(s.new_seen_since(Some("t"), 151).unwrap(), 0);
}

#[test]
fn bad_reviews_write_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a"]), 100).unwrap();
    let e = s
        .review("t/zzz/concept-anchor", 3, Source::Study, 1, |c| next(c, 2))
        .unwrap_err();
    assert!(e.to_string().contains("no card"), "{e}");
    let e = s
        .review("t/a/concept-anchor", 5, Source::Study, 1, |c| next(c, 2))
        .unwrap_err();
    assert!(e.to_string().contains("rating must be 1 to 4"), "{e}");
    assert!(s.reviews().unwrap().is_empty());
    assert_eq!(s.card("t/a/concept-anchor").unwrap().unwrap().reps, 0);
}

#[test]
fn another_programs_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(matches!(e, StoreError::NotMemseed { .. }), "{e}");
    assert!(e.to_string().contains("not a memseed database"));
    let e = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(e, StoreError::NotMemseed { .. }), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    // Not SQLite at all.
    let junk = dir.path().join("junk.db");
    std::fs::write(&junk, vec![b'x'; 4096]).unwrap();
    let e = Store::open(&junk).unwrap_err();
    assert!(matches!(e, StoreError::NotADatabase { .. }), "{e}");
    assert!(e.to_string().contains("is not a SQLite database"), "{e}");
    assert_eq!(std::fs::read(&junk).unwrap(), vec![b'x'; 4096]);
}

#[test]
fn a_newer_database_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", schema_version() + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let e = Store::open(&path).unwrap_err();
    assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
    assert!(e.to_string().contains("newer memseed"));
    let e = Store::open_read_only(&path).unwrap_err();
    assert!(matches!(e, StoreError::TooNew { .. }), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_read_only_open_reads_what_was_saved_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.db");
    assert!(Store::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "a read-only open creates nothing");
    let path = dir.path().join("m.db");
    {
        let mut s = Store::open(&path).unwrap();
        s.sync_cards("t", &cards(&["a", "b"]), 100).unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let mut s = Store::open_read_only(&path).unwrap();
    let keys: Vec<String> = s.cards(None).unwrap().into_iter().map(|c| c.key).collect();
    assert_eq!(keys, ["t/a/concept-anchor", "t/b/concept-anchor"]);
    let e = s.sync_cards("t", &cards(&["c"]), 200).unwrap_err();
    assert!(matches!(e, StoreError::ReadOnly { .. }), "{e}");
    drop(s);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_locked_database_is_a_clear_error_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut s = Store::open(&path).unwrap();
    s.sync_cards("t", &cards(&["a"]), 1).unwrap();
    s.set_busy_timeout(Duration::from_millis(100)).unwrap();
    let other = Connection::open(&path).unwrap();
    other.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let e = s
        .review("t/a/concept-anchor", 3, Source::Study, 5, |c| next(c, 9))
        .unwrap_err();
    assert!(matches!(e, StoreError::Locked { .. }), "{e}");
    assert!(e.to_string().contains("locked"));
    other.execute_batch("ROLLBACK").unwrap();
    assert!(s.reviews().unwrap().is_empty());
    assert_eq!(s.card("t/a/concept-anchor").unwrap().unwrap().reps, 0);
}

#[test]
fn a_backup_is_a_consistent_copy_taken_while_another_connection_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.db");
    let mut s = Store::open(&path).unwrap();
    s.sync_cards("t", &cards(&["a", "b"]), 1).unwrap();
    s.review("t/a/concept-anchor", 3, Source::Study, 5, |c| next(c, 9))
        .unwrap();
    let writer = std::thread::spawn({
        let path = path.clone();
        move || {
            let mut w = Store::open(&path).unwrap();
            for i in 0..50 {
                w.review("t/b/concept-anchor", 3, Source::Study, 10 + i, |c| {
                    next(c, 100 + i)
                })
                .unwrap();
            }
        }
    });
    let dest = dir.path().join("backups/copy.db");
    s.backup(&dest).unwrap();
    writer.join().unwrap();
    let copy = Store::open(&dest).unwrap();
    assert_eq!(copy.integrity_check().unwrap(), "ok");
    assert_eq!(copy.cards(None).unwrap().len(), 2);
    let reviews = copy.reviews().unwrap();
    assert!(!reviews.is_empty() && reviews.len() <= 51);
    // Every review in the copy agrees with its card: a snapshot, not a torn read.
    let b = copy.card("t/b/concept-anchor").unwrap().unwrap();
    let b_reviews = reviews.iter().filter(|r| r.key == b.key).count() as u32;
    assert_eq!(b.reps, b_reviews);
    // An existing file is not overwritten.
    assert!(s.backup(&dest).is_err());
}

#[test]
fn quiz_answers_and_the_journal_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a"]), 1).unwrap();
    let a = QuizAnswer {
        at: 5,
        topic: "t".into(),
        level: "expert".into(),
        item: "q1".into(),
        correct: false,
        seconds: Some(12.5),
    };
    s.record_quiz_answer(&a).unwrap();
    assert_eq!(s.quiz_answers().unwrap(), vec![a]);
    let j = JournalEntry {
        at: 6,
        topic: "t".into(),
        item: "q1".into(),
        source: "quiz".into(),
        prompt: "Why?".into(),
        card_key: Some("t/a/concept-anchor".into()),
    };
    s.journal(&j).unwrap();
    assert_eq!(s.journal_entries(10).unwrap(), vec![j]);
    s.review("t/a/concept-anchor", 3, Source::Study, 5, |c| {
        next(c, 10_000)
    })
    .unwrap();
    assert!(s.make_due("t/a/concept-anchor", 600).unwrap());
    assert_eq!(s.card("t/a/concept-anchor").unwrap().unwrap().due, 600);
    assert!(s.make_due("t/a/concept-anchor", 9_000).unwrap());
    assert_eq!(
        s.card("t/a/concept-anchor").unwrap().unwrap().due,
        600,
        "never later"
    );
    assert!(!s.make_due("t/nope/x", 1).unwrap());
}

#[test]
fn undo_restores_the_exact_state_and_removes_the_log_row() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a", "b"]), 100).unwrap();
    let key = "t/a/concept-anchor";
    let first = s
        .review(key, 3, Source::Study, 200, |r| next(r, 900))
        .unwrap();
    let before_second = s.card(key).unwrap().unwrap();
    s.review(key, 1, Source::Study, 300, |r| Scheduled {
        lapses: r.lapses + 1,
        suspend: Some("leech".into()),
        ..next(r, 5000)
    })
    .unwrap();
    let suspended = s.card(key).unwrap().unwrap();
    assert_eq!(suspended.suspended, Some(300));
    assert_eq!(suspended.suspended_reason.as_deref(), Some("leech"));
    assert_eq!(s.reviews().unwrap().len(), 2);
    let undone = s.undo_last().unwrap().expect("something to undo");
    assert_eq!(undone.key, key);
    assert_eq!(undone.rating, 1);
    assert_eq!(
        s.card(key).unwrap().unwrap(),
        before_second,
        "the exact state before"
    );
    assert_eq!(s.reviews().unwrap().len(), 1);
    // And the first one, back to a new card.
    s.undo_last().unwrap().unwrap();
    let fresh = s.card(key).unwrap().unwrap();
    assert_eq!(fresh.phase, "new");
    assert_eq!(fresh.reps, 0);
    assert!(first.reps == 1 && fresh.due == 100);
    assert_eq!(s.undo_last().unwrap(), None, "nothing left");
}

#[test]
fn a_cram_review_is_logged_and_changes_no_schedule() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a"]), 100).unwrap();
    let key = "t/a/concept-anchor";
    s.review(key, 3, Source::Study, 200, |r| next(r, 900))
        .unwrap();
    let before = s.card(key).unwrap().unwrap();
    let after = s
        .review(key, 1, Source::Cram, 300, |_| {
            panic!("a cram asks no schedule")
        })
        .unwrap();
    assert_eq!(after, before);
    let log = s.reviews().unwrap();
    assert_eq!(log.len(), 2);
    assert!(!log[1].rescheduled && log[1].source == "cram");
    s.undo_last().unwrap().unwrap();
    assert_eq!(s.card(key).unwrap().unwrap(), before);
}

#[test]
fn suspended_cards_are_listed_until_unsuspended() {
    let mut s = Store::open_in_memory().unwrap();
    s.sync_cards("t", &cards(&["a", "b"]), 100).unwrap();
    assert!(s.suspend("t/a/concept-anchor", "manual", 150).unwrap());
    assert!(
        !s.suspend("t/a/concept-anchor", "manual", 160).unwrap(),
        "already"
    );
    assert!(!s.suspend("t/none/concept-anchor", "manual", 160).unwrap());
    let list = s.suspended().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].suspended_reason.as_deref(), Some("manual"));
    assert!(s.unsuspend("t/a/concept-anchor").unwrap());
    assert!(s.suspended().unwrap().is_empty());
}

#[test]
fn fitted_parameters_are_stored_exactly() {
    // Values as a fit gives them (not 6-decimal round numbers), and a sweep over finite
    // f32s: what is read back is bit for bit what was saved.
    let mut values = vec![0.773_248_3_f32, 28.212_807, 1.0 / 3.0, 1e-7, 0.001, -2.5e-9];
    values.extend(
        (0..u32::MAX / 1_048_583)
            .map(|i| f32::from_bits(i * 1_048_583))
            .filter(|v| v.is_finite()),
    );
    let mut s = Store::open_in_memory().unwrap();
    for (n, chunk) in values.chunks(21).enumerate() {
        let p = StoredParameters {
            at: n as i64,
            topic: None,
            parameters: chunk.to_vec(),
            reviews: 1,
            log_loss: 0.3,
            rmse_bins: 0.05,
        };
        s.save_parameters(&p).unwrap();
        let back = s.parameters(None).unwrap().unwrap().parameters;
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&back), bits(chunk));
    }
}

#[test]
fn parameters_and_plans_round_trip() {
    let mut s = Store::open_in_memory().unwrap();
    assert_eq!(s.parameters(None).unwrap(), None);
    let p = StoredParameters {
        at: 10,
        topic: None,
        parameters: vec![0.5, 1.25, 3.0],
        reviews: 400,
        log_loss: 0.31,
        rmse_bins: 0.04,
    };
    s.save_parameters(&p).unwrap();
    assert_eq!(
        s.parameters(Some("python")).unwrap(),
        Some(p.clone()),
        "falls back to all"
    );
    let py = StoredParameters {
        topic: Some("python".into()),
        at: 20,
        ..p.clone()
    };
    s.save_parameters(&py).unwrap();
    assert_eq!(s.parameters(Some("python")).unwrap(), Some(py));
    assert_eq!(s.parameters(Some("git")).unwrap(), Some(p));
    s.set_plan(Some("python"), 1000, 1).unwrap();
    s.set_plan(Some("python"), 2000, 2).unwrap();
    s.set_plan(None, 3000, 3).unwrap();
    let plans = s.plans().unwrap();
    assert_eq!(plans.len(), 2);
    assert_eq!(
        (plans[0].topic.as_deref(), plans[0].until),
        (Some("python"), 2000)
    );
    assert!(s.clear_plan(Some("python")).unwrap());
    assert_eq!(s.plans().unwrap().len(), 1);
}

#[test]
fn a_version_1_database_is_migrated_with_its_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(include_str!("../migrations/001_initial.sql"))
            .unwrap();
        c.pragma_update(None, "user_version", 1).unwrap();
        c.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        c.execute_batch("INSERT INTO cards (key, topic, item, kind, due, created) VALUES ('t/a/concept-anchor', 't', 'a', 'concept-anchor', 5, 1); INSERT INTO reviews (card_id, at, rating, phase_before, source, due_after) VALUES (1, 2, 3, 'new', 'study', 9);").unwrap();
    }
    let mut s = Store::open(&path).unwrap();
    let log = s.reviews().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].at, log[0].rating, log[0].due_after), (2, 3, 9));
    assert!(log[0].rescheduled);
    assert_eq!(
        s.undo_last().unwrap(),
        None,
        "a review from before undo cannot be undone"
    );
    assert_eq!(s.integrity_check().unwrap(), "ok");
}
