"""Due dates resolved to the last month they cover, from the period they were written in."""

from __future__ import annotations

import pytest

from narrative_qa.language.periods import due_dates, is_annual, period_end, period_of_month

Q2 = "2025/26 Q2"  # July to September 2025


@pytest.mark.parametrize(("text", "due"), [
    ("by March 2026", "2026-03"),
    ("by the end of March", "2026-03"),  # the next March after the period
    ("by September", "2025-09"),
    ("in Q3", "2025-12"),
    ("by Q4", "2026-03"),
    ("by Q1", "2026-06"),  # a deadline of Q1 written in Q2: next financial year's
    ("in Q1", "2025-06"),  # "(97% in Q1)": this year's, the earlier quarter
    ("by Q3 2026/27", "2026-12"),
    ("by 2026/27 Q1", "2026-06"),
    ("within 12 weeks", "2025-12"),  # 12 weeks after the period's end, a part month whole
    ("within six months", "2026-03"),
    ("next quarter", "2025-12"),
    ("next year", "2027-03"),  # the next financial year
    ("by end of the financial year", "2026-03"),
    ("by year-end", "2026-03"),
    ("in FY2024", "2024-06"),  # a US city's fiscal year, July to June
    ("by 2016-17", "2017-03"),  # Canada's fiscal year, April to March
    ("by 31/03/2026", "2026-03"),
    ("by 31 March 2026", "2026-03"),
    ("by the end of 2026", "2026-12"),
    ("in spring 2026", "2026-05"),
    ("in Q3 2026", "2026-09"),  # a quarter of a single year: the calendar quarter
    ("by 2026-Q4", "2026-03"),  # gmpp's shape: a quarter of the financial year ending 2026
    ("by 2027-Q1", "2026-06"),
    ("on 16-Apr-26", "2026-04"),
    ("for another 18-24 months", "2027-09"),  # a range of durations: its end
    ("within three to six months", "2026-03"),
    ("by 26/27-Q3", "2026-12"),  # gmpp's short financial year and quarter
    ("in 27/28", "2028-03"),  # a short financial year: the two years follow
    ("in FY26/27", "2027-03"),
    ("in July 26", "2026-07"),  # a UK text's month and short year (its day comes first)
    ("on 16 July 27", "2027-07"),
    ("in the first quarter of 2026", "2026-03"),  # a calendar year's quarter
    ("in the third quarter of 2026/27", "2026-12"),  # a financial year's
    ("in the fourth quarter 2025-26", "2026-03"),  # an ordinal quarter, 'of' left out
    ("by the end of the third quarter", "2025-12"),  # an ordinal quarter with no year,
    ("by the 1st quarter", "2026-06"),  # read as 'Q3' and 'by Q1' are
    ("in the second quarter of FY26", "2025-12"),  # a US fiscal year's, as 'Q2 FY26' is
    ("in the third quarter of FY 26/27", "2026-12"),  # a short financial year's
    ("by end of the calendar year", "2025-12"),  # from January, in any record
    ("before December 2026", "2026-11"),  # 'before' leaves out what it names: a month,
    ("before Q4", "2025-12"),  # a quarter,
    ("before 2027", "2026-12"),  # a year,
    ("before next year", "2026-03"),  # a relative year
    ("before the end of December 2026", "2026-12"),  # not the end of it,
    ("before 30 June 2026", "2026-06"),  # nor a day, whose month it still runs into
    ("by 2026-02", "2026-02"),  # a month written as ISO's year-month, not a financial year
    ("by 12/2025", "2025-12"),  # a month and its year
    ("in H1 2026", "2026-06"),  # a calendar year's half
    ("by H2 2026/27", "2027-03"),  # a financial year's
    ("before 2026-02", "2026-01"),  # 'before' leaves out that month,
    ("before H1 2027", "2026-12"),  # or that half
    # a season of no year written, after 'next' or 'this' (Q2 ends in September 2025):
    # 'next' is the first one to start after the period, 'this' the one under way or coming
    ("next spring", "2026-05"),
    ("by next summer", "2026-08"),
    ("next autumn", "2026-11"),  # this autumn started in September
    ("next winter", "2026-02"),  # December 2025 to February 2026
    ("over the coming winter", "2026-02"),
    ("this autumn", "2025-11"),
    ("this winter", "2026-02"),
    # part of a relative year or quarter: its first month, 'early' its fourth (as 'early
    # 2026' is April), 'mid' its sixth, 'late' its last
    ("by the start of next year", "2026-04"),  # the next financial year starts in April
    ("at the beginning of next quarter", "2025-10"),
    ("early next year", "2026-07"),
    ("in mid-next year", "2026-09"),
    ("later this year", "2026-03"),
    ("by the start of the next financial year", "2026-04"),
    ("by the start of the new financial year", "2026-04"),
    ("in the new financial year", "2027-03"),
    ("in the new year", "2026-03"),  # the calendar year's first quarter
    ("by the start of 2027", "2027-01"),
    # a quarter of next year is the next financial year's; a month or season of next year
    # the next calendar year's
    ("in Q1 next year", "2026-06"),
    ("by Q3 of next year", "2026-12"),
    ("until the end of March next year", "2026-03"),
    ("by spring next year", "2026-05"),
    ("by March of the next financial year", "2027-03"),
    ("before March next year", "2026-02"),
    # part of a month after a lead ('by end March', 'by mid-November'): a deadline as 'by
    # March' is, the next one from the period
    ("by end March", "2026-03"),
    ("by mid-November", "2025-11"),
    ("by late October", "2025-10"),
    ("before mid-November 2025", "2025-11"),  # mid-November is still November
    ("by the close of the financial year", "2026-03"),
    # a quarter by its number in words, read as 'Q3' and 'by Q1' are
    ("in quarter three", "2025-12"),
    ("by quarter one", "2026-06"),
    # the next report: the next period's end (a quarter on from a quarter's period)
    ("by the next report", "2025-12"),
    ("by the next annual report", "2026-09"),
    # 'year' before the year it names, the lead before both
    ("until the end of the year 2026/27", "2027-03"),
    # a holiday after a lead: its month, the next one from the period
    ("before Christmas", "2025-12"),
    ("by Easter", "2026-04"),
    # half of the year of the period, as 'the end of the year' is its financial year
    ("over the second half of this year", "2026-03"),
    ("by the end of the first half of this financial year", "2025-09"),
])
def test_due_dates_resolve_to_the_last_month_covered(text, due):
    found = due_dates(f"We expect it done {text}.", Q2)
    assert [d.due for d in found][-1] == due


