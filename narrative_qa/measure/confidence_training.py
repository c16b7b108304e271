"""Training the calibrated confidence (confidence.py) and each code's claim threshold.

Rows are the findings the detectors raise, each labelled right or wrong by the adjudicated
label of its record for its code:
- the real train split, read in five folds by organisation, each fold by readers fitted on
  the other four (so the reading layer never saw the record it describes);
- the real dev split, read by the readers fitted on all of train (those shipped);
- the written corpus's train and dev splits (the readers never saw them).
A logistic regression per code (C below, unweighted, so its output stays a probability)
is fitted on the train rows; a code with too few train rows of either kind borrows a
model fitted on every code's rows with the code as a feature.

The claim threshold is the lowest at which at least MIN_CLAIMED rows are claimed with
precision >= PRECISION_TARGET; where none reaches it the code is only ever "worth a look".
It is chosen twice: on real out-of-fold train and dev with the written dev split, and on
the selection set (records of train organisations that no rule was developed on and
nothing is fitted to) for a code the detectors raise at least MIN_SELECT_ROWS times there.
The stricter holds: rules written while reading train and dev for errors look better on
them than on new text, so thresholds chosen there alone claim too much. The card says
which set decided. The test splits are never read here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from narrative_qa.catalogue import catalogue_codes
from narrative_qa.confidence import (
    CodeCalibration,
    feature_names,
    load_calibration,
    save_calibration,
)
from narrative_qa.config import Settings
from narrative_qa.engine import assess_batch
from narrative_qa.language.readers import Readers, readers_in_use
from narrative_qa.measure.corpus_format import SELECT
from narrative_qa.measure.learning import CONFIDENCE_MARKERS, replace_block
from narrative_qa.measure.metrics import Labelled, load_labelled
from narrative_qa.measure.out_of_fold import (
    FOLDS,
    fold_of,
    in_fold,
    organisation_of,
    readers_without,
)
from narrative_qa.measure.reader_training import fit_readers
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.specs.tags import READ_TAGS

C = 0.3
PRECISION_TARGET = 0.85
MIN_CLAIMED = 5
MIN_OWN_ROWS = 8  # of each kind (right, wrong) for a code to get a model of its own
# Findings raised on the selection set for it to share the choice: with fewer, precision
# there cannot be told apart (6 right of 10 has a 95% interval of about 0.3-0.85).
MIN_SELECT_ROWS = 20
SEED = 0


@dataclass
class Rows:
    codes: list[str] = field(default_factory=list)
    x: list[np.ndarray] = field(default_factory=list)
    y: list[int] = field(default_factory=list)
    folds: list[int] = field(default_factory=list)  # the organisation's fold of each row

    def add(self, items: list[Labelled], settings: Settings, readers: Readers) -> None:
        with readers_in_use(readers):
            found = assess_batch([i.submission for i in items], settings, gates=False,
                                 processes=1)
        for item, assessment in zip(items, found, strict=True):
            for finding in assessment.findings:
                label = item.labels.get(finding.code)
                if label is None or finding.features is None:
                    continue
                self.codes.append(finding.code)
                self.x.append(finding.features)
                self.y.append(int(label))
                self.folds.append(fold_of(organisation_of(item)))

    def of(self, code: str) -> tuple[np.ndarray, np.ndarray]:
        at = [k for k, c in enumerate(self.codes) if c == code]
        width = len(self.x[0]) if self.x else 0
        return (np.array([self.x[k] for k in at]).reshape(len(at), width),
                np.array([self.y[k] for k in at], dtype=int))


def _logistic():
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=C, max_iter=5000, random_state=SEED)


def _standardise(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    return mean, scale


def _has_own_model(y: np.ndarray) -> bool:
    """Enough right and wrong rows for a code's own model (else the pooled one)."""
    return min(int(y.sum()), int(len(y) - y.sum())) >= MIN_OWN_ROWS


