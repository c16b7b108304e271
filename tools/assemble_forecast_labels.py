"""Merge the two blind forecast labellings and the adjudication into corpus/forecast_labels.jsonl.

    python -m tools.assemble_forecast_labels LABELLING_DIR [SAMPLE_FILE]

SAMPLE_FILE is the round's ids (corpus/forecast_sample.txt by default; round 2 is
corpus/forecast_sample_2.txt; rounds 4 and 6, corpus/forecast_sample_4.txt and _6.txt, are
the selection set and their rows say split "select"). Rows of other rounds already in the
labels are kept.

LABELLING_DIR (outside the project) holds out_A.jsonl, out_B.jsonl and adjudicated.jsonl
(docs/LABELLING.md, "Forecasts"). Where the two labellers agree (same sentences, kinds,
values and due months) their labels stand; otherwise the adjudicator's do. Every row keeps
both labellers' raw labels, so agreement can be measured; no text is copied, only offsets
and the side the adjudicator took.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from narrative_qa.measure.corpus_format import organisation_split
from narrative_qa.output.safe_write import write_text
from narrative_qa.real_corpus import PROJECT, corpus_by_id, json_objects, sha256_text
from tools.forecast_sample import SELECTION_ROUNDS, sample_file

OUT = PROJECT / "corpus" / "forecast_labels.jsonl"
# Rounds drawn as the selection set: their rows say split "select" (forecasts/evaluate.py).
SELECTION_SAMPLES = tuple(sample_file(n).resolve() for n in SELECTION_ROUNDS)
SAMPLE = PROJECT / "corpus" / "forecast_sample.txt"


def _canon(forecasts: list[dict]) -> set[str]:
    return {json.dumps([f[k] for k in ("start", "end", "what", "value", "due")])
            for f in forecasts}


def _side(final: list[dict], first: list[dict], second: list[dict]) -> str:
    """Which labeller the adjudicator sided with. The adjudicator's reasons quote the
    narrative, so they stay outside the project with the labellers' files."""
    return ("A" if _canon(final) == _canon(first) else
            "B" if _canon(final) == _canon(second) else "mixed")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else None
    if folder is None or not folder.is_dir():
        print(__doc__, file=sys.stderr)
        return 2
    a = {row["id"]: row["forecasts"] for _, row in json_objects(folder / "out_A.jsonl", "A")}
    b = {row["id"]: row["forecasts"] for _, row in json_objects(folder / "out_B.jsonl", "B")}
    settled = {row["id"]: row for _, row in json_objects(folder / "adjudicated.jsonl",
                                                         "the adjudication")}
    records = corpus_by_id()
    sample = Path(argv[1] if len(argv) > 1 else SAMPLE)
    ids = sample.read_text(encoding="utf-8").split()
    select = sample.resolve() in SELECTION_SAMPLES
    kept = [row for _, row in json_objects(OUT, "the forecast labels")
            if row["id"] not in set(ids)] if OUT.is_file() else []
    rows = []
    for record_id in ids:
        agree = _canon(a[record_id]) == _canon(b[record_id])
        if not agree and record_id not in settled:
            print(f"{record_id}: the labellers disagree and it is not adjudicated",
                  file=sys.stderr)
            return 1
        final = a[record_id] if agree else settled[record_id]["forecasts"]
        record = records[record_id]
        row = {"id": record_id, "narrative_sha256": sha256_text(record["narrative"]),
               "family": record["family"],
               "split": "select" if select else organisation_split(record["organisation"]),
               "forecasts": [{k: f[k] for k in ("start", "end", "what", "value", "due")}
                             for f in final],
               "labellers": {"A": a[record_id], "B": b[record_id]},
               "adjudicated": None if agree else _side(final, a[record_id], b[record_id])}
        rows.append(row)
    rows = sorted(kept + rows, key=lambda r: r["id"])
    write_text(OUT, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(ids)} records -> {OUT} ({len(kept)} kept from earlier rounds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
