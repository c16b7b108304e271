"""Forecast extraction on shapes found in organisations the rules were not written on
(issue 19, item 5): each sentence here is written for the test, none is corpus text."""

from __future__ import annotations

import pytest

from narrative_qa.forecasts.extract import extract_forecasts

GMPP = "GMPP data for IPA Annual Report 2026"  # read as written by March 2026
Q2 = "2025/26 Q2"


def whats(text: str, period: str = Q2) -> list[tuple[str, str | None]]:
    return [(f.what, f.due) for f in extract_forecasts(text, period, use_readers=False)]


@pytest.mark.parametrize("text", [
    "The board is still working to confirm when the new ledger will be ready for use.",
    "Staff asked the team when the depot will open to the public.",
    "The review in May 2025 praised how clearly the team set out what it intends to deliver.",
])
def test_a_cue_in_an_indirect_question_is_no_forecast(text):
    assert whats(text) == []


def test_when_after_a_date_names_the_time_and_keeps_the_forecast():
    text = "Partners should prepare for the months after June 2026 when the scheme is " \
           "due to finish."
    assert whats(text) == [("event", "2026-06")]


@pytest.mark.parametrize("text", [
    "The scheme's end date is scheduled for June 2028.",
    "The scheme's end-date remains scheduled to close on 30 June 2028.",
])
def test_an_end_date_said_to_be_scheduled_is_the_schedule_stated_as_data(text):
    assert whats(text, GMPP) == []


def test_an_end_date_a_scheme_is_on_track_to_meet_is_still_a_forecast():
    text = "The scheme is on track to finish by its end date of June 2028."
    assert whats(text, GMPP) == [("event", "2028-06")]


def test_a_date_after_as_at_is_when_the_text_stands_not_a_due_date():
    assert whats("As at May 2026, we will review the rota.") == [("event", None)]


@pytest.mark.parametrize("text", [
    "This will facilitate a smoother handover between the two teams.",
    "Staffing will remain a concern for the service, however.",
    "The change will not impact frontline services.",
    "The new rota will support the duty managers.",
])
def test_an_undated_consequence_or_state_after_will_is_nothing_to_check(text):
    assert whats(text) == []


def test_an_undated_action_after_will_is_still_a_planned_event():
    assert whats("The team will publish the revised rota.") == [("event", None)]


@pytest.mark.parametrize("text", [
    "Teams that missed their quota have provided plans to meet it next year.",
    "There are no plans to extend the lease to June 2026.",
    "We do not have any plans to close the branch library.",
    "A review of plans to extend the lease to June 2026 delayed the decision.",
    "Recovery plans to shorten the queue for repairs.",
    "Contingency plans to keep the helpline open during the strike have been agreed.",
])
def test_plans_as_a_noun_is_no_cue(text):
    assert whats(text) == []


def test_a_body_that_plans_to_do_something_by_a_date_is_a_forecast():
    assert whats("The council plans to extend the lease to June 2026.") == \
        [("event", "2026-06")]


def test_the_date_of_the_step_a_sentence_opens_on_is_what_happened():
    text = "Following the contract approval in August 2025, the depot has been profiled " \
           "for reopening by 20/05/2026, which will be the last step."
    assert whats(text) == [("event", "2026-05")]


def test_a_date_before_the_text_was_written_in_a_sentence_told_in_the_past_is_not_due():
    text = "The notice was issued in March 2024, saying the new service will start in " \
           "February 2024."
    assert [due for _, due in whats(text)] == [None]
    # (told in the present, such a date is kept, with its problem: a bad input)
    assert whats("We expect the backlog to be cleared by June 2024.") == [("event", "2024-06")]


def test_a_date_followed_by_future_years_has_no_deadline():
    text = "The service faces pressures on funding in 2026/27 and future years."
    assert whats(text) == []


@pytest.mark.parametrize("text", [
    "The hub has set up a rota to ensure that every caller will reach an adviser.",
    "Ring-fenced funding ensures that the new posts will be kept.",
    "A small team was set up to ensure the depot is set to reopen.",
])
def test_a_cue_after_ensure_is_what_an_action_is_for(text):
    assert whats(text) == []


