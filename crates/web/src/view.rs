//! Pure view models: a card's report cut into the sections and entries a page shows, and a
//! pack arranged as the learning map. No HTTP and no templates here.

use memseed_core::Pack;
use memseed_core::card::Report;
use memseed_core::pack::{Concept, MapSection, Tier};

/// URL of a topic page.
pub fn topic_url(slug: &str) -> String {
    format!("/topics/{}", path_part(slug))
}

/// URL of a concept page.
pub fn concept_url(slug: &str, id: &str) -> String {
    format!("/topics/{}/concepts/{}", path_part(slug), path_part(id))
}

/// Percent-encodes what is not safe in one path segment (ids are plain, but user packs may
/// not be).
pub fn path_part(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// One entry of a card as shown: its exact text, with the leading title linked where the
/// entry is a concept.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryView {
    /// The linked lead (a concept's title); empty when the entry has no page.
    pub lead: String,
    pub href: Option<String>,
    /// The rest of the entry's text, exactly as on the card.
    pub rest: String,
    pub kind: &'static str,
    pub tier: &'static str,
}

/// One section of a card as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct SectionView {
    pub id: &'static str,
    /// `Seeds · 9 critical`.
    pub label: String,
    /// `1.66 KB`.
    pub size: String,
    pub bytes: u64,
    pub entries: Vec<EntryView>,
}

/// A card cut into what a page shows. Concatenating the title, each section's heading
/// (`\n` + heading + `\n`) and each entry's `lead + rest` gives back the card's text.
#[derive(Clone, Debug, PartialEq)]
pub struct CardView {
    pub title: String,
    pub sections: Vec<SectionView>,
}

impl CardView {
    /// Cuts `report.text` by the byte sizes the report gives for every section and item.
    pub fn new(report: &Report, pack: &Pack) -> CardView {
        let text = report.text.as_str();
        let mut pos = 0usize;
        let mut take = |n: u64| {
            let end = (pos + n as usize).min(text.len());
            let s = text.get(pos..end).unwrap_or_default();
            pos = end;
            s
        };
        let mut sections = report.sections.iter();
        let title = sections
            .next()
            .map(|s| take(s.bytes).trim_end().to_string())
            .unwrap_or_default();
        let mut kept = report.kept.iter().peekable();
        let mut out = Vec::new();
        for s in sections {
            let items: u64 = report
                .kept
                .iter()
                .filter(|k| k.section == s.id)
                .map(|k| k.bytes)
                .sum();
            take(s.bytes.saturating_sub(items));
            let mut entries = Vec::new();
            while let Some(k) = kept.next_if(|k| k.section == s.id) {
                let body = take(k.bytes);
                let concept = (k.kind == "concept").then(|| pack.concept(&k.id)).flatten();
                let (lead, rest, href) = match concept {
                    Some(c) if body.starts_with(&c.title) => (
                        c.title.clone(),
                        body[c.title.len()..].to_string(),
                        Some(concept_url(&pack.topic.id, &c.id)),
                    ),
                    _ => (String::new(), body.to_string(), None),
                };
                entries.push(EntryView {
                    lead,
                    href,
                    rest,
                    kind: k.kind,
                    tier: k.tier.map(Tier::as_str).unwrap_or(""),
                });
            }
            out.push(SectionView {
                id: s.id,
                label: s.label.clone(),
                size: s.size.clone(),
                bytes: s.bytes,
                entries,
            });
        }
        CardView {
            title,
            sections: out,
        }
    }
}

/// A link to a concept with its tier and anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct ConceptLink {
    pub title: String,
    pub href: String,
    pub tier: &'static str,
    pub anchor: String,
}

impl ConceptLink {
    pub fn new(pack: &Pack, c: &Concept) -> ConceptLink {
        ConceptLink {
            title: c.title.clone(),
            href: concept_url(&pack.topic.id, &c.id),
            tier: c.tier.as_str(),
            anchor: c.anchor.clone().unwrap_or_default(),
        }
    }
}

/// A category on the learning map, with its concepts by importance.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryView {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub concepts: Vec<ConceptLink>,
}

