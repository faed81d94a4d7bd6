//! The card's JSON report (what `--format json` prints and the web API serves), "what you
//! lose", and the selection model export for the exact solver.

use serde::Serialize;
use serde_json::json;

use super::Card;
use super::layout::{self, ItemRef, Section};
use crate::budget;
use crate::pack::{Pack, Tier};

/// Counts per tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TierCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl TierCounts {
    fn add(&mut self, tier: Tier) {
        match tier {
            Tier::Critical => self.critical += 1,
            Tier::High => self.high += 1,
            Tier::Medium => self.medium += 1,
            Tier::Low => self.low += 1,
        }
    }

    /// Count for one tier.
    pub fn get(&self, tier: Tier) -> usize {
        match tier {
            Tier::Critical => self.critical,
            Tier::High => self.high,
            Tier::Medium => self.medium,
            Tier::Low => self.low,
        }
    }

    /// Sum over tiers.
    pub fn total(&self) -> usize {
        self.critical + self.high + self.medium + self.low
    }
}

/// One section of the card with its own size.
#[derive(Clone, Debug, Serialize)]
pub struct SectionReport {
    /// `title`, `what`, `seeds`, `traps`, ...
    pub id: &'static str,
    pub heading: &'static str,
    /// Bytes of the section in the text, heading included. Sections add up to the card.
    pub bytes: u64,
    pub size: String,
    pub count: usize,
    pub by_tier: TierCounts,
    /// The label the UI shows, e.g. `Seeds · 9 critical`.
    pub label: String,
}

/// One kept item.
#[derive(Clone, Debug, Serialize)]
pub struct KeptItem {
    pub key: String,
    pub id: String,
    pub kind: &'static str,
    pub section: &'static str,
    pub tier: Option<Tier>,
    /// Card level kept (1 title, 2 anchor, 3 explanation, 4 deep; traps: 1 line, 2 fix,
    /// 3 code; questions: 1 short answer, 2 detailed).
    pub level: u8,
    pub max_level: u8,
    pub title: String,
    pub bytes: u64,
}

/// What did not survive.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Lost {
    /// Concepts not on the card at all.
    pub concepts: TierCounts,
    /// Concepts on the card by title alone (the checklist), without their anchor.
    pub titles_only: TierCounts,
    /// Of the concepts not shown with their anchor, how many a kept anchor lets you
    /// re-derive.
    pub rederivable: usize,
    /// Concepts shown without their explanation (basic and expected).
    pub explanations: usize,
    /// Concepts shown without their internals (deep, code, trap).
    pub deep_dives: usize,
    pub traps: usize,
    /// Interview answers not kept: concepts' answers and interview questions.
    pub interview_answers: usize,
    /// Kept interview questions without their detailed answer.
    pub detailed_answers: usize,
    pub practice: usize,
    /// "Why it exists", "When to use", "Where it fails" not kept, and the rest of "What it
    /// is" when only its orientation line is.
    pub context: usize,
    /// The line the UI shows.
    pub summary: String,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub topic: String,
    pub title: String,
    pub budget: u64,
    pub bytes: u64,
    /// `"2.20 KB"`.
    pub size: String,
    /// `"2,257 bytes"`.
    pub size_exact: String,
    pub kb: f64,
    pub full_bytes: u64,
    pub min_bytes: u64,
    pub value: f64,
    pub full_value: f64,
    pub value_share: f64,
    pub sections: Vec<SectionReport>,
    pub kept: Vec<KeptItem>,
    pub lost: Lost,
    pub text: String,
}

