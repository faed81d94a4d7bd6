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
        "/compare?topic=python&a=gil",
        "/offline",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        for tag in r.body.match_indices("<script") {
            let rest = &r.body[tag.0..];
            let end = rest.find('>').unwrap();
            assert!(
                rest[..end].contains(" src=\"/assets/") && rest[..end].contains(".js?v="),
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
async fn the_last_hour_page_is_the_topics_cheatsheet_card() {
    for slug in ["python", "git"] {
        let r = get(&format!("/topics/{slug}/last-hour")).await;
        assert_eq!(r.status, StatusCode::OK);
        let pack = Catalog::bundled().get(slug).unwrap().pack.clone();
        let cheatsheet = memseed_core::Compressor::new(&pack).presets()[1];
        let api = get(&format!("/api/topics/{slug}/compress?budget={cheatsheet}"))
            .await
            .json();
        assert!(r.body.contains(api["size"].as_str().unwrap()));
        let seeds = api["kept"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|k| k["section"] == "seeds" && k["kind"] == "concept")
            .count();
        assert_eq!(
            r.body.matches("class=\"entry kind-concept").count(),
            seeds,
            "{slug}"
        );
        assert!(
            r.body
                .contains(&format!("/study?topic={slug}&#38;budget={cheatsheet}"))
        );
        // Headings go h1 > h2: no level skipped.
        assert!(
            !r.body.contains("<h3"),
            "{slug}: the card's sections are h2"
        );
    }
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
        "What is \u{201c}value kept\u{201d}?",
        "id=\"budget-range\"",
        "id=\"curve\"",
        "format=md&#38;download=1",
        "href=\"/study?topic=python&#38;budget=2257\"",
        "aria-current=\"page\">Compress",
    ] {
        assert!(r.body.contains(needle), "compress page lacks {needle}");
    }
    // The copy source holds the card's text, escaped.
    let text = api["text"].as_str().unwrap();
    let first_seed = text.lines().find(|l| l.starts_with("GIL")).unwrap();
    assert!(r.body.contains(first_seed), "card text on the page");
}

/// The preset buttons of a topic's page: (budget, pressed).
fn presets(body: &str) -> Vec<(u64, bool)> {
    body.match_indices("class=\"preset\" name=\"preset\" value=\"")
        .map(|(i, m)| {
            let rest = &body[i + m.len()..];
            let budget = rest[..rest.find('"').unwrap()].parse().unwrap();
            let tag = &rest[..rest.find('>').unwrap()];
            (budget, tag.contains("aria-pressed=\"true\""))
        })
        .collect()
}

#[tokio::test]
async fn presets_are_the_topics_own_sizes_and_show_which_is_on() {
    let app = app();
    let cat = Catalog::bundled();
    for slug in ["python", "git"] {
        let pack = &cat.get(slug).unwrap().pack;
        let comp = memseed_core::Compressor::new(pack);
        let [seed, cheat, full] = comp.presets();
        // Without a budget, the page opens on the seed preset, pressed.
        let r = get_from(app.clone(), &format!("/compress?topic={slug}")).await;
        assert_eq!(
            presets(&r.body),
            [
                (seed, true),
                (cheat, false),
                (full, false),
                (comp.full_bytes(), false)
            ],
            "{slug}"
        );
        // A preset button (no script) shows its card, pressed.
        let r = get_from(
            app.clone(),
            &format!("/compress?topic={slug}&budget=100&preset={cheat}"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(presets(&r.body)[1], (cheat, true), "{slug}");
        // Another budget presses none.
        let r = get_from(
            app.clone(),
            &format!("/compress?topic={slug}&budget={}", seed + 1),
        )
        .await;
        assert!(presets(&r.body).iter().all(|p| !p.1), "{slug}");
    }
    let py = memseed_core::Compressor::new(&cat.get("python").unwrap().pack).presets();
    let git = memseed_core::Compressor::new(&cat.get("git").unwrap().pack).presets();
    assert_ne!(py, git, "presets are per topic");
}

#[tokio::test]
async fn compression_mode_with_a_bad_budget_is_one_short_line_with_an_example() {
    let r = get("/compress?topic=python&budget=lots").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let start = r.body.find("id=\"budget-error\" role=\"alert\">").unwrap();
    let line = &r.body[start..start + r.body[start..].find("</p>").unwrap()];
    let seed = memseed_core::Compressor::new(&python()).presets()[0];
    assert!(
        line.contains("is not a size") && line.contains(&format!("Try {seed} or 6KB")),
        "{line}"
    );
    assert!(line.len() < 160, "one short line: {line}");
    assert!(r.body.contains("aria-invalid=\"true\""));
    let r = get("/compress?topic=python&budget=3").await;
    assert!(r.body.contains("Too small"), "too small explains");
    let r = get("/compress?topic=cobol&budget=2KB").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_view_api_sends_the_card_as_html_with_its_sizes() {
    let r = get("/api/topics/python/view?budget=2257").await;
    assert_eq!(r.status, StatusCode::OK);
    let j = r.json();
    let api = get("/api/topics/python/compress?budget=2257").await.json();
    assert_eq!(j["bytes"], api["bytes"]);
    assert_eq!(j["text"], api["text"]);
    let html = j["card_html"].as_str().unwrap();
    assert!(
        html.starts_with("<div class=\"card\" id=\"card\">"),
        "{html}"
    );
    assert!(html.contains("href=\"/topics/python/concepts/gil\""));
    assert_eq!(j["links"]["study"], "/study?topic=python&budget=2257");
    assert!(j["links"]["png"].as_str().unwrap().ends_with("&theme=dark"));
    let light = get("/api/topics/python/view?budget=2257&theme=light")
        .await
        .json();
    assert!(
        light["links"]["png"]
            .as_str()
            .unwrap()
            .ends_with("&theme=light")
    );
    let bad = get("/api/topics/python/view?budget=lots").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let msg = bad.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(msg.contains("is not a size") && msg.len() < 160, "{msg}");
    assert_eq!(
        get("/api/topics/cobol/view?budget=2K").await.status,
        StatusCode::NOT_FOUND
    );
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

/// The text a reader sees outside code: tags, `<pre>`, `<code>`, `<textarea>` and
/// `<script>` elements removed, entities decoded.
fn visible_prose(html: &str) -> String {
    let mut s = html.to_string();
    for tag in ["pre", "code", "textarea", "script"] {
        let open = format!("<{tag}");
        let close = format!("</{tag}>");
        while let Some(i) = s.find(&open) {
            let Some(j) = s[i..].find(&close) else { break };
            s.replace_range(i..i + j + close.len(), " ");
        }
    }
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&#96;", "`")
        .replace("&#x60;", "`")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// A backtick pair on one line: inline code shown raw.
fn raw_backtick_pair(text: &str) -> Option<&str> {
    text.lines().find(|l| {
        let mut ticks = l.match_indices('`').map(|(i, _)| i);
        while let (Some(a), Some(b)) = (ticks.next(), ticks.next()) {
            if b > a + 1 {
                return true;
            }
        }
        false
    })
}

#[test]
fn the_raw_backtick_check_catches_raw_code() {
    assert!(raw_backtick_pair(&visible_prose("<p>call `len(x)` now</p>")).is_some());
    assert!(raw_backtick_pair(&visible_prose("<p>call <code>len(x)</code> now</p>")).is_none());
    assert!(
        raw_backtick_pair(&visible_prose("<pre class=\"code\"><code>`a`</code></pre>")).is_none()
    );
}

#[tokio::test]
async fn no_page_shows_a_raw_backtick_pair_from_pack_text() {
    let app = app();
    let cat = Catalog::bundled();
    let mut pages = vec![
        "/".to_string(),
        "/search?q=len".to_string(),
        "/search?q=python+str".to_string(),
        "/compare".to_string(),
    ];
    let mut with_code = 0;
    for e in cat.entries() {
        let p = &e.pack;
        let slug = &p.topic.id;
        let comp = memseed_core::Compressor::new(p);
        for page in ["", "/interview", "/interview?mode=test", "/last-hour"] {
            pages.push(format!("/topics/{slug}{page}"));
        }
        for c in &p.concepts {
            pages.push(format!("/topics/{slug}/concepts/{}", c.id));
        }
        for b in comp.presets().into_iter().chain([comp.full_bytes()]) {
            pages.push(format!("/compress?topic={slug}&budget={b}"));
        }
        pages.push(format!("/compare?topic={slug}"));
    }
    for uri in &pages {
        let r = get_from(app.clone(), uri).await;
        assert_eq!(r.status, StatusCode::OK, "{uri}");
        with_code += r.body.matches("<code>").count();
        let text = visible_prose(&r.body);
        if let Some(line) = raw_backtick_pair(&text) {
            panic!("{uri} shows raw inline code: {}", line.trim());
        }
    }
    assert!(
        with_code > 1000,
        "pack prose shows as code: {with_code} spans"
    );
}

#[tokio::test]
async fn compare_shows_two_concepts_and_its_own_share_link() {
    let r = get_from(app(), "/compare?topic=python&a=gil&b=decorators").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("<article class=\"side\"").count(), 2);
    assert!(r.body.contains("href=\"/topics/python/concepts/gil\""));
    assert!(
        r.body
            .contains("href=\"/topics/python/concepts/decorators\"")
    );
    assert!(r.body.contains(
        "id=\"compare-link\" readonly value=\"/compare?topic=python&#38;a=gil&#38;b=decorators\""
    ));
    // With a Host, the share link is absolute.
    let res = app()
        .oneshot(
            Request::get("/compare?topic=python&a=gil&b=decorators")
                .header(header::HOST, "127.0.0.1:8080")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let body =
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
    assert!(body.contains(
        "value=\"http://127.0.0.1:8080/compare?topic=python&#38;a=gil&#38;b=decorators\""
    ));
    // Without a or b, a sensible pair; an unknown concept is a 404 that says so.
    let r = get("/compare?topic=git").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body.matches("<article class=\"side\"").count(), 2);
    let r = get("/compare?topic=python&a=nope").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("has no concept"));
}

#[tokio::test]
async fn the_search_api_marks_matches_and_suggests_when_nothing_matches() {
    let j = get("/api/search?q=decorator").await.json();
    assert!(j["total"].as_u64().unwrap() > 0);
    let first = &j["hits"][0];
    assert!(
        first["title_html"]
            .as_str()
            .unwrap()
            .contains("<mark>Decorator</mark>"),
        "{first}"
    );
    assert!(j["hits"].as_array().unwrap().len() <= 8);
    assert_eq!(j["study"], "/study?q=decorator");
    let none = get("/api/search?q=decorater").await.json();
    assert_eq!(none["total"], 0);
    assert_eq!(none["suggestions"][0], "decorator");
    let page = get("/search?q=decorater").await;
    assert!(
        page.body
            .contains("Did you mean <a href=\"/search?q=decorator\">decorator</a>")
    );
    let hits = get("/search?q=GIL").await;
    assert!(hits.body.contains("<mark>GIL</mark>"));
    assert!(hits.body.contains("href=\"/study?q=GIL\""));
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    for (encoding, name) in [("br", "br"), ("gzip", "gzip"), ("gzip, deflate, br", "br")] {
        let res = app()
            .oneshot(
                Request::get("/topics/python/interview")
                    .header(header::ACCEPT_ENCODING, encoding)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CONTENT_ENCODING], name, "{encoding}");
        let packed = res.into_body().collect().await.unwrap().to_bytes().len();
        let plain = get("/topics/python/interview").await.body.len();
        assert!(packed * 3 < plain, "{name}: {packed} of {plain} bytes");
    }
    // Images are already compressed: left alone.
    let res = app()
        .oneshot(
            Request::get("/icons/icon-192.png")
                .header(header::ACCEPT_ENCODING, "br")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
}

#[tokio::test]
async fn the_app_is_installable_manifest_icons_worker_and_offline_page() {
    let m = get("/manifest.webmanifest").await;
    assert_eq!(m.headers[header::CONTENT_TYPE], "application/manifest+json");
    let j = m.json();
    assert_eq!(j["start_url"], "/");
    assert_eq!(j["display"], "standalone");
    for icon in j["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        let res = app()
            .oneshot(Request::get(src).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{src}");
        assert_eq!(
            res.headers()[header::CONTENT_TYPE],
            icon["type"].as_str().unwrap(),
            "{src}"
        );
        let body = res.into_body().collect().await.unwrap().to_bytes();
        if src.ends_with(".png") {
            assert!(body.starts_with(b"\x89PNG"), "{src}");
            let size: u32 = icon["sizes"]
                .as_str()
                .unwrap()
                .split('x')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let w = u32::from_be_bytes(body[16..20].try_into().unwrap());
            assert_eq!(w, size, "{src}");
        }
    }
    let fav = app()
        .oneshot(Request::get("/favicon.ico").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(fav.status(), StatusCode::OK);
    let sw = get("/sw.js").await;
    assert!(
        sw.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert_eq!(sw.headers[header::CACHE_CONTROL], "no-cache");
    assert!(
        sw.body.contains("/assets/style.css?v="),
        "the worker keeps this build's assets"
    );
    assert!(!sw.body.contains("__VERSION__") && !sw.body.contains("__ASSETS__"));
    let off = get("/offline").await;
    assert_eq!(off.status, StatusCode::OK);
    assert!(off.body.contains("You are offline"));
    let home = get("/").await;
    for needle in [
        "<link rel=\"manifest\" href=\"/manifest.webmanifest\">",
        "<link rel=\"icon\" href=\"/icons/icon.svg\" type=\"image/svg+xml\">",
        "<meta name=\"theme-color\"",
    ] {
        assert!(home.body.contains(needle), "home lacks {needle}");
    }
}

#[tokio::test]
async fn shared_links_carry_a_description_and_their_card() {
    let get_host = |uri: &'static str| async move {
        let res = app()
            .oneshot(
                Request::get(uri)
                    .header(header::HOST, "localhost:8080")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        String::from_utf8(res.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    };
    let c = get_host("/compress?topic=python&budget=2257").await;
    assert!(c.contains("<meta property=\"og:image\" content=\"http://localhost:8080/api/topics/python/card.png?budget=2257&#38;theme=dark\">"), "{}", &c[..1500]);
    assert!(c.contains("<meta property=\"og:url\" content=\"http://localhost:8080/compress?topic=python&#38;budget=2257\">"));
    assert!(c.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
    let t = get_host("/topics/git").await;
    assert!(
        t.contains("<meta name=\"description\" content=\"Git"),
        "a description from the pack"
    );
    assert!(t.contains("<meta property=\"og:title\" content=\"Git \u{2014} memseed\">"));
    let concept = get_host("/topics/python/concepts/gil").await;
    assert!(concept.contains("<meta property=\"og:image\""));
    assert!(!concept.contains("content=\"\""), "no empty meta");
}

#[tokio::test]
async fn concept_pages_lead_on_in_reading_order_and_to_study() {
    let r = get("/topics/python/concepts/gil").await;
    assert!(
        r.body
            .contains("href=\"/study?topic=python&#38;items=gil\"")
    );
    assert!(r.body.contains("href=\"/compare?topic=python&#38;a=gil\""));
    // Walk the whole topic with "next": every concept once, then the end.
    let app = app();
    let first = get_from(app.clone(), "/topics/python").await;
    let start = first.body.find("Start reading: ").unwrap();
    let href_at = first.body[..start].rfind("href=\"").unwrap() + 6;
    let mut next =
        first.body[href_at..href_at + first.body[href_at..].find('"').unwrap()].to_string();
    let mut seen = std::collections::HashSet::new();
    loop {
        assert!(seen.insert(next.clone()), "{next} twice");
        let page = get_from(app.clone(), &next).await;
        assert_eq!(page.status, StatusCode::OK, "{next}");
        match page.body.find("id=\"next-concept\" rel=\"next\" href=\"") {
            Some(i) => {
                let rest = &page.body[i + 35..];
                next = rest[..rest.find('"').unwrap()].to_string();
            }
            None => break,
        }
    }
    assert_eq!(seen.len(), python().concepts.len());
}

#[tokio::test]
async fn the_interview_page_has_a_self_test_mode_and_levels_that_fold() {
    let r = get("/topics/python/interview?mode=test").await;
    assert_eq!(r.status, StatusCode::OK);
    let n = python().questions.len();
    assert_eq!(r.body.matches("class=\"q level-").count(), n);
    assert_eq!(
        r.body
            .matches(
                "<details class=\"reveal\"><summary>Show the answer</summary><p class=\"short\">"
            )
            .count(),
        n
    );
    assert!(r.body.contains("id=\"mode-on\""));
    let read = get("/topics/python/interview").await;
    assert_eq!(
        read.body
            .matches(
                "<details class=\"reveal\"><summary>Show the answer</summary><p class=\"short\">"
            )
            .count(),
        0
    );
    assert_eq!(
        read.body
            .matches("<details class=\"level-group\" id=\"level-")
            .count(),
        3
    );
    assert_eq!(
        read.body
            .matches("<details class=\"level-group\" id=\"level-beginner\" open>")
            .count(),
        1
    );
    assert!(
        read.body
            .contains("href=\"/study?topic=python&#38;kind=question\"")
    );
    assert_eq!(
        get("/topics/python/interview?mode=quiz").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_topic_page_shows_the_map_as_a_tree_by_importance() {
    let r = get("/topics/python").await;
    assert!(r.body.contains("<ul class=\"tree\""));
    let tiers = r.body.matches("<li class=\"tree-tier tier-").count();
    let cats = python().categories.len();
    assert!(
        tiers > cats,
        "{tiers} tier branches under {cats} categories"
    );
    assert!(r.body.contains("<li class=\"tree-tier tier-critical\">"));
}
