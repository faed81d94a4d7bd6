//! Loading a pack from TOML text: parse to a spanned document, walk it against the format,
//! collect every error with its position, and build a [`Pack`] only if there were none.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::error::{PackError, PackErrors, Warning};
use super::ids::{valid_id, valid_lang};
use super::{
    Category, Concept, Difficulty, MapSection, Pack, Practice, Question, Snippet, Tier, Topic,
    Trap, text,
};

/// The format version this build reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// Anchors longer than this many bytes get a warning: they crowd small cards.
const ANCHOR_WARN_BYTES: usize = 200;

/// Errors listed at most; the rest are counted ("and 12,345 more"). A pack with more is
/// broken in bulk, and the first ones say how.
pub const MAX_ERRORS: usize = 100;

/// Unknown references that get a "did you mean" (a search over every id of their kind).
const MAX_SUGGESTIONS: usize = 20;

/// Longest user text echoed in a message, in characters.
const ECHO_CHARS: usize = 80;

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
    "image",
    "basic",
    "expected",
    "deep",
    "code",
    "output",
    "raises",
    "min_version",
    "lang",
    "illustrative",
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
    "lang",
    "illustrative",
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
    "lang",
    "illustrative",
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
            // Some errors (the parser's recursion limit) carry no position: point at the
            // most deeply nested line instead of the top of the file.
            let span = e.span().unwrap_or_else(|| deepest_line(src));
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
    cx.errors.sort_by_key(|e| (e.line, e.column));
    if cx.more_errors > 0 {
        let last = cx.errors.last().map_or((1, 1), |e| (e.line, e.column));
        cx.errors.push(PackError {
            file: file.to_string(),
            line: last.0,
            column: last.1,
            place: String::new(),
            field: None,
            message: format!(
                "and {} more errors (the first {MAX_ERRORS} are listed; fix those first)",
                cx.more_errors
            ),
        });
    }
    Err(PackErrors(cx.errors))
}

/// A table being read, with the name used for it in messages.
struct Table<'t, 'i> {
    table: &'t DeTable<'i>,
    span: Range<usize>,
    place: String,
    /// Known keys that an unknown key of this table probably misspells; a "missing" error
    /// for them would only repeat the unknown-key error.
    misspelt: Vec<&'static str>,
}

impl<'t, 'i> Table<'t, 'i> {
    fn get(&self, key: &str) -> Option<&'t Spanned<DeValue<'i>>> {
        self.table.get(key)
    }
}

/// The ids of every entry of one kind, registered before any other field is read, so that
/// references resolve even to entries that fail elsewhere (one error, not a cascade).
struct Ids {
    noun: &'static str,
    /// Per entry, its id if valid.
    list: Vec<Option<SpannedId>>,
    index: HashMap<String, usize>,
}

/// An id with the span of its value, for reference checks.
type SpannedId = (String, Range<usize>);

/// Loading state: the source for positions, and what has gone wrong so far.
struct Ctx<'s> {
    file: &'s str,
    src: &'s str,
    /// Byte offset where each line starts, for positions in O(log n).
    line_starts: Vec<usize>,
    errors: Vec<PackError>,
    /// Errors past [`MAX_ERRORS`], counted, not listed.
    more_errors: usize,
    /// "Did you mean" searches left.
    suggestions_left: usize,
    warnings: Vec<Warning>,
}

