"""NQ06: the data show a decline and the narrative gives no reason for it.

A reason is a sentence, other than the one reporting the indicator's own figures, that
links a cause to this period: a causal sentence ("because two supervisors were absent"),
a change in something else with its figure ("requests rose to 612 from 498"), or a cause
placed in the period ("sickness absence has been high this quarter", "the usual seasonal
pattern"). General pressures that "continue" with no figure and no date, and sentences
copied from last period's narrative, are not reasons.
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.wording import normalise
from narrative_qa.language.words import compile_all

KIND = "unexplained_deterioration"
NEEDS = frozenset({"previous"})
PARAMS = {
    "confidence": float,
    "confidence_generic": float,
    "change_cues": list[str],
    "period_cues": list[str],
    "indicator_statement": list[str],
    "generic_cues": list[str],
}


def _states_indicator(sentence: Sentence, ctx: Context) -> bool:
    values = [v for v in (ctx.submission.actual, ctx.submission.previous_actual)
              if isinstance(v, float)]
    return any(f.value is not None and any(abs(f.value - v) < 0.051 for v in values)
               for f in sentence.figures)


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    if not facts.deteriorated:
        return []
    change = compile_all(params["change_cues"])
    generic = compile_all(params["generic_cues"])
    in_period = compile_all(params["period_cues"])
    indicator = compile_all(params["indicator_statement"])
    old = {" ".join(normalise(s.text)) for s in ctx.previous.content()} if ctx.previous else set()
    reasons, generic_only = [], []
    for sentence in ctx.sentences:
        if sentence.action and sentence.action.kind in {"planned", "continuing"}:
            continue
        if " ".join(normalise(sentence.text)) in old:
            continue  # last period's explanation, copied
        about_indicator = bool(indicator.search(sentence.text)) or _states_indicator(
            sentence, ctx)
        descriptive = not sentence.action and not about_indicator
        dated = descriptive and bool(in_period.search(sentence.text))
        other_change = descriptive and bool(change.search(sentence.text) and sentence.figures)
        if not (sentence.causal or dated or other_change):
            continue
        if generic.search(sentence.text) and not sentence.figures and not dated:
            generic_only.append(sentence)
            continue
        reasons.append(sentence)
    if reasons:
        return []
    change_text = (f"from {sub.previous_actual:g} to {sub.actual:g}"
                   if isinstance(sub.previous_actual, float) else "")
    return [Hit(
        evidence=generic_only[:2] or ctx.sentences[:1],
        values={"change": change_text},
        confidence=params["confidence_generic"] if generic_only else params["confidence"],
        details={"previous_actual": sub.previous_actual, "actual": sub.actual,
                 "generic_reasons": [s.quote for s in generic_only]},
    )]