def test_the_next_report_of_a_years_period_is_a_year_on():
    us = "FY2025 (Jul 2024–Jun 2025)"
    assert [d.due for d in due_dates("We will report back by the next report.", us)] == \
        ["2026-06"]
    assert [d.due for d in due_dates("We will report back by the next quarterly report.",
                                     us)] == ["2025-09"]
    assert due_dates("The next report on waiting times was published.", Q2) == []


def test_the_end_of_a_year_named_far_from_its_lead_is_still_a_deadline():
    [date] = due_dates("It will be finished by end of the financial year 2026/27.", Q2)
    assert (date.due, date.lead) == ("2027-03", "by")


def test_a_holiday_with_no_lead_names_no_date():
    assert due_dates("Christmas cards were sent to every family.", Q2) == []


def test_a_verb_before_next_year_is_no_month_or_season():
    # 'may' and 'fall' are verbs here: 'next year' alone is the date
    assert [d.text for d in due_dates("Costs may next year rise.", Q2)] == ["next year"]
    assert [d.due for d in due_dates("We expect delays to fall next year.", Q2)] == ["2027-03"]


def test_not_before_a_date_names_the_earliest_not_a_deadline_counted_back():
    [date] = due_dates("The works will not start before May 2026.", Q2)
    assert (date.due, date.lead) == ("2026-05", "before")


@pytest.mark.parametrize("text", ["soon", "in due course", "going forward", "we may see"])
def test_vague_or_no_timing_names_no_date(text):
    assert due_dates(f"It will improve {text}.", Q2) == []


def test_period_ends_and_periods_of_months():
    assert period_end("2025/26 Q2") == (2025, 9)
    assert period_end("2025/26 Q4") == (2026, 3)
    assert period_end("FY2024") == (2024, 6)
    assert period_end("2016-17") == (2017, 3)
    assert period_end("no period here") is None
    assert period_of_month(2025, 11) == "2025/26 Q3"
    assert period_of_month(2026, 3) == "2025/26 Q4"
    assert period_of_month(2026, 4) == "2026/27 Q1"


def test_relative_dates_need_the_period_they_were_written_in():
    assert [d.due for d in due_dates("within 12 weeks", None)] == [None]


def test_us_and_canadian_fiscal_years():
    assert period_end("FY2026 Q1 (quarterly context)") == (2025, 9)  # July to September
    assert period_end("FY2016–17 (Departmental Performance Report)") == (2017, 3)
    assert period_end("Financial year 2014/2015 (annual report)") == (2015, 3)
    us = "FY2025 (Jul 2024–Jun 2025)"
    assert [d.due for d in due_dates("We expect to finish by next year.", us)] == ["2026-06"]
    assert [d.due for d in due_dates("We will reach 90% by Q2.", us)] == ["2025-12"]


