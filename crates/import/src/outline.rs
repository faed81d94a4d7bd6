//! From blocks to a draft topic: which headings are categories, concepts or subsections,
//! where each paragraph, list item, code block and table goes, and which lines are
//! questions and traps. Plain-text dumps without headings are cut at the paragraphs that
//! define a term.

use std::collections::HashMap;

use memseed_core::pack::{Difficulty, MapSection};

use crate::Warning;
use crate::blocks::{Block, Kind, Parsed};
use crate::inline::{self, Label};
use crate::read::Note;

/// The whole import before ids, tiers and anchors.
#[derive(Debug, Default)]
pub struct Draft {
    pub notes: Vec<NoteMeta>,
    pub categories: Vec<DCategory>,
    pub concepts: Vec<DConcept>,
    pub traps: Vec<DTrap>,
    pub questions: Vec<DQuestion>,
    /// Paragraphs that could say what the topic is, in note order: front matter
    /// descriptions, text before the first concept, each concept's first paragraph.
    pub intro: Vec<String>,
    /// Front matter descriptions and the text before a note's first heading: preferred
    /// over [`Draft::intro`] for what the topic is.
    pub lead: Vec<String>,
    /// Code block languages and how often each was seen.
    pub languages: HashMap<String, usize>,
    /// Category index by title.
    category_index: HashMap<String, usize>,
}

/// One note's name and title.
#[derive(Debug)]
pub struct NoteMeta {
    pub name: String,
    pub title: String,
    /// The note's file stem, lower-cased: what `[[links]]` to it say.
    pub stem: String,
}

#[derive(Debug)]
pub struct DCategory {
    pub title: String,
    pub summary: Option<String>,
    pub map: MapSection,
}

/// A concept as found in the notes.
#[derive(Debug, Default)]
pub struct DConcept {
    pub title: String,
    pub note: usize,
    pub line: usize,
    pub category: usize,
    /// The one-liner the notes give (`Anchor:`, `Mnemonic:`), if any.
    pub anchor: Option<String>,
    /// The definition it came from (a definition bullet's text), if any.
    pub definition: Option<String>,
    pub paras: Vec<String>,
    pub why: Vec<String>,
    pub deep: Vec<String>,
    pub interview: Vec<String>,
    pub trap: Vec<String>,
    pub code: Option<(String, Option<String>)>,
    pub tags: Vec<String>,
    /// Importance markers (⭐, `#important`, "Important:").
    pub markers: u32,
    /// A tier set by a tag (`#critical`): index into `Tier::ALL`.
    pub tier_tag: Option<usize>,
    /// Other names for it (front matter aliases, a title's parenthesis).
    pub aliases: Vec<String>,
    /// `[[links]]` out of its text.
    pub links: Vec<String>,
    /// 0 for the note's top concept level, 1 one deeper, 2 deeper still.
    pub level: u8,
    /// 0 for the first concept of its note, 1 for the last.
    pub position: f64,
    /// How many other places in the notes were merged into it.
    pub merged: usize,
}

#[derive(Debug)]
pub struct DTrap {
    pub title: String,
    pub what: String,
    pub fix: String,
    pub concept: Option<usize>,
    pub note: usize,
    pub line: usize,
}

#[derive(Debug)]
pub struct DQuestion {
    pub question: String,
    pub answer: String,
    pub concept: Option<usize>,
    pub level: Difficulty,
    /// A question about code is a practice question.
    pub code: Option<(String, Option<String>)>,
    pub note: usize,
    pub line: usize,
}

/// Where body text goes.
#[derive(Clone, Copy, Debug)]
struct Target {
    concept: Option<usize>,
    label: Option<Label>,
    level: Difficulty,
    /// Inside a "Traps" section: items and paragraphs are traps.
    traps: bool,
}

/// A heading and the blocks under it up to the next heading.
struct Node {
    level: u8,
    title: String,
    line: usize,
    body: std::ops::Range<usize>,
    children: Vec<usize>,
}