@pytest.mark.parametrize(("text", "due"), [
    ("The tender is due to commence on 12 March 2026.", "2026-03"),
    ("The new charges are due to deliver 1 May 2026.", "2026-05"),
    ("Our depot inspection is due to take place on 3 June 2026.", "2026-06"),
    ("The pilot is due to exit its trial phase and commence roll-out.", None),
])
def test_due_to_with_a_verb_of_schedule_is_a_cue(text, due):
    assert whats(text) == [("event", due)]


def test_due_to_with_a_noun_is_a_cause_not_a_cue():
    assert whats("The underspend is due to delivery slipping on 25 April 2026.") == []


@pytest.mark.parametrize("text", [
    "Until the survey results arrive, the rating is likely to stay Amber.",
    "The project is expected to be rated Green.",
])
def test_a_rating_straight_after_remain_or_be_is_the_value_expected(text):
    [forecast] = extract_forecasts(text, GMPP, use_readers=False)
    assert (forecast.what, forecast.value) == ("value", text.split()[-1].rstrip("."))


@pytest.mark.parametrize(("text", "dues"), [
    ("In August 2025, the board announced a review by the end of 2026.", ["2026-12"]),
    ("Phase one began in July 2025, with phase two by June 2026 and phase three by "
     "March 2027.", ["2026-06", "2027-03"]),
    ("Bids will be assessed in May 2026, with the panel expected to sit in July 2026.",
     ["2026-05", "2026-07"]),
])
def test_a_date_told_in_the_past_is_no_milestone(text, dues):
    assert [due for _, due in whats(text)] == dues


def test_money_delivered_after_the_cue_is_other_even_with_a_date():
    text = "Our depot scheme is on track to achieve its planned savings of £4m by March 2027."
    assert whats(text) == [("other", "2027-03")]


def test_an_event_within_budget_with_a_date_is_still_the_event():
    assert whats("The depot will open within budget by May 2026.") == [("event", "2026-05")]


def test_a_move_in_a_relative_clause_is_a_consequence_not_the_direction():
    text = "Two more vans will be delivered in May 2026, which will reduce the need for hired " \
           "transport."
    assert whats(text) == [("event", "2026-05")]
    assert whats("Waiting times will reduce by May 2026.") == [("direction", "2026-05")]


@pytest.mark.parametrize("text", [
    "The late invoices caused the forecast to rise.",
    "The end date was set from the forecast completion of every workstream.",
])
def test_forecast_after_a_determiner_is_a_noun_not_a_cue(text):
    assert whats(text) == []


@pytest.mark.parametrize("text", [
    "The main challenge will be the recruitment of night staff.",
    "Key to the new service's success will be the support of local partners.",
])
def test_what_a_challenge_or_key_will_be_is_a_role_not_a_plan(text):
    assert whats(text) == []


def test_a_dated_challenge_still_names_its_date():
    text = "The main challenge will be the move to the new site in May 2026."
    assert whats(text) == [("event", "2026-05")]


@pytest.mark.parametrize("text", [
    "We do not yet know if the grant will be renewed next year.",
    "It remains unclear if the contractor will hand over the depot by June 2026.",
])
def test_will_after_if_following_a_word_is_an_indirect_question(text):
    assert whats(text) == []


@pytest.mark.parametrize("text", [
    "If approved the scheme will be extended.",
    "The team will check if the grant has been renewed.",
])
def test_a_condition_opening_on_if_keeps_its_forecast(text):
    assert whats(text) == [("event", None)]


@pytest.mark.parametrize("text", [
    "Historically, call volumes will dip over the summer holidays.",
    "Demand for the night shelter will usually peak in December.",
    "Applicants will typically be contacted within a week of referral.",
])
def test_will_with_an_adverb_of_habit_tells_what_tends_to_happen(text):
    assert whats(text) == []


