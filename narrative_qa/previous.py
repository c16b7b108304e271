"""Joining last quarter's export: previous actual and narrative, matched by kpi_id."""

from __future__ import annotations

from narrative_qa.assessment import Submission
from narrative_qa.errors import Location, RowProblem


def _key(kpi_id: str | None) -> str | None:
    return kpi_id.strip().lower() if kpi_id else None


def join_previous(current: list[Submission], previous: list[Submission]) -> list[RowProblem]:
    """Fill previous_actual and previous_narrative where the current row lacks them.

    Values already in the current file are kept. Returns notices about the previous file
    (a KPI listed twice there is ambiguous, so neither copy is used; no KPI matched at all).
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
    matched = 0
    for sub in current:
        key = _key(sub.kpi_id)
        match = by_id.get(key) if key and key not in ambiguous else None
        if match is None:
            continue
        matched += 1
        if sub.previous_actual is None and isinstance(match.actual, float):
            sub.previous_actual = match.actual
        if not sub.previous_narrative and match.narrative:
            sub.previous_narrative = match.narrative
    if previous and not matched:
        notices.append(_none_matched(current, previous))
    return notices


def _none_matched(current: list[Submission], previous: list[Submission]) -> RowProblem:
    def ids(subs: list[Submission]) -> str:
        shown = [f"'{s.kpi_id}'" for s in subs if s.kpi_id][:3]
        return ", ".join(shown) if shown else "none (no kpi_id column or values)"

    file = previous[0].location.file
    return RowProblem(
        "NQE056",
        f"none of the previous file's {len(previous)} rows matched a kpi_id of the input, so "
        f"no previous values were used (joined on the kpi_id column; previous ids: "
        f"{ids(previous)}; input ids: {ids(current)})", Location(file, None, "kpi_id"))
