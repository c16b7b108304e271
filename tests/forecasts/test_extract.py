"""Forecast extraction: which sentences promise something, what, how much and by when."""

from __future__ import annotations

import numpy as np
import pytest

from narrative_qa.forecasts.extract import extract_forecasts
from narrative_qa.language.readers import Readers, readers_in_use
from narrative_qa.real_corpus import corpus_available

Q2 = "2025/26 Q2"
TEXT = ("Compliance fell to 52% this quarter. The two new social workers start in October "
        "and we expect compliance to return to 60% by Q4. We will review the rota soon. "
        "Recruitment remains a challenge. The new system is due to go live by March 2026. "
        "Performance should improve within 12 weeks. In Q1 we expected 58%.")


def by_sentence(text=TEXT, period=Q2):
    return {f.sentence: f for f in extract_forecasts(text, period)}


def test_value_event_direction_and_vague_forecasts():
    found = by_sentence()
    value = found["The two new social workers start in October and we expect compliance to "
                  "return to 60% by Q4."]
    assert (value.what, value.value, value.due, value.due_period) == (
        "value", "60%", "2026-03", "2025/26 Q4")
    assert TEXT[value.start:value.end] == value.sentence
    event = found["The new system is due to go live by March 2026."]
    assert (event.what, event.due) == ("event", "2026-03")
    direction = found["Performance should improve within 12 weeks."]
    assert (direction.what, direction.due, direction.due_period) == (
        "direction", "2025-12", "2025/26 Q3")
    vague = found["We will review the rota soon."]
    assert vague.vague and vague.due is None


def test_facts_challenges_and_past_forecasts_are_not_forecasts():
    found = by_sentence()
    assert "Compliance fell to 52% this quarter." not in found
    assert "Recruitment remains a challenge." not in found
    assert "In Q1 we expected 58%." not in found


def test_confidence_is_a_share_and_higher_with_a_date():
    found = by_sentence()
    assert all(0 < f.confidence <= 1 for f in found.values())
    assert found["The new system is due to go live by March 2026."].confidence > \
        found["We will review the rota soon."].confidence


def test_a_due_date_before_the_period_written_in_is_kept_with_its_problem():
    text = "We expect the backlog to be cleared by June 2024."
    [forecast] = extract_forecasts(text, Q2)
    assert forecast.due == "2024-06"
    assert "before the period" in forecast.problem


def test_a_year_only_narrative_resolves_fiscal_years():
    [forecast] = extract_forecasts("The project will complete by 2016-17.", "2015-16")
    assert forecast.due == "2017-03" and forecast.what == "event"


def test_one_forecast_per_figure_written_before_its_own_date():
    text = "Expected impact: absence reduced to 6.0% by Q2 and 5.0% by Q4."
    found = [(f.value, f.due_period) for f in extract_forecasts(text, "2025/26 Q1")]
    assert found == [("6.0%", "2025/26 Q2"), ("5.0%", "2025/26 Q4")]


def test_a_count_forecast_and_a_stated_target_that_is_not_one():
    [count] = extract_forecasts("Expected impact: 2,500 or fewer by Q2.", "2025/26 Q1")
    assert (count.what, count.value, count.due) == ("value", "2500", "2025-09")
    assert extract_forecasts("Average days lost was 3.9 against a target of 3.2.",
                             "2025/26 Q1") == []
    assert extract_forecasts("There are now 31 placements, up from 29 in Q1.", Q2) == []


