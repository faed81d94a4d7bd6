//! The chain: one order of single-level upgrades whose prefixes answer every budget.
//!
//! The answer for a budget is the longest prefix of the chain that fits. Because every
//! answer is a prefix of the same sequence, a larger budget keeps everything a smaller one
//! kept, at the same or a higher level (nestedness), and answering is a binary search.
//!
//! Building the chain is where the quality comes from:
//! 1. a greedy order by value per byte (best upgrade jump of each item, with coverage and
//!    section headings priced in), which is close to optimal when steps are small next to
//!    the budget, but leaves bytes unused just below a large step;
//! 2. an improvement pass that repeatedly takes one subsequence of the chain (the steps of
//!    one size band) and re-merges it into the rest with an exact dynamic programme over all
//!    interleavings, maximising the value kept summed over a fine geometric grid of budgets
//!    (each budget weighted by the inverse of an upper estimate of its optimum, so every
//!    budget counts by its ratio to the optimum). Small steps move in front of large ones
//!    exactly where that fills the gap below them. A merge is kept only if the true value
//!    of the new chain, simulated with coverage and headings, is higher.
//!
//! Every order the chain takes respects the model's gates (the product rules of
//! [`super::rules`]): a step comes after every member of every gate it needs, in the greedy
//! order, in every merge and in every window.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::model::Model;

/// One upgrade: `item` goes from `level - 1` to `level` (1-based model levels).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub item: u32,
    pub level: u8,
}

/// Knobs of the improvement pass. The defaults are what the benches were run with.
#[derive(Clone, Debug)]
pub struct Tuning {
    /// Smallest budget the improvement optimises for.
    pub grid_min: u64,
    /// Ratio between neighbouring budgets of the grid.
    pub grid_ratio: f64,
    /// Only the chain's prefix up to this many bytes is re-ordered; above it steps are tiny
    /// next to the budget and the greedy order is already near the optimum.
    pub region_cap: u64,
    /// ...and at most this many steps, which bounds the work on huge packs.
    pub region_steps: usize,
    /// Upper bound on the cells of one merge (time and memory guard for huge packs).
    pub max_cells: usize,
    /// How many times to sweep all splits.
    pub cycles: usize,
    /// Bit set of split families to use (experiment knob).
    pub families: u32,
    /// Steps per window of the exact window re-ordering (2^window subsets each).
    pub window: usize,
    /// Windows start only below this many bytes: higher up, steps are small next to the
    /// budget and the merges leave little for a reorder to gain.
    pub window_cap: u64,
    /// Steps at the start of the chain ordered exactly as one window (2^head subsets), and
    /// whose exact best subsets give the objective the true optimum of small budgets.
    pub head: usize,
    /// The topic's presets (its seed, cheatsheet and full card sizes), one click away in
    /// Compression Mode: each counts `preset_weight` more times in the objective.
    pub presets: Vec<u64>,
    pub preset_weight: f64,
}

impl Default for Tuning {
    /// The shipped tuning: every budget of a fine (1%) grid from 512 B counts by its ratio
    /// to the optimum. The only budgets that count more are a topic's own presets, which
    /// [`super::Compressor`] fills in: a person clicks them, so they land on exactly those
    /// sizes. (An earlier tuning weighed the bench's quarter-octave budgets eight times as
    /// much: it flattered the bench at the cost of every budget between them, and was
    /// removed; docs/compression.md has the figures.)
    fn default() -> Self {
        Tuning {
            grid_min: 512,
            grid_ratio: 1.01,
            region_cap: 64 * 1024,
            region_steps: 2000,
            max_cells: 4_000_000,
            cycles: 4,
            families: u32::MAX,
            window: 12,
            window_cap: 16 * 1024,
            head: 18,
            presets: Vec::new(),
            preset_weight: 8.0,
        }
    }
}

/// Byte-size bands of steps; each improvement round re-merges the steps of one band.
const BANDS: &[(u64, u64)] = &[
    (0, 48),
    (48, 96),
    (96, 160),
    (160, 256),
    (256, 512),
    (512, 1024),
    (1024, u64::MAX),
    (0, 96),
    (0, 160),
    (0, 256),
];

/// A built chain with the running totals of its prefixes.
#[derive(Clone, Debug, PartialEq)]
pub struct Chain {
    steps: Vec<Step>,
    /// Bytes of prefix `p` (the first `p` steps), `p` in `0..=steps.len()`.
    cum_bytes: Vec<u64>,
    /// Value of prefix `p`.
    cum_value: Vec<f64>,
}

impl Chain {
    /// Builds the improved chain with default tuning.
    pub fn build(model: &Model) -> Chain {
        Chain::build_with(model, &Tuning::default())
    }

    /// Builds the improved chain.
    pub fn build_with(model: &Model, tuning: &Tuning) -> Chain {
        let steps = improve(model, greedy(model), tuning);
        Chain::from_steps(model, steps)
    }

    /// The plain greedy chain, without improvement (for comparison in benches).
    pub fn greedy(model: &Model) -> Chain {
        Chain::from_steps(model, greedy(model))
    }

