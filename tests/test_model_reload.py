"""Models saved during training are the ones read next in the same process.

`narrative-qa train` trains the readers, then the pair model and the confidence, which read
with them: a model loaded before it was retrained must not be read afterwards, or one run
of `train` does not reproduce what it ships."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from narrative_qa.language.pairs import load_pair_model, save_pair_model
from narrative_qa.language.readers import load_readers, save_readers
from narrative_qa.resources import MODELS_DIR


def test_saved_readers_replace_those_loaded_before(tmp_path: Path) -> None:
    shipped = load_readers(MODELS_DIR)
    save_readers(shipped, tmp_path, {})
    assert load_readers(tmp_path).thresholds.tolist() == shipped.thresholds.tolist()
    changed = dataclasses.replace(shipped, thresholds=shipped.thresholds * 0 + 0.5)
    save_readers(changed, tmp_path, {})
    assert load_readers(tmp_path).thresholds.tolist() == [0.5] * len(shipped.tags)


def test_a_saved_pair_model_replaces_the_one_loaded_before(tmp_path: Path) -> None:
    shipped = load_pair_model(MODELS_DIR)
    save_pair_model(shipped, tmp_path, {})
    assert load_pair_model(tmp_path).threshold == shipped.threshold
    save_pair_model(dataclasses.replace(shipped, threshold=0.123), tmp_path, {})
    assert load_pair_model(tmp_path).threshold == 0.123
