//! The frame every page shares: asset URLs, the form token, which mode the navigation marks
//! as current, the title and the description and Open Graph tags a shared link shows; the
//! renderer; and the error and not-found pages.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};

use crate::assets;
use crate::error::{PageError, Problem};
use crate::view::Rich;

// Pack prose is rendered to HTML by `memseed_core::prose`, which escapes everything else.
impl askama::filters::HtmlSafe for Rich {}

/// The site's own address as the browser asked for it (`http://127.0.0.1:8080`), for the
/// absolute URLs Open Graph wants. The Host header was checked by the host guard.
#[derive(Clone, Debug, Default)]
pub(crate) struct Site(pub(crate) String);

impl<S: Send + Sync> FromRequestParts<S> for Site {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| {
                h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
            })
            .unwrap_or("");
        Ok(Site(if host.is_empty() {
            String::new()
        } else {
            format!("http://{host}")
        }))
    }
}

/// What every page's frame needs.
pub(crate) struct Chrome {
    pub(crate) css: String,
    pub(crate) js: String,
    /// The page's own script, if it has one.
    pub(crate) page_js: String,
    /// The search box's current text.
    pub(crate) q: String,
    /// The form token every state-changing request carries (see `guard`).
    pub(crate) token: &'static str,
    /// The navigation entry this page belongs to: `compress`, `study`, `stats` or empty.
    pub(crate) nav: &'static str,
    pub(crate) title: String,
    /// One or two sentences for search engines and link previews.
    pub(crate) description: String,
    /// The page's absolute URL, when known.
    pub(crate) url: String,
    /// An absolute URL of the image a shared link shows (a share card), when there is one.
    pub(crate) image: String,
}

impl Chrome {
    /// A page titled `title` (" — memseed" is added).
    pub(crate) fn new(title: impl Into<String>) -> Chrome {
        let title = title.into();
        Chrome {
            css: assets::url("style.css"),
            js: assets::url("app.js"),
            page_js: String::new(),
            q: String::new(),
            token: crate::guard::token(),
            nav: "",
            title: if title.is_empty() {
                "memseed".into()
            } else {
                format!("{title} \u{2014} memseed")
            },
            description: DEFAULT_DESCRIPTION.into(),
            url: String::new(),
            image: String::new(),
        }
    }

    /// Marks `nav` as the current navigation entry.
    pub(crate) fn nav(mut self, nav: &'static str) -> Chrome {
        self.nav = nav;
        self
    }

    /// Adds the page's own script (an asset name).
    pub(crate) fn script(mut self, name: &str) -> Chrome {
        self.page_js = assets::url(name);
        self
    }

    /// The text in the search box.
    pub(crate) fn query(mut self, q: &str) -> Chrome {
        self.q = q.to_string();
        self
    }

    /// The description a search result or a link preview shows (plain text).
    pub(crate) fn describe(mut self, text: &str) -> Chrome {
        self.description = memseed_core::pack::text::clip(
            &memseed_core::prose::plain(text).replace('\n', " "),
            300,
        );
        self
    }

    /// The page's address and the image a shared link shows, both made absolute.
    pub(crate) fn share(mut self, site: &Site, path: &str, image: &str) -> Chrome {
        if !site.0.is_empty() {
            self.url = format!("{}{path}", site.0);
            if !image.is_empty() {
                self.image = format!("{}{image}", site.0);
            }
        }
        self
    }
}

const DEFAULT_DESCRIPTION: &str = "Keep a technical topic in your head: compress it to any memory budget, see what survives, then drill it with spaced repetition.";

/// Renders a page, or a logged 500.
pub(crate) fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render()
        .map(Html)
        .map_err(|e| PageError(Problem::internal("rendering a page", e)))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    message: &'a str,
    hint: &'a str,
}

/// The HTML of an error page; falls back to plain text if the template fails.
pub fn error_page(p: &Problem) -> String {
    ErrorPage {
        chrome: Chrome::new(p.status.as_u16().to_string()),
        status: p.status.as_u16(),
        message: &p.message,
        hint: &p.hint,
    }
    .render()
    .unwrap_or_else(|_| format!("{} {}", p.status, p.message))
}

/// Any path no route matches: a 404 page, or JSON under `/api/`.
pub async fn not_found(uri: Uri) -> Response {
    let p = Problem::not_found(
        format!("There is no page at {}.", uri.path()),
        "Check the address, or start from the topics.",
    );
    if uri.path().starts_with("/api/") {
        p.json()
    } else {
        (StatusCode::NOT_FOUND, Html(error_page(&p))).into_response()
    }
}
