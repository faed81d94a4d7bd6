//! An Anki collection as a memseed pack. Each note becomes a concept (front → title, back
//! → anchor and explanation; memseed's own note types come back as the concepts, questions
//! and traps they were), categories come from sub-decks, tiers from the deck's history
//! with the reason written above each concept, as the Markdown importer writes its own.
//! The TOML is loaded back, so what is returned has passed `memseed check`'s checks. With
//! the pack come the histories of its cards, for the study database.

mod decks;
mod notes;
mod rank;
mod slugs;

use std::collections::{HashMap, HashSet};
use std::fmt;

use memseed_core::pack::{
    Category, Concept, Item, Pack, Question, Snippet, Tier, Topic, Trap, text, to_toml_with,
};
use memseed_store::CardHistory;
use memseed_study::CardKind;

use crate::error::{AnkiError, Result};
use crate::model::{Card, Collection, Note, Revlog};
use crate::schedule;
use notes::Content;
use slugs::{Ids, valid_lang};

pub use slugs::{slug, valid_id};

/// Choices the caller makes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The topic id; by default memseed's own (for a deck it exported), else a slug of the
    /// title.
    pub id: Option<String>,
    /// The topic title; by default the deck the notes share, else the file's name.
    pub title: Option<String>,
    /// Now, in unix seconds: when imported new cards count as due.
    pub now: i64,
}

/// Something the reader skipped or could not keep, with the note it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The package or text file.
    pub file: String,
    /// The Anki note id, when the warning is about one note.
    pub note: Option<i64>,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.note {
            Some(n) => write!(f, "{}: note {n}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// A finished import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The pack, as loaded back from [`Imported::toml`].
    pub pack: Pack,
    /// The pack file's text, each concept's tier reason above it.
    pub toml: String,
    /// Per concept (in pack order), why it has its tier.
    pub reasons: Vec<String>,
    pub warnings: Vec<Warning>,
    /// The study histories of the pack's cards (cards Anki never showed are left out), for
    /// `Store::import_history`.
    pub history: Vec<CardHistory>,
    /// Notes in the collection, and how many of them made nothing.
    pub notes: usize,
    pub skipped: usize,
}

/// A note read, with where it sits.
struct Kept<'a> {
    note: &'a Note,
    read: notes::Read,
    deck: String,
    notetype: String,
    cards: Vec<&'a Card>,
}

