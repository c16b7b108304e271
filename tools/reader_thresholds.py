"""How the rules' reader cut-offs are chosen: precision, recall and F1 of each finding at
each value of a cut-off, on the real corpus's out-of-fold train split (five folds by
organisation, each read by readers fitted on the other four, as `narrative-qa evaluate
--split train --out-of-fold` reads it) and its dev split (read by readers fitted on all of
train, as shipped). The findings are counted as evaluate counts them (learned gates on).
The test split and the selection set are never read.

A change is kept only when it raises the finding's F1 on both out-of-fold train and dev
without lowering its precision on either, and lowers no other finding (check that last with
`narrative-qa evaluate`). Cut-offs of different findings may be swept together (`--cutoff`
repeated), as each finding's cut-offs move its own detector only; two of one finding may not.

    python tools/reader_thresholds.py [--cutoff NQ04.reader_at_least ...]
                                      [--thresholds 0.5 0.55 ...]
"""

from __future__ import annotations

import argparse
from dataclasses import replace

import numpy as np

from narrative_qa import detection
from narrative_qa.config import FindingSettings, load_settings
from narrative_qa.measure.metrics import Labelled
from narrative_qa.measure.out_of_fold import FOLDS, codes_found, in_fold, readers_without
from narrative_qa.measure.reader_training import fit_readers
from narrative_qa.measure.real_labels import load_real_labelled

# Every reader cut-off of the rule files (grep `_at_least` in rules/ for the rest: those
# are not readers' probabilities).
CUTOFFS = {
    "NQ01": ("reader_at_least",),
    "NQ02": ("reader_action_at_least", "reader_timescale_at_least", "reader_impact_at_least"),
    "NQ03": ("reader_action_at_least",),
    "NQ04": ("reader_at_least",),
    "NQ06": ("cause_reader_at_least",),
    "NQ09": ("risk_reader_at_least",),
    "NQ11": ("read_at_least", "embed_when_wording_at_least"),
}
DEFAULT = ("NQ01.reader_at_least", "NQ04.reader_at_least")


def parse_cutoffs(names: list[str]) -> dict[str, str]:
    """finding code -> the one cut-off swept; refuses unknown names and two of one code."""
    chosen: dict[str, str] = {}
    for name in names:
        code, _, param = name.partition(".")
        if param not in CUTOFFS.get(code, ()):
            raise SystemExit(f"{name}: not a reader cut-off (one of "
                             + ", ".join(f"{c}.{p}" for c, ps in CUTOFFS.items() for p in ps)
                             + ")")
        if code in chosen:
            raise SystemExit(f"{name}: {code}.{chosen[code]} is swept already; sweep one "
                             "cut-off of a finding at a time")
        chosen[code] = param
    return chosen


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


def _found(items: list[Labelled], readers, cutoffs: dict[str, str],
           threshold: float | None) -> list[set[str]]:
    settings = load_settings()
    if threshold is not None:
        params = {code: {"params": {param: threshold}} for code, param in cutoffs.items()}
        settings = replace(settings, findings=FindingSettings(per_code=params))
    return codes_found(items, readers, settings)


def scores(items: list[Labelled], found: list[set[str]], code: str) -> tuple[float, ...]:
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
    parser.add_argument("--cutoff", action="append", default=None,
                        help="CODE.param to sweep (repeat for other findings)")
    parser.add_argument("--thresholds", type=float, nargs="+",
                        default=[round(t, 2) for t in np.arange(0.5, 0.91, 0.05)])
    args = parser.parse_args()
    cutoffs = parse_cutoffs(args.cutoff or list(DEFAULT))
    _memoise_parse()
    items = load_real_labelled(load_settings())
    train = [i for i in items if i.split == "train"]
    dev = [i for i in items if i.split == "dev"]
    folds = [in_fold(train, f) for f in range(FOLDS)]
    fold_readers = [readers_without(f, train, dev) for f in range(FOLDS)]
    dev_readers = fit_readers(train, dev)[0]
    oof_items = [i for fold in folds for i in fold]
    print("threshold  code  out-of-fold train P/R/F1   dev P/R/F1")
    for threshold in [None, *args.thresholds]:  # None: the rule files' own values
        oof_found = [f for fold, readers in zip(folds, fold_readers, strict=True)
                     for f in _found(fold, readers, cutoffs, threshold)]
        dev_found = _found(dev, dev_readers, cutoffs, threshold)
        for code in cutoffs:
            a = scores(oof_items, oof_found, code)
            b = scores(dev, dev_found, code)
            shown = "rule" if threshold is None else f"{threshold:.2f}"
            print(f"{shown:>9}  {code}  {a[0]:.3f} / {a[1]:.3f} / {a[2]:.3f}"
                  f"     {b[0]:.3f} / {b[1]:.3f} / {b[2]:.3f}", flush=True)


if __name__ == "__main__":
    main()
