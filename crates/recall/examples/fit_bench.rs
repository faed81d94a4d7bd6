//! Bench (not a test): fitting FSRS on about 100,000 reviews of a simulated learner whose
//! memory follows known parameters, scheduled by FSRS's defaults as a new memseed user's
//! would be. Prints the fit's time and the log loss of the defaults, the fitted and the true
//! parameters on those reviews.
//!
//! Usage: cargo run --release -p memseed-recall --example fit_bench [REVIEWS]

#[path = "../tests/common/learner.rs"]
#[allow(dead_code)]
mod learner;

use std::time::Instant;

use learner::{DAY, Learner, true_parameters};
use memseed_study::fit::{self, Review};
use memseed_study::{CardState, Scheduler, Settings};

fn main() {
    let target: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let truth = true_parameters();
    let mut learner = Learner::new(&truth, 11);
    let scheduler = Scheduler::new(Settings::default()).unwrap();
    // Cards added 20 a day; each shown when due, for as long as it takes.
    let mut cards: Vec<(String, CardState)> = Vec::new();
    let mut reviews: Vec<Review> = Vec::with_capacity(target);
    let t0 = 1_790_000_000;
    let mut day = 0i64;
    let started = Instant::now();
    while reviews.len() < target {
        let today = t0 + day * DAY;
        for i in 0..20 {
            cards.push((format!("c{}", cards.len()), CardState::new_card(today + i)));
        }
        for (id, (key, state)) in cards.iter_mut().enumerate() {
            let mut t = state.due.max(today);
            while state.due < today + DAY && reviews.len() < target {
                let rating = learner.answer(key, t);
                reviews.push(Review {
                    card: id as i64,
                    at: t,
                    rating: rating as u8,
                });
                *state = scheduler.review(key, state, rating, t);
                t = state.due.max(t + 60);
            }
        }
        day += 1;
    }
    println!(
        "simulated {} reviews of {} cards over {day} days in {:?}",
        reviews.len(),
        cards.len(),
        started.elapsed()
    );
    let t = Instant::now();
    let fitted = fit::fit(&reviews).expect("enough reviews");
    let took = t.elapsed();
    let judge = |p: &[f32]| fit::evaluate(p, &reviews).unwrap();
    let (d, f, tr) = (
        judge(&fit::default_parameters()),
        judge(&fitted),
        judge(&truth),
    );
    println!("fit: {:.1} s", took.as_secs_f64());
    println!(
        "log loss: defaults {:.4}, fitted {:.4}, true {:.4}",
        d.log_loss, f.log_loss, tr.log_loss
    );
    println!(
        "RMSE (bins): defaults {:.4}, fitted {:.4}, true {:.4}",
        d.rmse_bins, f.rmse_bins, tr.rmse_bins
    );
}
