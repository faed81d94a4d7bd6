//! Importance, estimated and explained. Each concept gets a score from four signals,
//! documented in docs/import.md:
//!
//! ```text
//! score = 1.5·min(markers, 3)                      ⭐, #important, "Important:"
//!       + 1.0·ln(1 + mentions + 2·links)           other concepts that name it; [[links]] to it
//!       + 0.5·ln(1 + words/25) + 0.15·richness     how much is written, and how deep
//!       + 0.4·(1 − level/2) + 0.2·(1 − position)   heading depth; place in its note
//! ```
//!
//! Concepts are then ranked: the top 8% (1 to 12) critical, the next 17% high, the bottom
//! 20% low, the rest medium, as in the bundled packs. A tier tag (`#critical`) sets the tier
//! outright. A concept ranked critical or high with no anchor is demoted to medium.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use memseed_core::pack::Tier;

use crate::Warning;
use crate::outline::{Draft, singular, title_key};

/// Words too common to count as a mention of a concept of that name.
const COMMON: &[&str] = &[
    "the",
    "and",
    "for",
    "use",
    "uses",
    "with",
    "this",
    "that",
    "one",
    "ones",
    "way",
    "ways",
    "type",
    "types",
    "value",
    "values",
    "data",
    "code",
    "thing",
    "things",
    "part",
    "parts",
    "note",
    "notes",
    "example",
    "examples",
    "key",
    "keys",
    "name",
    "names",
    "time",
    "overview",
    "summary",
    "introduction",
    "basics",
    "other",
    "more",
    "all",
    "new",
    "first",
];

/// The tiers of a draft's concepts, with the reason for each.
#[derive(Debug)]
pub struct Ranked {
    pub tiers: Vec<Tier>,
    pub reasons: Vec<String>,
}

/// The signals of one concept, kept for its reason.
#[derive(Clone, Copy, Debug, Default)]
struct Signals {
    markers: u32,
    mentions: usize,
    links: usize,
    words: usize,
    richness: u32,
    level: u8,
    position: f64,
}

impl Signals {
    fn parts(&self) -> [f64; 4] {
        [
            1.5 * f64::from(self.markers.min(3)),
            (1.0 + self.mentions as f64 + 2.0 * self.links as f64).ln(),
            0.5 * (1.0 + self.words as f64 / 25.0).ln() + 0.15 * f64::from(self.richness),
            0.4 * (1.0 - f64::from(self.level) / 2.0) + 0.2 * (1.0 - self.position),
        ]
    }

    fn score(&self) -> f64 {
        self.parts().iter().sum()
    }
}

/// Ranks the concepts of a draft. `has_anchor[i]` says whether concept `i` has text
/// enough for an anchor; `warnings` gets one line per demotion.
pub fn rank(d: &Draft, has_anchor: &[bool], warnings: &mut Vec<Warning>) -> Ranked {
    let n = d.concepts.len();
    let mut sig: Vec<Signals> = d
        .concepts
        .iter()
        .map(|c| {
            let body = c
                .paras
                .iter()
                .chain(&c.why)
                .chain(&c.deep)
                .chain(&c.interview)
                .chain(&c.trap);
            let words = body.map(|p| p.split_whitespace().count()).sum::<usize>();
            let richness = u32::from(c.code.is_some())
                + u32::from(!c.deep.is_empty())
                + u32::from(!c.why.is_empty())
                + u32::from(!c.interview.is_empty() || !c.trap.is_empty())
                + u32::from(c.definition.is_some() || c.anchor.is_some());
            Signals {
                markers: c.markers,
                words,
                richness,
                level: c.level,
                position: c.position,
                ..Signals::default()
            }
        })
        .collect();
    for q in &d.questions {
        if let Some(c) = q.concept {
            sig[c].richness += 1;
        }
    }
    count_mentions(d, &mut sig);
    count_links(d, &mut sig);

    let scores: Vec<f64> = sig.iter().map(Signals::score).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));

    let quota = |share: f64| (n as f64 * share).round() as usize;
    let mut crit_left = quota(0.08).clamp(1, 12);
    let mut high_left = quota(0.17).min(30);
    let low_from = n - quota(0.20).min(n);
    let mut tiers = vec![Tier::Medium; n];
    let mut reasons = vec![String::new(); n];
    for (r, &i) in order.iter().enumerate() {
        let c = &d.concepts[i];
        let forced = c.tier_tag.map(|t| Tier::ALL[t]);
        let wanted = match forced {
            Some(t) => t,
            None if crit_left > 0 => Tier::Critical,
            None if high_left > 0 => Tier::High,
            None if r >= low_from => Tier::Low,
            None => Tier::Medium,
        };
        let why = explain(&sig[i], scores[i], r, n, wanted <= Tier::High || n <= 200);
        if wanted <= Tier::High && !has_anchor[i] {
            let note = &d.notes[c.note].name;
            warnings.push(Warning::new(
                note,
                c.line,
                format!(
                    "\"{}\" {} {} but has too little text for an anchor (a sentence of {} words or more); demoted to medium",
                    crate::outline::clip(&c.title),
                    if forced.is_some() { "is tagged" } else { "ranks" },
                    wanted.as_str(),
                    crate::anchor::MIN_WORDS
                ),
            ));
            tiers[i] = Tier::Medium;
            reasons[i] = format!(
                "tier medium: would be {} but has no anchor; {why}",
                wanted.as_str()
            );
            continue;
        }
        if forced.is_none() {
            match wanted {
                Tier::Critical => crit_left -= 1,
                Tier::High => high_left -= 1,
                _ => {}
            }
        }
        tiers[i] = wanted;
        reasons[i] = match forced {
            Some(t) => format!(
                "tier {}: tagged #{} in the notes; {why}",
                t.as_str(),
                t.as_str()
            ),
            None => format!("tier {}: {why}", wanted.as_str()),
        };
    }
    Ranked { tiers, reasons }
}

