"""What the numbers say: computed RAG, off target, deteriorated (FINDINGS.md §1-2)."""

from __future__ import annotations

from dataclasses import replace
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


# LABELLING.md §1, mixed formats: a fraction beside a percentage is read on one scale when
# that is plain, i.e. some value is at least this and the fraction x 100 is too.
_PLAINLY_PERCENT = 10.0


def on_one_scale(sub: Submission) -> tuple[object, object, object]:
    """Target, actual and previous actual of a % KPI on one scale: a fraction written
    beside percentages (0.9398 beside 90 and 75) is read as 93.98. Values of one kind
    stay as written (0.9 against 0.75 is the same RAG on either scale)."""
    values = (sub.target, sub.actual, sub.previous_actual)
    if sub.unit != "%":
        return values
    numbers = [v for v in values if isinstance(v, float)]
    if not any(v >= _PLAINLY_PERCENT for v in numbers):
        return values
    return tuple(v * 100 if isinstance(v, float) and _PLAINLY_PERCENT / 100 <= v <= 1 else v
                 for v in values)


def readings(value: float, unit: str | None) -> tuple[float, ...]:
    """The ways a % KPI's cell may be written: 0.63 is 0.63% or 63%. A figure in the text
    contradicts the cell only if it matches none of them (NQ10)."""
    if unit == "%" and 0 < value <= 1:
        return (value, value * 100)
    return (value,)


def agrees_as_written(claimed: float, value: float, decimals: int) -> bool:
    """A figure written with `decimals` decimals states `value` when it is `value` rounded
    that far: '90%' states 90.24, '78.4%' does not state 78.9 (NQ10)."""
    return abs(claimed - value) <= 0.5 * 10 ** -decimals + 1e-9


def data_facts(sub: Submission, bands: RagBands) -> DataFacts:
    target, actual, previous = on_one_scale(sub)
    if (target, actual, previous) != (sub.target, sub.actual, sub.previous_actual):
        sub = replace(sub, target=target, actual=actual, previous_actual=previous)
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
        def either_way(value: float) -> float:  # a budget is missed over or under
            return max(variance_pct(sub.target, value, way, sub.unit, bands)
                       for way in ("up", "down"))

        variance = either_way(sub.actual)
        if isinstance(sub.previous_actual, float):  # off target last period too
            facts = {"previously_off_target": either_way(sub.previous_actual) > 0}
        return DataFacts(rag_computed=rag_from_variance(variance, bands), variance_pct=variance,
                         off_target=variance > 0, **facts)
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


def is_delivery(actual: object) -> bool:
    """The measure is a project's delivery, not a figure: its actual is a rating
    ('Amber/Red') or an end date."""
    return isinstance(actual, str) and (rating_rank(actual) is not None
                                        or end_date(actual) is not None)


def has_no_rag(sub: Submission, facts: DataFacts) -> bool:
    """No RAG computed (no numeric target or actual) and none stated (FINDINGS.md §4)."""
    return facts.rag_computed is None and not facts.qualitative and sub.stated_rag is None


def polarity_assumed(sub: Submission, facts: DataFacts) -> str | None:
    """What the RAG from the figures took for granted when no polarity was given: said
    beside it, so an officer whose indicator points the other way sees why it differs."""
    if not sub.polarity_inferred or facts.qualitative or facts.rag_computed is None \
            or is_two_sided(sub.kpi_name):
        return None
    way = "higher" if sub.polarity == "up" else "lower"
    return (f"No polarity was given: the RAG from the figures assumes {way} is better "
            "(add 'up' or 'down' if it is not).")
