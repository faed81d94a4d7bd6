//! The study service's features through its real store: fitted parameters kept only when
//! better, undo to the exact state, leeches suspended at 8 lapses, an interview-date plan
//! that reaches every critical and high card in time, and a personal card that follows the
//! person's reviews.

mod common;

use common::learner::{DAY, Learner, true_parameters};
use memseed_catalog::Catalog;
use memseed_core::pack::Tier;
use memseed_core::{Card, Compressor};
use memseed_recall::{Deck, LEECH_LAPSES, Recall};
use memseed_store::{Source, Store};
use memseed_study::{Rating, Settings};

/// 2026-11-01 00:00 UTC.
const T0: i64 = 1_793_491_200;

fn recall() -> Recall {
    let cat = Catalog::bundled();
    Recall::with_store(
        Store::open_in_memory().unwrap(),
        Deck::from_catalog(&cat),
        Settings::default(),
        T0,
    )
    .unwrap()
}

#[test]
fn optimize_keeps_better_parameters_and_refuses_no_better_ones() {
    let mut r = recall();
    r.new_per_day = 30;
    let mut learner = Learner::new(&true_parameters(), 7);
    // Too few reviews first: it says how many more.
    learner.study(&mut r, Some("git"), T0, 2);
    let e = r.optimize(Some("git"), T0 + 2 * DAY).unwrap_err();
    assert!(e.to_string().contains("more are needed"), "{e}");
    let n = learner.study(&mut r, Some("git"), T0 + 2 * DAY, 60);
    assert!(n > 500, "{n} reviews");
    let at = T0 + 62 * DAY;
    let first = r.optimize(Some("git"), at).unwrap();
    assert!(first.kept, "{first:?}");
    assert!(first.fitted.log_loss < first.before.log_loss, "{first:?}");
    let stored = r.parameters_in_use(Some("git")).unwrap().expect("stored");
    assert_eq!(stored.topic.as_deref(), Some("git"));
    assert_eq!(stored.reviews as usize, first.reviews);
    assert_eq!(
        r.scheduler("git").parameters().len(),
        stored.parameters.len()
    );
    // Fitting again on the same reviews finds nothing better: refused, nothing stored.
    let second = r.optimize(Some("git"), at + 60).unwrap();
    assert!(!second.kept, "{second:?}");
    assert_eq!(r.parameters_in_use(Some("git")).unwrap().unwrap().at, at);
    // Another topic still uses the defaults.
    assert_eq!(
        r.scheduler("python").parameters(),
        &fsrs::DEFAULT_PARAMETERS[..]
    );
}

#[test]
fn undo_restores_the_exact_state() {
    let mut r = recall();
    let key = "python/gil/concept-anchor";
    r.rate(key, Rating::Good, Source::Study, T0).unwrap();
    let before = r.store().card(key).unwrap().unwrap();
    let due = r.due(key, T0 + DAY).unwrap();
    r.rate(key, Rating::Again, Source::Study, T0 + DAY).unwrap();
    assert_ne!(r.store().card(key).unwrap().unwrap(), before);
    let undone = r.undo().unwrap().expect("undone");
    assert_eq!(undone.key, key);
    assert_eq!(r.store().card(key).unwrap().unwrap(), before);
    assert_eq!(r.due(key, T0 + DAY).unwrap().intervals, due.intervals);
    assert_eq!(r.store().reviews().unwrap().len(), 1);
}

#[test]
fn a_card_that_lapses_eight_times_is_suspended_as_a_leech() {
    let mut r = recall();
    let key = "python/gil/concept-anchor";
    let mut t = T0;
    let mut leech_at = None;
    for round in 0..40 {
        // Good until it reaches review, then Again: each Again in review is a lapse.
        let phase = r.store().card(key).unwrap().unwrap().phase;
        let rating = if phase == "review" {
            Rating::Again
        } else {
            Rating::Good
        };
        let rated = r.rate(key, rating, Source::Study, t).unwrap();
        if rated.leech {
            leech_at = Some((round, rated.after.lapses));
            break;
        }
        t = rated.after.due.max(t + 60);
    }
    let (_, lapses) = leech_at.expect("it became a leech");
    assert_eq!(lapses, LEECH_LAPSES);
    let row = r.store().card(key).unwrap().unwrap();
    assert_eq!(row.suspended_reason.as_deref(), Some("leech"));
    assert!(
        !r.queue(Some("python"), t + 365 * DAY)
            .unwrap()
            .iter()
            .any(|q| q.key == key)
    );
    let leeches = r.suspended().unwrap();
    assert_eq!(leeches.len(), 1);
    // Undo brings it back unsuspended, as before the last lapse.
    r.undo().unwrap().unwrap();
    assert_eq!(r.store().card(key).unwrap().unwrap().suspended, None);
    r.rate(key, Rating::Again, Source::Study, t).unwrap();
    assert!(r.unsuspend(key).unwrap());
    assert!(r.suspended().unwrap().is_empty());
}

#[test]
fn manual_suspension_keeps_a_card_out_of_study() {
    let mut r = recall();
    let key = "python/gil/concept-anchor";
    assert!(
        r.queue(Some("python"), T0)
            .unwrap()
            .iter()
            .any(|q| q.key == key)
    );
    assert!(r.suspend(key, T0).unwrap());
    assert!(
        !r.queue(Some("python"), T0)
            .unwrap()
            .iter()
            .any(|q| q.key == key)
    );
    assert!(r.unsuspend(key).unwrap());
    assert!(
        r.queue(Some("python"), T0)
            .unwrap()
            .iter()
            .any(|q| q.key == key)
    );
    assert!(r.suspend("python/none/trap", T0).is_err());
}

