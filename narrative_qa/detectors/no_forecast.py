"""NQ02: every planned or continuing action needs a timescale and an expected impact.

An action's own sentence counts, and so does a sentence that follows it without stating
an action of its own ("This should clear the backlog by March"). A timescale or impact
stated for the actions as a whole ("Expected impact: ...", "Together these measures ...")
covers every action before it.
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.words import compile_all
from narrative_qa.specs.params import Share

KIND = "no_forecast"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence": Share,
    "confidence_nominal": Share,
    "collective_cues": list[str],
}


def _covers(sentence: Sentence) -> tuple[bool, bool]:
    return bool(sentence.timescales), sentence.impact == "quantified"


def detect(ctx: Context, params: dict) -> list[Hit]:
    sentences = ctx.sentences
    collective = compile_all(params["collective_cues"])
    not_remedies = set(shared("watching_verbs"))
    offered = [s for s in sentences
               if s.action and s.action.kind in {"planned", "continuing"}
               and s.section not in {"impact", "timescale", "progress"}]
    # Watching is a remedy only when it is the only next step offered.
    actions = [s for s in offered if s.action.verb not in not_remedies] or offered
    if not actions:
        return []
    if ctx.facts.qualitative and any(s.timescales for s in sentences):
        return []  # a milestone KPI's target is itself the impact; a date covers the plan
    only_one = len([s for s in sentences if s.action]) == 1
    # Statements that cover the actions before them as a whole.
    shared_time, shared_impact = False, False
    last_action_index = max(s.index for s in actions)
    for sentence in sentences:
        general = (not sentence.action or sentence.section in {"impact", "timescale"}
                   or collective.search(sentence.text))
        if general and (sentence.index > last_action_index or only_one
                        or sentence.section in {"impact", "timescale"}
                        or collective.search(sentence.text)):
            has_time, has_impact = _covers(sentence)
            shared_time |= has_time
            shared_impact |= has_impact
    by_index = {s.index: s for s in sentences}
    gaps = []
    for number, sentence in enumerate(actions, start=1):
        has_time, has_impact = _covers(sentence)
        follower = by_index.get(sentence.index + 1)
        if follower and not follower.action:
            more_time, more_impact = _covers(follower)
            has_time, has_impact = has_time or more_time, has_impact or more_impact
        has_time |= shared_time
        has_impact |= shared_impact
        if has_time and has_impact:
            continue
        missing = [m for m, ok in (("timescale", has_time), ("expected impact", has_impact))
                   if not ok]
        present = "a timescale" if has_time else ("an expected impact" if has_impact else "")
        vague = f" ('{sentence.vague_timing[0]}' is not a timescale)" if (
            sentence.vague_timing and not has_time) else ""
        description = (f"action {number} ('{short(sentence.action.summary, 10)}') has "
                       f"{present + ' but ' if present else ''}no {joined(missing)}{vague}")
        gaps.append((sentence, description, missing))
    if not gaps:
        return []
    missing_all = sorted({m for _, _, ms in gaps for m in ms})
    confidence = params["confidence"]
    if all(s.action.verb == "" for s, _, _ in gaps):
        confidence = params["confidence_nominal"]
    return [Hit(
        evidence=[s for s, _, _ in gaps],
        values={"gaps": "; ".join(d for _, d, _ in gaps), "missing": joined(missing_all)},
        confidence=confidence,
        details={"actions": [{"action": s.action.summary, "kind": s.action.kind,
                              "missing": ms} for s, _, ms in gaps]},
    )]
