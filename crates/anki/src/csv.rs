//! Anki's text format both ways. Out: the notes of an export as the rows Anki's "Import
//! File" reads, with the header lines that set it up (`#separator`, `#html`, `#notetype
//! column`, `#deck column`, `#guid column`, `#tags column`) and Anki's stock note types,
//! which every collection has. In: Anki's "Notes in Plain Text" and "Cards in Plain Text"
//! exports (and any CSV or tab-separated deck), headers or none.

use std::collections::HashMap;
use std::fmt::Write as _;

use crate::error::{AnkiError, Result};
use crate::export::{CONCEPT, QUESTION, TRAP};
use crate::html;
use crate::ids;
use crate::model::{Card, CardType, Collection, Deck, Format, Note, Notetype, Template, queue};

/// Anki's stock note type with one card.
pub const BASIC: &str = "Basic";
/// Anki's stock note type with a card each way.
pub const BASIC_REVERSED: &str = "Basic (and reversed card)";

/// The collection's notes as Anki's tab-separated text, one note a row.
pub fn write(col: &Collection) -> String {
    let mut out = String::from(
        "#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n#guid column:3\n#tags column:6\n",
    );
    for note in &col.notes {
        let Some(nt) = col.notetype(note.notetype) else {
            continue;
        };
        let field = |name: &str| {
            nt.fields
                .iter()
                .position(|f| f == name)
                .and_then(|i| note.fields.get(i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let cards: Vec<&Card> = col.cards.iter().filter(|c| c.note == note.id).collect();
        let deck = cards
            .first()
            .and_then(|c| col.deck(c.deck))
            .map_or("Default", |d| d.name.as_str());
        let joined = |parts: &[&str]| {
            parts
                .iter()
                .filter(|p| !p.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("<br><br>")
        };
        let (notetype, front, back) = match nt.name.as_str() {
            CONCEPT => (
                if cards.len() > 1 {
                    BASIC_REVERSED
                } else {
                    BASIC
                },
                field("Title").to_string(),
                joined(&[field("Anchor"), field("Basic"), field("Code")]),
            ),
            QUESTION => (
                BASIC,
                field("Question").to_string(),
                joined(&[field("Answer"), field("Detailed")]),
            ),
            TRAP => {
                let code = field("Code");
                let front = if code.is_empty() {
                    format!(
                        "Trap: {}. What goes wrong, and what is the fix?",
                        field("Title")
                    )
                } else {
                    format!(
                        "{}<br>{code}",
                        html::escape(memseed_study::cards::TRAP_CODE_PROMPT)
                    )
                };
                let fix = format!("Fix: {}", field("Fix"));
                (BASIC, front, joined(&[field("What"), &fix]))
            }
            _ => (
                BASIC,
                note.fields.first().cloned().unwrap_or_default(),
                note.fields
                    .get(1..)
                    .map(|f| joined(&f.iter().map(String::as_str).collect::<Vec<_>>()))
                    .unwrap_or_default(),
            ),
        };
        let row = [
            notetype,
            deck,
            note.guid.as_str(),
            front.as_str(),
            back.as_str(),
            &note.tags.join(" "),
        ];
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "{}", cells.join("\t"));
    }
    out
}

/// A cell, quoted when it holds a tab, a quote or a line break (quotes doubled).
fn cell(s: &str) -> String {
    if s.contains(['\t', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header lines of a text export.
#[derive(Debug, Default)]
struct Header {
    separator: Option<char>,
    html: bool,
    notetype: Option<String>,
    deck: Option<String>,
    tags: Vec<String>,
    columns: Vec<String>,
    notetype_column: Option<usize>,
    deck_column: Option<usize>,
    tags_column: Option<usize>,
    guid_column: Option<usize>,
}

/// Reads a text export; `name` names it in messages.
pub fn read(name: &str, text: &str) -> Result<Collection> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header = Header::default();
    let mut body = text;
    let mut columns = None;
    while body.starts_with('#') {
        let end = body.find('\n').map_or(body.len(), |i| i + 1);
        let line = body[..end].trim_end_matches(['\r', '\n']);
        body = &body[end..];
        let Some((key, value)) = line[1..].split_once(':') else {
            continue;
        };
        let column = || value.trim().parse::<usize>().ok().filter(|&c| c >= 1);
        match key.trim().to_ascii_lowercase().as_str() {
            "separator" => header.separator = separator(value),
            "html" => header.html = value.trim().eq_ignore_ascii_case("true"),
            "notetype" => header.notetype = Some(value.trim().to_string()),
            "deck" => header.deck = Some(value.trim().to_string()),
            "tags" => header.tags = value.split_whitespace().map(str::to_string).collect(),
            "columns" => columns = Some(value),
            "notetype column" => header.notetype_column = column(),
            "deck column" => header.deck_column = column(),
            "tags column" => header.tags_column = column(),
            "guid column" => header.guid_column = column(),
            _ => {}
        }
    }
    let sep = header.separator.unwrap_or_else(|| guess_separator(body));
    if let Some(cols) = columns {
        header.columns = cols.split(sep).map(|c| c.trim().to_string()).collect();
    }
    let rows = records(name, body, sep)?;
    if rows.iter().all(|r| r.iter().all(|c| c.trim().is_empty())) {
        return Err(AnkiError::Text {
            name: name.into(),
            detail: "no rows to import after the header lines".into(),
        });
    }
    let special: Vec<usize> = [
        header.notetype_column,
        header.deck_column,
        header.tags_column,
        header.guid_column,
    ]
    .into_iter()
    .flatten()
    .map(|c| c - 1)
    .collect();
    let mut col = Collection::new(Format::Text, 0);
    let mut notetypes: HashMap<String, i64> = HashMap::new();
    let mut decks: HashMap<String, i64> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|c| row.get(c - 1)).map(|s| s.trim().to_string());
        let fields: Vec<String> = row
            .iter()
            .enumerate()
            .filter(|(k, _)| !special.contains(k))
            .map(|(_, c)| {
                if header.html {
                    c.clone()
                } else {
                    html::escape(c).replace('\n', "<br>")
                }
            })
            .collect();
        let nt_name = get(header.notetype_column)
            .filter(|s| !s.is_empty())
            .or_else(|| header.notetype.clone())
            .unwrap_or_else(|| BASIC.to_string());
        let field_names: Vec<String> = (0..fields.len())
            .map(|k| {
                header
                    .columns
                    .iter()
                    .enumerate()
                    .filter(|(c, _)| !special.contains(c))
                    .map(|(_, n)| n.clone())
                    .nth(k)
                    .unwrap_or_else(|| {
                        ["Front", "Back"]
                            .get(k)
                            .map_or(format!("Field {}", k + 1), |s| (*s).to_string())
                    })
            })
            .collect();
        let nt_id = *notetypes.entry(nt_name.clone()).or_insert_with(|| {
            let id = ids::id("text notetype", &nt_name);
            col.notetypes.push(Notetype {
                id,
                name: nt_name.clone(),
                cloze: nt_name.to_ascii_lowercase().contains("cloze"),
                fields: field_names.clone(),
                templates: vec![Template {
                    name: "Card 1".into(),
                    front: String::new(),
                    back: String::new(),
                }],
                css: String::new(),
            });
            id
        });
        let deck_name = get(header.deck_column)
            .filter(|s| !s.is_empty())
            .or_else(|| header.deck.clone())
            .unwrap_or_else(|| "Default".to_string());
        let deck_id = *decks.entry(deck_name.clone()).or_insert_with(|| {
            let id = ids::id("text deck", &deck_name);
            col.decks.push(Deck {
                id,
                name: deck_name.clone(),
                description: String::new(),
            });
            id
        });
        let mut tags = header.tags.clone();
        if let Some(t) = get(header.tags_column) {
            tags.extend(t.split_whitespace().map(str::to_string));
        }
        let guid = get(header.guid_column)
            .filter(|g| !g.is_empty())
            .unwrap_or_else(|| ids::guid(&format!("{name}/{}", row.join("\x1f"))));
        let id = i as i64 + 1;
        col.notes.push(Note {
            id,
            guid,
            notetype: nt_id,
            fields,
            tags,
            mtime: 0,
        });
        col.cards.push(Card {
            id,
            note: id,
            deck: deck_id,
            ord: 0,
            ctype: CardType::New,
            queue: queue::NEW,
            due: id,
            interval: 0,
            factor: 0,
            reps: 0,
            lapses: 0,
            left: 0,
            memory: None,
            last_review: None,
        });
    }
    Ok(col)
}

/// The separator a `#separator:` header names (`tab`, `comma`, … or the character).
fn separator(value: &str) -> Option<char> {
    let v = value.trim_end_matches(['\r', '\n']);
    match v.trim().to_ascii_lowercase().as_str() {
        "tab" | "\\t" => Some('\t'),
        "comma" => Some(','),
        "semicolon" => Some(';'),
        "space" => Some(' '),
        "pipe" => Some('|'),
        "colon" => Some(':'),
        _ if v.chars().count() == 1 => v.chars().next(),
        _ => None,
    }
}

/// The separator of a file without a header: the first of tab, `;`, `,` and `|` that the
/// first line holds.
fn guess_separator(body: &str) -> char {
    let first = body.lines().next().unwrap_or("");
    ['\t', ';', ',', '|']
        .into_iter()
        .find(|&c| first.contains(c))
        .unwrap_or('\t')
}

/// The rows of `body`: cells separated by `sep`, a cell in double quotes may hold the
/// separator, line breaks and doubled quotes.
fn records(name: &str, body: &str, sep: char) -> Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut chars = body.chars().peekable();
    let mut line = 1;
    let mut quoted_from: Option<usize> = None;
    let mut at_cell_start = true;
    while let Some(c) = chars.next() {
        if quoted_from.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted_from = None,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                '\r' if chars.peek() == Some(&'\n') => {}
                c => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if at_cell_start => {
                quoted_from = Some(line);
                at_cell_start = false;
            }
            c if c == sep => {
                row.push(std::mem::take(&mut cell));
                at_cell_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                line += 1;
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
                at_cell_start = true;
            }
            c => {
                cell.push(c);
                at_cell_start = false;
            }
        }
    }
    if let Some(from) = quoted_from {
        return Err(AnkiError::Text {
            name: name.into(),
            detail: format!(
                "the quoted cell that starts on line {from} of the rows is never closed (the file looks cut short)"
            ),
        });
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_with_quotes_separators_and_line_breaks() {
        let rows = records(
            "t",
            "a\t\"b\tc\"\t\"say \"\"hi\"\"\nthere\"\r\nd\te\n",
            '\t',
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![vec!["a", "b\tc", "say \"hi\"\nthere"], vec!["d", "e"]]
        );
        assert!(records("t", "a\t\"open", '\t').is_err());
    }

    #[test]
    fn anki_s_notes_in_plain_text_export() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:6\n\
                    g1\tBasic\tPy::Core\tWhat is a <b>list</b>?\tA mutable sequence.\tmarked py\n\
                    g2\tBasic\tPy::Core\tfront 2\t\"back<br>two\"\t\n";
        let col = read("notes.txt", text).unwrap();
        assert_eq!(col.notes.len(), 2);
        assert_eq!(col.notes[0].guid, "g1");
        assert_eq!(
            col.notes[0].fields,
            ["What is a <b>list</b>?", "A mutable sequence."]
        );
        assert_eq!(col.notes[0].tags, ["marked", "py"]);
        assert_eq!(col.decks.len(), 1);
        assert_eq!(col.decks[0].name, "Py::Core");
        assert_eq!(col.notetypes[0].fields, ["Front", "Back"]);
    }

    #[test]
    fn plain_csv_without_header_and_plain_text() {
        let col = read("deck.csv", "front, one;back <1>\nf2;b2\n").unwrap();
        assert_eq!(col.notes[0].fields, ["front, one", "back &lt;1&gt;"]);
        assert_eq!(col.decks[0].name, "Default");
        assert!(matches!(
            read("e.csv", "#separator:tab\n\n\n"),
            Err(AnkiError::Text { .. })
        ));
    }
}
