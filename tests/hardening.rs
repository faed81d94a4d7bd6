//! Regression tests of the hardening issue, one per failure it found, through the real
//! binary: bounded work on hostile packs (F3), no reading of devices and pipes (F4), a
//! closed or full stdout (F6), a backup that fails cleanly (F8), a damaged database (F10),
//! `--db` as a plain path (F11), errors with positions and short echoes (F12), honest
//! reconstruct counts (F13) and warnings for odd entries in a topics folder (F14).

use std::fs;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The binary under test: this build's, or `MEMSEED_BIN` (to show a test fails on an
/// older build).
fn bin() -> String {
    std::env::var("MEMSEED_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_memseed").to_string())
}

fn memseed(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .args(args)
        .current_dir(dir)
        .env("MEMSEED_DATA_DIR", dir)
        .stdin(Stdio::null())
        .output()
        .expect("memseed runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const HEAD: &str = "format_version = 1\n[topic]\nid = \"big\"\ntitle = \"Big\"\nwhat_it_is = \"A pack made to be slow.\"\n[[categories]]\nid = \"c\"\ntitle = \"C\"\nmap = \"foundations\"\n";

/// Runs `check` on a pack, returning its output and how long it took.
fn timed_check(dir: &Path, name: &str, text: &str) -> (Output, Duration) {
    fs::write(dir.join(name), text).unwrap();
    let t = Instant::now();
    let o = memseed(dir, &["check", name]);
    (o, t.elapsed())
}

#[test]
fn f3_checking_a_pack_of_many_errors_is_fast_and_the_list_is_capped() {
    let dir = tempfile::tempdir().unwrap();
    // ~744 KB of unknown `derives` (took 195 s), 100k unknown keys (41 s), 100k
    // duplicate ids (over 180 s).
    let mut derives = String::from(HEAD);
    let mut i = 0;
    while derives.len() < 744_000 {
        let ids: Vec<String> = (0..20).map(|k| format!("\"x{i}-{k}\"")).collect();
        derives.push_str(&format!(
            "[[concepts]]\nid = \"k{i}\"\ntitle = \"K\"\ncategory = \"c\"\ntier = \"low\"\nderives = [{}]\n",
            ids.join(", ")
        ));
        i += 1;
    }
    let mut keys = format!(
        "{HEAD}[[concepts]]\nid = \"a\"\ntitle = \"A\"\ncategory = \"c\"\ntier = \"low\"\n"
    );
    for k in 0..100_000 {
        keys.push_str(&format!("unknownkey{k} = 1\n"));
    }
    let mut dups = String::from(HEAD);
    for _ in 0..100_000 {
        dups.push_str(
            "[[concepts]]\nid = \"same\"\ntitle = \"S\"\ncategory = \"c\"\ntier = \"low\"\n",
        );
    }
    for (name, text) in [
        ("derives.toml", derives),
        ("keys.toml", keys),
        ("dups.toml", dups),
    ] {
        let (o, took) = timed_check(dir.path(), name, &text);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let err = stderr(&o);
        let listed = err.lines().filter(|l| l.starts_with("error: ")).count();
        assert!(listed <= 101, "{name}: {listed} errors listed");
        assert!(
            err.contains("more errors (the first 100 are listed"),
            "{name}: {err}"
        );
        // Seconds, not minutes: generous for a loaded 2-core machine.
        assert!(took < Duration::from_secs(20), "{name} took {took:?}");
    }
}

#[test]
fn f4_devices_fifos_and_oversized_files_are_refused_without_reading() {
    let dir = tempfile::tempdir().unwrap();
    let t = Instant::now();
    let o = memseed(dir.path(), &["check", "/dev/zero"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("/dev/zero is a device"),
        "{}",
        stderr(&o)
    );
    let fifo = dir.path().join("pipe.toml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let o = memseed(dir.path(), &["check", "pipe.toml"]);
    assert!(stderr(&o).contains("is a FIFO"), "{}", stderr(&o));
    let o = memseed(dir.path(), &["compress", "pipe.toml", "--budget", "1KB"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is a FIFO"), "{}", stderr(&o));
    assert!(t.elapsed() < Duration::from_secs(10), "nothing blocked");
    // A file over the cap is refused by its size (a sparse file: no disk used).
    let big = dir.path().join("big.toml");
    let f = fs::File::create(&big).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    let o = memseed(dir.path(), &["check", "big.toml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("a pack may be at most 64 MiB"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn f6_a_closed_pipe_ends_normally_and_a_full_device_is_a_clear_error() {
    let root = env!("CARGO_MANIFEST_DIR");
    for cmd in [
        format!("{} check topics/ | head -1", bin()),
        format!("{} topics | head -c 10", bin()),
        format!("{} compress python --budget 1MB | head -c 10", bin()),
    ] {
        let o = Command::new("bash")
            .args(["-o", "pipefail", "-c", &cmd])
            .current_dir(root)
            .env("MEMSEED_DATA_DIR", root)
            .output()
            .unwrap();
        assert!(o.status.success(), "{cmd}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{cmd}: {}", stderr(&o));
    }
    let dir = tempfile::tempdir().unwrap();
    for args in [&["topics"][..], &["stats"][..]] {
        let full = fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let o = Command::new(bin())
            .args(args)
            .arg("--db")
            .arg(dir.path().join("m.db"))
            .env("MEMSEED_DATA_DIR", dir.path())
            .stdout(full)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("No space left on device"), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn f8_a_failed_backup_leaves_no_file_and_a_retry_works() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    // A database with some cards in it (stats syncs every pack's cards).
    let o = memseed(dir.path(), &["--db", db.to_str().unwrap(), "stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let dest = dir.path().join("copy.db");
    // The copy cannot grow past 64 KB: the write fails midway, as on a full disk.
    let o = Command::new("bash")
        .args([
            "-c",
            "trap '' XFSZ; ulimit -f 64; exec \"$@\"",
            "memseed",
            &bin(),
            "--db",
            db.to_str().unwrap(),
            "backup",
            dest.to_str().unwrap(),
        ])
        .env("MEMSEED_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(!dest.exists(), "no partial backup is left behind");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let o = memseed(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "backup",
            dest.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "the retry works: {}", stderr(&o));
    assert!(stdout(&o).contains("integrity: ok"), "{}", stdout(&o));
}

#[test]
fn f10_serve_refuses_a_damaged_database_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = memseed(dir.path(), &["--db", db.to_str().unwrap(), "stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Fold the WAL into the file, then zero its last page.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let len = fs::metadata(&db).unwrap().len();
    let mut bytes = fs::read(&db).unwrap();
    let page = 4096.min(len as usize);
    let n = bytes.len();
    bytes[n - page..].fill(0);
    fs::write(&db, &bytes).unwrap();
    let mut child = Command::new(bin())
        .args(["--db", db.to_str().unwrap(), "serve", "--port", "0"])
        .env("MEMSEED_DATA_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("serve started on a damaged database");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let o = child.wait_with_output().unwrap();
    assert_eq!(status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("damaged") || err.contains("malformed") || err.contains("not a SQLite"),
        "{err}"
    );
    assert!(!stdout(&o).contains("serving on"), "it never served");
}

#[test]
fn f11_db_is_always_a_plain_file_path() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["file:m.db?mode=memory", "file:work/x.db"] {
        let o = memseed(dir.path(), &["--db", name, "stats"]);
        assert!(o.status.success(), "{name}: {}", stderr(&o));
        let path = dir.path().join(name);
        assert!(path.is_file(), "{name} is a file in the working folder");
        let conn = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        let cards: i64 = conn
            .query_row("SELECT count(*) FROM cards", [], |r| r.get(0))
            .unwrap();
        assert!(cards > 0, "{name}: the cards were saved");
    }
    assert!(!dir.path().join("file:work").is_dir() || dir.path().join("file:work/x.db").is_file());
}

#[test]
fn f12_errors_have_positions_and_short_echoes() {
    let dir = tempfile::tempdir().unwrap();
    // Invalid UTF-8 on line 3, column 8.
    fs::write(
        dir.path().join("bad.toml"),
        b"format_version = 1\n[topic]\nid = \"a\xff\"\n",
    )
    .unwrap();
    let o = memseed(dir.path(), &["check", "bad.toml"]);
    assert!(
        stderr(&o).contains("bad.toml:3:8: not valid UTF-8"),
        "{}",
        stderr(&o)
    );
    // 100-deep dotted keys: the deepest line, not 1:1.
    fs::write(
        dir.path().join("deep.toml"),
        format!("format_version = 1\n\n{} = 1\n", vec!["a"; 100].join(".")),
    )
    .unwrap();
    let o = memseed(dir.path(), &["check", "deep.toml"]);
    assert!(stderr(&o).contains("deep.toml:3:1:"), "{}", stderr(&o));
    // A text file as the database.
    fs::write(
        dir.path().join("notes.txt"),
        "just some notes\n".repeat(100),
    )
    .unwrap();
    let o = memseed(dir.path(), &["--db", "notes.txt", "stats"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("is not a SQLite database"),
        "{}",
        stderr(&o)
    );
    // A 100k-character topic name and budget are echoed cut short.
    let long_id = "x".repeat(100_000);
    let o = memseed(dir.path(), &["compress", &long_id, "--budget", "1KB"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).len() < 2_000,
        "{} bytes of error",
        stderr(&o).len()
    );
    assert!(stderr(&o).contains("more characters"), "{}", stderr(&o));
    let long_budget = "9".repeat(100_000);
    let o = memseed(
        dir.path(),
        &["compress", "python", "--budget", &long_budget],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).len() < 2_000,
        "{} bytes of error",
        stderr(&o).len()
    );
    // A megabyte id inside a pack.
    fs::write(
        dir.path().join("id.toml"),
        format!(
            "{HEAD}[[concepts]]\nid = \"{}\"\ntitle = \"K\"\ncategory = \"c\"\ntier = \"low\"\n",
            "y".repeat(1_000_000)
        ),
    )
    .unwrap();
    let o = memseed(dir.path(), &["check", "id.toml"]);
    assert!(
        stderr(&o).len() < 2_000,
        "{} bytes of error",
        stderr(&o).len()
    );
}

#[test]
fn f13_reconstruct_counts_what_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let o = memseed(
        dir.path(),
        &[
            "--db",
            db.to_str().unwrap(),
            "reconstruct",
            "python",
            "--budget",
            "2257",
            "--count",
            "0",
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(
        !text.contains("Every concept's anchor is on this card"),
        "{text}"
    );
    assert!(
        text.contains("did not survive; --count 0 drills none"),
        "{text}"
    );
}

#[test]
fn f14_odd_entries_in_a_topics_folder_are_named_in_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let topics = dir.path().join("topics");
    fs::create_dir_all(topics.join("folder.toml")).unwrap();
    std::os::unix::fs::symlink("loop.toml", topics.join("loop.toml")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(topics.join("pipe.toml"))
            .status()
            .unwrap()
            .success()
    );
    let o = memseed(dir.path(), &["check", "topics"]);
    assert_eq!(o.status.code(), Some(1), "check fails on them");
    let err = stderr(&o);
    for (name, what) in [
        ("folder.toml", "a directory"),
        ("loop.toml", "a symlink loop"),
        ("pipe.toml", "a FIFO"),
    ] {
        assert!(err.contains(&format!("{name} is {what}")), "{name}: {err}");
    }
    let o = memseed(dir.path(), &["topics"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("pipe.toml is a FIFO"), "{}", stderr(&o));
}
