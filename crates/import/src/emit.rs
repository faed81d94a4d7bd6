//! The draft as a pack: stable slug ids, text normalised the way the loader does it, each
//! concept's text split into basic / expected / deep, and the TOML with each concept's
//! tier reason as a comment. The TOML is loaded back, so what is returned has passed the
//! same checks as `memseed check`.

use std::collections::HashSet;

use memseed_core::pack::{
    Category, Concept, Item, Pack, Practice, Question, Snippet, Tier, Topic, Trap, text,
    to_toml_with,
};

use crate::outline::{DConcept, Draft};
use crate::rank::Ranked;
use crate::{ImportError, Imported, Options, Warning};
pub use memseed_core::pack::ids::{slug, valid_id, valid_lang};

/// Longest title kept, in bytes.
const MAX_TITLE: usize = 120;
/// Longest `what_it_is`, in bytes.
const MAX_WHAT: usize = 450;
/// Tags kept per concept.
const MAX_TAGS: usize = 12;

/// Builds the pack and its text.
pub fn emit(
    d: Draft,
    anchors: Vec<Option<String>>,
    ranked: Ranked,
    opts: &Options,
    mut warnings: Vec<Warning>,
) -> Result<Imported, ImportError> {
    let title = opts
        .title
        .clone()
        .map(|t| text::line(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| topic_title(&d));
    let id = opts.id.clone().unwrap_or_else(|| {
        let s = slug(&title);
        if s.is_empty() { "notes".into() } else { s }
    });
    let language = d
        .languages
        .iter()
        .filter(|(l, _)| valid_lang(l))
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(l, _)| l.clone());

    // Categories that hold a concept, with slug ids.
    let mut used = vec![false; d.categories.len()];
    for c in &d.concepts {
        used[c.category] = true;
    }
    let mut cat_ids = Ids::default();
    let mut cat_index = vec![usize::MAX; d.categories.len()];
    let mut categories = Vec::new();
    for (i, c) in d.categories.iter().enumerate() {
        if !used[i] {
            continue;
        }
        cat_index[i] = categories.len();
        categories.push(Category {
            id: cat_ids.make(&c.title, "category"),
            title: title_line(&c.title),
            map: c.map,
            summary: c
                .summary
                .as_deref()
                .map(text::prose)
                .filter(|s| !s.is_empty()),
        });
    }

    let mut concept_ids = Ids::default();
    let mut concepts = Vec::with_capacity(d.concepts.len());
    for (i, c) in d.concepts.iter().enumerate() {
        concepts.push(concept(
            c,
            concept_ids.make(&c.title, "concept"),
            cat_index[c.category],
            ranked.tiers[i],
            anchors[i].clone(),
            language.as_deref(),
        ));
    }

    let mut trap_ids = Ids::default();
    let mut traps = Vec::new();
    let mut trap_from = Vec::new();
    for t in &d.traps {
        let what = text::line(&t.what);
        let fix = text::prose(&t.fix);
        let title = title_line(&t.title);
        if what.is_empty() || fix.is_empty() || title.is_empty() {
            continue;
        }
        trap_from.push(format!("from {}:{}", d.notes[t.note].name, t.line));
        traps.push(Trap {
            id: trap_ids.make(&title, "trap"),
            title,
            what,
            fix,
            concept: t.concept,
            tier: t.concept.map_or(Tier::Medium, |c| concepts[c].tier),
            snippet: Snippet::default(),
        });
    }

    let mut q_ids = Ids::default();
    let mut p_ids = Ids::default();
    let mut questions = Vec::new();
    let mut practice = Vec::new();
    for q in &d.questions {
        let question = text::prose(&q.question);
        let answer = text::prose(&q.answer);
        if question.is_empty() || answer.is_empty() {
            warnings.push(Warning::new(
                &d.notes[q.note].name,
                q.line,
                "a question or answer with no text; skipped",
            ));
            continue;
        }
        let refs: Vec<usize> = q.concept.into_iter().collect();
        let tier = refs
            .iter()
            .map(|&c| concepts[c].tier)
            .min()
            .unwrap_or(Tier::Medium);
        if let Some((code, lang)) = &q.code {
            let code = text::code(code);
            if !code.is_empty() {
                practice.push(Practice {
                    id: p_ids.make(&words(&question, 8), "practice"),
                    question,
                    snippet: Snippet {
                        code: Some(code),
                        lang: lang
                            .clone()
                            .filter(|l| valid_lang(l) && Some(l) != language.as_ref()),
                        ..Snippet::default()
                    },
                    answer,
                    level: Some(q.level),
                    concepts: refs,
                    tier,
                });
                continue;
            }
        }
        let short = text::first_sentence(&answer).to_string();
        let detailed = (short != answer).then(|| answer.clone());
        questions.push(Question {
            id: q_ids.make(&words(&question, 8), "question"),
            level: q.level,
            question,
            short,
            detailed,
            concepts: refs,
            tier,
        });
    }

    let topic = Topic {
        id,
        title,
        tagline: None,
        language: language.clone(),
        what_it_is: what_it_is(&d),
        why_it_exists: None,
        when_to_use: Vec::new(),
        where_it_fails: Vec::new(),
    };
    let pack = Pack {
        source: String::new(),
        topic,
        categories,
        concepts,
        traps,
        questions,
        practice,
    };
    let notes = d.notes.len();
    let comment = |item: Item| -> Option<String> {
        match item {
            Item::Topic => Some(format!(
                "Imported by `memseed import` from {notes} note{}. Edit freely: `memseed import --update`\nkeeps your changes to tiers, anchors and text (see docs/import.md).",
                if notes == 1 { "" } else { "s" }
            )),
            Item::Concept(i) => {
                let c = &d.concepts[i];
                let mut s = format!("from {}:{}", d.notes[c.note].name, c.line);
                if c.merged > 0 {
                    s.push_str(&format!(
                        " (and {} more place{})",
                        c.merged,
                        if c.merged == 1 { "" } else { "s" }
                    ));
                }
                s.push('\n');
                s.push_str(&ranked.reasons[i]);
                Some(s)
            }
            Item::Trap(i) => trap_from.get(i).cloned(),
            Item::Question(_) | Item::Practice(_) | Item::Category(_) => None,
        }
    };
    let toml = to_toml_with(&pack, comment);
    let (pack, _) = memseed_core::load_str(&format!("{}.toml", pack.topic.id), &toml)
        .map_err(ImportError::Invalid)?;
    Ok(Imported {
        pack,
        toml,
        reasons: ranked.reasons,
        warnings,
        notes,
    })
}

