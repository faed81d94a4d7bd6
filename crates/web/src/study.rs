//! The study pages and API: the next card with its answer on demand and the four rating
//! buttons (`/study`), progress with its charts (`/stats`), and the JSON the pages and
//! scripts use (`POST /api/study/review`, `/api/stats`). Every rating is committed to the
//! database before the response goes out.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use memseed_recall::{Recall, RecallError};
use memseed_store::{Source, StoreError};
use memseed_study::{Progress, Rating};
use serde::Deserialize;
use serde_json::json;

use crate::error::{ApiError, PageError, Problem};
use crate::pages::{Chrome, paras, render};
use crate::state::AppState;
use crate::view;

/// The clock of study: seconds since the epoch.
pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

fn recall(st: &AppState) -> Result<Arc<Mutex<Recall>>, Problem> {
    st.recall.clone().ok_or_else(|| {
        Problem::not_found(
            "Study is off: this server has no database.",
            "Start it with `memseed serve` (add --db PATH to choose the file).",
        )
    })
}

/// Runs `f` on the study service off the async threads.
async fn with_recall<T: Send + 'static>(
    st: &AppState,
    f: impl FnOnce(&mut Recall) -> Result<T, RecallError> + Send + 'static,
) -> Result<T, Problem> {
    let r = recall(st)?;
    tokio::task::spawn_blocking(move || {
        let mut guard = r.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    })
    .await
    .map_err(|e| Problem::internal("running a study request", e))?
    .map_err(problem)
}

/// A study error as what the person should hear.
fn problem(e: RecallError) -> Problem {
    match e {
        RecallError::UnknownTopic(t) => Problem::not_found(
            format!("There is no topic \"{t}\"."),
            "See the topics on the home page.",
        ),
        RecallError::UnknownCard(k) => Problem::not_found(
            format!("There is no card \"{k}\"."),
            "Cards are keyed topic/item/kind; the pack may have changed. Reload the study page.",
        ),
        RecallError::Store(StoreError::Locked { .. }) => Problem {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "The study database is busy; nothing was saved.".into(),
            hint: "Try again in a moment.".into(),
        },
        RecallError::Store(StoreError::DiskFull { .. }) => Problem {
            status: StatusCode::INSUFFICIENT_STORAGE,
            message: "The disk is full; nothing was saved.".into(),
            hint: "Free some disk space where the study database lives, then rate the card again."
                .into(),
        },
        RecallError::Store(StoreError::ReadOnly { .. }) => Problem {
            status: StatusCode::SERVICE_UNAVAILABLE,
            message: "The study database is read-only; nothing was saved.".into(),
            hint: "Check the file's permissions, or restart memseed with another --db.".into(),
        },
        other => Problem::internal("using the study database", other),
    }
}

fn topic_param(st: &AppState, q: &HashMap<String, String>) -> Result<Option<String>, Problem> {
    match q.get("topic").map(|t| t.trim()).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if st.topic(t).is_some() => Ok(Some(t.to_string())),
        Some(t) => Err(Problem::not_found(
            format!("There is no topic \"{t}\"."),
            "See the topics on the home page.",
        )),
    }
}

struct Filter {
    label: String,
    href: String,
    current: bool,
}

struct CardView {
    key: String,
    topic: String,
    kind: &'static str,
    tier: &'static str,
    state: &'static str,
    prompt: String,
    answer: Vec<String>,
    intervals: [String; 4],
}

#[derive(Template)]
#[template(path = "study.html")]
struct StudyPage {
    chrome: Chrome,
    filters: Vec<Filter>,
    scope: String,
    topic: String,
    due_count: usize,
    new_count: usize,
    reviews_today: usize,
    card: Option<CardView>,
}

/// `GET /study[?topic=python]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let topic = topic_param(&st, &q)?;
    let t = topic.clone();
    let now = now();
    let (queue, due, today) = with_recall(&st, move |r| {
        let queue = r.queue(t.as_deref(), now)?;
        let due = match queue.first() {
            Some(item) => Some(r.due(&item.key, now)?),
            None => None,
        };
        let today = r.reviews_today(now)?;
        Ok((queue, due, today))
    })
    .await?;
    let titles: HashMap<&str, &str> = st
        .topics
        .iter()
        .map(|t| (t.slug(), t.pack.topic.title.as_str()))
        .collect();
    let mut filters = vec![Filter {
        label: "All topics".into(),
        href: "/study".into(),
        current: topic.is_none(),
    }];
    filters.extend(st.topics.iter().map(|t| Filter {
        label: t.pack.topic.title.clone(),
        href: format!("/study?topic={}", view::path_part(t.slug())),
        current: topic.as_deref() == Some(t.slug()),
    }));
    let card = due.map(|d| CardView {
        key: d.card.key(),
        topic: titles
            .get(d.card.topic.as_str())
            .copied()
            .unwrap_or(&d.card.topic)
            .to_string(),
        kind: kind_label(d.card.kind),
        tier: d.card.tier.as_str(),
        state: if d.is_new {
            "new"
        } else {
            d.state.phase.as_str()
        },
        prompt: d.card.prompt.clone(),
        answer: paras(Some(&d.card.answer)),
        intervals: d.intervals.clone(),
    });
    let page = StudyPage {
        chrome: Chrome::new(""),
        filters,
        scope: topic
            .as_deref()
            .and_then(|t| titles.get(t).map(|s| s.to_string()))
            .unwrap_or_default(),
        topic: topic.clone().unwrap_or_default(),
        due_count: queue.iter().filter(|i| !i.is_new).count(),
        new_count: queue.iter().filter(|i| i.is_new).count(),
        reviews_today: today,
        card,
    };
    render(&page)
}

