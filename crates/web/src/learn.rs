//! The pages to read a topic: home, topic (the learning map as a tree), concept (with its
//! neighbours in reading order), interview questions (by level, with a self-test mode) and
//! the last-hour sheet. Each ends with a next step: study, compress, or the next page.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use memseed_core::pack::{Difficulty, Pack};
use memseed_core::prose;

use crate::api;
use crate::chrome::{Chrome, Site, render};
use crate::error::{PageError, Problem, bad_path};
use crate::state::{AppState, Topic};
use crate::view::{self, CardView, ConceptLink, MapPart, Rich, rich, rich_paras};

pub(crate) fn topic_or_404<'a>(st: &'a AppState, slug: &str) -> Result<&'a Topic, PageError> {
    api::find(st, slug).map_err(PageError)
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

/// `n thing` or `n things`.
pub(crate) fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The address of Compression Mode for a topic at a budget.
pub(crate) fn compress_url(slug: &str, budget: u64) -> String {
    format!("/compress?topic={}&budget={budget}", view::path_part(slug))
}

/// The share card of a topic's seed card: the image a shared link of its pages shows.
fn card_image(t: &Topic) -> String {
    format!(
        "/api/topics/{}/card.png?budget={}",
        view::path_part(t.slug()),
        t.presets()[0]
    )
}

// ---- home ------------------------------------------------------------------------------

struct TopicCard {
    title: Rich,
    href: String,
    line: Rich,
    counts: String,
    bundled: bool,
    compress: String,
    study: String,
}

/// The welcome-back line, once there is history.
struct Welcome {
    due: String,
    streak: String,
    reviews: String,
}

/// The example card on the home page: the flagship's seed card, first few seeds.
struct Example {
    title: String,
    size: String,
    seeds: Vec<view::EntryView>,
    more: usize,
    href: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct Home {
    chrome: Chrome,
    topics: Vec<TopicCard>,
    welcome: Option<Welcome>,
    example: Option<Example>,
}

/// `GET /`.
pub async fn home(State(st): State<Arc<AppState>>, site: Site) -> Result<Html<String>, PageError> {
    let mut sorted: Vec<&Topic> = st.topics.iter().collect();
    // The deepest topics first: the flagship leads.
    sorted.sort_by_key(|t| std::cmp::Reverse(t.pack.concepts.len()));
    let topics = sorted
        .iter()
        .map(|t| TopicCard {
            title: rich(&t.pack.topic.title),
            href: view::topic_url(t.slug()),
            line: rich(
                t.pack
                    .topic
                    .tagline
                    .as_deref()
                    .unwrap_or_else(|| first_sentence(&t.pack.topic.what_it_is)),
            ),
            counts: counts_line(&t.pack),
            bundled: api::is_bundled(t),
            compress: compress_url(t.slug(), t.presets()[0]),
            study: format!("/study?topic={}", view::path_part(t.slug())),
        })
        .collect();
    let flagship = st.topic("python").or(sorted.first().copied());
    let example = flagship.and_then(|t| {
        let card = api::card(t, Some(&t.presets()[0].to_string())).ok()?;
        let report = card.report();
        let cv = CardView::new(&report, &t.pack);
        let seeds: Vec<view::EntryView> = cv
            .sections
            .into_iter()
            .find(|s| s.id == "seeds")?
            .entries
            .into_iter()
            .filter(|e| e.kind == "concept" && e.pre.is_empty())
            .collect();
        let shown = 4.min(seeds.len());
        Some(Example {
            title: prose::plain(&t.pack.topic.title),
            size: report.size.clone(),
            more: seeds.len() - shown,
            seeds: seeds.into_iter().take(shown).collect(),
            href: compress_url(t.slug(), t.presets()[0]),
        })
    });
    let welcome = match &st.recall {
        Some(_) => {
            let at = crate::study::now();
            let p = crate::study::with_recall(&st, move |r| r.progress(at)).await?;
            (p.reviews_total > 0).then(|| Welcome {
                due: plural(p.due_today, "card", "cards"),
                streak: plural(p.streak_days, "day", "days"),
                reviews: plural(p.reviews_total, "review", "reviews"),
            })
        }
        None => None,
    };
    let image = flagship.map(card_image).unwrap_or_default();
    render(&Home {
        chrome: Chrome::new("").share(&site, "/", &image),
        topics,
        welcome,
        example,
    })
}

fn first_sentence(s: &str) -> &str {
    match s.find(". ") {
        Some(i) => &s[..=i],
        None => s,
    }
}

// ---- topic -----------------------------------------------------------------------------

struct TrapView {
    id: String,
    title: Rich,
    what: Rich,
    fix: Rich,
    tier: &'static str,
}

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    chrome: Chrome,
    title: Rich,
    href: String,
    counts: String,
    what: Rich,
    why: Rich,
    when: Vec<Rich>,
    fails: Vec<Rich>,
    map: Vec<MapPart>,
    traps: Vec<TrapView>,
    compress: String,
    study: String,
    start: Option<ConceptLink>,
    anki: crate::anki::AnkiLinks,
    /// Drills (issue 18): "Quiz me" by level (label, href), and reconstruct from the seed card.
    quiz: Vec<(String, String)>,
    reconstruct: String,
}

