//! What a request must show before any handler sees it: a Host the server answers to (no
//! DNS rebinding), and, for anything that changes state, that it comes from memseed's own
//! pages (no cross-site writes): no foreign `Origin` or `Sec-Fetch-Site`, and a form token
//! a cross-site page cannot read.

use std::sync::OnceLock;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use crate::chrome;
use crate::error::Problem;
use crate::server::BODY_LIMIT;

/// The name of the form field and query parameter that carries the token.
pub const TOKEN_FIELD: &str = "csrf";
/// The header scripts send the token in.
pub const TOKEN_HEADER: &str = "x-memseed-token";

/// This process's form token: random, made once, embedded in memseed's own pages. A page
/// on another site cannot read memseed's pages (the browser's same-origin policy), so it
/// cannot learn the token.
pub fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// Which Host headers the server answers. `None`: any (bound to a non-loopback address
/// without `--allow-host`).
#[derive(Clone, Debug, Default)]
pub struct Hosts {
    pub allowed: Option<Vec<String>>,
}

impl Hosts {
    /// Loopback names (any port) plus `extra`: what a server bound to loopback accepts.
    pub fn loopback(extra: &[String]) -> Hosts {
        let mut allowed: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
            .iter()
            .map(|s| (*s).to_string())
            .collect();
        allowed.extend(extra.iter().map(|h| h.to_ascii_lowercase()));
        Hosts {
            allowed: Some(allowed),
        }
    }

    /// Whether a Host header value (`name[:port]`) is answered.
    pub fn accepts(&self, host: &str) -> bool {
        let Some(allowed) = &self.allowed else {
            return true;
        };
        let host = host.trim().to_ascii_lowercase();
        let name = if host.starts_with('[') {
            host.split_inclusive(']').next().unwrap_or("")
        } else {
            host.split(':').next().unwrap_or("")
        };
        allowed.iter().any(|a| a == name)
    }
}

fn refuse(status: StatusCode, message: &str, hint: &str, json: bool) -> Response {
    let p = Problem {
        status,
        message: message.into(),
        hint: hint.into(),
    };
    if json {
        (
            status,
            axum::Json(serde_json::json!({"error": p.message, "hint": p.hint})),
        )
            .into_response()
    } else {
        (status, Html(chrome::error_page(&p))).into_response()
    }
}

/// Refuses requests for a Host the server does not answer (421 Misdirected Request).
pub async fn check_host(State(hosts): State<Hosts>, req: Request, next: Next) -> Response {
    if let Some(host) = req.headers().get(header::HOST) {
        let ok = host.to_str().is_ok_and(|h| hosts.accepts(h));
        if !ok {
            return refuse(
                StatusCode::MISDIRECTED_REQUEST,
                "This memseed server does not answer to that host name.",
                "Open it as http://localhost or http://127.0.0.1, or start it with --allow-host NAME.",
                req.uri().path().starts_with("/api/"),
            );
        }
    }
    next.run(req).await
}

/// Whether a request that changes state comes from another site, by the headers browsers
/// send: `Sec-Fetch-Site` other than same-origin (or none, for one the person typed) when
/// the browser sends it; otherwise an `Origin` that is not this server's. An `Origin` of
/// `null` (sent for privacy, or by a sandboxed frame) proves nothing either way: such a
/// request must still carry the page token or a JSON body.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        let site = site.to_str().unwrap_or("");
        return site != "same-origin" && site != "none";
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if origin == "null" {
            return false;
        }
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("");
        let own = ["http://", "https://"]
            .iter()
            .any(|scheme| origin.strip_prefix(scheme) == Some(host));
        return !own || host.is_empty();
    }
    false
}

/// The token a request carries: the header, the query's `csrf`, or a form body's `csrf`.
fn carried_token<'a>(headers: &'a HeaderMap, query: Option<&'a str>, form: &'a [u8]) -> bool {
    let want = token();
    if headers
        .get(TOKEN_HEADER)
        .is_some_and(|v| v.as_bytes() == want.as_bytes())
    {
        return true;
    }
    let in_pairs = |s: &[u8]| form_pairs(s).any(|(k, v)| k == TOKEN_FIELD && v == want);
    query.is_some_and(|q| in_pairs(q.as_bytes())) || in_pairs(form)
}

