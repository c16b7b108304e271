"""A large input, streamed: 20,000 submissions scored by the CLI in a subprocess.

    .venv/bin/python bench/bench_large.py [--n 20000] [--processes 1 2] [--warm-cache]

Writes the sample quarter replicated to N rows (bench_score.replicate: each copy with its
own kpi_id and a distinct closing sentence, previous narrative included) to big.jsonl in a
temporary folder, runs `narrative-qa score big.jsonl --out out.jsonl --quiet`, and prints the
wall time and the peak resident memory of the command (target: at most 600 MB), once per
NARRATIVE_QA_PROCESSES value, side by side. Each run is a new process; the peak is the largest
single process's (a forked parser shares the model's pages with its parent). The embedding
cache starts empty (MiniLM exported to ONNX, as `make install` leaves it) unless
--warm-cache is given. What loading the two models alone takes is printed first.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
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


def installed(folder: Path) -> None:
    """A cache folder as `make install` leaves it: MiniLM exported to ONNX (linked from this
    process's cache, exported there first if need be), and no embeddings yet."""
    from narrative_qa.language.embeddings import get_encoder, runtime_model_path
    from narrative_qa.language.minilm_onnx import record_path

    get_encoder()
    folder.mkdir(parents=True, exist_ok=True)
    for path in (runtime_model_path(), record_path(runtime_model_path())):
        try:
            os.link(path, folder / path.name)
        except OSError:  # another file system
            shutil.copy(path, folder / path.name)


def model_floor() -> dict[str, float]:
    """RSS (MB) of a new process after loading spaCy's model, then the MiniLM encoder."""
    script = (
        "import resource\n"
        "def rss():\n"
        "    return next(int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith('VmRSS')) / 1024\n"
        "print(rss())\n"
        "from narrative_qa.language.nlp import get_nlp\n"
        "list(get_nlp().pipe(['Warm up.']))\n"
        "print(rss())\n"
        "from narrative_qa.language.embeddings import get_encoder\n"
        "get_encoder().encode(['Warm up.'])\n"
        "print(rss())\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    python, spacy, both = (float(v) for v in done.stdout.split())
    return {"python": python, "spacy": spacy - python, "minilm": both - spacy, "both": both}


def run(n: int, processes: int, warm_cache: bool) -> tuple[float, float, int]:
    exe = Path(sys.executable).with_name("narrative-qa")
    with tempfile.TemporaryDirectory(prefix="nq-bench-large-") as folder:
        root = Path(folder)
        big, out = root / "big.jsonl", root / "out.jsonl"
        write_rows(big, n)
        env = {**os.environ, "NARRATIVE_QA_PROCESSES": str(processes)}
        if not warm_cache:
            env["NARRATIVE_QA_CACHE"] = str(root / "cache")
            installed(root / "cache")
        script = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:]); "
                  "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", script, str(exe), "score", str(big),
                               "--out", str(out), "--quiet"],
                              env=env, capture_output=True, text=True, check=False)
        wall = time.perf_counter() - start
        lines = sum(1 for _ in out.open(encoding="utf-8")) if out.exists() else 0
    if done.returncode != 0 or lines != n:  # (the wrapper exits 0 whatever score's code)
        sys.exit(f"score failed ({lines} rows written):\n{done.stderr[-2000:]}")
    peak_mb = int(done.stdout.split()[-1]) / 1024  # KiB on Linux
    return wall, peak_mb, lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--warm-cache", action="store_true",
                        help="use the usual embedding cache instead of an empty one")
    args = parser.parse_args()
    print(f"load average at start {' '.join(f'{x:.2f}' for x in os.getloadavg())}, "
          f"{os.cpu_count()} cores")
    floor = model_floor()
    print(f"models' floor, new process: python {floor['python']:.0f} MB + spaCy "
          f"{floor['spacy']:.0f} MB + MiniLM (ONNX Runtime, tokenizers, weights) "
          f"{floor['minilm']:.0f} MB = {floor['both']:.0f} MB")
    results = {}
    for p in args.processes:  # each run printed as it ends: a long run stopped keeps its figures
        results[p] = run(args.n, p, args.warm_cache)
        wall, peak, _ = results[p]
        print(f"  {p} process{'es' if p > 1 else ''}: {wall:.0f} s, peak {peak:.0f} MB "
              f"(load average {os.getloadavg()[0]:.2f})", flush=True)
    print(f"{args.n:,} rows streamed (JSONL in, JSONL out), empty embedding cache: "
          f"{not args.warm_cache}")
    print(f"  {'':<16}" + "".join(f"{f'{p} process' + ('es' if p > 1 else ''):>16}"
                                 for p in results) + "   target")
    print(f"  {'wall':<16}" + "".join(f"{w:>15.1f}s" for w, _, _ in results.values()))
    print(f"  {'rows/s':<16}" + "".join(f"{args.n / w:>16.1f}" for w, _, _ in results.values()))
    peaks = [m for _, m, _ in results.values()]
    print(f"  {'peak RSS':<16}" + "".join(f"{m:>13.0f} MB" for m in peaks)
          + f"   at most {TARGET_MB} MB: {'met' if max(peaks) <= TARGET_MB else 'NOT met'}")
    print(f"load average at end {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work "
          "on the machine lengthens the wall times; the peaks hardly move)")


if __name__ == "__main__":
    main()
