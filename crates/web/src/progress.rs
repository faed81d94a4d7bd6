//! The progress page (`/stats`) and its JSON (`/api/stats`): due today, reviews, retention,
//! streak, the two 30-day charts and mastery by topic; then leeches, the interview plans
//! (`plan`) and the FSRS parameters with the daily workload (`tuning`).

use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Html;
use memseed_study::Progress;

use crate::chrome::{Chrome, render};
use crate::error::{ApiError, PageError};
use crate::plan::{PlanRow, civil_date};
use crate::state::AppState;
use crate::study::{now, with_recall};
use crate::tuning::{Outcome, Tuning, TuningData};
use crate::view;

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
    /// `next in 8 min`, when a card is due later.
    next_in: String,
    due_label: &'static str,
    reviews_label: &'static str,
    total_label: &'static str,
    reviews_today: u32,
    reviews_total: u32,
    retention: String,
    streak: u32,
    reviews_chart: String,
    due_chart: String,
    topics: Vec<TopicRow>,
    /// Leeches, and suspended cards in all (leeches included).
    leeches: usize,
    suspended: usize,
    plans: Vec<PlanRow>,
    /// The first date the plan form accepts (tomorrow), `YYYY-MM-DD`.
    tomorrow: String,
    tuning: Tuning,
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
    stats_html(&st, None).await
}

/// The progress page, with what the Optimize button just did when it was pressed.
pub(crate) async fn stats_html(
    st: &Arc<AppState>,
    outcome: Option<Outcome>,
) -> Result<Html<String>, PageError> {
    let at = now();
    let (p, up, suspended, plans, tuning, offset) = with_recall(st, move |r| {
        let suspended: Vec<bool> = r
            .suspended()?
            .iter()
            .map(|(_, row)| row.suspended_reason.as_deref() == Some("leech"))
            .collect();
        Ok((
            r.progress(at)?,
            r.upcoming(None, None, at)?,
            suspended,
            r.plans(at)?,
            TuningData::load(r)?,
            r.utc_offset,
        ))
    })
    .await?;
    let topics = p
        .per_topic
        .iter()
        .map(|t| TopicRow {
            title: st
                .topic(&t.topic)
                .map(|x| memseed_core::prose::plain(&x.pack.topic.title))
                .unwrap_or_else(|| t.topic.clone()),
            href: view::topic_url(&t.topic),
            mastered: t.mastered / 2,
            total: t.cards / 2,
            share: format!("{:.3}", t.mastery),
            percent: format!("{:.0}%", t.mastery * 100.0),
        })
        .collect();
    let page = StatsPage {
        chrome: Chrome::new("Progress").nav("stats"),
        due_today: p.due_today,
        next_in: up
            .next_due
            .map(|d| format!("next in {}", memseed_recall::describe_interval(d - at)))
            .unwrap_or_default(),
        due_label: if p.due_today == 1 {
            "card due today"
        } else {
            "cards due today"
        },
        reviews_label: if p.reviews_today == 1 {
            "review today"
        } else {
            "reviews today"
        },
        total_label: if p.reviews_total == 1 {
            "review in all"
        } else {
            "reviews in all"
        },
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
        leeches: suspended.iter().filter(|&&leech| leech).count(),
        suspended: suspended.len(),
        plans: plans
            .iter()
            .map(|(topic, plan)| PlanRow::new(st, topic.as_deref(), plan, offset))
            .collect(),
        tomorrow: civil_date(at + 86_400, offset),
        tuning: Tuning::new(st, tuning, outcome),
    };
    render(&page)
}
