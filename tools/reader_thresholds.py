"""How NQ01's and NQ04's reader thresholds (`reader_at_least` in rules/NQ01 and rules/NQ04)
are chosen: precision, recall and F1 of each finding at each threshold, on the real corpus's
out-of-fold train split (five folds by organisation, each read by readers fitted on the
other four) and its dev split (read by readers fitted on all of train). The shipped
thresholds are those with the most recall at a precision of about 0.85 on both (NQ04 at
0.65: 0.84 out-of-fold, 0.89 on dev). The test split is never read.

    python tools/reader_thresholds.py [--thresholds 0.5 0.55 ...]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from narrative_qa import detection, engine
from narrative_qa.config import FindingSettings, load_settings
from narrative_qa.language.readers import readers_in_use
from narrative_qa.measure.confidence_training import FOLDS, _organisation, fold_of
from narrative_qa.measure.metrics import Labelled
from narrative_qa.measure.reader_training import fit_readers
from narrative_qa.measure.real_labels import load_real_labelled

CODES = ("NQ01", "NQ04")


def _memoise_parse() -> None:
    """Each threshold re-reads the same narratives: parse each text once (the readings
    are made per context, so the parse can be shared)."""
    parsed: dict[str, object] = {}
    analyse = detection.analyse_texts

    def once(texts, **kwargs):
        new = [t for t in dict.fromkeys(texts) if t not in parsed]
        parsed.update(zip(new, analyse(new, **kwargs), strict=True))
        return [parsed[t] for t in texts]

    detection.analyse_texts = once


def _found(items: list[Labelled], readers, threshold: float) -> list[set[str]]:
    settings = load_settings()
    params = {code: {"params": {"reader_at_least": threshold}} for code in CODES}
    settings = replace(settings, findings=FindingSettings(per_code=params))
    with readers_in_use(readers):
        done = engine.assess_batch([i.submission for i in items], settings, gates=False,
                                   processes=1)
    return [{f.code for f in a.findings} for a in done]


def _scores(items: list[Labelled], found: list[set[str]], code: str) -> tuple[float, ...]:
    pairs = [(item.labels[code], code in f) for item, f in zip(items, found, strict=True)
             if code in item.labels]
    tp = sum(1 for y, p in pairs if y and p)
    fp = sum(1 for y, p in pairs if not y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--thresholds", type=float, nargs="+",
                        default=[round(t, 2) for t in np.arange(0.4, 0.91, 0.05)])
    args = parser.parse_args()
    _memoise_parse()
    items = load_real_labelled(load_settings())
    train = [i for i in items if i.split == "train"]
    dev = [i for i in items if i.split == "dev"]
    folds = [[i for i in train if fold_of(_organisation(i)) == f] for f in range(FOLDS)]
    fold_readers = [fit_readers([i for i in train if fold_of(_organisation(i)) != f], dev)[0]
                    for f in range(FOLDS)]
    dev_readers = fit_readers(train, dev)[0]
    print("threshold  code  out-of-fold train P/R/F1   dev P/R/F1")
    for threshold in args.thresholds:
        oof_items, oof_found = [], []
        for fold, readers in zip(folds, fold_readers, strict=True):
            oof_items += fold
            oof_found += _found(fold, readers, threshold)
        dev_found = _found(dev, dev_readers, threshold)
        for code in CODES:
            a = _scores(oof_items, oof_found, code)
            b = _scores(dev, dev_found, code)
            print(f"{threshold:9.2f}  {code}  {a[0]:.2f} / {a[1]:.2f} / {a[2]:.2f}"
                  f"        {b[0]:.2f} / {b[1]:.2f} / {b[2]:.2f}", flush=True)


if __name__ == "__main__":
    main()