/// `GET /topics/{slug}`.
pub async fn topic(
    State(st): State<Arc<AppState>>,
    site: Site,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let p = &t.pack;
    let href = view::topic_url(t.slug());
    render(&TopicPage {
        chrome: Chrome::new(prose::plain(&p.topic.title))
            .describe(&p.topic.what_it_is)
            .share(&site, &href, &card_image(t)),
        title: rich(&p.topic.title),
        counts: counts_line(p),
        what: rich(&p.topic.what_it_is),
        why: rich(p.topic.why_it_exists.as_deref().unwrap_or_default()),
        when: p.topic.when_to_use.iter().map(|w| rich(w)).collect(),
        fails: p.topic.where_it_fails.iter().map(|w| rich(w)).collect(),
        map: view::learning_map(p),
        traps: p
            .traps
            .iter()
            .map(|x| TrapView {
                id: view::path_part(&x.id),
                title: rich(&x.title),
                what: rich(&x.what),
                fix: rich(&x.fix),
                tier: x.tier.as_str(),
            })
            .collect(),
        compress: compress_url(t.slug(), t.presets()[0]),
        study: format!("/study?topic={}", view::path_part(t.slug())),
        anki: crate::anki::AnkiLinks::new(&st, t.slug(), None),
        quiz: crate::quiz::level_links(t),
        reconstruct: crate::reconstruct::reconstruct_url(t.slug(), t.presets()[0]),
        start: view::reading_order(p)
            .first()
            .map(|c| ConceptLink::new(p, c)),
        href,
    })
}

// ---- concept ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "concept.html")]
struct ConceptPage {
    chrome: Chrome,
    topic: Rich,
    topic_href: String,
    category: Rich,
    c: ConceptLink,
    basic: Vec<Rich>,
    expected: Vec<Rich>,
    deep: Vec<Rich>,
    code: String,
    output: String,
    needs: String,
    interview: Vec<Rich>,
    trap: Vec<Rich>,
    from: Vec<ConceptLink>,
    to: Vec<ConceptLink>,
    /// (question, link)
    questions: Vec<(Rich, String)>,
    prev: Option<ConceptLink>,
    next: Option<ConceptLink>,
    study: String,
    compare: String,
    position: String,
}

