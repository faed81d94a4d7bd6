//! The canonical plain-text layout of a card: the one place that decides what a kept item
//! looks like at each level. Sizes are measured by writing this text, so a reported size is
//! the byte length of the printed card by construction.

use std::fmt::Write;

use crate::pack::{Pack, Tier, text};
use crate::value;

/// A card section, in display order. Each has a fixed heading, paid once when it has items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    WhatItIs,
    WhyItExists,
    WhenToUse,
    WhereItFails,
    Seeds,
    Traps,
    Interview,
    Practice,
}

impl Section {
    /// Every section, in the order they appear on a card.
    pub const ALL: [Section; 8] = [
        Section::WhatItIs,
        Section::WhyItExists,
        Section::WhenToUse,
        Section::WhereItFails,
        Section::Seeds,
        Section::Traps,
        Section::Interview,
        Section::Practice,
    ];

    /// The fixed heading printed above the section.
    pub fn heading(self) -> &'static str {
        match self {
            Section::WhatItIs => "What it is",
            Section::WhyItExists => "Why it exists",
            Section::WhenToUse => "When to use",
            Section::WhereItFails => "Where it fails",
            Section::Seeds => "Seeds",
            Section::Traps => "Top traps",
            Section::Interview => "Interview answers",
            Section::Practice => "Practice",
        }
    }

    /// Stable id used in JSON and the selection model.
    pub fn id(self) -> &'static str {
        match self {
            Section::WhatItIs => "what",
            Section::WhyItExists => "why",
            Section::WhenToUse => "when",
            Section::WhereItFails => "fails",
            Section::Seeds => "seeds",
            Section::Traps => "traps",
            Section::Interview => "interview",
            Section::Practice => "practice",
        }
    }

    /// Position in [`Section::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }
}

/// One thing a card can keep, at one of its levels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemRef {
    WhatItIs,
    WhyItExists,
    WhenToUse,
    WhereItFails,
    /// Index into [`Pack::concepts`].
    Concept(usize),
    /// The interview answer of a concept (index into [`Pack::concepts`]), printed in the
    /// concept's entry; kept only with the concept's anchor.
    Answer(usize),
    /// Index into [`Pack::traps`].
    Trap(usize),
    /// Index into [`Pack::questions`].
    Question(usize),
    /// Index into [`Pack::practice`].
    Practice(usize),
}

impl ItemRef {
    /// The section the item is printed in.
    pub fn section(self) -> Section {
        match self {
            ItemRef::WhatItIs => Section::WhatItIs,
            ItemRef::WhyItExists => Section::WhyItExists,
            ItemRef::WhenToUse => Section::WhenToUse,
            ItemRef::WhereItFails => Section::WhereItFails,
            ItemRef::Concept(_) | ItemRef::Answer(_) => Section::Seeds,
            ItemRef::Trap(_) => Section::Traps,
            ItemRef::Question(_) => Section::Interview,
            ItemRef::Practice(_) => Section::Practice,
        }
    }

