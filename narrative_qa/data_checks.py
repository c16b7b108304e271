"""What the numbers say: computed RAG, off target, deteriorated (FINDINGS.md §1-2)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.config import RagBands
from narrative_qa.language.lexicon import shared
from narrative_qa.language.ratings import rating_rank
from narrative_qa.reading.values import is_two_sided


def variance_pct(target: float, actual: float, polarity: str, unit: str | None,
                 bands: RagBands) -> float:
    """How far actual is on the wrong side of target: % of target, or points for % KPIs.

    0 when the target is met. Rounded half-up to bands.decimals so that 2.495 reads as
    2.50 (amber), as a person rounding to two places would.
    """
    shortfall = (target - actual) if polarity == "up" else (actual - target)
    if shortfall <= 0:
        return 0.0
    points = bands.percent_variance == "points" and unit == "%"
    if points or target == 0:
        value = Decimal(str(shortfall))
    else:
        value = Decimal(str(shortfall)) / Decimal(str(abs(target))) * 100
    quantum = Decimal(1).scaleb(-bands.decimals)
    return float(value.quantize(quantum, rounding=ROUND_HALF_UP))


def rag_from_variance(variance: float, bands: RagBands) -> str:
    if variance < bands.amber_from:
        return "green"
    if variance < bands.red_from:
        return "amber"
    return "red"


def compute_rag(target: float, actual: float, polarity: str, unit: str | None,
                bands: RagBands) -> str:
    return rag_from_variance(variance_pct(target, actual, polarity, unit, bands), bands)


def _worse(a: float, b: float, polarity: str) -> bool:
    """True when a is worse than b in the direction of polarity."""
    return a < b if polarity == "up" else a > b


def is_qualitative(sub: Submission) -> bool:
    return isinstance(sub.target, str)


def data_facts(sub: Submission, bands: RagBands) -> DataFacts:
    polarity = sub.polarity or "up"
    numeric = isinstance(sub.target, float) and isinstance(sub.actual, float)
    if is_qualitative(sub):
        return DataFacts(
            rag_computed=sub.stated_rag,
            off_target=None if sub.stated_rag is None else sub.stated_rag != "green",
            qualitative=True,
            # no stated RAG: nothing computed and none stated, held to all findings (§4)
            assumed_off_target=sub.stated_rag is None,
        )
    facts: dict = {}
    if isinstance(sub.previous_actual, float):
        if isinstance(sub.actual, float):  # the trend needs no target (§4: no RAG)
            facts["deteriorated"] = _worse(sub.actual, sub.previous_actual, polarity)
            facts["improved"] = _worse(sub.previous_actual, sub.actual, polarity)
        if isinstance(sub.target, float):
            facts["previously_off_target"] = _worse(sub.previous_actual, sub.target, polarity)
    if numeric and sub.polarity_inferred and is_two_sided(sub.kpi_name):
        variance = max(variance_pct(sub.target, sub.actual, way, sub.unit, bands)
                       for way in ("up", "down"))
        return DataFacts(rag_computed=rag_from_variance(variance, bands), variance_pct=variance,
                         off_target=variance > 0)
    if not numeric:
        return DataFacts(**{"assumed_off_target": sub.stated_rag != "green", **facts,
                            **_rating_facts(sub)})
    variance = variance_pct(sub.target, sub.actual, polarity, sub.unit, bands)
    return DataFacts(
        rag_computed=rag_from_variance(variance, bands),
        variance_pct=variance,
        off_target=_worse(sub.actual, sub.target, polarity),
        **facts,
    )


def _rating_facts(sub: Submission) -> dict:
    """A rating as the actual (a delivery-confidence rating) is the body's own RAG: only the
    top of the scale is green, and a lower rating than last period's is a deterioration.
    An end date as the actual has no RAG; one later than last period's is a deterioration
    (LABELLING.md §1)."""
    rank = rating_rank(sub.actual) if isinstance(sub.actual, str) else None
    if rank is None:
        end, before = end_date(sub.actual), end_date(sub.previous_actual)
        if end is None or before is None:
            return {}
        return {"deteriorated": end > before, "improved": end < before}
    facts = {"assumed_off_target": rank < len(shared("rating_scale")) - 1}
    before = rating_rank(sub.previous_actual) if isinstance(sub.previous_actual, str) else None
    if before is not None:
        facts |= {"deteriorated": rank < before, "improved": rank > before}
    return facts


# Day first, as UK and Canadian exports write them; ISO dates as well.
_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d", "%d-%m-%Y",
                 "%d %b %Y", "%d %B %Y")


def end_date(value: object) -> date | None:
    """A date written alone in a cell ('31.03.25', '2024-12-31'); None for anything else."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def has_no_rag(sub: Submission, facts: DataFacts) -> bool:
    """No RAG computed (no numeric target or actual) and none stated (FINDINGS.md §4)."""
    return facts.rag_computed is None and not facts.qualitative and sub.stated_rag is None
