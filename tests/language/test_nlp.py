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


def test_spacy_is_imported_without_its_cli_which_stays_usable():
    """spaCy's CLI (about 0.14 s of a cold start's one busy core) is not imported with
    spaCy; `spacy.info` and `import spacy.cli` still give the real thing afterwards."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from narrative_qa.language.nlp import get_nlp\n"
        "doc = get_nlp()('Staff started in May. Waits fell.')\n"
        "assert len(list(doc.sents)) == 2\n"
        "assert 'spacy.cli' not in sys.modules and 'spacy.cli.info' not in sys.modules\n"
        "import spacy\n"
        "assert spacy.info()['spacy_version'] == spacy.__version__\n"
        "import spacy.cli\n"
        "assert callable(spacy.cli.download) and 'torch' not in sys.modules\n"
        "print('ok')\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("ok")


def test_the_tokenizer_is_the_models_saved_one_in_full():
    """The pipeline starts from an empty tokenizer that the model's saved tokenizer fills
    (0.05 s less of a cold start): its rules and special cases are the model's, and text
    splits exactly as with spaCy's own loading."""
    import spacy

    from narrative_qa.language import nlp as nlp_module

    ours = nlp_module.get_nlp()
    theirs = spacy.load(nlp_module.model_dir(), exclude=list(nlp_module.EXCLUDE))
    assert ours.config["nlp"]["tokenizer"]["@tokenizers"] == nlp_module.BARE_TOKENIZER
    assert ours.tokenizer.rules == theirs.tokenizer.rules and len(ours.tokenizer.rules) > 1000
    for attribute in ("prefix_search", "suffix_search", "infix_finditer", "token_match",
                      "url_match"):  # bound methods of compiled patterns: the same regex
        mine, model = (getattr(t.tokenizer, attribute) for t in (ours, theirs))
        regex = [(m.__self__.pattern, m.__self__.flags) if m else None for m in (mine, model)]
        assert regex[0] == regex[1]
    text = ("Q3 2025/26: 85% (n=1,204) vs. 78.5% in Q2; DTOC down 12 w.e.f. 1st Oct. "
            "Can't recruit 3.5 WTE - see https://example.org/kpi?id=7 & e-mail a.b@c.uk. "
            "It's £1.2m (c.£300k) over budget, e.g. locums; don't/won't 24/7 U.K. Mr. O'Neil.")
    assert [t.text for t in ours.tokenizer(text)] == [t.text for t in theirs.tokenizer(text)]
