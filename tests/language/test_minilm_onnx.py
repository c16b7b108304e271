"""MiniLM through ONNX Runtime at run time: the same vectors as sentence-transformers, an
export checked against its record, no torch on the check path, and training kept on the
encoder models/ was trained with."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from narrative_qa.language import embeddings, minilm_onnx
from narrative_qa.language.embeddings import (
    RUNTIME,
    TRAINING,
    Embedder,
    EmbeddingCache,
    default_embedder,
    get_encoder,
    get_torch_encoder,
    model_id,
    runtime_model_path,
    training_vectors,
)
from tests.conftest import ROOT

TEXTS = ["We will recruit two social workers by March.", "Uptake rose to 88% this quarter.",
         "Staff sickness remains the main pressure on the service, as last quarter."]


def test_the_run_time_encoder_gives_sentence_transformers_vectors():
    onnx = get_encoder().encode(TEXTS, batch_size=2)
    torch = get_torch_encoder().encode(TEXTS, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False)
    assert onnx.shape == (3, embeddings.DIMENSIONS) and onnx.dtype == np.float32
    assert float(np.abs(onnx - torch).max()) < 1e-5


# Exporting imports torch and traces the network: seconds. The fast lane's session uses the
# export `make install` made (tests/conftest.py), checked against torch's vectors above.
@pytest.mark.slow
def test_an_export_made_anew_is_recorded_and_gives_sentence_transformers_vectors(tmp_path):
    path = minilm_onnx.onnx_path(tmp_path, model_id())
    assert not minilm_onnx.recorded(path, model_id())
    minilm_onnx.export(path, embeddings.model_dir(), model_id(), embeddings._torch_vectors)
    assert minilm_onnx.recorded(path, model_id())
    onnx = minilm_onnx.OnnxEncoder(path, embeddings.model_dir()).encode(TEXTS)
    torch = get_torch_encoder().encode(TEXTS, normalize_embeddings=True,
                                       convert_to_numpy=True, show_progress_bar=False)
    assert float(np.abs(onnx - torch).max()) < 1e-5


def test_an_altered_export_is_not_used(tmp_path):
    get_encoder()  # exported into this session's cache if need be
    copy = tmp_path / runtime_model_path().name
    shutil.copy(runtime_model_path(), copy)
    shutil.copy(minilm_onnx.record_path(runtime_model_path()),
                minilm_onnx.record_path(copy))
    assert minilm_onnx.recorded(copy, model_id())
    with copy.open("r+b") as handle:
        handle.seek(-100, 2)
        byte = handle.read(1)
        handle.seek(-100, 2)
        handle.write(bytes([byte[0] ^ 1]))
    assert not minilm_onnx.recorded(copy, model_id())
    record = json.loads(minilm_onnx.record_path(copy).read_text())
    shutil.copy(runtime_model_path(), copy)
    minilm_onnx.record_path(copy).write_text(json.dumps({**record, "weights": "other"}))
    assert not minilm_onnx.recorded(copy, model_id())  # made from other weights


def test_a_cold_check_that_embeds_never_imports_torch(tmp_path):
    """A draft checked against last quarter's narrative (NQ01, NQ03 and NQ11 compare them
    by embedding), with an empty embedding cache: the export is there (as after `make
    install`), torch and sentence-transformers are not imported."""
    get_encoder()
    cache = tmp_path / "cache"
    cache.mkdir()
    for path in (runtime_model_path(), minilm_onnx.record_path(runtime_model_path())):
        shutil.copy(path, cache / path.name)
    draft = tmp_path / "draft.txt"
    draft.write_text("Performance fell to 51% this quarter. Recruitment remains a challenge. "
                     "We will introduce a new rota soon.")
    previous = tmp_path / "previous.txt"
    previous.write_text("Performance was 55%. We are recruiting two social workers, who will "
                        "start in September and clear the backlog of reports.")
    script = (
        "import sys\n"
        "from narrative_qa.cli import app\n"
        f"args = ['check', {str(draft)!r}, '--format', 'json', '--target', '60',\n"
        "        '--actual', '51', '--previous-actual', '55', '--unit', '%',\n"
        f"        '--polarity', 'up', '--previous', {str(previous)!r}]\n"
        "try:\n"
        "    app(args)\n"
        "except SystemExit:\n"
        "    pass\n"
        "from narrative_qa.language.embeddings import default_embedder\n"
        "loaded = sorted(m for m in ('torch', 'sentence_transformers', 'transformers')\n"
        "                if m in sys.modules)\n"
        "print('ENCODED', default_embedder().encoded, 'LOADED', loaded, file=sys.stderr)\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NARRATIVE_QA_CACHE": str(cache)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    assert "LOADED []" in done.stderr, done.stderr[-2000:]
    encoded = int(done.stderr.split("ENCODED ", 1)[1].split()[0])
    assert encoded >= 1, done.stderr[-2000:]  # sentences were embedded, by ONNX
    assert json.loads(done.stdout)["findings"]


def test_training_embeds_with_sentence_transformers_under_its_own_cache_key(tmp_path):
    assert default_embedder().encoder == RUNTIME
    with training_vectors():
        assert default_embedder().encoder == TRAINING
    assert default_embedder().encoder == RUNTIME
    path = tmp_path / "e.sqlite"
    runtime = Embedder(EmbeddingCache(path))
    runtime.embed(TEXTS)
    training = Embedder(EmbeddingCache(path, encoder=TRAINING), encoder=TRAINING)
    vectors = training.embed(TEXTS)
    assert training.encoded == 3  # the run-time vectors are never taken for training's
    expected = get_torch_encoder().encode(TEXTS, normalize_embeddings=True,
                                          convert_to_numpy=True, show_progress_bar=False)
    assert np.array_equal(vectors, expected.astype(np.float32))


def test_the_encoders_threads_do_not_spin_between_runs():
    """Spinning threads would hold a core the other web worker or the parser needs."""
    options = get_encoder().session.get_session_options()
    for pool in ("intra_op", "inter_op"):
        assert options.get_session_config_entry(f"session.{pool}.allow_spinning") == "0"
