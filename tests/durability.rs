//! Durability: `memseed study` is killed with SIGKILL while it records and undoes reviews,
//! round after round. After every restart each review it acknowledged ("saved") is in the
//! database unless an acknowledged undo ("undone") took it back, at most the one operation
//! in flight differs, every card's count of reviews matches its reviews, and
//! `PRAGMA integrity_check` is ok.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use memseed_store::Store;

const ROUNDS: u32 = 50;

#[test]
fn every_acknowledged_review_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let mut acked_total = 0usize;
    let mut undone_total = 0usize;
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for round in 0..ROUNDS {
        let before = if db.exists() {
            Store::open(&db).unwrap().reviews().unwrap().len()
        } else {
            0
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_memseed"))
            .arg("--db")
            .arg(&db)
            .args(["study", "--new", "100000"])
            .env("MEMSEED_DATA_DIR", dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Answer as fast as the program asks: reveal, then a rating, and every fifth time
        // an undo instead of a rating, forever.
        let mut stdin = child.stdin.take().unwrap();
        std::thread::spawn(move || {
            let mut i = 0u32;
            loop {
                let answer = if i % 5 == 4 {
                    "u".to_string()
                } else {
                    (1 + i % 4).to_string()
                };
                i += 1;
                if stdin.write_all(format!("\n{answer}\n").as_bytes()).is_err() {
                    return;
                }
            }
        });
        let (tx, rx) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if line.contains("saved · ") {
                    let _ = tx.send(1i64);
                } else if line.contains("undone · ") {
                    let _ = tx.send(-1i64);
                }
            }
        });
        // Let it record a few reviews, then kill it at an unpredictable moment.
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let wait = Duration::from_millis(150 + seed % 250);
        let start = Instant::now();
        while start.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // Every "saved" and "undone" printed before the kill counts; the reader has seen
        // them all once the pipe closes and it ends.
        reader.join().unwrap();
        let acks: Vec<i64> = rx.try_iter().collect();
        acked_total += acks.iter().filter(|&&a| a > 0).count();
        undone_total += acks.iter().filter(|&&a| a < 0).count();
        let expected = before as i64 + acks.iter().sum::<i64>();

        let store = Store::open(&db).unwrap();
        assert_eq!(store.integrity_check().unwrap(), "ok", "round {round}");
        let stored = store.reviews().unwrap().len() as i64;
        // The one operation in flight when the process died may have been committed without
        // its acknowledgement: a rating (one more) or an undo (one fewer).
        assert!(
            (stored - expected).abs() <= 1,
            "round {round}: {stored} reviews stored, {expected} expected from the acknowledgements"
        );
        // Each stored review agrees with its card's count of reviews.
        for c in store.cards(None).unwrap() {
            let n = store
                .reviews()
                .unwrap()
                .iter()
                .filter(|r| r.key == c.key)
                .count() as u32;
            assert_eq!(c.reps, n, "round {round}: {}", c.key);
        }
    }
    assert!(
        acked_total >= ROUNDS as usize && undone_total >= ROUNDS as usize / 5,
        "the test did record and undo reviews: {acked_total} saved, {undone_total} undone"
    );
    eprintln!(
        "durability: {ROUNDS} SIGKILL rounds, {acked_total} acknowledged reviews and {undone_total} undos, all as acknowledged, integrity ok"
    );
}
