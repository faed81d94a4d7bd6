//! Property tests: any text — long words, URLs, emoji (joined, flags, modifiers),
//! right-to-left scripts, CJK, empty fields, many lines — lays out inside the canvas
//! without overlapping lines, and renders to a PNG without panicking.

use memseed_render::{CardContent, HEIGHT, Layout, Pixmap, Seed, Theme, WIDTH, layout, render_png};
use proptest::prelude::*;

/// Pieces of hostile text.
const FRAGMENTS: &[&str] = &[
    "word",
    "GIL",
    "a",
    "",
    " ",
    "Supercalifragilisticexpialidocious",
    "pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some-more-hyphens",
    "https://example.com/a/very/long/path?with=query&and=more#fragment-that-keeps-going-on",
    "\u{1F600}",
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
    "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}",
    "\u{1F1EB}\u{1F1F7}\u{1F1EF}\u{1F1F5}",
    "\u{1F44D}\u{1F3FD}",
    "\u{2764}\u{FE0F}",
    "\u{0645}\u{0631}\u{062D}\u{0628}\u{0627} \u{0628}\u{0627}\u{0644}\u{0639}\u{0627}\u{0644}\u{0645}",
    "\u{05E9}\u{05DC}\u{05D5}\u{05DD} \u{05E2}\u{05D5}\u{05DC}\u{05DD}",
    "\u{202E}reversed\u{202C}",
    "\u{4E2D}\u{6587}\u{5B57}\u{7B26}\u{6D4B}\u{8BD5}",
    "\u{65E5}\u{672C}\u{8A9E}\u{306E}\u{30C6}\u{30AD}\u{30B9}\u{30C8}",
    "e\u{0301}\u{0302}\u{0303}\u{0304}",
    "\u{200B}\u{200C}\u{FEFF}",
    "tab\there\nnewline\r\n",
    "<&>\"'",
    "\u{0000}\u{0007}\u{001B}[31m",
    "\u{2014}\u{2026}\u{00B7}",
    "Ωμέγα кириллица",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
    "\u{FDFD}",
    "\u{1242B}",
];

fn text(max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..max).prop_map(|v| v.join(" "))
}

fn content() -> impl Strategy<Value = CardContent> {
    let seed =
        (text(6), prop::option::of(text(30))).prop_map(|(title, anchor)| Seed { title, anchor });
    (
        text(8),
        text(2),
        text(2),
        text(4),
        prop::collection::vec(seed, 0..40),
        text(3),
        prop::collection::vec(text(25), 0..20),
        text(40),
    )
        .prop_map(
            |(title, size, budget, seeds_heading, seeds, traps_heading, traps, lost)| CardContent {
                title,
                size,
                budget,
                seeds_heading,
                seeds,
                traps_heading,
                traps,
                lost,
                ..CardContent::default()
            },
        )
}

fn check_layout(l: &Layout) -> Result<(), TestCaseError> {
    let (w, h) = (WIDTH as f32, HEIGHT as f32);
    for (x, y, bw, bh) in l.boxes() {
        prop_assert!(
            x >= 0.0 && y >= 0.0 && x + bw <= w && y + bh <= h,
            "box {:?} outside the canvas",
            (x, y, bw, bh)
        );
    }
    for line in &l.lines {
        for run in &line.runs {
            prop_assert!(run.x >= line.x - 0.01 && run.x <= line.x + line.width + 0.01);
        }
    }
    // No two lines of text overlap (the badge text sits on its badge, a shape).
    for (i, a) in l.lines.iter().enumerate() {
        for b in &l.lines[i + 1..] {
            let apart = a.x + a.width <= b.x + 0.01
                || b.x + b.width <= a.x + 0.01
                || a.y + a.height <= b.y + 0.01
                || b.y + b.height <= a.y + 0.01;
            prop_assert!(apart, "{:?} overlaps {:?}", a, b);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_lays_out_inside_the_canvas(content in content()) {
        check_layout(&layout(&content))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_text_renders_to_a_png(content in content(), light in any::<bool>()) {
        let theme = if light { Theme::Light } else { Theme::Dark };
        let png = render_png(&content, theme);
        prop_assert!(png.is_ok(), "{:?}", png.err());
        let pixmap = Pixmap::decode_png(&png.unwrap_or_default());
        prop_assert!(pixmap.as_ref().is_ok_and(|p| p.width() == WIDTH && p.height() == HEIGHT));
    }
}
