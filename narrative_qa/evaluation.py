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

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.catalogue import Rule, catalogue_codes, load_catalogue
from narrative_qa.config import Settings, load_settings
from narrative_qa.data_checks import data_facts
from narrative_qa.engine import assess_batch
from narrative_qa.errors import InputError, Location
from narrative_qa.metrics import Labelled, Scores, load_labelled, score_predictions

BUNDLED_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "labelled.jsonl"


@dataclass
class Report:
    n: int
    split: str | None
    systems: dict[str, dict[str, Scores]] = field(default_factory=dict)

    def macro_f1(self, system: str) -> float:
        scores = self.systems[system]
        return sum(s.f1 for s in scores.values()) / len(scores)

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n, "split": self.split,
            "systems": {name: {"per_finding": {c: s.as_dict() for c, s in scores.items()},
                               "macro_f1": round(self.macro_f1(name), 3)}
                        for name, scores in self.systems.items()},
        }


def system_predictions(items: list[Labelled], settings: Settings,
                       rules: tuple[Rule, ...] | None = None) -> list[set[str]]:
    assessments = assess_batch([i.submission for i in items], settings, rules)
    return [{f.code for f in a.findings} for a in assessments]


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


def evaluate(path: Path, split: str | None = None, settings: Settings | None = None,
             baselines: bool = True, rules: tuple[Rule, ...] | None = None) -> Report:
    """Per finding of the catalogue (`rules`, by default the bundled one) that some record
    is labelled for."""
    settings = settings or load_settings()
    rules = rules if rules is not None else load_catalogue()
    codes = catalogue_codes(rules)
    items = load_labelled(path, settings, codes)
    if split:
        items = [i for i in items if i.split == split]
        if not items:
            raise InputError("NQE009", f"no records with split '{split}'", Location(str(path)))
    report = Report(n=len(items), split=split)
    codes = tuple(c for c in codes if any(c in i.labels for i in items))
    report.systems["narrative_qa"] = score_predictions(
        items, system_predictions(items, settings, rules), codes)
    if baselines:
        report.systems["keyword"] = score_predictions(
            items, keyword_predictions(items, settings, rules), codes)
        bundled = load_labelled(BUNDLED_CORPUS, settings, catalogue_codes(rules))
        train = [i for i in bundled if i.split == "train"]
        report.systems["tfidf_lr"] = score_predictions(
            items, tfidf_predictions(train, items, codes), codes)
    return report