fn concept(
    c: &DConcept,
    id: String,
    category: usize,
    tier: Tier,
    anchor: Option<String>,
    language: Option<&str>,
) -> Concept {
    let mut paras: Vec<String> = Vec::new();
    if let Some(def) = &c.definition
        && c.paras.first() != Some(def)
    {
        paras.push(def.clone());
    }
    paras.extend(c.paras.iter().cloned());
    let body = text::prose(&paras.join("\n\n"));
    let mut body_paras: Vec<&str> = body.split('\n').filter(|p| !p.is_empty()).collect();
    let first = if body_paras.is_empty() {
        ""
    } else {
        body_paras.remove(0)
    };
    let sentence = text::first_sentence(first);
    let basic =
        (!sentence.is_empty() && anchor.as_deref() != Some(sentence)).then(|| sentence.to_string());
    let rest_of_first = first[sentence.len()..].trim();
    let mut expected: Vec<String> = Vec::new();
    if !rest_of_first.is_empty() {
        expected.push(rest_of_first.to_string());
    }
    let mut rest = body_paras.into_iter();
    if let Some(p) = rest.next() {
        expected.push(p.to_string());
    }
    expected.extend(c.why.iter().cloned());
    let mut deep: Vec<String> = rest.map(str::to_string).collect();
    deep.extend(c.deep.iter().cloned());
    let prose = |v: &[String]| Some(text::prose(&v.join("\n\n"))).filter(|s| !s.is_empty());
    let (code, lang) = match &c.code {
        Some((code, lang)) => {
            let code = text::code(code);
            let lang = lang
                .clone()
                .filter(|l| valid_lang(l) && Some(l.as_str()) != language);
            if code.is_empty() {
                (None, None)
            } else {
                (Some(code), lang)
            }
        }
        None => (None, None),
    };
    let mut tags: Vec<String> = Vec::new();
    for t in &c.tags {
        let t = text::line(t);
        if !t.is_empty() && !tags.contains(&t) && tags.len() < MAX_TAGS {
            tags.push(t);
        }
    }
    Concept {
        id,
        title: title_line(&c.title),
        category,
        tier,
        anchor: anchor.map(|a| text::line(&a)).filter(|a| !a.is_empty()),
        image: None,
        basic,
        expected: prose(&expected),
        deep: prose(&deep),
        snippet: Snippet {
            code,
            lang,
            ..Snippet::default()
        },
        interview: prose(&c.interview),
        trap: prose(&c.trap),
        derives: Vec::new(),
        tags,
    }
}