# a modal in a relative clause, a requirement, an aim, an uncertainty, plans as a noun, a
# past "anticipated", "forecasts" and "forecasting" as nouns
@pytest.mark.parametrize("text", [
    "The team is building a booking tool which will give clinics one diary.",
    "The new rota will need to be approved by the board.",
    "The service will also need to recruit two nurses.",
    "The unit will seek to improve how it talks with families.",
    "It is hard to say whether there will be more referrals next winter.",
    "Plans to move the clinic have been completed.",
    "Staff shared their plans to attend the training.",
    "The team anticipated and met the rise in demand.",
    "Costs are based on the budget and forecasts for the first phase.",
    "The forecasting model has been improved this year.",
    "To reach green, more support will be needed from partners.",
    "Closer links are needed with expected future demand.",
    "Staff keep to the discharge plan to make sure no one waits.",
    "At the last review the scheme was on track to finish its pilot.",
    "It was agreed the health board will continue to fund the posts.",
    "In Q1 an overspend was predicted, and it has now been closed.",
    "The number of referrals did not match our projections.",
    "It should be noted that the figure is a rate per 1,000.",
    "Staff should be able to see the whole list.",
    "The last review cancelled two clinics initially scheduled for the quarter.",
    "The report looks at the trajectory of art in the city.",
    "Staff gaps may have led to lower-than-expected uptake.",
    "Uptake went back up to the expected target of 80%.",
])
def test_sentences_that_look_forward_without_promising_anything_are_not_forecasts(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []  # the rules alone


def test_a_promise_beside_a_relative_clause_is_still_a_forecast():
    [forecast] = extract_forecasts(
        "The hub will open by March 2026, which will give families one door.", Q2)
    assert (forecast.what, forecast.due) == ("event", "2026-03")
    [anticipated] = extract_forecasts("It is anticipated that the audit will report in Q4.",
                                      Q2)
    assert anticipated.due == "2026-03"


def test_carrying_on_within_the_period_is_not_a_forecast_but_to_a_later_date_is():
    assert extract_forecasts("The clinic will continue offering evening slots in Q2.",
                             Q2) == []
    [later] = extract_forecasts("The clinic will continue offering evening slots until "
                                "March 2026.", Q2)
    assert later.due == "2026-03"


def test_one_event_per_milestone_date_in_the_order_written():
    text = ("The new wing is scheduled to open in May 2026, with the old ward closing by "
            "June 2027.")
    found = [(f.what, f.due) for f in extract_forecasts(text, Q2)]
    assert found == [("event", "2026-05"), ("event", "2027-06")]


def test_a_range_is_one_event_due_at_its_end():
    text = "The pilot will run from January 2026 to March 2027."
    assert [f.due for f in extract_forecasts(text, Q2)] == ["2027-03"]


def test_a_date_naming_a_meeting_is_not_a_second_milestone():
    text = "It was agreed at the October 2025 board that the hub will open by May 2026."
    assert [f.due for f in extract_forecasts(text, Q2)] == ["2026-05"]


def test_a_forecast_that_says_it_keeps_to_plan_is_still_a_forecast():
    [forecast] = extract_forecasts("The contract is expected to be signed in March 2026, "
                                   "as planned.", Q2)
    assert (forecast.what, forecast.due) == ("event", "2026-03")
    assert extract_forecasts("The contract was signed in July, as planned.", Q2) == []


def test_a_target_expected_to_be_met_is_a_direction():
    [forecast] = extract_forecasts("The standard is not expected to be achieved until 2027.", Q2)
    assert (forecast.what, forecast.due) == ("direction", "2027-12")


def _readers(planned: float) -> Readers:
    """Readers that read every sentence as a planned action with this probability."""
    logit = float(np.log(planned / (1 - planned)))
    return Readers(tags=("action_planned",), vocabulary={}, idf=np.zeros(0),
                   coef=np.zeros((1, 0)), intercept=np.array([logit]),
                   thresholds=np.array([0.8]))


def test_an_undated_event_needs_the_readers_to_read_a_planned_action():
    undated = "The team will look at the rota."
    dated = "The team will look at the rota by March 2026."
    with readers_in_use(_readers(0.2)):
        assert extract_forecasts(undated, Q2) == []
        assert [f.due for f in extract_forecasts(dated, Q2)] == ["2026-03"]
    with readers_in_use(_readers(0.7)):
        assert [f.what for f in extract_forecasts(undated, Q2)] == ["event"]
    assert [f.what for f in extract_forecasts(undated, Q2, use_readers=False)] == ["event"]


def test_an_event_with_vague_timing_is_kept_whatever_the_readers_read():
    """Vague timing is kept as a forecast with no due period (NQ02's concern, issue 19)."""
    with readers_in_use(_readers(0.2)):
        [soon] = extract_forecasts("The team will look at the rota soon.", Q2)
        assert (soon.what, soon.due, soon.vague) == ("event", None, True)
        assert extract_forecasts("The team will look at the rota.", Q2) == []


def test_lengths_of_time_and_names_are_not_the_value_forecast():
    [design] = extract_forecasts("The design is expected to take 12 months by March 2026.",
                                 Q2)
    assert (design.what, design.value) == ("event", None)
    [phase] = extract_forecasts("Phase 2 is expected to open by June 2026.", Q2)
    assert (phase.what, phase.value) == ("event", None)
    [rate] = extract_forecasts("We expect uptake to reach 40% by June 2026.", Q2)
    assert (rate.what, rate.value) == ("value", "40%")
    [late] = extract_forecasts("The new ward is expected to open 2 years late, by 2028.", Q2)
    assert late.value is None


def test_a_level_in_days_is_the_value_forecast():
    text = "Expected impact: an average stay of 30 days by Q3 and 27 days by Q4."
    found = [(f.what, f.value, f.due) for f in extract_forecasts(text, Q2)]
    assert found == [("value", "30", "2025-12"), ("value", "27", "2026-03")]


def test_a_quarter_as_a_point_of_reference_is_not_a_second_milestone():
    text = "The rating at Q1 was amber, but the contract will not be let in 2026."
    assert [f.due for f in extract_forecasts(text, Q2)] == ["2026-12"]


def test_a_year_naming_a_thing_is_not_when_it_is_due_but_a_target_year_is():
    [scope] = extract_forecasts("Work will start soon to scope our 2026/27 projects.", Q2)
    assert scope.due is None
    [target] = extract_forecasts("The hub is on track to meet our 2026/27 target.", Q2)
    assert target.due == "2027-03"


def test_a_name_with_a_number_is_not_the_value_forecast():
    [forecast] = extract_forecasts("Waits are expected to stay long because of COVID-19 "
                                   "until March 2026.", Q2)
    assert forecast.value is None


def test_a_date_before_the_forward_looking_words_is_what_happened_not_a_milestone():
    text = "The service was inspected in May 2025 and a further inspection is planned for " \
           "January 2026."
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2)] == [("event", "2026-01")]


def test_a_due_date_for_the_next_year_and_a_date_that_is_not_a_deadline():
    [forecast] = extract_forecasts("After a fall in 2024, new staff are expected to improve "
                                   "the results for the next financial year.", Q2)
    assert forecast.due == "2027-03"
    assert extract_forecasts("The scheme was funded in 2024 into the next financial year.",
                             Q2) == []


def test_on_schedule_to_is_a_forecast_like_on_track_to():
    [forecast] = extract_forecasts("The clinic remains on schedule to open in June 2026.", Q2)
    assert (forecast.what, forecast.due) == ("event", "2026-06")


def test_a_deadline_in_a_sentence_told_in_the_past_is_not_a_commitment():
    assert extract_forecasts("All posts were filled by Q3 and kept all year.", Q2) == []
    [commitment] = extract_forecasts("All posts filled by Q3.", Q2)
    assert commitment.due == "2025-12"


@pytest.mark.parametrize("text", [
    "Waiting lists are expected to remain low throughout 2026.",
    "The service anticipates meeting the target in 2026.",
    "Referral figures may not show a clear improvement until March 2026.",
])
def test_forecasts_of_the_indicator_staying_or_getting_there_are_directions(text):
    assert [f.what for f in extract_forecasts(text, Q2)] == ["direction"]


def test_a_season_is_not_a_fall_and_a_year_naming_results_is_not_a_due_date():
    [season] = extract_forecasts("Fresh figures will be published in fall 2026.", Q2)
    assert (season.what, season.due) == ("event", "2026-11")
    [survey] = extract_forecasts("The next survey will be run in 2027-28, to explain this "
                                 "year's results.", Q2)
    assert survey.due == "2028-03"


# --- issue 19, item 5: commitment against aim, condition and description ----------------

@pytest.mark.parametrize("text", [
    "The team aims to improve the experience of every tenant.",  # an aim with no date
    "The council remains committed to high-quality care.",
    "Tenant safety will remain a top priority for the service.",
    "Staff worked with partners to review the expected outcomes of the scheme.",
    "The service is forecasting against the agreed budget for the year.",
    "It was not possible to predict the demand until the survey closed in May 2025.",
    "Managers knew we were more likely to fall short of the standard this year.",
    "The second phase will need more funding from the council.",
    "The standard sets a three-year target that is to be reached by July 2026.",
])
def test_aims_requirements_and_stated_targets_are_not_forecasts(text):
    assert extract_forecasts(text, Q2) == []
    assert extract_forecasts(text, Q2, use_readers=False) == []  # by the rules alone


