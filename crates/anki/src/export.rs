//! memseed's cards as an Anki collection. Each kind of item has its own note type with
//! named fields: a concept's note makes its two cards (concept → anchor, anchor → concept),
//! a question's and a trap's one each, so every memseed card is one Anki card. Notes go to
//! `memseed::<topic>`, in a sub-deck per category (concepts), `Interview questions` and
//! `Traps`. GUIDs and ids come from the topic and item ids, so they never change.

use std::collections::{HashMap, HashSet};

use memseed_core::card::layout::ItemRef;
use memseed_core::pack::{Concept, Pack, Question, Trap};
use memseed_core::{Card as Compressed, Compressor};
use memseed_store::CardHistory;
use memseed_study::cards::{ANCHOR_PROMPT, TRAP_CODE_PROMPT, mask_title};
use memseed_study::{CardKind, StudyCard};

use crate::html;
use crate::ids;
use crate::model::{Card, Collection, Deck, Format, Note, Notetype, Template};
use crate::schedule;

/// The note type of a concept.
pub const CONCEPT: &str = "memseed Concept";
/// The note type of an interview question.
pub const QUESTION: &str = "memseed Question";
/// The note type of a trap.
pub const TRAP: &str = "memseed Trap";

/// A concept note's fields.
pub const CONCEPT_FIELDS: [&str; 8] = [
    "Title",
    "Anchor",
    "Masked anchor",
    "Basic",
    "Expected",
    "Code",
    "Topic",
    "Id",
];
/// A question note's fields.
pub const QUESTION_FIELDS: [&str; 6] = ["Question", "Answer", "Detailed", "Level", "Topic", "Id"];
/// A trap note's fields.
pub const TRAP_FIELDS: [&str; 6] = ["Title", "Code", "What", "Fix", "Topic", "Id"];

/// The sub-deck of interview questions and of traps.
pub const QUESTIONS_DECK: &str = "Interview questions";
pub const TRAPS_DECK: &str = "Traps";

/// The collection's creation time, 2020-01-01 00:00 UTC: fixed, so two exports of the same
/// schedule are the same file; Anki shifts due days to its own collection on import.
pub const CRT: i64 = 1_577_836_800;

/// The cards of `pack` that survive `budget`: the concept cards of every concept kept with
/// its anchor, the card of every kept trap and interview question. In study order.
pub fn surviving(pack: &Pack, budget: u64) -> Result<Vec<StudyCard>, memseed_core::TooSmall> {
    let compressor = Compressor::new(pack);
    let card = Compressed::new(pack, &compressor, budget)?;
    let mut kept: HashSet<(CardKind, &str)> = HashSet::new();
    for (item, level) in card.kept() {
        match item {
            ItemRef::Concept(i) if level >= 2 => {
                let id = pack.concepts[i].id.as_str();
                kept.insert((CardKind::ConceptAnchor, id));
                kept.insert((CardKind::AnchorConcept, id));
            }
            ItemRef::Question(i) => {
                kept.insert((CardKind::Question, pack.questions[i].id.as_str()));
            }
            ItemRef::Trap(i) => {
                kept.insert((CardKind::Trap, pack.traps[i].id.as_str()));
            }
            _ => {}
        }
    }
    Ok(memseed_study::cards_for(pack)
        .into_iter()
        .filter(|c| kept.contains(&(c.kind, c.item.as_str())))
        .collect())
}

