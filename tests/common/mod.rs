//! What the binary's integration tests share: running memseed on a database of its own,
//! with a pinned clock and scripted standard input.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// The memseed binary under test.
pub fn memseed() -> Command {
    Command::new(env!("CARGO_BIN_EXE_memseed"))
}

/// Runs `cmd` (the binary, or a wrapper that runs it) with `--db db`, the data directory
/// beside the database, the clock at `now` (unix seconds) and `input` on standard input.
pub fn run_in(mut cmd: Command, db: &Path, now: i64, args: &[&str], input: &str) -> Output {
    let mut child = cmd
        .arg("--db")
        .arg(db)
        .args(args)
        .env("MEMSEED_NOW", now.to_string())
        .env("MEMSEED_DATA_DIR", db.parent().unwrap())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// [`run_in`] with the memseed binary.
pub fn run(db: &Path, now: i64, args: &[&str], input: &str) -> Output {
    run_in(memseed(), db, now, args, input)
}
