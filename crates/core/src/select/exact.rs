//! The exact optimum of a model without coverage edges, for every budget at once, by dynamic
//! programming over bytes. Used by tests and benches to measure the chain; the bench script
//! measures models with coverage against an external exact solver instead.

use super::model::Model;

/// `curve[b]` = the best value of any selection of at most `b` bytes, for `b` in
/// `0..=max_budget` (negative infinity below the fixed bytes).
///
/// Exact when no item covers another; with coverage edges it ignores the credit and so is
/// only a lower bound of the optimum.
pub fn optimum_curve(m: &Model, max_budget: u64) -> Vec<f64> {
    let cap = usize::try_from(max_budget).expect("budget fits in memory");
    let fixed = usize::try_from(m.fixed_bytes).expect("small");
    let mut dp = vec![f64::NEG_INFINITY; cap + 1];
    for v in dp.iter_mut().skip(fixed) {
        *v = 0.0;
    }
    for (g, &heading) in m.group_bytes.iter().enumerate() {
        let members: Vec<_> = m.items.iter().filter(|it| it.group == g).collect();
        if members.is_empty() {
            continue;
        }
        // `open[b]`: best value with this group's heading paid and members chosen so far.
        let h = usize::try_from(heading).expect("small");
        let mut open = vec![f64::NEG_INFINITY; cap + 1];
        if h <= cap {
            open[h..].copy_from_slice(&dp[..=cap - h]);
        }
        for it in members {
            let prev = open.clone();
            for lvl in &it.levels {
                let lb = usize::try_from(lvl.bytes).expect("small");
                for b in lb..=cap {
                    let cand = prev[b - lb] + lvl.value;
                    if cand > open[b] {
                        open[b] = cand;
                    }
                }
            }
        }
        for b in 0..=cap {
            if open[b] > dp[b] {
                dp[b] = open[b];
            }
        }
    }
    dp
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::model::{ModelItem, ModelLevel};

    #[test]
    fn two_items_one_budget_each() {
        // A: 100 B worth 10; B and C: 60 B worth 7 each; heading 5, fixed 10.
        let one = |bytes, value| ModelItem {
            group: 0,
            weight: 1.0,
            levels: vec![ModelLevel {
                semantic: 1,
                bytes,
                value,
            }],
            covers: vec![],
            cover_level: 0,
            needs: vec![],
        };
        let m = Model {
            fixed_bytes: 10,
            group_bytes: vec![5],
            items: vec![one(100, 10.0), one(60, 7.0), one(60, 7.0)],
            rho: 0.0,
            gates: Vec::new(),
        };
        let c = optimum_curve(&m, 300);
        assert_eq!(c[9], f64::NEG_INFINITY);
        assert_eq!(c[10], 0.0);
        assert_eq!(c[74], 0.0);
        assert_eq!(c[75], 7.0);
        assert_eq!(c[115], 10.0);
        assert_eq!(c[135], 14.0);
        assert_eq!(c[235], 24.0);
    }
}