def test_an_aim_with_a_date_is_a_forecast():
    [aim] = extract_forecasts("The team aims to open the new hub by March 2026.", Q2)
    assert (aim.what, aim.due) == ("event", "2026-03")


def test_a_date_in_a_past_clause_before_the_cue_is_not_when_it_is_due():
    [forecast] = extract_forecasts("The plan published in April 2025 says that the team "
                                   "will recruit two more officers.", Q2)
    assert forecast.due is None
    [forecast] = extract_forecasts("In 2026/27 we expect the new team to be in place.", Q2)
    assert forecast.due == "2027-03"  # a date before the cue, with no past verb, is due


def test_a_year_naming_a_budget_or_forecast_is_not_a_due_date():
    report = "GMPP data for IPA Annual Report 2026"
    assert extract_forecasts("The team is checking the figures in the year end forecast.",
                             report) == []


def test_a_year_naming_a_level_is_not_a_due_date():
    [forecast] = extract_forecasts("We do not think visits will rise back to FY22 levels.",
                                   "FY2025 (Jul 2024–Jun 2025)")
    assert (forecast.what, forecast.due) == ("direction", None)


def test_working_to_improve_a_thing_is_an_event_and_building_back_is_a_direction():
    [work] = extract_forecasts("The team will work to improve the booking system.", Q2)
    assert work.what == "event"
    [back] = extract_forecasts("Clinic capacity will be built back up when the vacancy is "
                               "filled.", Q2)
    assert back.what == "direction"


def test_looking_forward_to_a_dated_event_and_a_month_of_a_year():
    [event] = extract_forecasts("The council looks forward to hosting the games in 2027.",
                                Q2)
    assert (event.what, event.due) == ("event", "2027-12")
    [event] = extract_forecasts("The unit is scheduled to move by September of 2026.", Q2)
    assert event.due == "2026-09"


@pytest.mark.parametrize("text", [
    "If the backlog is not cleared by March 2026, costs could rise.",
    "Funding for the post is secured until December 2026.",
])
def test_a_deadline_in_a_condition_or_a_duration_is_not_a_commitment(text):
    assert extract_forecasts(text, Q2) == []


def test_a_deadline_alone_is_still_a_commitment():
    [forecast] = extract_forecasts("Completion of the new hub by March 2026.", Q2)
    assert forecast.due == "2026-03"
    [moved] = extract_forecasts("The pilot has been extended until June 2026.", Q2)
    assert moved.due == "2026-06"  # a date moved to is a new deadline


def test_a_plan_dated_after_the_period_with_in_is_an_event_unless_told_in_the_past():
    [award] = extract_forecasts("The move of the two teams to the new depot in summer "
                                "2026 remains on schedule.", Q2)
    assert (award.what, award.due) == ("event", "2026-08")
    [review] = extract_forecasts("An independent audit is being undertaken in April 2026.",
                                 Q2)
    assert review.due == "2026-04"
    assert extract_forecasts("In 2026 the outreach team offered 240 home visits.", Q2) == []
    assert extract_forecasts("The new rota took effect in January 2026.", Q2) == []


def test_the_planned_floor_can_be_chosen_by_cross_validation():
    text = "We will review the rota with the unions."
    assert [f.due for f in extract_forecasts(text, Q2, planned_floor=0.0)] == [None]
    assert extract_forecasts(text, Q2, planned_floor=1.01) == []  # above any probability


@pytest.mark.parametrize(("text", "what"), [
    ("Plans are in place to recruit two more nurses.", "event"),
    ("Progress so far shows the target will be met (the target was raised last year).",
     "direction"),
])
def test_plans_in_place_and_a_target_expected_to_be_met_are_forecasts(text, what):
    assert [f.what for f in extract_forecasts(text, Q2, use_readers=False)] == [what]


# --- issue 19, item 5 (third session): general shapes read in unlabelled train text ------

@pytest.mark.parametrize(("text", "what"), [
    ("The new call hub is expected to achieve initial operating capability in late 2026.", "event"),
    ("The upgrade remains on track to pass its next gateway by June 2026.", "event"),
    ("The clinic is on track to meet our 2026 target.", "direction"),
    ("First returns indicate the standard will be surpassed by March 2026.", "direction"),
    ("Attendance should return to pre-pandemic levels next year.", "direction"),
])
def test_reaching_a_milestone_is_an_event_and_reaching_a_target_a_direction(text, what):
    assert [f.what for f in extract_forecasts(text, Q2, use_readers=False)] == [what]


@pytest.mark.parametrize("text", [
    "We expect the ORION 3 system to go live in late 2026.",
    "Sign-off is expected at the Gate 4 review in June 2026.",
    "Handover to the ward is expected a minimum of 8 weeks after fit-out.",
    "The end date is forecast to be June 2027, 5 months later than planned.",
    "The building works are expected to be phased over the first 4 years.",
])
def test_a_number_in_a_name_or_saying_how_late_is_not_the_value_forecast(text):
    assert [(f.what, f.value) for f in extract_forecasts(text, Q2, use_readers=False)] == [
        ("event", None)]


REPORT_2027 = "GMPP data for IPA Annual Report 2027"


@pytest.mark.parametrize(("text", "dues"), [
    # a date before the period beside one after it is what happened, not a second event
    ("Sea trials finished in November 2026 and the ferry remains on target for a first "
     "season during 2027.", ["2027-12"]),
    ("The new clinic remains on track to open in 2029 after sign-off of a gateway paper in "
     "April 2025.", ["2029-12"]),
    # an annual report's narrative may be as at the September before: both still ahead
    ("Charges for large firms will commence in October 2026 and for small firms from "
     "March 2027.", ["2026-10", "2027-03"]),
    # a date with its year after the cue, when the led one is behind
    ("The redesign is on target to complete 30/11/2028, as noted in Q2 2026/27.",
     ["2028-11"]),
])
def test_past_dates_beside_a_commitment_are_not_when_it_is_due(text, dues):
    assert [f.due for f in extract_forecasts(text, REPORT_2027, use_readers=False)] == dues