    /// The kind, as named in JSON.
    pub fn kind(self) -> &'static str {
        match self {
            ItemRef::WhatItIs
            | ItemRef::WhyItExists
            | ItemRef::WhenToUse
            | ItemRef::WhereItFails => "topic",
            ItemRef::Concept(_) => "concept",
            ItemRef::Answer(_) => "answer",
            ItemRef::Trap(_) => "trap",
            ItemRef::Question(_) => "question",
            ItemRef::Practice(_) => "practice",
        }
    }

    /// The item's id in the pack (`gil`), or the section id for topic fields (`what`).
    pub fn id(self, pack: &Pack) -> &str {
        match self {
            ItemRef::Concept(i) | ItemRef::Answer(i) => &pack.concepts[i].id,
            ItemRef::Trap(i) => &pack.traps[i].id,
            ItemRef::Question(i) => &pack.questions[i].id,
            ItemRef::Practice(i) => &pack.practice[i].id,
            other => other.section().id(),
        }
    }

    /// A unique key across kinds: `concept:gil`, `topic:what`.
    pub fn key(self, pack: &Pack) -> String {
        format!("{}:{}", self.kind(), self.id(pack))
    }

    /// Importance tier, for the items that have one.
    pub fn tier(self, pack: &Pack) -> Option<Tier> {
        match self {
            ItemRef::Concept(i) | ItemRef::Answer(i) => Some(pack.concepts[i].tier),
            ItemRef::Trap(i) => Some(pack.traps[i].tier),
            ItemRef::Question(i) => Some(pack.questions[i].tier),
            ItemRef::Practice(i) => Some(pack.practice[i].tier),
            _ => None,
        }
    }

    /// Weight in the value model.
    pub fn weight(self, pack: &Pack) -> f64 {
        match self {
            ItemRef::WhatItIs => value::WHAT_IT_IS_WEIGHT,
            ItemRef::WhyItExists | ItemRef::WhenToUse | ItemRef::WhereItFails => {
                value::CONTEXT_WEIGHT
            }
            other => value::tier_weight(other.tier(pack).unwrap_or(Tier::Medium)),
        }
    }

    /// Share of the weight earned at a level (1-based, as in [`ItemRef::levels`]).
    pub fn share(self, level: u8) -> f64 {
        let l = usize::from(level.max(1)) - 1;
        match self {
            ItemRef::WhatItIs if level == 1 => value::ORIENTATION_SHARE,
            ItemRef::Concept(_) => value::CONCEPT_LEVEL_SHARE[l],
            ItemRef::Answer(_) => value::ANSWER_SHARE,
            ItemRef::Trap(_) => value::TRAP_LEVEL_SHARE[l],
            ItemRef::Question(_) => value::QUESTION_LEVEL_SHARE[l],
            ItemRef::Practice(_) => value::PRACTICE_SHARE,
            _ => 1.0,
        }
    }

    /// The levels this item has, ascending. A level whose content is absent from the pack
    /// is skipped (a concept without an anchor has no level 2).
    ///
    /// - "What it is": 1 the orientation line (its first sentence), 2 the whole paragraph;
    ///   only 2 when the paragraph is one short sentence.
    /// - A concept: 1 its title alone, in the card's compact checklist; 2 + anchor; 3 + basic
    ///   and expected; 4 + deep, code and trap. Critical and high concepts have no level 1:
    ///   they come with their anchor or not at all.
    /// - A concept's answer: 1.
    pub fn levels(self, pack: &Pack) -> Vec<u8> {
        match self {
            ItemRef::WhatItIs => {
                if orientation(pack) == pack.topic.what_it_is {
                    vec![2]
                } else {
                    vec![1, 2]
                }
            }
            ItemRef::Concept(i) => {
                let c = &pack.concepts[i];
                let mut v = Vec::with_capacity(4);
                if c.anchor.is_none() || c.tier > Tier::High {
                    v.push(1);
                }
                if c.anchor.is_some() {
                    v.push(2);
                }
                if c.basic.is_some() || c.expected.is_some() {
                    v.push(3);
                }
                if c.deep.is_some() || c.snippet.code.is_some() || c.trap.is_some() {
                    v.push(4);
                }
                v
            }
            ItemRef::Answer(i) => {
                if pack.concepts[i].interview.is_some() {
                    vec![1]
                } else {
                    vec![]
                }
            }
            ItemRef::Trap(i) => {
                if pack.traps[i].snippet.code.is_some() {
                    vec![1, 2, 3]
                } else {
                    vec![1, 2]
                }
            }
            ItemRef::Question(i) => {
                if pack.questions[i].detailed.is_some() {
                    vec![1, 2]
                } else {
                    vec![1]
                }
            }
            ItemRef::WhyItExists if pack.topic.why_it_exists.is_none() => vec![],
            ItemRef::WhenToUse if pack.topic.when_to_use.is_empty() => vec![],
            ItemRef::WhereItFails if pack.topic.where_it_fails.is_empty() => vec![],
            _ => vec![1],
        }
    }
}

/// The topic's orientation line: the first sentence of "What it is", cut at a word boundary
/// to [`value::ORIENTATION_MAX_BYTES`]. Small cards print it alone.
pub fn orientation(pack: &Pack) -> String {
    text::cut_at_word(
        text::first_sentence(&pack.topic.what_it_is),
        value::ORIENTATION_MAX_BYTES,
    )
}

