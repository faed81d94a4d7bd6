//! Bad Anki files, each answered with a clear error and never a panic: not a zip, a zip
//! that is no package, a truncated or damaged one, an unknown version, a zip bomb (zip
//! and zstd), too many entries, and names that climb out of the package or media folder.
//! Nothing is written outside the folder given to `write_media`.

use std::io::{Cursor, Write};

use memseed_anki::{AnkiError, Format, Limits, Media, export, read_bytes, write_media};
use memseed_catalog::Catalog;
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

const NOW: i64 = 1_795_255_200;

/// A small real package: the first 6 cards of the Python pack.
fn small_apkg() -> Vec<u8> {
    let cat = Catalog::bundled();
    let pack = &cat.get("python").unwrap().pack;
    let cards: Vec<_> = memseed_study::cards_for(pack).into_iter().take(6).collect();
    export(pack, &cards, None, Format::Apkg, NOW).unwrap().bytes
}

/// The collection file inside a package.
fn collection_of(apkg: &[u8]) -> Vec<u8> {
    let mut z = zip::ZipArchive::new(Cursor::new(apkg)).unwrap();
    let mut f = z.by_name("collection.anki2").unwrap();
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut f, &mut out).unwrap();
    out
}

/// A zip of `(name, bytes)` entries, deflated.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn read(name: &str, bytes: &[u8]) -> Result<memseed_anki::AnkiCollection, AnkiError> {
    read_bytes(name, bytes, &Limits::default())
}

fn message(r: Result<memseed_anki::AnkiCollection, AnkiError>) -> (AnkiError, String) {
    let e = r.expect_err("an error");
    let m = e.to_string();
    (e, m)
}

#[test]
fn the_real_package_reads() {
    let col = read("ok.apkg", &small_apkg()).unwrap();
    assert_eq!(col.cards.len(), 6);
}

#[test]
fn empty_not_a_zip_and_not_text() {
    let (e, m) = message(read("deck.apkg", b""));
    assert!(matches!(e, AnkiError::Empty { .. }), "{m}");
    let (e, m) = message(read("deck.apkg", b"just some words, not a zip"));
    assert!(matches!(e, AnkiError::NotAPackage { .. }), "{m}");
    assert_eq!(
        m,
        "deck.apkg is not an Anki package: it is not a zip archive (an .apkg is one)"
    );
    let (e, m) = message(read("deck.csv", &[0xff, 0xfe, 0x00, 0x41]));
    assert!(matches!(e, AnkiError::NotAPackage { .. }), "{m}");
    assert!(m.contains("neither a zip package nor UTF-8 text"), "{m}");
}

#[test]
fn a_zip_that_is_not_an_anki_package() {
    let (e, m) = message(read(
        "photos.zip",
        &zip_of(&[("a.jpg", b"x"), ("b.jpg", b"y")]),
    ));
    assert!(matches!(e, AnkiError::NotAPackage { .. }), "{m}");
    assert!(
        m.contains("no collection.anki2, .anki21 or .anki21b (it holds: a.jpg, b.jpg)"),
        "{m}"
    );
    // A collection that is not SQLite.
    let (e, m) = message(read("x.apkg", &zip_of(&[("collection.anki2", b"hello")])));
    assert!(matches!(e, AnkiError::Damaged { .. }), "{m}");
    // SQLite's header, then garbage.
    let mut garbage = collection_of(&small_apkg());
    for b in garbage.iter_mut().skip(100) {
        *b = 0x5a;
    }
    let (e, m) = message(read("x.apkg", &zip_of(&[("collection.anki2", &garbage)])));
    assert!(
        matches!(e, AnkiError::Damaged { .. } | AnkiError::Collection { .. }),
        "{m}"
    );
}

