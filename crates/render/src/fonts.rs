//! The embedded Inter faces: one place that measures text (with harfrust, the shaper usvg
//! draws with, so measured widths are drawn widths), says which characters the font has,
//! and builds the font database usvg draws from.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use harfrust::{Direction, Script, ShapeOptions, ShapePlan, Shaper, ShaperData, UnicodeBuffer};
use resvg::usvg::fontdb;
use skrifa::{FontRef, MetadataProvider, charmap::Charmap, instance::LocationRef};

/// The family name every `<text>` asks for; the generic families resolve to it too.
pub(crate) const FAMILY: &str = "Inter";

static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/Inter-Regular.otf");
static SEMIBOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-SemiBold.otf");
static BOLD: &[u8] = include_bytes!("../../../assets/fonts/Inter-Bold.otf");

/// The SIL Open Font License of the embedded Inter faces, to ship with the binary.
pub const FONT_LICENSE: &str = include_str!("../../../assets/fonts/OFL.txt");

/// A weight of the embedded family.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    SemiBold,
    Bold,
}

impl Weight {
    /// The CSS `font-weight` usvg matches against the embedded faces.
    pub fn css(self) -> u16 {
        match self {
            Weight::Regular => 400,
            Weight::SemiBold => 600,
            Weight::Bold => 700,
        }
    }
}

/// One parsed face, ready to shape.
struct Face {
    shaper: Shaper<'static>,
    charmap: Charmap<'static>,
    upem: f32,
    ascent: f32,
    descent: f32,
}

impl Face {
    fn parse(name: &str, data: &'static [u8]) -> Face {
        // The bytes are compiled in and tested; a parse failure is a build defect.
        let font = FontRef::new(data).unwrap_or_else(|e| panic!("embedded {name} is invalid: {e}"));
        let metrics = font.metrics(skrifa::instance::Size::unscaled(), LocationRef::default());
        // Built once per process; leaked so the shaper can borrow it for 'static.
        let data: &'static ShaperData = Box::leak(Box::new(ShaperData::new(&font)));
        Face {
            shaper: data.shaper(&font).build(),
            charmap: font.charmap(),
            upem: f32::from(metrics.units_per_em),
            ascent: metrics.ascent,
            descent: -metrics.descent,
        }
    }
}

struct Faces {
    regular: Face,
    semibold: Face,
    bold: Face,
}

static FACES: LazyLock<Faces> = LazyLock::new(|| Faces {
    regular: Face::parse("Inter-Regular.otf", REGULAR),
    semibold: Face::parse("Inter-SemiBold.otf", SEMIBOLD),
    bold: Face::parse("Inter-Bold.otf", BOLD),
});

fn face(weight: Weight) -> &'static Face {
    match weight {
        Weight::Regular => &FACES.regular,
        Weight::SemiBold => &FACES.semibold,
        Weight::Bold => &FACES.bold,
    }
}

thread_local! {
    // Widths already measured, per weight: wrapping measures the same words at every type
    // size it tries. Emptied by each layout, and when it grows past a bound.
    static WIDTHS: RefCell<[HashMap<String, f32>; 3]> = RefCell::default();
}

/// The advance width of `text` in `weight`, in ems (multiply by the font size for pixels).
///
/// Shaped as usvg shapes one text chunk: left to right, segment properties guessed,
/// default features (kerning and ligatures on).
pub(crate) fn advance_em(weight: Weight, text: &str) -> f32 {
    const MAX_CACHED: usize = 50_000;
    let slot = weight as usize;
    if let Some(w) = WIDTHS.with_borrow(|m| m[slot].get(text).copied()) {
        return w;
    }
    let w = shape_em(weight, text);
    WIDTHS.with_borrow_mut(|m| {
        if m[slot].len() >= MAX_CACHED {
            m[slot].clear();
        }
        m[slot].insert(text.to_string(), w);
    });
    w
}

/// Empties the width cache, so each layout measures afresh (and a bench measures the
/// real cost rather than a cache hit).
pub(crate) fn forget_widths() {
    WIDTHS.with_borrow_mut(|m| m.iter_mut().for_each(HashMap::clear));
}

fn shape_em(weight: Weight, text: &str) -> f32 {
    thread_local! {
        // Shape plans per face and script; building one costs more than shaping a line.
        static PLANS: RefCell<HashMap<(Weight, Option<Script>), ShapePlan>> =
            RefCell::new(HashMap::new());
    }
    if text.is_empty() {
        return 0.0;
    }
    let f = face(weight);
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.set_direction(Direction::LeftToRight);
    buffer.guess_segment_properties();
    // `guess_segment_properties` never guesses Unknown; it means no script was found.
    let script = Some(buffer.script()).filter(|&s| s != harfrust::script::UNKNOWN);
    let key = (weight, script);
    let out = PLANS.with_borrow_mut(|plans| {
        let plan = plans
            .entry(key)
            .or_insert_with(|| ShapePlan::new(&f.shaper, Direction::LeftToRight, key.1, None, &[]));
        f.shaper.shape(buffer, ShapeOptions::new().plan(Some(plan)))
    });
    let units: i64 = out
        .glyph_positions()
        .iter()
        .map(|p| i64::from(p.x_advance))
        .sum();
    units as f32 / f.upem
}

/// Ascent above the baseline and descent below it, in ems (both positive).
pub(crate) fn vertical_em(weight: Weight) -> (f32, f32) {
    let f = face(weight);
    (f.ascent / f.upem, f.descent / f.upem)
}

/// Whether every embedded face has a glyph for `c`.
pub(crate) fn covers(c: char) -> bool {
    let f = &*FACES;
    [&f.regular, &f.semibold, &f.bold]
        .iter()
        .all(|face| face.charmap.map(c).is_some_and(|g| g.to_u32() != 0))
}

/// The font database usvg draws from: the three embedded faces, with every generic family
/// pointing at Inter so no text falls back to a font that is not there.
pub(crate) fn database() -> Arc<fontdb::Database> {
    static DB: LazyLock<Arc<fontdb::Database>> = LazyLock::new(|| {
        let mut db = fontdb::Database::new();
        for data in [REGULAR, SEMIBOLD, BOLD] {
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    });
    DB.clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_load_under_one_family_with_three_weights() {
        let db = database();
        let mut weights: Vec<u16> = db
            .faces()
            .filter(|f| f.families.iter().any(|(name, _)| name == FAMILY))
            .map(|f| f.weight.0)
            .collect();
        weights.sort_unstable();
        assert_eq!(weights, [400, 600, 700]);
    }

    #[test]
    fn coverage_has_latin_and_lacks_emoji_and_cjk() {
        assert!(covers('a') && covers('\u{2014}') && covers('\u{2026}'));
        assert!(!covers('\u{1F600}'), "emoji");
        assert!(!covers('\u{4E2D}'), "CJK");
        assert!(!covers('\u{05D0}'), "Hebrew");
    }

    #[test]
    fn bold_is_wider_than_regular_and_width_scales() {
        let r = advance_em(Weight::Regular, "Generators and yield");
        let b = advance_em(Weight::Bold, "Generators and yield");
        assert!(r > 5.0 && b > r, "{r} {b}");
        assert_eq!(advance_em(Weight::Regular, ""), 0.0);
    }
}
