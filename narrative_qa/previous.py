"""Last period's values: one source (a file's submissions, or the history store) and one
matching rule, used by `score`, `check` and `ingest` alike.

The rule: a current row matches a previous row when their kpi_ids are equal after trimming
and case-folding (" cs-05 " matches "CS-05") and, for the store, the previous row was
stored for the period before the current row's (a file is last period's by definition). A
kpi_id listed more than once in a source is ambiguous, so neither copy is used. Values the
current row already has are kept. The store only provides rows; the matching lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from narrative_qa.assessment import Submission
from narrative_qa.errors import Location, RowProblem
from narrative_qa.reading.values import clean_id


def match_key(kpi_id: str | None) -> str | None:
    """The kpi_id as compared: cleaned by the one rule for ids (reading.values.clean_id:
    invisible characters gone, spaces trimmed) and case-folded; None when blank."""
    key = clean_id(kpi_id)
    return key.casefold() if key else None


@dataclass(frozen=True)
class PreviousRow:
    """What a previous period gives a current row."""

    kpi_id: str
    actual: float | str | None
    narrative: str | None
    location: Location  # where it came from, for messages


class PreviousSource(Protocol):
    described: str  # "the previous file", "the history store for 2025/26 Q1" …
    expects_matches: bool  # a source with no match at all is worth a notice

    def rows_for(self, current: Submission) -> tuple[str, list[PreviousRow]]:
        """(a name for the group of rows the current row is compared with, those rows)."""
        ...


def _usable(sub: Submission) -> bool:
    return match_key(sub.kpi_id) is not None and not (sub.blocked and not sub.narrative)


class FilePrevious:
    """Last period's export, already read into submissions."""

    described = "the previous file"
    expects_matches = True

    def __init__(self, submissions: list[Submission]):
        self.submissions = submissions
        self.rows = [PreviousRow(s.kpi_id or "", s.actual, s.narrative or None,
                                 Location(s.location.file, s.location.row, "kpi_id"))
                     for s in submissions if _usable(s)]

    def rows_for(self, current: Submission) -> tuple[str, list[PreviousRow]]:
        return "", self.rows


class StoredRows(Protocol):
    """What the store provides (narrative_qa.store.history.History; not imported here, so
    the store may use this module)."""

    def previous_period(self, period: str | None) -> str | None: ...

    def previous_rows(self, period: str, kpi_id: str | None = None) -> list[PreviousRow]: ...


class StorePrevious:
    """The history store: the current version of each KPI for the period before the row's."""

    expects_matches = False  # a KPI new this period has no history; that is not news

    def __init__(self, history: StoredRows, kpi_id: str | None = None):
        self.history = history
        self.kpi_id = kpi_id  # given: read that KPI's rows only (one draft, not a quarter)
        self.described = "the history store"
        self._by_period: dict[str, list[PreviousRow]] = {}

    def rows_for(self, current: Submission) -> tuple[str, list[PreviousRow]]:
        earlier = self.history.previous_period(current.period)
        if earlier is None:
            return "", []
        if earlier not in self._by_period:
            self._by_period[earlier] = self.history.previous_rows(earlier, self.kpi_id)
        return earlier, self._by_period[earlier]


@dataclass
class _Index:
    by_key: dict[str, PreviousRow]
    ambiguous: dict[str, PreviousRow]


def _index(rows: Iterable[PreviousRow]) -> _Index:
    index = _Index({}, {})
    for row in rows:
        key = match_key(row.kpi_id)
        if key is None:
            continue
        if key in index.by_key:
            index.ambiguous[key] = row
        index.by_key[key] = row
    return index


def join_previous(current: list[Submission],
                  previous: list[Submission] | PreviousSource) -> list[RowProblem]:
    """Fill previous_actual and previous_narrative where the current rows lack them.

    `previous` is last period's submissions (a file) or a source such as StorePrevious.
    Returns notices (a KPI listed twice in the source; a file that matched no KPI)."""
    source = FilePrevious(previous) if isinstance(previous, list) else previous
    return join(current, source)[1]


def join(current: list[Submission], source: PreviousSource) -> tuple[int, list[RowProblem]]:
    """(rows matched, notices)."""
    indexes: dict[str, _Index] = {}
    matched = 0
    for sub in current:
        group, rows = source.rows_for(sub)
        if group not in indexes:
            indexes[group] = _index(rows)
        index = indexes[group]
        key = match_key(sub.kpi_id)
        if key is None or key in index.ambiguous or key not in index.by_key:
            continue
        matched += 1
        _fill(sub, index.by_key[key])
    notices = [_ambiguous(row, source, group) for group, index in indexes.items()
               for _, row in sorted(index.ambiguous.items())]
    if source.expects_matches and isinstance(source, FilePrevious) and source.submissions \
            and not matched:
        notices.append(_none_matched(current, source.submissions))
    return matched, notices


def _fill(sub: Submission, match: PreviousRow) -> None:
    if sub.previous_actual is None and isinstance(match.actual, int | float) \
            and not isinstance(match.actual, bool):
        sub.previous_actual = float(match.actual)
    if not sub.previous_narrative and match.narrative:
        sub.previous_narrative = match.narrative


def _ambiguous(row: PreviousRow, source: PreviousSource, group: str) -> RowProblem:
    where = f"{source.described} for {group}" if group else source.described
    return RowProblem("NQE023", f"KPI '{row.kpi_id}' appears more than once in {where}, so "
                      "its previous values were not used", row.location)


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