    fn from_steps(model: &Model, steps: Vec<Step>) -> Chain {
        let mut sim = Sim::new(model);
        let mut cum_bytes = Vec::with_capacity(steps.len() + 1);
        let mut cum_value = Vec::with_capacity(steps.len() + 1);
        let (mut b, mut v) = (model.fixed_bytes, 0.0);
        cum_bytes.push(b);
        cum_value.push(v);
        for s in &steps {
            let (db, dv) = sim.apply(s.item as usize, s.level);
            b += db;
            v += dv;
            cum_bytes.push(b);
            cum_value.push(v);
        }
        Chain {
            steps,
            cum_bytes,
            cum_value,
        }
    }

    /// The upgrades in order.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The longest prefix that fits `budget`, or `None` if not even the fixed part fits.
    pub fn prefix_for(&self, budget: u64) -> Option<usize> {
        let n = self.cum_bytes.partition_point(|&b| b <= budget);
        n.checked_sub(1)
    }

    /// Bytes of prefix `p`.
    pub fn bytes_at(&self, p: usize) -> u64 {
        self.cum_bytes[p]
    }

    /// Value of prefix `p`.
    pub fn value_at(&self, p: usize) -> f64 {
        self.cum_value[p]
    }

    /// The level of every item after the first `p` steps (1-based model levels, 0 = dropped).
    pub fn levels_at(&self, p: usize, items: usize) -> Vec<u8> {
        let mut levels = vec![0; items];
        for s in &self.steps[..p] {
            levels[s.item as usize] = s.level;
        }
        levels
    }
}

/// The gates of a model seen from both ends: which gates each step is a member of, and
/// which items wait on each gate.
struct Deps {
    /// Per item, `(level, gate)` for every gate that step `(item, level)` belongs to.
    member_of: Vec<Vec<(u8, u32)>>,
    /// Per gate, the items with a level that needs it.
    dependents: Vec<Vec<u32>>,
    /// Per gate, its number of members.
    size: Vec<u32>,
}

impl Deps {
    fn new(m: &Model) -> Self {
        let mut member_of = vec![Vec::new(); m.items.len()];
        let mut dependents = vec![Vec::new(); m.gates.len()];
        let mut size = Vec::with_capacity(m.gates.len());
        for (g, members) in m.gates.iter().enumerate() {
            for &(i, l) in members {
                member_of[i as usize].push((l, g as u32));
            }
            size.push(u32::try_from(members.len()).expect("gates fit u32"));
        }
        for (i, it) in m.items.iter().enumerate() {
            for &(_, g) in &it.needs {
                let d: &mut Vec<u32> = &mut dependents[g as usize];
                if d.last() != Some(&(i as u32)) {
                    d.push(i as u32);
                }
            }
        }
        Deps {
            member_of,
            dependents,
            size,
        }
    }

    /// Whether step `(i, level)` is a member of gate `g`.
    fn is_member(&self, i: usize, level: u8, g: u32) -> bool {
        self.member_of[i].contains(&(level, g))
    }
}

/// Incremental state of a selection: levels, coverage counts, open sections and gates.
struct Sim<'m> {
    m: &'m Model,
    deps: Deps,
    level: Vec<u8>,
    cover_count: Vec<u32>,
    group_on: Vec<bool>,
    /// Members of each gate not yet taken; a gate is open at 0.
    gate_left: Vec<u32>,
}

impl<'m> Sim<'m> {
    fn new(m: &'m Model) -> Self {
        let deps = Deps::new(m);
        let gate_left = deps.size.clone();
        Sim {
            m,
            deps,
            level: vec![0; m.items.len()],
            cover_count: vec![0; m.items.len()],
            group_on: vec![false; m.group_bytes.len()],
            gate_left,
        }
    }

    /// Bytes and value gained by raising item `i` from its level to `to`.
    fn delta(&self, i: usize, to: u8) -> (u64, f64) {
        let it = &self.m.items[i];
        let from = self.level[i];
        let mut bytes = it.bytes_at(to) - it.bytes_at(from);
        if !self.group_on[it.group] {
            bytes += self.m.group_bytes[it.group];
        }
        let covered = self.cover_count[i] > 0;
        let rho = self.m.rho;
        let mut gain = it.value_at(to, covered, rho) - it.value_at(from, covered, rho);
        if it.cover_level > 0 && from < it.cover_level && to >= it.cover_level {
            for &x in &it.covers {
                if self.cover_count[x] == 0 {
                    let xi = &self.m.items[x];
                    let lx = self.level[x];
                    gain += xi.value_at(lx, true, rho) - xi.value_at(lx, false, rho);
                }
            }
        }
        (bytes, gain)
    }

    /// Whether every gate that item `i` at `level` needs is open.
    fn allowed(&self, i: usize, level: u8) -> bool {
        self.m.items[i]
            .needs
            .iter()
            .all(|&(l, g)| l != level || self.gate_left[g as usize] == 0)
    }

    /// Applies one step (`to` must be the next level) and returns its bytes and gain, and
    /// pushes onto `opened` the gates it completes.
    fn apply_opening(&mut self, i: usize, to: u8, opened: &mut Vec<u32>) -> (u64, f64) {
        debug_assert_eq!(
            self.level[i] + 1,
            to,
            "steps of an item come in level order"
        );
        debug_assert!(self.allowed(i, to), "step ({i}, {to}) before its gates");
        let d = self.delta(i, to);
        let it = &self.m.items[i];
        if it.cover_level > 0 && to == it.cover_level {
            for &x in &it.covers {
                self.cover_count[x] += 1;
            }
        }
        for &(l, g) in &self.deps.member_of[i] {
            if l == to {
                self.gate_left[g as usize] -= 1;
                if self.gate_left[g as usize] == 0 {
                    opened.push(g);
                }
            }
        }
        self.level[i] = to;
        self.group_on[it.group] = true;
        d
    }