/// One part of the learning map (foundations, code examples, quick reference, active
/// recall) with the categories placed on it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapPart {
    pub title: &'static str,
    pub categories: Vec<CategoryView>,
}

/// The pack's categories laid out on the learning map, concepts most important first.
pub fn learning_map(pack: &Pack) -> Vec<MapPart> {
    MapSection::ALL
        .iter()
        .map(|&m| MapPart {
            title: map_title(m),
            categories: pack
                .categories
                .iter()
                .enumerate()
                .filter(|(_, c)| c.map == m)
                .map(|(i, cat)| {
                    let mut concepts: Vec<&Concept> =
                        pack.concepts.iter().filter(|c| c.category == i).collect();
                    concepts.sort_by_key(|c| c.tier);
                    CategoryView {
                        id: cat.id.clone(),
                        title: cat.title.clone(),
                        summary: cat.summary.clone().unwrap_or_default(),
                        concepts: concepts.iter().map(|c| ConceptLink::new(pack, c)).collect(),
                    }
                })
                .collect(),
        })
        .filter(|p| !p.categories.is_empty())
        .collect()
}

fn map_title(m: MapSection) -> &'static str {
    match m {
        MapSection::Foundations => "Foundations",
        MapSection::CodeExamples => "Code examples",
        MapSection::QuickReference => "Quick reference",
        MapSection::ActiveRecall => "Active recall",
    }
}

/// Concepts this one lets you re-derive, and those that let you re-derive it.
pub fn relations<'a>(pack: &'a Pack, c: &Concept) -> (Vec<&'a Concept>, Vec<&'a Concept>) {
    let index = pack
        .concepts
        .iter()
        .position(|x| x.id == c.id)
        .unwrap_or(usize::MAX);
    let to = c.derives.iter().map(|&i| &pack.concepts[i]).collect();
    let from = pack
        .concepts
        .iter()
        .filter(|x| x.derives.contains(&index))
        .collect();
    (to, from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use memseed_core::{Card, Compressor};

    fn python() -> Pack {
        memseed_catalog::Catalog::bundled()
            .get("python")
            .expect("python is bundled")
            .pack
            .clone()
    }

    #[test]
    fn the_view_puts_the_card_text_back_together() {
        let pack = python();
        let comp = Compressor::new(&pack);
        for budget in [200, 700, 2257, 6000, 16384, 70_000] {
            let report = Card::new(&pack, &comp, budget).unwrap().report();
            let view = CardView::new(&report, &pack);
            let mut text = format!("{}\n", view.title);
            for (s, rs) in view.sections.iter().zip(report.sections.iter().skip(1)) {
                text.push('\n');
                text.push_str(rs.heading);
                text.push('\n');
                for e in &s.entries {
                    text.push_str(&e.lead);
                    text.push_str(&e.rest);
                }
            }
            assert_eq!(text, report.text, "budget {budget}");
        }
    }

    #[test]
    fn seeds_link_to_their_concept_pages() {
        let pack = python();
        let comp = Compressor::new(&pack);
        let report = Card::new(&pack, &comp, 2257).unwrap().report();
        let view = CardView::new(&report, &pack);
        let seeds = view.sections.iter().find(|s| s.id == "seeds").unwrap();
        assert!(seeds.entries.len() >= 9);
        let gil = &seeds.entries[0];
        assert!(gil.lead.starts_with("GIL"), "{gil:?}");
        assert!(
            gil.href
                .as_deref()
                .unwrap()
                .starts_with("/topics/python/concepts/")
        );
        assert!(gil.rest.starts_with(" \u{2014} "));
    }

    #[test]
    fn every_concept_is_on_the_learning_map_once() {
        let pack = python();
        let map = learning_map(&pack);
        let n: usize = map
            .iter()
            .flat_map(|p| &p.categories)
            .map(|c| c.concepts.len())
            .sum();
        assert_eq!(n, pack.concepts.len());
        assert_eq!(map[0].title, "Foundations");
    }

    #[test]
    fn path_parts_are_escaped() {
        assert_eq!(path_part("dict-internals"), "dict-internals");
        assert_eq!(path_part("a b/<c>"), "a%20b%2F%3Cc%3E");
    }
}
