//! The HTML pages: home, topic, concept, interview, last hour, search and Compression
//! Mode, rendered on the server from the askama templates in `templates/`.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use memseed_core::budget;
use memseed_core::pack::{Difficulty, Pack};

use crate::api;
use crate::assets;
use crate::error::{PageError, Problem, bad_path};
use crate::search::Hit;
use crate::state::{AppState, CurvePoint, Topic};
use crate::view::{self, CardView, ConceptLink, MapPart};
use memseed_core::budget::PRESETS;

/// The budget the last-hour sheet uses: the cheatsheet tier.
pub const LAST_HOUR_BUDGET: u64 = PRESETS[1].1;

/// What every page's frame needs.
pub(crate) struct Chrome {
    pub(crate) css: String,
    pub(crate) js: String,
    /// The search box's current text.
    pub(crate) q: String,
    /// The form token every state-changing request carries (see `guard`).
    pub(crate) token: &'static str,
}

impl Chrome {
    pub(crate) fn new(q: &str) -> Chrome {
        Chrome {
            css: assets::url("style.css"),
            js: assets::url("app.js"),
            q: q.to_string(),
            token: crate::guard::token(),
        }
    }
}

pub(crate) fn render(t: &impl Template) -> Result<Html<String>, PageError> {
    t.render()
        .map(Html)
        .map_err(|e| PageError(Problem::internal("rendering a page", e)))
}

fn topic_or_404<'a>(st: &'a AppState, slug: &str) -> Result<&'a Topic, PageError> {
    api::find(st, slug).map_err(PageError)
}

/// Splits text into paragraphs at blank lines.
pub(crate) fn paras(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("")
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

fn counts_line(p: &Pack) -> String {
    let t = p.concepts_by_tier();
    format!(
        "{} concepts ({} critical, {} high) · {} traps · {} interview questions · {} practice",
        p.concepts.len(),
        t[0],
        t[1],
        p.traps.len(),
        p.questions.len(),
        p.practice.len()
    )
}

// ---- error pages -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    message: &'a str,
    hint: &'a str,
}

/// The HTML of an error page; falls back to plain text if the template fails.
pub fn error_page(p: &Problem) -> String {
    ErrorPage {
        chrome: Chrome::new(""),
        status: p.status.as_u16(),
        message: &p.message,
        hint: &p.hint,
    }
    .render()
    .unwrap_or_else(|_| format!("{} {}", p.status, p.message))
}

/// Any path no route matches: a 404 page, or JSON under `/api/`.
pub async fn not_found(uri: Uri) -> Response {
    let p = Problem::not_found(
        format!("There is no page at {}.", uri.path()),
        "Check the address, or start from the topics.",
    );
    if uri.path().starts_with("/api/") {
        p.json()
    } else {
        (StatusCode::NOT_FOUND, Html(error_page(&p))).into_response()
    }
}

// ---- home ------------------------------------------------------------------------------

struct TopicCard {
    slug: String,
    title: String,
    href: String,
    line: String,
    counts: String,
    bundled: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    topics: Vec<TopicCard>,
}

/// `GET /`.
pub async fn home(State(st): State<Arc<AppState>>) -> Result<Html<String>, PageError> {
    let mut sorted: Vec<&Topic> = st.topics.iter().collect();
    // The deepest topics first: the flagship leads.
    sorted.sort_by_key(|t| std::cmp::Reverse(t.pack.concepts.len()));
    let topics = sorted
        .into_iter()
        .map(|t| TopicCard {
            slug: view::path_part(t.slug()),
            title: t.pack.topic.title.clone(),
            href: view::topic_url(t.slug()),
            line: t
                .pack
                .topic
                .tagline
                .clone()
                .unwrap_or_else(|| first_sentence(&t.pack.topic.what_it_is)),
            counts: counts_line(&t.pack),
            bundled: api::is_bundled(t),
        })
        .collect();
    render(&Home {
        chrome: Chrome::new(""),
        topics,
    })
}

fn first_sentence(s: &str) -> String {
    match s.find(". ") {
        Some(i) => s[..=i].to_string(),
        None => s.to_string(),
    }
}

