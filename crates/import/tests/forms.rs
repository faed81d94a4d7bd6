//! Each recognised form of note, imported on its own, lands where docs/import.md says.

use memseed_core::pack::{Difficulty, MapSection, Pack, Tier};
use memseed_import::{Imported, Options, import_text};

fn md(text: &str) -> Imported {
    let i = import_text("note.md", text, &Options::default()).unwrap();
    // Whatever it is, the text loads as a pack (what `memseed check` runs).
    memseed_core::load_str("note.toml", &i.toml).unwrap();
    i
}

fn concept<'a>(p: &'a Pack, title: &str) -> &'a memseed_core::pack::Concept {
    p.concepts
        .iter()
        .find(|c| c.title == title)
        .unwrap_or_else(|| {
            panic!(
                "no concept {title}: {:?}",
                p.concepts.iter().map(|c| &c.title).collect::<Vec<_>>()
            )
        })
}

#[test]
fn headings_are_categories_and_concepts_with_text_at_three_depths() {
    let i = md(
        "# Python\n\n## Memory\n\n### Reference counting\n\nEvery object counts the names that point at it. When the count drops to zero the memory is freed at once.\n\nCycles need the garbage collector.\n\nThe collector runs by generations.\n\n#### Deep dive\n\nThe count lives in `ob_refcnt`.\n\n### Garbage collector\n\nThe garbage collector finds cycles that reference counting cannot free.\n",
    );
    let p = &i.pack;
    assert_eq!(p.topic.title, "Python");
    assert_eq!(p.categories.len(), 1);
    assert_eq!(p.categories[0].title, "Memory");
    let rc = concept(p, "Reference counting");
    assert_eq!(
        rc.anchor.as_deref(),
        Some("Every object counts the names that point at it.")
    );
    assert_eq!(
        rc.expected.as_deref(),
        Some(
            "When the count drops to zero the memory is freed at once.\nCycles need the garbage collector."
        )
    );
    assert_eq!(
        rc.deep.as_deref(),
        Some("The collector runs by generations.\nThe count lives in `ob_refcnt`.")
    );
    assert_eq!(rc.id, "reference-counting");
    concept(p, "Garbage collector");
    assert!(
        p.concept("deep-dive").is_none(),
        "a Deep dive heading is a subsection"
    );
}

#[test]
fn definition_bullets_become_concepts() {
    let i = md(
        "## Definitions\n\n- **Interpreter** — Runs source code one statement at a time, interactively.\n- **Runtime**: The environment where the code executes, with memory and state.\n- Virtual environment - An isolated folder of packages for one project.\n",
    );
    let p = &i.pack;
    assert_eq!(
        concept(p, "Interpreter").anchor.as_deref(),
        Some("Runs source code one statement at a time, interactively.")
    );
    concept(p, "Runtime");
    concept(p, "Virtual environment");
    assert_eq!(p.categories[0].title, "Definitions");
}

#[test]
fn question_forms_become_questions() {
    let i = md(
        "# Python\n\n## GIL\n\nThe GIL is a lock that lets one thread run bytecode at a time.\n\nQ: What does the GIL serialise?\nA: The execution of bytecode.\n\nWhat releases the GIL::Blocking I/O and long C calls\n\nGIL:::Global Interpreter Lock\n\nWhy are threads still useful?\n?\nThey overlap I/O waits.\n\n## Why is the GIL there?\n\nIt keeps reference counts safe without a lock per object.\n",
    );
    let qs: Vec<(&str, &str)> = i
        .pack
        .questions
        .iter()
        .map(|q| (q.question.as_str(), q.short.as_str()))
        .collect();
    for want in [
        ("What does the GIL serialise?", "The execution of bytecode."),
        ("What releases the GIL", "Blocking I/O and long C calls"),
        ("GIL", "Global Interpreter Lock"),
        ("Global Interpreter Lock", "GIL"),
        ("Why are threads still useful?", "They overlap I/O waits."),
        (
            "Why is the GIL there?",
            "It keeps reference counts safe without a lock per object.",
        ),
    ] {
        assert!(qs.contains(&want), "{want:?} in {qs:?}");
    }
    let gil = i
        .pack
        .concepts
        .iter()
        .position(|c| c.title == "GIL")
        .unwrap();
    assert!(
        i.pack
            .questions
            .iter()
            .filter(|q| q.concepts == vec![gil])
            .count()
            >= 5
    );
}

#[test]
fn clozes_become_questions_and_their_text_stays() {
    let i = md(
        "## Dict\n\nSince 3.7 a dict keeps {{c1::insertion order}} by language rule.\n\nLookups are ==O(1)== on average.\n",
    );
    let p = &i.pack;
    let qs: Vec<(&str, &str)> = p
        .questions
        .iter()
        .map(|q| (q.question.as_str(), q.short.as_str()))
        .collect();
    assert!(
        qs.contains(&(
            "Since 3.7 a dict keeps […] by language rule.",
            "insertion order"
        )),
        "{qs:?}"
    );
    assert!(
        qs.contains(&("Lookups are […] on average.", "O(1)")),
        "{qs:?}"
    );
    let d = concept(p, "Dict");
    assert_eq!(
        d.anchor.as_deref(),
        Some("Since 3.7 a dict keeps insertion order by language rule.")
    );
}

