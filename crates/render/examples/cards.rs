//! Writes the Python card at a few budgets in both themes, as PNG and SVG, to look at:
//! `cargo run -p memseed-render --example cards -- /tmp/cards [topic] [budget...]`.

use std::path::PathBuf;

use memseed_catalog::Catalog;
use memseed_core::{Card, Compressor};
use memseed_render::{CardContent, Theme, render_png, render_svg};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "/tmp/cards".into()));
    let topic = args.next().unwrap_or_else(|| "python".into());
    let mut budgets: Vec<u64> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    if budgets.is_empty() {
        budgets = vec![1024, 2257, 6144];
    }
    std::fs::create_dir_all(&dir)?;
    let catalog = Catalog::bundled();
    let pack = &catalog.get(&topic).ok_or("unknown topic")?.pack;
    let compressor = Compressor::new(pack);
    for budget in budgets {
        let card = Card::new(pack, &compressor, budget)?;
        let content = CardContent::from_card(&card);
        for theme in Theme::ALL {
            let stem = dir.join(format!("{topic}-{budget}-{theme}"));
            std::fs::write(stem.with_extension("svg"), render_svg(&content, theme))?;
            let png = render_png(&content, theme)?;
            std::fs::write(stem.with_extension("png"), &png)?;
            println!(
                "{} ({} bytes)",
                stem.with_extension("png").display(),
                png.len()
            );
        }
    }
    Ok(())
}
