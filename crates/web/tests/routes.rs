//! Every page and API route, in process: status, headers and the content that matters.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::{Catalog, Sources};
use memseed_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

/// The bundled Python pack the app serves, for counts that follow its content.
fn python() -> memseed_core::Pack {
    Catalog::bundled()
        .get("python")
        .expect("bundled")
        .pack
        .clone()
}

fn app() -> Router {
    router(Arc::new(AppState::new(&Catalog::bundled())))
}

struct Got {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Got {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn get_from(app: Router, uri: &str) -> Got {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Got {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

async fn get(uri: &str) -> Got {
    get_from(app(), uri).await
}

#[tokio::test]
async fn home_lists_every_topic_with_counts_and_the_modes() {
    let r = get("/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let py = python();
    let [critical, high, ..] = py.concepts_by_tier();
    let counts = format!(
        "{} concepts ({critical} critical, {high} high)",
        py.concepts.len()
    );
    for needle in [
        "href=\"/topics/python\"",
        "href=\"/topics/git\"",
        counts.as_str(),
        "Interview",
        "Compress <span class=\"new\">New</span>",
        "id=\"search-box\"",
    ] {
        assert!(r.body.contains(needle), "home lacks {needle}");
    }
}

#[tokio::test]
async fn every_page_sends_the_security_headers() {
    for uri in [
        "/",
        "/topics/python",
        "/api/topics",
        "/nope",
        "/compress?budget=x",
    ] {
        let r = get(uri).await;
        assert_eq!(
            r.headers["content-security-policy"], "default-src 'self'",
            "{uri}"
        );
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{uri}");
        assert_eq!(r.headers["x-frame-options"], "DENY", "{uri}");
        assert_eq!(r.headers["referrer-policy"], "same-origin", "{uri}");
    }
}

#[tokio::test]
async fn pages_have_no_inline_script_or_style() {
    for uri in [
        "/",
        "/topics/python",
        "/topics/python/concepts/gil",
        "/topics/python/interview",
        "/topics/python/last-hour",
        "/compress?topic=python&budget=2257",
        "/search?q=gil",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        for tag in r.body.match_indices("<script") {
            let rest = &r.body[tag.0..];
            let end = rest.find('>').unwrap();
            assert!(
                rest[..end].contains(" src=\"/assets/app.js?v="),
                "{uri}: inline script"
            );
            assert!(
                rest[end..].starts_with("></script>"),
                "{uri}: script with a body"
            );
        }
        assert!(!r.body.contains(" style=\""), "{uri}: inline style");
        assert!(!r.body.contains("<style"), "{uri}: style element");
    }
}

#[tokio::test]
async fn the_topic_page_is_laid_out_as_the_learning_map() {
    let r = get("/topics/python").await;
    assert_eq!(r.status, StatusCode::OK);
    for needle in [
        "What it is",
        "Why it exists",
        "When to use",
        "Where it fails",
        "Knowledge tree",
        "Foundations",
        "Quick reference",
        "/topics/python/concepts/gil",
        "id=\"trap-",
    ] {
        assert!(r.body.contains(needle), "topic page lacks {needle}");
    }
    let links = r.body.matches("href=\"/topics/python/concepts/").count();
    assert!(
        links >= python().concepts.len(),
        "links to every concept, got {links}"
    );
}

#[tokio::test]
async fn a_concept_page_has_every_part_and_both_directions_of_relations() {
    let r = get("/topics/python/concepts/gil").await;
    assert_eq!(r.status, StatusCode::OK);
    let py = python();
    let image_words: String = py.concept("gil").unwrap().anchor.clone().unwrap();
    let anchor_start: String = image_words.chars().take(30).collect();
    for needle in [
        anchor_start.as_str(),
        "id=\"depth-basic\"",
        "id=\"depth-deep\"",
        "Deep internals",
        "Code example",
        "Interview answer",
        "Trap",
        "Derives from",
        "Lets you re-derive",
    ] {
        assert!(r.body.contains(needle), "concept page lacks {needle}");
    }
    // The GIL lets you re-derive threading's limits; threading's page says where it comes from.
    let gil = get("/api/topics/python").await.json();
    let derives: Vec<String> = gil["concepts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "gil")
        .unwrap()["derives"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert!(!derives.is_empty());
    let child = get(&format!("/topics/python/concepts/{}", derives[0])).await;
    assert!(
        child.body.contains("href=\"/topics/python/concepts/gil\""),
        "derives-from link back to the GIL"
    );
}

#[tokio::test]
async fn unknown_topics_and_concepts_are_404_pages() {
    let r = get("/topics/cobol").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("There is no topic"), "{}", r.body);
    let ids = Catalog::bundled().ids().join(", ");
    assert!(r.body.contains(&ids), "{ids} in {}", r.body);
    let r = get("/topics/python/concepts/no-such-thing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("has no concept"));
    let r = get("/topics/%FF%FE").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("The address is not valid"), "{}", r.body);
    let r = get("/no/such/page").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
}

#[tokio::test]
async fn the_interview_page_filters_by_level() {
    let all = get("/topics/python/interview").await;
    assert_eq!(all.status, StatusCode::OK);
    let py = python();
    assert_eq!(
        all.body.matches("class=\"q level-").count(),
        py.questions.len()
    );
    assert!(
        all.body
            .contains("<details><summary>Detailed answer</summary>")
    );
    let expert = get("/topics/python/interview?level=expert").await;
    assert_eq!(expert.status, StatusCode::OK);
    let n = expert.body.matches("class=\"q level-expert\"").count();
    assert_eq!(n, py.questions_by_level()[2]);
    assert_eq!(expert.body.matches("class=\"q level-").count(), n);
    let bad = get("/topics/python/interview?level=guru").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("beginner, intermediate, expert"));
}

#[tokio::test]
async fn the_last_hour_page_is_the_6_kb_card() {
    let r = get("/topics/python/last-hour").await;
    assert_eq!(r.status, StatusCode::OK);
    let api = get("/api/topics/python/compress?budget=6KB").await.json();
    assert!(r.body.contains(api["size"].as_str().unwrap()));
    let seeds = api["kept"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["section"] == "seeds")
        .count();
    assert_eq!(
        r.body.matches("class=\"entry kind-concept\"").count(),
        seeds
    );
}

#[tokio::test]
async fn search_finds_titles_anchors_and_text() {
    let r = get("/search?q=GIL").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("href=\"/topics/python/concepts/gil\""));
    let r = get("/search?q=rebase").await;
    assert!(r.body.contains("/topics/git"));
    let none = get("/search?q=zzzqqq").await;
    assert!(none.body.contains("0 results"));
    let empty = get("/search").await;
    assert_eq!(empty.status, StatusCode::OK);
}

#[tokio::test]
async fn compression_mode_renders_the_card_with_its_sizes() {
    let r = get("/compress?topic=python&budget=2257").await;
    assert_eq!(r.status, StatusCode::OK);
    let api = get("/api/topics/python/compress?budget=2257").await.json();
    for needle in [
        api["size"].as_str().unwrap(),
        api["size_exact"].as_str().unwrap(),
        "Seeds \u{b7} 9 critical",
        "What you lose",
        "id=\"budget-range\"",
        "Seed ~2 KB",
        "Cheatsheet ~6 KB",
        "Full ~15 KB",
        "id=\"curve\"",
        "format=md&amp;download=1",
    ] {
        assert!(r.body.contains(needle), "compress page lacks {needle}");
    }
    // The copy source holds the card's text, escaped.
    let text = api["text"].as_str().unwrap();
    let first_seed = text.lines().find(|l| l.starts_with("GIL")).unwrap();
    assert!(r.body.contains(first_seed), "card text on the page");
}

#[tokio::test]
async fn compression_mode_with_a_bad_budget_is_a_400_that_explains() {
    let r = get("/compress?topic=python&budget=lots").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("is not a budget"));
    assert!(r.body.contains("2.2KB"), "lists the accepted forms");
    let r = get("/compress?topic=cobol&budget=2KB").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_lists_topics_and_serves_whole_packs() {
    let r = get("/api/topics").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let j = r.json();
    let py = j["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "python")
        .unwrap();
    let pack = python();
    assert_eq!(py["counts"]["concepts"], pack.concepts.len());
    assert_eq!(py["counts"]["concepts_by_tier"]["critical"], 9);
    assert!(py.get("path").is_none());
    let p = get("/api/topics/python").await.json();
    assert_eq!(p["concepts"].as_array().unwrap().len(), pack.concepts.len());
    assert_eq!(p["traps"].as_array().unwrap().len(), pack.traps.len());
    assert_eq!(
        p["questions"].as_array().unwrap().len(),
        pack.questions.len()
    );
    assert_eq!(p["practice"].as_array().unwrap().len(), pack.practice.len());
    assert!(
        p["topic"]["what_it_is"]
            .as_str()
            .unwrap()
            .starts_with("Python")
    );
}

#[tokio::test]
async fn the_compress_api_is_the_cli_json() {
    let r = get("/api/topics/python/compress?budget=2257").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    assert_eq!(j["budget"], 2257);
    let bytes = j["bytes"].as_u64().unwrap();
    assert!(bytes <= 2257);
    assert_eq!(j["text"].as_str().unwrap().len() as u64, bytes);
    let sections: u64 = j["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(sections, bytes);
    // Same budget in another form, same card.
    let again = get("/api/topics/python/compress?budget=2.2KB").await.json();
    assert_eq!(again["budget"], 2252);
    let text = get("/api/topics/python/compress?budget=2257&format=text").await;
    assert_eq!(text.body, j["text"].as_str().unwrap());
    let md = get("/api/topics/python/compress?budget=2257&format=md&download=1").await;
    assert!(
        md.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/markdown")
    );
    assert_eq!(
        md.headers[header::CONTENT_DISPOSITION],
        format!("attachment; filename=\"memseed-python-{bytes}B.md\"")
    );
}

#[tokio::test]
async fn api_errors_are_json_with_a_message_and_a_hint() {
    for (uri, status, says) in [
        ("/api/topics/python/compress?budget=-5", 400, "negative"),
        ("/api/topics/python/compress?budget=0", 400, "budget"),
        ("/api/topics/python/compress?budget=2GB", 400, "budget"),
        ("/api/topics/python/compress", 400, "budget is needed"),
        (
            "/api/topics/python/compress?budget=2KB&format=pdf",
            400,
            "Unknown format",
        ),
        ("/api/topics/python/compress?budget=3", 400, "too small"),
        ("/api/topics/cobol/compress?budget=2KB", 404, "no topic"),
        ("/api/topics/cobol", 404, "no topic"),
        ("/api/nothing-here", 404, "no page"),
        ("/api/topics/%FF/compress?budget=2K", 400, "not valid"),
    ] {
        let r = get(uri).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.body);
        let j = r.json();
        let msg = j["error"]["message"].as_str().unwrap();
        assert!(msg.contains(says), "{uri}: {msg}");
        assert!(!j["error"]["hint"].as_str().unwrap().is_empty(), "{uri}");
        assert_eq!(j["error"]["status"], status);
    }
}

#[tokio::test]
async fn assets_are_embedded_with_their_types() {
    for (name, mime) in [
        ("style.css", "text/css"),
        ("app.js", "text/javascript"),
        ("Inter-Regular.otf", "font/otf"),
    ] {
        let r = app()
            .oneshot(
                Request::get(format!("/assets/{name}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{name}");
        assert!(
            r.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(mime)
        );
        assert!(
            r.headers()[header::CACHE_CONTROL]
                .to_str()
                .unwrap()
                .contains("immutable")
        );
    }
    assert_eq!(
        get("/assets/secret.txt").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let res = app()
        .oneshot(
            Request::get("/api/topics")
                .header(header::CONTENT_LENGTH, 1_000_000)
                .body(Body::from(vec![b'x'; 1_000_000]))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

/// A pack whose text holds markup: it must show as text, never run.
const HOSTILE: &str = r#"format_version = 1

[topic]
id = "hostile"
title = "Hostile <script>alert('t')</script>"
what_it_is = "A pack that tries <script>alert('w')</script> and <img src=x onerror=alert(1)> in its text."

[[categories]]
id = "c"
title = "Cat <b>bold</b>"
map = "foundations"

[[concepts]]
id = "x"
title = "X <script>alert('c')</script>"
category = "c"
tier = "critical"
anchor = "An anchor with </textarea><script>alert('a')</script> in it, long enough to read."
basic = "Basic <script>alert('b')</script>."
expected = "Expected."
"#;

#[tokio::test]
async fn markup_in_a_pack_shows_as_text_not_as_a_running_script() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hostile.toml");
    std::fs::write(&path, HOSTILE).unwrap();
    let cat = Catalog::load(&Sources {
        user_dir: None,
        files: vec![path],
    })
    .unwrap_or_else(|b| panic!("{}", b.error));
    let app = router(Arc::new(AppState::new(&cat)));
    for uri in [
        "/",
        "/topics/hostile",
        "/topics/hostile/concepts/x",
        "/topics/hostile/last-hour",
        "/compress?topic=hostile&budget=4KB",
        "/search?q=script",
        "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
    ] {
        let r = get_from(app.clone(), uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        assert!(
            !r.body.contains("<script>alert"),
            "{uri}: raw script in the page"
        );
        assert!(
            !r.body.contains("<img src=x"),
            "{uri}: raw markup in the page"
        );
        assert!(!r.body.contains("</textarea><script"), "{uri}");
        assert!(
            r.body.contains("&lt;script&gt;alert")
                || r.body.contains("&#60;script&#62;alert")
                || r.body.contains("&lt;script"),
            "{uri}: escaped text shown"
        );
    }
}
