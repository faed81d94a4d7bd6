//! Issue 18 on the web, through the router over a real SQLite file: undo restores a card
//! exactly and removes its review, a card failed 8 times is a leech listed on /leeches and
//! brought back by Unsuspend, Optimize keeps better parameters and refuses the rest, the
//! interview date form sets a plan that /stats shows, and every new POST refuses a
//! cross-site request.

#[path = "../../recall/tests/common/learner.rs"]
#[allow(dead_code)]
mod learner;

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use memseed_catalog::Catalog;
use memseed_core::pack::Tier;
use memseed_recall::{Deck, Recall};
use memseed_store::{CardRow, Store, StoredParameters};
use memseed_study::Settings;
use memseed_study::fit::{Review, evaluate};
use memseed_web::{AppState, router, token};
use serde_json::Value;
use tower::ServiceExt;

const DAY: i64 = 86_400;
const GIL: &str = "python/gil/concept-anchor";

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The app over the database file `db`, as `memseed serve --db` opens it.
fn app(db: &Path) -> Router {
    let cat = Catalog::bundled();
    let recall = Recall::open(db, Deck::from_catalog(&cat), Settings::default(), now()).unwrap();
    router(Arc::new(AppState::with_recall(&cat, recall)))
}

struct Answer {
    status: StatusCode,
    location: String,
    body: String,
}

async fn send(app: &Router, req: Request<Body>) -> Answer {
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let location = res
        .headers()
        .get(header::LOCATION)
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        location,
        body: String::from_utf8_lossy(&body).into_owned(),
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, Request::get(uri).body(Body::empty()).unwrap()).await
}

/// A form post from memseed's own page: the page token, a same-origin browser's headers.
fn form(uri: &str, fields: &str) -> Request<Body> {
    Request::post(uri)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "http://127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={}&{fields}", token())))
        .unwrap()
}

async fn post(app: &Router, uri: &str, fields: &str) -> Answer {
    send(app, form(uri, fields)).await
}

fn row(db: &Path, key: &str) -> CardRow {
    Store::open(db).unwrap().card(key).unwrap().unwrap()
}

fn reviews(db: &Path) -> usize {
    Store::open(db).unwrap().reviews().unwrap().len()
}

async fn rate(app: &Router, key: &str, rating: u8) -> Answer {
    let key = key.replace('/', "%2F");
    let a = post(
        app,
        "/study/rate",
        &format!("key={key}&rating={rating}&topic=python"),
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    a
}

/// The key of the card the study page shows, if any.
fn shown(html: &str) -> Option<String> {
    let i = html.find("id=\"flash\" data-key=\"")? + 21;
    Some(html[i..i + html[i..].find('"')?].to_string())
}

#[tokio::test]
async fn undo_restores_the_exact_card_and_removes_its_review() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    // Nothing to undo yet: said plainly, nothing changes, no 500.
    let a = post(&app, "/study/undo", "topic=python").await;
    assert_eq!(a.location, "/study?topic=python&undo=nothing");
    let page = get(&app, &a.location).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("There is no rating to undo."),
        "{}",
        page.body
    );
    let api = send(
        &app,
        Request::post("/api/study/undo")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    assert!(
        api.body.contains("There is no rating to undo."),
        "{}",
        api.body
    );

    // No undo button before a rating; one after.
    let page = get(&app, "/study?topic=python").await;
    assert_eq!(shown(&page.body).as_deref(), Some(GIL));
    assert!(!page.body.contains("id=\"undo-form\""));
    let fresh = row(&db, GIL);
    rate(&app, GIL, 4).await; // Easy: a review card at once
    let learnt = row(&db, GIL);
    assert_eq!(learnt.phase, "review");
    let a = rate(&app, GIL, 1).await; // Again: a lapse, relearning
    assert_eq!(a.location, "/study?topic=python");
    let lapsed = row(&db, GIL);
    assert_eq!((lapsed.phase.as_str(), lapsed.lapses), ("relearning", 1));
    assert_eq!(reviews(&db), 2);
    let page = get(&app, &a.location).await;
    assert!(page.body.contains("id=\"undo-form\""), "{}", page.body);
    assert_ne!(
        shown(&page.body).as_deref(),
        Some(GIL),
        "GIL is not due now"
    );

    // Undo the lapse: the card is exactly as after the first rating, the review row gone,
    // and the page shows the card again.
    let a = post(&app, "/study/undo", "topic=python").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.location,
        "/study?topic=python&undone=python%2Fgil%2Fconcept-anchor"
    );
    assert_eq!(row(&db, GIL), learnt);
    assert_eq!(reviews(&db), 1);
    let page = get(&app, &a.location).await;
    assert_eq!(shown(&page.body).as_deref(), Some(GIL), "{}", page.body);
    assert!(
        page.body.contains("Undone: your last rating of"),
        "{}",
        page.body
    );

    // The script's route takes back the first rating: the card is new again.
    let api = send(
        &app,
        Request::post("/api/study/undo")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let v: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["key"], GIL);
    assert_eq!(v["phase"], "new");
    assert_eq!(row(&db, GIL), fresh);
    assert_eq!(reviews(&db), 0);
    // Not JSON: a 400 with a message, nothing undone.
    let api = send(
        &app,
        Request::post("/api/study/undo")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(api.status, StatusCode::BAD_REQUEST, "{}", api.body);
}

