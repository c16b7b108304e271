"""Choose the real records to label, and write the labellers' reading copies.

    python tools/label_sample.py ids            # corpus/real_sample.txt: the chosen ids
    python tools/label_sample.py views OUTDIR   # OUTDIR/part-N.txt for the labellers
    python tools/label_sample.py more N OUTDIR  # round N: corpus/real_sample_N.txt and
                                                # OUTDIR/views/part-K.txt

The choice is stratified and reproducible (seed below): every organisation at least once,
then each family's quota filled by (has a previous narrative, length third), with records
that have a previous narrative drawn more often so that at least 400 have one. Exact
repeats of a narrative already chosen are skipped.

The reading copies hold verbatim text from ../shared, so OUTDIR must be outside the
project (the tool refuses a folder inside it).
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from narrative_qa.measure.corpus_format import organisation_split
from narrative_qa.real_corpus import PROJECT, read_corpus, sentence_spans

SEED = 2026
QUOTA = {"baltimore": 340, "canada-drr": 260, "gmpp": 360}
# Share of each family's quota drawn from records with a previous narrative.
PREVIOUS_SHARE = {"baltimore": 0.55, "canada-drr": 0.0, "gmpp": 0.66}
PARTS = 4
SAMPLE_FILE = PROJECT / "corpus" / "real_sample.txt"
# Later rounds label records not yet labelled, per family, none repeating a labelled
# narrative. Round 2 (part 5) adds dev records, so that thresholds chosen on dev rest on more
# positives; round 3 (parts 6 and 7) adds train records for the readers to learn from;
# round 4 (part 8) adds test records, so that test stays at least a quarter of the labels;
# round 5 (parts 9 and 10) the last unlabelled Baltimore and Canadian train records and
# more gmpp ones, round 6 (part 11) test records beside them (test stays above a quarter);
# round 7 (parts 12 and 13) the last unlabelled dev records (gmpp), so that the claim
# thresholds chosen on dev rest on more positives, and round 8 (part 14) test beside them.
# Round 9 (parts 15 and 16) is the selection set: unlabelled records of train organisations
# (only gmpp has any left) that no rule was developed on; nothing is fitted to them, and the
# claim thresholds are chosen on them (dev had been read for errors too often to choose).
# Round 10 (part 17) adds test records beside it, so that test stays a quarter of the labels.
# Round 11 (part 18) adds train records (the readers learn from more real sentences) and
# round 12 (part 19) more of the selection set, so that thresholds of the rarer findings
# rest on more of it; both gmpp, the only family with unlabelled train records left.
# Round 13 (part 20) adds test records beside them, so that test stays a quarter.
# Rounds 14 and 16 (parts 21-22, 24-27) add train records again, rounds 15 and 17 (parts
# 23, 28-29 and 30) test beside them, so that test stays a quarter of the labels.
# Round 19 (parts 31-33) doubles the selection set, so that the claim thresholds of the
# rarer findings rest on fresh records rather than on those the rules were written on (its
# records' raised findings had been read for false alarms in stop 42, never labelled);
# round 20 (part 34) adds test records beside it, so that test stays a quarter.
# Round 21 (parts 35-42) takes the last unlabelled records of train organisations into the
# selection set (read for false alarms in stop 42 as round 19's were), so that NQ09's and
# NQ10's claims rest on more of their positives; round 22 (parts 43-45) adds test beside it.
# Rounds 23 (part 46, dev) and 24 (parts 47-49, test) label the last unlabelled records of
# the corpus: five of a dev organisation and those of gmpp's test organisations.
ROUNDS = {
    2: {"split": "dev", "seed": 2028, "parts": (5,),
        "quota": {"baltimore": 45, "canada-drr": 17, "gmpp": 58}},
    3: {"split": "train", "seed": 2030, "parts": (6, 7),
        "quota": {"baltimore": 160, "canada-drr": 90, "gmpp": 230}},
    4: {"split": "test", "seed": 2031, "parts": (8,),
        "quota": {"baltimore": 60, "canada-drr": 30, "gmpp": 90}},
    5: {"split": "train", "seed": 2032, "parts": (9, 10),
        "quota": {"baltimore": 78, "canada-drr": 4, "gmpp": 158}},
    6: {"split": "test", "seed": 2033, "parts": (11,),
        "quota": {"baltimore": 40, "canada-drr": 4, "gmpp": 36}},
    7: {"split": "dev", "seed": 2035, "parts": (12, 13),
        "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 130}},
    8: {"split": "test", "seed": 2036, "parts": (14,),
        "quota": {"baltimore": 20, "canada-drr": 0, "gmpp": 25}},
    9: {"split": "train", "seed": 2037, "parts": (15, 16),
        "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 160}},
    10: {"split": "test", "seed": 2039, "parts": (17,),
         "quota": {"baltimore": 20, "canada-drr": 0, "gmpp": 25}},
    11: {"split": "train", "seed": 2041, "parts": (18,),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 80}},
    12: {"split": "train", "seed": 2043, "parts": (19,),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 80}},
    13: {"split": "test", "seed": 2045, "parts": (20,),
         "quota": {"baltimore": 20, "canada-drr": 0, "gmpp": 40}},
    14: {"split": "train", "seed": 2047, "parts": (21, 22),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 160}},
    15: {"split": "test", "seed": 2049, "parts": (23,),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 54}},
    16: {"split": "train", "seed": 2051, "parts": (24, 25, 26, 27),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 320}},
    17: {"split": "test", "seed": 2053, "parts": (28, 29),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 108}},
    18: {"split": "test", "seed": 2055, "parts": (30,),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 16}},
    19: {"split": "train", "seed": 2057, "parts": (31, 32, 33),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 240}},
    20: {"split": "test", "seed": 2059, "parts": (34,),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 57}},
    21: {"split": "train", "seed": 2061, "parts": (35, 36, 37, 38, 39, 40, 41, 42),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 605}},
    22: {"split": "test", "seed": 2063, "parts": (43, 44, 45),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 201}},
    23: {"split": "dev", "seed": 2065, "parts": (46,),
         "quota": {"baltimore": 5, "canada-drr": 0, "gmpp": 0}},
    24: {"split": "test", "seed": 2067, "parts": (47, 48, 49),
         "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 215}},
}
# Rounds whose records are the selection set: their rows say split "select" (corpus_format).
SELECTION_ROUNDS = (9, 12, 19, 21)


def round_file(n: int) -> Path:
    return PROJECT / "corpus" / f"real_sample_{n}.txt"


def _third(length: int, cuts: tuple[int, int]) -> int:
    return 0 if length <= cuts[0] else 1 if length <= cuts[1] else 2


def choose(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    chosen: list[dict[str, Any]] = []
    seen_text: set[str] = set()

    def take(record: dict[str, Any]) -> bool:
        key = " ".join(record["narrative"].split()).casefold()
        if key in seen_text or record in chosen:
            return False
        seen_text.add(key)
        chosen.append(record)
        return True

    for family, quota in QUOTA.items():
        pool = [r for r in records if r["family"] == family]
        lengths = sorted(len(r["narrative"]) for r in pool)
        cuts = (lengths[len(lengths) // 3], lengths[2 * len(lengths) // 3])
        strata: dict[tuple[bool, int], list[dict[str, Any]]] = defaultdict(list)
        for r in pool:
            strata[(bool(r.get("previous_narrative")), _third(len(r["narrative"]), cuts))
                   ].append(r)
        for members in strata.values():
            rng.shuffle(members)
        by_org: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for r in pool:
            by_org[r["organisation"]].append(r)
        start = len(chosen)
        for org in sorted(by_org):  # every organisation once
            take(rng.choice(by_org[org]))
        for has_previous in (True, False):
            share = PREVIOUS_SHARE[family] if has_previous else 1 - PREVIOUS_SHARE[family]
            want = round(quota * share)
            have = sum(1 for r in chosen[start:]
                       if bool(r.get("previous_narrative")) == has_previous)
            groups = [strata[(has_previous, t)] for t in range(3)]
            while have < want and any(groups):
                for members in groups:
                    if members and have < want:
                        have += take(members.pop())
        rest = [r for key in sorted(strata) for r in strata[key]]
        rng.shuffle(rest)
        while len(chosen) - start < quota and rest:
            take(rest.pop())
    return chosen


def write_ids(chosen: list[dict[str, Any]]) -> None:
    SAMPLE_FILE.write_text("".join(f"{r['id']}\t{r['narrative_sha256']}\n" for r in chosen),
                           encoding="utf-8")
    print(f"{len(chosen)} ids -> {SAMPLE_FILE}")


def _value(value: Any) -> str:
    return "—" if value in (None, "") else str(value)


def view(record: dict[str, Any], n: int, total: int) -> str:
    polarity = {"up": "up (higher is better)", "down": "down (lower is better)"}.get(
        record.get("polarity") or "", "none given")
    lines = [
        f"=== RECORD {n} of {total} · id {record['id']} · family {record['family']}",
        f"KPI: {_value(record.get('kpi_name'))}",
        f"Organisation: {_value(record.get('organisation'))} · service: "
        f"{_value(record.get('service'))}",
        f"Period: {_value(record.get('period'))}",
        f"target: {_value(record.get('target'))} · actual: {_value(record.get('actual'))} · "
        f"previous_actual: {_value(record.get('previous_actual'))} · unit: "
        f"{_value(record.get('unit'))} · polarity: {polarity} · stated_rag: "
        f"{_value(record.get('stated_rag'))}",
        "Previous narrative: " + (" ".join(record["previous_narrative"].split())
                                  if record.get("previous_narrative") else "(none)"),
        "Narrative, sentence by sentence:",
    ]
    text = record["narrative"]
    lines += [f"  s{i} {s.of(text)}" for i, s in enumerate(sentence_spans(text), start=1)]
    return "\n".join(lines) + "\n\n"


def write_views(chosen: list[dict[str, Any]], folder: Path) -> None:
    folder = folder.resolve()
    if folder == PROJECT or PROJECT in folder.parents:
        sys.exit("the reading copies hold verbatim corpus text: write them outside the project")
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    order = chosen[:]
    rng.shuffle(order)
    parts: list[list[dict[str, Any]]] = [[] for _ in range(PARTS)]
    weight = [0] * PARTS
    for r in sorted(order, key=lambda r: -len(r["narrative"]) - len(
            r.get("previous_narrative") or "")):
        k = weight.index(min(weight))
        parts[k].append(r)
        weight[k] += 300 + len(r["narrative"]) + len(r.get("previous_narrative") or "")
    for k, part in enumerate(parts, start=1):
        rng.shuffle(part)
        body = "".join(view(r, n, len(part)) for n, r in enumerate(part, start=1))
        (folder / f"part-{k}.txt").write_text(body, encoding="utf-8")
        print(f"part-{k}: {len(part)} records, {len(body):,} characters")


def _key(record: dict[str, Any]) -> str:
    return " ".join(record["narrative"].split()).casefold()


def choose_more(records: list[dict[str, Any]], n: int) -> list[dict[str, Any]]:
    """Round n: unlabelled records of its split, in family quotas, in id order."""
    spec = ROUNDS[n]
    files = [SAMPLE_FILE] + [round_file(k) for k in ROUNDS if k < n]
    labelled = {line.split("\t")[0] for f in files for line in f.read_text().splitlines()}
    seen = {_key(r) for r in records if r["id"] in labelled}
    rng = random.Random(spec["seed"])
    chosen: list[dict[str, Any]] = []
    for family, quota in spec["quota"].items():
        pool = sorted((r for r in records if r["family"] == family
                       and r["id"] not in labelled
                       and organisation_split(r["organisation"]) == spec["split"]),
                      key=lambda r: r["id"])
        rng.shuffle(pool)
        taken = 0
        for r in pool:
            if taken < quota and _key(r) not in seen:
                seen.add(_key(r))
                chosen.append(r)
                taken += 1
    return sorted(chosen, key=lambda r: r["id"])


def write_more(records: list[dict[str, Any]], n: int, folder: Path) -> None:
    spec, chosen = ROUNDS[n], choose_more(records, n)
    round_file(n).write_text("".join(f"{r['id']}\t{r['narrative_sha256']}\n" for r in chosen),
                             encoding="utf-8")
    print(f"{len(chosen)} ids -> {round_file(n)}")
    folder = folder.resolve()
    if folder == PROJECT or PROJECT in folder.parents:
        sys.exit("the reading copies hold verbatim corpus text: write them outside the project")
    (folder / "views").mkdir(parents=True, exist_ok=True)
    order = chosen[:]
    random.Random(spec["seed"]).shuffle(order)
    parts = [order[k::len(spec["parts"])] for k in range(len(spec["parts"]))]
    for part, members in zip(spec["parts"], parts, strict=True):
        body = "".join(view(r, i, len(members)) for i, r in enumerate(members, start=1))
        out = folder / "views" / f"part-{part}.txt"
        out.write_text(body, encoding="utf-8")
        print(f"{out}: {len(members)} records, {len(body):,} characters")


def main() -> None:
    records = list(read_corpus())
    if sys.argv[1:2] == ["more"] and len(sys.argv) == 4 and int(sys.argv[2]) in ROUNDS:
        write_more(records, int(sys.argv[2]), Path(sys.argv[3]))
        return
    chosen = choose(records)
    if sys.argv[1:2] == ["ids"]:
        write_ids(chosen)
    elif sys.argv[1:2] == ["views"] and len(sys.argv) == 3:
        write_views(chosen, Path(sys.argv[2]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
