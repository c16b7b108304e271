"""NQ05: actions were in place, the indicator did not improve, and nobody says why.

Analysis must be about the named actions: a sentence that refers back to them (shares
their distinctive words, or says "these actions", "the clinics") and gives a shortfall
or its cause ("only 14 of the 60 families attended", "has not yet had an effect because").
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.words import compile_all, content_words
from narrative_qa.specs.params import Count, Share

KIND = "unanalysed_failed_actions"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence": Share,
    "min_shared_words": Count,
    "no_effect_claims": list[str],
    "shortfall_cues": list[str],
    "not_remedial": list[str],
    "delivered_cues": list[str],
    "action_references": list[str],
}


def detect(ctx: Context, params: dict) -> list[Hit]:
    # issue 19: forecasts falling due this period are a second source of evidence
    from narrative_qa.forecasts.evidence import with_forecasts

    return with_forecasts(ctx, _detect(ctx, params), "NQ05", params["confidence"])


def _detect(ctx: Context, params: dict) -> list[Hit]:
    facts = ctx.facts
    no_effect = compile_all(params["no_effect_claims"])
    claims = [s for s in ctx.sentences if no_effect.search(s.text)]
    if facts.improved is None and not claims:
        return []  # no previous value and no claim about the trend
    if facts.improved and not claims:
        return []
    not_remedial = compile_all(params["not_remedial"])
    delivered = compile_all(params["delivered_cues"])
    operating = [
        s for s in ctx.sentences
        if s.action and s.action.kind in {"taken", "continuing", "current"}
        and s.action.verb not in shared("watching_verbs")
        and not s.impact  # "approved to cover the gaps from January; we expect…": a plan
        and not not_remedial.search(s.text)  # newsletters and dashboards are NQ07's business
        and not (s.figures and delivered.search(s.text))  # it worked: "has kept NW at 96%"
    ]
    if not operating:
        return []
    shortfall = compile_all(params["shortfall_cues"])
    anaphora = compile_all(params["action_references"])
    kpi = ctx.kpi_terms
    for sentence in ctx.sentences:
        if not shortfall.search(sentence.text):
            continue
        words = content_words(sentence.text)
        about_actions = anaphora.search(sentence.text) or any(
            len((content_words(a.text) - kpi) & words) >= params["min_shared_words"]
            for a in operating)
        if about_actions:
            return []
    names = [f"'{short(s.action.summary, 10)}'" for s in operating]
    trend = ("the indicator did not improve on last period" if facts.improved is False
             else "the text says they have had little effect")
    return [Hit(
        evidence=operating + claims[:1],
        values={"actions": joined(names), "trend": trend},
        confidence=params["confidence"],
        details={"actions": [s.action.summary for s in operating]},
    )]
