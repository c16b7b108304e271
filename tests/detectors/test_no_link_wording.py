"""NQ01's word lists: the wording of a link to the earlier period (FINDINGS.md NQ01)."""

from __future__ import annotations

import pytest

from narrative_qa.catalogue import get_rule
from narrative_qa.detectors.no_link_to_previous import names_previous_year
from narrative_qa.language.words import compile_all


def _matches(list_name: str, text: str) -> bool:
    return compile_all(get_rule("NQ01").params[list_name]).search(text) is not None


@pytest.mark.parametrize(("list_name", "text"), [
    ("back_references", "The panel noted good progress since the last review."),
    ("back_references", "Amber/Red remains the programme board's view."),
    ("back_references", "The end date for handover remains 31 March 2027."),
    ("comparisons", "Decisions within 28 days saw a 6% increase as the duty team grew."),
    ("bare_changes", "The number of approved carers has fallen due to retirements."),
    ("bare_changes", "Attendance has decreased."),
    ("bare_changes", "A continued decrease in enquiries means fewer assessments."),
])
def test_a_link_to_the_earlier_period(list_name: str, text: str) -> None:
    assert _matches(list_name, text)


@pytest.mark.parametrize(("list_name", "text"), [
    # A change verb with an object describes an action, not the indicator against before.
    ("bare_changes", "The new enquiry form has reduced the waiting time for a visit."),
    ("bare_changes", "Other demands may have reduced interest in fostering."),
    # A rating held by something else, not said to carry on.
    ("back_references", "The green waste service is reported to the committee."),
])
def test_not_a_link(list_name: str, text: str) -> None:
    assert not _matches(list_name, text)


def test_last_year_is_the_previous_period_only_in_a_yearly_record() -> None:
    params = get_rule("NQ01").params
    text = "Last year the depot works were paid early, so this year's forecast is lower."
    assert names_previous_year(text, "GMPP data for IPA Annual Report 2024", params)
    assert not names_previous_year(text, "2025/26 Q2", params)
    assert not names_previous_year("We aim to match last year's figure.",
                                   "GMPP data for IPA Annual Report 2024", params)