#[tokio::test]
async fn eight_lapses_make_a_leech_listed_with_its_concept_and_unsuspend_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    rate(&app, GIL, 4).await; // learnt at once
    for lapse in 1..=8u32 {
        let a = rate(&app, GIL, 1).await; // forgotten
        let r = row(&db, GIL);
        assert_eq!(r.lapses, lapse);
        if lapse < 8 {
            assert!(r.suspended.is_none(), "lapse {lapse}");
            assert!(!a.location.contains("leech="), "{}", a.location);
            rate(&app, GIL, 3).await; // relearnt
            continue;
        }
        // The eighth: suspended as a leech in the same transaction, and the next screen
        // says so, with the concept to relearn.
        assert_eq!(r.suspended_reason.as_deref(), Some("leech"));
        assert_eq!(
            a.location,
            "/study?topic=python&leech=python%2Fgil%2Fconcept-anchor"
        );
        let page = get(&app, &a.location).await;
        assert!(
            page.body
                .contains("is a leech: you have forgotten it 8 times"),
            "{}",
            page.body
        );
        assert!(page.body.contains("href=\"/topics/python/concepts/gil\""));
        assert_ne!(shown(&page.body).as_deref(), Some(GIL));
        // Undo takes the leech back with the lapse: studied again, 7 lapses; failed once
        // more, it is a leech again.
        let before = row(&db, GIL);
        post(&app, "/study/undo", "topic=python").await;
        let undone = row(&db, GIL);
        assert!(undone.suspended.is_none() && undone.suspended_reason.is_none());
        assert_eq!(undone.lapses, 7);
        let a = rate(&app, GIL, 1).await;
        assert!(a.location.contains("leech="), "{}", a.location);
        let again = row(&db, GIL);
        assert_eq!(again.suspended_reason.as_deref(), Some("leech"));
        assert_eq!(
            (again.phase.as_str(), again.lapses),
            (before.phase.as_str(), before.lapses)
        );
    }
    // The address alone cannot make a leech of another card.
    let page = get(
        &app,
        "/study?topic=python&leech=python%2Fdecorators%2Fconcept-anchor",
    )
    .await;
    assert!(!page.body.contains("is a leech"), "{}", page.body);

    // Listed on /leeches (linked from /stats) with its lapses and its concept page.
    let stats = get(&app, "/stats").await;
    assert!(
        stats.body.contains("1 leech, 1 suspended in all"),
        "{}",
        stats.body
    );
    assert!(stats.body.contains("href=\"/leeches\""));
    let list = get(&app, "/leeches").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains(&format!("data-key=\"{GIL}\"")),
        "{}",
        list.body
    );
    assert!(
        list.body.contains("a leech: forgotten 8 times"),
        "{}",
        list.body
    );
    assert!(
        list.body
            .contains("<a href=\"/topics/python/concepts/gil\">GIL")
    );
    // Suspended: not due, not coming back today.
    let set = "/study?topic=python&items=gil";
    let sibling = "python/gil/anchor-concept";
    let done = get(&app, set).await;
    assert_ne!(shown(&done.body).as_deref(), Some(GIL));

    // Unsuspend: out of the list, and back in the schedule as it was (relearning, due in
    // minutes); once that time comes it is in the queue.
    let a = post(
        &app,
        "/leeches/unsuspend",
        &format!("key={}", GIL.replace('/', "%2F")),
    )
    .await;
    assert_eq!(
        a.location,
        "/leeches?unsuspended=python%2Fgil%2Fconcept-anchor"
    );
    let list = get(&app, &a.location).await;
    assert!(
        list.body.contains("is back in your study queue"),
        "{}",
        list.body
    );
    assert!(list.body.contains("No suspended cards."), "{}", list.body);
    let r = row(&db, GIL);
    assert!(r.suspended.is_none());
    assert_eq!((r.phase.as_str(), r.lapses), ("relearning", 8));
    let due_now = now() - 1;
    Store::open(&db).unwrap().make_due(GIL, due_now).unwrap(); // time moves on
    let page = get(&app, set).await;
    assert_eq!(shown(&page.body).as_deref(), Some(GIL), "{}", page.body);

    // Suspended by hand from the study card: out of the queue, listed as such.
    let a = post(
        &app,
        "/study/suspend",
        &format!("key={}&topic=python&items=gil", GIL.replace('/', "%2F")),
    )
    .await;
    assert_eq!(
        a.location,
        "/study?topic=python&items=gil&suspended=python%2Fgil%2Fconcept-anchor"
    );
    let page = get(&app, &a.location).await;
    assert!(page.body.contains("Suspended \u{201c}GIL"), "{}", page.body);
    assert_ne!(shown(&page.body).as_deref(), Some(GIL));
    let list = get(&app, "/leeches").await;
    assert!(list.body.contains("suspended by you"), "{}", list.body);
    assert!(!list.body.contains(sibling));
    // A card that does not exist, or no card at all: 4xx with a message.
    let a = post(
        &app,
        "/study/suspend",
        "key=python%2Fnope%2Ftrap&topic=python",
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert!(a.body.contains("There is no card"), "{}", a.body);
    let a = post(&app, "/leeches/unsuspend", "key=").await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert!(a.body.contains("The form names no card."), "{}", a.body);
}