def test_a_gmpp_quarter_is_one_date_with_its_lead():
    [date] = due_dates("Works will finish by 2026-Q4.", Q2)
    assert (date.text, date.due, date.lead) == ("2026-Q4", "2026-03", "by")


def test_a_month_and_two_digits_is_a_day_where_it_cannot_be_a_near_year():
    us = "FY2025 (Jul 2024–Jun 2025)"  # a US city writes the day after the month
    assert [d.due for d in due_dates("We will open by July 26.", us)] == ["2025-07"]
    assert [d.due for d in due_dates("We will open by March 31.", Q2)] == ["2026-03"]
    assert [d.due for d in due_dates("It will cost 12/15 of the budget.", Q2)] == [None]


def test_the_lead_of_a_relative_date_is_the_word_written_before_it():
    [date] = due_dates("It is funded into the next financial year.", Q2)
    assert (date.due, date.lead) == ("2027-03", None)
    [date] = due_dates("It should improve for the next year.", Q2)
    assert (date.due, date.lead) == ("2027-03", "for")
    [date] = due_dates("It will close by the end of next year.", Q2)
    assert date.lead == "by"


def test_us_dates_write_the_month_first():
    us = "FY2024 (Jul 2023–Jun 2024)"
    assert [d.due for d in due_dates("It was added on 03/14/2024.", us)] == ["2024-03"]
    assert [d.due for d in due_dates("It was added on 02/03/2024.", us)] == ["2024-02"]
    assert [d.due for d in due_dates("It was added on 14/03/2026.", Q2)] == ["2026-03"]
    assert [d.due for d in due_dates("It was added on 13/13/2026.", Q2)] == [None]


def test_the_end_of_a_named_fiscal_year_is_that_year():
    canada = "FY2016–17 (Departmental Performance Report)"
    [date] = due_dates("It will be finished by end of fiscal year 2019-20.", canada)
    assert (date.due, date.lead) == ("2020-03", "by")


GMPP = "GMPP data for IPA Annual Report 2026"  # read as written by March 2026


@pytest.mark.parametrize(("text", "due"), [
    ("by 30/5/27", "2027-05"),  # a UK date with a two-digit year
    ("in Q3 26/27", "2026-12"),  # a quarter of a short financial year
    ("in Q2 FY26/27", "2026-09"),
    ("at Q2 2627", "2026-09"),  # the two years run together (issue 19, item 5)
    ("by Q4 2627", "2027-03"),
    ("below 5% at Q4 26-27", "2027-03"),
    ("by 26/27 Q4", "2027-03"),
    ("in FY 26-27", "2027-03"),
    ("in Spring '27", "2027-05"),  # a year written with an apostrophe
    ("by March '27", "2027-03"),
    ("in early summer 2027", "2027-06"),  # the first month of the season
    ("in late spring 2027", "2027-05"),
    ("in early spring 2027", "2027-03"),
    ("in winter 2026", "2027-02"),  # winter runs into the next year (the labelling guide)
    ("in early 2027", "2027-04"),  # the guide's 'early 2026' -> 2026-04
    ("by end 2027", "2027-12"),
    ("by end-2027", "2027-12"),
    ("approved in Nov-2027", "2027-11"),
    ("in the first half of 2027", "2027-06"),
    ("in the second half of 2026/27", "2027-03"),
    ("in the first half of 2026/27", "2026-09"),
    ("in the first part of 2027", "2027-06"),
    ("by next FY", "2027-03"),
    ("closure is forecast for 2035", "2035-12"),
    ("now forecast for summer 27", "2027-08"),
    ("a disposal period to 2050", "2050-12"),
    ("throughout 2027", "2027-12"),
])
def test_more_date_shapes_resolve_to_the_last_month_covered(text, due):
    found = due_dates(f"We expect it done {text}.", Q2)
    assert [d.due for d in found if d.due][-1] == due


def test_a_season_or_month_without_its_year_is_the_next_one_when_looking_ahead():
    q3 = "2025/26 Q3"  # October to December 2025
    assert [d.due for d in due_dates("It will be finalised by the summer.", q3,
                                     ahead=True)] == ["2026-08"]
    assert [d.due for d in due_dates("It will close in late spring.", Q2,
                                     ahead=True)] == ["2026-05"]


def test_a_second_year_joined_by_and_keeps_the_first_ones_lead():
    dates = due_dates("Changes will be delivered in 2027 and 2028.", Q2)
    assert [(d.due, d.lead) for d in dates] == [("2027-12", "in"), ("2028-12", "in")]
    assert due_dates("Data for the 2027 survey and 2028 census.", Q2) == []
    dates = due_dates("Results should be known in late Spring/early Summer 2027.", Q2, ahead=True)
    assert [(d.text, d.due, d.lead) for d in dates] == [
        ("late Spring/early Summer 2027", "2027-06", "in")]  # one date, its year once
    dates = due_dates("It will open in March/April 2027.", Q2, ahead=True)
    assert [(d.due, d.lead) for d in dates] == [("2027-04", "in")]
    dates = due_dates("An audit is planned for Q1/Q2 2027.", Q2, ahead=True)
    assert [(d.due, d.lead) for d in dates] == [("2027-06", "for")]


