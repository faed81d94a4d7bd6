//! Search over every topic: titles, anchors and text of concepts, traps and questions.
//! A small in-memory index, built at start and added to when a topic is imported; a query
//! is a few words, all of which must match.

use std::sync::RwLock;

use memseed_core::Pack;

use crate::view::{concept_url, path_part, topic_url};

/// The longest query considered; the rest is ignored.
pub const MAX_QUERY: usize = 200;
/// The most hits returned.
pub const MAX_HITS: usize = 50;

struct Doc {
    topic: String,
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
    pub topic: String,
    pub kind: &'static str,
    pub title: String,
    /// The anchor, or the first line of the item's text.
    pub line: String,
    pub url: String,
}

/// The search index of every topic.
pub struct Index {
    docs: RwLock<Vec<Doc>>,
}

impl Index {
    pub fn new<'a>(packs: impl Iterator<Item = &'a Pack>) -> Index {
        let mut docs = Vec::new();
        for p in packs {
            docs_of(p, &mut docs);
        }
        Index {
            docs: RwLock::new(docs),
        }
    }

    /// Adds a topic's documents (a topic saved from the Import page).
    pub fn add(&self, pack: &Pack) {
        let mut more = Vec::new();
        docs_of(pack, &mut more);
        self.docs
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .extend(more);
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
    let mut push = |kind, title: &str, line: &str, body: &[&Option<String>], url, rank| {
        let body: Vec<&str> = body.iter().filter_map(|b| b.as_deref()).collect();
        docs.push(Doc {
            topic: topic.clone(),
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
        &p.topic.title,
        p.topic.tagline.as_deref().unwrap_or(&p.topic.what_it_is),
        &[&Some(p.topic.what_it_is.clone())],
        topic_url(slug),
        0,
    );
    for c in &p.concepts {
        push(
            "concept",
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
            &q.question,
            &q.short,
            &[&q.detailed],
            format!("{}/interview#q-{}", topic_url(slug), path_part(&q.id)),
            q.tier.index(),
        );
    }
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
    fn search_is_case_insensitive_and_spans_topics() {
        let idx = index();
        assert_eq!(idx.search("rebase"), idx.search("REBASE"));
        assert!(idx.search("rebase").iter().any(|h| h.topic == "Git"));
        assert!(idx.search("decorator").iter().any(|h| h.topic == "Python"));
    }
}