def fit_calibration(train: Rows, codes: tuple[str, ...]) -> dict[str, CodeCalibration]:
    """A model per code (threshold left at 1.0: chosen afterwards)."""
    x_all = np.array(train.x)
    mean, scale = _standardise(x_all)
    onehot = np.array([[float(c == code) for code in codes] for c in train.codes])
    pooled = _logistic().fit(np.hstack([(x_all - mean) / scale, onehot]), train.y)
    width = x_all.shape[1]
    models = {}
    for k, code in enumerate(codes):
        x, y = train.of(code)
        if _has_own_model(y):
            own_mean, own_scale = _standardise(x)
            model = _logistic().fit((x - own_mean) / own_scale, y)
            models[code] = CodeCalibration(own_mean, own_scale, model.coef_[0],
                                           float(model.intercept_[0]), 1.0)
        else:
            models[code] = CodeCalibration(mean, scale, pooled.coef_[0][:width],
                                           float(pooled.intercept_[0] + pooled.coef_[0][width + k]),
                                           1.0)
    return models


def choose_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, dict[str, Any]]:
    """The lowest threshold claiming >= MIN_CLAIMED rows at precision >= target (the most
    recall that keeps precision), else 1.0: never claimed."""
    best = 1.0
    for t in sorted(set(np.round(p, 4)), reverse=True):
        claimed = p >= t
        if claimed.sum() >= MIN_CLAIMED and y[claimed].mean() >= PRECISION_TARGET:
            best = float(t)
    return best, claim_figures(p, y, best)


def claim_figures(p: np.ndarray, y: np.ndarray, threshold: float) -> dict[str, Any]:
    """What claiming at `threshold` gives on rows predicted `p`, right where `y` is 1."""
    claimed = p >= threshold
    right = int(y[claimed].sum())
    return {"rows": int(len(y)), "right": int(y.sum()), "claimed": int(claimed.sum()),
            "precision": round(right / claimed.sum(), 3) if claimed.sum() else None,
            "recall": round(right / y.sum(), 3) if y.sum() else None}


FITTED = "out-of-fold train, dev, written dev"
REFUSED = "selection set (too many wrong at the fitted threshold: never claimed)"


def wilson_upper(right: int, n: int, z: float = 1.96) -> float:
    """The upper end of the Wilson 95% interval of a share `right` of `n`."""
    share, z2 = right / n, z * z
    centre = share + z2 / (2 * n)
    spread = z * np.sqrt(share * (1 - share) / n + z2 / (4 * n * n))
    return float((centre + spread) / (1 + z2 / n))


def threshold_for(code: str, select: tuple[Rows, np.ndarray],
                  fitted: tuple[Rows, np.ndarray]) -> tuple[float, dict[str, Any], str]:
    """`code`'s claim threshold, its figures, and the rows that set it. Each of `select`
    (the selection set's rows and their predicted confidence) and `fitted` (rows of text
    the rules were developed on) gives the lowest threshold holding the precision; the
    stricter of the two is kept, so a finding is claimed only where both hold it (a few
    dozen fresh rows alone can give a lucky threshold). With the code raised fewer than
    MIN_SELECT_ROWS times on the selection set, the fitted rows decide, unless the few
    selection rows they would claim are clearly below the precision: then never claimed."""
    def of(rows: Rows, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        at = np.array([c == code for c in rows.codes], dtype=bool)
        return np.asarray(p, dtype=float)[at], np.array(rows.y, dtype=int)[at]

    fitted_t, fitted_figures = choose_threshold(*of(*fitted))
    p, y = of(*select)
    if len(y) < MIN_SELECT_ROWS:
        # Too few to choose on, but enough to refuse: where the findings the fitted
        # threshold would claim there (MIN_CLAIMED or more) are so often wrong that 0.85
        # lies above their 95% interval, fresh text says the fitted rows flatter it.
        claimed = p >= fitted_t
        if claimed.sum() >= MIN_CLAIMED and wilson_upper(int(y[claimed].sum()),
                                          int(claimed.sum())) < PRECISION_TARGET:
            return 1.0, claim_figures(p, y, fitted_t), REFUSED
        return fitted_t, fitted_figures, FITTED
    select_t = choose_threshold(p, y)[0]
    threshold = max(select_t, fitted_t)
    return threshold, claim_figures(p, y, threshold), (
        "selection set" if select_t >= fitted_t else f"{FITTED} (stricter)")


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 5) -> list[dict[str, Any]]:
    """Predicted confidence against the share right, in equal-width bins."""
    rows = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = (p >= low) & ((p < high) if b < bins - 1 else (p <= high))
        if inside.any():
            rows.append({"bin": f"{low:.1f}-{high:.1f}", "findings": int(inside.sum()),
                         "mean_confidence": round(float(p[inside].mean()), 3),
                         "share_right": round(float(y[inside].mean()), 3)})
    return rows


