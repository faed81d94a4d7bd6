//! Regression tests of the hardening issue's F1 (cross-site writes) and F2 (DNS rebinding):
//! a cross-site form or JSON post writes nothing, and a foreign Host is refused.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_recall::{Deck, Recall};
use memseed_store::Store;
use memseed_study::Settings;
use memseed_web::{AppState, Hosts, router, token};
use serde_json::Value;
use tower::ServiceExt;

fn app(hosts: Hosts) -> Router {
    let cat = Catalog::bundled();
    let recall = Recall::with_store(
        Store::open_in_memory().unwrap(),
        Deck::from_catalog(&cat),
        Settings::default(),
        1_800_000_000,
    )
    .unwrap();
    let mut state = AppState::with_recall(&cat, recall);
    state.hosts = hosts;
    router(Arc::new(state))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn reviews(app: &Router) -> u64 {
    let (s, body) = send(app, Request::get("/api/stats").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    serde_json::from_str::<Value>(&body).unwrap()["reviews_total"]
        .as_u64()
        .unwrap()
}

const FORM: &str = "key=python%2Fgil%2Fconcept-anchor&rating=3&topic=python";

fn form_post(body: String, headers: &[(&str, &str)]) -> Request<Body> {
    let mut r = Request::post("/study/rate")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in headers {
        r = r.header(*k, *v);
    }
    r.body(Body::from(body)).unwrap()
}

#[tokio::test]
async fn f1_a_cross_site_form_post_writes_no_review() {
    let app = app(Hosts::default());
    let with_token = format!("csrf={}&{FORM}", token());
    for (name, req) in [
        (
            "foreign Origin",
            form_post(with_token.clone(), &[("origin", "http://evil.example")]),
        ),
        (
            "Origin null without the token",
            form_post(FORM.to_string(), &[("origin", "null")]),
        ),
        (
            "Origin null from another site",
            form_post(
                with_token.clone(),
                &[("origin", "null"), ("sec-fetch-site", "cross-site")],
            ),
        ),
        (
            "Sec-Fetch-Site cross-site",
            form_post(with_token.clone(), &[("sec-fetch-site", "cross-site")]),
        ),
        (
            "Sec-Fetch-Site same-site",
            form_post(with_token.clone(), &[("sec-fetch-site", "same-site")]),
        ),
        ("no token, no Origin", form_post(FORM.to_string(), &[])),
        (
            "wrong token",
            form_post(format!("csrf=00112233445566778899aabbccddeeff&{FORM}"), &[]),
        ),
        (
            "text/plain with the token",
            Request::post("/study/rate")
                .header(header::CONTENT_TYPE, "text/plain")
                .header("origin", "http://evil.example")
                .body(Body::from(with_token.clone()))
                .unwrap(),
        ),
    ] {
        let (s, body) = send(&app, req).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{name}: {body}");
        assert!(body.contains("Nothing was saved"), "{name}: {body}");
    }
    assert_eq!(reviews(&app).await, 0, "no cross-site post wrote a review");
    // The page's own form, from the same origin, is recorded.
    let (s, _) = send(
        &app,
        form_post(
            with_token,
            &[
                ("origin", "http://127.0.0.1:8080"),
                ("sec-fetch-site", "same-origin"),
            ],
        ),
    )
    .await;
    assert!(s.is_redirection(), "{s}");
    assert_eq!(reviews(&app).await, 1);
}

#[tokio::test]
async fn f1_a_cross_site_json_post_writes_no_review() {
    let app = app(Hosts::default());
    let body = r#"{"key":"python/gil/concept-anchor","rating":3}"#;
    let post = |ct: &str, origin: Option<&str>| {
        let mut r = Request::post("/api/study/review")
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::CONTENT_TYPE, ct);
        if let Some(o) = origin {
            r = r.header("origin", o);
        }
        r.body(Body::from(body)).unwrap()
    };
    let (s, b) = send(&app, post("application/json", Some("http://evil.example"))).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert!(b.contains("\"error\""), "JSON routes answer JSON: {b}");
    let (s, b) = send(&app, post("text/plain", None)).await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "a simple cross-site request type: {b}"
    );
    let (s, b) = send(
        &app,
        post(
            "application/x-www-form-urlencoded",
            Some("http://evil.example"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{b}");
    assert_eq!(reviews(&app).await, 0);
    let (s, b) = send(
        &app,
        post("application/json", Some("http://127.0.0.1:8080")),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(reviews(&app).await, 1);
}

#[tokio::test]
async fn f2_a_foreign_host_is_refused_and_loopback_names_are_answered() {
    let app = app(Hosts::loopback(&["memseed.lan".into()]));
    for host in ["evil.example", "evil.example:8080", "127.0.0.1.nip.io:8080"] {
        for path in ["/", "/api/stats", "/api/topics/python", "/stats"] {
            let (s, body) = send(
                &app,
                Request::get(path)
                    .header(header::HOST, host)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(s, StatusCode::MISDIRECTED_REQUEST, "{host}{path}: {body}");
            assert!(!body.contains("reviews_total"), "{host}{path} leaked stats");
        }
    }
    let (s, _) = send(
        &app,
        Request::post("/api/study/review")
            .header(header::HOST, "evil.example")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                r#"{"key":"python/gil/concept-anchor","rating":3}"#,
            ))
            .unwrap(),
    )
    .await;
    assert_eq!(s, StatusCode::MISDIRECTED_REQUEST);
    assert_eq!(reviews(&app).await, 0);
    for host in ["localhost:8080", "127.0.0.1:9", "[::1]:8080", "memseed.lan"] {
        let (s, _) = send(
            &app,
            Request::get("/")
                .header(header::HOST, host)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn f9_a_full_disk_answers_507_and_saves_nothing() {
    let cat = Catalog::bundled();
    let store = Store::open_in_memory().unwrap();
    let recall = Recall::with_store(
        store,
        Deck::from_catalog(&cat),
        Settings::default(),
        1_800_000_000,
    )
    .unwrap();
    recall.store().limit_growth(0).unwrap();
    let app = router(Arc::new(AppState::with_recall(&cat, recall)));
    let mut full = 0;
    for i in 0..600 {
        let key = ["gil", "refcounting", "decorators", "generators"][i % 4];
        let body = format!(
            r#"{{"key":"python/{key}/concept-anchor","rating":{}}}"#,
            1 + i % 4
        );
        let (s, b) = send(
            &app,
            Request::post("/api/study/review")
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
        assert_ne!(s, StatusCode::INTERNAL_SERVER_ERROR, "{b}");
        if s == StatusCode::INSUFFICIENT_STORAGE {
            assert!(b.contains("disk is full; nothing was saved"), "{b}");
            full += 1;
        }
    }
    assert!(full > 0, "the capped database filled up");
}
