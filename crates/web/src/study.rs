//! The study page and its API: the next card with its answer on demand and the four rating
//! buttons (`/study`), over a topic or a chosen set — what a compressed card keeps
//! (`budget=`), a few items (`items=`), what a search finds (`q=`), one kind of card
//! (`kind=`) — and `POST /api/study/review`. Every rating is committed to the database
//! before the response goes out. The done screen says when the next card returns, counted
//! as `/stats` counts, and offers the next step.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use askama::Template;
use axum::Json;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use memseed_core::{Card, budget, prose};
use memseed_recall::{Recall, RecallError};
use memseed_store::{Source, StoreError};
use memseed_study::{CardKind, Rating};
use serde::Deserialize;
use serde_json::json;

use crate::actions::{self, Asked};
use crate::chrome::{Chrome, render};
use crate::error::{ApiError, PageError, Problem};
use crate::learn::plural;
use crate::state::AppState;
use crate::view::{self, Rich, rich, rich_paras};

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
pub(crate) async fn with_recall<T: Send + 'static>(
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
pub(crate) fn problem(e: RecallError) -> Problem {
    match e {
        RecallError::BadDate(d) => Problem {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            message: format!("\u{201c}{d}\u{201d} is not a date to plan for: use YYYY-MM-DD, a day after today."),
            hint: "Nothing was changed. Pick the date of your interview in the form on the progress page.".into(),
        },
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

/// What a study session covers: a topic or all, and maybe a chosen set within it.
#[derive(Clone, Debug, Default)]
struct Scope {
    topic: Option<String>,
    /// The card at this budget: study what it keeps.
    budget: Option<u64>,
    /// Item ids of the topic, comma-separated.
    items: Option<String>,
    /// A search: study what it finds.
    q: Option<String>,
    /// One kind of card: `concept`, `question` or `trap`.
    kind: Option<&'static str>,
}

fn param<'a>(q: &'a HashMap<String, String>, name: &str) -> Option<&'a str> {
    q.get(name).map(|v| v.trim()).filter(|v| !v.is_empty())
}

impl Scope {
    fn from_query(st: &AppState, q: &HashMap<String, String>) -> Result<Scope, Problem> {
        let topic = match param(q, "topic") {
            None => None,
            Some(t) if st.topic(t).is_some() => Some(t.to_string()),
            Some(t) => {
                return Err(Problem::not_found(
                    format!(
                        "There is no topic \"{}\".",
                        memseed_core::pack::text::clip(t, 60)
                    ),
                    "See the topics on the home page.",
                ));
            }
        };
        let needs_topic = |what: &str| {
            Problem::bad_request(
                format!("Studying {what} needs a topic."),
                "Add topic=… to the address, as the links on the topic pages do.",
            )
        };
        let budget = match param(q, "budget") {
            None => None,
            Some(b) => {
                if topic.is_none() {
                    return Err(needs_topic("a card"));
                }
                Some(budget::parse(b).map_err(|e| {
                    Problem::bad_request(
                        format!(
                            "\"{}\" is not a budget: {}.",
                            memseed_core::pack::text::clip(&e.input, 40),
                            e.reason
                        ),
                        "Use a size such as 2257 or 6KB.",
                    )
                })?)
            }
        };
        let items = param(q, "items").map(|s| memseed_core::pack::text::clip(s, 4000));
        if items.is_some() && topic.is_none() {
            return Err(needs_topic("chosen items"));
        }
        let kind = match param(q, "kind") {
            None => None,
            Some("concept") => Some("concept"),
            Some("question") => Some("question"),
            Some("trap") => Some("trap"),
            Some(other) => {
                return Err(Problem::bad_request(
                    format!(
                        "\"{}\" is not a kind of card.",
                        memseed_core::pack::text::clip(other, 40)
                    ),
                    "Use kind=concept, question or trap.",
                ));
            }
        };
        if kind.is_some() && topic.is_none() {
            return Err(needs_topic("one kind of card"));
        }
        Ok(Scope {
            topic,
            budget,
            items,
            q: param(q, "q").map(|s| s.chars().take(crate::search::MAX_QUERY).collect()),
            kind,
        })
    }

