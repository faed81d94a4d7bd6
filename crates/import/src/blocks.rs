//! A note as a flat list of blocks (headings, paragraphs, list items, code, tables), each
//! with its line: Markdown through pulldown-cmark, plain text through [`crate::plain`].
//! Inline markup is reduced to text here (code spans keep their backticks); links to other
//! notes are recorded for the importance estimate.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use crate::read::Note;
use crate::{Warning, plain};

/// What a block is.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A heading, level 1 to 6.
    Heading(u8),
    Para,
    /// A list item's own text; `depth` 0 for a top-level list.
    Item {
        depth: usize,
    },
    Code {
        lang: Option<String>,
    },
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// One block of a note.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub kind: Kind,
    /// The text, lines kept (`\n`); empty for tables.
    pub text: String,
    /// 1-based line where the block starts.
    pub line: usize,
    /// Targets of `[[wikilinks]]` and links to other `.md` notes, as written.
    pub links: Vec<String>,
}

/// The YAML front matter fields the importer reads.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Front {
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
}

/// A parsed note.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    pub blocks: Vec<Block>,
    pub front: Front,
    /// Read as Markdown (else as a plain-text dump).
    pub markdown: bool,
}

/// Parses a note: as Markdown when its name says so or its text shows Markdown structure,
/// else as plain text.
pub fn parse(note: &Note, warnings: &mut Vec<Warning>) -> Parsed {
    let markdown = note
        .markdown
        .unwrap_or_else(|| looks_like_markdown(&note.text));
    if markdown {
        markdown_blocks(&note.text)
    } else {
        plain::blocks(note, warnings)
    }
}

/// Whether a text without a telling extension is Markdown: front matter, a fenced code
/// block, or a short ATX heading line.
pub fn looks_like_markdown(text: &str) -> bool {
    if text.starts_with("---\n") || text.starts_with("---\r\n") {
        return true;
    }
    let mut prev_blank = true;
    for l in text.lines().take(20_000) {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            return true;
        }
        // An ATX heading at the top or after a blank line (a `# comment` inside pasted
        // code is neither).
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        if prev_blank
            && (1..=6).contains(&hashes)
            && t[hashes..].starts_with(' ')
            && t.len() <= 80
            && !crate::inline::looks_like_code(&t[hashes..])
            && ![":=", "print(", " = ", "==", "();"]
                .iter()
                .any(|c| t.contains(c))
        {
            return true;
        }
        prev_blank = t.trim().is_empty();
    }
    false
}

/// 1-based line of each byte offset, by binary search over line starts.
pub struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Lines {
        Lines(
            std::iter::once(0)
                .chain(memchr_newlines(text).map(|i| i + 1))
                .collect(),
        )
    }

    pub fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&s| s <= offset).max(1)
    }
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
}

/// The parser options: GitHub tables, strikethrough, task lists, YAML front matter,
/// wikilinks.
fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_MATH
}

/// Parses Markdown into blocks.
pub fn markdown_blocks(text: &str) -> Parsed {
    let lines = Lines::new(text);
    let mut b = Builder::default();
    for (event, range) in Parser::new_ext(text, options()).into_offset_iter() {
        b.event(event, lines.line(range.start));
    }
    b.flush();
    Parsed {
        blocks: b.blocks,
        front: b.front,
        markdown: true,
    }
}

#[derive(Default)]
struct Builder {
    blocks: Vec<Block>,
    front: Front,
    /// The block being filled.
    cur: Option<Block>,
    /// Depth of open lists.
    lists: usize,
    /// Open list items, so text directly in an item (a tight list) starts an item block.
    items: usize,
    in_meta: bool,
    meta: String,
    /// Inside an image: its alt text is not note text.
    in_image: usize,
    table: Option<(Vec<String>, Vec<Vec<String>>, usize)>,
    in_head: bool,
    row: Vec<String>,
    cell: Option<String>,
    /// Links seen in the block being filled.
    links: Vec<String>,
}

impl Builder {
    fn start(&mut self, kind: Kind, line: usize) {
        self.flush();
        self.cur = Some(Block {
            kind,
            text: String::new(),
            line,
            links: Vec::new(),
        });
    }

    fn flush(&mut self) {
        if let Some(mut b) = self.cur.take() {
            b.links = std::mem::take(&mut self.links);
            let keep = match b.kind {
                Kind::Code { .. } => !b.text.trim().is_empty(),
                _ => {
                    b.text = b.text.trim().to_string();
                    !b.text.is_empty()
                }
            };
            if keep {
                self.blocks.push(b);
            }
        }
    }

