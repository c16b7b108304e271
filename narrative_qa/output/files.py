"""Writing assessments to .jsonl, .json, .csv or .xlsx (chosen by the extension).

CSV and XLSX cells that begin with = + - @ (or a tab or carriage return) are prefixed
with an apostrophe so a spreadsheet shows them as text and never runs them as formulas.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from narrative_qa.errors import InputError, Location
from narrative_qa.model import Assessment

FORMATS = (".jsonl", ".json", ".csv", ".xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Neutralise spreadsheet formula injection in a text cell."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_assessments(assessments: list[Assessment], path: Path) -> None:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError("NQE013", f"'{path.name}' does not end in {', '.join(FORMATS)}",
                         Location(str(path)))
    path.parent.mkdir(parents=True, exist_ok=True)
    records = [a.to_record() for a in assessments]
    if suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as out:
            for record in records:
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    elif suffix == ".json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")
    elif suffix == ".csv":
        _write_csv(records, path)
    else:
        _write_xlsx(assessments, records, path)


def flat_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per submission: every input column, then the assessment in text."""
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(k for k in record if k not in {"findings", "errors"}))
    headers = [*columns, "finding_codes", "findings", "errors"]
    rows = []
    for record in records:
        row = [record.get(c) for c in columns]
        row.append("; ".join(f["code"] for f in record["findings"]))
        row.append("\n".join(
            f"{f['code']} {f['slug']} [{f['severity']}"
            f"{', low confidence' if f['low_confidence'] else ''}]: {f['message']} "
            f"Evidence: {' / '.join(repr(e) for e in f['evidence'])}. To add: {f['suggestion']}"
            for f in record["findings"]))
        row.append("\n".join(e["message"] for e in record["errors"]))
        rows.append([safe_cell(v) for v in row])
    return headers, rows


def _write_csv(records: list[dict[str, Any]], path: Path) -> None:
    headers, rows = flat_rows(records)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([safe_cell(h) for h in headers])
        writer.writerows(rows)


def _write_xlsx(assessments: list[Assessment], records: list[dict[str, Any]],
                path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Assessments"
    headers, rows = flat_rows(records)
    sheet.append([safe_cell(h) for h in headers])
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
    findings = book.create_sheet("Findings")
    findings.append(["row", "kpi_id", "kpi_name", "code", "slug", "severity", "confidence",
                     "low_confidence", "message", "evidence", "suggestion"])
    for assessment in assessments:
        sub = assessment.submission
        for f in assessment.findings:
            findings.append([_xlsx_value(safe_cell(v)) for v in (
                sub.location.row, sub.kpi_id, sub.kpi_name, f.code, f.slug, f.severity,
                round(f.confidence, 3), f.low_confidence, f.message,
                "\n".join(f.evidence), f.suggestion)])
    for ws in (sheet, findings):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            ws.column_dimensions[column[0].column_letter].width = 18
            for cell in column[1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    book.save(path)


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, int | float | bool):
        return value
    if isinstance(value, str):
        # openpyxl treats any string starting with "=" as a formula; safe_cell has already
        # prefixed those, and control characters other than tab/newline are not allowed.
        return "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)
    return json.dumps(value, ensure_ascii=False)
