"""Training the learned gates: a calibrated linear model per finding that re-scores its
findings.

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
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.assessment import Assessment
from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import Settings
from narrative_qa.engine import assess_batch
from narrative_qa.gates import (
    GATES_FILE,
    MODELS_DIR,
    export_gates,
    file_sha256,
    load_card,
    load_gates,
    rule_features,
)
from narrative_qa.measure.metrics import Labelled, Scores, load_labelled, score_predictions
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.real_corpus import corpus_available

SEED = 0
PIPELINES_FILE = "gates.joblib"  # the fitted scikit-learn pipelines, for audit and tests
RULE_WIDTH = 10  # [fired, confidence] + 8 shared features, see rule_features


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
    codes = catalogue_codes()
    return SplitData(items, assessments, [rule_features(a, codes) for a in assessments],
                     _embeddings(items))


def _rule_scores(data: SplitData) -> dict[str, Scores]:
    predicted = [{f.code for f in a.findings} for a in data.assessments]
    return score_predictions(data.items, predicted)


def _gated_scores(code: str, model, data: SplitData) -> Scores:
    probability = model.predict_proba(_matrix(code, data.rule, data.embedded))[:, 1]
    scores = Scores()
    for item, a, p in zip(data.items, data.assessments, probability, strict=True):
        if code in item.labels:
            fired = any(f.code == code for f in a.findings)
            scores.add(bool(item.labels[code]), bool(fired and p >= 0.5))
    return scores


def _labelled_for(code: str, data: SplitData) -> SplitData:
    """The records of a split that carry a label for `code`."""
    keep = [n for n, item in enumerate(data.items) if code in item.labels]
    if len(keep) == len(data.items):
        return data
    return SplitData([data.items[n] for n in keep], [data.assessments[n] for n in keep],
                     [data.rule[n] for n in keep], data.embedded[keep])


def _real_train_dev(settings: Settings) -> SplitData | None:
    """The real corpus's train and dev records, when the corpus is beside the project."""
    if not corpus_available():
        return None
    items = [i for i in load_real_labelled(settings) if i.split in ("train", "dev")]
    return _prepare(items, settings)


def data_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beats_rules(gated: Any, rules: Any) -> bool:
    """A gate earns its place on dev: higher F1, and no lower precision."""
    return gated.f1 > rules.f1 and gated.precision >= rules.precision


def train(corpus: Path, settings: Settings, out: Path = MODELS_DIR) -> dict[str, Any]:
    from narrative_qa.language.embeddings import training_vectors

    with training_vectors():
        return _train(corpus, settings, out)


def _train(corpus: Path, settings: Settings, out: Path) -> dict[str, Any]:
    import joblib
    import sklearn

    items = load_labelled(corpus, settings)
    splits = {s: [i for i in items if i.split == s] for s in ("train", "dev", "test")}
    data = {s: _prepare(rows, settings) for s, rows in splits.items()}
    rule_dev, rule_test = _rule_scores(data["dev"]), _rule_scores(data["test"])
    real = _real_train_dev(settings)
    rule_real = _rule_scores(real) if real is not None else {}
    gates, card_rows = {}, {}
    for code in catalogue_codes():
        train_data = _labelled_for(code, data["train"])
        y = np.array([i.labels[code] for i in train_data.items])
        model = _pipeline().fit(_matrix(code, train_data.rule, train_data.embedded), y)
        gated_dev = _gated_scores(code, model, data["dev"])
        keep = beats_rules(gated_dev, rule_dev[code])
        on_real = None
        if real is not None:
            # Real text decides too: a gate that withdraws correct findings there, or
            # withdraws nothing, is retired (train and dev of the real corpus, never test).
            on_real = {"rules": rule_real[code], "gate": _gated_scores(code, model, real)}
            keep = keep and (on_real["gate"].f1 >= on_real["rules"].f1
                             and on_real["gate"].precision > on_real["rules"].precision)
        if keep:
            gates[code] = model
        card_rows[code] = {
            "path": "learned gate" if keep else "rules",
            "dev": {"rules": rule_dev[code].as_dict(), "gate": gated_dev.as_dict()},
            **({"real_train_dev": {k: v.as_dict() for k, v in on_real.items()}}
               if on_real else {}),
            "test": {"rules": rule_test[code].as_dict(),
                     "gate": _gated_scores(code, model, data["test"]).as_dict()},
        }
    out.mkdir(parents=True, exist_ok=True)
    # The scikit-learn pipelines are kept for audit; the engine applies the exported arrays.
    joblib.dump({"codes": sorted(gates), "models": gates}, out / PIPELINES_FILE)
    exported = export_gates(gates)
    (out / GATES_FILE).write_bytes(exported)
    card = {
        "data": {"file": str(corpus.name), "sha256": data_hash(corpus),
                 "split": {s: len(r) for s, r in splits.items()},
                 "split_rule": "sha256(id) mod 10: 0-5 train, 6-7 dev, 8-9 test"},
        "model": "10 rule features + embedding (all-MiniLM-L6-v2, 384 -> PCA 16) -> "
                 "StandardScaler -> LogisticRegression(C=1, balanced) -> sigmoid calibration "
                 "(5-fold)",
        "seed": SEED,
        "selection": "a gate is kept where it beats the rules on dev: higher F1 and no "
                     "lower precision; and, with the real corpus beside the project, where on "
                     "its train and dev splits it loses no F1 and gains precision; test is "
                     "reported, never used to choose",
        "findings": card_rows,
        "gates": {"file": GATES_FILE, "sha256": file_sha256(exported),
                  "pipelines": PIPELINES_FILE},
        "versions": {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
                     "numpy": np.__version__},
    }
    (out / "card.json").write_text(json.dumps(card, indent=2))
    card_md = out / "CARD.md"
    markdown = card_md.read_text(encoding="utf-8") if card_md.is_file() else ""
    card_md.write_text(render_card(card, real_text_block(markdown), later_blocks(markdown)))
    load_gates.cache_clear()
    load_card.cache_clear()
    return card


