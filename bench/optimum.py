#!/usr/bin/env python3
"""Measures memseed's compression against the exact optimum of its own model.

For every bundled pack, and for random packs shaped like ours, it asks memseed for the
selection model at a grid of budgets (512 B to 64 KB, four steps per octave by default, plus
the pack's full size), solves each model exactly with ../shared/tools/optimum.py (OR-Tools
CP-SAT), and prints the ratio of the value memseed keeps to the optimum: the mean, the
mean above 8 KB, and the worst, per pack and overall.

Usage: bench/optimum.py [--random-seeds N] [--jobs J] [--skip-bundled] [--skip-random]
       [--steps-per-octave K] [--half-step] [--no-floor-proof] [--show] [--only TOPIC]
Needs OR-Tools: bench/run-optimum sets up bench/.venv and calls this script.
When CP-SAT stops at its time limit without proving optimality, the ratio is taken to
its proven bound (a lower bound of the true ratio), and the line says so.

--half-step moves every budget half a step up (the budgets between the default grid's),
which shows how a chain does away from the grid it is scored on. For each bundled pack
below the 0.95 floor somewhere, the bench then runs bench/nested_optimum.py's exact
max-min over the grid's budgets from 512 B up to the last one missed, then up to twice
that, and so on, until no nested answer reaches 0.95 on those budgets (a nested answer on
the whole grid is one on any part of it) or the grid ends; the issue asks for that proof
in place of the floor. --no-floor-proof skips it.
"""
import argparse, json, os, pathlib, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

ROOT = pathlib.Path(__file__).resolve().parent.parent
OPTIMUM = (ROOT / '..' / 'shared' / 'tools' / 'optimum.py').resolve()
MEMSEED = ROOT / 'target' / 'release' / 'memseed'
SYNTH = ROOT / 'target' / 'release' / 'examples' / 'synth_models'
TARGETS = {'bundled': (0.99, 0.95), 'random': (0.98, None)}
LINE = re.compile(r'budget=(\d+) chosen=([\d.]+) optimum=([\d.]+) \((optimal|feasible bound=([\d.]+))\) ratio=([\d.na]+) bytes=(\d+) check=(.*)')


def solve(model_json):
    r = subprocess.run([sys.executable, str(OPTIMUM)], input=model_json, capture_output=True, text=True)
    m = LINE.search(r.stdout)
    if not m or r.returncode != 0:
        raise SystemExit(f'optimum.py failed ({r.returncode}): {r.stdout}{r.stderr}')
    budget, chosen, opt = int(m[1]), float(m[2]), float(m[3])
    bound = float(m[5]) if m[5] else opt
    ratio = chosen / bound if bound > 0 else 1.0
    return {'budget': budget, 'chosen': chosen, 'optimum': opt, 'proved': m[4] == 'optimal',
            'ratio': ratio, 'bytes': int(m[7]), 'check': m[8]}


def grid(per_octave, half_step=False):
    """512 B to 64 KiB in equal steps on a log scale (shifted up half a step: between them)."""
    if half_step:
        return [round(512 * 2 ** ((k + 0.5) / per_octave)) for k in range(7 * per_octave)]
    return [round(512 * 2 ** (k / per_octave)) for k in range(7 * per_octave + 1)]


def prove_floor(topic, budgets, seconds=600):
    """The best worst-case ratio any nested answer reaches over `budgets` (CP-SAT's proved
    bound), whether it is proved optimal, and the budget that binds, by
    bench/nested_optimum.py's model; None when a single-budget optimum did not prove."""
    sys.path.insert(0, str(ROOT / 'bench'))
    import nested_optimum as no
    base = no.model_at(topic, budgets[-1])
    opt, proved = no.single_optima(base, budgets, workers=1, linearization=2)
    if not proved:
        return None
    _, bound, optimal, bind = no.max_min(base, budgets, opt, seconds)
    return bound, optimal, bind


def bundled_models(GRID):
    topics = json.loads(subprocess.check_output([str(MEMSEED), 'topics', '--format', 'json']))['topics']
    for t in topics:
        if t['origin'] != 'bundled':
            continue
        budgets = [b for b in GRID if b < t['full_bytes']] + [t['full_bytes']]
        for b in budgets:
            out = subprocess.check_output([str(MEMSEED), 'compress', t['id'], '--budget', str(b), '--format', 'model'], text=True)
            yield t['id'], b, out


def random_models(seeds, GRID):
    for items in (60, 300):
        for seed in range(seeds):
            lines = subprocess.check_output([str(SYNTH), str(items), str(seed), ','.join(map(str, GRID + [0]))], text=True).splitlines()
            full = json.loads(lines[-1])['budget']
            for b, line in zip(GRID + [full], lines):
                if b <= full:
                    yield f'random-{items}-s{seed}', b, line


