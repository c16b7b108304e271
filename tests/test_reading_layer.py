"""The reading layer (issue 15): learned sentence readers, used by NQ01 and NQ04.

Most tests give the detectors a tiny hand-made reader, so they check the mechanism (a
sentence read as a tag changes the finding, the probability becomes the confidence)
whatever the trained weights. The trained readers are checked for what must hold of any
training: numpy inference equals scikit-learn's, training reproduces models/ bit for bit,
and an altered file is refused before anything is scored. Narratives are invented.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from narrative_qa.api import check_draft
from narrative_qa.errors import ConfigError
from narrative_qa.language import readers as readers_module
from narrative_qa.language.readers import (
    READERS_CARD,
    READERS_FILE,
    Readers,
    load_readers,
    ngrams,
    tokens,
)
from narrative_qa.measure.corpus_format import TAGS
from narrative_qa.real_corpus import corpus_available
from narrative_qa.resources import MODELS_DIR
from narrative_qa.specs.tags import READ_TAGS

SCRA = {"kpi_id": "CS-07", "kpi_name": "% of new SCRA reports submitted within due date",
        "target": 60, "actual": 51, "previous_actual": 55, "unit": "%", "polarity": "up",
        "period": "2025/26 Q2"}


def toy_readers(word: str, tag: str, strength: float = 12.0) -> Readers:
    """A reader that reads `tag` in any sentence holding `word`, and nothing else."""
    coef = np.zeros((len(TAGS), 1))
    intercept = np.full(len(TAGS), -30.0)
    k = TAGS.index(tag)
    coef[k, 0], intercept[k] = strength, -6.0
    return Readers(tags=TAGS, vocabulary={word: 0}, idf=np.ones(1), coef=coef,
                   intercept=intercept, thresholds=np.full(len(TAGS), 0.5))


@pytest.fixture
def reads(monkeypatch):
    def use(word: str, tag: str, strength: float = 12.0) -> None:
        monkeypatch.setattr("narrative_qa.detectors.base.current_readers",
                            lambda: toy_readers(word, tag, strength))
    return use


def codes(result) -> dict:
    return {f.code: f for f in result.findings}


def test_figures_are_read_as_their_class_and_a_month_only_when_capitalised():
    assert tokens("By March 2026 we may reach 12% (£3.4m), up from 1,200 on 01/02/2025.") == [
        "by", "<month>", "<year>", "we", "may", "reach", "<pct>", "<money>", "up", "from",
        "<num>", "on", "<date>"]
    assert ngrams("Staff left.") == ["staff", "left", "staff left"]


def test_a_challenge_the_reader_hears_is_nq04_quoting_it_with_its_probability(reads):
    narrative = ("Compliance fell to 51%. The zorble situation held the team back this "
                 "quarter. We will recruit two social workers by December 2025, which should "
                 "return compliance to 60% by March 2026.")
    reads("zorble", "challenge_without_figure")
    found = codes(check_draft(narrative, **SCRA))
    assert "NQ04" in found
    assert found["NQ04"].evidence == ["The zorble situation held the team back this quarter."]
    # The reader's probability is the detector's score, which calibration reads
    # (confidence.py): features[0] is that score.
    assert found["NQ04"].features[0] == pytest.approx(1 / (1 + np.exp(-6.0)), abs=1e-3)
    reads("zorble", "challenge_without_figure", strength=7.4)  # a weaker reading ...
    weaker = codes(check_draft(narrative, **SCRA))["NQ04"]
    assert weaker.features[0] < found["NQ04"].features[0]  # ... a lower score
    assert weaker.confidence != found["NQ04"].confidence  # and another confidence
    reads("nothingsaysthis", "challenge_without_figure")
    assert "NQ04" not in codes(check_draft(narrative, **SCRA))


def test_a_sentence_read_as_referring_back_is_a_link_for_nq01(reads):
    narrative = ("Compliance is 51%. Two social workers left in July. We will recruit two "
                 "social workers by December 2025, which should return compliance to 60% by "
                 "March 2026. The blorp pattern matches the picture described before.")
    data = {**SCRA, "previous_narrative": "Compliance was 55%. Staff absence was high."}
    reads("nothingsaysthis", "reference_back")
    assert "NQ01" in codes(check_draft(narrative, **data))
    reads("blorp", "reference_back")
    assert "NQ01" not in codes(check_draft(narrative, **data))


def test_a_change_only_forecast_read_as_referring_back_is_not_a_link(reads):
    narrative = ("Compliance is 51%. It is low because two social workers left. We aim to "
                 "have improved to 60% by the end of Q4.")
    reads("aim", "reference_back")
    assert "NQ01" in codes(check_draft(narrative, **SCRA))
    reads("because", "reference_back")  # the same reader on a sentence that is no forecast
    assert "NQ01" not in codes(check_draft(narrative, **SCRA))


def test_a_year_ago_comparison_read_as_referring_back_is_not_a_link_to_last_narrative(reads):
    narrative = ("Compliance is 51%. Referrals rose to 412, blorp 6% above the same quarter "
                 "last year.")
    data = {**SCRA, "previous_narrative": "Compliance was 55%. Staff absence was high."}
    reads("blorp", "reference_back")
    assert "NQ01" in codes(check_draft(narrative, **data))


TRAINING_TEXTS = ["Staff vacancies held us back.", "We will recruit by March 2026.",
                  "Demand rose by 12% on last year.", "Sickness absence affected the team.",
                  "The new clinic opens in May.", "Referrals were 340, up from 300."] * 3
TRAINING_LABELS = np.array([1, 0, 1, 1, 0, 0] * 3)  # a challenge or not


def vectoriser_fitted():
    """The readers' own TF-IDF, fitted on TRAINING_TEXTS, and its matrix."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectoriser = TfidfVectorizer(analyzer=ngrams, sublinear_tf=True, min_df=2)
    return vectoriser, vectoriser.fit_transform(TRAINING_TEXTS)


