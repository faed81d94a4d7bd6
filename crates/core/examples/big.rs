//! Builds and answers a generated pack of about 100,000 items, timing each phase and
//! reporting peak memory (VmHWM), for the scale targets: build <= 2 s, answer <= 1 ms,
//! <= 500 MB. Usage: big [ITEMS]
use std::time::Instant;

use memseed_core::select::{Chain, Model};
use memseed_core::synth::{self, Shape};
use memseed_core::{Card, Compressor};

fn peak_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let items: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let t = Instant::now();
    let pack = synth::pack(1, Shape::like_ours(((items - 4) as f64 / 2.1) as usize));
    println!("generate pack: {:?}, peak {:.0} MB", t.elapsed(), peak_mb());
    let t = Instant::now();
    let (m, _) = Model::from_pack(&pack);
    println!(
        "measure ({} items): {:?}, peak {:.0} MB",
        m.items.len(),
        t.elapsed(),
        peak_mb()
    );
    let t = Instant::now();
    let g = Chain::greedy(&m);
    println!(
        "greedy chain ({} steps): {:?}",
        g.steps().len(),
        t.elapsed()
    );
    drop(g);
    let t = Instant::now();
    let comp = Compressor::new(&pack);
    println!(
        "build (measure + chain): {:?}, peak {:.0} MB",
        t.elapsed(),
        peak_mb()
    );
    for budget in [2257u64, 65536, 1 << 20] {
        let t = Instant::now();
        let n = 200;
        for _ in 0..n {
            std::hint::black_box(comp.select(budget).unwrap());
        }
        println!("answer {budget} B: {:?} each", t.elapsed() / n);
    }
    let t = Instant::now();
    let text = Card::new(&pack, &comp, 2257).unwrap().text();
    println!(
        "text at 2257 B ({} bytes): {:?}; peak {:.0} MB",
        text.len(),
        t.elapsed(),
        peak_mb()
    );
}