fn kind_label(k: memseed_study::CardKind) -> &'static str {
    match k.as_str() {
        "concept-anchor" => "concept → anchor",
        "anchor-concept" => "anchor → concept",
        "question" => "interview question",
        "trap" => "spot the trap",
        other => other,
    }
}

fn parse_rating(s: &str) -> Result<Rating, Problem> {
    Rating::parse(s.trim()).map_err(|e| {
        Problem::bad_request(
            format!("{e}."),
            "Send rating 1 (again), 2 (hard), 3 (good) or 4 (easy).",
        )
    })
}

/// The form the rating buttons post.
#[derive(Deserialize)]
pub struct RateForm {
    key: String,
    rating: String,
    #[serde(default)]
    topic: String,
}

/// `POST /study/rate`: records the rating, then back to the next card.
pub async fn rate_form(
    State(st): State<Arc<AppState>>,
    Form(f): Form<RateForm>,
) -> Result<Response, PageError> {
    let rating = parse_rating(&f.rating)?;
    let key = f.key.clone();
    with_recall(&st, move |r| r.rate(&key, rating, Source::Study, now())).await?;
    let to = if f.topic.is_empty() || st.topic(&f.topic).is_none() {
        "/study".to_string()
    } else {
        format!("/study?topic={}", view::path_part(&f.topic))
    };
    Ok(Redirect::to(&to).into_response())
}

/// The JSON body of `POST /api/study/review`.
#[derive(Deserialize)]
pub struct ReviewBody {
    key: String,
    rating: serde_json::Value,
}

/// `POST /api/study/review` with `{"key": "...", "rating": 1..4}`.
pub async fn review_api(
    State(st): State<Arc<AppState>>,
    body: Result<Json<ReviewBody>, axum::extract::rejection::JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let Json(b) = body.map_err(|e| {
        ApiError(Problem::bad_request(
            format!("The request body is not a review: {}", e.body_text()),
            "Send JSON like {\"key\": \"python/gil/concept-anchor\", \"rating\": 3}.",
        ))
    })?;
    let rating = match &b.rating {
        serde_json::Value::Number(n) => parse_rating(&n.to_string())?,
        serde_json::Value::String(s) => parse_rating(s)?,
        other => parse_rating(&other.to_string())?,
    };
    let key = b.key.clone();
    let at = now();
    let rated = with_recall(&st, move |r| r.rate(&key, rating, Source::Study, at)).await?;
    Ok(Json(json!({
        "key": rated.key,
        "rating": rating.as_u8(),
        "phase": rated.after.phase.as_str(),
        "due": rated.after.due,
        "next_in": rated.next_in,
        "reps": rated.after.reps,
        "saved": true,
    })))
}

/// `GET /api/stats`.
pub async fn stats_api(State(st): State<Arc<AppState>>) -> Result<Json<Progress>, ApiError> {
    let at = now();
    Ok(Json(with_recall(&st, move |r| r.progress(at)).await?))
}

struct TopicRow {
    title: String,
    href: String,
    mastered: u32,
    total: u32,
    share: String,
    percent: String,
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    chrome: Chrome,
    due_today: u32,
    reviews_today: u32,
    reviews_total: u32,
    retention: String,
    streak: u32,
    reviews_chart: String,
    due_chart: String,
    topics: Vec<TopicRow>,
}

/// A small bar chart as SVG: one bar a day, numbers only (nothing to escape).
fn bars(days: &[(i64, u32)], label: &str) -> String {
    let max = days.iter().map(|d| d.1).max().unwrap_or(0).max(1);
    let (w, h) = (600.0, 120.0);
    let bw = w / days.len().max(1) as f64;
    let mut out = format!(
        "<svg viewBox=\"0 0 600 140\" role=\"img\" aria-label=\"{label}: {} in all\" class=\"chart\">",
        days.iter().map(|d| d.1).sum::<u32>()
    );
    for (i, (_, n)) in days.iter().enumerate() {
        let bh = f64::from(*n) / f64::from(max) * (h - 10.0);
        out.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\"><title>{n}</title></rect>",
            i as f64 * bw + 1.0,
            h - bh,
            (bw - 2.0).max(1.0),
            bh
        ));
    }
    out.push_str(&format!(
        "<line x1=\"0\" y1=\"120\" x2=\"600\" y2=\"120\"></line><text x=\"0\" y=\"136\">{}</text><text x=\"600\" y=\"136\" text-anchor=\"end\">max {max}</text></svg>",
        if label.starts_with("Due") { "today" } else { "30 days ago" }
    ));
    out
}

/// `GET /stats`.
pub async fn stats_page(State(st): State<Arc<AppState>>) -> Result<Html<String>, PageError> {
    let at = now();
    let p = with_recall(&st, move |r| r.progress(at)).await?;
    let topics = p
        .per_topic
        .iter()
        .map(|t| TopicRow {
            title: st
                .topic(&t.topic)
                .map(|x| x.pack.topic.title.clone())
                .unwrap_or_else(|| t.topic.clone()),
            href: view::topic_url(&t.topic),
            mastered: t.mastered / 2,
            total: t.cards / 2,
            share: format!("{:.3}", t.mastery),
            percent: format!("{:.0}%", t.mastery * 100.0),
        })
        .collect();
    let page = StatsPage {
        chrome: Chrome::new(""),
        due_today: p.due_today,
        reviews_today: p.reviews_today,
        reviews_total: p.reviews_total,
        retention: p
            .retention
            .map(|r| format!("{:.0}%", r * 100.0))
            .unwrap_or_else(|| "—".into()),
        streak: p.streak_days,
        reviews_chart: bars(&p.reviews_per_day, "Reviews per day"),
        due_chart: bars(&p.due_next_30, "Due per day"),
        topics,
    };
    render(&page)
}
