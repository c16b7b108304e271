"""Writing assessments to .jsonl, .json, .csv or .xlsx (chosen by the extension).

Every CSV and XLSX cell, headers too, goes through `safe_cell`: control characters are
cleaned first, then a cell that would start a formula is prefixed with an apostrophe, so a
spreadsheet shows it as text and never runs it. Files are written whole or not at all.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from narrative_qa.assessment import Assessment
from narrative_qa.output.safe_write import (
    atomic_path,
    check_file_target,
    refuse_input_as_output,
    safe_cell,
)

__all__ = ["FORMATS", "check_out_path", "flat_rows", "safe_cell", "write_assessments"]

FORMATS = (".jsonl", ".json", ".csv", ".xlsx")


def check_out_path(out: Path, inputs: list[Path | None]) -> None:
    """Refuse, before any scoring, an --out path that cannot be written or is an input."""
    refuse_input_as_output(out, inputs)
    check_file_target(out, FORMATS)


def write_assessments(assessments: list[Assessment], path: Path) -> None:
    check_file_target(path, FORMATS)
    suffix = path.suffix.lower()
    records = [a.to_record() for a in assessments]
    with atomic_path(path) as temp:
        if suffix == ".jsonl":
            with temp.open("w", encoding="utf-8") as out:
                for record in records:
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif suffix == ".json":
            temp.write_text(json.dumps(records, ensure_ascii=False, indent=2),
                            encoding="utf-8")
        elif suffix == ".csv":
            _write_csv(records, temp)
        else:
            _write_xlsx(assessments, records, temp)


def flat_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per submission: every input column, then the assessment in text; every
    cell, headers too, safe for a spreadsheet."""
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
    return [safe_cell(h) for h in headers], rows


def _write_csv(records: list[dict[str, Any]], path: Path) -> None:
    headers, rows = flat_rows(records)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(headers)
        writer.writerows(rows)


def _write_xlsx(assessments: list[Assessment], records: list[dict[str, Any]],
                path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Assessments"
    headers, rows = flat_rows(records)
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    findings = book.create_sheet("Findings")
    findings.append(["row", "kpi_id", "kpi_name", "code", "slug", "severity", "confidence",
                     "low_confidence", "message", "evidence", "suggestion"])
    for assessment in assessments:
        sub = assessment.submission
        for f in assessment.findings:
            findings.append([safe_cell(v) for v in (
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

