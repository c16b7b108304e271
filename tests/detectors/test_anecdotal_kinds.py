"""NQ04 on challenge kinds the lists lacked and wordings the blame cues missed (issue 15).

Grouped from the real train and dev misses: a legal or policy change, a supplier's or
contractor's delay, ageing assets, data and testing problems, people as "resource",
take-up and scope changes, the economy; blame said as "due, in part, to" or "explained
by"; and the KPI's own value taken as measuring the challenge. The reading layer is
replaced by a reader that hears nothing, so these tests check the rule file's words and
the detector alone. The sentences are invented.
"""

from __future__ import annotations

import pytest

from narrative_qa.api import check_draft
from tests.test_reading_layer import SCRA, codes, reads  # noqa: F401  (a fixture)

PROGRAMME = {**SCRA, "kpi_id": "PR-01", "kpi_name": "% of programme milestones met on time"}
VISITS = {**SCRA, "kpi_id": "HV-03", "kpi_name": "Number of home visits completed",
          "target": 1500, "actual": 1240, "previous_actual": 1390, "unit": None}


@pytest.fixture(autouse=True)
def hears_nothing(reads):  # noqa: F811
    reads("nothingsaysthis", "challenge_without_figure")


@pytest.mark.parametrize(("sentence", "kind"), [
    ("Spend is below plan due to a legal challenge to the award of the contract.", "policy"),
    ("Fewer cases closed because of changes to national guidance in May.", "policy"),
    ("Go-live slipped following delays from our main contractor.", "partners"),
    ("Supplier delays on the new release have impacted the plan.", "partners"),
    ("The slip is due to continuing complexities in moving records onto the new platform.",
     "complexity"),
    ("Additional complexity was introduced by the new reporting rules.", "complexity"),
    ("Days were lost due to the age of the fleet and frequent breakdowns.", "assets"),
    ("Delivery remains an issue because there are not enough trained personnel.",
     "staffing"),
    ("The fall is due to a team manager on leave for most of the quarter.", "staffing"),
    ("The plan was impacted by data issues in two feeder systems.", "systems"),
    ("Take-up of the new portal remains low among smaller firms.", "other"),
    ("The forecast moved as a result of scope changes agreed at the board.", "other"),
    ("Exports shifted due to the recovery of a neighbouring economy.", "external"),
    ("Milestones slipped due, in part, to falling commodity prices for steel.", "external"),
    ("The shortfall is explained by litigation brought by two suppliers.", "policy"),
    ("Opening was put back following delays in recruitment.", "staffing"),
    # blamed in other words: a cause far down a list that "due to" opens is still blamed
    ("The variance was due to extra design work on the east wing, a late planning "
     "consent and further change requests from the client.", "other"),
    ("The fall is due to several projects closing in the spring and, later in the "
     "year, a manager on leave.", "staffing"),
    ("Reduced levels of take-up among smaller firms continued through the year.", "other"),
    # more wordings of a named challenge
    ("Coronavirus restrictions have impacted our contractors' work on site.", "pandemic"),
    ("The virus has caused the building works to slip into next year, as with covid "
     "elsewhere.", "pandemic"),
    ("Some cases carry legal impediments that stop the team closing them.", "other"),
    # the work itself named as the challenge
    ("There remain challenges in moving the remaining services onto the new platform.", "other"),
    ("The main driver for the rating is a challenging delivery timeline.", "other"),
    ("Planning has slowed given the difficulty in agreeing the final design.", "other"),
    # work said to be challenging or difficult
    ("Delivering the last phase within the window is challenging.", "other"),
    ("Keeping sessions at last year's level has proven more difficult than planned.", "other"),
    # funding ending, uncertainty
    ("Fewer firms were helped due to the end of the city grant agreements.", "budget"),
    ("The rating is red because there is no certainty that the next phase will be funded.",
     "other"),
    # "Release 3" and "Phase 2" name a stage: they do not measure the challenge
    ("The rating reflects that testing for Release 3 took longer than expected.", "other"),
    ("Phase 2 has been delayed by outstanding decisions on the site.", "other"),
    ("The rating reflects uncertainty about funding ahead of the Gate 3 review.", "other"),
    # "of 90%" after a target is no proportion measuring the challenge
    ("Completion stood against a target of 90% due to the need to cover vacancies.",
     "staffing"),
    # a partner that withdrew; changes to data feeds
    ("A delivery commitment from a partner agency fell through in the spring.", "partners"),
    ("The main risk is ongoing changes to supplier data feeds, impacting our matching "
     "process.", "systems"),
    # the workforce in other words; a currency; a cause named as what a result is of
    ("The plan is on track, although manpower issues could push the last phase back.",
     "staffing"),
    ("Results were affected by higher attrition in the assessment team.", "staffing"),
    ("Costs rose this quarter owing to a weaker exchange rate for the pound.", "external"),
    ("Spend on the imported kit ran over plan, mostly due to forex swings.", "external"),
    ("The underspend is mainly a result of vacancies held open in the unit.", "staffing"),
    ("Spend ran over on account of additional costs found at the design stage.", "budget"),
    # a service without the capacity it needs
    ("The unit did not have enough capacity for the remaining design work.", "capacity"),
    # a figure in the clause before counts what that clause names, not the challenge
    ("Over the last three quarters, staff turnover has impacted the plan.", "staffing"),
])
def test_a_challenge_of_a_kind_the_lists_lacked_with_no_figure_is_nq04(sentence, kind):
    found = codes(check_draft(f"Milestones are behind plan. {sentence}", **PROGRAMME))
    assert "NQ04" in found
    assert kind in found["NQ04"].details["challenges"]


