import shutil

import pytest

from narrative_qa.errors import ConfigError
from narrative_qa.language.nlp import EXCLUDE, get_nlp, model_dir, verify_model


def test_installed_model_matches_its_recorded_hashes():
    verify_model()  # raises NQE012 on any difference


def test_a_tampered_model_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(model_dir(), copy)
    (copy / "meta.json").write_text("{}")
    with pytest.raises(ConfigError, match="NQE012.*meta.json"):
        verify_model(copy)


def test_pipeline_is_loaded_once_without_ner():
    nlp = get_nlp()
    assert nlp is get_nlp()
    assert not set(EXCLUDE) & set(nlp.pipe_names)
    assert "nq_newline_boundaries" in nlp.pipe_names
