//! The JSON API: `/api/topics`, `/api/topics/{slug}`, `/api/topics/{slug}/compress`. The
//! compress answer is the same report as `memseed compress --format json`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use memseed_catalog::Origin;
use memseed_core::pack::Snippet;
use memseed_core::{Card, budget};
use serde_json::{Value, json};

use crate::error::{ApiError, Problem, bad_path};
use crate::state::{AppState, Topic};

/// The topic with `slug`, or a 404 that lists the ones there are.
pub fn find<'a>(st: &'a AppState, slug: &str) -> Result<&'a Topic, Problem> {
    st.topic(slug).ok_or_else(|| {
        let ids: Vec<&str> = st.topics.iter().map(|t| t.slug()).collect();
        Problem::not_found(
            format!(
                "There is no topic \"{}\".",
                memseed_core::pack::text::clip(slug, 80)
            ),
            format!("Topics: {}.", ids.join(", ")),
        )
    })
}

/// The card of `topic` at the budget a person typed, or a 400 that says what is accepted.
pub fn card<'a>(topic: &'a Topic, input: Option<&str>) -> Result<Card<'a>, Problem> {
    card_with(topic, &topic.compressor, input)
}

/// [`card`] through another compressor of the topic (the person's, for "For me").
pub fn card_with<'a>(
    topic: &'a Topic,
    compressor: &'a memseed_core::Compressor,
    input: Option<&str>,
) -> Result<Card<'a>, Problem> {
    let input = input.unwrap_or("").trim();
    if input.is_empty() {
        return Err(Problem::bad_request(
            "A budget is needed.",
            format!("Add ?budget=…, as {}", budget::ACCEPTED_FORMS),
        ));
    }
    let bytes = budget::parse(input).map_err(|e| {
        Problem::bad_request(
            format!(
                "\"{}\" is not a budget: {}.",
                memseed_core::pack::text::clip(&e.input, 80),
                e.reason
            ),
            format!("Accepted: {}", budget::ACCEPTED_FORMS),
        )
    })?;
    Card::new(&topic.pack, compressor, bytes).map_err(|e| {
        Problem::bad_request(
            format!(
                "{} bytes is too small for {}: its smallest card is {} bytes.",
                e.budget, topic.pack.topic.title, e.min
            ),
            format!("Use a budget of at least {} bytes.", e.min),
        )
    })
}

/// `GET /api/topics`.
pub async fn topics(State(st): State<Arc<AppState>>) -> Json<Value> {
    let list: Vec<Value> = st.topics.iter().map(|t| t.summary.clone()).collect();
    Json(json!({ "topics": list }))
}

