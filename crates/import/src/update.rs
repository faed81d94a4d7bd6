//! Re-importing into a pack a person has edited (`memseed import --update`).
//!
//! The rule: a sidecar file beside the pack (`NAME.import.json`) holds, for every field of
//! every item the importer wrote, a hash of the text it wrote. On re-import a field takes
//! the notes' new text only when its current text still hashes to what the importer last
//! wrote (nobody changed it), or when it is absent and the importer never wrote it. Any
//! other field is the person's and is kept. New items are added; items the importer made
//! whose notes are gone are retired (removed, each named) unless the person edited them,
//! then they are kept. Items the person added are never touched. Ids do not change, so
//! study history (keyed by topic, item and kind) stays attached.

use std::collections::{BTreeMap, HashMap};

use memseed_core::pack::{
    Concept, Item, Pack, PackErrors, Practice, Question, Snippet, Tier, Trap, to_toml_with,
};

use crate::Imported;

/// FNV-1a, 64 bits: a stable hash for telling edited text from the importer's own.
pub fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn hash(v: &Option<String>) -> String {
    match v {
        Some(s) => format!("{:016x}", fnv(s)),
        None => "absent".into(),
    }
}

/// What the importer last wrote: per item (`concept/gil`), per field, a hash of the text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sidecar {
    pub items: BTreeMap<String, BTreeMap<String, String>>,
}

impl Sidecar {
    /// The hashes of every field of every item of `pack`, as the importer writes it.
    pub fn of(pack: &Pack) -> Sidecar {
        let mut s = Sidecar::default();
        for (key, fields) in all_fields(pack) {
            s.items.insert(
                key,
                fields
                    .iter()
                    .map(|(f, v)| (f.to_string(), hash(v)))
                    .collect(),
            );
        }
        s
    }

    /// The sidecar as JSON text.
    pub fn to_json(&self) -> String {
        let items: serde_json::Map<String, serde_json::Value> = self
            .items
            .iter()
            .map(|(k, fields)| {
                let f: serde_json::Map<String, serde_json::Value> = fields
                    .iter()
                    .map(|(n, h)| (n.clone(), serde_json::Value::String(h.clone())))
                    .collect();
                (k.clone(), serde_json::Value::Object(f))
            })
            .collect();
        let v = serde_json::json!({
            "about": "memseed import: hashes of the text the importer last wrote, so --update can tell your edits from its own. Safe to delete: then every field counts as yours.",
            "format": 1,
            "items": items,
        });
        serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
    }

    /// Reads a sidecar; an unreadable one is an error naming what is wrong.
    pub fn from_json(text: &str) -> Result<Sidecar, String> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
        if v.get("format").and_then(serde_json::Value::as_i64) != Some(1) {
            return Err("unknown format (expected \"format\": 1)".into());
        }
        let mut s = Sidecar::default();
        let Some(items) = v.get("items").and_then(serde_json::Value::as_object) else {
            return Err("no \"items\" object".into());
        };
        for (k, fields) in items {
            let Some(fields) = fields.as_object() else {
                return Err(format!("item \"{k}\" is not an object"));
            };
            let f = fields
                .iter()
                .filter_map(|(n, h)| Some((n.clone(), h.as_str()?.to_string())))
                .collect();
            s.items.insert(k.clone(), f);
        }
        Ok(s)
    }
}

/// The result of merging a re-import into an edited pack.
#[derive(Clone, Debug)]
pub struct Merged {
    pub pack: Pack,
    pub toml: String,
    pub sidecar: Sidecar,
    /// One line per thing a person should know: edits kept, items added and retired.
    pub report: Vec<String>,
    pub added: usize,
    pub updated: usize,
    pub kept: usize,
    pub retired: usize,
}

