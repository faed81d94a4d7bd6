//! Search, as a page (`/search?q=…`) and as the JSON behind the instant search box on every
//! page (`/api/search?q=…`): hits with the query's words marked, a link to study what was
//! found, and suggestions when nothing matches.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Html;
use memseed_core::prose;
use serde_json::{Value, json};

use crate::chrome::{Chrome, render};
use crate::error::PageError;
use crate::search::{Hit, MAX_QUERY};
use crate::state::AppState;
use crate::view::{self, Rich};

/// Hits the instant search box shows.
const INSTANT_HITS: usize = 8;

/// A hit as shown, the query's words marked.
struct HitView {
    topic: String,
    kind: &'static str,
    title: Rich,
    line: Rich,
    url: String,
}

/// `text` (pack prose) as HTML with every occurrence of a query word marked.
pub fn highlight(text: &str, words: &[String]) -> Rich {
    let mut out = String::with_capacity(text.len() + 32);
    prose::write_html(&mut out, &prose::parse(text), &mut |out, s| {
        mark(out, s, words)
    });
    Rich(out)
}

/// Writes `s` escaped, each match of a word (case-insensitive) inside `<mark>`.
fn mark(out: &mut String, s: &str, words: &[String]) {
    let lower: Vec<(usize, char)> = s
        .char_indices()
        .map(|(i, c)| (i, c.to_lowercase().next().unwrap_or(c)))
        .collect();
    let mut i = 0;
    let mut plain_from = 0;
    while i < lower.len() {
        let hit = words.iter().filter(|w| !w.is_empty()).find_map(|w| {
            let n = w.chars().count();
            (i + n <= lower.len() && lower[i..i + n].iter().map(|p| p.1).eq(w.chars())).then_some(n)
        });
        match hit {
            Some(n) => {
                let start = lower[i].0;
                let end = lower.get(i + n).map_or(s.len(), |p| p.0);
                prose::escape_html(out, &s[plain_from..start]);
                out.push_str("<mark>");
                prose::escape_html(out, &s[start..end]);
                out.push_str("</mark>");
                plain_from = end;
                i += n;
            }
            None => i += 1,
        }
    }
    prose::escape_html(out, &s[plain_from..]);
}

fn words_of(q: &str) -> Vec<String> {
    q.to_lowercase()
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

fn view_of(h: &Hit, words: &[String]) -> HitView {
    HitView {
        topic: h.topic.clone(),
        kind: h.kind,
        title: highlight(&h.title, words),
        line: highlight(&h.line, words),
        url: h.url.clone(),
    }
}

fn query_of(q: &HashMap<String, String>) -> String {
    q.get("q")
        .map(|s| s.chars().take(MAX_QUERY).collect::<String>())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Whether any hit makes study cards (concepts, traps, questions do).
fn studiable(hits: &[Hit]) -> bool {
    hits.iter().any(|h| h.kind != "topic")
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    chrome: Chrome,
    hits: Vec<HitView>,
    suggestions: Vec<(String, String)>,
    study: String,
    count: String,
}

/// `GET /search?q=…`.
pub async fn page(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, PageError> {
    let query = query_of(&q);
    let hits = st.index.search(&query);
    let words = words_of(&query);
    let suggestions = if hits.is_empty() && !query.is_empty() {
        st.index
            .suggest(&query)
            .into_iter()
            .map(|s| (format!("/search?q={}", view::path_part(&s)), s))
            .collect()
    } else {
        Vec::new()
    };
    let title = if query.is_empty() {
        "Search".to_string()
    } else {
        format!("{query} \u{2014} search")
    };
    render(&SearchPage {
        chrome: Chrome::new(title).query(&query),
        count: crate::learn::plural(hits.len() as u64, "result", "results"),
        study: if studiable(&hits) {
            format!("/study?q={}", view::path_part(&query))
        } else {
            String::new()
        },
        hits: hits.iter().map(|h| view_of(h, &words)).collect(),
        suggestions,
    })
}

/// `GET /api/search?q=…`: the first hits with their HTML, the total, and suggestions.
pub async fn api(
    State(st): State<Arc<AppState>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let query = query_of(&q);
    let hits = st.index.search(&query);
    let words = words_of(&query);
    let shown: Vec<Value> = hits
        .iter()
        .take(INSTANT_HITS)
        .map(|h| {
            let v = view_of(h, &words);
            json!({
                "topic": v.topic, "kind": v.kind, "url": v.url,
                "title_html": v.title.0, "line_html": v.line.0,
            })
        })
        .collect();
    let suggestions = if hits.is_empty() && !query.is_empty() {
        st.index.suggest(&query)
    } else {
        Vec::new()
    };
    Json(json!({
        "query": query,
        "total": hits.len(),
        "hits": shown,
        "more": format!("/search?q={}", view::path_part(&query)),
        "study": if studiable(&hits) { format!("/study?q={}", view::path_part(&query)) } else { String::new() },
        "suggestions": suggestions,
    }))
}

/// The study items (`{topic}/{item}`) of what `query` finds: its concepts, traps and
/// questions.
pub fn study_items(st: &AppState, query: &str) -> Vec<String> {
    st.index
        .search(query)
        .into_iter()
        .filter(|h| h.kind != "topic")
        .map(|h| format!("{}/{}", h.slug, h.id))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_are_marked_inside_text_and_code_and_escaped() {
        let words = vec!["gil".to_string()];
        assert_eq!(
            highlight("The GIL & `gil_lock` <b>", &words).0,
            "The <mark>GIL</mark> &amp; <code><mark>gil</mark>_lock</code> &lt;b&gt;"
        );
        assert_eq!(highlight("nothing", &words).0, "nothing");
    }
}