def test_numpy_reading_equals_scikit_learn():
    from sklearn.linear_model import LogisticRegression

    vectoriser, x = vectoriser_fitted()
    labels = TRAINING_LABELS
    model = LogisticRegression(class_weight="balanced").fit(x, labels)
    coef = np.zeros((len(TAGS), x.shape[1]))
    intercept = np.full(len(TAGS), -30.0)
    coef[0], intercept[0] = model.coef_[0], model.intercept_[0]
    readers = Readers(TAGS, {str(t): int(i) for t, i in vectoriser.vocabulary_.items()},
                      vectoriser.idf_, coef, intercept, np.full(len(TAGS), 0.5))
    fresh = ["Vacancies and sickness held the team back.", "Nothing here is known."]
    assert np.allclose(readers.read(fresh)[:, 0],
                       model.predict_proba(vectoriser.transform(fresh))[:, 1])


def test_numpy_reading_with_meaning_equals_scikit_learn():
    """The readers weigh each sentence's embedding beside its n-grams, as trained."""
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression

    from narrative_qa.language.readers import meaning_vectors

    vectoriser, words = vectoriser_fitted()
    x = sparse.hstack([words, sparse.csr_matrix(meaning_vectors(TRAINING_TEXTS))]).tocsr()
    model = LogisticRegression(class_weight="balanced").fit(x, TRAINING_LABELS)
    width = words.shape[1]
    coef, meaning = np.zeros((len(TAGS), width)), np.zeros((len(TAGS), x.shape[1] - width))
    intercept = np.full(len(TAGS), -30.0)
    coef[0], meaning[0] = model.coef_[0][:width], model.coef_[0][width:]
    intercept[0] = model.intercept_[0]
    readers = Readers(TAGS, {str(t): int(i) for t, i in vectoriser.vocabulary_.items()},
                      vectoriser.idf_, coef, intercept, np.full(len(TAGS), 0.5), meaning)
    fresh = ["Our carers left and we could not fill the posts.", "Nothing here is known."]
    expected = model.predict_proba(sparse.hstack([
        vectoriser.transform(fresh), sparse.csr_matrix(meaning_vectors(fresh))]))[:, 1]
    assert np.allclose(readers.read(fresh)[:, 0], expected)
    # Given the vectors (the batch's embedding call), the same reading without embedding.
    given = meaning_vectors(fresh)
    assert np.allclose(readers.read(fresh, given)[:, 0], expected)
    # The meaning counts: a sentence none of whose words the reader knows is still read.
    assert readers.read(["Zorble quandle."])[0, 0] != pytest.approx(
        1 / (1 + np.exp(-intercept[0])))


