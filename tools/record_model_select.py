"""Would a model of the whole record beat the rules on equal ground? Figures for issue 15.

    .venv/bin/python tools/record_model_select.py [--c 0.1 0.3 1]

Stop 38 compared a record-level model with the rules out of fold and on dev, where the rules
are read in-sample (they were written on those records' errors). Here both meet on the
selection set, which neither was developed on. Each record is described by what the product
already reads: which findings the rules raise and their calibrated confidence, each reading
tag's highest probability and how many sentences it reads at 0.5 or more, the data facts,
the length and the family. Per finding with ten or more positives among the fitted records,
a logistic regression (balanced, the given C) is fitted on real train (each record read by
readers fitted without its organisation's fold) and dev; its threshold, and those of the
two combinations (the rules OR the model, the rules AND the model), are chosen for F1 on
five-fold cross-validated probabilities over the same records. Printed: precision, recall
and F1 on the selection set of the rules, the model and the two combinations, and the mean
F1 over those findings.

With --fine-tune, MiniLM itself is fitted to the records instead (its top two layers and a
head of one output per finding, three epochs, as tools/reader_finetune.py fits sentence
tags): each record is read as one text (the KPI's name, its rating and figures, the
narrative, then last period's narrative; 256 word pieces), the encoder is fitted on real
train, each finding's thresholds (alone, OR, AND) are chosen on dev, and the same figures
are printed on the selection set. About 11 minutes on 2 cores.

The test split is never read. Figures only: no corpus text.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.preprocessing import StandardScaler

from narrative_qa.cli.common import settings_from
from narrative_qa.engine import assess_batch
from narrative_qa.language.readers import Readers, readers_in_use
from narrative_qa.measure.corpus_format import SELECT
from narrative_qa.measure.metrics import Labelled, Scores
from narrative_qa.measure.out_of_fold import FOLDS, in_fold, readers_without
from narrative_qa.measure.reader_training import fit_readers
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.real_corpus import sentence_spans

THRESHOLDS = np.round(np.arange(0.1, 0.95, 0.05), 2)
MIN_POSITIVES = 10
SEED = 0


def rows(items: list[Labelled], readers: Readers, name: str) -> list[dict[str, Any]]:
    """One row per record: its labels and what the product reads in it."""
    out = []
    with readers_in_use(readers):
        found = assess_batch([i.submission for i in items], settings_from(None),
                             gates=False, processes=1)
        for item, assessment in zip(items, found, strict=True):
            narrative = item.submission.narrative or ""
            texts = [s.of(narrative) for s in sentence_spans(narrative)] or [""]
            read = readers.read(texts)
            f = assessment.facts
            out.append({
                "set": name, "family": item.family, "labels": dict(item.labels),
                "raised": {x.code: x.confidence for x in assessment.findings},
                "read": [*read.max(axis=0), *np.log1p((read >= 0.5).sum(axis=0))],
                "facts": [f.rag_computed in ("amber", "red"), f.rag_computed is None,
                          bool(f.deteriorated), bool(f.improved),
                          bool(f.previously_off_target), f.qualitative,
                          f.assumed_off_target, bool(item.submission.previous_narrative),
                          math.log1p(len(narrative.split())) / 8,
                          item.submission.stated_rag is not None]})
    return out


def design(table: list[dict[str, Any]], codes: list[str]) -> np.ndarray:
    families = sorted({r["family"] for r in table})
    return np.array([[*(float(c in r["raised"]) for c in codes),
                      *(r["raised"].get(c, 0.0) for c in codes), *r["read"],
                      *map(float, r["facts"]), *(float(r["family"] == f) for f in families)]
                     for r in table])


def scores(y: np.ndarray, p: np.ndarray) -> tuple[float, float, float]:
    counted = Scores(int((y & p).sum()), int((~y & p).sum()), int((y & ~p).sum()))
    return counted.precision, counted.recall, counted.f1


WAYS = {"model": lambda rule, model: model, "or": lambda rule, model: rule | model,
        "and": lambda rule, model: rule & model}


def show(code: str, positives: int, result: dict[str, tuple[float, float, float]],
         means: dict[str, list[float]]) -> None:
    """One finding's line (precision/recall/F1 of each way), its F1s kept for the mean."""
    for way, figures in result.items():
        means.setdefault(way, []).append(figures[2])
    print(f"  {code} ({positives} positives) " + "  ".join(
        f"{way} {p:.2f}/{r:.2f}/{f:.2f}" for way, (p, r, f) in result.items()))


def show_means(means: dict[str, list[float]]) -> None:
    print("  mean F1: " + ", ".join(f"{way} {np.mean(v):.3f}" for way, v in means.items()))


