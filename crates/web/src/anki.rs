//! `GET /topics/{slug}/anki`: a topic's cards (all, or what a budget keeps) as an Anki file
//! to download, `.apkg` or Anki's CSV, with the person's schedule when asked (see
//! docs/anki.md). The links to it, for the topic page and Compression Mode.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use memseed_core::budget;

use crate::api::find;
use crate::error::{PageError, Problem, bad_path};
use crate::state::AppState;
use crate::view;

/// The Anki links of a topic (and a budget, in Compression Mode).
pub(crate) struct AnkiLinks {
    pub(crate) apkg: String,
    pub(crate) csv: String,
    /// With the person's FSRS schedule and review log; only when there is a database.
    pub(crate) history: Option<String>,
}

impl AnkiLinks {
    pub(crate) fn new(st: &AppState, slug: &str, budget: Option<u64>) -> AnkiLinks {
        let base = format!("/topics/{}/anki", view::path_part(slug));
        let b = budget.map_or_else(String::new, |b| format!("&budget={b}"));
        AnkiLinks {
            apkg: format!("{base}?format=apkg{b}"),
            csv: format!("{base}?format=csv{b}"),
            history: st
                .recall
                .is_some()
                .then(|| format!("{base}?format=apkg{b}&history=1")),
        }
    }
}

/// `GET /topics/{slug}/anki?format=apkg|csv[&budget=B][&history=1]`.
pub async fn export(
    State(st): State<Arc<AppState>>,
    slug: Result<Path<String>, PathRejection>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, PageError> {
    let Path(slug) = slug.map_err(bad_path)?;
    let format = match q.get("format").map(String::as_str).unwrap_or("apkg") {
        "apkg" => memseed_anki::Format::Apkg,
        "csv" => memseed_anki::Format::Csv,
        other => {
            return Err(Problem::bad_request(
                format!(
                    "\"{}\" is not an Anki format.",
                    memseed_core::pack::text::clip(other, 40)
                ),
                "Use format=apkg (an Anki package) or format=csv (Anki's text import).",
            )
            .into());
        }
    };
    let with_history = matches!(q.get("history").map(String::as_str), Some("1" | "true"));
    if with_history && format == memseed_anki::Format::Csv {
        return Err(Problem::bad_request(
            "Anki's text import takes no schedule.",
            "Use format=apkg with history=1.",
        )
        .into());
    }
    let budget = match q.get("budget").map(|b| b.trim()).filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(budget::parse(b).map_err(|e| {
            Problem::bad_request(
                format!(
                    "\"{}\" is not a budget: {}.",
                    memseed_core::pack::text::clip(&e.input, 80),
                    e.reason
                ),
                format!("Accepted: {}", budget::ACCEPTED_FORMS),
            )
        })?),
    };
    let pack = find(&st, &slug)?.pack.clone();
    let history = if with_history {
        let Some(recall) = &st.recall else {
            return Err(Problem::bad_request(
                "This server has no study database, so there is no schedule to export.",
                "Export without history=1, or start memseed serve with a database.",
            )
            .into());
        };
        let recall = recall.lock().unwrap_or_else(|p| p.into_inner());
        Some(
            recall
                .store()
                .card_histories(&pack.topic.id)
                .map_err(|e| Problem::internal("reading the study history", e))?,
        )
    } else {
        None
    };
    let now = crate::study::now();
    let out = tokio::task::spawn_blocking(move || {
        let cards = match budget {
            Some(b) => memseed_anki::export::surviving(&pack, b).map_err(|e| {
                Problem::bad_request(
                    format!(
                        "{} bytes is too small for {}: its smallest card is {} bytes.",
                        e.budget, pack.topic.title, e.min
                    ),
                    format!("Use a budget of at least {} bytes.", e.min),
                )
            })?,
            None => memseed_study::cards_for(&pack),
        };
        memseed_anki::export(&pack, &cards, history.as_deref(), format, now)
            .map_err(|e| Problem::internal("building the Anki export", e))
    })
    .await
    .map_err(|e| Problem::internal("building the Anki export", e))??;

    let (mime, ext) = match format {
        memseed_anki::Format::Apkg => ("application/apkg", "apkg"),
        memseed_anki::Format::Csv => ("text/csv; charset=utf-8", "csv"),
    };
    let name = match budget {
        Some(b) => format!("{}-{b}.{ext}", crate::api::sanitize(&slug)),
        None => format!("{}.{ext}", crate::api::sanitize(&slug)),
    };
    let mut res = out.bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}
