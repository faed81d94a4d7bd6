//! One Anki note as memseed content. A note of memseed's own note types comes back as the
//! concept, question or trap it was, field by field. Any other note becomes a concept: its
//! front the title, its back the explanation, the back's first clause the anchor (taken
//! from the note, never made up), the first code block its code.

use memseed_core::pack::{Difficulty, text};

use crate::export::{CONCEPT, CONCEPT_FIELDS, QUESTION, QUESTION_FIELDS, TRAP, TRAP_FIELDS};
use crate::html::{self, Plain};
use crate::model::{Note, Notetype};

/// The longest anchor taken from a note, in bytes (as the Markdown importer).
pub const MAX_ANCHOR: usize = 170;
/// An anchor needs at least this many words.
pub const MIN_ANCHOR_WORDS: usize = 4;
/// Longest title kept, in bytes.
pub const MAX_TITLE: usize = 120;

/// What a note holds, read.
#[derive(Clone, Debug, PartialEq)]
pub enum Content {
    Concept(ConceptText),
    Question {
        id: Option<String>,
        level: Difficulty,
        question: String,
        short: String,
        detailed: Option<String>,
    },
    Trap {
        id: Option<String>,
        title: String,
        what: String,
        fix: String,
        code: Option<(String, Option<String>)>,
    },
}

/// A concept's text, normalised as packs hold it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConceptText {
    /// The id it had in memseed, for a note memseed exported.
    pub id: Option<String>,
    pub title: String,
    pub anchor: Option<String>,
    pub basic: Option<String>,
    pub expected: Option<String>,
    pub deep: Option<String>,
    /// Code and its language (from a `lang-NAME` class, else unknown).
    pub code: Option<(String, Option<String>)>,
}

/// A note read, with the media its fields show.
#[derive(Clone, Debug, PartialEq)]
pub struct Read {
    pub content: Content,
    pub media: Vec<String>,
    /// Whether the note came from one of memseed's note types.
    pub memseed: bool,
    /// The topic title a memseed note names.
    pub topic: Option<String>,
}

/// Reads a note of note type `nt`; `None` when it has no text to make anything from.
pub fn read(note: &Note, nt: &Notetype) -> Option<Read> {
    let field = |name: &str| -> &str {
        nt.fields
            .iter()
            .position(|f| f.eq_ignore_ascii_case(name))
            .and_then(|i| note.fields.get(i))
            .map_or("", String::as_str)
    };
    let has_fields = |names: &[&str]| names.iter().all(|n| nt.fields.iter().any(|f| f == n));
    let mut media: Vec<String> = Vec::new();
    let mut plain = |html_text: &str| -> Plain {
        let p = html::to_plain(html_text);
        media.extend(p.media.iter().cloned());
        p
    };
    let topic = Some(line(&html::to_plain(field("Topic")).text)).filter(|t| !t.is_empty());
    let content = if nt.name == CONCEPT && has_fields(&CONCEPT_FIELDS) {
        let title = line(&plain(field("Title")).text);
        let code = first_code(&mut plain, field("Code"));
        Content::Concept(ConceptText {
            id: Some(line(&plain(field("Id")).text)).filter(|s| !s.is_empty()),
            anchor: Some(line(&plain(field("Anchor")).text)).filter(|s| !s.is_empty()),
            basic: prose(&plain(field("Basic")).text),
            expected: prose(&plain(field("Expected")).text),
            deep: None,
            code,
            title,
        })
    } else if nt.name == QUESTION && has_fields(&QUESTION_FIELDS) {
        let question = prose(&plain(field("Question")).text)?;
        let short = prose(&plain(field("Answer")).text)?;
        let level = match line(&plain(field("Level")).text).as_str() {
            "beginner" => Difficulty::Beginner,
            "expert" => Difficulty::Expert,
            _ => Difficulty::Intermediate,
        };
        Content::Question {
            id: Some(line(&plain(field("Id")).text)).filter(|s| !s.is_empty()),
            level,
            question,
            short,
            detailed: prose(&plain(field("Detailed")).text),
        }
    } else if nt.name == TRAP && has_fields(&TRAP_FIELDS) {
        let code = first_code(&mut plain, field("Code"));
        Content::Trap {
            id: Some(line(&plain(field("Id")).text)).filter(|s| !s.is_empty()),
            title: line(&plain(field("Title")).text),
            what: line(&prose(&plain(field("What")).text)?),
            fix: prose(&plain(field("Fix")).text)?,
            code,
        }
    } else {
        return generic(note, nt, &mut plain).map(|c| Read {
            content: Content::Concept(c),
            media,
            memseed: false,
            topic: None,
        });
    };
    let ok = match &content {
        Content::Concept(c) => !c.title.is_empty(),
        Content::Trap { title, .. } => !title.is_empty(),
        Content::Question { .. } => true,
    };
    ok.then_some(Read {
        content,
        media,
        memseed: true,
        topic,
    })
}

