//! The pack writer: whatever pack it is given, loading its text gives the same pack back.

use memseed_core::load_str;
use memseed_core::pack::{
    Category, Concept, Difficulty, Item, MapSection, Pack, Practice, Question, Snippet, Tier,
    Topic, Trap, text, to_toml, to_toml_with,
};
use proptest::prelude::*;

/// Raw text with everything TOML escaping must survive: quotes, backslashes, triple quotes,
/// blank lines, tabs, control characters and non-ASCII.
fn raw() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a".to_string()),
            Just("word ".to_string()),
            Just("\"".to_string()),
            Just("'".to_string()),
            Just("'''".to_string()),
            Just("\"\"\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("\t".to_string()),
            Just("\r".to_string()),
            Just("\u{0}".to_string()),
            Just("\u{7f}".to_string()),
            Just("é…✓".to_string()),
            Just("#".to_string()),
            Just("  ".to_string()),
            "[ -~]{1,6}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn nonempty(s: String) -> String {
    if s.is_empty() { "x".to_string() } else { s }
}

fn line() -> impl Strategy<Value = String> {
    raw().prop_map(|r| nonempty(text::line(&r)))
}
fn prose() -> impl Strategy<Value = String> {
    raw().prop_map(|r| nonempty(text::prose(&r)))
}
fn one_para() -> impl Strategy<Value = String> {
    raw().prop_map(|r| nonempty(text::line(&r)))
}
fn code() -> impl Strategy<Value = String> {
    raw().prop_map(|r| nonempty(text::code(&r)))
}
fn opt<T: std::fmt::Debug + Clone>(
    s: impl Strategy<Value = T>,
) -> impl Strategy<Value = Option<T>> {
    proptest::option::of(s)
}
fn tier() -> impl Strategy<Value = Tier> {
    prop_oneof![
        Just(Tier::Critical),
        Just(Tier::High),
        Just(Tier::Medium),
        Just(Tier::Low)
    ]
}
fn level() -> impl Strategy<Value = Difficulty> {
    prop_oneof![
        Just(Difficulty::Beginner),
        Just(Difficulty::Intermediate),
        Just(Difficulty::Expert)
    ]
}
fn snippet(code_required: bool) -> impl Strategy<Value = Snippet> {
    (
        opt(code()),
        opt(code()),
        opt(line()),
        opt(line()),
        opt("[a-z+#.-]{1,8}"),
        any::<bool>(),
    )
        .prop_map(
            move |(code, output, raises, min_version, lang, illustrative)| {
                let code = if code_required {
                    Some(code.unwrap_or_else(|| "print(1)".into()))
                } else {
                    code
                };
                let has_code = code.is_some();
                Snippet {
                    code,
                    output,
                    raises,
                    min_version,
                    lang: lang.filter(|_| has_code),
                    illustrative: illustrative && has_code,
                }
            },
        )
}

