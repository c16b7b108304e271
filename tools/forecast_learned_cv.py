"""Would a learned sentence step beat the forecast rules? Figures for issue 19, item 5.

    .venv/bin/python tools/forecast_learned_cv.py [--tfidf] [--c 0.1 0.3 1]

Each sentence of the forecast labels' train and dev records gets features: the sentence
readers' probabilities (language/readers.py), whether the rules find a forecast there (at
the planned-action floor in use and at 0), a forward-looking cue, a weak one, a date after
the period, a past tense, the rules' kind and whether they date it; with --tfidf, the
readers' TF-IDF n-grams too. A logistic regression reads whether the sentence holds a
labelled forecast; a sentence it keeps gives the rules' forecasts (at floor 0), or, where
the rules found none, one forecast of the kind and date the rules read in it. So the step
both filters the rules' candidates and adds sentences they miss.

Prints, per C: organisation-held-out cross-validation over train+dev (the model and its
threshold chosen on the other organisations), and the model fitted on train (threshold
chosen on train) scored on dev and on round 3's dev records; beside them the rules (whose
'organisation-held-out' figure is in-sample: they were written on train and dev, and only
their planned-action floor is chosen per fold, 0.6 in every fold). With --select, the
model fitted on train+dev (threshold chosen there) is read on the selection set instead,
the one labelled set the rules were not developed on, so the two meet on equal ground.
The test split is never read. Figures only: no corpus text.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from narrative_qa.forecasts import extract as rules
from narrative_qa.forecasts.evaluate import LABELS, Counts, Labelled, count, load_labels
from narrative_qa.language.periods import due_dates, month_text, period_end
from narrative_qa.language.readers import current_readers, tfidf_row
from narrative_qa.real_corpus import read_corpus, sentence_spans
from tools.forecast_sample import sample_file

ROUND_3 = sample_file(3)
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.95, 0.05))
# weak forward-looking words, a feature only (the rules' cues are a feature of their own)
_WEAK = re.compile(r"\b(?:may|might|could|would|hope\w*|plan\w*|intend\w*|propos\w*|next|"
                   r"future|upcoming|forthcoming|will|expect\w*|forecast\w*|anticipat\w*|"
                   r"project\w*|track)\b", re.I)


@dataclass
class Sentence:
    record: int  # index into the records
    text: str
    chosen: list[rules.Forecast]  # what the sentence gives when the step keeps it
    by_rules: list[rules.Forecast]  # what the rules give (floor in use)
    features: list[float]
    holds: bool  # a labelled forecast is in it


def sentences(records: list[Labelled]) -> list[Sentence]:
    readers = current_readers()
    out = []
    for k, record in enumerate(records):
        loose = rules.extract_forecasts(record.narrative, record.period, planned_floor=0.0,
                                        actual=record.actual)
        kept = rules.extract_forecasts(record.narrative, record.period, actual=record.actual)
        spans = sentence_spans(record.narrative)
        texts = [s.of(record.narrative) for s in spans]
        written = period_end(record.period)
        for span, text, read in zip(spans, texts, readers.read(texts) if texts else [],
                                    strict=True):
            mine = [f for f in loose if f.start == span.start]
            dates = due_dates(text, record.period, ahead=True)
            if not mine:  # the kind and date the rules read, were it a forecast
                mine = [rules._forecast(span.start, span.end, text, rules._what(text, None),
                                        None, rules._due(dates, written), record.period,
                                        written, False, 0.5)]
            ahead = any(d.due and written and d.due > month_text(written) for d in dates)
            features = [*read, any(f.start == span.start for f in loose),
                        any(f.start == span.start for f in kept), rules._cue(text) is not None,
                        bool(_WEAK.search(text)), ahead,
                        bool(rules._TOLD_IN_THE_PAST.search(text)), mine[0].what == "event",
                        mine[0].due is not None]
            out.append(Sentence(k, text, mine, [f for f in kept if f.start == span.start],
                                [float(v) for v in features],
                                any(g["start"] < span.end and span.start < g["end"]
                                    for g in record.gold)))
    return out


_INDEX: dict[int, tuple[int, dict[int, list[int]]]] = {}


def _of_record(rows: list[Sentence]) -> dict[int, list[int]]:
    """The rows of each record, worked out once per list of rows."""
    if id(rows) not in _INDEX:
        index: dict[int, list[int]] = {}
        for j, row in enumerate(rows):
            index.setdefault(row.record, []).append(j)
        _INDEX[id(rows)] = (len(rows), index)
    return _INDEX[id(rows)][1]


def scores(records: list[Labelled], rows: list[Sentence], keep: np.ndarray | None,
           which: list[int]) -> tuple[float, float, float]:
    """Precision, recall and F1 over the records `which`: the step's (keep) or the rules'."""
    total = Counts()
    for k in which:
        mine = _of_record(rows)[k]
        predicted = [f for j in mine for f in (rows[j].by_rules if keep is None
                                               else rows[j].chosen if keep[j] else [])]
        c = count(records[k].gold, predicted)
        total = Counts(total.predicted + c.predicted, total.labelled + c.labelled,
                       total.matched + c.matched, total.due_right + c.due_right)
    p = total.matched / total.predicted if total.predicted else 0.0
    r = total.matched / total.labelled if total.labelled else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def _fit(x: sparse.csr_matrix, y: np.ndarray, mask: np.ndarray, c: float) -> np.ndarray:
    model = LogisticRegression(C=c, max_iter=3000).fit(x[mask], y[mask])
    return model.predict_proba(x)[:, 1]


def _threshold(records: list[Labelled], rows: list[Sentence], p: np.ndarray,
               which: list[int]) -> float:
    return max(THRESHOLDS, key=lambda t: scores(records, rows, p >= t, which)[2])


def _features(rows: list[Sentence], tfidf: bool) -> sparse.csr_matrix:
    x = sparse.csr_matrix(np.array([row.features for row in rows]))
    if not tfidf:
        return x
    readers = current_readers()
    grams = [tfidf_row(row.text, readers.vocabulary, readers.idf) for row in rows]
    pointer = np.cumsum([0, *(len(c) for c, _ in grams)])
    words = sparse.csr_matrix((np.concatenate([v for _, v in grams]),
                               np.concatenate([c for c, _ in grams]), pointer),
                              shape=(len(rows), len(readers.vocabulary)))
    return sparse.hstack([words, x]).tocsr()


def _on_the_selection_set(records: list[Labelled], rows: list[Sentence], x: sparse.csr_matrix,
                          y: np.ndarray, fitted: int, cs: list[float]) -> int:
    """The step fitted on train+dev (its threshold chosen there) against the rules, on the
    selection set's records (those from index `fitted` on)."""
    inside = np.array([row.record < fitted for row in rows])
    fit, select = list(range(fitted)), list(range(fitted, len(records)))
    cell = "P {:.3f} R {:.3f} F1 {:.3f}"
    print(f"fitted on {fitted} train+dev records; read on {len(select)} of the selection set")
    print(f"{'rules (floor in use)':<24} {cell.format(*scores(records, rows, None, select))}")
    for c in cs:
        p = _fit(x, y, inside, c)
        chosen = _threshold(records, rows, p, fit)
        print(f"{f'learned C={c} (t={chosen})':<24} "
              f"{cell.format(*scores(records, rows, p >= chosen, select))}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tfidf", action="store_true")
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0])
    parser.add_argument("--select", action="store_true",
                        help="fit on train+dev and read the selection set")
    args = parser.parse_args()
    corpus = {str(r["id"]): r for r in read_corpus(None)}
    records = [r for split in ("train", "dev") for r in load_labels(LABELS, corpus, split)[0]]
    fitted = len(records)
    if args.select:
        records += load_labels(LABELS, corpus, "select")[0]
    rows = sentences(records)
    x = _features(rows, args.tfidf)
    y = np.array([row.holds for row in rows])
    if args.select:
        return _on_the_selection_set(records, rows, x, y, fitted, args.c)
    organisation = np.array([str(corpus[records[row.record].id].get("organisation"))
                             for row in rows])
    train = np.array([records[row.record].split == "train" for row in rows])
    everything = list(range(len(records)))
    train_records = [k for k in everything if records[k].split == "train"]
    dev = [k for k in everything if records[k].split == "dev"]
    round_3 = set(ROUND_3.read_text(encoding="utf-8").split())
    dev_3 = [k for k in dev if records[k].id in round_3]
    line = "{:<24} {:>26} {:>26} {:>26}"
    cell = "P {:.3f} R {:.3f} F1 {:.3f}"
    print(f"{len(rows)} sentences of {len(records)} train+dev records, "
          f"{int(y.sum())} holding a labelled forecast; features: "
          f"{'TF-IDF + ' if args.tfidf else ''}readers + rules")
    print(line.format("", "organisation-held-out", "dev (fit on train)", "round-3 dev"))
    print(line.format("rules (floor in use)", cell.format(*scores(records, rows, None, everything)),
                      cell.format(*scores(records, rows, None, dev)),
                      cell.format(*scores(records, rows, None, dev_3))))
    for c in args.c:
        keep = np.zeros(len(rows), dtype=bool)
        for name in sorted(set(organisation)):
            inside = organisation != name
            p = _fit(x, y, inside, c)
            chosen = _threshold(records, rows, p, sorted({rows[j].record
                                                          for j in np.where(inside)[0]}))
            keep[~inside] = p[~inside] >= chosen
        p = _fit(x, y, train, c)
        chosen = _threshold(records, rows, p, train_records)
        print(line.format(f"learned C={c} (t={chosen})",
                          cell.format(*scores(records, rows, keep, everything)),
                          cell.format(*scores(records, rows, p >= chosen, dev)),
                          cell.format(*scores(records, rows, p >= chosen, dev_3))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
