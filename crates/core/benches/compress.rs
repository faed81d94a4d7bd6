//! Speed of compression: building a pack's chain, and answering one budget from it.
//! Run with `cargo bench -p memseed-core`; figures are medians on this machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use memseed_core::select::{Chain, Forgetting, Model};
use memseed_core::synth::{self, Shape};
use memseed_core::{Card, Compressor, load_str};

fn python() -> memseed_core::Pack {
    let text = include_str!("../../../topics/python.toml");
    load_str("topics/python.toml", text)
        .expect("bundled pack loads")
        .0
}

/// A random pack of about `items` items (Shape::like_ours holds about 2.1 n + 4 items).
fn synthetic(items: usize) -> memseed_core::Pack {
    synth::pack(1, Shape::like_ours(((items - 4) as f64 / 2.1) as usize))
}

fn build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    let py = python();
    g.bench_function("python pack", |b| {
        b.iter(|| Compressor::new(black_box(&py)))
    });
    // A studied person: a third of the items known cold, a third half forgotten, the rest
    // never seen. `compress --for-me` builds this instead of the plain pack's chain.
    let mut f = Forgetting::unknown(&py);
    for (k, p) in f
        .concepts
        .iter_mut()
        .chain(&mut f.traps)
        .chain(&mut f.questions)
        .enumerate()
    {
        *p = [0.02, 0.5, 1.0][k % 3];
    }
    g.bench_function("python pack, personal", |b| {
        b.iter(|| Compressor::personal(black_box(&py), black_box(&f)))
    });
    let p100 = synth::pack(1, Shape::like_ours(100));
    g.bench_function("100 concepts", |b| {
        b.iter(|| Compressor::new(black_box(&p100)))
    });
    let long = synth::pack(1, Shape::long_anchors(70, 1));
    g.bench_function("70 concepts, long anchors", |b| {
        b.iter(|| Compressor::new(black_box(&long)))
    });
    let (m, _) = Model::from_pack(&p100);
    g.bench_function("100 concepts, greedy chain only", |b| {
        b.iter(|| Chain::greedy(black_box(&m)))
    });
    g.finish();
    let mut g = c.benchmark_group("build-large");
    g.sample_size(10).measurement_time(Duration::from_secs(30));
    let big = synthetic(100_000);
    g.bench_function("100,000 items", |b| {
        b.iter(|| Compressor::new(black_box(&big)))
    });
    g.finish();
}

fn answer(c: &mut Criterion) {
    let mut g = c.benchmark_group("answer");
    let p100 = synth::pack(1, Shape::like_ours(100));
    let comp = Compressor::new(&p100);
    for budget in [512u64, 2257, 16 * 1024, 64 * 1024] {
        g.bench_with_input(
            BenchmarkId::new("100 concepts", budget),
            &budget,
            |b, &budget| b.iter(|| comp.select(black_box(budget)).unwrap()),
        );
    }
    let py = python();
    let comp_py = Compressor::new(&py);
    g.bench_function("python pack, 2257 B, selection and text", |b| {
        b.iter(|| Card::new(&py, &comp_py, black_box(2257)).unwrap().text())
    });
    g.bench_function("python pack, 2257 B, full JSON report", |b| {
        b.iter(|| Card::new(&py, &comp_py, black_box(2257)).unwrap().report())
    });
    let big = synthetic(100_000);
    let comp_big = Compressor::new(&big);
    for budget in [2257u64, 64 * 1024, 1 << 20] {
        g.bench_with_input(
            BenchmarkId::new("100,000 items", budget),
            &budget,
            |b, &budget| b.iter(|| comp_big.select(black_box(budget)).unwrap()),
        );
    }
    g.finish();
}

criterion_group!(benches, build, answer);
criterion_main!(benches);
