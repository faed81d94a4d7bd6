//! Loading a pack from TOML text: parse to a spanned document, walk it against the format,
//! collect every error with its position, and build a [`Pack`] only if there were none.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{PackError, PackErrors, Warning};
use super::{
    Category, Concept, Difficulty, MapSection, Pack, Practice, Question, Snippet, Tier, Topic,
    Trap, text,
};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// Anchors longer than this many bytes get a warning: they crowd small cards.
const ANCHOR_WARN_BYTES: usize = 200;

const ROOT_KEYS: &[&str] = &[
    "format_version",
    "topic",
    "categories",
    "concepts",
    "traps",
    "questions",
    "practice",
];
const TOPIC_KEYS: &[&str] = &[
    "id",
    "title",
    "tagline",
    "language",
    "what_it_is",
    "why_it_exists",
    "when_to_use",
    "where_it_fails",
];
const CATEGORY_KEYS: &[&str] = &["id", "title", "map", "summary"];
const CONCEPT_KEYS: &[&str] = &[
    "id",
    "title",
    "category",
    "tier",
    "anchor",
    "basic",
    "expected",
    "deep",
    "code",
    "output",
    "raises",
    "min_version",
    "interview",
    "trap",
    "derives",
    "tags",
];
const TRAP_KEYS: &[&str] = &[
    "id",
    "title",
    "what",
    "fix",
    "concept",
    "tier",
    "code",
    "output",
    "raises",
    "min_version",
];
const QUESTION_KEYS: &[&str] = &[
    "id", "level", "question", "short", "detailed", "concepts", "tier",
];
const PRACTICE_KEYS: &[&str] = &[
    "id",
    "question",
    "code",
    "answer",
    "output",
    "raises",
    "min_version",
    "level",
    "concepts",
    "tier",
];

const TIERS: &[(&str, Tier)] = &[
    ("critical", Tier::Critical),
    ("high", Tier::High),
    ("medium", Tier::Medium),
    ("low", Tier::Low),
];
const LEVELS: &[(&str, Difficulty)] = &[
    ("beginner", Difficulty::Beginner),
    ("intermediate", Difficulty::Intermediate),
    ("expert", Difficulty::Expert),
];
const MAPS: &[(&str, MapSection)] = &[
    ("foundations", MapSection::Foundations),
    ("code-examples", MapSection::CodeExamples),
    ("quick-reference", MapSection::QuickReference),
    ("active-recall", MapSection::ActiveRecall),
];

/// Parses and validates one pack. `file` names the source in messages.
///
/// Returns the pack and its warnings, or every error found; never a partial pack.
pub fn load_str(file: &str, src: &str) -> Result<(Pack, Vec<Warning>), PackErrors> {
    let mut cx = Ctx::new(file, src);
    let root = match DeTable::parse(src) {
        Ok(root) => root,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            let msg = format!("TOML syntax error: {}", e.message().trim_end());
            cx.error(span, "", None, msg);
            return Err(PackErrors(cx.errors));
        }
    };
    let pack = cx.pack(root.get_ref(), root.span());
    if cx.errors.is_empty()
        && let Some(pack) = pack
    {
        return Ok((pack, cx.warnings));
    }
    cx.errors
        .sort_by(|a, b| (a.line, a.column).cmp(&(b.line, b.column)));
    Err(PackErrors(cx.errors))
}

/// A table being read, with the name used for it in messages.
struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    place: String,
}

impl<'t, 'i> Table<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }
}

/// An id with the span of its value, for reference checks.
type SpannedId = (String, Range<usize>);

/// Loading state: the source for positions, and what has gone wrong so far.
struct Ctx<'s> {
    file: &'s str,
    src: &'s str,
    errors: Vec<PackError>,
    warnings: Vec<Warning>,
}