/// `GET /topics/{slug}/concepts/{id}`.
pub async fn concept(
    State(st): State<Arc<AppState>>,
    site: Site,
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
                rich(&q.question),
                format!(
                    "{}/interview#q-{}",
                    view::topic_url(t.slug()),
                    view::path_part(&q.id)
                ),
            )
        })
        .collect();
    let order = view::reading_order(p);
    let at = order.iter().position(|x| x.id == c.id).unwrap_or(0);
    let link = |i: Option<usize>| i.and_then(|i| order.get(i)).map(|x| ConceptLink::new(p, x));
    let href = view::concept_url(t.slug(), &c.id);
    let lang = c
        .snippet
        .language(&p.topic)
        .map(str::to_string)
        .unwrap_or_else(|| prose::plain(&p.topic.title));
    render(&ConceptPage {
        chrome: Chrome::new(format!(
            "{} \u{2014} {}",
            prose::plain(&c.title),
            prose::plain(&p.topic.title)
        ))
        .script("pages.js")
        .describe(
            c.anchor
                .as_deref()
                .or(c.basic.as_deref())
                .unwrap_or(&c.title),
        )
        .share(&site, &href, &card_image(t)),
        topic: rich(&p.topic.title),
        topic_href: view::topic_url(t.slug()),
        category: rich(&p.categories[c.category].title),
        c: ConceptLink::new(p, c),
        basic: rich_paras(c.basic.as_deref()),
        expected: rich_paras(c.expected.as_deref()),
        deep: rich_paras(c.deep.as_deref()),
        code: c.snippet.code.clone().unwrap_or_default(),
        output: c.snippet.output.clone().unwrap_or_default(),
        needs: c
            .snippet
            .min_version
            .as_deref()
            .map(|v| format!("Needs {} {v} or newer.", capitalised(&lang)))
            .unwrap_or_default(),
        interview: rich_paras(c.interview.as_deref()),
        trap: rich_paras(c.trap.as_deref()),
        from: from.iter().map(|x| ConceptLink::new(p, x)).collect(),
        to: to.iter().map(|x| ConceptLink::new(p, x)).collect(),
        questions,
        prev: link(at.checked_sub(1)),
        next: link(Some(at + 1)),
        study: format!(
            "/study?topic={}&items={}",
            view::path_part(t.slug()),
            view::path_part(&c.id)
        ),
        compare: format!(
            "/compare?topic={}&a={}",
            view::path_part(t.slug()),
            view::path_part(&c.id)
        ),
        position: format!("{} of {}", at + 1, order.len()),
    })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
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
    question: Rich,
    short: Rich,
    detailed: Vec<Rich>,
    concepts: Vec<ConceptLink>,
}

/// The questions of one level, shown as a group that folds.
struct LevelGroup {
    id: &'static str,
    label: &'static str,
    open: bool,
    questions: Vec<QuestionView>,
}

struct PracticeView {
    id: String,
    question: Rich,
    code: String,
    answer: Vec<Rich>,
}

#[derive(Template)]
#[template(path = "interview.html")]
struct InterviewPage {
    chrome: Chrome,
    topic: Rich,
    topic_href: String,
    filters: Vec<Filter>,
    groups: Vec<LevelGroup>,
    total: usize,
    practice: Vec<PracticeView>,
    /// Answers hidden until asked for.
    test: bool,
    /// The same page in the other mode.
    mode_href: String,
    study: String,
    last_hour: String,
    /// "Quiz me" by level (issue 18): (label, href).
    quiz: Vec<(String, String)>,
}

fn level_label(d: Difficulty) -> &'static str {
    match d {
        Difficulty::Beginner => "Beginner",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Expert => "Expert",
    }
}