/// A note of any other type as a concept.
fn generic(
    note: &Note,
    nt: &Notetype,
    plain: &mut impl FnMut(&str) -> Plain,
) -> Option<ConceptText> {
    let named = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| nt.fields.iter().position(|f| f.eq_ignore_ascii_case(n)))
    };
    let front_at = named(&["Front", "Question", "Text", "Word", "Term", "Expression"]).unwrap_or(0);
    let back_at = named(&["Back", "Answer", "Definition", "Meaning"])
        .or_else(|| (front_at != 1 && note.fields.len() > 1).then_some(1));
    let raw = |i: usize| note.fields.get(i).map_or("", String::as_str);
    let mut front_html = raw(front_at).to_string();
    if nt.cloze {
        front_html = html::fill_clozes(&front_html);
    }
    let front = plain(&front_html);
    // The back: the back field, then every other field that has text, in order.
    let mut back_parts: Vec<String> = Vec::new();
    let mut codes: Vec<String> = front.code.clone();
    let order = back_at
        .into_iter()
        .chain((0..note.fields.len()).filter(|&i| i != front_at && Some(i) != back_at));
    for i in order {
        let p = plain(raw(i));
        codes.extend(p.code);
        if !p.text.trim().is_empty() {
            back_parts.push(p.text);
        }
    }
    let front_text = prose(&front.text).unwrap_or_default();
    let (title, mut body) = if nt.cloze {
        // A cloze note's text is its content: the first sentence titles it.
        let first = text::first_sentence(&front_text).to_string();
        let rest = front_text[first.len()..].trim().to_string();
        let mut body = vec![front_text.clone()];
        if rest.is_empty() {
            body.clear();
            body.push(first.clone());
        }
        (first, body)
    } else {
        (front_text.replace('\n', " "), Vec::new())
    };
    body.extend(back_parts);
    let title = text::cut_at_word(&line(&title), MAX_TITLE);
    if title.is_empty() {
        return None;
    }
    let body = text::prose(&body.join("\n\n"));
    let mut paras: Vec<&str> = body.split('\n').filter(|p| !p.is_empty()).collect();
    let first = if paras.is_empty() {
        ""
    } else {
        paras.remove(0)
    };
    let sentence = text::first_sentence(first);
    let clause = defining_clause(sentence);
    let anchor = (clause.split_whitespace().count() >= MIN_ANCHOR_WORDS).then_some(clause);
    let basic =
        (!sentence.is_empty() && anchor.as_deref() != Some(sentence)).then(|| sentence.to_string());
    let mut expected: Vec<&str> = Vec::new();
    let rest_of_first = first[sentence.len()..].trim();
    if !rest_of_first.is_empty() {
        expected.push(rest_of_first);
    }
    let mut rest = paras.into_iter();
    expected.extend(rest.next());
    let deep: Vec<&str> = rest.collect();
    Some(ConceptText {
        id: None,
        title,
        anchor,
        basic,
        expected: prose(&expected.join("\n\n")),
        deep: prose(&deep.join("\n\n")),
        code: codes
            .into_iter()
            .map(|c| text::code(&c))
            .find(|c| !c.is_empty())
            .map(|c| (c, None)),
    })
}

/// The first code block of a field, with the language its `lang-NAME` class names.
fn first_code(
    plain: &mut impl FnMut(&str) -> Plain,
    field: &str,
) -> Option<(String, Option<String>)> {
    let code = plain(field).code.into_iter().next()?;
    let code = text::code(&code);
    if code.is_empty() {
        return None;
    }
    let lang = field
        .split("class=\"lang-")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .filter(|l| !l.is_empty())
        .map(str::to_string);
    Some((code, lang))
}