fn pack() -> impl Strategy<Value = Pack> {
    let topic = (
        line(),
        opt(line()),
        opt("[a-z]{1,8}"),
        prose(),
        opt(prose()),
        proptest::collection::vec(line(), 0..3),
        proptest::collection::vec(line(), 0..3),
    )
        .prop_map(|(title, tagline, language, what, why, when, fails)| Topic {
            id: "topic-1".into(),
            title,
            tagline,
            language,
            what_it_is: what,
            why_it_exists: why,
            when_to_use: when,
            where_it_fails: fails,
        });
    let category = (line(), opt(prose()), 0..4usize).prop_map(|(title, summary, m)| Category {
        id: String::new(),
        title,
        map: MapSection::ALL[m],
        summary,
    });
    let concept = (
        (line(), tier(), opt(one_para()), opt(line())),
        (opt(prose()), opt(prose()), opt(prose()), snippet(false)),
        (
            opt(prose()),
            opt(prose()),
            proptest::collection::vec(line(), 0..3),
        ),
        (0..8usize, proptest::collection::vec(0..8usize, 0..3)),
    )
        .prop_map(
            |(
                (title, tier, anchor, image),
                (basic, expected, deep, snippet),
                (interview, trap, tags),
                (cat, derives),
            )| {
                // Critical and high concepts need an anchor; an image needs an anchor.
                let anchor = if tier <= Tier::High {
                    Some(anchor.unwrap_or_else(|| "an anchor".into()))
                } else {
                    anchor
                };
                let image = image.filter(|_| anchor.is_some());
                (Concept {
                    id: String::new(),
                    title,
                    category: cat,
                    tier,
                    anchor,
                    image,
                    basic,
                    expected,
                    deep,
                    snippet,
                    interview,
                    trap,
                    derives,
                    tags,
                },)
            },
        );
    let trap = (
        line(),
        one_para(),
        prose(),
        opt(0..8usize),
        opt(tier()),
        snippet(false),
    );
    let question = (
        level(),
        prose(),
        prose(),
        opt(prose()),
        proptest::collection::vec(0..8usize, 0..3),
        opt(tier()),
    );
    let practice = (
        prose(),
        snippet(true),
        prose(),
        opt(level()),
        proptest::collection::vec(0..8usize, 0..3),
        opt(tier()),
    );
    (
        topic,
        proptest::collection::vec(category, 1..3),
        proptest::collection::vec(concept, 1..6),
        proptest::collection::vec(trap, 0..3),
        proptest::collection::vec(question, 0..3),
        proptest::collection::vec(practice, 0..3),
    )
        .prop_map(
            |(topic, mut categories, concepts, traps, questions, practice)| {
                for (i, c) in categories.iter_mut().enumerate() {
                    c.id = format!("cat-{i}");
                }
                let n = concepts.len();
                let concepts: Vec<Concept> = concepts
                    .into_iter()
                    .enumerate()
                    .map(|(i, (mut c,))| {
                        c.id = format!("c{i}");
                        c.category %= categories.len();
                        let mut derives: Vec<usize> = c
                            .derives
                            .iter()
                            .map(|d| d % n)
                            .filter(|&d| d != i)
                            .collect();
                        derives.dedup();
                        derives.sort_unstable();
                        derives.dedup();
                        c.derives = derives;
                        c
                    })
                    .collect();
                let refs = |v: Vec<usize>| {
                    let mut v: Vec<usize> = v.into_iter().map(|c| c % n).collect();
                    v.sort_unstable();
                    v.dedup();
                    v
                };
                let top = |v: &[usize], own: Option<Tier>| {
                    own.unwrap_or_else(|| {
                        v.iter()
                            .map(|&c| concepts[c].tier)
                            .min()
                            .unwrap_or(Tier::Medium)
                    })
                };
                let traps = traps
                    .into_iter()
                    .enumerate()
                    .map(|(i, (title, what, fix, concept, t, snippet))| {
                        let concept = concept.map(|c| c % n);
                        Trap {
                            id: format!("t{i}"),
                            title,
                            what,
                            fix,
                            concept,
                            tier: t
                                .or(concept.map(|c| concepts[c].tier))
                                .unwrap_or(Tier::Medium),
                            snippet,
                        }
                    })
                    .collect();
                let questions = questions
                    .into_iter()
                    .enumerate()
                    .map(|(i, (level, question, short, detailed, cs, t))| {
                        let cs = refs(cs);
                        Question {
                            id: format!("q{i}"),
                            level,
                            question,
                            short,
                            detailed,
                            tier: top(&cs, t),
                            concepts: cs,
                        }
                    })
                    .collect();
                let practice = practice
                    .into_iter()
                    .enumerate()
                    .map(|(i, (question, snippet, answer, level, cs, t))| {
                        let cs = refs(cs);
                        Practice {
                            id: format!("p{i}"),
                            question,
                            snippet,
                            answer,
                            level,
                            tier: top(&cs, t),
                            concepts: cs,
                        }
                    })
                    .collect();
                Pack {
                    source: "written.toml".into(),
                    topic,
                    categories,
                    concepts,
                    traps,
                    questions,
                    practice,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Write then load gives the same pack, with or without comments.
    #[test]
    fn write_then_load_is_the_identity(p in pack(), note in raw()) {
        for text in [to_toml(&p), to_toml_with(&p, |i| matches!(i, Item::Concept(_) | Item::Topic).then(|| note.clone()))] {
            let (back, _) = load_str("written.toml", &text)
                .unwrap_or_else(|e| panic!("the written pack loads:\n{e}\n---\n{text}"));
            prop_assert_eq!(&back, &p, "{}", text);
        }
    }
}

#[test]
fn every_bundled_pack_round_trips() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../topics");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        let (pack, _) = load_str(&name, &src).unwrap();
        let (back, _) = load_str(&name, &to_toml(&pack)).unwrap();
        assert_eq!(back, pack, "{name}");
    }
}
