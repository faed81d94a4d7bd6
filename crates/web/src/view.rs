//! Pure view models: pack prose as HTML, a card's report cut into the sections and entries
//! a page shows, and a pack arranged as the learning map. No HTTP and no templates here.

use std::fmt;

use memseed_core::Pack;
use memseed_core::card::Report;
use memseed_core::pack::{Concept, MapSection, Tier};
use memseed_core::prose;

/// HTML made from pack prose by [`memseed_core::prose`]: everything but its own tags is
/// escaped, so a template writes it as is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rich(pub String);

impl fmt::Display for Rich {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Rich {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Pack prose as HTML.
pub fn rich(text: &str) -> Rich {
    Rich(prose::html(text))
}

/// Pack prose split into paragraphs at blank lines, each as HTML.
pub fn rich_paras(text: Option<&str>) -> Vec<Rich> {
    text.unwrap_or("")
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(rich)
        .collect()
}

/// Card text as HTML: a line indented four spaces or more is code (the card layout indents
/// code by four, prose by at most three) and is shown as typed; other lines are prose.
/// Line ends are kept, for a `white-space: pre-wrap` box.
pub fn card_html(out: &mut String, text: &str) {
    let mut in_code = false;
    for line in text.split_inclusive('\n') {
        let code = line.starts_with("    ");
        if code != in_code {
            out.push_str(if code {
                "<code class=\"blk\">"
            } else {
                "</code>"
            });
            in_code = code;
        }
        if code {
            prose::escape_html(out, line);
        } else {
            let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
            out.push_str(&prose::html(body));
            out.push_str(end);
        }
    }
    if in_code {
        out.push_str("</code>");
    }
}

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

/// One entry of a card as shown: its exact text, with the concept's title linked where the
/// entry is a concept (an entry, or a title in the checklist line).
#[derive(Clone, Debug, PartialEq)]
pub struct EntryView {
    /// Text before the title (`· ` in the checklist line).
    pub pre: String,
    /// The linked lead (a concept's title); empty when the entry has no page.
    pub lead: String,
    pub href: Option<String>,
    /// The rest of the entry's text, exactly as on the card.
    pub rest: String,
    pub kind: &'static str,
    pub tier: &'static str,
    /// The whole entry as HTML: prose rendered, code lines as typed, the title linked.
    pub html: Rich,
}

impl EntryView {
    fn new(
        body: &str,
        concept: Option<(&str, String)>,
        kind: &'static str,
        tier: &'static str,
    ) -> EntryView {
        let split = concept.and_then(|(title, href)| {
            let pre = if body.starts_with(title) {
                ""
            } else if body.starts_with("\u{b7} ") && body["\u{b7} ".len()..].starts_with(title) {
                "\u{b7} "
            } else {
                return None;
            };
            Some((pre, title, href))
        });
        let (pre, lead, href, rest) = match split {
            Some((pre, title, href)) => (pre, title, Some(href), &body[pre.len() + title.len()..]),
            None => ("", "", None, body),
        };
        let mut html = String::with_capacity(body.len() + 64);
        prose::escape_html(&mut html, pre);
        if let Some(href) = &href {
            html.push_str("<a href=\"");
            prose::escape_html(&mut html, href);
            html.push_str("\">");
            html.push_str(&prose::html(lead));
            html.push_str("</a>");
        }
        card_html(&mut html, rest);
        EntryView {
            pre: pre.to_string(),
            lead: lead.to_string(),
            href,
            rest: rest.to_string(),
            kind,
            tier,
            html: Rich(html),
        }
    }
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

/// Cards from this size up are drawn lazily (64 KB: far past the full card of any topic's
/// presets, well below "everything").
pub const LAZY_BYTES: u64 = 64 * 1024;

/// A card cut into what a page shows. Concatenating the title, each section's heading
/// (`\n` + heading + `\n`) and each entry's `pre + lead + rest` gives back the card's text.
#[derive(Clone, Debug, PartialEq)]
pub struct CardView {
    pub title: String,
    pub title_html: Rich,
    /// A card this big is drawn lazily, entry by entry as it scrolls into view.
    pub lazy: bool,
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
                let concept = (k.kind == "concept")
                    .then(|| pack.concept(&k.id))
                    .flatten()
                    .map(|c| (c.title.as_str(), concept_url(&pack.topic.id, &c.id)));
                entries.push(EntryView::new(
                    body,
                    concept,
                    k.kind,
                    k.tier.map(Tier::as_str).unwrap_or(""),
                ));
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
            lazy: report.bytes >= LAZY_BYTES,
            title_html: rich(&title),
            title,
            sections: out,
        }
    }
}

/// A link to a concept with its tier and anchor.
#[derive(Clone, Debug, PartialEq)]
pub struct ConceptLink {
    pub id: String,
    pub title: Rich,
    /// The title as plain text (for labels and options).
    pub plain: String,
    pub href: String,
    pub tier: &'static str,
    pub anchor: Rich,
}

impl ConceptLink {
    pub fn new(pack: &Pack, c: &Concept) -> ConceptLink {
        ConceptLink {
            id: c.id.clone(),
            title: rich(&c.title),
            plain: prose::plain(&c.title),
            href: concept_url(&pack.topic.id, &c.id),
            tier: c.tier.as_str(),
            anchor: c.anchor.as_deref().map(rich).unwrap_or_default(),
        }
    }
}

/// A category on the learning map, with its concepts by importance.
#[derive(Clone, Debug, PartialEq)]
pub struct CategoryView {
    pub id: String,
    pub title: Rich,
    pub summary: Rich,
    pub concepts: Vec<ConceptLink>,
    /// The concepts again, grouped by tier, most important first (empty tiers left out).
    pub tiers: Vec<(&'static str, Vec<ConceptLink>)>,
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
                    let links: Vec<ConceptLink> =
                        concepts.iter().map(|c| ConceptLink::new(pack, c)).collect();
                    let tiers = Tier::ALL
                        .iter()
                        .map(|t| {
                            let of: Vec<ConceptLink> = links
                                .iter()
                                .filter(|l| l.tier == t.as_str())
                                .cloned()
                                .collect();
                            (t.as_str(), of)
                        })
                        .filter(|(_, of)| !of.is_empty())
                        .collect();
                    CategoryView {
                        id: cat.id.clone(),
                        title: rich(&cat.title),
                        summary: cat.summary.as_deref().map(rich).unwrap_or_default(),
                        concepts: links,
                        tiers,
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

/// Every concept in the order the learning map shows them (by part, category, then tier):
/// the order of a concept page's previous and next links.
pub fn reading_order(pack: &Pack) -> Vec<&Concept> {
    let mut order = Vec::with_capacity(pack.concepts.len());
    for m in MapSection::ALL {
        for (i, cat) in pack.categories.iter().enumerate() {
            if cat.map != m {
                continue;
            }
            let mut concepts: Vec<&Concept> =
                pack.concepts.iter().filter(|c| c.category == i).collect();
            concepts.sort_by_key(|c| c.tier);
            order.extend(concepts);
        }
    }
    order
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
                    text.push_str(&e.pre);
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
    fn checklist_titles_link_and_code_lines_stay_as_typed() {
        let cat = memseed_catalog::Catalog::bundled();
        let pack = &cat.get("sql").expect("sql is bundled").pack;
        let comp = Compressor::new(pack);
        let mut checklist = 0;
        for budget in [2257, 20_000] {
            let report = Card::new(pack, &comp, budget).unwrap().report();
            let view = CardView::new(&report, pack);
            for e in view.sections.iter().flat_map(|s| &s.entries) {
                if e.pre == "\u{b7} " {
                    checklist += 1;
                    assert!(e.href.is_some(), "{e:?}");
                    assert!(
                        e.html
                            .0
                            .starts_with("\u{b7} <a href=\"/topics/sql/concepts/"),
                        "{e:?}"
                    );
                }
                assert!(!e.html.0.contains("<script"), "{e:?}");
            }
        }
        assert!(
            checklist > 0,
            "the 20 KB SQL card lists titles in its checklist"
        );
        let mut html = String::new();
        card_html(
            &mut html,
            "- use `x` *now*\n  Example:\n    a = `b` * 2\n    c\nA: done\n",
        );
        assert_eq!(
            html,
            "- use <code>x</code> <em>now</em>\n  Example:\n<code class=\"blk\">    a = `b` * 2\n    c\n</code>A: done\n"
        );
    }

    #[test]
    fn the_reading_order_holds_every_concept_once() {
        let pack = python();
        let order = reading_order(&pack);
        assert_eq!(order.len(), pack.concepts.len());
        let ids: std::collections::HashSet<&str> = order.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids.len(), pack.concepts.len());
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
