"""Applying the learned gates of models/ at run time (training is in measure/learning.py).

A gate is a calibrated linear model per finding that re-scores the rule's findings: it can
only confirm or withdraw a finding the rules raised, and its probability becomes the
finding's confidence. The card in models/ says which findings are gated; the calibrated
confidence (confidence.py) decides what is claimed.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.assessment import Assessment
from narrative_qa.errors import ConfigError, Location
from narrative_qa.resources import MODELS_DIR, models_file

GATES_FILE = "gates.npz"  # plain arrays: loading it cannot run code
FOLD_ARRAYS = ("rule_width", "pca_mean", "pca_components", "scaler_mean", "scaler_scale",
               "coef", "intercept", "sigmoid_a", "sigmoid_b")


@dataclass(frozen=True)
class Fold:
    """One calibrated fold: rule features passed through, the embedding projected on its
    principal components, standardised, a logistic regression's decision value, then
    Platt's sigmoid. The arithmetic (and its float32 steps) is scikit-learn's."""

    rule_width: int
    pca_mean: np.ndarray
    pca_components: np.ndarray
    scaler_mean: np.ndarray
    scaler_scale: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    sigmoid_a: float
    sigmoid_b: float

    def positive(self, rows: np.ndarray) -> np.ndarray:
        embedding = rows[:, self.rule_width:]
        projected = embedding @ self.pca_components.T
        projected -= np.reshape(self.pca_mean, (1, -1)) @ self.pca_components.T
        x = np.hstack([rows[:, : self.rule_width], projected])
        x -= self.scaler_mean.astype(x.dtype)
        x /= self.scaler_scale.astype(x.dtype)
        decision = np.reshape(x @ self.coef.T + self.intercept, (-1,))
        return np.array([_expit_of_minus(v)
                         for v in self.sigmoid_a * decision + self.sigmoid_b])


def _expit_of_minus(value: float) -> float:
    """1 / (1 + e^value) with the C library's exp, as scipy's expit computes it (numpy's
    own exp differs in the last bit, which would change the confidences written)."""
    try:
        return 1.0 / (1.0 + math.exp(value))
    except OverflowError:
        return 0.0


@dataclass(frozen=True)
class Gate:
    """The mean of the calibrated folds' probabilities, as CalibratedClassifierCV gives."""

    folds: tuple[Fold, ...]

    def predict_proba(self, rows: np.ndarray) -> np.ndarray:
        mean = np.zeros((rows.shape[0], 2))
        for fold in self.folds:
            proba = np.zeros((rows.shape[0], 2))
            proba[:, 1] = fold.positive(rows)
            proba[:, 0] = 1.0 - proba[:, 1]
            mean += proba
        mean /= len(self.folds)
        return mean