def _predict(models: dict[str, CodeCalibration], rows: Rows) -> np.ndarray:
    return np.array([models[c].probability(x) if c in models else 0.5
                     for c, x in zip(rows.codes, rows.x, strict=True)])


def train_confidence(out: Path, settings: Settings, written: Path) -> dict[str, Any]:
    items = load_real_labelled(settings)
    real_train = [i for i in items if i.split == "train"]
    real_dev = [i for i in items if i.split == "dev"]
    real_select = [i for i in items if i.split == SELECT]
    written_items = load_labelled(written, settings)
    codes = catalogue_codes()

    shipped, _ = fit_readers(real_train, real_dev)
    oof = Rows()
    for k in range(FOLDS):
        oof.add(in_fold(real_train, k), settings, readers_without(k, real_train, real_dev))
    dev, select, written_train, written_dev = Rows(), Rows(), Rows(), Rows()
    dev.add(real_dev, settings, shipped)
    select.add(real_select, settings, shipped)
    written_train.add([i for i in written_items if i.split == "train"], settings, shipped)
    written_dev.add([i for i in written_items if i.split == "dev"], settings, shipped)

    train_rows = Rows(oof.codes + written_train.codes, oof.x + written_train.x,
                      oof.y + written_train.y)
    models = fit_calibration(train_rows, codes)
    # Thresholds and the reliability curve rest on predictions for rows the calibration
    # did not fit: real out-of-fold train rows by a calibration fitted without their fold.
    oof_p = np.zeros(len(oof.y))
    oof_folds = np.array(oof.folds)
    for k in range(FOLDS):
        keep = oof_folds != k
        fitted = fit_calibration(
            Rows([c for c, f in zip(oof.codes, keep, strict=True) if f] + written_train.codes,
                 [x for x, f in zip(oof.x, keep, strict=True) if f] + written_train.x,
                 [v for v, f in zip(oof.y, keep, strict=True) if f] + written_train.y), codes)
        oof_p[~keep] = _predict(fitted, Rows([c for c, f in zip(oof.codes, keep, strict=True)
                                              if not f],
                                             [x for x, f in zip(oof.x, keep, strict=True)
                                              if not f], []))
    choose = Rows(oof.codes + dev.codes + written_dev.codes, oof.x + dev.x + written_dev.x,
                  oof.y + dev.y + written_dev.y)
    choose_p = np.concatenate([oof_p, _predict(models, dev), _predict(models, written_dev)])
    select_p = _predict(models, select)
    report: dict[str, Any] = {}
    for code in codes:
        threshold, figures, chosen_on = threshold_for(code, (select, select_p),
                                                      (choose, choose_p))
        m = models[code]
        models[code] = CodeCalibration(m.mean, m.scale, m.coef, m.intercept, threshold)
        report[code] = {"threshold": round(threshold, 4), "chosen_on": figures,
                        "chosen_on_set": chosen_on,
                        "model": "own" if _has_own_model(train_rows.of(code)[1])
                        else "pooled"}
    dev_p = _predict(models, dev)
    width = len(feature_names(READ_TAGS))
    card = {"model": f"LogisticRegression(C={C}) per finding code on {width} "
                     "numbers (detector score, evidence and narrative reader maxima, length); "
                     "codes with few rows share one model with the code as a feature",
            "features": feature_names(READ_TAGS),
            "rows": {"real_train_out_of_fold": len(oof.y), "real_dev": len(dev.y),
                     "real_selection_set": len(select.y),
                     "written_train": len(written_train.y), "written_dev": len(written_dev.y)},
            "threshold_rule": f"lowest claiming >= {MIN_CLAIMED} rows at precision >= "
                              f"{PRECISION_TARGET} on real out-of-fold train, real dev and "
                              "written dev, and on the selection set where the finding is "
                              f"raised >= {MIN_SELECT_ROWS} times there, the stricter of the "
                              "two (figures on the selection set where it decides or "
                              "shares the choice); where none reaches it, never claimed, "
                              "nor where the selection set has fewer rows but the 95% "
                              "interval of the precision the fitted threshold claims there "
                              f"lies below {PRECISION_TARGET}",
            "codes_report": report,
            "reliability_real_dev": reliability(dev_p, np.array(dev.y, dtype=int)),
            "reliability_real_selection_set": reliability(select_p,
                                                          np.array(select.y, dtype=int)),
            "reliability_real_out_of_fold": reliability(oof_p, np.array(oof.y, dtype=int))}
    save_calibration(models, card, out)
    card_md = out / "CARD.md"
    markdown = card_md.read_text(encoding="utf-8") if card_md.is_file() else ""
    card_md.write_text(replace_block(markdown, render_confidence(card), CONFIDENCE_MARKERS),
                       encoding="utf-8")
    load_calibration.cache_clear()
    return card


