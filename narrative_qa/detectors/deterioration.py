"""NQ06: the data show a decline and the narrative gives no reason for it.

A reason is a causal sentence about the change (it names the fall, compares with last
period or gives a figure), not a general pressure that "continues" as it did before, and
not a sentence copied from last period's narrative.
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit, compile_all
from narrative_qa.detectors.recycled import normalise


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    if not facts.deteriorated:
        return []
    change = compile_all(params["change_cues"])
    generic = compile_all(params["generic_cues"])
    old = {" ".join(normalise(s.text)) for s in ctx.previous.content()} if ctx.previous else set()
    causal = [s for s in ctx.sentences if s.causal]
    specific = [
        s for s in causal
        if (change.search(s.text) or s.figures)
        and not (generic.search(s.text) and not s.figures)
        and " ".join(normalise(s.text)) not in old
    ]
    if specific:
        return []
    change_text = (f"from {sub.previous_actual:g} to {sub.actual:g}"
                   if isinstance(sub.previous_actual, float) else "")
    return [Hit(
        evidence=causal[:2] or ctx.sentences[:1],
        values={"change": change_text},
        confidence=params["confidence_generic"] if causal else params["confidence"],
        details={"previous_actual": sub.previous_actual, "actual": sub.actual,
                 "generic_reasons": [s.quote for s in causal]},
    )]
