//! `memseed export` through the real binary: where the file goes, what it says, and its
//! errors. (What Anki makes of the files is tests/anki.rs.)

use std::path::Path;
use std::process::{Command, Output};

use memseed_anki::Limits;

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memseed"))
        .args(args)
        .current_dir(dir)
        .env("MEMSEED_DATA_DIR", dir)
        .env("MEMSEED_NOW", "1795255200")
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn the_default_file_is_named_after_the_topic_and_budget() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["export", "python", "--budget", "2.2KB"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let said = text(&o.stdout);
    assert!(
        said.starts_with(
            "wrote python-2252.apkg: 13 notes, 23 cards, 0 review log rows, in memseed::python"
        ),
        "{said}"
    );
    let col =
        memseed_anki::read_file(&dir.path().join("python-2252.apkg"), &Limits::default()).unwrap();
    assert_eq!(col.cards.len(), 23);
    assert_eq!(col.notes.len(), 13);

    let o = run(dir.path(), &["export", "python", "--format", "csv"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let csv = std::fs::read_to_string(dir.path().join("python.csv")).unwrap();
    assert!(csv.starts_with("#separator:tab\n#html:true\n"));
}

#[test]
fn standard_output_and_pack_files() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["export", "python", "-o", "-"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        o.stdout.starts_with(b"PK"),
        "the package on standard output"
    );
    assert!(
        text(&o.stderr).starts_with("wrote standard output: "),
        "{}",
        text(&o.stderr)
    );
    let col = memseed_anki::read_bytes("stdout.apkg", &o.stdout, &Limits::default()).unwrap();
    assert_eq!(col.notes.len(), 249);

    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("topics/git.toml");
    let o = run(
        dir.path(),
        &["export", pack.to_str().unwrap(), "-o", "g.apkg"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("in memseed::git"),
        "{}",
        text(&o.stdout)
    );
}

#[test]
fn history_without_a_database_exports_new_cards_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let o = run(dir.path(), &["export", "python", "--with-history"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("no study database at"),
        "{}",
        text(&o.stderr)
    );
    assert!(text(&o.stdout).contains(", 0 review log rows,"));
    assert!(
        !dir.path().join("memseed.db").exists(),
        "an export creates no database"
    );
}

#[test]
fn mistakes_are_clear_errors_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&[&str], &str)] = &[
        (
            &["export", "pyhton"],
            "unknown topic \"pyhton\". Did you mean \"python\"?",
        ),
        (
            &["export", "python", "--budget", "3"],
            "a budget of 3 bytes is too small",
        ),
        (&["export", "python", "--budget", "lots"], "invalid budget"),
        (
            &["export", "python", "--format", "csv", "--with-history"],
            "use --format apkg with --with-history",
        ),
        (
            &["export", "python", "-o", "no/such/dir/x.apkg"],
            "cannot write no/such/dir/x.apkg",
        ),
    ];
    for (args, want) in cases {
        let o = run(dir.path(), args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(
            text(&o.stderr).contains(want),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
    let o = run(dir.path(), &["export", "python", "--format", "xls"]);
    assert_eq!(o.status.code(), Some(2), "bad usage");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "nothing written: {left:?}");
}
