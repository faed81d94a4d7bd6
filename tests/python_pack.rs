//! The Python pack is correct, ours, complete, and compresses the way the product promises.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use memseed_core::card::layout::ItemRef;
use memseed_core::pack::{Pack, Snippet, Tier};
use memseed_core::{Card, Compressor, load_str};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn python_pack() -> Pack {
    let path = root().join("topics/python.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (pack, warnings) = load_str("topics/python.toml", &text).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{warnings:?}");
    pack
}

/// `(major, minor)` of the `python3` on PATH.
fn python_version() -> (u32, u32) {
    let out = Command::new("python3")
        .args([
            "-c",
            "import sys; print(sys.version_info[0], sys.version_info[1])",
        ])
        .output()
        .expect("python3 is installed (the snippet test runs every example)");
    let s = String::from_utf8(out.stdout).unwrap();
    let mut it = s.split_whitespace().map(|x| x.parse().unwrap());
    (it.next().unwrap(), it.next().unwrap())
}

fn parse_version(v: &str) -> (u32, u32) {
    let mut it = v
        .split('.')
        .map(|x| x.parse().expect("min_version is MAJOR.MINOR"));
    (it.next().unwrap(), it.next().unwrap_or(0))
}

/// Runs one snippet; `Err` describes how it failed.
fn run_snippet(code: &str, s: &Snippet) -> Result<(), String> {
    let mut child = Command::new("python3")
        .args(["-I", "-c", code])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    // A snippet that hangs is a failure, not a stuck test run.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while child.try_wait().map_err(|e| e.to_string())?.is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            return Err("did not finish within 30 s".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match &s.raises {
        Some(exc) => {
            let last = stderr.trim_end().lines().last().unwrap_or("");
            if out.status.success() || !last.starts_with(exc.as_str()) {
                return Err(format!(
                    "expected it to raise {exc}; exit {:?}, last line {last:?}",
                    out.status.code()
                ));
            }
        }
        None if !out.status.success() => {
            return Err(format!("exit {:?}:\n{stderr}", out.status.code()));
        }
        None => {}
    }
    if let Some(want) = &s.output
        && stdout.trim_end_matches('\n') != want.trim_end_matches('\n')
    {
        return Err(format!(
            "output differs\n--- stated\n{want}\n--- printed\n{stdout}"
        ));
    }
    Ok(())
}

