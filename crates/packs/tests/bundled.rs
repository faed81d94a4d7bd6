//! The bundled topic packs: each loads without a warning, holds what its issue promised,
//! runs every example it states an output for, and is written in its own words and images.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use memseed_core::pack::{Difficulty, Pack, Tier};
use memseed_packs::{bundled, load, run_all, topics_dir};

/// Runs every snippet of one bundled pack and fails on any failure.
fn snippets_pass(file: &str) {
    let path = topics_dir().join(file);
    let pack = load(&path);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    let report = run_all(&pack, threads);
    for s in &report.skipped {
        eprintln!("skipped: {s}");
    }
    eprintln!(
        "{file}: {} passed, {} skipped, {} failed",
        report.passed.len(),
        report.skipped.len(),
        report.failed.len()
    );
    assert!(
        report.failed.is_empty(),
        "{} of {file}'s snippets failed:\n{}",
        report.failed.len(),
        report.failed.join("\n\n")
    );
}

/// The counts an issue set for a topic.
struct Promise {
    concepts: usize,
    critical: usize,
    high: usize,
    traps: usize,
    questions: usize,
    per_level: usize,
    practice: usize,
}

const NEW_TOPIC: Promise = Promise {
    concepts: 35,
    critical: 8,
    high: 10,
    traps: 15,
    questions: 30,
    per_level: 8,
    practice: 10,
};

fn holds_promise(pack: &Pack, p: &Promise) {
    let id = &pack.topic.id;
    let tiers = pack.concepts_by_tier();
    let levels = pack.questions_by_level();
    assert!(
        pack.concepts.len() >= p.concepts,
        "{id}: {} concepts",
        pack.concepts.len()
    );
    assert!(tiers[0] >= p.critical, "{id}: {} critical", tiers[0]);
    assert!(tiers[1] >= p.high, "{id}: {} high", tiers[1]);
    assert!(
        tiers.iter().all(|&n| n > 0),
        "{id}: every tier used: {tiers:?}"
    );
    assert!(
        pack.traps.len() >= p.traps,
        "{id}: {} traps",
        pack.traps.len()
    );
    assert!(
        pack.questions.len() >= p.questions,
        "{id}: {} questions",
        pack.questions.len()
    );
    for (d, n) in Difficulty::ALL.iter().zip(levels) {
        assert!(n >= p.per_level, "{id}: {n} {} questions", d.as_str());
    }
    assert!(
        pack.practice.len() >= p.practice,
        "{id}: {} practice",
        pack.practice.len()
    );
    assert!(!pack.topic.when_to_use.is_empty(), "{id}: when_to_use");
    assert!(
        !pack.topic.where_it_fails.is_empty(),
        "{id}: where_it_fails"
    );
    assert!(
        pack.concepts.iter().any(|c| !c.derives.is_empty()),
        "{id}: derives relations"
    );
}

macro_rules! topic_tests {
    ($($name:ident: $file:literal, $promise:expr;)*) => {
        mod snippets {
            $(
                #[test]
                fn $name() {
                    super::snippets_pass($file);
                }
            )*
        }
        mod counts {
            $(
                #[test]
                fn $name() {
                    let pack = memseed_packs::load(&memseed_packs::topics_dir().join($file));
                    { use super::*; holds_promise(&pack, &$promise); }
                }
            )*
        }
    };
}

topic_tests! {
    python: "python.toml", Promise { concepts: 110, critical: 9, high: 11, traps: 15, questions: 45, per_level: 12, practice: 15 };
    git: "git.toml", Promise { concepts: 40, critical: 3, high: 4, traps: 15, questions: 30, per_level: 6, practice: 12 };
    javascript: "javascript.toml", NEW_TOPIC;
    sql: "sql.toml", NEW_TOPIC;
    system_design: "system-design.toml", NEW_TOPIC;
    algorithms: "algorithms.toml", NEW_TOPIC;
    docker_kubernetes: "docker-kubernetes.toml", NEW_TOPIC;
    rust: "rust.toml", NEW_TOPIC;
}