def rule_features(assessment: Assessment, codes: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Per finding code: [fired, confidence] plus features of the text and data shared by
    all."""
    sub, facts = assessment.submission, assessment.facts
    narrative = sub.narrative
    shared = [
        len(narrative.split()) / 100,
        float(bool(sub.previous_narrative)),
        float(bool(facts.deteriorated)),
        float(bool(facts.improved)),
        float(bool(facts.off_target)),
        (facts.variance_pct or 0.0) / 10,
        float(facts.qualitative),
        len(assessment.findings) / 5,
    ]
    by_code = {f.code: f for f in assessment.findings}
    out = {}
    for code in codes:
        finding = by_code.get(code)
        out[code] = np.array([float(finding is not None),
                              finding.confidence if finding else 0.0, *shared],
                             dtype=np.float32)
    return out


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def load_gates(directory: Path | None = None) -> dict[str, Gate]:
    """The gates of models/, after their file matches the sha256 recorded in the card."""
    directory = directory or MODELS_DIR
    path = models_file(directory, GATES_FILE)
    where = Location(str(path))
    data = path.read_bytes()
    recorded = load_card(directory).get("gates", {}).get("sha256")
    if recorded != file_sha256(data):
        raise ConfigError("NQE070", "the gates file does not match the sha256 recorded in "
                          "card.json", where)
    try:
        arrays = np.load(io.BytesIO(data), allow_pickle=False)
        return {str(code): Gate(tuple(_fold(arrays, f"{code}.{n}")
                                      for n in range(int(arrays[f"{code}.folds"]))))
                for code in arrays["codes"]}
    except (KeyError, ValueError, OSError) as exc:
        raise ConfigError("NQE070", f"the gates file cannot be read ({exc})", where) from exc


def _fold(arrays: Any, prefix: str) -> Fold:
    values = {name: arrays[f"{prefix}.{name}"] for name in FOLD_ARRAYS}
    return Fold(rule_width=int(values.pop("rule_width")),
                sigmoid_a=values.pop("sigmoid_a")[()], sigmoid_b=values.pop("sigmoid_b")[()],
                **values)


def export_gates(models: dict[str, Any]) -> bytes:
    """Fitted CalibratedClassifierCV pipelines (see measure/learning.py) as the arrays of a .npz."""
    arrays: dict[str, np.ndarray] = {"codes": np.array(sorted(models))}
    for code, model in models.items():
        folds = model.calibrated_classifiers_
        arrays[f"{code}.folds"] = np.array(len(folds))
        for n, fold in enumerate(folds):
            reduce, scaler, linear = (step for _, step in fold.estimator.steps)
            (calibrator,) = fold.calibrators
            pca = reduce.named_transformers_["embedding"]
            rule_columns = dict((name, cols) for name, _, cols in reduce.transformers_)["rule"]
            if pca.whiten or rule_columns.start != 0:
                raise ValueError("only an unwhitened PCA after the rule columns is exported")
            for name, value in {
                "rule_width": rule_columns.stop, "pca_mean": pca.mean_,
                "pca_components": pca.components_, "scaler_mean": scaler.mean_,
                "scaler_scale": scaler.scale_, "coef": linear.coef_,
                "intercept": linear.intercept_, "sigmoid_a": calibrator.a_,
                "sigmoid_b": calibrator.b_,
            }.items():
                arrays[f"{code}.{n}.{name}"] = np.asarray(value)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def load_card(directory: Path | None = None) -> dict[str, Any]:
    path = models_file(directory or MODELS_DIR, "card.json")
    try:
        return json.loads(path.read_text())
    except (ValueError, OSError) as exc:
        raise ConfigError("NQE070", f"the model card cannot be read ({exc})",
                          Location(str(path))) from exc


def gated_codes() -> frozenset[str]:
    return frozenset(code for code, row in load_card().get("findings", {}).items()
                     if row["path"] == "learned gate")


def apply_gates(assessments: list[Assessment], gates: dict[str, Gate]) -> None:
    """Withdraw rule findings a gate rejects; its probability becomes the confidence.

    One predict_proba per finding code over the whole batch (the per-call overhead is far
    larger than the arithmetic)."""
    wanted = [a for a in assessments if any(f.code in gates for f in a.findings)]
    if not wanted:
        return
    from narrative_qa.language.embeddings import default_embedder

    embedded = default_embedder().embed([a.submission.narrative for a in wanted])
    codes = tuple(gates)
    features = [rule_features(a, codes) for a in wanted]
    rejected: set[int] = set()
    for code, model in gates.items():
        cases = [(f, np.hstack([rule[code], vector]))
                 for a, rule, vector in zip(wanted, features, embedded, strict=True)
                 for f in a.findings if f.code == code]
        if not cases:
            continue
        rows = np.stack([row for _, row in cases])
        for (finding, _), probability in zip(cases, model.predict_proba(rows)[:, 1],
                                             strict=True):
            finding.confidence = float(probability)
            if probability < 0.5:
                rejected.add(id(finding))
    for assessment in wanted:
        assessment.findings = [f for f in assessment.findings if id(f) not in rejected]