/// The pack of collection `col`, read from the file `name`.
pub fn to_pack(col: &Collection, name: &str, opts: &Options) -> Result<Imported> {
    if let Some(id) = &opts.id
        && !valid_id(id)
    {
        return Err(AnkiError::BadId(text::clip(id, 80)));
    }
    let warn = |note: Option<i64>, message: String| Warning {
        file: name.to_string(),
        note,
        message,
    };
    let mut warnings = Vec::new();
    let mut cards_of: HashMap<i64, Vec<&Card>> = HashMap::new();
    for c in &col.cards {
        cards_of.entry(c.note).or_default().push(c);
    }
    let mut log_of: HashMap<i64, Vec<&Revlog>> = HashMap::new();
    for r in &col.revlog {
        log_of.entry(r.card).or_default().push(r);
    }
    let mut kept: Vec<Kept<'_>> = Vec::new();
    for note in &col.notes {
        let Some(nt) = col.notetype(note.notetype) else {
            warnings.push(warn(
                Some(note.id),
                "its note type is missing from the collection; skipped".into(),
            ));
            continue;
        };
        let Some(read) = notes::read(note, nt) else {
            warnings.push(warn(
                Some(note.id),
                "no text on its front (only media or nothing); skipped".into(),
            ));
            continue;
        };
        let mut cards = cards_of.remove(&note.id).unwrap_or_default();
        cards.sort_by_key(|c| c.ord);
        let deck = cards
            .first()
            .and_then(|c| col.deck(c.deck))
            .map_or_else(|| "Default".to_string(), |d| d.name.clone());
        kept.push(Kept {
            note,
            read,
            deck,
            notetype: nt.name.clone(),
            cards,
        });
    }
    let skipped = col.notes.len() - kept.len();
    if !kept
        .iter()
        .any(|k| matches!(k.read.content, Content::Concept(_)))
    {
        return Err(AnkiError::NoConcepts { name: name.into() });
    }

    let deck_names: Vec<&str> = kept.iter().map(|k| k.deck.as_str()).collect();
    let layout = decks::layout(&deck_names);
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let title = opts
        .title
        .clone()
        .or_else(|| kept.iter().find_map(|k| k.read.topic.clone()))
        .or_else(|| layout.title.clone())
        .map(|t| text::line(&t))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| text::line(stem));
    let title = text::cut_at_word(
        if title.is_empty() {
            "Anki deck"
        } else {
            &title
        },
        notes::MAX_TITLE,
    );
    let id = opts
        .id
        .clone()
        .or_else(|| layout.memseed_id.clone().filter(|i| valid_id(i)))
        .unwrap_or_else(|| {
            Some(slug(&title))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "anki".into())
        });

    // Categories, in the order their notes come.
    let mut categories: Vec<Category> = Vec::new();
    let mut cat_ids = Ids::default();
    let mut category_of: HashMap<String, usize> = HashMap::new();
    let mut cat_decks: Vec<HashSet<&str>> = Vec::new();
    let mut item_category = Vec::with_capacity(kept.len());
    for k in &kept {
        // Questions and traps have no category; only concepts make one.
        if !matches!(k.read.content, Content::Concept(_)) {
            item_category.push(0);
            continue;
        }
        let ctitle = layout.category(&k.deck);
        let i = *category_of.entry(ctitle.clone()).or_insert_with(|| {
            categories.push(Category {
                id: cat_ids.make(&ctitle, "category"),
                title: text::cut_at_word(&ctitle, notes::MAX_TITLE),
                map: decks::map_section(&ctitle),
                summary: None,
            });
            cat_decks.push(HashSet::new());
            categories.len() - 1
        });
        cat_decks[i].insert(k.deck.as_str());
        item_category.push(i);
    }
    for (i, c) in categories.iter_mut().enumerate() {
        if cat_decks[i].len() == 1
            && let Some(d) = col
                .decks
                .iter()
                .find(|d| cat_decks[i].contains(d.name.as_str()))
        {
            c.summary = Some(text::prose(&crate::html::to_plain(&d.description).text))
                .filter(|s| !s.is_empty());
        }
    }

    // The topic's language: the one most code blocks name, when every block names one (a
    // block of no language must not take on the topic's).
    let mut langs: HashMap<&str, usize> = HashMap::new();
    let mut unnamed = false;
    for k in &kept {
        match k.read.code() {
            Some((_, Some(l))) => *langs.entry(l.as_str()).or_default() += 1,
            Some((_, None)) => unnamed = true,
            None => {}
        }
    }
    if unnamed {
        langs.clear();
    }
    let language = langs
        .into_iter()
        .filter(|(l, _)| valid_lang(l))
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .map(|(l, _)| l.to_string());
    let snippet = |code: &Option<(String, Option<String>)>| Snippet {
        code: code.as_ref().map(|(c, _)| c.clone()),
        lang: code
            .as_ref()
            .and_then(|(_, l)| l.clone())
            .filter(|l| valid_lang(l) && Some(l) != language.as_ref()),
        ..Snippet::default()
    };

    let mut concept_ids = Ids::default();
    let mut question_ids = Ids::default();
    let mut trap_ids = Ids::default();
    let mut concepts = Vec::new();
    let mut questions = Vec::new();
    let mut traps = Vec::new();
    let mut signals = Vec::new();
    // For each kept note: which pack item it became.
    let mut made: Vec<Item> = Vec::with_capacity(kept.len());
    let revlog_any = !col.revlog.is_empty();
    for (ki, k) in kept.iter().enumerate() {
        let tagged = tier_tag(&k.note.tags);
        match &k.read.content {
            Content::Concept(c) => {
                let lapses = k.cards.iter().map(|c| c.lapses).sum();
                let reviews = if revlog_any {
                    k.cards
                        .iter()
                        .map(|c| {
                            log_of.get(&c.id).map_or(0, |l| {
                                l.iter().filter(|r| (1..=4).contains(&r.ease)).count() as u32
                            })
                        })
                        .sum()
                } else {
                    k.cards.iter().map(|c| c.reps).sum()
                };
                signals.push(rank::Signals {
                    lapses,
                    reviews,
                    marked: has_tag(&k.note.tags, "marked"),
                    leech: has_tag(&k.note.tags, "leech"),
                    tagged,
                    memseed: k.read.memseed,
                    has_anchor: c.anchor.is_some(),
                });
                made.push(Item::Concept(concepts.len()));
                concepts.push(Concept {
                    id: concept_ids.make_or(c.id.as_deref(), &c.title, "concept"),
                    title: c.title.clone(),
                    category: item_category[ki],
                    tier: Tier::Medium,
                    anchor: c.anchor.clone(),
                    image: None,
                    basic: c.basic.clone(),
                    expected: c.expected.clone(),
                    deep: c.deep.clone(),
                    snippet: snippet(&c.code),
                    interview: None,
                    trap: None,
                    derives: Vec::new(),
                    tags: own_tags(&k.note.tags),
                });
            }
            Content::Question {
                id,
                level,
                question,
                short,
                detailed,
            } => {
                made.push(Item::Question(questions.len()));
                questions.push(Question {
                    id: question_ids.make_or(id.as_deref(), &words(question, 8), "question"),
                    level: *level,
                    question: question.clone(),
                    short: short.clone(),
                    detailed: detailed.clone(),
                    concepts: Vec::new(),
                    tier: tagged.unwrap_or(Tier::Medium),
                });
            }
            Content::Trap {
                id,
                title,
                what,
                fix,
                code,
            } => {
                made.push(Item::Trap(traps.len()));
                traps.push(Trap {
                    id: trap_ids.make_or(id.as_deref(), title, "trap"),
                    title: text::cut_at_word(title, notes::MAX_TITLE),
                    what: what.clone(),
                    fix: fix.clone(),
                    concept: None,
                    tier: tagged.unwrap_or(Tier::Medium),
                    snippet: snippet(code),
                });
            }
        }
        if !k.read.media.is_empty() {
            let held: HashSet<&str> = col.media.iter().map(|m| m.name.as_str()).collect();
            let (inside, missing): (Vec<&String>, Vec<&String>) =
                k.read.media.iter().partition(|m| held.contains(m.as_str()));
            let mut parts = Vec::new();
            if !inside.is_empty() {
                parts.push(format!(
                    "{} (kept aside with the package's media)",
                    join_names(&inside)
                ));
            }
            if !missing.is_empty() {
                parts.push(format!("{} (not in the package)", join_names(&missing)));
            }
            warnings.push(warn(
                Some(k.note.id),
                format!(
                    "\"{}\" shows {}; memseed keeps the text only",
                    text::clip(k.read.title(), 60),
                    parts.join(" and ")
                ),
            ));
        }
    }

    let ranked = rank::rank(&signals);
    for (c, t) in concepts.iter_mut().zip(&ranked.tiers) {
        c.tier = *t;
    }
    for &(i, wanted) in &ranked.demoted {
        let note = kept
            .iter()
            .zip(&made)
            .find(|(_, m)| **m == Item::Concept(i))
            .map(|(k, _)| k.note.id);
        warnings.push(warn(
            note,
            format!(
                "\"{}\" ranks {} but its back has too little text for an anchor (a sentence of {} words or more); demoted to medium",
                text::clip(&concepts[i].title, 60),
                wanted.as_str(),
                notes::MIN_ANCHOR_WORDS
            ),
        ));
    }

    // Histories of the cards memseed makes from these items.
    let mut history = Vec::new();
    let mut dropped = 0;
    for (k, item) in kept.iter().zip(&made) {
        for card in &k.cards {
            let log = log_of.get(&card.id).map(Vec::as_slice).unwrap_or(&[]);
            if card.ctype == crate::model::CardType::New && log.is_empty() {
                continue;
            }
            let target = match *item {
                Item::Concept(i) if concepts[i].anchor.is_some() => match card.ord {
                    0 => Some((concepts[i].id.as_str(), CardKind::ConceptAnchor)),
                    1 => Some((concepts[i].id.as_str(), CardKind::AnchorConcept)),
                    _ => None,
                },
                Item::Question(i) if card.ord == 0 => {
                    Some((questions[i].id.as_str(), CardKind::Question))
                }
                Item::Trap(i) if card.ord == 0 => Some((traps[i].id.as_str(), CardKind::Trap)),
                _ => None,
            };
            let Some((item_id, kind)) = target else {
                dropped += 1;
                continue;
            };
            let key = memseed_study::cards::card_key(&id, item_id, kind);
            history.push(schedule::from_anki(
                col,
                card,
                log,
                &key,
                has_tag(&k.note.tags, "leech"),
                opts.now,
            ));
        }
    }
    if dropped > 0 {
        warnings.push(warn(
            None,
            format!(
                "{dropped} studied card{} have no memseed card to carry their history (a concept without an anchor, or a cloze deletion past the second); their reviews stay in Anki",
                if dropped == 1 { "" } else { "s" }
            ),
        ));
    }

    let what_it_is = col
        .decks
        .iter()
        .find(|d| d.name == layout.root && !layout.root.is_empty())
        .map(|d| text::prose(&crate::html::to_plain(&d.description).text))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| {
            format!(
                "An Anki deck of {} note{} on {title}, imported into memseed.",
                kept.len(),
                if kept.len() == 1 { "" } else { "s" }
            )
        });
    let pack = Pack {
        source: String::new(),
        topic: Topic {
            id: id.clone(),
            title,
            tagline: None,
            language,
            what_it_is,
            why_it_exists: None,
            when_to_use: Vec::new(),
            where_it_fails: Vec::new(),
        },
        categories,
        concepts,
        traps,
        questions,
        practice: Vec::new(),
    };
    let reviews = col
        .revlog
        .iter()
        .filter(|r| (1..=4).contains(&r.ease))
        .count();
    let origin = |item: Item| -> Option<String> {
        let (k, _) = kept.iter().zip(&made).find(|(_, m)| **m == item)?;
        Some(format!(
            "from note {} in deck \"{}\" (note type {})",
            k.note.id, k.deck, k.notetype
        ))
    };
    let comment = |item: Item| -> Option<String> {
        match item {
            Item::Topic => Some(format!(
                "Imported by memseed from the Anki file {name} ({}): {} notes, {} cards, {reviews} reviews.\nTiers come from the deck's history, lapses first; edit them freely (see docs/anki.md).",
                col.format.name(),
                col.notes.len(),
                col.cards.len(),
            )),
            Item::Concept(i) => Some(format!(
                "{}\n{}",
                origin(item).unwrap_or_default(),
                ranked.reasons[i]
            )),
            Item::Question(_) | Item::Trap(_) => origin(item),
            Item::Category(_) | Item::Practice(_) => None,
        }
    };
    let toml = to_toml_with(&pack, comment);
    let (pack, _) =
        memseed_core::load_str(&format!("{id}.toml"), &toml).map_err(AnkiError::Invalid)?;
    Ok(Imported {
        pack,
        toml,
        reasons: ranked.reasons,
        warnings,
        history,
        notes: col.notes.len(),
        skipped,
    })
}

