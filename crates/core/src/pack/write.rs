//! Writing a pack back to TOML text: the inverse of [`load_str`](super::load_str), so tools
//! that make packs (the note importer, the Anki importer) emit files a person can read,
//! edit and check. Loading what this writes gives the same pack.

use std::fmt::Write as _;

use super::{Pack, Snippet, Tier};

/// One entry of a pack, to attach a comment to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Topic,
    /// Index into [`Pack::categories`].
    Category(usize),
    /// Index into [`Pack::concepts`].
    Concept(usize),
    /// Index into [`Pack::traps`].
    Trap(usize),
    /// Index into [`Pack::questions`].
    Question(usize),
    /// Index into [`Pack::practice`].
    Practice(usize),
}

/// The pack as TOML text, without comments.
pub fn to_toml(pack: &Pack) -> String {
    to_toml_with(pack, |_| None)
}

/// The pack as TOML text; `comment` may give each entry lines of `# comment` written just
/// above its table header (line breaks in the comment start new comment lines).
pub fn to_toml_with(pack: &Pack, comment: impl Fn(Item) -> Option<String>) -> String {
    let mut w = Writer {
        out: String::with_capacity(4096),
    };
    w.out.push_str("format_version = 1\n");

    let t = &pack.topic;
    w.header(comment(Item::Topic), "[topic]");
    w.string("id", &t.id);
    w.string("title", &t.title);
    w.opt_string("tagline", t.tagline.as_deref());
    w.opt_string("language", t.language.as_deref());
    w.prose("what_it_is", &t.what_it_is);
    w.opt_prose("why_it_exists", t.why_it_exists.as_deref());
    w.list("when_to_use", t.when_to_use.iter().map(String::as_str));
    w.list(
        "where_it_fails",
        t.where_it_fails.iter().map(String::as_str),
    );

    for (i, c) in pack.categories.iter().enumerate() {
        w.header(comment(Item::Category(i)), "[[categories]]");
        w.string("id", &c.id);
        w.string("title", &c.title);
        w.string("map", c.map.as_str());
        w.opt_prose("summary", c.summary.as_deref());
    }

    let concept_id = |i: usize| pack.concepts[i].id.as_str();
    for (i, c) in pack.concepts.iter().enumerate() {
        w.header(comment(Item::Concept(i)), "[[concepts]]");
        w.string("id", &c.id);
        w.string("title", &c.title);
        w.string("category", &pack.categories[c.category].id);
        w.string("tier", c.tier.as_str());
        w.opt_prose("anchor", c.anchor.as_deref());
        w.opt_string("image", c.image.as_deref());
        w.opt_prose("basic", c.basic.as_deref());
        w.opt_prose("expected", c.expected.as_deref());
        w.opt_prose("deep", c.deep.as_deref());
        w.snippet(&c.snippet);
        w.opt_prose("interview", c.interview.as_deref());
        w.opt_prose("trap", c.trap.as_deref());
        w.list("derives", c.derives.iter().map(|&d| concept_id(d)));
        w.list("tags", c.tags.iter().map(String::as_str));
    }

    for (i, x) in pack.traps.iter().enumerate() {
        w.header(comment(Item::Trap(i)), "[[traps]]");
        w.string("id", &x.id);
        w.string("title", &x.title);
        w.prose("what", &x.what);
        w.prose("fix", &x.fix);
        if let Some(c) = x.concept {
            w.string("concept", concept_id(c));
        }
        let default = x.concept.map_or(Tier::Medium, |c| pack.concepts[c].tier);
        w.tier(x.tier, default);
        w.snippet(&x.snippet);
    }

    let top_tier = |concepts: &[usize]| {
        concepts
            .iter()
            .map(|&c| pack.concepts[c].tier)
            .min()
            .unwrap_or(Tier::Medium)
    };
    for (i, q) in pack.questions.iter().enumerate() {
        w.header(comment(Item::Question(i)), "[[questions]]");
        w.string("id", &q.id);
        w.string("level", q.level.as_str());
        w.prose("question", &q.question);
        w.prose("short", &q.short);
        w.opt_prose("detailed", q.detailed.as_deref());
        w.list("concepts", q.concepts.iter().map(|&c| concept_id(c)));
        w.tier(q.tier, top_tier(&q.concepts));
    }

    for (i, p) in pack.practice.iter().enumerate() {
        w.header(comment(Item::Practice(i)), "[[practice]]");
        w.string("id", &p.id);
        w.prose("question", &p.question);
        w.snippet(&p.snippet);
        w.prose("answer", &p.answer);
        if let Some(l) = p.level {
            w.string("level", l.as_str());
        }
        w.list("concepts", p.concepts.iter().map(|&c| concept_id(c)));
        w.tier(p.tier, top_tier(&p.concepts));
    }
    w.out
}

