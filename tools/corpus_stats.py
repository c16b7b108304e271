"""Figures about the real corpus that need no labels (issue 14, item 8).

    .venv/bin/python tools/corpus_stats.py

Over every record of ../shared/corpus/real.jsonl, labelled or not, by family: lengths in
space-separated tokens, the share of narratives under 40 tokens (NQ08's length rule), how
close each narrative is to its previous one (word-sequence similarity, the measure behind
NQ11's near-copy question) and how often one text serves several records (templates).
Prints figures only, never text.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from difflib import SequenceMatcher

from narrative_qa.real_corpus import read_corpus


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a.casefold().split(), b.casefold().split(),
                           autojunk=False).ratio()


def main() -> None:
    by_family: dict[str, list[dict]] = defaultdict(list)
    for record in read_corpus():
        by_family[record["family"]].append(record)
    print(f"{'family':<11} {'records':>7} {'tokens p50':>10} {'p90':>5} {'<40 tok':>8} "
          f"{'with prev':>9} {'sim p50':>8} {'≥0.9':>6} {'=1.0':>5} {'shared text':>11}")
    for family, records in sorted(by_family.items()):
        tokens = sorted(len(r["narrative"].split()) for r in records)
        pairs = [similarity(r["narrative"], r["previous_narrative"]) for r in records
                 if r.get("previous_narrative")]
        texts = Counter(" ".join(r["narrative"].split()).casefold() for r in records)
        shared = sum(n for n in texts.values() if n > 1)
        print(f"{family:<11} {len(records):>7} {statistics.median(tokens):>10.0f} "
              f"{tokens[int(len(tokens) * 0.9)]:>5} "
              f"{sum(t < 40 for t in tokens) / len(tokens):>8.0%} {len(pairs):>9} "
              f"{statistics.median(pairs) if pairs else 0:>8.2f} "
              f"{sum(p >= 0.9 for p in pairs):>6} {sum(p == 1.0 for p in pairs):>5} "
              f"{shared:>11}")


if __name__ == "__main__":
    main()
