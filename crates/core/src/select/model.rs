//! The selection model: a topic reduced to numbers (bytes and value per item level, section
//! headings, coverage edges), which is all the optimiser needs to see.

use super::rules::{self, Gate, Rules};
use crate::card::layout::{self, ItemRef, Section};
use crate::pack::Pack;
use crate::value;

/// How likely a person is to have forgotten each item of a pack by some moment: 0 known
/// cold, 1 forgotten or never studied. Items without cards of their own (the topic's
/// fields, practice questions) count as 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Forgetting {
    /// Per pack concept (its anchor and its interview answer).
    pub concepts: Vec<f64>,
    /// Per pack trap.
    pub traps: Vec<f64>,
    /// Per pack interview question.
    pub questions: Vec<f64>,
}

impl Forgetting {
    /// A person who has studied nothing: everything counts as forgotten.
    pub fn unknown(pack: &Pack) -> Forgetting {
        Forgetting {
            concepts: vec![1.0; pack.concepts.len()],
            traps: vec![1.0; pack.traps.len()],
            questions: vec![1.0; pack.questions.len()],
        }
    }

    /// The forgetting of one item.
    pub fn of(&self, item: ItemRef) -> f64 {
        let get = |v: &[f64], i: usize| v.get(i).copied().unwrap_or(1.0).clamp(0.0, 1.0);
        match item {
            ItemRef::Concept(c) | ItemRef::Answer(c) => get(&self.concepts, c),
            ItemRef::Trap(t) => get(&self.traps, t),
            ItemRef::Question(q) => get(&self.questions, q),
            _ => 1.0,
        }
    }
}

/// One level of an item: cumulative over the lower levels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelLevel {
    /// The card level this is (1 title, 2 anchor, ...); levels absent from the pack are skipped.
    pub semantic: u8,
    /// Byte length of the item's whole entry at this level.
    pub bytes: u64,
    /// Value of the item at this level, before coverage.
    pub value: f64,
}

/// An item the optimiser may keep at one of its levels, or drop.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelItem {
    /// Index of the section (group) whose heading is paid once if any member is kept.
    pub group: usize,
    pub weight: f64,
    pub levels: Vec<ModelLevel>,
    /// Items that earn coverage credit while this one is at `cover_level` or above.
    pub covers: Vec<usize>,
    /// 1-based position in `levels` from which this item covers; 0 when it covers nothing.
    pub cover_level: u8,
    /// Gates a level needs open before the item may reach it: `(1-based level, gate)`.
    pub needs: Vec<(u8, u32)>,
}

impl ModelItem {
    /// Value at a 1-based level index (0 = dropped), with or without coverage credit.
    pub fn value_at(&self, level: u8, covered: bool, rho: f64) -> f64 {
        let own = if level == 0 {
            0.0
        } else {
            self.levels[usize::from(level) - 1].value
        };
        if covered {
            own.max(rho * self.weight)
        } else {
            own
        }
    }

    /// Bytes at a 1-based level index (0 = dropped).
    pub fn bytes_at(&self, level: u8) -> u64 {
        if level == 0 {
            0
        } else {
            self.levels[usize::from(level) - 1].bytes
        }
    }

    /// Number of levels.
    pub fn max_level(&self) -> u8 {
        u8::try_from(self.levels.len()).expect("at most a handful of levels")
    }
}

/// The whole optimisation problem for one pack.
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    /// Bytes printed on every card (the title line).
    pub fixed_bytes: u64,
    /// Heading bytes per group.
    pub group_bytes: Vec<u64>,
    pub items: Vec<ModelItem>,
    /// Coverage credit as a share of weight.
    pub rho: f64,
    /// Precedence constraints: each gate is a set of `(item, 1-based level)` steps that must
    /// all be taken before a step that needs the gate (see [`super::rules`]).
    pub gates: Vec<Gate>,
}

impl Model {
    /// Measures every item of `pack` at every level with the card layout, under every rule.
    ///
    /// Returns the model and, for each model item, the pack item it stands for.
    pub fn from_pack(pack: &Pack) -> (Model, Vec<ItemRef>) {
        Model::with_rules(pack, Rules::ALL)
    }

    /// As [`Model::from_pack`], enforcing only `rules`.
    pub fn with_rules(pack: &Pack, rules: Rules) -> (Model, Vec<ItemRef>) {
        Model::build(pack, rules, None)
    }

    /// The model of one person's card: every item's value scaled by how likely they are to
    /// have forgotten it (see [`Forgetting`]), and anchors in tier order within each
    /// knowledge state. The original's fixed tiers are no floor here: a card of what you are
    /// about to lose owes nothing to a card for everyone.
    pub fn personal(pack: &Pack, forgetting: &Forgetting) -> (Model, Vec<ItemRef>) {
        Model::build(
            pack,
            Rules {
                tiers_as_floor: false,
                ..Rules::ALL
            },
            Some(forgetting),
        )
    }

