"""NQ07's action-KPI pair model (issue 15, item 3).

The detector's mechanism is checked with a tiny hand-made model (an action holding a
word is judged irrelevant), whatever the trained weights; the trained model is checked for
what must hold of any training: numpy inference equals scikit-learn's, training
reproduces models/ bit for bit, an altered file is refused, and the shipped model tells a
remedy that acts on the measure from one that does not. Narratives are invented.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from narrative_qa.api import check_draft
from narrative_qa.errors import ConfigError
from narrative_qa.language import pairs as pairs_module
from narrative_qa.language.pairs import (
    HAND_FEATURES,
    PAIRS_CARD,
    PAIRS_FILE,
    Cues,
    Pair,
    PairModel,
    hand_features,
    load_pair_model,
    names_low_relevance_activity,
)
from narrative_qa.measure.pair_training import (
    CARD_MARKERS,
    Pairs,
    _design,
    _fit,
    choose_threshold,
    export,
    write_pair_section,
)
from narrative_qa.real_corpus import corpus_available
from narrative_qa.resources import MODELS_DIR

REPAIRS = {"kpi_id": "HR-02", "kpi_name": "% of housing repairs completed on time",
           "service": "Housing", "target": 90, "actual": 78, "previous_actual": 80,
           "unit": "%", "polarity": "up", "period": "2025/26 Q2"}
CUES = Cues(mechanism=("\\bso that\\b",), activities=())


def toy_model(word: str, strength: float = 8.0) -> PairModel:
    """P(relevant) is high unless the action holds `word`."""
    return PairModel(vocabulary={word: 0}, idf=np.ones(1), coef=np.array([-strength]),
                     intercept=4.0, platt=np.array([1.0, 0.0]), threshold=0.5, hand=(),
                     cues=CUES)


@pytest.fixture
def judges(monkeypatch):
    def use(word: str, strength: float = 8.0) -> None:
        monkeypatch.setattr("narrative_qa.detectors.irrelevant_activity.load_pair_model",
                            lambda: toy_model(word, strength))
    return use


def nq07(result):
    return [f for f in result.findings if f.code == "NQ07"]


def test_an_action_the_model_judges_irrelevant_is_flagged_naming_it_and_the_kpi(judges):
    judges("leaflet")
    text = ("Repairs completed on time fell to 78% from 80% as 12 operatives left. We will "
            "introduce a new leaflet by October 2025.")
    found = nq07(check_draft(text, **REPAIRS))
    assert len(found) == 1
    assert "leaflet" in found[0].message and REPAIRS["kpi_name"] in found[0].message
    assert found[0].evidence and "leaflet" in found[0].evidence[0]
    assert 0.5 < found[0].confidence < 1


def test_confidence_is_the_probability_of_irrelevance_and_varies_with_it(judges):
    text = ("Repairs completed on time fell to 78%. We will introduce a new leaflet by "
            "October 2025.")
    # The detector's score (features[0], which calibration reads, see confidence.py).
    judges("leaflet", strength=5.0)
    weak = nq07(check_draft(text, **REPAIRS))[0]
    judges("leaflet", strength=9.0)
    strong = nq07(check_draft(text, **REPAIRS))[0]
    assert weak.features[0] < strong.features[0]
    assert strong.features[0] == pytest.approx(1 - 1 / (1 + np.exp(-(4.0 - 9.0 * 1.0))),
                                               abs=1e-3)
    assert weak.confidence != strong.confidence  # and the calibrated confidence follows it


def test_a_stated_mechanism_counts_for_relevance(judges):
    judges("leaflet")
    text = ("Repairs completed on time fell to 78%. We will print a new leaflet by October "
            "2025 so that tenants report repairs before they become urgent.")
    assert nq07(check_draft(text, **REPAIRS)) == []


def test_a_sentence_offering_no_action_is_not_judged(judges):
    judges("leaflet")
    text = "Repairs completed on time fell to 78%. The leaflet was out of date."
    assert nq07(check_draft(text, **REPAIRS)) == []


def test_the_threshold_is_the_most_recall_at_the_precision_target():
    relevant = np.array([0, 0, 0, 1, 0, 1, 1, 1, 1, 1])
    p = np.array([.1, .2, .3, .35, .4, .5, .6, .7, .8, .9])
    none = np.zeros(len(p), dtype=bool)
    t = choose_threshold(relevant, p, none)
    assert t == pytest.approx(0.325)  # flags the first three (precision 1.0); the fourth costs 0.75
    stated = none.copy()
    stated[3] = True  # the relevant pair at 0.35 states a mechanism: no longer flagged
    assert choose_threshold(relevant, p, stated) == pytest.approx(0.45)


def test_an_activity_counts_as_low_relevance_only_for_a_kpi_it_does_not_serve():
    cues = Cues.from_lexicon()
    offer = "We will launch a staff wellbeing newsletter in November 2025."
    mmr = Pair(offer, "MMR percentage uptake in children aged 24 months", "%", "Children")
    absence = Pair(offer, "NHS sickness absence rate", "%", "Human Resources")
    assert names_low_relevance_activity(mmr, cues)
    assert not names_low_relevance_activity(absence, cues)
    k = HAND_FEATURES.index("activity")
    assert hand_features(mmr, cues)[k] == 1 and hand_features(absence, cues)[k] == 0


def _toy_pairs() -> Pairs:
    texts = ["we will print a leaflet", "a newsletter for staff", "we will monitor it",
             "recruit two operatives", "clear the repairs backlog", "extra repair crews",
             "weekend repair shifts", "a leaflet and a newsletter"]
    pairs = [Pair(t, "% of repairs completed on time", "%", "Housing") for t in texts * 5]
    relevant = np.array([0, 0, 0, 1, 1, 1, 1, 0] * 5)
    return Pairs(pairs, relevant, [f"g{n % 6}" for n in range(len(pairs))],
                 ["real"] * len(pairs))


@pytest.mark.parametrize("features", ["ngrams", "hand", "ngrams+hand"])
def test_numpy_inference_equals_scikit_learn(features):
    data = _toy_pairs()
    cues = Cues.from_lexicon()
    vectoriser, model = _fit(features, 1.0, data, cues)
    ours = export(features, vectoriser, model, (1.0, 0.0), 0.5, cues)
    expected = model.decision_function(_design(features, data, cues, vectoriser))
    np.testing.assert_allclose(ours.decision(data.pairs), expected, atol=1e-9)
    assert ours.hand == (HAND_FEATURES if "hand" in features else ())


def test_an_altered_or_missing_model_is_refused(tmp_path):
    for name in (PAIRS_FILE, PAIRS_CARD):
        shutil.copy(MODELS_DIR / name, tmp_path / name)
    data = bytearray((tmp_path / PAIRS_FILE).read_bytes())
    data[-30] ^= 1
    (tmp_path / PAIRS_FILE).write_bytes(bytes(data))
    pairs_module.load_pair_model.cache_clear()
    with pytest.raises(ConfigError) as caught:
        load_pair_model(tmp_path)
    assert caught.value.code == "NQE070" and PAIRS_FILE in str(caught.value)
    (tmp_path / PAIRS_FILE).unlink()
    with pytest.raises(ConfigError) as missing:
        load_pair_model(tmp_path)
    assert missing.value.code == "NQE070"


def test_the_shipped_model_tells_a_remedy_from_activity_that_does_not_move_the_kpi():
    model = load_pair_model()
    kpi = REPAIRS["kpi_name"]
    p, flagged = model.flagged([
        Pair("We will recruit two additional repairs operatives by January 2026 to clear "
             "the backlog of 140 jobs.", kpi, "%", "Housing"),
        Pair("The team will continue to monitor how this indicator progresses.", kpi, "%",
             "Housing")])
    assert p[0] > model.threshold > p[1]
    assert list(flagged) == [False, True]


def test_the_card_section_is_replaced_not_repeated(tmp_path):
    (tmp_path / "CARD.md").write_text("# Card\n\nGates.\n", encoding="utf-8")
    shutil.copy(MODELS_DIR / PAIRS_CARD, tmp_path / PAIRS_CARD)
    write_pair_section(tmp_path)
    write_pair_section(tmp_path)
    text = (tmp_path / "CARD.md").read_text(encoding="utf-8")
    assert text.startswith("# Card\n\nGates.\n")
    assert text.count(CARD_MARKERS[0]) == 1 and "## NQ07" in text
    card = json.loads((MODELS_DIR / PAIRS_CARD).read_text(encoding="utf-8"))
    assert f"{card['threshold']:.3f}" in text


@pytest.mark.training
@pytest.mark.skipif(not corpus_available(),
                    reason="../shared/corpus/real.jsonl is not beside the project")
def test_training_reproduces_the_shipped_pair_model_bit_for_bit(tmp_path, settings):
    from narrative_qa.measure.pair_training import train_real_pairs

    card = train_real_pairs(tmp_path, settings)
    assert (tmp_path / PAIRS_FILE).read_bytes() == (MODELS_DIR / PAIRS_FILE).read_bytes()
    assert card["figures"]["train (out-of-fold), real"]["irrelevant"] > 0
    assert all(c["oof_ap"] >= 0 for c in card["candidates"])
