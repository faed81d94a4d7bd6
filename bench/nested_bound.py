#!/usr/bin/env python3
"""A proved upper bound on the best MEAN ratio that any nested answer can reach on a grid.

`nested_optimum.py` searches the whole chain of budgets at once; on a fine grid CP-SAT stops
at its time limit with a loose bound. This script gets a bound it can prove, by relaxation:
cut the grid into consecutive windows of W budgets and solve each window on its own, exactly
(maximise the sum of value / single-budget optimum over the window's budgets, with every
item kept at one budget kept at every larger budget of the window at the same or a higher
level). A nested answer for the whole grid restricts to a nested answer on every window, so
the sum of the window maxima bounds its sum of ratios. Every offset of the cut gives a
valid bound; the smallest is reported. The pack's full size, where every nested answer can
keep everything, counts as 1.

Each window's bound is CP-SAT's proved objective bound (equal to the optimum when it proves
optimality); the ratio weights are rounded up, so the bound is never below the truth.

Each window also reports the best nested answer CP-SAT found in its time: with one window
over the whole range (`--window N --offsets 1`), that is a search for a better chain over
exactly those budgets, to compare with memseed's.

Usage: bench/nested_bound.py TOPIC [--min 512] [--max 65536] [--steps-per-octave 16]
       [--window 6] [--time 60]     (run through bench/run-optimum's venv: needs OR-Tools)
"""
import argparse, json, math, pathlib, subprocess, sys

from ortools.sat.python import cp_model

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from nested_optimum import MEMSEED, SCALE, Nested, log_grid, model_at, solve  # noqa: E402
from optima import solve_all  # noqa: E402

WEIGHT = 10 ** 9  # ratio weights: ceil(WEIGHT / optimum)


def window_bound(base, budgets, opt, seconds):
    """Upper bound on the sum of ratios of a nested answer over these budgets, whether
    CP-SAT proved it optimal, and the sum of the best nested answer it found."""
    n = Nested(base, budgets)
    weights = [math.ceil(WEIGHT / o) for o in opt]
    n.md.Maximize(sum(w * v for w, v in zip(weights, n.value)))
    s, st = solve(n.md, seconds, workers=1, linearization=2)
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise SystemExit(f'window {budgets[0]}..{budgets[-1]}: no solution ({s.StatusName(st)})')
    # value is scaled by SCALE, weight by WEIGHT: ratio sum <= bound / WEIGHT.
    return s.BestObjectiveBound() / WEIGHT, st == cp_model.OPTIMAL, s.ObjectiveValue() / WEIGHT


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('topic')
    ap.add_argument('--min', type=int, default=512)
    ap.add_argument('--max', type=int, default=65536)
    ap.add_argument('--steps-per-octave', type=int, default=16)
    ap.add_argument('--window', type=int, default=6)
    ap.add_argument('--offsets', type=int, default=None, help='cut offsets to try (default: all W)')
    ap.add_argument('--time', type=float, default=60, help='seconds per CP-SAT solve')
    a = ap.parse_args()
    budgets = log_grid(a.min, a.max, a.steps_per_octave)
    topics = json.loads(subprocess.check_output([str(MEMSEED), 'topics', '--format', 'json']))['topics']
    full = next(t['full_bytes'] for t in topics if t['id'] == a.topic)
    budgets = [b for b in budgets if b < full]
    base = model_at(a.topic, budgets[-1])
    # Single-budget optima, scaled to the integer units of the nested model.
    opt = [round(o * SCALE) for o in solve_all(a.topic, budgets).values()]
    ours = [model_at(a.topic, b)['value'] * SCALE / o for b, o in zip(budgets, opt)]
    n = len(budgets) + 1  # + the full size
    print(f'{a.topic}: {len(budgets)} budgets {budgets[0]}..{budgets[-1]} B, {a.steps_per_octave} per octave, plus the full size ({full} B)')
    print(f'memseed: mean ratio {(sum(ours) + 1) / n:.4f}')
    W = a.window
    best = None
    memo = {}
    for off in range(min(W, a.offsets or W)):
        cuts = [budgets[:off]] if off else []
        cuts += [budgets[i:i + W] for i in range(off, len(budgets), W)]
        total, proved, parts = 1.0, True, []
        for w in cuts:
            if not w:
                continue
            key = (w[0], len(w))
            if key not in memo:
                idx = [budgets.index(b) for b in w]
                memo[key] = window_bound(base, w, [opt[i] for i in idx], a.time)
            bound, ok, found = memo[key]
            total += bound
            proved &= ok
            parts.append((bound / len(w), found / len(w)))
        mean = total / n
        print(f'  windows of {W}, offset {off}: best nested mean <= {mean:.4f}' + ('' if proved else ' (some windows at the time limit: their proved bound is used)'))
        if best is None or mean < best[0]:
            best = (mean, off, parts, cuts)
    mean, off, parts, cuts = best
    print(f'BOUND: no nested answer averages more than {mean:.4f} over these {n} budgets (windows of {W}, offset {off})')
    low = [(p, c) for (p, _), c in zip(parts, [c for c in cuts if c]) if c[-1] <= 4096]
    if low:
        n_low = sum(len(c) for _, c in low)
        print(f'   of which the {n_low} budgets up to 4096 B: <= {sum(p * len(c) for p, c in low) / n_low:.4f}')
    r = dict(zip(budgets, ours))
    print('   per window, first budget: bound / best nested answer found / memseed:', ' '.join(
        f'{c[0]}:{p:.4f}/{f:.4f}/{sum(r[b] for b in c) / len(c):.4f}'
        for (p, f), c in zip(parts, [c for c in cuts if c])))


if __name__ == '__main__':
    main()