/// `GET /topics/{slug}/interview[?level=beginner|intermediate|expert][&mode=test]`.
pub async fn interview(
    State(st): State<Arc<AppState>>,
    site: Site,
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
                        format!("\"{}\" is not a level.", prose::plain(other)),
                        "Levels: beginner, intermediate, expert (or all).",
                    ))
                })?,
        ),
    };
    let test = match q.get("mode").map(String::as_str).unwrap_or("") {
        "" | "read" => false,
        "test" => true,
        other => {
            return Err(PageError(Problem::bad_request(
                format!(
                    "\"{}\" is not a mode.",
                    memseed_core::pack::text::clip(other, 40)
                ),
                "Use mode=test to hide the answers, or leave it out to read them.",
            )));
        }
    };
    let base = format!("{}/interview", view::topic_url(t.slug()));
    let mode = if test { "&mode=test" } else { "" };
    let mut filters = vec![Filter {
        label: "All",
        href: format!("{base}?level=all{mode}"),
        count: p.questions.len(),
        current: level.is_none(),
    }];
    for d in Difficulty::ALL {
        filters.push(Filter {
            label: level_label(d),
            href: format!("{base}?level={}{mode}", d.as_str()),
            count: p.questions.iter().filter(|x| x.level == d).count(),
            current: level == Some(d),
        });
    }
    let mut groups: Vec<LevelGroup> = Vec::new();
    for d in Difficulty::ALL {
        if level.is_some_and(|l| l != d) {
            continue;
        }
        let questions: Vec<QuestionView> = p
            .questions
            .iter()
            .filter(|x| x.level == d)
            .map(|x| QuestionView {
                id: view::path_part(&x.id),
                level: x.level.as_str(),
                question: rich(&x.question),
                short: rich(&x.short),
                detailed: rich_paras(x.detailed.as_deref()),
                concepts: x
                    .concepts
                    .iter()
                    .map(|&i| ConceptLink::new(p, &p.concepts[i]))
                    .collect(),
            })
            .collect();
        if !questions.is_empty() {
            groups.push(LevelGroup {
                id: d.as_str(),
                label: level_label(d),
                // One level at a time: the first is open, the rest fold.
                open: groups.is_empty(),
                questions,
            });
        }
    }
    let practice = p
        .practice
        .iter()
        .filter(|x| level.is_none_or(|l| x.level.is_none_or(|xl| xl == l)))
        .map(|x| PracticeView {
            id: view::path_part(&x.id),
            question: rich(&x.question),
            code: x.snippet.code().to_string(),
            answer: rich_paras(Some(&x.answer)),
        })
        .collect();
    let level_q = level.map_or("all", Difficulty::as_str);
    render(&InterviewPage {
        chrome: Chrome::new(format!(
            "Interview \u{2014} {}",
            prose::plain(&p.topic.title)
        ))
        .script("pages.js")
        .describe(&format!(
            "{} interview questions on {}, by level, with short and detailed answers.",
            p.questions.len(),
            prose::plain(&p.topic.title)
        ))
        .share(&site, &base, &card_image(t)),
        topic: rich(&p.topic.title),
        topic_href: view::topic_url(t.slug()),
        filters,
        total: groups.iter().map(|g| g.questions.len()).sum(),
        groups,
        practice,
        test,
        mode_href: if test {
            format!("{base}?level={level_q}")
        } else {
            format!("{base}?level={level_q}&mode=test")
        },
        study: format!("/study?topic={}&kind=question", view::path_part(t.slug())),
        last_hour: format!("{}/last-hour", view::topic_url(t.slug())),
        quiz: crate::quiz::level_links(t),
    })
}

// ---- last hour -------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "last_hour.html")]
struct LastHour {
    chrome: Chrome,
    topic: Rich,
    topic_href: String,
    size: String,
    compress: String,
    study: String,
    card: CardView,
}

/// `GET /topics/{slug}/last-hour`: the topic's cheatsheet card, laid out to read on one
/// screen and to print on one page.
pub async fn last_hour(
    State(st): State<Arc<AppState>>,
    site: Site,
    slug: Result<Path<String>, PathRejection>,
) -> Result<Html<String>, PageError> {
    let Path(slug) = slug.map_err(|r| PageError(bad_path(r)))?;
    let t = topic_or_404(&st, &slug)?;
    let budget = t.presets()[1];
    let card = api::card(t, Some(&budget.to_string())).map_err(PageError)?;
    let report = card.report();
    let href = format!("{}/last-hour", view::topic_url(t.slug()));
    render(&LastHour {
        chrome: Chrome::new(format!(
            "Last hour \u{2014} {}",
            prose::plain(&t.pack.topic.title)
        ))
        .describe(&format!(
            "{} on one page: the {} card to read before you walk in.",
            prose::plain(&t.pack.topic.title),
            report.size
        ))
        .share(
            &site,
            &href,
            &format!(
                "/api/topics/{}/card.png?budget={budget}",
                view::path_part(t.slug())
            ),
        ),
        topic: rich(&t.pack.topic.title),
        topic_href: view::topic_url(t.slug()),
        size: report.size.clone(),
        compress: compress_url(t.slug(), budget),
        study: format!("/study?topic={}&budget={budget}", view::path_part(t.slug())),
        card: CardView::new(&report, &t.pack),
    })
}
