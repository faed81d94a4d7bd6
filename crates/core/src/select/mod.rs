//! Choosing what survives a byte budget: the selection model, the nested chain of upgrades,
//! and the [`Compressor`] that answers one budget with one selection.

pub mod baseline;
pub mod chain;
pub mod exact;
pub mod model;
pub mod rules;

pub use chain::{Chain, Step, Tuning};
pub use model::{Forgetting, Model, ModelItem, ModelLevel};
pub use rules::Rules;

use crate::card::layout::ItemRef;
use crate::pack::Pack;

/// A pack prepared for compression. Building it measures every item and orders the
/// upgrades; answering a budget afterwards is a binary search.
#[derive(Clone, Debug)]
pub struct Compressor {
    model: Model,
    refs: Vec<ItemRef>,
    chain: Chain,
    presets: [u64; 3],
}

/// What survives one budget.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    pub budget: u64,
    /// Exact byte length of the card's plain text.
    pub bytes: u64,
    /// Value kept, in the units of the value model.
    pub value: f64,
    /// Number of chain steps taken.
    pub prefix: usize,
    /// Card level per model item (1 title, 2 anchor, ...; 0 = dropped), in model order.
    pub levels: Vec<u8>,
}

/// The budget cannot hold even the title line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "a budget of {budget} bytes is too small: the smallest card of this topic is {min} bytes (its title line)"
)]
pub struct TooSmall {
    pub budget: u64,
    pub min: u64,
}

impl Compressor {
    /// Measures `pack` and builds its chain, under every rule.
    pub fn new(pack: &Pack) -> Self {
        Compressor::with_rules(pack, Rules::ALL)
    }

    /// As [`Compressor::new`], enforcing only `rules` (for tests and comparisons).
    pub fn with_rules(pack: &Pack, rules: Rules) -> Self {
        Compressor::from_model(pack, Model::with_rules(pack, rules))
    }

    /// One person's compressor: items weighted by how likely they are to have forgotten them
    /// (see [`Model::personal`]).
    pub fn personal(pack: &Pack, forgetting: &Forgetting) -> Self {
        Compressor::from_model(pack, Model::personal(pack, forgetting))
    }

    fn from_model(pack: &Pack, (model, refs): (Model, Vec<ItemRef>)) -> Self {
        let presets = baseline::preset_sizes(pack, &model, &refs);
        let tuning = Tuning {
            presets: presets.to_vec(),
            ..Tuning::default()
        };
        let chain = Chain::build_with(&model, &tuning);
        Compressor {
            model,
            refs,
            chain,
            presets,
        }
    }

    /// The topic's presets: the sizes of the original's seed, cheatsheet and full cards of
    /// this pack, laid out in our layout (see [`baseline`]).
    pub fn presets(&self) -> [u64; 3] {
        self.presets
    }

    /// The numbers the optimiser sees.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The pack item behind each model item.
    pub fn refs(&self) -> &[ItemRef] {
        &self.refs
    }

    /// The chain of upgrades.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// Size of the card that keeps everything.
    pub fn full_bytes(&self) -> u64 {
        self.chain.bytes_at(self.chain.steps().len())
    }

    /// Value of the card that keeps everything.
    pub fn full_value(&self) -> f64 {
        self.chain.value_at(self.chain.steps().len())
    }

    /// Size of the smallest card (the title line).
    pub fn min_bytes(&self) -> u64 {
        self.model.fixed_bytes
    }

    /// The selection for `budget`: the longest prefix of the chain that fits.
    pub fn select(&self, budget: u64) -> Result<Selection, TooSmall> {
        let prefix = self.chain.prefix_for(budget).ok_or(TooSmall {
            budget,
            min: self.model.fixed_bytes,
        })?;
        let model_levels = self.chain.levels_at(prefix, self.model.items.len());
        let levels = model_levels
            .iter()
            .zip(&self.model.items)
            .map(|(&l, it)| {
                if l == 0 {
                    0
                } else {
                    it.levels[usize::from(l) - 1].semantic
                }
            })
            .collect();
        Ok(Selection {
            budget,
            bytes: self.chain.bytes_at(prefix),
            value: self.chain.value_at(prefix),
            prefix,
            levels,
        })
    }

    /// Model levels (1-based positions in each item's level list) of a selection.
    pub fn model_levels(&self, sel: &Selection) -> Vec<u8> {
        self.chain.levels_at(sel.prefix, self.model.items.len())
    }
}
