//! A [`Collection`] as a `collection.anki2` file (schema 11), built in an in-memory SQLite
//! database and returned as bytes: no temporary file, nothing on disk until the caller
//! writes the package.

use rusqlite::{Connection, MAIN_DB, params};
use serde_json::{Value, json};

use crate::error::Result;
use crate::html;
use crate::model::{Card, Collection, Note, Notetype};

const SCHEMA: &str = include_str!("../../sql/schema11.sql");

/// The id of Anki's deck options group and deck that every collection has.
const DEFAULT_ID: i64 = 1;

/// The collection as the bytes of a schema-11 SQLite file. `now` (unix seconds) stamps the
/// collection's modification time.
pub fn collection_bytes(col: &Collection, now: i64) -> Result<Vec<u8>> {
    let mut db = Connection::open_in_memory()?;
    db.execute_batch(SCHEMA)?;
    let tx = db.transaction()?;
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, ?6, '{}')",
        params![
            col.crt,
            now * 1000,
            conf(col).to_string(),
            models(col, now).to_string(),
            decks(col, now).to_string(),
            deck_options().to_string(),
        ],
    )?;
    {
        let mut insert =
            tx.prepare("INSERT INTO notes VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, 0, '')")?;
        for n in &col.notes {
            let first = n.fields.first().map(String::as_str).unwrap_or("");
            let sort = html::to_plain(first).text;
            insert.execute(params![
                n.id,
                n.guid,
                n.notetype,
                n.mtime,
                tags(n),
                n.fields.join("\x1f"),
                sort,
                checksum(&sort),
            ])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO cards VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 0, 0, 0, ?14)",
        )?;
        for c in &col.cards {
            insert.execute(params![
                c.id,
                c.note,
                c.deck,
                c.ord,
                now,
                c.ctype as i64,
                c.queue,
                c.due,
                c.interval,
                c.factor,
                c.reps,
                c.lapses,
                c.left,
                card_data(c),
            ])?;
        }
        let mut insert =
            tx.prepare("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")?;
        for r in &col.revlog {
            insert.execute(params![
                r.id,
                r.card,
                r.ease,
                r.interval,
                r.last_interval,
                r.factor,
                r.millis,
                r.kind as i64
            ])?;
        }
    }
    tx.commit()?;
    db.execute_batch("ANALYZE")?;
    let bytes = db.serialize(MAIN_DB)?.to_vec();
    Ok(bytes)
}

/// Tags as Anki stores them: space-separated, with a space at each end.
fn tags(n: &Note) -> String {
    if n.tags.is_empty() {
        String::new()
    } else {
        format!(" {} ", n.tags.join(" "))
    }
}

/// Anki's checksum of a note's first field: the first 8 hex digits of its SHA-1, as a
/// number (Anki recomputes it on import; older importers read it for duplicate checks).
fn checksum(sort_field: &str) -> i64 {
    let hex = sha1_smol::Sha1::from(sort_field).digest().to_string();
    i64::from_str_radix(&hex[..8], 16).unwrap_or(0)
}

/// The card's `data` column: its FSRS memory state and last review, as Anki keeps them.
fn card_data(c: &Card) -> String {
    let mut data = serde_json::Map::new();
    if let Some(m) = c.memory {
        data.insert("s".into(), json!(round(m.stability, 4)));
        data.insert("d".into(), json!(round(m.difficulty, 3)));
    }
    if let Some(t) = c.last_review {
        data.insert("lrt".into(), json!(t));
    }
    Value::Object(data).to_string()
}

/// `v` rounded to `places` decimals, as Anki rounds memory states.
fn round(v: f32, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (f64::from(v) * f).round() / f
}

fn conf(col: &Collection) -> Value {
    json!({
        "activeDecks": [DEFAULT_ID],
        "curDeck": DEFAULT_ID,
        "curModel": col.notetypes.first().map_or(0, |n| n.id),
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "nextPos": col.cards.len() + 1,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
        "schedVer": 2,
        "sched2021": true,
        "creationOffset": 0,
        "rollover": crate::model::ROLLOVER_HOUR,
    })
}

