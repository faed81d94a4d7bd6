//! Prints selection models (the optimum.py schema) of random packs, one JSON line per
//! budget, for bench/optimum.py.
//!
//! Usage: synth_models SHAPE CONCEPTS SEED BUDGET[,BUDGET...]
//!   SHAPE: `ours` (the bundled packs' proportions) or `long` (long anchors, many critical
//!   and high concepts, answers inside concepts); a budget of 0 means the full card.

use memseed_core::card::Card;
use memseed_core::select::Compressor;
use memseed_core::synth::{self, Shape};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: synth_models ours|long CONCEPTS SEED BUDGET[,BUDGET...]";
    let concepts: usize = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let seed: u64 = args.get(3).and_then(|s| s.parse().ok()).expect(usage);
    let shape = match args.get(1).map(String::as_str) {
        Some("ours") => Shape::like_ours(concepts),
        Some("long") => Shape::long_anchors(concepts, seed),
        _ => panic!("{usage}"),
    };
    let budgets: Vec<u64> = args
        .get(4)
        .expect(usage)
        .split(',')
        .map(|b| b.parse().expect(usage))
        .collect();
    let pack = synth::pack(seed, shape);
    // RULES=no-floor builds the model without rule 5 (for experiments).
    let rules = match std::env::var("RULES").as_deref() {
        Ok("no-floor") => memseed_core::select::Rules {
            tiers_as_floor: false,
            ..memseed_core::select::Rules::ALL
        },
        _ => memseed_core::select::Rules::ALL,
    };
    let compressor = Compressor::with_rules(&pack, rules);
    let full = compressor.full_bytes();
    for b in budgets {
        let b = if b == 0 { full } else { b };
        let card = Card::new(&pack, &compressor, b).expect("budget above the title line");
        println!("{}", card.model_json());
    }
}
