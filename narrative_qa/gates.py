"""Applying the learned gates of models/ at run time (training is in learning.py).

A gate is a calibrated linear model per finding that re-scores the rule's findings: it can
only confirm or withdraw a finding the rules raised, and its probability becomes the
finding's confidence. The card in models/ says which findings are gated and which are shown
as low-confidence.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.model import Assessment

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
GATES_FILE = "gates.joblib"
LOW_CONFIDENCE_CAP = 0.45


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


@lru_cache(maxsize=1)
def load_gates(directory: Path = MODELS_DIR) -> dict[str, Any]:
    path = directory / GATES_FILE
    if not path.is_file():
        return {}
    import joblib

    return joblib.load(path)["models"]


@lru_cache(maxsize=1)
def load_card(directory: Path = MODELS_DIR) -> dict[str, Any]:
    path = directory / "card.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def low_confidence_codes() -> frozenset[str]:
    return frozenset(load_card().get("low_confidence", []))


def gated_codes() -> frozenset[str]:
    return frozenset(code for code, row in load_card().get("findings", {}).items()
                     if row["path"] == "learned gate")


def mark_low_confidence(assessments: list[Assessment], codes: frozenset[str]) -> None:
    """Findings whose measured precision is below target are shown, never claimed."""
    for assessment in assessments:
        for finding in assessment.findings:
            if finding.code in codes:
                finding.confidence = min(finding.confidence, LOW_CONFIDENCE_CAP)
                finding.details["precision_below_target"] = True


def apply_gates(assessments: list[Assessment], gates: dict[str, Any]) -> None:
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
