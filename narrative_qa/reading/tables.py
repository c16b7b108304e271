"""Reading a file into raw rows: header -> cell value, with the row number a person sees.

CSV (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16 with BOM; comma, semicolon or tab), XLSX
(first visible sheet or a named one; merged and multi-row headers resolved), JSON (a list, or
an object holding one) and JSONL.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrative_qa.errors import InputError, Location, RowProblem
from narrative_qa.reading.archive import (
    ReadLimits,
    check_archive,
    require_regular_file,
    too_many_rows,
)
from narrative_qa.reading.headers import count_known

HEADER_SCAN_ROWS = 15
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # compound file: encrypted OOXML or legacy .xls
DELIMITERS = (",", ";", "\t", "|")


@dataclass
class RawRow:
    row: int  # as a person sees it: the spreadsheet row, CSV record or JSONL line
    values: dict[str, Any]
    problem: RowProblem | None = None  # set when the row itself could not be parsed
    cell_problems: list[RowProblem] = field(default_factory=list)  # one cell each, not blocking


@dataclass
class Table:
    file: str
    headers: list[str]
    rows: list[RawRow]
    notices: list[RowProblem] = field(default_factory=list)  # file-level warnings
    header_row: int | None = None  # for spreadsheets and CSV, as a person sees it
    written: list[str] | None = None  # the headers as written, where repeats were renamed


@dataclass(frozen=True)
class UncachedFormula:
    """An XLSX formula cell with no saved result (written by a program, never opened)."""

    formula: str


def read_table(
    path: Path, sheet: str | None = None, mapping: dict[str, str] | None = None,
    limits: ReadLimits | None = None,
) -> Table:
    require_regular_file(path)
    if path.is_dir():
        raise InputError("NQE053", "this is a folder, not a file", Location(str(path)))
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise InputError(
            "NQE002", "old Excel .xls files are not read; save it as .xlsx", Location(str(path))
        )
    if suffix not in READERS:
        raise InputError("NQE002", f"'{suffix or path.name}' is not a type narrative_qa reads",
                         Location(str(path)))
    return READERS[suffix](path, sheet, mapping, limits or ReadLimits())


# --- CSV -----------------------------------------------------------------------------

def decode_bytes(data: bytes) -> str:
    """UTF-16 with a BOM (Excel's "Unicode text"), UTF-8 (with or without BOM), else
    Windows-1252, else Latin-1 (which never fails); a file mixing UTF-8 and Windows-1252
    lines is decoded line by line (see decode_lines)."""
    return decode_lines(data)[0]


def decode_lines(data: bytes) -> tuple[str, list[int]]:
    """The text, and the lines (1-based) read as Windows-1252 in a file whose other lines
    are UTF-8: one stray byte pasted from Word no longer turns every UTF-8 "é" or "’" of
    the file into mojibake."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16"), []
        except UnicodeDecodeError:
            pass
    encoding = _utf16_without_bom(data[:4096])
    if encoding:
        try:
            return data.decode(encoding), []
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    lines = data.splitlines(keepends=True)
    utf8 = [_utf8(line) for line in lines]
    if not any(text is not None and not text.isascii() for text in utf8):
        return _single_byte(data), []  # a Windows-1252 file throughout
    out, other = [], []
    for number, (line, text) in enumerate(zip(lines, utf8, strict=True), start=1):
        if text is None:
            other.append(number)
            text = _single_byte(line)
        out.append(text)
    return "".join(out).removeprefix("\ufeff"), other