def render_confidence(card: dict[str, Any]) -> str:
    """The model card's section on confidence, between its markers."""
    def share(v: float | None) -> str:
        return "n/a" if v is None else f"{v:.2f}"

    lines = [CONFIDENCE_MARKERS[0], "## Calibrated confidence and \"worth a look\"", "",
             f"Model: {card['model']}. Rows (findings raised, each right or wrong by the "
             "adjudicated label): " + ", ".join(f"{n} {k.replace('_', ' ')}"
                                                for k, n in card["rows"].items()) + ".", "",
             f"Claim threshold: the {card['threshold_rule']}. Below it a finding is shown as "
             "worth a look and never counts for the verdict, the score or `--fail-on`.", "",
             "Where a finding is raised at least "
             f"{MIN_SELECT_ROWS} times on the selection set, the figures are the selection "
             "set's at the threshold kept; otherwise they are the fitted rows'.", "",
             "| finding | model | claim threshold | set that decided | findings there | right | "
             "claimed | precision claimed | recall claimed |",
             "|---|---|---|---|---|---|---|---|---|"]
    for code, row in card["codes_report"].items():
        c = row["chosen_on"]
        threshold = "never claimed" if row["threshold"] >= 1 else f"{row['threshold']:.2f}"
        lines.append(f"| {code} | {row['model']} | {threshold} | "
                     f"{row.get('chosen_on_set', FITTED)} | "
                     f"{c['rows']} | {c['right']} | {c['claimed']} | {share(c['precision'])} | "
                     f"{share(c['recall'])} |")
    for name, title in (("reliability_real_dev", "real dev"),
                        ("reliability_real_selection_set", "the selection set"),
                        ("reliability_real_out_of_fold", "real train, out of fold")):
        if not card.get(name):
            continue
        lines += ["", f"Reliability on {title}: mean confidence against the share of findings "
                  "that were right, per band.", "",
                  "| confidence | findings | mean confidence | share right |",
                  "|---|---|---|---|"]
        lines += [f"| {b['bin']} | {b['findings']} | {b['mean_confidence']:.2f} | "
                  f"{b['share_right']:.2f} |" for b in card[name]]
    lines += ["", "Rebuilt by `narrative-qa train` with the real corpus beside the project; "
              "the test splits are never read.", CONFIDENCE_MARKERS[1]]
    return "\n".join(lines)