@pytest.mark.parametrize(("text", "found"), [
    ("Although waits have often been long, the new team will reduce them.",
     [("direction", None)]),
    ("Visits usually dip in the summer and will recover in the autumn.",
     [("direction", "2025-11")]),
    ("As usually happens, the annual report will be published in May 2026.",
     [("event", "2026-05")]),
])
def test_a_habit_told_in_another_clause_or_a_dated_occasion_keeps_the_forecast(text, found):
    assert whats(text) == found


@pytest.mark.parametrize("text", [
    "We estimate that 85% of repairs will be finished on time by March 2026.",
    "85% of repairs are projected to be finished on time by March 2026.",
    "By March 2026, 85% of repairs will be finished on time.",
])
def test_a_share_written_as_the_subject_of_the_forecast_is_its_value(text):
    [forecast] = extract_forecasts(text, Q2, use_readers=False)
    assert (forecast.what, forecast.value, forecast.due) == ("value", "85%", "2026-03")


@pytest.mark.parametrize(("text", "found"), [
    ("40% of calls were answered within a minute, and this will improve.",
     [("direction", None)]),
    ("The 12% of staff who left will be replaced by May 2026.", [("event", "2026-05")]),
    ("3 of the 5 new vans will arrive in May 2026.", [("event", "2026-05")]),
])
def test_a_figure_told_in_its_own_clause_or_a_count_is_not_the_value(text, found):
    assert whats(text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("An improvement in this measure is anticipated.", [("direction", None)]),
    ("A further fall in waiting times is forecast next quarter.", [("direction", "2025-12")]),
    ("We expect the share of calls answered within one minute to improve.",
     [("direction", None)]),
])
def test_a_move_named_as_a_noun_or_after_a_long_object_is_the_direction(text, found):
    assert whats(text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("An increase in agency costs is expected.", [("other", None)]),
    ("We expect the board to agree funding to improve the park.", [("event", None)]),
    ("Last year's audit brought a rise in grant and is expected to bring two new posts.",
     [("event", None)]),
    ("A rise in demand was anticipated.", []),
])
def test_money_a_purpose_or_a_past_expectation_is_not_the_direction(text, found):
    assert whats(text) == found


@pytest.mark.parametrize("text", [
    "Successful delivery of the depot to time and budget appears highly likely.",
    "Completion of the new wing to time is considered probable.",
    "The refit stays on course to meet each date the fleet requires.",
])
def test_an_event_judged_likely_or_on_course_to_attain_is_expected(text):
    # (a floor no reading reaches: the readers' planned-action floor does not apply to
    # an expectation judged, only to an act named)
    found = extract_forecasts(text, GMPP, planned_floor=1.01)
    assert [(f.what, f.due) for f in found] == [("event", None)]


@pytest.mark.parametrize("text", [
    "Successful delivery of the depot appears feasible but significant issues exist.",
    "It is likely that the board considered the risk.",
    "The depot was considered probable to open.",
])
def test_feasible_or_a_likelihood_of_the_past_is_no_expectation(text):
    assert whats(text, GMPP) == []


@pytest.mark.parametrize("text", [
    "Will the depot reopen by May 2026?",
    "Is the new rota expected to cut waits next quarter?",
])
def test_a_question_expects_nothing(text):
    assert whats(text) == []


def test_a_statement_beside_a_question_keeps_its_forecast():
    found = extract_forecasts("Will the depot reopen? We expect it to reopen by May 2026.",
                              Q2, use_readers=False)
    assert [(f.what, f.due) for f in found] == [("event", "2026-05")]


@pytest.mark.parametrize("text", [
    "Contract award is slated for December 2026.",
    "Contract award is now targeted for December 2026.",
    "The depot's reopening is timetabled for December 2026.",
])
def test_a_passive_of_scheduling_before_for_and_a_date_is_a_plan(text):
    assert whats(text, GMPP) == [("event", "2026-12")]


@pytest.mark.parametrize("text", [
    "Targets set for 2026/27 are ambitious.",
    "Funding earmarked for 2026/27 has been withdrawn.",
    "Contract award was targeted for December 2025.",
])
def test_a_bare_participle_before_for_names_a_thing_and_the_past_is_no_plan(text):
    assert whats(text, GMPP) == []


