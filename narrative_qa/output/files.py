"""Writing assessments to .jsonl, .json, .csv or .xlsx (chosen by the extension).

Every CSV and XLSX cell, headers too, goes through `safe_cell`: control characters are
cleaned first, then a cell that would start a formula is prefixed with an apostrophe, so a
spreadsheet shows it as text and never runs it. Files are written whole or not at all.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from narrative_qa.assessment import Assessment, DataFacts, Submission
from narrative_qa.errors import Location, RowProblem
from narrative_qa.output.safe_write import (
    atomic_path,
    check_file_target,
    output_error,
    refuse_input_as_output,
    safe_cell,
)

__all__ = ["FORMATS", "AssessmentWriter", "check_out_path", "flat_rows", "record_columns",
           "safe_cell", "write_assessments"]

FORMATS = (".jsonl", ".json", ".csv", ".xlsx")
XLSX_MAX_COLUMNS = 16_384  # what an Excel sheet holds (openpyxl writes more; Excel cannot open it)
XLSX_MAX_CHARS = 32_767  # what an Excel cell holds
CUT_MARK = " … [cut: over Excel's 32,767 characters a cell]"


def check_out_path(out: Path, inputs: list[Path | None]) -> None:
    """Refuse, before any scoring, an --out path that cannot be written or is an input."""
    refuse_input_as_output(out, inputs)
    check_file_target(out, FORMATS)


def write_assessments(assessments: list[Assessment], path: Path) -> None:
    """Write every assessment to `path` in one go (see AssessmentWriter for a stream)."""
    check_file_target(path, FORMATS)
    with AssessmentWriter.open(path, [a.submission for a in assessments]) as writer:
        writer.write(assessments)


def record_columns(submissions: Iterable[Submission]) -> list[str]:
    """The input-and-result columns (all but findings and errors) the records of these
    submissions will have, in the order a table of them shows: known before scoring, so a
    CSV or XLSX header can be written before the first row is scored."""
    columns: dict[str, None] = {}
    for sub in submissions:
        record = Assessment(sub, DataFacts(), [], "", None).to_record()
        columns.update(dict.fromkeys(k for k in record if k not in {"findings", "errors"}))
    return list(columns)


def flat_headers(columns: list[str]) -> list[Any]:
    return [safe_cell(h) for h in [*columns, "finding_codes", "findings", "errors"]]


def flat_row(record: dict[str, Any], columns: list[str]) -> list[Any]:
    """One submission: every input column, then the assessment in text; every cell safe
    for a spreadsheet."""
    row = [record.get(c) for c in columns]
    row.append("; ".join(f["code"] for f in record["findings"]))
    row.append("\n".join(
        f"{f['code']} {f['slug']} [{f['severity']}"
        f"{', worth a look' if f['low_confidence'] else ''}]: {f['message']} "
        f"Evidence: {' / '.join(repr(e) for e in f['evidence'])}. To add: {f['suggestion']}"
        for f in record["findings"]))
    row.append("\n".join(e["message"] for e in record["errors"]))
    return [safe_cell(v) for v in row]


def flat_rows(records: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """One row per submission (see flat_row), headers first."""
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(k for k in record if k not in {"findings", "errors"}))
    names = list(columns)
    return flat_headers(names), [flat_row(r, names) for r in records]


class AssessmentWriter:
    """Writes assessments as they come, a chunk at a time, to a temporary file in the
    target's folder that replaces the target only when the last chunk is written: JSONL
    and CSV appended, JSON as a streamed array, XLSX in openpyxl's write-only mode."""

    def __init__(self, temp: Path | None, suffix: str, columns: list[str]):
        self.suffix, self.columns, self.count = suffix, columns, 0
        self.handle = None
        self.book = None
        if temp is None:
            return
        if suffix == ".xlsx":
            self._start_xlsx(temp)
        else:
            encoding = "utf-8-sig" if suffix == ".csv" else "utf-8"
            self.handle = temp.open("w", encoding=encoding, newline="" if suffix == ".csv"
                                    else None)
            if suffix == ".csv":
                self.csv = csv.writer(self.handle)
                self.csv.writerow(flat_headers(columns))
            elif suffix == ".json":
                self.handle.write("[")

    @classmethod
    @contextmanager
    def open(cls, path: Path | None, submissions: list[Submission]
             ) -> Iterator[AssessmentWriter]:
        """A writer for `path` (None: one that writes nothing). The columns come from
        every submission, before any is scored."""
        if path is None:
            yield cls(None, "", [])
            return
        check_file_target(path, FORMATS)
        suffix = path.suffix.lower()
        columns = record_columns(submissions) if suffix in {".csv", ".xlsx"} else []
        if suffix == ".xlsx" and len(flat_headers(columns)) > XLSX_MAX_COLUMNS:
            raise output_error(path, f"the results have {len(flat_headers(columns)):,} "
                               f"columns, over the {XLSX_MAX_COLUMNS:,} an Excel sheet holds; "
                               "write .csv or .jsonl instead")
        with atomic_path(path) as temp:
            writer = cls(temp, suffix, columns)
            try:
                yield writer
                writer.finish(temp)
            except BaseException:
                writer.abandon()
                raise
            finally:
                if writer.handle is not None:
                    writer.handle.close()

    def write(self, assessments: list[Assessment]) -> None:
        if self.handle is None and self.book is None:
            return
        for assessment in assessments:
            record = assessment.to_record()
            if self.suffix == ".jsonl":
                self.handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            elif self.suffix == ".json":
                text = json.dumps(record, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                self.handle.write(("\n  " if self.count == 0 else ",\n  ") + text)
            elif self.suffix == ".csv":
                self.csv.writerow(flat_row(record, self.columns))
            else:
                self._xlsx_rows(assessment, record)
            self.count += 1

    def finish(self, temp: Path) -> None:
        if self.suffix == ".json":
            self.handle.write("\n]" if self.count else "]")
        if self.book is not None:
            self.book.save(temp)

    def abandon(self) -> None:
        """Close a write-only workbook that will not be saved (its sheets stream to
        temporary files that would otherwise be left open)."""
        if self.book is None:
            return
        for ws in self.book.worksheets:
            with suppress(Exception):
                ws.close()
        self.book = None

    # --- XLSX --------------------------------------------------------------------------

    def _start_xlsx(self, temp: Path) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font

        self.book = Workbook(write_only=True)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.sheet = self.book.create_sheet("Assessments")
        self.findings = self.book.create_sheet("Findings")
        for ws, headers in ((self.sheet, flat_headers(self.columns)),
                            (self.findings, FINDING_HEADERS)):
            for index in range(1, len(headers) + 1):
                ws.column_dimensions[get_column_letter(index)].width = 18
            ws.freeze_panes = "A2"
            ws.append([self._cell(ws, h, Font(bold=True)) for h in headers])

    def _cell(self, ws: Any, value: Any, font: Any = None) -> Any:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(ws, value)
        if font is not None:
            cell.font = font
        else:
            cell.alignment = self.wrap
        return cell

    def _xlsx_rows(self, assessment: Assessment, record: dict[str, Any]) -> None:
        row = flat_row(record, self.columns)
        names = [*self.columns, "finding_codes", "findings", "errors"]
        long = [n for n, v in zip(names, row, strict=True)
                if isinstance(v, str) and len(v) > XLSX_MAX_CHARS]
        if long:  # said on the row (and so in the summary), before the row is written
            sub = assessment.submission
            sub.problems.append(RowProblem(
                "NQE029", f"{', '.join(repr(n) for n in long)} held more than "
                f"{XLSX_MAX_CHARS:,} characters, which an Excel cell cannot; the .xlsx shows "
                "the start of the text, marked as cut", Location(
                    sub.location.file, sub.location.row, long[0])))
            row = flat_row(assessment.to_record(), self.columns)
        self.sheet.append([self._cell(self.sheet, _fit(v)) for v in row])
        sub = assessment.submission
        for f in assessment.findings:
            self.findings.append([self._cell(self.findings, _fit(safe_cell(v))) for v in (
                sub.location.row, sub.kpi_id, sub.kpi_name, f.code, f.slug, f.severity,
                round(f.confidence, 3), f.low_confidence, f.message,
                "\n".join(f.evidence), f.suggestion)])


def _fit(value: Any) -> Any:
    if isinstance(value, str) and len(value) > XLSX_MAX_CHARS:
        return value[:XLSX_MAX_CHARS - len(CUT_MARK)] + CUT_MARK
    return value


FINDING_HEADERS = ["row", "kpi_id", "kpi_name", "code", "slug", "severity", "confidence",
                   "low_confidence", "message", "evidence", "suggestion"]


def get_column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter as letter

    return letter(index)