impl<'s> Ctx<'s> {
    fn new(file: &'s str, src: &'s str) -> Self {
        Ctx {
            file,
            src,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        let before = &self.src[..floor_char_boundary(self.src, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }

    fn make(&self, span: Range<usize>, place: &str, field: Option<&str>, msg: String) -> PackError {
        let (line, column) = self.position(span.start);
        PackError {
            file: self.file.to_string(),
            line,
            column,
            place: place.to_string(),
            field: field.map(str::to_string),
            message: msg,
        }
    }

    fn error(&mut self, span: Range<usize>, place: &str, field: Option<&str>, msg: String) {
        let e = self.make(span, place, field, msg);
        self.errors.push(e);
    }

    fn warn(&mut self, span: Range<usize>, place: &str, field: Option<&str>, msg: String) {
        let w = Warning(self.make(span, place, field, msg));
        self.warnings.push(w);
    }

    // ---- the document ----

    fn pack(&mut self, root: &DeTable<'_>, span: Range<usize>) -> Option<Pack> {
        let root = Table {
            table: root,
            span,
            place: String::new(),
        };
        self.check_keys(&root, ROOT_KEYS);
        if !self.format_version(&root) {
            return None;
        }
        let topic = match root.get("topic") {
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => self.topic(&Table {
                    table: t,
                    span: v.span(),
                    place: "topic".into(),
                }),
                other => {
                    self.type_error(v.span(), "", "topic", "a table ([topic])", other);
                    None
                }
            },
            None => {
                self.error(0..0, "", Some("topic"), "missing required table [topic]".into());
                None
            }
        };

        let category_tables = self.array_of_tables(&root, "categories", "category", true);
        let concept_tables = self.array_of_tables(&root, "concepts", "concept", true);
        let trap_tables = self.array_of_tables(&root, "traps", "trap", false);
        let question_tables = self.array_of_tables(&root, "questions", "question", false);
        let practice_tables = self.array_of_tables(&root, "practice", "practice question", false);

        // Categories first: concepts refer to them.
        let mut categories = Vec::new();
        let mut category_ids = Vec::new();
        for t in &category_tables {
            if let Some((c, id)) = self.category(t) {
                categories.push(c);
                category_ids.push(id);
            }
        }
        let category_index = self.index_ids(&category_ids, "category");

        // Concepts: read fields now, resolve `derives` once all ids are known.
        let mut concepts = Vec::new();
        let mut concept_ids = Vec::new();
        let mut derives_raw = Vec::new();
        for t in &concept_tables {
            if let Some((c, id, derives)) = self.concept(t, &category_index, &category_ids) {
                concepts.push(c);
                concept_ids.push(id);
                derives_raw.push((t.place.clone(), derives));
            }
        }
        let concept_index = self.index_ids(&concept_ids, "concept");
        for (i, (place, derives)) in derives_raw.into_iter().enumerate() {
            let mut resolved = Vec::new();
            for (id, span) in derives {
                if id == concept_ids[i].0 {
                    self.error(
                        span,
                        &place,
                        Some("derives"),
                        format!("a concept cannot derive itself (\"{id}\")"),
                    );
                } else if let Some(j) = self.resolve(&concept_index, &concept_ids, &id, span, &place, "derives", "concept") {
                    if !resolved.contains(&j) {
                        resolved.push(j);
                    }
                }
            }
            concepts[i].derives = resolved;
        }

        let tiers: Vec<Tier> = concepts.iter().map(|c| c.tier).collect();
        let refs = Refs {
            index: &concept_index,
            ids: &concept_ids,
            tiers: &tiers,
        };
        let mut traps = Vec::new();
        let mut trap_ids = Vec::new();
        for t in &trap_tables {
            if let Some((trap, id)) = self.trap(t, &refs) {
                traps.push(trap);
                trap_ids.push(id);
            }
        }
        self.index_ids(&trap_ids, "trap");
        let mut questions = Vec::new();
        let mut question_ids = Vec::new();
        for t in &question_tables {
            if let Some((q, id)) = self.question(t, &refs) {
                questions.push(q);
                question_ids.push(id);
            }
        }
        self.index_ids(&question_ids, "question");
        let mut practice = Vec::new();
        let mut practice_ids = Vec::new();
        for t in &practice_tables {
            if let Some((p, id)) = self.practice(t, &refs) {
                practice.push(p);
                practice_ids.push(id);
            }
        }
        self.index_ids(&practice_ids, "practice question");

        for (i, c) in categories.iter().enumerate() {
            if !concepts.iter().any(|k| k.category == i) {
                let span = category_ids[i].1.clone();
                self.warn(span, &format!("category \"{}\"", c.id), None, "no concept is in this category".into());
            }
        }

        Some(Pack {
            source: self.file.to_string(),
            topic: topic?,
            categories,
            concepts,
            traps,
            questions,
            practice,
        })
    }

    /// Checks `format_version`; false means the rest of the file must not be read.
    fn format_version(&mut self, root: &Table<'_, '_>) -> bool {
        let Some(v) = root.get("format_version") else {
            self.error(
                0..0,
                "",
                Some("format_version"),
                format!("missing `format_version`; add `format_version = {FORMAT_VERSION}` at the top"),
            );
            return false;
        };
        match v.get_ref() {
            DeValue::Integer(i) => {
                if i.as_str().parse::<i64>().ok() == Some(FORMAT_VERSION) {
                    true
                } else {
                    self.error(
                        v.span(),
                        "",
                        Some("format_version"),
                        format!(
                            "unsupported format version {}; this memseed reads version {FORMAT_VERSION}",
                            i.as_str()
                        ),
                    );
                    false
                }
            }
            other => {
                self.type_error(v.span(), "", "format_version", "an integer", other);
                false
            }
        }
    }

    fn topic(&mut self, t: &Table<'_, '_>) -> Option<Topic> {
        self.check_keys(t, TOPIC_KEYS);
        let id = self.id(t);
        let title = self.string(t, "title", Kind::Line, true);
        let tagline = self.string(t, "tagline", Kind::Line, false);
        let language = self.string(t, "language", Kind::Line, false);
        let what_it_is = self.string(t, "what_it_is", Kind::Prose, true);
        let why_it_exists = self.string(t, "why_it_exists", Kind::Prose, false);
        let when_to_use = self.string_list(t, "when_to_use", Kind::Line);
        let where_it_fails = self.string_list(t, "where_it_fails", Kind::Line);
        Some(Topic {
            id: id?.0,
            title: title?,
            tagline,
            language,
            what_it_is: what_it_is?,
            why_it_exists,
            when_to_use: when_to_use.into_iter().map(|(s, _)| s).collect(),
            where_it_fails: where_it_fails.into_iter().map(|(s, _)| s).collect(),
        })
    }

    fn category(&mut self, t: &Table<'_, '_>) -> Option<(Category, SpannedId)> {
        self.check_keys(t, CATEGORY_KEYS);
        let id = self.id(t);
        let title = self.string(t, "title", Kind::Line, true);
        let map = self.choice(t, "map", MAPS, "learning-map section", true);
        let summary = self.string(t, "summary", Kind::Prose, false);
        let id = id?;
        Some((
            Category {
                id: id.0.clone(),
                title: title?,
                map: map?,
                summary,
            },
            id,
        ))
    }

    fn concept(
        &mut self,
        t: &Table<'_, '_>,
        category_index: &HashMap<String, usize>,
        category_ids: &[SpannedId],
    ) -> Option<(Concept, SpannedId, Vec<SpannedId>)> {
        self.check_keys(t, CONCEPT_KEYS);
        let id = self.id(t);
        let title = self.string(t, "title", Kind::Line, true);
        let category = self.string_spanned(t, "category", true).and_then(|(c, span)| {
            self.resolve(category_index, category_ids, &c, span, &t.place, "category", "category")
        });
        let tier = self.choice(t, "tier", TIERS, "tier", true);
        let anchor = self.string(t, "anchor", Kind::Prose, false);
        if let (Some(tier), None) = (tier, &anchor)
            && tier <= Tier::High
        {
            self.error(
                t.span.clone(),
                &t.place,
                Some("anchor"),
                format!("a {} concept needs an anchor (one vivid line to remember it by)", tier.as_str()),
            );
        }
        if let Some(a) = &anchor {
            let span = t.get("anchor").map(Spanned::span).unwrap_or(0..0);
            if a.contains('\n') {
                self.error(span.clone(), &t.place, Some("anchor"), "an anchor is one paragraph; remove the blank line".into());
            }
            if a.len() > ANCHOR_WARN_BYTES {
                self.warn(span, &t.place, Some("anchor"), format!("anchor is {} bytes; over {ANCHOR_WARN_BYTES} crowds small cards", a.len()));
            }
        }
        let basic = self.string(t, "basic", Kind::Prose, false);
        let expected = self.string(t, "expected", Kind::Prose, false);
        let deep = self.string(t, "deep", Kind::Prose, false);
        let snippet = self.snippet(t, false);
        let interview = self.string(t, "interview", Kind::Prose, false);
        let trap = self.string(t, "trap", Kind::Prose, false);
        let derives = self.id_list(t, "derives");
        let tags = self.string_list(t, "tags", Kind::Line);
        let id = id?;
        Some((
            Concept {
                id: id.0.clone(),
                title: title?,
                category: category?,
                tier: tier?,
                anchor,
                basic,
                expected,
                deep,
                snippet: snippet?,
                interview,
                trap,
                derives: Vec::new(),
                tags: tags.into_iter().map(|(s, _)| s).collect(),
            },
            id,
            derives,
        ))
    }

    fn trap(&mut self, t: &Table<'_, '_>, refs: &Refs<'_>) -> Option<(Trap, SpannedId)> {
        self.check_keys(t, TRAP_KEYS);
        let id = self.id(t);
        let title = self.string(t, "title", Kind::Line, true);
        let what = self.string(t, "what", Kind::Prose, true);
        if let Some(w) = &what
            && w.contains('\n')
        {
            let span = t.get("what").map(Spanned::span).unwrap_or(0..0);
            self.error(span, &t.place, Some("what"), "`what` is the trap's one line on the card; remove the blank line".into());
        }
        let fix = self.string(t, "fix", Kind::Prose, true);
        let concept = self
            .string_spanned(t, "concept", false)
            .map(|(c, span)| self.resolve(refs.index, refs.ids, &c, span, &t.place, "concept", "concept"));
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let snippet = self.snippet(t, false);
        let concept = match concept {
            Some(None) => return None,
            Some(Some(c)) => Some(c),
            None => None,
        };
        let tier = tier
            .or_else(|| concept.map(|c| refs.tiers[c]))
            .unwrap_or(Tier::Medium);
        let id = id?;
        Some((
            Trap {
                id: id.0.clone(),
                title: title?,
                what: what?,
                fix: fix?,
                concept,
                tier,
                snippet: snippet?,
            },
            id,
        ))
    }

    fn question(&mut self, t: &Table<'_, '_>, refs: &Refs<'_>) -> Option<(Question, SpannedId)> {
        self.check_keys(t, QUESTION_KEYS);
        let id = self.id(t);
        let level = self.choice(t, "level", LEVELS, "level", true);
        let question = self.string(t, "question", Kind::Prose, true);
        let short = self.string(t, "short", Kind::Prose, true);
        let detailed = self.string(t, "detailed", Kind::Prose, false);
        let concepts = self.concept_refs(t, refs)?;
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let id = id?;
        Some((
            Question {
                id: id.0.clone(),
                level: level?,
                question: question?,
                short: short?,
                detailed,
                tier: tier.unwrap_or_else(|| refs.top_tier(&concepts)),
                concepts,
            },
            id,
        ))
    }

    fn practice(&mut self, t: &Table<'_, '_>, refs: &Refs<'_>) -> Option<(Practice, SpannedId)> {
        self.check_keys(t, PRACTICE_KEYS);
        let id = self.id(t);
        let question = self.string(t, "question", Kind::Prose, true);
        let snippet = self.snippet(t, true);
        let answer = self.string(t, "answer", Kind::Prose, true);
        let level = self.choice(t, "level", LEVELS, "level", false);
        let concepts = self.concept_refs(t, refs)?;
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let id = id?;
        Some((
            Practice {
                id: id.0.clone(),
                question: question?,
                snippet: snippet?,
                answer: answer?,
                level,
                tier: tier.unwrap_or_else(|| refs.top_tier(&concepts)),
                concepts,
            },
            id,
        ))
    }

    fn snippet(&mut self, t: &Table<'_, '_>, code_required: bool) -> Option<Snippet> {
        let code = self.string(t, "code", Kind::Code, code_required);
        if code_required && code.is_none() {
            return None;
        }
        Some(Snippet {
            code,
            output: self.string(t, "output", Kind::Code, false),
            raises: self.string(t, "raises", Kind::Line, false),
            min_version: self.string(t, "min_version", Kind::Line, false),
        })
    }

    fn concept_refs(&mut self, t: &Table<'_, '_>, refs: &Refs<'_>) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (id, span) in self.id_list(t, "concepts") {
            match self.resolve(refs.index, refs.ids, &id, span, &t.place, "concepts", "concept") {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    // ---- structure helpers ----

    /// Reads `[[key]]`: each entry becomes a [`Table`] named after its id when it has one.
    fn array_of_tables<'t, 'i>(
        &mut self,
        root: &Table<'t, 'i>,
        key: &str,
        noun: &str,
        required: bool,
    ) -> Vec<Table<'t, 'i>> {
        let Some(v) = root.get(key) else {
            if required {
                self.error(0..0, "", Some(key), format!("missing required [[{key}]]: a pack needs at least one {noun}"));
            }
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(v.span(), "", key, &format!("an array of tables ([[{key}]])"), v.get_ref());
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    let place = match t.get("id").map(|v| v.get_ref()) {
                        Some(DeValue::String(id)) if !id.trim().is_empty() => format!("{noun} \"{}\"", id.trim()),
                        _ => format!("{key}[{i}]"),
                    };
                    out.push(Table {
                        table: t,
                        span: item.span(),
                        place,
                    });
                }
                other => self.type_error(item.span(), &format!("{key}[{i}]"), key, "a table", other),
            }
        }
        if required && out.is_empty() && items.is_empty() {
            self.error(v.span(), "", Some(key), format!("a pack needs at least one {noun}"));
        }
        out
    }

    /// Reports every key of `t` that the format does not know, with the nearest known one.
    fn check_keys(&mut self, t: &Table<'_, '_>, allowed: &[&str]) {
        for (key, _) in t.table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                let hint = match nearest(name, allowed.iter().copied()) {
                    Some(s) => format!("; did you mean `{s}`?"),
                    None => format!("; known fields: {}", allowed.join(", ")),
                };
                self.error(key.span(), &t.place, Some(name), format!("unknown field `{name}`{hint}"));
            }
        }
    }

