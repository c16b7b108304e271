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


def test_a_reason_in_the_sentence_after_the_rating_justifies_it(settings):
    # "The rating is Amber. This is due to ...": the reason refers back to the rating in
    # the next sentence; it justifies the rating as if written in one (LABELLING.md, NQ09).
    found = _codes(settings, actual="Amber",
                   narrative="The assessment of the records system is Amber. This is "
                   "mainly due to the supplier's late delivery of the test environment.")
    assert "NQ09" not in found


def test_a_reason_two_sentences_on_or_about_something_else_does_not_justify_it(settings):
    # Only the next sentence, and only when it refers back ("This ..."), is read with the
    # rating: a later "due to" about another matter is no reason for the rating.
    far = _codes(settings, actual="Amber",
                 narrative="The assessment of the records system is Amber. The project "
                 "board met in May. This is the board's third meeting, due to the "
                 "summer recess.")
    assert "NQ09" in far
    unrelated = _codes(settings, actual="Amber",
                       narrative="The assessment of the records system is Amber. Staff "
                       "moved offices due to the refurbishment.")
    assert "NQ09" in unrelated
