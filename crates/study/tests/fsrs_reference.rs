//! FSRS against py-fsrs, the reference Python implementation: `reference/fsrs_reference.json`
//! was written by `reference/fsrs_reference.py` beside it (py-fsrs 6.x, FSRS-6 defaults,
//! fuzz off). The same reviews are replayed through `fsrs::FSRS::next_states` and through
//! our `Scheduler`.

use fsrs::{DEFAULT_PARAMETERS, FSRS, ItemState, MemoryState};
use memseed_study::schedule::DAY;
use memseed_study::{CardState, Phase, Rating, Scheduler, Settings};
use serde::Deserialize;

const REFERENCE: &str = include_str!("reference/fsrs_reference.json");
const KEY: &str = "python/gil/concept-anchor";
const REL_TOLERANCE: f64 = 1e-3;

#[derive(Deserialize)]
struct Reference {
    py_fsrs_version: String,
    parameters: Vec<f64>,
    start: i64,
    formulas: Vec<Case>,
    steps: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    desired_retention: f32,
    reviews: Vec<Review>,
}

#[derive(Deserialize)]
struct Review {
    /// Seconds after `start`.
    at: i64,
    rating: u8,
    state: String,
    step: Option<u32>,
    stability: f64,
    difficulty: f64,
    due_in_secs: i64,
    interval_days: Option<u32>,
}

fn reference() -> Reference {
    serde_json::from_str(REFERENCE).expect("fsrs_reference.json parses")
}

fn close(ours: f32, theirs: f64) -> bool {
    (f64::from(ours) - theirs).abs() <= REL_TOLERANCE * theirs.abs().max(1e-3)
}

fn pick(next: &fsrs::NextStates, rating: u8) -> &ItemState {
    match rating {
        1 => &next.again,
        2 => &next.hard,
        3 => &next.good,
        _ => &next.easy,
    }
}

#[test]
fn py_fsrs_is_version_6_with_the_same_default_parameters() {
    let r = reference();
    assert!(r.py_fsrs_version.starts_with("6."), "{}", r.py_fsrs_version);
    assert_eq!(r.parameters.len(), DEFAULT_PARAMETERS.len());
    for (i, (&py, &rs)) in r.parameters.iter().zip(&DEFAULT_PARAMETERS).enumerate() {
        assert_eq!(py as f32, rs, "parameter w{i}");
    }
}

#[test]
fn fsrs_next_states_match_py_fsrs() {
    let r = reference();
    let fsrs = FSRS::new(&DEFAULT_PARAMETERS).unwrap();
    let mut checked = 0;
    for case in &r.formulas {
        let mut memory: Option<MemoryState> = None;
        let mut last: Option<i64> = None;
        for (i, review) in case.reviews.iter().enumerate() {
            let days = last.map_or(0, |l| ((review.at - l) / DAY) as u32);
            let next = fsrs
                .next_states(memory, case.desired_retention, days)
                .unwrap();
            let item = pick(&next, review.rating);
            let at = format!("{} review {} ({days} d elapsed)", case.name, i + 1);
            assert!(
                close(item.memory.stability, review.stability),
                "{at}: stability {} vs py {}",
                item.memory.stability,
                review.stability
            );
            assert!(
                close(item.memory.difficulty, review.difficulty),
                "{at}: difficulty {} vs py {}",
                item.memory.difficulty,
                review.difficulty
            );
            let days_rs = (item.interval.round() as u32).clamp(1, 36_500);
            assert_eq!(Some(days_rs), review.interval_days, "{at}: interval");
            memory = Some(item.memory);
            last = Some(review.at);
            checked += 1;
        }
    }
    assert!(checked >= 80, "{checked} reviews checked");
}

/// Replays one case through our scheduler and checks it against py-fsrs. Day intervals
/// may differ in one way, which Anki has and py-fsrs lacks: at review, good is at least
/// hard + 1 day and easy at least good + 1 (and on graduation easy at least good + 1).
/// Returns the reviews (`case #n`) whose interval that rule raised.
fn replay(r: &Reference, case: &Case, settings: Settings) -> Vec<String> {
    let scheduler = Scheduler::new(Settings {
        desired_retention: case.desired_retention,
        fuzz: false,
        ..settings
    })
    .unwrap();
    let mut state = CardState::new_card(r.start);
    let mut raised = Vec::new();
    for (i, review) in case.reviews.iter().enumerate() {
        let now = r.start + review.at;
        let rating = Rating::try_from(review.rating).unwrap();
        let preview = scheduler.preview(KEY, &state, now);
        let after = scheduler.review(KEY, &state, rating, now);
        assert_eq!(after, preview[usize::from(review.rating) - 1]);
        let at = format!("{} review {} ({rating})", case.name, i + 1);
        assert_eq!(after.phase.as_str(), review.state, "{at}: phase");
        assert_eq!(after.step, review.step.unwrap_or(0), "{at}: step");
        assert!(
            close(after.stability.unwrap(), review.stability),
            "{at}: stability {:?} vs py {}",
            after.stability,
            review.stability
        );
        assert!(
            close(after.difficulty.unwrap(), review.difficulty),
            "{at}: difficulty {:?} vs py {}",
            after.difficulty,
            review.difficulty
        );

        let mut expected = review.due_in_secs;
        if after.phase == Phase::Review {
            let day_of = |s: &CardState| (s.due - now) / DAY;
            let floor = match (state.phase, rating) {
                (Phase::Review, Rating::Good) => day_of(&preview[1]) + 1,
                (
                    Phase::Review | Phase::New | Phase::Learning | Phase::Relearning,
                    Rating::Easy,
                ) => day_of(&preview[2]) + 1,
                _ => 0,
            };
            if floor * DAY > expected {
                expected = floor * DAY;
                raised.push(format!("{} #{}", case.name, i + 1));
            }
            assert_eq!(
                review.interval_days.map(i64::from),
                Some(review.due_in_secs / DAY)
            );
        }
        assert_eq!(
            after.due - now,
            expected,
            "{at}: due in (py-fsrs: {} s)",
            review.due_in_secs
        );
        assert_eq!(after.reps as usize, i + 1);
        state = after;
    }
    raised
}

#[test]
fn scheduler_without_steps_matches_py_fsrs() {
    let r = reference();
    let raised: Vec<String> = r
        .formulas
        .iter()
        .flat_map(|case| {
            replay(
                &r,
                case,
                Settings {
                    learning_steps: vec![],
                    relearning_steps: vec![],
                    ..Settings::default()
                },
            )
        })
        .collect();
    // Where FSRS rounds hard and good to the same day: a same-day review (short-term
    // stability is floored at no change for a pass) or a weak memory (both 1 day).
    assert_eq!(
        raised,
        [
            "same-day #2",
            "same-day #5",
            "same-day #6",
            "late-and-early #5",
            "again-again #4",
            "again-again #5",
            "again-again #8",
        ]
    );
}

#[test]
fn scheduler_with_default_steps_matches_py_fsrs() {
    let r = reference();
    let raised: Vec<String> = r
        .steps
        .iter()
        .flat_map(|case| replay(&r, case, Settings::default()))
        .collect();
    // After relearning a weak memory, FSRS gives hard and good 1 day each.
    assert_eq!(raised, ["lapse-hard-again #8"]);
}
