"""Training the action-KPI pair model (language/pairs.py) that NQ07 uses.

Pairs come from two places:

- the real corpus's labelled actions (corpus/real_labels.jsonl: each action span paired
  with its record's KPI, `relevant` 0/1, adjudicated), train and dev splits;
- the written corpus (corpus/labelled.jsonl), whose records carry a record-level NQ07
  label and, for a positive, a rationale naming the activity: in a record held to NQ07
  and labelled 0, every offered action is relevant; in one labelled 1, the offered
  action(s) sharing most words with the rationale are not (the others are left out,
  as nobody rated them). These are weaker labels than the real pairs, and the card
  reports the two apart.

Candidates (which features, C) are compared by the average precision of finding the
irrelevant pairs, averaged over out-of-fold train (5 folds grouped by organisation, or by
KPI for written records) and dev; the test split is never read. The chosen model is
refitted on all train pairs, Platt-scaled on its out-of-fold decision values (so
P(relevant) is a probability), and its threshold is the one that flags the most
irrelevant pairs with precision >= PRECISION_TARGET over out-of-fold train and dev
together.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.config import Settings
from narrative_qa.language.pairs import (
    HAND_FEATURES,
    PAIRS_CARD,
    Cues,
    Pair,
    PairModel,
    hand_features,
    save_pair_model,
    states_mechanism,
)
from narrative_qa.language.readers import ngrams
from narrative_qa.language.words import content_words
from narrative_qa.measure.metrics import Labelled

PRECISION_TARGET = 0.85
FOLDS = 5
SEED = 0
CANDIDATES: tuple[tuple[str, float], ...] = tuple(
    (features, c) for features in ("ngrams", "hand", "ngrams+hand") for c in (0.3, 1.0, 3.0))
CARD_MARKERS = ("<!-- pair-model:start -->", "<!-- pair-model:end -->")


@dataclass
class Pairs:
    pairs: list[Pair]
    relevant: np.ndarray  # 0/1
    group: list[str]  # organisation (real) or KPI (written): folds never split one
    origin: list[str]  # "real" | "written"

    def __len__(self) -> int:
        return len(self.pairs)

    def take(self, rows: np.ndarray) -> Pairs:
        return Pairs([self.pairs[r] for r in rows], self.relevant[rows],
                     [self.group[r] for r in rows], [self.origin[r] for r in rows])

    @classmethod
    def join(cls, *parts: Pairs) -> Pairs:
        return cls([p for part in parts for p in part.pairs],
                   np.concatenate([part.relevant for part in parts]).astype(int),
                   [g for part in parts for g in part.group],
                   [o for part in parts for o in part.origin])


def _pair(item: Labelled, action: str) -> Pair:
    sub = item.submission
    return Pair(action, sub.kpi_name or "", sub.unit or "", sub.service or "")


def real_pairs(items: list[Labelled]) -> Pairs:
    """Every labelled action of the real records, paired with its record's KPI."""
    pairs, relevant, group = [], [], []
    for item in items:
        text = item.submission.narrative
        for action in item.real.actions:
            pairs.append(_pair(item, text[action.start:action.end]))
            relevant.append(action.relevant)
            group.append(f"real:{item.corpus.organisation}")
    return Pairs(pairs, np.array(relevant, dtype=int), group, ["real"] * len(pairs))


def written_pairs(items: list[Labelled], settings: Settings) -> Pairs:
    """Pairs read from the written records' NQ07 labels and rationales (module doc)."""
    from narrative_qa.detection import build_contexts
    from narrative_qa.detectors.irrelevant_activity import offered_actions
    from narrative_qa.language.analysis import analyse_texts

    items = [i for i in items if "NQ07" in i.labels and not i.submission.blocked]
    texts = list(dict.fromkeys(t for i in items for t in (i.submission.narrative,
                                                          i.submission.previous_narrative)
                               if t))
    analyses = dict(zip(texts, analyse_texts(texts), strict=True))
    contexts = build_contexts([i.submission for i in items], analyses, settings)
    pairs, relevant, group = [], [], []
    for item, ctx in zip(items, contexts, strict=True):
        if ctx is None or not ctx.facts.held_to_all:
            continue  # a green KPI is not held to NQ07: its actions were not judged
        offered = offered_actions(ctx)
        if item.labels["NQ07"] == 0:
            chosen = [(s, 1) for s in offered]
        else:
            named = content_words(item.corpus.rationale.get("NQ07", "")) - ctx.kpi_terms
            overlap = [len(content_words(s.text) & named) for s in offered]
            best = max(overlap, default=0)
            chosen = [(s, 0) for s, o in zip(offered, overlap, strict=True)
                      if best and o == best]
        for sentence, bit in chosen:
            pairs.append(_pair(item, sentence.text))
            relevant.append(bit)
            group.append(f"written:{item.submission.kpi_name}")
    return Pairs(pairs, np.array(relevant, dtype=int), group, ["written"] * len(pairs))