fn models(col: &Collection, now: i64) -> Value {
    let mut out = serde_json::Map::new();
    for nt in &col.notetypes {
        out.insert(nt.id.to_string(), model(nt, now));
    }
    Value::Object(out)
}

fn model(nt: &Notetype, now: i64) -> Value {
    let fields: Vec<Value> = nt
        .fields
        .iter()
        .enumerate()
        .map(|(ord, name)| {
            json!({
                "name": name, "ord": ord, "sticky": false, "rtl": false, "font": "Arial",
                "size": 20, "description": "", "plainText": false, "collapsed": false,
                "excludeFromSearch": false, "media": [],
            })
        })
        .collect();
    let templates: Vec<Value> = nt
        .templates
        .iter()
        .enumerate()
        .map(|(ord, t)| {
            json!({
                "name": t.name, "ord": ord, "qfmt": t.front, "afmt": t.back,
                "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0,
            })
        })
        .collect();
    json!({
        "id": nt.id,
        "name": nt.name,
        "type": u8::from(nt.cloze),
        "mod": now,
        "usn": 0,
        "sortf": 0,
        "did": null,
        "tmpls": templates,
        "flds": fields,
        "css": nt.css,
        "latexPre": "\\documentclass[12pt]{article}\n\\special{papersize=3in,5in}\n\\usepackage[utf8]{inputenc}\n\\usepackage{amssymb,amsmath}\n\\pagestyle{empty}\n\\setlength{\\parindent}{0in}\n\\begin{document}\n",
        "latexPost": "\\end{document}",
        "latexsvg": false,
        "req": requirements(nt),
        "tags": [],
        "vers": [],
    })
}

/// Which fields make each template's front non-empty: every field its front names. Anki
/// makes a card only when one of them has text.
fn requirements(nt: &Notetype) -> Value {
    let reqs: Vec<Value> = nt
        .templates
        .iter()
        .enumerate()
        .map(|(ord, t)| {
            let used: Vec<usize> = nt
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| {
                    t.front.contains(&format!("{{{{{f}}}}}"))
                        || t.front.contains(&format!("{{{{#{f}}}}}"))
                })
                .map(|(i, _)| i)
                .collect();
            json!([ord, "any", used])
        })
        .collect();
    Value::Array(reqs)
}

fn decks(col: &Collection, now: i64) -> Value {
    let mut out = serde_json::Map::new();
    let mut all = vec![(DEFAULT_ID, "Default", "")];
    all.extend(
        col.decks
            .iter()
            .filter(|d| d.id != DEFAULT_ID)
            .map(|d| (d.id, d.name.as_str(), d.description.as_str())),
    );
    for (id, name, desc) in all {
        out.insert(
            id.to_string(),
            json!({
                "id": id, "mod": now, "name": name, "usn": 0, "desc": desc, "dyn": 0,
                "conf": DEFAULT_ID, "collapsed": false, "browserCollapsed": false,
                "extendNew": 0, "extendRev": 0,
                "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
            }),
        );
    }
    Value::Object(out)
}

/// Anki's default deck options, which the decks use.
fn deck_options() -> Value {
    json!({
        "1": {
            "id": DEFAULT_ID, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60,
            "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
            "new": {"bury": false, "delays": [1.0, 10.0], "initialFactor": 2500,
                    "ints": [1, 4, 0], "order": 1, "perDay": 20},
            "rev": {"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                    "perDay": 200, "hardFactor": 1.2},
            "lapse": {"delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                      "mult": 0.0},
            "desiredRetention": 0.9,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_is_anki_s() {
        // sha1("hello") = aaf4c61d...; Anki keeps the first 8 hex digits.
        assert_eq!(checksum("hello"), 0xaaf4_c61d);
    }
}
