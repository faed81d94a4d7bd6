//! Search over every topic: titles, anchors and text of concepts, traps and questions.
//! A small in-memory index, built at start and added to when a topic is imported; a query
//! is a few words, all of which must match. When nothing matches, the nearest title words
//! are offered instead.

use std::sync::RwLock;

use memseed_core::Pack;

use crate::view::{concept_url, path_part, topic_url};

/// The longest query considered; the rest is ignored.
pub const MAX_QUERY: usize = 200;
/// The most hits returned.
pub const MAX_HITS: usize = 50;

struct Doc {
    topic: String,
    slug: String,
    id: String,
    kind: &'static str,
    title: String,
    line: String,
    url: String,
    /// Lower-cased title, line and body, for matching.
    title_lc: String,
    line_lc: String,
    body_lc: String,
    /// 0 for critical .. 3 for low: a tie-breaker.
    rank: usize,
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The topic's title.
    pub topic: String,
    /// The topic's id, and the item's (the topic's own for a topic hit).
    pub slug: String,
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    /// The anchor, or the first line of the item's text.
    pub line: String,
    pub url: String,
}

/// The search index of every topic.
pub struct Index {
    docs: RwLock<Vec<Doc>>,
    /// Every word of every title (lower case, three letters or more, sorted), for
    /// suggestions.
    words: RwLock<Vec<String>>,
}

impl Index {
    pub fn new<'a>(packs: impl Iterator<Item = &'a Pack>) -> Index {
        let mut docs = Vec::new();
        for p in packs {
            docs_of(p, &mut docs);
        }
        let words = title_words(&docs);
        Index {
            docs: RwLock::new(docs),
            words: RwLock::new(words),
        }
    }

    /// Queries to try when `query` finds nothing: the query with each unknown word
    /// replaced by the nearest title word, then other near words; at most five.
    pub fn suggest(&self, query: &str) -> Vec<String> {
        let known = self.words.read().unwrap_or_else(|e| e.into_inner());
        let q = query.to_lowercase();
        let words: Vec<&str> = q.split_whitespace().take(8).collect();
        let near = |w: &str| -> Vec<(f64, &str)> {
            let mut scored: Vec<(f64, &str)> = known
                .iter()
                .map(|v| (strsim::jaro_winkler(w, v), v.as_str()))
                .filter(|(s, v)| *s >= 0.86 && *v != w)
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
            scored
        };
        let mut out: Vec<String> = Vec::new();
        let fixed: Vec<String> = words
            .iter()
            .map(|w| {
                if known.iter().any(|v| v.contains(w)) {
                    w.to_string()
                } else {
                    near(w)
                        .first()
                        .map_or_else(|| w.to_string(), |(_, v)| v.to_string())
                }
            })
            .collect();
        let fixed = fixed.join(" ");
        if !fixed.is_empty() && fixed != q.trim() && !self.search(&fixed).is_empty() {
            out.push(fixed);
        }
        for w in &words {
            for (_, v) in near(w).into_iter().take(4) {
                if out.len() < 5 && !out.iter().any(|o| o == v) && !self.search(v).is_empty() {
                    out.push(v.to_string());
                }
            }
        }
        out
    }

    /// Adds a topic's documents (a topic saved from the Import page).
    pub fn add(&self, pack: &Pack) {
        let mut more = Vec::new();
        docs_of(pack, &mut more);
        let new_words = title_words(&more);
        self.docs
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .extend(more);
        let mut words = self.words.write().unwrap_or_else(|e| e.into_inner());
        words.extend(new_words);
        words.sort();
        words.dedup();
    }

    /// The hits for `query`, best first: every word must occur somewhere; a word in the
    /// title counts most, then the anchor line, then the text.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        let docs = self.docs.read().unwrap_or_else(|e| e.into_inner());
        let q: String = query
            .chars()
            .take(MAX_QUERY)
            .collect::<String>()
            .to_lowercase();
        let words: Vec<&str> = q.split_whitespace().collect();
        if words.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u32, usize, usize)> = docs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                let mut score = 0u32;
                for w in &words {
                    score += if d.title_lc.contains(w) {
                        if d.title_lc.starts_with(w) { 12 } else { 10 }
                    } else if d.line_lc.contains(w) {
                        4
                    } else if d.body_lc.contains(w) {
                        1
                    } else {
                        return None;
                    };
                }
                if d.kind == "concept" || d.kind == "topic" {
                    score += 1;
                }
                Some((score, d.rank, i))
            })
            .collect();
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        scored
            .into_iter()
            .take(MAX_HITS)
            .map(|(_, _, i)| {
                let d = &docs[i];
                Hit {
                    topic: d.topic.clone(),
                    slug: d.slug.clone(),
                    id: d.id.clone(),
                    kind: d.kind,
                    title: d.title.clone(),
                    line: d.line.clone(),
                    url: d.url.clone(),
                }
            })
            .collect()
    }
}

