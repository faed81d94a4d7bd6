//! Invariants of compression, on random packs shaped like the bundled ones: the printed
//! card is exactly the reported size and within budget, answers are nested and
//! deterministic, and the value kept is close to the exact optimum.

use memseed_core::card::layout::Section;
use memseed_core::select::{Chain, Compressor, Model, Rules, exact};
use memseed_core::synth::{self, Shape};
use memseed_core::{Card, Pack};
use proptest::prelude::*;

fn random_pack(seed: u64, concepts: usize) -> Pack {
    synth::pack(seed, Shape::like_ours(concepts))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn card_text_is_the_reported_size_and_never_over_budget(
        seed in any::<u64>(),
        concepts in 1usize..60,
        budgets in prop::collection::vec(1u64..200_000, 1..8),
    ) {
        let pack = random_pack(seed, concepts);
        let comp = Compressor::new(&pack);
        for budget in budgets {
            match Card::new(&pack, &comp, budget) {
                Ok(card) => {
                    let text = card.text();
                    prop_assert_eq!(text.len() as u64, card.selection.bytes);
                    prop_assert!(card.selection.bytes <= budget);
                    let report = card.report();
                    let parts: u64 = report.sections.iter().map(|s| s.bytes).sum();
                    prop_assert_eq!(parts, report.bytes, "sections add up to the card");
                    let (bytes, value) = comp.model().evaluate(&comp.model_levels(&card.selection));
                    prop_assert_eq!(bytes, card.selection.bytes);
                    prop_assert!((value - card.selection.value).abs() < 1e-6 * value.max(1.0));
                }
                Err(e) => {
                    prop_assert!(budget < comp.min_bytes());
                    prop_assert_eq!(e.min, comp.min_bytes());
                }
            }
        }
    }

    #[test]
    fn the_reports_item_sizes_cut_the_text_into_each_items_own_text(
        seed in any::<u64>(),
        concepts in 1usize..60,
        budgets in prop::collection::vec(64u64..100_000, 1..6),
    ) {
        let pack = random_pack(seed, concepts);
        let comp = Compressor::new(&pack);
        for budget in budgets {
            let Ok(card) = Card::new(&pack, &comp, budget) else { continue };
            let report = card.report();
            let text = report.text.as_bytes();
            let mut pos = report.sections[0].bytes as usize;
            for s in &report.sections[1..] {
                let items: u64 = report.kept.iter().filter(|k| k.section == s.id).map(|k| k.bytes).sum();
                pos += (s.bytes - items) as usize;
                for k in report.kept.iter().filter(|k| k.section == s.id) {
                    let chunk = std::str::from_utf8(&text[pos..pos + k.bytes as usize]).unwrap();
                    match (k.kind, k.level) {
                        ("concept", 1) => prop_assert!(chunk.starts_with(&format!("\u{b7} {}", k.title)), "{chunk:?}"),
                        ("concept", _) => prop_assert!(chunk.starts_with(&k.title), "{chunk:?}"),
                        ("answer", _) => prop_assert!(chunk.starts_with("  Interview: "), "{chunk:?}"),
                        _ => {}
                    }
                    pos += k.bytes as usize;
                }
            }
            prop_assert_eq!(pos, text.len());
        }
    }

    #[test]
    fn a_larger_budget_keeps_everything_a_smaller_one_kept(
        seed in any::<u64>(),
        concepts in 1usize..60,
        mut budgets in prop::collection::vec(32u64..150_000, 2..10),
    ) {
        let pack = random_pack(seed, concepts);
        let comp = Compressor::new(&pack);
        budgets.sort_unstable();
        let mut prev: Option<Vec<u8>> = None;
        for b in budgets {
            let Ok(sel) = comp.select(b) else { continue };
            if let Some(p) = &prev {
                for (i, (lo, hi)) in p.iter().zip(&sel.levels).enumerate() {
                    prop_assert!(lo <= hi, "item {} went from level {} to {} as the budget grew to {}", i, lo, hi, b);
                }
            }
            prev = Some(sel.levels);
        }
    }

    #[test]
    fn the_same_pack_and_budget_give_the_same_card(seed in any::<u64>(), concepts in 1usize..40, budget in 64u64..50_000) {
        let a = random_pack(seed, concepts);
        let b = random_pack(seed, concepts);
        let (ca, cb) = (Compressor::new(&a), Compressor::new(&b));
        prop_assert_eq!(ca.chain().steps(), cb.chain().steps());
        if let (Ok(x), Ok(y)) = (Card::new(&a, &ca, budget), Card::new(&b, &cb, budget)) {
            prop_assert_eq!(x.text(), y.text());
        }
    }
}

