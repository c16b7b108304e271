"""Speed on real text: `narrative-qa score` of published narratives nobody here wrote.

    .venv/bin/python bench/bench_real.py [--n 200] [--runs 3]

Takes the first N records of ../shared/corpus/real.jsonl (every record is labelled since
stop 45; a timing reads no label and prints no accuracy, so which ones does not matter),
writes them to a temporary JSONL outside the project, and times a new `narrative-qa score`
process on them, cold (an empty embedding cache) and warm (the same cache again), with the
median wall and CPU time and peak memory of each. Target: the 200-submission quarter in at
most 9 s (README, Speed). Real narratives are longer than the sample's (median about 360
characters against 300), so this is the harder case. Skips, saying why, when ../shared is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from itertools import islice
from pathlib import Path

from narrative_qa.real_corpus import corpus_available, read_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cold import EXE, measure  # noqa: E402
from bench_large import installed  # noqa: E402

TARGET_S = 9.0
FIELDS = ("kpi_id", "kpi_name", "service", "period", "target", "actual", "previous_actual",
          "unit", "polarity", "stated_rag", "owner", "narrative", "previous_narrative")


def first(n: int) -> list[dict]:
    return [{f: r.get(f) for f in FIELDS} for r in islice(read_corpus(), n)]


def run(source: Path, cache: Path) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MB) of one new `score` process with `cache` as its cache folder."""
    env = {**os.environ, "NARRATIVE_QA_CACHE": str(cache)}
    return measure([str(EXE), "score", str(source), "--out",
                    str(source.with_suffix(".out.jsonl")), "--quiet"], env)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not corpus_available():
        print("skipped: ../shared/corpus/real.jsonl is not beside the project")
        return
    rows = first(args.n)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "real.jsonl"
        source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        figures = {"cold": [], "warm": []}
        for k in range(args.runs):
            cache = Path(folder) / f"cache-{k}"
            installed(cache)  # MiniLM exported to ONNX, as `make install` leaves it
            figures["cold"].append(run(source, cache))
            figures["warm"].append(run(source, cache))
        print(f"{len(rows)} real submissions, {args.runs} runs, load "
              f"{os.getloadavg()[0]:.1f}")
        print(f"{'start':<6} {'wall s':>8} {'cpu s':>8} {'peak MB':>8}  target")
        for name, runs in figures.items():
            wall = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            peak = max(r[2] for r in runs)
            verdict = "met" if wall <= TARGET_S else "not met"
            print(f"{name:<6} {wall:8.2f} {cpu:8.2f} {peak:8.0f}  ≤ {TARGET_S:.0f} s: {verdict}")


if __name__ == "__main__":
    main()