fn line(s: &str) -> String {
    text::line(s)
}

fn prose(s: &str) -> Option<String> {
    Some(text::prose(s)).filter(|p| !p.is_empty())
}

/// At most [`MAX_ANCHOR`] bytes of a sentence: whole when it fits, else cut at the last
/// clause boundary (`;`, `—`, `:`, `,`) past the first 60 bytes, else at a word with "…".
/// The Markdown importer's rule, so both importers pick anchors alike.
pub fn defining_clause(sentence: &str) -> String {
    let s = sentence.trim();
    if s.len() <= MAX_ANCHOR {
        return s.to_string();
    }
    for sep in ["; ", " — ", " – ", ": ", ", "] {
        let cut = s
            .match_indices(sep)
            .map(|(i, _)| i)
            .filter(|&i| (60..MAX_ANCHOR).contains(&i))
            .last();
        if let Some(i) = cut {
            return s[..i].trim_end_matches([',', ';', ':', ' ']).to_string();
        }
    }
    text::cut_at_word(s, MAX_ANCHOR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Template;

    fn nt(name: &str, fields: &[&str], cloze: bool) -> Notetype {
        Notetype {
            id: 1,
            name: name.into(),
            cloze,
            fields: fields.iter().map(|s| (*s).to_string()).collect(),
            templates: vec![Template {
                name: "Card 1".into(),
                front: String::new(),
                back: String::new(),
            }],
            css: String::new(),
        }
    }

    fn note(fields: &[&str]) -> Note {
        Note {
            id: 1,
            guid: "g".into(),
            notetype: 1,
            fields: fields.iter().map(|s| (*s).to_string()).collect(),
            tags: vec![],
            mtime: 0,
        }
    }

    #[test]
    fn a_basic_note_becomes_a_concept_with_its_first_clause_as_anchor() {
        let r = read(
            &note(&[
                "What is the <b>GIL</b>?",
                "A lock that lets one thread run Python bytecode at a time. It simplifies memory management.<br><br>Free-threaded builds drop it.<pre><code>import sys\nsys._is_gil_enabled()</code></pre><img src=\"gil.png\">",
            ]),
            &nt("Basic", &["Front", "Back"], false),
        )
        .unwrap();
        let Content::Concept(c) = r.content else {
            panic!()
        };
        assert_eq!(c.title, "What is the GIL?");
        assert_eq!(
            c.anchor.as_deref(),
            Some("A lock that lets one thread run Python bytecode at a time.")
        );
        assert_eq!(c.basic, None, "the anchor is the first sentence");
        assert_eq!(
            c.expected.as_deref(),
            Some("It simplifies memory management.\nFree-threaded builds drop it.")
        );
        assert_eq!(
            c.code,
            Some(("import sys\nsys._is_gil_enabled()".into(), None))
        );
        assert_eq!(r.media, ["gil.png"]);
        assert!(!r.memseed);
    }

    #[test]
    fn clozes_short_backs_and_empty_fronts() {
        let r = read(
            &note(&[
                "The {{c1::GIL}} lets {{c2::one thread}} run bytecode at a time. More text here.",
                "extra",
            ]),
            &nt("Cloze", &["Text", "Back Extra"], true),
        )
        .unwrap();
        let Content::Concept(c) = r.content else {
            panic!()
        };
        assert_eq!(c.title, "The GIL lets one thread run bytecode at a time.");
        assert!(c.anchor.is_some());
        let r = read(
            &note(&["Hund", "dog"]),
            &nt("Basic", &["Front", "Back"], false),
        )
        .unwrap();
        let Content::Concept(c) = r.content else {
            panic!()
        };
        assert_eq!(
            (c.title.as_str(), c.anchor, c.basic.as_deref()),
            ("Hund", None, Some("dog"))
        );
        assert!(
            read(
                &note(&["<img src=a.png>", "x"]),
                &nt("Basic", &["Front", "Back"], false)
            )
            .is_none()
        );
    }

    #[test]
    fn long_sentences_are_cut_at_a_clause() {
        let s = "Descriptors are objects with __get__, __set__ or __delete__ that customise attribute access on the class that holds them; properties, methods and slots are all built on them in CPython.";
        let a = defining_clause(s);
        assert!(a.len() <= MAX_ANCHOR && a.ends_with("holds them"), "{a}");
    }
}
