//! A compressed card: one pack, one budget, what survives, and its renderings (canonical
//! plain text, Markdown, the JSON report, and the selection model for the exact solver).

pub mod layout;
mod markdown;
mod report;

pub use report::{KeptItem, Lost, Report, SectionReport, TierCounts};

use layout::{ItemRef, Section};

use crate::pack::Pack;
use crate::select::{Compressor, Selection, TooSmall};

/// What survives one budget of one pack.
#[derive(Clone, Debug)]
pub struct Card<'a> {
    pub pack: &'a Pack,
    pub compressor: &'a Compressor,
    pub selection: Selection,
}

impl<'a> Card<'a> {
    /// Compresses `pack` (prepared as `compressor`) to `budget` bytes.
    pub fn new(pack: &'a Pack, compressor: &'a Compressor, budget: u64) -> Result<Self, TooSmall> {
        Ok(Card {
            pack,
            compressor,
            selection: compressor.select(budget)?,
        })
    }

    /// Kept items with their card level, in card order.
    pub fn kept(&self) -> impl Iterator<Item = (ItemRef, u8)> + '_ {
        self.compressor
            .refs()
            .iter()
            .zip(&self.selection.levels)
            .filter(|(_, l)| **l > 0)
            .map(|(r, l)| (*r, *l))
    }

    /// Kept items in the order their text appears on the card: as [`Card::kept`], except
    /// that Seeds lists each concept with its answer after it and the checklist last. Each
    /// item's text is one contiguous span, so the report's item sizes cut the text.
    pub fn kept_in_text_order(&self) -> Vec<(ItemRef, u8)> {
        let kept: Vec<(ItemRef, u8)> = self.kept().collect();
        let mut out = Vec::with_capacity(kept.len());
        let mut seeds_done = false;
        for &(item, level) in &kept {
            if item.section() == Section::Seeds {
                if !seeds_done {
                    seeds_done = true;
                    out.extend(layout::Seeds::arrange(&kept).in_text_order());
                }
            } else {
                out.push((item, level));
            }
        }
        out
    }

    /// The canonical plain text. Its UTF-8 length is the card's size.
    pub fn text(&self) -> String {
        let mut out = String::with_capacity(usize::try_from(self.selection.bytes).unwrap_or(0));
        layout::write_title(&mut out, self.pack);
        let kept: Vec<(ItemRef, u8)> = self.kept().collect();
        let mut section: Option<Section> = None;
        for &(item, level) in &kept {
            if section != Some(item.section()) {
                section = Some(item.section());
                layout::write_heading(&mut out, item.section());
                if item.section() == Section::Seeds {
                    layout::Seeds::arrange(&kept).write(&mut out, self.pack);
                }
            }
            if item.section() != Section::Seeds {
                layout::write_item(&mut out, self.pack, item, level);
            }
        }
        debug_assert_eq!(
            out.len() as u64,
            self.selection.bytes,
            "reported size is the text's length"
        );
        out
    }

    /// The Seeds section of this card, arranged.
    pub fn seeds(&self) -> layout::Seeds {
        let kept: Vec<(ItemRef, u8)> = self.kept().collect();
        layout::Seeds::arrange(&kept)
    }

    /// Each kept section's id and the label the UI shows over it (`Seeds · 9 critical`),
    /// without building the whole report.
    pub fn section_labels(&self) -> Vec<(&'static str, String)> {
        report::labels(self)
    }

    /// What did not survive, with the "What you lose" line.
    pub fn lost(&self) -> Lost {
        report::lost(self)
    }

    /// The same selection as Markdown (not byte-counted).
    pub fn markdown(&self) -> String {
        markdown::render(self)
    }

    /// The JSON report: sizes per section, kept items, what was lost, value.
    pub fn report(&self) -> Report {
        report::build(self)
    }

    /// The selection model in the schema of `optimum.py`, with this card's choice.
    pub fn model_json(&self) -> serde_json::Value {
        report::model_json(self)
    }
}
