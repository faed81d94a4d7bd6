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

/// The raw response of a GET: status, headers, body bytes.
async fn get_bytes(app: Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let res = app
        .oneshot(Request::get(uri).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

/// The topic page and Compression Mode link to the Anki export, which downloads a package
/// Anki's reader takes (what the budget keeps, or all), with the schedule when asked; bad
/// requests are 400 with a message.
#[tokio::test]
async fn anki_export_downloads_from_the_topic_page_and_compression_mode() {
    let app = router(state(None));
    let (_, topic) = get(app.clone(), "/topics/python").await;
    assert!(
        topic.contains("href=\"/topics/python/anki?format=apkg\""),
        "{topic}"
    );
    assert!(
        topic.contains("href=\"/topics/python/anki?format=apkg&#38;history=1\""),
        "{topic}"
    );
    let (_, compress) = get(app.clone(), "/compress?topic=python&budget=2257").await;
    assert!(
        compress
            .contains("id=\"dl-anki\" href=\"/topics/python/anki?format=apkg&#38;budget=2257\""),
        "{compress}"
    );

    let (status, headers, bytes) =
        get_bytes(app.clone(), "/topics/python/anki?format=apkg&budget=2257").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "application/apkg");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"python-2257.apkg\""
    );
    let col =
        memseed_anki::read_bytes("python-2257.apkg", &bytes, &memseed_anki::Limits::default())
            .unwrap();
    let pack = Catalog::bundled().get("python").unwrap().pack.clone();
    let kept = memseed_anki::export::surviving(&pack, 2257).unwrap();
    assert_eq!(col.cards.len(), kept.len());
    let (status, _, all) = get_bytes(app.clone(), "/topics/python/anki?format=apkg").await;
    assert_eq!(status, StatusCode::OK);
    let col =
        memseed_anki::read_bytes("python.apkg", &all, &memseed_anki::Limits::default()).unwrap();
    assert_eq!(col.cards.len(), memseed_study::cards_for(&pack).len());
    let (status, headers, csv) = get_bytes(app.clone(), "/topics/python/anki?format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.starts_with(b"#separator:tab\n"));

    for (uri, said) in [
        ("/topics/python/anki?format=docx", "not an Anki format"),
        (
            "/topics/python/anki?format=apkg&budget=lots",
            "is not a budget",
        ),
        ("/topics/python/anki?format=apkg&budget=3", "too small"),
        (
            "/topics/python/anki?format=csv&history=1",
            "takes no schedule",
        ),
        ("/topics/nope/anki", "There is no topic"),
    ] {
        let (status, body) = get(app.clone(), uri).await;
        assert!(status.is_client_error(), "{uri}: {status}");
        assert!(body.contains(said), "{uri}: {body}");
    }
    let bare = router(Arc::new(AppState::new(&Catalog::bundled())));
    let (status, body) = get(bare.clone(), "/topics/python/anki?history=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("no study database"), "{body}");
    let (_, topic) = get(bare, "/topics/python").await;
    assert!(
        !topic.contains("history=1"),
        "no schedule link without a database"
    );
}

/// With a database, the export carries the reviews made through the web.
#[tokio::test]
async fn anki_export_with_history_carries_the_reviews() {
    let cat = Catalog::bundled();
    let mut recall = memseed_recall::Recall::with_store(
        memseed_store::Store::open_in_memory().unwrap(),
        memseed_recall::Deck::from_catalog(&cat),
        memseed_study::Settings::default(),
        1_795_255_200,
    )
    .unwrap();
    let key = recall.queue(Some("python"), 1_795_255_200).unwrap()[0]
        .key
        .clone();
    recall
        .rate(
            &key,
            memseed_study::Rating::Good,
            memseed_store::Source::Study,
            1_795_255_200,
        )
        .unwrap();
    let app = router(Arc::new(AppState::with_recall(&cat, recall)));
    let (status, _, bytes) =
        get_bytes(app.clone(), "/topics/python/anki?format=apkg&history=1").await;
    assert_eq!(status, StatusCode::OK);
    let col = memseed_anki::read_bytes("h.apkg", &bytes, &memseed_anki::Limits::default()).unwrap();
    assert_eq!(col.revlog.len(), 1, "the one review goes out");
    let (_, _, plain) = get_bytes(app, "/topics/python/anki?format=apkg").await;
    let col = memseed_anki::read_bytes("p.apkg", &plain, &memseed_anki::Limits::default()).unwrap();
    assert!(
        col.revlog.is_empty(),
        "without history=1 the cards go out new"
    );
}

/// An `.apkg` uploaded on the Import page previews as a pack (tiers and all) and saves as a
/// topic served at once; a damaged package or a deck mixed with notes is a 422 with a
/// message, and nothing is written.
#[tokio::test]
async fn an_anki_package_uploads_on_the_import_page() {
    let dir = tempfile::tempdir().unwrap();
    let app = router(state(Some(dir.path())));
    let pack = Catalog::bundled().get("git").unwrap().pack.clone();
    let cards = memseed_study::cards_for(&pack);
    let apkg = memseed_anki::export(
        &pack,
        &cards,
        None,
        memseed_anki::Format::Apkg,
        1_795_255_200,
    )
    .unwrap()
    .bytes;
    let uri = format!("/import?csrf={}", token());
    let (status, _, html) = send(
        app.clone(),
        &uri,
        &[("id", "git-from-anki")],
        &[("git.apkg", &apkg)],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("git-from-anki"), "{html}");
    assert!(
        html.contains(&format!("{} concepts", pack.concepts.len())),
        "every concept comes back: {html}"
    );
    let toml_start = html
        .find("id=\"import-toml\"")
        .or_else(|| html.find("name=\"toml\""))
        .expect("the pack text to save");
    assert!(toml_start > 0);

    let (status, _, html) = send(
        app.clone(),
        &uri,
        &[],
        &[("broken.apkg", b"PK\x03\x04 not a zip")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("broken.apkg"), "{html}");
    let (status, _, html) =
        send(app.clone(), &uri, &[("text", NOTE)], &[("git.apkg", &apkg)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(html.contains("on its own"), "{html}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}
