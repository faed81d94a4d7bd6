//! `/compare`: two concepts of a topic side by side, part by part (anchor, explanation,
//! interview answer, trap, code), with how they relate. The address is the share link.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use memseed_core::pack::{Concept, Pack};
use memseed_core::prose;

use crate::chrome::{Chrome, Site, render};
use crate::error::{PageError, Problem};
use crate::learn::topic_or_404;
use crate::state::AppState;
use crate::view::{self, ConceptLink, Rich, rich_paras};

/// One side of the comparison.
struct Side {
    c: ConceptLink,
    category: Rich,
    basic: Vec<Rich>,
    expected: Vec<Rich>,
    interview: Vec<Rich>,
    trap: Vec<Rich>,
    code: String,
}

impl Side {
    fn new(p: &Pack, c: &Concept) -> Side {
        Side {
            c: ConceptLink::new(p, c),
            category: view::rich(&p.categories[c.category].title),
            basic: rich_paras(c.basic.as_deref()),
            expected: rich_paras(c.expected.as_deref()),
            interview: rich_paras(c.interview.as_deref()),
            trap: rich_paras(c.trap.as_deref()),
            code: c.snippet.code.clone().unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage {
    chrome: Chrome,
    /// (slug, title) of every topic.
    topics: Vec<(String, String)>,
    slug: String,
    topic: Rich,
    topic_href: String,
    /// Every concept of the topic, for the two pickers.
    options: Vec<ConceptLink>,
    a_id: String,
    b_id: String,
    sides: Vec<Side>,
    /// How the two relate, in a sentence (empty when the pack says nothing).
    relation: String,
    study: String,
}

fn pick<'a>(
    p: &'a Pack,
    id: Option<&String>,
    fallback: &'a Concept,
) -> Result<&'a Concept, Problem> {
    match id.map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => Ok(fallback),
        Some(id) => p.concept(id).ok_or_else(|| {
            Problem::not_found(
                format!(
                    "{} has no concept \u{201c}{}\u{201d}.",
                    prose::plain(&p.topic.title),
                    memseed_core::pack::text::clip(id, 60)
                ),
                "Pick both concepts from the lists on the compare page.",
            )
        }),
    }
}

/// `GET /compare?topic=python&a=gil&b=threading`: without `a` or `b`, the topic's first
/// concept and the one it lets you re-derive first (or the next one).
pub async fn page(
    State(st): State<Arc<AppState>>,
    site: Site,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let slug = q
        .get("topic")
        .cloned()
        .or_else(|| st.topic("python").map(|t| t.slug().to_string()))
        .or_else(|| st.topics.first().map(|t| t.slug().to_string()))
        .unwrap_or_default();
    let t = topic_or_404(&st, &slug)?;
    let p = &t.pack;
    let order = view::reading_order(p);
    let Some(&first) = order.first() else {
        return Err(PageError(Problem::not_found(
            format!(
                "{} has no concepts to compare.",
                prose::plain(&p.topic.title)
            ),
            "Pick another topic.",
        )));
    };
    let a = pick(p, q.get("a"), first)?;
    let partner = a
        .derives
        .first()
        .map(|&i| &p.concepts[i])
        .or_else(|| order.iter().copied().find(|c| c.id != a.id))
        .unwrap_or(a);
    let b = pick(p, q.get("b"), partner)?;
    let (ta, tb) = (prose::plain(&a.title), prose::plain(&b.title));
    let index = |c: &Concept| p.concepts.iter().position(|x| x.id == c.id);
    let relation = match (index(a), index(b)) {
        (Some(_), Some(ib)) if a.derives.contains(&ib) => {
            format!("From {ta} you can re-derive {tb}.")
        }
        (Some(ia), Some(_)) if b.derives.contains(&ia) => {
            format!("From {tb} you can re-derive {ta}.")
        }
        _ if a.category == b.category => format!(
            "Both are in {}.",
            prose::plain(&p.categories[a.category].title)
        ),
        _ => String::new(),
    };
    let link = format!(
        "/compare?topic={}&a={}&b={}",
        view::path_part(t.slug()),
        view::path_part(&a.id),
        view::path_part(&b.id)
    );
    let mut chrome = Chrome::new(format!(
        "{ta} vs {tb} \u{2014} {}",
        prose::plain(&p.topic.title)
    ))
    .script("pages.js")
    .describe(&format!(
        "{ta} and {tb} side by side: anchor, explanation, interview answer and trap."
    ))
    .share(&site, &link, "");
    if chrome.url.is_empty() {
        chrome.url = link;
    }
    render(&ComparePage {
        chrome,
        topics: st
            .topics
            .iter()
            .map(|x| (x.slug().to_string(), prose::plain(&x.pack.topic.title)))
            .collect(),
        slug: t.slug().to_string(),
        topic: view::rich(&p.topic.title),
        topic_href: view::topic_url(t.slug()),
        options: order.iter().map(|c| ConceptLink::new(p, c)).collect(),
        a_id: a.id.clone(),
        b_id: b.id.clone(),
        sides: vec![Side::new(p, a), Side::new(p, b)],
        relation,
        study: format!(
            "/study?topic={}&items={},{}",
            view::path_part(t.slug()),
            view::path_part(&a.id),
            view::path_part(&b.id)
        ),
    })
}
