//! The `.apkg` zip: written with `collection.anki2` and a media map, the format every Anki
//! and AnkiDroid imports; read in all three versions (`collection.anki2`, `.anki21`, and the
//! zstd-compressed `.anki21b` with its protobuf media list). Reading is bounded: the file,
//! what it unpacks to and its entry count are capped ([`Limits`]), an entry whose name
//! climbs out of the package is refused, and nothing is ever extracted to disk here.

use std::io::{Cursor, Read, Write};

use zip::ZipArchive;
use zip::write::SimpleFileOptions;

use crate::error::{AnkiError, Result};
use crate::model::{Collection, Format, Media};
use crate::{proto, sqlite};

/// How much a package may hold before it is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The package or text file itself.
    pub max_file: u64,
    /// Everything read out of it together: the collection, the media list, the media.
    pub max_unpacked: u64,
    /// Entries in the zip.
    pub max_entries: usize,
    /// Whether the media files are read (to be kept aside) or only listed by name.
    pub media: bool,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file: 1 << 30,
            max_unpacked: 512 << 20,
            max_entries: 200_000,
            media: true,
        }
    }
}

/// The collection as an `.apkg`: `collection.anki2` (deflated) and an empty media map.
pub fn write(col: &Collection, now: i64) -> Result<Vec<u8>> {
    let db = sqlite::write::collection_bytes(col, now)?;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(db.len() / 3)));
    let zerr = |e: zip::result::ZipError| AnkiError::Zip(e.to_string());
    let deflated =
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("collection.anki2", deflated).map_err(zerr)?;
    zip.write_all(&db)
        .map_err(|e| AnkiError::Zip(e.to_string()))?;
    zip.start_file("media", deflated).map_err(zerr)?;
    zip.write_all(b"{}")
        .map_err(|e| AnkiError::Zip(e.to_string()))?;
    Ok(zip.finish().map_err(zerr)?.into_inner())
}

/// Reads the package in `bytes`; `name` (its file name) is used in messages.
pub fn read(name: &str, bytes: &[u8], limits: &Limits) -> Result<Collection> {
    if bytes.is_empty() {
        return Err(AnkiError::Empty { name: name.into() });
    }
    if bytes.len() as u64 > limits.max_file {
        return Err(AnkiError::TooLarge {
            name: name.into(),
            size: bytes.len() as u64,
            max: limits.max_file,
        });
    }
    if !bytes.starts_with(b"PK") {
        return Err(AnkiError::NotAPackage {
            name: name.into(),
            detail: "it is not a zip archive (an .apkg is one)".into(),
        });
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| AnkiError::Damaged {
        name: name.into(),
        detail: format!("its zip directory cannot be read ({e})"),
    })?;
    if zip.len() > limits.max_entries {
        return Err(AnkiError::TooManyEntries {
            name: name.into(),
            count: zip.len(),
            max: limits.max_entries,
        });
    }
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let entry =
            zip.name_for_index(i)
                .and_then(Result::ok)
                .ok_or_else(|| AnkiError::Damaged {
                    name: name.into(),
                    detail: format!("entry {i} has no readable name"),
                })?;
        if !safe_entry_name(&entry) {
            return Err(AnkiError::UnsafePath {
                name: name.into(),
                entry: memseed_core::pack::text::clip(&entry, 80),
            });
        }
        names.push(entry.into_owned());
    }
    let mut budget = Budget {
        name,
        left: limits.max_unpacked,
        max: limits.max_unpacked,
    };
    let format = format(name, &mut zip, &names, &mut budget)?;
    let zstd = format == Format::Anki21b;
    let raw = budget.entry(&mut zip, format.name(), zstd)?;
    let mut col = sqlite::read::collection(name, format, &raw)?;
    drop(raw);
    col.media = media(name, &mut zip, zstd, limits.media, &mut budget)?;
    Ok(col)
}

/// Which collection the package holds: its `meta` says so, else the newest file present.
fn format(
    name: &str,
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    names: &[String],
    budget: &mut Budget<'_>,
) -> Result<Format> {
    let has = |n: &str| names.iter().any(|e| e == n);
    if has("meta") {
        let meta = budget.entry(zip, "meta", false)?;
        let version = proto::field(&meta, 1)
            .map_err(|e| AnkiError::Damaged {
                name: name.into(),
                detail: format!("its meta entry is not readable ({e})"),
            })?
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let format = match version {
            1 => Format::Anki2,
            2 => Format::Anki21,
            3 => Format::Anki21b,
            v => {
                return Err(AnkiError::UnknownVersion {
                    name: name.into(),
                    version: format!("meta version {v}"),
                    schema: 0,
                });
            }
        };
        if !has(format.name()) {
            return Err(AnkiError::NotAPackage {
                name: name.into(),
                detail: format!("its meta names {} but it holds no such file", format.name()),
            });
        }
        return Ok(format);
    }
    for f in [Format::Anki21, Format::Anki2, Format::Anki21b] {
        if has(f.name()) {
            return Ok(f);
        }
    }
    let mut listed: Vec<&str> = names.iter().map(String::as_str).take(5).collect();
    if names.len() > 5 {
        listed.push("…");
    }
    Err(AnkiError::NotAPackage {
        name: name.into(),
        detail: format!(
            "a zip with no collection.anki2, .anki21 or .anki21b (it holds: {})",
            if listed.is_empty() {
                "nothing".to_string()
            } else {
                listed.join(", ")
            }
        ),
    })
}