def test_a_date_a_change_is_counted_since_is_not_a_due_date():
    [forecast] = extract_forecasts("Since April 2025 we have recruited six staff, and this "
                                   "will reduce waiting times.", Q2, use_readers=False)
    assert (forecast.what, forecast.due) == ("direction", None)


@pytest.mark.parametrize(("text", "dues"), [
    ("The target date for go-live is June 2027.", ["2027-06"]),
    ("Our forecast end date is now May 2028.", ["2028-05"]),
    ("The partnership's boards forecast an end date of 15 September 29.", ["2029-09"]),
    ("Most sites will be done by 2027-Q4, with the final end date estimated as 2028-Q4.",
     ["2027-03", "2028-03"]),
    # a date merely stated, or an old target, is none
    ("The scheme end-date is 14 November 2028.", []),
    ("Slippage against the original target date of May 2026 followed the walkout.", []),
])
def test_a_date_named_as_expected_in_a_noun_phrase_is_a_commitment(text, dues):
    assert [f.due for f in extract_forecasts(text, REPORT_2027, use_readers=False)] == dues


@pytest.mark.parametrize("text", [
    "This will require some changes to the programme's plans.",
    "The replacement rostering tool has gone live as planned in April 2027.",
])
def test_a_requirement_and_a_dated_plan_already_done_are_not_commitments(text):
    assert extract_forecasts(text, REPORT_2027, use_readers=False) == []


def test_a_month_with_a_two_digit_number_past_any_day_is_a_year():
    [forecast] = extract_forecasts("Handover is currently forecast to be October 47.",
                                   REPORT_2027, use_readers=False)
    assert forecast.due == "2047-10"


def test_on_track_towards_a_target_is_a_direction():
    [forecast] = extract_forecasts("The team is on track towards reaching the standard for "
                                   "March 31, 2027.", "2025-26", use_readers=False)
    assert (forecast.what, forecast.due) == ("direction", "2027-03")


@pytest.mark.parametrize(("text", "due"), [
    ("We'll review the rota with the unions.", None),
    ("The team’ll publish the review soon.", None),
    # an old plan reported back beside a commitment still on track
    ("Closure is later than planned, but the service remains on schedule for its exit "
     "review by June 2026.", "2026-06"),
])
def test_a_contracted_will_and_a_plan_still_on_track_are_commitments(text, due):
    assert [f.due for f in extract_forecasts(text, Q2, use_readers=False)] == [due]


def test_years_joined_before_a_level_noun_name_the_level():
    [forecast] = extract_forecasts("We do not think call volumes will rise back to FY23 or FY22 "
                                   "level of service.", "FY2025 (Jul 2024–Jun 2025)",
                                   use_readers=False)
    assert (forecast.what, forecast.due) == ("direction", None)


def test_clauses_forecasting_different_things_are_two_forecasts():
    text = ("The council will hire three more inspectors by December 2025, and expects "
            "complaints to fall.")
    found = sorted((f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False))
    assert found == [("direction", None), ("event", "2025-12")]


def test_a_clause_with_no_subject_of_its_own_shares_the_one_before():
    # (two clauses, each with its own verb: two forecasts, both the indicator's direction)
    text = ("This standard is not expected to be achieved in 2026/27, and will not be achieved "
            "for the island practices.")
    assert [f.what for f in extract_forecasts(text, Q2, use_readers=False)] == [
        "direction", "direction"]


@pytest.mark.parametrize(("text", "period"), [
    ("In 2024/25 the backlog doubled, and the new triage team will clear it.", Q2),
    ("For FY25 the standard was met, but staffing gaps will make the team review it.",
     "FY2025"),
])
def test_a_date_before_the_cue_that_has_passed_is_not_when_it_is_due(text, period):
    [forecast] = extract_forecasts(text, period, use_readers=False)
    assert forecast.due is None and forecast.problem is None


def test_expecting_the_measure_to_move_is_a_direction():
    [forecast] = extract_forecasts("We expect missed collections to fall next year.", Q2,
                                   use_readers=False)
    assert (forecast.what, forecast.due) == ("direction", "2027-03")


def test_what_is_to_be_done_after_the_period_is_planned_in_a_sentence_told_in_the_past():
    text = ("Last year was a pilot year, and the service prepared to launch a new outreach "
            "scheme in 2026/27.")
    [forecast] = extract_forecasts(text, Q2, use_readers=False)
    assert (forecast.what, forecast.due) == ("event", "2027-03")


@pytest.mark.parametrize("text", [
    "The contract to supply meals ended in June 2026.",  # told in the past after 'to'
    "Funding was approved to open the hub in 2024.",  # dated before the period
])
def test_what_was_to_be_done_is_no_plan(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


@pytest.mark.parametrize("text", [
    "The new portal will become the main route for applications.",
    "This change will enable faster payments to suppliers.",
    "The spring event will now be a much smaller occasion.",
])
def test_an_undated_state_or_consequence_is_nothing_to_check(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


@pytest.mark.parametrize(("text", "due"), [
    ("There will be a pause in recruitment.", None),
    ("The rota will be reviewed.", None),
    ("The new portal will become the main route for applications by March 2026.", "2026-03"),
])
def test_things_done_or_dated_are_still_forecasts(text, due):
    [forecast] = extract_forecasts(text, Q2, use_readers=False)
    assert (forecast.what, forecast.due) == ("event", due)


@pytest.mark.parametrize("text", [
    "It will take time before the new staff are fully trained.",  # a state
    "The lessons of the pilot will inform the next phase.",  # a consequence
    "The depot upgrade remained on track for delivery in 2027.",  # an old forecast
    "The audit gave confidence that the crews would be trained by March 2027.",  # an old view
])
def test_states_and_old_views_are_no_forecasts(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


@pytest.mark.parametrize("text", [
    "The plan sets out how the service will reduce waiting times.",
    "The board asked why the new contract will cost more.",
])
def test_a_modal_in_a_question_is_no_forecast(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


@pytest.mark.parametrize(("text", "found"), [
    ("The costs of the move will be absorbed by the service.", [("other", None)]),
    ("The agreed savings will be delivered by May 2026.", [("other", "2026-05")]),
    ("The depot will close in 2026/27, but the costs will be met from reserves.",
     [("event", "2027-03"), ("other", None)]),
    ("The spend profile will be revised.", [("event", None)]),  # a profile, not money
])
def test_money_forecast_is_another_measure_than_the_kpi(text, found):
    assert sorted((f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)) \
        == found


@pytest.mark.skipif(not corpus_available(),
                    reason="needs the shared real corpus (../shared/corpus/real.jsonl)")
def test_the_planned_floor_in_use_is_the_one_organisation_folds_choose():
    from collections import Counter

    from narrative_qa.forecasts.extract import PLANNED_FLOOR
    from tools.forecast_cv import cross_validate

    chosen = Counter(floor for _, floor in cross_validate("organisation").chosen)
    assert chosen.most_common(1)[0][0] == PLANNED_FLOOR


@pytest.mark.parametrize(("text", "found"), [
    ("The council hopes to open the new depot once the roof repairs are finished.",
     [("event", None)]),
    ("We hope to reopen the library after the refit.", [("event", None)]),
])
def test_a_hope_as_a_verb_is_a_forecast(text, found):
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)] == found


def test_a_target_of_a_figure_by_a_date_is_a_target_unless_expected():
    stated = "The service continues to work towards its target of 500 new homes by March 2027."
    assert extract_forecasts(stated, Q2, use_readers=False) == []
    expected = "We expect to meet the target of 500 new homes by March 2027."
    assert [f.due for f in extract_forecasts(expected, Q2, use_readers=False)] == ["2027-03"]


def test_a_measure_that_may_fall_is_a_direction_forecast():
    text = "Next year the number of visits may decrease as the clinic moves to a smaller site."
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)] == [
        ("direction", "2027-03")]