impl Draft {
    fn category(&mut self, title: &str) -> usize {
        let title = if title.is_empty() { "Notes" } else { title };
        if let Some(&i) = self.category_index.get(title) {
            return i;
        }
        self.categories.push(DCategory {
            title: title.to_string(),
            summary: None,
            map: map_for(title),
        });
        self.category_index
            .insert(title.to_string(), self.categories.len() - 1);
        self.categories.len() - 1
    }

    fn concept(
        &mut self,
        title: inline::Title,
        note: usize,
        line: usize,
        category: usize,
        level: u8,
    ) -> usize {
        let mut aliases = Vec::new();
        if let (Some(open), true) = (title.text.find('('), title.text.ends_with(')')) {
            aliases.push(title.text[open + 1..title.text.len() - 1].to_string());
            aliases.push(title.text[..open].trim().to_string());
        }
        self.concepts.push(DConcept {
            tier_tag: inline::tier_tag(&title.tags),
            markers: title.markers,
            tags: title
                .tags
                .into_iter()
                .filter(|t| !inline::TIER_TAGS.contains(&t.as_str()))
                .collect(),
            title: title.text,
            note,
            line,
            category,
            level,
            aliases,
            ..DConcept::default()
        });
        self.concepts.len() - 1
    }

    /// Merges concepts with the same name (case, articles and plurals ignored) into the
    /// first one, keeping all their text; references follow.
    pub fn merge_duplicates(&mut self) {
        let mut first: HashMap<String, usize> = HashMap::new();
        let mut remap: Vec<usize> = Vec::with_capacity(self.concepts.len());
        let mut keep: Vec<bool> = Vec::with_capacity(self.concepts.len());
        for i in 0..self.concepts.len() {
            let key = title_key(&self.concepts[i].title);
            match first.get(&key) {
                Some(&f) if !key.is_empty() => {
                    let c = std::mem::take(&mut self.concepts[i]);
                    let into = &mut self.concepts[f];
                    into.paras.extend(c.paras);
                    into.why.extend(c.why);
                    into.deep.extend(c.deep);
                    into.interview.extend(c.interview);
                    into.trap.extend(c.trap);
                    if into.code.is_none() {
                        into.code = c.code;
                    }
                    if into.anchor.is_none() {
                        into.anchor = c.anchor;
                    }
                    if into.definition.is_none() {
                        into.definition = c.definition;
                    }
                    for t in c.tags {
                        if !into.tags.contains(&t) {
                            into.tags.push(t);
                        }
                    }
                    into.markers += c.markers;
                    into.tier_tag = match (into.tier_tag, c.tier_tag) {
                        (Some(a), Some(b)) => Some(a.min(b)),
                        (a, b) => a.or(b),
                    };
                    into.aliases.extend(c.aliases);
                    into.links.extend(c.links);
                    into.merged += 1 + c.merged;
                    remap.push(f);
                    keep.push(false);
                }
                _ => {
                    first.insert(key, i);
                    remap.push(i);
                    keep.push(true);
                }
            }
        }
        // Compact, then point every reference at the new positions.
        let mut new_index = vec![0; self.concepts.len()];
        let mut n = 0;
        for (i, k) in keep.iter().enumerate() {
            if *k {
                new_index[i] = n;
                n += 1;
            }
        }
        let concepts = std::mem::take(&mut self.concepts);
        self.concepts = concepts
            .into_iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| c)
            .collect();
        let fix = |c: &mut Option<usize>| {
            if let Some(i) = c {
                *i = new_index[remap[*i]];
            }
        };
        for t in &mut self.traps {
            fix(&mut t.concept);
        }
        for q in &mut self.questions {
            fix(&mut q.concept);
        }
    }
}

/// A concept's name for matching duplicates: lower case, no leading article, the last word
/// singular.
pub fn title_key(title: &str) -> String {
    let lower = inline::drop_parens(&title.to_lowercase());
    let mut words: Vec<String> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if words.len() > 1 && matches!(words[0].as_str(), "the" | "a" | "an") {
        words.remove(0);
    }
    if let Some(last) = words.last_mut() {
        *last = singular(last);
    }
    words.join(" ")
}

