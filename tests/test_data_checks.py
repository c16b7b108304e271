from __future__ import annotations

from dataclasses import replace

import pytest

from narrative_qa.assessment import Submission
from narrative_qa.config import load_settings
from narrative_qa.data_checks import compute_rag, data_facts, variance_pct

BANDS = load_settings().rag


@pytest.mark.parametrize("target,actual,polarity,expected", [
    (100, 100, "up", "green"),
    (100, 97.51, "up", "green"),   # 2.49% outwith
    (100, 97.5, "up", "amber"),    # exactly 2.5%: amber (inclusive)
    (100, 95.01, "up", "amber"),   # 4.99%
    (100, 95, "up", "red"),        # exactly 5%: red
    (60, 51, "up", "red"),
    (95, 90.24, "up", "red"),      # seed 002: MMR at 24 months
    (95, 94.97, "up", "green"),    # seed 002: MMR at 5 years
    (25, 29, "down", "red"),       # out of authority placements: lower is better
    (25, 25.6, "down", "green"),
    (25, 24, "down", "green"),     # better than target
])
def test_rag_bands_follow_the_manual(target, actual, polarity, expected):
    assert compute_rag(target, actual, polarity, "%", BANDS) == expected


def test_variance_is_rounded_half_up_to_two_places():
    assert variance_pct(200, 195.01, "up", None, BANDS) == 2.5  # 2.495 -> 2.50


def test_percentage_points_variant_is_a_setting():
    points = replace(BANDS, percent_variance="points")
    # 60 -> 57.5 is 4.17% relative (amber) but 2.5 points (amber) and 58.6 is 1.4 points
    assert compute_rag(60, 58.6, "up", "%", points) == "green"
    assert compute_rag(60, 58.6, "up", "%", BANDS) == "green"
    assert compute_rag(20, 19.4, "up", "%", BANDS) == "amber"   # 3% relative
    assert compute_rag(20, 19.4, "up", "%", points) == "green"  # 0.6 points
    assert compute_rag(20, 19.4, "up", "count", points) == "amber"  # only for % KPIs


def test_bands_are_configuration():
    strict = replace(BANDS, amber_from=1.0, red_from=2.0)
    assert compute_rag(100, 98.5, "up", None, strict) == "amber"


def test_off_target_and_deterioration_respect_polarity():
    facts = data_facts(Submission(target=25.0, actual=29.0, previous_actual=27.0,
                                  polarity="down"), BANDS)
    assert facts.off_target and facts.deteriorated and facts.previously_off_target
    assert facts.improved is False
    better = data_facts(Submission(target=60.0, actual=57.0, previous_actual=55.0,
                                   polarity="up"), BANDS)
    assert better.improved and not better.deteriorated


def test_a_fraction_beside_percentages_is_read_on_their_scale():
    """LABELLING.md §1: 0.94 last period beside 90 and 75 now is 94% falling to 75%."""
    mixed = data_facts(Submission(target=90.0, actual=75.0, previous_actual=0.94,
                                  unit="%", polarity="up"), BANDS)
    assert mixed.deteriorated and not mixed.improved and mixed.previously_off_target is False
    met = data_facts(Submission(target=0.7, actual=73.0, unit="%", polarity="up"), BANDS)
    assert met.rag_computed == "green" and not met.off_target
    short = data_facts(Submission(target=80.0, actual=0.76, unit="%", polarity="up"), BANDS)
    assert short.rag_computed == "red" and short.variance_pct == 5.0
    # one kind of value stays as written; a small % beside a small % is not rescaled
    assert data_facts(Submission(target=2.0, actual=0.5, unit="%", polarity="down"),
                      BANDS).rag_computed == "green"


def test_qualitative_kpi_uses_the_stated_rag_and_no_data_is_held_to_every_finding():
    qualitative = data_facts(Submission(target="Strategy approved", stated_rag="amber"), BANDS)
    assert qualitative.qualitative and qualitative.held_to_all
    draft = data_facts(Submission(narrative="text"), BANDS)
    assert draft.assumed_off_target and draft.held_to_all
    green = data_facts(Submission(stated_rag="green"), BANDS)
    assert not green.held_to_all


def test_a_qualitative_kpi_with_no_stated_rag_has_no_rag_and_is_held_to_every_finding():
    facts = data_facts(Submission(target="Strategy approved by March"), BANDS)
    assert facts.rag_computed is None and facts.held_to_all


@pytest.mark.parametrize("actual,rag", [(101.0, "green"), (97.6, "green"), (110.0, "red"),
                                        (90.0, "red"), (103.0, "amber")])
def test_a_budget_against_its_forecast_is_off_target_either_way(actual, rag):
    sub = Submission(kpi_name="In-year budget vs forecast, £m", target=100.0, actual=actual,
                     polarity="up", polarity_inferred=True)
    facts = data_facts(sub, BANDS)
    assert facts.rag_computed == rag
    assert facts.off_target == (actual != 100.0)


@pytest.mark.parametrize("previous,was_off", [(112.0, True), (91.0, True), (100.0, False)])
def test_a_budget_against_its_forecast_was_off_target_last_period_either_way(previous, was_off):
    sub = Submission(kpi_name="In-year budget vs forecast, £m", target=100.0, actual=110.0,
                     previous_actual=previous, polarity="up", polarity_inferred=True)
    assert data_facts(sub, BANDS).previously_off_target is was_off


def test_a_rating_as_the_actual_is_the_bodys_own_rag_and_its_fall_a_deterioration():
    fell = data_facts(Submission(kpi_name="Delivery confidence", actual="Amber/Red",
                                 previous_actual="Amber"), BANDS)
    assert fell.held_to_all and fell.deteriorated and not fell.improved
    rose = data_facts(Submission(kpi_name="Delivery confidence", actual="Amber",
                                 previous_actual="Amber-Red"), BANDS)
    assert rose.improved and not rose.deteriorated
    green = data_facts(Submission(kpi_name="Delivery confidence", actual="Green"), BANDS)
    assert not green.held_to_all


@pytest.mark.parametrize("actual,previous,slipped", [
    ("31/12/2042", "31/12/2040", True), ("31.03.25", "31.03.2024", True),
    ("2024-12-31", "2025-06-30", False), ("30 June 2026", "30 June 2026", False)])
def test_an_end_date_later_than_last_periods_is_a_deterioration(actual, previous, slipped):
    facts = data_facts(Submission(kpi_name="Schedule: project end date", actual=actual,
                                  previous_actual=previous), BANDS)
    assert facts.deteriorated is slipped
    assert facts.rag_computed is None and facts.held_to_all


def test_an_end_date_beside_a_previous_value_that_is_not_a_date_gives_no_trend():
    facts = data_facts(Submission(actual="31/12/2042", previous_actual="to be confirmed"), BANDS)
    assert facts.deteriorated is None