def test_an_as_at_date_is_a_point_of_reference_not_a_deadline():
    [date] = due_dates("As at Apr 26, it is not yet clear which option will be chosen.", Q2)
    assert date.lead == "as at"


def test_a_year_naming_a_name_is_no_date():
    assert due_dates("It reflects the 2026 Spending Review.", GMPP) == []
    assert due_dates("The programme of 2027 will be smaller.", GMPP) == []
    assert due_dates("The threshold for 2027 will be higher.", GMPP) == []


def test_an_annual_report_counts_calendar_years_and_pairs_are_financial_years():
    found = {text: [d.due for d in due_dates(f"It will be done {text}.", GMPP, ahead=True)]
             for text in ("this year", "next year", "by the end of the year",
                          "by end of the financial year", "in Q3 2026/27",
                          "by July 27", "in the second half of 2026/27", "in quarter 4")}
    assert found == {"this year": ["2026-12"], "next year": ["2027-12"],
                     "by the end of the year": ["2026-12"],
                     "by end of the financial year": ["2026-03"],
                     "in Q3 2026/27": ["2026-12"], "by July 27": ["2027-07"],
                     "in the second half of 2026/27": ["2027-03"],
                     "in quarter 4": ["2026-03"]}  # a quarter alone is a financial one
    budget = "In-year (GMPP data for Annual Report 2026)"  # a budget year: financial
    assert [d.due for d in due_dates("It ends next year.", budget)] == ["2027-03"]


def test_an_annual_report_is_read_as_written_early_in_its_year():
    assert period_end(GMPP) == (2026, 3)
    assert [d.due for d in due_dates("We will publish it in the autumn.", GMPP,
                                     ahead=True)] == ["2026-11"]
    assert period_end("Financial year 2025/2026 (GMPP data for Annual Report 2026)") == \
        (2026, 3)


def test_a_short_us_quarter_of_a_fiscal_year():
    us = "FY2025 (Jul 2024–Jun 2025)"
    assert [d.due for d in due_dates("It will open by Q3 FY26.", us)] == ["2026-03"]


@pytest.mark.parametrize(("period", "annual"), [
    ("FY2024 (Jul 2023–Jun 2024)", True),
    ("GMPP data for IPA Annual Report 2020", True),
    ("FY2016–17 (Departmental Performance Report)", True),
    ("2024/25", True),
    ("2025/26 Q2", False),
    ("FY2025 Q2 (quarterly context)", False),
    ("FY2025 (quarterly context, Q1–Q3)", False),
    ("Quarter to June", False),
    ("2024/25 H2", False),
    ("March 2025", False),
    ("Financial year 2013/2014 (GMPP data for Annual Report 2014)", True),
    (None, False),
])
def test_a_period_is_a_whole_year_when_it_names_a_year_and_no_quarter(period, annual):
    assert is_annual(period) is annual


@pytest.mark.parametrize(("period", "due"), [
    ("FY2024 (Jul 2023–Jun 2024)", "2025-05"),  # written after the year: May after it
    ("FY2016–17 (Departmental Performance Report)", "2017-05"),
    ("FY2026 Q3 (quarterly context)", "2026-05"),  # a quarter: the next May from it
])
def test_a_month_ahead_in_a_years_report_written_after_the_year_is_after_it(period, due):
    [date] = due_dates("We will hold the show in May.", period, ahead=True)
    assert date.due == due


@pytest.mark.parametrize(("text", "due"), [
    ("early in 2026", "2026-04"),  # read as 'early 2026'
    ("late in 2026", "2026-12"),
])
def test_a_part_of_a_year_with_in(text, due):
    assert [d.due for d in due_dates(text, Q2)] == [due]


@pytest.mark.parametrize("text", [
    "Gaps in the 5 year staffing plan will be taken to the finance board.",
    "Savings in the three month pilot will be reported to members.",
])
def test_a_length_written_as_an_adjective_is_no_due_date(text):
    assert due_dates(text, Q2) == []


@pytest.mark.parametrize(("text", "due"), [
    ("The backlog should clear in 3 months.", "2025-12"),
    ("The new rota will be in place within one year.", "2026-09"),
])
def test_a_length_of_time_is_still_a_due_date(text, due):
    assert [d.due for d in due_dates(text, Q2)] == [due]
