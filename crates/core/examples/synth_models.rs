//! Prints selection models (the optimum.py schema) of random packs shaped like the bundled
//! ones, one JSON line per budget, for bench/optimum.py.
//!
//! Usage: synth_models ITEMS SEED BUDGET[,BUDGET...] [greedy]

use memseed_core::card::Card;
use memseed_core::select::Compressor;
use memseed_core::synth;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let usage = "usage: synth_models ITEMS SEED BUDGET[,BUDGET...]";
    let items: usize = args.get(1).and_then(|s| s.parse().ok()).expect(usage);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
    let budgets: Vec<u64> = args
        .get(3)
        .expect(usage)
        .split(',')
        .map(|b| b.parse().expect(usage))
        .collect();
    // Shape::like_ours(n) holds about 2.1 n + 4 items.
    let concepts = ((items.saturating_sub(4)) as f64 / 2.1).round() as usize;
    let pack = synth::pack(seed, synth::Shape::like_ours(concepts.max(1)));
    let compressor = Compressor::new(&pack);
    let full = compressor.full_bytes();
    for b in budgets {
        let b = if b == 0 { full } else { b };
        let card = Card::new(&pack, &compressor, b).expect("budget above the title line");
        println!("{}", card.model_json());
    }
}
