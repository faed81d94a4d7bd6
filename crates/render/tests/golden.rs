//! Golden image: the Python card at 2,257 bytes in the dark theme, compared per pixel with
//! a tolerance for anti-aliasing differences between machines.
//!
//! After an intended change to the card's look, regenerate the golden image with
//! `MEMSEED_BLESS=1 cargo test -p memseed-render --test golden` and look at it.

#[allow(dead_code)]
mod common;

use std::path::{Path, PathBuf};

use memseed_render::{Pixmap, Theme, render_png};

/// Mean absolute difference per channel, on the 0–255 scale.
const MAX_MEAN_DIFF: f64 = 0.5;
/// Share of pixels allowed to differ by more than [`BIG_DIFF`] in some channel.
const MAX_BIG_SHARE: f64 = 0.002;
const BIG_DIFF: u8 = 64;

fn golden_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/python-2257-dark.png")
}

#[test]
fn python_2257_dark_matches_the_golden_image() {
    let (content, _) = common::python(2257);
    let png = render_png(&content, Theme::Dark).expect("renders");
    let path = golden_path();
    if std::env::var_os("MEMSEED_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &png).expect("writes the golden image");
        eprintln!("wrote {}", path.display());
        return;
    }
    let golden = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; create it with MEMSEED_BLESS=1 cargo test -p memseed-render --test golden",
            path.display()
        )
    });
    let (want, got) = (
        Pixmap::decode_png(&golden).expect("the golden image decodes"),
        Pixmap::decode_png(&png).expect("the card decodes"),
    );
    assert_eq!((got.width(), got.height()), (want.width(), want.height()));

    let mut total = 0u64;
    let mut big = 0usize;
    for (a, b) in got.pixels().iter().zip(want.pixels()) {
        let d = [
            a.red().abs_diff(b.red()),
            a.green().abs_diff(b.green()),
            a.blue().abs_diff(b.blue()),
        ];
        total += d.iter().map(|&x| u64::from(x)).sum::<u64>();
        if d.iter().any(|&x| x > BIG_DIFF) {
            big += 1;
        }
    }
    let pixels = got.pixels().len() as f64;
    let mean = total as f64 / (3.0 * pixels);
    let share = big as f64 / pixels;
    if mean > MAX_MEAN_DIFF || share > MAX_BIG_SHARE {
        let actual = Path::new(env!("CARGO_TARGET_TMPDIR")).join("python-2257-dark.actual.png");
        let _ = std::fs::write(&actual, &png);
        panic!(
            "the card differs from {}: mean difference {mean:.3} (max {MAX_MEAN_DIFF}), \
             {:.3}% of pixels off by more than {BIG_DIFF} (max {:.3}%). This render is at {}; \
             if the change is intended, regenerate with MEMSEED_BLESS=1.",
            path.display(),
            share * 100.0,
            MAX_BIG_SHARE * 100.0,
            actual.display()
        );
    }
}
