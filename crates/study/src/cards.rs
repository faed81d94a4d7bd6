//! The flashcards a pack makes: concept → anchor, anchor → concept, interview question →
//! answer, and "spot the trap". A card is keyed by topic, item id and kind, so editing a
//! pack keeps the history of every card whose item is still there.

use memseed_core::Pack;
use memseed_core::pack::{Concept, Question, Tier, Trap};
use serde::{Deserialize, Serialize};

/// What a card asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CardKind {
    /// Given a concept's title, recall its one-line anchor.
    ConceptAnchor,
    /// Given the anchor (title words masked), name the concept.
    AnchorConcept,
    /// An interview question; the answer is its short then detailed answer.
    Question,
    /// A trap's code (or its title): say what goes wrong and the fix.
    Trap,
}

impl CardKind {
    /// Every kind, in the order cards of one tier come.
    pub const ALL: [CardKind; 4] = [
        CardKind::ConceptAnchor,
        CardKind::AnchorConcept,
        CardKind::Question,
        CardKind::Trap,
    ];

    /// The name used in keys and JSON: `concept-anchor`, `anchor-concept`, `question`, `trap`.
    pub fn as_str(self) -> &'static str {
        match self {
            CardKind::ConceptAnchor => "concept-anchor",
            CardKind::AnchorConcept => "anchor-concept",
            CardKind::Question => "question",
            CardKind::Trap => "trap",
        }
    }

    /// The inverse of [`CardKind::as_str`].
    pub fn parse(s: &str) -> Option<CardKind> {
        CardKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One card, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StudyCard {
    /// The pack's topic id.
    pub topic: String,
    /// The id of the concept, question or trap the card is made from.
    pub item: String,
    pub kind: CardKind,
    pub tier: Tier,
    pub prompt: String,
    pub answer: String,
}

impl StudyCard {
    /// `{topic}/{item}/{kind}`: stable across pack edits that keep the item.
    pub fn key(&self) -> String {
        card_key(&self.topic, &self.item, self.kind)
    }
}

/// The key of a card: `{topic}/{item}/{kind}`.
pub fn card_key(topic: &str, item: &str, kind: CardKind) -> String {
    format!("{topic}/{item}/{}", kind.as_str())
}

/// Splits a key into topic, item and kind; `None` when it is not a card key.
pub fn parse_key(key: &str) -> Option<(&str, &str, CardKind)> {
    let (rest, kind) = key.rsplit_once('/')?;
    let (topic, item) = rest.split_once('/')?;
    Some((topic, item, CardKind::parse(kind)?))
}

/// The first line of an anchor → concept prompt; the masked anchor follows a blank line.
pub const ANCHOR_PROMPT: &str = "Which concept does this anchor pin?";

/// The first line of a trap prompt with code; the code follows a blank line.
pub const TRAP_CODE_PROMPT: &str = "What goes wrong here, and what is the fix?";

/// What replaces a title word in an anchor → concept prompt.
pub const MASK: &str = "___";

/// Every card of `pack`: most important tier first; within a tier, concept → anchor,
/// anchor → concept, questions, then traps, each in pack order. Concepts without an
/// anchor make no card.
pub fn cards_for(pack: &Pack) -> Vec<StudyCard> {
    let topic = pack.topic.id.as_str();
    let mut cards = Vec::new();
    for concept in &pack.concepts {
        if let Some(anchor) = &concept.anchor {
            cards.push(concept_anchor(topic, concept, anchor));
            cards.push(anchor_concept(topic, concept, anchor));
        }
    }
    cards.extend(pack.questions.iter().map(|q| question(topic, q)));
    cards.extend(pack.traps.iter().map(|t| trap(topic, t)));
    // Stable: pack order survives within a tier and kind.
    cards.sort_by_key(|c| (c.tier, c.kind));
    cards
}

fn card(
    topic: &str,
    item: &str,
    kind: CardKind,
    tier: Tier,
    prompt: String,
    answer: String,
) -> StudyCard {
    StudyCard {
        topic: topic.to_string(),
        item: item.to_string(),
        kind,
        tier,
        prompt,
        answer,
    }
}

fn concept_anchor(topic: &str, c: &Concept, anchor: &str) -> StudyCard {
    let answer = match &c.basic {
        Some(basic) => format!("{anchor}\n\n{basic}"),
        None => anchor.to_string(),
    };
    card(
        topic,
        &c.id,
        CardKind::ConceptAnchor,
        c.tier,
        format!("What is the one-line anchor for {}?", c.title),
        answer,
    )
}

fn anchor_concept(topic: &str, c: &Concept, anchor: &str) -> StudyCard {
    card(
        topic,
        &c.id,
        CardKind::AnchorConcept,
        c.tier,
        format!("{ANCHOR_PROMPT}\n\n{}", mask_title(anchor, &c.title)),
        c.title.clone(),
    )
}

fn question(topic: &str, q: &Question) -> StudyCard {
    let answer = match &q.detailed {
        Some(detailed) => format!("{}\n\n{detailed}", q.short),
        None => q.short.clone(),
    };
    card(
        topic,
        &q.id,
        CardKind::Question,
        q.tier,
        q.question.clone(),
        answer,
    )
}

fn trap(topic: &str, t: &Trap) -> StudyCard {
    let prompt = match &t.snippet.code {
        Some(code) => format!("{TRAP_CODE_PROMPT}\n\n{code}"),
        None => format!("Trap: {}. What goes wrong, and what is the fix?", t.title),
    };
    let answer = format!("{}\n\nFix: {}", t.what, t.fix);
    card(topic, &t.id, CardKind::Trap, t.tier, prompt, answer)
}

/// Short words a title shares with ordinary prose; masking them would hide nothing.
const STOPWORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "by", "for", "from", "how", "in", "into", "is", "it", "its",
    "not", "of", "on", "or", "the", "to", "vs", "what", "when", "why", "with",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of a title that an anchor → concept prompt hides, lowercased: runs of
/// letters, digits and `_` with at least two characters and one letter, less stopwords.
pub fn title_words(title: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in title.split(|c: char| !is_word_char(c)) {
        let word = word.to_lowercase();
        if word.chars().count() >= 2
            && word.chars().any(char::is_alphabetic)
            && !STOPWORDS.contains(&word.as_str())
            && !words.contains(&word)
        {
            words.push(word);
        }
    }
    words
}

/// Whether `word` (lowercased) is one of `words` or its plural or singular in `s`/`es`.
fn is_title_word(word: &str, words: &[String]) -> bool {
    words.iter().any(|t| {
        word == t
            || word.strip_suffix('s') == Some(t.as_str())
            || word.strip_suffix("es") == Some(t.as_str())
            || (t.chars().count() > 3 && t.strip_suffix('s') == Some(word))
    })
}

/// `text` with every whole word that is a title word (case-insensitive, plural or
/// singular) replaced by [`MASK`].
pub fn mask_title(text: &str, title: &str) -> String {
    let words = title_words(title);
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (is_word_char(c) && i < text.len(), word_start) {
            (true, None) => word_start = Some(i),
            (true, Some(_)) => {}
            (false, start) => {
                if let Some(start) = start {
                    let word = &text[start..i];
                    if is_title_word(&word.to_lowercase(), &words) {
                        out.push_str(MASK);
                    } else {
                        out.push_str(word);
                    }
                    word_start = None;
                }
                if i < text.len() {
                    out.push(c);
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_keys_split() {
        for kind in CardKind::ALL {
            assert_eq!(CardKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(CardKind::parse("Trap"), None);
        assert_eq!(
            parse_key("python/gil/anchor-concept"),
            Some(("python", "gil", CardKind::AnchorConcept))
        );
        assert_eq!(parse_key("python/gil"), None);
        assert_eq!(parse_key("python/gil/other"), None);
    }

    #[test]
    fn masking_hides_title_words_only_as_whole_words() {
        let table = [
            (
                "GIL = one steering wheel: one thread drives bytecode at a time",
                "GIL (Global Interpreter Lock)",
                "___ = one steering wheel: one thread drives bytecode at a time",
            ),
            (
                "Names are labels; binding a name never copies the object",
                "Names, objects and binding",
                "___ are labels; ___ a ___ never copies the ___",
            ),
            (
                "Compiled .pyc files land in __pycache__, keyed by version",
                ".pyc files and __pycache__",
                "Compiled .___ ___ land in ___, keyed by version",
            ),
            (
                "is asks: same object? == asks: same value?",
                "Identity vs equality (is vs ==)",
                "is asks: same object? == asks: same value?",
            ),
            (
                "A weakref does not keep its referent alive",
                "Weak references",
                "A weakref does not keep its referent alive",
            ),
            (
                "Generators: lazy, single-pass; a generator remembers where it stopped",
                "Generators",
                "___: lazy, single-pass; a ___ remembers where it stopped",
            ),
        ];
        for (text, title, masked) in table {
            assert_eq!(mask_title(text, title), masked, "{title}");
        }
    }

    #[test]
    fn title_words_skip_stopwords_numbers_and_symbols() {
        assert_eq!(
            title_words("Modern Python (3.10-3.13) and the GIL"),
            ["modern", "python", "gil"]
        );
        assert_eq!(
            title_words("Identity vs equality (is vs ==)"),
            ["identity", "equality"]
        );
    }
}
