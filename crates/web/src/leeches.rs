//! The Leeches page (`/leeches`): every suspended card, leeches first with their lapses,
//! each with a link to the page to relearn it from and an Unsuspend button
//! (`POST /leeches/unsuspend`).

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use memseed_core::pack::text::clip;
use memseed_core::prose;
use memseed_study::{CardKind, StudyCard};

use crate::actions::{bad_form, form_key};
use crate::chrome::{Chrome, render};
use crate::error::PageError;
use crate::plan::civil_date;
use crate::state::AppState;
use crate::study::{kind_label, with_recall};
use crate::view;

/// What a card is about, in a few words, and the page to relearn it from: a concept's
/// page; for a question or a trap, the page of its concept, else where the pack shows it.
pub(crate) fn relearn(st: &AppState, card: &StudyCard) -> (String, String) {
    let Some(t) = st.topic(&card.topic) else {
        return (card.item.clone(), view::topic_url(&card.topic));
    };
    let p = &t.pack;
    let concept = |i: usize| {
        p.concepts
            .get(i)
            .map(|c| view::concept_url(t.slug(), &c.id))
    };
    let found = match card.kind {
        CardKind::ConceptAnchor | CardKind::AnchorConcept => p
            .concept(&card.item)
            .map(|c| (prose::plain(&c.title), view::concept_url(t.slug(), &c.id))),
        CardKind::Question => p.questions.iter().find(|q| q.id == card.item).map(|q| {
            (
                clip(&prose::plain(&q.question), 120),
                q.concepts
                    .first()
                    .and_then(|&i| concept(i))
                    .unwrap_or_else(|| {
                        format!(
                            "{}/interview#q-{}",
                            view::topic_url(t.slug()),
                            view::path_part(&q.id)
                        )
                    }),
            )
        }),
        CardKind::Trap => p.traps.iter().find(|x| x.id == card.item).map(|x| {
            (
                prose::plain(&x.title),
                x.concept.and_then(concept).unwrap_or_else(|| {
                    format!(
                        "{}#trap-{}",
                        view::topic_url(t.slug()),
                        view::path_part(&x.id)
                    )
                }),
            )
        }),
    };
    found.unwrap_or_else(|| (card.item.clone(), view::topic_url(t.slug())))
}

struct Row {
    key: String,
    title: String,
    href: String,
    kind: &'static str,
    topic: String,
    /// `a leech: forgotten 8 times` or `suspended by you`.
    why: String,
    leech: bool,
    /// The day it was suspended, `YYYY-MM-DD`.
    since: String,
}

#[derive(Template)]
#[template(path = "leeches.html")]
struct LeechesPage {
    chrome: Chrome,
    rows: Vec<Row>,
    leeches: usize,
    leech_lapses: u32,
    /// After an unsuspend: what came back, and where to study it.
    back: Option<(String, String)>,
}

/// `GET /leeches[?unsuspended=KEY]`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let unsuspended = q
        .get("unsuspended")
        .map(|k| clip(k.trim(), 200))
        .filter(|k| !k.is_empty());
    let (cards, offset, back) = with_recall(&st, move |r| {
        // Named as back only when it really is studied again.
        let back = match &unsuspended {
            Some(k) => match (r.deck().get(k), r.store().card(k)?) {
                (Some(card), Some(row)) if row.suspended.is_none() => Some(card.clone()),
                _ => None,
            },
            None => None,
        };
        Ok((r.suspended()?, r.utc_offset, back))
    })
    .await?;
    let mut rows: Vec<Row> = cards
        .iter()
        .map(|(card, row)| {
            let (title, href) = relearn(&st, card);
            let leech = row.suspended_reason.as_deref() == Some("leech");
            Row {
                key: row.key.clone(),
                title,
                href,
                kind: kind_label(card.kind),
                topic: st
                    .topic(&card.topic)
                    .map(|t| prose::plain(&t.pack.topic.title))
                    .unwrap_or_else(|| card.topic.clone()),
                why: if leech {
                    format!("a leech: forgotten {} times", row.lapses)
                } else if row.lapses > 0 {
                    format!("suspended by you; forgotten {} times", row.lapses)
                } else {
                    "suspended by you".to_string()
                },
                leech,
                since: row
                    .suspended
                    .map(|at| civil_date(at, offset))
                    .unwrap_or_default(),
            }
        })
        .collect();
    // Leeches first; within each group the most recently suspended first, as stored.
    rows.sort_by_key(|r| !r.leech);
    let page = LeechesPage {
        chrome: Chrome::new("Leeches and suspended cards"),
        leeches: rows.iter().filter(|r| r.leech).count(),
        leech_lapses: memseed_recall::LEECH_LAPSES,
        rows,
        back: back.map(|card| {
            (
                relearn(&st, &card).0,
                format!("/study?topic={}", view::path_part(&card.topic)),
            )
        }),
    };
    render(&page)
}

/// `POST /leeches/unsuspend` with `key`: the card is studied again from now, with its
/// schedule and history as they were.
pub async fn unsuspend_form(
    State(st): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(f) = form.map_err(bad_form)?;
    let key = form_key(&f)?;
    let k = key.clone();
    with_recall(&st, move |r| r.unsuspend(&k)).await?;
    Ok(Redirect::to(&format!("/leeches?unsuspended={}", view::path_part(&key))).into_response())
}
