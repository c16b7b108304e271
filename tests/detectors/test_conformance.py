"""Conformance with the clarified FINDINGS.md (issue 11): NQ01 comparisons with an earlier
period, NQ06 declines stated only in the text, NQ10 the role of each figure, and section 4
KPIs with no RAG."""

from __future__ import annotations

import pytest

from narrative_qa.engine import assess_batch
from narrative_qa.language.periods import is_earlier, quarter_mentions
from narrative_qa.reading.records import submission_from_mapping

DAYS = {"kpi_name": "Average days to complete a child and family assessment", "target": 25,
        "actual": 31, "previous_actual": 29, "unit": "days", "polarity": "down",
        "period": "2024/25 Q2"}
PCT = {"kpi_name": "% of new SCRA reports submitted within specified due date", "target": 60,
       "actual": 56, "previous_actual": 51, "unit": "%", "polarity": "up",
       "period": "2025/26 Q2"}
CAUSE = " because two of the six assessors were on sick leave for most of August."


def findings(data: dict, settings, code: str) -> list:
    sub = submission_from_mapping(dict(data), settings)
    return [f for f in assess_batch([sub], settings, gates=False)[0].findings if f.code == code]


# --- NQ01: a comparison with an earlier period is a link -------------------------------

@pytest.mark.parametrize("narrative", [
    "The average is 31 days, up from 29 in Q1," + CAUSE,
    "The average of 31 days compared with the same period last year reflects staff absence.",
    "The average was 31 days (29.6 days in Q2 2023/24)" + CAUSE,
    "As in Quarter 1, the average is above target at 31 days," + CAUSE,
    "Compliance with the 25-day standard fell again," + CAUSE,
    "The average rose to 31 days" + CAUSE,
    "The average is 31 days, up from 30," + CAUSE,
])
def test_nq01_a_bare_comparison_with_an_earlier_period_is_a_link(narrative, settings):
    assert findings(dict(DAYS, narrative=narrative), settings, "NQ01") == []


@pytest.mark.parametrize("narrative", [
    "The average is 31 days" + CAUSE,
    "The average is expected to be reduced to 25 days by March 2025 as two assessors join.",
    "The average is 31 days. We aim to have improved to 25 days by the end of Q4.",
])
def test_nq01_no_link_or_only_a_forecast_still_triggers(narrative, settings):
    [finding] = findings(dict(DAYS, narrative=narrative), settings, "NQ01")
    assert finding.evidence and finding.suggestion


PREVIOUS = ("Compliance was 51%. Three social worker posts in the North East are vacant and "
            "we will recruit to them by September.")


def test_nq01_with_previous_narrative_the_indicators_trend_is_a_link(settings):
    data = dict(PCT, previous_narrative=PREVIOUS,
                narrative="Compliance improved to 56% as two new social workers started.")
    assert findings(data, settings, "NQ01") == []


def test_nq01_with_previous_narrative_another_measures_year_ago_change_is_not(settings):
    data = dict(PCT, previous_narrative=PREVIOUS,
                narrative="Compliance is 56%. Referrals rose to 412, 6% above the same "
                          "quarter last year.")
    assert findings(data, settings, "NQ01")


def test_nq01_a_comparison_copied_from_last_periods_narrative_is_not_a_link(settings):
    text = "Referrals rose to 412 in the quarter, 12% more than the same period last year."
    data = dict(PCT, previous_narrative=text, narrative=text + " Compliance is 56%.")
    assert findings(data, settings, "NQ01")


@pytest.mark.parametrize("text,period,earlier", [
    ("(29.6 days in Q2 2023/24)", "2024/25 Q2", True),
    ("as in Quarter 1", "2024/25 Q2", True),
    ("in Q2", "2024/25 Q2", False),
    ("Q4 2024/25", "2025/26 Q1", True),
    ("Q3 2025/26", "2025/26 Q2", False),
    ("in Q1", None, False),
])
def test_quarters_named_with_or_without_their_year(text, period, earlier):
    [mention] = quarter_mentions(text)
    assert is_earlier(mention, period) is earlier


