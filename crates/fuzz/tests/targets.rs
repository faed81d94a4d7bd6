//! The fuzz targets, each run for `FUZZ_SECONDS` (3 by default; CI runs 60) from its
//! corpus in `fuzz/corpus/`: the pack loader, the budget parser, the note importer and the
//! Anki reader.

use std::time::Duration;

use memseed_core::{budget, load_str};
use memseed_fuzz::{corpus, fuzz, seconds};

#[test]
fn pack_loader_never_panics_is_linear_and_every_error_has_a_position() {
    let c = corpus("pack");
    let stats = fuzz(
        "pack",
        &c,
        seconds(3),
        256 * 1024,
        Duration::from_millis(200),
        Duration::from_micros(20),
        |input| {
            let text = String::from_utf8_lossy(input);
            let lines = text.lines().count() + 1;
            match load_str("fuzz.toml", &text) {
                Ok(_) => Ok(()),
                Err(errs) => {
                    if errs.0.is_empty() {
                        return Err("an error with no message".into());
                    }
                    for e in &errs.0 {
                        if e.line == 0 || e.column == 0 || e.line > lines {
                            return Err(format!("error without a real position: {e}"));
                        }
                        if e.to_string().len() > 4_000 {
                            return Err(format!("a {}-byte message", e.to_string().len()));
                        }
                    }
                    Ok(())
                }
            }
        },
    );
    eprintln!("pack loader: {stats:?}");
}

#[test]
fn budget_parser_never_panics_is_linear_and_stays_in_range() {
    let c = corpus("budget");
    let stats = fuzz(
        "budget",
        &c,
        seconds(3),
        4096,
        Duration::from_millis(20),
        Duration::from_micros(5),
        |input| {
            let text = String::from_utf8_lossy(input);
            match budget::parse(&text) {
                Ok(b) if b == 0 || b > budget::MAX_BUDGET => Err(format!("accepted {b}")),
                Ok(_) => Ok(()),
                Err(e) if e.to_string().len() > 2_000 => {
                    Err(format!("a {}-byte message", e.to_string().len()))
                }
                Err(_) => Ok(()),
            }
        },
    );
    eprintln!("budget parser: {stats:?}");
}

#[test]
fn note_importer_never_panics_is_linear_and_every_pack_it_emits_loads() {
    use memseed_import::{ImportError, Note, Options, import};
    let c = corpus("markdown");
    let stats = fuzz(
        "markdown",
        &c,
        seconds(3),
        128 * 1024,
        Duration::from_millis(300),
        Duration::from_micros(40),
        |input| {
            let text = String::from_utf8_lossy(input).into_owned();
            // Half the inputs as Markdown by name, half sniffed (plain-text dumps too).
            let markdown = input.first().is_some_and(|b| b % 2 == 0).then_some(true);
            let note = Note {
                name: "fuzz.md".into(),
                text,
                markdown,
            };
            match import(&[note], &Options::default(), &|_| {}) {
                Ok(imported) => match load_str("fuzz.toml", &imported.toml) {
                    Ok(_) => Ok(()),
                    Err(e) => Err(format!("the emitted pack does not load:\n{e}")),
                },
                Err(ImportError::Invalid(e)) => {
                    Err(format!("the emitted pack does not load:\n{e}"))
                }
                Err(_) => Ok(()),
            }
        },
    );
    eprintln!("note importer: {stats:?}");
}

#[test]
fn anki_reader_never_panics_is_linear_and_every_pack_it_makes_loads() {
    use memseed_anki::{Format, Limits, Options, export, read_bytes, to_pack};
    // Anki text exports from the corpus, and packages and CSV the writer makes of what a
    // small budget of the Git topic keeps.
    let mut c = corpus("anki");
    let git = memseed_catalog::Catalog::bundled()
        .get("git")
        .expect("the bundled git topic")
        .pack
        .clone();
    let cards = memseed_anki::export::surviving(&git, 1024).expect("1 KB fits git");
    for format in [Format::Apkg, Format::Csv] {
        c.push(
            export(&git, &cards, None, format, 1_795_255_200)
                .unwrap()
                .bytes,
        );
    }
    let limits = Limits {
        max_file: 1024 * 1024,
        max_unpacked: 16 * 1024 * 1024,
        ..Limits::default()
    };
    let stats = fuzz(
        "anki",
        &c,
        seconds(3),
        256 * 1024,
        Duration::from_millis(500),
        Duration::from_micros(20),
        |input| {
            let name = if input.starts_with(b"PK") {
                "fuzz.apkg"
            } else {
                "fuzz.txt"
            };
            let named = |m: String| {
                if !m.contains("fuzz.") {
                    Err(format!("an error that does not name the file: {m}"))
                } else if m.len() > 4_000 {
                    Err(format!("a {}-byte message", m.len()))
                } else {
                    Ok(())
                }
            };
            match read_bytes(name, input, &limits) {
                Ok(col) => match to_pack(&col, name, &Options::default()) {
                    Ok(imported) => match load_str("fuzz.toml", &imported.toml) {
                        Ok(_) => Ok(()),
                        Err(e) => Err(format!("the pack made does not load:\n{e}")),
                    },
                    Err(e) => named(e.to_string()),
                },
                Err(e) => named(e.to_string()),
            }
        },
    );
    eprintln!("anki reader: {stats:?}");
}
