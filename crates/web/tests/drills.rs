//! The quiz and reconstruct pages through the router, over a real SQLite file: answers and
//! ratings are stored, misses reach the error journal, bad input is a 4xx with one line,
//! and without a database the pages say so.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_recall::{Deck, Recall};
use memseed_store::Store;
use memseed_study::Settings;
use memseed_web::{AppState, router};
use tower::ServiceExt;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

fn app(db: &std::path::Path) -> Router {
    let cat = Catalog::bundled();
    let recall = Recall::open(db, Deck::from_catalog(&cat), Settings::default(), now()).unwrap();
    router(Arc::new(AppState::with_recall(&cat, recall)))
}

async fn send(app: &Router, req: Request<Body>) -> (StatusCode, String, String) {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, location, String::from_utf8(body).unwrap())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let (s, _, b) = send(app, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, b)
}

fn post(uri: &str, form: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&{form}", memseed_web::token())))
        .unwrap()
}

/// The value of hidden field `name` in `html`.
fn field(html: &str, name: &str) -> String {
    let rest = html
        .split(&format!("name=\"{name}\" value=\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no field {name}"));
    rest[..rest.find('"').unwrap()].to_string()
}

/// The error page's message.
fn message(html: &str) -> String {
    let start = html.find("<h1").unwrap();
    let start = start + html[start..].find('>').unwrap() + 1;
    html[start..start + html[start..].find("</h1>").unwrap()].to_string()
}