@pytest.mark.parametrize("text", [
    "From 2027/28 onwards the new rota will be used in every ward.",
    "For FY27 and beyond, the team will report visits by ward.",
])
def test_a_date_with_no_end_is_no_deadline(text):
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)] == [
        ("event", None)]


def test_an_ability_dated_in_a_past_sentence_is_no_plan():
    text = ("Two pumps were repaired during the quarter, restoring the station's ability to "
            "treat water in April 2026.")
    assert extract_forecasts(text, Q2, use_readers=False) == []
    planned = "Two pumps were repaired, and the station is to treat water again in April 2026."
    assert [f.due for f in extract_forecasts(planned, Q2, use_readers=False)] == ["2026-04"]


def test_a_risk_to_a_date_is_no_commitment_to_it():
    risk = ("Late deliveries from the supplier could affect our handover, planned for "
            "March 2027.")
    assert extract_forecasts(risk, Q2, use_readers=False) == []
    named = "The programme's projected closure date is March 2027."
    assert [f.due for f in extract_forecasts(named, Q2, use_readers=False)] == ["2027-03"]


def test_meeting_commitments_is_the_indicators_direction():
    text = "The service is on track to meet every one of its commitments for the year."
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)] == [
        ("direction", None)]


def test_a_second_milestone_at_the_end_of_the_year_is_its_own_event():
    text = ("The first induction cohort is planned to finish in November, which will lead to "
            "the sign-off of the remaining carers at the end of the year.")
    assert [(f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)] == [
        ("event", "2025-11"), ("event", "2026-03")]


def events(text, period=Q2):
    return [(f.what, f.due) for f in extract_forecasts(text, period, use_readers=False)]


def test_the_date_a_thing_was_moved_to_is_when_it_is_due():
    assert events("The contractor's delays have postponed the opening of the new depot to "
                  "July 2026.") == [("event", "2026-07")]
    assert events("Last year the opening was postponed to July 2025.") == []


def test_a_plan_named_with_its_date_is_a_commitment():
    assert events("Winter open day: Planned for January 2026, the service is inviting "
                  "families to visit the new centre.") == [("event", "2026-01")]
    assert events("All of the repairs planned for Q2 have now been completed.") == []
    assert events("All of the repairs planned for Q2 have now occurred.") == []
    # what a plan names is no commitment without a date ('which will provide' is a state)
    assert events("Objectives planned for each team, which will provide the grounding for "
                  "appraisals.") == []


def test_something_awaited_with_its_date_is_an_event():
    assert events("We are awaiting the results of the staff survey (February 2026) to set "
                  "next year's priorities.") == [("event", "2026-02")]
    assert events("We are awaiting the results of the staff survey.") == []
    # awaited in the past, or a date before what is awaited, is no commitment
    assert events("The agreement was still awaiting sign-off, with the new rate applying "
                  "from July.") == []
    assert events("The project's end date at 2025/26 Q2 is awaiting review.") == []


def test_a_deadline_before_a_named_event_on_a_date():
    assert events("Work is in hand to ensure, before the contract ends on 31 January 2026, "
                  "that every record has been moved.") == [("event", "2026-01")]


def test_a_date_said_to_be_approaching_is_a_milestone_coming():
    assert events("Preparation has intensified as the move to the new building in February "
                  "approaches.") == [("event", "2026-02")]


def test_a_date_met_at_the_end_of_the_sentence_is_a_milestone():
    assert events("The new rota is reflected in the go-live date, which the team remains on "
                  "track to meet.") == [("event", None)]
    assert events("The team remains on track to meet.") == [("direction", None)]


def test_a_rating_forecast_is_a_value():
    found = extract_forecasts("Once the new contracts are signed we expect the service's "
                              "rating to move to Amber/Green for March 2026.", Q2,
                              use_readers=False)
    assert [(f.what, f.value, f.due) for f in found] == [("value", "Amber/Green", "2026-03")]
    # a rating after a noun ('a change to Amber') is not what is forecast
    assert events("The contract will be extended to June 2026, so a change to Amber is not "
                  "yet possible.") == [("event", "2026-06")]
    assert events("The team is working to a back to Green plan agreed by the board, to be "
                  "delivered by March 2026.") == [("event", "2026-03")]


def test_an_event_due_before_a_named_event_is_kept_whatever_the_readers_read():
    with readers_in_use(_readers(0.2)):
        [event] = extract_forecasts("The team is due to complete the last two reports "
                                    "prior to contract expiry.", Q2)
        assert (event.what, event.due) == ("event", None)
        assert extract_forecasts("The team is due to complete the last two reports.",
                                 Q2) == []