/// The Anki collection of `cards` (all of `pack`'s, or those that survive a budget), with
/// each card's schedule and reviews from `history` when given. `now` stamps the notes.
pub fn collection(
    pack: &Pack,
    cards: &[StudyCard],
    history: Option<&[CardHistory]>,
    now: i64,
) -> Collection {
    let topic = &pack.topic.id;
    let mut col = Collection::new(Format::Anki2, CRT);
    let wanted: HashMap<(CardKind, &str), usize> = cards
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.kind, c.item.as_str()), i))
        .collect();
    let by_key: HashMap<&str, &CardHistory> = history
        .unwrap_or(&[])
        .iter()
        .map(|h| (h.key.as_str(), h))
        .collect();
    let mut decks = Decks::new(pack);
    let mut taken = HashSet::new();
    let mut used = [false; 3];

    let mut add = |col: &mut Collection,
                   kind: usize,
                   key: String,
                   fields: Vec<String>,
                   tags: Vec<String>,
                   deck: i64,
                   cards: &[(u32, CardKind, &str)]| {
        used[kind] = true;
        let note = Note {
            id: ids::id("note", &key),
            guid: ids::guid(&key),
            notetype: notetype_id(kind),
            fields,
            tags,
            mtime: now,
        };
        for &(ord, card_kind, item) in cards {
            let Some(&position) = wanted.get(&(card_kind, item)) else {
                continue;
            };
            let card_key = memseed_study::cards::card_key(topic, item, card_kind);
            let id = ids::id("card", &card_key);
            let s = match by_key.get(card_key.as_str()) {
                Some(h) => {
                    col.revlog.extend(schedule::revlog(h, id, &mut taken));
                    schedule::to_anki(h, col, position as i64 + 1)
                }
                None => schedule::new_card(position as i64 + 1),
            };
            col.cards.push(Card {
                id,
                note: note.id,
                deck,
                ord,
                ctype: s.ctype,
                queue: s.queue,
                due: s.due,
                interval: s.interval,
                factor: s.factor,
                reps: s.reps,
                lapses: s.lapses,
                left: s.left,
                memory: s.memory,
                last_review: s.last_review,
            });
        }
        col.notes.push(note);
    };

    for c in &pack.concepts {
        let has = |k| wanted.contains_key(&(k, c.id.as_str()));
        if !has(CardKind::ConceptAnchor) && !has(CardKind::AnchorConcept) {
            continue;
        }
        let deck = decks.category(pack, c.category);
        add(
            &mut col,
            0,
            format!("{topic}/concept/{}", c.id),
            concept_fields(pack, c),
            tags(c.tier.as_str(), None, &c.tags),
            deck,
            &[
                (0, CardKind::ConceptAnchor, &c.id),
                (1, CardKind::AnchorConcept, &c.id),
            ],
        );
    }
    for q in &pack.questions {
        if !wanted.contains_key(&(CardKind::Question, q.id.as_str())) {
            continue;
        }
        let deck = decks.named(QUESTIONS_DECK, "");
        add(
            &mut col,
            1,
            format!("{topic}/question/{}", q.id),
            question_fields(pack, q),
            tags(q.tier.as_str(), Some(q.level.as_str()), &[]),
            deck,
            &[(0, CardKind::Question, &q.id)],
        );
    }
    for t in &pack.traps {
        if !wanted.contains_key(&(CardKind::Trap, t.id.as_str())) {
            continue;
        }
        let deck = decks.named(TRAPS_DECK, "");
        add(
            &mut col,
            2,
            format!("{topic}/trap/{}", t.id),
            trap_fields(pack, t),
            tags(t.tier.as_str(), None, &[]),
            deck,
            &[(0, CardKind::Trap, &t.id)],
        );
    }
    col.notetypes = notetypes()
        .into_iter()
        .zip(used)
        .filter_map(|(n, u)| u.then_some(n))
        .collect();
    col.decks = decks.into_used(&col.cards);
    col
}

fn concept_fields(pack: &Pack, c: &Concept) -> Vec<String> {
    let anchor = c.anchor.as_deref().unwrap_or("");
    let opt = |s: &Option<String>| s.as_deref().map(html::prose).unwrap_or_default();
    vec![
        html::escape(&c.title),
        html::escape(anchor),
        html::escape(&mask_title(anchor, &c.title)),
        opt(&c.basic),
        opt(&c.expected),
        c.snippet
            .code
            .as_deref()
            .map(|code| html::code(code, c.snippet.language(&pack.topic)))
            .unwrap_or_default(),
        html::escape(&pack.topic.title),
        html::escape(&c.id),
    ]
}

