//! `memseed import` on the real binary: where the pack goes, the refusal to overwrite,
//! `--update` keeping an edited anchor, standard input, JSON, and `memseed check` passing.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn run(data: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_memseed"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("MEMSEED_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("memseed runs");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

const NOTE: &str = "# Tea\n\n## Water temperature\n\nGreen tea wants water well below boiling, black tea near it.\n\n## Steep time\n\nMost teas want two to five minutes in the pot.\n\n| Mistake | Fix |\n|---|---|\n| Boiling water on green tea | Let it cool to 75 °C |\n";

#[test]
fn a_folder_goes_into_the_topics_folder_and_is_then_a_topic() {
    let data = tempfile::tempdir().unwrap();
    let notes = tempfile::tempdir().unwrap();
    fs::write(notes.path().join("tea.md"), NOTE).unwrap();
    fs::write(notes.path().join("bad.md"), b"# Bad\n\n\xff\n").unwrap();
    let o = run(
        data.path(),
        &["import", notes.path().to_str().unwrap()],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let pack = data.path().join("topics/tea.toml");
    assert!(
        out(&o).contains("imported 1 note into \"tea\""),
        "{}",
        out(&o)
    );
    assert!(out(&o).contains("2 concepts:"), "{}", out(&o));
    assert!(out(&o).contains("1 traps"), "{}", out(&o));
    assert!(err(&o).contains("bad.md:3: not valid UTF-8"), "{}", err(&o));
    assert!(pack.is_file() && data.path().join("topics/tea.import.json").is_file());
    let check = run(data.path(), &["check", pack.to_str().unwrap()], None);
    assert!(check.status.success(), "{}", err(&check));
    let topics = run(data.path(), &["topics"], None);
    assert!(out(&topics).contains("tea"), "{}", out(&topics));
    let card = run(data.path(), &["compress", "tea", "--budget", "1KB"], None);
    assert!(out(&card).contains("Water temperature"), "{}", out(&card));

    // Again without --update: refused, nothing written.
    let before = fs::read_to_string(&pack).unwrap();
    let again = run(
        data.path(),
        &["import", notes.path().to_str().unwrap()],
        None,
    );
    assert_eq!(again.status.code(), Some(1));
    assert!(
        err(&again).contains("already exists; nothing was written. Pass --update"),
        "{}",
        err(&again)
    );
    assert_eq!(fs::read_to_string(&pack).unwrap(), before);
}

#[test]
fn update_keeps_an_edited_anchor() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let note = dir.path().join("tea.md");
    fs::write(&note, NOTE).unwrap();
    let pack = dir.path().join("tea.toml");
    let p = pack.to_str().unwrap();
    let o = run(
        data.path(),
        &["import", note.to_str().unwrap(), "-o", p],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let text = fs::read_to_string(&pack).unwrap();
    let edited = text.replace(
        "anchor = \"Green tea wants water well below boiling, black tea near it.\"",
        "anchor = \"Hot water is a key: too hot snaps green tea's lock.\"",
    );
    assert_ne!(edited, text);
    fs::write(&pack, edited).unwrap();
    fs::write(
        &note,
        NOTE.replace("two to five minutes", "three to five minutes")
            .replace("near it.", "close to boiling."),
    )
    .unwrap();
    let o = run(
        data.path(),
        &[
            "import",
            note.to_str().unwrap(),
            "-o",
            p,
            "--update",
            "--format",
            "json",
        ],
        None,
    );
    assert!(o.status.success(), "{}", err(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["update"]["kept"], 1, "{j}");
    let text = fs::read_to_string(&pack).unwrap();
    assert!(
        text.contains("anchor = \"Hot water is a key: too hot snaps green tea's lock.\""),
        "{text}"
    );
    assert!(
        text.contains("three to five minutes"),
        "unedited text follows the notes: {text}"
    );
    let check = run(data.path(), &["check", p], None);
    assert!(check.status.success(), "{}", err(&check));
}

#[test]
fn standard_input_and_json() {
    let data = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("x.toml");
    let o = run(
        data.path(),
        &[
            "import",
            "-",
            "--id",
            "rust-traits",
            "--title",
            "Rust traits",
            "-o",
            p.to_str().unwrap(),
            "--format",
            "json",
        ],
        Some(
            "## Trait\n\nA trait is a set of methods a type promises to have.\n\nQ: Can a trait have default methods?\nA: Yes, with a body in the trait.\n",
        ),
    );
    assert!(o.status.success(), "{}", err(&o));
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j["id"], "rust-traits");
    assert_eq!(j["concepts"]["total"], 1);
    assert_eq!(j["questions"], 1);
    assert!(
        fs::read_to_string(&p)
            .unwrap()
            .contains("title = \"Rust traits\"")
    );
}

#[test]
fn nothing_to_import_and_a_bad_id_are_clear_errors() {
    let data = tempfile::tempdir().unwrap();
    let empty = tempfile::tempdir().unwrap();
    let o = run(
        data.path(),
        &["import", empty.path().to_str().unwrap()],
        None,
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("no notes to import"), "{}", err(&o));
    let o = run(
        data.path(),
        &["import", "-", "--id", "Not An Id"],
        Some("# A\n\nA is a thing with words.\n"),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err(&o).contains("invalid topic id \"Not An Id\""),
        "{}",
        err(&o)
    );
}
