"""Detector kinds, by the name a rule file gives in `detector.kind`."""

from __future__ import annotations

from collections.abc import Callable

from narrative_qa.detectors import (
    anecdotal_challenge,
    back_reference,
    deterioration,
    failed_actions,
    figures_contradict,
    forecast,
    irrelevant_activity,
    needs_detail,
    previous_outcomes,
    rag_mismatch,
    recycled,
)
from narrative_qa.detectors.base import Context, Hit

Detector = Callable[[Context, dict], list[Hit]]

KINDS: dict[str, Detector] = {
    "back_reference": back_reference.detect,
    "action_forecast": forecast.detect,
    "previous_action_outcomes": previous_outcomes.detect,
    "challenge_without_figure": anecdotal_challenge.detect,
    "unanalysed_failed_actions": failed_actions.detect,
    "unexplained_deterioration": deterioration.detect,
    "irrelevant_activity": irrelevant_activity.detect,
    "needs_detail": needs_detail.detect,
    "rag_mismatch": rag_mismatch.detect,
    "figures_contradict_data": figures_contradict.detect,
    "recycled_text": recycled.detect,
}

__all__ = ["KINDS", "Context", "Detector", "Hit"]