@pytest.mark.parametrize("text", [
    "Demand for school places in 2026/27 is hard to predict.",
    "Savings of £1m in 2026/27 are at risk.",
    "The depot scheme has a budget of £4m in 2026/27.",
    "In 2026/27 the library service faces significant pressures.",
])
def test_a_date_saying_when_a_state_holds_is_no_plan(text):
    assert whats(text) == []


@pytest.mark.parametrize("text", [
    "Go-live is now in May 2027.",
    "The next gateway review is in May 2027.",
    "A timetable for the launch of the app in May 2027 has been agreed.",
])
def test_be_before_the_date_says_when_and_an_auxiliary_tells_no_state(text):
    assert whats(text) == [("event", "2027-05")]


@pytest.mark.parametrize("text", [
    "The rise in visits is likely due to the new opening hours.",
    "After the reset it is likely our whole-life cost estimate shifts.",
])
def test_likely_before_a_cause_or_a_clause_is_no_judgement_of_an_event(text):
    assert whats(text, GMPP) == []


@pytest.mark.parametrize("text", [
    "The supplier was unable to deliver a vessel on schedule to meet the first milestone.",
    "The firm built a vessel that passed its trials on schedule to meet the first milestone.",
])
def test_on_course_told_in_the_past_is_still_left_to_the_readers(text):
    assert extract_forecasts(text, GMPP, planned_floor=1.01) == []


@pytest.mark.parametrize("text", [
    "The scheme is now heading towards a countrywide launch in 2026/27.",
    "The pilot is preparing for closure in 2026/27 and learning lessons remains a priority.",
])
def test_a_progressive_or_a_state_in_another_clause_keeps_the_plan(text):
    assert [due for _, due in whats(text)] == ["2027-03"]


@pytest.mark.parametrize("text", [
    "Any delay to the depot works will be reported to the board.",
    "Any further slippage will be managed through the usual change process.",
])
def test_an_undated_future_of_a_subject_chosen_by_any_is_a_contingency(text):
    assert whats(text) == []


def test_a_dated_future_of_a_subject_chosen_by_any_is_kept():
    assert whats("Any remaining posts will be filled by March 2026.") == [
        ("event", "2026-03")]


@pytest.mark.parametrize("text", [
    "The last two sea trials will be affected by the strike.",
    "Planned savings will be impacted by the reset.",
])
def test_will_be_affected_or_impacted_undated_is_a_state_like_will_affect(text):
    assert whats(text) == []


@pytest.mark.parametrize("text", [
    "The target date for this indicator is March 31, 2027.",
    "For this indicator, our date to achieve the target stays April 2027.",
])
def test_the_date_an_indicator_target_is_set_for_is_a_target_stated(text):
    assert whats(text) == []


def test_a_project_milestone_with_a_target_date_of_is_still_dated():
    text = "The next milestone is scheduled for May 2027, with a target date of April 2027."
    assert sorted(due for _, due in whats(text, GMPP)) == ["2027-04", "2027-05"]


def test_to_and_a_date_in_the_subject_of_be_tells_a_state_not_a_plan():
    assert whats("The risk to delivery in 2026/27 is high.") == []
    assert whats("Funding was agreed to open the depot in May 2026.") == [("event", "2026-05")]


@pytest.mark.parametrize(("text", "due"), [
    ("The new clinic opens next spring.", "2026-05"),
    ("Two social workers start in the new year.", "2026-03"),
    ("The booking system goes live later this year.", "2026-03"),
    ("The extra shift begins by the start of the new financial year.", "2026-04"),
    ("We expect waits to recover early next year.", "2026-07"),
    ("The second unit opens in Q1 next year.", "2026-06"),
    ("The contract is awarded by mid-November.", "2025-11"),
])
def test_a_date_that_can_only_lie_ahead_makes_a_plan_in_the_present_tense(text, due):
    assert [d for _, d in whats(text)] == [due]


@pytest.mark.parametrize("text", [
    "The clinic opened last spring.",
    "Referrals have risen since the new year.",
    "The new year brought more referrals than the winter before.",
])
def test_a_season_or_new_year_told_as_past_is_no_forecast(text):
    assert whats(text) == []


