import shutil

import numpy as np
import pytest

from narrative_qa.errors import ConfigError
from narrative_qa.language.embeddings import (
    Embedder,
    EmbeddingCache,
    model_dir,
    verify_model,
)


def test_embedding_model_matches_its_recorded_hashes():
    verify_model()


def test_a_tampered_embedding_model_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    (copy / "config.json").write_text("{}")
    with pytest.raises(ConfigError, match="NQE012.*config.json"):
        verify_model(copy)


def test_embeddings_are_normalised_and_cached_by_content(tmp_path):
    cache = EmbeddingCache(tmp_path / "e.sqlite")
    first = Embedder(cache)
    texts = ["We will recruit two social workers.", "Uptake rose to 88%.",
             "We will recruit two social workers."]
    vectors = first.embed(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert first.encoded == 2  # the repeated text is embedded once
    second = Embedder(EmbeddingCache(tmp_path / "e.sqlite"))
    again = second.embed(texts)
    assert second.encoded == 0 and np.allclose(again, vectors)
    similar = float(vectors[0] @ second.embed(["Two social workers will be recruited."])[0])
    unrelated = float(vectors[0] @ vectors[1])
    assert similar > 0.8 > unrelated


def test_a_forked_child_never_loads_the_encoder_it_reads_the_cache(tmp_path, monkeypatch):
    """The encoder's thread pools do not survive a fork: a split_batch child that would
    embed fails instead (its parent then scores its share), but it may read the cache."""
    from narrative_qa.language import embeddings

    cache = EmbeddingCache(tmp_path / "e.sqlite")
    Embedder(cache).embed(["Uptake rose to 88%."])
    monkeypatch.setattr(embeddings, "FORKED", [True])
    child = Embedder(cache)
    assert child.embed(["Uptake rose to 88%."]).shape == (1, 384)
    with pytest.raises(RuntimeError, match="forked child"):
        child.embed(["A text nobody embedded."])
    assert child.encoded == 0