# --- section 4: a KPI with no computed or stated RAG is held to all findings ----------

NO_RAG = {"kpi_name": "% of new SCRA reports submitted within specified due date",
          "actual": 50, "previous_actual": 55, "unit": "%", "polarity": "up",
          "period": "2025/26 Q2"}


def test_no_rag_kpi_has_its_trend_from_the_data(settings):
    from narrative_qa.data_checks import data_facts, has_no_rag

    sub = submission_from_mapping(dict(NO_RAG, narrative="x"), settings)
    facts = data_facts(sub, settings.rag)
    assert facts.held_to_all and facts.deteriorated and facts.improved is False
    assert has_no_rag(sub, facts)


def test_no_rag_kpi_is_held_to_nq01_as_one_off_target_last_period(settings):
    data = dict(NO_RAG, narrative="Compliance is 50% because two report writers left in July.")
    [finding] = findings(data, settings, "NQ01")
    assert "two report writers" in finding.evidence[0]


def test_no_rag_kpi_is_held_to_nq06_when_the_data_show_a_decline(settings):
    data = dict(NO_RAG, narrative="Compliance is 50%. We will recruit two report writers by "
                                  "March 2026, which should return compliance to 60% by June.")
    assert findings(data, settings, "NQ06")


def test_no_rag_kpi_improving_is_not_read_as_a_contradiction(settings):
    data = dict(NO_RAG, actual=58, narrative="Compliance improved to 58% after two report "
                                              "writers joined the team in July.")
    assert findings(data, settings, "NQ10") == []


def test_a_kpi_stated_green_without_a_target_is_not_held_to_nq01_or_nq06(settings):
    data = dict(NO_RAG, stated_rag="green", narrative="Compliance is 50%.")
    assert findings(data, settings, "NQ01") == [] and findings(data, settings, "NQ06") == []


# --- NQ06: declines stated only in the text; comparisons with a different period ------

CPO = {"kpi_name": "% of Community Payback Order unpaid work placements commenced within 7 "
       "days", "target": 80, "actual": 68, "unit": "%", "polarity": "up",
       "period": "2025/26 Q2"}


def test_nq06_a_decline_stated_only_in_the_text_must_be_explained(settings):
    data = dict(CPO, narrative="Performance has declined this quarter. We will introduce a "
                               "duty rota by November 2025.")
    [finding] = findings(data, settings, "NQ06")
    assert finding.evidence == ["Performance has declined this quarter."]
    assert "no previous value" in finding.message and finding.suggestion


@pytest.mark.parametrize("narrative", [
    "Performance has not fallen this quarter. We will introduce a duty rota by November 2025.",
    "Performance fell to 68% because two of the five supervisors were absent in August.",
    "Performance is 68%. We will introduce a duty rota by November 2025.",
])
def test_nq06_no_stated_decline_or_an_explained_one_does_not_trigger(narrative, settings):
    assert findings(dict(CPO, narrative=narrative), settings, "NQ06") == []


def test_nq06_a_year_ago_comparison_is_not_a_reason_for_a_fall_since_last_period(settings):
    data = dict(CPO, previous_actual=74,
                narrative="Performance fell to 68%. Orders made by the courts are up 12% on "
                          "the same month last year.")
    assert findings(data, settings, "NQ06")
    since = dict(data, narrative="Performance fell to 68%. Orders made by the courts rose to "
                                 "212 in the quarter from 170 in Q1.")
    assert findings(since, settings, "NQ06") == []


def test_nq06_for_an_annual_kpi_last_year_is_the_previous_period(settings):
    data = dict(CPO, previous_actual=74, period="2024/25",
                narrative="Performance fell to 68%. Orders made by the courts are up 12% on "
                          "last year.")
    assert findings(data, settings, "NQ06") == []


# --- NQ10: the role of each figure ------------------------------------------------------

