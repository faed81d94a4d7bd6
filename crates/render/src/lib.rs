//! memseed's share card: a compressed card laid out on a 1200×630 canvas and drawn as SVG
//! and PNG with embedded Inter, so it looks the same everywhere and needs no system fonts.
//!
//! ```no_run
//! # fn demo(card: &memseed_core::Card<'_>) -> Result<(), memseed_render::RenderError> {
//! use memseed_render::{CardContent, Theme, render_png, render_svg};
//! let content = CardContent::from_card(card);
//! let svg: String = render_svg(&content, Theme::Dark);
//! let png: Vec<u8> = render_png(&content, Theme::Light)?;
//! # Ok(()) }
//! ```

mod content;
mod fonts;
mod layout;
mod raster;
mod svg;
mod theme;
mod wrap;

pub use content::{CardContent, Seed};
pub use fonts::{FONT_LICENSE, Weight};
pub use layout::{Bounds, HEIGHT, Ink, Layout, Run, Shape, ShapeKind, TextLine, WIDTH, layout};
pub use raster::{encode_png, rasterize, rasterize_square};
pub use resvg::tiny_skia::Pixmap;
pub use svg::to_svg;
pub use theme::{Theme, UnknownTheme};

/// Why a card could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("cannot parse the card's SVG: {0}")]
    Svg(#[source] resvg::usvg::Error),
    #[error("cannot allocate a {WIDTH}x{HEIGHT} pixmap")]
    Pixmap,
    #[error("the SVG renderer panicked: {0}")]
    Panicked(String),
    #[error("cannot encode the card as PNG: {0}")]
    Png(#[from] png::EncodingError),
}

/// The MIME type of [`render_png`]'s output.
pub const PNG_CONTENT_TYPE: &str = "image/png";
/// The MIME type of [`render_svg`]'s output.
pub const SVG_CONTENT_TYPE: &str = "image/svg+xml";

/// The card as an SVG document.
pub fn render_svg(content: &CardContent, theme: Theme) -> String {
    to_svg(&layout(content), theme)
}

/// An icon: a self-contained SVG drawn as an opaque `size` × `size` PNG.
pub fn render_icon(svg: &str, size: u32) -> Result<Vec<u8>, RenderError> {
    encode_png(&rasterize_square(svg, size)?)
}

/// The card as a 1200×630 PNG.
///
/// Should the renderer panic on some text, the card is drawn again with that text reduced
/// to ASCII, so a card always comes out.
pub fn render_png(content: &CardContent, theme: Theme) -> Result<Vec<u8>, RenderError> {
    let pixmap = match rasterize(&render_svg(content, theme)) {
        Err(RenderError::Panicked(_)) => rasterize(&render_svg(&content.ascii_only(), theme))?,
        other => other?,
    };
    encode_png(&pixmap)
}
