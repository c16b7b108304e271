"""NQ07: an action offered as the fix that could not plausibly move this KPI.

Pattern version: the narrative offers one of the activities that rarely move a service
measure (a wellbeing newsletter, a logo, a dashboard, an away day) AND the activity does not
name the measure AND no mechanism links it to the measure AND the KPI is not one the
activity is known to serve (wellbeing work does serve a sickness-absence KPI).
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.words import compile_all, content_words

KIND = "irrelevant_activity"
NEEDS: frozenset[str] = frozenset()
PARAMS = {
    "confidence": float,
    "mechanism_cues": list[str],
    "activities": list[dict],
}


def detect(ctx: Context, params: dict) -> list[Hit]:
    mechanism = compile_all(params["mechanism_cues"])
    kpi_text = f"{ctx.submission.kpi_name or ''} {ctx.submission.service or ''}"
    kpi = ctx.kpi_terms
    flagged = []
    for sentence in ctx.sentences:
        if sentence.causal and not (sentence.action and sentence.action.kind == "planned"):
            continue  # an explanation ("the fall reflects the module refresh"), not an offer
        for activity in params["activities"]:
            match = compile_all(activity["pattern"]).search(sentence.text)
            if not match:
                continue
            if activity.get("serves") and compile_all(activity["serves"]).search(kpi_text):
                continue
            if mechanism.search(sentence.text):
                continue
            if content_words(match.group(0)) & kpi:
                continue  # the activity names the measure itself ("a PDP dashboard" for PDPs)
            flagged.append((sentence, match.group(0)))
            break
    if not flagged:
        return []
    return [Hit(
        evidence=[s for s, _ in flagged],
        values={"activities": joined(list(dict.fromkeys(f"'{short(a, 8)}'"
                                                        for _, a in flagged))),
                "kpi": ctx.submission.kpi_name or "this KPI"},
        confidence=params["confidence"],
        details={"activities": [a for _, a in flagged]},
    )]
