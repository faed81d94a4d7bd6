#!/usr/bin/env python3
"""Reference FSRS values from py-fsrs, the reference Python implementation.

Writes JSON (to stdout) that tests/fsrs_reference.rs replays through fsrs-rs and through
memseed's Scheduler. Regenerate with:

    python3 -m venv /tmp/pyvenv && /tmp/pyvenv/bin/pip install 'fsrs>=6,<7'
    /tmp/pyvenv/bin/python crates/study/tests/reference/fsrs_reference.py \
        > crates/study/tests/reference/fsrs_reference.json

Two sections:
- "formulas": learning_steps=() and relearning_steps=(), fuzz off, so every review goes
  straight through the FSRS formulas (initial state, short-term, recall and forget
  stability, difficulty, next interval).
- "steps": py-fsrs's default steps (1 min, 10 min; relearning 10 min), fuzz off, to check
  phases, steps and due times of the learning-step logic around the formulas.

Each review is given as [rating, gap] where gap is the time since the previous review in
seconds, or the string "due" for "exactly when the card falls due". The first gap is
ignored. Times start at 2024-01-01T00:00:00Z.
"""

import json
import math
from datetime import datetime, timedelta, timezone
from importlib.metadata import version

from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS

H = 3600
D = 86400
START = datetime(2024, 1, 1, tzinfo=timezone.utc)

# name, desired retention, reviews
FORMULA_CASES = [
    ("good-on-due", 0.9, [[3, 0]] + [[3, "due"]] * 7),
    ("again-then-good", 0.9, [[1, 0]] + [[3, "due"]] * 5),
    ("easy-on-due", 0.9, [[4, 0]] + [[4, "due"]] * 4),
    ("hard-on-due", 0.9, [[2, 0]] + [[2, "due"]] * 6),
    ("lapse-at-review", 0.9, [[3, 0], [3, "due"], [3, "due"], [1, "due"], [3, "due"], [3, "due"], [3, "due"]]),
    ("mixed", 0.9, [[3, 0], [2, "due"], [4, "due"], [3, "due"], [1, "due"], [2, "due"], [4, "due"]]),
    ("same-day", 0.9, [[3, 0], [3, 600], [1, 3 * H], [2, 60], [3, 20 * H], [3, 30 * H], [4, 2 * H]]),
    ("late-and-early", 0.9, [[3, 0], [3, 10 * D], [3, 90 * D], [1, 400 * D], [3, 1 * D], [3, 3 * D + 5 * H]]),
    ("partial-days", 0.9, [[3, 0], [3, 47 * H], [3, 25 * H], [2, 71 * H + 59 * 60], [3, 49 * H]]),
    ("retention-0.8", 0.8, [[3, 0]] + [[3, "due"]] * 5 + [[1, "due"], [3, "due"]]),
    ("retention-0.97", 0.97, [[3, 0]] + [[3, "due"]] * 5 + [[2, "due"], [3, "due"]]),
    ("again-again", 0.9, [[1, 0], [1, "due"], [1, "due"], [3, "due"], [3, "due"], [1, "due"], [1, 0], [3, "due"]]),
]

STEP_CASES = [
    ("good-x5", 0.9, [[3, 0]] + [[3, "due"]] * 4),
    ("again-good-good", 0.9, [[1, 0], [3, "due"], [3, "due"], [3, "due"]]),
    ("easy", 0.9, [[4, 0], [3, "due"]]),
    ("hard-path", 0.9, [[2, 0], [2, "due"], [3, "due"], [2, "due"], [3, "due"], [3, "due"]]),
    ("lapse", 0.9, [[3, 0], [3, "due"], [3, "due"], [1, "due"], [3, "due"], [3, "due"]]),
    ("lapse-hard-again", 0.9, [[3, 0], [3, "due"], [3, "due"], [1, "due"], [2, "due"], [1, "due"], [3, "due"], [3, "due"]]),
    ("hard-at-review", 0.9, [[3, 0], [3, "due"], [2, "due"], [2, "due"]]),
    ("lapse-easy", 0.9, [[3, 0], [3, "due"], [3, "due"], [1, "due"], [4, "due"], [3, "due"]]),
]


def replay(reviews, retention, learning_steps, relearning_steps):
    scheduler = Scheduler(
        desired_retention=retention,
        learning_steps=learning_steps,
        relearning_steps=relearning_steps,
        enable_fuzzing=False,
    )
    card = Card(card_id=1, due=START)
    now = START
    out = []
    for i, (rating, gap) in enumerate(reviews):
        if i > 0:
            now = card.due if gap == "due" else now + timedelta(seconds=gap)
        card, _ = scheduler.review_card(card, Rating(rating), review_datetime=now)
        due_secs = (card.due - now).total_seconds()
        assert due_secs == int(due_secs)
        out.append(
            {
                "at": int((now - START).total_seconds()),
                "rating": rating,
                "state": card.state.name.lower(),
                "step": card.step,
                "stability": card.stability,
                "difficulty": card.difficulty,
                "due_in_secs": int(due_secs),
                # whole days when the card went to (or stayed in) review
                "interval_days": int(due_secs) // D if card.state.name == "Review" else None,
            }
        )
    return out


def main():
    assert all(math.isfinite(p) for p in DEFAULT_PARAMETERS)
    formulas = [
        {"name": name, "desired_retention": r, "reviews": replay(rev, r, (), ())}
        for name, r, rev in FORMULA_CASES
    ]
    steps = [
        {
            "name": name,
            "desired_retention": r,
            "reviews": replay(
                rev,
                r,
                (timedelta(minutes=1), timedelta(minutes=10)),
                (timedelta(minutes=10),),
            ),
        }
        for name, r, rev in STEP_CASES
    ]
    doc = {
        "generator": "crates/study/tests/reference/fsrs_reference.py",
        "py_fsrs_version": version("fsrs"),
        "parameters": list(DEFAULT_PARAMETERS),
        "start": int(START.timestamp()),
        "formulas": formulas,
        "steps": steps,
    }
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
