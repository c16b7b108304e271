"""Calibrated confidence (issue 15): every finding's confidence is a probability that moves
with its evidence, and below its code's claim threshold a finding is only worth a look.
Narratives are invented."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from narrative_qa.api import check_draft
from narrative_qa.confidence import (
    CONFIDENCE_FILE,
    CodeCalibration,
    feature_names,
    load_calibration,
)
from narrative_qa.errors import ConfigError
from narrative_qa.measure.corpus_format import TAGS
from narrative_qa.real_corpus import corpus_available
from narrative_qa.resources import MODELS_DIR
from narrative_qa.specs.tags import READ_TAGS
from tests.test_reading_layer import SCRA

DRAFT = ("Performance fell this quarter. Staffing remains a challenge across the team. "
         "We will review the allocation process.")


def _codes(result) -> dict:
    return {f.code: f for f in result.findings}


def test_every_shipped_calibration_reads_the_evidence_not_a_constant():
    calibration = load_calibration()
    assert set(calibration) == {f"NQ{n:02d}" for n in range(1, 12)}
    width = len(feature_names(READ_TAGS))
    for code, model in calibration.items():
        assert model.coef.shape == (width,), code
        # at least one weight per tag: NQ09's rating findings quote the data, not a
        # sentence, so only the narrative's readings (and not the quoted ones) vary
        assert np.count_nonzero(model.coef) >= len(TAGS), code
        low, high = np.zeros(width), np.zeros(width)
        high[int(np.argmax(np.abs(model.coef)))] = 1.0
        assert model.probability(low) != model.probability(high), code


def test_confidence_differs_between_findings_with_different_evidence():
    plain = check_draft(DRAFT, **SCRA)
    figured = check_draft(DRAFT.replace("Staffing remains a challenge across the team.",
                                        "Staffing remains a challenge, with sickness absence "
                                        "across the team rising sharply."), **SCRA)
    shared = set(_codes(plain)) & set(_codes(figured))
    assert shared
    assert any(_codes(plain)[c].confidence != _codes(figured)[c].confidence for c in shared)
    for finding in plain.findings:
        assert 0.0 < finding.confidence < 1.0


def test_below_its_claim_threshold_a_finding_is_worth_a_look_and_does_not_count(monkeypatch):
    found = check_draft(DRAFT, **SCRA)
    assert found.findings and found.verdict != "ready"
    width = len(feature_names(READ_TAGS))
    # Every code calibrated to a confidence of about 0.5, claimed only from 0.9.
    doubtful = {f.code: CodeCalibration(np.zeros(width), np.ones(width), np.zeros(width),
                                        0.0, 0.9) for f in found.findings}
    monkeypatch.setattr("narrative_qa.engine.load_calibration", lambda: doubtful)
    shown = check_draft(DRAFT, **SCRA)
    assert [f.code for f in shown.findings] == [f.code for f in found.findings]
    assert all(f.low_confidence and f.confidence == pytest.approx(0.5) for f in shown.findings)
    assert shown.verdict == "ready" and shown.score == 100
    assert all(f.to_dict()["low_confidence"] for f in shown.findings)


def test_an_altered_calibration_is_refused_before_anything_is_scored(tmp_path):
    shutil.copy(MODELS_DIR / CONFIDENCE_FILE, tmp_path / CONFIDENCE_FILE)
    payload = json.loads((tmp_path / CONFIDENCE_FILE).read_text())
    payload["codes"]["NQ04"]["threshold"] = 0.01
    (tmp_path / CONFIDENCE_FILE).write_text(json.dumps(payload))
    with pytest.raises(ConfigError) as error:
        load_calibration(tmp_path)
    assert error.value.code == "NQE070"
    (tmp_path / CONFIDENCE_FILE).unlink()
    with pytest.raises(ConfigError, match="missing"):
        load_calibration(tmp_path)


@pytest.mark.training
@pytest.mark.skipif(not corpus_available(),
                    reason="../shared/corpus/real.jsonl is not beside the project")
def test_training_reproduces_the_shipped_calibration_bit_for_bit(tmp_path, settings):
    from narrative_qa.measure.confidence_training import train_confidence
    from narrative_qa.measure.evaluation import BUNDLED_CORPUS

    card = train_confidence(tmp_path, settings, BUNDLED_CORPUS)
    assert (tmp_path / CONFIDENCE_FILE).read_bytes() == \
        (MODELS_DIR / CONFIDENCE_FILE).read_bytes()
    # Thresholds were chosen on train (out of fold), dev and the selection set: never test.
    assert set(card["rows"]) == {"real_train_out_of_fold", "real_dev", "real_selection_set",
                                 "written_train", "written_dev"}


def test_a_code_without_calibration_keeps_its_detectors_confidence_and_the_default_claim(
        monkeypatch):
    """One path for "claimed or not": a code the calibration does not cover (a rule added
    locally, or one left out of models/confidence.json) keeps its detector's confidence and
    is claimed from the default threshold; no other list of the written corpus caps it."""
    from narrative_qa.assessment import LOW_CONFIDENCE

    calibrated = load_calibration()
    monkeypatch.setattr("narrative_qa.engine.load_calibration", lambda: {})
    shown = {f.code: f for f in check_draft(DRAFT, **SCRA).findings}
    assert "NQ02" in shown and set(shown) <= set(calibrated)  # NQ02: the card's old list
    for code, finding in shown.items():
        assert finding.claim_threshold == LOW_CONFIDENCE, code
        assert finding.low_confidence == (finding.confidence < LOW_CONFIDENCE), code
        assert "precision_below_target" not in finding.details, code
    assert not shown["NQ02"].low_confidence  # its detector is sure; nothing caps it


def test_the_claim_threshold_is_chosen_on_the_selection_set_where_it_has_enough_rows():
    from narrative_qa.measure.confidence_training import (
        FITTED,
        MIN_SELECT_ROWS,
        Rows,
        threshold_for,
    )

    def rows(code: str, p: list[float], y: list[int]) -> tuple[Rows, np.ndarray]:
        return Rows([code] * len(p), [np.zeros(1)] * len(p), y), np.array(p)

    # On the fitted rows everything from 0.55 is right; on the selection set only the
    # findings from 0.81 are, so its threshold is stricter: the lowest that keeps
    # precision at 0.85 there (0.62: twelve right, two wrong) is kept.
    fitted = rows("NQ04", [0.55, 0.6, 0.65, 0.7, 0.75, 0.85, 0.9, 0.95], [1] * 8)
    selected = rows("NQ04", [0.5 + k / 100 for k in range(14)]
                    + [0.81 + k / 100 for k in range(12)], [0] * 14 + [1] * 12)
    assert len(selected[1]) >= MIN_SELECT_ROWS
    threshold, figures, chosen_on = threshold_for("NQ04", selected, fitted)
    assert (threshold, chosen_on, figures["claimed"]) == (0.62, "selection set", 14)
    assert figures["precision"] == round(12 / 14, 3)
    # Raised too rarely on the selection set: the fitted rows alone choose, and say so.
    sparse = rows("NQ04", [0.9, 0.95], [0, 0])
    threshold, _, chosen_on = threshold_for("NQ04", sparse, fitted)
    assert (threshold, chosen_on) == (0.55, "out-of-fold train, dev, written dev")
    # The fitted rows stricter than the selection set: theirs is kept (both must hold).
    strict = rows("NQ04", [0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.92, 0.95],
                  [0] * 5 + [1] * 5)
    loose = rows("NQ04", [0.5 + k / 48 for k in range(24)], [1] * 24)
    threshold, figures, chosen_on = threshold_for("NQ04", loose, strict)
    assert threshold == 0.8 and chosen_on.endswith("(stricter)")
    assert figures["rows"] == 24 and figures["precision"] == 1.0
    # No threshold reaches the precision on the selection set: never claimed.
    wrong = rows("NQ04", [0.5 + k / 48 for k in range(24)], [0] * 24)
    assert threshold_for("NQ04", wrong, fitted)[0] == 1.0
    # Too few rows to choose on, but four wrong of ten claimed: 0.85 lies above the
    # interval (Wilson 95% upper end 0.83), so the fitted threshold is refused. Three
    # wrong of nine (upper end 0.88) cannot tell, and the fitted threshold holds.
    few_wrong = rows("NQ04", [0.6 + k / 40 for k in range(10)], [0] * 4 + [1] * 6)
    threshold, figures, chosen_on = threshold_for("NQ04", few_wrong, fitted)
    assert (threshold, figures["claimed"], figures["precision"]) == (1.0, 10, 0.6)
    assert chosen_on.startswith("selection set") and "never claimed" in chosen_on
    unsure = rows("NQ04", [0.6 + k / 40 for k in range(9)], [0] * 3 + [1] * 6)
    assert threshold_for("NQ04", unsure, fitted)[:3:2] == (0.55, FITTED)