    fn type_error(&mut self, span: Range<usize>, place: &str, field: &str, want: &str, got: &DeValue<'_>) {
        self.error(
            span,
            place,
            Some(field),
            format!("expected {want}, found {}", got.type_str()),
        );
    }

    /// Reads a string field, normalised by `kind`. Reports missing, mistyped or empty values.
    fn string(&mut self, t: &Table<'_, '_>, key: &str, kind: Kind, required: bool) -> Option<String> {
        let (raw, span) = self.raw_string(t, key, required)?;
        let s = kind.normalise(&raw);
        if s.is_empty() {
            if required {
                self.error(span, &t.place, Some(key), format!("`{key}` must not be empty"));
            }
            return None;
        }
        Some(s)
    }

    fn string_spanned(&mut self, t: &Table<'_, '_>, key: &str, required: bool) -> Option<SpannedId> {
        let (raw, span) = self.raw_string(t, key, required)?;
        Some((raw.trim().to_string(), span))
    }

    fn raw_string(&mut self, t: &Table<'_, '_>, key: &str, required: bool) -> Option<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            if required {
                self.error(
                    t.span.clone(),
                    &t.place,
                    Some(key),
                    format!("missing required field `{key}`"),
                );
            }
            return None;
        };
        match v.get_ref() {
            DeValue::String(s) => Some((s.to_string(), v.span())),
            other => {
                self.type_error(v.span(), &t.place, key, "a string", other);
                None
            }
        }
    }

    fn string_list(&mut self, t: &Table<'_, '_>, key: &str, kind: Kind) -> Vec<SpannedId> {
        let Some(v) = t.get(key) else {
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(v.span(), &t.place, key, "an array of strings", v.get_ref());
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let s = kind.normalise(s);
                    if s.is_empty() {
                        self.error(item.span(), &t.place, Some(key), "empty string in list".into());
                    } else {
                        out.push((s, item.span()));
                    }
                }
                other => self.type_error(item.span(), &t.place, key, "a string", other),
            }
        }
        out
    }

    fn id_list(&mut self, t: &Table<'_, '_>, key: &str) -> Vec<SpannedId> {
        self.string_list(t, key, Kind::Line)
    }

    fn id(&mut self, t: &Table<'_, '_>) -> Option<SpannedId> {
        let (id, span) = self.string_spanned(t, "id", true)?;
        if valid_id(&id) {
            Some((id, span))
        } else {
            self.error(
                span,
                &t.place,
                Some("id"),
                format!("invalid id \"{id}\": use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit"),
            );
            None
        }
    }

    fn choice<T: Copy>(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        accepted: &[(&str, T)],
        noun: &str,
        required: bool,
    ) -> Option<T> {
        let (raw, span) = self.raw_string(t, key, required)?;
        let v = raw.trim();
        if let Some((_, x)) = accepted.iter().find(|(name, _)| *name == v) {
            return Some(*x);
        }
        let names: Vec<&str> = accepted.iter().map(|(n, _)| *n).collect();
        let hint = nearest(&v.to_lowercase(), names.iter().copied())
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error(
            span,
            &t.place,
            Some(key),
            format!("unknown {noun} \"{v}\"{hint} (accepted: {})", names.join(", ")),
        );
        None
    }

    /// Maps ids to positions, reporting duplicates.
    fn index_ids(&mut self, ids: &[SpannedId], noun: &str) -> HashMap<String, usize> {
        let mut index = HashMap::with_capacity(ids.len());
        for (i, (id, span)) in ids.iter().enumerate() {
            if let Some(&first) = index.get(id) {
                let first: usize = first;
                let (line, _) = self.position(ids[first].1.start);
                self.error(
                    span.clone(),
                    &format!("{noun} \"{id}\""),
                    Some("id"),
                    format!("duplicate {noun} id \"{id}\" (first defined on line {line})"),
                );
            } else {
                index.insert(id.clone(), i);
            }
        }
        index
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve(
        &mut self,
        index: &HashMap<String, usize>,
        ids: &[SpannedId],
        id: &str,
        span: Range<usize>,
        place: &str,
        field: &str,
        noun: &str,
    ) -> Option<usize> {
        if let Some(&i) = index.get(id) {
            return Some(i);
        }
        let hint = nearest(id, ids.iter().map(|(s, _)| s.as_str()))
            .map(|s| format!("; did you mean \"{s}\"?"))
            .unwrap_or_default();
        self.error(span, place, Some(field), format!("unknown {noun} \"{id}\"{hint}"));
        None
    }
}

