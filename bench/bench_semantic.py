"""The full pipeline (spaCy, embeddings, rules, learned gates) against its compute floor.

    .venv/bin/python bench/bench_semantic.py [--n 400]

In one run over the same texts it prints:
- the floor: spaCy's nlp.pipe over every text the pipeline parses, plus embedding exactly
  the texts the pipeline embeds, with the model already loaded and no cache;
- the pipeline's submissions/s (assess_batch with semantic comparison and gates, no cache)
  and its rate as a share of the floor's (target: at least 85%);
- the wall time of `narrative-qa score` on a 200-submission quarter from a cold start
  (new process, empty embedding cache; target: at most 15 s), then again with the cache.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import replicate  # noqa: E402


def texts_to_embed(submissions, analyses, settings, gated_codes, ungated) -> list[str]:
    """The texts the engine embeds: its comparison set, then the gates' inputs."""
    from narrative_qa.catalogue import load_catalogue
    from narrative_qa.engine import build_contexts, wanted_embedded

    contexts = build_contexts(submissions, analyses, settings)
    texts = dict.fromkeys(wanted_embedded(contexts, load_catalogue()))
    for assessment in ungated:
        if any(f.code in gated_codes for f in assessment.findings):
            texts[assessment.submission.narrative] = None
    return list(texts)


def quarter_wall_time(n: int, cache_dir: str) -> float:
    submissions, _ = replicate(n)
    rows = [{**s.fields(), "kpi_id": s.kpi_id} for s in submissions]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "quarter.jsonl"
        source.write_text("\n".join(json.dumps(r) for r in rows))
        exe = Path(sys.executable).with_name("narrative-qa")
        env = {**os.environ, "NARRATIVE_QA_CACHE": cache_dir}
        start = time.perf_counter()
        subprocess.run([str(exe), "score", str(source), "--out", str(Path(tmp) / "o.jsonl"),
                        "--quiet"], env=env, check=False, capture_output=True)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    args = parser.parse_args()

    import narrative_qa.language.embeddings as embeddings
    from narrative_qa.engine import _analyse_all, assess_batch
    from narrative_qa.gates import load_gates
    from narrative_qa.language.embeddings import Embedder, get_encoder
    from narrative_qa.language.nlp import get_nlp

    submissions, settings = replicate(args.n)
    nlp, encoder = get_nlp(), get_encoder()  # both loaded outside every timing
    list(nlp.pipe(["Warm up."]))
    encoder.encode(["Warm up."])

    # The pipeline, with a fresh uncached embedder so nothing is free.
    uncached = Embedder(use_cache=False)
    embeddings.default_embedder = lambda: uncached
    start = time.perf_counter()
    assess_batch(submissions, settings)
    pipeline_seconds = time.perf_counter() - start
    pipeline_encoded = uncached.encoded

    # The floor over the same texts.
    parsed = list(dict.fromkeys([s.narrative for s in submissions]
                                + [s.previous_narrative for s in submissions]))
    start = time.perf_counter()
    for _ in nlp.pipe(parsed, batch_size=64):
        pass
    spacy_seconds = time.perf_counter() - start
    analyses = _analyse_all(submissions)
    ungated = assess_batch(submissions, settings, gates=False)
    embedded = texts_to_embed(submissions, analyses, settings, set(load_gates()), ungated)
    start = time.perf_counter()
    encoder.encode(embedded, batch_size=64, normalize_embeddings=True,
                   show_progress_bar=False)
    embed_seconds = time.perf_counter() - start
    floor_seconds = spacy_seconds + embed_seconds

    n = len(submissions)
    print(f"submissions: {n:,}; texts parsed: {len(parsed):,}; texts embedded: "
          f"{len(embedded):,} (the pipeline embedded {pipeline_encoded:,})")
    print(f"floor: spaCy {spacy_seconds:.1f} s + embeddings {embed_seconds:.1f} s = "
          f"{floor_seconds:.1f} s = {n / floor_seconds:.1f} submissions/s")
    print(f"pipeline: {pipeline_seconds:.1f} s = {n / pipeline_seconds:.1f} submissions/s = "
          f"{floor_seconds / pipeline_seconds:.0%} of the floor's rate (target: at least 85%)")
    with tempfile.TemporaryDirectory() as cache:
        cold = quarter_wall_time(200, cache)
        warm = quarter_wall_time(200, cache)
    print(f"`narrative-qa score`, 200 submissions, new process: {cold:.1f} s with an empty "
          f"cache, {warm:.1f} s with the cache (target: at most 15 s)")


if __name__ == "__main__":
    main()