def _design(features: str, data: Pairs, cues: Cues, vectoriser: Any) -> np.ndarray:
    """The feature matrix, dense: a few hundred pairs by a few thousand n-grams."""
    parts = []
    if "ngrams" in features:
        parts.append(vectoriser.transform([p.action for p in data.pairs]).toarray())
    if "hand" in features:
        parts.append(np.array([hand_features(p, cues) for p in data.pairs]))
    return np.hstack(parts)


def _fit(features: str, c: float, data: Pairs, cues: Cues) -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=2)
    vectoriser.fit([p.action for p in data.pairs])
    model = LogisticRegression(C=c, class_weight="balanced", max_iter=5000,
                               random_state=SEED)
    model.fit(_design(features, data, cues, vectoriser), data.relevant)
    return vectoriser, model


def _out_of_fold(features: str, c: float, data: Pairs, cues: Cues) -> np.ndarray:
    """Decision values for each train pair from a model that never saw its group."""
    from sklearn.model_selection import GroupKFold

    decision = np.zeros(len(data))
    for fit_rows, held_rows in GroupKFold(n_splits=FOLDS).split(
            np.zeros(len(data)), data.relevant, data.group):
        fit, held = data.take(fit_rows), data.take(held_rows)
        vectoriser, model = _fit(features, c, fit, cues)
        decision[held_rows] = model.decision_function(_design(features, held, cues,
                                                              vectoriser))
    return decision


def _irrelevant_ap(relevant: np.ndarray, decision: np.ndarray) -> float:
    """Average precision of finding the irrelevant pairs (lowest decision first)."""
    from sklearn.metrics import average_precision_score

    return float(average_precision_score(1 - relevant, -decision))


def _at(relevant: np.ndarray, p: np.ndarray, threshold: float,
        mechanism: np.ndarray) -> dict[str, float | int]:
    flagged = (p < threshold) & ~mechanism  # as PairModel.flagged
    tp = int((flagged & (relevant == 0)).sum())
    fp = int((flagged & (relevant == 1)).sum())
    fn = int((~flagged & (relevant == 0)).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {"flagged": tp + fp, "precision": round(precision, 3),
            "recall": round(recall, 3)}


def choose_threshold(relevant: np.ndarray, p: np.ndarray, mechanism: np.ndarray) -> float:
    """The P(relevant) below which a pair stating no mechanism is flagged: the most
    irrelevant pairs found with precision >= target; where no threshold reaches it, the
    most precise one."""
    values = np.unique(p)
    best: tuple[tuple[int, float, float], float] | None = None
    for t in (values[:-1] + values[1:]) / 2:  # between two pairs' probabilities
        at = _at(relevant, p, float(t), mechanism)
        meets = int(at["precision"] >= PRECISION_TARGET)
        key = (meets, float(at["recall"]) if meets else float(at["precision"]),
               float(at["recall"]))
        if best is None or key > best[0]:
            best = (key, float(t))
    return best[1] if best else 0.0


def export(features: str, vectoriser: Any, model: Any, platt: tuple[float, float],
           threshold: float, cues: Cues) -> PairModel:
    """The fitted scikit-learn model as plain arrays (numpy-only at run time)."""
    uses_ngrams = "ngrams" in features
    return PairModel(
        vocabulary={str(t): int(i) for t, i in vectoriser.vocabulary_.items()}
        if uses_ngrams else {},
        idf=vectoriser.idf_ if uses_ngrams else np.zeros(0),
        coef=model.coef_[0].copy(), intercept=float(model.intercept_[0]),
        platt=np.array(platt), threshold=threshold,
        hand=HAND_FEATURES if "hand" in features else (), cues=cues)


def train_pair_model(train: Pairs, dev: Pairs, out: Path) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression

    cues = Cues.from_lexicon()
    compared = []
    for features, c in CANDIDATES:
        oof = _out_of_fold(features, c, train, cues)
        vectoriser, model = _fit(features, c, train, cues)
        dev_decision = model.decision_function(_design(features, dev, cues, vectoriser))
        compared.append({"features": features, "C": c,
                         "oof_ap": round(_irrelevant_ap(train.relevant, oof), 3),
                         "dev_ap": round(_irrelevant_ap(dev.relevant, dev_decision), 3)})
    chosen = max(compared, key=lambda r: (r["oof_ap"] + r["dev_ap"]) / 2)
    features, c = chosen["features"], chosen["C"]
    oof = _out_of_fold(features, c, train, cues)
    vectoriser, model = _fit(features, c, train, cues)
    platt = LogisticRegression(C=1e6, max_iter=5000).fit(oof.reshape(-1, 1), train.relevant)
    slope, offset = float(platt.coef_[0, 0]), float(platt.intercept_[0])

    def calibrated(decision: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(slope * decision + offset)))

    p_oof = calibrated(oof)
    p_dev = calibrated(model.decision_function(_design(features, dev, cues, vectoriser)))
    stated = {name: np.array([states_mechanism(p.action, cues) for p in data.pairs])
              for name, data in (("train", train), ("dev", dev))}
    threshold = choose_threshold(np.concatenate([train.relevant, dev.relevant]),
                                 np.concatenate([p_oof, p_dev]),
                                 np.concatenate([stated["train"], stated["dev"]]))
    pair_model = export(features, vectoriser, model, (slope, offset), threshold, cues)
    card = {"model": f"LogisticRegression(balanced, C={c}) over {features} "
                     "(TF-IDF word 1-2 grams of the action, min_df 2; hand features "
                     f"{', '.join(HAND_FEATURES)}) -> Platt scaling on out-of-fold "
                     "decision values",
            "selection": "mean of out-of-fold (5 folds by organisation) and dev average "
                         "precision of finding the irrelevant pairs; test never read",
            "candidates": compared, "chosen": {"features": features, "C": c},
            "threshold": threshold, "precision_target": PRECISION_TARGET,
            "figures": _figures({"train (out-of-fold)": (train, p_oof, stated["train"]),
                                 "dev": (dev, p_dev, stated["dev"])}, threshold)}
    save_pair_model(pair_model, out, card)
    return card


