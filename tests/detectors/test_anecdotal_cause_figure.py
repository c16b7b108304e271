"""NQ04 on a challenge the reading layer finds in words no list names: a figure for what
it caused ("caused 5 of the 21 late reports") or just after the word that blames it
("because 14 cases ...") gives its scale (FINDINGS.md NQ04). The reader is a toy that
hears the challenge in one word; the sentences are invented."""

from __future__ import annotations

import pytest

from narrative_qa.api import check_draft
from tests.test_reading_layer import SCRA, codes, reads  # noqa: F401  (a fixture)


@pytest.fixture(autouse=True)
def hears_handovers(reads):  # noqa: F811
    reads("handovers", "challenge_without_figure")


@pytest.mark.parametrize("sentence", [
    "Last quarter we put the late reports down to handovers between teams; this quarter "
    "handovers caused 5 of the 21 late reports, against 12 in Q1.",
    "In the North West, 30 of the 95 open cases had no review date, because 14 cases came "
    "over from other teams in handovers during the summer.",
])
def test_a_figure_for_what_the_challenge_caused_gives_its_scale(sentence):
    assert "NQ04" not in codes(check_draft(sentence, **SCRA))


@pytest.mark.parametrize("sentence", [
    "Handovers between teams held reports back this quarter.",
    # the figure is in another clause, not the one blaming the challenge
    "Reports were held back because of handovers; 21 reports were late.",
])
def test_a_challenge_with_no_figure_of_its_own_is_still_nq04(sentence):
    assert "NQ04" in codes(check_draft(sentence, **SCRA))
