"""Labels and the arithmetic of precision, recall and F1: what evaluation and training share.

A labelled file holds canonical submission fields plus `labels` (finding code -> 0/1) and,
optionally, `split` (train/dev/test) and the corpus fields of corpus_format.py (origin,
provenance, two labellers, adjudication, sentences). A code a record does not label is not
evaluated on that record; a label that is not 0/1, a code the catalogue does not know, a
record without a narrative or an inconsistent corpus field is an error naming the file,
the row and the field, and the whole file is refused.

Also here: bootstrap confidence intervals (records resampled with a fixed seed) and
Cohen's kappa between two labellers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.assessment import Submission
from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import Settings
from narrative_qa.errors import InputError, Location
from narrative_qa.measure.corpus_format import (
    LABELLERS,
    CorpusErrors,
    CorpusFields,
    parse_corpus_fields,
)
from narrative_qa.reading.records import read_submissions


@dataclass
class Labelled:
    submission: Submission
    labels: dict[str, int]  # only the codes this record was labelled for (adjudicated)
    split: str | None
    corpus: CorpusFields = field(default_factory=CorpusFields)
    family: str | None = None  # a real record's family (../shared/corpus/README.md)
    real: Any = None  # a real record's spans and action pairs (real_labels.RealLabels)

    @property
    def origin(self) -> str:
        return self.corpus.origin

    @property
    def double_labelled(self) -> bool:
        return bool(self.corpus.labellers)

    @property
    def name(self) -> str:
        """How a person finds the record: its id, else file and row."""
        return self.corpus.record_id or str(self.submission.location)


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


def labelled_record(sub: Submission, codes: tuple[str, ...]) -> Labelled:
    """One record, checked: a narrative that can be scored, then labels, then corpus fields."""
    for problem in sub.problems:
        if problem.blocking:
            raise InputError(problem.code, problem.message, problem.location)
    labels = parse_labels(sub.extra.get("labels"), codes, sub.location)
    corpus = parse_corpus_fields(sub.extra, labels, codes, sub.location, sub.narrative,
                                 sub.previous_narrative)
    return Labelled(sub, labels, corpus.split, corpus)


def load_labelled(path: Path, settings: Settings,
                  codes: Iterable[str] | None = None) -> list[Labelled]:
    """Every record of a labelled file; any bad record refuses the file (CorpusErrors lists
    each one), so nothing is scored from half a corpus."""
    return load_labelled_files([path], settings, codes)


def load_labelled_files(paths: Sequence[Path], settings: Settings,
                        codes: Iterable[str] | None = None) -> list[Labelled]:
    codes = tuple(codes) if codes is not None else catalogue_codes()
    items: list[Labelled] = []
    errors: list[InputError] = []
    seen: dict[str, Location] = {}
    for path in paths:
        submissions, _ = read_submissions(Path(path), settings)
        for sub in submissions:
            try:
                item = labelled_record(sub, codes)
            except InputError as error:
                errors.append(error)
                continue
            key = item.corpus.record_id
            if key is not None and key in seen:
                errors.append(InputError("NQE082", f"id '{key}' is also the id of {seen[key]}",
                                         Location(sub.location.file, sub.location.row, "id")))
            elif key is not None:
                seen[key] = sub.location
            items.append(item)
    if errors:
        raise CorpusErrors(errors)
    return items


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


# --- bootstrap confidence intervals ---------------------------------------------------

METRICS = ("precision", "recall", "f1")


def resample_weights(n: int, resamples: int, seed: int) -> np.ndarray:
    """How many times each of n records is drawn in each resample (records drawn with
    replacement), shape (resamples, n); the same seed gives the same resamples."""
    rng = np.random.default_rng(seed)
    drawn = rng.integers(0, n, size=(resamples, n))
    weights = np.zeros((resamples, n))
    np.add.at(weights, (np.arange(resamples)[:, None], drawn), 1)
    return weights


@dataclass
class Intervals:
    per_code: dict[str, dict[str, tuple[float, float]]]  # code -> metric -> (low, high)
    macro_f1: tuple[float, float]


def bootstrap_intervals(items: list[Labelled], predicted: list[set[str]],
                        codes: Sequence[str], weights: np.ndarray,
                        level: float = 0.95) -> Intervals:
    """Percentile intervals of precision, recall and F1 per code and of macro-F1, over the
    resamples in `weights` (one row per resample; see resample_weights)."""
    shape = (len(items), len(codes))
    tp, fp, fn = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for row, (item, found) in enumerate(zip(items, predicted, strict=True)):
        for col, code in enumerate(codes):
            if code in item.labels:
                gold, guess = bool(item.labels[code]), code in found
                tp[row, col], fp[row, col] = gold and guess, guess and not gold
                fn[row, col] = gold and not guess
    positive = (tp + fn).sum(axis=0) > 0  # macro-F1 counts findings with a positive
    tp, fp, fn = weights @ tp, weights @ fp, weights @ fn
    precision = np.divide(tp, tp + fp, out=np.zeros_like(tp), where=tp + fp > 0)
    recall = np.divide(tp, tp + fn, out=np.zeros_like(tp), where=tp + fn > 0)
    f1 = np.divide(2 * precision * recall, precision + recall, out=np.zeros_like(tp),
                   where=precision + recall > 0)
    tails = [100 * (1 - level) / 2, 100 * (1 + level) / 2]

    def bounds(values: np.ndarray) -> np.ndarray:
        return np.percentile(values, tails, axis=0)

    per_code: dict[str, dict[str, tuple[float, float]]] = {c: {} for c in codes}
    for metric, values in zip(METRICS, (precision, recall, f1), strict=True):
        low, high = bounds(values)
        for col, code in enumerate(codes):
            per_code[code][metric] = (float(low[col]), float(high[col]))
    macro = f1[:, positive].mean(axis=1) if positive.any() else np.zeros(len(weights))
    low, high = bounds(macro)
    return Intervals(per_code, (float(low), float(high)))


# --- agreement between two labellers --------------------------------------------------

def cohen_kappa(first: Sequence[int], second: Sequence[int]) -> float | None:
    """Cohen's kappa of two 0/1 labellings of the same records; None when chance agreement
    is total (both labellers gave every record the same one label), where it is undefined."""
    n = len(first)
    if n == 0 or n != len(second):
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p_first, p_second = sum(first) / n, sum(second) / n
    chance = p_first * p_second + (1 - p_first) * (1 - p_second)
    if chance == 1:
        return None
    return (observed - chance) / (1 - chance)


def labeller_predictions(items: list[Labelled], labeller: str) -> list[set[str]]:
    """A labeller's raw positives, scored as if they were a system's findings."""
    return [{c for c, v in i.corpus.labellers[labeller].items() if v} for i in items]


def kappas(items: list[Labelled], codes: Sequence[str]) -> dict[str, float | None]:
    first, second = LABELLERS
    out = {}
    for code in codes:
        both = [i for i in items if code in i.labels]
        out[code] = cohen_kappa([i.corpus.labellers[first][code] for i in both],
                                [i.corpus.labellers[second][code] for i in both])
    return out