#[test]
fn tables_of_mistakes_become_traps() {
    let i = md(
        "## Defaults\n\nDefault values are evaluated once, when the def runs.\n\n| Mistake | What happens | Fix |\n|---|---|---|\n| `def f(x=[])` | the list is shared by every call | default to None |\n\n| Wrong | Right |\n|---|---|\n| `x == None` | `x is None` |\n\n| Version | Feature |\n|---|---|\n| 3.8 | walrus |\n",
    );
    let p = &i.pack;
    assert_eq!(p.traps.len(), 2, "{:?}", p.traps);
    assert_eq!(
        p.traps[0].what,
        "`def f(x=[])`: the list is shared by every call"
    );
    assert_eq!(p.traps[0].fix, "default to None");
    assert_eq!(p.traps[1].title, "`x == None`");
    assert_eq!(p.traps[1].fix, "`x is None`");
    let c = concept(p, "Defaults");
    assert_eq!(
        p.traps[0].concept,
        Some(p.concepts.iter().position(|x| x.id == c.id).unwrap())
    );
    assert!(
        c.deep.as_deref().unwrap_or("").contains("3.8 · walrus"),
        "other tables are kept as text"
    );
}

#[test]
fn fenced_code_keeps_its_language_and_a_code_question_is_practice() {
    let i = md(
        "## Walrus\n\nThe walrus operator assigns inside an expression.\n\n```python\nif (n := 3) > 2:\n    print(n)\n```\n\n## What does this print?\n\n```python\nprint([] is [])\n```\n\nFalse: two new lists are two objects.\n",
    );
    let p = &i.pack;
    let w = concept(p, "Walrus");
    assert_eq!(
        w.snippet.code.as_deref(),
        Some("if (n := 3) > 2:\n    print(n)")
    );
    assert_eq!(
        p.topic.language.as_deref(),
        Some("python"),
        "the notes' main language is the topic's"
    );
    assert_eq!(p.practice.len(), 1);
    assert_eq!(
        p.practice[0].snippet.code.as_deref(),
        Some("print([] is [])")
    );
    assert_eq!(
        p.practice[0].answer,
        "False: two new lists are two objects."
    );
}

#[test]
fn front_matter_wikilinks_and_tags() {
    let i = md(
        "---\ntitle: Concurrency notes\ntags: [python, concurrency]\n---\n## GIL #critical\n\nThe GIL is a lock that lets one thread run bytecode at a time. #threads\n\n## asyncio\n\nAn event loop runs coroutines on one thread; see [[GIL]].\n\n## Threads\n\nThreads share memory and take turns on the [[GIL]].\n",
    );
    let p = &i.pack;
    assert_eq!(p.topic.title, "Concurrency notes");
    let gil = concept(p, "GIL");
    assert_eq!(gil.tier, Tier::Critical, "#critical sets the tier");
    assert!(
        gil.tags.contains(&"threads".to_string()) && gil.tags.contains(&"python".to_string()),
        "{:?}",
        gil.tags
    );
    assert_eq!(
        gil.anchor.as_deref(),
        Some("The GIL is a lock that lets one thread run bytecode at a time.")
    );
    let reason = &i.reasons[p.concepts.iter().position(|c| c.id == gil.id).unwrap()];
    assert!(reason.contains("tagged #critical"), "{reason}");
    let threads = &i.reasons[p
        .concepts
        .iter()
        .position(|c| c.title == "Threads")
        .unwrap()];
    assert!(threads.contains("named by"), "{threads}");
    assert!(
        i.toml.contains("# tier critical: tagged #critical"),
        "the reason is a comment in the pack"
    );
    assert!(concept(p, "asyncio").expected.is_none());
    assert_eq!(
        concept(p, "asyncio").anchor.as_deref(),
        Some("An event loop runs coroutines on one thread; see GIL.")
    );
}

#[test]
fn links_and_stars_raise_importance() {
    let mut md_text = String::from("# Topic\n\n");
    for k in 0..10 {
        md_text.push_str(&format!(
            "## Item {k}\n\nItem {k} is a plain thing with a few words of text here.\n\n"
        ));
    }
    md_text.push_str("## Hub ⭐\n\nHub is the thing every other item leans on in practice.\n\n");
    for k in 0..6 {
        md_text.push_str(&format!(
            "## Leaf {k}\n\nLeaf {k} builds on [[Hub]] and nothing more than that.\n\n"
        ));
    }
    let i = md(&md_text);
    let hub = concept(&i.pack, "Hub");
    assert_eq!(hub.tier, Tier::Critical);
    let counts = i.pack.concepts_by_tier();
    assert!(
        counts[0] <= 2 && counts[1] >= 2,
        "few critical, more high: {counts:?}"
    );
}

#[test]
fn a_critical_concept_with_too_little_text_is_demoted_with_a_warning() {
    let i = md(
        "## GIL #critical\n\nLock.\n\n## Other\n\nOther is a concept that has plenty of words to anchor.\n",
    );
    let gil = concept(&i.pack, "GIL");
    assert_eq!(gil.tier, Tier::Medium);
    assert!(gil.anchor.is_none());
    let w = i
        .warnings
        .iter()
        .find(|w| w.message.contains("demoted"))
        .expect("a warning");
    assert_eq!((w.file.as_str(), w.line), ("note.md", 1));
}

#[test]
fn question_levels_and_learning_map_sections() {
    let i = md(
        "## Code examples\n\n### Loop\n\nA loop repeats a block for each item in turn.\n\n## Interview questions (beginner)\n\nQ: What is a loop?\nA: A block run once per item.\n",
    );
    let p = &i.pack;
    assert_eq!(
        p.categories
            .iter()
            .find(|c| c.title == "Code examples")
            .unwrap()
            .map,
        MapSection::CodeExamples
    );
    assert_eq!(p.questions[0].level, Difficulty::Beginner);
}
