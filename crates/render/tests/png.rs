//! The PNG output: decodes, is exactly 1200×630, and has a card drawn on it.

#[allow(dead_code)]
mod common;

use std::collections::HashSet;

use memseed_render::{HEIGHT, Pixmap, Theme, WIDTH, render_png};

/// Pixels that differ from the background, and distinct colours.
fn stats(pixmap: &Pixmap, background: [u8; 3]) -> (usize, usize) {
    let mut differ = 0;
    let mut colours = HashSet::new();
    for p in pixmap.pixels() {
        let c = [p.red(), p.green(), p.blue()];
        let d = c
            .iter()
            .zip(background)
            .map(|(&a, b)| a.abs_diff(b))
            .max()
            .unwrap_or(0);
        if d > 24 {
            differ += 1;
        }
        colours.insert(c);
    }
    (differ, colours.len())
}

fn hex(s: &str) -> [u8; 3] {
    let v = |i: usize| u8::from_str_radix(&s[i..i + 2], 16).expect("hex colour");
    [v(1), v(3), v(5)]
}

#[test]
fn python_card_png_decodes_at_1200x630_and_is_not_blank() {
    let (content, _) = common::python(2257);
    for theme in Theme::ALL {
        let png = render_png(&content, theme).expect("renders");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let pixmap = Pixmap::decode_png(&png).expect("decodes");
        assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT));
        let (differ, colours) = stats(&pixmap, hex(theme.background()));
        let share = differ as f64 / f64::from(WIDTH * HEIGHT);
        // Text, the bar, the badge and markers: several percent of the canvas.
        assert!(share > 0.04, "{theme}: only {:.2}% drawn", share * 100.0);
        assert!(colours > 100, "{theme}: {colours} colours");
        // The corners are background.
        let corner = pixmap.pixel(WIDTH - 1, HEIGHT - 1).expect("in bounds");
        assert_eq!(
            [corner.red(), corner.green(), corner.blue()],
            hex(theme.background())
        );
    }
}

#[test]
fn an_empty_card_still_renders() {
    let png = render_png(&Default::default(), Theme::Dark).expect("renders");
    let pixmap = Pixmap::decode_png(&png).expect("decodes");
    assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT));
}