pub(super) fn build(card: &Card<'_>) -> Report {
    let pack = card.pack;
    let mut scratch = String::new();
    let mut sections: Vec<SectionReport> = Vec::new();
    let mut title = String::new();
    layout::write_title(&mut title, pack);
    sections.push(SectionReport {
        id: "title",
        heading: "",
        bytes: title.len() as u64,
        size: budget::human(title.len() as u64),
        count: 1,
        by_tier: TierCounts::default(),
        label: pack.topic.title.clone(),
    });
    let mut kept = Vec::new();
    for (item, level) in card.kept_in_text_order() {
        let bytes = layout::item_bytes(&mut scratch, pack, item, level) as u64;
        let section = item.section();
        if sections.last().is_none_or(|s| s.id != section.id()) {
            let mut h = String::new();
            layout::write_heading(&mut h, section);
            sections.push(SectionReport {
                id: section.id(),
                heading: section.heading(),
                bytes: h.len() as u64,
                size: String::new(),
                count: 0,
                by_tier: TierCounts::default(),
                label: String::new(),
            });
        }
        let s = sections.last_mut().expect("just pushed");
        s.bytes += bytes;
        s.count += count_of(pack, item, level);
        if counted(item, level)
            && let Some(t) = item.tier(pack)
        {
            s.by_tier.add(t);
        }
        kept.push(KeptItem {
            key: item.key(pack),
            id: item.id(pack).to_string(),
            kind: item.kind(),
            section: section.id(),
            tier: item.tier(pack),
            level,
            max_level: *item.levels(pack).last().unwrap_or(&0),
            title: item_title(pack, item),
            bytes,
        });
    }
    for s in sections.iter_mut().skip(1) {
        s.size = budget::human(s.bytes);
        s.label = section_label(s);
    }
    let bytes = card.selection.bytes;
    let full_value = card.compressor.full_value();
    Report {
        topic: pack.topic.id.clone(),
        title: pack.topic.title.clone(),
        budget: card.selection.budget,
        bytes,
        size: budget::human(bytes),
        size_exact: budget::exact(bytes),
        kb: bytes as f64 / 1024.0,
        full_bytes: card.compressor.full_bytes(),
        min_bytes: card.compressor.min_bytes(),
        value: card.selection.value,
        full_value,
        value_share: if full_value > 0.0 {
            card.selection.value / full_value
        } else {
            1.0
        },
        sections,
        kept,
        lost: lost(card),
        text: card.text(),
    }
}

/// Whether a kept item counts in its section's count: a seeds section counts its concepts
/// with an entry; answers and checklist titles are parts of it, not seeds.
fn counted(item: ItemRef, level: u8) -> bool {
    match item {
        ItemRef::Concept(_) => level >= 2,
        ItemRef::Answer(_) => false,
        _ => true,
    }
}

/// What a kept item adds to its section's count: the lines of "When to use" and "Where it
/// fails" (one item each, a bullet a line), one for any other counted item.
fn count_of(pack: &Pack, item: ItemRef, level: u8) -> usize {
    match item {
        ItemRef::WhenToUse => pack.topic.when_to_use.len(),
        ItemRef::WhereItFails => pack.topic.where_it_fails.len(),
        _ => usize::from(counted(item, level)),
    }
}

/// Each kept section's id and label (`Seeds · 9 critical`), without measuring any text.
pub(super) fn labels(card: &Card<'_>) -> Vec<(&'static str, String)> {
    let mut sections: Vec<SectionReport> = Vec::new();
    for (item, level) in card.kept() {
        let section = item.section();
        if sections.last().is_none_or(|s| s.id != section.id()) {
            sections.push(SectionReport {
                id: section.id(),
                heading: section.heading(),
                bytes: 0,
                size: String::new(),
                count: 0,
                by_tier: TierCounts::default(),
                label: String::new(),
            });
        }
        let s = sections.last_mut().expect("just pushed");
        s.count += count_of(card.pack, item, level);
        if counted(item, level)
            && let Some(t) = item.tier(card.pack)
        {
            s.by_tier.add(t);
        }
    }
    sections.iter().map(|s| (s.id, section_label(s))).collect()
}

/// A short human label for an item.
fn item_title(pack: &Pack, item: ItemRef) -> String {
    match item {
        ItemRef::Concept(i) | ItemRef::Answer(i) => pack.concepts[i].title.clone(),
        ItemRef::Trap(i) => pack.traps[i].title.clone(),
        ItemRef::Question(i) => pack.questions[i].question.clone(),
        ItemRef::Practice(i) => pack.practice[i].question.clone(),
        other => other.section().heading().to_string(),
    }
}

