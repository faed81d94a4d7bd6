//! Where command output goes: standard output or a file. A reader that closes the pipe
//! early (`memseed check dir/ | head -1`) ends the command normally; a full disk or device
//! is a clear error. Nothing here panics on a failed write.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Whether an error chain ends in a closed pipe: the reader stopped, which is not an error.
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// Writes `text` to standard output, flushed. A closed pipe comes back as an error that
/// [`is_closed_pipe`] recognises, so the command can stop where it is.
pub fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("cannot write to standard output")
}

/// [`print`] with a line break.
pub fn println(text: &str) -> Result<()> {
    print(&format!("{text}\n"))
}

/// Writes to the file if one is given, else to standard output.
pub fn emit(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => write_file(p, text.as_bytes()),
        None => print(text),
    }
}

/// Writes bytes to the file, or to standard output when it is not a terminal.
pub fn emit_binary(path: Option<&Path>, bytes: &[u8]) -> Result<()> {
    match path {
        Some(p) => write_file(p, bytes),
        None if io::stdout().is_terminal() => {
            bail!("a PNG would garble the terminal: pass -o card.png, or redirect the output")
        }
        None => {
            let mut out = io::stdout().lock();
            out.write_all(bytes)
                .and_then(|()| out.flush())
                .context("cannot write to standard output")
        }
    }
}

/// Writes a whole file; a failure (a full disk) leaves no half-written file behind.
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let result = fs::write(path, bytes);
    if result.is_err() {
        let _ = fs::remove_file(path);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}
