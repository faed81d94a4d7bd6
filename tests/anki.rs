//! Anki itself checks memseed's Anki files, both ways. memseed's exports (the real binary)
//! are imported into a fresh collection by the official `anki` Python package
//! (tests/anki/verify_import.py), and decks that package makes (tests/anki/make_deck.py)
//! are read by memseed's reader into packs that `memseed check` passes.
//!
//! The Python is `target/anki-venv/bin/python` (or `$MEMSEED_ANKI_PYTHON`); `.ci/run`
//! makes that venv and installs `anki` from PyPI. Without it these tests report themselves
//! skipped, unless `MEMSEED_REQUIRE_ANKI=1` (set by `.ci/run`) makes that a failure.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use memseed_anki::{Limits, Options, html, ids};
use memseed_catalog::Catalog;
use memseed_core::Pack;
use memseed_store::{Source, Store};
use serde_json::Value;

#[allow(dead_code)]
mod common;

/// 2026-11-21 10:00 UTC.
const T0: i64 = 1_795_255_200;
const DAY: i64 = 86_400;

/// The Python with the `anki` package, or `None` (the test is then skipped).
fn anki_python() -> Option<PathBuf> {
    let path = std::env::var_os("MEMSEED_ANKI_PYTHON").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("target/anki-venv/bin/python"),
        PathBuf::from,
    );
    let ok = Command::new(&path)
        .args(["-c", "import anki.collection"])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(path);
    }
    let how = "python3 -m venv target/anki-venv && target/anki-venv/bin/pip install anki";
    if std::env::var("MEMSEED_REQUIRE_ANKI").is_ok_and(|v| v == "1") {
        panic!(
            "MEMSEED_REQUIRE_ANKI=1 but {} cannot import anki: {how}",
            path.display()
        );
    }
    eprintln!(
        "skipped: no Python with the anki package at {} ({how})",
        path.display()
    );
    None
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/anki")
        .join(name)
}

