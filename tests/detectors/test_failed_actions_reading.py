"""NQ05 over the reading layer (issue 15): which sentences are actions that may have
fallen short. Each test gives the readers a tiny hand-made model (a word read as a tag,
see test_no_forecast_reading.toy_readers), so it checks the combination whatever the
trained weights. Narratives are invented.
"""

from __future__ import annotations

import pytest

from narrative_qa.api import check_draft
from tests.detectors.test_no_forecast_reading import toy_readers

RATING = {"kpi_id": "P-1", "kpi_name": "Delivery confidence of the records programme",
          "actual": "Amber", "previous_actual": "Amber", "period": "2025/26 Q2"}
WAITS = {"kpi_id": "W-1", "kpi_name": "Average wait for a first appointment (days)",
         "target": 10, "actual": 15, "previous_actual": 12, "unit": "days",
         "polarity": "down", "period": "2025/26 Q2"}


@pytest.fixture
def reads(monkeypatch):
    def use(**words: str) -> None:
        for where in ("narrative_qa.detectors.base.current_readers",
                      "narrative_qa.detectors.unanalysed_failed_actions.current_readers"):
            monkeypatch.setattr(where, lambda: toy_readers(words))
    return use


def nq05(narrative: str, data: dict):
    found = [f for f in check_draft(narrative, **data).findings if f.code == "NQ05"]
    return found[0] if found else None


def test_a_sentence_read_as_an_action_in_operation_counts_without_an_action_verb(reads):
    narrative = "A zorble rota for the testers is in place."
    reads(zorble="action_continuing")
    finding = nq05(narrative, RATING)
    assert finding is not None and finding.evidence == [narrative]
    reads(nothingsaysthis="action_continuing")
    assert nq05(narrative, RATING) is None


def test_a_sentence_read_as_last_periods_figure_is_the_trend_not_an_action(reads):
    narrative = "Compared to 2024/25 Q4, the rating at 2025/26 Q4 has increased from Amber to Red."
    worse = {**RATING, "actual": "Red"}
    reads(nothingsaysthis="figure_previous")
    assert nq05(narrative, worse) is not None  # the analysis reads 'increased' as an action
    reads(compared="figure_previous")
    assert nq05(narrative, worse) is None


def test_a_sentence_read_more_as_a_cause_than_as_an_action_explains_the_change(reads):
    narrative = "Staff vacancies reduced the clinics."
    reads(nothingsaysthis="timescale")
    assert nq05(narrative, WAITS) is not None
    reads(vacancies="cause_of_change")
    assert nq05(narrative, WAITS) is None
    reads(vacancies="cause_of_change", clinics="action_taken")  # read as both: an action
    assert nq05(narrative, WAITS) is not None