#[test]
fn truncated_packages_are_damaged() {
    let apkg = small_apkg();
    for cut in [
        10,
        apkg.len() / 3,
        apkg.len() / 2,
        apkg.len() - 30,
        apkg.len() - 1,
    ] {
        let (e, m) = message(read("cut.apkg", &apkg[..cut]));
        assert!(matches!(e, AnkiError::Damaged { .. }), "cut at {cut}: {m}");
        assert!(m.contains("looks truncated or damaged"), "{m}");
    }
    // A collection cut short inside an intact zip.
    let db = collection_of(&apkg);
    let (e, m) = message(read(
        "x.apkg",
        &zip_of(&[("collection.anki2", &db[..db.len() / 2])]),
    ));
    assert!(
        matches!(e, AnkiError::Damaged { .. } | AnkiError::Collection { .. }),
        "{m}"
    );
}

#[test]
fn unknown_versions_are_named() {
    let db = collection_of(&small_apkg());
    // A meta entry from a future Anki.
    let (e, m) = message(read(
        "new.apkg",
        &zip_of(&[("meta", &[0x08, 0x09]), ("collection.anki21b", b"x")]),
    ));
    assert!(matches!(e, AnkiError::UnknownVersion { .. }), "{m}");
    assert!(m.contains("meta version 9"), "{m}");
    // A collection whose schema is past 18.
    let mut conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.deserialize_read_exact(rusqlite::MAIN_DB, db.as_slice(), db.len(), false)
        .unwrap();
    conn.execute("UPDATE col SET ver = 99", []).unwrap();
    let newer = conn.serialize(rusqlite::MAIN_DB).unwrap().to_vec();
    let (e, m) = message(read("new.apkg", &zip_of(&[("collection.anki2", &newer)])));
    assert!(
        matches!(e, AnkiError::UnknownVersion { schema: 99, .. }),
        "{m}"
    );
    assert!(m.contains("collection schema 99"), "{m}");
}

