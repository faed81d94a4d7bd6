//! The reconstruct drill in the browser (`/topics/{slug}/reconstruct?budget=…`): the
//! CLI's `memseed reconstruct`. The anchors a budget's card keeps, then each concept it
//! loses, most important first: re-derive it, show the answer, rate it 1–4. Each rating is
//! a review of the concept's card (source `reconstruct`), through the same code as the CLI
//! (`memseed_study::drill::Reconstruct`, `Recall::rate_reconstructed`), so it is scheduled
//! with the other cards.
//!
//! The drill lives in its address (budget, count, the ratings so far as `r=31…`), so it
//! works without JavaScript and a reload loses nothing.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Form, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use memseed_core::pack::text::clip;
use memseed_core::{Card, budget, prose};
use memseed_study::Rating;
use memseed_study::drill::{Reconstruct, reconstruct_card};

use crate::chrome::{Chrome, render};
use crate::error::{PageError, Problem, bad_path};
use crate::learn::{plural, topic_or_404};
use crate::quiz::{STUDY_OFF, count_param, param};
use crate::state::{AppState, Topic};
use crate::study::{now, with_recall};
use crate::view::{self, Rich, rich, rich_paras};

/// The drill's address without its progress.
struct Drill {
    budget: u64,
    count: usize,
    /// Ratings so far, one digit 1–4 each.
    ratings: String,
}

impl Drill {
    fn from_query(t: &Topic, q: &HashMap<String, String>) -> Result<Drill, Problem> {
        let budget = match param(q, "budget") {
            None => t.presets()[0],
            Some(b) => budget::parse(b).map_err(|e| {
                Problem::bad_request(
                    format!(
                        "\u{201c}{}\u{201d} is not a budget: {}.",
                        clip(&e.input, 40),
                        e.reason
                    ),
                    "Use a size such as 2257 or 6KB.",
                )
            })?,
        };
        let ratings = param(q, "r").unwrap_or("").to_string();
        if !ratings.chars().all(|c| ('1'..='4').contains(&c))
            || ratings.len() > crate::quiz::MAX_COUNT
        {
            return Err(Problem::bad_request(
                "The drill's ratings in the address are not valid.",
                "Start the drill again from Compression Mode or the topic page.",
            ));
        }
        Ok(Drill {
            budget,
            count: count_param(q)?,
            ratings,
        })
    }

    fn fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("budget", self.budget.to_string()),
            ("count", self.count.to_string()),
        ];
        if !self.ratings.is_empty() {
            f.push(("r", self.ratings.clone()));
        }
        f
    }

    fn url(&self, slug: &str, started: bool) -> String {
        let mut query: Vec<String> = self
            .fields()
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if started {
            query.push("go=1".into());
        }
        format!("{}/reconstruct?{}", view::topic_url(slug), query.join("&"))
    }
}

/// The card of `t` at `bytes`, or a 400 that says the smallest.
fn card_at(t: &Topic, bytes: u64) -> Result<Card<'_>, Problem> {
    Card::new(&t.pack, &t.compressor, bytes).map_err(|e| {
        Problem::bad_request(
            format!(
                "{bytes} bytes is too small for {}: its smallest card is {} bytes.",
                prose::plain(&t.pack.topic.title),
                e.min
            ),
            format!("Use a budget of at least {} bytes.", e.min),
        )
    })
}

/// A kept anchor: the concept's title and its anchor.
struct Anchor {
    title: Rich,
    anchor: Rich,
}

/// The concept to re-derive.
struct Ask {
    number: usize,
    of: usize,
    title: Rich,
    tier: &'static str,
    concept: String,
    intervals: [String; 4],
}

/// A rated concept on the result screen.
struct RatedView {
    title: Rich,
    rating: &'static str,
    href: String,
}

#[derive(Template)]
#[template(path = "reconstruct.html")]
struct ReconstructPage {
    chrome: Chrome,
    topic: String,
    topic_href: String,
    /// `off`, `start`, `question`, `answer` or `result`.
    screen: &'static str,
    off: &'static str,
    size: String,
    kept: Vec<Anchor>,
    lost_line: String,
    start_href: String,
    fields: Vec<(&'static str, String)>,
    ask: Option<Ask>,
    answer: Vec<Rich>,
    rated: Vec<RatedView>,
    summary: String,
    next: Vec<(String, String)>,
}

/// What the drill covers, as the CLI says it.
fn lost_line(total: usize, drilled: usize) -> String {
    if total == 0 {
        "Every concept\u{2019}s anchor is on this card: try a smaller budget.".into()
    } else if drilled == total {
        format!(
            "{} did not survive. Re-derive each from the anchors above, then check.",
            plural(total as u64, "concept", "concepts")
        )
    } else {
        format!(
            "{total} concepts did not survive; here are the {drilled} most important. Re-derive each from the anchors above, then check."
        )
    }
}

fn rating_label(r: Rating) -> &'static str {
    match r {
        Rating::Again => "Again",
        Rating::Hard => "Hard",
        Rating::Good => "Good",
        Rating::Easy => "Easy",
    }
}