type Fields = Vec<(&'static str, Option<String>)>;

fn opt(s: &Option<String>) -> Option<String> {
    s.clone()
}

fn list(v: &[String]) -> Option<String> {
    (!v.is_empty()).then(|| v.join("\n"))
}

fn concept_fields(cats: &[String], c: &Concept) -> Fields {
    vec![
        ("title", Some(c.title.clone())),
        ("category", Some(cats[c.category].clone())),
        ("tier", Some(c.tier.as_str().to_string())),
        ("anchor", opt(&c.anchor)),
        ("basic", opt(&c.basic)),
        ("expected", opt(&c.expected)),
        ("deep", opt(&c.deep)),
        ("code", opt(&c.snippet.code)),
        ("lang", opt(&c.snippet.lang)),
        ("interview", opt(&c.interview)),
        ("trap", opt(&c.trap)),
        ("tags", list(&c.tags)),
    ]
}

fn refs(ids: &[String], v: &[usize]) -> Option<String> {
    list(&v.iter().map(|&i| ids[i].clone()).collect::<Vec<_>>())
}

/// The ids of a pack's categories and concepts, for fields that refer to them.
fn ids(p: &Pack) -> (Vec<String>, Vec<String>) {
    (
        p.categories.iter().map(|c| c.id.clone()).collect(),
        p.concepts.iter().map(|c| c.id.clone()).collect(),
    )
}

fn trap_fields(ids: &[String], t: &Trap) -> Fields {
    vec![
        ("title", Some(t.title.clone())),
        ("what", Some(t.what.clone())),
        ("fix", Some(t.fix.clone())),
        ("concept", t.concept.map(|c| ids[c].clone())),
        ("tier", Some(t.tier.as_str().to_string())),
    ]
}

fn question_fields(ids: &[String], q: &Question) -> Fields {
    vec![
        ("level", Some(q.level.as_str().to_string())),
        ("question", Some(q.question.clone())),
        ("short", Some(q.short.clone())),
        ("detailed", opt(&q.detailed)),
        ("concepts", refs(ids, &q.concepts)),
        ("tier", Some(q.tier.as_str().to_string())),
    ]
}

fn practice_fields(ids: &[String], x: &Practice) -> Fields {
    vec![
        ("question", Some(x.question.clone())),
        ("code", opt(&x.snippet.code)),
        ("lang", opt(&x.snippet.lang)),
        ("answer", Some(x.answer.clone())),
        ("level", x.level.map(|l| l.as_str().to_string())),
        ("concepts", refs(ids, &x.concepts)),
        ("tier", Some(x.tier.as_str().to_string())),
    ]
}

fn all_fields(p: &Pack) -> Vec<(String, Fields)> {
    let (cats, concepts) = ids(p);
    let mut out = vec![(
        "topic".to_string(),
        vec![
            ("title", Some(p.topic.title.clone())),
            ("what_it_is", Some(p.topic.what_it_is.clone())),
            ("language", opt(&p.topic.language)),
        ],
    )];
    for c in &p.categories {
        out.push((
            format!("category/{}", c.id),
            vec![
                ("title", Some(c.title.clone())),
                ("map", Some(c.map.as_str().to_string())),
                ("summary", opt(&c.summary)),
            ],
        ));
    }
    for c in &p.concepts {
        out.push((format!("concept/{}", c.id), concept_fields(&cats, c)));
    }
    for t in &p.traps {
        out.push((format!("trap/{}", t.id), trap_fields(&concepts, t)));
    }
    for q in &p.questions {
        out.push((format!("question/{}", q.id), question_fields(&concepts, q)));
    }
    for x in &p.practice {
        out.push((format!("practice/{}", x.id), practice_fields(&concepts, x)));
    }
    out
}

/// The per-field decision for one item present in both packs.
struct Decide<'a> {
    old: Option<&'a BTreeMap<String, String>>,
    record: BTreeMap<String, String>,
    kept: Vec<&'static str>,
    changed: bool,
}

impl Decide<'_> {
    /// Whether field `f` takes the notes' value `new` over the current `cur`.
    fn take(&mut self, f: &'static str, cur: &Option<String>, new: &Option<String>) -> bool {
        let last = self.old.and_then(|o| o.get(f));
        let unedited = match last {
            Some(h) => *h == hash(cur),
            None => cur.is_none(),
        };
        if unedited {
            self.record.insert(f.to_string(), hash(new));
            if cur != new {
                self.changed = true;
            }
            true
        } else {
            if let Some(h) = last {
                self.record.insert(f.to_string(), h.clone());
            }
            if cur != new {
                self.kept.push(f);
            }
            false
        }
    }
}