#[tokio::test]
async fn a_missed_quiz_answer_is_stored_journaled_and_shown_in_the_result() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    let (s, html) = get(&app, "/topics/python/quiz?level=beginner&count=2&seed=42").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("question 1 of 2"), "{html}");
    let (s, html) = get(
        &app,
        "/topics/python/quiz?level=beginner&count=2&seed=42&shown=0",
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("Did you have it?"), "{html}");
    let item = field(&html, "item");
    let (s, to, _) = send(
        &app,
        post(
            "/topics/python/quiz",
            &format!("item={item}&had=n&seconds=4.5&level=beginner&count=2&seed=42"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(to, "/topics/python/quiz?level=beginner&count=2&seed=42&a=n");
    // The same answer posted again is refused: the quiz has moved on.
    let (s, _, html) = send(
        &app,
        post(
            "/topics/python/quiz",
            &format!("item={item}&had=y&level=beginner&count=2&seed=42&a=n"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(message(&html).contains("nothing was saved"), "{html}");
    let (_, html) = get(
        &app,
        "/topics/python/quiz?level=beginner&count=2&seed=42&a=n",
    )
    .await;
    assert!(html.contains("question 2 of 2"), "{html}");
    let item2 = field(&html, "seed");
    assert_eq!(item2, "42");
    // Answering the second from its own page.
    let (_, html) = get(
        &app,
        "/topics/python/quiz?level=beginner&count=2&seed=42&a=n&shown=0",
    )
    .await;
    let item2 = field(&html, "item");
    let (s, to, _) = send(
        &app,
        post(
            "/topics/python/quiz",
            &format!("item={item2}&had=y&seconds=2&level=beginner&count=2&seed=42&a=n"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, result) = get(&app, &to).await;
    assert!(result.contains("1 of 2 right."), "{result}");
    assert!(result.contains("It is in your error journal"), "{result}");
    assert!(result.contains("Study the misses"), "{result}");

    let store = Store::open(&db).unwrap();
    let answers = store.quiz_answers().unwrap();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0].item, item);
    assert!(!answers[0].correct && answers[1].correct);
    assert_eq!(answers[0].seconds, Some(4.5));
    assert_eq!(answers[0].level, "beginner");
    let journal = store.journal_entries(10).unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].item, item);
    assert_eq!(journal[0].source, "quiz");
}

#[tokio::test]
async fn a_timed_quiz_counts_a_late_answer_as_missed() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    // Shown at the epoch: far past the 30 seconds.
    let (_, html) = get(
        &app,
        "/topics/python/quiz?level=expert&count=1&seed=7&timed=30&shown=0",
    )
    .await;
    assert!(
        html.contains("Time\u{2019}s up: over an hour for a 30 s limit."),
        "{html}"
    );
    let item = field(&html, "item");
    let seconds = field(&html, "seconds");
    let (s, to, _) = send(
        &app,
        post(
            "/topics/python/quiz",
            &format!("item={item}&had=y&seconds={seconds}&level=expert&count=1&seed=7&timed=30"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(to.ends_with("&a=n"), "{to}");
    let store = Store::open(&db).unwrap();
    assert!(!store.quiz_answers().unwrap()[0].correct);
    assert_eq!(store.journal_entries(5).unwrap().len(), 1);
}

#[tokio::test]
async fn a_reconstruct_rating_is_a_review_of_the_lost_concept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    let (s, html) = get(&app, "/topics/python/reconstruct?budget=2257&count=1").await;
    assert_eq!(s, StatusCode::OK);
    assert!(html.contains("The anchors you keep"), "{html}");
    assert!(html.contains("here are the 1 most important"), "{html}");
    let (_, html) = get(
        &app,
        "/topics/python/reconstruct?budget=2257&count=1&go=1&shown=1",
    )
    .await;
    assert!(html.contains("How well did you re-derive it?"), "{html}");
    let concept = field(&html, "concept");
    let (s, to, _) = send(
        &app,
        post(
            "/topics/python/reconstruct",
            &format!("concept={concept}&rating=1&budget=2257&count=1"),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, result) = get(&app, &to).await;
    assert!(result.contains("Drill over: 1 concept rated"), "{result}");
    assert!(result.contains("Study the ones rated Again"), "{result}");
    let reviews = Store::open(&db).unwrap().reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].key, format!("python/{concept}/concept-anchor"));
    assert_eq!(reviews[0].source, "reconstruct");
    assert_eq!(reviews[0].rating, 1);
}

#[tokio::test]
async fn bad_levels_budgets_counts_and_answers_are_4xx_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    for (uri, status, line) in [
        (
            "/topics/python/quiz?level=wizard",
            400,
            "Unknown level \"wizard\": use beginner, intermediate or expert.",
        ),
        (
            "/topics/python/quiz?level=expert&count=0",
            400,
            "\u{201c}0\u{201d} is not a count.",
        ),
        (
            "/topics/python/quiz?level=expert&seed=x",
            400,
            "\u{201c}x\u{201d} is not a valid seed.",
        ),
        (
            "/topics/python/quiz?level=expert&a=maybe",
            400,
            "The quiz's answers in the address are not valid.",
        ),
        (
            "/topics/nope/quiz?level=expert",
            404,
            "There is no topic \"nope\".",
        ),
        (
            "/topics/python/reconstruct?budget=huge",
            400,
            "\u{201c}huge\u{201d} is not a budget",
        ),
        (
            "/topics/python/reconstruct?budget=-5",
            400,
            "\u{201c}-5\u{201d} is not a budget: it is negative.",
        ),
        (
            "/topics/python/reconstruct?budget=2257&r=9",
            400,
            "The drill's ratings in the address are not valid.",
        ),
    ] {
        let (s, html) = get(&app, uri).await;
        assert_eq!(s.as_u16(), status, "{uri}: {html}");
        let m = message(&html).replace("&#39;", "'").replace("&#34;", "\"");
        assert!(m.contains(line), "{uri}: {m}");
    }
    for (uri, form, line) in [
        (
            "/topics/python/quiz",
            "item=x&had=perhaps&level=expert",
            "is not an answer",
        ),
        ("/topics/python/quiz", "item=x&had=y", "needs its level"),
        (
            "/topics/python/reconstruct",
            "concept=gil&rating=5&budget=2257",
            "rating must be 1",
        ),
        (
            "/topics/python/reconstruct",
            "concept=gil&rating=3&budget=2257",
            "not the drill's next one",
        ),
    ] {
        let (s, _, html) = send(&app, post(uri, form)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{form}: {html}");
        let m = message(&html).replace("&#39;", "'");
        assert!(m.contains(line), "{form}: {m}");
    }
    let store = Store::open(&db).unwrap();
    assert!(
        store.quiz_answers().unwrap().is_empty(),
        "nothing was saved"
    );
    assert!(store.reviews().unwrap().is_empty(), "nothing was saved");
}

#[tokio::test]
async fn without_a_database_the_drills_say_study_is_off() {
    let app = router(Arc::new(AppState::new(&Catalog::bundled())));
    for uri in [
        "/topics/python/quiz?level=expert",
        "/topics/python/reconstruct?budget=2257&go=1",
    ] {
        let (s, html) = get(&app, uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(
            html.contains("Study is off: this server has no study database"),
            "{uri}: {html}"
        );
    }
}

#[tokio::test]
async fn the_topic_interview_and_compress_pages_link_the_drills() {
    let app = router(Arc::new(AppState::new(&Catalog::bundled())));
    let (_, topic) = get(&app, "/topics/python").await;
    assert!(
        topic.contains("href=\"/topics/python/quiz?level=expert\""),
        "{topic}"
    );
    assert!(
        topic.contains("/topics/python/reconstruct?budget="),
        "{topic}"
    );
    let (_, iv) = get(&app, "/topics/python/interview").await;
    assert!(iv.contains("href=\"/topics/python/quiz?level=beginner\""));
    let (_, levels) = get(&app, "/topics/python/quiz").await;
    assert!(levels.contains("id=\"quiz-levels\""), "{levels}");
    let (_, page) = get(&app, "/compress?topic=python&budget=2257").await;
    assert!(page.contains("href=\"/topics/python/reconstruct?budget=2257\""));
    let (_, view) = get(&app, "/api/topics/python/view?budget=3000").await;
    let v: serde_json::Value = serde_json::from_str(&view).unwrap();
    assert_eq!(
        v["links"]["reconstruct"],
        "/topics/python/reconstruct?budget=3000"
    );
}