/// `YYYY-MM-DD` (UTC, the server's day) of `at`, counted day by day.
fn date_of(at: i64) -> String {
    let (mut y, mut rest) = (1970, at.div_euclid(DAY));
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    while rest >= if leap(y) { 366 } else { 365 } {
        rest -= if leap(y) { 366 } else { 365 };
        y += 1;
    }
    let months = [
        31,
        if leap(y) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while rest >= months[m] {
        rest -= months[m];
        m += 1;
    }
    format!("{y:04}-{:02}-{:02}", m + 1, rest + 1)
}

/// The log losses an Optimize result names: (in use, fitted).
fn log_losses(html: &str) -> (f64, f64) {
    let i = html
        .find("Log loss: ")
        .unwrap_or_else(|| panic!("no log loss in {html}"))
        + 10;
    let line = &html[i..i + html[i..].find(';').unwrap()];
    let (a, b) = line.split_once(" in use, ").unwrap();
    (
        a.parse().unwrap(),
        b.trim_end_matches(" fitted").parse().unwrap(),
    )
}

#[tokio::test]
async fn optimize_says_how_many_more_then_keeps_better_and_refuses_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    {
        let app = app(&db);
        rate(&app, GIL, 3).await;
        let a = post(&app, "/stats/optimize", "topic=").await;
        assert_eq!(a.status, StatusCode::OK);
        assert!(
            a.body
                .contains("Not enough reviews to fit yet: 64 more are needed."),
            "{}",
            a.body
        );
        let a = post(&app, "/stats/optimize", "topic=nope").await;
        assert_eq!(a.status, StatusCode::NOT_FOUND);
    }
    // Three months of a simulated learner whose memory follows known FSRS parameters,
    // through the real service, ending yesterday.
    let start = now() - 91 * DAY;
    {
        let cat = Catalog::bundled();
        let mut r =
            Recall::open(&db, Deck::from_catalog(&cat), Settings::default(), start).unwrap();
        let mut l = learner::Learner::new(&learner::true_parameters(), 7);
        l.study(&mut r, Some("python"), start, 90);
    }
    let app = app(&db);
    let before = get(&app, "/stats").await;
    assert!(
        before.body.contains("FSRS\u{2019}s defaults"),
        "{}",
        before.body
    );
    let a = post(&app, "/stats/optimize", "topic=").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("id=\"optimize-result\""), "{}", a.body);
    assert!(
        a.body
            .contains("Kept: the fitted parameters predict your reviews better"),
        "{}",
        a.body
    );
    let (in_use, fitted) = log_losses(&a.body);
    assert!(fitted < in_use, "{fitted} < {in_use}");
    // /stats names them: fitted today, to how many reviews, with their log loss.
    let stats = get(&app, "/stats").await;
    let kept = Store::open(&db).unwrap().parameters(None).unwrap().unwrap();
    assert!(
        stats
            .body
            .contains(&format!("<td>fitted {} to ", date_of(kept.at))),
        "{}",
        stats.body
    );
    assert!(
        stats
            .body
            .contains(&format!("<td>{:.4}</td>", kept.log_loss)),
        "{}",
        stats.body
    );
    // The same reviews again: the fit cannot beat what is now in use, so it is refused,
    // with both log losses, and the parameters in use stay.
    let a = post(&app, "/stats/optimize", "topic=").await;
    assert!(a.body.contains("Not kept:"), "{}", a.body);
    let (again_in_use, again_fitted) = log_losses(&a.body);
    assert!(
        (again_in_use - fitted).abs() < 1e-4,
        "{again_in_use} vs {fitted}"
    );
    assert!((again_fitted - again_in_use).abs() < 1e-9, "the same fit");
    assert_eq!(
        Store::open(&db).unwrap().parameters(None).unwrap().unwrap(),
        kept
    );
    // Parameters that predict these reviews better than FSRS's training finds (a local
    // search from the fit on the log loss itself), in use after a restart: a fit now is
    // worse, and refused, with both log losses.
    let reviews: Vec<Review> = Store::open(&db)
        .unwrap()
        .histories(None)
        .unwrap()
        .into_iter()
        .filter(|r| r.rescheduled)
        .map(|r| Review {
            card: r.card_id,
            at: r.at,
            rating: r.rating,
        })
        .collect();
    let mut best = kept.parameters.clone();
    let mut best_fit = evaluate(&best, &reviews).unwrap();
    for _ in 0..2 {
        for i in 0..best.len() {
            for f in [0.8, 1.25, 0.95, 1.05] {
                let mut p = best.clone();
                p[i] *= f;
                if let Ok(e) = evaluate(&p, &reviews)
                    && e.log_loss < best_fit.log_loss - 1e-6
                {
                    best = p;
                    best_fit = e;
                }
            }
        }
    }
    assert!(
        best_fit.log_loss < kept.log_loss - 1e-4,
        "{best_fit:?} {kept:?}"
    );
    Store::open(&db)
        .unwrap()
        .save_parameters(&StoredParameters {
            at: now(),
            topic: None,
            parameters: best,
            reviews: reviews.len() as i64,
            log_loss: best_fit.log_loss,
            rmse_bins: best_fit.rmse_bins,
        })
        .unwrap();
    let app = self::app(&db);
    let a = post(&app, "/stats/optimize", "topic=").await;
    assert!(a.body.contains("Not kept:"), "{}", a.body);
    let (in_use, fitted) = log_losses(&a.body);
    assert!(
        (in_use - best_fit.log_loss).abs() < 1e-4,
        "{in_use} (4 decimals)"
    );
    assert!(fitted > in_use, "{fitted} > {in_use}");
    // The workload table: five retentions, the one in use marked.
    assert_eq!(stats.body.matches("<tr class=\"in-use\">").count(), 1);
    assert!(
        stats
            .body
            .contains("<td>90% <strong>(in use)</strong></td>"),
        "{}",
        stats.body
    );
    for r in ["80%", "85%", "93%", "95%"] {
        assert!(stats.body.contains(&format!("<tr><td>{r}</td>")), "{r}");
    }
}

