//! Experiment tool for the chain builder: builds a pack's chain with tuning knobs taken
//! from the environment, and prints the build time and the mean ratio over a 1% grid from
//! 512 B to 64 KB to the greedy chain's interpolated curve (an optimistic reference).
//!
//! Usage: ratio PACK.toml   (knobs: GREEDY=1, GMIN, GRATIO, FAMILIES, CYCLES, WINDOW, WCAP,
//!                          REGION)
//!        OPTIMA=file.json (from bench/optima.py) also prints the ratio to the exact optimum.
//!        SHOW=1 also prints the ratio at each budget up to 8 KB.
//!        STEPS=n also prints the first n steps of the chain.
//!        PACK may be `synth:ours|long:CONCEPTS:SEED`, a random pack.
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
    // `synth:SHAPE:CONCEPTS:SEED` is a random pack (SHAPE `ours` or `long`).
    let pack = if let Some(spec) = path.strip_prefix("synth:") {
        let parts: Vec<&str> = spec.split(':').collect();
        let (n, seed): (usize, u64) = (parts[1].parse().unwrap(), parts[2].parse().unwrap());
        let shape = if parts[0] == "long" {
            memseed_core::synth::Shape::long_anchors(n, seed)
        } else {
            memseed_core::synth::Shape::like_ours(n)
        };
        memseed_core::synth::pack(seed, shape)
    } else {
        let src = std::fs::read_to_string(&path).unwrap();
        load_str(&path, &src).unwrap().0
    };
    let (m, refs) = Model::from_pack(&pack);
    let d = Tuning::default();
    let t = Tuning {
        grid_min: knob("GMIN", d.grid_min),
        families: knob("FAMILIES", d.families),
        cycles: knob("CYCLES", d.cycles),
        window: knob("WINDOW", d.window),
        window_cap: knob("WCAP", d.window_cap),
        region_cap: knob("REGION", d.region_cap),
        grid_ratio: knob("GRATIO", d.grid_ratio),
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
    let kept = |b: u64| c.value_at(c.prefix_for(b).unwrap());
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
        sum += kept(b) / est;
    }
    println!(
        "{path}: built in {elapsed:?}; fine-grid mean vs interpolated greedy {:.5}",
        sum / fine.len() as f64
    );
    // Against CP-SAT optima per budget, if a file of them is given (OPTIMA=path.json,
    // {"budget": value}): mean ratio on the 1/16- and 1/4-octave grids, all and to 4 KB.
    if let Ok(file) = std::env::var("OPTIMA") {
        let text = std::fs::read_to_string(&file).unwrap();
        let opt: std::collections::BTreeMap<String, f64> = serde_json::from_str(&text).unwrap();
        let full = c.bytes_at(c.steps().len());
        // Every budget of the file, whatever grid it was solved on.
        let rs: Vec<f64> = opt
            .iter()
            .map(|(b, o)| (b.parse::<u64>().unwrap(), o))
            .filter(|&(b, _)| b < full)
            .map(|(b, o)| kept(b) / o)
            .collect();
        println!(
            "  all {} budgets of the file: mean {:.4}",
            rs.len(),
            rs.iter().sum::<f64>() / rs.len() as f64
        );
        for per_octave in [16, 4] {
            let mut rs = Vec::new();
            for k in 0..=7 * per_octave {
                let b = (512.0 * 2f64.powf(k as f64 / per_octave as f64)).round() as u64;
                if b >= full {
                    break;
                }
                let Some(&o) = opt.get(&b.to_string()) else {
                    continue;
                };
                rs.push((b, kept(b) / o));
            }
            if rs.is_empty() {
                continue;
            }
            rs.push((full, 1.0));
            if knob("SHOW", 0) == 1 {
                let at: Vec<String> = rs
                    .iter()
                    .filter(|r| r.0 <= 8192)
                    .map(|(b, r)| format!("{b}:{r:.3}"))
                    .collect();
                println!("  {}", at.join(" "));
            }
            let mean = |f: &dyn Fn(u64) -> bool| {
                let v: Vec<f64> = rs.iter().filter(|r| f(r.0)).map(|r| r.1).collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let worst = rs.iter().map(|r| r.1).fold(f64::INFINITY, f64::min);
            println!(
                "  1/{per_octave} octave ({} budgets): mean {:.4}, 512-4096 B {:.4}, above 8 KB {:.4}, worst {worst:.4}",
                rs.len(),
                mean(&|_| true),
                mean(&|b| b <= 4096),
                mean(&|b| b > 8192)
            );
        }
    }
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
