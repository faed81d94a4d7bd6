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
