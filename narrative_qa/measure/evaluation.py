"""Measuring the findings against people's labels, with two baselines scored in the same run.

A labelled file holds canonical submission fields plus `labels` (finding code -> 0/1) and,
optionally, `split` (train/dev/test); see metrics.py. A finding counts as predicted
whenever narrative_qa reports it, whatever its confidence: that is what a user sees.
Findings whose measured precision is below target are reported as low-confidence (see
models/CARD.md).

Baselines:
- keyword: one naive keyword test per finding, the kind of check a spreadsheet formula
  could do, written in each rule file's `baseline:` entry (see keyword_baseline.py);
- tfidf: TF-IDF of the narrative (word 1-2 grams) + logistic regression per finding,
  trained on the train split of the bundled corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.assessment import Assessment
from narrative_qa.catalogue import Rule, catalogue_codes, load_catalogue
from narrative_qa.config import Settings, load_settings
from narrative_qa.data_checks import data_facts
from narrative_qa.engine import assess_batch
from narrative_qa.errors import InputError, Location
from narrative_qa.measure.corpus_format import LABELLERS, ORIGINS, check_split_name
from narrative_qa.measure.metrics import (
    METRICS,
    Intervals,
    Labelled,
    Scores,
    bootstrap_intervals,
    kappas,
    labeller_predictions,
    load_labelled,
    load_labelled_files,
    resample_weights,
    score_predictions,
)
from narrative_qa.measure.out_of_fold import (
    assess_out_of_fold,
    check_out_of_fold,
    check_real_train,
)
from narrative_qa.measure.real_labels import SpanAgreement, load_real_labelled, span_agreement
from narrative_qa.real_corpus import LABELS_FILE, PROJECT

BUNDLED_CORPUS = PROJECT / "corpus" / "labelled.jsonl"
RESAMPLES = 1000
SEED = 0
# --errors never looks at test, nor at the selection set (read only for its figures, so that
# it stays text no rule was fitted to).
INSPECTABLE = ("train", "dev")


def _macro(scores: dict[str, Scores]) -> float:
    """The mean F1 over the findings with at least one positive: where the labels hold
    none, F1 is undefined (a real family without previous narrative has no NQ03)."""
    counted = [s.f1 for s in scores.values() if s.tp + s.fn]
    return sum(counted) / len(counted) if counted else 0.0


def _rounded(pair: tuple[float, float]) -> list[float]:
    return [round(pair[0], 3), round(pair[1], 3)]


def _scores_dict(scores: dict[str, Scores], intervals: Intervals | None) -> dict[str, Any]:
    per_finding = {}
    for code, s in scores.items():
        row = {**s.as_dict(), "positives": s.tp + s.fn}
        if intervals is not None:
            row["ci95"] = {m: _rounded(intervals.per_code[code][m]) for m in METRICS}
        per_finding[code] = row
    out: dict[str, Any] = {"per_finding": per_finding, "macro_f1": round(_macro(scores), 3)}
    if intervals is not None:
        out["macro_f1_ci95"] = _rounded(intervals.macro_f1)
    return out


@dataclass
class Agreement:
    """The labellers' agreement on the double-labelled records: the ceiling to compare with."""

    n: int
    kappa: dict[str, float | None]
    systems: dict[str, dict[str, Scores]]  # labeller A, labeller B, narrative_qa
    intervals: dict[str, Intervals]

    def macro_f1(self, system: str) -> float:
        return _macro(self.systems[system])

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n,
                "kappa": {c: None if k is None else round(k, 3) for c, k in self.kappa.items()},
                "systems": {name: _scores_dict(scores, self.intervals.get(name))
                            for name, scores in self.systems.items()}}


@dataclass
class Section:
    """Scores on one part of the records: the real ones, the written ones, or both."""

    name: str
    n: int
    systems: dict[str, dict[str, Scores]] = field(default_factory=dict)
    intervals: dict[str, Intervals] = field(default_factory=dict)
    agreement: Agreement | None = None
    spans: SpanAgreement | None = None  # the labellers' agreement on sentence tags

    def macro_f1(self, system: str) -> float:
        return _macro(self.systems[system])

    def as_dict(self) -> dict[str, Any]:
        return {"n": self.n,
                "systems": {name: _scores_dict(scores, self.intervals.get(name))
                            for name, scores in self.systems.items()},
                "agreement": None if self.agreement is None else self.agreement.as_dict(),
                "span_agreement": None if self.spans is None else self.spans.as_dict()}


