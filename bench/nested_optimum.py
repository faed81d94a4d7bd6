#!/usr/bin/env python3
"""The best that ANY nested answer can do on a pack, over a grid of budgets.

`optimum.py` solves one budget at a time; the best answers of two budgets need not be
nested. This solves all the budgets of a grid at once, with the constraint that every item
kept at a budget is kept at every larger budget at the same or a higher level, exactly as
memseed's answers are. It reports:

  1. the largest worst-case ratio any nested answer can reach (max-min), with the budget
     that binds;
  2. the largest mean ratio any nested answer can reach while keeping every budget at or
     above a floor (default: the max-min of step 1, capped at 0.95);

each ratio taken to the single-budget optimum (solved first with the same solver). It then
compares memseed's own answers on the same grid.

Usage: bench/nested_optimum.py TOPIC [--min 512] [--max 4096] [--steps-per-octave 4]
       [--time 300]     (run through bench/run-optimum's venv: needs OR-Tools)
"""
import argparse, json, pathlib, subprocess, sys

from ortools.sat.python import cp_model

ROOT = pathlib.Path(__file__).resolve().parent.parent
MEMSEED = ROOT / 'target' / 'release' / 'memseed'
SCALE = 10000


def model_at(topic, budget):
    """The model of a bundled topic, or of a random pack named `synth:SHAPE:CONCEPTS:SEED`."""
    if topic.startswith('synth:'):
        _, shape, concepts, seed = topic.split(':')
        synth = ROOT / 'target' / 'release' / 'examples' / 'synth_models'
        out = subprocess.check_output([str(synth), shape, concepts, seed, str(budget)], text=True)
    else:
        out = subprocess.check_output([str(MEMSEED), 'compress', topic, '--budget', str(budget), '--format', 'model'], text=True)
    return json.loads(out)


class Nested:
    """CP-SAT variables for one level choice per item per budget, nested across budgets."""

    def __init__(self, m, budgets):
        self.m, self.budgets = m, budgets
        md = self.md = cp_model.CpModel()
        items, rho = m['items'], float(m['rho'])
        J = len(budgets)
        # at[i][k][j]: item i kept at level >= k+1 at budget j.
        self.at = [[[md.NewBoolVar('') for _ in range(J)] for _ in it['levels']] for it in items]
        for i, it in enumerate(items):
            for k in range(len(it['levels'])):
                for j in range(J):
                    if k > 0:
                        md.AddImplication(self.at[i][k][j], self.at[i][k - 1][j])
                    if j > 0:
                        md.AddImplication(self.at[i][k][j - 1], self.at[i][k][j])
        gbytes = {g['id']: int(g['bytes']) for g in m['groups']}
        coverers = {}
        for i, it in enumerate(items):
            for c in it.get('covers', []):
                coverers.setdefault(c, []).append((i, it['cover_level'] - 1))
        index = {it['id']: i for i, it in enumerate(items)}
        # `requires` rows hold at every budget: item at level >= L needs another at >= N.
        for r in m.get('requires', []):
            a, b = index[r['item']], index[r['needs']]
            for j in range(J):
                md.AddImplication(self.at[a][r.get('level', 1) - 1][j], self.at[b][r.get('needs_level', 1) - 1][j])
        self.value = []
        for j, b in enumerate(budgets):
            terms = []
            groups = {}
            for i, it in enumerate(items):
                prev = 0
                for k, lv in enumerate(it['levels']):
                    terms.append((int(lv['bytes']) - prev) * self.at[i][k][j])
                    prev = int(lv['bytes'])
                groups.setdefault(it['group'], []).append(self.at[i][0][j])
            for g, xs in groups.items():
                on = md.NewBoolVar('')
                for x in xs:
                    md.AddImplication(x, on)
                terms.append(gbytes[g] * on)
            md.Add(int(m['fixed_bytes']) + sum(terms) <= b)
            val = []
            for i, it in enumerate(items):
                lv = [round(l['value'] * SCALE) for l in it['levels']]
                prev = 0
                for k, v in enumerate(lv):
                    val.append((v - prev) * self.at[i][k][j])
                    prev = v
                cov = coverers.get(it['id'], [])
                credit = round(rho * it['weight'] * SCALE)
                if cov and credit > 0:
                    c = md.NewBoolVar('')
                    md.AddBoolOr([self.at[p][cl][j] for p, cl in cov]).OnlyEnforceIf(c)
                    # Exactly at level L (0 = dropped) with credit above its value: a bonus.
                    for L in range(len(lv) + 1):
                        own = lv[L - 1] if L else 0
                        if credit <= own:
                            continue
                        exact = md.NewBoolVar('')
                        below = self.at[i][L][j] if L < len(lv) else None
                        above = self.at[i][L - 1][j] if L else None
                        # exact => (level >= L) and not (level >= L+1) and covered
                        if above is not None:
                            md.AddImplication(exact, above)
                        if below is not None:
                            md.AddImplication(exact, below.Not())
                        md.AddImplication(exact, c)
                        val.append((credit - own) * exact)
            self.value.append(sum(val))

    def levels(self, solver, j):
        return {it['id']: sum(solver.Value(x[j]) for x in self.at[i])
                for i, it in enumerate(self.m['items'])}


