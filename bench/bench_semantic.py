"""The full pipeline (spaCy, embeddings, rules, learned gates) against its compute floor.

    .venv/bin/python bench/bench_semantic.py [--n 400]

In one run over the same texts it prints:
- the floor: spaCy's nlp.pipe over every text the pipeline parses, plus embedding exactly
  the texts the pipeline embeds, with the model already loaded and no cache;
- the pipeline's submissions/s (assess_batch with semantic comparison and gates, no cache)
  with one parsing process and with two, side by side, each as a multiple of the one-process
  floor's rate (target: at least 1.6x with two processes).
The cold 200-submission quarter is bench_parallel.py's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_score import replicate  # noqa: E402


def texts_to_embed(submissions, settings, gated_codes, ungated) -> list[str]:
    """The texts the engine embeds: its comparison set, then the gates' inputs."""
    from narrative_qa.catalogue import load_catalogue
    from narrative_qa.detection import contexts_for, wanted_embedded

    contexts = contexts_for(submissions, settings)
    texts = dict.fromkeys(wanted_embedded(contexts, load_catalogue()))
    for assessment in ungated:
        if any(f.code in gated_codes for f in assessment.findings):
            texts[assessment.submission.narrative] = None
    return list(texts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    args = parser.parse_args()

    import narrative_qa.language.embeddings as embeddings
    from narrative_qa.engine import assess_batch
    from narrative_qa.gates import load_gates
    from narrative_qa.language.embeddings import Embedder, get_encoder
    from narrative_qa.language.nlp import get_nlp

    submissions, settings = replicate(args.n)
    nlp, encoder = get_nlp(), get_encoder()  # both loaded outside every timing
    list(nlp.pipe(["Warm up."]))
    encoder.encode(["Warm up."])

    # The pipeline, with a fresh uncached embedder each time so nothing is free.
    pipeline_seconds: dict[int, float] = {}
    for processes in (1, 2):
        uncached = Embedder(use_cache=False)
        embeddings.default_embedder = lambda uncached=uncached: uncached
        os.environ["NARRATIVE_QA_PROCESSES"] = str(processes)
        start = time.perf_counter()
        assess_batch(submissions, settings)
        pipeline_seconds[processes] = time.perf_counter() - start
        pipeline_encoded = uncached.encoded
    os.environ.pop("NARRATIVE_QA_PROCESSES")

    # The floor over the same texts.
    parsed = list(dict.fromkeys([s.narrative for s in submissions]
                                + [s.previous_narrative for s in submissions]))
    start = time.perf_counter()
    for _ in nlp.pipe(parsed, batch_size=64):
        pass
    spacy_seconds = time.perf_counter() - start
    ungated = assess_batch(submissions, settings, gates=False)
    embedded = texts_to_embed(submissions, settings, set(load_gates()), ungated)
    start = time.perf_counter()
    encoder.encode(embedded, batch_size=embeddings.ENCODE_BATCH, normalize_embeddings=True,
                   show_progress_bar=False)
    embed_seconds = time.perf_counter() - start
    floor_seconds = spacy_seconds + embed_seconds

    n = len(submissions)
    print(f"submissions: {n:,}; texts parsed: {len(parsed):,}; texts embedded: "
          f"{len(embedded):,} (the pipeline embedded {pipeline_encoded:,})")
    print(f"floor: spaCy {spacy_seconds:.1f} s + embeddings {embed_seconds:.1f} s = "
          f"{floor_seconds:.1f} s = {n / floor_seconds:.1f} submissions/s")
    one, two = pipeline_seconds[1], pipeline_seconds[2]
    print(f"{'pipeline':<22}{'1 process':>22}{'2 processes':>22}   target")
    print(f"{'seconds':<22}{one:>22.1f}{two:>22.1f}")
    print(f"{'submissions/s':<22}{n / one:>22.1f}{n / two:>22.1f}")
    print(f"{'rate / 1-process floor':<22}{floor_seconds / one:>21.2f}x"
          f"{floor_seconds / two:>21.2f}x   at least 1.6x with 2 processes")


if __name__ == "__main__":
    main()
