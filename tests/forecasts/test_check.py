"""Resolving one due forecast: met, missed by how much, not measurable, to confirm; and
whether the narrative mentions it and says why it was missed."""

from __future__ import annotations

from narrative_qa.forecasts.check import check_forecast
from narrative_qa.store.forecasts import StoredForecast


def forecast(what="value", value="60%", unit="%", polarity="up", then=55.0,
             sentence="We expect compliance to return to 60% by Q3."):
    return StoredForecast(
        id=1, kpi_id="CS-07", made_in="2025/26 Q2", version=1, is_current=True,
        service="Children", owner="Head", kpi_name="Compliance", unit=unit,
        polarity=polarity, actual_then=then, source="q2.csv", start=0, end=len(sentence),
        sentence=sentence, what=what, value=value, due="2025-12", due_period="2025/26 Q3",
        vague=False, confidence=0.9, problem=None)


def test_value_met_missed_and_lower_is_better():
    assert check_forecast(forecast(), 61.0, "").status == "met"
    missed = check_forecast(forecast(), 52.0, "")
    assert (missed.status, missed.gap) == ("missed", 8.0)
    fewer = forecast(value="20", unit="count", polarity="down", then=27.0,
                     sentence="Delays reduced to 20 by Q3.")
    assert check_forecast(fewer, 23.0, "").status == "missed"
    assert check_forecast(fewer, 19.0, "").status == "met"
    assert check_forecast(forecast(), None, "").status == "not measurable"


def test_a_figure_of_another_unit_is_for_the_officer_to_confirm():
    assert check_forecast(forecast(value="3"), 76.0, "").status == "to confirm"


def test_direction_against_the_trend_and_events_to_confirm():
    up = forecast(what="direction", value=None, sentence="Uptake will improve by Q3.")
    assert check_forecast(up, 57.0, "").status == "met"
    assert check_forecast(up, 54.0, "").status == "missed"
    event = forecast(what="event", value=None, sentence="The new system goes live by Q3.")
    assert check_forecast(event, 57.0, "").status == "to confirm"


def test_mentioned_and_explained():
    silent = check_forecast(forecast(), 52.0, "Compliance was 52%. Absence is high.")
    assert not silent.mentioned and not silent.explained
    named = check_forecast(forecast(), 52.0, "Compliance was 52%, short of the 60% we "
                           "forecast. We will keep going.")
    assert named.mentioned and not named.explained
    why = check_forecast(forecast(), 52.0, "Compliance was 52%, short of the 60% we "
                         "forecast. The new workers started late because of vetting.")
    assert why.mentioned and why.explained
