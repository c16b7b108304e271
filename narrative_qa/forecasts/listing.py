"""The forecasts of a period as rows: those falling due in it (checked) and those it made
(still to come). What `narrative-qa forecasts`, the API and the report list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from narrative_qa.forecasts.check import PeriodCheck, check_period
from narrative_qa.output.safe_write import atomic_path, safe_cell

if TYPE_CHECKING:
    from narrative_qa.store.history import History

COLUMNS = ("kpi_id", "service", "owner", "made_in", "version", "what", "value", "due",
           "due_period", "status", "actual", "gap", "mentioned", "explained", "confidence",
           "sentence", "quote")
FORMATS = ("json", "csv", "xlsx")


def forecast_rows(history: History, period: str) -> tuple[list[dict[str, Any]], PeriodCheck]:
    """Rows for the forecasts due in `period` (with their check) and then those made in it
    (status 'not yet due', or 'no due period' for vague timing); and the check itself."""
    from narrative_qa.forecasts.check import made_in

    result = check_period(history, period)
    rows = [c.to_dict() for c in result.checked]
    for f in made_in(history, period):
        status = "no due period" if not f.due_period else (
            "due date problem" if f.problem else "not yet due")
        rows.append({"kpi_id": f.kpi_id, "service": f.service, "owner": f.owner,
                     "made_in": f.made_in, "version": f.version, "what": f.what,
                     "value": f.value, "due": f.due, "due_period": f.due_period,
                     "status": status, "actual": None, "gap": None, "mentioned": None,
                     "explained": None, "confidence": f.confidence, "sentence": f.sentence,
                     "quote": f.problem or ""})
    return [{k: row.get(k) for k in COLUMNS} for row in rows], result


def rows_text(rows: list[dict[str, Any]], fmt: str) -> str:
    """JSON (one array) or CSV text; CSV cells never start a formula."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if row[k] is None else safe_cell(row[k]) for k in COLUMNS])
    return buffer.getvalue()


def write_rows(rows: list[dict[str, Any]], fmt: str, out: Path) -> Path:
    """Write the rows to `out` as JSON, CSV or XLSX (written whole or not at all)."""
    with atomic_path(out) as temp:
        if fmt == "xlsx":
            from openpyxl import Workbook

            book = Workbook()
            sheet = book.active
            sheet.title = "Forecasts"
            sheet.append(list(COLUMNS))
            for row in rows:
                sheet.append([safe_cell(row[k]) for k in COLUMNS])
            book.save(temp)
        else:
            temp.write_text(rows_text(rows, fmt), encoding="utf-8")
    return out