// ---- topic -----------------------------------------------------------------------------

struct TrapView {
    id: String,
    title: String,
    what: String,
    fix: String,
    tier: &'static str,
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    chrome: Chrome,
    slug: String,
    title: String,
    href: String,
    counts: String,
    what: String,
    why: String,
    when: Vec<String>,
    fails: Vec<String>,
    map: Vec<MapPart>,
    traps: Vec<TrapView>,
}

/// `GET /topics/{slug}`.
pub async fn topic(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let p = &t.pack;
    render(&TopicPage {
        chrome: Chrome::new(""),
        slug: view::path_part(t.slug()),
        title: p.topic.title.clone(),
        href: view::topic_url(t.slug()),
        counts: counts_line(p),
        what: p.topic.what_it_is.clone(),
        why: p.topic.why_it_exists.clone().unwrap_or_default(),
        when: p.topic.when_to_use.clone(),
        fails: p.topic.where_it_fails.clone(),
        map: view::learning_map(p),
        traps: p
            .traps
            .iter()
            .map(|x| TrapView {
                id: view::path_part(&x.id),
                title: x.title.clone(),
                what: x.what.clone(),
                fix: x.fix.clone(),
                tier: x.tier.as_str(),
            })
            .collect(),
    })
}

// ---- concept ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "concept.html")]
struct ConceptPage {
    chrome: Chrome,
    topic: String,
    topic_href: String,
    category: String,
    c: ConceptLink,
    basic: Vec<String>,
    expected: Vec<String>,
    deep: Vec<String>,
    code: String,
    output: String,
    min_version: String,
    interview: Vec<String>,
    trap: Vec<String>,
    from: Vec<ConceptLink>,
    to: Vec<ConceptLink>,
    /// (question, link)
    questions: Vec<(String, String)>,
}