/// `key=value` pairs of a urlencoded string (the token is plain hex, so no decoding).
fn form_pairs(s: &[u8]) -> impl Iterator<Item = (&str, &str)> {
    s.split(|&b| b == b'&').filter_map(|pair| {
        let pair = std::str::from_utf8(pair).ok()?;
        Some(pair.split_once('=').unwrap_or((pair, "")))
    })
}

/// Refuses cross-site requests that would change state (403), and form posts without the
/// page's token. Safe methods pass untouched.
pub async fn check_same_site(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let json_route = req.uri().path().starts_with("/api/");
    if cross_site(req.headers()) {
        return refuse(
            StatusCode::FORBIDDEN,
            "A page on another site tried to change your memseed data; it was refused.",
            "Use memseed's own pages. Nothing was saved.",
            json_route,
        );
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded")
        || content_type.starts_with("multipart/form-data")
        || content_type.starts_with("text/plain");
    if !is_form {
        // JSON routes require application/json, which a cross-site form cannot send
        // without a CORS preflight that this server never grants.
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes = if content_type.starts_with("application/x-www-form-urlencoded") {
        match to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "The form is too large.",
                    "Nothing was saved.",
                    json_route,
                );
            }
        }
    } else {
        // Multipart bodies (uploads) carry the token in the query or a header.
        let ok = carried_token(&parts.headers, parts.uri.query(), &[]);
        if !ok {
            return missing_token(json_route);
        }
        return next.run(Request::from_parts(parts, body)).await;
    };
    if !carried_token(&parts.headers, parts.uri.query(), &bytes) {
        return missing_token(json_route);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

fn missing_token(json: bool) -> Response {
    refuse(
        StatusCode::FORBIDDEN,
        "This form is missing memseed's page token, or it is from an older session.",
        "Reload the page and try again. Nothing was saved.",
        json,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_with_any_port_and_nothing_else() {
        let h = Hosts::loopback(&["memseed.lan".into()]);
        for ok in [
            "localhost",
            "localhost:8080",
            "127.0.0.1:1",
            "[::1]:8080",
            "[::1]",
            "LOCALHOST:80",
            "memseed.lan:9000",
        ] {
            assert!(h.accepts(ok), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::2]:80",
            "",
        ] {
            assert!(!h.accepts(bad), "{bad}");
        }
        assert!(Hosts::default().accepts("anything"));
    }

    #[test]
    fn cross_site_by_fetch_metadata_or_origin() {
        let mk = |pairs: &[(&str, &str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(
                    header::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            h
        };
        assert!(cross_site(&mk(&[("sec-fetch-site", "cross-site")])));
        assert!(cross_site(&mk(&[("sec-fetch-site", "same-site")])));
        assert!(cross_site(&mk(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://evil.example")
        ])));
        // `Origin: null` decides nothing; the token or JSON body must.
        assert!(!cross_site(&mk(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "null")
        ])));
        assert!(cross_site(&mk(&[
            ("origin", "null"),
            ("sec-fetch-site", "cross-site")
        ])));
        assert!(!cross_site(&mk(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin")
        ])));
        assert!(!cross_site(&mk(&[])));
    }

    #[test]
    fn the_token_is_random_hex_and_found_where_pages_put_it() {
        let t = token();
        assert_eq!(t.len(), 32);
        assert!(t.chars().all(|c| c.is_ascii_hexdigit()));
        let body = format!("key=a&csrf={t}&rating=3");
        assert!(carried_token(&HeaderMap::new(), None, body.as_bytes()));
        assert!(!carried_token(
            &HeaderMap::new(),
            None,
            b"key=a&csrf=0000&rating=3"
        ));
        let q = format!("csrf={t}");
        assert!(carried_token(&HeaderMap::new(), Some(&q), b""));
    }
}
