"""Forecast extraction on the train and dev splits, by family, with the one learned choice
(PLANNED_FLOOR: an undated event is kept when the sentence readers read a planned action
at this probability or more) chosen by grouped cross-validation.

    .venv/bin/python tools/forecast_cv.py [--groups family|organisation]

Pools the forecast labels' train and dev records; for each group held out (a family, or
an organisation), the floor is chosen on the other groups (best F1 of precision and
recall, ties to the floor in use) and the held-out group is scored with it. Prints the
pooled cross-validated figures, the figures with the floor in use, per family, and the
floors each fold chose. The test split is never read. Figures only: no corpus text.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from functools import partial

from narrative_qa.forecasts.evaluate import LABELS, Counts, Labelled, count, load_labels
from narrative_qa.forecasts.extract import PLANNED_FLOOR, extract_forecasts
from narrative_qa.real_corpus import read_corpus

FLOORS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def _add(totals: list[Counts]) -> Counts:
    return Counts(*(sum(getattr(c, f) for c in totals)
                    for f in ("predicted", "labelled", "matched", "due_right")))


def _scores(c: Counts) -> tuple[float, float, float, float]:
    precision = c.matched / c.predicted if c.predicted else 0.0
    recall = c.matched / c.labelled if c.labelled else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    due = c.due_right / c.matched if c.matched else 0.0
    return precision, recall, due, f1


@dataclass
class CrossValidation:
    records: list[Labelled]
    counts: dict[float, dict[str, Counts]]  # floor -> record id -> counts
    held_out: Counts  # each group scored with the floor chosen on the others
    chosen: list[tuple[str, float]]  # group -> the floor chosen without it


def cross_validate(groups: str = "organisation") -> CrossValidation:
    """The floor chosen on all groups but one, for each group of train+dev held out."""
    corpus = {str(r["id"]): r for r in read_corpus(None)}
    records = [r for split in ("train", "dev") for r in load_labels(LABELS, corpus, split)[0]]
    group = {r.id: (r.family if groups == "family" else
                    str(corpus[r.id].get("organisation"))) for r in records}
    counts = {floor: {r.id: count(r.gold, partial(extract_forecasts, planned_floor=floor)(
        r.narrative, r.period, actual=r.actual)) for r in records} for floor in FLOORS}
    held_out, chosen = [], []
    for name in sorted(set(group.values())):
        inside = [r.id for r in records if group[r.id] != name]
        best = max(FLOORS, key=lambda f: (round(_scores(_add([counts[f][i] for i in inside]))
                                                [3], 6), f == PLANNED_FLOOR))
        chosen.append((name, best))
        held_out += [counts[best][r.id] for r in records if group[r.id] == name]
    return CrossValidation(records, counts, _add(held_out), chosen)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", choices=("family", "organisation"), default="family")
    args = parser.parse_args()
    cv = cross_validate(args.groups)
    records, counts = cv.records, cv.counts
    line = "{:<22} {:>5} {:>5} {:>9.2f} {:>6.2f} {:>9.2f}"
    print(f"train+dev, {len(records)} records; folds by {args.groups}")
    print(f"{'':<22} {'found':>5} {'gold':>5} precision recall due_right")
    print(line.format("cross-validated", cv.held_out.predicted, cv.held_out.labelled,
                      *_scores(cv.held_out)[:3]))
    for family in sorted({r.family for r in records}):
        mine = _add([counts[PLANNED_FLOOR][r.id] for r in records if r.family == family])
        print(line.format(f"{family} (floor {PLANNED_FLOOR})", mine.predicted,
                          mine.labelled, *_scores(mine)[:3]))
    every = _add(list(counts[PLANNED_FLOOR].values()))
    print(line.format(f"all (floor {PLANNED_FLOOR})", every.predicted, every.labelled,
                      *_scores(every)[:3]))
    for floor in FLOORS:
        c = _add(list(counts[floor].values()))
        print(line.format(f"  floor {floor}", c.predicted, c.labelled, *_scores(c)[:3]))
    print("floors chosen: " + ", ".join(f"{n[:24]}={f}" for n, f in cv.chosen))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
