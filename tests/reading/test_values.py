import pytest

from narrative_qa.reading.values import (
    NotANumber,
    infer_polarity,
    parse_number,
    parse_polarity,
    parse_rag,
)


@pytest.mark.parametrize("text,value", [
    ("87%", 87.0), ("1,234", 1234.0), ("95.0 %", 95.0), (" 12 ", 12.0), (42, 42.0),
    ("£1.2m", 1_200_000.0), ("6.5 WTE", 6.5), ("-3", -3.0), ("90.24%", 90.24),
])
def test_numbers_as_councils_write_them(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("blank", ["", "n/a", "N/A", "-", None, "  ", "TBC"])
def test_blanks_are_none(blank):
    assert parse_number(blank) is None


@pytest.mark.parametrize("bad", ["ninety", "95%%", "12/03/2025", "abc 12"])
def test_text_is_not_a_number(bad):
    with pytest.raises(NotANumber):
        parse_number(bad)


def test_rag_and_polarity_spellings():
    assert parse_rag("AMBER") == "amber" and parse_rag("g") == "green" and parse_rag("") is None
    with pytest.raises(ValueError):
        parse_rag("purple")
    assert parse_polarity("Higher is better") == "up"
    assert parse_polarity("Lower is better") == "down"
    assert parse_polarity("↓") == "down"


def test_polarity_is_guessed_only_for_clear_cases():
    assert infer_polarity("Number of acute delayed discharges (Adults 65+)") == "down"
    assert infer_polarity("NHS sickness absence rate") == "down"
    assert infer_polarity("% of patients seen within 18 weeks (waiting times)") is None
    assert infer_polarity("MMR uptake at 24 months") is None


def test_a_share_of_waits_over_a_limit_or_of_absence_is_lower_is_better():
    # the share counts the bad outcome itself; the '%' that makes most waiting names a
    # timeliness share ('% seen within 18 weeks') does not turn these round
    assert infer_polarity("% of patients waiting over 18 weeks") == "down"
    assert infer_polarity("% of people waiting more than 12 weeks for an assessment") == "down"
    assert infer_polarity("Sickness absence %") == "down"
    assert infer_polarity("% of working days lost to sickness absence") == "down"
    assert infer_polarity("% of patients waiting less than 4 hours") is None
    assert infer_polarity("% of sickness absence cases reviewed within 4 weeks") is None


def test_errors_and_incidents_are_read_as_lower_is_better():
    assert infer_polarity("Error rate on invoices paid") == "down"
    assert infer_polarity("Total number of serious incidents") == "down"
    assert infer_polarity("% of incidents resolved within 5 days") is None


def test_costs_times_taken_and_harms_counted_are_lower_is_better():
    # LABELLING.md §1: a cost, a time taken, a number of incidents; in a share too
    assert infer_polarity("Cost per claim processed") == "down"
    assert infer_polarity("Number of weeks between referral and decision") == "down"
    assert infer_polarity("% of adults who smoke") == "down"
    assert infer_polarity("% of premises found non-compliant at first visit") is None
    assert infer_polarity("% of food outlets rated non-compliant") == "down"
    assert infer_polarity("Council's ranking among Scottish councils") == "down"


def test_a_harm_dealt_with_or_reduced_is_not_lower_is_better():
    assert infer_polarity("Number of complaints closed in the year") is None
    assert infer_polarity("% reduction in energy costs") is None
    assert infer_polarity("Cost savings delivered (£k)") is None
    assert infer_polarity("% of licensed premises that are violation free") is None
    assert infer_polarity("Number of cost-shared projects started") is None
    # a budget against its forecast is off either way, whatever the project is called
    assert infer_polarity("In-year budget (baseline) vs forecast, £m - Unit Cost Programme") is None


# Issue 17, probe 3: a failing match must not backtrack quadratically. These inputs took
# from a minute to hours with the old pattern; each now fails at once. The thread only keeps
# a regression from hanging the suite: nothing here measures speed.
@pytest.mark.parametrize("hostile", [
    "1" + " " * 60_000 + "x", " " * 60_000 + "x", "£" + " " * 60_000 + "x",
    "-" + " " * 60_000 + "1x", "1 " * 30_000 + "x", "1" + " " * 60_000 + "%x",
])
def test_hostile_cells_are_refused_without_backtracking(hostile):
    import threading

    from narrative_qa.reading.values import decimal_mark, is_ambiguous

    outcome = []

    def run():
        with pytest.raises(NotANumber):
            parse_number(hostile)
        outcome.append((is_ambiguous(hostile), decimal_mark(hostile)))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert outcome == [(False, None)], "the number pattern backtracks on a long cell"


@pytest.mark.parametrize("text,value", [
    ("£ -1 234,5", -1234.5), ("- 5", -5.0), ("12 per  cent", 12.0), ("3 days", 3.0),
    ("1.234,5", 1234.5), (".5", 0.5), ("1 234", 1234.0)])
def test_spaced_signs_currencies_and_suffixes_still_read(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["1  234", "1,,234", "1 ,234", "1.,5"])
def test_doubled_separators_are_still_not_numbers(bad):
    with pytest.raises(NotANumber):
        parse_number(bad)


def test_last_periods_rating_or_end_date_is_kept_beside_this_periods():
    from narrative_qa.config import load_settings
    from narrative_qa.reading.records import submissions_from_rows

    rows = [{"kpi_id": "P-1", "narrative": "The rating fell after the gateway review.",
             "actual": "Amber/Red", "previous_actual": "Amber"},
            {"kpi_id": "P-2", "narrative": "The end date moved by a year.",
             "actual": "31/03/2027", "previous_actual": "31/03/2026"},
            {"kpi_id": "P-3", "narrative": "Uptake rose.", "target": "80", "actual": "82",
             "previous_actual": "not collected"}]
    rating, schedule, numeric = submissions_from_rows(rows, load_settings())
    assert (rating.actual, rating.previous_actual) == ("Amber/Red", "Amber")
    assert (schedule.actual, schedule.previous_actual) == ("31/03/2027", "31/03/2026")
    # beside a numeric actual a word is still not a value: left out, with a notice
    assert numeric.previous_actual is None
    assert any(p.code == "NQE022" for p in numeric.problems)
