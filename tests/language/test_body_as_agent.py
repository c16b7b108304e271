"""A public body named as the subject of a weak verb ("the council will use ...") is the
service acting, so the sentence is an action, as it is with "we" or "the team"."""

from __future__ import annotations

import pytest

from narrative_qa.language.analysis import analyse_texts


@pytest.mark.parametrize("body", ["The council", "The board", "The agency",
                                  "The authority"])
def test_a_public_body_using_staff_is_an_action(body):
    analysis = analyse_texts([f"{body} will use bank carers from the north locality to "
                              "cover the extra visits."])[0]
    assert analysis.sentences[0].action is not None
