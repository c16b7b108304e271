"""The sentence-embedding options side by side, on real-corpus sentences (issue 17).

    .venv/bin/python bench/bench_embedders.py [--records 400] [--pairs 3000]

Reads ../shared/corpus/real.jsonl at run time (nothing is copied), takes the sentences of
the narratives and previous narratives of `--records` records, and pairs each sentence of a
narrative with each of its previous narrative's (the comparison NQ01, NQ03 and NQ11 make),
up to `--pairs` pairs. Each option then runs in a new process and prints:
- import + load: seconds from the process's start until the model can encode, and peak RSS;
- sentences/s encoding every sentence (batches of 16, one process);
- agreement with today's MiniLM (sentence-transformers) on the pairs' cosine similarities:
  Pearson r, mean and largest |difference|, and the share of pairs on the same side of each
  similarity threshold in rules/ (0.5, 0.7, 0.85, 0.9, 0.95).

The options: (a) MiniLM through ONNX Runtime, as exported by the product
(narrative_qa/language/minilm_onnx.py), and the same quantised to int8; (b) a static
embedding distilled from the local MiniLM with model2vec (needs `pip install
"model2vec[distill]"`: skipped otherwise). Option (c), embedding only what a detector needs,
is the engine's behaviour already (a `check` whose rules embed nothing loads no encoder):
bench_cold.py measures both kinds of check.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

THRESHOLDS = (0.5, 0.7, 0.85, 0.9, 0.95)
# Loads one option, encodes the sentences, prints its figures as JSON.
CHILD = r"""
import json, sys, time
start = time.perf_counter()
kind, artefact, sentences, out = sys.argv[1:5]
import numpy as np
if kind == "sentence-transformers":
    from narrative_qa.language.embeddings import get_torch_encoder
    model = get_torch_encoder()
    encode = lambda texts: model.encode(texts, batch_size=16, normalize_embeddings=True,
                                        convert_to_numpy=True, show_progress_bar=False)
elif kind.startswith("onnx"):
    from pathlib import Path
    from narrative_qa.language.embeddings import model_dir
    from narrative_qa.language.minilm_onnx import OnnxEncoder
    model = OnnxEncoder(Path(artefact), model_dir())
    encode = lambda texts: model.encode(texts, batch_size=16)
else:
    from model2vec import StaticModel
    model = StaticModel.from_pretrained(artefact)
    def encode(texts):
        v = model.encode(texts, batch_size=16)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
encode(["Warm up."])
loaded = time.perf_counter() - start
texts = json.load(open(sentences, encoding="utf-8"))
begin = time.perf_counter()
vectors = np.asarray(encode(texts), dtype=np.float32)
seconds = time.perf_counter() - begin
np.save(out, vectors)
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across fork + exec
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM")) / 1024
print(json.dumps({"load": loaded, "rate": len(texts) / seconds, "peak": peak}))
"""


def corpus_pairs(records: int, pairs: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Real sentences and (narrative sentence, previous narrative sentence) index pairs."""
    from narrative_qa.real_corpus import read_corpus, sentence_spans

    sentences: dict[str, int] = {}
    found: list[tuple[int, int]] = []

    def index(text: str) -> int:
        return sentences.setdefault(text, len(sentences))

    rows = sorted((r for r in read_corpus() if r.get("narrative") and r.get("previous_narrative")),
                  key=lambda r: r["narrative_sha256"])[:records]
    for row in rows:
        now, before = ([s.of(row[k]) for s in sentence_spans(row[k]) if s.end - s.start > 3]
                       for k in ("narrative", "previous_narrative"))
        found.extend((index(a), index(b)) for a in now for b in before)
    step = max(1, len(found) // pairs)
    return list(sentences), found[::step][:pairs]


def prepare(root: Path) -> dict[str, str]:
    """The artefact of each option (built once, outside every timing)."""
    from narrative_qa.language.embeddings import _torch_vectors, model_dir, model_id
    from narrative_qa.language.minilm_onnx import export

    options = {"sentence-transformers": ""}
    fp32 = export(root / "minilm.onnx", model_dir(), model_id(), _torch_vectors)
    options["onnx fp32"] = str(fp32)
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        int8 = root / "minilm-int8.onnx"
        quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
        options["onnx int8"] = str(int8)
    except ImportError as exc:
        print(f"onnx int8 skipped: {exc}")
    try:
        from model2vec.distill import distill

        static = distill(model_name=str(model_dir()), pca_dims=256)
        static.save_pretrained(str(root / "model2vec"))
        options["model2vec (distilled)"] = str(root / "model2vec")
    except Exception as exc:  # noqa: BLE001 - an optional extra; say why and go on
        print(f"model2vec skipped: {type(exc).__name__}: {exc}")
    return options


def agreement(reference: np.ndarray, vectors: np.ndarray,
              pairs: list[tuple[int, int]]) -> dict[str, float]:
    a, b = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    expected = np.sum(reference[a] * reference[b], axis=1)
    got = np.sum(vectors[a] * vectors[b], axis=1)
    diff = np.abs(got - expected)
    same = [float(np.mean((got >= t) == (expected >= t))) for t in THRESHOLDS]
    return {"r": float(np.corrcoef(expected, got)[0, 1]), "mean": float(diff.mean()),
            "max": float(diff.max()), "same_side": min(same)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=400)
    parser.add_argument("--pairs", type=int, default=3000)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}; load average {os.getloadavg()[0]:.2f} at start")
    os.environ["TQDM_DISABLE"] = "1"  # model2vec's distillation reports its progress
    sentences, pairs = corpus_pairs(args.records, args.pairs)
    print(f"{len(sentences):,} real sentences, {len(pairs):,} pairs (narrative x previous)")
    with tempfile.TemporaryDirectory(prefix="nq-bench-embedders-") as tmp:
        root = Path(tmp)
        (root / "sentences.json").write_text(json.dumps(sentences), encoding="utf-8")
        options = prepare(root)
        env = {**os.environ, "NARRATIVE_QA_PROCESSES": "1", "TQDM_DISABLE": "1"}
        figures, vectors = {}, {}
        for name, artefact in options.items():
            out = root / f"{len(figures)}.npy"
            done = subprocess.run([sys.executable, "-c", CHILD, name, artefact,
                                   str(root / "sentences.json"), str(out)], env=env,
                                  capture_output=True, text=True)
            if done.returncode:
                print(f"{name} failed: {done.stderr[-1500:]}")
                continue
            figures[name] = json.loads(done.stdout.strip().splitlines()[-1])
            vectors[name] = np.load(out)
    reference = vectors["sentence-transformers"]
    print(f"\n{'option':<24}{'import+load':>12}{'peak':>9}{'sent/s':>9}{'r':>10}"
          f"{'mean |d|':>10}{'max |d|':>10}{'same side':>11}")
    for name, f in figures.items():
        agree = agreement(reference, vectors[name], pairs)
        print(f"{name:<24}{f['load']:>10.2f} s{f['peak']:>6.0f} MB{f['rate']:>9.0f}"
              f"{agree['r']:>10.6f}{agree['mean']:>10.1e}{agree['max']:>10.1e}"
              f"{agree['same_side']:>10.1%}")
    print("targets (issue 17): a cold `check` at most 2 s and 400 MB in all, so the encoder's "
          "import+load well under 1 s and 250 MB; agreement: every threshold in rules/ "
          "decided as today (same side 100%)")
    print(f"load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
