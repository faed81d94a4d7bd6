//! What a person does to a card besides rating it, on the study page: undo the last rating
//! (`POST /study/undo`, and `POST /api/study/undo` for scripts) and suspend a card
//! (`POST /study/suspend`); and what the next study screen then says (the undone card
//! again, a suspension, a card that just became a leech), checked against the database.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use memseed_recall::{Recall, RecallError};
use memseed_study::{QueueItem, StudyCard};
use serde_json::json;

use crate::error::{ApiError, PageError, Problem};
use crate::leeches::relearn;
use crate::state::AppState;
use crate::study::{back_to, now, with_recall};

/// A form body that did not parse: the person's (or a script's) mistake.
pub(crate) fn bad_form(e: FormRejection) -> Problem {
    Problem::bad_request(
        format!("The form did not come through: {}", e.body_text()),
        "Reload the page and try again. Nothing was changed.",
    )
}

/// The card a form names: its `key` field, which must be there.
pub(crate) fn form_key(f: &HashMap<String, String>) -> Result<String, Problem> {
    f.get("key")
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
        .map(|k| memseed_core::pack::text::clip(k, 200))
        .ok_or_else(|| {
            Problem::bad_request(
                "The form names no card.",
                "Send key=topic/item/kind, as the buttons on the study page do. Nothing was changed.",
            )
        })
}

/// What the study page's address says just happened (`undone=KEY`, `undo=nothing`,
/// `suspended=KEY`, `leech=KEY`).
#[derive(Clone, Debug, Default)]
pub(crate) struct Asked {
    undone: Option<String>,
    nothing_to_undo: bool,
    suspended: Option<String>,
    leech: Option<String>,
}

impl Asked {
    /// Reads the news from the study page's query.
    pub(crate) fn from_query(q: &HashMap<String, String>) -> Asked {
        let key = |name: &str| {
            q.get(name)
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .map(|v| memseed_core::pack::text::clip(v, 200))
        };
        Asked {
            undone: key("undone"),
            nothing_to_undo: q.get("undo").is_some_and(|v| v == "nothing"),
            suspended: key("suspended"),
            leech: key("leech"),
        }
    }
}

/// What happened, as the database confirms it (an address cannot make the page claim a
/// leech or a suspension that is not there).
pub(crate) enum Said {
    Undone(StudyCard),
    NothingToUndo,
    Suspended(StudyCard),
    Leech { card: StudyCard, lapses: u32 },
}

/// Checks the news against the database; an undone card goes to the front of `queue`, so
/// the page shows it again (as `u` does in the terminal).
pub(crate) fn what_happened(
    r: &Recall,
    asked: &Asked,
    queue: &mut Vec<QueueItem>,
) -> Result<Option<Said>, RecallError> {
    let card = |key: &str| -> Result<Option<(StudyCard, memseed_store::CardRow)>, RecallError> {
        let Some(card) = r.deck().get(key) else {
            return Ok(None);
        };
        Ok(r.store().card(key)?.map(|row| (card.clone(), row)))
    };
    if let Some(key) = &asked.leech
        && let Some((card, row)) = card(key)?
        && row.suspended_reason.as_deref() == Some("leech")
    {
        return Ok(Some(Said::Leech {
            card,
            lapses: row.lapses,
        }));
    }
    if let Some(key) = &asked.suspended
        && let Some((card, row)) = card(key)?
        && row.suspended.is_some()
    {
        return Ok(Some(Said::Suspended(card)));
    }
    if let Some(key) = &asked.undone
        && let Some((card, row)) = card(key)?
    {
        if row.suspended.is_none() {
            queue.retain(|i| &i.key != key);
            queue.insert(
                0,
                QueueItem {
                    key: key.clone(),
                    is_new: row.phase == "new",
                    cram: false,
                },
            );
        }
        return Ok(Some(Said::Undone(card)));
    }
    Ok(asked.nothing_to_undo.then_some(Said::NothingToUndo))
}

/// A line of news at the top of the study page, with links.
pub(crate) struct Notice {
    pub(crate) text: String,
    pub(crate) links: Vec<(String, String)>,
}

impl Said {
    /// The news in words.
    pub(crate) fn view(&self, st: &AppState) -> Notice {
        match self {
            Said::Undone(card) => Notice {
                text: format!(
                    "Undone: your last rating of \u{201c}{}\u{201d} was taken back, and the card is as it was before. Here it is again.",
                    relearn(st, card).0
                ),
                links: Vec::new(),
            },
            Said::NothingToUndo => Notice {
                text: "There is no rating to undo.".into(),
                links: Vec::new(),
            },
            Said::Suspended(card) => Notice {
                text: format!(
                    "Suspended \u{201c}{}\u{201d}: it is not studied until you bring it back.",
                    relearn(st, card).0
                ),
                links: vec![("Suspended cards".into(), "/leeches".into())],
            },
            Said::Leech { card, lapses } => {
                let (title, href) = relearn(st, card);
                Notice {
                    text: format!(
                        "\u{201c}{title}\u{201d} is a leech: you have forgotten it {lapses} times, so it is suspended. Failing it again will not help; relearn it from its page, then bring it back."
                    ),
                    links: vec![
                        (format!("Relearn \u{201c}{title}\u{201d}"), href),
                        ("Leeches".into(), "/leeches".into()),
                    ],
                }
            }
        }
    }
}

/// `POST /study/undo`: takes back the last rating (its log row and the card's state, in
/// one transaction), then back to the study page, which shows that card again.
pub async fn undo_form(
    State(st): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(scope) = form.map_err(bad_form)?;
    let undone = with_recall(&st, |r| r.undo()).await?;
    let to = match &undone {
        Some(u) => back_to(&st, &scope, &[("undone", &u.key)]),
        None => back_to(&st, &scope, &[("undo", "nothing")]),
    };
    Ok(Redirect::to(&to).into_response())
}

/// `POST /api/study/undo` with `{}`: the undone card as it is again, or 409 when there is
/// nothing to undo.
pub async fn undo_api(
    State(st): State<Arc<AppState>>,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Result<Json<serde_json::Value>, ApiError> {
    // A JSON body, as for a review: a cross-site form cannot send one.
    let Json(_) = body.map_err(|e| {
        ApiError(Problem::bad_request(
            format!("The request body is not JSON: {}", e.body_text()),
            "Send {} with Content-Type: application/json.",
        ))
    })?;
    let Some(u) = with_recall(&st, |r| r.undo()).await? else {
        return Err(ApiError(Problem {
            status: StatusCode::CONFLICT,
            message: "There is no rating to undo.".into(),
            hint: "Nothing was changed.".into(),
        }));
    };
    Ok(Json(json!({
        "undone": true,
        "key": u.key,
        "rating": u.rating,
        "source": u.source,
        "phase": u.card.phase,
        "due": u.card.due,
        "reps": u.card.reps,
        "lapses": u.card.lapses,
        "suspended": u.card.suspended.is_some(),
    })))
}

/// `POST /study/suspend` with `key`: the card is not studied until it is unsuspended (on
/// the Leeches page); back to the study page, which says so.
pub async fn suspend_form(
    State(st): State<Arc<AppState>>,
    form: Result<Form<HashMap<String, String>>, FormRejection>,
) -> Result<Response, PageError> {
    let Form(f) = form.map_err(bad_form)?;
    let key = form_key(&f)?;
    let k = key.clone();
    with_recall(&st, move |r| r.suspend(&k, now())).await?;
    Ok(Redirect::to(&back_to(&st, &f, &[("suspended", &key)])).into_response())
}