def test_getting_back_on_track_is_an_aim_not_a_claim():
    assert events("To get the rota back on track for a green rating, the team has asked "
                  "for more staff.") == []
    assert events("The new rota is back on track for completion in May 2026.") == [
        ("event", "2026-05")]


@pytest.mark.parametrize(("actual", "what"), [
    (None, "value"), (55.0, "value"), ("Amber/Red", "other"), ("31.03.2027", "other")])
def test_a_figure_is_the_kpis_value_only_when_the_kpi_is_a_figure(actual, what):
    # FORECAST_LABELLING.md: 'value' is a figure the KPI is expected to reach; a project
    # rated Amber/Red or measured by its end date expects 40 masts as another measure.
    [forecast] = extract_forecasts("The project is expected to deliver 40 new masts by "
                                   "March 2027.", Q2, actual=actual)
    assert (forecast.what, forecast.value) == (what, "40")


def test_a_rating_is_a_rating_kpis_value():
    [forecast] = extract_forecasts("We expect the rating to move to Green by March 2027.", Q2,
                                   actual="Amber")
    assert (forecast.what, forecast.value) == ("value", "Green")


def test_a_rescheduled_or_scheduled_thing_told_in_the_past_is_no_forecast():
    # (issue 19: false forecasts on records the extraction was not developed on)
    assert events("Two pilot sessions were cancelled and re-scheduled to the autumn.") \
        == []
    assert events("Every upgrade scheduled for the autumn of 2025 has been installed.") == []
    assert events("The upgrade is scheduled for March 2026.") == [("event", "2026-03")]
    assert events("Upgrades scheduled for March 2026 will need two engineers.") == [
        ("event", "2026-03")]


def test_a_future_told_as_a_risk_is_no_forecast():
    assert events("There is a risk that the new depot may not open by June 2026.") == []
    assert events("There is a danger that the contractor will not finish the roof by "
                  "May 2026.") == []
    assert events("The board noted a risk that the supplier will not finish the pilot "
                  "in time.") == []
    assert events("Despite that risk, the new depot will open by June 2026.") == [
        ("event", "2026-06")]
    # a method named with 'risk' is no risk told
    assert events("Following Risk Analysis modelling of the plan, go-live is forecast to be "
                  "May 2026.") == [("event", "2026-05")]


def test_a_deadline_in_a_sentence_saying_it_has_been_done_is_no_forecast():
    assert events("The aim of a new depot in every town by 2027 has been achieved.") == []
    assert events("The aim is a new depot in every town by 2027.") == [("event", "2027-12")]
    # with a cue of its own the sentence may still look ahead
    assert events("Phase 1 has been completed, with phase 2 expected in May 2026.") == [
        ("event", "2026-05")]
    # what has been done is written before the deadline that is still ahead
    assert events("Phases 1 and 2 have been completed, with phase 3 due in May 2026.") == [
        ("event", "2026-05")]


@pytest.mark.parametrize("text", [
    "This will be helpful for the teams that follow.",
    "The new provider will be responsible for running the service.",
    "Future decisions will be based on what the review finds.",
    "The lessons will be used to inform the next roll-out.",
])
def test_a_role_a_use_or_a_basis_with_no_date_is_nothing_to_check(text):
    assert events(text) == []


def test_a_role_with_a_date_is_still_a_forecast():
    assert events("The new provider will be responsible for the service from April 2026.") \
        == [("event", "2026-04")]


def test_money_moved_to_a_later_year_is_another_measure_not_an_event():
    # FORECAST_LABELLING.md: a cost is 'other'; the year it was budgeted in is no due date
    assert events("Costs first budgeted in 2025/26 have moved to 2026/27.") == [
        ("other", "2027-03")]
    assert events("2) Some training spend has been deferred to 2026/27.") == [
        ("other", "2027-03")]
    assert events("The pilot has been deferred to 2026/27.") == [("event", "2027-03")]


@pytest.mark.parametrize("text", [
    "The plans were shared with staff, including moves to new premises by March 2026.",
    "The survey was sent to all partners in May 2026.",
    "The report was about risks to funding in 2026/27.",
])
def test_to_before_a_noun_group_is_nothing_to_be_done(text):
    assert events(text) == []


def test_to_before_a_verb_dated_after_the_period_is_still_planned():
    assert events("The approvals were given for the team to recruit two officers in "
                  "2026/27.") == [("event", "2027-03")]
    assert events("Funding was agreed to bring the new depot into use in May 2026.") == [
        ("event", "2026-05")]


@pytest.mark.parametrize("text", [
    "Should the supplier's delays continue, this will affect the go-live date.",
    "The findings will be shared with partners if appropriate.",
    "The team will take further action as needed.",
    "Plans are in place to add staff should the need arise.",
])
def test_a_contingency_with_no_date_is_nothing_to_check(text):
    assert events(text) == []


def test_a_plan_on_a_condition_or_as_soon_as_possible_is_kept():
    assert events("If approved, the scheme will be extended to two more towns.") == [
        ("event", None)]
    assert events("The team will open the second clinic as soon as possible.") == [
        ("event", None)]
    assert events("Should the delays continue, go-live will move to June 2026.") == [
        ("event", "2026-06")]


def test_the_year_a_years_report_is_about_is_over_not_ahead():
    # FORECAST_LABELLING.md: a forecast is of what happens after the reporting period
    year = "FY2025 (Jul 2024–Jun 2025)"
    assert events("The clinic is on track to meet our FY25 target.", year) == []
    assert events("The clinic is on track to meet our FY27 target.", year) == [
        ("direction", "2027-06")]
    assert events("The clinic is on track to meet our FY25 target.",
                  "FY2025 Q2 (quarterly context)") == [("direction", "2025-06")]
    # an in-year return is written during its year: its outturn is still to come
    assert events("The new system will go live in 2025/26.", "2025/26") == [
        ("event", "2026-03")]


def test_money_expected_to_move_is_another_measure():
    # FORECAST_LABELLING.md: 'other' is another measure's figure or direction, a cost
    assert events("The new rota is expected to reduce overtime costs.") == [("other", None)]
    assert events("We expect reductions in agency spend on a comparable basis.") == [
        ("other", None)]
    assert events("Waiting times will improve further once funding is agreed.") == [
        ("direction", None)]