/// `GET /api/topics/{slug}`: the whole pack.
pub async fn topic(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Json<Value>, ApiError> {
    let Path(slug) = slug.map_err(|r| ApiError(bad_path(r)))?;
    let t = find(&st, &slug)?;
    Ok(Json(pack_json(t)))
}

fn snippet_json(s: &Snippet) -> Value {
    json!({ "code": s.code, "output": s.output, "raises": s.raises, "min_version": s.min_version })
}

fn pack_json(t: &Topic) -> Value {
    let p = &t.pack;
    let cid = |i: &usize| p.concepts[*i].id.clone();
    json!({
        "summary": t.summary,
        "topic": {
            "id": p.topic.id, "title": p.topic.title, "tagline": p.topic.tagline,
            "what_it_is": p.topic.what_it_is, "why_it_exists": p.topic.why_it_exists,
            "when_to_use": p.topic.when_to_use, "where_it_fails": p.topic.where_it_fails,
        },
        "origin": t.origin.label(),
        "categories": p.categories.iter().map(|c| json!({
            "id": c.id, "title": c.title, "map": c.map, "summary": c.summary,
        })).collect::<Vec<_>>(),
        "concepts": p.concepts.iter().map(|c| json!({
            "id": c.id, "title": c.title, "category": p.categories[c.category].id,
            "tier": c.tier, "anchor": c.anchor, "basic": c.basic, "expected": c.expected,
            "deep": c.deep, "code": snippet_json(&c.snippet), "interview": c.interview,
            "trap": c.trap, "derives": c.derives.iter().map(cid).collect::<Vec<_>>(),
            "tags": c.tags,
        })).collect::<Vec<_>>(),
        "traps": p.traps.iter().map(|x| json!({
            "id": x.id, "title": x.title, "what": x.what, "fix": x.fix, "tier": x.tier,
            "concept": x.concept.as_ref().map(cid), "code": snippet_json(&x.snippet),
        })).collect::<Vec<_>>(),
        "questions": p.questions.iter().map(|q| json!({
            "id": q.id, "level": q.level, "question": q.question, "short": q.short,
            "detailed": q.detailed, "tier": q.tier,
            "concepts": q.concepts.iter().map(cid).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "practice": p.practice.iter().map(|x| json!({
            "id": x.id, "question": x.question, "code": snippet_json(&x.snippet),
            "answer": x.answer, "level": x.level, "tier": x.tier,
            "concepts": x.concepts.iter().map(cid).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
}

/// `GET /api/topics/{slug}/compress?budget=…[&format=json|text|md][&download=1]`.
pub async fn compress(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let Path(slug) = slug.map_err(|r| ApiError(bad_path(r)))?;
    let t = find(&st, &slug)?;
    let card = card(t, q.get("budget").map(String::as_str))?;
    let format = q.get("format").map(String::as_str).unwrap_or("json");
    let (body, mime, ext) = match format {
        "json" => (
            serde_json::to_string(&card.report())
                .map_err(|e| Problem::internal("writing the JSON report", e))?,
            "application/json",
            "json",
        ),
        "text" | "txt" => (card.text(), "text/plain; charset=utf-8", "txt"),
        "md" | "markdown" => (card.markdown(), "text/markdown; charset=utf-8", "md"),
        other => {
            return Err(Problem::bad_request(
                format!("Unknown format \"{other}\"."),
                "Use format=json, text or md.",
            )
            .into());
        }
    };
    let mut res = (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(mime)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
        ],
        body,
    )
        .into_response();
    if q.get("download").is_some_and(|d| d == "1") {
        let name = format!(
            "memseed-{}-{}B.{ext}",
            sanitize(t.slug()),
            card.selection.bytes
        );
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(res)
}

/// A file-name-safe form of a slug.
pub(crate) fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Whether the topic came with memseed (for labels).
pub fn is_bundled(t: &Topic) -> bool {
    t.origin == Origin::Bundled
}

/// The share card's theme from `?theme=`, dark by default.
fn theme(q: &HashMap<String, String>) -> Result<memseed_render::Theme, Problem> {
    match q.get("theme").map(String::as_str).unwrap_or("dark") {
        "" => Ok(memseed_render::Theme::Dark),
        t => t.parse().map_err(|_| {
            Problem::bad_request(
                format!("Unknown theme \"{t}\"."),
                "Use theme=dark or theme=light.",
            )
        }),
    }
}

fn card_headers(
    res: &mut Response,
    mime: &'static str,
    slug: &str,
    bytes: u64,
    ext: &str,
    for_me: bool,
) {
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    // The same pack and budget always give the same image; a personal card changes with
    // every review.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if for_me {
            "private, no-cache"
        } else {
            "public, max-age=3600"
        }),
    );
    if let Ok(v) = HeaderValue::from_str(&format!(
        "inline; filename=\"memseed-{}-{bytes}B.{ext}\"",
        sanitize(slug)
    )) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
}

/// A share card's topic slug, budget and theme, checked before any work is done.
struct CardRequest {
    slug: String,
    budget: Option<String>,
    theme: memseed_render::Theme,
    /// "For me" (issue 18): the person's card, labelled so.
    for_me: bool,
}

fn card_request(
    slug: Result<Path<String>, PathRejection>,
    q: &HashMap<String, String>,
) -> Result<CardRequest, Problem> {
    let Path(slug) = slug.map_err(bad_path)?;
    Ok(CardRequest {
        slug,
        budget: q.get("budget").cloned(),
        theme: theme(q)?,
        for_me: crate::personal::wanted(q),
    })
}

/// The card a request names, as the share card draws it: its content (a few milliseconds
/// even for a huge pack, see `CardContent::MAX_LAID_OUT`), the slug and the card's size.
/// With `for_me`, the person's card, its title labelled "for me" (blocking: it reads the
/// study history).
fn card_content(
    st: &AppState,
    req: &CardRequest,
) -> Result<(memseed_render::CardContent, u64, u64), Problem> {
    let t = find(st, &req.slug)?;
    let mine = match req.for_me {
        true => Some(crate::personal::personal(st, t, crate::study::now())?),
        false => None,
    };
    let compressor = mine.as_ref().map_or(&t.compressor, |p| p.compressor(t));
    let card = card_with(t, compressor, req.budget.as_deref())?;
    let mut content = memseed_render::CardContent::from_card(&card);
    if mine
        .as_ref()
        .is_some_and(crate::personal::Personal::is_mine)
    {
        content.title = format!("{} \u{b7} {}", content.title, crate::personal::LABEL);
    }
    Ok((content, card.selection.budget, card.selection.bytes))
}

/// Runs a share-card job off the async threads, at most [`crate::state::DRAWERS`] at a
/// time, so a big card never holds up other requests; a request that waits too long for a
/// free drawer is answered 503.
async fn draw<T: Send + 'static>(
    st: &Arc<AppState>,
    f: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let busy = || Problem {
        status: StatusCode::SERVICE_UNAVAILABLE,
        message: "memseed is busy drawing other share cards.".into(),
        hint: "Try again in a moment.".into(),
    };
    let permit = tokio::time::timeout(DRAW_WAIT, st.drawers.clone().acquire_owned())
        .await
        .map_err(|_| busy())?
        .map_err(|_| busy())?;
    let st = Arc::clone(st);
    tokio::task::spawn_blocking(move || {
        let out = f(&st);
        drop(permit);
        out
    })
    .await
    .map_err(|e| Problem::internal("drawing a share card", e))?
}

/// Longest a share-card request waits for a free drawer.
const DRAW_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// `GET /api/topics/{slug}/card.png?budget=…[&theme=dark|light]`: the 1200×630 share card.
pub async fn card_png(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let req = card_request(slug, &q)?;
    let slug = req.slug.clone();
    let for_me = req.for_me;
    let (png, bytes) = draw(&st, move |st| {
        let (content, budget, bytes) = card_content(st, &req)?;
        let key = (req.slug.clone(), budget, req.theme.as_str());
        let cached = st
            .png_cache
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&key)
            .cloned();
        if let Some(png) = cached.filter(|_| !req.for_me) {
            return Ok((png, bytes));
        }
        let png = memseed_render::render_png(&content, req.theme)
            .map(Bytes::from)
            .map_err(|e| Problem::internal("drawing a share card", e))?;
        if req.for_me {
            // A personal card is not kept: the next review changes it.
            return Ok((png, bytes));
        }
        let mut cache = st.png_cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() >= crate::state::PNG_CACHE_SIZE {
            cache.clear();
        }
        cache.insert(key, png.clone());
        Ok((png, bytes))
    })
    .await?;
    let mut res = png.into_response();
    card_headers(
        &mut res,
        memseed_render::PNG_CONTENT_TYPE,
        &slug,
        bytes,
        "png",
        for_me,
    );
    Ok(res)
}

/// `GET /api/topics/{slug}/card.svg?budget=…[&theme=dark|light]`.
pub async fn card_svg(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let req = card_request(slug, &q)?;
    let slug = req.slug.clone();
    let for_me = req.for_me;
    let (svg, bytes) = draw(&st, move |st| {
        let (content, _, bytes) = card_content(st, &req)?;
        Ok((memseed_render::render_svg(&content, req.theme), bytes))
    })
    .await?;
    let mut res = svg.into_response();
    card_headers(
        &mut res,
        memseed_render::SVG_CONTENT_TYPE,
        &slug,
        bytes,
        "svg",
        for_me,
    );
    Ok(res)
}
