//! The study pages and API, and the share-card images: in process, and under many parallel
//! review posts to a real server on a real database file.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_recall::{Deck, Recall};
use memseed_store::Store;
use memseed_study::Settings;
use memseed_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn app_with(store: Store) -> Router {
    let cat = Catalog::bundled();
    let recall =
        Recall::with_store(store, Deck::from_catalog(&cat), Settings::default(), now()).unwrap();
    router(Arc::new(AppState::with_recall(&cat, recall)))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, body)
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let (s, _, b) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, String::from_utf8(b).unwrap())
}

fn post_json(uri: &str, body: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(body.to_string()))
        .unwrap()
}

#[tokio::test]
async fn the_study_page_shows_a_card_and_the_rating_form_records_it() {
    let app = app_with(Store::open_in_memory().unwrap());
    let (s, html) = get(&app, "/study?topic=python").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("0 due now · 20 new · 0 later today · 0 reviews today"),
        "{html}"
    );
    assert!(
        html.contains("What is the one-line anchor for GIL"),
        "{html}"
    );
    for label in ["Again", "Hard", "Good", "Easy"] {
        assert!(html.contains(&format!(">{label} <small>")), "{label}");
    }
    // The form carries the page's token, as the rendered page does.
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the rating form holds the page token");
    assert_eq!(token, memseed_web::token());
    let form = format!("csrf={token}&key=python%2Fgil%2Fconcept-anchor&rating=3&topic=python");
    let (s, h, _) = send(
        &app,
        Request::post("/study/rate")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .unwrap(),
    )
    .await;
    assert!(s.is_redirection(), "{s}");
    assert_eq!(h[header::LOCATION], "/study?topic=python");
    let (_, html) = get(&app, "/study?topic=python").await;
    assert!(html.contains("1 review today"), "{html}");
    assert!(
        !html.contains("anchor for GIL"),
        "the next card is another one"
    );
    let (s, stats) = get(&app, "/api/stats").await;
    assert_eq!(s, StatusCode::OK);
    let stats: Value = serde_json::from_str(&stats).unwrap();
    assert_eq!(stats["reviews_total"], 1);
    let (s, page) = get(&app, "/stats").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("id=\"stat-total\">1<"), "{page}");
    assert!(page.contains(
        "<svg viewBox=\"0 0 600 140\" role=\"img\" aria-label=\"Reviews per day: 1 in all\""
    ));
}

fn rate_form(html: &str, rating: u8) -> Request<Body> {
    let form_start = html.find("<form class=\"rate\"").expect("a rating form");
    let form = &html[form_start..form_start + html[form_start..].find("</form>").unwrap()];
    let mut fields: Vec<String> = form
        .match_indices("<input type=\"hidden\" name=\"")
        .map(|(i, m)| {
            let rest = &form[i + m.len()..];
            let name = &rest[..rest.find('"').unwrap()];
            let v = rest.find("value=\"").unwrap() + 7;
            let value = &rest[v..v + rest[v..].find('"').unwrap()];
            let value = value.replace("&#38;", "&").replace("&#34;", "\"");
            format!(
                "{name}={}",
                value
                    .replace('/', "%2F")
                    .replace(',', "%2C")
                    .replace(' ', "+")
            )
        })
        .collect();
    fields.push(format!("rating={rating}"));
    Request::post("/study/rate")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(fields.join("&")))
        .unwrap()
}

/// The prompt of the card shown, or `None` on the done screen.
fn prompt(html: &str) -> Option<String> {
    let i = html.find("id=\"prompt\">")? + 12;
    Some(html[i..i + html[i..].find("</h1>")?].to_string())
}