/// `GET /topics/{slug}/concepts/{id}`.
pub async fn concept(
    State(st): State<Arc<AppState>>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Html<String>, PageError> {
    let Path((slug, id)) = path.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let p = &t.pack;
    let Some(c) = p.concept(&id) else {
        return Err(PageError(Problem::not_found(
            format!("{} has no concept \"{id}\".", p.topic.title),
            "See the topic page for every concept.",
        )));
    };
    let index = p.concepts.iter().position(|x| x.id == c.id);
    let (to, from) = view::relations(p, c);
    let questions = p
        .questions
        .iter()
        .filter(|q| index.is_some_and(|i| q.concepts.contains(&i)))
        .map(|q| {
            (
                q.question.clone(),
                format!(
                    "{}/interview#q-{}",
                    view::topic_url(t.slug()),
                    view::path_part(&q.id)
                ),
            )
        })
        .collect();
    render(&ConceptPage {
        chrome: Chrome::new(""),
        topic: p.topic.title.clone(),
        topic_href: view::topic_url(t.slug()),
        category: p.categories[c.category].title.clone(),
        c: ConceptLink::new(p, c),
        basic: paras(c.basic.as_deref()),
        expected: paras(c.expected.as_deref()),
        deep: paras(c.deep.as_deref()),
        code: c.snippet.code.clone().unwrap_or_default(),
        output: c.snippet.output.clone().unwrap_or_default(),
        min_version: c.snippet.min_version.clone().unwrap_or_default(),
        interview: paras(c.interview.as_deref()),
        trap: paras(c.trap.as_deref()),
        from: from.iter().map(|x| ConceptLink::new(p, x)).collect(),
        to: to.iter().map(|x| ConceptLink::new(p, x)).collect(),
        questions,
    })
}

// ---- interview -------------------------------------------------------------------------

struct Filter {
    label: &'static str,
    href: String,
    count: usize,
    current: bool,
}

struct QuestionView {
    id: String,
    level: &'static str,
    question: String,
    short: String,
    detailed: Vec<String>,
    concepts: Vec<ConceptLink>,
}

struct PracticeView {
    id: String,
    question: String,
    code: String,
    answer: Vec<String>,
}

#[derive(Template)]
#[template(path = "interview.html")]
struct InterviewPage {
    chrome: Chrome,
    topic: String,
    topic_href: String,
    filters: Vec<Filter>,
    questions: Vec<QuestionView>,
    practice: Vec<PracticeView>,
}

/// `GET /topics/{slug}/interview[?level=beginner|intermediate|expert]`.
pub async fn interview(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let p = &t.pack;
    let level = match q.get("level").map(String::as_str).unwrap_or("") {
        "" | "all" => None,
        other => Some(
            Difficulty::ALL
                .iter()
                .copied()
                .find(|d| d.as_str() == other)
                .ok_or_else(|| {
                    PageError(Problem::bad_request(
                        format!("\"{other}\" is not a level."),
                        "Levels: beginner, intermediate, expert (or all).",
                    ))
                })?,
        ),
    };
    let base = format!("{}/interview", view::topic_url(t.slug()));
    let mut filters = vec![Filter {
        label: "All",
        href: base.clone(),
        count: p.questions.len(),
        current: level.is_none(),
    }];
    for d in Difficulty::ALL {
        filters.push(Filter {
            label: match d {
                Difficulty::Beginner => "Beginner",
                Difficulty::Intermediate => "Intermediate",
                Difficulty::Expert => "Expert",
            },
            href: format!("{base}?level={}", d.as_str()),
            count: p.questions.iter().filter(|x| x.level == d).count(),
            current: level == Some(d),
        });
    }
    let questions = p
        .questions
        .iter()
        .filter(|x| level.is_none_or(|l| x.level == l))
        .map(|x| QuestionView {
            id: view::path_part(&x.id),
            level: x.level.as_str(),
            question: x.question.clone(),
            short: x.short.clone(),
            detailed: paras(x.detailed.as_deref()),
            concepts: x
                .concepts
                .iter()
                .map(|&i| ConceptLink::new(p, &p.concepts[i]))
                .collect(),
        })
        .collect();
    let practice = p
        .practice
        .iter()
        .filter(|x| level.is_none_or(|l| x.level.is_none_or(|xl| xl == l)))
        .map(|x| PracticeView {
            id: view::path_part(&x.id),
            question: x.question.clone(),
            code: x.snippet.code().to_string(),
            answer: paras(Some(&x.answer)),
        })
        .collect();
    render(&InterviewPage {
        chrome: Chrome::new(""),
        topic: p.topic.title.clone(),
        topic_href: view::topic_url(t.slug()),
        filters,
        questions,
        practice,
    })
}

// ---- last hour -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "last_hour.html")]
struct LastHour {
    chrome: Chrome,
    topic: String,
    topic_href: String,
    slug: String,
    size: String,
    budget: u64,
    card: CardView,
}

/// `GET /topics/{slug}/last-hour`: the card at about 6 KB, laid out to read.
pub async fn last_hour(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let card = api::card(t, Some(&LAST_HOUR_BUDGET.to_string())).map_err(PageError)?;
    let report = card.report();
    render(&LastHour {
        chrome: Chrome::new(""),
        topic: t.pack.topic.title.clone(),
        topic_href: view::topic_url(t.slug()),
        slug: view::path_part(t.slug()),
        size: report.size.clone(),
        budget: LAST_HOUR_BUDGET,
        card: CardView::new(&report, &t.pack),
    })
}

// ---- search ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    hits: Vec<Hit>,
}

/// `GET /search?q=…`.
pub async fn search(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let query: String = q
        .get("q")
        .map(|s| s.chars().take(crate::search::MAX_QUERY).collect())
        .unwrap_or_default();
    render(&SearchPage {
        hits: st.index.search(&query),
        chrome: Chrome::new(query.trim()),
    })
}

