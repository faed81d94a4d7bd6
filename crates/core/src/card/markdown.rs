//! The card as Markdown: the same selection as the plain text, laid out for a renderer.
//! Pack prose goes through [`crate::prose::markdown`], so inline code stays code and
//! `__len__` stays text instead of turning bold.

use std::fmt::Write;

use super::Card;
use super::layout::{ItemRef, Section, Seeds};
use crate::pack::Pack;
use crate::prose::markdown as md;

pub(super) fn render(card: &Card<'_>) -> String {
    let pack = card.pack;
    let lang = pack.topic.language.as_deref().unwrap_or("");
    let mut out = format!("# {}\n", md(&pack.topic.title));
    let mut section: Option<Section> = None;
    for (item, level) in card.kept() {
        if section != Some(item.section()) {
            section = Some(item.section());
            let _ = write!(out, "\n## {}\n\n", item.section().heading());
            if item.section() == Section::Seeds {
                seeds_md(&mut out, pack, &card.seeds(), lang);
            }
        }
        if item.section() != Section::Seeds {
            item_md(&mut out, pack, item, level, lang);
        }
    }
    out
}

/// The Seeds section: concept entries (with answers), then the checklist line.
fn seeds_md(out: &mut String, pack: &Pack, seeds: &Seeds, lang: &str) {
    for &(c, level, answer) in &seeds.entries {
        concept_md(out, pack, c, level, answer, lang);
    }
    for &c in &seeds.orphan_answers {
        let _ = writeln!(out, "- **{}**", md(&pack.concepts[c].title));
        labelled(out, "Interview", pack.concepts[c].interview.as_deref());
    }
    if !seeds.checklist.is_empty() {
        let titles: Vec<String> = seeds
            .checklist
            .iter()
            .map(|&c| md(&pack.concepts[c].title))
            .collect();
        let _ = writeln!(out, "\n*Also:* {}", titles.join(" \u{b7} "));
    }
}

fn concept_md(out: &mut String, pack: &Pack, i: usize, level: u8, answer: bool, lang: &str) {
    let c = &pack.concepts[i];
    let _ = write!(out, "- **{}**", md(&c.title));
    if level >= 2
        && let Some(a) = &c.anchor
    {
        let _ = write!(out, " \u{2014} {}", md(a));
    }
    out.push('\n');
    if level >= 3 {
        for t in [&c.basic, &c.expected].into_iter().flatten() {
            for p in t.split('\n') {
                let _ = writeln!(out, "  - {}", md(p));
            }
        }
    }
    if answer {
        labelled(out, "Interview", c.interview.as_deref());
    }
    if level >= 4 {
        labelled(out, "Internals", c.deep.as_deref());
        if let Some(code) = &c.snippet.code {
            let _ = writeln!(out, "  - *Example:*\n");
            fence(
                out,
                "    ",
                c.snippet.language(&pack.topic).unwrap_or(lang),
                code,
            );
        }
        labelled(out, "Trap", c.trap.as_deref());
    }
}

fn item_md(out: &mut String, pack: &Pack, item: ItemRef, level: u8, lang: &str) {
    match item {
        ItemRef::WhatItIs if level == 1 => paras(out, &super::layout::orientation(pack)),
        ItemRef::WhatItIs => paras(out, &pack.topic.what_it_is),
        ItemRef::WhyItExists => paras(out, pack.topic.why_it_exists.as_deref().unwrap_or("")),
        ItemRef::WhenToUse => bullets(out, &pack.topic.when_to_use),
        ItemRef::WhereItFails => bullets(out, &pack.topic.where_it_fails),
        ItemRef::Concept(i) => concept_md(out, pack, i, level, false, lang),
        ItemRef::Answer(i) => labelled(out, "Interview", pack.concepts[i].interview.as_deref()),
        ItemRef::Trap(i) => {
            let t = &pack.traps[i];
            let _ = writeln!(out, "- {}", md(&t.what));
            if level >= 2 {
                labelled(out, "Fix", Some(&t.fix));
            }
            if level >= 3
                && let Some(code) = &t.snippet.code
            {
                out.push('\n');
                fence(out, "    ", lang, code);
            }
        }
        ItemRef::Question(i) => {
            let q = &pack.questions[i];
            let _ = writeln!(out, "**Q: {}**\n", md(&q.question));
            let _ = writeln!(out, "{}\n", md(&q.short));
            if level >= 2
                && let Some(d) = &q.detailed
            {
                paras(out, d);
            }
        }
        ItemRef::Practice(i) => {
            let p = &pack.practice[i];
            let _ = writeln!(out, "**Q: {}**\n", md(&p.question));
            fence(out, "", lang, p.snippet.code());
            out.push('\n');
            let _ = writeln!(out, "A: {}\n", md(&p.answer));
        }
    }
}

fn paras(out: &mut String, text: &str) {
    for p in text.split('\n') {
        let _ = writeln!(out, "{}\n", md(p));
    }
}

fn bullets(out: &mut String, lines: &[String]) {
    for l in lines {
        let _ = writeln!(out, "- {}", md(l));
    }
}

fn labelled(out: &mut String, label: &str, text: Option<&str>) {
    if let Some(text) = text {
        for (i, p) in text.split('\n').enumerate() {
            if i == 0 {
                let _ = writeln!(out, "  - *{label}:* {}", md(p));
            } else {
                let _ = writeln!(out, "    {}", md(p));
            }
        }
    }
}

/// A fenced code block, longer than any backtick run inside the code.
fn fence(out: &mut String, indent: &str, lang: &str, code: &str) {
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    let _ = writeln!(out, "{indent}{ticks}{lang}");
    for line in code.lines() {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}{line}");
        }
    }
    let _ = writeln!(out, "{indent}{ticks}");
}

#[cfg(test)]
mod tests {
    use crate::select::Compressor;
    use crate::{Card, load_str};

    const PACK: &str = r#"format_version = 1

[topic]
id = "dunder"
title = "Dunder"
what_it_is = "Objects answer len() through __len__, and `__len__` is its name in code."
when_to_use = ["When *args and **kwargs meet __init__."]

[[categories]]
id = "c"
title = "Protocols"
map = "foundations"

[[concepts]]
id = "len"
title = "The __len__ protocol"
category = "c"
tier = "critical"
anchor = "len(x) calls x.__len__(); define `__len__` and len() works."
basic = "Return an int >= 0 from __len__."
"#;

    #[test]
    fn dunder_names_are_escaped_and_code_stays_code() {
        let (pack, _) = load_str("dunder.toml", PACK).expect("the test pack loads");
        let comp = Compressor::new(&pack);
        let card = Card::new(&pack, &comp, comp.full_bytes()).expect("the full card");
        let md = card.markdown();
        assert!(
            md.contains(r"through \_\_len\_\_, and `__len__` is"),
            "{md}"
        );
        assert!(
            md.contains(
                "- **The \\_\\_len\\_\\_ protocol** \u{2014} len(x) calls x.\\_\\_len\\_\\_();"
            ),
            "{md}"
        );
        assert!(
            md.contains(r"When \*args and \*\*kwargs meet \_\_init\_\_."),
            "{md}"
        );
        assert!(!md.contains(" __len__ "), "{md}");
    }
}
