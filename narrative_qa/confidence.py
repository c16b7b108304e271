"""Calibrated confidence: how likely a finding is to be right, given what it rests on.

Every finding a detector raises is described by a few numbers: the detector's own score,
what the reading layer makes of the sentences it quotes and of the whole narrative (the
highest probability of each tag), and the narrative's length. A logistic regression per
finding code maps them to the probability that people would agree with the finding. It is
trained (measure/confidence_training.py) on the labelled real corpus's train split, each record read
by readers that never saw it, so the probabilities are honest.

Each code also has a claim threshold, chosen on out-of-fold train and dev for precision of
at least 0.85: a finding below it is shown to the officer as "worth a look" and never
counts for the verdict or `--fail-on` (Finding.low_confidence).

The weights are plain numbers in models/confidence.json, checked by sha256; a finding code
with no calibration (a rule added locally) keeps its detector's confidence.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.errors import ConfigError, Location
from narrative_qa.resources import MODELS_DIR
from narrative_qa.specs.tags import READ_TAGS

CONFIDENCE_FILE = "confidence.json"
BASE_FEATURES = ("detector_confidence", "evidence_sentences", "log_words", "has_previous")


def feature_names(tags: Sequence[str]) -> list[str]:
    return [*BASE_FEATURES, *(f"narrative_max_{t}" for t in tags),
            *(f"evidence_max_{t}" for t in tags)]


def finding_features(ctx: Any, evidence: Sequence[Any], confidence: float) -> np.ndarray:
    """The numbers that describe one finding of `ctx` (a detectors.base.Context)."""
    # The evidence readers (specs/tags.py) too: on the 480-record selection set, with them
    # 54 of NQ02's 152 findings are claimed at precision 0.85, and without them no band of
    # NQ02 reaches it (stop 43; on the first 240 records, in stop 35, they had claimed less).
    sentences = ctx.sentences
    readings = [ctx.readings[t] for t in READ_TAGS]
    quoted = {e.text if hasattr(e, "text") else str(e) for e in evidence}
    at = [i for i, s in enumerate(sentences) if s.text in quoted]
    narrative = [max(p, default=0.0) for p in readings]
    quoted_max = [max((p[i] for i in at), default=0.0) for p in readings]
    words = len(ctx.submission.narrative.split())
    return np.array([confidence, min(len(at), 5) / 5, math.log1p(words) / 8,
                     float(bool(ctx.submission.previous_narrative)),
                     *narrative, *quoted_max])


@dataclass(frozen=True)
class CodeCalibration:
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float
    threshold: float  # at or above: claimed; below: worth a look

    def probability(self, x: np.ndarray) -> float:
        z = float(((x - self.mean) / self.scale) @ self.coef + self.intercept)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def as_dict(self) -> dict[str, Any]:
        return {"mean": [round(float(v), 8) for v in self.mean],
                "scale": [round(float(v), 8) for v in self.scale],
                "coef": [round(float(v), 8) for v in self.coef],
                "intercept": round(float(self.intercept), 8),
                "threshold": round(float(self.threshold), 4)}

    @classmethod
    def of(cls, row: dict[str, Any]) -> CodeCalibration:
        return cls(np.array(row["mean"], dtype=float), np.array(row["scale"], dtype=float),
                   np.array(row["coef"], dtype=float), float(row["intercept"]),
                   float(row["threshold"]))


def _digest(content: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def save_calibration(codes: dict[str, CodeCalibration], card: dict[str, Any],
                     folder: Path) -> None:
    content = {"features": card["features"],
               "codes": {code: c.as_dict() for code, c in sorted(codes.items())}}
    payload = {**card, **content, "sha256": _digest(content)}
    (folder / CONFIDENCE_FILE).write_text(json.dumps(payload, indent=1) + "\n",
                                          encoding="utf-8")


@lru_cache(maxsize=2)
def load_calibration(folder: Path = MODELS_DIR) -> dict[str, CodeCalibration]:
    """The calibration of models/, once per process; NQE070 when missing or changed."""
    path = folder / CONFIDENCE_FILE
    where = Location(str(path))
    if not path.is_file():
        raise ConfigError("NQE070", "the confidence calibration file is missing", where)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        content = {"features": payload["features"], "codes": payload["codes"]}
        if _digest(content) != payload.get("sha256"):
            raise ConfigError("NQE070", "the confidence calibration does not match its "
                              "sha256", where)
        return {code: CodeCalibration.of(row) for code, row in content["codes"].items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError("NQE070", f"the confidence calibration cannot be read ({exc})",
                          where) from exc


def calibrate(findings: Sequence[Any], calibration: dict[str, CodeCalibration]) -> None:
    """Each finding's confidence becomes its calibrated probability, and its claim
    threshold its code's (findings.Finding)."""
    for finding in findings:
        model = calibration.get(finding.code)
        if model is None or finding.features is None:
            continue
        finding.confidence = model.probability(finding.features)
        finding.claim_threshold = model.threshold


def never_claimed_codes() -> frozenset[str]:
    """Codes whose findings are only ever worth a look: no threshold reached the precision
    target when they were calibrated."""
    return frozenset(code for code, c in load_calibration().items() if c.threshold >= 1.0)
