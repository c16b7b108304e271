"""Speed that holds cold (issue 17): each target of the issue, measured from a cold start
(a new process and an empty embedding cache; MiniLM already exported to ONNX, as `make
install` leaves it) and then warm (a new process, the cache the cold run filled), printed
side by side with the target, as ratios taken in the same run.

    .venv/bin/python bench/bench_cold.py [--n 200] [--large 0] [--runs 1]

- the quarter of N submissions with previous narratives (`narrative-qa score`, as many
  processes as it chooses by default: two from 100 submissions): wall time against a
  one-process spaCy parse of the same texts in a new process (target: cold at most 1.5x),
  and cpu / wall (target: at least 1.7 on 2 cores);
- `narrative-qa check` of one deteriorating KPI (the case whose NQ06 gate loads the
  embedding model): wall and peak memory (targets: at most 2 s and 400 MB);
- with --large N (20,000 in the issue; many minutes): N rows streamed, peak memory of the
  largest process (target: at most 600 MB).

Figures depend on the machine's load: the load average is printed at the start and the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_large import installed, write_rows  # noqa: E402
from bench_parallel import write_quarter  # noqa: E402

EXE = Path(sys.executable).with_name("narrative-qa")
# Runs the command given, then prints wall, cpu and the largest process's peak RSS of all
# it waited for (children and their own children), so each figure is one fresh process.
MEASURE = ("import resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
           "wall = time.perf_counter() - start\n"
           "use = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(done.returncode, wall, use.ru_utime + use.ru_stime, use.ru_maxrss / 1024)\n")
SPACY_PARSE = ("import csv, sys\n"
               "from narrative_qa.language.nlp import get_nlp\n"
               "texts = [r['Commentary'] for f in sys.argv[1:] for r in "
               "csv.DictReader(open(f, encoding='utf-8'))]\n"
               "for _ in get_nlp().pipe(texts, batch_size=64):\n"
               "    pass\n")
DRAFT = ("Performance fell to 51% this quarter. Recruitment remains a challenge. We will "
         "introduce a new rota soon.")


def measure(command: list[str], env: dict[str, str], stdin: str | None = None
            ) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MB) of `command` run in a new process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], env=env, input=stdin,
                          capture_output=True, text=True, check=True)
    code, wall, cpu, peak = done.stdout.split()
    if int(code) not in (0, 1, 2):
        sys.exit(f"{command[:2]} failed ({code}): {done.stderr[-1500:]}")
    return float(wall), float(cpu), float(peak)


def cold_then_warm(make: Callable[[], tuple[list[str], str | None]], runs: int,
                   cache: Path) -> dict[str, tuple[float, float, float]]:
    """Median figures of `runs` cold runs (each with an empty cache) and warm runs."""
    results: dict[str, list[tuple[float, float, float]]] = {"cold": [], "warm": []}
    for run in range(runs):
        folder = cache / f"run-{run}"
        installed(folder)
        env = {**os.environ, "NARRATIVE_QA_CACHE": str(folder)}
        env.pop("NARRATIVE_QA_PROCESSES", None)  # the default a user gets (two from 200 texts)
        command, stdin = make()
        results["cold"].append(measure(command, env, stdin))
        results["warm"].append(measure(command, env, stdin))
    return {k: tuple(statistics.median(r[i] for r in v) for i in range(3))  # type: ignore
            for k, v in results.items()}


def row(name: str, cold: str, warm: str, target: str, met: bool | None) -> None:
    verdict = "" if met is None else ("met" if met else "NOT MET")
    print(f"  {name:<30}{cold:>12}{warm:>12}   {target:<24}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--large", type=int, default=0, help="rows to stream (0: skip)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="nq-bench-cold-") as tmp:
        root = Path(tmp)
        current, previous = write_quarter(args.n, root)
        spacy = statistics.median(
            measure([sys.executable, "-c", SPACY_PARSE, str(current), str(previous)],
                    dict(os.environ))[0] for _ in range(args.runs))
        quarter = cold_then_warm(lambda: ([str(EXE), "score", str(current), "--previous",
                                           str(previous), "--out", str(root / "o.jsonl"),
                                           "--quiet"], None), args.runs, root / "q")
        check = cold_then_warm(lambda: ([str(EXE), "check", "-", "--target", "60", "--actual",
                                         "51", "--previous-actual", "55", "--polarity", "up",
                                         "--unit", "%"], DRAFT), args.runs, root / "c")
        print(f"\n{'':<32}{'cold':>12}{'warm':>12}   target")
        from narrative_qa.language.nlp import processes_for

        used = processes_for(2 * args.n)
        print(f"quarter of {args.n} with previous (`score`, {used} process"
              f"{'es' if used > 1 else ''} by default); one-process spaCy "
              f"parse of the same texts, new process: {spacy:.1f} s")
        (cw, cc, cp), (ww, wc, wp) = quarter["cold"], quarter["warm"]
        row("wall", f"{cw:.1f} s", f"{ww:.1f} s", "", None)
        row("wall / spaCy parse", f"{cw / spacy:.2f}x", f"{ww / spacy:.2f}x",
            "cold at most 1.5x", cw / spacy <= 1.5)
        row("cpu / wall (cores busy)", f"{cc / cw:.2f}", f"{wc / ww:.2f}", "at least 1.7",
            cc / cw >= 1.7)
        row("peak, largest process", f"{cp:.0f} MB", f"{wp:.0f} MB", "", None)
        print("`check` of a deteriorating KPI (one draft)")
        (cw, _, cp), (ww, _, wp) = check["cold"], check["warm"]
        row("wall", f"{cw:.2f} s", f"{ww:.2f} s", "cold at most 2 s", cw <= 2)
        row("peak", f"{cp:.0f} MB", f"{wp:.0f} MB", "cold at most 400 MB", cp <= 400)
        if args.large:
            big = root / "big.jsonl"
            write_rows(big, args.large)
            large = cold_then_warm(lambda: ([str(EXE), "score", str(big), "--out",
                                             str(root / "big-out.jsonl"), "--quiet"], None),
                                   1, root / "l")
            (cw, _, cp), (ww, _, wp) = large["cold"], large["warm"]
            print(f"{args.large:,} rows streamed (`score`, processes by default)")
            row("wall", f"{cw:.0f} s", f"{ww:.0f} s", "", None)
            row("peak, largest process", f"{cp:.0f} MB", f"{wp:.0f} MB", "at most 600 MB",
                max(cp, wp) <= 600)
    print(f"\nload average {os.getloadavg()[0]:.2f} at end (other work on the machine "
          "skews these figures; the figures of one run are comparable with each other)")


if __name__ == "__main__":
    main()