    /// Applies one step (`to` must be the next level) and returns its bytes and gain.
    fn apply(&mut self, i: usize, to: u8) -> (u64, f64) {
        let mut opened = Vec::new();
        self.apply_opening(i, to, &mut opened)
    }

    /// Returns to the empty selection after `steps` were applied to it.
    fn undo(&mut self, steps: &[Step]) {
        for s in steps {
            let i = s.item as usize;
            self.level[i] = 0;
            for &x in &self.m.items[i].covers {
                self.cover_count[x] = 0;
            }
        }
        self.group_on.fill(false);
        self.gate_left.copy_from_slice(&self.deps.size);
    }

    /// The best upgrade of item `i` from where it stands: highest value per byte over every
    /// target level its gates allow, the nearest target on ties.
    fn best_jump(&self, i: usize) -> Option<Candidate> {
        let it = &self.m.items[i];
        let mut best: Option<Candidate> = None;
        for to in self.level[i] + 1..=it.max_level() {
            if !self.allowed(i, to) {
                break;
            }
            let (bytes, gain) = self.delta(i, to);
            let c = Candidate {
                density: gain / bytes as f64,
                bytes,
                item: i as u32,
                to,
                stamp: 0,
            };
            if best.is_none_or(|b| c.density > b.density) {
                best = Some(c);
            }
        }
        best
    }
}

/// A heap entry: an item's best jump as of `stamp`.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    density: f64,
    bytes: u64,
    item: u32,
    to: u8,
    stamp: u32,
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Candidate {}
impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Candidate {
    /// Highest density first; then fewer bytes; then the earlier item (card order).
    fn cmp(&self, other: &Self) -> Ordering {
        self.density
            .total_cmp(&other.density)
            .then_with(|| other.bytes.cmp(&self.bytes))
            .then_with(|| other.item.cmp(&self.item))
            .then_with(|| other.to.cmp(&self.to))
            .then_with(|| self.stamp.cmp(&other.stamp))
    }
}

/// Greedy order by marginal value per byte, with lazy re-evaluation: gains only fall as the
/// selection grows (coverage is granted once), except when a section heading is paid, which
/// makes the other members of that section cheaper, and when a gate opens, which lets its
/// dependents go further; those are re-queued at once.
fn greedy(m: &Model) -> Vec<Step> {
    let n = m.items.len();
    let mut sim = Sim::new(m);
    let mut stamp = vec![0u32; n];
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); m.group_bytes.len()];
    for (i, it) in m.items.iter().enumerate() {
        members[it.group].push(i);
    }
    let mut heap: BinaryHeap<Candidate> = (0..n).filter_map(|i| sim.best_jump(i)).collect();
    let total: usize = m.items.iter().map(|it| it.levels.len()).sum();
    let mut steps = Vec::with_capacity(total);
    let mut opened = Vec::new();
    let requeue = |sim: &Sim<'_>, heap: &mut BinaryHeap<Candidate>, stamp: &mut [u32], j: usize| {
        if let Some(mut c) = sim.best_jump(j) {
            stamp[j] += 1;
            c.stamp = stamp[j];
            heap.push(c);
        }
    };
    while let Some(top) = heap.pop() {
        let i = top.item as usize;
        if top.stamp != stamp[i] {
            continue;
        }
        let Some(mut fresh) = sim.best_jump(i) else {
            continue;
        };
        if fresh.density != top.density || fresh.to != top.to {
            stamp[i] += 1;
            fresh.stamp = stamp[i];
            heap.push(fresh);
            continue;
        }
        let group = m.items[i].group;
        let group_opened = !sim.group_on[group];
        opened.clear();
        for l in sim.level[i] + 1..=top.to {
            sim.apply_opening(i, l, &mut opened);
            steps.push(Step {
                item: top.item,
                level: l,
            });
        }
        stamp[i] += 1;
        if let Some(mut next) = sim.best_jump(i) {
            next.stamp = stamp[i];
            heap.push(next);
        }
        if group_opened {
            for &j in &members[group] {
                if j != i {
                    requeue(&sim, &mut heap, &mut stamp, j);
                }
            }
        }
        for &g in &opened {
            for k in 0..sim.deps.dependents[g as usize].len() {
                let j = sim.deps.dependents[g as usize][k] as usize;
                requeue(&sim, &mut heap, &mut stamp, j);
            }
        }
    }
    debug_assert_eq!(steps.len(), total, "the gates leave no step unreachable");
    steps
}

/// Budgets and their weights for the improvement objective.
struct Grid {
    budgets: Vec<u64>,
    /// `cum[k]` = sum of the weights of the first `k` budgets.
    cum: Vec<f64>,
}

impl Grid {
    /// Number of budgets below `x`.
    fn index(&self, x: u64) -> usize {
        self.budgets.partition_point(|&b| b < x)
    }
}