FY_Q3 = "FY2026 Q3 (quarterly context)"  # a Baltimore quarter: written by March 2026


@pytest.mark.parametrize(("text", "expected"), [
    ("We're planning to run the first cookery class in the spring.", [("event", "2026-05")]),
    ("The library is planning a reading week in May.", [("event", "2026-05")]),
    ("We have scheduled four drop-in clinics for the autumn.", [("event", "2026-11")]),
    ("The centre is hosting an open day in May.", [("event", "2026-05")]),
])
def test_a_plan_in_the_making_or_a_date_set_is_a_forecast(text, expected):
    assert whats(text, FY_Q3) == expected


@pytest.mark.parametrize("text", [
    "Footfall should pick up once the summer programme starts.",
    "We foresee a steady improvement in turnaround times.",
    "Enquiries are predicted to stabilise by the spring.",
    "The team remains on course to meet the target by June.",
    "Our goal is to reach the target by the end of FY26.",
    "We are hoping to exceed our goal this year.",
    "Take-up in the last quarter is anticipated to be stronger.",
    "We expect an uptick in bookings over the summer months.",
    "We think the share of repairs done on time will go up next quarter.",
    "After two hires we should be able to meet the target next year.",
])
def test_the_measure_expected_to_move_in_plain_words_is_a_direction(text):
    assert [what for what, _ in whats(text, FY_Q3)] == ["direction"]


@pytest.mark.parametrize("text", [
    "Contract award is slated for 2027.",
    "The last two depots are programmed for 2027.",
])
def test_a_year_alone_after_a_passive_of_scheduling_and_for_is_when_it_is_due(text):
    assert whats(text, GMPP) == [("event", "2027-12")]


def test_a_sum_set_for_a_year_is_still_no_forecast():
    assert whats("The grant earmarked for 2027 is £4m.", GMPP) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The revised duty rota is being rolled out in May 2026.", [("event", "2026-05")]),
    ("Our updated carers' strategy goes to the board in June 2026.", [("event", "2026-06")]),
    ("A check of the action log is being carried out in May 2026, followed by a board "
     "workshop on 20 May 2026.", [("event", "2026-05")]),
])
def test_a_word_in_ed_naming_a_thing_does_not_make_a_dated_plan_the_past(text, expected):
    assert whats(text, GMPP) == expected


@pytest.mark.parametrize("text", [
    "The depot underwent a safety inspection in May 2026.",
    "In May 2026 the team spent its reserve on agency cover.",
])
def test_irregular_past_verbs_still_tell_what_happened(text):
    assert whats(text, GMPP) == []


@pytest.mark.parametrize("text", [
    "Handover to the new provider is currently forecasted as May 2027.",
    "Go-live is forecast as May 2027.",
])
def test_a_date_forecast_as_is_when_the_thing_is_due(text):
    assert whats(text, GMPP) == [("event", "2027-05")]


def test_the_forecast_as_a_noun_before_as_is_no_cue():
    assert whats("We took the contingency line out of the forecast as it was not needed.",
                 GMPP) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("The new waiting-list target is unlikely to be met in 2026/27.",
     [("direction", "2027-03")]),
    ("Referrals are unlikely to recover by March 2026.", [("direction", "2026-03")]),
])
def test_a_negative_expectation_is_still_a_forecast(text, expected):
    assert whats(text) == expected


def test_unlikely_to_have_an_effect_is_no_forecast():
    assert whats("Though unlikely to have much effect on waits, the new intake form "
                 "is being trialled.") == []


@pytest.mark.parametrize("text", [
    "We anticipate that referrals will level off over the winter.",
    "Attendance will probably plateau next quarter.",
])
def test_levelling_off_is_a_direction(text):
    assert [what for what, _ in whats(text)] == ["direction"]


def test_a_thing_said_to_be_due_at_a_time_is_a_forecast():
    assert whats("The inspectors' findings are awaited and are due in the spring.") == \
        [("event", "2026-05")]


def test_due_in_part_to_gives_a_reason_not_a_time():
    assert whats("The dip is due in part to winter absence.") == []
