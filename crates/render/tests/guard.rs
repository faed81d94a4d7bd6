//! The panic guard around usvg: raw SVG text of the kinds that have made usvg's text layout
//! panic (linebender/resvg#732, #1044; emoji sequences) comes back as an image or an error,
//! never as an unwinding panic.

use memseed_render::rasterize;

const HOSTILE: &[&str] = &[
    // #1044: "begin > end" slicing right-to-left text.
    "\u{0627}\u{0644}\u{0648}\u{064A}\u{0628}",
    // #732: a diacritic split across spans.
    "y\u{0306}",
    "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}",
    "\u{1F1EB}\u{1F1F7}\u{1F44D}\u{1F3FD}\u{2764}\u{FE0F}",
    "\u{05E9}\u{05DC}\u{05D5}\u{05DD} abc \u{0645}\u{0631}\u{062D}\u{0628}\u{0627}",
];

#[test]
fn hostile_text_in_raw_svg_never_unwinds() {
    for text in HOSTILE {
        let chars: Vec<char> = text.chars().collect();
        let (a, b) = chars.split_at(chars.len() / 2);
        let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
        // Split across two spans of one chunk: the case the card itself never writes.
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630"><text x="10" y="50" font-size="40">{a}<tspan fill="red">{b}</tspan> {text}</text></svg>"#
        );
        // Returning at all is the property; an image or an error are both fine.
        let _ = rasterize(&svg);
    }
}