/// The documents of one pack: the topic, its concepts, traps and questions.
fn docs_of(p: &Pack, docs: &mut Vec<Doc>) {
    let slug = &p.topic.id;
    let topic = p.topic.title.clone();
    let mut push =
        |kind, id: &str, title: &str, line: &str, body: &[&Option<String>], url, rank| {
            let body: Vec<&str> = body.iter().filter_map(|b| b.as_deref()).collect();
            docs.push(Doc {
                topic: topic.clone(),
                slug: slug.clone(),
                id: id.to_string(),
                kind,
                title: title.to_string(),
                line: line.to_string(),
                url,
                title_lc: title.to_lowercase(),
                line_lc: line.to_lowercase(),
                body_lc: body.join("\n").to_lowercase(),
                rank,
            });
        };
    push(
        "topic",
        slug,
        &p.topic.title,
        p.topic.tagline.as_deref().unwrap_or(&p.topic.what_it_is),
        &[&Some(p.topic.what_it_is.clone())],
        topic_url(slug),
        0,
    );
    for c in &p.concepts {
        push(
            "concept",
            &c.id,
            &c.title,
            c.anchor.as_deref().or(c.basic.as_deref()).unwrap_or(""),
            &[&c.basic, &c.expected, &c.deep, &c.interview, &c.trap],
            concept_url(slug, &c.id),
            c.tier.index(),
        );
    }
    for t in &p.traps {
        push(
            "trap",
            &t.id,
            &t.title,
            &t.what,
            &[&Some(t.fix.clone())],
            format!("{}#trap-{}", topic_url(slug), path_part(&t.id)),
            t.tier.index(),
        );
    }
    for q in &p.questions {
        push(
            "question",
            &q.id,
            &q.question,
            &q.short,
            &[&q.detailed],
            format!("{}/interview#q-{}", topic_url(slug), path_part(&q.id)),
            q.tier.index(),
        );
    }
}

/// Every word of the documents' titles (lower case, three letters or more), sorted once.
fn title_words(docs: &[Doc]) -> Vec<String> {
    let mut words: Vec<String> = docs
        .iter()
        .flat_map(|d| {
            d.title_lc
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.chars().count() >= 3)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect();
    words.sort();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> Index {
        let cat = memseed_catalog::Catalog::bundled();
        Index::new(cat.entries().iter().map(|e| &e.pack))
    }

    #[test]
    fn a_title_word_ranks_its_concept_first() {
        let hits = index().search("GIL");
        assert!(!hits.is_empty());
        assert_eq!(hits[0].kind, "concept");
        assert!(hits[0].title.starts_with("GIL"), "{:?}", hits[0]);
        assert_eq!(hits[0].url, "/topics/python/concepts/gil");
    }

    #[test]
    fn every_word_must_match() {
        let idx = index();
        let both = idx.search("generator yield");
        assert!(!both.is_empty());
        assert!(idx.search("generator qqqzzz").is_empty());
        assert!(idx.search("   ").is_empty());
    }

    #[test]
    fn a_typo_gets_the_nearest_title_word() {
        let idx = index();
        assert!(idx.search("decorater").is_empty());
        let s = idx.suggest("decorater");
        assert_eq!(s.first().map(String::as_str), Some("decorator"), "{s:?}");
        assert!(idx.suggest("generator").is_empty() || !idx.search("generator").is_empty());
        assert!(idx.suggest("zzzzqqqq").is_empty());
    }

    #[test]
    fn search_is_case_insensitive_and_spans_topics() {
        let idx = index();
        assert_eq!(idx.search("rebase"), idx.search("REBASE"));
        assert!(idx.search("rebase").iter().any(|h| h.topic == "Git"));
        assert!(idx.search("decorator").iter().any(|h| h.topic == "Python"));
    }
}