impl<'s> Ctx<'s> {
    fn new(file: &'s str, src: &'s str) -> Self {
        let line_starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Ctx {
            file,
            src,
            line_starts,
            errors: Vec::new(),
            more_errors: 0,
            suggestions_left: MAX_SUGGESTIONS,
            warnings: Vec::new(),
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    fn position(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.src, offset.min(self.src.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = self.src[start..offset].chars().count() + 1;
        (line, column)
    }

    /// Whether more errors would only be counted.
    fn full(&self) -> bool {
        self.errors.len() >= MAX_ERRORS
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
        if self.full() {
            self.more_errors += 1;
            return;
        }
        let e = self.make(span, place, field, msg);
        self.errors.push(e);
    }

    fn warn(&mut self, span: Range<usize>, place: &str, field: Option<&str>, msg: String) {
        let w = Warning(self.make(span, place, field, msg));
        self.warnings.push(w);
    }

    // ---- the document ----

    fn pack(&mut self, root: &DeTable<'_>, span: Range<usize>) -> Option<Pack> {
        let root = self.table(root, span, String::new(), ROOT_KEYS);
        if !self.format_version(&root) {
            return None;
        }
        let topic = match root.get("topic") {
            Some(v) => match v.get_ref() {
                DeValue::Table(t) => {
                    let t = self.table(t, v.span(), "topic".into(), TOPIC_KEYS);
                    self.topic(&t)
                }
                other => {
                    self.type_error(v.span(), "", "topic", "a table ([topic])", other);
                    None
                }
            },
            None => {
                self.error(
                    0..0,
                    "",
                    Some("topic"),
                    "missing required table [topic]".into(),
                );
                None
            }
        };

        let category_t = self.array_of_tables(&root, "categories", "category", CATEGORY_KEYS, true);
        let concept_t = self.array_of_tables(&root, "concepts", "concept", CONCEPT_KEYS, true);
        let trap_t = self.array_of_tables(&root, "traps", "trap", TRAP_KEYS, false);
        let question_t = self.array_of_tables(&root, "questions", "question", QUESTION_KEYS, false);
        let practice_t =
            self.array_of_tables(&root, "practice", "practice question", PRACTICE_KEYS, false);

        let category_ids = self.ids(&category_t, "category");
        let concept_ids = self.ids(&concept_t, "concept");
        let trap_ids = self.ids(&trap_t, "trap");
        let question_ids = self.ids(&question_t, "question");
        let practice_ids = self.ids(&practice_t, "practice question");

        let categories: Vec<Option<Category>> = category_t
            .iter()
            .zip(&category_ids.list)
            .map(|(t, id)| self.category(t, id.as_ref()?))
            .collect();
        let concepts: Vec<Option<Concept>> = concept_t
            .iter()
            .zip(&concept_ids.list)
            .map(|(t, id)| self.concept(t, id.as_ref()?, &category_ids, &concept_ids))
            .collect();
        // A concept that failed still has a tier for its traps' defaults; the pack is not
        // built in that case anyway.
        let tiers: Vec<Tier> = concepts
            .iter()
            .map(|c| c.as_ref().map_or(Tier::Medium, |c| c.tier))
            .collect();
        let refs = Refs {
            ids: &concept_ids,
            tiers: &tiers,
        };
        let traps: Vec<Option<Trap>> = trap_t
            .iter()
            .zip(&trap_ids.list)
            .map(|(t, id)| self.trap(t, id.as_ref()?, &refs))
            .collect();
        let questions: Vec<Option<Question>> = question_t
            .iter()
            .zip(&question_ids.list)
            .map(|(t, id)| self.question(t, id.as_ref()?, &refs))
            .collect();
        let practice: Vec<Option<Practice>> = practice_t
            .iter()
            .zip(&practice_ids.list)
            .map(|(t, id)| self.practice(t, id.as_ref()?, &refs))
            .collect();

        for (i, c) in categories.iter().enumerate() {
            if let Some(c) = c
                && !concepts.iter().flatten().any(|k| k.category == i)
            {
                let span = category_t[i].span.clone();
                self.warn(
                    span,
                    &category_t[i].place,
                    None,
                    format!("no concept is in category \"{}\"", c.id),
                );
            }
        }

        Some(Pack {
            source: self.file.to_string(),
            topic: topic?,
            categories: categories.into_iter().collect::<Option<_>>()?,
            concepts: concepts.into_iter().collect::<Option<_>>()?,
            traps: traps.into_iter().collect::<Option<_>>()?,
            questions: questions.into_iter().collect::<Option<_>>()?,
            practice: practice.into_iter().collect::<Option<_>>()?,
        })
    }

    /// Checks `format_version`; false means the rest of the file must not be read.
    fn format_version(&mut self, root: &Table<'_, '_>) -> bool {
        let Some(v) = root.get("format_version") else {
            self.error(
                0..0,
                "",
                Some("format_version"),
                format!("missing; add `format_version = {FORMAT_VERSION}` at the top of the file"),
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

    fn category(&mut self, t: &Table<'_, '_>, id: &SpannedId) -> Option<Category> {
        let title = self.string(t, "title", Kind::Line, true);
        let map = self.choice(t, "map", MAPS, "learning-map section", true);
        let summary = self.string(t, "summary", Kind::Prose, false);
        Some(Category {
            id: id.0.clone(),
            title: title?,
            map: map?,
            summary,
        })
    }

    fn concept(
        &mut self,
        t: &Table<'_, '_>,
        id: &SpannedId,
        categories: &Ids,
        concepts: &Ids,
    ) -> Option<Concept> {
        let title = self.string(t, "title", Kind::Line, true);
        let category = self
            .string_spanned(t, "category", true)
            .and_then(|(c, span)| self.resolve(categories, &c, span, &t.place, "category"));
        let tier = self.choice(t, "tier", TIERS, "tier", true);
        let anchor = self.string(t, "anchor", Kind::Prose, false);
        if let (Some(tier), None) = (tier, &anchor)
            && tier <= Tier::High
            && !t.misspelt.contains(&"anchor")
        {
            self.error(
                t.span.clone(),
                &t.place,
                Some("anchor"),
                format!(
                    "a {} concept needs an anchor (one vivid line to remember it by)",
                    tier.as_str()
                ),
            );
        }
        if let Some(a) = &anchor {
            let span = t.get("anchor").map(Spanned::span).unwrap_or(0..0);
            if a.contains('\n') {
                self.error(
                    span.clone(),
                    &t.place,
                    Some("anchor"),
                    "an anchor is one paragraph; remove the blank line".into(),
                );
            }
            if a.len() > ANCHOR_WARN_BYTES {
                self.warn(
                    span,
                    &t.place,
                    Some("anchor"),
                    format!(
                        "anchor is {} bytes; over {ANCHOR_WARN_BYTES} crowds small cards",
                        a.len()
                    ),
                );
            }
        }
        let image = self.string(t, "image", Kind::Line, false);
        if image.is_some() && anchor.is_none() {
            let span = t.get("image").map(Spanned::span).unwrap_or(0..0);
            self.error(
                span,
                &t.place,
                Some("image"),
                "`image` names the picture of the anchor; this concept has no anchor".into(),
            );
        }
        let basic = self.string(t, "basic", Kind::Prose, false);
        let expected = self.string(t, "expected", Kind::Prose, false);
        let deep = self.string(t, "deep", Kind::Prose, false);
        let snippet = self.snippet(t, false);
        let interview = self.string(t, "interview", Kind::Prose, false);
        let trap = self.string(t, "trap", Kind::Prose, false);
        let mut derives = Vec::new();
        let mut derives_ok = true;
        for (d, span) in self.id_list(t, "derives") {
            if d == id.0 {
                self.error(
                    span,
                    &t.place,
                    Some("derives"),
                    format!(
                        "a concept cannot derive itself (\"{}\")",
                        text::clip(&d, ECHO_CHARS)
                    ),
                );
                derives_ok = false;
            } else {
                match self.resolve(concepts, &d, span, &t.place, "derives") {
                    Some(j) if !derives.contains(&j) => derives.push(j),
                    Some(_) => {}
                    None => derives_ok = false,
                }
            }
        }
        let tags = self.string_list(t, "tags", Kind::Line);
        if !derives_ok {
            return None;
        }
        Some(Concept {
            id: id.0.clone(),
            title: title?,
            category: category?,
            tier: tier?,
            anchor,
            image,
            basic,
            expected,
            deep,
            snippet: snippet?,
            interview,
            trap,
            derives,
            tags: tags.into_iter().map(|(s, _)| s).collect(),
        })
    }

    fn trap(&mut self, t: &Table<'_, '_>, id: &SpannedId, refs: &Refs<'_>) -> Option<Trap> {
        let title = self.string(t, "title", Kind::Line, true);
        let what = self.string(t, "what", Kind::Prose, true);
        if let Some(w) = &what
            && w.contains('\n')
        {
            let span = t.get("what").map(Spanned::span).unwrap_or(0..0);
            self.error(
                span,
                &t.place,
                Some("what"),
                "`what` is the trap's one line on the card; remove the blank line".into(),
            );
        }
        let fix = self.string(t, "fix", Kind::Prose, true);
        let concept = match self.string_spanned(t, "concept", false) {
            Some((c, span)) => Some(self.resolve(refs.ids, &c, span, &t.place, "concept")?),
            None => None,
        };
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let snippet = self.snippet(t, false);
        let tier = tier
            .or_else(|| concept.map(|c| refs.tiers[c]))
            .unwrap_or(Tier::Medium);
        Some(Trap {
            id: id.0.clone(),
            title: title?,
            what: what?,
            fix: fix?,
            concept,
            tier,
            snippet: snippet?,
        })
    }

    fn question(&mut self, t: &Table<'_, '_>, id: &SpannedId, refs: &Refs<'_>) -> Option<Question> {
        let level = self.choice(t, "level", LEVELS, "level", true);
        let question = self.string(t, "question", Kind::Prose, true);
        let short = self.string(t, "short", Kind::Prose, true);
        let detailed = self.string(t, "detailed", Kind::Prose, false);
        let concepts = self.concept_refs(t, refs);
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let concepts = concepts?;
        Some(Question {
            id: id.0.clone(),
            level: level?,
            question: question?,
            short: short?,
            detailed,
            tier: tier.unwrap_or_else(|| refs.top_tier(&concepts)),
            concepts,
        })
    }

    fn practice(&mut self, t: &Table<'_, '_>, id: &SpannedId, refs: &Refs<'_>) -> Option<Practice> {
        let question = self.string(t, "question", Kind::Prose, true);
        let snippet = self.snippet(t, true);
        let answer = self.string(t, "answer", Kind::Prose, true);
        let level = self.choice(t, "level", LEVELS, "level", false);
        let concepts = self.concept_refs(t, refs);
        let tier = self.choice(t, "tier", TIERS, "tier", false);
        let concepts = concepts?;
        Some(Practice {
            id: id.0.clone(),
            question: question?,
            snippet: snippet?,
            answer: answer?,
            level,
            tier: tier.unwrap_or_else(|| refs.top_tier(&concepts)),
            concepts,
        })
    }

    fn snippet(&mut self, t: &Table<'_, '_>, code_required: bool) -> Option<Snippet> {
        let code = self.string(t, "code", Kind::Code, code_required);
        if code_required && code.is_none() {
            return None;
        }
        let lang = self.string(t, "lang", Kind::Line, false);
        if let Some(l) = &lang
            && !valid_lang(l)
        {
            let span = t.get("lang").map(Spanned::span).unwrap_or(0..0);
            self.error(
                span,
                &t.place,
                Some("lang"),
                format!(
                    "language {:?} is not a plain name (letters, digits, `+`, `-`, `#`, `.`; e.g. `sql`, `yaml`, `sh`)",
                    text::clip(l, 80)
                ),
            );
        }
        let illustrative = self.boolean(t, "illustrative").unwrap_or(false);
        for key in ["lang", "illustrative"] {
            if code.is_none() && t.get(key).is_some() {
                let span = t.get(key).map(Spanned::span).unwrap_or(0..0);
                self.error(
                    span,
                    &t.place,
                    Some(key),
                    format!("`{key}` describes `code`, which this entry does not have"),
                );
            }
        }
        Some(Snippet {
            code,
            output: self.string(t, "output", Kind::Code, false),
            raises: self.string(t, "raises", Kind::Line, false),
            min_version: self.string(t, "min_version", Kind::Line, false),
            lang,
            illustrative,
        })
    }

    fn concept_refs(&mut self, t: &Table<'_, '_>, refs: &Refs<'_>) -> Option<Vec<usize>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (id, span) in self.id_list(t, "concepts") {
            match self.resolve(refs.ids, &id, span, &t.place, "concepts") {
                Some(i) if !out.contains(&i) => out.push(i),
                Some(_) => {}
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    // ---- structure helpers ----

    /// Wraps a table for reading, reporting its unknown keys once.
    fn table<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        span: Range<usize>,
        place: String,
        allowed: &'static [&'static str],
    ) -> Table<'t, 'i> {
        let mut misspelt = Vec::new();
        for (key, _) in table.iter() {
            let name = key.get_ref().as_ref();
            if !allowed.contains(&name) {
                if self.full() {
                    self.more_errors += 1;
                    continue;
                }
                let near = if name.len() <= 64 {
                    nearest(name, allowed.iter().copied())
                } else {
                    None
                };
                let hint = match near {
                    Some(s) => {
                        misspelt.push(s);
                        format!("did you mean `{s}`?")
                    }
                    None => format!("known fields: {}", allowed.join(", ")),
                };
                self.error(
                    key.span(),
                    &place,
                    Some(&text::clip(name, ECHO_CHARS)),
                    format!("unknown field; {hint}"),
                );
            }
        }
        Table {
            table,
            span,
            place,
            misspelt,
        }
    }

    /// Reads `[[key]]`: each entry becomes a [`Table`] named after its id when it has one.
    fn array_of_tables<'t, 'i>(
        &mut self,
        root: &Table<'t, 'i>,
        key: &str,
        noun: &str,
        allowed: &'static [&'static str],
        required: bool,
    ) -> Vec<Table<'t, 'i>> {
        let Some(v) = root.get(key) else {
            if required && !root.misspelt.contains(&key) {
                self.error(
                    0..0,
                    "",
                    Some(key),
                    format!("missing required [[{key}]]: a pack needs at least one {noun}"),
                );
            }
            return Vec::new();
        };
        let DeValue::Array(items) = v.get_ref() else {
            self.type_error(
                v.span(),
                "",
                key,
                &format!("an array of tables ([[{key}]])"),
                v.get_ref(),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.get_ref() {
                DeValue::Table(t) => {
                    let place = match t.get("id").map(|v| v.get_ref()) {
                        Some(DeValue::String(id)) if !id.trim().is_empty() => {
                            format!("{noun} \"{}\"", text::clip(id.trim(), ECHO_CHARS))
                        }
                        _ => format!("{key}[{i}]"),
                    };
                    out.push(self.table(t, item.span(), place, allowed));
                }
                other => {
                    self.type_error(item.span(), &format!("{key}[{i}]"), key, "a table", other)
                }
            }
        }
        if required && items.is_empty() {
            self.error(
                v.span(),
                "",
                Some(key),
                format!("a pack needs at least one {noun}"),
            );
        }
        out
    }

    /// Reads and registers the id of every table, reporting bad and duplicate ids.
    fn ids(&mut self, tables: &[Table<'_, '_>], noun: &'static str) -> Ids {
        let mut ids = Ids {
            noun,
            list: Vec::with_capacity(tables.len()),
            index: HashMap::with_capacity(tables.len()),
        };
        for (i, t) in tables.iter().enumerate() {
            let id = self.id(t);
            if let Some((name, span)) = &id {
                if let Some(&first) = ids.index.get(name) {
                    let first: usize = first;
                    let first_span = ids.list[first].as_ref().map_or(0, |(_, s)| s.start);
                    let (line, _) = self.position(first_span);
                    self.error(
                        span.clone(),
                        &t.place,
                        Some("id"),
                        format!(
                            "duplicate {noun} id \"{}\" (first defined on line {line})",
                            text::clip(name, ECHO_CHARS)
                        ),
                    );
                } else {
                    ids.index.insert(name.clone(), i);
                }
            }
            ids.list.push(id);
        }
        ids
    }

    fn type_error(
        &mut self,
        span: Range<usize>,
        place: &str,
        field: &str,
        want: &str,
        got: &DeValue<'_>,
    ) {
        self.error(
            span,
            place,
            Some(field),
            format!("expected {want}, found {}", got.type_str()),
        );
    }

    /// Reads an optional boolean field; a value of another type is an error.
    fn boolean(&mut self, t: &Table<'_, '_>, key: &str) -> Option<bool> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::Boolean(b) => Some(*b),
            other => {
                self.type_error(v.span(), &t.place, key, "true or false", other);
                None
            }
        }
    }

    /// Reads a string field, normalised by `kind`. Reports missing, mistyped or empty values.
    fn string(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        kind: Kind,
        required: bool,
    ) -> Option<String> {
        let (raw, span) = self.raw_string(t, key, required)?;
        let s = kind.normalise(&raw);
        if s.is_empty() {
            if required {
                self.error(span, &t.place, Some(key), "must not be empty".to_string());
            }
            return None;
        }
        Some(s)
    }

    fn string_spanned(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<SpannedId> {
        let (raw, span) = self.raw_string(t, key, required)?;
        Some((raw.trim().to_string(), span))
    }

    fn raw_string(
        &mut self,
        t: &Table<'_, '_>,
        key: &str,
        required: bool,
    ) -> Option<(String, Range<usize>)> {
        let Some(v) = t.get(key) else {
            if required && !t.misspelt.contains(&key) {
                self.error(
                    t.span.clone(),
                    &t.place,
                    Some(key),
                    "required field is missing".to_string(),
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
                        self.error(
                            item.span(),
                            &t.place,
                            Some(key),
                            "empty string in list".into(),
                        );
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
                format!(
                    "invalid id \"{}\": use 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit",
                    text::clip(&id, ECHO_CHARS)
                ),
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
            format!(
                "unknown {noun} \"{}\"{hint} (accepted: {})",
                text::clip(v, ECHO_CHARS),
                names.join(", ")
            ),
        );
        None
    }

    /// The position of the entry with this id, or an error with the nearest valid id.
    fn resolve(
        &mut self,
        ids: &Ids,
        id: &str,
        span: Range<usize>,
        place: &str,
        field: &str,
    ) -> Option<usize> {
        if let Some(&i) = ids.index.get(id) {
            return Some(i);
        }
        if self.full() {
            self.more_errors += 1;
            return None;
        }
        let hint = if self.suggestions_left > 0 {
            self.suggestions_left -= 1;
            nearest(id, ids.index.keys().map(String::as_str))
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default()
        } else {
            String::new()
        };
        self.error(
            span,
            place,
            Some(field),
            format!(
                "unknown {} \"{}\"{hint}",
                ids.noun,
                text::clip(id, ECHO_CHARS)
            ),
        );
        None
    }
}

/// Concept lookups shared by traps, questions and practice.
struct Refs<'a> {
    ids: &'a Ids,
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

/// The span of the line with the most nesting: dots in a key or table header, plus open
/// brackets and braces, outside strings.
fn deepest_line(src: &str) -> Range<usize> {
    let mut best = (0, 0..0);
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let mut depth = 0usize;
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '.' | '[' | '{') => depth += 1,
                _ => {}
            }
        }
        if depth > best.0 {
            best = (depth, offset..offset + line.len());
        }
        offset += line.len();
    }
    best.1
}

/// The candidate closest to `word`, if it is close enough to be a likely misspelling.
fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(word, c);
        // Ties go to the alphabetically first name, so suggestions do not depend on map order.
        if best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
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
        assert_eq!(
            nearest("anchr", CONCEPT_KEYS.iter().copied()),
            Some("anchor")
        );
        assert_eq!(
            nearest("derive", CONCEPT_KEYS.iter().copied()),
            Some("derives")
        );
        assert_eq!(nearest("zzzzzz", CONCEPT_KEYS.iter().copied()), None);
    }

    #[test]
    fn an_error_without_a_position_points_at_the_deepest_line() {
        let deep = format!("format_version = 1\n\n{} = 1\n", vec!["a"; 200].join("."));
        let err = load_str("deep.toml", &deep).unwrap_err();
        assert_eq!(err.0[0].line, 3, "{err}");
        assert_eq!(
            deepest_line("a = 1\nb.c.d = \"x.y.z.w\"\ne = [[1]]\n"),
            6..24
        );
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