/// One line on what made a concept's score.
fn explain(s: &Signals, score: f64, rank: usize, n: usize, full: bool) -> String {
    let p = s.parts();
    if !full {
        // Medium and low concepts are most of a big import: a short reason keeps the pack
        // small and still says what counted.
        return format!(
            "score {score:.2}, rank {} of {n}: named by {}, linked {}, {} words, {} marker{}",
            rank + 1,
            s.mentions,
            s.links,
            s.words,
            s.markers,
            plural(s.markers as usize)
        );
    }
    let mut parts = Vec::new();
    if s.markers > 0 {
        parts.push(format!(
            "{} importance marker{} (+{:.2})",
            s.markers,
            plural(s.markers as usize),
            p[0]
        ));
    }
    let mut linked = format!("named by {} other note{}", s.mentions, plural(s.mentions));
    if s.links > 0 {
        linked.push_str(&format!(", linked {} time{}", s.links, plural(s.links)));
    }
    parts.push(format!("{linked} (+{:.2})", p[1]));
    parts.push(format!(
        "{} words, depth {} of 5 (+{:.2})",
        s.words,
        s.richness.min(5),
        p[2]
    ));
    parts.push(format!(
        "{} in its note (+{:.2})",
        match s.level {
            0 => "top-level heading, ",
            1 => "sub-heading, ",
            _ => "nested entry, ",
        }
        .to_string()
            + if s.position < 0.34 {
                "early"
            } else if s.position < 0.67 {
                "middle"
            } else {
                "late"
            },
        p[3]
    ));
    format!(
        "score {score:.2}, rank {} of {n}: {}",
        rank + 1,
        parts.join("; ")
    )
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The names a concept is mentioned by: its title, the title without a parenthesis, the
/// parenthesis, the parts of `A & B`, and singular and plural forms.
fn aliases(title: &str, extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let lower = title.to_lowercase();
    let mut bases = vec![lower.clone(), crate::inline::drop_parens(&lower)];
    if let (Some(a), Some(b)) = (lower.find('('), lower.rfind(')'))
        && a < b
    {
        bases.push(lower[a + 1..b].trim().to_string());
    }
    // The parts of `A & B` or `A, B, C` name the concept too, when they are specific:
    // two words or more, or eight letters or more ("generators", not "memory").
    for sep in [" & ", " and ", ", ", " / "] {
        let base = crate::inline::drop_parens(title);
        if base.contains(sep) {
            bases.extend(
                base.split(sep)
                    .map(str::trim)
                    .filter(|p| {
                        p.contains(' ')
                            || p.len() >= 8
                            || p.chars().filter(|c| c.is_uppercase()).count() >= 2
                    })
                    .map(str::to_lowercase),
            );
        }
    }
    bases.extend(extra.iter().map(|s| s.to_lowercase()));
    for b in bases {
        let b = b.split_whitespace().collect::<Vec<_>>().join(" ");
        if b.chars().filter(|c| c.is_alphanumeric()).count() < 3 || COMMON.contains(&b.as_str()) {
            continue;
        }
        let words: Vec<&str> = b.split(' ').collect();
        let last = words.last().copied().unwrap_or("");
        let one = singular(last);
        let head = &words[..words.len() - 1];
        let join = |w: &str| {
            let mut v = head.to_vec();
            v.push(w);
            v.join(" ")
        };
        for form in [b.clone(), join(&one), join(&format!("{one}s"))] {
            if !out.contains(&form) && !COMMON.contains(&form.as_str()) && form.len() >= 3 {
                out.push(form);
            }
        }
    }
    out
}

/// Mentions: for each concept, how many other concepts (and questions and traps) name it
/// in their text, whole words, any case. One pass of Aho-Corasick over all the text.
fn count_mentions(d: &Draft, sig: &mut [Signals]) {
    let mut patterns: Vec<String> = Vec::new();
    let mut owners: Vec<Vec<usize>> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, c) in d.concepts.iter().enumerate() {
        for a in aliases(&c.title, &c.aliases) {
            let k = *index.entry(a.clone()).or_insert_with(|| {
                patterns.push(a);
                owners.push(Vec::new());
                patterns.len() - 1
            });
            if !owners[k].contains(&i) {
                owners[k].push(i);
            }
        }
    }
    if patterns.is_empty() {
        return;
    }
    let Ok(ac) = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&patterns)
    else {
        return;
    };
    let n = d.concepts.len();
    let mentioners = n + d.questions.len() + d.traps.len();
    // Pass 1: in how many notes each name appears. A name found in more than a quarter of
    // them (and in more than 12) is the topic's vocabulary ("python" in Python notes), not
    // a concept the others build on, and does not count.
    let mut seen_by = vec![usize::MAX; patterns.len()];
    let mut df = vec![0usize; patterns.len()];
    each_text(d, |mentioner, _, text| {
        for p in matches(&ac, text) {
            if seen_by[p] != mentioner {
                seen_by[p] = mentioner;
                df[p] += 1;
            }
        }
    });
    let generic_at = (mentioners / 4).max(12);
    // Pass 2: each concept counts the notes that name it.
    let mut stamp = vec![usize::MAX; n];
    each_text(d, |mentioner, own, text| {
        for p in matches(&ac, text) {
            if df[p] > generic_at {
                continue;
            }
            for &o in &owners[p] {
                if Some(o) != own && stamp[o] != mentioner {
                    stamp[o] = mentioner;
                    sig[o].mentions += 1;
                }
            }
        }
    });
}

