"""Forecasts as evidence for NQ03 and NQ05: one extra source the two detectors consult.

NQ03: a forecast falling due this period that the narrative neither mentions nor
explains ("In 2025/26 Q2 you forecast 60% by 2025/26 Q4; the actual is 52%."). NQ05: a
forecast that was missed with no sentence saying why. The forecasts come from the store
(Submission.forecasts_due, filled when the store is joined in); without a store there are
none, and the detectors behave exactly as before.
"""

from __future__ import annotations

from narrative_qa.assessment import Submission
from narrative_qa.detectors.base import Context, Hit
from narrative_qa.forecasts.check import Checked, check_forecast
from narrative_qa.language.quoting import joined
from narrative_qa.language.words import content_words


def checked_due(ctx: Context) -> list[Checked]:
    return checked_due_for(ctx.submission, ctx.kpi_terms)


def checked_due_for(sub: Submission, kpi_terms: frozenset[str] | None = None
                    ) -> list[Checked]:
    """The submission's forecasts falling due, checked against its actual and narrative."""
    if kpi_terms is None:
        kpi_terms = content_words(f"{sub.kpi_name or ''} {sub.unit or ''}")
    return [check_forecast(f, sub.actual, sub.narrative, kpi_terms)
            for f in sub.forecasts_due]


def with_forecasts(ctx: Context, hits: list[Hit], code: str, confidence: float) -> list[Hit]:
    """The detector's own hits, with the due forecasts that are evidence for `code` added
    (to its first hit's evidence, or as a hit of their own)."""
    if not ctx.submission.forecasts_due:
        return hits
    checked = checked_due(ctx)
    if code == "NQ03":
        evidence = [c for c in checked if not c.mentioned]
        values = {"actions": joined([f"'{c.quote}'" for c in evidence]),
                  "count": len(evidence), "total": len(checked)}
    else:
        evidence = [c for c in checked if c.missed and not c.explained]
        values = {"actions": joined([f"'{c.quote}'" for c in evidence]),
                  "trend": "the forecast was missed"}
    if not evidence:
        return hits
    quotes = [c.quote for c in evidence]
    details = {"forecasts_due": [c.to_dict() for c in evidence]}
    if hits:
        hits[0].evidence = [*hits[0].evidence, *quotes]
        hits[0].details = {**hits[0].details, **details}
        return hits
    return [Hit(evidence=list(quotes), values=values, confidence=confidence, details=details)]
