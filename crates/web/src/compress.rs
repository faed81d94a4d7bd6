//! Compression Mode: the page with its sticky budget bar, presets sized for the topic, the
//! card, the value curve, the share card in either theme, and "Study these"; and the JSON
//! the slider asks for on every move (`/api/topics/{slug}/view`), which carries the card
//! already rendered, so the page and the server draw it with one renderer.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use memseed_core::card::Report;
use memseed_core::pack::text::clip;
use memseed_core::{Card, budget, prose};
use serde_json::json;

use crate::chrome::{Chrome, Site, render};
use crate::error::{PageError, bad_path};
use crate::learn::topic_or_404;
use crate::personal::{self, Personal};
use crate::state::{AppState, CurvePoint, Topic};
use crate::view::{self, CardView};

/// Slider steps per octave: one arrow-key press changes the budget by about 6%.
pub const STEPS_PER_OCTAVE: f64 = 12.0;

/// The card on its own, as the page shows it (also sent to the slider as HTML).
#[derive(Template)]
#[template(path = "card.html")]
struct CardFragment<'a> {
    card: &'a CardView,
}

/// A preset button: the topic's seed, cheatsheet and full cards, and everything.
struct Preset {
    label: &'static str,
    size: String,
    budget: u64,
    pressed: bool,
}

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
    steps: u32,
    min_label: String,
    max_label: String,
    pos: u32,
    budget_input: String,
    bytes_budget: u64,
    error: String,
    presets: Vec<Preset>,
    size: String,
    size_exact: String,
    full_size: String,
    share: String,
    curve: String,
    marker_x: String,
    marker_y: String,
    lost: String,
    text: String,
    card_html: view::Rich,
    status: String,
    /// The share card's theme: `dark` or `light`.
    theme: &'static str,
    links: Links,
    /// "For me" (issue 18): the toggle is on; what the page says about the card shown.
    for_me: bool,
    for_me_note: String,
}

/// Where the page's buttons go for the card shown.
struct Links {
    md: String,
    json: String,
    png: String,
    study: String,
    /// What the card keeps, as an Anki deck.
    anki: String,
    /// Re-derive what this budget loses (issue 18).
    reconstruct: String,
}

impl Links {
    fn new(slug: &str, budget: u64, theme: &str, for_me: bool) -> Links {
        let api = format!("/api/topics/{}", view::path_part(slug));
        let mine = if for_me { "&for_me=1" } else { "" };
        Links {
            md: format!("{api}/compress?budget={budget}&format=md&download=1"),
            json: format!("{api}/compress?budget={budget}&format=json&download=1"),
            png: format!("{api}/card.png?budget={budget}&theme={theme}{mine}"),
            study: format!("/study?topic={}&budget={budget}", view::path_part(slug)),
            anki: format!(
                "/topics/{}/anki?format=apkg&budget={budget}",
                view::path_part(slug)
            ),
            reconstruct: crate::reconstruct::reconstruct_url(slug, budget),
        }
    }
}

/// The curve's drawing box (the SVG's viewBox is 600 × 140).
const CURVE_W: f64 = 600.0;
const CURVE_TOP: f64 = 20.0;
const CURVE_BOTTOM: f64 = 120.0;

/// Where a budget sits on the slider and the curve, from 0 to 1 (log scale).
fn log_pos(min: u64, max: u64, budget: u64) -> f64 {
    let (lo, hi) = (min.max(1) as f64, (max as f64).max(min as f64 + 1.0));
    ((budget.clamp(min, max) as f64).ln() - lo.ln()) / (hi.ln() - lo.ln())
}

/// How many steps the slider has between `min` and `max`.
pub fn slider_steps(min: u64, max: u64) -> u32 {
    let octaves = ((max.max(min + 1)) as f64 / min.max(1) as f64).log2();
    ((octaves * STEPS_PER_OCTAVE).ceil() as u32).max(1)
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

/// The card of `t` (through `compressor`: the topic's own or the person's) at what a
/// person typed, or one short line that says what to type.
fn card_or_hint<'a>(
    t: &'a Topic,
    compressor: &'a memseed_core::Compressor,
    input: &str,
) -> Result<Card<'a>, String> {
    let input = input.trim();
    let example = format!("Try {} or 6KB.", t.presets()[0]);
    if input.is_empty() {
        return Err(format!("Type a budget. {example}"));
    }
    let bytes = budget::parse(input).map_err(|e| {
        format!(
            "\u{201c}{}\u{201d} is not a size: {}. {example}",
            clip(&e.input, 24),
            e.reason
        )
    })?;
    Card::new(&t.pack, compressor, bytes).map_err(|e| {
        format!(
            "Too small: {}\u{2019}s smallest card is {} bytes. {example}",
            prose::plain(&t.pack.topic.title),
            e.min
        )
    })
}

