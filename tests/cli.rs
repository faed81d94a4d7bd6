//! Runs the real `memseed` binary on fixtures and checks its output and exit codes.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use proptest::prelude::*;
use serde_json::Value;

/// Runs memseed in the repository root with an empty, private data directory.
fn memseed(args: &[&str]) -> Output {
    let data = tempfile::tempdir().unwrap();
    memseed_in(data.path(), args)
}

fn memseed_in(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_memseed"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("MEMSEED_DATA_DIR", data_dir)
        .output()
        .expect("memseed runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "memseed failed: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("valid JSON")
}

#[test]
fn each_malformed_pack_gets_its_expected_message_naming_file_line_and_field() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad");
    let mut fixtures: Vec<_> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 10, "at least ten kinds of mistake");
    for path in fixtures {
        let rel = format!(
            "tests/fixtures/bad/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let out = memseed(&["check", &rel]);
        assert_eq!(out.status.code(), Some(1), "{rel} must fail the check");
        let err = stderr(&out);
        let expected = fs::read_to_string(path.with_extension("expected")).unwrap();
        assert_eq!(err, expected, "{rel}");
        for line in err.lines() {
            let rest = line
                .strip_prefix(&format!("error: {rel}:"))
                .unwrap_or_else(|| panic!("{rel}: error does not start with the file: {line}"));
            let mut parts = rest.splitn(3, ':');
            let line_no: usize = parts.next().unwrap().parse().expect("a line number");
            let col: usize = parts.next().unwrap().parse().expect("a column");
            assert!(line_no >= 1 && col >= 1, "{line}");
            if !rel.contains("syntax-error") {
                assert!(line.contains("field `"), "{rel}: names the field: {line}");
            }
        }
        assert!(stdout(&out).starts_with(&format!("FAIL  {rel}")), "{rel}");
    }
}

