from __future__ import annotations

import pytest

from narrative_qa.language.analysis import analyse_texts
from narrative_qa.language.clauses import change_with_reason_clause
from narrative_qa.language.lexicon import lexicon

LINKS = ["as", "because", "since", "when", "after"]


def _reads(text: str) -> bool:
    sentence = analyse_texts([text])[0].sentences[0]
    return change_with_reason_clause(sentence.span, lexicon().change, LINKS)


@pytest.mark.parametrize("text", [
    "Compliance fell to 48% in Q2 as two social workers left.",
    "Attendance dropped when the clinic moved to a new building.",
    "Compliance was lower in Q2 as two social workers left.",
    "Uptake fell since the mobile unit was withdrawn in July.",
])
def test_a_change_with_a_clause_giving_its_reason(text):
    assert _reads(text)


@pytest.mark.parametrize("text", [
    "Compliance fell to 48% in Q2, as expected.",  # no subject: it places the fall
    "Compliance fell to 48% in Q2 as it did in Q1.",  # a comparison
    "Compliance fell to 48% in Q2 while the team worked hard.",  # not a linking word
    "The team met weekly as the board asked.",  # no change
])
def test_no_reason_clause(text):
    assert not _reads(text)
