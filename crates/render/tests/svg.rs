//! The SVG output: well-formed, escaped, and holding the card's text.

#[allow(dead_code)]
mod common;

use memseed_render::{CardContent, Seed, Theme, layout, render_svg};

#[test]
fn python_2257_svg_holds_every_kept_seed_title() {
    let (content, titles) = common::python(2257);
    assert!(
        titles.len() >= 9,
        "the 2,257-byte card keeps at least the nine critical seeds: {titles:?}"
    );
    for theme in Theme::ALL {
        let svg = render_svg(&content, theme);
        let text = common::svg_lines(&svg).join(" ");
        for title in &titles {
            assert!(
                text.contains(title.as_str()),
                "{theme}: {title:?} missing from {text}"
            );
        }
        assert!(
            text.contains("Python") && text.contains(&content.size),
            "{text}"
        );
        assert!(text.contains("Budget 2,257 bytes"), "{text}");
        assert!(text.contains("What you lose:"), "{text}");
    }
}

#[test]
fn python_2257_shows_all_of_it_and_6144_is_cut_with_more_lines() {
    let (content, _) = common::python(2257);
    let l = layout(&content);
    assert_eq!(l.hidden, 0);
    assert!(!l.texts().any(|t| t.ends_with('\u{2026}')));

    let (content, _) = common::python(6144);
    let l = layout(&content);
    assert!(l.hidden > 0, "6 KB does not fit on one card");
    let texts: Vec<String> = l.texts().collect();
    assert!(texts.iter().any(|t| t.ends_with('\u{2026}')), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("more seeds")), "{texts:?}");
    assert!(texts.iter().any(|t| t.contains("more traps")), "{texts:?}");
}

#[test]
fn markup_in_text_is_escaped() {
    let content = CardContent {
        title: "<script>alert('x')</script> & co".into(),
        size: "1 KB".into(),
        seeds: vec![Seed {
            title: "a < b".into(),
            anchor: Some("\"quoted\" & 'single' ]]> <!-- -->".into()),
        }],
        ..CardContent::default()
    };
    let svg = render_svg(&content, Theme::Light);
    assert!(!svg.contains("<script"), "{svg}");
    let text = common::svg_lines(&svg).join(" ");
    assert!(text.contains("<script>alert('x')</script> & co"), "{text}");
    assert!(text.contains("a < b"), "{text}");
    assert!(
        text.contains("\"quoted\" & 'single' ]]> <!-- -->"),
        "{text}"
    );
}

#[test]
fn inline_code_shows_without_its_backticks() {
    let catalog = memseed_catalog::Catalog::bundled();
    let mut with_code = 0;
    for entry in catalog.entries() {
        let pack = &entry.pack;
        let compressor = memseed_core::Compressor::new(pack);
        let [seed, cheatsheet, full] = compressor.presets();
        for budget in [seed, cheatsheet, full, compressor.full_bytes()] {
            let card = memseed_core::Card::new(pack, &compressor, budget).expect("a preset fits");
            let content = memseed_render::CardContent::from_card(&card);
            let texts = content
                .seeds
                .iter()
                .flat_map(|s| std::iter::once(&s.title).chain(s.anchor.as_ref()))
                .chain(&content.traps);
            for t in texts {
                assert!(!t.contains('`'), "{}: {t}", pack.topic.id);
            }
            with_code += card
                .kept()
                .filter(|(item, _)| match *item {
                    memseed_core::card::layout::ItemRef::Trap(i) => {
                        pack.traps[i].what.contains('`')
                    }
                    memseed_core::card::layout::ItemRef::Concept(i) => pack.concepts[i]
                        .anchor
                        .as_deref()
                        .is_some_and(|a| a.contains('`')),
                    _ => false,
                })
                .count();
        }
    }
    assert!(
        with_code > 0,
        "some kept anchor or trap has inline code to show"
    );
}