#[tokio::test]
async fn the_plan_form_sets_a_date_stats_shows_and_refuses_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    let stats = get(&app, "/stats").await;
    assert!(stats.body.contains("id=\"no-plan\""));
    // Not a date, a past date, no date, an unknown topic: a clear 4xx, nothing stored.
    for (until, topic, status, says) in [
        (
            "soon",
            "git",
            StatusCode::UNPROCESSABLE_ENTITY,
            "\u{201c}soon\u{201d} is not a date to plan for: use YYYY-MM-DD",
        ),
        (
            "2020-01-01",
            "git",
            StatusCode::UNPROCESSABLE_ENTITY,
            "\u{201c}2020-01-01\u{201d} is not a date",
        ),
        (
            "2026-02-30",
            "",
            StatusCode::UNPROCESSABLE_ENTITY,
            "is not a date",
        ),
        ("", "git", StatusCode::BAD_REQUEST, "The form has no date."),
        (
            "2099-01-01",
            "nope",
            StatusCode::NOT_FOUND,
            "There is no topic",
        ),
    ] {
        let a = post(&app, "/stats/plan", &format!("topic={topic}&until={until}")).await;
        assert_eq!(a.status, status, "{until}: {}", a.body);
        assert!(a.body.contains(says), "{until}: {}", a.body);
    }
    assert!(Store::open(&db).unwrap().plans().unwrap().is_empty());
    let date = date_of(now() + 10 * DAY);
    let a = post(&app, "/stats/plan", &format!("topic=git&until={date}")).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location, "/stats#plan");
    let planned = Deck::from_catalog(&Catalog::bundled())
        .cards()
        .iter()
        .filter(|c| c.topic == "git" && c.tier <= Tier::High)
        .count();
    let stats = get(&app, "/stats").await;
    let row_start = stats
        .body
        .find("<tr data-topic=\"git\">")
        .expect("the plan's row");
    let row = &stats.body[row_start..row_start + stats.body[row_start..].find("</tr>").unwrap()];
    assert!(row.contains(&format!("<td>{date} ")), "{row}");
    assert!(row.contains("(10 days left)"), "{row}");
    assert!(row.contains(&format!("<td>0 of {planned}</td>")), "{row}");
    assert!(
        row.contains(&format!("<td>{planned} new, 0 to review again</td>")),
        "{row}"
    );
    // Reviews a day: what the service's plan says.
    let plan = {
        let cat = Catalog::bundled();
        let r = Recall::open(&db, Deck::from_catalog(&cat), Settings::default(), now()).unwrap();
        r.plan(Some("git"), now()).unwrap().unwrap()
    };
    assert!(
        row.contains(&format!(
            "<td>{:.0} reviews, {} new</td>",
            plan.reviews_per_day.ceil(),
            plan.new_per_day
        )),
        "{row}"
    );
    // Removed: gone from /stats and from the database.
    let a = post(&app, "/stats/plan", "topic=git&clear=1").await;
    assert_eq!(a.location, "/stats#plan");
    assert!(get(&app, "/stats").await.body.contains("id=\"no-plan\""));
    assert!(Store::open(&db).unwrap().plans().unwrap().is_empty());
}

