//! The static assets compiled into the binary: the stylesheet, the scripts (one shared by
//! every page, one per page family) and the font. URLs carry a hash of the content, so
//! browsers may cache them for good.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "style.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../assets/style.css"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/app.js"),
    },
    Asset {
        name: "compress.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/compress.js"),
    },
    Asset {
        name: "study.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/study.js"),
    },
    // Quiz and reconstruct drills (issue 18).
    Asset {
        name: "drills.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/drills.js"),
    },
    Asset {
        name: "pages.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/pages.js"),
    },
    Asset {
        name: "Inter-Regular.otf",
        mime: "font/otf",
        body: include_bytes!("../../../assets/fonts/Inter-Regular.otf"),
    },
    Asset {
        name: "Inter-SemiBold.otf",
        mime: "font/otf",
        body: include_bytes!("../../../assets/fonts/Inter-SemiBold.otf"),
    },
    Asset {
        name: "OFL.txt",
        mime: "text/plain; charset=utf-8",
        body: include_bytes!("../../../assets/fonts/OFL.txt"),
    },
];

/// FNV-1a of every asset, as a short version string.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for a in ASSETS {
        for &b in a.body {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{:08x}", h as u32)
});

/// The URL of an asset, with its version.
pub fn url(name: &str) -> String {
    format!("/assets/{name}?v={}", *VERSION)
}

/// The version of this build's assets (a hash of them all).
pub fn version() -> String {
    VERSION.clone()
}

/// Every asset's name.
pub const NAMES: [&str; 8] = [
    "style.css",
    "app.js",
    "compress.js",
    "study.js",
    "pages.js",
    "Inter-Regular.otf",
    "Inter-SemiBold.otf",
    "OFL.txt",
];

/// `GET /assets/{name}`.
pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, HeaderValue::from_static(a.mime)),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=31536000, immutable"),
                ),
            ],
            a.body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}
