"""Labels and the arithmetic of precision, recall and F1: what evaluation and training share.

A labelled file holds canonical submission fields plus `labels` (finding code -> 0/1) and,
optionally, `split` (train/dev/test). A code a record does not label is not evaluated on
that record; a label that is not 0/1, or a code the catalogue does not know, is an error
naming the file, the row and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrative_qa.assessment import Submission
from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import Settings
from narrative_qa.errors import InputError, Location
from narrative_qa.reading.records import read_submissions


@dataclass
class Labelled:
    submission: Submission
    labels: dict[str, int]  # only the codes this record was labelled for
    split: str | None


@dataclass
class Scores:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: bool, guess: bool) -> None:
        self.tp += int(gold and guess)
        self.fp += int(guess and not gold)
        self.fn += int(gold and not guess)

    def as_dict(self) -> dict[str, Any]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}


def parse_labels(raw: object, codes: Iterable[str], where: Location) -> dict[str, int]:
    """A record's labels, checked: a mapping of known codes to 0 or 1."""
    known = set(codes)
    if not isinstance(raw, dict):
        raise InputError("NQE024", "every record needs a 'labels' object (finding code -> "
                         "0/1)", Location(where.file, where.row, "labels"))
    labels = {}
    for code, value in raw.items():
        field = Location(where.file, where.row, f"labels.{code}")
        if code not in known:
            raise InputError("NQE024", f"'{code}' is not a finding of the catalogue "
                             f"({', '.join(sorted(known))})", field)
        if isinstance(value, bool) or value not in (0, 1):
            raise InputError("NQE024", f"the label must be 0 or 1, not {value!r}", field)
        labels[code] = int(value)
    return labels


def load_labelled(path: Path, settings: Settings,
                  codes: Iterable[str] | None = None) -> list[Labelled]:
    codes = tuple(codes) if codes is not None else catalogue_codes()
    submissions, _ = read_submissions(path, settings)
    return [Labelled(sub, parse_labels(sub.extra.get("labels"), codes, sub.location),
                     sub.extra.get("split")) for sub in submissions]


def score_predictions(items: list[Labelled], predicted: list[set[str]],
                      codes: Iterable[str] | None = None) -> dict[str, Scores]:
    """Per code, over the records labelled for it."""
    codes = tuple(codes) if codes is not None else catalogue_codes()
    scores = {code: Scores() for code in codes}
    for item, found in zip(items, predicted, strict=True):
        for code in codes:
            if code in item.labels:
                scores[code].add(bool(item.labels[code]), code in found)
    return scores
