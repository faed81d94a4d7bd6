//! Plain-text dumps (text copied out of a web page or a PDF, no Markdown): paragraphs by
//! blank lines or by line, lines that look like headings, runs of code lines, pipe tables
//! and list markers, turned into the same blocks as Markdown.

use crate::blocks::{Block, Kind, Parsed, markdown_blocks};
use crate::inline::{emoji_tags, looks_like_code};
use crate::read::Note;
use crate::{Warning, inline};

/// Reads a plain-text note into blocks, warning once that it was read as plain text.
pub fn blocks(note: &Note, warnings: &mut Vec<Warning>) -> Parsed {
    let lines: Vec<&str> = note.text.lines().collect();
    let paras = paragraphs(&lines);
    let mut blocks: Vec<Block> = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        let (line, text) = &paras[i];
        let first = text.lines().next().unwrap_or("");
        // A pipe table: consecutive paragraphs (or lines) starting with `|`.
        if first.trim_start().starts_with('|') {
            let mut j = i;
            let mut chunk = String::new();
            while j < paras.len() && paras[j].1.trim_start().starts_with('|') {
                chunk.push_str(&paras[j].1);
                chunk.push('\n');
                j += 1;
            }
            let parsed = markdown_blocks(&chunk);
            for mut b in parsed.blocks {
                b.line += line - 1;
                blocks.push(b);
            }
            i = j;
            continue;
        }
        // Code: consecutive code-like lines (in a text dump, `# ` starts a comment).
        if looks_like_code(first) || first.starts_with("# ") {
            let mut j = i;
            let mut code = String::new();
            while j < paras.len() && paras[j].1.lines().all(looks_like_code_or_indented) {
                code.push_str(&paras[j].1);
                code.push('\n');
                j += 1;
            }
            if j > i {
                blocks.push(Block {
                    kind: Kind::Code { lang: None },
                    text: code,
                    line: *line,
                    links: Vec::new(),
                });
                i = j;
                continue;
            }
        }
        let kind = if let Some(rest) = list_marker(first) {
            let mut text = rest.to_string();
            for l in paras[i].1.lines().skip(1) {
                text.push('\n');
                text.push_str(l);
            }
            blocks.push(Block {
                kind: Kind::Item { depth: 0 },
                text,
                line: *line,
                links: Vec::new(),
            });
            i += 1;
            continue;
        } else if emoji_tags(first).is_some() && !text.contains('\n') {
            Kind::Para
        } else if heading_like(text) && i + 1 < paras.len() {
            Kind::Heading(2)
        } else {
            Kind::Para
        };
        let text = if kind == Kind::Para {
            inline::strip_symbol_prefix(text)
        } else {
            text
        };
        blocks.push(Block {
            kind,
            text: text.trim().to_string(),
            line: *line,
            links: Vec::new(),
        });
        i += 1;
    }
    // A heading followed straight by another heading is the section above it.
    for k in 0..blocks.len() {
        if blocks[k].kind == Kind::Heading(2)
            && blocks
                .get(k + 1)
                .is_some_and(|b| b.kind == Kind::Heading(2))
        {
            blocks[k].kind = Kind::Heading(1);
        }
    }
    let headings = blocks
        .iter()
        .filter(|b| matches!(b.kind, Kind::Heading(_)))
        .count();
    let text_paras = blocks.iter().filter(|b| b.kind == Kind::Para).count();
    // A few heading-like lines in a long dump are more likely short sentences: read the
    // dump by its defined terms instead.
    let by_headings = headings >= 2 && headings * 12 >= text_paras;
    if !by_headings {
        for b in &mut blocks {
            if matches!(b.kind, Kind::Heading(_)) {
                b.kind = Kind::Para;
            }
        }
    }
    let how = if by_headings {
        format!(
            "no Markdown structure: read as plain text, {headings} lines that look like headings became sections and concepts"
        )
    } else {
        "no Markdown structure and no heading-like lines: read as plain text, a concept starting at each paragraph that defines a term (\"X is ...\", \"X — ...\")".to_string()
    };
    warnings.push(Warning::new(&note.name, 0, how));
    if inline::has_mojibake(&note.text) {
        warnings.push(Warning::new(
            &note.name,
            0,
            "emoji appear mis-decoded (UTF-8 read as another code page, e.g. `๐Ÿ`); they were dropped from titles",
        ));
    }
    Parsed {
        blocks,
        front: Default::default(),
        markdown: false,
    }
}