/// Every item of a pack that can appear on a card, in card order: by section, and within a
/// section by tier and then pack order. Items with no levels are left out.
pub fn items(pack: &Pack) -> Vec<ItemRef> {
    let mut out = vec![
        ItemRef::WhatItIs,
        ItemRef::WhyItExists,
        ItemRef::WhenToUse,
        ItemRef::WhereItFails,
    ];
    out.retain(|i| !i.levels(pack).is_empty());
    let by_tier = |n: usize, tier: &dyn Fn(usize) -> Tier| {
        let mut idx: Vec<usize> = (0..n).collect();
        idx.sort_by_key(|&i| (tier(i), i));
        idx
    };
    let concepts = by_tier(pack.concepts.len(), &|i| pack.concepts[i].tier);
    out.extend(concepts.iter().map(|&i| ItemRef::Concept(i)));
    out.extend(
        concepts
            .iter()
            .filter(|&&i| pack.concepts[i].interview.is_some())
            .map(|&i| ItemRef::Answer(i)),
    );
    out.extend(
        by_tier(pack.traps.len(), &|i| pack.traps[i].tier)
            .into_iter()
            .map(ItemRef::Trap),
    );
    out.extend(
        by_tier(pack.questions.len(), &|i| pack.questions[i].tier)
            .into_iter()
            .map(ItemRef::Question),
    );
    out.extend((0..pack.practice.len()).map(ItemRef::Practice));
    out
}

/// The title line, printed on every card.
pub fn write_title(out: &mut String, pack: &Pack) {
    out.push_str(&pack.topic.title);
    out.push('\n');
}

/// A section heading, preceded by the blank line that separates it from what is above.
pub fn write_heading(out: &mut String, section: Section) {
    out.push('\n');
    out.push_str(section.heading());
    out.push('\n');
}

/// Writes one item at one level: the whole entry, every line ending in `\n`.
///
/// A concept at level 1 is one entry of the checklist line, `· Title` plus the separator
/// that follows it; [`write_checklist`] joins the entries into one line of the same length.
/// A concept's answer is written inside the concept's entry by [`write_concept`]; written
/// alone it is that one paragraph.
pub fn write_item(out: &mut String, pack: &Pack, item: ItemRef, level: u8) {
    match item {
        ItemRef::WhatItIs => {
            if level >= 2 {
                paragraphs(out, "", &pack.topic.what_it_is, "");
            } else {
                out.push_str(&orientation(pack));
                out.push('\n');
            }
        }
        ItemRef::WhyItExists => {
            paragraphs(
                out,
                "",
                pack.topic.why_it_exists.as_deref().unwrap_or(""),
                "",
            );
        }
        ItemRef::WhenToUse => bullets(out, &pack.topic.when_to_use),
        ItemRef::WhereItFails => bullets(out, &pack.topic.where_it_fails),
        ItemRef::Concept(i) if level == 1 => write_checklist(out, &[&pack.concepts[i].title]),
        ItemRef::Concept(i) => write_concept(out, pack, i, level, false),
        ItemRef::Answer(i) => write_answer(out, pack, i),
        ItemRef::Trap(i) => {
            let t = &pack.traps[i];
            paragraphs(out, "- ", &t.what, "  ");
            if level >= 2 {
                paragraphs(out, "  Fix: ", &t.fix, "  ");
            }
            if level >= 3
                && let Some(code) = &t.snippet.code
            {
                code_block(out, code);
            }
        }
        ItemRef::Question(i) => {
            let q = &pack.questions[i];
            paragraphs(out, "Q: ", &q.question, "   ");
            paragraphs(out, "A: ", &q.short, "   ");
            if level >= 2
                && let Some(d) = &q.detailed
            {
                paragraphs(out, "   ", d, "   ");
            }
        }
        ItemRef::Practice(i) => {
            let p = &pack.practice[i];
            paragraphs(out, "Q: ", &p.question, "   ");
            for line in p.snippet.code().lines() {
                indented(out, "    ", line);
            }
            paragraphs(out, "A: ", &p.answer, "   ");
        }
    }
}

/// A concept's entry at level 2 or more (`Title — anchor`, then its depth), with its
/// interview answer last when `answer` is true, so the answer's text follows the entry's as
/// one span. Level 1 is a checklist entry, not an entry.
pub fn write_concept(out: &mut String, pack: &Pack, i: usize, level: u8, answer: bool) {
    let c = &pack.concepts[i];
    out.push_str(&c.title);
    if level >= 2
        && let Some(anchor) = &c.anchor
    {
        out.push_str(" \u{2014} ");
        out.push_str(anchor);
    }
    out.push('\n');
    if level >= 3 {
        for text in [&c.basic, &c.expected].into_iter().flatten() {
            paragraphs(out, "  ", text, "  ");
        }
    }
    if level >= 4 {
        if let Some(deep) = &c.deep {
            paragraphs(out, "  Internals: ", deep, "  ");
        }
        if let Some(code) = &c.snippet.code {
            code_block(out, code);
        }
        if let Some(trap) = &c.trap {
            paragraphs(out, "  Trap: ", trap, "  ");
        }
    }
    if answer {
        write_answer(out, pack, i);
    }
}