#[test]
fn every_code_example_and_practice_snippet_runs_and_prints_what_the_pack_says() {
    let pack = python_pack();
    let version = python_version();
    let mut jobs: Vec<(String, Snippet)> = Vec::new();
    for c in &pack.concepts {
        jobs.push((format!("concept {}", c.id), c.snippet.clone()));
    }
    for t in &pack.traps {
        jobs.push((format!("trap {}", t.id), t.snippet.clone()));
    }
    for p in &pack.practice {
        jobs.push((format!("practice {}", p.id), p.snippet.clone()));
    }
    jobs.retain(|(_, s)| s.code.is_some());
    assert!(
        jobs.len() >= 100,
        "the pack is full of runnable code ({} snippets)",
        jobs.len()
    );
    let mut skipped = Vec::new();
    jobs.retain(|(name, s)| match &s.min_version {
        Some(v) if parse_version(v) > version => {
            skipped.push(format!(
                "{name} needs Python {v}, this machine has {}.{}",
                version.0, version.1
            ));
            false
        }
        _ => true,
    });
    for s in &skipped {
        eprintln!("skipped: {s}");
    }
    let failures = Mutex::new(Vec::new());
    let queue = Mutex::new(jobs.iter());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                loop {
                    let Some((name, s)) = queue.lock().unwrap().next() else {
                        break;
                    };
                    if let Err(e) = run_snippet(s.code(), s) {
                        failures.lock().unwrap().push(format!("{name}: {e}"));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} snippets failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every text field of the pack, with where it is.
fn texts(pack: &Pack) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut add = |place: String, text: Option<&String>| {
        if let Some(t) = text {
            out.push((place, t.clone()));
        }
    };
    let t = &pack.topic;
    add("topic.what_it_is".into(), Some(&t.what_it_is));
    add("topic.why_it_exists".into(), t.why_it_exists.as_ref());
    for s in t.when_to_use.iter().chain(&t.where_it_fails) {
        add("topic".into(), Some(s));
    }
    for c in &pack.concepts {
        for (f, v) in [
            ("title", Some(&c.title)),
            ("anchor", c.anchor.as_ref()),
            ("basic", c.basic.as_ref()),
            ("expected", c.expected.as_ref()),
            ("deep", c.deep.as_ref()),
            ("code", c.snippet.code.as_ref()),
            ("interview", c.interview.as_ref()),
            ("trap", c.trap.as_ref()),
        ] {
            add(format!("concept {}.{f}", c.id), v);
        }
    }
    for x in &pack.traps {
        for (f, v) in [
            ("what", Some(&x.what)),
            ("fix", Some(&x.fix)),
            ("code", x.snippet.code.as_ref()),
        ] {
            add(format!("trap {}.{f}", x.id), v);
        }
    }
    for q in &pack.questions {
        for (f, v) in [
            ("question", Some(&q.question)),
            ("short", Some(&q.short)),
            ("detailed", q.detailed.as_ref()),
        ] {
            add(format!("question {}.{f}", q.id), v);
        }
    }
    for p in &pack.practice {
        for (f, v) in [
            ("question", Some(&p.question)),
            ("code", p.snippet.code.as_ref()),
            ("answer", Some(&p.answer)),
        ] {
            add(format!("practice {}.{f}", p.id), v);
        }
    }
    out
}

fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The documents the product comes from: facts may be reused, sentences may not.
fn seeds_dir() -> PathBuf {
    root().join("../shared/seeds")
}

#[test]
fn no_text_repeats_eight_consecutive_words_of_the_seed_documents() {
    const N: usize = 8;
    let dir = seeds_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seed documents are needed for this check, at {}: {e}",
            dir.display()
        )
    });
    let mut seen: HashSet<Vec<String>> = HashSet::new();
    let mut files = 0;
    for e in entries {
        let path = e.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let w = words(&String::from_utf8_lossy(&bytes));
        for g in w.windows(N) {
            seen.insert(g.to_vec());
        }
        files += 1;
    }
    assert!(
        files >= 4 && seen.len() > 10_000,
        "read the seeds ({files} files)"
    );
    let mut hits = Vec::new();
    for (place, text) in texts(&python_pack()) {
        let w = words(&text);
        if let Some(g) = w.windows(N).find(|g| seen.contains(*g)) {
            hits.push(format!("{place}: \"{}\"", g.join(" ")));
        }
    }
    assert!(
        hits.is_empty(),
        "wording taken from the seeds:\n{}",
        hits.join("\n")
    );
}

#[test]
fn the_overlap_check_catches_a_copied_sentence() {
    // The check above must be able to fail: a sentence lifted from a seed is caught.
    let seed = std::fs::read_to_string(seeds_dir().join("000_8bd296535188bc42.txt")).unwrap();
    let copied = seed.lines().find(|l| words(l).len() > 12).unwrap();
    let seeds: HashSet<Vec<String>> = words(&seed).windows(8).map(<[String]>::to_vec).collect();
    assert!(words(copied).windows(8).any(|g| seeds.contains(g)));
}

