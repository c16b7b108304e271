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
