//! The import bench (not a test): 10,000 generated notes of about 5 KB each (≈50 MB of
//! Markdown: headings, paragraphs, definition lists, Q/A, code, tables, wikilinks) are
//! written to a temporary folder, then read and imported as `memseed import` does. Prints
//! the time of each step and the peak memory of the process.
//!
//! `cargo run --release -p memseed-import --example bench [-- NOTES]`

use std::fmt::Write as _;
use std::time::Instant;

fn note(k: usize, n: usize) -> String {
    let mut s = String::with_capacity(5200);
    let _ = write!(
        s,
        "---\ntitle: Topic {k}\ntags: [bench, t{}]\n---\n# Topic {k}\n\nTopic {k} is a subject that the bench writes about at some length, linking [[Topic {}]] and [[Topic {}]].\n\n",
        k % 13,
        (k * 7 + 1) % n,
        (k * 13 + 5) % n
    );
    for part in 0..4 {
        let _ = write!(
            s,
            "## Part {part} of topic {k}\n\nPart {part} of topic {k} is one piece of it; it holds several sentences of ordinary prose so that the importer has text to split into basic, expected and deep levels. The second sentence says more about the part and mentions Topic {} by name. A third sentence closes the first paragraph.\n\nA second paragraph adds detail: numbers such as {}, words such as cache, lock, queue and index, and a reference to [[Topic {}|another note]]. It goes on for a while longer, as real notes do, with an example, a caveat about the edge cases, and a remark on what to try next when the first approach fails.\n\nA third paragraph holds the internals: how the part is laid out in memory, which costs grow with the input, and why the obvious shortcut breaks under load. It ends with a pointer to further reading and a reminder to measure before changing anything.\n\nA last paragraph records a worked case: the input, what the code did with it step by step, the output, and the one detail that was easy to miss the first time through.\n\n",
            (k + part + 3) % n,
            k * 31 + part,
            (k + 11 * part) % n
        );
        if part == 1 {
            s.push_str("- **Term one** — a definition of the first term in a few words.\n- Term two: the second definition, also short.\n\n");
        }
        if part == 2 {
            let _ = write!(
                s,
                "Q: What does part {part} of topic {k} do?\nA: It shows how questions import.\n\n```python\ndef f(x):\n    return x * {k}\n```\n\n"
            );
        }
        if part == 3 {
            s.push_str("| Mistake | Fix |\n|---|---|\n| forgetting the lock | take it first |\n| reading stale data | read after the write |\n\n");
        }
    }
    s
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000);
    let dir = std::env::temp_dir().join(format!("memseed-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let mut bytes = 0;
    for k in 0..n {
        let sub = dir.join(format!("folder-{}", k % 100));
        std::fs::create_dir_all(&sub).expect("a folder");
        let text = note(k, n);
        bytes += text.len();
        std::fs::write(sub.join(format!("topic-{k}.md")), text).expect("a note");
    }
    println!(
        "{n} notes, {:.1} MB written to {}",
        bytes as f64 / 1e6,
        dir.display()
    );
    let rss_before = peak_rss_kib();

    let t = Instant::now();
    let (notes, warnings) = memseed_import::collect(
        std::slice::from_ref(&dir),
        &memseed_import::Limits::default(),
    );
    let read = t.elapsed();
    let t2 = Instant::now();
    let imported = memseed_import::import(
        &notes,
        &memseed_import::Options {
            id: Some("bench".into()),
            title: None,
        },
        &|_| {},
    )
    .expect("the bench notes import");
    let import = t2.elapsed();
    let total = t.elapsed();
    let p = &imported.pack;
    println!(
        "read {:.2} s, import {:.2} s, total {:.2} s ({:.1} MB/s); {} concepts {:?}, {} traps, {} questions, {} practice; pack {:.1} MB; {} warnings",
        read.as_secs_f64(),
        import.as_secs_f64(),
        total.as_secs_f64(),
        bytes as f64 / 1e6 / total.as_secs_f64(),
        p.concepts.len(),
        p.concepts_by_tier(),
        p.traps.len(),
        p.questions.len(),
        p.practice.len(),
        imported.toml.len() as f64 / 1e6,
        warnings.len() + imported.warnings.len()
    );
    println!(
        "peak memory: {} MiB (before reading: {} MiB)",
        peak_rss_kib() / 1024,
        rss_before / 1024
    );
    let _ = std::fs::remove_dir_all(&dir);
}