def report(name, rows):
    rs = [r['ratio'] for r in rows]
    above = [r['ratio'] for r in rows if r['budget'] > 8192]
    worst = min(rows, key=lambda r: r['ratio'])
    unproved = sum(not r['proved'] for r in rows)
    print(f'{name:<18} n={len(rs):>3}  mean={sum(rs)/len(rs):.4f}  mean>8K={(sum(above)/len(above)) if above else float("nan"):.4f}  '
          f'worst={worst["ratio"]:.4f} at {worst["budget"]} B' + (f'  ({unproved} at time limit, ratio to bound)' if unproved else ''))
    return rs, above, worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--random-seeds', type=int, default=3)
    ap.add_argument('--jobs', type=int, default=os.cpu_count() or 2)
    ap.add_argument('--skip-bundled', action='store_true')
    ap.add_argument('--skip-random', action='store_true')
    ap.add_argument('--show', action='store_true', help='print the ratio at every budget')
    ap.add_argument('--only', help='bundled pack to run (slug); implies --skip-random')
    ap.add_argument('--steps-per-octave', type=int, default=4, help='grid resolution (4: quarter-octave, as in the issue)')
    ap.add_argument('--half-step', action='store_true', help='every budget half a step up: between the grid\'s budgets')
    ap.add_argument('--no-floor-proof', dest='prove_floor', action='store_false',
                    help='skip the proof of whether any nested answer reaches the 0.95 floor')
    args = ap.parse_args()
    GRID = grid(args.steps_per_octave, args.half_step)
    subprocess.run(['cargo', 'build', '-q', '--release', '--bin', 'memseed', '--example', 'synth_models', '-p', 'memseed', '-p', 'memseed-core'], cwd=ROOT, check=True)
    jobs = []
    if not args.skip_bundled:
        jobs += [('bundled',) + j for j in bundled_models(GRID) if not args.only or j[0] == args.only]
    if not args.skip_random and not args.only:
        jobs += [('random',) + j for j in random_models(args.random_seeds, GRID)]
    with ThreadPoolExecutor(args.jobs) as ex:
        results = list(ex.map(lambda j: (j[0], j[1], solve(j[3])), jobs))
    bad = [r for _, _, r in results if r['check'] != 'ok']
    ok = True
    for kind in ('bundled', 'random'):
        names = sorted({n for k, n, _ in results if k == kind})
        if not names:
            continue
        shift = ', shifted half a step' if args.half_step else ''
        print(f'== {kind} packs (budgets: {GRID[0]} B to {GRID[-1]} B, {args.steps_per_octave} per octave{shift}, plus the full size)')
        all_r, all_above = [], []
        for n in names:
            rows = [r for k, nn, r in results if k == kind and nn == n]
            rs, above, worst = report(n, rows)
            if args.show:
                print('   ' + '  '.join(f'{r["budget"]}:{r["ratio"]:.3f}' for r in rows))
            all_r += rs; all_above += above
            mean_t, worst_t = TARGETS[kind]
            if kind != 'bundled':
                continue
            if sum(rs) / len(rs) < mean_t:
                ok = False
                print(f'   mean below {mean_t}')
            low = [r['budget'] for r in rows if r['ratio'] < worst_t]
            if not low:
                continue
            print(f'   below {worst_t} at {len(low)} budgets: {", ".join(f"{b} B" for b in low)}')
            if not args.prove_floor:
                ok = False
                print('   (without --no-floor-proof the bench checks whether any nested answer reaches it)')
                continue
            top, proof = max(low), None
            while True:
                part = [b for b in GRID if b <= top]
                proof = prove_floor(n, part)
                if proof is None:
                    print(f'   {GRID[0]}-{part[-1]} B: a single-budget optimum did not prove; no floor proof')
                    break
                best, proved, bind = proof
                how = 'proved' if proved else 'upper bound at the time limit'
                print(f'   {GRID[0]}-{part[-1]} B ({len(part)} budgets): the best worst-case ratio of any '
                      f'nested answer is at most {best:.4f} ({how}), binding at {bind} B')
                if best < worst_t or part[-1] == GRID[-1]:
                    break
                top *= 2
            if proof is None or proof[0] >= worst_t:
                ok = False
            else:
                print(f'   so no nested answer reaches {worst_t} at every budget: the floor is out of reach')
        mean = sum(all_r) / len(all_r)
        above = sum(all_above) / len(all_above)
        print(f'{"ALL " + kind:<18} n={len(all_r):>3}  mean={mean:.4f}  mean>8K={above:.4f}  worst={min(all_r):.4f}')
        if kind == 'random' and (mean < 0.98 or above < 0.99):
            ok = False
    if bad:
        ok = False
        print(f'{len(bad)} models failed their consistency check: {bad[:3]}')
    print('targets met' if ok else 'TARGETS NOT MET')
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