def test_a_forecast_for_a_year_told_as_it_was_is_an_old_forecast():
    assert events("The baseline forecast for 2025/26 was 4.5m and the outturn was 3.9m.",
                  "2025/26 Q4") == []
    assert events("Spend is forecast for 2026/27 at 4.5m.", "2025/26 Q4") == [
        ("value", "2027-03")]


GMPP = "GMPP data for IPA Annual Report 2023"


def test_on_course_now_expects_the_end_date_the_narrative_states():
    # the end date stated as data is no forecast; 'on track' with no date of its own
    # expects to meet it
    text = ("The scheme's end-date at 22/23-Q4 went from 2026-02-01 to 2025-09-30. "
            "The depot build is currently on schedule. Two posts were filled.")
    [forecast] = extract_forecasts(text, GMPP)
    assert forecast.sentence == "The depot build is currently on schedule."
    assert (forecast.what, forecast.due) == ("event", "2025-09")
    # its own date wins; told in the past, negated, or with no end date after the period,
    # nothing is borrowed
    [own] = extract_forecasts("The end-date is 30 June 2027. The depot remains on track "
                              "to open by March 2026.", GMPP)
    assert own.due == "2026-03"
    for text in ("The end-date is 30 June 2027. The depot build was on schedule.",
                 "The end-date is 30 June 2027. The depot build is not on track.",
                 "The end-date is 30 June 2019. The depot build is on track.",
                 "The depot build is on track."):
        assert all(f.due is None for f in extract_forecasts(text, GMPP)), text


def test_a_plan_joined_to_a_verb_told_before_it():
    [plan] = extract_forecasts("We have hired a new coach and plan to survey parents in "
                               "September.", "FY2025 (Jul 2024–Jun 2025)")
    assert (plan.what, plan.due) == ("event", "2025-09")
    # a noun joined to a noun is no plan
    assert extract_forecasts("A budget and plan to fund the coach needs to be agreed.",
                             "FY2025 (Jul 2024–Jun 2025)") == []


def test_money_expected_after_the_cue_is_another_measure():
    # staying within a budget or delivering savings is checkable, as 'other' (a cost)
    for text in ("The depot is forecast to come in within budget and the team has "
                 "learned lessons.",
                 "The new booking system will realise the expected savings."):
        [forecast] = extract_forecasts(text, GMPP)
        assert (forecast.what, forecast.due) == ("other", None), text
    # a document named by money is no money; with a date the event is what is checked
    assert extract_forecasts("The consultants remain on track to deliver the cost benefit "
                             "analysis.", GMPP) == []
    [dated] = extract_forecasts("The depot will open within budget by May 2024.", GMPP)
    assert (dated.what, dated.due) == ("event", "2024-05")


def test_an_undated_event_after_a_named_step_to_come_is_timed():
    # (the readers do not read these as planned actions; without the readers every
    # undated event is kept)
    for text in ("Final attendance figures will be published following approval of the "
                 "audit.",
                 "New counts are expected upon receipt of the partners' returns."):
        [forecast] = extract_forecasts(text, Q2)
        assert (forecast.what, forecast.due) == ("event", None), text


@pytest.mark.parametrize(("text", "expected"), [
    # two clauses, each with its own subject and modal
    ("We will refresh the duty rota and a new peer support scheme will start in February "
     "2026.", [("event", None), ("event", "2026-02")]),
    ("The clinic will move to the new site on 3 November 2025, and we will survey patients "
     "in spring 2026.", [("event", "2025-11"), ("event", "2026-05")]),
    # two verbs, each with its own object, under one 'will'
    ("We will commission an external audit of the contract and appoint two more "
     "reviewers.", [("event", None), ("event", None)]),
    # two moves of the indicator, each dated
    ("Demand is expected to hold steady until December before rising in summer 2026.",
     [("direction", "2025-12"), ("direction", "2026-08")]),
    # two figures, the first with a relative date
    ("Attendance should reach 80% next quarter and 85% by Q4.",
     [("value", "2025-12"), ("value", "2026-03")]),
    # 'at which point': due when the clause before it is
    ("The new portal is on track to launch by the end of 2026, at which point the old forms "
     "will be withdrawn.", [("event", "2026-12"), ("event", "2026-12")]),
    # a date opening the sentence dates each of its clauses
    ("In 2026/27, the team will open a second hub and a new triage line will be set up.",
     [("event", "2027-03"), ("event", "2027-03")]),
])
def test_two_forecasts_of_one_kind_in_a_sentence_are_two(text, expected):
    found = sorted(((f.what, f.due) for f in extract_forecasts(text, Q2, use_readers=False)),
                   key=str)
    assert found == sorted(expected, key=str)


@pytest.mark.parametrize("text", [
    "We will design and deliver the new induction course by March 2026.",
    "In 2026/27 it is expected that the north and south teams will merge.",
    "The team will focus on the east depot and on the west depot by May 2026.",
])
def test_one_forecast_with_two_nouns_or_two_verbs_on_one_object_stays_one(text):
    assert len(extract_forecasts(text, Q2, use_readers=False)) == 1


@pytest.mark.parametrize(("text", "period", "due"), [
    ("We expect the backlog to be cleared by February 2026, once the agency staff arrive "
     "in November.", Q2, "2026-02"),
    ("We expect the backlog to be cleared by February 2026 if the agency staff arrive in "
     "November.", Q2, "2026-02"),
    ("Permit times are projected to fall below 30 days in FY2026 unless the new software "
     "is delayed beyond late 2025.", "FY2025", "2026-06"),
    # with no other date the clause's own is all there is
    ("Waits will fall once the agency staff arrive in November.", Q2, "2025-11"),
])
def test_a_date_in_a_clause_of_condition_or_time_is_not_the_forecasts_due(text, period, due):
    [forecast] = extract_forecasts(text, period, use_readers=False)
    assert forecast.due == due


