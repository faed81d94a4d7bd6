#!/usr/bin/env python3
"""Measures memseed's compression against the exact optimum of its own model.

For every bundled pack, and for random packs shaped like ours, it asks memseed for the
selection model at a grid of budgets (512 B to 64 KB, four steps per octave by default, plus
the pack's full size), solves each model exactly with ../shared/tools/optimum.py (OR-Tools
CP-SAT), and prints the ratio of the value memseed keeps to the optimum: the mean, the
mean above 8 KB, and the worst, per pack and overall.

Usage: bench/optimum.py [--random-seeds N] [--jobs J] [--skip-bundled] [--skip-random]
       [--steps-per-octave K]
Needs OR-Tools: bench/run-optimum sets up bench/.venv and calls this script.
When CP-SAT stops at its time limit without proving optimality, the ratio is taken to
its proven bound (a lower bound of the true ratio), and the line says so.
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


def grid(per_octave):
    """512 B to 64 KiB in equal steps on a log scale."""
    return [round(512 * 2 ** (k / per_octave)) for k in range(7 * per_octave + 1)]


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
    args = ap.parse_args()
    GRID = grid(args.steps_per_octave)
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
        print(f'== {kind} packs (budgets: {GRID[0]} B to {GRID[-1]} B, {args.steps_per_octave} per octave, plus the full size)')
        all_r, all_above = [], []
        for n in names:
            rows = [r for k, nn, r in results if k == kind and nn == n]
            rs, above, worst = report(n, rows)
            if args.show:
                print('   ' + '  '.join(f'{r["budget"]}:{r["ratio"]:.3f}' for r in rows))
            all_r += rs; all_above += above
            mean_t, worst_t = TARGETS[kind]
            if kind == 'bundled' and (sum(rs) / len(rs) < mean_t or worst['ratio'] < worst_t):
                ok = False
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
