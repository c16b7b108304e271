"""Reviewers' decisions as rows (dicts): exported from the store and imported into it.

The CLI reads and writes these rows as CSV; a web app can take them from an upload or a
form. Import records each good row and reports each bad one (the rest are still recorded);
importing what was exported records nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from narrative_qa.errors import ConfigError, InputError, Location, RowProblem

if TYPE_CHECKING:
    from narrative_qa.store.history import History

DECISION_COLUMNS = ("kpi_id", "period", "code", "decision", "reason", "reviewer")
EXPORT_COLUMNS = (*DECISION_COLUMNS, "decided_at")  # decided_at is optional on import


@dataclass
class ImportResult:
    recorded: int = 0
    already: int = 0  # the very same decision was already recorded
    problems: list[RowProblem] = field(default_factory=list)  # one per bad row


def export_decisions(history: History) -> list[dict[str, Any]]:
    """Every decision, oldest first, with who and when: one dict per EXPORT_COLUMNS."""
    return [{c: row[c] for c in EXPORT_COLUMNS} for row in history.decisions()]


def check_columns(columns: Iterable[str], source: str) -> None:
    """Refuse (NQE064) rows that lack a column import needs."""
    present = list(columns)
    missing = [c for c in DECISION_COLUMNS if c not in present]
    if missing:
        raise InputError("NQE064", f"no column {', '.join(repr(c) for c in missing)}; the "
                         f"header row has {', '.join(repr(c) for c in present)}",
                         Location(source))


def import_decisions(history: History, rows: list[Mapping[str, Any]], source: str = "<rows>",
                     first_row: int = 1) -> ImportResult:
    """Record each row's decision; a bad row becomes a problem naming `source` and its row
    (the first row is numbered `first_row`: 2 for a CSV under its header)."""
    if rows:
        check_columns(rows[0].keys(), source)
    result = ImportResult()
    for number, row in enumerate(rows, start=first_row):
        values = {c: _cell(row.get(c)) for c in EXPORT_COLUMNS}
        try:
            added = history.decide(values["kpi_id"], values["period"], values["code"],
                                   values["decision"], values["reason"], values["reviewer"],
                                   decided_at=values["decided_at"] or None)
        except ConfigError as error:
            result.problems.append(RowProblem(
                error.code, error.detail, Location(source, number, error.location.column)))
            continue
        if added:
            result.recorded += 1
        else:
            result.already += 1
    return result


def _cell(value: Any) -> str:
    """A cell as export wrote it: the apostrophe that guards a spreadsheet formula is taken
    off (see output.safe_write.safe_cell)."""
    text = "" if value is None else str(value).strip()
    return text[1:].strip() if text.startswith("'") else text