/// Merges a fresh import into the existing pack by the rule of this module. Fails when
/// the merged pack does not load (the existing one had to be valid to be read at all, so
/// this names what the merge could not reconcile).
pub fn merge(
    existing: &Pack,
    sidecar: Option<&Sidecar>,
    fresh: &Imported,
) -> Result<Merged, PackErrors> {
    let empty = Sidecar::default();
    let old = sidecar.unwrap_or(&empty);
    let new = &fresh.pack;
    let mut out = existing.clone();
    let mut next = Sidecar::default();
    let mut m = Merged {
        pack: existing.clone(),
        toml: String::new(),
        sidecar: Sidecar::default(),
        report: Vec::new(),
        added: 0,
        updated: 0,
        kept: 0,
        retired: 0,
    };
    let decide = |key: &str| Decide {
        old: old.items.get(key),
        record: BTreeMap::new(),
        kept: Vec::new(),
        changed: false,
    };

    // The topic's own fields.
    {
        let mut d = decide("topic");
        let t = &mut out.topic;
        let (cur, newv) = (Some(t.title.clone()), Some(new.topic.title.clone()));
        if d.take("title", &cur, &newv) {
            t.title = new.topic.title.clone();
        }
        let (cur, newv) = (
            Some(t.what_it_is.clone()),
            Some(new.topic.what_it_is.clone()),
        );
        if d.take("what_it_is", &cur, &newv) {
            t.what_it_is = new.topic.what_it_is.clone();
        }
        if d.take("language", &t.language.clone(), &new.topic.language) {
            t.language = new.topic.language.clone();
        }
        finish(&mut next, "topic".into(), d, &mut m);
    }

    // Categories.
    for c in &new.categories {
        let key = format!("category/{}", c.id);
        match out.categories.iter().position(|x| x.id == c.id) {
            None => {
                out.categories.push(c.clone());
                m.added += 1;
                next.items.insert(
                    key,
                    hashes(&[
                        ("title", Some(c.title.clone())),
                        ("map", Some(c.map.as_str().into())),
                        ("summary", c.summary.clone()),
                    ]),
                );
            }
            Some(i) => {
                let mut d = decide(&key);
                let x = &mut out.categories[i];
                if d.take("title", &Some(x.title.clone()), &Some(c.title.clone())) {
                    x.title = c.title.clone();
                }
                if d.take(
                    "map",
                    &Some(x.map.as_str().into()),
                    &Some(c.map.as_str().into()),
                ) {
                    x.map = c.map;
                }
                if d.take("summary", &x.summary.clone(), &c.summary) {
                    x.summary = c.summary.clone();
                }
                finish(&mut next, key, d, &mut m);
            }
        }
    }
    let cat_of = |out: &Pack, id: &str| out.categories.iter().position(|c| c.id == id);

    // Concepts.
    let new_cats: Vec<String> = new.categories.iter().map(|c| c.id.clone()).collect();
    let mut comments: HashMap<String, String> = HashMap::new();
    for (ni, c) in new.concepts.iter().enumerate() {
        let key = format!("concept/{}", c.id);
        let reason = fresh.reasons.get(ni).cloned().unwrap_or_default();
        let cat = cat_of(&out, &new.categories[c.category].id).unwrap_or(0);
        match out.concepts.iter().position(|x| x.id == c.id) {
            None => {
                let mut c2 = c.clone();
                c2.category = cat;
                c2.derives.clear();
                out.concepts.push(c2);
                m.added += 1;
                next.items
                    .insert(key, hashes(&concept_fields(&new_cats, c)));
                comments.insert(c.id.clone(), reason);
            }
            Some(i) => {
                let mut d = decide(&key);
                let out_cats: Vec<String> = out.categories.iter().map(|c| c.id.clone()).collect();
                let cur = concept_fields(&out_cats, &out.concepts[i]);
                let fresh_fields = concept_fields(&new_cats, c);
                let mut tier_kept = None;
                for ((f, cv), (_, nv)) in cur.iter().zip(&fresh_fields) {
                    if d.take(f, cv, nv) {
                        set_concept(&mut out, i, f, c, cat);
                    } else if *f == "tier" {
                        tier_kept = Some(out.concepts[i].tier);
                    }
                }
                let comment = match tier_kept {
                    Some(t) if t != c.tier => format!(
                        "tier {} kept as you set it; the notes suggest {reason}",
                        t.as_str()
                    ),
                    _ => reason,
                };
                comments.insert(c.id.clone(), comment);
                finish(&mut next, key, d, &mut m);
            }
        }
    }
    // A critical or high concept whose anchor a person removed cannot stay in that tier.
    for c in &mut out.concepts {
        if c.tier <= Tier::High && c.anchor.is_none() {
            m.report.push(format!(
                "concept/{}: {} with no anchor; now medium",
                c.id,
                c.tier.as_str()
            ));
            c.tier = Tier::Medium;
        }
    }
    let concept_of =
        |out: &Pack, i: usize| out.concepts.iter().position(|x| x.id == new.concepts[i].id);

    // Traps, questions and practice: their concept references follow the ids.
    for t in &new.traps {
        let key = format!("trap/{}", t.id);
        let mut t2 = t.clone();
        t2.concept = t.concept.and_then(|c| concept_of(&out, c));
        // A trap's tier follows its concept's (as the person may have changed it), unless
        // the importer gave it one of its own (an Anki deck's trap notes carry theirs).
        if t.tier == t.concept.map_or(Tier::Medium, |c| new.concepts[c].tier) {
            t2.tier = t2.concept.map_or(Tier::Medium, |c| out.concepts[c].tier);
        }
        let out_ids: Vec<String> = out.concepts.iter().map(|c| c.id.clone()).collect();
        merge_item(
            &mut out.traps,
            t2,
            &key,
            old,
            &mut next,
            &mut m,
            trap_fields,
            &out_ids,
            |x: &mut Trap, y: &Trap, f| match f {
                "title" => x.title = y.title.clone(),
                "what" => x.what = y.what.clone(),
                "fix" => x.fix = y.fix.clone(),
                "concept" => x.concept = y.concept,
                "tier" => x.tier = y.tier,
                _ => {}
            },
            |x| &x.id,
        );
    }
    for q in &new.questions {
        let key = format!("question/{}", q.id);
        let mut q2 = q.clone();
        q2.concepts = q
            .concepts
            .iter()
            .filter_map(|&c| concept_of(&out, c))
            .collect();
        // Likewise a question's tier follows its concepts' unless the importer set its own.
        let derived = |p: &Pack, cs: &[usize]| {
            cs.iter()
                .map(|&c| p.concepts[c].tier)
                .min()
                .unwrap_or(Tier::Medium)
        };
        if q.tier == derived(new, &q.concepts) {
            q2.tier = derived(&out, &q2.concepts);
        }
        let out_ids: Vec<String> = out.concepts.iter().map(|c| c.id.clone()).collect();
        merge_item(
            &mut out.questions,
            q2,
            &key,
            old,
            &mut next,
            &mut m,
            question_fields,
            &out_ids,
            |x: &mut Question, y: &Question, f| match f {
                "level" => x.level = y.level,
                "question" => x.question = y.question.clone(),
                "short" => x.short = y.short.clone(),
                "detailed" => x.detailed = y.detailed.clone(),
                "concepts" => x.concepts = y.concepts.clone(),
                "tier" => x.tier = y.tier,
                _ => {}
            },
            |x| &x.id,
        );
    }
    for x in &new.practice {
        let key = format!("practice/{}", x.id);
        let mut x2 = x.clone();
        x2.concepts = x
            .concepts
            .iter()
            .filter_map(|&c| concept_of(&out, c))
            .collect();
        x2.tier = x2
            .concepts
            .iter()
            .map(|&c| out.concepts[c].tier)
            .min()
            .unwrap_or(Tier::Medium);
        let out_ids: Vec<String> = out.concepts.iter().map(|c| c.id.clone()).collect();
        merge_item(
            &mut out.practice,
            x2,
            &key,
            old,
            &mut next,
            &mut m,
            practice_fields,
            &out_ids,
            |a: &mut Practice, b: &Practice, f| match f {
                "question" => a.question = b.question.clone(),
                "code" => a.snippet.code = b.snippet.code.clone(),
                "lang" => a.snippet.lang = b.snippet.lang.clone(),
                "answer" => a.answer = b.answer.clone(),
                "level" => a.level = b.level,
                "concepts" => a.concepts = b.concepts.clone(),
                "tier" => a.tier = b.tier,
                _ => {}
            },
            |x| &x.id,
        );
    }

    retire(&mut out, old, &mut next, new, &mut m);

    let toml = to_toml_with(&out, |item| {
        match item {
        Item::Topic => Some("Imported by `memseed import`; re-imported with --update (your edits kept; see docs/import.md).".into()),
        Item::Concept(i) => comments.get(&out.concepts[i].id).cloned(),
        _ => None,
    }
    });
    let (pack, _) = memseed_core::load_str(&existing.source, &toml)?;
    m.pack = pack;
    m.toml = toml;
    m.sidecar = next;
    Ok(m)
}

