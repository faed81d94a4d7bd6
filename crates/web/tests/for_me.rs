//! "For me" in Compression Mode through the router, over a real SQLite file: no history
//! says so and shows the card for everyone; after reviews the personal card differs, the
//! slider's JSON and the page agree, and the share card carries the label.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_core::pack::Tier;
use memseed_recall::{Deck, Recall};
use memseed_store::Source;
use memseed_study::{Rating, Settings};
use memseed_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

const DAY: i64 = 86_400;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let cache = res
        .headers()
        .get(header::CACHE_CONTROL)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, cache, String::from_utf8_lossy(&body).into_owned())
}

async fn view(app: &Router, query: &str) -> Value {
    let (s, _, body) = get(app, &format!("/api/topics/python/view?budget=2KB{query}")).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

/// Half of Python's critical concepts known cold: both their cards reviewed Easy six
/// times, twenty days apart, ending yesterday.
fn learn_half_the_critical_concepts(st: &AppState) {
    let mut r = st.recall.as_ref().unwrap().lock().unwrap();
    let cat = Catalog::bundled();
    let pack = &cat.get("python").unwrap().pack;
    let known: Vec<String> = pack
        .concepts
        .iter()
        .filter(|c| c.tier == Tier::Critical)
        .step_by(2)
        .map(|c| c.id.clone())
        .collect();
    let mut t = now() - 101 * DAY;
    for _ in 0..6 {
        for id in &known {
            for kind in ["concept-anchor", "anchor-concept"] {
                r.rate(
                    &format!("python/{id}/{kind}"),
                    Rating::Easy,
                    Source::Study,
                    t,
                )
                .unwrap();
            }
        }
        t += 20 * DAY;
    }
}

#[tokio::test]
async fn for_me_weighs_the_history_and_the_share_card_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let cat = Catalog::bundled();
    let recall = Recall::open(
        &dir.path().join("m.db"),
        Deck::from_catalog(&cat),
        Settings::default(),
        now() - 200 * DAY,
    )
    .unwrap();
    let st = Arc::new(AppState::with_recall(&cat, recall));
    let app = router(st.clone());

    // No history: said so, and the card for everyone.
    let everyone = view(&app, "").await;
    let fresh = view(&app, "&for_me=1").await;
    assert_eq!(fresh["for_me"], false);
    assert!(
        fresh["for_me_note"]
            .as_str()
            .unwrap()
            .contains("You have not studied Python yet"),
        "{fresh}"
    );
    assert_eq!(fresh["text"], everyone["text"]);
    assert!(
        fresh["links"]["png"]
            .as_str()
            .unwrap()
            .ends_with("&for_me=1")
    );
    let (_, _, svg) = get(&app, "/api/topics/python/card.svg?budget=2KB&for_me=1").await;
    assert!(!svg.contains("for me"), "no history, no label");

    learn_half_the_critical_concepts(&st);
    let mine = view(&app, "&for_me=1").await;
    assert_eq!(mine["for_me"], true, "{mine}");
    assert_ne!(
        mine["text"], everyone["text"],
        "the reviews change the card"
    );
    assert!(mine["bytes"].as_u64().unwrap() <= 2048);
    assert_eq!(
        view(&app, "").await["text"],
        everyone["text"],
        "the toggle off: as before"
    );

    // The page with ?for_me=1 shows the same personal card, the toggle on.
    let (s, _, page) = get(&app, "/compress?topic=python&budget=2KB&for_me=1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("name=\"for_me\" value=\"1\" checked"),
        "{page}"
    );
    assert!(page.contains("For me: weighted by what you are likely to have forgotten"));
    assert!(page.contains("<title>Compress Python to"));
    assert!(page.contains(", for me \u{2014} memseed</title>"), "{page}");
    let (_, _, plain) = get(&app, "/compress?topic=python&budget=2KB").await;
    assert!(!plain.contains("name=\"for_me\" value=\"1\" checked"));

    // The share card carries the label, and is not cached as everyone's.
    let (s, cache, svg) = get(&app, "/api/topics/python/card.svg?budget=2KB&for_me=1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(svg.contains("Python \u{b7} for me"), "{svg}");
    assert_eq!(cache, "private, no-cache");
    let (_, cache, svg) = get(&app, "/api/topics/python/card.svg?budget=2KB").await;
    assert!(!svg.contains("for me"));
    assert_eq!(cache, "public, max-age=3600");
    let (_, _, png_everyone) = get(&app, "/api/topics/python/card.png?budget=2KB").await;
    let (s, cache, png_mine) = get(&app, "/api/topics/python/card.png?budget=2KB&for_me=1").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(cache, "private, no-cache");
    assert_ne!(
        png_mine, png_everyone,
        "the cached card for everyone is not reused"
    );
}

#[tokio::test]
async fn without_a_database_for_me_says_so_and_shows_the_card_for_everyone() {
    let app = router(Arc::new(AppState::new(&Catalog::bundled())));
    let everyone = view(&app, "").await;
    let v = view(&app, "&for_me=1").await;
    assert_eq!(v["for_me"], false);
    assert!(
        v["for_me_note"]
            .as_str()
            .unwrap()
            .starts_with("Study is off")
    );
    assert_eq!(v["text"], everyone["text"]);
    let (s, _, page) = get(&app, "/compress?topic=python&budget=2KB&for_me=1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Study is off (this server has no study database)"));
}