def test_the_batch_embeds_the_sentences_the_readers_read(monkeypatch, settings):
    """With the semantic layer on, the reading layer's vectors come from the batch's one
    embedding call: the readers never embed a sentence themselves."""
    from narrative_qa.engine import assess_batch
    from narrative_qa.reading.records import submission_from_mapping

    def refuse(texts):
        raise AssertionError(f"the readers embedded {len(texts)} sentences themselves")

    monkeypatch.setattr(readers_module, "meaning_vectors", refuse)
    sub = submission_from_mapping({**SCRA, "narrative": (
        "Compliance fell to 51% as two posts stayed vacant. We will recruit two social "
        "workers by December 2025."), "previous_narrative": "Compliance was 55%."}, settings)
    assessed = assess_batch([sub], settings, processes=1)[0]
    assert assessed.verdict != "error"
    assert load_readers().meaning is not None


def test_an_altered_readers_file_is_refused_before_scoring(tmp_path):
    for name in (READERS_FILE, READERS_CARD):
        shutil.copy(MODELS_DIR / name, tmp_path / name)
    data = bytearray((tmp_path / READERS_FILE).read_bytes())
    data[-30] ^= 0xFF
    (tmp_path / READERS_FILE).write_bytes(bytes(data))
    with pytest.raises(ConfigError) as caught:
        load_readers(tmp_path)
    assert caught.value.code == "NQE070" and READERS_FILE in str(caught.value)
    (tmp_path / READERS_FILE).unlink()
    with pytest.raises(ConfigError) as missing:
        load_readers(tmp_path)
    assert missing.value.code == "NQE070"


def test_the_shipped_readers_read_every_tag_they_were_trained_for():
    readers = load_readers()
    assert readers.tags == READ_TAGS and readers.tags[:len(TAGS)] == TAGS
    probabilities = readers.read(["Two posts are vacant.", "We will recruit by March."])
    assert probabilities.shape == (2, len(READ_TAGS))
    assert len({round(float(p), 6) for p in probabilities.ravel()}) > 2  # not a constant


@pytest.mark.training
@pytest.mark.skipif(not corpus_available(),
                    reason="../shared/corpus/real.jsonl is not beside the project")
def test_training_reproduces_the_shipped_readers_bit_for_bit(tmp_path, settings):
    from narrative_qa.measure.reader_training import train_real_readers

    train_real_readers(tmp_path, settings)
    assert (tmp_path / READERS_FILE).read_bytes() == (MODELS_DIR / READERS_FILE).read_bytes()
    assert readers_module.load_readers(tmp_path).thresholds.shape == (len(READ_TAGS),)


def test_a_sentence_the_labellers_quote_for_a_finding_trains_its_evidence_reader():
    """Sentences.of: the labelled tags, then one column per EVIDENCE_CODES finding, 1
    where the labellers quoted the sentence as that finding's evidence."""
    from types import SimpleNamespace

    from narrative_qa.measure.metrics import Labelled
    from narrative_qa.measure.reader_training import Sentences
    from narrative_qa.measure.real_labels import RealLabels, SpanLabel

    text = "We will keep the rota. Waits rose."
    spans = [SpanLabel(0, 22, ("action_continuing",), ("NQ02", "NQ04")),
             SpanLabel(23, 34, ("figure_current",), ())]
    item = Labelled(submission=SimpleNamespace(narrative=text), labels={}, split="train",
                    real=RealLabels(family="written", spans=spans, actions=[]))
    sentences = Sentences.of([item])
    assert sentences.texts == ["We will keep the rota.", "Waits rose."]
    row = dict(zip(READ_TAGS, sentences.tags[0].tolist(), strict=True))
    assert row["action_continuing"] == 1 and row["evidence_NQ02"] == 1
    assert row["figure_current"] == 0 and len(READ_TAGS) == len(TAGS) + 1
    assert sentences.tags[1].tolist() == [int(t == "figure_current") for t in READ_TAGS]
