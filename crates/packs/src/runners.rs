//! One runner per snippet language: how its code is run (or, when illustrative, parsed) and
//! how what it printed is compared with the pack's `output` and `raises`.
//!
//! | language | run with | `raises` means |
//! |---|---|---|
//! | `python` | `python3 -I -c CODE` | the exception type on the last line of the traceback |
//! | `javascript`, `js` | `node FILE.js` (CommonJS) | text in what node prints to stderr, e.g. `TypeError` |
//! | `mjs` | `node FILE.mjs` (an ES module) | as for `javascript` |
//! | `sql` | SQLite through Python's `sqlite3`: each statement in turn, rows printed as `a\|b`, NULL as `NULL` | the last traceback line contains it (`IntegrityError`, `UNIQUE constraint failed`) |
//! | `sh`, `bash` | `bash -e -o pipefail` in an empty scratch folder, git configured, dates fixed | `exit N`: the exit status |
//! | `rust` | `rustc --edition 2024`, then the program | `panic`: exit 101; `E0382` (an error code): it must not compile, with that error |
//! | `yaml` | parsed (every document) by PyYAML | — |
//! | `json` | parsed | — |
//! | `dockerfile` | every instruction is a known Dockerfile instruction, the first is `FROM` or `ARG` | — |
//!
//! An `illustrative` snippet is only parsed where the language has a parser here
//! (`python`, `javascript`, `sh`, `yaml`, `json`, `dockerfile`), and is otherwise skipped.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use memseed_core::pack::{Pack, Snippet};

/// How a snippet fared when it did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    /// Not run, and why (no runtime on this machine, too new for it, illustrative).
    Skipped(String),
}

/// Longest a snippet may run (or compile) before it counts as hung.
const TIMEOUT: Duration = Duration::from_secs(60);

/// What a finished process left behind.
struct Finished {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs `cmd` with `stdin` fed to it, killed after [`TIMEOUT`]. `Ok(None)` when the program
/// does not exist on this machine.
fn run_process(mut cmd: Command, stdin: &str) -> Result<Option<Finished>, String> {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot start {:?}: {e}", cmd.get_program())),
    };
    let mut input = child.stdin.take().expect("piped stdin");
    let text = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let out_reader = {
        let mut out = child.stdout.take().expect("piped stdout");
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut out, &mut buf);
            buf
        })
    };
    let err_reader = {
        let mut err = child.stderr.take().expect("piped stderr");
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut err, &mut buf);
            buf
        })
    };
    let deadline = Instant::now() + TIMEOUT;
    let status = loop {
        if let Some(s) = child.try_wait().map_err(|e| e.to_string())? {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!("did not finish within {} s", TIMEOUT.as_secs()));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    let stdout = String::from_utf8_lossy(&out_reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&err_reader.join().unwrap_or_default()).into_owned();
    Ok(Some(Finished {
        status: status.code(),
        stdout,
        stderr,
    }))
}

/// Runs (or parses) one snippet of `pack` and checks it against what the pack states.
///
/// # Errors
/// A description of how the snippet failed: wrong output, an unexpected error, no error
/// where one was promised, or a timeout.
pub fn run_snippet(pack: &Pack, s: &Snippet) -> Result<Outcome, String> {
    let Some(code) = s.code.as_deref() else {
        return Ok(Outcome::Passed);
    };
    let lang = s
        .language(&pack.topic)
        .unwrap_or("text")
        .to_ascii_lowercase();
    if s.illustrative {
        return parse_only(&lang, code);
    }
    match lang.as_str() {
        "python" | "python3" => python(code, s),
        "javascript" | "js" | "node" => node(code, s, "js"),
        "mjs" => node(code, s, "mjs"),
        "sql" | "sqlite" => sql(code, s),
        "sh" | "bash" | "shell" => shell(code, s),
        "rust" => rust(code, s),
        "yaml" | "yml" | "json" | "dockerfile" => parse_only(&lang, code),
        other => Err(format!(
            "no runner for language {other:?}: mark the snippet `illustrative = true` or use one of python, javascript, mjs, sql, sh, rust, yaml, json, dockerfile"
        )),
    }
}