/// A plural's singular, for matching only: `generators` → `generator`, `classes` →
/// `class`, `dictionaries` → `dictionary`.
pub fn singular(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 4
        && (w.ends_with("sses") || w.ends_with("xes") || w.ends_with("ches") || w.ends_with("shes"))
    {
        w[..w.len() - 2].to_string()
    } else if w.len() > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The learning-map section a category title suggests.
fn map_for(title: &str) -> MapSection {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&[
        "code", "example", "snippet", "exercise", "practice", "project",
    ]) {
        MapSection::CodeExamples
    } else if has(&[
        "reference",
        "cheat",
        "quick",
        "syntax",
        "command",
        "table",
        "summary",
    ]) {
        MapSection::QuickReference
    } else if has(&[
        "question",
        "interview",
        "quiz",
        "flashcard",
        "recall",
        "q&a",
        "review",
        "self-test",
    ]) {
        MapSection::ActiveRecall
    } else {
        MapSection::Foundations
    }
}

fn level_for(title: &str) -> Option<Difficulty> {
    let t = title.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&["beginner", "basic", "junior", "easy", "fundamental"]) {
        Some(Difficulty::Beginner)
    } else if has(&["expert", "advanced", "senior", "hard", "deep"]) {
        Some(Difficulty::Expert)
    } else if has(&["intermediate", "middle", "medium"]) {
        Some(Difficulty::Intermediate)
    } else {
        None
    }
}