/// Records one merged item: its counts, its report line, its hashes.
fn finish(next: &mut Sidecar, key: String, d: Decide<'_>, m: &mut Merged) {
    if d.changed {
        m.updated += 1;
    }
    if !d.kept.is_empty() {
        m.kept += 1;
        m.report
            .push(format!("kept your edits to {key}: {}", d.kept.join(", ")));
    }
    next.items.insert(key, d.record);
}

fn hashes(fields: &[(&'static str, Option<String>)]) -> BTreeMap<String, String> {
    fields
        .iter()
        .map(|(f, v)| (f.to_string(), hash(v)))
        .collect()
}

/// Merges one trap, question or practice question by the field rule.
#[allow(clippy::too_many_arguments)]
fn merge_item<T: Clone>(
    list: &mut Vec<T>,
    fresh: T,
    key: &str,
    old: &Sidecar,
    next: &mut Sidecar,
    m: &mut Merged,
    fields: impl Fn(&[String], &T) -> Fields,
    out: &[String],
    set: impl Fn(&mut T, &T, &str),
    id: impl Fn(&T) -> &String,
) {
    let fresh_fields = fields(out, &fresh);
    match list.iter().position(|x| id(x) == id(&fresh)) {
        None => {
            list.push(fresh);
            m.added += 1;
            next.items.insert(key.to_string(), hashes(&fresh_fields));
        }
        Some(i) => {
            let mut d = Decide {
                old: old.items.get(key),
                record: BTreeMap::new(),
                kept: Vec::new(),
                changed: false,
            };
            let cur = fields(out, &list[i]);
            for ((f, cv), (_, nv)) in cur.iter().zip(&fresh_fields) {
                if d.take(f, cv, nv) {
                    set(&mut list[i], &fresh, f);
                }
            }
            if d.changed {
                m.updated += 1;
            }
            if !d.kept.is_empty() {
                m.kept += 1;
                m.report
                    .push(format!("kept your edits to {key}: {}", d.kept.join(", ")));
            }
            next.items.insert(key.to_string(), d.record);
        }
    }
}

fn set_concept(out: &mut Pack, i: usize, f: &str, c: &Concept, cat: usize) {
    let x = &mut out.concepts[i];
    match f {
        "title" => x.title = c.title.clone(),
        "category" => x.category = cat,
        "tier" => x.tier = c.tier,
        "anchor" => x.anchor = c.anchor.clone(),
        "basic" => x.basic = c.basic.clone(),
        "expected" => x.expected = c.expected.clone(),
        "deep" => x.deep = c.deep.clone(),
        "code" => x.snippet.code = c.snippet.code.clone(),
        "lang" => x.snippet.lang = c.snippet.lang.clone(),
        "interview" => x.interview = c.interview.clone(),
        "trap" => x.trap = c.trap.clone(),
        "tags" => x.tags = c.tags.clone(),
        _ => {}
    }
    // `lang` describes `code`: without code it must go.
    if x.snippet.code.is_none() {
        x.snippet = Snippet::default();
    }
}

/// Items the importer made before whose notes are gone: removed when untouched, kept (and
/// named) when the person edited them. Items the person added are left alone.
fn retire(out: &mut Pack, old: &Sidecar, next: &mut Sidecar, new: &Pack, m: &mut Merged) {
    let fresh_keys: std::collections::HashSet<String> =
        all_fields(new).into_iter().map(|(k, _)| k).collect();
    let current = all_fields(out);
    let mut gone: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (key, fields) in &current {
        if fresh_keys.contains(key) || key == "topic" {
            continue;
        }
        let Some(last) = old.items.get(key) else {
            continue; // the person's own item
        };
        let edited = fields
            .iter()
            .any(|(f, v)| last.get(*f).is_some_and(|h| *h != hash(v)));
        if edited {
            m.report.push(format!(
                "{key}: its note is gone, but you edited it, so it stays"
            ));
            next.items.insert(key.clone(), last.clone());
        } else {
            gone.insert(key.clone());
        }
    }
    if gone.is_empty() {
        return;
    }
    let mut names: Vec<&String> = gone.iter().collect();
    names.sort();
    for k in &names {
        m.report.push(format!(
            "retired {k}: its note is gone (study history is kept)"
        ));
    }
    m.retired += gone.len();
    // Remove and re-index.
    let keep_c: Vec<bool> = out
        .concepts
        .iter()
        .map(|c| !gone.contains(&format!("concept/{}", c.id)))
        .collect();
    let mut index = vec![None; out.concepts.len()];
    let mut n = 0;
    for (i, k) in keep_c.iter().enumerate() {
        if *k {
            index[i] = Some(n);
            n += 1;
        }
    }
    let mut k = keep_c.iter();
    out.concepts.retain(|_| *k.next().unwrap_or(&true));
    for c in &mut out.concepts {
        c.derives = c.derives.iter().filter_map(|&d| index[d]).collect();
    }
    out.traps
        .retain(|t| !gone.contains(&format!("trap/{}", t.id)));
    for t in &mut out.traps {
        t.concept = t.concept.and_then(|c| index[c]);
    }
    out.questions
        .retain(|q| !gone.contains(&format!("question/{}", q.id)));
    for q in &mut out.questions {
        q.concepts = q.concepts.iter().filter_map(|&c| index[c]).collect();
    }
    out.practice
        .retain(|p| !gone.contains(&format!("practice/{}", p.id)));
    for p in &mut out.practice {
        p.concepts = p.concepts.iter().filter_map(|&c| index[c]).collect();
    }
    // Categories the importer made that no concept uses any more.
    let used: Vec<bool> = (0..out.categories.len())
        .map(|i| out.concepts.iter().any(|c| c.category == i))
        .collect();
    let mut cat_index = vec![0; out.categories.len()];
    let mut n = 0;
    let mut keep_cat = Vec::new();
    for (i, c) in out.categories.iter().enumerate() {
        let key = format!("category/{}", c.id);
        let drop = !used[i] && gone_or_unused(&key, old, &fresh_keys);
        keep_cat.push(!drop);
        cat_index[i] = n;
        if !drop {
            n += 1;
        }
    }
    if out.concepts.is_empty() || n == 0 {
        return;
    }
    let mut k = keep_cat.iter();
    out.categories.retain(|_| *k.next().unwrap_or(&true));
    for c in &mut out.concepts {
        c.category = cat_index[c.category];
    }
}

fn gone_or_unused(key: &str, old: &Sidecar, fresh: &std::collections::HashSet<String>) -> bool {
    old.items.contains_key(key) && !fresh.contains(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(format!("{:016x}", fnv("a")), "af63dc4c8601ec8c");
    }

    #[test]
    fn sidecar_json_round_trips() {
        let mut s = Sidecar::default();
        s.items.insert(
            "concept/gil".into(),
            [("anchor".to_string(), "00ff".to_string())].into(),
        );
        assert_eq!(Sidecar::from_json(&s.to_json()).unwrap(), s);
        assert!(Sidecar::from_json("{}").is_err());
        assert!(Sidecar::from_json("nope").is_err());
    }
}