fn ok(o: Output, what: &str) -> String {
    assert!(
        o.status.success(),
        "{what}: {}\n{}",
        String::from_utf8_lossy(&o.stderr),
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// The memseed binary with its data in `dir` and the clock at `now`.
fn memseed(dir: &Path, now: i64, args: &[&str], input: &str) -> String {
    let mut cmd = common::memseed();
    cmd.current_dir(dir);
    ok(
        common::run_in(cmd, &dir.join("memseed.db"), now, args, input),
        &format!("memseed {args:?}"),
    )
}

/// What Anki holds after importing `file` (twice), as verify_import.py prints it.
fn anki_import(py: &Path, kind: &str, file: &Path, reexport: Option<&Path>) -> Value {
    let mut cmd = Command::new(py);
    cmd.arg(script("verify_import.py")).arg(kind).arg(file);
    if let Some(r) = reexport {
        cmd.arg(r);
    }
    serde_json::from_str(&ok(cmd.output().unwrap(), "verify_import.py")).unwrap()
}

fn python() -> Pack {
    Catalog::bundled().get("python").unwrap().pack.clone()
}

/// Which memseed card each (note GUID, card ord) of a Python export is.
fn card_keys(pack: &Pack) -> HashMap<(String, u64), String> {
    let t = &pack.topic.id;
    let mut out = HashMap::new();
    for c in &pack.concepts {
        let g = ids::guid(&format!("{t}/concept/{}", c.id));
        out.insert((g.clone(), 0), format!("{t}/{}/concept-anchor", c.id));
        out.insert((g, 1), format!("{t}/{}/anchor-concept", c.id));
    }
    for q in &pack.questions {
        out.insert(
            (ids::guid(&format!("{t}/question/{}", q.id)), 0),
            format!("{t}/{}/question", q.id),
        );
    }
    for x in &pack.traps {
        out.insert(
            (ids::guid(&format!("{t}/trap/{}", x.id)), 0),
            format!("{t}/{}/trap", x.id),
        );
    }
    out
}

/// Three days of study in the terminal: twenty new cards, thirty more, then fifteen
/// answered Again and relearnt.
fn study(dir: &Path) {
    memseed(dir, T0, &["study", "python"], &"\n3\n".repeat(20));
    memseed(dir, T0 + 700, &["study", "python"], &"\n3\n".repeat(30));
    memseed(
        dir,
        T0 + 3 * DAY,
        &["study", "python"],
        &"\n1\n\n3\n".repeat(15),
    );
}

fn first_import_added(state: &Value, notes: usize) {
    assert_eq!(
        state["first_import"]["new"], notes,
        "{}",
        state["first_import"]
    );
    for k in [
        "conflicting",
        "missing_notetype",
        "missing_deck",
        "empty_first_field",
    ] {
        assert_eq!(
            state["first_import"][k], 0,
            "{k}: {}",
            state["first_import"]
        );
    }
    // A second import of the same file adds no note: it finds each by its GUID.
    assert_eq!(
        state["second_import"]["new"], 0,
        "{}",
        state["second_import"]
    );
    assert_eq!(state["notes_after_second"], notes);
}

#[test]
fn anki_imports_the_python_apkg_with_every_field_intact() {
    let Some(py) = anki_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    let said = memseed(dir.path(), T0, &["export", "python"], "");
    let file = dir.path().join("python.apkg");
    let pack = python();
    let cards = memseed_study::cards_for(&pack);
    let ours = memseed_anki::read_file(&file, &Limits::default()).unwrap();
    assert_eq!(ours.cards.len(), cards.len());
    assert!(
        said.starts_with(&format!(
            "wrote python.apkg: {} notes, {} cards, 0 review log rows",
            ours.notes.len(),
            cards.len()
        )),
        "{said}"
    );

    let state = anki_import(&py, "apkg", &file, None);
    let notes = state["notes"].as_array().unwrap();
    let anki_cards = state["cards"].as_array().unwrap();
    eprintln!(
        "python, full: {} notes, {} cards, {} revlog rows, {} decks",
        notes.len(),
        anki_cards.len(),
        state["revlog"],
        state["decks"].as_array().unwrap().len()
    );
    assert_eq!(notes.len(), ours.notes.len());
    assert_eq!(
        anki_cards.len(),
        cards.len(),
        "one Anki card per memseed card"
    );
    first_import_added(&state, ours.notes.len());
    assert_eq!(state["revlog"], 0);
    assert!(
        anki_cards.iter().all(|c| c["type"] == 0),
        "without history every card is new"
    );

    // Every field Anki holds is the one memseed wrote, byte for byte.
    let by_guid: HashMap<&str, &memseed_anki::model::Note> =
        ours.notes.iter().map(|n| (n.guid.as_str(), n)).collect();
    for n in notes {
        let mine = by_guid[n["guid"].as_str().unwrap()];
        let nt = ours.notetype(mine.notetype).unwrap();
        assert_eq!(n["notetype"], nt.name.as_str());
        for (name, value) in nt.fields.iter().zip(&mine.fields) {
            assert_eq!(
                n["fields"][name].as_str(),
                Some(value.as_str()),
                "{name} of {}",
                n["guid"]
            );
        }
    }
    // Code and non-ASCII text read back as the pack has them.
    let gil = notes
        .iter()
        .find(|n| n["guid"] == ids::guid("python/concept/gil").as_str())
        .unwrap();
    let code = html::to_plain(gil["fields"]["Code"].as_str().unwrap()).code;
    assert_eq!(
        code,
        [pack.concept("gil").unwrap().snippet.code.clone().unwrap()]
    );
    assert!(
        gil["fields"]["Code"]
            .as_str()
            .unwrap()
            .starts_with("<pre><code class=\"lang-python\">")
    );
    let non_ascii: Vec<&Value> = notes
        .iter()
        .filter(|n| {
            n["fields"]
                .as_object()
                .unwrap()
                .values()
                .any(|v| !v.as_str().unwrap().is_ascii())
        })
        .collect();
    assert!(
        !non_ascii.is_empty(),
        "some fields hold non-ASCII text, and came through"
    );
    assert!(
        anki_cards
            .iter()
            .all(|c| c["deck"].as_str().unwrap().starts_with("memseed::python::"))
    );

    // The decks are memseed's.
    let mut decks: Vec<String> = ours.decks.iter().map(|d| d.name.clone()).collect();
    decks.sort();
    let anki_decks: Vec<String> = state["decks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap().to_string())
        .collect();
    assert_eq!(anki_decks, decks);
    for want in [
        "memseed::python::Interview questions",
        "memseed::python::Traps",
        "memseed::python::Concurrency",
    ] {
        assert!(
            anki_decks.iter().any(|d| d == want),
            "{want}: {anki_decks:?}"
        );
    }
}

#[test]
fn anki_keeps_the_schedule_and_review_log() {
    let Some(py) = anki_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    study(dir.path());
    let now = T0 + 4 * DAY;
    let pack = python();
    let store = Store::open_read_only(&dir.path().join("memseed.db")).unwrap();
    let histories = store.card_histories("python").unwrap();
    let reviews: usize = histories.iter().map(|h| h.reviews.len()).sum();
    assert!(reviews > 50, "{reviews} reviews");
    let by_key: HashMap<&str, &memseed_store::CardHistory> =
        histories.iter().map(|h| (h.key.as_str(), h)).collect();
    let keys = card_keys(&pack);

    for (args, file, label) in [
        (
            vec!["export", "python", "--with-history"],
            "python.apkg",
            "full",
        ),
        (
            vec!["export", "python", "--budget", "2257", "--with-history"],
            "python-2257.apkg",
            "at 2257 bytes",
        ),
    ] {
        memseed(dir.path(), now, &args, "");
        let path = dir.path().join(file);
        let ours = memseed_anki::read_file(&path, &Limits::default()).unwrap();
        let state = anki_import(&py, "apkg", &path, None);
        let cards = state["cards"].as_array().unwrap();
        eprintln!(
            "python, {label}, with history: {} notes, {} cards, {} revlog rows, {} decks",
            state["notes"].as_array().unwrap().len(),
            cards.len(),
            state["revlog"],
            state["decks"].as_array().unwrap().len()
        );
        first_import_added(&state, ours.notes.len());
        assert_eq!(cards.len(), ours.cards.len());
        // Every review of an exported card is in Anki's log.
        let exported: HashSet<String> = cards
            .iter()
            .map(|c| {
                keys[&(
                    c["guid"].as_str().unwrap().to_string(),
                    c["ord"].as_u64().unwrap(),
                )]
                    .clone()
            })
            .collect();
        let want: usize = histories
            .iter()
            .filter(|h| exported.contains(&h.key))
            .map(|h| h.reviews.len())
            .sum();
        assert_eq!(state["revlog"], want, "{label}");
        assert_eq!(
            state["revlog"].as_u64().unwrap() as usize,
            ours.revlog.len()
        );
        let mut with_memory = 0;
        for c in cards {
            let key = &keys[&(
                c["guid"].as_str().unwrap().to_string(),
                c["ord"].as_u64().unwrap(),
            )];
            let Some(h) = by_key.get(key.as_str()) else {
                assert_eq!(c["type"], 0, "{key} was never studied");
                continue;
            };
            let ctype = ["new", "learning", "review", "relearning"]
                .iter()
                .position(|p| *p == h.phase)
                .unwrap();
            assert_eq!(c["type"], ctype, "{key}");
            if ctype == 0 {
                continue;
            }
            assert_eq!(c["reps"], h.reps, "{key}");
            assert_eq!(c["lapses"], h.lapses, "{key}");
            let (s, d) = (
                c["stability"].as_f64().unwrap(),
                c["difficulty"].as_f64().unwrap(),
            );
            assert!(
                (s - h.stability.unwrap()).abs() < 1e-3,
                "{key}: stability {s} vs {:?}",
                h.stability
            );
            assert!(
                (d - h.difficulty.unwrap()).abs() < 2e-3,
                "{key}: difficulty {d} vs {:?}",
                h.difficulty
            );
            with_memory += 1;
            if ctype == 2 {
                // Due on the same day: Anki's day starts at its rollover, memseed's due
                // time falls within it.
                let due = c["due_time"].as_i64().unwrap();
                assert!(
                    (0..DAY).contains(&(h.due - due)),
                    "{key}: memseed {} vs Anki {due}",
                    h.due
                );
            } else {
                assert_eq!(
                    c["due"], h.due,
                    "{key}: a learning card is due at the same second"
                );
            }
        }
        let studied = histories
            .iter()
            .filter(|h| exported.contains(&h.key) && h.phase != "new")
            .count();
        assert!(studied >= 10, "{label}: {studied} studied cards exported");
        assert_eq!(
            with_memory, studied,
            "{label}: every studied card has its memory state"
        );
    }
}

#[test]
fn anki_imports_the_csv() {
    let Some(py) = anki_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    memseed(dir.path(), T0, &["export", "python", "--format", "csv"], "");
    let file = dir.path().join("python.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let ours = memseed_anki::read_bytes("python.csv", text.as_bytes(), &Limits::default()).unwrap();
    let state = anki_import(&py, "csv", &file, None);
    let pack = python();
    first_import_added(&state, ours.notes.len());
    assert_eq!(
        state["cards"].as_array().unwrap().len(),
        memseed_study::cards_for(&pack).len()
    );
    let by_guid: HashMap<&str, &memseed_anki::model::Note> =
        ours.notes.iter().map(|n| (n.guid.as_str(), n)).collect();
    for n in state["notes"].as_array().unwrap() {
        let mine = by_guid[n["guid"].as_str().unwrap()];
        assert_eq!(n["fields"]["Front"].as_str(), Some(mine.fields[0].as_str()));
        assert_eq!(n["fields"]["Back"].as_str(), Some(mine.fields[1].as_str()));
    }
    let decks = state["decks"].as_array().unwrap();
    assert!(
        decks.iter().any(|d| d == "memseed::python::Traps"),
        "{decks:?}"
    );
    // --with-history needs a package.
    let o = Command::new(env!("CARGO_BIN_EXE_memseed"))
        .args(["export", "python", "--format", "csv", "--with-history"])
        .current_dir(dir.path())
        .env("MEMSEED_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("use --format apkg with --with-history"));
}

/// Decks made by Anki in each of its formats read into packs that `memseed check` passes,
/// with tiers from their history and their reviews brought into the study database.
#[test]
fn decks_anki_made_import_into_checked_packs() {
    let Some(py) = anki_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    for (format, ext) in [
        ("anki2", "apkg"),
        ("anki21", "apkg"),
        ("anki21b", "apkg"),
        ("csv", "txt"),
    ] {
        let file = dir.path().join(format!("deck-{format}.{ext}"));
        let made: Value = serde_json::from_str(&ok(
            Command::new(&py)
                .arg(script("make_deck.py"))
                .arg(format)
                .arg(&file)
                .output()
                .unwrap(),
            "make_deck.py",
        ))
        .unwrap();
        let col = memseed_anki::read_file(&file, &Limits::default()).unwrap();
        let name = file.file_name().unwrap().to_str().unwrap();
        let imported = memseed_anki::to_pack(
            &col,
            name,
            &Options {
                now: T0,
                ..Options::default()
            },
        )
        .unwrap();
        let toml = dir.path().join(format!("{format}.toml"));
        std::fs::write(&toml, &imported.toml).unwrap();
        let checked = memseed(dir.path(), T0, &["check", toml.to_str().unwrap()], "");
        let p = &imported.pack;
        assert_eq!(p.topic.id, "python-quiz");
        assert_eq!(p.topic.title, "Python Quiz");
        assert_eq!(
            p.concepts.len(),
            made["notes"].as_array().unwrap().len(),
            "{format}"
        );
        let cats: Vec<&str> = p.categories.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(cats, ["Basics", "Async", "Code"], "{format}");
        let concept = |title: &str| p.concepts.iter().find(|c| c.title == title).unwrap();
        assert_eq!(
            concept("Ünïcode: what is a str?").anchor.as_deref(),
            Some(
                "A sequence of Unicode code points: «é» is one character and two bytes in UTF-8 → len() counts characters."
            )
        );
        assert_eq!(
            concept("Mutable default arguments").snippet.code.as_deref(),
            Some(
                "def add(x, acc=None):\n    acc = [] if acc is None else acc\n    acc.append(x)\n    return acc"
            )
        );
        assert_eq!(
            concept("What does this print?").snippet.code.as_deref(),
            Some("print([i * i for i in range(3)])")
        );
        assert!(
            imported
                .warnings
                .iter()
                .any(|w| w.message.contains("shows logo.png")),
            "{:?}",
            imported.warnings
        );
        if format == "csv" {
            // A text export carries no history: nothing to rank by.
            assert!(
                checked.contains("12 concepts (0 critical, 0 high, 12 medium, 0 low)"),
                "{checked}"
            );
            assert!(imported.history.is_empty());
            continue;
        }
        assert_eq!(
            p.topic.what_it_is,
            "Questions on Python I keep getting wrong."
        );
        assert!(
            checked.contains("\"python-quiz\": 12 concepts (1 critical, 2 high, 7 medium, 2 low)"),
            "{format}: {checked}"
        );
        let leech = concept("Descriptor protocol");
        assert_eq!(leech.tier, memseed_core::pack::Tier::Critical);
        assert!(imported.toml.contains("# tier critical: score 6.87, rank 1 of 11 reviewed: 8 lapses (+4.39); 18 reviews (+1.47); a leech (+1.00)\n[[concepts]]\nid = \"descriptor-protocol\""), "{format}");
        assert_eq!(
            concept("What does the GIL do?").tier,
            memseed_core::pack::Tier::High
        );
        assert!(imported.toml.contains(
            "# tier medium: never reviewed in Anki\n[[concepts]]\nid = \"what-does-await-do\""
        ));
        assert_eq!(concept("Python logo").tier, memseed_core::pack::Tier::Low);

        // The reviews go into the study database, once, and the study service runs on.
        let db = dir.path().join(format!("{format}.db"));
        let mut store = Store::open(&db).unwrap();
        let done = store
            .import_history(&p.topic.id, &imported.history, Source::Anki, T0)
            .unwrap();
        assert_eq!(
            done.reviews_added as u64,
            made["revlog"].as_u64().unwrap(),
            "{format}"
        );
        assert_eq!(done.cards_added, 13);
        assert_eq!(
            store
                .import_history(&p.topic.id, &imported.history, Source::Anki, T0)
                .unwrap()
                .reviews_added,
            0
        );
        let leech_key = format!("python-quiz/{}/concept-anchor", leech.id);
        assert_eq!(
            store
                .card(&leech_key)
                .unwrap()
                .unwrap()
                .suspended_reason
                .as_deref(),
            Some("leech")
        );
        let recall = memseed_recall::Recall::with_store(
            store,
            memseed_recall::Deck::from_packs(std::iter::once(p)),
            memseed_study::Settings::default(),
            T0,
        )
        .unwrap();
        let queue = recall.queue(Some("python-quiz"), T0 + 30 * DAY).unwrap();
        assert!(!queue.is_empty());
        assert!(
            !queue.iter().any(|q| q.key == leech_key),
            "a leech waits, suspended"
        );
        let row = recall
            .store()
            .card("python-quiz/what-does-the-gil-do/concept-anchor")
            .unwrap()
            .unwrap();
        assert_eq!((row.phase.as_str(), row.lapses), ("review", 4));
        assert!(row.stability.is_some());
    }
}

/// memseed → Anki → memseed: the Python export imported by Anki, exported again by Anki as
/// a current package, reads back into a pack with the counts and tiers it started with.
#[test]
fn the_full_circle_through_anki() {
    let Some(py) = anki_python() else { return };
    let dir = tempfile::tempdir().unwrap();
    study(dir.path());
    memseed(
        dir.path(),
        T0 + 4 * DAY,
        &["export", "python", "--with-history"],
        "",
    );
    let again = dir.path().join("from-anki.apkg");
    let state = anki_import(&py, "apkg", &dir.path().join("python.apkg"), Some(&again));
    let col = memseed_anki::read_file(&again, &Limits::default()).unwrap();
    assert_eq!(col.format, memseed_anki::model::Format::Anki21b);
    assert_eq!(col.revlog.len() as u64, state["revlog"].as_u64().unwrap());
    let imported = memseed_anki::to_pack(&col, "from-anki.apkg", &Options::default()).unwrap();
    let toml = dir.path().join("from-anki.toml");
    std::fs::write(&toml, &imported.toml).unwrap();
    let checked = memseed(dir.path(), T0, &["check", toml.to_str().unwrap()], "");
    assert!(
        checked.contains("\"python\": 114 concepts (9 critical, 19 high, 62 medium, 24 low), 46 traps, 89 questions (27/38/24 beginner/intermediate/expert)"),
        "{checked}"
    );
    let store = Store::open_read_only(&dir.path().join("memseed.db")).unwrap();
    let ours: usize = store
        .card_histories("python")
        .unwrap()
        .iter()
        .map(|h| h.reviews.len())
        .sum();
    let reviews: usize = imported.history.iter().map(|h| h.reviews.len()).sum();
    assert_eq!(reviews, ours, "every review came back through Anki");
}