def solve(md, seconds, workers=2, linearization=None):
    """CP-SAT with a time limit. The figures in docs/compression.md from this script were
    measured with the defaults; nested_bound.py passes 1 worker and linearization level 2,
    as optimum.py does, which proves its window models far faster."""
    s = cp_model.CpSolver()
    s.parameters.max_time_in_seconds = seconds
    s.parameters.num_workers = workers
    if linearization is not None:
        s.parameters.linearization_level = linearization
    st = s.Solve(md)
    return s, st


def log_grid(lo, hi, per_octave):
    """Budgets from `lo` up to `hi` in equal steps on a log scale."""
    budgets, k = [], 0
    while (b := round(lo * 2 ** (k / per_octave))) <= hi:
        budgets.append(b)
        k += 1
    return budgets


def single_optima(base, budgets, **solver):
    """The single-budget optimum of the model at each budget, and whether all were proved."""
    opt, proved = [], True
    for b in budgets:
        one = Nested(dict(base, budget=b), [b])
        one.md.Maximize(one.value[0])
        s, st = solve(one.md, 60, **solver)
        opt.append(s.ObjectiveValue() / SCALE)
        proved &= st == cp_model.OPTIMAL
    return opt, proved


def max_min(base, budgets, opt, seconds):
    """The best worst-case ratio to `opt` of any nested answer over `budgets`: the value
    found, CP-SAT's proved upper bound, whether it proved optimality, and the budget that
    binds in the answer found."""
    n = Nested(base, budgets)
    t = n.md.NewIntVar(0, SCALE, 't')
    for j, o in enumerate(opt):
        # value_j / opt_j >= t / SCALE  <=>  value_j * SCALE >= t * opt_j * SCALE
        n.md.Add(n.value[j] * SCALE >= t * round(o * SCALE))
    n.md.Maximize(t)
    s, st = solve(n.md, seconds)
    ratios = [s.Value(n.value[j]) / SCALE / o for j, o in enumerate(opt)]
    bind = budgets[min(range(len(budgets)), key=lambda j: ratios[j])]
    return s.ObjectiveValue() / SCALE, s.BestObjectiveBound() / SCALE, st == cp_model.OPTIMAL, bind


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('topic')
    ap.add_argument('--min', type=int, default=512)
    ap.add_argument('--max', type=int, default=4096)
    ap.add_argument('--steps-per-octave', type=int, default=4)
    ap.add_argument('--time', type=float, default=300)
    ap.add_argument('--floor', type=float, default=None)
    ap.add_argument('--show', action='store_true', help='print what the best nested answer adds at each budget')
    a = ap.parse_args()
    budgets = log_grid(a.min, a.max, a.steps_per_octave)
    base = model_at(a.topic, budgets[-1])
    # Single-budget optimum and memseed's own value at each budget.
    opt, _ = single_optima(base, budgets)
    ours = [model_at(a.topic, b)['value'] for b in budgets]
    print(f'{a.topic}: {len(budgets)} budgets {budgets[0]}..{budgets[-1]} B')
    print('single-budget optimum:', ' '.join(f'{b}:{o:.1f}' for b, o in zip(budgets, opt)))
    # 1. max-min ratio over nested answers.
    maxmin, bound, proved, bind = max_min(base, budgets, opt, a.time)
    status = 'optimal' if proved else f'time limit; upper bound {bound:.4f}'
    print(f'1. best worst-case ratio of any nested answer: {maxmin:.4f} ({status}), binding at {bind} B')
    # 2. max mean subject to the floor.
    floor = a.floor if a.floor is not None else min(maxmin, 0.95)
    n2 = Nested(base, budgets)
    for j, o in enumerate(opt):
        n2.md.Add(n2.value[j] * SCALE >= round(floor * SCALE) * round(o * SCALE))
    weights = [round(SCALE * SCALE / (o * SCALE)) for o in opt]  # 1/opt, scaled
    n2.md.Maximize(sum(w * v for w, v in zip(weights, n2.value)))
    s2, st2 = solve(n2.md, a.time)
    r2 = [s2.Value(n2.value[j]) / SCALE / o for j, o in enumerate(opt)]
    status2 = 'optimal' if st2 == cp_model.OPTIMAL else 'time limit'
    print(f'2. best mean ratio of a nested answer with every budget >= {floor:.4f}: {sum(r2)/len(r2):.4f} ({status2})')
    print('   per budget:', ' '.join(f'{b}:{r:.3f}' for b, r in zip(budgets, r2)))
    if a.show:
        prev = {}
        for j, b in enumerate(budgets):
            lv = n2.levels(s2, j)
            added = {k: v for k, v in lv.items() if v and v != prev.get(k, 0)}
            print(f'   {b:>6} B: +' + ', '.join(f'{k}@{v}' for k, v in added.items()))
            prev = lv
    ro = [v / o for v, o in zip(ours, opt)]
    print(f'memseed: mean {sum(ro)/len(ro):.4f}, worst {min(ro):.4f}')
    print('   per budget:', ' '.join(f'{b}:{r:.3f}' for b, r in zip(budgets, ro)))


if __name__ == '__main__':
    main()
