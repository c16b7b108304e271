"""Learned gates: a calibrated linear model per finding that re-scores the rule's findings.

For each finding, a scikit-learn pipeline (the narrative's sentence embedding plus the
rule features -> standardised -> logistic regression, sigmoid-calibrated) is trained on the
corpus's train split. It can only confirm or withdraw a finding the rules raised, so every
finding still quotes its sentences; its probability becomes the finding's confidence.

`train` fits all eleven and keeps a gate only where it beats the rule alone on the dev
split (higher F1 without lower precision). The card in models/ records the data hash, the
split, per-finding precision/recall/F1 of both paths on dev and test, and library versions.
The test split is scored once, for the card; nothing is chosen on it.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.config import Settings
from narrative_qa.engine import assess_batch
from narrative_qa.evaluation import CODES, Labelled, Scores, load_labelled, score_predictions
from narrative_qa.model import Assessment

MODELS_DIR = Path(__file__).resolve().parent.parent / "models"
GATES_FILE = "gates.joblib"
SEED = 0
PRECISION_TARGET = 0.85  # below this on dev, a finding is shown as low-confidence
LOW_CONFIDENCE_CAP = 0.45
RULE_WIDTH = 10  # [fired, confidence] + 8 shared features, see rule_features


def rule_features(assessment: Assessment) -> dict[str, np.ndarray]:
    """Per finding: [fired, confidence] plus features of the text and data shared by all."""
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
    for code in CODES:
        finding = by_code.get(code)
        out[code] = np.array([float(finding is not None),
                              finding.confidence if finding else 0.0, *shared],
                             dtype=np.float32)
    return out


def _embeddings(items: list[Labelled]) -> np.ndarray:
    from narrative_qa.language.embeddings import default_embedder

    return default_embedder().embed([i.submission.narrative for i in items])


def _matrix(code: str, rule: list[dict[str, np.ndarray]], embedded: np.ndarray) -> np.ndarray:
    return np.hstack([np.stack([r[code] for r in rule]), embedded])


def _pipeline():
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.compose import ColumnTransformer
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    # 256 training examples cannot support 394 free weights: the embedding is reduced to its
    # first 16 principal components before it meets the rule features.
    reduce = ColumnTransformer([("rule", "passthrough", slice(0, RULE_WIDTH)),
                                ("embedding", PCA(n_components=16, random_state=SEED),
                                 slice(RULE_WIDTH, None))])
    linear = make_pipeline(reduce, StandardScaler(), LogisticRegression(
        C=1.0, class_weight="balanced", max_iter=5000, random_state=SEED))
    return CalibratedClassifierCV(linear, method="sigmoid", cv=5)


@dataclass
class SplitData:
    items: list[Labelled]
    assessments: list[Assessment]
    rule: list[dict[str, np.ndarray]]
    embedded: np.ndarray


def _prepare(items: list[Labelled], settings: Settings) -> SplitData:
    assessments = assess_batch([i.submission for i in items], settings, gates=False)
    return SplitData(items, assessments, [rule_features(a) for a in assessments],
                     _embeddings(items))


def _rule_scores(data: SplitData) -> dict[str, Scores]:
    predicted = [{f.code for f in a.findings} for a in data.assessments]
    return score_predictions(data.items, predicted)


def _gated_scores(code: str, model, data: SplitData) -> Scores:
    probability = model.predict_proba(_matrix(code, data.rule, data.embedded))[:, 1]
    scores = Scores()
    for item, a, p in zip(data.items, data.assessments, probability, strict=True):
        fired = any(f.code == code for f in a.findings)
        guess, gold = bool(fired and p >= 0.5), bool(item.labels[code])
        scores.tp += int(gold and guess)
        scores.fp += int(guess and not gold)
        scores.fn += int(gold and not guess)
    return scores


def data_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def train(corpus: Path, settings: Settings, out: Path = MODELS_DIR) -> dict[str, Any]:
    import joblib
    import sklearn

    items = load_labelled(corpus, settings)
    splits = {s: [i for i in items if i.split == s] for s in ("train", "dev", "test")}
    data = {s: _prepare(rows, settings) for s, rows in splits.items()}
    rule_dev, rule_test = _rule_scores(data["dev"]), _rule_scores(data["test"])
    gates, card_rows = {}, {}
    for code in CODES:
        y = np.array([i.labels[code] for i in data["train"].items])
        model = _pipeline().fit(_matrix(code, data["train"].rule, data["train"].embedded), y)
        gated_dev = _gated_scores(code, model, data["dev"])
        keep = (gated_dev.f1 > rule_dev[code].f1
                and gated_dev.precision >= rule_dev[code].precision)
        if keep:
            gates[code] = model
        card_rows[code] = {
            "path": "learned gate" if keep else "rules",
            "dev": {"rules": rule_dev[code].as_dict(), "gate": gated_dev.as_dict()},
            "test": {"rules": rule_test[code].as_dict(),
                     "gate": _gated_scores(code, model, data["test"]).as_dict()},
        }
    low = sorted(code for code, row in card_rows.items()
                 if row["dev"]["gate" if row["path"] == "learned gate" else "rules"]["precision"]
                 < PRECISION_TARGET)
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump({"codes": sorted(gates), "models": gates}, out / GATES_FILE)
    card = {
        "data": {"file": str(corpus.name), "sha256": data_hash(corpus),
                 "split": {s: len(r) for s, r in splits.items()},
                 "split_rule": "sha256(id) mod 10: 0-5 train, 6-7 dev, 8-9 test"},
        "model": "10 rule features + embedding (all-MiniLM-L6-v2, 384 -> PCA 16) -> "
                 "StandardScaler -> LogisticRegression(C=1, balanced) -> sigmoid calibration "
                 "(5-fold)",
        "seed": SEED,
        "selection": "a gate is kept where it beats the rules on dev: higher F1 and no "
                     "lower precision; test is reported, never used to choose",
        "findings": card_rows,
        "low_confidence": low,
        "low_confidence_rule": f"dev precision of the path used below {PRECISION_TARGET}: "
                               f"confidence capped at {LOW_CONFIDENCE_CAP} and marked "
                               "low-confidence in every output",
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__},
    }
    (out / "card.json").write_text(json.dumps(card, indent=2))
    (out / "CARD.md").write_text(render_card(card))
    load_gates.cache_clear()
    _card.cache_clear()
    return card


def render_card(card: dict[str, Any]) -> str:
    lines = [
        "# Model card: learned gates for narrative_qa findings", "",
        f"Training data: `corpus/{card['data']['file']}` (sha256 "
        f"`{card['data']['sha256'][:16]}…`), split {card['data']['split']} "
        f"({card['data']['split_rule']}).", "",
        f"Model: {card['model']}. Seed {card['seed']}.", "",
        f"Selection: {card['selection']}.", "",
        "| finding | path used | dev rules P/R/F1 | dev gate P/R/F1 | test rules P/R/F1 | "
        "test gate P/R/F1 |",
        "|---|---|---|---|---|---|",
    ]

    def prf(s: dict) -> str:
        return f"{s['precision']:.2f} / {s['recall']:.2f} / {s['f1']:.2f}"

    for code, row in card["findings"].items():
        lines.append(f"| {code} | {row['path']} | {prf(row['dev']['rules'])} | "
                     f"{prf(row['dev']['gate'])} | {prf(row['test']['rules'])} | "
                     f"{prf(row['test']['gate'])} |")
    lines += ["", f"Shown as low-confidence ({card['low_confidence_rule']}): "
              f"{', '.join(card['low_confidence']) or 'none'}."]
    lines += ["", "Library versions: " + ", ".join(f"{k} {v}"
                                                   for k, v in card["versions"].items()), "",
              "Rebuild with `narrative-qa train` (fixed seeds; same data gives the same "
              "models).", ""]
    return "\n".join(lines)


@lru_cache(maxsize=1)
def load_gates(directory: Path = MODELS_DIR) -> dict[str, Any]:
    path = directory / GATES_FILE
    if not path.is_file():
        return {}
    import joblib

    return joblib.load(path)["models"]


@lru_cache(maxsize=1)
def _card(directory: Path = MODELS_DIR) -> dict[str, Any]:
    path = directory / "card.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def low_confidence_codes() -> frozenset[str]:
    return frozenset(_card().get("low_confidence", []))


def gated_codes() -> frozenset[str]:
    return frozenset(code for code, row in _card().get("findings", {}).items()
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

    One predict_proba per finding code over the whole batch (sklearn's per-call overhead
    is far larger than the arithmetic)."""
    wanted = [a for a in assessments if any(f.code in gates for f in a.findings)]
    if not wanted:
        return
    from narrative_qa.language.embeddings import default_embedder

    embedded = default_embedder().embed([a.submission.narrative for a in wanted])
    features = [rule_features(a) for a in wanted]
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
