//! Anchors taken from the notes, never made up: the one-liner a note gives (`Anchor:`,
//! `Mnemonic:`), else the defining clause of the concept's definition (its first sentence,
//! cut at a clause or word boundary to at most [`MAX_BYTES`]).

use memseed_core::pack::text;

use crate::outline::{DConcept, Draft};

/// The longest anchor extracted, in bytes.
pub const MAX_BYTES: usize = 170;
/// An anchor needs at least this many words to be worth a card line.
pub const MIN_WORDS: usize = 4;

/// The anchor of every concept of the draft, `None` where the notes hold too little text.
pub fn all(d: &Draft) -> Vec<Option<String>> {
    d.concepts.iter().map(anchor).collect()
}

/// The anchor of one concept.
pub fn anchor(c: &DConcept) -> Option<String> {
    let source = c
        .anchor
        .as_deref()
        .or(c.definition.as_deref())
        .or(c.paras.first().map(String::as_str))
        .or(c.why.first().map(String::as_str))?;
    let para = text::prose(source);
    let first = text::first_sentence(&para);
    let clause = if c.anchor.is_some() {
        // The note's own one-liner: all of its first paragraph that fits.
        let own = para.split('\n').next().unwrap_or("");
        defining_clause(own)
    } else {
        defining_clause(first)
    };
    (clause.split_whitespace().count() >= MIN_WORDS).then_some(clause)
}

/// At most [`MAX_BYTES`] of a sentence: whole when it fits, else cut at the last clause
/// boundary (`;`, `—`, `:`, `,`) past the first 60 bytes, else at a word boundary with "…".
pub fn defining_clause(sentence: &str) -> String {
    let s = sentence.trim();
    if s.len() <= MAX_BYTES {
        return s.to_string();
    }
    for sep in ["; ", " — ", " – ", ": ", ", "] {
        let cut = s
            .match_indices(sep)
            .map(|(i, _)| i)
            .filter(|&i| (60..MAX_BYTES).contains(&i))
            .last();
        if let Some(i) = cut {
            return s[..i].trim_end_matches([',', ';', ':', ' ']).to_string();
        }
    }
    text::cut_at_word(s, MAX_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concept(paras: &[&str]) -> DConcept {
        DConcept {
            title: "T".into(),
            paras: paras.iter().map(|s| s.to_string()).collect(),
            ..DConcept::default()
        }
    }

    #[test]
    fn the_first_sentence_when_it_fits() {
        let c = concept(&[
            "The GIL is a lock that lets one thread run bytecode at a time. It is released on I/O.",
        ]);
        assert_eq!(
            anchor(&c).as_deref(),
            Some("The GIL is a lock that lets one thread run bytecode at a time.")
        );
    }

    #[test]
    fn a_long_definition_is_cut_at_a_clause_then_a_word_never_past_170_bytes() {
        let long = "A dict is an open-addressing hash table with perturbation probing whose compact layout keeps keys and values in a dense array, while the sparse table holds indexes into that array in insertion order always and forever more.";
        let a = anchor(&concept(&[long])).unwrap();
        assert!(a.len() <= MAX_BYTES, "{a}");
        assert_eq!(
            a,
            "A dict is an open-addressing hash table with perturbation probing whose compact layout keeps keys and values in a dense array"
        );
        assert!(long.starts_with(&a), "extracted, not invented");
        let words = "word ".repeat(60);
        let a = anchor(&concept(&[&words])).unwrap();
        assert!(a.len() <= MAX_BYTES && a.ends_with('…'), "{a}");
    }

    #[test]
    fn too_little_text_gives_no_anchor() {
        assert_eq!(anchor(&concept(&[])), None);
        assert_eq!(anchor(&concept(&["See below."])), None);
    }

    #[test]
    fn the_notes_own_one_liner_wins() {
        let mut c = concept(&["A long definition that goes on and on."]);
        c.anchor = Some("GIL = one talking stick for all threads".into());
        assert_eq!(
            anchor(&c).as_deref(),
            Some("GIL = one talking stick for all threads")
        );
    }
}