def _utf8(line: bytes) -> str | None:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _single_byte(data: bytes) -> str:
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def mixed_notice(file: str, lines: list[int]) -> RowProblem:
    shown = ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more"
                                               if len(lines) > 10 else "")
    return RowProblem("NQE059", f"line(s) {shown} are not UTF-8 and were read as "
                      "Windows-1252; the rest of the file is UTF-8", Location(file, lines[0]))


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or '-be' when most of every other byte is zero (ASCII text in UTF-16)."""
    half = len(head) // 2
    if half < 8:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > 0.6 * half and even < 0.1 * half:
        return "utf-16-le"
    if even > 0.6 * half and odd < 0.1 * half:
        return "utf-16-be"
    return None


def _read_csv(path: Path, sheet: str | None, mapping: dict[str, str] | None,
              limits: ReadLimits) -> Table:
    text, mixed = _load_text(path)
    head = text[:4096]
    if head.count("\x00") > 8:  # binary; a NUL or two is a damaged row (NQE028)
        raise InputError("NQE003", "this is not a text CSV file", Location(str(path)))
    # A pasted 1 MB narrative must reach the row checks (NQE021), not stop the file.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    delimiter = _delimiter(text, mapping)
    grid, unclosed = _csv_records(text, delimiter, limits, Location(str(path)))
    table = _table_from_grid(str(path), grid, mapping)
    for raw in table.rows:
        if raw.row in unclosed:
            raw.cell_problems.append(RowProblem(
                "NQE025", "a quote in this row is not closed (or text follows its closing "
                "quote), so the row was read as written, quotes included, and the rows "
                "after it were not swallowed into it; check the row", Location(table.file,
                                                                               raw.row)))
    if mixed:
        table.notices.insert(0, mixed_notice(str(path), mixed))
    return table


def _csv_records(text: str, delimiter: str, limits: ReadLimits, where: Location
                 ) -> tuple[list[list[str]], set[int]]:
    """The records, and the (1-based) records whose quoting is broken.

    Read strictly: a quote left open used to swallow the lines after it into one field (a
    KPI vanished without a word). A record that breaks the quoting rules is read again as
    its one line with quotes as plain characters, and reading resumes on the next line.
    """
    lines = io.StringIO(text, newline="").readlines()
    grid: list[list[str]] = []
    unclosed: set[int] = set()
    start = 0
    position = {"next": 0}  # the line after the last one the reader took

    def feed(first: int):
        for index in range(first, len(lines)):
            position["next"] = index + 1
            yield lines[index]

    while start < len(lines):
        reader = csv.reader(feed(start), delimiter=delimiter, strict=True)
        begun = start
        try:
            for record in reader:
                grid.append(record)
                begun = position["next"]
                if len(grid) > limits.max_rows + HEADER_SCAN_ROWS:
                    raise too_many_rows(len(grid), limits, where)
            break
        except csv.Error:
            plain = csv.reader([lines[begun]], delimiter=delimiter, quoting=csv.QUOTE_NONE)
            grid.append(next(plain, []))
            unclosed.add(len(grid))
            start = begun + 1
    return grid, unclosed


def _delimiter(text: str, mapping: dict[str, str] | None) -> str:
    """The delimiter whose first rows hold the most recognised headers (then the most
    columns): more robust than csv.Sniffer on quoted narratives full of commas."""
    head = "\n".join(text[:256 * 1024].splitlines()[:HEADER_SCAN_ROWS])

    def score(delimiter: str) -> tuple[int, int]:
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter))
        except csv.Error:
            return (0, 0)
        return max(((count_known(r, mapping), len(r)) for r in rows), default=(0, 0))

    return max(DELIMITERS, key=score)  # max keeps the first (",") on a tie


# --- XLSX ----------------------------------------------------------------------------

def _read_xlsx(path: Path, sheet: str | None, mapping: dict[str, str] | None,
               limits: ReadLimits) -> Table:
    import openpyxl  # imported here: only spreadsheet users pay for it

    where = Location(str(path))
    with path.open("rb") as handle:
        head = handle.read(8)
    if head == OLE_MAGIC:
        if _is_encrypted(path):
            raise InputError("NQE004", "the workbook is password-protected", where)
        raise InputError("NQE003", "this is an old-format (.xls) workbook renamed .xlsx", where)
    check_archive(path, limits, where)  # before openpyxl inflates the shared strings
    # Read-only mode streams rows, so a sheet whose size claims a million rows costs only its
    # real rows. A second stream without cached values tells a formula with no saved result
    # from an empty cell.
    try:
        values = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise InputError("NQE003", f"not a readable .xlsx workbook ({exc})", where) from exc
    try:
        notices: list[RowProblem] = []
        title = _choose_sheet(values, sheet, where, notices)
        grid, numbers, merged_header = sheet_grid(
            values[title], formulas[title], _merged_ranges(values, title), limits, where)
    except InputError:
        raise
    except Exception as exc:
        raise InputError("NQE003", f"not a readable .xlsx workbook ({exc})", where) from exc
    finally:
        values.close()
        formulas.close()
    table = _table_from_grid(f"{path} [{title}]", grid, mapping, numbers)
    header_row = table.header_row
    if merged_header and header_row and not table.notices:
        table.notices.append(
            RowProblem(
                "NQE030",
                f"merged header cells were spread over their columns and row {header_row} "
                f"was used as the header",
                Location(table.file, header_row),
            )
        )
    table.notices[:0] = notices
    return table


def _sheet_kinds(book) -> list[tuple[str, str]]:
    """(sheet name, 'worksheet' | 'hidden' | 'chart') for every sheet, in tab order."""
    from openpyxl.chartsheet import Chartsheet

    kinds = []
    for name in book.sheetnames:
        ws = book[name]
        if isinstance(ws, Chartsheet):
            kinds.append((name, "chart"))
        else:
            kinds.append((name, "worksheet" if ws.sheet_state == "visible" else "hidden"))
    return kinds


def _choose_sheet(book, sheet: str | None, where: Location,
                  notices: list[RowProblem]) -> str:
    kinds = _sheet_kinds(book)
    listed = ", ".join(f"'{n}'" if k == "worksheet" else f"'{n}' ({k})" for n, k in kinds)
    if sheet is not None:
        kind = dict(kinds).get(sheet)
        if kind is None:
            raise InputError("NQE007", f"no sheet '{sheet}'; sheets are {listed}", where)
        if kind == "chart":
            raise InputError("NQE007", f"'{sheet}' is a chart, not a table; sheets are {listed}",
                             where)
        return sheet
    visible = [n for n, k in kinds if k == "worksheet"]
    if not visible:
        if not any(k == "hidden" for _, k in kinds):
            raise InputError("NQE009", f"the workbook holds only charts ({listed})", where)
        raise InputError(
            "NQE007", f"no visible worksheet to read; sheets are {listed}; pass the one "
            "holding the KPIs with --sheet", where)
    if visible[0] != kinds[0][0]:
        skipped = [f"'{n}' is {'a chart' if k == 'chart' else 'hidden'}"
                   for n, k in kinds[: [n for n, _ in kinds].index(visible[0])]]
        notices.append(RowProblem(
            "NQE055", f"{' and '.join(skipped)}, so the first visible worksheet '{visible[0]}' "
            f"was read; sheets are {listed}", Location(where.file)))
    return visible[0]


def _merged_ranges(book, title: str) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of each merged range, read from the sheet's XML
    as a stream (read-only worksheets do not expose merged cells)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    path = getattr(book[title], "_worksheet_path", None)  # openpyxl 3.1 (pinned) keeps it here
    ranges = []
    try:
        with book._archive.open(path) as source:
            for _, element in iterparse(source):
                if element.tag.endswith("}mergeCell") and element.get("ref"):
                    min_col, min_row, max_col, max_row = range_boundaries(element.get("ref"))
                    ranges.append((min_row, min_col, max_row, max_col))
                element.clear()
    except Exception:  # merges only tidy headers: without them the sheet is still read
        return []
    return ranges


def sheet_grid(values_ws, formulas_ws, merges: list[tuple[int, int, int, int]],
               limits: ReadLimits | None = None, where: Location | None = None,
               ) -> tuple[list[list[Any]], list[int], bool]:
    """The sheet's rows up to the last one with data, each row's number as Excel shows it,
    and whether a merged range spans header rows.

    Empty rows are not kept beyond one per run, so memory follows the data, not the size the
    sheet claims; past `limits.max_rows` rows with data the sheet is refused (NQE057).
    Percent-formatted numbers are read as displayed ("95%"); formulas with no saved value
    become UncachedFormula; merged cells repeat their first cell's value.
    """
    spread: dict[int, dict[int, tuple[int, int]]] = {}  # row -> column -> range's first cell
    for min_row, min_col, max_row, max_col in merges:
        if (max_row - min_row + 1) * (max_col - min_col + 1) > 100_000:
            continue  # a whole-column merge says nothing about the table
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                spread.setdefault(r, {})[c] = (min_row, min_col)
    anchors = {first: None for cols in spread.values() for first in cols.values()}
    grid: list[list[Any]] = []
    numbers: list[int] = []
    gap = False
    limits = limits or ReadLimits()
    rows = zip(values_ws.iter_rows(), formulas_ws.iter_rows(values_only=True), strict=False)
    for number, (cells, formula_row) in enumerate(rows, start=1):
        row = [_cell_value(cell, f) for cell, f in zip(cells, formula_row, strict=False)]
        for index, value in enumerate(row):
            if (number, index + 1) in anchors:
                anchors[(number, index + 1)] = value
        if number in spread:
            row = _spread_merges(row, spread[number], anchors)
        while row and _cell_empty(row[-1]):
            row.pop()
        if not row:
            gap = bool(grid)
            continue
        if gap:
            grid.append([])
            numbers.append(numbers[-1] + 1)
            gap = False
        grid.append(row)
        numbers.append(number)
        if len(grid) > limits.max_rows + HEADER_SCAN_ROWS:
            raise too_many_rows(len(grid), limits, where or Location())
    width = max((len(r) for r in grid), default=0)
    grid = [r + [None] * (width - len(r)) for r in grid]
    merged_header = any(min_row <= HEADER_SCAN_ROWS and max_row > min_row
                        for min_row, _, max_row, _ in merges)
    return grid, numbers, merged_header


def _spread_merges(row: list[Any], columns: dict[int, tuple[int, int]],
                   anchors: dict[tuple[int, int], Any]) -> list[Any]:
    row = row + [None] * (max(columns) - len(row))
    for column, first in columns.items():
        row[column - 1] = anchors.get(first)
    return row


def _cell_value(cell, formula: Any) -> Any:
    value = getattr(cell, "value", None)
    if value is None and formula is not None:  # only a formula has a value in one stream
        return UncachedFormula(str(getattr(formula, "text", formula)))  # (text: array formula)
    if isinstance(value, int | float) and not isinstance(value, bool) and _is_percent_format(
            getattr(cell, "number_format", None)):
        return _percent_text(value)
    return value


def _is_percent_format(number_format: str | None) -> bool:
    """'0%', '0.0%' (not a '%' inside quotes or escaped, as in '0"%"')."""
    if not number_format:
        return False
    bare = re.sub(r'"[^"]*"|\\.', "", number_format)
    return "%" in bare


def _percent_text(value: float) -> str:
    """0.95 -> '95%', as the cell shows it (without the cell's rounding)."""
    scaled = round(value * 100, 9)
    if not math.isfinite(scaled):
        return str(value)
    return f"{scaled:.9f}".rstrip("0").rstrip(".") + "%"


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
    file: str, grid: list[list[Any]], mapping: dict[str, str] | None,
    numbers: list[int] | None = None,
) -> Table:
    """`numbers` gives each grid row's number as a person sees it (default 1, 2, 3...)."""
    where = Location(file)
    numbers = numbers or list(range(1, len(grid) + 1))
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
                f"the header seems to span rows {numbers[header_index - 1]}-"
                f"{numbers[header_index]}; row {numbers[header_index]} was used",
                Location(file, numbers[header_index]),
            )
        )
    headers = _unique_headers(grid[header_index])
    written = [str(c).strip() if not _cell_empty(c) else h
               for c, h in zip(grid[header_index], headers, strict=True)]
    rows: list[RawRow] = []
    for number, row in zip(numbers[header_index + 1 :], grid[header_index + 1 :], strict=True):
        if all(_cell_empty(c) for c in row):
            continue
        values = {h: (row[i] if i < len(row) else None) for i, h in enumerate(headers)}
        extra = [c for c in row[len(headers) :] if not _cell_empty(c)]
        problem = None
        if extra:
            problem = RowProblem(
                "NQE025",
                f"{len(extra)} value(s) beyond the last named column were ignored",
                Location(file, number),
            )
        rows.append(RawRow(number, values, problem))
    if not rows:
        raise InputError("NQE009", "the header row has no data rows under it", where)
    return Table(file, headers, rows, notices, numbers[header_index],
                 written if written != headers else None)


