//! Re-import keeps a person's edits: the rule of docs/import.md, on real files.

use memseed_core::pack::Tier;
use memseed_import::{Options, Sidecar, import_text, merge};

const V1: &str = "# Python\n\n## GIL\n\nThe GIL is a lock that lets one thread run bytecode at a time.\n\n## Dict\n\nA dict is a hash table that keeps insertion order.\n\n## Walrus\n\nThe walrus operator assigns a name inside an expression.\n\n## Slots\n\nSlots replace the per-instance dict with a fixed array.\n";

fn opts() -> Options {
    Options {
        id: Some("py".into()),
        title: None,
    }
}

#[test]
fn an_edited_anchor_and_tier_survive_re_import_and_the_rest_follows_the_notes() {
    let first = import_text("py.md", V1, &opts()).unwrap();
    let sidecar = Sidecar::of(&first.pack);
    // The person edits the pack: a new anchor for the GIL, a tier for Walrus, a concept of
    // their own.
    let edited = first
        .toml
        .replace(
            "anchor = \"The GIL is a lock that lets one thread run bytecode at a time.\"",
            "anchor = \"GIL = one talking stick passed between threads\"",
        )
        .replace(
            "id = \"walrus\"\ntitle = \"Walrus\"\ncategory = \"python\"\ntier = \"medium\"",
            "id = \"walrus\"\ntitle = \"Walrus\"\ncategory = \"python\"\ntier = \"high\"",
        )
        + "\n[[concepts]]\nid = \"mine\"\ntitle = \"My own\"\ncategory = \"python\"\ntier = \"low\"\n";
    assert_ne!(edited, first.toml, "the edits applied");
    let (existing, _) = memseed_core::load_str("py.toml", &edited).unwrap();
    assert_eq!(existing.concept("walrus").unwrap().tier, Tier::High);

    // The notes change: the GIL's and the dict's text, a new concept, Slots gone.
    let v2 = V1
        .replace(
            "lets one thread run bytecode at a time.",
            "lets only one thread run Python bytecode at once.",
        )
        .replace(
            "keeps insertion order.",
            "keeps keys in insertion order since 3.7.",
        )
        .replace(
            "## Slots\n\nSlots replace the per-instance dict with a fixed array.\n",
            "## Match\n\nThe match statement picks a branch by the shape of a value.\n",
        );
    let second = import_text("py.md", &v2, &opts()).unwrap();
    let m = merge(&existing, Some(&sidecar), &second).unwrap();
    let p = &m.pack;

    let gil = p.concept("gil").unwrap();
    assert_eq!(
        gil.anchor.as_deref(),
        Some("GIL = one talking stick passed between threads"),
        "the person's anchor is kept"
    );
    let dict = p.concept("dict").unwrap();
    assert_eq!(
        dict.anchor.as_deref(),
        Some("A dict is a hash table that keeps keys in insertion order since 3.7."),
        "unedited text follows the notes"
    );
    assert_eq!(
        p.concept("walrus").unwrap().tier,
        Tier::High,
        "the person's tier is kept"
    );
    assert!(
        p.concept("match").is_some(),
        "a new note's concept is added"
    );
    assert!(
        p.concept("slots").is_none(),
        "a concept whose note is gone is retired"
    );
    assert!(
        p.concept("mine").is_some(),
        "the person's own concept stays"
    );
    assert!(
        m.report.iter().any(|r| r.contains("retired concept/slots")),
        "{:?}",
        m.report
    );
    assert!(
        m.report
            .iter()
            .any(|r| r.contains("kept your edits to concept/gil: anchor")),
        "{:?}",
        m.report
    );
    // Ids are stable, so study history keyed by topic/item/kind stays attached.
    for id in ["gil", "dict", "walrus"] {
        assert_eq!(
            first.pack.concept(id).map(|c| &c.id),
            p.concept(id).map(|c| &c.id)
        );
    }
    memseed_core::load_str("py.toml", &m.toml).unwrap();

    // A third import of the same notes changes nothing the person did, and the anchor
    // stays theirs (its hash still differs from what the importer wrote).
    let (again, _) = memseed_core::load_str("py.toml", &m.toml).unwrap();
    let third = import_text("py.md", &v2, &opts()).unwrap();
    let m3 = merge(&again, Some(&m.sidecar), &third).unwrap();
    assert_eq!(m3.pack.concept("gil").unwrap().anchor, gil.anchor);
    assert_eq!(m3.updated, 0, "{:?}", m3.report);
}

#[test]
fn without_a_sidecar_every_existing_field_counts_as_the_persons() {
    let first = import_text("py.md", V1, &opts()).unwrap();
    let (existing, _) = memseed_core::load_str("py.toml", &first.toml).unwrap();
    let v2 = V1.replace("keeps insertion order.", "keeps keys in order.");
    let second = import_text("py.md", &v2, &opts()).unwrap();
    let m = merge(&existing, None, &second).unwrap();
    assert_eq!(
        m.pack.concept("dict").unwrap().anchor.as_deref(),
        Some("A dict is a hash table that keeps insertion order.")
    );
    assert_eq!(m.retired, 0);
}

#[test]
fn a_retired_concept_the_person_edited_stays() {
    let first = import_text("py.md", V1, &opts()).unwrap();
    let sidecar = Sidecar::of(&first.pack);
    let edited = first.toml.replace(
        "Slots replace the per-instance dict with a fixed array.",
        "Slots: my own words.",
    );
    let (existing, _) = memseed_core::load_str("py.toml", &edited).unwrap();
    let v2 = V1.replace(
        "## Slots\n\nSlots replace the per-instance dict with a fixed array.\n",
        "",
    );
    let second = import_text("py.md", &v2, &opts()).unwrap();
    let m = merge(&existing, Some(&sidecar), &second).unwrap();
    assert!(m.pack.concept("slots").is_some());
    assert!(
        m.report
            .iter()
            .any(|r| r.contains("concept/slots: its note is gone, but you edited it")),
        "{:?}",
        m.report
    );
}
