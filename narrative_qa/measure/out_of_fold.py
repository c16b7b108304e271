"""Scoring the real train split out of fold (`narrative-qa evaluate --split train
--out-of-fold`).

The shipped sentence readers were fitted on every real train sentence, so they read train
better than new text and flatter every finding that leans on them. Here each real train
record is scored with readers fitted on the other organisation folds of real train, their
tag thresholds chosen on real dev as for the shipped readers. The folds and the readers
held out of each are defined here once; the confidence's training and
tools/reader_thresholds.py read train out of fold through them too. Every other record
(written, or of another split) is scored as usual. Nothing is cached: the five reader
sets are fitted afresh on each call.
"""

from __future__ import annotations

import hashlib

from narrative_qa.assessment import Assessment
from narrative_qa.catalogue import Rule
from narrative_qa.config import Settings
from narrative_qa.engine import assess_batch
from narrative_qa.errors import InputError, Location
from narrative_qa.language.readers import Readers, readers_in_use
from narrative_qa.measure.corpus_format import organisation_key
from narrative_qa.measure.metrics import Labelled
from narrative_qa.measure.reader_training import fit_readers

FOLDS = 5


def fold_of(organisation: str) -> int:
    return int(hashlib.sha256(organisation_key(organisation).encode()).hexdigest(), 16) % FOLDS


def organisation_of(item: Labelled) -> str:
    return item.corpus.organisation or item.submission.kpi_id or ""


def in_fold(items: list[Labelled], fold: int) -> list[Labelled]:
    return [i for i in items if fold_of(organisation_of(i)) == fold]


def readers_without(fold: int, train: list[Labelled], dev: list[Labelled]) -> Readers:
    """Readers fitted on the train records outside `fold`, tag thresholds chosen on dev."""
    return fit_readers([i for i in train if fold_of(organisation_of(i)) != fold], dev)[0]


def codes_found(items: list[Labelled], readers: Readers, settings: Settings) -> list[set[str]]:
    """The finding codes each record raises when read by `readers` instead of those of
    models/ (one process: the readers in use do not cross into workers)."""
    with readers_in_use(readers):
        done = assess_batch([i.submission for i in items], settings, processes=1)
    return [{f.code for f in a.findings} for a in done]


def _real(item: Labelled, split: str) -> bool:
    return item.origin == "real" and item.real is not None and item.split == split


def check_out_of_fold(split: str | None) -> None:
    """Only the train split was read by the readers while they were fitted."""
    if split != "train":
        raise InputError("NQE088", "--out-of-fold was asked for on " + (
            f"the {split} split" if split else "every split") + "; only the train split is "
            "read out of fold (the readers never learnt from the other splits)")


def check_real_train(items: list[Labelled], where: Location) -> None:
    """Out of fold needs real train records: the written ones never taught the readers."""
    if not fold_records(items):
        raise InputError("NQE088", "--out-of-fold was asked for without real train records "
                         "(the real corpus is off or absent): only the real corpus's train "
                         "split is read out of fold", where)


def fold_records(items: list[Labelled]) -> dict[int, list[int]]:
    """The positions of the real train records in `items`, by organisation fold."""
    folds: dict[int, list[int]] = {}
    for n, item in enumerate(items):
        if _real(item, "train"):
            folds.setdefault(fold_of(organisation_of(item)), []).append(n)
    return folds


def assess_out_of_fold(items: list[Labelled], everything: list[Labelled],
                       settings: Settings, rules: tuple[Rule, ...] | None) -> list[Assessment]:
    """`items` assessed, each real train record by readers fitted on the real train records
    of `everything` outside its fold (thresholds on `everything`'s real dev); the others by
    the shipped readers."""
    train = [i for i in everything if _real(i, "train")]
    dev = [i for i in everything if _real(i, "dev")]
    found: dict[int, Assessment] = {}
    for fold, at in sorted(fold_records(items).items()):
        with readers_in_use(readers_without(fold, train, dev)):
            done = assess_batch([items[n].submission for n in at], settings, rules)
        found.update(zip(at, done, strict=True))
    others = [n for n in range(len(items)) if n not in found]
    if others:
        found.update(zip(others, assess_batch([items[n].submission for n in others], settings,
                                              rules), strict=True))
    return [found[n] for n in range(len(items))]