// ---- compression mode ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "compress.html")]
struct CompressPage {
    chrome: Chrome,
    /// (slug, title) of every topic.
    topics: Vec<(String, String)>,
    slug: String,
    topic: String,
    min: u64,
    max: u64,
    min_label: String,
    max_label: String,
    pos: u32,
    budget_input: String,
    bytes_budget: u64,
    error: String,
    presets: Vec<(&'static str, u64)>,
    size: String,
    size_exact: String,
    full_size: String,
    share: String,
    curve: String,
    marker_x: String,
    marker_y: String,
    lost: String,
    text: String,
    card: CardView,
}

/// The curve's drawing box (the SVG's viewBox is 600 × 140).
const CURVE_W: f64 = 600.0;
const CURVE_TOP: f64 = 20.0;
const CURVE_BOTTOM: f64 = 120.0;

/// Where a budget sits on the slider (0..=1000, log scale) and on the curve.
fn log_pos(min: u64, max: u64, budget: u64) -> f64 {
    let (lo, hi) = (min.max(1) as f64, (max as f64).max(min as f64 + 1.0));
    ((budget.clamp(min, max) as f64).ln() - lo.ln()) / (hi.ln() - lo.ln())
}

fn curve_points(curve: &[CurvePoint], min: u64, max: u64) -> String {
    curve
        .iter()
        .map(|p| {
            format!(
                "{:.1},{:.1}",
                log_pos(min, max, p.budget) * CURVE_W,
                CURVE_BOTTOM - p.share * (CURVE_BOTTOM - CURVE_TOP)
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `128 B` below a kilobyte, `289.76 KB` above: for the curve's axis.
fn short_size(bytes: u64) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        budget::human(bytes)
    }
}

/// `GET /compress?topic=python&budget=2257`.
pub async fn compress(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let slug = q
        .get("topic")
        .cloned()
        .or_else(|| st.topic("python").map(|t| t.slug().to_string()))
        .or_else(|| st.topics.first().map(|t| t.slug().to_string()))
        .unwrap_or_default();
    let t = topic_or_404(&st, &slug)?;
    let asked = q
        .get("budget")
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "2257".to_string());
    // A bad budget still shows the page, with the error next to the box and a 400 status,
    // so the person can fix what they typed.
    let (card, error) = match api::card(t, Some(&asked)) {
        Ok(card) => (card, String::new()),
        Err(p) => (
            api::card(t, Some("2257"))
                .or_else(|_| api::card(t, Some(&t.full_bytes().to_string())))
                .map_err(PageError)?,
            format!("{} {}", p.message, p.hint),
        ),
    };
    let report = card.report();
    let (min, max) = (t.slider_min(), t.full_bytes().max(t.slider_min() + 1));
    let x = log_pos(min, max, report.budget);
    let page = CompressPage {
        chrome: Chrome::new(""),
        topics: st
            .topics
            .iter()
            .map(|x| (x.slug().to_string(), x.pack.topic.title.clone()))
            .collect(),
        slug: t.slug().to_string(),
        topic: t.pack.topic.title.clone(),
        min,
        max,
        min_label: short_size(min),
        max_label: short_size(max),
        pos: (x * 1000.0).round() as u32,
        budget_input: asked,
        bytes_budget: report.budget,
        error: error.clone(),
        presets: PRESETS.to_vec(),
        size: report.size.clone(),
        size_exact: report.size_exact.clone(),
        full_size: budget::human(report.full_bytes),
        share: format!("{:.0}%", report.value_share * 100.0),
        curve: curve_points(&t.curve, min, max),
        marker_x: format!("{:.1}", x * CURVE_W),
        marker_y: format!(
            "{:.1}",
            CURVE_BOTTOM - report.value_share * (CURVE_BOTTOM - CURVE_TOP)
        ),
        lost: report.lost.summary.clone(),
        text: report.text.clone(),
        card: CardView::new(&report, &t.pack),
    };
    let html = render(&page)?;
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok((status, html).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_positions_run_from_zero_to_one() {
        assert_eq!(log_pos(128, 1 << 20, 128), 0.0);
        assert!((log_pos(128, 1 << 20, 1 << 20) - 1.0).abs() < 1e-12);
        assert!(log_pos(128, 1 << 20, 1 << 12) > 0.3);
        assert_eq!(log_pos(128, 1024, 1), 0.0, "clamped");
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(paras(Some("a\n\n b \n\n\n")), vec!["a", "b"]);
        assert!(paras(None).is_empty());
    }
}
