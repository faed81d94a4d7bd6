use memseed_core::select::{Chain, Model, Tuning, exact};
use memseed_core::synth;
use std::time::Instant;

fn grid() -> Vec<u64> {
    // 512 B .. 64 KiB, quarter-octave steps
    (0..=28).map(|k| (512.0 * 2f64.powf(k as f64 / 4.0)).round() as u64).collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let concepts: usize = args.get(1).map_or(60, |s| s.parse().unwrap());
    let seeds: u64 = args.get(2).map_or(5, |s| s.parse().unwrap());
    let mut all = (vec![], vec![]);
    for seed in 0..seeds {
        let mut shape = synth::Shape::like_ours(concepts);
        shape.derives = false;
        let pack = synth::pack(seed, shape);
        let (m, _) = Model::from_pack(&pack);
        let g = grid();
        let opt = exact::optimum_curve(&m, *g.last().unwrap());
        let t = Instant::now();
        let greedy = Chain::greedy(&m);
        let tg = t.elapsed();
        let t = Instant::now();
        let tu = Tuning { grid_min: std::env::var("GMIN").map_or(128, |s| s.parse().unwrap()), families: std::env::var("FAM").map_or(u32::MAX, |s| s.parse().unwrap()), ..Tuning::default() };
        let imp = Chain::build_with(&m, &tu);
        let ti = t.elapsed();
        let r = |c: &Chain| -> Vec<f64> { g.iter().map(|&b| c.value_at(c.prefix_for(b).unwrap()) / opt[b as usize]).collect() };
        let (rg, ri) = (r(&greedy), r(&imp));
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let min = |v: &[f64]| v.iter().cloned().fold(f64::INFINITY, f64::min);
        let above8: Vec<f64> = g.iter().zip(&ri).filter(|(b, _)| **b > 8192).map(|(_, r)| *r).collect();
        println!("seed {seed} items {} full {} B: greedy mean {:.4} min {:.4} ({tg:?}) | improved mean {:.4} min {:.4} >8K {:.4} ({ti:?})",
            m.items.len(), m.full().0, mean(&rg), min(&rg), mean(&ri), min(&ri), mean(&above8));
        let fine: Vec<u64> = (0..).map(|k| (512.0*1.01f64.powi(k)).round() as u64).take_while(|&b| b <= 65536).collect();
        let rf = |c: &Chain| -> f64 { fine.iter().map(|&b| c.value_at(c.prefix_for(b).unwrap()) / opt[b as usize]).sum::<f64>() / fine.len() as f64 };
        if std::env::var("FINE").is_ok() { println!("  fine-grid mean: greedy {:.4} improved {:.4}", rf(&greedy), rf(&imp)); }
        if std::env::var("DETAIL").is_ok() { for (k,&b) in g.iter().enumerate() { println!("  {b:>6} opt {:8.3} greedy {:.4} imp {:.4}", opt[b as usize], rg[k], ri[k]); } }
        all.0.extend(rg); all.1.extend(ri);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    println!("ALL greedy {:.4} improved {:.4}", mean(&all.0), mean(&all.1));
}
#[allow(dead_code)]
fn detail() {}