/// The tier a note's tags set: `critical` (any case), `tier::high`, `memseed::tier::low`.
fn tier_tag(tags: &[String]) -> Option<Tier> {
    tags.iter().find_map(|t| {
        let t = t.to_ascii_lowercase();
        let name = t
            .strip_prefix("memseed::tier::")
            .or_else(|| t.strip_prefix("tier::"))
            .unwrap_or(&t);
        Tier::ALL.into_iter().find(|tier| tier.as_str() == name)
    })
}

fn has_tag(tags: &[String], name: &str) -> bool {
    tags.iter().any(|t| t.eq_ignore_ascii_case(name))
}

/// The note's own tags: not Anki's `marked`/`leech`, tier tags or memseed's bookkeeping.
fn own_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let lower = t.to_ascii_lowercase();
        if lower == "marked"
            || lower == "leech"
            || lower == "memseed"
            || lower.starts_with("memseed::")
            || tier_tag(std::slice::from_ref(t)).is_some()
        {
            continue;
        }
        let t = text::line(t);
        if !t.is_empty() && !out.contains(&t) && out.len() < 12 {
            out.push(t);
        }
    }
    out
}

fn join_names(names: &[&String]) -> String {
    let mut shown: Vec<String> = names.iter().take(3).map(|n| text::clip(n, 40)).collect();
    if names.len() > 3 {
        shown.push(format!("{} more", names.len() - 3));
    }
    shown.join(", ")
}

/// The first `n` words.
fn words(s: &str, n: usize) -> String {
    s.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}

impl notes::Read {
    /// The code of the item, with its language.
    fn code(&self) -> Option<&(String, Option<String>)> {
        match &self.content {
            Content::Concept(c) => c.code.as_ref(),
            Content::Trap { code, .. } => code.as_ref(),
            Content::Question { .. } => None,
        }
    }

    /// A title for messages.
    fn title(&self) -> &str {
        match &self.content {
            Content::Concept(c) => &c.title,
            Content::Trap { title, .. } => title,
            Content::Question { question, .. } => question,
        }
    }
}