AE = {"kpi_name": "% of patients seen within 4 hours in A&E", "target": 95, "actual": 71.2,
      "previous_actual": 72.5, "unit": "%", "polarity": "up", "period": "2025/26 Q4"}
RATE = {"kpi_name": "Rate of children looked after per 10,000 children", "target": 150,
        "actual": 162, "previous_actual": 160, "unit": "rate", "polarity": "down",
        "period": "2025/26 Q3"}


@pytest.mark.parametrize("narrative", [
    "Performance was 71.2%, up from 77.6% a year ago.",
    "Performance was 71.2%, down from 77.6% in the same quarter last year.",
    "Performance was 71.2% compared with 72.5% at the previous report.",
    "Performance for patients aged 65+ was 60%.",
    "Performance excluding the Midlothian service was 80%.",
    "The Midlothian service had a difficult quarter; excluding it, performance was 93%.",
    "Performance was 71.2% against a national average of 68.7%.",
    "Performance was 71.2%: 303 of 426 patients were seen within 4 hours.",
    "Performance is 71.2%, up 8 points on the same quarter last year.",
    "Performance improved on the same quarter last year.",
    "Performance fell from 74% in Q2 to 71.2% this quarter, against a 95% target.",
    "Of the 426 patients, 8 of the 22 delays were in the Midlothian service.",
])
def test_nq10_a_figure_that_is_not_this_periods_value_does_not_contradict(narrative, settings):
    assert findings(dict(AE, narrative=narrative), settings, "NQ10") == []


def test_nq10_a_rates_denominator_and_quarter_3_are_not_values(settings):
    data = dict(RATE, narrative="The rate is 162 per 10,000 children, above the 150 target, "
                                "because 14 more children were accommodated in quarter 3.")
    assert findings(data, settings, "NQ10") == []


@pytest.mark.parametrize("narrative,quoted", [
    ("Performance was 71.2%: 353 of 426 patients were seen within 4 hours.", "82.9%"),
    ("Performance is 71.2%, up 8 points on last quarter.", "change of 8"),
    ("Performance was 71.2%; at Q3 it was 74%.", "previous is 72.5%"),
    ("Performance improved this quarter.", "improved"),
    ("Performance was 77.6%.", "77.6%"),
])
def test_nq10_a_real_contradiction_is_still_found(narrative, quoted, settings):
    [finding] = findings(dict(AE, narrative=narrative), settings, "NQ10")
    assert quoted in finding.message and finding.evidence == [narrative]


def test_nq10_a_counts_share_is_set_beside_a_fraction_cell_as_a_percentage(settings):
    data = {"kpi_name": "% of allotment plots let", "target": 0.9, "actual": 0.71,
            "previous_actual": 0.8, "unit": "%", "polarity": "up", "period": "2025/26",
            "narrative": "Plot uptake stood at 20 out of 24 allotment plots let by March."}
    [finding] = findings(data, settings, "NQ10")
    assert "(83.3%) but the submitted actual is 71%" in finding.message


def test_nq10_a_target_raised_from_one_figure_to_another_is_read_at_its_new_figure(settings):
    data = {"kpi_name": "% of gritting routes completed on time", "target": 0.7,
            "actual": 0.62, "previous_actual": 0.65, "unit": "%", "polarity": "up",
            "period": "2025/26", "narrative": "Completion fell to 62%, although the "
            "target was raised from 70% to 75%."}
    [finding] = findings(data, settings, "NQ10")
    assert finding.message.endswith("but the submitted target is 70%.")


@pytest.mark.parametrize("text,period,previous", [
    ("at Q3", "2025/26 Q4", True),
    ("in Q2", "2025/26 Q4", False),
    ("Q4 2024/25", "2025/26 Q1", True),
    ("Q4 2023/24", "2025/26 Q1", False),
])
def test_the_quarter_just_before_this_one(text, period, previous):
    from narrative_qa.language.periods import is_previous

    [mention] = quarter_mentions(text)
    assert is_previous(mention, period) is previous