/// An image name reduced to its words: case, articles and plural `s` do not make it new.
fn image_key(image: &str) -> String {
    image
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "a" | "an" | "the" | "one" | "of"))
        .map(|w| {
            if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_critical_and_high_anchor_names_its_image_and_no_two_anchors_share_one() {
    let packs = bundled();
    assert!(!packs.is_empty());
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut problems = Vec::new();
    for pack in &packs {
        for c in &pack.concepts {
            let place = format!("{}: concept {}", pack.topic.id, c.id);
            match (&c.image, c.tier <= Tier::High) {
                (None, true) => problems.push(format!("{place}: no `image`")),
                (None, false) => {}
                (Some(image), _) => {
                    let key = image_key(image);
                    if let Some(first) = seen.insert(key.clone(), place.clone()) {
                        problems.push(format!("{place}: image {image:?} is also {first}'s"));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_image_check_can_fail() {
    assert_eq!(
        image_key("A steering wheel"),
        image_key("one Steering-Wheels")
    );
    assert_ne!(image_key("a steering wheel"), image_key("a bicycle bell"));
}

/// Every text field of a pack, with where it is.
fn texts(pack: &Pack) -> Vec<(String, &str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    let t = &pack.topic;
    out.push(("topic.what_it_is".into(), &t.what_it_is));
    out.extend(
        t.why_it_exists
            .iter()
            .map(|s| ("topic.why_it_exists".into(), s.as_str())),
    );
    for s in t.when_to_use.iter().chain(&t.where_it_fails) {
        out.push(("topic".into(), s));
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
            out.extend(v.map(|v| (format!("concept {}.{f}", c.id), v.as_str())));
        }
    }
    for x in &pack.traps {
        for (f, v) in [
            ("what", Some(&x.what)),
            ("fix", Some(&x.fix)),
            ("code", x.snippet.code.as_ref()),
        ] {
            out.extend(v.map(|v| (format!("trap {}.{f}", x.id), v.as_str())));
        }
    }
    for q in &pack.questions {
        for (f, v) in [
            ("question", Some(&q.question)),
            ("short", Some(&q.short)),
            ("detailed", q.detailed.as_ref()),
        ] {
            out.extend(v.map(|v| (format!("question {}.{f}", q.id), v.as_str())));
        }
    }
    for p in &pack.practice {
        for (f, v) in [
            ("question", Some(&p.question)),
            ("code", p.snippet.code.as_ref()),
            ("answer", Some(&p.answer)),
        ] {
            out.extend(v.map(|v| (format!("practice {}.{f}", p.id), v.as_str())));
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
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seeds")
}

/// Every run of eight words in the seed documents.
fn seed_grams() -> HashSet<Vec<String>> {
    let dir = seeds_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the seed documents are needed for this check, at {}: {e}",
            dir.display()
        )
    });
    let mut seen = HashSet::new();
    for e in entries {
        let bytes = std::fs::read(e.unwrap().path()).unwrap();
        for g in words(&String::from_utf8_lossy(&bytes)).windows(8) {
            seen.insert(g.to_vec());
        }
    }
    assert!(seen.len() > 10_000, "read the seeds ({} grams)", seen.len());
    seen
}

#[test]
fn no_bundled_text_repeats_eight_consecutive_words_of_the_seed_documents() {
    let seen = seed_grams();
    let mut hits = Vec::new();
    for pack in bundled() {
        for (place, text) in texts(&pack) {
            if let Some(g) = words(text).windows(8).find(|g| seen.contains(*g)) {
                hits.push(format!("{}: {place}: \"{}\"", pack.topic.id, g.join(" ")));
            }
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
    let seed = std::fs::read_to_string(seeds_dir().join("000_8bd296535188bc42.txt")).unwrap();
    let copied = seed.lines().find(|l| words(l).len() > 12).unwrap();
    let seen = seed_grams();
    assert!(words(copied).windows(8).any(|g| seen.contains(g)));
}