fn looks_like_code_or_indented(l: &str) -> bool {
    looks_like_code(l) || l.starts_with("# ") || l.starts_with("    ") || l.starts_with('\t')
}

/// The text after a list marker (`- `, `* `, `• `, `1. `, `2) `).
fn list_marker(line: &str) -> Option<&str> {
    let t = line.trim_start();
    for m in ["- ", "* ", "• ", "+ ", "· "] {
        if let Some(rest) = t.strip_prefix(m) {
            return Some(rest);
        }
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some(r);
        }
    }
    None
}

/// Whether a one-line paragraph reads as a heading: short, no sentence end, starting with
/// a capital, digit or symbol.
fn heading_like(text: &str) -> bool {
    if text.contains('\n') {
        return false;
    }
    let title = inline::clean_title(text).text;
    let words = title.split_whitespace().count();
    let first = title.chars().next().unwrap_or(' ');
    !title.is_empty()
        && title.len() <= 80
        && (1..=10).contains(&words)
        && !text
            .trim_end()
            .ends_with(['.', ',', ';', ':', '!', '…', '"', ')'])
        && (first.is_uppercase() || first.is_ascii_digit())
        && !looks_like_code(text)
        && !text.contains(" = ")
        && !text.contains('→')
}

/// Paragraphs with their first line: separated by blank lines when the text is wrapped
/// (blank lines between runs of short lines), else one a line.
fn paragraphs(lines: &[&str]) -> Vec<(usize, String)> {
    let nonblank: Vec<&&str> = lines.iter().filter(|l| !l.trim().is_empty()).collect();
    let blank = lines.len() - nonblank.len();
    let avg = nonblank.iter().map(|l| l.len()).sum::<usize>() / nonblank.len().max(1);
    let runs = lines
        .split(|l| l.trim().is_empty())
        .filter(|r| !r.is_empty())
        .collect::<Vec<_>>();
    let multi_line_runs = runs.iter().filter(|r| r.len() > 1).count();
    let wrapped = blank > 0 && avg <= 100 && multi_line_runs * 2 >= runs.len();
    let mut out = Vec::new();
    if wrapped {
        let mut cur: Option<(usize, String)> = None;
        for (i, l) in lines.iter().enumerate() {
            if l.trim().is_empty() {
                if let Some(p) = cur.take() {
                    out.push(p);
                }
            } else if let Some((_, s)) = &mut cur {
                s.push('\n');
                s.push_str(l.trim_end());
            } else {
                cur = Some((i + 1, l.trim_end().to_string()));
            }
        }
        out.extend(cur);
    } else {
        for (i, l) in lines.iter().enumerate() {
            if !l.trim().is_empty() {
                out.push((i + 1, l.trim_end().to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> Note {
        Note {
            name: "dump.txt".into(),
            text: text.into(),
            markdown: None,
        }
    }

    #[test]
    fn heading_lines_code_and_tables_in_a_dump() {
        let text = "Memory Model\n\nVariables as References\n\nVariables are references to objects.\n\nimport sys\n\n| Trap | Fix |\n|---|---|\n| a | b |\n\nSecond Section\n\nText here.\n";
        let mut w = Vec::new();
        let p = blocks(&note(text), &mut w);
        let kinds: Vec<&Kind> = p.blocks.iter().map(|b| &b.kind).collect();
        assert_eq!(kinds[0], &Kind::Heading(1), "{:?}", p.blocks);
        assert_eq!(kinds[1], &Kind::Heading(2));
        assert_eq!(kinds[2], &Kind::Para);
        assert_eq!(kinds[3], &Kind::Code { lang: None });
        assert!(matches!(kinds[4], Kind::Table { .. }));
        assert_eq!(p.blocks[4].line, 9);
        assert!(w[0].message.contains("plain text"), "{w:?}");
    }

    #[test]
    fn a_dump_without_blank_lines_is_a_paragraph_a_line() {
        let text = "The GIL is a lock in CPython that serialises bytecode.\nIt releases on I/O.\nA dict is a hash table.\n";
        let mut w = Vec::new();
        let p = blocks(&note(text), &mut w);
        assert_eq!(p.blocks.len(), 3);
        assert!(p.blocks.iter().all(|b| b.kind == Kind::Para));
        assert_eq!(p.blocks[2].line, 3);
    }
}
