//! A simulated learner for tests and benches: a memory that follows FSRS with parameters
//! of its own (the "true" ones), studying every day through the real service. Each card's
//! true memory state decides, with a seeded random draw, whether the card is recalled
//! (Good) or not (Again) when the service shows it.

use std::collections::HashMap;

use fsrs::{FSRS, MemoryState, current_retrievability};
use memseed_recall::Recall;
use memseed_store::Source;
use memseed_study::Rating;

pub const DAY: i64 = 86_400;

/// A learner whose memory differs from FSRS's defaults: first memories last three times as
/// long, and forgetting is faster afterwards.
pub fn true_parameters() -> Vec<f32> {
    let mut w = fsrs::DEFAULT_PARAMETERS.to_vec();
    for s in &mut w[..4] {
        *s *= 3.0;
    }
    w[8] *= 0.7;
    w
}

/// Splitmix64, for reproducible recalls.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed)
    }

    pub fn unit(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// One learner's true memory of every card it has seen.
pub struct Learner {
    fsrs: FSRS,
    decay: f32,
    memory: HashMap<String, (MemoryState, i64)>,
    dice: Dice,
}

impl Learner {
    pub fn new(parameters: &[f32], seed: u64) -> Self {
        Learner {
            fsrs: FSRS::new(parameters).unwrap(),
            decay: parameters[20],
            memory: HashMap::new(),
            dice: Dice::new(seed),
        }
    }

    /// Whether the card is recalled at `now`, and its true memory updated by the answer.
    pub fn answer(&mut self, key: &str, now: i64) -> Rating {
        let prev = self.memory.get(key).copied();
        let recalled = match prev {
            None => self.dice.unit() < 0.6,
            Some((m, last)) => {
                let days = (now - last).max(0) as f32 / DAY as f32;
                self.dice.unit() < current_retrievability(m, days, self.decay)
            }
        };
        let days = prev.map_or(0, |(_, last)| ((now - last).max(0) / DAY) as u32);
        let next = self.fsrs.next_states(prev.map(|p| p.0), 0.9, days).unwrap();
        let (rating, state) = if recalled {
            (Rating::Good, next.good.memory)
        } else {
            (Rating::Again, next.again.memory)
        };
        self.memory.insert(key.to_string(), (state, now));
        rating
    }

    /// Studies `days` days from `start` through `recall`, everything the queue offers each
    /// day; returns the number of reviews given.
    pub fn study(
        &mut self,
        recall: &mut Recall,
        topic: Option<&str>,
        start: i64,
        days: i64,
    ) -> usize {
        let mut n = 0;
        for d in 0..days {
            let mut t = start + d * DAY;
            // Learning steps come due within the day: go round until the queue is empty.
            for _ in 0..4 {
                let queue = recall.queue(topic, t).unwrap();
                if queue.is_empty() {
                    break;
                }
                for item in queue {
                    let rating = self.answer(&item.key, t);
                    let source = if item.cram {
                        Source::Cram
                    } else {
                        Source::Study
                    };
                    recall.rate(&item.key, rating, source, t).unwrap();
                    n += 1;
                    t += 20;
                }
                t += 15 * 60;
            }
        }
        n
    }
}