    /// The chosen set as `{topic}/{item}` keys, or `None` for the whole topic (or all).
    fn items(&self, st: &AppState) -> Result<Option<Vec<String>>, Problem> {
        let mut set: Option<Vec<String>> = None;
        let mut narrow = |found: Vec<String>| {
            set = Some(match set.take() {
                None => found,
                Some(prev) => prev.into_iter().filter(|i| found.contains(i)).collect(),
            });
        };
        let topic = self.topic.as_deref().and_then(|t| st.topic(t));
        if let (Some(t), Some(b)) = (topic, self.budget) {
            let card = Card::new(&t.pack, &t.compressor, b).map_err(|e| {
                Problem::bad_request(
                    format!(
                        "{b} bytes is too small for {}: its smallest card is {} bytes.",
                        t.pack.topic.title, e.min
                    ),
                    format!("Use a budget of at least {} bytes.", e.min),
                )
            })?;
            let mut kept: Vec<String> = card
                .kept()
                .filter(|(item, _)| {
                    matches!(item.kind(), "concept" | "answer" | "trap" | "question")
                })
                .map(|(item, _)| format!("{}/{}", t.slug(), item.id(&t.pack)))
                .collect();
            kept.dedup();
            narrow(kept);
        }
        if let (Some(t), Some(items)) = (topic, &self.items) {
            narrow(
                items
                    .split(',')
                    .map(str::trim)
                    .filter(|i| !i.is_empty())
                    .map(|i| format!("{}/{i}", t.slug()))
                    .collect(),
            );
        }
        if let (Some(t), Some(kind)) = (topic, self.kind) {
            let p = &t.pack;
            let ids: Vec<&str> = match kind {
                "concept" => p.concepts.iter().map(|c| c.id.as_str()).collect(),
                "question" => p.questions.iter().map(|c| c.id.as_str()).collect(),
                _ => p.traps.iter().map(|c| c.id.as_str()).collect(),
            };
            narrow(ids.iter().map(|i| format!("{}/{i}", t.slug())).collect());
        }
        if let Some(q) = &self.q {
            narrow(crate::find::study_items(st, q));
        }
        Ok(set)
    }

    /// The scope as query parameters (`topic=python&budget=2257`), to come back to.
    fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = &self.topic {
            parts.push(format!("topic={}", view::path_part(t)));
        }
        if let Some(b) = self.budget {
            parts.push(format!("budget={b}"));
        }
        if let Some(i) = &self.items {
            parts.push(format!("items={}", view::path_part(i).replace("%2C", ",")));
        }
        if let Some(k) = self.kind {
            parts.push(format!("kind={k}"));
        }
        if let Some(q) = &self.q {
            parts.push(format!("q={}", view::path_part(q)));
        }
        parts.join("&")
    }

    /// What the set is, in words: `the 2.20 KB card`, `what “decorator” finds`.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(b) = self.budget {
            parts.push(format!("the {} card", budget::human(b)));
        }
        if let Some(i) = &self.items {
            let n = i.split(',').filter(|x| !x.trim().is_empty()).count();
            parts.push(if n == 1 {
                format!("\u{201c}{}\u{201d}", i.trim())
            } else {
                plural(n as u64, "chosen item", "chosen items")
            });
        }
        if let Some(k) = self.kind {
            parts.push(format!("its {k}s"));
        }
        if let Some(q) = &self.q {
            parts.push(format!("what \u{201c}{q}\u{201d} finds"));
        }
        parts.join(", ")
    }

    fn is_set(&self) -> bool {
        self.budget.is_some() || self.items.is_some() || self.q.is_some() || self.kind.is_some()
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
    prompt: Rich,
    prompt_more: Vec<Rich>,
    prompt_code: String,
    answer: Vec<Rich>,
    intervals: [String; 4],
    about_anchors: bool,
}

/// When the queue is empty: what comes back, and when.
struct Done {
    later_today: String,
    next_in: String,
    /// Seconds until the next card, for the page to reload itself (0: not today).
    next_secs: i64,
}

