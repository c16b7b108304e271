"""NQ06 reads a cause given in any words: a sentence the reading layer reads as a cause of
change is a reason for the decline, like one with 'because' (rules/NQ06, cause_reader_*)."""

from __future__ import annotations

from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping

ROW = {"kpi_id": "R-1", "kpi_name": "% of street light repairs completed within 12 hours",
       "target": "85", "actual": "70", "previous_actual": "82", "unit": "%",
       "polarity": "up", "period": "2025/26 Q2"}


def _codes(settings, narrative: str) -> set[str]:
    sub = submission_from_mapping({**ROW, "narrative": narrative}, settings,
                                  file="in.csv", row=2)
    (assessment,) = assess_batch([sub], settings)
    return {f.code for f in assessment.findings}


def test_a_cause_in_words_without_because_explains_the_decline(settings):
    found = _codes(settings, "Retirements left the repair crew two posts short, which "
                   "impacted the number of repairs completed on time.")
    assert "NQ06" not in found


def test_a_sentence_that_gives_no_cause_still_leaves_the_decline_unexplained(settings):
    found = _codes(settings, "Repairs completed within 12 hours are published on the "
                   "council website.")
    assert "NQ06" in found
