//! Time to render one share card: the whole PNG, and its three stages (layout and SVG,
//! rasterizing, PNG encoding), plus what other zlib efforts would cost and save.
//!
//! `cargo bench -p memseed-render`

use std::hint::black_box;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use memseed_catalog::Catalog;
use memseed_core::{Card, Compressor};
use memseed_render::{CardContent, Pixmap, Theme, encode_png, rasterize, render_png, render_svg};

fn content() -> CardContent {
    let catalog = Catalog::bundled();
    let pack = &catalog.get("python").expect("python is bundled").pack;
    let compressor = Compressor::new(pack);
    let card = Card::new(pack, &compressor, 2257).expect("budget fits");
    CardContent::from_card(&card)
}

/// The same encoding as the crate's, with another filter and DEFLATE setting.
fn encode_with(pixmap: &Pixmap, filter: png::Filter, deflate: png::DeflateCompression) -> Vec<u8> {
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_filter(filter);
    encoder.set_deflate_compression(deflate);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&rgb).expect("data");
    writer.finish().expect("finish");
    out
}

fn bench(c: &mut Criterion) {
    let content = content();
    let theme = Theme::Dark;
    let svg = render_svg(&content, theme);
    let pixmap = rasterize(&svg).expect("rasterizes");

    c.bench_function("card/full_png", |b| {
        b.iter(|| render_png(black_box(&content), theme).expect("renders"))
    });
    c.bench_function("card/layout_svg", |b| {
        b.iter(|| render_svg(black_box(&content), theme))
    });
    c.bench_function("card/rasterize", |b| {
        b.iter(|| rasterize(black_box(&svg)).expect("rasterizes"))
    });
    c.bench_function("card/encode_png", |b| {
        b.iter(|| encode_png(black_box(&pixmap)).expect("encodes"))
    });

    // Size and a rough time per encoder setting, printed once for the note on the choice.
    use png::{DeflateCompression as D, Filter as F};
    for (name, filter, deflate) in [
        ("fdeflate adaptive", F::Adaptive, D::FdeflateUltraFast),
        ("zlib 1 none", F::NoFilter, D::Level(1)),
        ("zlib 3 none (used)", F::NoFilter, D::Level(3)),
        ("zlib 6 adaptive", F::Adaptive, D::Level(6)),
        ("zlib 6 none", F::NoFilter, D::Level(6)),
    ] {
        let start = Instant::now();
        let runs = 5;
        let mut bytes = 0;
        for _ in 0..runs {
            bytes = encode_with(&pixmap, filter, deflate).len();
        }
        let ms = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        println!("png {name:>18}: {bytes:>7} bytes, {ms:6.1} ms");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