#[test]
fn zip_and_zstd_bombs_stop_at_the_unpacked_limit() {
    let limits = Limits {
        max_unpacked: 8 << 20,
        ..Limits::default()
    };
    let zeros = vec![0u8; 64 << 20];
    let bomb = zip_of(&[("collection.anki2", &zeros)]);
    assert!(
        bomb.len() < 200_000,
        "64 MiB of zeros pack small: {}",
        bomb.len()
    );
    let e = read_bytes("bomb.apkg", &bomb, &limits).unwrap_err();
    assert!(
        matches!(e, AnkiError::TooBig { max, .. } if max == 8 << 20),
        "{e}"
    );
    assert!(
        e.to_string().contains("unpacks to more than 8388608 bytes"),
        "{e}"
    );

    let zstd = ruzstd::encoding::compress_to_vec(
        zeros.as_slice(),
        ruzstd::encoding::CompressionLevel::Fastest,
    );
    let bomb = zip_of(&[("meta", &[0x08, 0x03]), ("collection.anki21b", &zstd)]);
    let e = read_bytes("bomb.apkg", &bomb, &limits).unwrap_err();
    assert!(matches!(e, AnkiError::TooBig { .. }), "{e}");

    // Media add up: a real collection and three 4 MiB files.
    let db = collection_of(&small_apkg());
    let big = vec![7u8; 4 << 20];
    let pkg = zip_of(&[
        ("collection.anki2", &db),
        ("media", br#"{"0": "a.png", "1": "b.png", "2": "c.png"}"#),
        ("0", &big),
        ("1", &big),
        ("2", &big),
    ]);
    let e = read_bytes("media.apkg", &pkg, &limits).unwrap_err();
    assert!(matches!(e, AnkiError::TooBig { .. }), "{e}");
    // Listed but not read, the same package is fine.
    let col = read_bytes(
        "media.apkg",
        &pkg,
        &Limits {
            media: false,
            ..limits
        },
    )
    .unwrap();
    assert_eq!(col.media.len(), 3);
    assert!(col.media.iter().all(|m| m.data.is_none()));

    let many: Vec<(String, Vec<u8>)> = (0..50).map(|i| (format!("{i}"), vec![])).collect();
    let refs: Vec<(&str, &[u8])> = many
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let e = read_bytes(
        "many.apkg",
        &zip_of(&refs),
        &Limits {
            max_entries: 20,
            ..limits
        },
    )
    .unwrap_err();
    assert!(
        matches!(e, AnkiError::TooManyEntries { count: 50, .. }),
        "{e}"
    );

    let e = read_bytes(
        "big.apkg",
        &small_apkg(),
        &Limits {
            max_file: 1000,
            ..limits
        },
    )
    .unwrap_err();
    assert!(matches!(e, AnkiError::TooLarge { .. }), "{e}");
}

#[test]
fn names_that_climb_out_are_refused_and_nothing_is_written_outside() {
    let db = collection_of(&small_apkg());
    for evil in [
        "../evil.txt",
        "a/../../evil.txt",
        "/etc/evil",
        "C:evil",
        "dir\\..\\evil",
    ] {
        let (e, m) = message(read(
            "evil.apkg",
            &zip_of(&[("collection.anki2", &db), (evil, b"x")]),
        ));
        assert!(matches!(e, AnkiError::UnsafePath { .. }), "{evil}: {m}");
        assert!(m.contains("a path outside the package"), "{m}");
    }
    for evil in ["../evil.png", "sub/evil.png", ".."] {
        let map = format!("{{\"0\": \"{evil}\"}}");
        let (e, m) = message(read(
            "evil.apkg",
            &zip_of(&[
                ("collection.anki2", &db),
                ("media", map.as_bytes()),
                ("0", b"x"),
            ]),
        ));
        assert!(matches!(e, AnkiError::UnsafePath { .. }), "{evil}: {m}");
    }
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("deck.media");
    let media = vec![
        Media {
            name: "ok.png".into(),
            data: Some(b"png".to_vec()),
        },
        Media {
            name: "../evil.png".into(),
            data: Some(b"x".to_vec()),
        },
    ];
    let e = write_media(&dir, &media).unwrap_err();
    assert!(matches!(e, AnkiError::UnsafePath { .. }), "{e}");
    assert!(!root.path().join("evil.png").exists());
    // The good one, alone, is written where asked; a second run leaves it as it is.
    assert_eq!(write_media(&dir, &media[..1]).unwrap(), 1);
    assert_eq!(std::fs::read(dir.join("ok.png")).unwrap(), b"png");
    assert_eq!(write_media(&dir, &media[..1]).unwrap(), 0);
    let entries: Vec<_> = std::fs::read_dir(root.path()).unwrap().collect();
    assert_eq!(entries.len(), 1, "only the media folder");
}

#[test]
fn files_that_are_not_files() {
    let dir = tempfile::tempdir().unwrap();
    let e = memseed_anki::read_file(dir.path(), &Limits::default()).unwrap_err();
    assert!(matches!(e, AnkiError::NotAPackage { .. }), "{e}");
    let e =
        memseed_anki::read_file(&dir.path().join("missing.apkg"), &Limits::default()).unwrap_err();
    assert!(matches!(e, AnkiError::Read { .. }), "{e}");
    let path = dir.path().join("big.apkg");
    std::fs::write(&path, small_apkg()).unwrap();
    let e = memseed_anki::read_file(
        &path,
        &Limits {
            max_file: 100,
            ..Limits::default()
        },
    )
    .unwrap_err();
    assert!(matches!(e, AnkiError::TooLarge { .. }), "{e}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A package with bytes flipped anywhere reads or fails with an error; never a panic.
    #[test]
    fn damaged_packages_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let mut apkg = small_apkg();
        for (at, byte) in flips {
            let i = at.index(apkg.len());
            apkg[i] ^= byte | 1;
        }
        let _ = read("flipped.apkg", &apkg);
    }

    /// Random text reads as a text export or fails with an error; never a panic.
    #[test]
    fn any_text_never_panics(text in "(#[a-z ]{0,12}:[a-z0-9]{0,6}\n)?[\\PC\t\n\"]{0,200}") {
        if let Ok(col) = read("x.csv", text.as_bytes()) {
            let _ = memseed_anki::to_pack(&col, "x.csv", &memseed_anki::Options::default());
        }
    }
}