#[test]
fn check_accepts_good_packs_and_directories() {
    let out = memseed(&["check", "tests/fixtures/good/tiny.toml", "topics"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("ok    tests/fixtures/good/tiny.toml"),
        "{text}"
    );
    assert!(text.contains("ok    topics/python.toml"), "{text}");
    assert!(text.contains("ok    topics/git.toml"), "{text}");
    // One bad file among good ones still fails the run.
    let out = memseed(&["check", "topics", "tests/fixtures/bad/unknown-tier.toml"]);
    assert_eq!(out.status.code(), Some(1));
    let empty = tempfile::tempdir().unwrap();
    let out = memseed(&["check", empty.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("holds no .toml files"));
}

#[test]
fn compressed_text_is_the_reported_size_and_within_budget() {
    for budget in ["256", "1KB", "2257", "2.2KB", "6 KiB", "16k", "64KB", "1MB"] {
        for topic in ["python", "git"] {
            let text = memseed(&["compress", topic, "--budget", budget]);
            assert!(text.status.success(), "{}", stderr(&text));
            let report = json(&memseed(&[
                "compress", topic, "--budget", budget, "--format", "json",
            ]));
            let bytes = report["bytes"].as_u64().unwrap();
            assert_eq!(text.stdout.len() as u64, bytes, "{topic} at {budget}");
            assert!(
                bytes <= report["budget"].as_u64().unwrap(),
                "{topic} at {budget}"
            );
            assert_eq!(
                report["text"].as_str().unwrap().as_bytes(),
                &text.stdout[..]
            );
            let sections: u64 = report["sections"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["bytes"].as_u64().unwrap())
                .sum();
            assert_eq!(sections, bytes, "sections add up to the card");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn text_size_equals_json_bytes_for_any_budget(budget in 4u64..60_000) {
        let b = budget.to_string();
        let text = memseed(&["compress", "git", "--budget", &b]);
        let report = json(&memseed(&["compress", "git", "--budget", &b, "--format", "json"]));
        prop_assert_eq!(text.stdout.len() as u64, report["bytes"].as_u64().unwrap());
        prop_assert!(report["bytes"].as_u64().unwrap() <= budget);
    }
}

#[test]
fn model_format_matches_the_card() {
    let report = json(&memseed(&[
        "compress", "python", "--budget", "2257", "--format", "json",
    ]));
    let model = json(&memseed(&[
        "compress", "python", "--budget", "2257", "--format", "model",
    ]));
    assert_eq!(model["budget"], 2257);
    assert_eq!(model["bytes"], report["bytes"]);
    let (v1, v2) = (
        model["value"].as_f64().unwrap(),
        report["value"].as_f64().unwrap(),
    );
    assert!((v1 - v2).abs() < 1e-9, "{v1} vs {v2}");
    // Re-add the chosen levels the way optimum.py does.
    let items = model["items"].as_array().unwrap();
    let chosen = model["chosen"].as_object().unwrap();
    let mut bytes = model["fixed_bytes"].as_u64().unwrap();
    let mut groups = std::collections::BTreeSet::new();
    for it in items {
        if let Some(l) = chosen.get(it["id"].as_str().unwrap()) {
            let l = l.as_u64().unwrap() as usize;
            bytes += it["levels"][l - 1]["bytes"].as_u64().unwrap();
            groups.insert(it["group"].as_str().unwrap().to_string());
        }
    }
    for g in model["groups"].as_array().unwrap() {
        if groups.contains(g["id"].as_str().unwrap()) {
            bytes += g["bytes"].as_u64().unwrap();
        }
    }
    assert_eq!(bytes, report["bytes"].as_u64().unwrap());
    assert_eq!(chosen.len(), report["kept"].as_array().unwrap().len());
}

#[test]
fn markdown_holds_the_same_selection() {
    let md = stdout(&memseed(&[
        "compress", "python", "--budget", "2257", "--format", "md",
    ]));
    let report = json(&memseed(&[
        "compress", "python", "--budget", "2257", "--format", "json",
    ]));
    assert!(md.starts_with("# Python\n"));
    for item in report["kept"].as_array().unwrap() {
        if item["kind"] == "concept" {
            assert!(
                md.contains(&format!("**{}**", item["title"].as_str().unwrap())),
                "{item}"
            );
        }
    }
    assert!(md.contains("## Top traps"));
}

#[test]
fn bad_budgets_say_what_is_accepted() {
    for bad in ["abc", "0", "-5", "2.2.2KB", "12 XB", "2GB", ""] {
        let out = memseed(&["compress", "python", "--budget", bad]);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let err = stderr(&out);
        assert!(err.contains("invalid budget"), "{bad}: {err}");
        assert!(
            err.contains("2.2KB") && err.contains("KiB") && err.contains("1 GiB"),
            "{bad}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
    let out = memseed(&["compress", "python", "--budget", "3"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("smallest card of this topic is 7 bytes"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn unknown_topics_suggest_the_nearest() {
    let out = memseed(&["compress", "pyhton", "--budget", "2KB"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("unknown topic \"pyhton\". Did you mean \"python\"?"),
        "{err}"
    );
    assert!(err.contains("git") && err.contains("python"), "{err}");
}

#[test]
fn packs_load_from_a_file_a_path_and_the_data_directory() {
    let out = memseed(&[
        "--pack",
        "tests/fixtures/good/tiny.toml",
        "compress",
        "tiny",
        "--budget",
        "1KB",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("Tiny\n"));
    let out = memseed(&[
        "compress",
        "tests/fixtures/good/tiny.toml",
        "--budget",
        "1KB",
    ]);
    assert!(stdout(&out).starts_with("Tiny\n"), "{}", stderr(&out));
    let out = memseed(&["--pack", "tests/fixtures/bad/unknown-tier.toml", "topics"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown tier \"hihg\""));

    let data = tempfile::tempdir().unwrap();
    fs::create_dir(data.path().join("topics")).unwrap();
    fs::copy(
        "tests/fixtures/good/tiny.toml",
        data.path().join("topics/tiny.toml"),
    )
    .unwrap();
    fs::copy(
        "tests/fixtures/bad/unknown-level.toml",
        data.path().join("topics/broken.toml"),
    )
    .unwrap();
    let out = memseed_in(data.path(), &["topics", "--format", "json"]);
    let list = json(&out);
    let tiny = list["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "tiny")
        .expect("user pack listed");
    assert_eq!(tiny["origin"], "user");
    assert_eq!(tiny["counts"]["concepts"], 3);
    assert_eq!(tiny["counts"]["concepts_by_tier"]["critical"], 1);
    assert!(
        stderr(&out).contains("skipped") && stderr(&out).contains("broken.toml"),
        "{}",
        stderr(&out)
    );
    let out = memseed_in(data.path(), &["compress", "broken", "--budget", "1KB"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("unknown level \"advanced\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn topics_lists_bundled_packs_with_counts() {
    let out = memseed(&["topics"]);
    let text = stdout(&out);
    let catalog = memseed_catalog::Catalog::bundled();
    let python = &catalog.get("python").expect("python is bundled").pack;
    let [critical, high, ..] = python.concepts_by_tier();
    let counts = format!(
        "{} concepts ({critical} critical, {high} high",
        python.concepts.len()
    );
    assert!(
        text.contains("python") && text.contains(&counts),
        "{counts} in {text}"
    );
    assert!(text.contains("git"), "{text}");
    let list = json(&memseed(&["topics", "--format", "json"]));
    let py = list["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "python")
        .unwrap();
    assert_eq!(py["origin"], "bundled");
    assert!(py["full_bytes"].as_u64().unwrap() > 100_000);
}

#[test]
fn output_goes_to_a_file_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("card.txt");
    let out = memseed(&[
        "compress",
        "git",
        "--budget",
        "2KB",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    let card = fs::read_to_string(&path).unwrap();
    assert!(card.starts_with("Git\n") && card.len() <= 2048);
}

#[test]
fn help_shows_examples() {
    let out = memseed(&["compress", "--help"]);
    let text = stdout(&out);
    assert!(
        text.contains("Examples:") && text.contains("--budget 2KB"),
        "{text}"
    );
}