#[test]
fn the_date_plan_sees_every_critical_and_high_card_before_the_date() {
    let mut r = recall();
    r.new_per_day = 5;
    let until = r.set_plan(Some("git"), "2026-11-11", T0).unwrap();
    assert_eq!(until, T0 + 10 * DAY);
    let plan = r.plan(Some("git"), T0).unwrap().expect("a plan");
    assert_eq!(plan.days_left, 10);
    assert!(plan.left_new > 0 && plan.new_per_day > 5, "{plan:?}");
    let mut learner = Learner::new(&fsrs::DEFAULT_PARAMETERS, 3);
    learner.study(&mut r, Some("git"), T0, 10);
    // Every critical and high card of git was seen, and reviewed again on a later day.
    let deck = Deck::from_catalog(&Catalog::bundled());
    let planned: Vec<String> = deck
        .cards()
        .iter()
        .filter(|c| c.topic == "git" && c.tier <= Tier::High)
        .map(|c| c.key())
        .collect();
    assert!(planned.len() > 30);
    let log = r.store().reviews().unwrap();
    for key in &planned {
        let days: std::collections::HashSet<i64> = log
            .iter()
            .filter(|l| &l.key == key && l.at < until)
            .map(|l| l.at / DAY)
            .collect();
        assert!(days.len() >= 2, "{key}: reviewed on {} days", days.len());
    }
    // Crams were used, and they moved no schedule.
    let crams: Vec<_> = log.iter().filter(|l| l.source == "cram").collect();
    assert!(crams.iter().all(|c| !c.rescheduled));
    let done = r.plan(Some("git"), until - DAY).unwrap().unwrap();
    assert_eq!((done.left_new, done.left_review), (0, 0), "{done:?}");
}

#[test]
fn the_personal_card_follows_the_reviews() {
    let mut r = recall();
    let cat = Catalog::bundled();
    let pack = &cat.get("python").unwrap().pack;
    let critical: Vec<usize> = (0..pack.concepts.len())
        .filter(|&c| pack.concepts[c].tier == Tier::Critical)
        .collect();
    // A learner who knows half the critical concepts cold: both their cards reviewed
    // Easy, again and again, months ago and since.
    let known: Vec<usize> = critical.iter().copied().step_by(2).collect();
    let mut t = T0;
    for _ in 0..6 {
        for &c in &known {
            for kind in ["concept-anchor", "anchor-concept"] {
                let key = format!("python/{}/{kind}", pack.concepts[c].id);
                r.rate(&key, Rating::Easy, Source::Study, t).unwrap();
            }
        }
        t += 20 * DAY;
    }
    let at = t + DAY;
    let f = r.forgetting(pack, at).unwrap();
    assert!(
        known.iter().all(|&c| f.concepts[c] < 0.1),
        "{:?}",
        f.concepts
    );
    let comp = Compressor::personal(pack, &f);
    let card = Card::new(pack, &comp, 2048).unwrap();
    let kept_known = card
        .kept()
        .filter(|(item, level)| {
            matches!(item, memseed_core::card::layout::ItemRef::Concept(c) if known.contains(c))
                && *level >= 2
        })
        .count();
    eprintln!(
        "simulated learner: {} of {} critical concepts known cold; {} of them on the personal 2 KB card",
        known.len(),
        critical.len(),
        kept_known
    );
    assert!(kept_known <= 1, "{kept_known}");
    // The other critical anchors are there.
    let unknown_kept = card
        .kept()
        .filter(|(item, level)| {
            matches!(item, memseed_core::card::layout::ItemRef::Concept(c) if critical.contains(c) && !known.contains(c))
                && *level >= 2
        })
        .count();
    assert_eq!(unknown_kept, critical.len() - known.len());
    // Before those reviews, the personal card was the everyone card's critical set.
    let fresh = recall();
    let f0 = fresh.forgetting(pack, at).unwrap();
    let comp0 = Compressor::personal(pack, &f0);
    let before = Card::new(pack, &comp0, 2048).unwrap();
    assert_ne!(
        before.text(),
        card.text(),
        "the card changed after the reviews"
    );
}

#[test]
fn a_pack_added_while_running_is_studied_at_once() {
    let cat = Catalog::bundled();
    let git = cat.get("git").unwrap().pack.clone();
    // A service started without git, as a server is before a topic is imported.
    let mut r = Recall::with_store(
        Store::open_in_memory().unwrap(),
        Deck::from_packs(
            cat.entries()
                .iter()
                .map(|e| &e.pack)
                .filter(|p| p.topic.id != "git"),
        ),
        Settings::default(),
        T0,
    )
    .unwrap();
    assert!(r.queue(Some("git"), T0).is_err(), "git is not known yet");
    let added = r.add_pack(&git, T0).unwrap();
    assert_eq!(added, memseed_study::cards_for(&git).len());
    let queue = r.queue(Some("git"), T0).unwrap();
    assert!(!queue.is_empty());
    r.rate(&queue[0].key, Rating::Good, Source::Study, T0)
        .unwrap();
    // Adding it again changes nothing.
    assert_eq!(r.add_pack(&git, T0).unwrap(), 0);
    assert_eq!(
        r.deck().cards().len(),
        Deck::from_catalog(&cat).cards().len()
    );
}
