"""Targets written with a qualifier ("at least 90%", "14 days or fewer") are numbers, and
the qualifier says which way is better when the row gives no polarity."""

from __future__ import annotations

import pytest

from narrative_qa.data_checks import data_facts
from narrative_qa.reading.records import read_submissions, submission_from_mapping
from narrative_qa.reading.values import NotANumber, parse_target

NARRATIVE = ("Performance this quarter was 93% against the target. Two new care at home "
             "staff started in August, which let us cover the rural rounds again.")

ROWS = [
    # target, polarity, expected target, expected polarity
    ("at least 90%", "", 90.0, "up"),
    ("90% or more", "", 90.0, "up"),
    ("90%+", "", 90.0, "up"),
    ("a minimum of 90%", "", 90.0, "up"),
    ("no more than 14 days", "", 14.0, "down"),
    ("14 days or fewer", "", 14.0, "down"),
    ("maximum 14", "", 14.0, "down"),
    ("under 14 days", "", 14.0, "down"),
    # the row's own polarity wins over the qualifier's (and the row is told)
    ("no more than 14 days", "Higher is better", 14.0, "up"),
    ("To be determined", "", "To be determined", "up"),
]


@pytest.fixture
def subs(tmp_path, settings):
    lines = ["KPI,Target,Actual,Polarity,Narrative"]
    lines += [f"Care at home KPI {i},{target},93,{polarity},\"{NARRATIVE}\""
              for i, (target, polarity, *_) in enumerate(ROWS)]
    path = tmp_path / "q2.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found, _ = read_submissions(path, settings)
    return found


@pytest.mark.parametrize("index", range(len(ROWS)))
def test_a_qualified_target_is_read_as_its_number_and_way(subs, index):
    target, given, number, polarity = ROWS[index]
    sub = subs[index]
    assert (sub.target, sub.polarity) == (number, polarity), target
    disagree = [p for p in sub.problems if p.code == "NQE034"]
    assert bool(disagree) == (index == 8)
    if index < 8:
        assert not sub.problems and not sub.polarity_inferred


def test_a_text_target_stays_text(subs, settings):
    sub = subs[-1]
    assert sub.target == "To be determined" and sub.polarity_inferred
    assert data_facts(sub, settings.rag).rag_computed is None


def test_a_draft_checked_alone_reads_the_target_the_same_way(settings):
    sub = submission_from_mapping({"kpi_name": "Adults offered a carer's assessment (%)",
                                   "target": "at least 75%", "actual": "78", "unit": "%",
                                   "narrative": NARRATIVE}, settings, file="<draft>")
    assert (sub.target, sub.polarity, sub.problems) == (75.0, "up", [])
    assert data_facts(sub, settings.rag).rag_computed == "green"


@pytest.mark.parametrize("text", ["at least", "under review", "Over to the new provider"])
def test_a_qualifier_with_no_number_is_still_text(text):
    with pytest.raises(NotANumber):
        parse_target(text)