/// Concept lookups shared by traps, questions and practice.
struct Refs<'a> {
    index: &'a HashMap<String, usize>,
    ids: &'a [SpannedId],
    tiers: &'a [Tier],
}

impl Refs<'_> {
    /// The highest tier among the given concepts, or medium when there are none.
    fn top_tier(&self, concepts: &[usize]) -> Tier {
        concepts
            .iter()
            .map(|&c| self.tiers[c])
            .min()
            .unwrap_or(Tier::Medium)
    }
}

/// How a string field is normalised.
#[derive(Clone, Copy)]
enum Kind {
    Line,
    Prose,
    Code,
}

impl Kind {
    fn normalise(self, raw: &str) -> String {
        match self {
            Kind::Line => text::line(raw),
            Kind::Prose => text::prose(raw),
            Kind::Code => text::code(raw),
        }
    }
}

fn valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= 64
        && b[0].is_ascii_alphanumeric()
        && b
            .iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'_')
}

/// The candidate closest to `word`, if it is close enough to be a likely misspelling.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(word, c);
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    let (d, c) = best?;
    let limit = (word.chars().count().max(c.chars().count()) / 3).max(1);
    (d <= limit).then_some(c)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_suggests_close_names_only() {
        assert_eq!(nearest("anchr", CONCEPT_KEYS.iter().copied()), Some("anchor"));
        assert_eq!(nearest("derive", CONCEPT_KEYS.iter().copied()), Some("derives"));
        assert_eq!(nearest("zzzzzz", CONCEPT_KEYS.iter().copied()), None);
    }

    #[test]
    fn ids_are_checked() {
        for ok in ["gil", "a", "dict-internals", "x_1", "3d"] {
            assert!(valid_id(ok), "{ok}");
        }
        for bad in ["", "-a", "Gil", "a b", "é", &"a".repeat(65)] {
            assert!(!valid_id(bad), "{bad}");
        }
    }
}
