"""Typing, in one process (issue 16): an officer's 300-word draft checked again after one
sentence changed, with re-parsing only the changed stretch (language/reparse.py) and with
it off (NARRATIVE_QA_REPARSE=0: the whole draft parsed), the two taken in turn so both see
the same load. Prints p50 and p95 of `check_draft` beside each other; bench_web.py gives
the served figure (10 officers, 2 workers) against its target of p95 <= 150 ms.

    .venv/bin/python bench/bench_typing.py [--checks 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import Sentences  # noqa: E402

FIELDS = {"kpi_id": "CS-05", "period": "2025/26 Q3", "target": 60, "actual": 51, "unit": "%",
          "polarity": "up", "previous_actual": 55}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=60)
    args = parser.parse_args()
    from narrative_qa.api import check_draft
    from narrative_qa.config import load_settings
    from narrative_qa.language.reparse import VARIABLE

    print(f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    settings = load_settings()
    sentences = Sentences()
    fields = {**FIELDS, "previous_narrative": " ".join(sentences.draft(150))}
    draft = sentences.draft()
    check_draft(" ".join(draft), settings, **fields)  # the draft as first checked
    took: dict[str, list[float]] = {"re-parse the change": [], "parse it all": []}
    for n in range(args.checks):
        draft[(n * 7) % len(draft)] = sentences.next()
        text = " ".join(draft)
        for mode, value in (("re-parse the change", "1"), ("parse it all", "0")):
            os.environ[VARIABLE] = value
            began = time.perf_counter()
            check_draft(text, settings, **fields)
            took[mode].append((time.perf_counter() - began) * 1000)
    print(f"{args.checks} typing checks of a {len(' '.join(draft).split())}-word draft, "
          "one process")
    print("| check | p50 ms | p95 ms |\n|---|---|---|")
    for mode, ms in took.items():
        q = statistics.quantiles(ms, n=100)
        print(f"| {mode} | {q[49]:.0f} | {q[94]:.0f} |")
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