# --- JSON and JSONL -------------------------------------------------------------------

def _load_text(path: Path) -> tuple[str, list[int]]:
    """The file's text and the lines read as Windows-1252 among UTF-8 ones."""
    try:
        return decode_lines(path.read_bytes())
    except OSError as exc:
        raise InputError("NQE003", f"cannot open ({exc.strerror})", Location(str(path))) from exc


@dataclass(frozen=True)
class _NonFinite:
    """A JSON number with no finite value: NaN, Infinity, -Infinity or one like 1e999."""

    text: str


def _json_float(text: str) -> float | _NonFinite:
    number = float(text)
    return number if math.isfinite(number) else _NonFinite(text)


class _TooDeep(ValueError):
    """JSON nested deeper than the parser's recursion allows."""


def _loads(text: str) -> Any:
    try:
        return json.loads(text, parse_float=_json_float, parse_constant=_NonFinite)
    except RecursionError:  # '[' * 200000: no record is nested like that
        raise _TooDeep("the JSON is nested too deeply to be a list of submissions") from None


def _json_row(file: str, number: int, item: dict[str, Any]) -> RawRow:
    """A record whose non-finite numbers are blanked, each reported with its column."""
    problems = []
    values = {}
    for key, value in item.items():
        found = _non_finite(value)
        if found is not None:
            problems.append(RowProblem(
                "NQE022", f"'{found.text}' is not a finite number; it was read as blank",
                Location(file, number, key)))
            value = None
        values[key] = value
    return RawRow(number, values, cell_problems=problems)


