#!/usr/bin/env python3
"""Solves a bundled pack's model exactly at every budget of a geometric grid and writes the
optima to target/optima-TOPIC.json ({"budget": value}).

With that file, `OPTIMA=target/optima-python.json cargo run --release -p memseed-core
--example ratio -- topics/python.toml` prints the chain's ratio to the optimum on the
1/16- and 1/4-octave grids in a second, so a change to the chain builder can be judged
without re-solving. The optima depend only on the pack and the value model: re-run this
when either changes.

Usage: bench/optima.py TOPIC [--steps-per-octave 16] [--half-step]   (through bench/run-optimum's venv)
"""
import argparse, json, pathlib, subprocess, sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from optimum import MEMSEED, ROOT, grid, solve  # noqa: E402


def solve_all(topic, budgets):
    """The proved CP-SAT optimum of TOPIC's model at each budget, by ../shared/tools/optimum.py."""
    def one(b):
        model = subprocess.check_output([str(MEMSEED), 'compress', topic, '--budget', str(b), '--format', 'model'], text=True)
        r = solve(model)
        if not r['proved']:
            raise SystemExit(f'{topic} at {b} B: optimum not proved')
        return b, r['optimum']

    with ThreadPoolExecutor(2) as ex:
        return dict(ex.map(one, budgets))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('topic')
    ap.add_argument('--steps-per-octave', type=int, default=16)
    ap.add_argument('--half-step', action='store_true',
                    help='shift the grid by half a step (budgets no objective grid of the chain contains); writes optima-TOPIC-half.json')
    a = ap.parse_args()

    optima = solve_all(a.topic, grid(a.steps_per_octave, a.half_step))
    out = ROOT / 'target' / f"optima-{a.topic}{'-half' if a.half_step else ''}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({str(b): v for b, v in optima.items()}))
    print(f'{len(optima)} optima written to {out}')


if __name__ == '__main__':
    main()