#[derive(Template)]
#[template(path = "study.html")]
struct StudyPage {
    chrome: Chrome,
    filters: Vec<Filter>,
    /// The topic's title, when one is chosen.
    scope: String,
    /// The chosen set in words, when there is one.
    set: String,
    /// The scope as hidden form fields: (name, value).
    fields: Vec<(&'static str, String)>,
    counts: String,
    /// What the last action did (an undo, a suspension, a new leech), when there is news.
    notice: Option<actions::Notice>,
    /// Whether the page offers to undo the last rating (there were ratings today).
    can_undo: bool,
    card: Option<CardView>,
    done: Done,
    /// Links for the done screen: (label, href).
    next: Vec<(String, String)>,
    widen: String,
}

/// `GET /study[?topic=python][&budget=2257|&items=gil,decorators|&q=words|&kind=question]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let scope = Scope::from_query(&st, &q)?;
    let items = scope.items(&st)?;
    let topic = scope.topic.clone();
    let now = now();
    let asked = Asked::from_query(&q);
    let told = asked.clone();
    let (queue, due, today, upcoming, said) = with_recall(&st, move |r| {
        let mut queue = match &items {
            Some(set) => r.queue_items(topic.as_deref(), set, now)?,
            None => r.queue(topic.as_deref(), now)?,
        };
        let said = actions::what_happened(r, &told, &mut queue)?;
        let due = match queue.first() {
            Some(item) => Some(r.due(&item.key, now)?),
            None => None,
        };
        let today = r.reviews_today(now)?;
        let upcoming = r.upcoming(topic.as_deref(), items.as_deref(), now)?;
        Ok((queue, due, today, upcoming, said))
    })
    .await?;
    let notice = said.map(|s| s.view(&st));
    let titles: HashMap<&str, String> = st
        .topics
        .iter()
        .map(|t| (t.slug(), prose::plain(&t.pack.topic.title)))
        .collect();
    let topic = scope.topic.clone();
    let mut filters = vec![Filter {
        label: "All topics".into(),
        href: "/study".into(),
        current: topic.is_none(),
    }];
    filters.extend(st.topics.iter().map(|t| Filter {
        label: prose::plain(&t.pack.topic.title),
        href: format!("/study?topic={}", view::path_part(t.slug())),
        current: topic.as_deref() == Some(t.slug()) && !scope.is_set(),
    }));
    let card = due.map(|d| {
        let prompt_code = (d.card.kind == CardKind::Trap)
            .then(|| {
                d.card
                    .prompt
                    .strip_prefix(memseed_study::cards::TRAP_CODE_PROMPT)
            })
            .flatten()
            .map(|code| code.trim_start_matches('\n').to_string())
            .unwrap_or_default();
        let mut prompt = if prompt_code.is_empty() {
            rich_paras(Some(&d.card.prompt))
        } else {
            vec![rich(memseed_study::cards::TRAP_CODE_PROMPT)]
        };
        let first = if prompt.is_empty() {
            Rich::default()
        } else {
            prompt.remove(0)
        };
        CardView {
            key: d.card.key(),
            topic: titles
                .get(d.card.topic.as_str())
                .cloned()
                .unwrap_or_else(|| d.card.topic.clone()),
            kind: kind_label(d.card.kind),
            tier: d.card.tier.as_str(),
            state: if d.is_new {
                "new"
            } else {
                d.state.phase.as_str()
            },
            prompt: first,
            prompt_more: prompt,
            prompt_code,
            answer: rich_paras(Some(&d.card.answer)),
            intervals: d.intervals.clone(),
            about_anchors: matches!(
                d.card.kind,
                CardKind::ConceptAnchor | CardKind::AnchorConcept
            ),
        }
    });
    let due_now = queue.iter().filter(|i| !i.is_new).count() as u64;
    let new = queue.iter().filter(|i| i.is_new).count() as u64;
    let counts = format!(
        "{} due now · {} new · {} later today · {} today",
        due_now,
        new,
        upcoming.later_today,
        plural(today as u64, "review", "reviews")
    );
    let next_secs = upcoming.next_due.map_or(0, |d| (d - now).max(1));
    let done = Done {
        later_today: match upcoming.later_today {
            0 => "Nothing else is due today.".into(),
            n => format!(
                "{} later today.",
                plural(u64::from(n), "card comes back", "cards come back")
            ),
        },
        next_in: upcoming
            .next_due
            .map(|d| memseed_recall::describe_interval(d - now))
            .unwrap_or_default(),
        next_secs: if upcoming.later_today > 0 {
            next_secs
        } else {
            0
        },
    };
    let scope_title = topic
        .as_deref()
        .and_then(|t| titles.get(t).cloned())
        .unwrap_or_default();
    let mut next = Vec::new();
    if let Some(t) = topic.as_deref().and_then(|t| st.topic(t)) {
        next.push((format!("Read {scope_title}"), view::topic_url(t.slug())));
        next.push((
            "Test yourself on interview questions".into(),
            format!("{}/interview?mode=test", view::topic_url(t.slug())),
        ));
        next.push((
            "See what a 2 KB card keeps".into(),
            crate::learn::compress_url(t.slug(), t.presets()[0]),
        ));
    } else {
        next.push(("Pick a topic to read".into(), "/".into()));
    }
    next.push(("See your progress".into(), "/stats".into()));
    let mut fields: Vec<(&'static str, String)> = Vec::new();
    if let Some(t) = &scope.topic {
        fields.push(("topic", t.clone()));
    }
    if let Some(b) = scope.budget {
        fields.push(("budget", b.to_string()));
    }
    if let Some(i) = &scope.items {
        fields.push(("items", i.clone()));
    }
    if let Some(k) = scope.kind {
        fields.push(("kind", k.to_string()));
    }
    if let Some(q) = &scope.q {
        fields.push(("q", q.clone()));
    }
    let page = StudyPage {
        chrome: Chrome::new(if scope_title.is_empty() {
            "Study".to_string()
        } else {
            format!("Study {scope_title}")
        })
        .nav("study")
        .script("study.js"),
        filters,
        set: scope.describe(),
        widen: topic
            .as_deref()
            .filter(|_| scope.is_set())
            .map(|t| format!("/study?topic={}", view::path_part(t)))
            .unwrap_or_default(),
        scope: scope_title,
        fields,
        counts,
        notice,
        can_undo: today > 0,
        card,
        done,
        next,
    };
    render(&page)
}

/// What a card asks, in plain words.
pub(crate) fn kind_label(k: CardKind) -> &'static str {
    match k {
        CardKind::ConceptAnchor => "Recall the anchor",
        CardKind::AnchorConcept => "Name the concept",
        CardKind::Question => "Interview question",
        CardKind::Trap => "Spot the trap",
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
    #[serde(flatten)]
    scope: HashMap<String, String>,
}

/// `POST /study/rate`: records the rating, then back to the next card of the same set.
pub async fn rate_form(
    State(st): State<Arc<AppState>>,
    Form(f): Form<RateForm>,
) -> Result<Response, PageError> {
    let rating = parse_rating(&f.rating)?;
    let key = f.key.clone();
    let rated = with_recall(&st, move |r| r.rate(&key, rating, Source::Study, now())).await?;
    // A card that just became a leech is named on the next screen.
    let news: &[(&str, &str)] = if rated.leech {
        &[("leech", &rated.key)]
    } else {
        &[]
    };
    Ok(Redirect::to(&back_to(&st, &f.scope, news)).into_response())
}

/// The study page of the scope a form came from (our own page; if it no longer parses,
/// all topics), with `news` added to the query for the next screen to tell.
pub(crate) fn back_to(
    st: &AppState,
    scope: &HashMap<String, String>,
    news: &[(&str, &str)],
) -> String {
    let mut parts: Vec<String> = Scope::from_query(st, scope)
        .map(|s| s.query())
        .into_iter()
        .filter(|q| !q.is_empty())
        .collect();
    parts.extend(
        news.iter()
            .map(|(name, value)| format!("{name}={}", view::path_part(value))),
    );
    if parts.is_empty() {
        "/study".to_string()
    } else {
        format!("/study?{}", parts.join("&"))
    }
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
        "lapses": rated.after.lapses,
        "leech": rated.leech,
        "saved": true,
    })))
}
