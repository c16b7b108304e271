"""How well forecasts are extracted, against people's labels of the real corpus.

A labels file has one JSON object per line: {"id", "narrative_sha256", "split", "family",
"forecasts": [{"start", "end", "what", "value", "due"}]}, the offsets those of the sentence
(narrative_qa.real_corpus.sentence_spans) holding the forecast. The narrative comes from
the shared corpus by id and is used only when its sha256 matches (no corpus text is kept
in the project). A predicted forecast matches a labelled one in the same sentence with the
same `what`, each used once; precision and recall count matches, due-period accuracy is
the share of matches whose `due` month agrees. Intervals resample records (metrics.py).

Rows may also keep each labeller's own labels ({"labellers": {"A": [...], "B": [...]}}, as
tools/assemble_forecast_labels.py writes them): each labeller is then scored against the
final labels in the same way, the ceiling a reader of the extractor's figures compares with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.errors import InputError, Location, RowProblem
from narrative_qa.forecasts.extract import WHATS, Forecast, extract_forecasts
from narrative_qa.measure.metrics import resample_weights
from narrative_qa.real_corpus import PROJECT, json_objects, read_corpus, sha256_text

LABELS = PROJECT / "corpus" / "forecast_labels.jsonl"
# "select": the selection set, records of train and dev organisations set aside (the
# extraction was never developed on them; the claim level is chosen on them).
SPLITS = ("train", "dev", "test", "select")
METRICS = ("precision", "recall", "due_accuracy")
_DUE = r"^\d{4}-(0[1-9]|1[0-2])$"


@dataclass
class Labelled:
    id: str
    family: str
    split: str
    narrative: str
    period: str | None
    gold: list[dict[str, Any]]
    actual: Any = None  # the KPI's value: a rating or end date makes a figure another's
    labellers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Span:
    """A labeller's forecast, read as a prediction: what `count` compares."""

    start: int
    end: int
    what: str
    due: str | None


@dataclass
class Counts:
    """Per record: predicted, labelled, matched, and matches whose due month agrees."""

    predicted: int = 0
    labelled: int = 0
    matched: int = 0
    due_right: int = 0


@dataclass
class Section:
    name: str
    records: int
    counts: Counts
    scores: dict[str, float | None]
    intervals: dict[str, tuple[float, float] | None]


@dataclass
class ForecastReport:
    split: str | None
    sections: list[Section]
    notices: list[RowProblem] = field(default_factory=list)
    # Each labeller against the final labels, over the records they labelled: the ceiling.
    ceiling: list[Section] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        def rows(sections: list[Section]) -> list[dict[str, Any]]:
            return [{"name": s.name, "records": s.records, "predicted": s.counts.predicted,
                     "labelled": s.counts.labelled, "matched": s.counts.matched,
                     "scores": s.scores, "intervals": s.intervals} for s in sections]

        return {"split": self.split, "notices": [n.render() for n in self.notices],
                "sections": rows(self.sections), "ceiling": rows(self.ceiling)}


def _problem(path: Path, row: int, column: str, message: str) -> InputError:
    return InputError("NQE024", message, Location(str(path), row, column))


def _checked_forecast(item: Any, path: Path, row: int, column: str = "forecasts"
                      ) -> dict[str, Any]:
    import re

    if not isinstance(item, dict):
        raise _problem(path, row, column, "each forecast must be a JSON object")
    for key in ("start", "end"):
        if not isinstance(item.get(key), int) or isinstance(item.get(key), bool):
            raise _problem(path, row, f"{column}.{key}", f"'{key}' must be a whole number")
    if item.get("what") not in WHATS:
        raise _problem(path, row, f"{column}.what", f"'what' must be one of: "
                       f"{', '.join(WHATS)}")
    due = item.get("due")
    if due is not None and not (isinstance(due, str) and re.match(_DUE, due)):
        raise _problem(path, row, f"{column}.due", "'due' must be YYYY-MM or null")
    return item


def load_labels(path: Path, corpus: dict[str, dict[str, Any]], split: str | None = None
                ) -> tuple[list[Labelled], list[RowProblem]]:
    """The labelled records of `split` (all when None) joined with their narratives; a
    record whose narrative is missing or has changed (sha256) is left out with a notice."""
    records, notices = [], []
    for row, value in json_objects(path, "the forecast labels file was not found"):
        for key in ("id", "narrative_sha256", "split", "family"):
            if not isinstance(value.get(key), str):
                raise _problem(path, row, key, f"'{key}' must be text")
        if value["split"] not in SPLITS:
            raise _problem(path, row, "split", f"split must be one of: {', '.join(SPLITS)}")
        if not isinstance(value.get("forecasts"), list):
            raise _problem(path, row, "forecasts", "'forecasts' must be a list")
        gold = [_checked_forecast(item, path, row) for item in value["forecasts"]]
        labellers = _labellers(value.get("labellers"), path, row)
        if split and value["split"] != split:
            continue
        record = corpus.get(value["id"])
        if record is None or sha256_text(record.get("narrative") or "") != \
                value["narrative_sha256"]:
            why = "is not in the corpus" if record is None else "has changed (sha256)"
            notices.append(RowProblem("NQE024", f"record '{value['id']}' {why}; left out",
                                      Location(str(path), row, "id")))
            continue
        records.append(Labelled(value["id"], value["family"], value["split"],
                                record["narrative"], record.get("period"), gold,
                                record.get("actual"), labellers))
    return records, notices