/// The media list and, when asked, the files themselves.
fn media(
    name: &str,
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    zstd: bool,
    read_files: bool,
    budget: &mut Budget<'_>,
) -> Result<Vec<Media>> {
    if zip.index_for_name("media").is_none() {
        return Ok(Vec::new());
    }
    let list = budget.entry(zip, "media", zstd)?;
    let damaged = |detail: String| AnkiError::Damaged {
        name: name.into(),
        detail,
    };
    // (zip entry, media name)
    let mut entries: Vec<(String, String)> = Vec::new();
    if zstd {
        let fields = proto::fields(&list)
            .map_err(|e| damaged(format!("its media list is not readable ({e})")))?;
        for (i, (_, v)) in fields.into_iter().filter(|(n, _)| *n == 1).enumerate() {
            let entry = v
                .as_bytes()
                .ok_or_else(|| damaged("its media list is not readable".into()))?;
            let media_name = proto::field(entry, 1)
                .map_err(|e| damaged(format!("its media list is not readable ({e})")))?
                .and_then(|v| v.as_string())
                .unwrap_or_default();
            entries.push((i.to_string(), media_name));
        }
    } else {
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&list)
            .map_err(|e| damaged(format!("its media list is not valid JSON ({e})")))?;
        for (k, v) in map {
            entries.push((k, v.as_str().unwrap_or("").to_string()));
        }
        entries.sort_by_key(|(k, _)| k.parse::<u64>().unwrap_or(u64::MAX));
    }
    let mut out = Vec::with_capacity(entries.len());
    for (entry, media_name) in entries {
        if !safe_media_name(&media_name) {
            return Err(AnkiError::UnsafePath {
                name: name.into(),
                entry: memseed_core::pack::text::clip(&media_name, 80),
            });
        }
        let data = if read_files && zip.index_for_name(&entry).is_some() {
            Some(budget.entry(zip, &entry, zstd)?)
        } else {
            None
        };
        out.push(Media {
            name: media_name,
            data,
        });
    }
    Ok(out)
}

/// An entry name a package may hold: relative, no `..`, no drive or backslash, no NUL.
fn safe_entry_name(n: &str) -> bool {
    !n.is_empty()
        && !n.starts_with('/')
        && !n.contains(['\\', '\0'])
        && !n.split('/').any(|part| part == "..")
        && (n.len() < 2 || n.as_bytes()[1] != b':')
}

/// A media file name: one path component, not `.` or `..`, no separators or NUL.
pub fn safe_media_name(n: &str) -> bool {
    !n.is_empty()
        && n != "."
        && n != ".."
        && !n.contains(['/', '\\', '\0'])
        && (n.len() < 2 || n.as_bytes()[1] != b':')
        && n.len() <= 255
}

/// What may still be unpacked from one package.
struct Budget<'a> {
    name: &'a str,
    left: u64,
    max: u64,
}

impl Budget<'_> {
    /// The contents of `entry`, decompressed (zstd when asked), counted against the budget.
    fn entry(
        &mut self,
        zip: &mut ZipArchive<Cursor<&[u8]>>,
        entry: &str,
        zstd: bool,
    ) -> Result<Vec<u8>> {
        let damaged = |detail: String| AnkiError::Damaged {
            name: self.name.into(),
            detail,
        };
        let file = zip
            .by_name(entry)
            .map_err(|e| damaged(format!("{entry} cannot be read ({e})")))?;
        let mut out = Vec::new();
        // One byte more than the budget tells an entry that fits from one that does not.
        let read = if zstd {
            let decoder = ruzstd::decoding::StreamingDecoder::new(file)
                .map_err(|e| damaged(format!("{entry} is not valid zstd ({e})")))?;
            decoder.take(self.left + 1).read_to_end(&mut out)
        } else {
            file.take(self.left + 1).read_to_end(&mut out)
        };
        read.map_err(|e| damaged(format!("{entry} cannot be unpacked ({e})")))?;
        if out.len() as u64 > self.left {
            return Err(AnkiError::TooBig {
                name: self.name.into(),
                max: self.max,
            });
        }
        self.left -= out.len() as u64;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_and_media_names_that_escape_are_refused() {
        for ok in ["collection.anki2", "media", "0", "sub/dir.txt"] {
            assert!(safe_entry_name(ok), "{ok}");
        }
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:evil",
            "a\\b",
            "",
            "x\0",
        ] {
            assert!(!safe_entry_name(bad), "{bad:?}");
        }
        for ok in ["a.png", "pic one.jpg", "é.mp3", "..hidden"] {
            assert!(safe_media_name(ok), "{ok}");
        }
        for bad in ["..", ".", "a/b", "../a", "a\\b", "", "C:x"] {
            assert!(!safe_media_name(bad), "{bad:?}");
        }
    }
}
