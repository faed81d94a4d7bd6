//! A small mutation fuzzer for memseed's parsers, run as ordinary tests.
//!
//! cargo-fuzz needs a nightly compiler, which this project does not use; this harness runs
//! on stable. It starts from a corpus of real inputs in the repository (`fuzz/corpus/NAME/`),
//! mutates them (byte flips, inserted tokens, deleted and repeated slices, splices of two
//! inputs), and runs the target on each, checking what every parser promises: it does not
//! panic, its time is bounded and linear in the input, and what the target's own check
//! requires (every error has a position). A failing input is written to
//! `target/fuzz-failures/NAME/` and named in the panic.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use memseed_core::synth::Rng;

/// Tokens that matter to the formats we parse, inserted whole.
const TOKENS: &[&[u8]] = &[
    b"[[concepts]]\nid = \"x\"\n",
    b"[topic]\n",
    b"\"\"\"",
    b"'''",
    b"[",
    b"]",
    b"{",
    b"}",
    b"=",
    b"\n",
    b"\"",
    b"#",
    b".",
    b"\\u0000",
    b"\xff\xfe",
    b"\xe2\x80",
    b"\x00",
    b"derives = [\"nope\"]\n",
    b"tier = \"critcal\"\n",
    b"a.b.c.d.e.f.g.h = 1\n",
    b"KB",
    b"KiB",
    b"1e308",
    b"-",
    b",",
    b"99999999999999999999",
    b"# ",
    b"## ",
    b"Q: ",
    b"A: ",
    b"::",
    b"{{c1::",
    b"```",
    b"| a | b |\n|---|---|\n",
    b"---\n",
    b"[[",
    b"]]",
    b"==",
];

/// How a fuzz run went.
#[derive(Debug, Default)]
pub struct Stats {
    pub runs: u64,
    pub largest: usize,
    pub slowest: Duration,
}

/// Seconds each target runs: `FUZZ_SECONDS`, else `default`.
pub fn seconds(default: u64) -> Duration {
    Duration::from_secs(
        std::env::var("FUZZ_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(default),
    )
}

/// The corpus of a target: every file in `fuzz/corpus/NAME/` of the repository.
pub fn corpus(name: &str) -> Vec<Vec<u8>> {
    let dir = repo().join("fuzz/corpus").join(name);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the corpus {} is readable: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let out: Vec<Vec<u8>> = files.iter().map(|p| std::fs::read(p).unwrap()).collect();
    assert!(!out.is_empty(), "the corpus {} has inputs", dir.display());
    out
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One random mutation of `input`, `others` available for splicing. Inputs stay under
/// `max` bytes.
pub fn mutate(rng: &mut Rng, input: &[u8], others: &[Vec<u8>], max: usize) -> Vec<u8> {
    let mut out = input.to_vec();
    let rounds = 1 + rng.range(0, 3);
    for _ in 0..rounds {
        let len = out.len();
        match rng.range(0, 7) {
            0 if len > 0 => {
                let i = rng.range(0, len - 1);
                out[i] ^= 1 << rng.range(0, 7);
            }
            1 => {
                let t = TOKENS[rng.range(0, TOKENS.len() - 1)];
                let i = rng.range(0, len);
                out.splice(i..i, t.iter().copied());
            }
            2 if len > 1 => {
                let a = rng.range(0, len - 1);
                let b = (a + rng.range(1, 64)).min(len);
                out.drain(a..b);
            }
            3 if len > 1 => {
                // Repeat a slice many times: how quadratic work shows itself.
                let a = rng.range(0, len - 1);
                let b = (a + rng.range(1, 200)).min(len);
                let piece = out[a..b].to_vec();
                let times = rng.range(2, 400);
                let at = rng.range(0, len);
                let rep: Vec<u8> = piece
                    .iter()
                    .copied()
                    .cycle()
                    .take(piece.len() * times)
                    .collect();
                out.splice(at..at, rep);
            }
            4 if !others.is_empty() => {
                let o = &others[rng.range(0, others.len() - 1)];
                if !o.is_empty() {
                    let a = rng.range(0, o.len() - 1);
                    let b = (a + rng.range(1, 500)).min(o.len());
                    let at = rng.range(0, len);
                    out.splice(at..at, o[a..b].iter().copied());
                }
            }
            5 if len > 0 => {
                let i = rng.range(0, len - 1);
                out[i] = rng.range(0, 255) as u8;
            }
            _ => {
                let i = rng.range(0, len);
                out.insert(i, b"\n \t\"'[]{}=.#:-|*`"[rng.range(0, 16)]);
            }
        }
        out.truncate(max);
    }
    out
}

/// Fuzzes `target` for `time` from `corpus`: each input must return without panicking
/// within `base + per_byte × len`, and pass `check`. Panics with the failing input saved.
pub fn fuzz(
    name: &str,
    corpus: &[Vec<u8>],
    time: Duration,
    max_len: usize,
    base: Duration,
    per_byte: Duration,
    target: impl Fn(&[u8]) -> Result<(), String>,
) -> Stats {
    let mut rng = Rng::new(
        std::env::var("FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x5eed),
    );
    let mut stats = Stats::default();
    let start = Instant::now();
    let mut pool: Vec<Vec<u8>> = corpus.to_vec();
    let mut i = 0;
    while start.elapsed() < time || i < corpus.len() {
        let input = if i < corpus.len() {
            corpus[i].clone()
        } else {
            let base_input = &pool[rng.range(0, pool.len() - 1)];
            mutate(&mut rng, base_input, corpus, max_len)
        };
        i += 1;
        let t = Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| target(&input)));
        let mut took = t.elapsed();
        // A slow run on a shared machine is often the scheduler, not the code: an input
        // counts as slow only if it stays slow, measured again (the fastest of five).
        let limit = base + per_byte * u32::try_from(input.len()).unwrap_or(u32::MAX);
        if took > limit && matches!(result, Ok(Ok(()))) {
            for _ in 0..5 {
                let t = Instant::now();
                let _ = catch_unwind(AssertUnwindSafe(|| target(&input)));
                took = took.min(t.elapsed());
            }
        }
        stats.runs += 1;
        stats.largest = stats.largest.max(input.len());
        stats.slowest = stats.slowest.max(took);
        let failure = match result {
            Err(p) => Some(format!(
                "panicked: {}",
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_string()))
                    .unwrap_or_default()
            )),
            Ok(Err(e)) => Some(e),
            Ok(Ok(())) if took > limit => Some(format!(
                "took {took:?} for {} bytes (limit {limit:?}): not linear",
                input.len()
            )),
            Ok(Ok(())) => None,
        };
        if let Some(why) = failure {
            let dir = repo().join("target/fuzz-failures").join(name);
            let _ = std::fs::create_dir_all(&dir);
            let path = dir.join(format!("failure-{}", stats.runs));
            let _ = std::fs::write(&path, &input);
            panic!("{name}: input {} {why}", path.display());
        }
        // Keep some mutants as parents, so mutations compound.
        if pool.len() < 256 && rng.chance(0.05) && input.len() < max_len / 2 {
            pool.push(input);
        }
    }
    stats
}