#[test]
fn the_full_budget_keeps_everything_at_its_top_level() {
    let pack = random_pack(7, 30);
    let comp = Compressor::new(&pack);
    let card = Card::new(&pack, &comp, comp.full_bytes()).unwrap();
    let (model, refs) = Model::from_pack(&pack);
    for ((level, item), r) in card.selection.levels.iter().zip(&model.items).zip(&refs) {
        assert_eq!(*level, item.levels.last().unwrap().semantic, "{r:?}");
    }
    assert_eq!(
        card.report().lost.summary,
        "nothing: this card holds the whole topic"
    );
    assert!(
        Card::new(&pack, &comp, comp.full_bytes() - 1)
            .unwrap()
            .selection
            .bytes
            < comp.full_bytes()
    );
}

#[test]
fn section_headings_are_printed_once_and_only_for_kept_sections() {
    let pack = random_pack(3, 25);
    let comp = Compressor::new(&pack);
    for budget in [300, 1000, 4000, 20_000] {
        let card = Card::new(&pack, &comp, budget).unwrap();
        let text = card.text();
        let kept: Vec<&str> = card
            .report()
            .sections
            .iter()
            .skip(1)
            .map(|s| s.heading)
            .collect();
        for s in Section::ALL {
            let n = text.matches(&format!("\n\n{}\n", s.heading())).count();
            assert_eq!(
                n,
                usize::from(kept.contains(&s.heading())),
                "{} at {budget}",
                s.heading()
            );
        }
    }
}

/// Mean and worst ratio of the chain to the exact optimum over a 1% grid of budgets, on
/// packs without coverage edges and with the card rules off (where the dynamic programme is
/// exact): the quality of the chain's search itself. The rules' own model is measured
/// against CP-SAT by bench/optimum.py.
fn ratios(seed: u64, concepts: usize) -> (f64, f64, f64) {
    let mut shape = Shape::like_ours(concepts);
    shape.derives = false;
    let pack = synth::pack(seed, shape);
    let comp = Compressor::with_rules(&pack, Rules::NONE);
    let chain: &Chain = comp.chain();
    let opt = exact::optimum_curve(comp.model(), 65_536);
    let grid: Vec<u64> = (0..)
        .map(|k| (512.0 * 1.01f64.powi(k)).round() as u64)
        .take_while(|&b| b <= 65_536)
        .collect();
    let r: Vec<(u64, f64)> = grid
        .iter()
        .map(|&b| {
            (
                b,
                chain.value_at(chain.prefix_for(b).unwrap()) / opt[b as usize],
            )
        })
        .collect();
    let mean = r.iter().map(|x| x.1).sum::<f64>() / r.len() as f64;
    let above: Vec<f64> = r.iter().filter(|x| x.0 > 8192).map(|x| x.1).collect();
    let worst = r.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
    (mean, above.iter().sum::<f64>() / above.len() as f64, worst)
}

#[test]
fn the_chain_stays_close_to_the_exact_optimum() {
    for (seed, concepts) in [(1, 27), (2, 27), (3, 60), (4, 140)] {
        let (mean, above, worst) = ratios(seed, concepts);
        assert!(
            mean >= 0.98,
            "seed {seed}, {concepts} concepts: mean ratio {mean:.4}"
        );
        assert!(
            above >= 0.99,
            "seed {seed}, {concepts} concepts: mean above 8 KB {above:.4}"
        );
        assert!(
            worst >= 0.8,
            "seed {seed}, {concepts} concepts: worst {worst:.4}"
        );
    }
}