/// What a screen reader hears when the card changes: its size and what it keeps.
fn status_line(report: &Report) -> String {
    let seeds = report
        .sections
        .iter()
        .find(|s| s.id == "seeds")
        .map_or(0, |s| s.count);
    let traps = report
        .sections
        .iter()
        .find(|s| s.id == "traps")
        .map_or(0, |s| s.count);
    format!(
        "Card at {}: {} seeds, {} traps, {} of the value.",
        report.size,
        seeds,
        traps,
        share(report)
    )
}

fn share(report: &Report) -> String {
    format!("{:.0}%", report.value_share * 100.0)
}

fn theme_param(q: &HashMap<String, String>) -> &'static str {
    match q.get("theme").map(String::as_str) {
        Some("light") => "light",
        _ => "dark",
    }
}

/// `GET /compress?topic=python&budget=2257[&preset=N][&theme=dark|light]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    site: Site,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let slug = q
        .get("topic")
        .cloned()
        .or_else(|| st.topic("python").map(|t| t.slug().to_string()))
        .or_else(|| st.topics.first().map(|t| t.slug().to_string()))
        .unwrap_or_default();
    let t = topic_or_404(&st, &slug)?;
    let for_me = personal::wanted(&q);
    let mine = match for_me {
        true => Some(personal::personal_for(&st, t.slug(), crate::study::now()).await?),
        false => None,
    };
    let compressor = mine.as_ref().map_or(&t.compressor, |p| p.compressor(t));
    let seed = t.presets()[0];
    // A preset button sends its own budget, which wins over the box.
    let asked = q
        .get("preset")
        .or_else(|| q.get("budget"))
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| seed.to_string());
    // A bad budget still shows the page, with one line under the box and a 400 status,
    // so the person can fix what they typed.
    let (card, error) = match card_or_hint(t, compressor, &asked) {
        Ok(card) => (card, String::new()),
        Err(hint) => (
            Card::new(&t.pack, compressor, seed.max(compressor.min_bytes()))
                .map_err(|e| PageError(crate::error::Problem::internal("the seed card", e)))?,
            hint,
        ),
    };
    let report = card.report();
    let (min, max) = (t.slider_min(), t.full_bytes().max(t.slider_min() + 1));
    let steps = slider_steps(min, max);
    let x = log_pos(min, max, report.budget);
    let theme = theme_param(&q);
    let cv = CardView::new(&report, &t.pack);
    let card_html = view::Rich(
        CardFragment { card: &cv }
            .render()
            .map_err(|e| PageError(crate::error::Problem::internal("rendering a card", e)))?,
    );
    let [seed, cheat, full] = t.presets();
    let presets = [
        ("Seed", seed),
        ("Cheatsheet", cheat),
        ("Full", full),
        ("Everything", t.full_bytes()),
    ]
    .into_iter()
    .map(|(label, b)| Preset {
        label,
        size: budget::human(b.min(t.full_bytes())),
        budget: b,
        pressed: error.is_empty() && b == report.budget,
    })
    .collect();
    let links = Links::new(t.slug(), report.budget, theme, for_me);
    let path = format!(
        "/compress?topic={}&budget={}{}",
        view::path_part(t.slug()),
        report.budget,
        if for_me { "&for_me=1" } else { "" }
    );
    let title = prose::plain(&t.pack.topic.title);
    let for_me_note = mine.as_ref().map(|p| p.note(&title)).unwrap_or_default();
    let page = CompressPage {
        chrome: Chrome::new(format!(
            "Compress {title} to {}{}",
            report.size,
            if mine.as_ref().is_some_and(Personal::is_mine) {
                format!(", {}", personal::LABEL)
            } else {
                String::new()
            }
        ))
        .nav("compress")
        .script("compress.js")
        .describe(&format!(
            "{title} in {}: what survives a {} memory budget, and what is lost.",
            report.size,
            budget::exact(report.budget)
        ))
        .share(&site, &path, &links.png),
        topics: st
            .topics
            .iter()
            .map(|x| (x.slug().to_string(), prose::plain(&x.pack.topic.title)))
            .collect(),
        slug: t.slug().to_string(),
        topic: title,
        min,
        max,
        steps,
        min_label: short_size(min),
        max_label: short_size(max),
        pos: (x * f64::from(steps)).round() as u32,
        budget_input: asked,
        bytes_budget: report.budget,
        error,
        presets,
        size: report.size.clone(),
        size_exact: report.size_exact.clone(),
        full_size: budget::human(report.full_bytes),
        share: share(&report),
        curve: curve_points(&t.curve, min, max),
        marker_x: format!("{:.1}", x * CURVE_W),
        marker_y: format!(
            "{:.1}",
            CURVE_BOTTOM - report.value_share * (CURVE_BOTTOM - CURVE_TOP)
        ),
        lost: report.lost.summary.clone(),
        text: report.text.clone(),
        status: status_line(&report),
        card_html,
        theme,
        links,
        for_me,
        for_me_note,
    };
    let failed = !page.error.is_empty();
    let html = render(&page)?;
    let status = if failed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, html).into_response())
}

