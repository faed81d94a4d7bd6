//! `memseed export` through the real binary: where the file goes, what it says, and its
//! errors. (What Anki makes of the files is tests/anki.rs.)

use std::path::Path;
use std::process::{Command, Output};

use memseed_anki::Limits;

#[allow(dead_code)]
mod common;

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

/// The binary with its data (and working directory) in `dir`, the clock at `now`, `input`
/// on standard input.
fn run_at(dir: &Path, now: i64, args: &[&str], input: &str) -> Output {
    let mut cmd = common::memseed();
    cmd.current_dir(dir);
    common::run_in(cmd, &dir.join("memseed.db"), now, args, input)
}

/// `memseed import deck.apkg`: a deck memseed exported with its history comes back through
/// the import command as a topic of its own, its reviews into the study database once, its
/// tiers from the deck's lapses; a second run refuses to overwrite; history needs a package.
#[test]
fn import_takes_an_anki_package_with_its_history() {
    const T0: i64 = 1_795_255_200;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    for (t, input) in [
        (T0, "\n3\n".repeat(20)),
        (T0 + 3 * 86_400, "\n1\n\n3\n".repeat(12)),
    ] {
        let o = run_at(d, t, &["study", "python"], &input);
        assert!(o.status.success(), "{}", text(&o.stderr));
    }
    let o = run_at(
        d,
        T0 + 4 * 86_400,
        &["export", "python", "--with-history", "-o", "deck.apkg"],
        "",
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let col = memseed_anki::read_file(&d.join("deck.apkg"), &Limits::default()).unwrap();
    assert!(!col.revlog.is_empty());

    let args = [
        "import",
        "deck.apkg",
        "--id",
        "python-anki",
        "--with-history",
        "--format",
        "json",
    ];
    let o = run_at(d, T0 + 5 * 86_400, &args, "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["id"], "python-anki");
    assert_eq!(v["notes"].as_u64().unwrap() as usize, col.notes.len());
    let added = v["anki"]["history"]["reviews_added"].as_u64().unwrap();
    assert_eq!(
        added as usize,
        col.revlog.len(),
        "every Anki review comes in"
    );
    let pack_path = d.join("topics/python-anki.toml");
    let toml = std::fs::read_to_string(&pack_path).unwrap();
    assert!(
        toml.contains("# tier "),
        "tier reasons are written: {toml:.300}"
    );
    // The pack loads as a topic, and its cards are studied from where Anki left off.
    let o = run_at(
        d,
        T0 + 5 * 86_400,
        &["check", pack_path.to_str().unwrap()],
        "",
    );
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let o = run_at(d, T0 + 5 * 86_400, &["stats", "--format", "json"], "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("python-anki"),
        "{}",
        text(&o.stdout)
    );

    // Again: the file is there, so nothing is written, and no review is added twice.
    let o = run_at(d, T0 + 5 * 86_400, &args, "");
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("already exists"),
        "{}",
        text(&o.stderr)
    );
    let again = [
        "import",
        "deck.apkg",
        "--id",
        "python-anki",
        "--with-history",
        "--update",
        "--format",
        "json",
    ];
    let o = run_at(d, T0 + 5 * 86_400, &again, "");
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["anki"]["history"]["reviews_added"], 0);
    assert_eq!(
        v["update"]["updated"], 0,
        "the same deck again changes nothing"
    );
    let tiers = |t: &str| t.lines().filter(|l| l.starts_with("tier = ")).count();
    let after = std::fs::read_to_string(&pack_path).unwrap();
    assert_eq!(
        tiers(&after),
        tiers(&toml),
        "traps and questions keep their tiers"
    );

    // History is a package's; a bad package writes nothing.
    std::fs::write(d.join("notes.md"), "# Tea\n\n## Steep\n\nThree minutes.\n").unwrap();
    let o = run_at(
        d,
        T0,
        &["import", "notes.md", "--with-history", "-o", "tea.toml"],
        "",
    );
    assert!(!o.status.success());
    assert!(text(&o.stderr).contains("--with-history takes an Anki package"));
    std::fs::write(d.join("broken.apkg"), b"PK\x03\x04 not really").unwrap();
    let o = run_at(d, T0, &["import", "broken.apkg", "-o", "broken.toml"], "");
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("nothing was written"),
        "{}",
        text(&o.stderr)
    );
    assert!(!d.join("broken.toml").exists());
    let o = run_at(d, T0, &["import", "deck.apkg", "notes.md"], "");
    assert!(!o.status.success());
    assert!(
        text(&o.stderr).contains("on its own"),
        "{}",
        text(&o.stderr)
    );
}