#[tokio::test]
async fn studying_what_a_card_keeps_stays_in_that_set() {
    let app = app_with(Store::open_in_memory().unwrap());
    let pack = Catalog::bundled().get("python").unwrap().pack.clone();
    let comp = memseed_core::Compressor::new(&pack);
    let seed = comp.presets()[0];
    let card = memseed_core::Card::new(&pack, &comp, seed).unwrap();
    let items: std::collections::HashSet<String> = card
        .kept()
        .filter(|(i, _)| matches!(i.kind(), "concept" | "trap" | "question"))
        .map(|(i, _)| i.id(&pack).to_string())
        .collect();
    let (s, html) = get(&app, &format!("/study?topic=python&budget={seed}")).await;
    assert_eq!(s, StatusCode::OK);
    // One new card per item, past the day's allowance of 20: the person chose these.
    let counts = format!("0 due now · {} new · 0 later today", items.len());
    assert!(html.contains(&counts), "{counts} in {html}");
    assert!(html.contains("Studying the "), "the set is named");
    let (s, h, _) = send(&app, rate_form(&html, 3)).await;
    assert!(s.is_redirection());
    assert_eq!(
        h[header::LOCATION],
        format!("/study?topic=python&budget={seed}")
    );
    for _ in 0..5 {
        let (_, html) = get(&app, &format!("/study?topic=python&budget={seed}")).await;
        let key = html
            .split("data-key=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string();
        let item = key.split('/').nth(1).unwrap();
        assert!(items.contains(item), "{key} is on the card");
        send(&app, rate_form(&html, 4)).await;
    }
}

#[tokio::test]
async fn the_done_screen_agrees_with_progress_and_says_when_the_next_card_returns() {
    let app = app_with(Store::open_in_memory().unwrap());
    let (_, html) = get(&app, "/study?topic=python&items=gil").await;
    assert!(prompt(&html).unwrap().contains("GIL"), "{html}");
    assert!(
        html.contains("id=\"anchor-note\""),
        "the word anchor is explained"
    );
    let (s, h, _) = send(&app, rate_form(&html, 3)).await;
    assert!(s.is_redirection());
    assert_eq!(h[header::LOCATION], "/study?topic=python&items=gil");
    let (_, done) = get(&app, "/study?topic=python&items=gil").await;
    assert!(prompt(&done).is_none(), "only the GIL was asked for");
    assert!(done.contains("All caught up in Python."), "{done}");
    // Good on a new card: back in 10 minutes, which is today unless midnight (UTC, the
    // server's day) comes first.
    let today = (now() % 86_400) + 600 < 86_400;
    let later = if today {
        "1 card comes back later today."
    } else {
        "Nothing else is due today."
    };
    assert!(done.contains(later), "{done}");
    assert!(
        done.contains("The next card returns in <strong id=\"done-next\">10 min</strong>"),
        "{done}"
    );
    assert_eq!(done.contains("data-next-in=\""), today);
    assert!(done.contains("href=\"/stats\">See your progress"));
    let (_, stats) = get(&app, "/stats").await;
    let due = if today {
        "id=\"stat-due\">1</span> card due today"
    } else {
        "id=\"stat-due\">0</span> cards due today"
    };
    assert!(stats.contains(due), "{stats}");
    assert!(stats.contains("(next in 10 min)"), "{stats}");
    // Home welcomes back once there is history.
    let (_, home) = get(&app, "/").await;
    assert!(home.contains("Welcome back"), "{home}");
    let due = if today {
        "id=\"welcome-due\">1 card</strong> due today"
    } else {
        "id=\"welcome-due\">0 cards</strong> due today"
    };
    assert!(home.contains(due), "{home}");
}

#[tokio::test]
async fn a_search_an_interview_page_and_a_compare_page_each_start_their_own_set() {
    let app = app_with(Store::open_in_memory().unwrap());
    let (s, html) = get(&app, "/study?q=decorator").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        html.contains("Studying what \u{201c}decorator\u{201d} finds"),
        "{html}"
    );
    assert!(prompt(&html).is_some(), "{html}");
    let (_, all) = get(&app, "/study").await;
    assert_ne!(
        html.split("0 due now · ")
            .nth(1)
            .map(|r| r.split(' ').next()),
        all.split("0 due now · ")
            .nth(1)
            .map(|r| r.split(' ').next()),
        "the search's set is not everything"
    );
    let (_, html) = get(&app, "/study?topic=python&kind=question").await;
    let pack = Catalog::bundled().get("python").unwrap().pack.clone();
    let p = prompt(&html).unwrap();
    assert!(
        pack.questions
            .iter()
            .any(|q| memseed_core::prose::html(&q.question) == p),
        "{p}"
    );
    assert!(html.contains("Interview question"));
    let (_, html) = get(&app, "/study?topic=python&items=gil,decorators").await;
    assert!(html.contains("0 due now · 2 new"), "{html}");
    for (uri, status) in [
        ("/study?budget=2KB", 400),
        ("/study?items=gil", 400),
        ("/study?topic=python&kind=poem", 400),
        ("/study?topic=python&budget=lots", 400),
        ("/study?topic=python&budget=3", 400),
    ] {
        assert_eq!(get(&app, uri).await.0.as_u16(), status, "{uri}");
    }
}

