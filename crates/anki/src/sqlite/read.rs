//! A collection file's bytes (schema 11, as in `collection.anki2` and `.anki21`, or schema
//! 18, as in `.anki21b`) as a [`Collection`]. The file is loaded into an in-memory SQLite
//! database, read-only: nothing is written anywhere, and a damaged file is an error.

use rusqlite::{Connection, MAIN_DB, OpenFlags};
use serde_json::Value;

use crate::error::{AnkiError, Result};
use crate::model::{
    Card, CardType, Collection, Deck, Format, Memory, Note, Notetype, ReviewKind, Revlog, Template,
};
use crate::proto;

/// The oldest and newest collection schemas memseed reads.
pub const SCHEMAS: std::ops::RangeInclusive<i64> = 11..=18;

/// Reads the collection in `bytes`; `name` names it in errors.
pub fn collection(name: &str, format: Format, bytes: &[u8]) -> Result<Collection> {
    let db = open(name, bytes)?;
    let err = |e: rusqlite::Error| sql_error(name, &e);
    let (ver, crt): (i64, i64) = db
        .query_row("SELECT ver, crt FROM col", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .map_err(err)?;
    if !SCHEMAS.contains(&ver) {
        return Err(AnkiError::UnknownVersion {
            name: name.to_string(),
            version: format.name().to_string(),
            schema: ver,
        });
    }
    let mut col = Collection::new(format, crt);
    if ver >= 15 {
        col.notetypes = notetypes_18(name, &db)?;
        col.decks = decks_18(name, &db)?;
    } else {
        let (models, decks): (String, String) = db
            .query_row("SELECT models, decks FROM col", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .map_err(err)?;
        col.notetypes = notetypes_11(name, &models)?;
        col.decks = decks_11(name, &decks)?;
    }
    col.notes = notes(&db).map_err(err)?;
    col.cards = cards(&db).map_err(err)?;
    col.revlog = revlog(&db).map_err(err)?;
    Ok(col)
}

/// The bytes as a read-only in-memory database.
fn open(name: &str, bytes: &[u8]) -> Result<Connection> {
    if !bytes.starts_with(b"SQLite format 3\0") || bytes.len() < 100 {
        return Err(AnkiError::Damaged {
            name: name.to_string(),
            detail: "the collection inside is not an SQLite database".into(),
        });
    }
    let mut copy = bytes.to_vec();
    // A file saved in WAL mode would need its -wal file; read it as a rollback-journal
    // database, which its pages are once Anki has checkpointed them (as it does on export).
    copy[18] = 1;
    copy[19] = 1;
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let mut db = Connection::open_in_memory_with_flags(flags).map_err(|e| sql_error(name, &e))?;
    let len = copy.len();
    db.deserialize_read_exact(MAIN_DB, copy.as_slice(), len, true)
        .map_err(|e| sql_error(name, &e))?;
    // Anki's schema 18 names a case-insensitive collation of its own in its indexes.
    db.create_collation("unicase", |a: &str, b: &str| {
        a.to_lowercase().cmp(&b.to_lowercase())
    })
    .map_err(|e| sql_error(name, &e))?;
    // A hostile file's schema may hold views or triggers; they are never trusted.
    db.pragma_update(None, "trusted_schema", false)
        .map_err(|e| sql_error(name, &e))?;
    Ok(db)
}

fn sql_error(name: &str, e: &rusqlite::Error) -> AnkiError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => AnkiError::Damaged {
            name: name.to_string(),
            detail: format!("its collection database is damaged ({e})"),
        },
        _ => AnkiError::Collection {
            name: name.to_string(),
            detail: e.to_string(),
        },
    }
}

fn bad(name: &str, detail: impl Into<String>) -> AnkiError {
    AnkiError::Collection {
        name: name.to_string(),
        detail: detail.into(),
    }
}

