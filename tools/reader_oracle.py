"""How far could better sentence reading move the findings? (issue 15, the reading layer)

The findings read sentences through the learned readers (language/readers.py) and combine
what they read with the parse and the submitted data (rules/). Here the readers are
replaced by the labellers: every sentence of a labelled narrative is read with the tags
the labellers gave the labelled sentence it overlaps (probability 1 for those, 0 for the
rest); a sentence of no labelled narrative (last period's text) is read by the shipped
readers, and so is every sentence's evidence reading (specs/tags.py EVIDENCE_TAGS: those
are the findings' labels, not a reading). Everything else runs as shipped. The difference
between the two rows of each finding is the most that any reader, however good, could give
it on these records.

    python tools/reader_oracle.py --split dev [--tags challenge_without_figure,...]

Only train and dev are read; the selection set and the test split are refused. About five
minutes a split on 2 cores. Nothing is written.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from narrative_qa.catalogue import catalogue_codes
from narrative_qa.config import load_settings
from narrative_qa.language.readers import Readers, load_readers
from narrative_qa.measure.metrics import Labelled, score_predictions
from narrative_qa.measure.out_of_fold import codes_found
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.specs.tags import TAGS

SPLITS = ("train", "dev")  # never the selection set or test: this would choose on them
OVERLAP = 0.5  # of the shorter of the two sentences: the segmentations differ a little

Lookup = Callable[[str], frozenset[str] | None]


@dataclass(frozen=True)
class LabellersReaders(Readers):
    """Readers that read a labelled sentence as its labellers tagged it."""

    gold: Lookup | None = None
    replaced: frozenset[str] = frozenset()  # the tags read from the labels

    def read(self, texts: list[str], vectors: np.ndarray | None = None) -> np.ndarray:
        assert self.gold is not None
        table = super().read(texts, vectors)
        for row, text in enumerate(texts):
            tags = self.gold(text)
            if tags is None:  # in no labelled narrative: the shipped reading stands
                continue
            for k, tag in enumerate(self.tags):
                if tag in self.replaced:
                    table[row, k] = float(tag in tags)
        return table


def labels_lookup(items: list[Labelled]) -> Lookup:
    """A sentence's labelled tags: the union over the labelled sentences of the first
    narrative holding it that it overlaps by more than OVERLAP of the shorter; None when
    no labelled narrative holds it."""
    narratives = [(i.submission.narrative, [(s.start, s.end, frozenset(s.tags))
                                            for s in i.real.spans]) for i in items]
    seen: dict[str, frozenset[str] | None] = {}

    def gold(text: str) -> frozenset[str] | None:
        if text in seen:
            return seen[text]
        found = None
        for narrative, spans in narratives:
            start = narrative.find(text) if text else -1
            if start < 0:
                continue
            end = start + len(text)
            hits = [tags for a, b, tags in spans
                    if min(b, end) - max(a, start) > OVERLAP * min(b - a, end - start)]
            if hits:
                found = frozenset().union(*hits)
                break
        seen[text] = found
        return found

    return gold


def labellers_readers(readers: Readers, items: list[Labelled],
                      tags: frozenset[str] | None = None) -> LabellersReaders:
    return LabellersReaders(**{f.name: getattr(readers, f.name) for f in fields(Readers)},
                            gold=labels_lookup(items),
                            replaced=frozenset(TAGS) if tags is None else tags)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=SPLITS, default="dev")
    parser.add_argument("--tags", help="comma-separated tags read from the labels "
                                       "(default: every labelled tag)")
    args = parser.parse_args()
    settings = load_settings()
    items = [i for i in load_real_labelled(settings) if i.split == args.split]
    shipped = load_readers()
    tags = frozenset(args.tags.split(",")) if args.tags else None
    if tags and not tags <= set(TAGS):
        parser.error(f"unknown tags: {', '.join(sorted(tags - set(TAGS)))}")
    rows = {name: score_predictions(items, codes_found(items, readers, settings))
            for name, readers in (("shipped readers", shipped),
                                  ("labellers' tags", labellers_readers(shipped, items, tags)))}
    codes = catalogue_codes()
    print(f"real {args.split}, {len(items)} records: precision / recall / F1 (tp fp fn)")
    for code in codes:
        for name, scores in rows.items():
            s = scores[code]
            print(f"{code:6}{name:17}{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}"
                  f"  ({s.tp} {s.fp} {s.fn})")
    for name, scores in rows.items():
        print(f"{'macro':6}{name:17}{np.mean([scores[c].f1 for c in codes]):.3f}")


if __name__ == "__main__":
    main()