    /// Appends inline text to the open cell or block, opening a paragraph or item if none.
    fn push_text(&mut self, s: &str, line: usize) {
        if self.in_image > 0 {
            return;
        }
        if let Some(cell) = &mut self.cell {
            cell.push_str(s);
            return;
        }
        if self.cur.is_none() {
            let kind = if self.items > 0 {
                Kind::Item {
                    depth: self.lists.saturating_sub(1),
                }
            } else {
                Kind::Para
            };
            self.start(kind, line);
        }
        if let Some(b) = &mut self.cur {
            b.text.push_str(s);
        }
    }

    fn event(&mut self, event: Event<'_>, line: usize) {
        match event {
            Event::Start(tag) => self.open(tag, line),
            Event::End(end) => self.close(end),
            Event::Text(t) => {
                if self.in_meta {
                    self.meta.push_str(&t);
                } else {
                    self.push_text(&t, line);
                }
            }
            Event::Code(c) => {
                self.push_text("`", line);
                self.push_text(&c, line);
                self.push_text("`", line);
            }
            Event::InlineMath(m) => {
                self.push_text("$", line);
                self.push_text(&m, line);
                self.push_text("$", line);
            }
            Event::DisplayMath(m) => {
                self.push_text("$$", line);
                self.push_text(&m, line);
                self.push_text("$$", line);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(cell) = &mut self.cell {
                    cell.push(' ');
                } else if let Some(b) = &mut self.cur {
                    b.text.push('\n');
                }
            }
            Event::Html(_)
            | Event::InlineHtml(_)
            | Event::FootnoteReference(_)
            | Event::TaskListMarker(_)
            | Event::Rule => {}
        }
    }

    fn open(&mut self, tag: Tag<'_>, line: usize) {
        match tag {
            Tag::Heading { level, .. } => self.start(Kind::Heading(level as u8), line),
            Tag::Paragraph => {
                // A paragraph inside a list item continues the item's text.
                let in_item = matches!(
                    self.cur,
                    Some(Block {
                        kind: Kind::Item { .. },
                        ..
                    })
                );
                if in_item {
                    if let Some(b) = &mut self.cur
                        && !b.text.is_empty()
                    {
                        b.text.push_str("\n\n");
                    }
                } else if self.cell.is_none() {
                    self.start(Kind::Para, line);
                }
            }
            Tag::List(_) => {
                self.flush();
                self.lists += 1;
            }
            Tag::Item => {
                self.items += 1;
                self.start(
                    Kind::Item {
                        depth: self.lists.saturating_sub(1),
                    },
                    line,
                );
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|l| !l.is_empty())
                        .map(str::to_ascii_lowercase),
                    CodeBlockKind::Indented => None,
                };
                self.start(Kind::Code { lang }, line);
            }
            Tag::Table(_) => {
                self.flush();
                self.table = Some((Vec::new(), Vec::new(), line));
            }
            Tag::TableHead => self.in_head = true,
            Tag::TableRow => self.row.clear(),
            Tag::TableCell => self.cell = Some(String::new()),
            Tag::MetadataBlock(_) => {
                self.flush();
                self.in_meta = true;
                self.meta.clear();
            }
            Tag::Image { .. } => self.in_image += 1,
            Tag::Link {
                link_type,
                dest_url,
                ..
            } => {
                if let Some(target) = link_target(link_type, &dest_url) {
                    self.links.push(target);
                }
            }
            Tag::BlockQuote(_)
            | Tag::HtmlBlock
            | Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript => {}
        }
    }

    fn close(&mut self, end: TagEnd) {
        match end {
            TagEnd::Heading(_) | TagEnd::CodeBlock => self.flush(),
            TagEnd::Paragraph => {
                let in_item = matches!(
                    self.cur,
                    Some(Block {
                        kind: Kind::Item { .. },
                        ..
                    })
                );
                if !in_item && self.cell.is_none() {
                    self.flush();
                }
            }
            TagEnd::Item => {
                self.items = self.items.saturating_sub(1);
                self.flush();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists = self.lists.saturating_sub(1);
            }
            TagEnd::TableCell => {
                if let Some(c) = self.cell.take() {
                    self.row.push(c.trim().to_string());
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.0 = std::mem::take(&mut self.row);
                }
                self.in_head = false;
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    t.1.push(std::mem::take(&mut self.row));
                }
            }
            TagEnd::Table => {
                if let Some((header, rows, line)) = self.table.take() {
                    let links = std::mem::take(&mut self.links);
                    self.blocks.push(Block {
                        kind: Kind::Table { header, rows },
                        text: String::new(),
                        line,
                        links,
                    });
                }
            }
            TagEnd::MetadataBlock(_) => {
                self.in_meta = false;
                self.front = front_matter(&self.meta);
            }
            TagEnd::Image => self.in_image = self.in_image.saturating_sub(1),
            _ => {}
        }
    }
}

