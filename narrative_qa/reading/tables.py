"""Reading a file into raw rows: header -> cell value, with the row number a person sees.

CSV (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16 with BOM; comma, semicolon or tab), XLSX
(first visible sheet or a named one; merged and multi-row headers resolved), JSON (a list, or
an object holding one) and JSONL.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator
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


class TextLines:
    """A text file's lines (ends kept), decoded one at a time as they are read, as
    decode_lines would decode them: a file past the row limit is refused without being
    read whole. UTF-16 files (Excel's "Unicode text"), never large in practice, are decoded
    whole."""

    def __init__(self, path: Path):
        self.path = path
        try:
            with path.open("rb") as handle:
                self.head = handle.read(4096)
        except OSError as exc:
            raise InputError("NQE003", f"cannot open ({exc.strerror})",
                             Location(str(path))) from exc
        self.utf16 = (self.head[:2] in (b"\xff\xfe", b"\xfe\xff")
                      or _utf16_without_bom(self.head) is not None)
        self._other: list[int] = []  # lines that are not UTF-8 (read as Windows-1252)
        self._utf8_text = False  # a UTF-8 line that is not plain ASCII was read
        self._lines = self._read()

    @property
    def mixed(self) -> list[int]:
        """The lines read as Windows-1252 among UTF-8 ones (complete once all are read)."""
        return self._other if self._utf8_text else []

    def __iter__(self) -> Iterator[str]:
        return self._lines

    def first_lines(self, count: int, chars: int) -> tuple[list[str], Iterator[str]]:
        """Up to `count` lines (fewer once they hold `chars` characters), and the rest."""
        first: list[str] = []
        size = 0
        for line in self._lines:
            first.append(line)
            size += len(line)
            if len(first) >= count or size >= chars:
                break
        return first, self._lines

    def _read(self) -> Iterator[str]:
        try:
            if self.utf16:
                text, self._other = decode_lines(self.path.read_bytes())
                self._utf8_text = bool(self._other)
                yield from io.StringIO(text, newline="")
                return
            number = 0
            with self.path.open("rb") as handle:
                for chunk in handle:  # split at "\n"; then at "\r" as splitlines does
                    for piece in chunk.splitlines(keepends=True):
                        number += 1
                        yield self._decode(piece, number)
        except OSError as exc:
            raise InputError("NQE003", f"cannot read ({exc.strerror})",
                             Location(str(self.path))) from exc

    def _decode(self, piece: bytes, number: int) -> str:
        text = _utf8(piece)
        if text is None:
            self._other.append(number)
            text = _single_byte(piece)
        elif not text.isascii():
            self._utf8_text = True
        return text.removeprefix("\ufeff") if number == 1 else text


def _read_csv(path: Path, sheet: str | None, mapping: dict[str, str] | None,
              limits: ReadLimits) -> Table:
    lines = TextLines(path)
    if lines.head.count(b"\x00") > 8 and not lines.utf16:  # binary; a NUL or two is a
        raise InputError("NQE003", "this is not a text CSV file",  # damaged row (NQE028)
                         Location(str(path)))
    # A pasted 1 MB narrative must reach the row checks (NQE021), not stop the file.
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))
    first, rest = lines.first_lines(HEADER_SCAN_ROWS, 256 * 1024)
    delimiter = _delimiter("".join(first), mapping)
    grid, unclosed = _csv_records(itertools.chain(first, rest), delimiter, limits,
                                  Location(str(path)))
    table = _table_from_grid(str(path), grid, mapping)
    for raw in table.rows:
        if raw.row in unclosed:
            raw.cell_problems.append(RowProblem(
                "NQE025", "a quote in this row is not closed (or text follows its closing "
                "quote), so the row was read as written, quotes included, and the rows "
                "after it were not swallowed into it; check the row", Location(table.file,
                                                                               raw.row)))
    if lines.mixed:
        table.notices.insert(0, mixed_notice(str(path), lines.mixed))
    return table


def _csv_records(lines: Iterable[str], delimiter: str, limits: ReadLimits, where: Location
                 ) -> tuple[list[list[str]], set[int]]:
    """The records, and the (1-based) records whose quoting is broken; reading stops at the
    row limit, so a file past it is refused without being read whole.

    Read strictly: a quote left open used to swallow the lines after it into one field (a
    KPI vanished without a word). A record that breaks the quoting rules is read again as
    its first line with quotes as plain characters, and reading resumes on the next line.
    """
    source = iter(lines)
    grid: list[list[str]] = []
    unclosed: set[int] = set()
    pending: list[str] = []  # the lines of the record being read

    def feed(replay: list[str]):
        for line in itertools.chain(replay, source):
            pending.append(line)
            yield line

    replay: list[str] = []
    while True:
        pending.clear()
        reader = csv.reader(feed(replay), delimiter=delimiter, strict=True)
        try:
            for record in reader:
                grid.append(record)
                pending.clear()
                if len(grid) > limits.max_rows + HEADER_SCAN_ROWS:
                    raise too_many_rows(len(grid), limits, where)
            return grid, unclosed
        except csv.Error:
            plain = csv.reader(pending[:1], delimiter=delimiter, quoting=csv.QUOTE_NONE)
            grid.append(next(plain, []))
            unclosed.add(len(grid))
            replay = pending[1:]


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
    lines = TextLines(path)
    where = Location(str(path))
    try:
        data = JsonStream(lines, limits, where).submissions()
    except json.JSONDecodeError as exc:
        raise InputError("NQE003", f"not valid JSON ({exc.msg})",
                         Location(str(path), exc.lineno)) from exc
    except _TooDeep as exc:
        raise InputError("NQE003", str(exc), where) from None
    rows = []
    for index, item in enumerate(data, start=1):
        if isinstance(item, dict):
            rows.append(_json_row(str(path), index, item))
        else:
            rows.append(RawRow(index, {}, RowProblem(
                "NQE025", "record is not a JSON object", Location(str(path), index),
                blocking=True)))
    if not rows:
        raise InputError("NQE009", "the JSON list is empty", where)
    return Table(str(path), _headers_of(rows), rows,
                 [mixed_notice(str(path), lines.mixed)] if lines.mixed else [])


class JsonStream:
    """The submissions of a JSON file (a list, or an object holding exactly one list), read
    one value at a time as the text arrives: a list past the row limit is refused without
    the file being read whole. Values are parsed by the json module, as json.loads would."""

    def __init__(self, lines: Iterable[str], limits: ReadLimits, where: Location):
        self._lines = iter(lines)
        self._limits, self._where = limits, where
        self._decoder = json.JSONDecoder(parse_float=_json_float, parse_constant=_NonFinite)
        self._text, self._at = "", 0  # the text read and not yet consumed, and a position
        self._lines_before = 0  # line breaks in the text already consumed and dropped
        self._ended = False

    def submissions(self) -> list[Any]:
        start = self._peek()
        if start == "[":
            data = self._list()
        elif start == "{":
            lists = [v for v in self._object() if isinstance(v, list)]
            if len(lists) != 1:
                raise InputError("NQE003", "a JSON object must hold exactly one list of "
                                 "submissions", self._where)
            data = lists[0]
        else:
            self._value()  # a number, string... or not JSON at all (its error)
            raise InputError("NQE003", "JSON must be a list of submissions", self._where)
        if self._peek() != "":
            self._fail("Extra data")
        return data

    def _list(self) -> list[Any]:
        self._expect("[")
        items: list[Any] = []
        if self._peek() == "]":
            self._at += 1
            return items
        while True:
            if len(items) >= self._limits.max_rows:
                raise too_many_rows(len(items) + 1, self._limits, self._where)
            items.append(self._value())
            if self._separator("]"):
                return items

    def _object(self) -> list[Any]:
        """The object's values (its lists streamed as lists are)."""
        self._expect("{")
        values: list[Any] = []
        if self._peek() == "}":
            self._at += 1
            return values
        while True:
            if self._peek() != '"':
                self._fail("Expecting property name enclosed in double quotes")
            self._value()
            self._expect(":")
            values.append(self._list() if self._peek() == "[" else self._value())
            if self._separator("}"):
                return values

    def _separator(self, end: str) -> bool:
        """Past a ',' (False) or the closing `end` (True)."""
        char = self._peek()
        if char in (",", end):
            self._at += 1
            return char == end
        return self._fail("Expecting ',' delimiter")

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            self._fail("Expecting value" if char == "[" else f"Expecting '{char}' delimiter")
        self._at += 1

    def _value(self) -> Any:
        self._peek()
        while True:
            try:
                value, end = self._decoder.raw_decode(self._text, self._at)
            except json.JSONDecodeError as exc:
                # Incomplete rather than wrong while more text may follow: read more.
                if not self._ended and self._more(max(len(self._text), 1 << 16)):
                    continue
                raise self._located(exc) from None
            except RecursionError:  # '[' * 200000: no record is nested like that
                raise _TooDeep("the JSON is nested too deeply to be a list of "
                               "submissions") from None
            if end == len(self._text) and not self._ended:
                self._more(1)  # a number may go on in the next line ("12" then "34")
                continue
            self._at = end
            return value

    def _peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            while self._at < len(self._text) and self._text[self._at] in " \t\r\n":
                self._at += 1
            if self._at < len(self._text) or not self._more(1):
                return self._text[self._at: self._at + 1]

    def _more(self, chars: int) -> bool:
        """Append at least `chars` more characters (False at the end of the file)."""
        self._lines_before += self._text.count("\n", 0, self._at)
        parts, size = [self._text[self._at:]], 0
        self._text, self._at = "", 0
        for line in self._lines:
            parts.append(line)
            size += len(line)
            if size >= chars:
                break
        else:
            self._ended = True
        self._text = "".join(parts)
        return size > 0

    def _located(self, exc: json.JSONDecodeError) -> json.JSONDecodeError:
        return json.JSONDecodeError(exc.msg, "\n" * self._lines_before + self._text,
                                    self._lines_before + exc.pos)

    def _fail(self, message: str) -> bool:
        raise self._located(json.JSONDecodeError(message, self._text, self._at))


def _read_jsonl(path: Path, sheet: str | None, mapping: dict[str, str] | None,
                limits: ReadLimits) -> Table:
    rows = []
    lines = TextLines(path)
    numbered = enumerate((line for physical in lines for line in physical.splitlines()
                          or [""]), start=1)  # numbered as the whole text's splitlines()
    for number, line in numbered:
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
                 [mixed_notice(str(path), lines.mixed)] if lines.mixed else [])


# Every reader takes (path, sheet, mapping, limits); only spreadsheets use the sheet.
READERS = {
    ".csv": _read_csv, ".txt": _read_csv, ".tsv": _read_csv,
    ".xlsx": _read_xlsx, ".xlsm": _read_xlsx,
    ".json": _read_json, ".jsonl": _read_jsonl, ".ndjson": _read_jsonl,
}