/// Checks a snippet that is shown but not run: its syntax, where a parser exists here.
fn parse_only(lang: &str, code: &str) -> Result<Outcome, String> {
    let check = |f: Option<Finished>, tool: &str| match f {
        None => Ok(Outcome::Skipped(format!("{tool} is not installed"))),
        Some(f) if f.status == Some(0) => Ok(Outcome::Passed),
        Some(f) => Err(format!("does not parse:\n{}{}", f.stdout, f.stderr)),
    };
    match lang {
        "python" | "python3" => {
            let mut cmd = Command::new("python3");
            cmd.args(["-I", "-c", "import ast, sys; ast.parse(sys.stdin.read())"]);
            check(run_process(cmd, code)?, "python3")
        }
        "javascript" | "js" | "node" | "mjs" => {
            let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
            let ext = if lang == "mjs" { "mjs" } else { "js" };
            let file = dir.path().join(format!("snippet.{ext}"));
            std::fs::write(&file, code).map_err(|e| e.to_string())?;
            let mut cmd = Command::new("node");
            cmd.arg("--check").arg(&file);
            check(run_process(cmd, "")?, "node")
        }
        "sh" | "bash" | "shell" => {
            let mut cmd = Command::new("bash");
            cmd.arg("-n");
            check(run_process(cmd, code)?, "bash")
        }
        "yaml" | "yml" => {
            let mut cmd = Command::new("python3");
            cmd.args([
                "-c",
                "import sys, yaml; list(yaml.safe_load_all(sys.stdin.read()))",
            ]);
            match run_process(cmd, code)? {
                Some(f) if f.stderr.contains("No module named 'yaml'") => Ok(Outcome::Skipped(
                    "PyYAML is not installed (pip install pyyaml)".into(),
                )),
                other => check(other, "python3"),
            }
        }
        "json" => serde_json::from_str::<serde_json::Value>(code)
            .map(|_| Outcome::Passed)
            .map_err(|e| format!("not JSON: {e}")),
        "dockerfile" => dockerfile(code).map(|()| Outcome::Passed),
        other => Ok(Outcome::Skipped(format!(
            "illustrative {other} snippet: no parser here"
        ))),
    }
}

/// Compares stdout with the stated output, ignoring trailing line breaks.
fn compare_output(s: &Snippet, stdout: &str) -> Result<(), String> {
    match &s.output {
        Some(want) if stdout.trim_end_matches('\n') != want.trim_end_matches('\n') => Err(format!(
            "output differs\n--- stated\n{want}\n--- printed\n{stdout}"
        )),
        _ => Ok(()),
    }
}

fn missing(tool: &str) -> Result<Outcome, String> {
    if crate::runners_required() {
        Err(format!("{tool} is not installed, and runners are required"))
    } else {
        Ok(Outcome::Skipped(format!("{tool} is not installed")))
    }
}

/// `(major, minor)` of a version string such as `3.12` or `v20.1.0`.
fn parse_version(v: &str) -> Option<(u32, u32)> {
    let mut it = v.trim().trim_start_matches('v').split('.');
    let major = it.next()?.trim().parse().ok()?;
    let minor = it
        .next()
        .map_or(Some(0), |m| m.trim().parse().ok())
        .unwrap_or(0);
    Some((major, minor))
}

/// Skips a snippet whose `min_version` is above the runtime's.
fn too_new(s: &Snippet, have: Option<(u32, u32)>, tool: &str) -> Option<Outcome> {
    let need = parse_version(s.min_version.as_deref()?)?;
    let have = have?;
    (need > have).then(|| {
        Outcome::Skipped(format!(
            "needs {tool} {}.{}, this machine has {}.{}",
            need.0, need.1, have.0, have.1
        ))
    })
}

fn version_of(program: &str, args: &[&str]) -> Option<(u32, u32)> {
    let out = Command::new(program).args(args).output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let word = text.split_whitespace().find(|w| {
        w.trim_start_matches('v')
            .starts_with(|c: char| c.is_ascii_digit())
    })?;
    parse_version(word)
}

fn python(code: &str, s: &Snippet) -> Result<Outcome, String> {
    if let Some(skip) = too_new(s, version_of("python3", &["--version"]), "Python") {
        return Ok(skip);
    }
    let mut cmd = Command::new("python3");
    cmd.args(["-I", "-c", code]);
    let Some(f) = run_process(cmd, "")? else {
        return missing("python3");
    };
    expect_exit(s, &f, |f, exc| {
        let last = f.stderr.trim_end().lines().last().unwrap_or("");
        last.starts_with(exc)
    })?;
    compare_output(s, &f.stdout).map(|()| Outcome::Passed)
}

