"""Turn two labellers' blind labels and a third person's adjudication into
corpus/real_labels.jsonl.

    python -m tools.assemble_labels disputes WORKDIR [part-N ...]  # adj/views/part-N.txt
    python -m tools.assemble_labels build WORKDIR      # corpus/real_labels.jsonl

WORKDIR holds views/part-N.txt (tools/label_sample.py), A/part-N.jsonl and B/part-N.jsonl
(each labeller's rows, docs/LABELLING.md §5) and, after adjudication, adj/part-N.jsonl:
one row per disputed record, {"id", "labels": {code: [0/1, "reason"]}, "s": {sentence:
[short tags]}, "act": {sentence: [relevant, mechanism]}}, covering every disagreement.

What is agreed is kept; every disagreement takes the adjudicator's decision. A finding's
evidence is the sentences cited by the labellers who labelled it 1, when it is 1 in the
end. WORKDIR is outside the project: its views hold verbatim corpus text.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from narrative_qa.catalogue import catalogue_codes
from narrative_qa.measure.corpus_format import SELECT
from narrative_qa.output.safe_write import write_text
from narrative_qa.real_corpus import LABELS_FILE, corpus_by_id, json_objects, sentence_spans
from tools.label_sample import SELECTION_ROUNDS, round_file, view

SHORT = {
    "CHF": "challenge_with_figure", "CHN": "challenge_without_figure",
    "AP": "action_planned", "AC": "action_continuing", "AT": "action_taken",
    "TS": "timescale", "EI": "expected_impact", "CC": "cause_of_change",
    "RB": "reference_back", "OE": "outcome_of_earlier_action",
    "FC": "figure_current", "FP": "figure_previous", "FT": "figure_target",
    "FF": "figure_forecast", "FS": "figure_subgroup", "FO": "figure_other_measure",
    "FB": "figure_benchmark",
}
ACTIONS = {"AP", "AC", "AT"}


def _rows(path: Path) -> dict[str, dict[str, Any]]:
    if not path.is_file():
        return {}
    return {r["id"]: r for r in map(json.loads, filter(str.strip, path.open()))}


def _parts(work: Path) -> list[str]:
    return sorted(p.stem for p in (work / "views").glob("part-*.txt"))


def disputes(a: dict[str, Any], b: dict[str, Any], n_sentences: int) -> dict[str, Any]:
    """What A and B disagree on: codes, each sentence's tags, each action's pair."""
    codes = sorted(set(a["pos"]) ^ set(b["pos"]))
    tags = {str(k): (sorted(a["s"].get(str(k), [])), sorted(b["s"].get(str(k), [])))
            for k in range(1, n_sentences + 1)}
    tags = {k: v for k, v in tags.items() if v[0] != v[1]}
    act = {k: (a.get("act", {}).get(k), b.get("act", {}).get(k))
           for k in sorted(set(a.get("act", {})) | set(b.get("act", {})), key=int)}
    act = {k: v for k, v in act.items() if v[0] != v[1]}
    return {"codes": codes, "tags": tags, "act": act}


def write_disputes(work: Path, only: list[str]) -> None:
    corpus = corpus_by_id()
    out = work / "adj" / "views"
    out.mkdir(parents=True, exist_ok=True)
    for part in [p for p in _parts(work) if not only or p in only]:
        a, b = _rows(work / "A" / f"{part}.jsonl"), _rows(work / "B" / f"{part}.jsonl")
        disputed = []
        for record_id in [i for i in a if i in b]:
            record = corpus[record_id]
            found = disputes(a[record_id], b[record_id],
                             len(sentence_spans(record["narrative"])))
            if any(found.values()):
                disputed.append((record_id, record, found))
        blocks = []
        for n, (record_id, record, found) in enumerate(disputed, start=1):
            lines = [view(record, n, len(disputed)).rstrip("\n"), "DISPUTES:"]
            for code in found["codes"]:
                holder = "A" if code in a[record_id]["pos"] else "B"
                cited = (a if holder == "A" else b)[record_id].get("ev", {}).get(code, [])
                lines.append(f"  {code}: labeller {holder} says 1 (citing sentences "
                             f"{cited or 'none'}), the other says 0")
            for k, (ta, tb) in found["tags"].items():
                lines.append(f"  s{k} tags: A {ta or '[]'} · B {tb or '[]'}")
            for k, (pa, pb) in found["act"].items():
                lines.append(f"  s{k} action [relevant, mechanism]: A {pa} · B {pb}")
            blocks.append("\n".join(lines) + "\n\n")
        (out / f"{part}.txt").write_text("".join(blocks), encoding="utf-8")
        print(f"{part}: {len(blocks)} disputed records")


def _bits(code_list: list[str], codes: tuple[str, ...]) -> dict[str, int]:
    return {c: int(c in code_list) for c in codes}


def assemble(record: dict[str, Any], a: dict[str, Any], b: dict[str, Any],
             adj: dict[str, Any] | None, codes: tuple[str, ...]) -> dict[str, Any]:
    spans = sentence_spans(record["narrative"])
    found = disputes(a, b, len(spans))
    adj = adj or {"labels": {}, "s": {}, "act": {}}
    labels = _bits(a["pos"], codes)
    adjudication = {}
    for code in found["codes"]:
        label, reason = adj["labels"][code]
        labels[code] = int(label)
        adjudication[code] = {"label": int(label), "reason": str(reason)}
    sentences, actions = [], []
    for k, span in enumerate(spans, start=1):
        key = str(k)
        short = adj["s"][key] if key in found["tags"] else a["s"].get(key, [])
        evidence = [c for c in codes if labels[c] and any(
            c in who["pos"] and k in who.get("ev", {}).get(c, []) for who in (a, b))]
        sentences.append({"start": span.start, "end": span.end,
                          "tags": [SHORT[t] for t in short], "evidence_for": evidence,
                          "labellers": {"A": [SHORT[t] for t in a["s"].get(key, [])],
                                        "B": [SHORT[t] for t in b["s"].get(key, [])]}})
        if ACTIONS & set(short):
            pair = adj["act"].get(key) if key in found["act"] else (
                a.get("act", {}).get(key) or b.get("act", {}).get(key))
            pair = pair or [1, 0]  # an action nobody rated: relevant, no mechanism stated
            actions.append({"start": span.start, "end": span.end, "relevant": pair[0],
                            "mechanism": pair[1],
                            "labellers": {"A": a.get("act", {}).get(key),
                                          "B": b.get("act", {}).get(key)}})
    return {"id": record["id"], "narrative_sha256": record["narrative_sha256"],
            "family": record["family"], "labels": labels,
            "labellers": {"A": _bits(a["pos"], codes), "B": _bits(b["pos"], codes)},
            "adjudication": adjudication, "sentences": sentences, "actions": actions}


def selection_ids() -> set[str]:
    """Ids of the rounds drawn as the selection set (tools/label_sample.py)."""
    return {line.split("\t")[0] for n in SELECTION_ROUNDS
            for line in round_file(n).read_text(encoding="utf-8").splitlines()}


def build(work: Path) -> None:
    corpus, codes, select = corpus_by_id(), catalogue_codes(), selection_ids()
    rows, missing, here = [], [], set()
    for part in _parts(work):
        a, b = _rows(work / "A" / f"{part}.jsonl"), _rows(work / "B" / f"{part}.jsonl")
        here |= set(a) | set(b)
        adj = _rows(work / "adj" / f"{part}.jsonl")
        for record_id in a:
            if record_id not in b:
                missing.append(record_id)
                continue
            try:
                row = assemble(corpus[record_id], a[record_id], b[record_id],
                               adj.get(record_id), codes)
                rows.append({**row, "split": SELECT} if record_id in select else row)
            except (KeyError, TypeError, ValueError) as error:
                missing.append(f"{record_id} (adjudication incomplete: {error!r})")
    # Labels of earlier rounds (other working folders) are kept as they are.
    kept = [row for _, row in json_objects(LABELS_FILE, "the real labels")
            if row["id"] not in here] if LABELS_FILE.is_file() else []
    rows += kept
    rows.sort(key=lambda r: r["id"])
    # Whole or not at all: a failed run leaves the previous labels in place.
    write_text(LABELS_FILE, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    print(f"{len(rows)} records -> {LABELS_FILE} ({len(kept)} kept from earlier rounds)")
    if missing:
        print(f"left out, not labelled by both or not adjudicated: {len(missing)}: "
              + ", ".join(missing[:20]))


def main() -> None:
    if len(sys.argv) < 3 or sys.argv[1] not in ("disputes", "build"):
        sys.exit(__doc__)
    work = Path(sys.argv[2])
    write_disputes(work, sys.argv[3:]) if sys.argv[1] == "disputes" else build(work)


if __name__ == "__main__":
    main()
