"""Choose the real records whose forecasts are labelled, and write the labellers' copies.

    python -m tools.forecast_sample ids            # corpus/forecast_sample.txt
    python -m tools.forecast_sample views OUTDIR   # OUTDIR/records.jsonl for the labellers
    python -m tools.forecast_sample more OUTDIR    # round 2: corpus/forecast_sample_2.txt
                                                   # and OUTDIR/records.jsonl
    python -m tools.forecast_sample more3 OUTDIR   # round 3: corpus/forecast_sample_3.txt
    python -m tools.forecast_sample more4 OUTDIR   # round 4: corpus/forecast_sample_4.txt
    python -m tools.forecast_sample more5 OUTDIR   # round 5: corpus/forecast_sample_5.txt
    python -m tools.forecast_sample more6 OUTDIR   # round 6: corpus/forecast_sample_6.txt
    python -m tools.forecast_sample more7 OUTDIR   # round 7: corpus/forecast_sample_7.txt

The records come from those already labelled for the findings (corpus/real_labels.jsonl),
so each keeps its organisation-held-out split. Per family: 36 test, 16 dev and 28 train
records (seed below). Half of each cell is drawn from records with a word about the future
("will", "expected", "plan", a year after the period...), half at random, so that the
labelled set holds enough forecasts to measure recall and still holds plain records.

The copies hold verbatim text from ../shared, so OUTDIR must be outside the project.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import Any

from narrative_qa.measure.corpus_format import organisation_split
from narrative_qa.real_corpus import LABELS_FILE, PROJECT, json_objects, read_corpus, sentence_spans

SEED = 2027
CELLS = {"test": 36, "dev": 16, "train": 28}
FAMILIES = ("baltimore", "canada-drr", "gmpp")
SAMPLE_FILE = PROJECT / "corpus" / "forecast_sample.txt"
# Round 2, for choosing on more than 48 dev and 84 train records: every dev record labelled
# for the findings and not yet for forecasts, and per family this many train records.
ROUND2 = {"seed": 2029, "train": dict.fromkeys(FAMILIES, 25)}
# Round 3, records the rules were never developed on, to measure them afresh before they
# change again and then to learn from: every dev record labelled for the findings since
# round 2 (rounds of the findings labels added later) and per family this many train ones.
ROUND3 = {"seed": 2034, "train": {"baltimore": 30, "canada-drr": 30, "gmpp": 45}}
# Round 4, the selection set: records of train and dev organisations that the extraction was
# never developed on, per family this many; nothing is fitted to them, and the threshold for
# claiming a forecast is chosen on them (the earlier rounds had all been read for errors).
ROUND4 = {"seed": 2038, "splits": ("train", "dev"), "quota": dict.fromkeys(FAMILIES, 40)}
# Round 5, test: 36 records per family measured a family's precision on a handful of
# forecasts (baltimore 7, canada-drr 8), so per family this many more test records.
ROUND5 = {"seed": 2042, "splits": ("test",), "quota": dict.fromkeys(FAMILIES, 40)}
# Round 6, more of the selection set, so that a change to the extraction is accepted or
# refused on more than 64 labelled forecasts: records of the findings' selection set (gmpp,
# the only family with any), whose extractions stop 42 had read for false forecasts,
# unlabelled. Round 7, test beside it: per family this many more test records.
ROUND6 = {"seed": 2064, "splits": ("train",), "selection_set_only": True,
          "quota": {"baltimore": 0, "canada-drr": 0, "gmpp": 160}}
ROUND7 = {"seed": 2065, "splits": ("test",), "quota": dict.fromkeys(FAMILIES, 40)}
ROUNDS = {2: ROUND2, 3: ROUND3, 4: ROUND4, 5: ROUND5, 6: ROUND6, 7: ROUND7}
# Rounds whose records are the selection set: their rows say split "select".
SELECTION_ROUNDS = (4, 6)


def sample_file(n: int) -> Path:
    """Round n's ids (round 1's are SAMPLE_FILE)."""
    return PROJECT / "corpus" / f"forecast_sample_{n}.txt"

FUTURE = re.compile(r"\b(will|expect\w*|plan\w*|anticipat\w*|forecast\w*|project(?:ed|ion)|"
                    r"by (?:the end of )?(?:\w+ )?20\d\d|next (?:year|quarter)|going forward)\b",
                    re.IGNORECASE)


def choose(records: list[dict[str, Any]], labelled: set[str]) -> list[dict[str, Any]]:
    rng = random.Random(SEED)
    chosen: list[dict[str, Any]] = []
    for family in FAMILIES:
        for split, quota in CELLS.items():
            pool = [r for r in records if r["id"] in labelled and r["family"] == family
                    and organisation_split(r["organisation"]) == split]
            pool.sort(key=lambda r: r["id"])
            cued = [r for r in pool if FUTURE.search(r["narrative"])]
            rng.shuffle(cued)
            picked = cued[: quota // 2]
            rest = [r for r in pool if r not in picked]
            rng.shuffle(rest)
            picked += rest[: quota - len(picked)]
            chosen += picked
    return sorted(chosen, key=lambda r: r["id"])


def choose_more(records: list[dict[str, Any]], labelled: set[str], round_: int = 2,
                select: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    settings = ROUNDS[round_]
    rng = random.Random(settings["seed"])
    earlier = [SAMPLE_FILE] + [sample_file(k) for k in ROUNDS if k < round_]
    done = {i for f in earlier for i in f.read_text(encoding="utf-8").split()}
    pool = sorted((r for r in records if r["id"] in labelled and r["id"] not in done),
                  key=lambda r: r["id"])
    if "splits" in settings:  # rounds 4 to 7: a quota per family from these splits
        pool = [r for r in pool if organisation_split(r["organisation"]) in settings["splits"]]
        if settings.get("selection_set_only"):
            pool = [r for r in pool if r["id"] in select]
        return _cued_half(pool, settings["quota"], rng)
    chosen = [r for r in pool if organisation_split(r["organisation"]) == "dev"]
    for family in FAMILIES:
        train = [r for r in pool if r["family"] == family
                 and organisation_split(r["organisation"]) == "train"]
        quota = settings["train"][family]
        cued = [r for r in train if FUTURE.search(r["narrative"])]
        rng.shuffle(cued)
        picked = cued[: quota // 2]
        rest = [r for r in train if r not in picked]
        rng.shuffle(rest)
        chosen += picked + rest[: quota - len(picked)]
    return sorted(chosen, key=lambda r: r["id"])


def _cued_half(pool: list[dict[str, Any]], quota: dict[str, int],
               rng: random.Random) -> list[dict[str, Any]]:
    """Per family, half the quota from records with a word about the future, half at random."""
    chosen: list[dict[str, Any]] = []
    for family in FAMILIES:
        members = [r for r in pool if r["family"] == family]
        cued = [r for r in members if FUTURE.search(r["narrative"])]
        rng.shuffle(cued)
        picked = cued[: quota[family] // 2]
        rest = [r for r in members if r not in picked]
        rng.shuffle(rest)
        chosen += picked + rest[: quota[family] - len(picked)]
    return sorted(chosen, key=lambda r: r["id"])


def _view(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "family", "organisation", "kpi_name", "unit", "period", "target", "actual",
            "previous_actual", "source_date", "narrative")
    view = {k: record.get(k) for k in keys}
    view["sentences"] = [{"start": s.start, "end": s.end, "text": s.of(record["narrative"])}
                         for s in sentence_spans(record["narrative"])]
    return view


def main(argv: list[str]) -> int:
    records = list(read_corpus())
    rows = [row for _, row in json_objects(LABELS_FILE, "the real labels")]
    labelled = {row["id"] for row in rows}
    select = frozenset(row["id"] for row in rows if row.get("split") == "select")
    round_ = {"more": 2, "more3": 3, "more4": 4, "more5": 5, "more6": 6,
              "more7": 7}.get(argv[0] if argv else "")
    chosen = (choose_more(records, labelled, round_, select) if round_
              else choose(records, labelled))
    if round_ and len(argv) == 2:
        sample = sample_file(round_)
        ids = "".join(r["id"] + "\n" for r in chosen)
        if sample.exists() and sample.read_text(encoding="utf-8") != ids:
            # The pool grows with every round of the findings labels, so a round drawn
            # again is not the round that was labelled: its ids file is the record.
            print(f"{sample} holds a different draw (the round already labelled); "
                  "it is kept", file=sys.stderr)
            return 2
        sample.write_text(ids, encoding="utf-8")
        print(f"{len(chosen)} ids -> {sample}")
        argv = ["views", argv[1]]
    if argv[:1] == ["ids"]:
        SAMPLE_FILE.write_text("".join(r["id"] + "\n" for r in chosen), encoding="utf-8")
        print(f"{len(chosen)} ids -> {SAMPLE_FILE}")
        return 0
    if argv[:1] == ["views"] and len(argv) == 2:
        out = Path(argv[1]).resolve()
        if out.is_relative_to(PROJECT):
            print("the copies hold corpus text: choose a folder outside the project",
                  file=sys.stderr)
            return 2
        out.mkdir(parents=True, exist_ok=True)
        with (out / "records.jsonl").open("w", encoding="utf-8") as handle:
            for r in chosen:
                handle.write(json.dumps(_view(r), ensure_ascii=False) + "\n")
        print(f"{len(chosen)} records -> {out / 'records.jsonl'}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