struct Writer {
    out: String,
}

impl Writer {
    fn header(&mut self, comment: Option<String>, header: &str) {
        self.out.push('\n');
        if let Some(c) = comment {
            for line in c.lines() {
                let line: String = line
                    .chars()
                    .map(|ch| {
                        if ch.is_control() && ch != '\t' {
                            ' '
                        } else {
                            ch
                        }
                    })
                    .collect();
                let line = line.trim_end();
                if line.is_empty() {
                    self.out.push_str("#\n");
                } else {
                    let _ = writeln!(self.out, "# {line}");
                }
            }
        }
        self.out.push_str(header);
        self.out.push('\n');
    }

    fn string(&mut self, key: &str, value: &str) {
        let _ = writeln!(self.out, "{key} = {}", basic(value));
    }

    fn opt_string(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.string(key, v);
        }
    }

    /// A prose field: one paragraph per line in the model, blank-line separated in the file.
    fn prose(&mut self, key: &str, value: &str) {
        if value.contains('\n') {
            let paragraphs = value.split('\n').collect::<Vec<_>>().join("\n\n");
            let _ = writeln!(
                self.out,
                "{key} = \"\"\"\n{}\"\"\"",
                multi_basic(&paragraphs)
            );
        } else {
            self.string(key, value);
        }
    }

    fn opt_prose(&mut self, key: &str, value: Option<&str>) {
        if let Some(v) = value {
            self.prose(key, v);
        }
    }

    /// A code field: a literal block when the text allows one, so it reads as typed.
    fn code(&mut self, key: &str, value: &str) {
        let literal_ok = !value.contains("'''")
            && !value.ends_with('\'')
            && value
                .chars()
                .all(|c| !c.is_control() || c == '\t' || c == '\n');
        if literal_ok {
            let _ = writeln!(self.out, "{key} = '''\n{value}\n'''");
        } else {
            let _ = writeln!(self.out, "{key} = \"\"\"\n{}\n\"\"\"", multi_basic(value));
        }
    }

    fn list<'a>(&mut self, key: &str, items: impl Iterator<Item = &'a str>) {
        let items: Vec<String> = items.map(basic).collect();
        if !items.is_empty() {
            let _ = writeln!(self.out, "{key} = [{}]", items.join(", "));
        }
    }

    /// The tier, unless it is the one the loader would give by default.
    fn tier(&mut self, tier: Tier, default: Tier) {
        if tier != default {
            self.string("tier", tier.as_str());
        }
    }

    fn snippet(&mut self, s: &Snippet) {
        if let Some(code) = &s.code {
            self.code("code", code);
        }
        if let Some(output) = &s.output {
            self.code("output", output);
        }
        self.opt_string("raises", s.raises.as_deref());
        self.opt_string("min_version", s.min_version.as_deref());
        self.opt_string("lang", s.lang.as_deref());
        if s.illustrative {
            self.out.push_str("illustrative = true\n");
        }
    }
}

/// A one-line TOML basic string, quoted and escaped.
fn basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    escape_into(&mut out, s, false);
    out.push('"');
    out
}

/// The body of a multi-line basic string (without the quotes): line breaks kept.
fn multi_basic(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s, true);
    out
}

fn escape_into(out: &mut String, s: &str, keep_newlines: bool) {
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' if keep_newlines => out.push('\n'),
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load_str;

    #[test]
    fn strings_escape_what_toml_needs() {
        assert_eq!(basic("a \"b\" \\ c"), r#""a \"b\" \\ c""#);
        assert_eq!(basic("nul\u{0}del\u{7f}"), r#""nul\u0000del\u007F""#);
        assert_eq!(basic("two\nlines"), r#""two\nlines""#);
    }

    #[test]
    fn comments_sit_above_their_entry() {
        let src = "format_version = 1\n[topic]\nid = \"t\"\ntitle = \"T\"\nwhat_it_is = \"w\"\n\
                   [[categories]]\nid = \"c\"\ntitle = \"C\"\nmap = \"foundations\"\n\
                   [[concepts]]\nid = \"x\"\ntitle = \"X\"\ncategory = \"c\"\ntier = \"low\"\n";
        let (pack, _) = load_str("t.toml", src).unwrap();
        let text = to_toml_with(&pack, |i| {
            (i == Item::Concept(0)).then(|| "tier low: one line\nsecond\u{7}line".to_string())
        });
        assert!(
            text.contains("# tier low: one line\n# second line\n[[concepts]]\n"),
            "{text}"
        );
        let (again, _) = load_str("t.toml", &text).unwrap();
        assert_eq!(again, pack);
    }
}
