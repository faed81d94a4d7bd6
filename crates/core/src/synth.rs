//! Random packs shaped like real ones (tiers, field lengths, derives graphs, traps,
//! questions, practice), for property tests and benchmarks. Deterministic from a seed.

use std::fmt::Write;

use crate::pack::{
    Category, Concept, Difficulty, MapSection, Pack, Practice, Question, Snippet, Tier, Topic, Trap,
};

/// SplitMix64: a small, well-mixed, seedable generator; plenty for test data.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
}

const WORDS: &[&str] = &[
    "cache",
    "thread",
    "lock",
    "frame",
    "object",
    "value",
    "table",
    "index",
    "queue",
    "event",
    "buffer",
    "stack",
    "heap",
    "pointer",
    "handle",
    "socket",
    "stream",
    "token",
    "parser",
    "node",
    "graph",
    "edge",
    "hash",
    "bucket",
    "slot",
    "page",
    "block",
    "scope",
    "closure",
    "module",
    "import",
    "loop",
    "task",
    "future",
    "signal",
    "state",
    "commit",
    "branch",
    "merge",
    "rebase",
    "a",
    "the",
    "of",
    "to",
    "in",
    "is",
    "and",
    "runs",
    "keeps",
    "holds",
    "frees",
    "moves",
    "fast",
    "slow",
    "only",
    "each",
    "every",
    "once",
    "never",
    "after",
    "before",
    "until",
    "caf\u{e9}",
    "na\u{ef}ve",
    "\u{3bb}-calculus",
    "\u{2192}",
    "r\u{e9}sum\u{e9}",
];

/// Prose of between about `lo` and `hi` bytes, in sentences of 5 to 20 words, each
/// starting with a capital letter and ending with a period.
fn prose(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let target = rng.range(lo, hi);
    let mut s = String::new();
    let mut left = 0;
    while s.len() < target {
        if left == 0 {
            if !s.is_empty() {
                s.push_str(". ");
            }
            left = rng.range(5, 20);
            let w = WORDS[rng.range(0, WORDS.len() - 1)];
            let mut chars = w.chars();
            if let Some(first) = chars.next() {
                s.extend(first.to_uppercase());
                s.push_str(chars.as_str());
            }
        } else {
            s.push(' ');
            s.push_str(WORDS[rng.range(0, WORDS.len() - 1)]);
        }
        left -= 1;
    }
    s.push('.');
    s
}

/// A title: a few words, no final period.
fn title(rng: &mut Rng) -> String {
    let n = rng.range(1, 5);
    (0..n)
        .map(|_| WORDS[rng.range(0, 39)])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Code of between about `lo` and `hi` bytes, in short lines.
fn code(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let target = rng.range(lo, hi);
    let mut s = String::new();
    while s.len() < target {
        let indent = if rng.chance(0.3) { "    " } else { "" };
        let _ = writeln!(
            s,
            "{indent}{} = {}({})",
            WORDS[rng.range(0, 39)],
            WORDS[rng.range(0, 39)],
            rng.range(0, 999)
        );
    }
    s.pop();
    s
}

/// Shape of a generated pack.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub concepts: usize,
    pub traps: usize,
    pub questions: usize,
    pub practice: usize,
    /// Whether critical and high concepts list concepts they derive.
    pub derives: bool,
    /// Exact numbers of critical and high concepts; `None`: about 11% and 17%.
    pub critical: Option<usize>,
    pub high: Option<usize>,
    /// Range of anchor lengths, in bytes.
    pub anchor_bytes: (usize, usize),
    /// Range of the length of "What it is", in bytes.
    pub what_bytes: (usize, usize),
    /// Range of interview answer lengths, in bytes.
    pub interview_bytes: (usize, usize),
    /// Chance that a medium or low concept has its full depth (deep, code, answer, trap).
    pub depth_chance: f64,
}

impl Shape {
    /// Proportions of the bundled packs: a trap per four concepts, about 0.6 questions and
    /// 0.25 practice questions per concept, anchors of 100–170 bytes.
    pub fn like_ours(concepts: usize) -> Self {
        Shape {
            concepts,
            traps: concepts / 4,
            questions: concepts * 3 / 5,
            practice: concepts / 4,
            derives: true,
            critical: None,
            high: None,
            anchor_bytes: (100, 170),
            what_bytes: (230, 300),
            interview_bytes: (150, 400),
            depth_chance: 0.4,
        }
    }

    /// The shape of topics converted from another site: 9–15 critical and 9–16 high
    /// concepts, anchors of 185–285 bytes, a "What it is" of 300–750 bytes, interview
    /// answers inside the concepts and few separate questions. `seed` picks the counts.
    pub fn long_anchors(concepts: usize, seed: u64) -> Self {
        let mut rng = Rng::new(seed ^ 0x5eed_10f6);
        let critical = rng.range(9, 15).min(concepts);
        let high = rng.range(9, 16).min(concepts - critical);
        Shape {
            concepts,
            traps: concepts / 3,
            questions: concepts / 10,
            practice: concepts / 8,
            derives: true,
            critical: Some(critical),
            high: Some(high),
            anchor_bytes: (185, 285),
            what_bytes: (300, 750),
            interview_bytes: (200, 500),
            depth_chance: 0.6,
        }
    }

