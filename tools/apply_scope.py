"""Bring the labels of every round to FINDINGS.md's scope for NQ01.

    python -m tools.apply_scope

Until labelling round 11, docs/LABELLING.md §3 held a KPI to NQ01 whenever it was off
target now and had a previous period. FINDINGS.md holds to it only a KPI off target last
period too, or one with last period's narrative (a KPI with no RAG as one off target last
period, §4): a KPI newly off target, with no narrative before, has nothing reported to link
to. The labellers followed the guide, so their 1s in that case lie outside the finding.
Where the data put a record there (held to all findings, and `held_to_link` of the NQ01
detector false: the same arithmetic the product runs), NQ01 becomes 0, its sentence
evidence is dropped, and the row's `adjudication` records the change with its reason.
Nothing else changes; a second run changes nothing.
"""

from __future__ import annotations

import json
from typing import Any

from narrative_qa.config import RagBands, load_settings
from narrative_qa.data_checks import data_facts
from narrative_qa.detectors.no_link_to_previous import held_to_link
from narrative_qa.measure.metrics import Labelled
from narrative_qa.measure.real_labels import load_real_labelled
from narrative_qa.output.safe_write import write_text
from narrative_qa.real_corpus import LABELS_FILE

REASON = ("FINDINGS.md NQ01 scope: off target now but not last period (previous_actual), "
          "with no previous narrative, so NQ01 does not apply (LABELLING.md §3 read it wider "
          "before round 11)")


def outside_scope(item: Labelled, bands: RagBands) -> bool:
    """Held to all findings, but with no previous period NQ01 asks it to link to."""
    facts = data_facts(item.submission, bands)
    return facts.held_to_all and not held_to_link(item.submission, facts)


def apply(row: dict[str, Any]) -> bool:
    if not row["labels"].get("NQ01"):
        return False
    row["labels"]["NQ01"] = 0
    row["adjudication"]["NQ01"] = {"label": 0, "reason": REASON}
    for sentence in row.get("sentences", []):
        sentence["evidence_for"] = [c for c in sentence.get("evidence_for", []) if c != "NQ01"]
    return True


def main() -> None:
    settings = load_settings()
    outside = {item.corpus.record_id for item in load_real_labelled(settings)
               if outside_scope(item, settings.rag)}
    lines = LABELS_FILE.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]
    changed = [row["id"] for row in rows if row["id"] in outside and apply(row)]
    write_text(LABELS_FILE, "".join(json.dumps(row, ensure_ascii=False) + "\n"
                                    for row in rows))
    print(f"{len(outside)} labelled records outside NQ01's scope; NQ01 1 -> 0 on "
          f"{len(changed)}: {' '.join(changed)}")


if __name__ == "__main__":
    main()
