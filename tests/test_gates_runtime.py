"""The learned gates at run time: plain arrays checked by sha256, no scikit-learn."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import numpy as np
import pytest

from narrative_qa.confidence import load_calibration
from narrative_qa.errors import ConfigError
from narrative_qa.gates import MODELS_DIR, gated_codes, load_gates, rule_features
from tests.conftest import ROOT

DRAFT = ("Performance is 68% against a target of 80%. The service will introduce a duty "
         "worker rota by November 2025, which is expected to return performance to 80% by "
         "March 2026.")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Gates trained on the written corpus alone, every one kept whatever dev says. On real
    text no gate earns its place, so models/ ships none (see the model card), and on the
    written dev split whether one does turns on a record or two; the mechanism is tested
    on these."""
    from narrative_qa.config import load_settings
    from narrative_qa.measure import learning

    out = tmp_path_factory.mktemp("gates")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(learning, "corpus_available", lambda: False)
        patch.setattr(learning, "beats_rules", lambda gated, rules: True)
        learning.train(ROOT / "corpus" / "labelled.jsonl", load_settings(), out)
    load_gates.cache_clear()
    learning.load_card.cache_clear()
    return out


def test_models_ship_no_gate_since_none_beat_the_rules_on_real_text():
    card = json.loads((MODELS_DIR / "card.json").read_text())
    assert gated_codes() == frozenset() and load_gates() == {}
    for code, row in card["findings"].items():
        real = row["real_train_dev"]
        assert row["path"] == "rules", code
        assert (real["gate"]["f1"] < real["rules"]["f1"]
                or real["gate"]["precision"] <= real["rules"]["precision"]
                or row["dev"]["gate"]["f1"] <= row["dev"]["rules"]["f1"]), code


@pytest.mark.training
def test_gates_give_scikit_learns_probabilities_on_real_inputs(settings, trained):
    import joblib

    from narrative_qa.engine import assess_batch
    from narrative_qa.language.embeddings import default_embedder
    from narrative_qa.measure.metrics import load_labelled

    card = json.loads((trained / "card.json").read_text())
    pipelines = joblib.load(trained / card["gates"]["pipelines"])["models"]
    gates = load_gates.__wrapped__(trained)
    assert set(gates) == set(pipelines) and gates
    items = [i for i in load_labelled(ROOT / "corpus" / "labelled.jsonl", settings)
             if i.split == "dev"]
    assessments = assess_batch([i.submission for i in items], settings, gates=False)
    embedded = default_embedder().embed([i.submission.narrative for i in items])
    for code, gate in gates.items():
        rows = np.stack([np.hstack([rule_features(a, (code,))[code], vector])
                         for a, vector in zip(assessments, embedded, strict=True)])
        expected = pipelines[code].predict_proba(rows)
        got = gate.predict_proba(rows)
        assert np.abs(expected - got).max() <= 1e-9, code
        assert expected[:, 1].std() > 0.05  # real inputs: the probabilities vary


@pytest.mark.training
def test_a_gates_file_that_does_not_match_its_hash_is_refused(tmp_path, trained):
    for name in ("card.json", "gates.npz"):
        shutil.copy(trained / name, tmp_path / name)
    assert load_gates.__wrapped__(tmp_path)  # the copy loads
    data = bytearray((tmp_path / "gates.npz").read_bytes())
    data[-30] ^= 1
    (tmp_path / "gates.npz").write_bytes(bytes(data))
    with pytest.raises(ConfigError) as caught:
        load_gates.__wrapped__(tmp_path)
    assert caught.value.code == "NQE070" and "gates.npz" in str(caught.value)


def test_a_cold_check_calibrates_its_findings_without_importing_scikit_learn(tmp_path):
    """sentence-transformers imports scikit-learn itself, so the draft's embedding is put
    in the cache first (as after any earlier check of it): calibration must add no
    import."""
    from narrative_qa.language.embeddings import default_embedder

    default_embedder().embed([DRAFT])  # the cache the subprocess inherits (conftest)
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT)
    script = (
        "import sys\n"
        "from narrative_qa.cli import app\n"
        f"args = ['check', {str(draft)!r}, '--format', 'json', '--kpi-name',\n"
        "        '% of unpaid work placements commenced within 7 days', '--target', '80',\n"
        "        '--actual', '68', '--previous-actual', '74', '--unit', '%',\n"
        "        '--polarity', 'up']\n"
        "try:\n"
        "    app(args)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('SKLEARN' if 'sklearn' in sys.modules else 'NO-SKLEARN', file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert "NO-SKLEARN" in done.stderr, done.stderr[-2000:]
    record = json.loads(done.stdout)
    codes = {f["code"] for f in record["findings"]}
    assert codes, record  # findings were raised, so calibration ran on them
    calibrated = load_calibration()
    assert all(f["code"] in calibrated and 0 < f["confidence"] < 1
               for f in record["findings"])
