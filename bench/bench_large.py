"""A large input, streamed: 20,000 submissions scored by the CLI in a subprocess.

    .venv/bin/python bench/bench_large.py [--n 20000] [--warm-cache]

Writes the sample quarter replicated to N rows (bench_score.replicate: each copy with its
own kpi_id and a distinct closing sentence, previous narrative included) to big.jsonl in a
temporary folder, runs `narrative-qa score big.jsonl --out out.jsonl --quiet`, and prints the
wall time and the peak resident memory of the command (target: at most 600 MB). The
embedding cache starts empty unless --warm-cache is given.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import replicate  # noqa: E402

TARGET_MB = 600


def write_rows(path: Path, n: int) -> None:
    submissions, _ = replicate(n)
    with path.open("w", encoding="utf-8") as out:
        for sub in submissions:
            out.write(json.dumps(sub.fields(), ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--warm-cache", action="store_true",
                        help="use the usual embedding cache instead of an empty one")
    args = parser.parse_args()
    exe = Path(sys.executable).with_name("narrative-qa")
    with tempfile.TemporaryDirectory(prefix="nq-bench-large-") as folder:
        root = Path(folder)
        big, out = root / "big.jsonl", root / "out.jsonl"
        write_rows(big, args.n)
        env = dict(os.environ)
        if not args.warm_cache:
            env["NARRATIVE_QA_CACHE"] = str(root / "cache")
        start = time.perf_counter()
        done = subprocess.run([str(exe), "score", str(big), "--out", str(out), "--quiet"],
                              env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    if done.returncode not in (0, 1, 2) or lines != args.n:
        sys.exit(f"score failed (exit {done.returncode}, {lines} rows written):\n"
                 f"{done.stderr[-2000:]}")
    print(f"large input, streamed:      {args.n:,} rows, {lines:,} written")
    print(f"wall time:                  {wall:.1f} s = {args.n / wall:.1f} rows/s")
    print(f"peak RSS of the command:    {peak_mb:.0f} MB (target: at most {TARGET_MB} MB)")


if __name__ == "__main__":
    main()