#[tokio::test]
async fn every_new_post_refuses_a_cross_site_request_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let app = app(&db);
    rate(&app, GIL, 4).await;
    let before = row(&db, GIL);
    let key = GIL.replace('/', "%2F");
    let routes = [
        ("/study/undo", "topic=python".to_string()),
        ("/study/suspend", format!("key={key}&topic=python")),
        ("/leeches/unsuspend", format!("key={key}")),
        ("/stats/optimize", "topic=".to_string()),
        ("/stats/plan", "topic=git&until=2099-01-01".to_string()),
    ];
    for (path, fields) in &routes {
        // With the token, from another site.
        let req = Request::post(*path)
            .header(header::HOST, "127.0.0.1:8080")
            .header(header::ORIGIN, "http://evil.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!("csrf={}&{fields}", token())))
            .unwrap();
        let a = send(&app, req).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path} from another site");
        // From a same-site page that lacks the token (a form another site made).
        let req = Request::post(*path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(fields.clone()))
            .unwrap();
        let a = send(&app, req).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{path} without the token");
    }
    let req = Request::post("/api/study/undo")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::CONTENT_TYPE, "application/json")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("{}"))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN);
    // Nothing changed: the rating stands, the card is not suspended, no plan, no fit.
    assert_eq!(reviews(&db), 1);
    assert_eq!(row(&db, GIL), before);
    let store = Store::open(&db).unwrap();
    assert!(store.plans().unwrap().is_empty());
    assert!(store.parameters(None).unwrap().is_none());
}
