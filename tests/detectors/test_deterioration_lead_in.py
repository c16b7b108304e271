"""NQ06 and a lead-in to a list of causes ("owing to the following:"): the lead-in
is no cause, the factors after it are, and a factor copied from last period's narrative
is no more a reason than any other copied sentence (rules/NQ06, lead_in, named_cause)."""

from __future__ import annotations

from narrative_qa.engine import assess_batch
from narrative_qa.reading.records import submission_from_mapping

ROW = {"kpi_id": "P-1",
       "kpi_name": "Schedule: latest approved project end date - Depot rebuild",
       "actual": "2027-03-31", "previous_actual": "2026-06-30", "unit": "date"}
LEAD_IN = "The change is owing to the following points."
FACTOR = "The contractor's steel delivery was delayed by five months."


def _nq06(settings, narrative: str, previous: str | None = None):
    sub = submission_from_mapping({**ROW, "narrative": narrative,
                                   "previous_narrative": previous}, settings,
                                  file="in.csv", row=2)
    (assessment,) = assess_batch([sub], settings)
    return next((f for f in assessment.findings if f.code == "NQ06"), None)


def test_a_lead_in_with_no_cause_after_it_is_quoted_as_the_evidence(settings):
    finding = _nq06(settings, f"The end date moved from June 2026 to March 2027. {LEAD_IN} "
                    "The depot will house forty refuse vehicles.")
    assert finding is not None
    assert finding.evidence == [LEAD_IN]


def test_a_factor_naming_a_cause_explains_the_slip(settings):
    assert _nq06(settings, f"{LEAD_IN} {FACTOR}") is None


def test_a_factor_copied_from_last_periods_narrative_is_no_reason(settings):
    previous = f"The end date is 31 October 2026. {FACTOR}"
    assert _nq06(settings, f"{LEAD_IN} {FACTOR}", previous) is not None