@pytest.mark.parametrize(("text", "expected"), [
    # a timetable told in the present, its month after the period
    ("Three new drivers join the depot in November.", [("event", "2025-11")]),
    ("The locum pharmacist is starting in December.", [("event", "2025-12")]),
    ("Two new drivers begin in November and we expect complaints to fall by March 2026.",
     [("direction", "2026-03"), ("event", "2025-11")]),
    # 'should' with a move of the indicator
    ("Response times should fall.", [("direction", None)]),
    ("Missed visits should then reduce next quarter.", [("direction", "2025-12")]),
    # the thing judged on course to be done, with no date
    ("The outstanding audits are on track to be finished.", [("event", None)]),
    # a dated plan told in an aside, beside the main clause's forecast
    ("The new rota tool, which will go live in January 2026, is expected to improve "
     "cover.", [("direction", "2026-01"), ("event", "2026-01")]),
])
def test_future_cues_a_timetable_should_and_an_aside(text, expected):
    found = sorted(((f.what, f.due) for f in extract_forecasts(text, Q2)), key=str)
    assert found == sorted(expected, key=str)


@pytest.mark.parametrize("text", [
    "The total is nil because the annual audit begins in February.",
    "Three new drivers joined the depot in November.",
])
def test_a_timetable_told_as_a_reason_or_in_the_past_is_no_forecast(text):
    assert extract_forecasts(text, Q2) == []


@pytest.mark.parametrize(("text", "period", "due"), [
    # an aim for the indicator's move is a direction, as an expectation is
    ("The team aims to be back on target by end of the financial year.", Q2, "2026-03"),
    ("The team aims to return to the standard during 2026/27.", Q2, "2027-03"),
    ("The team aims to increase response rates by June 2026.", Q2, "2026-06"),
    # shorten, lengthen and drop are moves
    ("We expect queue times to lengthen over the winter.", Q2, "2026-02"),
    ("Missed visits are likely to drop by March 2026.", Q2, "2026-03"),
])
def test_an_aim_to_move_and_more_verbs_of_moving_are_directions(text, period, due):
    [forecast] = extract_forecasts(text, period, use_readers=False)
    assert (forecast.what, forecast.due) == ("direction", due)


def test_an_aim_to_do_a_thing_by_a_date_is_still_an_event():
    [forecast] = extract_forecasts("We aim to open the new hub by March 2026.", Q2,
                                   use_readers=False)
    assert (forecast.what, forecast.due) == ("event", "2026-03")


@pytest.mark.parametrize(("text", "value"), [
    ("The contract is forecast to cost £3.4m in 2026/27.", "£3.4m"),
    ("Agency spend is projected to reach $12 million by March 2026.", "$12m"),
    ("The fund is expected to grow to £2bn by 2030.", "£2bn"),
])
def test_an_amount_keeps_its_multiplier(text, value):
    [forecast] = extract_forecasts(text, Q2, use_readers=False)
    assert forecast.value == value


def test_an_amount_the_subject_names_before_the_cue_is_the_figure_expected():
    [forecast] = extract_forecasts("Efficiencies of £4m are forecast in 2026/27.", Q2,
                                   use_readers=False)
    assert (forecast.what, forecast.value, forecast.due) == ("other", "£4m", "2027-03")


@pytest.mark.parametrize("text", [
    # the end date itself moved from one date to another: the schedule restated as data
    "Our scheme's end date has slipped from 1 Sep 26 to 1 Mar 27, following late parts.",
    "Our closing end-date was pushed back from June 2026 to January 2027.",
])
def test_an_end_date_moved_to_a_new_date_is_no_forecast(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


def test_delivery_moved_to_a_later_date_is_still_a_forecast():
    [forecast] = extract_forecasts("The rollout of the new rota has been deferred to July 2026.",
                                   Q2, use_readers=False)
    assert (forecast.what, forecast.due) == ("event", "2026-07")


@pytest.mark.parametrize("text", [
    # 'expected' as an adjective after a determiner names a thing; nothing is expected
    "We kept in close touch with the board about the expected budget and its sign-off in May.",
    "Officers met the partners to discuss their expected caseload over the summer.",
])
def test_the_expected_thing_is_no_cue(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


def test_the_expected_completion_date_is_still_a_forecast():
    [forecast] = extract_forecasts("The expected completion date for the new hub is May 2026.",
                                   Q2, use_readers=False)
    assert (forecast.what, forecast.due) == ("event", "2026-05")


def test_a_hardship_foreseen_with_no_date_is_no_forecast():
    text = "Moving the case files onto the new platform will be especially challenging."
    assert extract_forecasts(text, Q2) == []


@pytest.mark.parametrize("text", [
    # what was to be done by the date is what an action then was for: the verb is past
    "In order to sign the lease by mid-May, as the chief officer requested, both budget "
    "sign-offs were needed by no later than 30 April.",
    "All work orders to be finished by March 2026 have been issued to the locality teams.",
])
def test_a_date_to_meet_told_with_a_past_verb_is_no_forecast(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


def test_a_task_to_finish_by_a_date_is_still_a_forecast():
    [forecast] = extract_forecasts("All work orders to be finished by March 2026.", Q2,
                                   use_readers=False)
    assert (forecast.what, forecast.due) == ("event", "2026-03")


@pytest.mark.parametrize("text", [
    # a move named only as what a state will hold or bring is no expected direction
    "The extra capacity will support the duty team with quicker and more reliable checks.",
    "This will include strengthening and improving the skills of our admin staff.",
])
def test_a_move_inside_a_state_with_no_date_is_no_forecast(text):
    assert extract_forecasts(text, Q2, use_readers=False) == []


def test_a_move_expected_with_no_date_is_still_a_direction():
    [forecast] = extract_forecasts("We expect waiting times to improve.", Q2, use_readers=False)
    assert forecast.what == "direction"


def test_a_growing_pressure_told_with_be_is_still_a_direction():
    [forecast] = extract_forecasts("With an ageing van fleet, breakdowns are and will be a "
                                   "rising pressure causing lost visits.", Q2, use_readers=False)
    assert forecast.what == "direction"


def test_a_planned_date_in_brackets_that_is_put_back_is_not_due():
    found = extract_forecasts("A fault in the new phones delayed the switchover for the "
                              "north team (scheduled for Apr 26).", Q2, use_readers=False)
    assert [f.due for f in found if f.due] == []
    [forecast] = extract_forecasts("Late cabling will prevent the hub opening (planned for "
                                   "February 2026) until June 2026.", Q2, use_readers=False)
    assert forecast.due == "2026-06"


def test_a_planned_date_in_brackets_with_good_progress_is_still_due():
    [forecast] = extract_forecasts("The fit-out is going well (scheduled for "
                                   "completion in May 2026).", Q2, use_readers=False)
    assert forecast.due == "2026-05"