def _non_finite(value: Any) -> _NonFinite | None:
    if isinstance(value, _NonFinite):
        return value
    inner = value.values() if isinstance(value, dict) else value if isinstance(
        value, list) else ()
    return next((f for f in map(_non_finite, inner) if f is not None), None)


def _headers_of(rows: list[RawRow]) -> list[str]:
    headers: dict[str, None] = {}
    for raw in rows:
        headers.update(dict.fromkeys(raw.values))
    return list(headers)


def _read_json(path: Path, sheet: str | None, mapping: dict[str, str] | None,
               limits: ReadLimits) -> Table:
    text, mixed = _load_text(path)
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            "NQE003", f"not valid JSON ({exc.msg})", Location(str(path), exc.lineno)
        ) from exc
    except _TooDeep as exc:
        raise InputError("NQE003", str(exc), Location(str(path))) from None
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
    if len(data) > limits.max_rows:
        raise too_many_rows(len(data), limits, Location(str(path)))
    rows = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            rows.append(_json_row(str(path), index, item))
        else:
            rows.append(RawRow(index, {}, RowProblem(
                "NQE025", "record is not a JSON object", Location(str(path), index),
                blocking=True)))
    if not rows:
        raise InputError("NQE009", "the JSON list is empty", Location(str(path)))
    return Table(str(path), _headers_of(rows), rows,
                 [mixed_notice(str(path), mixed)] if mixed else [])