/// Checks the exit status against `raises`: success when nothing is promised, failure that
/// `matches` the promise otherwise.
fn expect_exit(
    s: &Snippet,
    f: &Finished,
    matches: impl Fn(&Finished, &str) -> bool,
) -> Result<(), String> {
    match &s.raises {
        Some(exc) if f.status == Some(0) || !matches(f, exc) => Err(format!(
            "expected it to raise {exc}; exit {:?}, stderr:\n{}",
            f.status, f.stderr
        )),
        None if f.status != Some(0) => {
            Err(format!("exit {:?}:\n{}{}", f.status, f.stdout, f.stderr))
        }
        _ => Ok(()),
    }
}

fn node(code: &str, s: &Snippet, ext: &str) -> Result<Outcome, String> {
    if let Some(skip) = too_new(s, version_of("node", &["--version"]), "node") {
        return Ok(skip);
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let file = dir.path().join(format!("snippet.{ext}"));
    std::fs::write(&file, code).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("node");
    cmd.arg(&file).current_dir(dir.path());
    let Some(f) = run_process(cmd, "")? else {
        return missing("node");
    };
    expect_exit(s, &f, |f, exc| f.stderr.contains(exc))?;
    compare_output(s, &f.stdout).map(|()| Outcome::Passed)
}

/// Runs SQL statement by statement on a fresh in-memory SQLite database and prints the rows
/// of each statement that returns any, `|` between columns and `NULL` for NULL.
const SQL_HARNESS: &str = r#"
import sqlite3, sys
con = sqlite3.connect(":memory:", isolation_level=None)
buf = ""
def cell(v):
    if v is None:
        return "NULL"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return repr(v)
    return str(v)
for line in sys.stdin.read().splitlines(keepends=True):
    buf += line
    if sqlite3.complete_statement(buf):
        stmt, buf = buf, ""
        for row in con.execute(stmt).fetchall():
            print("|".join(cell(v) for v in row))
rest = "\n".join(l for l in buf.splitlines() if l.strip() and not l.strip().startswith("--"))
if rest.strip():
    sys.exit("incomplete statement at the end: " + rest[:200])
"#;

fn sql(code: &str, s: &Snippet) -> Result<Outcome, String> {
    let mut cmd = Command::new("python3");
    cmd.args(["-I", "-c", SQL_HARNESS]);
    let Some(f) = run_process(cmd, code)? else {
        return missing("python3");
    };
    expect_exit(s, &f, |f, exc| {
        f.stderr
            .trim_end()
            .lines()
            .last()
            .is_some_and(|l| l.contains(exc))
    })?;
    compare_output(s, &f.stdout).map(|()| Outcome::Passed)
}

/// Git set up the same way for every shell snippet, so hashes and messages repeat.
const GIT_CONFIG: &[(&str, &str)] = &[
    ("init.defaultBranch", "main"),
    ("user.name", "Ada Example"),
    ("user.email", "ada@example.com"),
    ("core.pager", "cat"),
    ("color.ui", "false"),
    ("advice.detachedHead", "false"),
    ("advice.skippedCherryPicks", "false"),
    ("pull.rebase", "false"),
    ("protocol.file.allow", "always"),
];

fn shell(code: &str, s: &Snippet) -> Result<Outcome, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let home = dir.path().join("home");
    let work = dir.path().join("work");
    for d in [&home, &work] {
        std::fs::create_dir(d).map_err(|e| e.to_string())?;
    }
    let config = home.join(".gitconfig");
    let mut text = String::new();
    for (key, value) in GIT_CONFIG {
        // `a.b` is `[a] b`; `a.sub.b` is `[a "sub"] b`.
        let (section, name) = key.rsplit_once('.').expect("section.name");
        let header = match section.split_once('.') {
            Some((s, sub)) => format!("[{s} \"{sub}\"]"),
            None => format!("[{section}]"),
        };
        text.push_str(&format!("{header}\n\t{name} = {value}\n"));
    }
    std::fs::write(&config, text).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("bash");
    cmd.args(["-e", "-o", "pipefail", "-s"])
        .current_dir(&work)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("GIT_CONFIG_GLOBAL", &config)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada Example")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", "2026-01-01T12:00:00Z")
        .env("GIT_COMMITTER_NAME", "Ada Example")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_DATE", "2026-01-01T12:00:00Z")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("TERM", "dumb");
    let Some(f) = run_process(cmd, code)? else {
        return missing("bash");
    };
    expect_exit(s, &f, |f, want| {
        let want = want.trim_start_matches("exit").trim();
        want.parse::<i32>().ok() == f.status
    })?;
    compare_output(s, &f.stdout).map(|()| Outcome::Passed)
}

