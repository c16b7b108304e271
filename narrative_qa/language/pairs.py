"""The action-KPI pair model (NQ07): how likely an action is to move its KPI.

Input: the action's sentence, the KPI's name, unit and service. Output: P(relevant), a
probability calibrated on out-of-fold training pairs (Platt scaling). Features:

- the action's TF-IDF word 1-2 grams (figures as classes, the readers' analyser);
- how many of the KPI name's distinctive words the action shares (and whether any), and
  whether it shares one with the service;
- whether the action states a mechanism ("so that managers can contact ...", "in order
  to ..."): the labellers counted a stated mechanism for relevance;
- whether it names an activity that rarely moves a service measure (a newsletter, an
  away day) for a KPI that activity does not serve (rules/language.yml,
  low_relevance_activities).

The model is trained by measure/pair_training.py (`narrative-qa train`). At run time only numpy is
needed: every array, and the cues and activities the model was trained with, are in
models/pairs.npz, checked by sha256 against models/pairs.json, so editing a lexicon
cannot change the model's features without a retrain, and loading it cannot run code.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from narrative_qa.errors import ConfigError, Location
from narrative_qa.language.readers import _npz, tfidf_row
from narrative_qa.language.words import content_words
from narrative_qa.resources import MODELS_DIR

PAIRS_FILE = "pairs.npz"
PAIRS_CARD = "pairs.json"
HAND_FEATURES = ("kpi_share", "kpi_any", "service_any", "mechanism", "activity")


@dataclass(frozen=True)
class Pair:
    """One action offered for one KPI."""

    action: str
    kpi_name: str
    unit: str = ""
    service: str = ""


@dataclass(frozen=True)
class Cues:
    """The pattern lists the hand features read (rules/language.yml at training time)."""

    mechanism: tuple[str, ...]
    activities: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]  # (pattern, serves)

    def as_json(self) -> str:
        return json.dumps({"mechanism": self.mechanism, "activities": self.activities})

    @classmethod
    def from_json(cls, text: str) -> Cues:
        raw = json.loads(text)
        return cls(tuple(raw["mechanism"]),
                   tuple((tuple(a), tuple(b)) for a, b in raw["activities"]))

    @classmethod
    def from_lexicon(cls) -> Cues:
        from narrative_qa.language.lexicon import shared

        return cls(tuple(str(c) for c in shared("mechanism_cues")),
                   tuple((tuple(a["pattern"]), tuple(a.get("serves", ())))
                         for a in shared("low_relevance_activities")))


@lru_cache(maxsize=64)
def _pattern(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)", re.IGNORECASE)


def states_mechanism(action: str, cues: Cues) -> bool:
    return bool(_pattern(cues.mechanism).search(action))


def names_low_relevance_activity(pair: Pair, cues: Cues) -> bool:
    """An activity of the reviewed list, for a KPI it does not serve."""
    kpi = f"{pair.kpi_name} {pair.service}"
    return any(_pattern(pattern).search(pair.action)
               and not (serves and _pattern(serves).search(kpi))
               for pattern, serves in cues.activities)


def hand_features(pair: Pair, cues: Cues) -> np.ndarray:
    """The features beyond the n-grams, in HAND_FEATURES order."""
    words = content_words(pair.action)
    kpi = content_words(f"{pair.kpi_name} {pair.unit}")
    shared = len(words & kpi)
    return np.array([shared / len(kpi) if kpi else 0.0, float(shared > 0),
                     float(bool(words & content_words(pair.service))),
                     float(states_mechanism(pair.action, cues)),
                     float(names_low_relevance_activity(pair, cues))])


@dataclass(frozen=True)
class PairModel:
    """A logistic regression over [l2-normalised TF-IDF n-grams, hand features], then
    Platt scaling; `hand` says which hand features the chosen model uses."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (n-grams + used hand features,)
    intercept: float
    platt: np.ndarray  # (slope, offset) on the decision value
    threshold: float  # P(relevant) below this is flagged (chosen on out-of-fold and dev)
    hand: tuple[str, ...]
    cues: Cues

    def _ngram_part(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Non-zero n-gram columns and their values (readers.tfidf_row)."""
        return tfidf_row(text, self.vocabulary, self.idf)

    def decision(self, pairs: list[Pair]) -> np.ndarray:
        width = len(self.vocabulary)
        used = [HAND_FEATURES.index(name) for name in self.hand]
        out = np.full(len(pairs), self.intercept, dtype=float)
        for row, pair in enumerate(pairs):
            columns, values = self._ngram_part(pair.action)
            if len(columns):
                out[row] += values @ self.coef[columns]
            if used:
                out[row] += hand_features(pair, self.cues)[used] @ self.coef[width:]
        return out

    def relevance(self, pairs: list[Pair]) -> np.ndarray:
        """P(relevant) for each pair, calibrated."""
        return 1 / (1 + np.exp(-(self.platt[0] * self.decision(pairs) + self.platt[1])))

    def states_mechanism(self, pairs: list[Pair]) -> np.ndarray:
        return np.array([states_mechanism(p.action, self.cues) for p in pairs], dtype=bool)

    def flagged(self, pairs: list[Pair]) -> tuple[np.ndarray, np.ndarray]:
        """P(relevant) for each pair, and whether it is flagged: below the threshold and
        stating no mechanism (the labelling guide counts a stated mechanism for
        relevance: 1 of the 178 labelled pairs with one was judged not relevant)."""
        p = self.relevance(pairs)
        return p, (p < self.threshold) & ~self.states_mechanism(pairs)


def save_pair_model(model: PairModel, folder: Path, card: dict) -> None:
    terms = sorted(model.vocabulary, key=model.vocabulary.__getitem__)
    data = _npz({"vocabulary": np.array(terms, dtype=str), "idf": model.idf,
                 "coef": model.coef, "intercept": np.array([model.intercept]),
                 "platt": model.platt, "threshold": np.array([model.threshold]),
                 "hand": np.array(model.hand, dtype=str),
                 "cues": np.array([model.cues.as_json()], dtype=str)})
    (folder / PAIRS_FILE).write_bytes(data)
    card = {**card, "sha256": hashlib.sha256(data).hexdigest()}
    (folder / PAIRS_CARD).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    load_pair_model.cache_clear()  # the confidence, trained next, reads with this model


@lru_cache(maxsize=2)
def load_pair_model(folder: Path = MODELS_DIR) -> PairModel:
    """The pair model of models/, once per process; NQE070 when missing or changed."""
    path, card_path = folder / PAIRS_FILE, folder / PAIRS_CARD
    for needed in (path, card_path):
        if not needed.is_file():
            raise ConfigError("NQE070", "the action-KPI pair model's file is missing",
                              Location(str(needed)))
    data = path.read_bytes()
    card = json.loads(card_path.read_text(encoding="utf-8"))
    if hashlib.sha256(data).hexdigest() != card.get("sha256"):
        raise ConfigError("NQE070", "the action-KPI pair model does not match its card's "
                          "sha256", Location(str(path)))
    arrays = np.load(path, allow_pickle=False)
    terms = [str(t) for t in arrays["vocabulary"]]
    return PairModel(vocabulary={t: k for k, t in enumerate(terms)}, idf=arrays["idf"],
                     coef=arrays["coef"], intercept=float(arrays["intercept"][0]),
                     platt=arrays["platt"], threshold=float(arrays["threshold"][0]),
                     hand=tuple(str(h) for h in arrays["hand"]),
                     cues=Cues.from_json(str(arrays["cues"][0])))