fn write_answer(out: &mut String, pack: &Pack, i: usize) {
    if let Some(answer) = &pack.concepts[i].interview {
        paragraphs(out, "  Interview: ", answer, "  ");
    }
}

/// The checklist: the titles of concepts kept without their anchor, on one line,
/// `· A · B · C`. Each entry costs its title plus four bytes (`· ` before it, and a space
/// or the final line break after it), so the line's length is the sum of its entries'.
pub fn write_checklist(out: &mut String, titles: &[&str]) {
    for (k, t) in titles.iter().enumerate() {
        out.push_str(if k == 0 { "\u{b7} " } else { " \u{b7} " });
        out.push_str(t);
    }
    if !titles.is_empty() {
        out.push('\n');
    }
}

/// The Seeds section of a card, arranged: concept entries with their answers, answers
/// whose concept has no entry (possible only when the rules are switched off), then the
/// checklist of titles kept alone. Every renderer lays the section out from this.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seeds {
    /// `(concept, card level, answer kept)`, in card order.
    pub entries: Vec<(usize, u8, bool)>,
    /// Concepts whose answer is kept without their entry.
    pub orphan_answers: Vec<usize>,
    /// Concepts kept as a title alone, in card order.
    pub checklist: Vec<usize>,
}

impl Seeds {
    /// Arranges the kept items of one card (in card order) into its Seeds section.
    pub fn arrange(kept: &[(ItemRef, u8)]) -> Seeds {
        let answers: Vec<usize> = kept
            .iter()
            .filter_map(|(r, _)| match *r {
                ItemRef::Answer(c) => Some(c),
                _ => None,
            })
            .collect();
        let mut seeds = Seeds::default();
        for &(r, level) in kept {
            if let ItemRef::Concept(c) = r {
                if level == 1 {
                    seeds.checklist.push(c);
                } else {
                    seeds.entries.push((c, level, answers.contains(&c)));
                }
            }
        }
        seeds.orphan_answers = answers
            .into_iter()
            .filter(|c| !seeds.entries.iter().any(|e| e.0 == *c))
            .collect();
        seeds
    }

    /// The section's items in the order their text appears: each entry's concept then its
    /// answer, the answers without an entry, then the checklist's concepts (each title plus
    /// its separator is one span of the line).
    pub fn in_text_order(&self) -> Vec<(ItemRef, u8)> {
        let mut out = Vec::new();
        for &(c, level, answer) in &self.entries {
            out.push((ItemRef::Concept(c), level));
            if answer {
                out.push((ItemRef::Answer(c), 1));
            }
        }
        out.extend(self.orphan_answers.iter().map(|&c| (ItemRef::Answer(c), 1)));
        out.extend(self.checklist.iter().map(|&c| (ItemRef::Concept(c), 1)));
        out
    }

    /// Whether the section has anything to show.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.orphan_answers.is_empty() && self.checklist.is_empty()
    }

    /// Writes the section's body (no heading) in the canonical plain-text layout.
    pub fn write(&self, out: &mut String, pack: &Pack) {
        for &(c, level, answer) in &self.entries {
            write_concept(out, pack, c, level, answer);
        }
        for &c in &self.orphan_answers {
            write_answer(out, pack, c);
        }
        let titles: Vec<&str> = self
            .checklist
            .iter()
            .map(|&c| pack.concepts[c].title.as_str())
            .collect();
        write_checklist(out, &titles);
    }
}

/// The byte length of an item's entry at a level.
pub fn item_bytes(scratch: &mut String, pack: &Pack, item: ItemRef, level: u8) -> usize {
    scratch.clear();
    write_item(scratch, pack, item, level);
    scratch.len()
}

/// Writes normalised prose (one paragraph per line): the first paragraph after `first`, the
/// others after `rest`.
fn paragraphs(out: &mut String, first: &str, text: &str, rest: &str) {
    for (i, p) in text.split('\n').enumerate() {
        out.push_str(if i == 0 { first } else { rest });
        out.push_str(p);
        out.push('\n');
    }
}

fn bullets(out: &mut String, lines: &[String]) {
    for l in lines {
        let _ = writeln!(out, "- {l}");
    }
}

fn code_block(out: &mut String, code: &str) {
    out.push_str("  Example:\n");
    for line in code.lines() {
        indented(out, "    ", line);
    }
}

/// A line with an indent, leaving empty lines empty so no line ends in spaces.
fn indented(out: &mut String, indent: &str, line: &str) {
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(line);
    }
    out.push('\n');
}