@dataclass
class Mistake:
    """A false positive or false negative of narrative_qa on a train or dev record."""

    record: str
    origin: str
    code: str
    kind: str  # "false positive" or "false negative"
    kpi: str | None
    quoted: list[str]  # what narrative_qa quoted for its finding
    gold: list[str]  # the sentences the labels rest on (sentences[].evidence_for)
    rationale: str | None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Report:
    """`systems` are the scores on every record evaluated (the last section); `sections`
    splits them into real, written and both when the files hold both."""

    n: int
    split: str | None
    systems: dict[str, dict[str, Scores]] = field(default_factory=dict)
    sections: dict[str, Section] = field(default_factory=dict)
    resamples: int = RESAMPLES
    seed: int = SEED
    mistakes: list[Mistake] | None = None

    def macro_f1(self, system: str) -> float:
        return _macro(self.systems[system])

    def as_dict(self) -> dict[str, Any]:
        overall = next(reversed(self.sections.values()), None)
        systems = (overall.as_dict()["systems"] if overall is not None else
                   {name: _scores_dict(scores, None) for name, scores in self.systems.items()})
        out: dict[str, Any] = {
            "n": self.n, "split": self.split, "systems": systems,
            "bootstrap": {"resamples": self.resamples, "seed": self.seed, "level": 0.95,
                          "unit": "record"},
            "sections": {name: s.as_dict() for name, s in self.sections.items()},
        }
        if self.mistakes is not None:
            out["errors"] = [m.as_dict() for m in self.mistakes]
        return out


def system_predictions(items: list[Labelled], settings: Settings,
                       rules: tuple[Rule, ...] | None = None) -> list[set[str]]:
    return [{f.code for f in a.findings} for a in _assess(items, settings, rules)]


def _assess(items: list[Labelled], settings: Settings,
            rules: tuple[Rule, ...] | None) -> list[Assessment]:
    return assess_batch([i.submission for i in items], settings, rules)


# --- keyword baseline ----------------------------------------------------------------

def keyword_predictions(items: list[Labelled], settings: Settings,
                        rules: tuple[Rule, ...] | None = None) -> list[set[str]]:
    """Each rule's `baseline:` condition (rules without one predict nothing)."""
    rules = rules if rules is not None else load_catalogue()
    checks = [(r.code, r.baseline) for r in rules if r.baseline is not None]
    out = []
    for item in items:
        sub = item.submission
        facts = data_facts(sub, settings.rag)
        out.append({code for code, check in checks if check(sub, facts)})
    return out


# --- TF-IDF + logistic regression baseline -------------------------------------------

