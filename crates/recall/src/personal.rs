//! What the person is likely to have forgotten, item by item, for personal compression:
//! the forgetting of each pack item at a moment, from the FSRS state of its cards.

use std::collections::HashMap;

use memseed_core::Pack;
use memseed_core::select::Forgetting;
use memseed_study::cards::card_key;
use memseed_study::knowledge::forgotten;
use memseed_study::{CardKind, CardState};

use crate::{Recall, RecallError, state_of};

impl Recall {
    /// How likely the person is to have forgotten each item of `pack` at `at` (1 −
    /// retrievability then; 1 for an item never studied). A concept counts both its cards
    /// (concept → anchor and anchor → concept) equally; a trap and a question their own.
    pub fn forgetting(&self, pack: &Pack, at: i64) -> Result<Forgetting, RecallError> {
        let topic = pack.topic.id.as_str();
        let rows: HashMap<String, CardState> = self
            .store
            .cards(Some(topic))?
            .iter()
            .map(|r| (r.key.clone(), state_of(r)))
            .collect();
        let decay = self.scheduler(topic).decay();
        let card = |item: &str, kind: CardKind| {
            let state = rows
                .get(&card_key(topic, item, kind))
                .filter(|s| s.last_review.is_some());
            forgotten(state, at, decay)
        };
        Ok(Forgetting {
            concepts: pack
                .concepts
                .iter()
                .map(|c| {
                    (card(&c.id, CardKind::ConceptAnchor) + card(&c.id, CardKind::AnchorConcept))
                        / 2.0
                })
                .collect(),
            traps: pack
                .traps
                .iter()
                .map(|t| card(&t.id, CardKind::Trap))
                .collect(),
            questions: pack
                .questions
                .iter()
                .map(|q| card(&q.id, CardKind::Question))
                .collect(),
        })
    }
}