#[test]
fn the_pack_is_as_complete_as_promised() {
    let pack = python_pack();
    let by_tier = pack.concepts_by_tier();
    assert!(
        pack.concepts.len() >= 60,
        "{} concepts",
        pack.concepts.len()
    );
    let critical: HashSet<&str> = pack
        .concepts
        .iter()
        .filter(|c| c.tier == Tier::Critical)
        .map(|c| c.id.as_str())
        .collect();
    let nine: HashSet<&str> = [
        "gil",
        "refcounting",
        "decorators",
        "generators",
        "async-await",
        "data-model",
        "mro",
        "event-loop",
        "dict-internals",
    ]
    .into();
    assert_eq!(
        critical, nine,
        "exactly the nine critical concepts of the original screen"
    );
    assert!(by_tier[1] >= 11, "{} high concepts", by_tier[1]);
    for c in &pack.concepts {
        let anchor = c
            .anchor
            .as_deref()
            .unwrap_or_else(|| panic!("{} has an anchor", c.id));
        assert!(
            (100..=170).contains(&anchor.len()),
            "{}: anchor of {} bytes",
            c.id,
            anchor.len()
        );
        assert!(
            c.basic.is_some() && c.expected.is_some(),
            "{} has basic and expected",
            c.id
        );
        if c.tier <= Tier::High {
            assert!(
                c.deep.is_some()
                    && c.snippet.code.is_some()
                    && c.interview.is_some()
                    && c.trap.is_some(),
                "{} is complete",
                c.id
            );
        } else {
            let derivable = pack.concepts.iter().any(|k| {
                k.tier <= Tier::High && k.derives.iter().any(|&d| pack.concepts[d].id == c.id)
            });
            assert!(
                derivable,
                "{} can be re-derived from a critical or high concept",
                c.id
            );
        }
    }
    let categories: HashSet<&str> = pack.categories.iter().map(|c| c.id.as_str()).collect();
    for want in [
        "execution-model",
        "memory-model",
        "types-data",
        "functions",
        "classes",
        "iteration",
        "concurrency",
        "errors-testing",
        "modules",
        "performance",
        "typing",
        "modern",
        "stdlib",
    ] {
        assert!(categories.contains(want), "category {want}");
    }
    assert!(pack.traps.len() >= 15, "{} traps", pack.traps.len());
    let levels = pack.questions_by_level();
    assert!(
        pack.questions.len() >= 45 && levels.iter().all(|&n| n >= 12),
        "questions {levels:?}"
    );
    assert!(pack.questions.iter().all(|q| q.detailed.is_some()));
    assert!(
        pack.practice.len() >= 15,
        "{} practice",
        pack.practice.len()
    );
}

/// What a card keeps at one budget, with the item's card level.
fn kept_at(pack: &Pack, comp: &Compressor, budget: u64) -> Vec<(ItemRef, u8)> {
    Card::new(pack, comp, budget).unwrap().kept().collect()
}

fn concepts_at_level(pack: &Pack, kept: &[(ItemRef, u8)], tier: Tier, level: u8) -> usize {
    kept.iter()
        .filter(|(r, l)| {
            matches!(r, ItemRef::Concept(c) if pack.concepts[*c].tier == tier) && *l >= level
        })
        .count()
}

#[test]
fn the_headline_card_holds_what_it_is_the_nine_anchors_and_three_traps() {
    let pack = python_pack();
    let comp = Compressor::new(&pack);
    let card = Card::new(&pack, &comp, 2257).unwrap();
    assert!(card.selection.bytes <= 2257);
    assert_eq!(card.text().len() as u64, card.selection.bytes);
    let kept: Vec<_> = card.kept().collect();
    assert!(
        kept.iter().any(|(r, _)| *r == ItemRef::WhatItIs),
        "what it is"
    );
    assert_eq!(
        concepts_at_level(&pack, &kept, Tier::Critical, 2),
        9,
        "all nine critical anchors"
    );
    let traps = kept
        .iter()
        .filter(|(r, _)| matches!(r, ItemRef::Trap(_)))
        .count();
    assert!(traps >= 3, "{traps} traps");
    let report = card.report();
    let seeds = report.sections.iter().find(|s| s.id == "seeds").unwrap();
    assert!(
        seeds.label.starts_with("Seeds \u{b7} 9 critical"),
        "{}",
        seeds.label
    );
}

#[test]
fn richer_levels_arrive_as_the_budget_grows() {
    let pack = python_pack();
    let comp = Compressor::new(&pack);
    let high = pack.concepts_by_tier()[1];
    let high_anchors = concepts_at_level(&pack, &kept_at(&pack, &comp, 6 * 1024), Tier::High, 2);
    assert!(
        high_anchors * 2 > high,
        "by 6 KB most high concepts show their anchors ({high_anchors} of {high})"
    );
    let at16 = kept_at(&pack, &comp, 16 * 1024);
    assert!(
        at16.iter().any(|(r, _)| matches!(r, ItemRef::Question(_))),
        "by 16 KB interview answers appear"
    );
    let full = Card::new(&pack, &comp, comp.full_bytes()).unwrap();
    let kept: Vec<_> = full.kept().collect();
    assert_eq!(
        kept.len(),
        comp.refs().len(),
        "the full card holds everything"
    );
    for (r, l) in kept {
        assert_eq!(
            l,
            *r.levels(&pack).last().unwrap(),
            "{r:?} at its deepest level"
        );
    }
    assert_eq!(
        full.report().lost.summary,
        "nothing: this card holds the whole topic"
    );
}