fn is_question_section(title: &str) -> bool {
    let t = title.to_lowercase();
    [
        "question",
        "flashcard",
        "q&a",
        "quiz",
        "self-test",
        "review cards",
        "cards",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// A note's title: front matter, else its single H1 (when it comes first), else its file
/// name. Returns the title and whether the first block is that H1.
fn note_title(note: &Note, parsed: &Parsed) -> (String, bool) {
    let h1s = parsed
        .blocks
        .iter()
        .filter(|b| b.kind == Kind::Heading(1))
        .count();
    let first_is_h1 = parsed.markdown
        && h1s == 1
        && parsed
            .blocks
            .first()
            .is_some_and(|b| b.kind == Kind::Heading(1));
    if let Some(t) = &parsed.front.title {
        return (inline::clean_title(t).text, first_is_h1);
    }
    if first_is_h1 {
        return (inline::clean_title(&parsed.blocks[0].text).text, true);
    }
    (stem_title(&note.name), false)
}

/// A readable title from a file name: `my-notes_v2.md` → `my notes v2`.
pub fn stem_title(name: &str) -> String {
    if name == "-" {
        return "Notes".into();
    }
    let file = name.rsplit('/').next().unwrap_or(name);
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let t = stem.replace(['-', '_'], " ");
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if t.is_empty() { "Notes".into() } else { t }
}

/// Adds one parsed note to the draft.
pub fn add_note(d: &mut Draft, note: &Note, parsed: Parsed, warnings: &mut Vec<Warning>) {
    let n = d.notes.len();
    let (title, skip_h1) = note_title(note, &parsed);
    let stem = stem_title(&note.name).to_lowercase();
    d.notes.push(NoteMeta {
        name: note.name.clone(),
        title: title.clone(),
        stem,
    });
    if let Some(desc) = &parsed.front.description {
        d.lead.push(desc.clone());
    }
    let first_concept = d.concepts.len();
    let blocks = if skip_h1 {
        &parsed.blocks[1..]
    } else {
        &parsed.blocks[..]
    };
    let mut cx = NoteCx {
        d,
        note: n,
        name: &note.name,
        blocks,
        warnings,
        note_category: None,
        note_title: title.clone(),
        last_concept: None,
        titled: skip_h1 || parsed.front.title.is_some(),
    };
    let has_headings = blocks.iter().any(|b| matches!(b.kind, Kind::Heading(_)));
    let defined = blocks
        .iter()
        .filter(|b| b.kind == Kind::Para && inline::defined_term(&b.text).is_some())
        .count();
    if has_headings {
        cx.by_headings();
    } else if !parsed.markdown && defined >= 2 {
        cx.by_definitions();
    } else {
        cx.single(&title);
    }
    let NoteCx { d, .. } = cx;
    // Front matter applies to the whole note; its tier tags and aliases to a note that is
    // one concept.
    let made = first_concept..d.concepts.len();
    let count = made.len();
    for (k, i) in made.clone().enumerate() {
        let c = &mut d.concepts[i];
        c.position = if count > 1 {
            k as f64 / (count - 1) as f64
        } else {
            0.0
        };
        for t in &parsed.front.tags {
            if !inline::TIER_TAGS.contains(&t.as_str()) && !c.tags.contains(t) {
                c.tags.push(t.clone());
            }
        }
    }
    if count == 1 {
        let c = &mut d.concepts[first_concept];
        c.aliases.extend(parsed.front.aliases.iter().cloned());
        c.markers += inline::tag_markers(&parsed.front.tags);
        if let Some(t) = inline::tier_tag(&parsed.front.tags) {
            c.tier_tag = Some(t);
        }
    }
    // Candidates for what the topic is: a few are enough.
    for i in made {
        if d.intro.len() >= 64 {
            break;
        }
        if let Some(first) = d.concepts[i].paras.first() {
            d.intro.push(first.clone());
        }
    }
}

struct NoteCx<'a> {
    d: &'a mut Draft,
    note: usize,
    name: &'a str,
    blocks: &'a [Block],
    warnings: &'a mut Vec<Warning>,
    note_category: Option<usize>,
    note_title: String,
    /// The concept made last in this note: a `Deep dive` heading at the same level as its
    /// concept's heading (as in text dumps) still belongs to it.
    last_concept: Option<usize>,
    /// The note has a title of its own (front matter or a leading H1), not a file name.
    titled: bool,
}

impl NoteCx<'_> {
    fn warn(&mut self, line: usize, msg: impl Into<String>) {
        self.warnings.push(Warning::new(self.name, line, msg));
    }

    fn default_category(&mut self) -> usize {
        if let Some(c) = self.note_category {
            return c;
        }
        let title = self.note_title.clone();
        let c = self.d.category(&title);
        self.note_category = Some(c);
        c
    }

    /// The note is one concept (an atomic note), unless it is a glossary of definitions.
    fn single(&mut self, title: &str) {
        let defs = self
            .blocks
            .iter()
            .filter(|b| {
                matches!(b.kind, Kind::Item { .. }) && inline::definition_item(&b.text).is_some()
            })
            .count();
        let paras = self.blocks.iter().filter(|b| b.kind == Kind::Para).count();
        if self.blocks.is_empty() {
            self.warn(
                0,
                "no text to import (front matter, comments or HTML only); skipped",
            );
            return;
        }
        let cat = self.default_category();
        let target = if defs >= 2 && paras <= 1 {
            None
        } else {
            let t = inline::clean_title(title);
            let line = self.blocks.first().map_or(1, |b| b.line);
            Some(self.d.concept(t, self.note, line, cat, 0))
        };
        let t = Target {
            concept: target,
            label: None,
            level: Difficulty::Intermediate,
            traps: false,
        };
        self.body(0..self.blocks.len(), t, Some(cat), 0);
    }

    /// A plain-text dump: a concept starts at each paragraph that defines a term.
    fn by_definitions(&mut self) {
        let cat = self.default_category();
        let mut t = Target {
            concept: None,
            label: None,
            level: Difficulty::Intermediate,
            traps: false,
        };
        let mut start = 0;
        for i in 0..self.blocks.len() {
            let b = &self.blocks[i];
            if b.kind != Kind::Para {
                continue;
            }
            if let Some(term) = inline::defined_term(&b.text) {
                self.body(start..i, t, Some(cat), 0);
                let title = inline::clean_title(&term);
                let c = self.d.concept(title, self.note, b.line, cat, 0);
                self.d.concepts[c].definition = Some(b.text.clone());
                t.concept = Some(c);
                start = i;
            }
        }
        self.body(start..self.blocks.len(), t, Some(cat), 0);
    }

    /// A note with headings: a heading with sub-headings is a category, one without is a
    /// concept, and subsections (`Deep dive`, `Interview`, `Traps`) feed their concept.
    fn by_headings(&mut self) {
        let mut nodes: Vec<Node> = Vec::new();
        let mut roots: Vec<usize> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut lead_end = self.blocks.len();
        for (i, b) in self.blocks.iter().enumerate() {
            let Kind::Heading(level) = b.kind else {
                continue;
            };
            lead_end = lead_end.min(i);
            if let Some(&last) = nodes.len().checked_sub(1).as_ref()
                && nodes[last].body.end == usize::MAX
            {
                nodes[last].body.end = i;
            }
            while stack.last().is_some_and(|&p| nodes[p].level >= level) {
                stack.pop();
            }
            let id = nodes.len();
            nodes.push(Node {
                level,
                title: b.text.clone(),
                line: b.line,
                body: i + 1..usize::MAX,
                children: Vec::new(),
            });
            match stack.last() {
                Some(&p) => nodes[p].children.push(id),
                None => roots.push(id),
            }
            stack.push(id);
        }
        if let Some(last) = nodes.last_mut()
            && last.body.end == usize::MAX
        {
            last.body.end = self.blocks.len();
        }
        // Text before the first heading says what the note is: with a title of its own
        // (an H1 or front matter), it is the note's own concept, the one `[[links]]` to the
        // note mean; it is also a candidate for what the topic is.
        let has_para = self.blocks[..lead_end].iter().any(|b| b.kind == Kind::Para);
        let concept = if self.titled && has_para {
            let cat = self.default_category();
            let line = self.blocks.first().map_or(1, |b| b.line);
            let title = inline::clean_title(&self.note_title.clone());
            let c = self.d.concept(title, self.note, line, cat, 0);
            if let Some(first) = self.blocks[..lead_end]
                .iter()
                .find(|b| b.kind == Kind::Para)
                && self.d.lead.len() < 64
            {
                self.d.lead.push(first.text.clone());
            }
            Some(c)
        } else {
            None
        };
        let lead = Target {
            concept,
            label: None,
            level: Difficulty::Intermediate,
            traps: false,
        };
        self.body(0..lead_end, lead, None, 0);
        let min_level = nodes.iter().map(|n| n.level).min().unwrap_or(1);
        let cx = Target {
            concept: None,
            label: None,
            level: Difficulty::Intermediate,
            traps: false,
        };
        for r in roots {
            self.node(&nodes, r, cx, None, min_level);
        }
    }

    fn node(
        &mut self,
        nodes: &[Node],
        id: usize,
        cx: Target,
        category: Option<usize>,
        min_level: u8,
    ) {
        let n = &nodes[id];
        let title = inline::clean_title(&n.title);
        let rel = n.level.saturating_sub(min_level).min(2);
        let label = inline::section_label(&title.text);
        let real_children: Vec<usize> = n
            .children
            .iter()
            .copied()
            .filter(|&c| {
                let t = inline::clean_title(&nodes[c].title).text;
                inline::section_label(&t).is_none() && !t.ends_with('?')
            })
            .collect();
        let level = level_for(&title.text).unwrap_or(cx.level);
        if title.text.is_empty() {
            self.warn(
                n.line,
                "a heading with no text; its section is read as part of the one above",
            );
            self.body(n.body.clone(), cx, category, rel);
            for &c in &n.children {
                self.node(nodes, c, cx, category, min_level);
            }
            return;
        }
        // A question heading: the text under it is the answer.
        if title.text.ends_with('?') {
            self.question_section(n, &title.text, cx, level);
            for &c in &n.children {
                self.node(nodes, c, Target { level, ..cx }, category, min_level);
            }
            return;
        }
        // A subsection of a concept, or a traps / questions section.
        let cx = if label.is_some() && cx.concept.is_none() && real_children.is_empty() {
            Target {
                concept: self.last_concept,
                ..cx
            }
        } else {
            cx
        };
        if label.is_some() && (cx.concept.is_some() || label == Some(Label::Trap))
            || is_question_section(&title.text)
        {
            let t = Target {
                label: label.filter(|_| !is_question_section(&title.text)),
                level,
                traps: label == Some(Label::Trap) && real_children.is_empty(),
                ..cx
            };
            self.body(n.body.clone(), t, category, rel);
            for &c in &n.children {
                self.node(nodes, c, Target { level, ..cx }, category, min_level);
            }
            return;
        }
        let defs = self.blocks[n.body.clone()]
            .iter()
            .filter(|b| {
                matches!(b.kind, Kind::Item { .. }) && inline::definition_item(&b.text).is_some()
            })
            .count();
        let paras = self.blocks[n.body.clone()]
            .iter()
            .filter(|b| b.kind == Kind::Para)
            .count();
        let glossary = defs >= 2 && paras <= 1;
        if !real_children.is_empty() || glossary {
            // A group: its own category; its own text is a concept when it is more than a
            // one-line summary.
            let cat = self.d.category(&title.text);
            let own = self.blocks[n.body.clone()]
                .iter()
                .filter(|b| {
                    b.kind == Kind::Para
                        || b.kind == Kind::Code { lang: None }
                        || matches!(b.kind, Kind::Code { .. })
                })
                .count();
            let concept = if glossary || own == 0 {
                if let Some(first) = self.blocks[n.body.clone()]
                    .iter()
                    .find(|b| b.kind == Kind::Para)
                {
                    self.d.categories[cat]
                        .summary
                        .get_or_insert_with(|| first.text.clone());
                }
                None
            } else {
                let c = self.d.concept(title, self.note, n.line, cat, rel);
                self.last_concept = Some(c);
                Some(c)
            };
            let t = Target {
                concept,
                label: None,
                level,
                traps: false,
            };
            if glossary {
                let body: Vec<usize> = n
                    .body
                    .clone()
                    .filter(|&i| self.blocks[i].kind != Kind::Para)
                    .collect();
                for i in body {
                    self.body(i..i + 1, t, Some(cat), rel);
                }
            } else {
                self.body(n.body.clone(), t, Some(cat), rel);
            }
            for &c in &n.children {
                self.node(nodes, c, t, Some(cat), min_level);
            }
            return;
        }
        let cat = match category {
            Some(c) => c,
            None => self.default_category(),
        };
        let c = self.d.concept(title, self.note, n.line, cat, rel);
        self.last_concept = Some(c);
        let t = Target {
            concept: Some(c),
            label: None,
            level,
            traps: false,
        };
        self.body(n.body.clone(), t, Some(cat), rel);
        for &ch in &n.children {
            self.node(nodes, ch, t, Some(cat), min_level);
        }
    }

    fn question_section(&mut self, n: &Node, question: &str, cx: Target, level: Difficulty) {
        let mut answer = Vec::new();
        let mut code = None;
        for b in &self.blocks[n.body.clone()] {
            match &b.kind {
                Kind::Code { lang } if code.is_none() => {
                    code = Some((b.text.clone(), lang.clone()));
                }
                Kind::Para | Kind::Item { .. } => answer.push(b.text.clone()),
                _ => {}
            }
        }
        if answer.is_empty() {
            self.warn(
                n.line,
                format!(
                    "question \"{}\" has no answer under it; skipped",
                    clip(question)
                ),
            );
            return;
        }
        self.d.questions.push(DQuestion {
            question: question.to_string(),
            answer: answer.join("\n\n"),
            concept: cx.concept,
            level,
            code,
            note: self.note,
            line: n.line,
        });
    }

    /// Routes the blocks of a body to their concept, questions and traps.
    fn body(&mut self, range: std::ops::Range<usize>, t: Target, category: Option<usize>, rel: u8) {
        let blocks = self.blocks;
        let mut i = range.start;
        while i < range.end {
            let b = &blocks[i];
            // `Q:` in one paragraph, `A:` in the next.
            if b.kind == Kind::Para
                && inline::qa_prefix(&b.text, &["q:", "question:"]).is_some()
                && inline::cards(&b.text).is_empty()
                && i + 1 < range.end
                && inline::qa_prefix(&self.blocks[i + 1].text, &["a:", "answer:"]).is_some()
            {
                let joined = format!("{}\n{}", b.text, self.blocks[i + 1].text);
                self.cards(&joined, b.line, t);
                i += 2;
                continue;
            }
            self.block(b, t, category, rel);
            i += 1;
        }
    }

    fn cards(&mut self, text: &str, line: usize, t: Target) -> bool {
        let cards = inline::cards(text);
        for c in &cards {
            if c.question.trim().is_empty() || c.answer.trim().is_empty() {
                continue;
            }
            self.d.questions.push(DQuestion {
                question: c.question.clone(),
                answer: c.answer.clone(),
                concept: t.concept,
                level: t.level,
                code: None,
                note: self.note,
                line: line + c.line,
            });
        }
        !cards.is_empty()
    }

    fn block(&mut self, b: &Block, t: Target, category: Option<usize>, rel: u8) {
        if let Some(c) = t.concept {
            self.d.concepts[c].links.extend(b.links.iter().cloned());
        }
        match &b.kind {
            Kind::Heading(_) => {}
            Kind::Code { lang } => {
                if let Some(l) = lang {
                    *self.d.languages.entry(l.clone()).or_default() += 1;
                }
                let Some(c) = t.concept else {
                    self.warn(b.line, "a code block outside any concept; skipped");
                    return;
                };
                let concept = &mut self.d.concepts[c];
                match &mut concept.code {
                    None => concept.code = Some((b.text.clone(), lang.clone())),
                    Some((code, l)) if l == lang => {
                        code.push_str("\n\n");
                        code.push_str(&b.text);
                    }
                    Some(_) => {
                        let title = concept.title.clone();
                        self.warn(b.line, format!("a second code block in another language in \"{}\"; kept in its deep text", clip(&title)));
                        self.d.concepts[c].deep.push(b.text.clone());
                    }
                }
            }
            Kind::Table { header, rows } => self.table(b.line, header, rows, t),
            Kind::Item { .. } if t.traps => self.trap_line(&b.text, b.line, t),
            Kind::Para if t.traps && inline::cards(&b.text).is_empty() => {
                self.trap_line(&b.text, b.line, t)
            }
            Kind::Item { .. } => {
                if self.cards(&b.text, b.line, t) {
                    return;
                }
                if t.concept.is_none()
                    && let Some((term, def)) = inline::definition_item(&b.text)
                {
                    let cat = match category {
                        Some(c) => c,
                        None => self.default_category(),
                    };
                    let c = self.d.concept(
                        inline::clean_title(&term),
                        self.note,
                        b.line,
                        cat,
                        (rel + 1).min(2),
                    );
                    let (def, tags) = inline::take_tags(&def);
                    self.d.concepts[c].tags.extend(tags);
                    self.d.concepts[c].definition = Some(def.clone());
                    self.d.concepts[c].paras.push(def);
                    return;
                }
                self.text(&b.text, b.line, t);
            }
            Kind::Para => {
                if self.cards(&b.text, b.line, t) {
                    return;
                }
                self.text(&b.text, b.line, t);
            }
        }
    }

    /// A paragraph of concept text (or topic intro when there is no concept).
    fn text(&mut self, raw: &str, line: usize, t: Target) {
        if let Some(tags) = inline::emoji_tags(raw) {
            if let Some(c) = t.concept {
                self.d.concepts[c]
                    .tags
                    .extend(tags.into_iter().map(|s| s.to_lowercase()));
            }
            return;
        }
        let (mut text, tags) = inline::take_tags(raw);
        if let Some((prompt, answers, full)) = inline::cloze(&text) {
            self.d.questions.push(DQuestion {
                question: prompt,
                answer: answers.join("; "),
                concept: t.concept,
                level: t.level,
                code: None,
                note: self.note,
                line,
            });
            text = full;
        }
        let Some(c) = t.concept else {
            if !text.trim().is_empty() && self.d.intro.len() < 64 {
                self.d.intro.push(text);
            }
            return;
        };
        let concept = &mut self.d.concepts[c];
        concept.markers += inline::tag_markers(&tags);
        if let Some(tier) = inline::tier_tag(&tags) {
            concept.tier_tag = Some(concept.tier_tag.map_or(tier, |x| x.min(tier)));
        }
        concept.tags.extend(
            tags.into_iter()
                .filter(|t| !inline::TIER_TAGS.contains(&t.as_str())),
        );
        if text.trim().is_empty() {
            return;
        }
        let (label, body) = match inline::label(&text) {
            Some((l, rest)) => (Some(l), rest.to_string()),
            None => (t.label, text.clone()),
        };
        match label {
            Some(Label::Anchor) => {
                if concept.anchor.is_none() {
                    concept.anchor = Some(body);
                } else {
                    concept.paras.push(body);
                }
            }
            Some(Label::Why) => concept.why.push(body),
            Some(Label::Deep) => concept.deep.push(body),
            Some(Label::Interview) => concept.interview.push(body),
            Some(Label::Trap) => concept.trap.push(body),
            Some(Label::Important) => {
                concept.markers += 1;
                concept.paras.push(body);
            }
            None => concept.paras.push(body),
        }
    }

    /// A table of mistakes (trap/wrong and fix/right columns) makes traps; any other table
    /// is kept as rows of deep text.
    fn table(&mut self, line: usize, header: &[String], rows: &[Vec<String>], t: Target) {
        let find = |words: &[&str]| {
            header.iter().position(|h| {
                let h = h.to_lowercase();
                words.iter().any(|w| h.contains(w))
            })
        };
        let trap_col = find(&[
            "trap",
            "gotcha",
            "mistake",
            "pitfall",
            "wrong",
            "don't",
            "avoid",
            "bad",
            "anti-pattern",
            "bug",
            "problem",
        ]);
        let fix_col = find(&[
            "fix", "right", "correct", "instead", "solution", "do ", "good", "better", "remedy",
        ]);
        let what_col = find(&[
            "what happens",
            "why",
            "effect",
            "symptom",
            "result",
            "consequence",
        ]);
        if let (Some(tc), Some(fc)) = (trap_col, fix_col)
            && tc != fc
        {
            for (k, row) in rows.iter().enumerate() {
                let cell = |i: usize| row.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
                let title = cell(tc);
                let what = what_col
                    .filter(|&w| w != tc && w != fc)
                    .map(cell)
                    .filter(|s| !s.is_empty());
                let what = match what {
                    Some(w) => format!("{title}: {w}"),
                    None => title.clone(),
                };
                let fix = cell(fc);
                if title.is_empty() || fix.is_empty() {
                    self.warn(
                        line + 2 + k,
                        "a trap row without both a mistake and a fix; skipped",
                    );
                    continue;
                }
                self.d.traps.push(DTrap {
                    title,
                    what,
                    fix,
                    concept: t.concept,
                    note: self.note,
                    line: line + 2 + k,
                });
            }
            return;
        }
        let Some(c) = t.concept else {
            self.warn(
                line,
                "a table outside any concept (and not of traps); skipped",
            );
            return;
        };
        let mut text = vec![header.join(" · ")];
        text.extend(rows.iter().map(|r| r.join(" · ")));
        self.d.concepts[c].deep.push(text.join("\n"));
    }

    /// A trap written as one line: `mistake → fix`, `mistake — fix`, or `mistake. Fix: ...`.
    fn trap_line(&mut self, text: &str, line: usize, t: Target) {
        let (text, _) = inline::take_tags(text);
        let lower = text.to_lowercase();
        let split = ["→", "->", " — ", " – ", "=>"]
            .iter()
            .find_map(|s| {
                text.split_once(s)
                    .map(|(a, b)| (a.to_string(), b.to_string()))
            })
            .or_else(|| {
                lower
                    .find("fix:")
                    .map(|i| (text[..i].to_string(), text[i + 4..].to_string()))
            });
        match split {
            Some((what, fix)) if !what.trim().is_empty() && !fix.trim().is_empty() => {
                let what = what.trim().trim_end_matches(['.', ':']).to_string();
                self.d.traps.push(DTrap {
                    title: what.clone(),
                    what,
                    fix: fix.trim().to_string(),
                    concept: t.concept,
                    note: self.note,
                    line,
                });
            }
            _ => self.warn(
                line,
                format!(
                    "trap \"{}\" has no fix; write it as `mistake → fix`; skipped",
                    clip(&text)
                ),
            ),
        }
    }
}

/// Text quoted in a warning: 60 characters at most.
pub fn clip(s: &str) -> String {
    memseed_core::pack::text::clip(&s.replace('\n', " "), 60)
}