def _read_jsonl(path: Path, sheet: str | None, mapping: dict[str, str] | None,
                limits: ReadLimits) -> Table:
    rows = []
    text, mixed = _load_text(path)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        if len(rows) >= limits.max_rows:
            raise too_many_rows(len(rows) + 1, limits, Location(str(path)))
        try:
            item = _loads(line)
        except (json.JSONDecodeError, _TooDeep) as exc:
            item = exc
        if isinstance(item, dict):
            rows.append(_json_row(str(path), number, item))
        else:
            why = (f"not valid JSON ({item.msg})" if isinstance(item, json.JSONDecodeError)
                   else str(item) if isinstance(item, _TooDeep) else
                   "line is not a JSON object")
            rows.append(RawRow(number, {}, RowProblem(
                "NQE025", why, Location(str(path), number), blocking=True)))
    if not rows:
        raise InputError("NQE009", "the file has no lines", Location(str(path)))
    return Table(str(path), _headers_of(rows), rows,
                 [mixed_notice(str(path), mixed)] if mixed else [])


# Every reader takes (path, sheet, mapping, limits); only spreadsheets use the sheet.
READERS = {
    ".csv": _read_csv, ".txt": _read_csv, ".tsv": _read_csv,
    ".xlsx": _read_xlsx, ".xlsm": _read_xlsx,
    ".json": _read_json, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl,
}
