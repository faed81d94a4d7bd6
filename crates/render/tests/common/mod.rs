//! Shared by the integration tests: the bundled Python card at a budget.

use memseed_catalog::Catalog;
use memseed_core::{Card, Compressor};
use memseed_render::CardContent;

/// The Python card at `budget`, with the titles of its kept seeds.
pub fn python(budget: u64) -> (CardContent, Vec<String>) {
    let catalog = Catalog::bundled();
    let pack = &catalog.get("python").expect("python is bundled").pack;
    let compressor = Compressor::new(pack);
    let card = Card::new(pack, &compressor, budget).expect("budget fits the title");
    let titles = card
        .report()
        .kept
        .iter()
        .filter(|k| k.kind == "concept")
        .map(|k| k.title.clone())
        .collect();
    (CardContent::from_card(&card), titles)
}

/// Every `<text>` element's text, one string per element, from an SVG document.
pub fn svg_lines(svg: &str) -> Vec<String> {
    let doc = resvg::usvg::roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| {
            n.descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect::<Vec<_>>()
                .join(" ")
                // Titles in a group of title-only seeds do not break inside.
                .replace('\u{a0}', " ")
        })
        .collect()
}
