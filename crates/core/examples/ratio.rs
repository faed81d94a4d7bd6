//! Experiment tool: chain variants on a pack, timed, with optional model dumps for optimum.py.
//! Usage: ratio PACK.toml [FAMILIES...]  (env BUDGETS="512,1024" to dump models as JSON lines)
use memseed_core::select::{Chain, Model, Tuning};
use memseed_core::{Card, Compressor, load_str};
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let src = std::fs::read_to_string(&args[1]).unwrap();
    let (pack, _) = load_str(&args[1], &src).unwrap();
    let (m, _) = Model::from_pack(&pack);
    let fams: Vec<u32> = args[2..].iter().map(|s| s.parse().unwrap()).collect();
    for f in fams {
        let tu = Tuning {
            families: f,
            polish_steps: std::env::var("POLISH").map_or(48, |s| s.parse().unwrap()),
            grid_min: std::env::var("GMIN").map_or(128, |s| s.parse().unwrap()),
            ..Tuning::default()
        };
        let t = Instant::now();
        let c = if f == 0 {
            Chain::greedy(&m)
        } else {
            Chain::build_with(&m, &tu)
        };
        let el = t.elapsed();
        let fine: Vec<u64> = (0..)
            .map(|k| (512.0 * 1.01f64.powi(k)).round() as u64)
            .take_while(|&b| b <= 65536)
            .collect();
        let g = Chain::greedy(&m);
        // ratio to the greedy chain's interpolated curve (an optimistic reference)
        let mut s = 0.0;
        for &b in &fine {
            let p = g.prefix_for(b).unwrap();
            let est = if p + 1 < g.steps().len() + 1 {
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
            s += c.value_at(c.prefix_for(b).unwrap()) / est;
        }
        println!(
            "families {f:>3}: {el:?}, fine-grid mean vs interpolated greedy {:.4}",
            s / fine.len() as f64
        );
    }
    if let Ok(n) = std::env::var("STEPS") {
        let comp = Compressor::new(&pack);
        let c = comp.chain();
        for (k, st) in c.steps().iter().take(n.parse().unwrap()).enumerate() {
            let r = comp.refs()[st.item as usize];
            println!(
                "{k:>3} {:<45} L{} +{:>4} B +{:6.2}  -> {:>5} B {:7.2}",
                format!("{}", r.key(&pack)),
                st.level,
                c.bytes_at(k + 1) - c.bytes_at(k),
                c.value_at(k + 1) - c.value_at(k),
                c.bytes_at(k + 1),
                c.value_at(k + 1)
            );
        }
    }
    if let Ok(b) = std::env::var("BUDGETS") {
        let comp = Compressor::new(&pack);
        for b in b.split(',') {
            let card = Card::new(&pack, &comp, b.parse().unwrap()).unwrap();
            println!("{}", card.model_json());
        }
    }
}