    fn build(pack: &Pack, rules: Rules, forgetting: Option<&Forgetting>) -> (Model, Vec<ItemRef>) {
        let refs = layout::items(pack);
        let semantic: Vec<Vec<u8>> = refs.iter().map(|r| r.levels(pack)).collect();
        let states: Option<Vec<u8>> = forgetting.map(|f| {
            f.concepts
                .iter()
                .map(|&p| u8::from(p >= value::KNOWN_FORGETTING))
                .collect()
        });
        let (gates, mut needs) = rules::gates(pack, &refs, &semantic, rules, states.as_deref());
        let mut scratch = String::new();
        let mut concept_item = vec![usize::MAX; pack.concepts.len()];
        for (i, r) in refs.iter().enumerate() {
            if let ItemRef::Concept(c) = *r {
                concept_item[c] = i;
            }
        }
        let items = refs
            .iter()
            .zip(&semantic)
            .zip(needs.iter_mut())
            .map(|((&r, semantic), needs)| {
                let weight = r.weight(pack) * forgetting.map_or(1.0, |f| f.of(r));
                let levels = semantic
                    .iter()
                    .map(|&s| ModelLevel {
                        semantic: s,
                        bytes: layout::item_bytes(&mut scratch, pack, r, s) as u64,
                        value: weight * r.share(s),
                    })
                    .collect::<Vec<_>>();
                let (covers, cover_level) = match r {
                    ItemRef::Concept(c) if !pack.concepts[c].derives.is_empty() => {
                        let covers = pack.concepts[c]
                            .derives
                            .iter()
                            .map(|&d| concept_item[d])
                            .collect();
                        let pos = levels.iter().position(|l| l.semantic >= value::COVER_LEVEL);
                        match pos {
                            Some(p) => (covers, u8::try_from(p + 1).expect("few levels")),
                            None => (Vec::new(), 0),
                        }
                    }
                    _ => (Vec::new(), 0),
                };
                needs.sort_unstable();
                ModelItem {
                    group: r.section().index(),
                    weight,
                    levels,
                    covers,
                    cover_level,
                    needs: std::mem::take(needs),
                }
            })
            .collect();
        let mut title = String::new();
        layout::write_title(&mut title, pack);
        let group_bytes = Section::ALL
            .iter()
            .map(|&s| {
                let mut h = String::new();
                layout::write_heading(&mut h, s);
                h.len() as u64
            })
            .collect();
        let model = Model {
            fixed_bytes: title.len() as u64,
            group_bytes,
            items,
            rho: value::COVERAGE_SHARE,
            gates,
        };
        (model, refs)
    }

    /// Bytes and value of a selection (1-based level index per item, 0 = dropped).
    pub fn evaluate(&self, levels: &[u8]) -> (u64, f64) {
        let mut covered = vec![false; self.items.len()];
        let mut groups = vec![false; self.group_bytes.len()];
        let mut bytes = self.fixed_bytes;
        for (it, &l) in self.items.iter().zip(levels) {
            if l > 0 {
                bytes += it.bytes_at(l);
                groups[it.group] = true;
                if it.cover_level > 0 && l >= it.cover_level {
                    for &c in &it.covers {
                        covered[c] = true;
                    }
                }
            }
        }
        bytes += groups
            .iter()
            .zip(&self.group_bytes)
            .filter(|(on, _)| **on)
            .map(|(_, b)| b)
            .sum::<u64>();
        let value = self
            .items
            .iter()
            .zip(levels)
            .zip(&covered)
            .map(|((it, &l), &cov)| it.value_at(l, cov, self.rho))
            .sum();
        (bytes, value)
    }

    /// The `(item, level)` steps of `levels` that break a gate: taken while a member of a
    /// gate they need is not.
    pub fn broken(&self, levels: &[u8]) -> Vec<(usize, u8)> {
        let open: Vec<bool> = self
            .gates
            .iter()
            .map(|g| g.iter().all(|&(i, l)| levels[i as usize] >= l))
            .collect();
        let mut out = Vec::new();
        for (i, it) in self.items.iter().enumerate() {
            for &(l, g) in &it.needs {
                if levels[i] >= l && !open[g as usize] {
                    out.push((i, l));
                }
            }
        }
        out
    }

    /// Bytes and value with every item at its top level.
    pub fn full(&self) -> (u64, f64) {
        let top: Vec<u8> = self.items.iter().map(ModelItem::max_level).collect();
        self.evaluate(&top)
    }
}