def tfidf_predictions(train: list[Labelled], items: list[Labelled],
                      codes: tuple[str, ...] | None = None) -> list[set[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectoriser.fit_transform(i.submission.narrative for i in train)
    x_eval = vectoriser.transform(i.submission.narrative for i in items)
    predicted: list[set[str]] = [set() for _ in items]
    for code in codes if codes is not None else catalogue_codes():
        labelled = [i for i in train if code in i.labels]
        y = [i.labels[code] for i in labelled]
        if len(set(y)) < 2:
            continue
        model = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=0)
        model.fit(x_train[[n for n, i in enumerate(train) if code in i.labels]], y)
        for found, guess in zip(predicted, model.predict(x_eval), strict=True):
            if guess:
                found.add(code)
    return predicted


CLAIMED = "claimed"


def evaluate(paths: Path | str | Sequence[Path | str] = (), split: str | None = None,
             settings: Settings | None = None, baselines: bool = True,
             rules: tuple[Rule, ...] | None = None, *, resamples: int = RESAMPLES,
             seed: int = SEED, errors: bool = False, real: bool = False,
             real_labels: Path = LABELS_FILE, corpus: Path | None = None,
             out_of_fold: bool = False) -> Report:
    """Per finding of the catalogue (`rules`, by default the bundled one) that some record
    is labelled for, on the records of `split`: point figures, bootstrap intervals, the
    baselines and, for double-labelled records, the labellers' agreement; by origin (real
    first, then each real family, written, both). The records are those of the files in
    `paths` and, with `real`, the real corpus joined with its labels (real_labels.py).
    `errors` lists narrative_qa's mistakes, on train or dev only. `out_of_fold` (train
    only) reads each real train record with readers that never saw its organisation fold
    (out_of_fold.py)."""
    check_split_name(split)
    if out_of_fold:
        check_out_of_fold(split)
    if errors and split not in INSPECTABLE:
        raise InputError("NQE083", "--errors was asked for on " + (
            f"the {split} split" if split else "every split") + "; errors are read on "
            "train or dev only")
    settings = settings or load_settings()
    rules = rules if rules is not None else load_catalogue()
    files = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    codes = catalogue_codes(rules)
    everything = (load_real_labelled(settings, codes, real_labels, corpus) if real else [])
    everything += load_labelled_files(files, settings, codes)
    _check_unique_ids(everything)
    items = [i for i in everything if i.split == split] if split else everything
    if not items:
        where = [str(real_labels)] * real + [str(f) for f in files]
        raise InputError("NQE009", f"no records with split '{split}'",
                         Location(", ".join(where)))
    codes = tuple(c for c in catalogue_codes(rules) if any(c in i.labels for i in items))
    if out_of_fold:
        check_real_train(items, Location(str(real_labels)))
    assessments = (assess_out_of_fold(items, everything, settings, rules) if out_of_fold
                   else _assess(items, settings, rules))
    predicted = {"narrative_qa": [{f.code for f in a.findings} for a in assessments],
                 # what the product claims: the findings that are not only worth a look
                 CLAIMED: [{f.code for f in a.findings if not f.low_confidence}
                           for a in assessments]}
    if baselines:
        predicted["keyword"] = keyword_predictions(items, settings, rules)
        train = tfidf_training_set(everything, settings, rules)
        predicted["tfidf_lr"] = tfidf_predictions(train, items, codes)
    report = Report(n=len(items), split=split, resamples=resamples, seed=seed)
    for name, chosen in _parts(items).items():
        report.sections[name] = _section(name, [items[n] for n in chosen],
                                         {s: [p[n] for n in chosen] for s, p in predicted.items()},
                                         codes, resamples, seed)
    report.systems = next(reversed(report.sections.values())).systems
    if errors:
        report.mistakes = mistakes(items, assessments, codes)
    return report


def tfidf_training_set(supplied: list[Labelled], settings: Settings,
                       rules: tuple[Rule, ...]) -> list[Labelled]:
    """The bundled corpus's train split, then the train records of the files given (a
    real corpus's train organisations), each record once."""
    bundled = load_labelled(BUNDLED_CORPUS, settings, catalogue_codes(rules))
    ids = {i.corpus.record_id for i in bundled}
    extra = [i for i in supplied if i.split == "train"
             and Path(i.submission.location.file or "").resolve() != BUNDLED_CORPUS
             and i.corpus.record_id not in ids - {None}]
    return [i for i in bundled if i.split == "train"] + extra


def _check_unique_ids(items: list[Labelled]) -> None:
    seen: dict[str, Labelled] = {}
    for item in items:
        key = item.corpus.record_id
        if key is not None and key in seen:
            raise InputError("NQE082", f"id '{key}' is also the id of "
                             f"{seen[key].submission.location}", item.submission.location)
        if key is not None:
            seen[key] = item


def _parts(items: list[Labelled]) -> dict[str, list[int]]:
    """The positions of the real records, of each real family, of the written records,
    then of both when the records hold both; else of the one origin there is."""
    by_origin = {o: [n for n, i in enumerate(items) if i.origin == o] for o in ORIGINS}
    present = {o: part for o, part in by_origin.items() if part}
    families = sorted({i.family for i in items if i.origin == "real" and i.family})
    by_family = {f"real: {f}": [n for n, i in enumerate(items) if i.family == f]
                 for f in families} if len(families) > 1 else {}
    parts = {**({"real": present["real"]} if "real" in present else {}), **by_family,
             **({"written": present["written"]} if "written" in present else {})}
    return {**parts, "both": list(range(len(items)))} if len(present) > 1 else parts


def _section(name: str, items: list[Labelled], predicted: dict[str, list[set[str]]],
             codes: tuple[str, ...], resamples: int, seed: int) -> Section:
    codes = tuple(c for c in codes if any(c in i.labels for i in items))
    section = Section(name=name, n=len(items))
    weights = resample_weights(len(items), resamples, seed)
    for system, found in predicted.items():
        section.systems[system] = score_predictions(items, found, codes)
        section.intervals[system] = bootstrap_intervals(items, found, codes, weights)
    section.spans = span_agreement(items)
    doubled = [n for n, i in enumerate(items) if i.double_labelled]
    if doubled:
        section.agreement = _agreement([items[n] for n in doubled],
                                       [predicted["narrative_qa"][n] for n in doubled],
                                       codes, resamples, seed)
    return section


def _agreement(items: list[Labelled], product: list[set[str]], codes: tuple[str, ...],
               resamples: int, seed: int) -> Agreement:
    codes = tuple(c for c in codes if any(c in i.labels for i in items))
    weights = resample_weights(len(items), resamples, seed)
    found = {f"labeller {name}": labeller_predictions(items, name) for name in LABELLERS}
    found["narrative_qa"] = product
    return Agreement(
        n=len(items), kappa=kappas(items, codes),
        systems={s: score_predictions(items, f, codes) for s, f in found.items()},
        intervals={s: bootstrap_intervals(items, f, codes, weights) for s, f in found.items()})


def _gold(item: Labelled, code: str) -> list[str]:
    """The sentences a label rests on; a real record's also by character span, which is
    how the project refers to the text of ../shared/corpus."""
    if item.real is not None:
        text = item.submission.narrative
        return [f"[{s.start}:{s.end}] {text[s.start:s.end]}" for s in item.real.spans
                if code in s.evidence_for]
    return [s.text for s in item.corpus.sentences if code in s.evidence_for]


def mistakes(items: list[Labelled], assessments: list[Assessment],
             codes: tuple[str, ...]) -> list[Mistake]:
    out = []
    for item, assessment in zip(items, assessments, strict=True):
        quoted = {f.code: list(f.evidence) for f in assessment.findings}
        for code in codes:
            if code not in item.labels or bool(item.labels[code]) == (code in quoted):
                continue
            out.append(Mistake(
                record=item.name, origin=item.origin, code=code,
                kind="false positive" if code in quoted else "false negative",
                kpi=item.submission.kpi_name, quoted=quoted.get(code, []),
                gold=_gold(item, code),
                rationale=item.corpus.rationale.get(code)))
    return out
