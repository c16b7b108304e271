"""tools/reader_finetune.py: only the top layers learn, the result is reproducible, and the
readers it compares read with the fine-tuned vectors."""

from __future__ import annotations

import numpy as np
import pytest

from tools import reader_finetune

# Sentences of the team's own writing, two tags: a challenge and a planned action.
TEXTS = [
    "Staff sickness in the team has reduced the number of assessments completed.",
    "We will recruit two social workers by March to clear the waiting list.",
    "Demand rose sharply after the winter, and the team could not keep pace.",
    "A weekly tracker will be introduced in April to follow overdue reviews.",
]
TAGS = np.array([[1, 0], [0, 1], [1, 0], [0, 1]])


@pytest.fixture(scope="module")
def tuned_twice():
    pytest.importorskip("torch")
    from transformers import AutoModel, AutoTokenizer

    from narrative_qa.language.embeddings import model_dir

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir()))
    runs = [reader_finetune.fine_tune(TEXTS, TAGS, tokenizer, layers=2, epochs=2, rate=1e-3)
            for _ in range(2)]
    return tokenizer, runs, AutoModel.from_pretrained(str(model_dir()))


def test_only_the_top_layers_move(tuned_twice):
    _, (tuned, _), original = tuned_twice
    before = dict(original.named_parameters())
    moved = {name for name, p in tuned.encoder.named_parameters()
             if not np.array_equal(p.detach().numpy(), before[name].detach().numpy())}
    assert moved, "fine-tuning changed nothing"
    assert all(name.startswith(("encoder.layer.4.", "encoder.layer.5.")) for name in moved)


def test_fine_tuning_twice_gives_the_same_vectors(tuned_twice):
    tokenizer, (first, second), _ = tuned_twice
    a, pa = reader_finetune.embed(first, tokenizer, TEXTS)
    b, pb = reader_finetune.embed(second, tokenizer, TEXTS)
    assert np.array_equal(a, b) and np.array_equal(pa, pb)
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    assert pa.shape == (len(TEXTS), TAGS.shape[1])


def test_tuned_readers_read_with_the_fine_tuned_vectors_not_the_batch_ones():
    from narrative_qa.language.readers import load_readers

    readers = load_readers()
    tuned_vectors = np.eye(2, 384)
    tuned = reader_finetune.tuned_readers(readers, lambda texts: tuned_vectors[:len(texts)])
    batch_vectors = np.eye(2, 384, k=5)
    assert np.array_equal(tuned.read(TEXTS[:2], batch_vectors),
                          readers.read(TEXTS[:2], tuned_vectors))
    assert not np.array_equal(tuned.read(TEXTS[:2], batch_vectors),
                              readers.read(TEXTS[:2], batch_vectors))
