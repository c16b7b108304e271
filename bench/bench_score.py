"""Throughput of the rule engine against spaCy's own nlp.pipe over the same texts, in one run.

The rules alone: no embeddings and no learned gates (bench_semantic.py measures the full
pipeline against its floor).

    .venv/bin/python bench/bench_score.py [--n 2000]

Prints submissions/s for the whole engine, the seconds spaCy's nlp.pipe alone takes over
the same texts (narratives and previous narratives), the engine's overhead on top of it,
and the cold-start wall time of `narrative-qa check` on one draft.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "narrative_qa" / "data" / "sample"


def replicate(n: int):
    from narrative_qa.config import load_settings
    from narrative_qa.previous import join_previous
    from narrative_qa.reading.records import read_submissions

    settings = load_settings()
    current, _ = read_submissions(SAMPLE / "qpr-2025-26-Q2.xlsx", settings)
    previous, _ = read_submissions(SAMPLE / "qpr-2025-26-Q1.xlsx", settings)
    join_previous(current, previous)
    copies = []
    for i in range(n):
        base = current[i % len(current)]
        # A distinct closing sentence per copy so no text is parsed only once.
        tag = f" Reference {i}."
        copies.append(replace(
            base, kpi_id=f"{base.kpi_id}-{i}", narrative=base.narrative + tag,
            previous_narrative=(base.previous_narrative or "") + tag, problems=[]))
    return copies, settings


def cold_start_check(runs: int = 3) -> float:
    exe = Path(sys.executable).with_name("narrative-qa")
    draft = "Recruitment remains a challenge. We will introduce a new rota soon."
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(exe), "check", "-", "--target", "60", "--actual", "51"],
                       input=draft, text=True, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()

    from narrative_qa.engine import assess_batch
    from narrative_qa.language.nlp import get_nlp

    submissions, settings = replicate(args.n)
    nlp = get_nlp()  # loaded once, outside both timings
    list(nlp.pipe(["Warm up the pipeline."]))
    texts = [s.narrative for s in submissions] + [s.previous_narrative for s in submissions]
    words = sum(len(t.split()) for t in texts)

    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    spacy_seconds = time.perf_counter() - start

    start = time.perf_counter()
    assessments = assess_batch(submissions, settings, semantic=False, gates=False)
    engine_seconds = time.perf_counter() - start

    findings = sum(len(a.findings) for a in assessments)
    overhead = (engine_seconds - spacy_seconds) / spacy_seconds
    print(f"submissions:                 {len(submissions):,} ({words:,} words incl. previous)")
    print(f"spaCy nlp.pipe, same texts:  {spacy_seconds:.1f} s")
    print(f"rule engine, all 11 rules:   {engine_seconds:.1f} s "
          f"= {len(submissions) / engine_seconds:.1f} submissions/s ({findings:,} findings)")
    print(f"engine overhead over spaCy:  {overhead:+.1%} (target: at most +25%)")
    print(f"cold start `narrative-qa check`, median of 3: {cold_start_check():.2f} s "
          "(target: at most 2 s; no semantic model needed)")


if __name__ == "__main__":
    main()