/// Bytes and gain of each step of `order` when applied in that order from the empty card.
/// `sim` must be empty; it is left empty again, at a cost in the steps, not the items.
fn simulate(sim: &mut Sim<'_>, order: &[Step]) -> Vec<(u64, f64)> {
    let deltas = order
        .iter()
        .map(|s| sim.apply(s.item as usize, s.level))
        .collect();
    sim.undo(order);
    deltas
}

/// Weighted sum over the grid of the value of the longest prefix that fits each budget.
fn objective(m: &Model, deltas: &[(u64, f64)], grid: &Grid) -> f64 {
    let mut total = 0.0;
    let (mut p, mut bytes, mut value) = (0, m.fixed_bytes, 0.0);
    for (k, &b) in grid.budgets.iter().enumerate() {
        if b < m.fixed_bytes {
            continue;
        }
        while p < deltas.len() && bytes + deltas[p].0 <= b {
            bytes += deltas[p].0;
            value += deltas[p].1;
            p += 1;
        }
        total += value * (grid.cum[k + 1] - grid.cum[k]);
    }
    total
}

fn improve(m: &Model, mut order: Vec<Step>, t: &Tuning) -> Vec<Step> {
    let mut sim = Sim::new(m);
    let deltas = simulate(&mut sim, &order);
    // The region: the longest prefix within the cap.
    let mut region = 0;
    let mut bytes = m.fixed_bytes;
    while region < order.len().min(t.region_steps) && bytes + deltas[region].0 <= t.region_cap {
        bytes += deltas[region].0;
        region += 1;
    }
    if region < 2 {
        return order;
    }
    // The head: the first steps, whose subsets are few enough to evaluate exactly. The best
    // subset within each small budget is the optimum there (when the head holds everything
    // such a budget can hold), a far better yardstick than the greedy curve's.
    let head = t.head.min(region);
    let frontier = if head >= 2 {
        Subsets::new(m, &sim, m.fixed_bytes, 0.0, &order[..head]).frontier()
    } else {
        Vec::new()
    };
    let grid = make_grid(m, &deltas[..region], t, &frontier);
    if grid.budgets.is_empty() {
        return order;
    }
    let tail = order.split_off(region);
    let local = Local::new(&order);
    let mut cur = order;
    let mut cur_deltas = simulate(&mut sim, &cur);
    let mut cur_obj = objective(m, &cur_deltas, &grid);
    for _ in 0..t.cycles {
        let mut improved = false;
        for in_f in splits(m, &cur, &cur_deltas, t.families) {
            let nf = in_f.iter().filter(|&&x| x).count();
            let na = cur.len() - nf;
            if nf == 0 || na == 0 || (na + 1).saturating_mul(nf + 1) > t.max_cells {
                continue;
            }
            let next = merge(m, &sim.deps, &cur, &cur_deltas, &in_f, &grid, &local);
            if next == cur {
                continue;
            }
            let next_deltas = simulate(&mut sim, &next);
            let next_obj = objective(m, &next_deltas, &grid);
            if next_obj > cur_obj * (1.0 + 1e-12) {
                cur = next;
                cur_deltas = next_deltas;
                cur_obj = next_obj;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    for _ in 0..t.cycles {
        let mut changed = false;
        if head >= 2
            && let Some(best) =
                best_window_order(m, &Sim::new(m), m.fixed_bytes, 0.0, &cur[..head], &grid)
        {
            cur[..head].copy_from_slice(&best);
            changed = true;
        }
        changed |= windows(m, &mut cur, &grid, t.window, t.window_cap);
        if !changed {
            break;
        }
    }
    cur.extend(tail);
    cur
}

/// Re-orders windows of `w` consecutive steps exactly: over every order of the window's
/// steps that keeps each item's levels in order, the one that earns the most objective. A
/// prefix inside the window is a subset of its steps, and a subset's bytes and value do not
/// depend on the order it was taken in, so a dynamic programme over the 2^w subsets finds
/// the best order. Bytes and value are exact (coverage and headings included) given the
/// state before the window. Windows start below `cap` bytes. Returns whether anything
/// changed.
fn windows(m: &Model, order: &mut [Step], grid: &Grid, w: usize, cap: u64) -> bool {
    if w < 2 || order.len() < 2 {
        return false;
    }
    let mut changed = false;
    let mut start = 0;
    let mut sim = Sim::new(m);
    let mut base_bytes = m.fixed_bytes;
    let mut base_value = 0.0;
    while start + 1 < order.len() {
        let end = (start + w).min(order.len());
        if base_bytes > cap.min(grid.budgets.last().copied().unwrap_or(0)) {
            break;
        }
        if let Some(best) =
            best_window_order(m, &sim, base_bytes, base_value, &order[start..end], grid)
        {
            order[start..end].copy_from_slice(&best);
            changed = true;
        }
        // Advance by half a window so neighbouring windows overlap.
        let step = (w / 2).max(1).min(end - start);
        for s in &order[start..start + step] {
            let (b, v) = sim.apply(s.item as usize, s.level);
            base_bytes += b;
            base_value += v;
        }
        start += step;
    }
    changed
}

/// The exact bytes and value of every subset of a run of steps taken after the state `sim`,
/// and which subsets are valid (closed under the order the steps must keep).
struct Subsets {
    /// Per step, the steps of the run that must come before it (bit mask).
    needs: Vec<usize>,
    bytes: Vec<u64>,
    /// Value of each subset; negative infinity for invalid ones.
    value: Vec<f64>,
}

impl Subsets {
    fn new(m: &Model, sim: &Sim<'_>, base_bytes: u64, base_value: f64, steps: &[Step]) -> Self {
        let w = steps.len();
        let full = (1usize << w) - 1;
        // Items whose value a step can change: the steps' own items and what they cover.
        let mut affected: Vec<usize> = Vec::new();
        let local =
            |affected: &mut Vec<usize>, i: usize| match affected.iter().position(|&a| a == i) {
                Some(k) => k,
                None => {
                    affected.push(i);
                    affected.len() - 1
                }
            };
        let own: Vec<usize> = steps
            .iter()
            .map(|s| local(&mut affected, s.item as usize))
            .collect();
        let mut covers: Vec<Vec<usize>> = vec![Vec::new(); w];
        for (k, s) in steps.iter().enumerate() {
            let it = &m.items[s.item as usize];
            if it.cover_level > 0 && s.level == it.cover_level {
                covers[k] = it.covers.iter().map(|&x| local(&mut affected, x)).collect();
                covers[k].sort_unstable();
                covers[k].dedup();
            }
        }
        // Steps of the same item must be taken in run order (they are in level order), and a
        // step after the members of the gates it needs.
        let mut needs = vec![0usize; w];
        for k in 0..w {
            let gates: Vec<u32> = m.items[steps[k].item as usize]
                .needs
                .iter()
                .filter(|&&(l, _)| l == steps[k].level)
                .map(|&(_, g)| g)
                .collect();
            for j in 0..k {
                if steps[j].item == steps[k].item
                    || gates.iter().any(|&g| {
                        sim.deps
                            .is_member(steps[j].item as usize, steps[j].level, g)
                    })
                {
                    needs[k] |= 1 << j;
                }
            }
        }
        let rho = m.rho;
        let base_levels: Vec<u8> = affected.iter().map(|&a| sim.level[a]).collect();
        let base_cov: Vec<bool> = affected.iter().map(|&a| sim.cover_count[a] > 0).collect();
        // Per affected item, the steps that raise its level and the steps that cover it; per
        // step, the steps of its heading group (empty when the heading is already paid).
        let mut raises = vec![0usize; affected.len()];
        let mut coverers = vec![0usize; affected.len()];
        for k in 0..w {
            raises[own[k]] |= 1 << k;
            for &c in &covers[k] {
                coverers[c] |= 1 << k;
            }
        }
        let group_of = |k: usize| m.items[steps[k].item as usize].group;
        let mates: Vec<Option<usize>> = (0..w)
            .map(|k| {
                let g = group_of(k);
                (!sim.group_on[g]).then(|| {
                    (0..w)
                        .filter(|&j| group_of(j) == g)
                        .fold(0, |acc, j| acc | 1 << j)
                })
            })
            .collect();
        // An affected item's value within a subset: its highest level and whether covered.
        let item_value = |a: usize, mask: usize| {
            let mut level = base_levels[a];
            let mut r = mask & raises[a];
            while r != 0 {
                level = level.max(steps[r.trailing_zeros() as usize].level);
                r &= r - 1;
            }
            let covered = base_cov[a] || mask & coverers[a] != 0;
            m.items[affected[a]].value_at(level, covered, rho)
        };
        // Each subset is the one without its highest step plus that step, so only the items
        // that step touches change: a constant amount of work per subset.
        let mut bytes = vec![0u64; full + 1];
        let mut value = vec![f64::NEG_INFINITY; full + 1];
        bytes[0] = base_bytes;
        value[0] = base_value;
        for mask in 1..=full {
            let k = usize::BITS as usize - 1 - mask.leading_zeros() as usize;
            let prev = mask & !(1 << k);
            // Valid subsets hold each step's predecessors in the run.
            if value[prev] == f64::NEG_INFINITY || prev & needs[k] != needs[k] {
                continue;
            }
            let s = steps[k];
            let it = &m.items[s.item as usize];
            let mut b = bytes[prev] + it.bytes_at(s.level) - it.bytes_at(s.level - 1);
            if mates[k].is_some_and(|g| prev & g == 0) {
                b += m.group_bytes[it.group];
            }
            let mut dv = item_value(own[k], mask) - item_value(own[k], prev);
            for &c in covers[k].iter().filter(|&&c| c != own[k]) {
                dv += item_value(c, mask) - item_value(c, prev);
            }
            bytes[mask] = b;
            value[mask] = value[prev] + dv;
        }
        Subsets {
            needs,
            bytes,
            value,
        }
    }

    /// The best value of a valid subset within each byte count: `(bytes, value)` points
    /// with both rising, so the best within `b` bytes is the last point at or below `b`.
    fn frontier(&self) -> Vec<(u64, f64)> {
        let mut pts: Vec<(u64, f64)> = self
            .bytes
            .iter()
            .zip(&self.value)
            .filter(|(_, v)| v.is_finite())
            .map(|(&b, &v)| (b, v))
            .collect();
        pts.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.total_cmp(&a.1)));
        let mut out: Vec<(u64, f64)> = Vec::new();
        for (b, v) in pts {
            if out.last().is_none_or(|l| v > l.1) {
                out.push((b, v));
            }
        }
        out
    }
}

/// The best order of `steps` after the state `sim`, if it beats the current one.
fn best_window_order(
    m: &Model,
    sim: &Sim<'_>,
    base_bytes: u64,
    base_value: f64,
    steps: &[Step],
    grid: &Grid,
) -> Option<Vec<Step>> {
    let Subsets {
        needs,
        bytes,
        value,
    } = Subsets::new(m, sim, base_bytes, base_value, steps);
    let w = steps.len();
    let full = (1usize << w) - 1;
    // Per step, the steps that need it: it cannot be last in a subset holding one of them.
    let mut needed_by = vec![0usize; w];
    for (j, &n) in needs.iter().enumerate() {
        for (k, nb) in needed_by.iter_mut().enumerate() {
            if n & (1 << k) != 0 {
                *nb |= 1 << j;
            }
        }
    }
    // Each valid subset's place on the grid, looked up once.
    let at: Vec<f64> = bytes
        .iter()
        .zip(&value)
        .map(|(&b, v)| {
            if v.is_finite() {
                grid.cum[grid.index(b)]
            } else {
                0.0
            }
        })
        .collect();
    // best[mask]: objective earned by the prefixes before `mask` along the best path to it.
    let mut best = vec![f64::NEG_INFINITY; full + 1];
    let mut last = vec![usize::MAX; full + 1];
    best[0] = 0.0;
    for mask in 1..=full {
        if value[mask] == f64::NEG_INFINITY {
            continue;
        }
        let mut bits = mask;
        while bits != 0 {
            let k = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let prev = mask & !(1 << k);
            // `k` must not be needed by another step of `mask`.
            if best[prev] == f64::NEG_INFINITY || needed_by[k] & mask != 0 {
                continue;
            }
            let cand = best[prev] + value[prev] * (at[mask] - at[prev]);
            if cand > best[mask] {
                best[mask] = cand;
                last[mask] = k;
            }
        }
    }
    // The current order's objective over the same prefixes.
    let mut cur = 0.0;
    let mut mask = 0usize;
    for k in 0..w {
        let next = mask | (1 << k);
        cur +=
            value[mask] * (grid.cum[grid.index(bytes[next])] - grid.cum[grid.index(bytes[mask])]);
        mask = next;
    }
    if best[full] <= cur + 1e-12 * cur.abs().max(1e-9) {
        return None;
    }
    let mut out = Vec::with_capacity(w);
    let mut mask = full;
    while mask != 0 {
        let k = last[mask];
        out.push(steps[k]);
        mask &= !(1 << k);
    }
    out.reverse();
    Some(out)
}

/// Dense indexes for the items that have steps in the region, so per-item scratch arrays
/// are sized by the region (hundreds), not the pack (up to hundreds of thousands).
struct Local {
    map: std::collections::HashMap<u32, usize>,
    len: usize,
}

impl Local {
    fn new(order: &[Step]) -> Self {
        let mut map = std::collections::HashMap::new();
        for s in order {
            let n = map.len();
            map.entry(s.item).or_insert(n);
        }
        let len = map.len();
        Local { map, len }
    }

    fn of(&self, item: u32) -> usize {
        self.map[&item]
    }
}

/// The subsequences to re-merge, one mask per round, in a fixed order.
fn splits(m: &Model, order: &[Step], deltas: &[(u64, f64)], families: u32) -> Vec<Vec<bool>> {
    let mut out = Vec::new();
    if families & 1 != 0 {
        for &(lo, hi) in BANDS {
            out.push(deltas.iter().map(|d| d.0 >= lo && d.0 < hi).collect());
        }
    }
    if families & 2 != 0 {
        for g in 0..m.group_bytes.len() {
            out.push(
                order
                    .iter()
                    .map(|s| m.items[s.item as usize].group == g)
                    .collect(),
            );
        }
    }
    if families & 4 != 0 {
        for l in 1..=4u8 {
            out.push(order.iter().map(|s| s.level == l).collect());
        }
    }
    if families & 8 != 0 {
        for r in 0..8u64 {
            out.push(
                order
                    .iter()
                    .map(|s| mix(u64::from(s.item) ^ (r << 40)) & 1 == 1)
                    .collect(),
            );
        }
    }
    if families & 16 != 0 {
        let local = Local::new(order);
        let mut seen = vec![false; local.len];
        for s in order {
            let i = local.of(s.item);
            if !seen[i] {
                seen[i] = true;
                out.push(order.iter().map(|x| x.item == s.item).collect());
            }
        }
    }
    out
}

/// A fixed 64-bit mixer, for splits that must look random but be reproducible.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A geometric grid of budgets from `grid_min` to the end of the region, each weighted by
/// the inverse of an estimate of the optimum there (the greedy chain's interpolated value,
/// or the best value of the exact `frontier` within the budget if that is higher), so each
/// budget counts by its ratio to the optimum.
fn make_grid(m: &Model, deltas: &[(u64, f64)], t: &Tuning, frontier: &[(u64, f64)]) -> Grid {
    let mut xs = vec![m.fixed_bytes];
    let mut vs = vec![0.0];
    for &(b, v) in deltas {
        xs.push(xs[xs.len() - 1] + b);
        vs.push(vs[vs.len() - 1] + v);
    }
    let end = xs[xs.len() - 1];
    // Budget -> how many times it counts.
    let mut counts: std::collections::BTreeMap<u64, f64> = std::collections::BTreeMap::new();
    let mut x = t.grid_min.max(m.fixed_bytes) as f64;
    while x <= end as f64 {
        counts.insert(x.round() as u64, 1.0);
        x *= t.grid_ratio;
    }
    for &b in t
        .presets
        .iter()
        .filter(|&&b| b >= m.fixed_bytes && b <= end)
    {
        *counts.entry(b).or_insert(0.0) += t.preset_weight;
    }
    let budgets: Vec<u64> = counts.keys().copied().collect();
    let mut cum = Vec::with_capacity(budgets.len() + 1);
    cum.push(0.0);
    for (&b, &count) in &counts {
        let k = xs.partition_point(|&x| x <= b);
        // Interpolate between prefix k-1 (fits) and prefix k (does not).
        let est = if k >= xs.len() {
            vs[vs.len() - 1]
        } else {
            let (x0, x1) = (xs[k - 1], xs[k]);
            let (v0, v1) = (vs[k - 1], vs[k]);
            v0 + (v1 - v0) * (b - x0) as f64 / (x1 - x0) as f64
        };
        // A value some selection reaches within `b` is a floor for the optimum there.
        let reached = frontier
            .partition_point(|p| p.0 <= b)
            .checked_sub(1)
            .map_or(0.0, |k| frontier[k].1);
        let est = est.max(reached);
        let w = if est > 0.0 { count / est } else { 0.0 };
        cum.push(cum[cum.len() - 1] + w);
    }
    Grid { budgets, cum }
}

/// Re-merges the steps marked `in_f` into the others by dynamic programming over all
/// interleavings that keep both subsequences in order and every item's levels in order.
///
/// Cell `(a, f)` is the prefix made of the first `a` other steps and the first `f` marked
/// steps. A prefix earns its value for every grid budget from its own bytes up to the bytes
/// of the next prefix on the path, so the objective is a sum over the path's edges.
fn merge(
    m: &Model,
    deps: &Deps,
    order: &[Step],
    deltas: &[(u64, f64)],
    in_f: &[bool],
    grid: &Grid,
    local: &Local,
) -> Vec<Step> {
    let (mut a_idx, mut f_idx) = (Vec::new(), Vec::new());
    for (k, &f) in in_f.iter().enumerate() {
        if f { f_idx.push(k) } else { a_idx.push(k) }
    }
    let (na, nf) = (a_idx.len(), f_idx.len());
    let cum = |idx: &[usize]| {
        let mut x = vec![0u64; idx.len() + 1];
        let mut v = vec![0f64; idx.len() + 1];
        for (j, &k) in idx.iter().enumerate() {
            x[j + 1] = x[j] + deltas[k].0;
            v[j + 1] = v[j] + deltas[k].1;
        }
        (x, v)
    };
    let (xa, va) = cum(&a_idx);
    let (xf, vf) = cum(&f_idx);
    // Level-order constraints across the two subsequences: how many steps of the other side
    // must already be taken before a step may be. An item's steps appear in level order in
    // `order`, so the ones a step must follow are exactly the earlier steps of its item.
    // Gates add more: a step must follow every member of every gate it needs.
    let mut last_a = vec![0usize; local.len]; // 1 + index in A of the item's latest A-step
    let mut last_f = vec![0usize; local.len];
    let mut gate_a = vec![0usize; deps.size.len()]; // 1 + index in A of the gate's latest A-member
    let mut gate_f = vec![0usize; deps.size.len()];
    let (mut need_f, mut need_a) = (Vec::with_capacity(na), Vec::with_capacity(nf));
    for (k, s) in order.iter().enumerate() {
        let item = s.item as usize;
        let i = local.of(s.item);
        let (mut after_a, mut after_f) = (last_a[i], last_f[i]);
        for &(l, g) in &m.items[item].needs {
            if l == s.level {
                after_a = after_a.max(gate_a[g as usize]);
                after_f = after_f.max(gate_f[g as usize]);
            }
        }
        if in_f[k] {
            need_a.push(after_a);
            last_f[i] = need_a.len();
        } else {
            need_f.push(after_f);
            last_a[i] = need_f.len();
        }
        for &(l, g) in &deps.member_of[item] {
            if l == s.level {
                if in_f[k] {
                    gate_f[g as usize] = need_a.len();
                } else {
                    gate_a[g as usize] = need_f.len();
                }
            }
        }
    }

    let base = m.fixed_bytes;
    let width = nf + 1;
    let mut from_f = vec![false; (na + 1) * width];
    let mut prev = vec![f64::NEG_INFINITY; width];
    let mut cur = vec![f64::NEG_INFINITY; width];
    let mut prev_idx = vec![0usize; width];
    let mut cur_idx = vec![0usize; width];
    for a in 0..=na {
        // Bytes grow along the row, so the grid position only moves forward.
        let mut ix = grid.index(base + xa[a]);
        for f in 0..=nf {
            let x = base + xa[a] + xf[f];
            while ix < grid.budgets.len() && grid.budgets[ix] < x {
                ix += 1;
            }
            cur_idx[f] = ix;
            if a == 0 && f == 0 {
                cur[0] = 0.0;
                continue;
            }
            let mut best = f64::NEG_INFINITY;
            let mut took_f = false;
            if a > 0 && f >= need_f[a - 1] && prev[f].is_finite() {
                let w = grid.cum[ix] - grid.cum[prev_idx[f]];
                best = prev[f] + (va[a - 1] + vf[f]) * w;
            }
            if f > 0 && a >= need_a[f - 1] && cur[f - 1].is_finite() {
                let w = grid.cum[ix] - grid.cum[cur_idx[f - 1]];
                let cand = cur[f - 1] + (va[a] + vf[f - 1]) * w;
                if cand > best {
                    best = cand;
                    took_f = true;
                }
            }
            cur[f] = best;
            from_f[a * width + f] = took_f;
        }
        std::mem::swap(&mut prev, &mut cur);
        std::mem::swap(&mut prev_idx, &mut cur_idx);
        cur.fill(f64::NEG_INFINITY);
    }
    if !prev[nf].is_finite() {
        return order.to_vec();
    }
    let (mut a, mut f) = (na, nf);
    let mut rev = Vec::with_capacity(na + nf);
    while a > 0 || f > 0 {
        if from_f[a * width + f] {
            f -= 1;
            rev.push(order[f_idx[f]]);
        } else {
            a -= 1;
            rev.push(order[a_idx[a]]);
        }
    }
    rev.reverse();
    rev
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::model::{ModelItem, ModelLevel};

    fn item(group: usize, weight: f64, levels: &[(u64, f64)]) -> ModelItem {
        ModelItem {
            group,
            weight,
            levels: levels
                .iter()
                .enumerate()
                .map(|(i, &(bytes, value))| ModelLevel {
                    semantic: i as u8 + 1,
                    bytes,
                    value,
                })
                .collect(),
            covers: Vec::new(),
            cover_level: 0,
            needs: Vec::new(),
        }
    }

    fn model(items: Vec<ModelItem>) -> Model {
        Model {
            fixed_bytes: 10,
            group_bytes: vec![5, 7],
            items,
            rho: 0.3,
            gates: Vec::new(),
        }
    }

    #[test]
    fn prefix_for_finds_longest_fitting_prefix() {
        let m = model(vec![
            item(0, 1.0, &[(20, 1.0), (50, 2.0)]),
            item(1, 1.0, &[(30, 1.0)]),
        ]);
        let c = Chain::greedy(&m);
        assert_eq!(c.prefix_for(9), None);
        assert_eq!(c.prefix_for(10), Some(0));
        let full = c.steps().len();
        assert_eq!(c.prefix_for(u64::MAX), Some(full));
        for p in 0..=full {
            assert_eq!(c.prefix_for(c.bytes_at(p)), Some(p));
        }
        assert_eq!(c.bytes_at(full), m.full().0);
    }

    #[test]
    fn headings_are_paid_once_per_section() {
        let m = model(vec![item(0, 1.0, &[(20, 1.0)]), item(0, 1.0, &[(20, 1.0)])]);
        let c = Chain::greedy(&m);
        assert_eq!(c.bytes_at(1), 10 + 5 + 20);
        assert_eq!(c.bytes_at(2), 10 + 5 + 40);
    }

    #[test]
    fn coverage_credit_counts_once() {
        let mut a = item(0, 8.0, &[(10, 0.8), (100, 4.8)]);
        a.covers = vec![1];
        a.cover_level = 2;
        let b = item(0, 4.0, &[(10, 0.4), (100, 2.4)]);
        let m = model(vec![a, b]);
        let c = Chain::build(&m);
        let n = c.steps().len();
        let (bytes, value) = m.evaluate(&c.levels_at(n, 2));
        assert_eq!(bytes, c.bytes_at(n));
        assert!(
            (value - 7.2).abs() < 1e-9,
            "both at their top level: 4.8 + 2.4, no credit on top"
        );
        // Every prefix's running value equals a fresh evaluation of its selection.
        for p in 0..=n {
            let (b, v) = m.evaluate(&c.levels_at(p, 2));
            assert_eq!(b, c.bytes_at(p));
            assert!(
                (v - c.value_at(p)).abs() < 1e-9,
                "prefix {p}: {v} vs {}",
                c.value_at(p)
            );
        }
    }

    #[test]
    fn a_small_step_moves_in_front_of_a_large_one_when_it_fills_the_gap() {
        // Greedy takes A (dense, 200 B) first, then B (100 B); a 150-byte budget gets nothing.
        // The improved chain lets budgets between 100 and 200 hold B.
        let m = model(vec![
            item(0, 1.0, &[(200, 10.0)]),
            item(0, 1.0, &[(100, 4.9)]),
        ]);
        let t = Tuning {
            grid_min: 16,
            ..Tuning::default()
        };
        let g = Chain::greedy(&m);
        let c = Chain::build_with(&m, &t);
        let budget = 10 + 5 + 150;
        assert_eq!(g.value_at(g.prefix_for(budget).unwrap()), 0.0);
        assert_eq!(c.value_at(c.prefix_for(budget).unwrap()), 4.9);
    }
}