/// The topic's title: one note's title, or the folder the notes share, or the first
/// note's title.
fn topic_title(d: &Draft) -> String {
    if d.notes.len() == 1 {
        return title_line(&d.notes[0].title);
    }
    let dirs: Vec<&str> = d
        .notes
        .iter()
        .map(|n| n.name.rsplit_once('/').map_or("", |(dir, _)| dir))
        .collect();
    let common = dirs
        .iter()
        .skip(1)
        .fold(dirs[0].to_string(), |acc, d| common_prefix_dir(&acc, d));
    let folder = common
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or("");
    if !folder.is_empty() && folder != "." && folder != ".." {
        return title_line(&crate::outline::stem_title(&format!("{folder}.md")));
    }
    title_line(&d.notes[0].title)
}

/// The folder two paths share, by whole components.
fn common_prefix_dir(a: &str, b: &str) -> String {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x)
        .collect::<Vec<_>>()
        .join("/")
}

/// What the topic is: the first paragraph (front matter description, text before the first
/// concept, or a concept's first paragraph) that defines something, else the first of eight
/// words or more; two sentences at most, cut to [`MAX_WHAT`] bytes.
fn what_it_is(d: &Draft) -> String {
    let lead = d
        .lead
        .iter()
        .map(|p| text::prose(p).split('\n').next().unwrap_or("").to_string())
        .find(|p| p.split_whitespace().count() >= 8);
    let candidates: Vec<String> = d
        .intro
        .iter()
        .map(|p| text::prose(p).split('\n').next().unwrap_or("").to_string())
        .collect();
    let pick = lead
        .as_ref()
        .or_else(|| {
            candidates.iter().find(|p| {
                crate::inline::defined_term(p).is_some() && p.split_whitespace().count() >= 8
            })
        })
        .or_else(|| {
            candidates
                .iter()
                .find(|p| p.split_whitespace().count() >= 8)
        })
        .or_else(|| candidates.iter().find(|p| !p.is_empty()));
    let Some(p) = pick else {
        let titles: Vec<&str> = d
            .concepts
            .iter()
            .take(5)
            .map(|c| c.title.as_str())
            .collect();
        return text::cut_at_word(&format!("Notes on {}.", titles.join(", ")), MAX_WHAT);
    };
    let first = text::first_sentence(p);
    let mut out = first.to_string();
    let rest = p[first.len()..].trim();
    let second = text::first_sentence(rest);
    if !second.is_empty() && out.len() + 1 + second.len() <= MAX_WHAT {
        out.push(' ');
        out.push_str(second);
    }
    text::cut_at_word(&out, MAX_WHAT)
}

/// A one-line title, cut at a word boundary.
fn title_line(s: &str) -> String {
    let t = text::line(s);
    let t = if t.is_empty() {
        "Untitled".to_string()
    } else {
        t
    };
    text::cut_at_word(&t, MAX_TITLE)
}

/// The first `n` words.
fn words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

/// Unique ids of one kind, made from titles.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
    /// The next suffix to try per base, so a thousand equal titles cost linear time.
    next: std::collections::HashMap<String, usize>,
}

impl Ids {
    /// A slug of `title` not used before: `gil`, `gil-2`, …; `PREFIX-HASH` when the title
    /// has no ASCII letters or digits.
    fn make(&mut self, title: &str, prefix: &str) -> String {
        let mut base = slug(title);
        if base.is_empty() {
            base = format!("{prefix}-{:08x}", crate::update::fnv(title) as u32);
        }
        let mut id = base.clone();
        let k = self.next.entry(base.clone()).or_insert(2);
        while self.taken.contains(&id) {
            id = format!("{base}-{k}");
            *k += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_stable_ascii_ids() {
        assert_eq!(
            slug("GIL (Global Interpreter Lock)"),
            "gil-global-interpreter-lock"
        );
        assert_eq!(slug("C++ & C#"), "cplusplus-csharp");
        assert_eq!(slug("  __init__  "), "init");
        assert_eq!(slug("Память"), "");
        assert!(slug(&"word ".repeat(30)).len() <= 48);
        let mut ids = Ids::default();
        assert_eq!(ids.make("GIL", "c"), "gil");
        assert_eq!(ids.make("gil", "c"), "gil-2");
        assert!(ids.make("Память", "concept").starts_with("concept-"));
    }

    #[test]
    fn common_folder() {
        assert_eq!(common_prefix_dir("notes/py/a", "notes/py/b"), "notes/py");
        assert_eq!(common_prefix_dir("notes/py", "notes/py"), "notes/py");
        assert_eq!(common_prefix_dir("a", "b"), "");
    }
}
