"""Reading a file into raw rows: header -> cell value, with the row number a person sees.

CSV (UTF-8, UTF-8 with BOM, Windows-1252), XLSX (first sheet or a named one; merged and
multi-row headers resolved), JSON (a list, or an object holding one) and JSONL.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.errors import InputError, Location, RowProblem
from narrative_qa.reading.headers import count_known

HEADER_SCAN_ROWS = 15
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted OOXML or legacy .xls


@dataclass
class RawRow:
    row: int  # as a person sees it: the spreadsheet row, CSV record or JSONL line
    values: dict[str, Any]
    problem: RowProblem | None = None  # set when the row itself could not be parsed


@dataclass
class Table:
    file: str
    headers: list[str]
    rows: list[RawRow]
    notices: list[RowProblem] = field(default_factory=list)  # file-level warnings


def read_table(
    path: Path, sheet: str | None = None, mapping: dict[str, str] | None = None
) -> Table:
    if not path.exists():
        raise InputError("NQE001", "file not found", Location(str(path)))
    if path.is_dir():
        raise InputError("NQE003", "this is a folder, not a file", Location(str(path)))
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            "NQE002", "old Excel .xls files are not read; save it as .xlsx", Location(str(path))
        )
    if suffix not in READERS:
        raise InputError("NQE002", f"'{suffix or path.name}' is not a type narrative_qa reads",
                         Location(str(path)))
    return READERS[suffix](path, sheet, mapping)


# --- CSV -----------------------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252, else Latin-1 (which never fails)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _read_csv(path: Path, sheet: str | None, mapping: dict[str, str] | None) -> Table:
    try:
        text = decode_bytes(path.read_bytes())
    except OSError as exc:
        raise InputError("NQE003", f"cannot open ({exc.strerror})", Location(str(path))) from exc
    if "\x00" in text[:4096]:
        raise InputError("NQE003", "this is not a text CSV file", Location(str(path)))
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    # A pasted 1 MB narrative must reach the row checks (NQE021), not stop the file.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    try:
        grid = list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise InputError("NQE003", f"not valid CSV ({exc})", Location(str(path))) from exc
    return _table_from_grid(str(path), grid, mapping, first_row_number=1)


# --- XLSX ----------------------------------------------------------------------------

def _read_xlsx(path: Path, sheet: str | None, mapping: dict[str, str] | None) -> Table:
    import openpyxl  # imported here: only spreadsheet users pay for it

    where = Location(str(path))
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        if _is_encrypted(path):
            raise InputError("NQE004", "the workbook is password-protected", where)
        raise InputError("NQE003", "this is an old-format (.xls) workbook renamed .xlsx", where)
    try:
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError("NQE003", f"not a readable .xlsx workbook ({exc})", where) from exc
    if sheet is None:
        ws = book.worksheets[0]
    elif sheet in book.sheetnames:
        ws = book[sheet]
    else:
        raise InputError(
            "NQE007", f"no sheet '{sheet}'; sheets are {', '.join(book.sheetnames)}", where
        )
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    merged_header = False
    for rng in ws.merged_cells.ranges:
        value = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_row <= len(grid) else None
        for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if c - 1 < len(grid[r - 1]):
                    grid[r - 1][c - 1] = value
        if rng.min_row <= HEADER_SCAN_ROWS and rng.max_row > rng.min_row:
            merged_header = True
    table = _table_from_grid(f"{path} [{ws.title}]", grid, mapping, first_row_number=1)
    header_row = table.rows[0].row - 1 if table.rows else None
    if merged_header and header_row and not table.notices:
        table.notices.append(
            RowProblem(
                "NQE030",
                f"merged header cells were spread over their columns and row {header_row} "
                f"was used as the header",
                Location(table.file, header_row),
            )
        )
    return table


def _is_encrypted(path: Path) -> bool:
    import msoffcrypto

    try:
        with path.open("rb") as handle:
            return bool(msoffcrypto.OfficeFile(handle).is_encrypted())
    except Exception:  # not an Office file msoffcrypto understands
        return False


# --- grids (CSV and XLSX) -------------------------------------------------------------

def _cell_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _find_header(grid: list[list[Any]], mapping: dict[str, str] | None) -> int | None:
    best, best_count = None, 0
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        known = count_known(row, mapping)
        if known > best_count:
            best, best_count = index, known
    return best


def _unique_headers(row: list[Any]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(row):
        name = str(cell).strip() if not _cell_empty(cell) else f"column {index + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        headers.append(name)
    return headers


def _table_from_grid(
    file: str, grid: list[list[Any]], mapping: dict[str, str] | None, first_row_number: int
) -> Table:
    where = Location(file)
    if not any(any(not _cell_empty(c) for c in row) for row in grid):
        raise InputError("NQE009", "the file is empty", where)
    header_index = _find_header(grid, mapping)
    if header_index is None:
        raise InputError(
            "NQE006",
            "none of the first rows has recognisable column names such as 'KPI', "
            "'Target', 'Actual' or 'Narrative'",
            where,
        )
    notices: list[RowProblem] = []
    above = grid[header_index - 1] if header_index > 0 else []
    if sum(not _cell_empty(c) for c in above) >= 2 and count_known(above, mapping) > 0:
        notices.append(
            RowProblem(
                "NQE030",
                f"the header seems to span rows {header_index}-{header_index + 1}; "
                f"row {header_index + 1} was used",
                Location(file, header_index + 1),
            )
        )
    headers = _unique_headers(grid[header_index])
    rows: list[RawRow] = []
    for offset, row in enumerate(grid[header_index + 1 :], start=header_index + 2):
        if all(_cell_empty(c) for c in row):
            continue
        values = {h: (row[i] if i < len(row) else None) for i, h in enumerate(headers)}
        extra = [c for c in row[len(headers) :] if not _cell_empty(c)]
        problem = None
        if extra:
            problem = RowProblem(
                "NQE025",
                f"{len(extra)} value(s) beyond the last named column were ignored",
                Location(file, offset + first_row_number - 1),
            )
        rows.append(RawRow(offset + first_row_number - 1, values, problem))
    if not rows:
        raise InputError("NQE009", "the header row has no data rows under it", where)
    return Table(file, headers, rows, notices)


# --- JSON and JSONL -------------------------------------------------------------------

def _load_text(path: Path) -> str:
    try:
        return decode_bytes(path.read_bytes())
    except OSError as exc:
        raise InputError("NQE003", f"cannot open ({exc.strerror})", Location(str(path))) from exc


def _headers_of(rows: list[RawRow]) -> list[str]:
    headers: dict[str, None] = {}
    for raw in rows:
        headers.update(dict.fromkeys(raw.values))
    return list(headers)


def _read_json(path: Path, sheet: str | None, mapping: dict[str, str] | None) -> Table:
    try:
        data = json.loads(_load_text(path))
    except json.JSONDecodeError as exc:
        raise InputError(
            "NQE003", f"not valid JSON ({exc.msg})", Location(str(path), exc.lineno)
        ) from exc
    if isinstance(data, dict):
        lists = [v for v in data.values() if isinstance(v, list)]
        if len(lists) != 1:
            raise InputError(
                "NQE003", "a JSON object must hold exactly one list of submissions",
                Location(str(path)),
            )
        data = lists[0]
    if not isinstance(data, list):
        raise InputError("NQE003", "JSON must be a list of submissions", Location(str(path)))
    rows = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            rows.append(RawRow(index, item))
        else:
            rows.append(RawRow(index, {}, RowProblem(
                "NQE025", "record is not a JSON object", Location(str(path), index),
                blocking=True)))
    if not rows:
        raise InputError("NQE009", "the JSON list is empty", Location(str(path)))
    return Table(str(path), _headers_of(rows), rows)


def _read_jsonl(path: Path, sheet: str | None, mapping: dict[str, str] | None) -> Table:
    rows = []
    for number, line in enumerate(_load_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            item = exc
        if isinstance(item, dict):
            rows.append(RawRow(number, item))
        else:
            why = f"not valid JSON ({item.msg})" if isinstance(item, Exception) else (
                "line is not a JSON object")
            rows.append(RawRow(number, {}, RowProblem(
                "NQE025", why, Location(str(path), number), blocking=True)))
    if not rows:
        raise InputError("NQE009", "the file has no lines", Location(str(path)))
    return Table(str(path), _headers_of(rows), rows)


# Every reader takes (path, sheet, mapping); only spreadsheets use the sheet.
READERS = {
    ".csv": _read_csv, ".txt": _read_csv, ".tsv": _read_csv,
    ".xlsx": _read_xlsx, ".xlsm": _read_xlsx,
    ".json": _read_json, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl,
}