/// The note a link points to: a wikilink's target, or a relative link to a `.md` file
/// (without folder, extension and `#heading`).
fn link_target(kind: LinkType, dest: &str) -> Option<String> {
    let dest = dest.split('#').next().unwrap_or("");
    match kind {
        LinkType::WikiLink { .. } => Some(dest.trim().to_string()).filter(|d| !d.is_empty()),
        LinkType::Inline | LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
            if dest.contains("://") {
                return None;
            }
            let file = dest.rsplit('/').next().unwrap_or(dest);
            let stem = file
                .strip_suffix(".md")
                .or_else(|| file.strip_suffix(".markdown"))?;
            let stem = stem.replace("%20", " ");
            Some(stem).filter(|s| !s.is_empty())
        }
        _ => None,
    }
}

/// Reads `title`, `tags`, `aliases` and `description` from YAML front matter: `key: value`,
/// `key: [a, b]`, and `key:` followed by `- item` lines. Other keys are ignored.
pub fn front_matter(yaml: &str) -> Front {
    let mut f = Front::default();
    let mut list_key: Option<String> = None;
    for line in yaml.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if let (Some(key), Some(item)) = (&list_key, t.strip_prefix("- ")) {
            add_front(&mut f, key, unquote(item));
            continue;
        }
        let Some((key, value)) = t.split_once(':') else {
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        list_key = None;
        if value.is_empty() {
            list_key = Some(key);
        } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
            for item in inner.split(',') {
                add_front(&mut f, &key, unquote(item));
            }
        } else if key == "tags" || key == "tag" || key == "aliases" || key == "alias" {
            for item in value.split([',', ' ']) {
                add_front(&mut f, &key, unquote(item));
            }
        } else {
            add_front(&mut f, &key, unquote(value));
        }
    }
    f
}

fn add_front(f: &mut Front, key: &str, value: String) {
    if value.is_empty() {
        return;
    }
    match key {
        "title" => f.title = Some(value),
        "description" | "summary" => f.description = Some(value),
        "tags" | "tag" => f.tags.push(value.trim_start_matches('#').to_string()),
        "aliases" | "alias" => f.aliases.push(value),
        // `importance: critical` and `priority: high` act as tier tags.
        "importance" | "priority" | "tier" => f.tags.push(value.to_ascii_lowercase()),
        _ => {}
    }
}

fn unquote(s: &str) -> String {
    let s = s.trim();
    let s = s
        .strip_prefix('"')
        .and_then(|x| x.strip_suffix('"'))
        .or_else(|| s.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
        .unwrap_or(s);
    s.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, String, usize)> {
        markdown_blocks(text)
            .blocks
            .into_iter()
            .map(|b| (b.kind, b.text, b.line))
            .collect()
    }

    #[test]
    fn headings_paragraphs_items_code_and_tables_with_lines() {
        let md = "# Title\n\nPara *one*\nwraps `x`.\n\n- **Term** — def\n  - nested\n\n```py\nprint(1)\n```\n\n| Trap | Fix |\n|---|---|\n| a | b |\n";
        let got = kinds(md);
        assert_eq!(got[0], (Kind::Heading(1), "Title".into(), 1));
        assert_eq!(got[1], (Kind::Para, "Para one\nwraps `x`.".into(), 3));
        assert_eq!(got[2], (Kind::Item { depth: 0 }, "Term — def".into(), 6));
        assert_eq!(got[3], (Kind::Item { depth: 1 }, "nested".into(), 7));
        assert_eq!(
            got[4],
            (
                Kind::Code {
                    lang: Some("py".into())
                },
                "print(1)\n".into(),
                9
            )
        );
        assert_eq!(
            got[5].0,
            Kind::Table {
                header: vec!["Trap".into(), "Fix".into()],
                rows: vec![vec!["a".into(), "b".into()]]
            }
        );
    }

    #[test]
    fn front_matter_and_wikilinks() {
        let md = "---\ntitle: \"My GIL\"\ntags: [python, '#critical']\naliases:\n  - Global lock\n---\n# H\n\nSee [[Reference counting|refcounts]] and [x](other%20note.md).\n";
        let p = markdown_blocks(md);
        assert_eq!(p.front.title.as_deref(), Some("My GIL"));
        assert_eq!(p.front.tags, vec!["python", "critical"]);
        assert_eq!(p.front.aliases, vec!["Global lock"]);
        let para = &p.blocks[1];
        assert_eq!(para.text, "See refcounts and x.");
        assert_eq!(para.links, vec!["Reference counting", "other note"]);
    }

    #[test]
    fn markdown_is_recognised_by_its_structure() {
        assert!(looks_like_markdown("intro\n\n## Heading\ntext"));
        assert!(looks_like_markdown("```\ncode\n```"));
        assert!(!looks_like_markdown("Plain line.\nAnother line.\n"));
        assert!(!looks_like_markdown("text\n# WRONG\nassert x\n"));
        assert!(!looks_like_markdown(
            "# Walrus operator if (n := len([1,2,3,4,5])) > 3: print(f\"Length {n} is large\")"
        ));
    }
}
