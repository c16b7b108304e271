"""Measuring the findings against people's labels, with two baselines scored in the same run.

A labelled file holds canonical submission fields plus `labels` (NQ01..NQ11 -> 0/1) and,
optionally, `split` (train/dev/test). A finding counts as predicted whenever narrative_qa
reports it, whatever its confidence: that is what a user sees. Findings whose measured
precision is below target are reported as low-confidence (see models/CARD.md).

Baselines:
- keyword: one naive keyword test per finding, the kind of check a spreadsheet formula
  could do;
- tfidf: TF-IDF of the narrative (word 1-2 grams) + logistic regression per finding,
  trained on the train split of the bundled corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

from narrative_qa.catalogue import catalogue_codes
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


def system_predictions(items: list[Labelled], settings: Settings) -> list[set[str]]:
    assessments = assess_batch([i.submission for i in items], settings)
    return [{f.code for f in a.findings} for a in assessments]


# --- keyword baseline ----------------------------------------------------------------

_KW = {
    "back": re.compile(r"last quarter|previous|previously|\bQ[1-4]\b", re.I),
    "future": re.compile(r"\bwill\b|\bplan", re.I),
    "date": re.compile(r"\b(?:Q[1-4]|20\d\d|January|February|March|April|May|June|July|"
                       r"August|September|October|November|December)\b"),
    "challenge": re.compile(r"staff|vacanc|recruit|demand|absence|capacity|pressure", re.I),
    "digit": re.compile(r"\d"),
    "continue": re.compile(r"continu|ongoing|in place", re.I),
    "because": re.compile(r"because|due to|as a result", re.I),
    "irrelevant": re.compile(r"newsletter|dashboard|wellbeing|away day|awards?", re.I),
    "vague": re.compile(r"ongoing|under review|being progressed|continue to monitor", re.I),
    "improved": re.compile(r"improv|increas", re.I),
}


def keyword_predictions(items: list[Labelled], settings: Settings) -> list[set[str]]:
    out = []
    for item in items:
        sub, text = item.submission, item.submission.narrative
        facts = data_facts(sub, settings.rag)
        found = set()
        previous = sub.previous_narrative or ""
        if previous and not _KW["back"].search(text):
            found.add("NQ01")
        if _KW["future"].search(text) and not _KW["date"].search(text):
            found.add("NQ02")
        if previous and _KW["continue"].search(text):
            found.add("NQ03")
        if _KW["challenge"].search(text) and not _KW["digit"].search(text):
            found.add("NQ04")
        if facts.improved is False and _KW["continue"].search(text):
            found.add("NQ05")
        if facts.deteriorated and not _KW["because"].search(text):
            found.add("NQ06")
        if _KW["irrelevant"].search(text):
            found.add("NQ07")
        if len(text.split()) < 40 or _KW["vague"].search(text):
            found.add("NQ08")
        if sub.stated_rag and facts.rag_computed and sub.stated_rag != facts.rag_computed:
            found.add("NQ09")
        if facts.improved is False and _KW["improved"].search(text):
            found.add("NQ10")
        if previous and SequenceMatcher(None, text, previous).ratio() > 0.9:
            found.add("NQ11")
        out.append(found)
    return out


# --- TF-IDF + logistic regression baseline -------------------------------------------

def tfidf_predictions(train: list[Labelled], items: list[Labelled]) -> list[set[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    x_train = vectoriser.fit_transform(i.submission.narrative for i in train)
    x_eval = vectoriser.transform(i.submission.narrative for i in items)
    predicted: list[set[str]] = [set() for _ in items]
    for code in catalogue_codes():
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
             baselines: bool = True) -> Report:
    settings = settings or load_settings()
    items = load_labelled(path, settings)
    if split:
        items = [i for i in items if i.split == split]
        if not items:
            raise InputError("NQE009", f"no records with split '{split}'", Location(str(path)))
    report = Report(n=len(items), split=split)
    report.systems["narrative_qa"] = score_predictions(items, system_predictions(items,
                                                                                 settings))
    if baselines:
        report.systems["keyword"] = score_predictions(items, keyword_predictions(items,
                                                                                 settings))
        train = [i for i in load_labelled(BUNDLED_CORPUS, settings) if i.split == "train"]
        report.systems["tfidf_lr"] = score_predictions(items, tfidf_predictions(train, items))
    return report
