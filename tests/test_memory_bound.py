"""Memory follows the chunk, not the file: small encoder batches, freed memory handed back
after each chunk, and every cache keyed by text bounded. (Figures: bench/bench_large.py.)"""

from __future__ import annotations

import importlib
from functools import _lru_cache_wrapper
from pathlib import Path

import numpy as np

import narrative_qa
import narrative_qa.api as api
import narrative_qa.language.embeddings as embeddings
from tests.conftest import Q1, Q2


class _Encoder:
    def __init__(self):
        self.batch_sizes: list[int] = []

    def encode(self, texts, batch_size, **_):
        self.batch_sizes.append(batch_size)
        return np.ones((len(texts), embeddings.DIMENSIONS), dtype=np.float32)


def test_the_encoder_is_given_small_batches(monkeypatch):
    # At 64 texts of 256 tokens one layer's attention alone is 200 MB.
    encoder = _Encoder()
    monkeypatch.setattr(embeddings, "get_encoder", lambda: encoder)
    vectors = embeddings.Embedder(use_cache=False).embed([f"text {i}" for i in range(40)])
    assert vectors.shape == (40, embeddings.DIMENSIONS)
    assert encoder.batch_sizes and all(size <= 16 for size in encoder.batch_sizes)


def test_freed_memory_is_handed_back_after_every_chunk(monkeypatch, tmp_path, settings):
    calls: list[int] = []
    written: list[int] = []
    monkeypatch.setattr(api, "return_freed_memory", lambda: calls.append(len(written)))
    summary = api.score_to_file(Q2, tmp_path / "out.jsonl", Q1, settings=settings,
                                chunk_size=7, on_chunk=lambda chunk: written.append(len(chunk)))
    assert summary.rows == 40
    assert len(written) == 6  # 40 rows, 7 at a time
    assert calls == list(range(1, 7))  # once after each chunk, before the next is assessed


def test_returning_freed_memory_is_safe_to_call_repeatedly():
    for _ in range(3):
        embeddings.return_freed_memory()


def _lru_caches():
    root = Path(narrative_qa.__file__).parent  # some sub-packages have no __init__.py
    # (the web app and alembic migrations, run only by their hosts, are left out)
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if "web" in parts or "migrations" in parts or parts[-1] == "__main__":
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        module = importlib.import_module(name)
        for attribute, value in vars(module).items():
            if isinstance(value, _lru_cache_wrapper) and value.__module__ == name:
                yield f"{name}.{attribute}", value


def test_every_lru_cache_in_the_package_is_bounded():
    caches = dict(_lru_caches())
    assert "narrative_qa.language.wording.normalise" in caches  # the walk finds them
    unbounded = [name for name, cache in caches.items()
                 if cache.cache_parameters()["maxsize"] is None]
    assert unbounded == []