    /// Total items a card can hold (concepts, traps, questions, practice, topic fields).
    pub fn items(&self) -> usize {
        self.concepts + self.traps + self.questions + self.practice + 4
    }
}

/// A random pack with the given shape.
pub fn pack(seed: u64, shape: Shape) -> Pack {
    let mut rng = Rng::new(seed);
    let rng = &mut rng;
    let categories: Vec<Category> = (0..4)
        .map(|i| Category {
            id: format!("cat-{i}"),
            title: format!("Category {i}"),
            map: MapSection::ALL[i],
            summary: None,
        })
        .collect();
    let tier_of = |r: &mut Rng, i: usize| match (shape.critical, shape.high) {
        (Some(c), Some(_)) if i < c => Tier::Critical,
        (Some(c), Some(h)) if i < c + h => Tier::High,
        (Some(_), Some(_)) => {
            if r.chance(0.7) {
                Tier::Medium
            } else {
                Tier::Low
            }
        }
        _ => match r.range(0, 99) {
            0..=10 => Tier::Critical,
            11..=27 => Tier::High,
            28..=75 => Tier::Medium,
            _ => Tier::Low,
        },
    };
    let (alo, ahi) = shape.anchor_bytes;
    let (ilo, ihi) = shape.interview_bytes;
    let mut concepts: Vec<Concept> = (0..shape.concepts)
        .map(|i| {
            let tier = tier_of(rng, i);
            let full = tier <= Tier::High || rng.chance(shape.depth_chance);
            Concept {
                id: format!("c{i}"),
                title: title(rng),
                category: i % categories.len(),
                tier,
                anchor: (tier <= Tier::High || rng.chance(0.9)).then(|| prose(rng, alo, ahi)),
                image: None,
                basic: Some(prose(rng, 60, 200)),
                expected: Some(prose(rng, 250, 600)),
                deep: full.then(|| prose(rng, 300, 900)),
                snippet: Snippet {
                    code: full.then(|| code(rng, 80, 400)),
                    ..Snippet::default()
                },
                interview: full.then(|| prose(rng, ilo, ihi)),
                trap: full.then(|| prose(rng, 80, 250)),
                derives: Vec::new(),
                tags: Vec::new(),
            }
        })
        .collect();
    if shape.derives {
        let n = concepts.len();
        for (i, c) in concepts.iter_mut().enumerate() {
            if c.tier <= Tier::High {
                let k = rng.range(2, 6);
                let mut d = Vec::new();
                for _ in 0..k {
                    let j = rng.range(0, n - 1);
                    if j != i && !d.contains(&j) {
                        d.push(j);
                    }
                }
                c.derives = d;
            }
        }
    }
    let pick_concept = |r: &mut Rng| (shape.concepts > 0).then(|| r.range(0, shape.concepts - 1));
    let traps = (0..shape.traps)
        .map(|i| {
            let concept = pick_concept(rng);
            Trap {
                id: format!("t{i}"),
                title: title(rng),
                what: prose(rng, 60, 110),
                fix: prose(rng, 60, 200),
                concept,
                tier: concept.map_or(Tier::Medium, |c| concepts[c].tier),
                snippet: Snippet {
                    code: rng.chance(0.7).then(|| code(rng, 60, 250)),
                    ..Snippet::default()
                },
            }
        })
        .collect();
    let questions = (0..shape.questions)
        .map(|i| {
            let c = pick_concept(rng);
            Question {
                id: format!("q{i}"),
                level: Difficulty::ALL[i % 3],
                question: prose(rng, 40, 120),
                short: prose(rng, 60, 220),
                detailed: Some(prose(rng, 300, 900)),
                concepts: c.into_iter().collect(),
                tier: c.map_or(Tier::Medium, |c| concepts[c].tier),
            }
        })
        .collect();
    let practice = (0..shape.practice)
        .map(|i| {
            let c = pick_concept(rng);
            Practice {
                id: format!("p{i}"),
                question: "What does this print?".into(),
                snippet: Snippet {
                    code: Some(code(rng, 60, 300)),
                    ..Snippet::default()
                },
                answer: prose(rng, 40, 200),
                level: Some(Difficulty::ALL[i % 3]),
                concepts: c.into_iter().collect(),
                tier: c.map_or(Tier::Medium, |c| concepts[c].tier),
            }
        })
        .collect();
    Pack {
        source: format!("synthetic:{seed}"),
        topic: Topic {
            id: format!("synthetic-{seed}"),
            title: format!("Synthetic {seed}"),
            tagline: None,
            language: None,
            what_it_is: prose(rng, shape.what_bytes.0, shape.what_bytes.1),
            why_it_exists: Some(prose(rng, 250, 400)),
            when_to_use: (0..5).map(|_| prose(rng, 40, 110)).collect(),
            where_it_fails: (0..4).map(|_| prose(rng, 40, 110)).collect(),
        },
        categories,
        concepts,
        traps,
        questions,
        practice,
    }
}
