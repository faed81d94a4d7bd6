//! Experiment tool for the chain builder: builds a pack's chain with tuning knobs taken
//! from the environment, and prints the build time and the mean ratio over a 1% grid from
//! 512 B to 64 KB to the greedy chain's interpolated curve (an optimistic reference).
//!
//! Usage: ratio PACK.toml   (knobs: GREEDY=1, GMIN, FAMILIES, CYCLES, WINDOW, WCAP, REGION)
//!        STEPS=n also prints the first n steps of the chain.
use memseed_core::load_str;
use memseed_core::select::{Chain, Model, Tuning};
use std::time::Instant;

fn knob<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: ratio PACK.toml");
    let src = std::fs::read_to_string(&path).unwrap();
    let (pack, _) = load_str(&path, &src).unwrap();
    let (m, refs) = Model::from_pack(&pack);
    let d = Tuning::default();
    let t = Tuning {
        grid_min: knob("GMIN", d.grid_min),
        families: knob("FAMILIES", d.families),
        cycles: knob("CYCLES", d.cycles),
        window: knob("WINDOW", d.window),
        window_cap: knob("WCAP", d.window_cap),
        region_cap: knob("REGION", d.region_cap),
        ..d
    };
    let start = Instant::now();
    let c = if knob("GREEDY", 0) == 1 {
        Chain::greedy(&m)
    } else {
        Chain::build_with(&m, &t)
    };
    let elapsed = start.elapsed();
    let g = Chain::greedy(&m);
    let fine: Vec<u64> = (0..)
        .map(|k| (512.0 * 1.01f64.powi(k)).round() as u64)
        .take_while(|&b| b <= 65536)
        .collect();
    let mut sum = 0.0;
    for &b in &fine {
        let p = g.prefix_for(b).unwrap();
        let est = if p < g.steps().len() {
            let (x0, x1, v0, v1) = (
                g.bytes_at(p),
                g.bytes_at(p + 1),
                g.value_at(p),
                g.value_at(p + 1),
            );
            v0 + (v1 - v0) * (b - x0) as f64 / (x1 - x0) as f64
        } else {
            g.value_at(p)
        };
        sum += c.value_at(c.prefix_for(b).unwrap()) / est;
    }
    println!(
        "{path}: built in {elapsed:?}; fine-grid mean vs interpolated greedy {:.5}",
        sum / fine.len() as f64
    );
    for (k, st) in c.steps().iter().take(knob("STEPS", 0)).enumerate() {
        let key = refs[st.item as usize].key(&pack);
        println!(
            "{k:>3} {key:<45} L{} +{:>4} B +{:6.2}  -> {:>5} B {:7.2}",
            st.level,
            c.bytes_at(k + 1) - c.bytes_at(k),
            c.value_at(k + 1) - c.value_at(k),
            c.bytes_at(k + 1),
            c.value_at(k + 1)
        );
    }
}