REAL_TEXT_MARKERS = ("<!-- real-text:start -->", "<!-- real-text:end -->")


CONFIDENCE_MARKERS = ("<!-- confidence:start -->", "<!-- confidence:end -->")


def real_text_block(markdown: str) -> str:
    """The real-text figures block of a card (written by tools/real_figures.py), kept
    when the gates are retrained: they come from an evaluate run, not from training."""
    return marked_block(markdown, REAL_TEXT_MARKERS)


def marked_block(markdown: str, markers: tuple[str, str]) -> str:
    """The block between two markers, markers included ("" when absent)."""
    start, end = markers
    if start not in markdown or end not in markdown:
        return ""
    return start + markdown.split(start, 1)[1].split(end, 1)[0] + end


def later_blocks(markdown: str) -> list[str]:
    """Every marked block but the real-text one (the confidence, the pair model, the
    forecasts: each written by its own training or tool), in order, kept when the gates
    are retrained."""
    return [m.group(0) for m in re.finditer(r"<!-- ([\w-]+):start -->.*?<!-- \1:end -->",
                                            markdown, re.S)
            if m.group(1) != "real-text"]


def replace_block(markdown: str, block: str, markers: tuple[str, str]) -> str:
    """`markdown` with its marked block replaced by `block` (appended when absent)."""
    old = marked_block(markdown, markers)
    return markdown.replace(old, block) if old else markdown.rstrip("\n") + "\n\n" + block + "\n"


def render_card(card: dict[str, Any], real_text: str = "",
                later: list[str] | None = None) -> str:
    lines = [
        "# Model card: learned gates for narrative_qa findings", "",
        *([f"## Real text\n\n{real_text}", "", "## The learned gates (written corpus)", ""]
          if real_text else []),
        f"Training data: `corpus/{card['data']['file']}` (sha256 "
        f"`{card['data']['sha256'][:16]}…`), split {card['data']['split']} "
        f"({card['data']['split_rule']}).", "",
        f"Model: {card['model']}. Seed {card['seed']}.", "",
        f"Selection: {card['selection']}.", "",
        "| finding | path used | dev rules P/R/F1 | dev gate P/R/F1 | test rules P/R/F1 | "
        "test gate P/R/F1 | real train+dev rules / gate F1 |",
        "|---|---|---|---|---|---|---|",
    ]

    def real_f1(row: dict) -> str:
        real = row.get("real_train_dev")
        return f"{real['rules']['f1']:.2f} / {real['gate']['f1']:.2f}" if real else "n/a"

    def prf(s: dict) -> str:
        return f"{s['precision']:.2f} / {s['recall']:.2f} / {s['f1']:.2f}"

    for code, row in card["findings"].items():
        lines.append(f"| {code} | {row['path']} | {prf(row['dev']['rules'])} | "
                     f"{prf(row['dev']['gate'])} | {prf(row['test']['rules'])} | "
                     f"{prf(row['test']['gate'])} | {real_f1(row)} |")
    lines += ["", "What is claimed, and what is only worth a look, is decided by the "
              "calibrated confidence and each code's claim threshold (below); a code without "
              "calibration keeps its detector's confidence and the default threshold."]
    for block in later or []:
        lines += ["", block]
    lines += ["", "Library versions: " + ", ".join(f"{k} {v}"
                                                   for k, v in card["versions"].items()), "",
              "Rebuild with `narrative-qa train` (fixed seeds; same data gives the same "
              "models).", ""]
    return "\n".join(lines)
