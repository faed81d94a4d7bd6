//! Bad input gets a warning or a clear error, never a panic: invalid UTF-8, binary files,
//! empty files, symlink loops, a 50 MB file, 10,000 files, headings ten levels deep.

use std::fs;
use std::path::PathBuf;

use memseed_import::{ImportError, Limits, Options, collect, import, import_text};

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn invalid_utf8_is_skipped_and_named_by_file_and_line() {
    let d = dir();
    fs::write(
        d.path().join("bad.md"),
        b"# T\n\nline two\nbroken \xff\xfe here\n",
    )
    .unwrap();
    fs::write(
        d.path().join("good.md"),
        "# Good\n\nGood is a note with enough text.\n",
    )
    .unwrap();
    let (notes, warnings) = collect(&[d.path().to_path_buf()], &Limits::default());
    assert_eq!(notes.len(), 1);
    let w = &warnings[0];
    assert!(w.file.ends_with("bad.md") && w.line == 4, "{w}");
    assert!(
        w.to_string()
            .contains("bad.md:4: not valid UTF-8 text at column 8"),
        "{w}"
    );
}

#[test]
fn binary_empty_and_other_files_are_skipped() {
    let d = dir();
    fs::write(d.path().join("img.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fs::write(d.path().join("empty.md"), b"").unwrap();
    fs::write(d.path().join("blank.txt"), b"\n \n").unwrap();
    fs::write(d.path().join("photo.png"), b"\x89PNG").unwrap();
    fs::create_dir(d.path().join(".obsidian")).unwrap();
    fs::write(d.path().join(".obsidian/app.md"), "# hidden\n\ntext").unwrap();
    let (notes, warnings) = collect(&[d.path().to_path_buf()], &Limits::default());
    assert!(notes.is_empty());
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|w| w.contains("img.md") && w.contains("binary")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("empty.md") && w.contains("empty")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("blank.txt") && w.contains("empty")),
        "{text:?}"
    );
    assert!(
        text.iter().any(|w| w.contains("1 file that is not .md")),
        "{text:?}"
    );
    assert!(!text.iter().any(|w| w.contains(".obsidian")));
    assert!(matches!(
        import(&notes, &Options::default(), &|_| {}),
        Err(ImportError::Empty(_))
    ));
}

#[test]
fn symlink_loops_are_named_and_skipped() {
    let d = dir();
    let sub = d.path().join("notes");
    fs::create_dir(&sub).unwrap();
    fs::write(
        sub.join("a.md"),
        "# A\n\nA is a note that has a few words.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(d.path(), sub.join("up")).unwrap();
    std::os::unix::fs::symlink("self.md", sub.join("self.md")).unwrap();
    let (notes, warnings) = collect(&[d.path().to_path_buf()], &Limits::default());
    assert_eq!(notes.len(), 1, "each note read once");
    let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(
        text.iter()
            .any(|w| w.contains("up") && w.contains("symlink loop")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("self.md") && w.contains("symlink loop")),
        "{text:?}"
    );
}

#[test]
fn a_50_mb_file_is_refused_by_size_before_it_is_read() {
    let d = dir();
    let big = d.path().join("big.md");
    let f = fs::File::create(&big).unwrap();
    f.set_len(50 * 1024 * 1024).unwrap();
    let (notes, warnings) = collect(&[big], &Limits::default());
    assert!(notes.is_empty());
    assert!(
        warnings[0]
            .message
            .contains("52428800 bytes; a note may be at most 16 MiB"),
        "{}",
        warnings[0]
    );
}

#[test]
fn ten_thousand_files_import() {
    let d = dir();
    for k in 0..10_000 {
        let sub = d.path().join(format!("d{}", k % 50));
        if k < 50 {
            fs::create_dir(&sub).unwrap();
        }
        fs::write(
            sub.join(format!("note-{k}.md")),
            format!(
                "# Note {k}\n\nNote {k} is about thing {} and links [[Note {}]].\n",
                k % 7,
                (k + 1) % 10_000
            ),
        )
        .unwrap();
    }
    let (notes, warnings) = collect(&[d.path().to_path_buf()], &Limits::default());
    assert_eq!(notes.len(), 10_000);
    assert!(warnings.is_empty(), "{warnings:?}");
    let calls = std::cell::Cell::new(0);
    let i = import(
        &notes,
        &Options {
            id: Some("many".into()),
            ..Options::default()
        },
        &|p| {
            calls.set(calls.get() + 1);
            assert!(p.done <= p.total);
        },
    )
    .unwrap();
    assert_eq!(calls.get(), 10_000);
    assert_eq!(i.pack.concepts.len(), 10_000);
    let t = i.pack.concepts_by_tier();
    assert!(t[0] <= 12 && t[1] <= 30, "{t:?}");
    // A limit on the count stops the walk with a warning.
    let limits = Limits {
        max_files: 100,
        ..Limits::default()
    };
    let (notes, warnings) = collect(&[d.path().to_path_buf()], &limits);
    assert_eq!(notes.len(), 100);
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("100 notes is the most")),
        "{warnings:?}"
    );
}

#[test]
fn headings_ten_levels_deep() {
    let mut text = String::new();
    for level in 1..=10 {
        text.push_str(&format!(
            "{} Level {level}\n\nLevel {level} has a sentence of text under it.\n\n",
            "#".repeat(level)
        ));
    }
    let i = import_text("deep.md", &text, &Options::default()).unwrap();
    // Markdown has six heading levels; deeper `#` lines are text of the sixth.
    let titles: Vec<&str> = i.pack.concepts.iter().map(|c| c.title.as_str()).collect();
    assert!(titles.contains(&"Level 6"), "{titles:?}");
    let l6 = i
        .pack
        .concepts
        .iter()
        .find(|c| c.title == "Level 6")
        .unwrap();
    let all = format!("{:?}{:?}", l6.expected, l6.deep);
    assert!(
        all.contains("####### Level 7") || all.contains("Level 10"),
        "{all}"
    );
}

#[test]
fn nothing_to_import_is_a_clear_error() {
    let e = import_text(
        "x.md",
        "---\ntitle: x\n---\n<!-- nothing -->\n",
        &Options::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("no concept"), "{e}");
    let e = import(&[], &Options::default(), &|_| {}).unwrap_err();
    assert!(e.to_string().contains("no notes"), "{e}");
    let e = import_text(
        "x.md",
        "# A\n\ntext here\n",
        &Options {
            id: Some("Bad Id".into()),
            ..Options::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("invalid topic id"), "{e}");
}

#[test]
fn a_missing_path_is_a_warning() {
    let (notes, warnings) = collect(&[PathBuf::from("/no/such/notes")], &Limits::default());
    assert!(notes.is_empty());
    assert!(
        warnings[0].to_string().contains("no such file"),
        "{}",
        warnings[0]
    );
}
