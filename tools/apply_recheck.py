"""Apply a focused, blind double re-check of two readings to the labels of later rounds.

    python -m tools.apply_recheck RECHECK_DIR SAMPLE_FILE [SAMPLE_FILE ...]

Round 2's labellers, and one of round 3's, read two passages of docs/LABELLING.md §3 the
other way from the first round's adjudication (an acronym expanded only in `organisation`;
a template direction word against the rating order), so their agreed zeros could not go to
adjudication. Two checkers answered just those two questions, blind, for every record of the
given rounds (RECHECK_DIR/A.jsonl and B.jsonl: {"id", "acronyms": {acronym: sentence},
"direction": [sentence numbers]}). Where both name the same acronym (place names aside) and
NQ08 is 0, NQ08 becomes 1; where both name the same sentence and NQ10 is 0, NQ10 becomes 1.
Each change is recorded in the row's `adjudication` with its reason; nothing else changes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from narrative_qa.output.safe_write import write_text
from narrative_qa.real_corpus import LABELS_FILE, json_objects

PLACES = {"UK", "U.K.", "US", "U.S.", "USA", "EU"}  # not acronyms for NQ08 in the labels


def _evidence(row: dict[str, Any], code: str, sentence: int) -> None:
    tags = row["sentences"][sentence - 1]["evidence_for"]
    if code not in tags:
        tags.append(code)


def apply(row: dict[str, Any], a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    changed = []
    shared = sorted((set(a["acronyms"]) & set(b["acronyms"])) - PLACES)
    if shared and not row["labels"]["NQ08"]:
        row["labels"]["NQ08"] = 1
        row["adjudication"]["NQ08"] = {"label": 1, "reason": (
            "Focused re-check, both checkers: " + ", ".join(shared) + " not expanded in "
            "narrative, KPI name or service (organisation does not expand; NQ08 acronym).")}
        _evidence(row, "NQ08", min(int(a["acronyms"][x]) for x in shared))
        changed.append("NQ08")
    sentences = sorted(set(a["direction"]) & set(b["direction"]))
    if sentences and not row["labels"]["NQ10"]:
        row["labels"]["NQ10"] = 1
        row["adjudication"]["NQ10"] = {"label": 1, "reason": (
            "Focused re-check, both checkers: a direction word contradicts the change the "
            "sentence names (NQ10, template wording counts).")}
        for k in sentences:
            _evidence(row, "NQ10", int(k))
        changed.append("NQ10")
    return changed


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    folder = Path(argv[0])
    a = {r["id"]: r for _, r in json_objects(folder / "A.jsonl", "checker A")}
    b = {r["id"]: r for _, r in json_objects(folder / "B.jsonl", "checker B")}
    ids = {line.split("\t")[0] for f in argv[1:]
           for line in Path(f).read_text(encoding="utf-8").splitlines()}
    rows = [row for _, row in json_objects(LABELS_FILE, "the real labels")]
    count: dict[str, int] = {}
    for row in rows:
        if row["id"] in ids and row["id"] in a and row["id"] in b:
            for code in apply(row, a[row["id"]], b[row["id"]]):
                count[code] = count.get(code, 0) + 1
    write_text(LABELS_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"changed: {count or 'nothing'} in {len(ids)} records checked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