fn rust(code: &str, s: &Snippet) -> Result<Outcome, String> {
    if let Some(skip) = too_new(s, version_of("rustc", &["--version"]), "rustc") {
        return Ok(skip);
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let src = dir.path().join("main.rs");
    let bin = dir.path().join("main");
    std::fs::write(&src, code).map_err(|e| e.to_string())?;
    let mut cmd = Command::new("rustc");
    cmd.args(["--edition", "2024", "-A", "warnings", "-o"])
        .arg(&bin)
        .arg(&src)
        .current_dir(dir.path());
    let Some(compiled) = run_process(cmd, "")? else {
        return missing("rustc");
    };
    let compile_error = s
        .raises
        .as_deref()
        .filter(|r| r.starts_with('E') && r[1..].chars().all(|c| c.is_ascii_digit()));
    if let Some(code) = compile_error {
        return if compiled.status == Some(0) {
            Err(format!("expected error {code}, but it compiled"))
        } else if compiled.stderr.contains(&format!("error[{code}]")) {
            Ok(Outcome::Passed)
        } else {
            Err(format!(
                "expected error {code}; rustc said:\n{}",
                compiled.stderr
            ))
        };
    }
    if compiled.status != Some(0) {
        return Err(format!("does not compile:\n{}", compiled.stderr));
    }
    let mut cmd = Command::new(&bin);
    cmd.current_dir(dir.path());
    let f = run_process(cmd, "")?.ok_or("the compiled program vanished")?;
    expect_exit(s, &f, |f, want| {
        want == "panic" && f.status == Some(101) && f.stderr.contains("panicked")
    })?;
    compare_output(s, &f.stdout).map(|()| Outcome::Passed)
}

/// Dockerfile instructions, as the Dockerfile reference lists them.
const DOCKER_INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// A structural check of a Dockerfile: line continuations joined, comments and parser
/// directives skipped, heredoc bodies skipped, every instruction known, `FROM` (after any
/// `ARG`) first.
fn dockerfile(code: &str) -> Result<(), String> {
    let mut instructions = Vec::new();
    let mut lines = code.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let mut full = trimmed.to_string();
        while full.ends_with('\\') {
            full.pop();
            match lines.next() {
                Some((_, next)) => full.push_str(next.trim()),
                None => return Err(format!("line {}: continues past the end", n + 1)),
            }
        }
        let word = full.split_whitespace().next().unwrap_or("");
        if !DOCKER_INSTRUCTIONS.contains(&word.to_ascii_uppercase().as_str()) {
            return Err(format!("line {}: unknown instruction {word:?}", n + 1));
        }
        if let Some(pos) = full.find("<<") {
            let tag: String = full[pos + 2..]
                .trim_start_matches('-')
                .trim_matches(|c| c == '"' || c == '\'')
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !tag.is_empty() && !lines.any(|(_, l)| l.trim() == tag) {
                return Err(format!("line {}: heredoc {tag} is never closed", n + 1));
            }
        }
        instructions.push((n + 1, word.to_ascii_uppercase()));
    }
    match instructions.iter().find(|(_, w)| w != "ARG") {
        Some((_, w)) if w == "FROM" => Ok(()),
        Some((n, w)) => Err(format!("line {n}: the first instruction is {w}, not FROM")),
        None => Err("no FROM instruction".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerfile_check_accepts_a_build_and_refuses_nonsense() {
        let good = "# syntax=docker/dockerfile:1\nARG BASE=debian\nFROM ${BASE} AS build\nRUN apt-get update \\\n && apt-get install -y gcc\nCOPY <<EOF /a.txt\nhello\nEOF\nCMD [\"/bin/true\"]\n";
        assert_eq!(dockerfile(good), Ok(()));
        assert!(dockerfile("RUN true\nFROM x").is_err());
        assert!(dockerfile("FROM x\nRUNN true").is_err());
        assert!(dockerfile("FROM x\nCOPY <<EOF /a\nno end").is_err());
    }

    #[test]
    fn versions_parse() {
        assert_eq!(parse_version("3.12"), Some((3, 12)));
        assert_eq!(parse_version("v20.1.0"), Some((20, 1)));
        assert_eq!(parse_version("1.95.0"), Some((1, 95)));
    }
}
