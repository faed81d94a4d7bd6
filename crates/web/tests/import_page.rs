//! The Import page in process: paste and upload (multipart, with the page token), the
//! preview with its 2 KB card, the 413 past the limit, and saving a topic that is served at
//! once (pages, search, API) and written to the topics folder, never over a file.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_web::{AppState, IMPORT_LIMIT, router, token};
use tower::ServiceExt;

const NOTE: &str = "# Tea\n\n## Water temperature\n\nGreen tea wants water well below boiling, black tea near it.\n\n## Steep time\n\nMost teas want two to five minutes in the pot.\n";

fn state(dir: Option<&std::path::Path>) -> Arc<AppState> {
    let cat = Catalog::bundled();
    let recall = memseed_recall::Recall::with_store(
        memseed_store::Store::open_in_memory().unwrap(),
        memseed_recall::Deck::from_catalog(&cat),
        memseed_study::Settings::default(),
        1_795_255_200,
    )
    .unwrap();
    let mut st = AppState::with_recall(&cat, recall);
    st.topics_dir = dir.map(|d| d.to_path_buf());
    Arc::new(st)
}

/// A multipart body: text fields, then files (name, content).
fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "memseedTestBoundary7e3";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: text/markdown\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn send(
    app: Router,
    uri: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let (ct, body) = multipart(fields, files);
    let res = app
        .oneshot(
            Request::post(uri)
                .header(header::CONTENT_TYPE, ct)
                .header(header::HOST, "127.0.0.1")
                .header("sec-fetch-site", "same-origin")
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        headers,
        String::from_utf8_lossy(&bytes).into_owned(),
    )
}

async fn get(app: Router, uri: &str) -> (StatusCode, String) {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

#[tokio::test]
async fn the_page_has_both_forms_with_the_token_and_a_nav_link() {
    let (status, html) = get(router(state(None)), "/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains(&format!("action=\"/import?csrf={}\"", token())),
        "{html}"
    );
    assert!(html.contains("enctype=\"multipart/form-data\""));
    assert!(html.contains("name=\"files\" multiple"));
    assert!(html.contains("<a href=\"/import\" aria-current=\"page\">Import</a>"));
    let (_, home) = get(router(state(None)), "/").await;
    assert!(
        home.contains("<a href=\"/import\">Import</a>"),
        "linked from every page"
    );
}

#[tokio::test]
async fn pasted_notes_show_the_pack_and_its_2kb_card() {
    let uri = format!("/import?csrf={}", token());
    let (status, _, html) = send(
        router(state(None)),
        &uri,
        &[("text", NOTE), ("id", ""), ("title", "")],
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("1 note → 2 concepts"), "{html}");
    assert!(html.contains("id=\"import-card\""));
    assert!(
        html.contains(
            "Water temperature — Green tea wants water well below boiling, black tea near it."
        ),
        "{html}"
    );
    assert!(
        html.contains("This server has no topics folder"),
        "no save form without a topics folder"
    );
}

#[tokio::test]
async fn uploads_are_read_and_bad_files_named() {
    let uri = format!("/import?csrf={}", token());
    let (status, _, html) = send(
        router(state(None)),
        &uri,
        &[("text", ""), ("id", "tea"), ("title", "Tea")],
        &[
            ("tea.md", NOTE.as_bytes()),
            ("bad.md", b"# x\n\xff\n"),
            ("photo.png", b"\x89PNG"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("2 concepts"), "{html}");
    assert!(html.contains("bad.md:2: not valid UTF-8"), "{html}");
    assert!(html.contains("photo.png: not a .md"), "{html}");
}

#[tokio::test]
async fn no_token_is_403_and_too_large_is_a_clear_413() {
    let (status, _, _) = send(router(state(None)), "/import", &[("text", NOTE)], &[]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let uri = format!("/import?csrf={}", token());
    let big = "a ".repeat(IMPORT_LIMIT / 2 + 10);
    let (status, _, html) = send(router(state(None)), &uri, &[("text", &big)], &[]).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(html.contains("larger than 2 MiB"), "{html}");
    // Other routes keep the 64 KiB limit.
    let body = format!("csrf={}&key={}", token(), "x".repeat(70_000));
    let res = router(state(None))
        .oneshot(
            Request::post("/study/rate")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::CONTENT_LENGTH, body.len())
                .body(Body::from(body))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn nothing_to_import_is_a_422_with_the_form_again() {
    let uri = format!("/import?csrf={}", token());
    let (status, _, html) = send(router(state(None)), &uri, &[("text", "   ")], &[]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("Paste some notes or choose files"), "{html}");
}

#[tokio::test]
async fn saving_serves_the_topic_at_once_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let st = state(Some(dir.path()));
    let app = router(st.clone());
    let uri = format!("/import?csrf={}", token());
    let (_, _, html) = send(
        app.clone(),
        &uri,
        &[("text", NOTE), ("id", "tea-notes")],
        &[],
    )
    .await;
    assert!(html.contains("id=\"save-form\""), "{html}");
    let imported = memseed_import::import_text(
        "pasted text",
        NOTE,
        &memseed_import::Options {
            id: Some("tea-notes".into()),
            title: None,
        },
    )
    .unwrap();
    let save = format!("/import/save?csrf={}", token());
    let (status, headers, body) = send(app.clone(), &save, &[("toml", &imported.toml)], &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(headers[header::LOCATION], "/topics/tea-notes");
    assert!(dir.path().join("tea-notes.toml").is_file());
    assert!(dir.path().join("tea-notes.import.json").is_file());
    let (status, page) = get(app.clone(), "/topics/tea-notes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Water temperature"), "{page}");
    let (status, _) = get(app.clone(), "/compress?topic=tea-notes&budget=1KB").await;
    assert_eq!(status, StatusCode::OK);
    let (_, hits) = get(app.clone(), "/search?q=steep").await;
    assert!(
        hits.contains("<mark>Steep</mark> time"),
        "the new topic is searchable: {hits}"
    );
    let (_, api) = get(app.clone(), "/api/topics").await;
    assert!(api.contains("\"tea-notes\""));
    // And studied: its cards are in the database without a restart.
    let (status, page) = get(app.clone(), "/study?topic=tea-notes").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains("Water temperature") || page.contains("Steep time"),
        "a card of the new topic: {page}"
    );

    // The same id again: 409, nothing written.
    let before = std::fs::read_to_string(dir.path().join("tea-notes.toml")).unwrap();
    let (status, _, body) = send(app.clone(), &save, &[("toml", &imported.toml)], &[]).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("tea-notes.toml")).unwrap(),
        before
    );
    // A bundled id: 409 too.
    let python = imported
        .toml
        .replace("id = \"tea-notes\"", "id = \"python\"");
    let (status, _, _) = send(app.clone(), &save, &[("toml", &python)], &[]).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Broken pack text: 422 naming the error.
    let broken = imported
        .toml
        .replace("tier = \"critical\"", "tier = \"critcal\"");
    let (status, _, body) = send(
        app,
        &save,
        &[("toml", &broken.replace("tea-notes", "tea-two"))],
        &[],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("did you mean"), "{body}");
    assert!(!dir.path().join("tea-two.toml").exists());
}
