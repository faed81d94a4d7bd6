//! memseed → .apkg / CSV → memseed, through the library: every bundled pack's cards come
//! back as the concepts, questions and traps they were; budgets export nested card sets;
//! any note text survives the package writer and reader byte for byte.

use std::collections::HashSet;

use memseed_anki::{AnkiCollection, Format, Limits, Options, export, read_bytes, to_pack};
use memseed_catalog::Catalog;
use memseed_core::Pack;
use proptest::prelude::*;

const NOW: i64 = 1_795_255_200;

fn python() -> Pack {
    Catalog::bundled().get("python").unwrap().pack.clone()
}

fn read(name: &str, bytes: &[u8]) -> AnkiCollection {
    read_bytes(name, bytes, &Limits::default()).unwrap()
}

#[test]
fn every_bundled_pack_comes_back_from_its_apkg() {
    let cat = Catalog::bundled();
    for entry in cat.entries() {
        let pack = &entry.pack;
        let cards = memseed_study::cards_for(pack);
        let out = export(pack, &cards, None, Format::Apkg, NOW).unwrap();
        assert_eq!(
            out.cards,
            cards.len(),
            "{}: one Anki card per memseed card",
            pack.topic.id
        );
        let col = read("x.apkg", &out.bytes);
        assert_eq!(col.notes.len(), out.notes);
        let back = to_pack(&col, "x.apkg", &Options::default()).unwrap();
        let p = &back.pack;
        assert_eq!(p.topic.id, pack.topic.id);
        assert_eq!(p.topic.title, pack.topic.title);
        assert_eq!(p.topic.what_it_is, pack.topic.what_it_is);
        // Concepts with an anchor (those that make cards), field for field.
        // (Items come back in note id order, not pack order: they are matched by id.)
        let anchored: Vec<_> = pack
            .concepts
            .iter()
            .filter(|c| c.anchor.is_some())
            .collect();
        assert_eq!(p.concepts.len(), anchored.len(), "{}", pack.topic.id);
        for a in &anchored {
            let b = p.concept(&a.id).unwrap();
            // Anki's tags hold no spaces: `event loop` comes back as `event_loop`.
            let tags: Vec<String> = a.tags.iter().map(|t| t.replace(' ', "_")).collect();
            assert_eq!(
                (
                    &a.id,
                    &a.title,
                    a.tier,
                    &a.anchor,
                    &a.basic,
                    &a.expected,
                    &a.snippet.code,
                    &tags
                ),
                (
                    &b.id,
                    &b.title,
                    b.tier,
                    &b.anchor,
                    &b.basic,
                    &b.expected,
                    &b.snippet.code,
                    &b.tags
                ),
                "{}",
                pack.topic.id
            );
            // The topic's `language` comes back as the one its code names.
            assert_eq!(
                a.snippet.code.as_ref().and(a.snippet.language(&pack.topic)),
                b.snippet.code.as_ref().and(b.snippet.language(&p.topic)),
                "{}/{}",
                pack.topic.id,
                a.id
            );
            assert_eq!(
                pack.categories[a.category].title, p.categories[b.category].title,
                "{}/{}",
                pack.topic.id, a.id
            );
        }
        assert_eq!(p.questions.len(), pack.questions.len());
        for a in &pack.questions {
            let b = p.questions.iter().find(|q| q.id == a.id).unwrap();
            assert_eq!(
                (&a.id, a.level, &a.question, &a.short, &a.detailed, a.tier),
                (&b.id, b.level, &b.question, &b.short, &b.detailed, b.tier)
            );
        }
        assert_eq!(p.traps.len(), pack.traps.len());
        for a in &pack.traps {
            let b = p.traps.iter().find(|t| t.id == a.id).unwrap();
            assert_eq!(
                (&a.id, &a.title, &a.what, &a.fix, &a.snippet.code, a.tier),
                (&b.id, &b.title, &b.what, &b.fix, &b.snippet.code, b.tier)
            );
        }
        // Every concept says where it came from and why it has its tier.
        assert_eq!(
            back.toml.matches("# from note ").count(),
            p.concepts.len() + p.questions.len() + p.traps.len()
        );
        assert!(
            back.toml
                .contains("# tier critical: as memseed exported it (tag memseed::tier::critical)")
        );
        assert!(back.warnings.is_empty(), "{:?}", back.warnings);
    }
}

