//! The documentation's complete pack example is a valid pack that compresses.

use memseed_core::{Card, Compressor, load_str};

#[test]
fn the_pack_format_example_loads_and_compresses() {
    let doc = include_str!("../../../docs/pack-format.md");
    let start = doc
        .find("```toml\n")
        .expect("the format doc has a TOML example")
        + "```toml\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    let (pack, warnings) =
        load_str("docs/pack-format.md", &doc[start..end]).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(pack.topic.id, "tea");
    assert_eq!(
        (
            pack.concepts.len(),
            pack.traps.len(),
            pack.questions.len(),
            pack.practice.len()
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(pack.concepts[0].derives, vec![1]);
    assert_eq!(pack.concepts[0].snippet.output.as_deref(), Some("75"));
    let comp = Compressor::new(&pack);
    let card = Card::new(&pack, &comp, comp.full_bytes()).unwrap();
    assert!(
        card.text()
            .contains("Water temperature \u{2014} Hot water is a key")
    );
}