def _figures(scored: dict[str, tuple[Pairs, np.ndarray, np.ndarray]],
             threshold: float) -> dict[str, Any]:
    """AP (of 1 - P(relevant)) and precision/recall at the threshold, by origin."""
    out: dict[str, Any] = {}
    for name, (data, p, stated) in scored.items():
        for origin in ("real", "written", "all"):
            rows = np.array([origin in ("all", o) for o in data.origin])
            y, q = data.relevant[rows], p[rows]
            if not len(y) or (y == 0).sum() == 0:
                continue
            out[f"{name}, {origin}"] = {
                "pairs": int(len(y)), "irrelevant": int((y == 0).sum()),
                "ap": round(_irrelevant_ap(y, q), 3), **_at(y, q, threshold, stated[rows])}
    return out


def train_real_pairs(out: Path, settings: Settings,
                     written_corpus: Path | None = None) -> dict[str, Any]:
    """The pair model from corpus/real_labels.jsonl (with ../shared/corpus) and the
    written corpus, train and dev splits."""
    from narrative_qa.measure.evaluation import BUNDLED_CORPUS
    from narrative_qa.measure.metrics import load_labelled
    from narrative_qa.measure.real_labels import load_real_labelled

    real = load_real_labelled(settings)
    written = load_labelled(written_corpus or BUNDLED_CORPUS, settings)
    split: dict[str, Pairs] = {}
    for name in ("train", "dev"):
        split[name] = Pairs.join(
            real_pairs([i for i in real if i.split == name]),
            written_pairs([i for i in written if i.split == name], settings))
    return train_pair_model(split["train"], split["dev"], out)


def render_pair_section(card: dict[str, Any]) -> str:
    """The card's NQ07 section (models/CARD.md), from models/pairs.json."""
    start, end = CARD_MARKERS
    lines = [start, "", "## NQ07: the action-KPI pair model", "",
             f"Model: {card['model']}. Selection: {card['selection']}.", "",
             f"A pair is flagged when P(relevant) < {card['threshold']:.3f}, chosen for "
             f"precision >= {card['precision_target']} over out-of-fold train and dev; "
             "an action that states a mechanism (rules/language.yml, mechanism_cues) is "
             "never flagged; the finding's confidence is 1 - P(relevant). Precision and "
             "recall below count those flags.", "",
             "| pairs scored | pairs | irrelevant | AP (irrelevant) | flagged | precision | "
             "recall |", "|---|---|---|---|---|---|---|"]
    for name, row in card["figures"].items():
        lines.append(f"| {name} | {row['pairs']} | {row['irrelevant']} | {row['ap']:.2f} | "
                     f"{row['flagged']} | {row['precision']:.2f} | {row['recall']:.2f} |")
    lines += ["", "Candidates (average precision of finding irrelevant pairs):", "",
              "| features | C | out-of-fold train | dev |", "|---|---|---|---|"]
    lines += [f"| {r['features']} | {r['C']} | {r['oof_ap']:.2f} | {r['dev_ap']:.2f} |"
              for r in card["candidates"]]
    lines += ["", end]
    return "\n".join(lines)


def write_pair_section(folder: Path) -> None:
    """Put the NQ07 section into folder/CARD.md (replacing an earlier one), from the pair
    model's card; nothing when either file is missing."""
    import json

    card_md, card_json = folder / "CARD.md", folder / PAIRS_CARD
    if not (card_md.is_file() and card_json.is_file()):
        return
    text = card_md.read_text(encoding="utf-8")
    start, end = CARD_MARKERS
    if start in text and end in text:
        text = text.split(start, 1)[0].rstrip("\n") + "\n" + text.split(end, 1)[1]
    section = render_pair_section(json.loads(card_json.read_text(encoding="utf-8")))
    card_md.write_text(text.rstrip("\n") + "\n\n" + section + "\n", encoding="utf-8")