/// An id as Anki writes it in JSON: a number, or a number in a string.
fn json_id(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn json_str(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn notetypes_11(name: &str, json: &str) -> Result<Vec<Notetype>> {
    let models: serde_json::Map<String, Value> = serde_json::from_str(json)
        .map_err(|e| bad(name, format!("its note types are not valid JSON ({e})")))?;
    let mut out = Vec::new();
    for (key, m) in &models {
        let id = m
            .get("id")
            .and_then(json_id)
            .or_else(|| key.parse().ok())
            .ok_or_else(|| bad(name, format!("note type \"{key}\" has no id")))?;
        let mut fields: Vec<(i64, String)> = m
            .get("flds")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(i, f)| {
                        (
                            f.get("ord").and_then(Value::as_i64).unwrap_or(i as i64),
                            json_str(f, "name"),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        fields.sort_by_key(|(ord, _)| *ord);
        let mut templates: Vec<(i64, Template)> = m
            .get("tmpls")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .enumerate()
                    .map(|(i, t)| {
                        (
                            t.get("ord").and_then(Value::as_i64).unwrap_or(i as i64),
                            Template {
                                name: json_str(t, "name"),
                                front: json_str(t, "qfmt"),
                                back: json_str(t, "afmt"),
                            },
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        templates.sort_by_key(|(ord, _)| *ord);
        out.push(Notetype {
            id,
            name: json_str(m, "name"),
            cloze: m.get("type").and_then(Value::as_i64) == Some(1),
            fields: fields.into_iter().map(|(_, n)| n).collect(),
            templates: templates.into_iter().map(|(_, t)| t).collect(),
            css: json_str(m, "css"),
        });
    }
    out.sort_by_key(|n| n.id);
    Ok(out)
}

fn decks_11(name: &str, json: &str) -> Result<Vec<Deck>> {
    let decks: serde_json::Map<String, Value> = serde_json::from_str(json)
        .map_err(|e| bad(name, format!("its decks are not valid JSON ({e})")))?;
    let mut out: Vec<Deck> = decks
        .iter()
        .filter_map(|(key, d)| {
            Some(Deck {
                id: d.get("id").and_then(json_id).or_else(|| key.parse().ok())?,
                name: json_str(d, "name"),
                description: json_str(d, "desc"),
            })
        })
        .collect();
    out.sort_by_key(|d| d.id);
    Ok(out)
}

fn notetypes_18(name: &str, db: &Connection) -> Result<Vec<Notetype>> {
    let err = |e: rusqlite::Error| sql_error(name, &e);
    let mut st = db
        .prepare("SELECT id, name, config FROM notetypes ORDER BY id")
        .map_err(err)?;
    let rows: Vec<(i64, String, Vec<u8>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let mut fields_st = db
        .prepare("SELECT name FROM fields WHERE ntid = ?1 ORDER BY ord")
        .map_err(err)?;
    let mut tmpl_st = db
        .prepare("SELECT name, config FROM templates WHERE ntid = ?1 ORDER BY ord")
        .map_err(err)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, nt_name, config) in rows {
        let proto_err = |e: proto::ProtoError| bad(name, format!("note type \"{nt_name}\": {e}"));
        let kind = proto::field(&config, 1)
            .map_err(proto_err)?
            .and_then(|v| v.as_u64());
        let css = proto::field(&config, 3)
            .map_err(proto_err)?
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let fields: Vec<String> = fields_st
            .query_map([id], |r| r.get(0))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let tmpl_rows: Vec<(String, Vec<u8>)> = tmpl_st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(err)?
            .collect::<Result<_, _>>()
            .map_err(err)?;
        let mut templates = Vec::with_capacity(tmpl_rows.len());
        for (t_name, t_config) in tmpl_rows {
            let side = |n| -> Result<String> {
                Ok(proto::field(&t_config, n)
                    .map_err(proto_err)?
                    .and_then(|v| v.as_string())
                    .unwrap_or_default())
            };
            templates.push(Template {
                name: t_name,
                front: side(1)?,
                back: side(2)?,
            });
        }
        out.push(Notetype {
            id,
            name: nt_name.clone(),
            cloze: kind == Some(1),
            fields,
            templates,
            css,
        });
    }
    Ok(out)
}

fn decks_18(name: &str, db: &Connection) -> Result<Vec<Deck>> {
    let err = |e: rusqlite::Error| sql_error(name, &e);
    let mut st = db
        .prepare("SELECT id, name, kind FROM decks ORDER BY id")
        .map_err(err)?;
    let rows: Vec<(i64, String, Vec<u8>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .map_err(err)?
        .collect::<Result<_, _>>()
        .map_err(err)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, deck_name, kind) in rows {
        // Kind: { normal = 1: { description = 4 } }.
        let description = proto::field(&kind, 1)
            .ok()
            .flatten()
            .and_then(|v| v.as_bytes())
            .and_then(|normal| proto::field(normal, 4).ok().flatten())
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        out.push(Deck {
            id,
            // Schema 18 separates levels with \x1f; packages and people use `::`.
            name: deck_name.replace('\x1f', "::"),
            description,
        });
    }
    Ok(out)
}

fn notes(db: &Connection) -> rusqlite::Result<Vec<Note>> {
    let mut st = db.prepare("SELECT id, guid, mid, mod, tags, flds FROM notes ORDER BY id")?;
    st.query_map([], |r| {
        let tags: String = r.get(4)?;
        let flds: String = r.get(5)?;
        Ok(Note {
            id: r.get(0)?,
            guid: r.get(1)?,
            notetype: r.get(2)?,
            mtime: r.get(3)?,
            tags: tags.split_whitespace().map(str::to_string).collect(),
            fields: flds.split('\x1f').map(str::to_string).collect(),
        })
    })?
    .collect()
}

fn cards(db: &Connection) -> rusqlite::Result<Vec<Card>> {
    let mut st = db.prepare(
        "SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, left, odid, odue, data FROM cards ORDER BY id",
    )?;
    st.query_map([], |r| {
        let (did, odid): (i64, i64) = (r.get(2)?, r.get(12)?);
        let (due, odue): (i64, i64) = (r.get(6)?, r.get(13)?);
        let data: Option<String> = r.get(14)?;
        let data: Value = data
            .and_then(|d| serde_json::from_str(&d).ok())
            .unwrap_or(Value::Null);
        let num = |k: &str| data.get(k).and_then(Value::as_f64);
        let memory = match (num("s"), num("d")) {
            (Some(s), Some(d)) if s.is_finite() && d.is_finite() && s > 0.0 => Some(Memory {
                stability: s as f32,
                difficulty: d as f32,
            }),
            _ => None,
        };
        let count = |i: usize| -> rusqlite::Result<u32> {
            let v: i64 = r.get(i)?;
            Ok(u32::try_from(v.max(0)).unwrap_or(u32::MAX))
        };
        Ok(Card {
            id: r.get(0)?,
            note: r.get(1)?,
            // A card in a filtered deck belongs to its home deck, due as it was there.
            deck: if odid != 0 { odid } else { did },
            due: if odid != 0 && odue != 0 { odue } else { due },
            ord: count(3)?,
            ctype: CardType::from_i64(r.get(4)?),
            queue: i8::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
            interval: r.get(7)?,
            factor: count(8)?,
            reps: count(9)?,
            lapses: count(10)?,
            left: count(11)?,
            memory,
            last_review: data.get("lrt").and_then(Value::as_i64),
        })
    })?
    .collect()
}

fn revlog(db: &Connection) -> rusqlite::Result<Vec<Revlog>> {
    let mut st = db.prepare(
        "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id",
    )?;
    st.query_map([], |r| {
        let ease: i64 = r.get(2)?;
        Ok(Revlog {
            id: r.get(0)?,
            card: r.get(1)?,
            ease: u8::try_from(ease).unwrap_or(0),
            interval: r.get(3)?,
            last_interval: r.get(4)?,
            factor: u32::try_from(r.get::<_, i64>(5)?).unwrap_or(0),
            millis: u32::try_from(r.get::<_, i64>(6)?).unwrap_or(0),
            kind: ReviewKind::from_i64(r.get(7)?),
        })
    })?
    .collect()
}