/// The patterns found in `text` as whole words.
fn matches<'a>(ac: &'a AhoCorasick, text: &'a str) -> impl Iterator<Item = usize> + 'a {
    let bytes = text.as_bytes();
    let word = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_');
    ac.find_overlapping_iter(text).filter_map(move |m| {
        let before = m.start().checked_sub(1).map(|i| bytes[i]);
        let after = bytes.get(m.end()).copied();
        (!word(before) && !word(after)).then(|| m.pattern().as_usize())
    })
}

/// Calls `f(mentioner, own concept, text)` for every text of the draft: each concept's,
/// then each question's and trap's (mentioners numbered after the concepts).
fn each_text(d: &Draft, mut f: impl FnMut(usize, Option<usize>, &str)) {
    let n = d.concepts.len();
    for (i, c) in d.concepts.iter().enumerate() {
        let texts = c
            .paras
            .iter()
            .chain(&c.why)
            .chain(&c.deep)
            .chain(&c.interview)
            .chain(&c.trap)
            .chain(c.definition.iter());
        for t in texts {
            f(i, Some(i), t);
        }
    }
    for (k, q) in d.questions.iter().enumerate() {
        f(n + k, None, &q.question);
        f(n + k, None, &q.answer);
    }
    let base = n + d.questions.len();
    for (k, t) in d.traps.iter().enumerate() {
        f(base + k, None, &t.what);
        f(base + k, None, &t.fix);
    }
}

/// `[[links]]`: a link to a concept's title (or alias), or to a note, counts once per
/// linking concept for the concept (or the note's first concept).
fn count_links(d: &Draft, sig: &mut [Signals]) {
    use std::collections::HashMap;
    let mut by_name: HashMap<String, usize> = HashMap::new();
    for (i, c) in d.concepts.iter().enumerate().rev() {
        by_name.insert(title_key(&c.title), i);
        for a in &c.aliases {
            by_name.insert(title_key(a), i);
        }
    }
    let mut first_of_note: HashMap<usize, usize> = HashMap::new();
    for (i, c) in d.concepts.iter().enumerate() {
        first_of_note.entry(c.note).or_insert(i);
    }
    for (ni, note) in d.notes.iter().enumerate().rev() {
        if let Some(&first) = first_of_note.get(&ni) {
            by_name.entry(title_key(&note.title)).or_insert(first);
            by_name.entry(title_key(&note.stem)).or_insert(first);
        }
    }
    for (i, c) in d.concepts.iter().enumerate() {
        let mut seen: Vec<usize> = Vec::new();
        for l in &c.links {
            let target = l.rsplit('/').next().unwrap_or(l);
            if let Some(&t) = by_name.get(&title_key(target))
                && t != i
                && !seen.contains(&t)
            {
                seen.push(t);
                sig[t].links += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_cover_parts_parentheses_and_plurals() {
        let a = aliases("GIL (Global Interpreter Lock)", &[]);
        assert!(a.contains(&"gil".to_string()), "{a:?}");
        assert!(a.contains(&"global interpreter lock".to_string()), "{a:?}");
        let a = aliases("Generators & yield", &[]);
        for want in ["generator", "generators"] {
            assert!(a.contains(&want.to_string()), "{want}: {a:?}");
        }
        // A short common part of a title is not a name of it.
        assert!(!a.contains(&"yield".to_string()), "{a:?}");
        assert!(!aliases("Memory & Reference Behavior", &[]).contains(&"memory".to_string()));
        assert!(aliases("Examples", &[]).is_empty());
    }
}
