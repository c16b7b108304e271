"""Merge the corpus parts into corpus/labelled.jsonl with a fixed train/dev/test split.

    .venv/bin/python tools/build_corpus.py

The split is a pure function of each record's id (sha256), so it never changes when records
are added: 60% train, 20% dev, 20% test. Records are checked against FINDINGS.md's
mechanical rules (the rag-mismatch label must agree with the RAG computed by the product).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from narrative_qa.catalogue import load_catalogue  # noqa: E402
from narrative_qa.config import load_settings  # noqa: E402
from narrative_qa.data_checks import data_facts  # noqa: E402
from narrative_qa.reading.records import submission_from_mapping  # noqa: E402

RULES = load_catalogue()
CODES = sorted(r.code for r in RULES)
# Held to a green KPI too (FINDINGS.md §4): the rules whose scope is "any".
ANY_SCOPE = {r.code for r in RULES if r.scope == "any"}
# The finding whose label must agree with the RAG the product computes.
RAG_CODE = next(r.code for r in RULES if r.detector == "rag_mismatch")


def split_of(record_id: str) -> str:
    bucket = int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 10
    return "train" if bucket < 6 else "dev" if bucket < 8 else "test"


def check(record: dict, settings) -> list[str]:
    problems = []
    labels = record["labels"]
    if sorted(labels) != CODES or set(labels.values()) - {0, 1}:
        problems.append(f"labels must be {', '.join(CODES)} with 0/1")
    fields = {k: v for k, v in record.items() if k not in {"labels", "rationale", "source"}}
    sub = submission_from_mapping(fields, settings)
    facts = data_facts(sub, settings.rag)
    if sub.stated_rag and not facts.qualitative and facts.rag_computed:
        expected = int(facts.rag_computed != sub.stated_rag)
        if labels[RAG_CODE] != expected:
            problems.append(f"{RAG_CODE}={labels[RAG_CODE]} but computed "
                            f"{facts.rag_computed}, stated {sub.stated_rag}")
    if facts.rag_computed == "green" and not facts.qualitative:
        extra = [c for c in CODES if labels[c] and c not in ANY_SCOPE]
        if extra:
            problems.append(f"green KPI labelled {extra}")
    return problems


def main() -> None:
    settings = load_settings()
    records = []
    for part in sorted((ROOT / "corpus" / "parts").glob("*.jsonl")):
        records += [json.loads(line) for line in part.read_text().splitlines() if line]
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate ids"
    failures = {r["id"]: p for r in records if (p := check(r, settings))}
    for record_id, problems in failures.items():
        print(record_id, "; ".join(problems))
    if failures:
        raise SystemExit(f"{len(failures)} records fail the checks")
    out = ROOT / "corpus" / "labelled.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for record in sorted(records, key=lambda r: r["id"]):
            record = {"split": split_of(record["id"]), **record}
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    counts = {s: [r for r in records if split_of(r["id"]) == s] for s in ("train", "dev", "test")}
    print(f"{len(records)} records -> {out.relative_to(ROOT)}")
    print("split   n    " + " ".join(CODES))
    for split, rows in counts.items():
        positives = [sum(r["labels"][c] for r in rows) for c in CODES]
        print(f"{split:6} {len(rows):4} " + " ".join(f"{p:4}" for p in positives))


if __name__ == "__main__":
    main()