@pytest.mark.parametrize("narrative", [
    # measured, or not blamed
    "Milestones are behind plan. A legal challenge paused the work for 14 weeks.",
    "Milestones are behind plan after supplier delays. The supplier delivered 3 of the 9 "
    "releases on time.",
    "Milestones are behind plan. Recruitment of the new team was delayed by 2 months.",
    "Milestones are behind plan. A consultation was held after the court ruled on a "
    "legal challenge.",
    # "due to the following factors" only announces a list
    "Milestones are behind plan. This is due to the following factors: the "
    "east wing build remains on budget.",
    # "the absence of a contract" is no staff absence
    "Milestones are behind plan due to the absence of a signed contract for most of the year.",
    # a grant's dollar amount measures the funding
    "Milestones are behind plan due to funding limits: each grant was capped at an amount "
    "of $50,000.",
    # staff counted by their roles give the scale
    "Milestones are behind plan. Limited staffing (just 3 assessors in post) held back "
    "the training sessions.",
    "Milestones are behind plan. Staffing was stretched as two team members were away.",
    # a proportion in words, or the work named as the challenge with its scale
    "Milestones are behind plan. The slip is due to reviews held late in August, "
    "when three of the five reviewers were on leave at once.",
    "Milestones are behind plan. There remain challenges in moving the last 14 "
    "of 60 services onto the new platform.",
    # a challenge said to have done no harm, or to be overcome, is not blamed
    "Milestones are behind plan. Recruitment issues in the team have not affected the "
    "build, which is on track.",
    "Milestones are behind plan. The team has overcome early staffing problems on site.",
    "Milestones are behind plan. Some supplier issues remain but they do not pose a risk "
    "to the go-live date.",
])
def test_a_measured_or_unblamed_challenge_is_not_nq04(narrative):
    assert "NQ04" not in codes(check_draft(narrative, **PROGRAMME))


def test_the_kpis_own_value_does_not_measure_the_challenge():
    narrative = ("Visits are below target. The actual of 1,240 visits was limited by the "
                 "capacity of the team.")
    assert "NQ04" in codes(check_draft(narrative, **VISITS))
    measured = ("Visits are below target. Capacity was limited: 40 of the 120 weekly slots "
                "were unstaffed.")
    assert "NQ04" not in codes(check_draft(measured, **VISITS))


BUDGET = {**SCRA, "kpi_id": "FN-02", "kpi_name": "In-year spend against budget, £m",
          "target": 40.0, "actual": 44.0, "previous_actual": 42.0, "unit": "£m",
          "polarity": "down"}


@pytest.mark.parametrize("narrative", [
    "The variance is partly offset as a result of savings from the new cleaning contract.",
    "The variance is smaller than feared due to lower staffing costs after the restructure.",
])
def test_money_that_explains_a_variance_is_no_challenge(narrative):
    assert "NQ04" not in codes(check_draft(narrative, **BUDGET))


def test_savings_still_to_be_found_are_a_challenge():
    found = codes(check_draft("Spend is off plan due to savings targets set by the "
                              "council for next year.", **BUDGET))
    assert "budget" in found["NQ04"].details["challenges"]


def test_resources_moved_elsewhere_are_a_staffing_challenge():
    narrative = ("Milestones are behind plan because programme resources were moved onto "
                 "other priority work.")
    found = codes(check_draft(narrative, **PROGRAMME))
    assert "staffing" in found["NQ04"].details["challenges"]


def test_uncertainty_blamed_is_a_challenge():
    narrative = ("Milestones are behind plan due to uncertainty around the benefits still to "
                 "be quantified.")
    assert "other" in codes(check_draft(narrative, **PROGRAMME))["NQ04"].details["challenges"]


def test_a_cause_after_due_to_that_is_the_kpis_own_word_is_no_challenge():
    # The budget KPI's own word after 'due to' names the measure, not a challenge (as it
    # does anywhere else in the sentence).
    narrative = "Spend is well under the budget line this year due to a budget set too high."
    assert "NQ04" not in codes(check_draft(narrative, **BUDGET))