#[tokio::test]
async fn the_review_api_refuses_bad_ratings_and_unknown_cards_without_writing() {
    let app = app_with(Store::open_in_memory().unwrap());
    for (body, status, says) in [
        (
            r#"{"key":"python/gil/concept-anchor","rating":5}"#,
            400,
            "rating must be 1",
        ),
        (
            r#"{"key":"python/gil/concept-anchor","rating":0}"#,
            400,
            "rating must be 1",
        ),
        (
            r#"{"key":"python/gil/concept-anchor","rating":"soon"}"#,
            400,
            "rating must be 1",
        ),
        (
            r#"{"key":"python/nope/concept-anchor","rating":3}"#,
            404,
            "no card",
        ),
        (r#"{"rating":3}"#, 400, "not a review"),
        ("not json", 400, "not a review"),
    ] {
        let (s, _, b) = send(&app, post_json("/api/study/review", body)).await;
        let j: Value = serde_json::from_slice(&b)
            .unwrap_or_else(|_| panic!("{body}: {}", String::from_utf8_lossy(&b)));
        assert_eq!(s.as_u16(), status, "{body}: {j}");
        assert!(
            j["error"]["message"].as_str().unwrap().contains(says),
            "{body}: {j}"
        );
    }
    let (_, stats) = get(&app, "/api/stats").await;
    assert!(stats.contains("\"reviews_total\":0"), "{stats}");
    let (s, _, b) = send(
        &app,
        post_json(
            "/api/study/review",
            r#"{"key":"python/gil/concept-anchor","rating":"good"}"#,
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let j: Value = serde_json::from_slice(&b).unwrap();
    assert_eq!(
        (j["saved"].clone(), j["reps"].clone()),
        (Value::Bool(true), Value::from(1))
    );
    let (s, _) = get(&app, "/study?topic=cobol").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn without_a_database_study_is_a_404_that_says_why() {
    let app = router(Arc::new(AppState::new(&Catalog::bundled())));
    let (s, html) = get(&app, "/study").await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(html.contains("no database"));
}

#[tokio::test]
async fn share_cards_come_as_png_and_svg_with_type_cache_and_name() {
    let state = Arc::new(AppState::new(&Catalog::bundled()));
    let app = router(state.clone());
    let (s, h, png) = send(
        &app,
        Request::get("/api/topics/python/card.png?budget=2257")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/png");
    assert!(
        h[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age")
    );
    assert!(
        h[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("memseed-python-")
    );
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    // IHDR: width and height.
    assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
    assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630);
    // Asked again, the same image comes from the cache; another theme is another image.
    assert_eq!(state.png_cache.lock().unwrap().len(), 1);
    let (_, _, again) = send(
        &app,
        Request::get("/api/topics/python/card.png?budget=2257")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(again, png);
    assert_eq!(state.png_cache.lock().unwrap().len(), 1);
    let (_, _, light) = send(
        &app,
        Request::get("/api/topics/python/card.png?budget=2257&theme=light")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_ne!(light, png);
    assert_eq!(state.png_cache.lock().unwrap().len(), 2);
    let (s, h, svg) = send(
        &app,
        Request::get("/api/topics/python/card.svg?budget=2257&theme=light")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "image/svg+xml");
    assert!(
        String::from_utf8(svg)
            .unwrap()
            .contains("Reference counting")
    );
    let (s, body) = get(&app, "/api/topics/python/card.png?budget=2257&theme=neon").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(body.contains("theme=dark or theme=light"), "{body}");
    let (s, _) = get(&app, "/api/topics/python/card.png?budget=oops").await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
}

fn http_post(addr: &str, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "POST /api/study/review HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let status = out[9..12].parse().unwrap();
    (status, out)
}

#[test]
fn many_parallel_review_posts_lose_nothing_and_never_hit_a_locked_database() {
    const CLIENTS: usize = 16;
    const EACH: usize = 40;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (addr, keys) = rt.block_on(async {
        let cat = Catalog::bundled();
        let deck = Deck::from_catalog(&cat);
        let keys: Vec<String> = deck.cards().iter().take(12).map(|c| c.key()).collect();
        let recall = Recall::open(&db, deck, Settings::default(), now()).unwrap();
        let app = router(Arc::new(AppState::with_recall(&cat, recall)));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (addr, keys)
    });
    // A second writer on the same file at the same time: a backup-taking, stats-reading
    // neighbour, as when `memseed backup` runs beside the server.
    let neighbour = {
        let db = db.clone();
        std::thread::spawn(move || {
            let s = Store::open(&db).unwrap();
            for i in 0..20 {
                s.backup(&db.with_file_name(format!("b{i}.db"))).unwrap();
                s.reviews().unwrap();
            }
        })
    };
    let threads: Vec<_> = (0..CLIENTS)
        .map(|t| {
            let addr = addr.clone();
            let keys = keys.clone();
            std::thread::spawn(move || {
                let mut bad = Vec::new();
                for i in 0..EACH {
                    let key = &keys[(t * 7 + i) % keys.len()];
                    let rating = 1 + (t + i) % 4;
                    let (status, body) =
                        http_post(&addr, &format!(r#"{{"key":"{key}","rating":{rating}}}"#));
                    if status != 200 || body.contains("locked") {
                        bad.push(body);
                    }
                }
                bad
            })
        })
        .collect();
    let bad: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    neighbour.join().unwrap();
    assert!(bad.is_empty(), "{} failed, e.g. {}", bad.len(), bad[0]);
    let store = Store::open(&db).unwrap();
    let reviews = store.reviews().unwrap();
    assert_eq!(
        reviews.len(),
        CLIENTS * EACH,
        "every acknowledged review is stored"
    );
    for k in &keys {
        let c = store.card(k).unwrap().unwrap();
        let n = reviews.iter().filter(|r| &r.key == k).count() as u32;
        assert_eq!(c.reps, n, "{k}: no update lost");
    }
    assert_eq!(store.integrity_check().unwrap(), "ok");
    eprintln!(
        "concurrency: {} parallel review posts from {CLIENTS} clients, all 200, all stored",
        CLIENTS * EACH
    );
}
