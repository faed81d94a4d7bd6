//! Prints, as JSON lines, the original's fixed-rule cards (seed, cheatsheet, full) of packs
//! beside memseed's cards of the same sizes, for bench/optimum.py's table.
//!
//! Usage: baseline PACK.toml...              one line per pack file
//!        baseline --synth ours|long CONCEPTS SEED...   one line per random pack

use memseed_core::select::Compressor;
use memseed_core::select::baseline::compare;
use memseed_core::synth::{self, Shape};
use memseed_core::{Pack, load_str};

fn line(name: &str, pack: &Pack) {
    let compressor = Compressor::new(pack);
    let rows = compare(pack, &compressor);
    println!("{}", serde_json::json!({"pack": name, "tiers": rows}));
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--synth") {
        let usage = "usage: baseline --synth ours|long CONCEPTS SEED...";
        let concepts: usize = args.get(2).and_then(|s| s.parse().ok()).expect(usage);
        for seed in &args[3..] {
            let seed: u64 = seed.parse().expect(usage);
            let shape = match args[1].as_str() {
                "ours" => Shape::like_ours(concepts),
                "long" => Shape::long_anchors(concepts, seed),
                _ => panic!("{usage}"),
            };
            line(
                &format!("random-{}-{concepts}-s{seed}", args[1]),
                &synth::pack(seed, shape),
            );
        }
        return;
    }
    for path in &args {
        let src = std::fs::read_to_string(path).expect("readable pack");
        let (pack, _) = load_str(path, &src).expect("valid pack");
        line(&pack.topic.id.clone(), &pack);
    }
}