/// `GET /api/topics/{slug}/view?budget=…[&theme=…]`: what Compression Mode shows for a
/// budget — sizes, value kept, what is lost, the card as HTML and as text, and the
/// links that follow the card. A bad budget is a 400 with one short line.
pub async fn view_api(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let fail = |status: StatusCode, message: String| {
        (
            status,
            Json(json!({ "error": { "status": status.as_u16(), "message": message } })),
        )
            .into_response()
    };
    let slug = match slug {
        Ok(Path(s)) => s,
        Err(r) => return fail(StatusCode::BAD_REQUEST, bad_path(r).message),
    };
    let Some(t) = st.topic(&slug) else {
        return fail(
            StatusCode::NOT_FOUND,
            format!("There is no topic \u{201c}{}\u{201d}.", clip(&slug, 40)),
        );
    };
    let for_me = personal::wanted(&q);
    let mine = if for_me {
        match personal::personal_for(&st, t.slug(), crate::study::now()).await {
            Ok(p) => Some(p),
            Err(p) => return fail(p.status, p.message),
        }
    } else {
        None
    };
    let compressor = mine.as_ref().map_or(&t.compressor, |p| p.compressor(t));
    let card = match card_or_hint(t, compressor, q.get("budget").map_or("", String::as_str)) {
        Ok(card) => card,
        Err(hint) => return fail(StatusCode::BAD_REQUEST, hint),
    };
    let report = card.report();
    let cv = CardView::new(&report, &t.pack);
    let card_html = match (CardFragment { card: &cv }).render() {
        Ok(h) => h,
        Err(e) => {
            let p = crate::error::Problem::internal("rendering a card", e);
            return fail(p.status, p.message);
        }
    };
    let links = Links::new(t.slug(), report.budget, theme_param(&q), for_me);
    let title = prose::plain(&t.pack.topic.title);
    let mut res = Json(json!({
        "budget": report.budget,
        "bytes": report.bytes,
        "size": report.size,
        "size_exact": report.size_exact,
        "value_share": report.value_share,
        "share": share(&report),
        "lost": report.lost.summary,
        "status": status_line(&report),
        "title": title,
        "for_me": mine.as_ref().is_some_and(Personal::is_mine),
        "for_me_note": mine.as_ref().map(|p| p.note(&title)).unwrap_or_default(),
        "card_html": card_html,
        "text": report.text,
        "links": { "md": links.md, "json": links.json, "png": links.png, "study": links.study, "anki": links.anki, "reconstruct": links.reconstruct },
    }))
    .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
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
    fn a_slider_step_is_a_twelfth_of_an_octave() {
        assert_eq!(slider_steps(128, 256), 12);
        assert_eq!(slider_steps(128, 128 << 10), 120);
        // Python: 128 B to ~290 KB is about 11 octaves, so ~134 steps of ~6% each.
        let steps = slider_steps(128, 290_000);
        assert!((130..140).contains(&steps), "{steps}");
        assert_eq!(slider_steps(100, 100), 1);
    }
}