/// `Seeds · 9 critical`, `Seeds · 9 critical, 4 high`, `Top traps · 3`.
fn section_label(s: &SectionReport) -> String {
    match s.id {
        "seeds" => {
            let parts: Vec<String> = Tier::ALL
                .iter()
                .filter(|&&t| s.by_tier.get(t) > 0)
                .map(|&t| format!("{} {}", s.by_tier.get(t), t.as_str()))
                .collect();
            if parts.is_empty() {
                s.heading.to_string()
            } else {
                format!("{} \u{b7} {}", s.heading, parts.join(", "))
            }
        }
        "traps" | "interview" | "practice" | "when" | "fails" => {
            format!("{} \u{b7} {}", s.heading, s.count)
        }
        _ => s.heading.to_string(),
    }
}

pub(super) fn lost(card: &Card<'_>) -> Lost {
    let pack = card.pack;
    let refs = card.compressor.refs();
    let levels = &card.selection.levels;
    let mut covered = vec![false; pack.concepts.len()];
    for (r, &l) in refs.iter().zip(levels) {
        if let ItemRef::Concept(c) = *r
            && l >= 2
        {
            for &d in &pack.concepts[c].derives {
                covered[d] = true;
            }
        }
    }
    let mut lost = Lost::default();
    let mut anchors_kept = false;
    for (r, &l) in refs.iter().zip(levels) {
        let item_levels = r.levels(pack);
        let top = *item_levels.last().unwrap_or(&0);
        match *r {
            ItemRef::Concept(c) => {
                let tier = pack.concepts[c].tier;
                match l {
                    0 => lost.concepts.add(tier),
                    1 => lost.titles_only.add(tier),
                    _ => {
                        anchors_kept |= l >= 2 && pack.concepts[c].anchor.is_some();
                        if item_levels.contains(&3) && l < 3 {
                            lost.explanations += 1;
                        }
                        if item_levels.contains(&4) && l < 4 {
                            lost.deep_dives += 1;
                        }
                    }
                }
                if l < 2 && covered[c] {
                    lost.rederivable += 1;
                }
            }
            ItemRef::Answer(_) | ItemRef::Question(_) if l == 0 => lost.interview_answers += 1,
            ItemRef::Question(_) if l < top => lost.detailed_answers += 1,
            ItemRef::Trap(_) if l == 0 => lost.traps += 1,
            ItemRef::Practice(_) if l == 0 => lost.practice += 1,
            ItemRef::WhyItExists | ItemRef::WhenToUse | ItemRef::WhereItFails if l == 0 => {
                lost.context += 1;
            }
            ItemRef::WhatItIs if l < top => lost.context += 1,
            _ => {}
        }
    }
    lost.summary = summary(&lost, anchors_kept);
    lost
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `14 high-importance, 38 medium concepts`: the concepts of `counts`, most important first,
/// with the noun on the last tier.
fn concept_counts(counts: &TierCounts) -> Option<String> {
    let tiers: Vec<Tier> = Tier::ALL
        .iter()
        .copied()
        .filter(|&t| counts.get(t) > 0)
        .collect();
    let noun = if counts.total() == 1 {
        "concept"
    } else {
        "concepts"
    };
    let parts: Vec<String> = tiers
        .iter()
        .enumerate()
        .map(|(k, &t)| {
            let n = counts.get(t);
            let name = if k == 0 {
                format!("{}-importance", t.as_str())
            } else {
                t.as_str().to_string()
            };
            if k + 1 == tiers.len() {
                format!("{n} {name} {noun}")
            } else {
                format!("{n} {name}")
            }
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The "What you lose" line: `14 high-importance concepts, 51 interview-ready answers · ...`.
/// It counts exactly what the card does not show: a concept listed by title alone is not
/// lost, and is counted apart.
fn summary(lost: &Lost, anchors_kept: bool) -> String {
    let mut parts = Vec::new();
    parts.extend(concept_counts(&lost.concepts));
    if lost.interview_answers > 0 {
        parts.push(plural(
            lost.interview_answers,
            "interview-ready answer",
            "interview-ready answers",
        ));
    }
    if lost.traps > 0 {
        parts.push(plural(lost.traps, "trap", "traps"));
    }
    if lost.practice > 0 {
        parts.push(plural(
            lost.practice,
            "practice question",
            "practice questions",
        ));
    }
    let titles = lost.titles_only.total();
    if parts.is_empty() && titles == 0 {
        let depth = lost.explanations + lost.deep_dives + lost.detailed_answers + lost.context;
        return if depth == 0 {
            "nothing: this card holds the whole topic".to_string()
        } else {
            format!(
                "{} of depth (explanations, internals, detailed answers)",
                plural(depth, "piece", "pieces")
            )
        };
    }
    let mut line = parts.join(", ");
    if titles > 0 {
        let anchors = plural(titles, "concept", "concepts");
        if line.is_empty() {
            line = format!("the anchors of {anchors} listed by title");
        } else {
            line.push_str(&format!("; {anchors} listed by title without anchor"));
        }
    }
    if anchors_kept {
        line.push_str(" \u{b7} re-derive from the anchors above");
    }
    line
}

pub(super) fn model_json(card: &Card<'_>) -> serde_json::Value {
    let pack = card.pack;
    let compressor = card.compressor;
    let m = compressor.model();
    let refs = compressor.refs();
    let keys: Vec<String> = refs.iter().map(|r| r.key(pack)).collect();
    let used_groups: std::collections::BTreeSet<usize> =
        m.items.iter().map(|it| it.group).collect();
    let groups: Vec<_> = used_groups
        .iter()
        .map(|&g| json!({"id": Section::ALL[g].id(), "bytes": m.group_bytes[g]}))
        .collect();
    let items: Vec<_> = m
        .items
        .iter()
        .zip(&keys)
        .map(|(it, key)| {
            let mut o = json!({
                "id": key,
                "group": Section::ALL[it.group].id(),
                "weight": it.weight,
                "levels": it.levels.iter().map(|l| json!({"bytes": l.bytes, "value": l.value})).collect::<Vec<_>>(),
            });
            if it.cover_level > 0 {
                o["covers"] = json!(it.covers.iter().map(|&c| &keys[c]).collect::<Vec<_>>());
                o["cover_level"] = json!(it.cover_level);
            }
            o
        })
        .collect();
    let model_levels = compressor.model_levels(&card.selection);
    let chosen: serde_json::Map<String, serde_json::Value> = keys
        .iter()
        .zip(&model_levels)
        .filter(|(_, l)| **l > 0)
        .map(|(k, l)| (k.clone(), json!(l)))
        .collect();
    let (bytes, value) = m.evaluate(&model_levels);
    debug_assert_eq!(bytes, card.selection.bytes);
    debug_assert!(
        m.broken(&model_levels).is_empty(),
        "the card obeys its gates"
    );
    let mut rows = std::collections::BTreeSet::new();
    for (i, it) in m.items.iter().enumerate() {
        for &(level, g) in &it.needs {
            for &(mi, ml) in &m.gates[g as usize] {
                rows.insert((i, level, mi as usize, ml));
            }
        }
    }
    let requires: Vec<_> = rows
        .into_iter()
        .map(|(i, level, mi, ml)| {
            json!({"item": keys[i], "level": level, "needs": keys[mi], "needs_level": ml})
        })
        .collect();
    json!({
        "topic": pack.topic.id,
        "budget": card.selection.budget,
        "fixed_bytes": m.fixed_bytes,
        "rho": m.rho,
        "groups": groups,
        "items": items,
        "chosen": chosen,
        "value": value,
        "bytes": bytes,
        "requires": requires,
    })
}

#[cfg(test)]
mod tests {
    use crate::select::Compressor;
    use crate::{Card, load_str};

    #[test]
    fn when_and_where_count_their_lines() {
        let src = r#"format_version = 1
[topic]
id = "t"
title = "T"
what_it_is = "A topic."
when_to_use = ["one", "two", "three", "four", "five"]
where_it_fails = ["only this"]
[[categories]]
id = "c"
title = "C"
map = "foundations"
[[concepts]]
id = "x"
title = "X"
category = "c"
tier = "critical"
anchor = "An anchor long enough to read as one."
"#;
        let (pack, _) = load_str("t.toml", src).expect("the test pack loads");
        let comp = Compressor::new(&pack);
        let card = Card::new(&pack, &comp, comp.full_bytes()).expect("the full card");
        let report = card.report();
        let label = |id: &str| {
            report
                .sections
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.label.clone())
        };
        assert_eq!(label("when").as_deref(), Some("When to use \u{b7} 5"));
        assert_eq!(label("fails").as_deref(), Some("Where it fails \u{b7} 1"));
        let labels = card.section_labels();
        assert!(labels.contains(&("when", "When to use \u{b7} 5".to_string())));
    }
}
