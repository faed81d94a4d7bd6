//! What makes memseed an installable, offline app: the web manifest, the icons (drawn from
//! one SVG by the share card's renderer), the favicon, the service worker that keeps the
//! pages a person visits, and the page it shows offline. All of it under the same strict
//! CSP: the worker is a script of our own origin.

use std::sync::LazyLock;

use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::assets;
use crate::chrome::{Chrome, render};
use crate::error::PageError;

/// The icon: a white seed on memseed blue, rounded for browser tabs.
const ICON_SVG: &str = include_str!("../assets/icon.svg");

/// The PNG icons' source: the same drawing on a full square, so it also serves as a
/// maskable icon (the seed sits inside the central safe zone).
fn square_svg() -> String {
    ICON_SVG.replace(" rx=\"96\"", "")
}

/// Sizes the manifest and the pages ask for.
const PNG_SIZES: [(&str, u32); 4] = [
    ("icon-192.png", 192),
    ("icon-512.png", 512),
    ("icon-maskable-512.png", 512),
    ("apple-touch-icon.png", 180),
];

/// PNG icons, drawn once on first use: (name, bytes).
static PNGS: LazyLock<Vec<(&'static str, Bytes)>> = LazyLock::new(|| {
    let svg = square_svg();
    PNG_SIZES
        .iter()
        .filter_map(
            |&(name, size)| match memseed_render::render_icon(&svg, size) {
                Ok(png) => Some((name, Bytes::from(png))),
                Err(e) => {
                    eprintln!("memseed serve: cannot draw the {name} icon: {e}");
                    None
                }
            },
        )
        .collect()
});

/// The favicon: a 32 px PNG in an ICO container (one image, PNG-compressed, which every
/// current browser reads).
static FAVICON: LazyLock<Option<Bytes>> = LazyLock::new(|| {
    let png = memseed_render::render_icon(&square_svg(), 32).ok()?;
    let mut ico = Vec::with_capacity(22 + png.len());
    ico.extend_from_slice(&[0, 0, 1, 0, 1, 0]); // reserved, type 1 (icon), one image
    ico.extend_from_slice(&[32, 32, 0, 0]); // width, height, no palette, reserved
    ico.extend_from_slice(&1u16.to_le_bytes()); // colour planes
    ico.extend_from_slice(&32u16.to_le_bytes()); // bits per pixel
    ico.extend_from_slice(&u32::try_from(png.len()).ok()?.to_le_bytes());
    ico.extend_from_slice(&22u32.to_le_bytes()); // where the image starts
    ico.extend_from_slice(&png);
    Some(Bytes::from(ico))
});

fn cached(mime: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=86400"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `GET /icons/{name}`: `icon.svg` and the PNG sizes.
pub async fn icon(Path(name): Path<String>) -> Response {
    if name == "icon.svg" {
        return cached("image/svg+xml", ICON_SVG);
    }
    match PNGS.iter().find(|(n, _)| *n == name) {
        Some((_, png)) => cached("image/png", png.clone()),
        None => (StatusCode::NOT_FOUND, "no such icon").into_response(),
    }
}

/// `GET /favicon.ico`.
pub async fn favicon() -> Response {
    match FAVICON.as_ref() {
        Some(ico) => cached("image/x-icon", ico.clone()),
        None => (StatusCode::NOT_FOUND, "no favicon").into_response(),
    }
}

/// `GET /manifest.webmanifest`.
pub async fn manifest() -> Response {
    let body = json!({
        "name": "memseed",
        "short_name": "memseed",
        "description": "Keep a technical topic in your head: compress it to any memory budget, then drill it.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f7f6f2",
        "theme_color": "#2f5bd3",
        "icons": [
            { "src": "/icons/icon.svg", "sizes": "any", "type": "image/svg+xml", "purpose": "any" },
            { "src": "/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" },
        ],
        "shortcuts": [
            { "name": "Study", "url": "/study" },
            { "name": "Compress", "url": "/compress" },
        ],
    });
    cached("application/manifest+json", body.to_string())
}

/// The service worker's source, with this build's asset URLs to keep.
static WORKER: LazyLock<String> = LazyLock::new(|| {
    let mut keep: Vec<String> = assets::NAMES.iter().map(|n| assets::url(n)).collect();
    keep.extend([
        "/icons/icon.svg".to_string(),
        "/manifest.webmanifest".to_string(),
    ]);
    include_str!("../assets/sw.js")
        .replace("__VERSION__", &assets::version())
        .replace("__ASSETS__", &json!(keep).to_string())
});

/// `GET /sw.js`: from the root, so its scope is the whole site. Never cached by the
/// browser's HTTP cache, so a new version is found at once.
pub async fn worker() -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/javascript; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        WORKER.as_str(),
    )
        .into_response()
}

#[derive(Template)]
#[template(path = "offline.html")]
struct Offline {
    chrome: Chrome,
}

/// `GET /offline`: what the service worker shows for a page it never kept.
pub async fn offline() -> Result<Html<String>, PageError> {
    render(&Offline {
        chrome: Chrome::new("Offline"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_icons_are_drawn_at_their_sizes() {
        for &(name, size) in &PNG_SIZES {
            let (_, png) = PNGS.iter().find(|(n, _)| *n == name).expect("drawn");
            let img = memseed_render::Pixmap::decode_png(png).expect("a PNG");
            assert_eq!((img.width(), img.height()), (size, size), "{name}");
        }
        let ico = FAVICON.as_ref().expect("a favicon");
        assert_eq!(&ico[..4], &[0, 0, 1, 0]);
        assert_eq!(&ico[22..26], b"\x89PNG");
    }
}