def compare(table: list[dict[str, Any]], c: float) -> None:
    codes = sorted({code for r in table for code in r["labels"]})
    x = design(table, codes)
    fitted = np.array([r["set"] != SELECT for r in table])
    means: dict[str, list[float]] = {}
    print(f"C={c}")
    for code in codes:
        has = np.array([code in r["labels"] for r in table])
        y = np.array([bool(r["labels"].get(code, 0)) for r in table])
        rule = np.array([code in r["raised"] for r in table])
        fit, read = fitted & has, ~fitted & has
        if y[fit].sum() < MIN_POSITIVES:
            continue
        scale = StandardScaler().fit(x[fit])
        model = LogisticRegression(C=c, max_iter=3000, class_weight="balanced")
        folds = StratifiedKFold(5, shuffle=True, random_state=SEED)
        held = cross_val_predict(model, scale.transform(x[fit]), y[fit], cv=folds,
                                 method="predict_proba")[:, 1]
        chosen = {way: max(THRESHOLDS, key=lambda t, w=join: scores(
                      y[fit], w(rule[fit], held >= t))[2]) for way, join in WAYS.items()}
        p = model.fit(scale.transform(x[fit]), y[fit]).predict_proba(
            scale.transform(x[read]))[:, 1]
        result = {"rules": scores(y[read], rule[read])}
        result.update({way: scores(y[read], join(rule[read], p >= chosen[way]))
                       for way, join in WAYS.items()})
        show(code, int(y[read].sum()), result, means)
    show_means(means)


def record_text(item: Labelled) -> str:
    s = item.submission
    return (f"{s.kpi_name or ''}. Rating {s.stated_rag or 'none'}. Target {s.target} actual "
            f"{s.actual} previous {s.previous_actual}. {s.narrative or ''} Previously: "
            f"{s.previous_narrative or 'none'}")


def fine_tuned(items: list[Labelled], table: list[dict[str, Any]]) -> None:
    """MiniLM fitted to the train records' labels, thresholds on dev, read on the
    selection set; the rules' findings are those of `table` (dev and selection rows)."""
    from transformers import AutoTokenizer

    from narrative_qa.language.embeddings import model_dir
    from tools import reader_finetune

    reader_finetune.MAX_TOKENS = 256
    codes = sorted({c for i in items for c in i.labels})
    part = {name: [i for i in items if i.split == name] for name in ("train", "dev", SELECT)}
    labels = {name: np.array([[bool(i.labels.get(c, 0)) for c in codes] for i in chosen])
              for name, chosen in part.items()}
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    tuned = reader_finetune.fine_tune([record_text(i) for i in part["train"]],
                                      labels["train"].astype(float), tokenizer, 2, 3, 2e-4)
    read = {name: reader_finetune.embed(tuned, tokenizer,
                                        [record_text(i) for i in part[name]])[1]
            for name in ("dev", SELECT)}
    raised = {name: [r["raised"] for r in table if r["set"] == name] for name in ("dev", SELECT)}
    means: dict[str, list[float]] = {}
    print("fine-tuned MiniLM, thresholds chosen on dev")
    for k, code in enumerate(codes):
        if labels["dev"][:, k].sum() < 5:
            continue
        rule = {name: np.array([code in r for r in raised[name]]) for name in raised}
        y, p = labels[SELECT][:, k], read[SELECT][:, k]
        result = {"rules": scores(y, rule[SELECT])}
        for way, join in WAYS.items():
            chosen = max(THRESHOLDS, key=lambda t, w=join: scores(
                labels["dev"][:, k], w(rule["dev"], read["dev"][:, k] >= t))[2])
            result[way] = scores(y, join(rule[SELECT], p >= chosen))
        show(code, int(y.sum()), result, means)
    show_means(means)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0])
    parser.add_argument("--fine-tune", action="store_true")
    args = parser.parse_args()
    items = load_real_labelled(settings_from(None))
    train = [i for i in items if i.split == "train"]
    dev = [i for i in items if i.split == "dev"]
    shipped, _ = fit_readers(train, dev)
    table = [r for k in range(FOLDS)
             for r in rows(in_fold(train, k), readers_without(k, train, dev), "train")]
    table += rows(dev, shipped, "dev") + rows([i for i in items if i.split == SELECT],
                                              shipped, SELECT)
    print(f"{len(table)} records: fitted on {sum(r['set'] != SELECT for r in table)} "
          f"(train out of fold, dev), read on {sum(r['set'] == SELECT for r in table)} "
          "of the selection set; precision/recall/F1")
    if args.fine_tune:
        fine_tuned(items, table)
        return 0
    for c in args.c:
        compare(table, c)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