/// The reconstruct address for a budget of a topic (the link from Compression Mode).
pub(crate) fn reconstruct_url(slug: &str, budget: u64) -> String {
    format!("{}/reconstruct?budget={budget}", view::topic_url(slug))
}

/// `GET /topics/{slug}/reconstruct[?budget=B][&count=N][&go=1&r=…][&shown=1]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let d = Drill::from_query(t, &q)?;
    let card = card_at(t, d.budget)?;
    let report = card.report();
    let drill = Reconstruct::new(&t.pack, &report);
    let lost = drill.drilled(d.count);
    let title = prose::plain(&t.pack.topic.title);
    let mut p = ReconstructPage {
        chrome: Chrome::new(format!("Reconstruct {title} from {}", report.size))
            .script("drills.js"),
        topic: title,
        topic_href: view::topic_url(t.slug()),
        screen: "start",
        off: STUDY_OFF,
        size: report.size.clone(),
        kept: drill
            .kept
            .iter()
            .map(|c| Anchor {
                title: rich(&c.title),
                anchor: rich(c.anchor.as_deref().unwrap_or("")),
            })
            .collect(),
        lost_line: lost_line(drill.lost.len(), lost.len()),
        start_href: d.url(t.slug(), true),
        fields: d.fields(),
        ask: None,
        answer: Vec::new(),
        rated: Vec::new(),
        summary: String::new(),
        next: Vec::new(),
    };
    if st.recall.is_none() {
        p.screen = "off";
        return render(&p);
    }
    if param(&q, "go").is_none() || lost.is_empty() {
        return render(&p);
    }
    let done = d.ratings.len();
    if done >= lost.len() {
        p.screen = "result";
        p.summary = format!(
            "Drill over: {} rated; they are scheduled with your other cards.",
            plural(done as u64, "concept", "concepts")
        );
        p.rated = lost
            .iter()
            .zip(d.ratings.chars())
            .filter_map(|(c, r)| {
                Some(RatedView {
                    title: rich(&c.title),
                    rating: rating_label(Rating::parse(&r.to_string()).ok()?),
                    href: view::concept_url(t.slug(), &c.id),
                })
            })
            .collect();
        let again: Vec<String> = lost
            .iter()
            .zip(d.ratings.chars())
            .filter(|(_, r)| *r == '1')
            .map(|(c, _)| view::path_part(&c.id))
            .collect();
        if !again.is_empty() {
            p.next.push((
                "Study the ones rated Again".into(),
                format!(
                    "/study?topic={}&items={}",
                    view::path_part(t.slug()),
                    again.join(",")
                ),
            ));
        }
        p.next.push((
            format!("Back to the {} card", report.size),
            crate::learn::compress_url(t.slug(), d.budget),
        ));
        p.next
            .push((format!("Back to {}", p.topic), view::topic_url(t.slug())));
        return render(&p);
    }
    let c = lost[done];
    let key = reconstruct_card(t.slug(), &c.id);
    let due = with_recall(&st, move |r| r.due(&key, now())).await?;
    p.ask = Some(Ask {
        number: done + 1,
        of: lost.len(),
        title: rich(&c.title),
        tier: c.tier.as_str(),
        concept: c.id.clone(),
        intervals: due.intervals,
    });
    if param(&q, "shown").is_some() {
        p.screen = "answer";
        p.answer = rich_paras(c.anchor.as_deref());
        p.answer.extend(rich_paras(c.basic.as_deref()));
    } else {
        p.screen = "question";
    }
    render(&p)
}

/// The form the rating buttons post.
#[derive(serde::Deserialize)]
pub struct RateForm {
    concept: String,
    rating: String,
    #[serde(flatten)]
    rest: HashMap<String, String>,
}

/// `POST /topics/{slug}/reconstruct`: rates one re-derived concept, then the next.
pub async fn rate(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Form(f): Form<RateForm>,
) -> Result<Response, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let mut d = Drill::from_query(t, &f.rest)?;
    let rating = Rating::parse(f.rating.trim()).map_err(|e| {
        Problem::bad_request(
            format!("{e}."),
            "Send rating 1 (again), 2 (hard), 3 (good) or 4 (easy).",
        )
    })?;
    let card = card_at(t, d.budget)?;
    let report = card.report();
    let drill = Reconstruct::new(&t.pack, &report);
    let next = drill
        .drilled(d.count)
        .get(d.ratings.len())
        .map(|c| c.id.clone());
    if next.as_deref() != Some(f.concept.as_str()) {
        return Err(Problem::bad_request(
            "This concept is not the drill's next one; nothing was saved.",
            "The page was out of date (rated twice, or the pack changed). Go back to the drill.",
        )
        .into());
    }
    let topic = t.slug().to_string();
    let concept = f.concept.clone();
    with_recall(&st, move |r| {
        r.rate_reconstructed(&topic, &concept, rating, now())
    })
    .await?;
    d.ratings.push(char::from(b'0' + rating.as_u8()));
    Ok(Redirect::to(&d.url(t.slug(), true)).into_response())
}
