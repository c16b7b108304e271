"""A rating or an end date as the actual (LABELLING.md §1): its fall or slip is a
deterioration NQ06 asks the narrative to explain, and a rating needs its reasons (NQ09)."""

from __future__ import annotations

from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping

ROW = {"kpi_id": "P-1", "kpi_name": "Delivery confidence: records system",
       "period": "2025/26 Q2"}


def _codes(settings, **fields):
    sub = submission_from_mapping({**ROW, **fields}, settings, file="in.csv", row=2)
    (assessment,) = assess_batch([sub], settings)
    return {f.code: f for f in assessment.findings}


def test_a_rating_that_fell_with_no_reason_is_unexplained_deterioration(settings):
    found = _codes(settings, actual="Amber/Red", previous_actual="Amber",
                   narrative="The project board met and the supplier attended its workshop.")
    assert "NQ06" in found
    assert "from Amber to Amber/Red" in found["NQ06"].message


def test_a_rating_that_fell_for_a_stated_reason_is_explained(settings):
    found = _codes(settings, actual="Amber/Red", previous_actual="Amber",
                   narrative="The rating fell because the supplier delivered the data "
                   "migration tools three months late.")
    assert "NQ06" not in found


def test_an_unjustified_rating_is_a_rag_finding_and_a_justified_one_is_not(settings):
    bare = _codes(settings, actual="Amber/Red",
                  narrative="The project board met and the supplier attended its workshop.")
    assert "NQ09" in bare and "Amber/Red" in bare["NQ09"].message
    reasoned = _codes(settings, actual="Amber/Red",
                      narrative="The Amber/Red rating reflects the late data migration.")
    assert "NQ09" not in reasoned


def test_an_end_date_that_slipped_with_no_reason_is_unexplained_deterioration(settings):
    found = _codes(settings, kpi_name="Schedule: latest approved end date",
                   actual="31/03/2027", previous_actual="31/03/2026",
                   narrative="The project board met and the supplier attended its workshop.")
    assert "NQ06" in found
    assert "from 31/03/2026 to 31/03/2027" in found["NQ06"].message


def test_a_rag_computed_from_the_figures_is_claimed_at_the_detectors_confidence(settings):
    # Arithmetic on the submitted data is not recalibrated from the text (Hit.exact).
    found = _codes(settings, kpi_name="% of reports submitted on time", target="95",
                   actual="88", polarity="up", stated_rag="amber", unit="%",
                   narrative="Performance was 88% against a target of 95%.")
    mismatch = found["NQ09"]
    assert not mismatch.low_confidence
    assert mismatch.confidence == 0.95  # rules/NQ09-rag-mismatch.yml params.confidence
