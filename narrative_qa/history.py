"""Joining last quarter's export: previous actual and narrative, matched by kpi_id."""

from __future__ import annotations

from narrative_qa.errors import Location, RowProblem
from narrative_qa.model import Submission


def _key(kpi_id: str | None) -> str | None:
    return kpi_id.strip().lower() if kpi_id else None


def join_previous(current: list[Submission], previous: list[Submission]) -> list[RowProblem]:
    """Fill previous_actual and previous_narrative where the current row lacks them.

    Values already in the current file are kept. Returns notices about the previous file
    (a KPI listed twice there is ambiguous, so neither copy is used).
    """
    by_id: dict[str, Submission] = {}
    ambiguous: set[str] = set()
    for sub in previous:
        key = _key(sub.kpi_id)
        if key is None or sub.blocked and not sub.narrative:
            continue
        if key in by_id:
            ambiguous.add(key)
        by_id[key] = sub
    notices = [
        RowProblem("NQE023", f"KPI '{by_id[k].kpi_id}' appears more than once in the previous "
                   "file, so its previous values were not used",
                   Location(by_id[k].location.file, by_id[k].location.row, "kpi_id"))
        for k in sorted(ambiguous)
    ]
    for sub in current:
        key = _key(sub.kpi_id)
        match = by_id.get(key) if key and key not in ambiguous else None
        if match is None:
            continue
        if sub.previous_actual is None and isinstance(match.actual, float):
            sub.previous_actual = match.actual
        if not sub.previous_narrative and match.narrative:
            sub.previous_narrative = match.narrative
    return notices
