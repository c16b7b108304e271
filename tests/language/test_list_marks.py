"""A list mark the parser cuts from its item is part of that item, not a sentence of its own
(under an "Actions:" heading it would be read as an action with no timescale or impact)."""

from __future__ import annotations

import pytest

from narrative_qa.language.analysis import analyse_texts

ITEM = ("The six duty workers in the North East were given protected time for reviews "
        "in August, and we expect reviews on time to reach 75% by December.")


@pytest.mark.parametrize("mark", ["-", "*", "•", "1."])
def test_a_list_mark_is_no_sentence_of_its_own(mark):
    content = analyse_texts([f"Actions:\n{mark} {ITEM}"])[0].content()
    assert [s.text for s in content] == [ITEM]
    assert content[0].section == "actions"


def test_a_list_mark_is_no_action_under_an_actions_heading():
    analysis = analyse_texts([f"Actions:\n- {ITEM}\n- We will review the rota in January."])[0]
    assert [a.summary for a in analysis.actions if len(a.summary) < 3] == []
