//! Writes a study database with a simulated learner's history: N reviews of one topic,
//! studied day by day through the real service. For measuring what a history costs (e.g.
//! `memseed compress python --budget 2KB --for-me` against the same without `--for-me`).
//!
//! Usage: cargo run --release -p memseed-recall --example history DB TOPIC REVIEWS

#[path = "../tests/common/learner.rs"]
#[allow(dead_code)]
mod learner;

use learner::{DAY, Learner, true_parameters};
use memseed_catalog::Catalog;
use memseed_recall::{Deck, Recall};
use memseed_study::Settings;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: history DB TOPIC REVIEWS";
    let db = std::path::PathBuf::from(args.get(1).expect(usage));
    let topic = args.get(2).expect(usage).clone();
    let target: usize = args.get(3).and_then(|s| s.parse().ok()).expect(usage);
    let cat = Catalog::bundled();
    let t0 = 1_790_000_000;
    let mut r = Recall::open(&db, Deck::from_catalog(&cat), Settings::default(), t0).unwrap();
    r.new_per_day = 40;
    let mut learner = Learner::new(&true_parameters(), 5);
    let mut done = 0;
    let mut day = 0;
    while done < target {
        done += learner.study(&mut r, Some(&topic), t0 + day * DAY, 1);
        day += 1;
    }
    println!(
        "{done} reviews of {topic} over {day} days in {}",
        db.display()
    );
}
