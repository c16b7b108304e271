"""One process against two: the whole `narrative-qa score` from a cold start.

    .venv/bin/python bench/bench_parallel.py [--n 200 2000] [--runs 3]

Builds a quarter of N submissions with previous narratives from the sample (each copy
given a distinct closing sentence, so every text is parsed), then times
`narrative-qa score current.csv --previous previous.csv --quiet` with
NARRATIVE_QA_PROCESSES=1 and =2 and prints the median wall and CPU time of each, and
whether the two outputs are identical. Target: the 200-submission quarter in at most 9 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"


def _rows(name: str) -> tuple[list, list[list]]:
    sheet = openpyxl.load_workbook(SAMPLE / name, read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    start = next(i for i, r in enumerate(rows) if r and r[0] == "KPI Ref")
    return rows[start], [r for r in rows[start + 1:] if r and r[0]]


def write_quarter(n: int, folder: Path) -> tuple[Path, Path]:
    paths = []
    for name in ("qpr-2025-26-Q2.xlsx", "qpr-2025-26-Q1.xlsx"):
        header, rows = _rows(name)
        ref, text = header.index("KPI Ref"), header.index("Commentary")
        path = folder / name.replace(".xlsx", f"-{n}.csv")
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            for i in range(n):
                row = list(rows[i % len(rows)])
                row[ref] = f"{row[ref]}-{i}"
                row[text] = f"{row[text] or ''} Reference {i}."
                writer.writerow(row)
        paths.append(path)
    return paths[0], paths[1]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_score(current: Path, previous: Path, out: Path, processes: int) -> tuple[float, float]:
    exe = Path(sys.executable).with_name("narrative-qa")
    env = {**os.environ, "NARRATIVE_QA_PROCESSES": str(processes)}
    cpu, start = _children_cpu(), time.perf_counter()
    subprocess.run([str(exe), "score", str(current), "--previous", str(previous),
                    "--out", str(out), "--quiet"], check=True, env=env)
    return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, nargs="+", default=[200])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} at start")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for n in args.n:
            current, previous = write_quarter(n, folder)
            figures, outputs = {}, {}
            for processes in (1, 2):
                out = folder / f"out-{n}-{processes}.jsonl"
                runs = [time_score(current, previous, out, processes) for _ in range(args.runs)]
                figures[processes] = (statistics.median(r[0] for r in runs),
                                      statistics.median(r[1] for r in runs))
                outputs[processes] = out.read_bytes()
            (wall1, cpu1), (wall2, cpu2) = figures[1], figures[2]
            target = "at most 9 s" if n == 200 else ""
            print(f"{n:,} submissions, cold `score` with previous, median of {args.runs}")
            print(f"  {'':<14}{'1 process':>14}{'2 processes':>14}   target")
            print(f"  {'wall':<14}{wall1:>13.1f}s{wall2:>13.1f}s   {target}")
            print(f"  {'cpu':<14}{cpu1:>13.1f}s{cpu2:>13.1f}s")
            print(f"  speed-up {wall1 / wall2:.2f}x; identical output: "
                  f"{outputs[1] == outputs[2]}")
    print(f"load average {os.getloadavg()[0]:.1f} at end (other work on the machine skews "
          "these figures)")


if __name__ == "__main__":
    main()