fn question_fields(pack: &Pack, q: &Question) -> Vec<String> {
    vec![
        html::prose(&q.question),
        html::prose(&q.short),
        q.detailed.as_deref().map(html::prose).unwrap_or_default(),
        q.level.as_str().to_string(),
        html::escape(&pack.topic.title),
        html::escape(&q.id),
    ]
}

fn trap_fields(pack: &Pack, t: &Trap) -> Vec<String> {
    vec![
        html::escape(&t.title),
        t.snippet
            .code
            .as_deref()
            .map(|code| html::code(code, t.snippet.language(&pack.topic)))
            .unwrap_or_default(),
        html::prose(&t.what),
        html::prose(&t.fix),
        html::escape(&pack.topic.title),
        html::escape(&t.id),
    ]
}

/// `memseed`, `memseed::tier::<tier>`, `memseed::level::<level>`, and the item's own tags
/// (Anki tags hold no spaces: they become `_`).
fn tags(tier: &str, level: Option<&str>, own: &[String]) -> Vec<String> {
    let mut out = vec!["memseed".to_string(), format!("memseed::tier::{tier}")];
    if let Some(l) = level {
        out.push(format!("memseed::level::{l}"));
    }
    for t in own {
        let t: String = t
            .chars()
            .map(|c| {
                if c.is_whitespace() || c == '"' {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if !t.is_empty() && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn notetype_id(kind: usize) -> i64 {
    ids::id("notetype", [CONCEPT, QUESTION, TRAP][kind])
}

/// The three note types, in the order concept, question, trap.
pub fn notetypes() -> Vec<Notetype> {
    let topic = "<div class=\"topic\">{{Topic}}</div>\n";
    let shown = "{{FrontSide}}\n\n<hr id=\"answer\">\n\n";
    let (anchor_prompt, trap_prompt) =
        (html::escape(ANCHOR_PROMPT), html::escape(TRAP_CODE_PROMPT));
    let fields = |f: &[&str]| f.iter().map(|s| (*s).to_string()).collect();
    vec![
        Notetype {
            id: notetype_id(0),
            name: CONCEPT.into(),
            cloze: false,
            fields: fields(&CONCEPT_FIELDS),
            templates: vec![
                Template {
                    name: "Concept → Anchor".into(),
                    front: format!("{topic}<div class=\"prompt\">What is the one-line anchor for <b>{{{{Title}}}}</b>?</div>"),
                    back: format!("{shown}<div class=\"anchor\">{{{{Anchor}}}}</div>\n{{{{#Basic}}}}<div class=\"basic\">{{{{Basic}}}}</div>{{{{/Basic}}}}\n{{{{#Expected}}}}<div class=\"expected\">{{{{Expected}}}}</div>{{{{/Expected}}}}\n{{{{Code}}}}"),
                },
                Template {
                    name: "Anchor → Concept".into(),
                    front: format!("{topic}<div class=\"prompt\">{anchor_prompt}</div>\n<div class=\"anchor\">{{{{Masked anchor}}}}</div>"),
                    back: format!("{shown}<div class=\"title\">{{{{Title}}}}</div>\n<div class=\"anchor\">{{{{Anchor}}}}</div>"),
                },
            ],
            css: CSS.into(),
        },
        Notetype {
            id: notetype_id(1),
            name: QUESTION.into(),
            cloze: false,
            fields: fields(&QUESTION_FIELDS),
            templates: vec![Template {
                name: "Question → Answer".into(),
                front: "<div class=\"topic\">{{Topic}} · {{Level}}</div>\n<div class=\"prompt\">{{Question}}</div>".into(),
                back: format!("{shown}<div class=\"answer\">{{{{Answer}}}}</div>\n{{{{#Detailed}}}}<div class=\"detailed\">{{{{Detailed}}}}</div>{{{{/Detailed}}}}"),
            }],
            css: CSS.into(),
        },
        Notetype {
            id: notetype_id(2),
            name: TRAP.into(),
            cloze: false,
            fields: fields(&TRAP_FIELDS),
            templates: vec![Template {
                name: "Spot the trap".into(),
                front: format!("{topic}{{{{#Code}}}}<div class=\"prompt\">{trap_prompt}</div>\n{{{{Code}}}}{{{{/Code}}}}{{{{^Code}}}}<div class=\"prompt\">Trap: {{{{Title}}}}. What goes wrong, and what is the fix?</div>{{{{/Code}}}}"),
                back: format!("{shown}<div class=\"what\">{{{{What}}}}</div>\n<div class=\"fix\">Fix: {{{{Fix}}}}</div>"),
            }],
            css: CSS.into(),
        },
    ]
}

/// Plain, readable cards; code keeps its indentation and wraps rather than scrolls.
const CSS: &str = ".card { font-family: -apple-system, \"Segoe UI\", Roboto, sans-serif; font-size: 20px; line-height: 1.45; text-align: left; color: #1d1d1f; background: #fff; max-width: 40em; margin: 0 auto; }
.nightMode.card, .night_mode .card { color: #eee; background: #222; }
.topic { font-size: 13px; color: #888; text-transform: uppercase; letter-spacing: .05em; }
.prompt { margin: .6em 0; }
.anchor, .title { font-weight: 600; }
.basic, .expected, .detailed, .fix { margin-top: .6em; }
pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 15px; background: rgba(127, 127, 127, .12); padding: .6em .8em; border-radius: 6px; white-space: pre-wrap; }
";

/// The decks of one export: `memseed`, `memseed::<topic>` and its sub-decks.
struct Decks {
    root: String,
    all: Vec<Deck>,
}

impl Decks {
    fn new(pack: &Pack) -> Decks {
        let root = format!("memseed::{}", pack.topic.id);
        let mut d = Decks {
            root: root.clone(),
            all: Vec::new(),
        };
        d.add("memseed", "Decks exported by memseed.");
        d.add(&root, &html::prose(&pack.topic.what_it_is));
        d
    }

    fn add(&mut self, name: &str, description: &str) -> i64 {
        if let Some(d) = self.all.iter().find(|d| d.name == name) {
            return d.id;
        }
        let id = ids::id("deck", name);
        self.all.push(Deck {
            id,
            name: name.to_string(),
            description: description.to_string(),
        });
        id
    }

    /// The sub-deck `title` of the topic's deck (a `::` in it would make another level).
    fn named(&mut self, title: &str, description: &str) -> i64 {
        let title = title.replace("::", ":");
        let title = title.trim();
        let name = format!("{}::{title}", self.root);
        self.add(&name, description)
    }

    fn category(&mut self, pack: &Pack, i: usize) -> i64 {
        let c = &pack.categories[i];
        let title = if c.title.trim().is_empty() {
            &c.id
        } else {
            &c.title
        };
        let desc = c.summary.as_deref().map(html::prose).unwrap_or_default();
        self.named(title, &desc)
    }

    /// The decks that hold a card, with their parents.
    fn into_used(self, cards: &[Card]) -> Vec<Deck> {
        let used: HashSet<i64> = cards.iter().map(|c| c.deck).collect();
        let names: Vec<&str> = self
            .all
            .iter()
            .filter(|d| used.contains(&d.id))
            .map(|d| d.name.as_str())
            .collect();
        let keep: Vec<bool> = self
            .all
            .iter()
            .map(|d| {
                names
                    .iter()
                    .any(|n| *n == d.name || n.starts_with(&format!("{}::", d.name)))
            })
            .collect();
        self.all
            .into_iter()
            .zip(keep)
            .filter_map(|(d, k)| k.then_some(d))
            .collect()
    }
}