def _labellers(raw: Any, path: Path, row: int) -> dict[str, list[dict[str, Any]]]:
    """Each labeller's own forecasts, checked as the final ones are; none when not kept."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise _problem(path, row, "labellers", "'labellers' must map each labeller to a "
                       "list of forecasts")
    return {str(name): [_checked_forecast(item, path, row, f"labellers.{name}")
                        for item in items]
            for name, items in raw.items()}


def count(gold: list[dict[str, Any]], predicted: list[Forecast] | list[Span]) -> Counts:
    """Matches: the same sentence (overlapping spans) and the same `what`, each once."""
    counts = Counts(predicted=len(predicted), labelled=len(gold))
    free = list(predicted)
    for label in gold:
        match = next((p for p in free if p.what == label["what"]
                      and p.start < label["end"] and label["start"] < p.end), None)
        if match is None:
            continue
        free.remove(match)
        counts.matched += 1
        counts.due_right += match.due == label.get("due")
    return counts


Predict = Callable[..., list[Forecast]]  # (narrative, period, actual=...)


def evaluate_forecasts(records: list[Labelled], predict: Predict = extract_forecasts,
                       resamples: int = 1000, seed: int = 0,
                       split: str | None = None) -> ForecastReport:
    """Precision, recall and due-period accuracy, overall and per family, with 95%
    bootstrap intervals over the records."""
    per_record = [count(r.gold, predict(r.narrative, r.period, actual=r.actual))
                  for r in records]
    sections = [_section("all", records, per_record, resamples, seed)]
    for family in sorted({r.family for r in records}):
        chosen = [k for k, r in enumerate(records) if r.family == family]
        sections.append(_section(family, [records[k] for k in chosen],
                                 [per_record[k] for k in chosen], resamples, seed))
    return ForecastReport(split, sections, ceiling=labeller_sections(records, resamples, seed))


def labeller_sections(records: list[Labelled], resamples: int = 1000, seed: int = 0
                      ) -> list[Section]:
    """Each labeller's own labels scored against the final ones, as the extractor is."""
    sections = []
    for name in sorted({name for r in records for name in r.labellers}):
        mine = [r for r in records if name in r.labellers]
        counts = [count(r.gold, [Span(f["start"], f["end"], f["what"], f.get("due"))
                                 for f in r.labellers[name]]) for r in mine]
        sections.append(_section(f"labeller {name}", mine, counts, resamples, seed))
    return sections


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def _section(name: str, records: list[Labelled], counts: list[Counts], resamples: int,
             seed: int) -> Section:
    table = np.array([[c.predicted, c.labelled, c.matched, c.due_right] for c in counts],
                     dtype=float).reshape(-1, 4)
    total = Counts(*(int(v) for v in table.sum(axis=0))) if len(counts) else Counts()
    scores = {"precision": _ratio(total.matched, total.predicted),
              "recall": _ratio(total.matched, total.labelled),
              "due_accuracy": _ratio(total.due_right, total.matched)}
    intervals: dict[str, tuple[float, float] | None] = dict.fromkeys(METRICS)
    if len(counts):
        sums = resample_weights(len(counts), resamples, seed) @ table
        for metric, (top, bottom) in {"precision": (2, 0), "recall": (2, 1),
                                      "due_accuracy": (3, 2)}.items():
            keep = sums[:, bottom] > 0
            if keep.any():
                values = sums[keep, top] / sums[keep, bottom]
                low, high = np.percentile(values, [2.5, 97.5])
                intervals[metric] = (float(low), float(high))
    return Section(name, len(records), total, scores, intervals)


def run(labels: Path = LABELS, split: str | None = "dev", corpus_path: Path | None = None,
        resamples: int = 1000, seed: int = 0) -> ForecastReport:
    corpus = {str(r["id"]): r for r in read_corpus(corpus_path)}
    records, notices = load_labels(labels, corpus, split)
    report = evaluate_forecasts(records, resamples=resamples, seed=seed, split=split)
    report.notices = notices
    return report
