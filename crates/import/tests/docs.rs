//! docs/import.md's example: its note imports to exactly the pack the page shows.

#[test]
fn the_documented_example_is_what_the_importer_writes() {
    let doc = include_str!("../../../docs/import.md");
    let start = doc.find("````markdown\n").expect("the example note") + "````markdown\n".len();
    let end = start + doc[start..].find("````").unwrap();
    let note = &doc[start..end];
    let t = doc[end..].find("```toml\n").unwrap() + end + "```toml\n".len();
    let t_end = t + doc[t..].find("\n```").unwrap() + 1;
    let shown = &doc[t..t_end];
    let i =
        memseed_import::import_text("concurrency.md", note, &memseed_import::Options::default())
            .unwrap();
    assert_eq!(
        i.toml, shown,
        "docs/import.md is out of date; paste the new output"
    );
    memseed_core::load_str("concurrency.toml", shown).unwrap();
}
