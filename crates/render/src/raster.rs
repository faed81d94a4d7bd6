//! SVG to pixels to PNG. usvg parses and lays out the text with the embedded fonts only,
//! resvg rasterizes, and the PNG is written as opaque RGB.

use std::panic::{AssertUnwindSafe, catch_unwind};

use resvg::tiny_skia::Pixmap;
use resvg::{tiny_skia, usvg};

use crate::RenderError;
use crate::fonts;
use crate::layout::{HEIGHT, WIDTH};

/// zlib level 3 on unfiltered rows. The card is flat colour with anti-aliased text, so
/// long runs of equal bytes compress best unfiltered: about 95 KB in ~9 ms, against 310 KB
/// in ~3 ms for png's `Fast` and 137 KB in ~21 ms for its `Balanced` (see the bench).
const DEFLATE: png::DeflateCompression = png::DeflateCompression::Level(3);
const FILTER: png::Filter = png::Filter::NoFilter;

/// Rasterizes an SVG document to a 1200×630 pixmap.
///
/// usvg has panicked on some emoji sequences in text layout; a panic is caught and
/// returned as [`RenderError::Panicked`] so the caller can retry with plainer text.
pub fn rasterize(svg: &str) -> Result<Pixmap, RenderError> {
    let options = usvg::Options {
        font_family: fonts::FAMILY.to_string(),
        fontdb: fonts::database(),
        ..usvg::Options::default()
    };
    guarded(|| {
        let tree = usvg::Tree::from_str(svg, &options).map_err(RenderError::Svg)?;
        let mut pixmap = Pixmap::new(WIDTH, HEIGHT).ok_or(RenderError::Pixmap)?;
        resvg::render(
            &tree,
            tiny_skia::Transform::identity(),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    })
}

/// Rasterizes a self-contained SVG document (shapes only) to a `size` × `size` pixmap,
/// scaled to fit: app icons drawn from one SVG at every size a browser asks for.
pub fn rasterize_square(svg: &str, size: u32) -> Result<Pixmap, RenderError> {
    guarded(|| {
        let tree =
            usvg::Tree::from_str(svg, &usvg::Options::default()).map_err(RenderError::Svg)?;
        let mut pixmap = Pixmap::new(size, size).ok_or(RenderError::Pixmap)?;
        let view = tree.size();
        let scale = size as f32 / view.width().max(view.height());
        resvg::render(
            &tree,
            tiny_skia::Transform::from_scale(scale, scale),
            &mut pixmap.as_mut(),
        );
        Ok(pixmap)
    })
}

/// Runs `f`, turning a panic inside it into [`RenderError::Panicked`].
fn guarded<T>(f: impl FnOnce() -> Result<T, RenderError>) -> Result<T, RenderError> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        Err(RenderError::Panicked(message))
    })
}

/// Encodes a pixmap as an 8-bit RGB PNG (the card is opaque, so alpha is dropped).
pub fn encode_png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    let mut rgb = Vec::with_capacity(pixmap.pixels().len() * 3);
    for p in pixmap.pixels() {
        let c = p.demultiply();
        rgb.extend_from_slice(&[c.red(), c.green(), c.blue()]);
    }
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_filter(FILTER);
    encoder.set_deflate_compression(DEFLATE);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_while_drawing_becomes_an_error() {
        let r: Result<(), _> = guarded(|| panic!("index out of bounds"));
        assert!(matches!(r, Err(RenderError::Panicked(m)) if m == "index out of bounds"));
        let r: Result<(), _> = guarded(|| panic!("{}", String::from("owned")));
        assert!(matches!(r, Err(RenderError::Panicked(m)) if m == "owned"));
    }

    #[test]
    fn a_square_svg_is_drawn_at_any_size() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="#2f5bd3"/><rect x="4" y="4" width="2" height="2" fill="#fff"/></svg>"##;
        for size in [16, 192] {
            let p = rasterize_square(svg, size).expect("draws");
            assert_eq!((p.width(), p.height()), (size, size));
            let corner = p.pixel(0, 0).expect("in bounds");
            assert_eq!(
                (corner.red(), corner.green(), corner.blue()),
                (0x2f, 0x5b, 0xd3)
            );
            let mid = p.pixel(size / 2, size / 2).expect("in bounds");
            assert_eq!(mid.red(), 255);
        }
        assert!(rasterize_square("not svg", 16).is_err());
    }

    #[test]
    fn png_is_opaque_rgb() {
        let mut pixmap = Pixmap::new(4, 3).expect("small pixmap");
        pixmap.fill(tiny_skia::Color::from_rgba8(10, 20, 30, 255));
        let png = encode_png(&pixmap).expect("encodes");
        let back = Pixmap::decode_png(&png).expect("decodes");
        assert_eq!((back.width(), back.height()), (4, 3));
        let p = back.pixel(3, 2).expect("in bounds");
        assert_eq!((p.red(), p.green(), p.blue(), p.alpha()), (10, 20, 30, 255));
        // Colour type 2 (RGB) in the IHDR chunk.
        assert_eq!(png[25], 2);
    }
}