#[test]
fn a_second_export_has_the_same_guids_and_ids() {
    let pack = python();
    let cards = memseed_study::cards_for(&pack);
    let a = read(
        "a.apkg",
        &export(&pack, &cards, None, Format::Apkg, NOW)
            .unwrap()
            .bytes,
    );
    let b = read(
        "b.apkg",
        &export(&pack, &cards, None, Format::Apkg, NOW + 86_400)
            .unwrap()
            .bytes,
    );
    let ids = |c: &AnkiCollection| {
        c.notes
            .iter()
            .map(|n| (n.id, n.guid.clone()))
            .chain(c.cards.iter().map(|c| (c.id, c.note.to_string())))
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    let guids: HashSet<&str> = a.notes.iter().map(|n| n.guid.as_str()).collect();
    assert_eq!(guids.len(), a.notes.len(), "GUIDs are unique");
}

#[test]
fn the_csv_comes_back_with_a_note_per_item() {
    let pack = python();
    let cards = memseed_study::cards_for(&pack);
    let out = export(&pack, &cards, None, Format::Csv, NOW).unwrap();
    let text = String::from_utf8(out.bytes).unwrap();
    assert!(text.starts_with("#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\n#guid column:3\n#tags column:6\n"));
    let col = read("python.csv", text.as_bytes());
    assert_eq!(col.notes.len(), out.notes);
    let back = to_pack(&col, "python.csv", &Options::default()).unwrap();
    // A CSV holds Front and Back only: every note comes back as a concept, its tier from
    // memseed's tag.
    assert_eq!(back.pack.concepts.len(), out.notes);
    let gil = back
        .pack
        .concepts
        .iter()
        .find(|c| c.title == "GIL (Global Interpreter Lock)")
        .unwrap();
    assert_eq!(gil.tier, memseed_core::pack::Tier::Critical);
    let code = pack.concept("gil").unwrap().snippet.code.clone();
    assert_eq!(gil.snippet.code, code, "code in <pre> survives the CSV");
}

#[test]
fn budgets_export_nested_card_sets_within_the_full_deck() {
    let pack = python();
    let all: HashSet<String> = memseed_study::cards_for(&pack)
        .iter()
        .map(|c| c.key())
        .collect();
    let mut before: HashSet<String> = HashSet::new();
    for budget in [300, 1024, 2257, 4096, 8192, 32_768, 1 << 20] {
        let keys: HashSet<String> = memseed_anki::export::surviving(&pack, budget)
            .unwrap()
            .iter()
            .map(|c| c.key())
            .collect();
        assert!(before.is_subset(&keys), "nested at {budget}");
        assert!(keys.is_subset(&all));
        before = keys;
    }
    assert_eq!(
        before, all,
        "a megabyte keeps every card of the Python pack"
    );
    let at_2257 = memseed_anki::export::surviving(&pack, 2257).unwrap();
    let concepts: HashSet<&str> = at_2257
        .iter()
        .filter(|c| c.kind == memseed_study::CardKind::ConceptAnchor)
        .map(|c| c.item.as_str())
        .collect();
    for c in pack
        .concepts
        .iter()
        .filter(|c| c.tier == memseed_core::pack::Tier::Critical)
    {
        assert!(
            concepts.contains(c.id.as_str()),
            "critical {} survives 2257 bytes",
            c.id
        );
    }
    assert!(
        memseed_anki::export::surviving(&pack, 3).is_err(),
        "below the title line"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever a note's fields hold, the package reader gives back exactly what the
    /// writer stored, and the card's schedule with it.
    #[test]
    fn fields_and_schedules_survive_the_package(
        fields in proptest::collection::vec("\\PC{0,40}", 8),
        tags in proptest::collection::vec("[a-z:]{1,12}", 0..4),
        due in 0i64..5000,
        lapses in 0u32..20,
        stability in 0.5f32..400.0,
    ) {
        let pack = python();
        let cards: Vec<_> = memseed_study::cards_for(&pack).into_iter().take(2).collect();
        let mut col = memseed_anki::export::collection(&pack, &cards, None, NOW);
        col.notes[0].fields = fields.clone();
        col.notes[0].tags = tags.clone();
        col.cards[0].due = due;
        col.cards[0].lapses = lapses;
        col.cards[0].memory = Some(memseed_anki::model::Memory { stability, difficulty: 5.0 });
        let bytes = memseed_anki::package::write(&col, NOW).unwrap();
        let back = read("p.apkg", &bytes);
        let note = back.notes.iter().find(|n| n.guid == col.notes[0].guid).unwrap();
        prop_assert_eq!(&note.fields, &fields);
        prop_assert_eq!(&note.tags, &tags);
        let card = back.cards.iter().find(|c| c.id == col.cards[0].id).unwrap();
        prop_assert_eq!(card.due, due);
        prop_assert_eq!(card.lapses, lapses);
        let m = card.memory.unwrap();
        prop_assert!((m.stability - stability).abs() < 1e-3);
    }
}
