"""Raw rows -> validated Submission records, each bad cell reported with file, row, column."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from narrative_qa.assessment import Submission
from narrative_qa.config import PARSER_MAX_CHARS, Settings
from narrative_qa.errors import Location, RowProblem
from narrative_qa.language.english import other_language
from narrative_qa.language.periods import period_key, period_problem
from narrative_qa.previous import match_key
from narrative_qa.reading.archive import ReadLimits
from narrative_qa.reading.headers import assign_columns, parse_map_options
from narrative_qa.reading.tables import RawRow, Table, UncachedFormula, read_table
from narrative_qa.reading.values import (
    NotANumber,
    clean_id,
    clean_text,
    decimal_mark,
    infer_polarity,
    invisible_in,
    is_ambiguous,
    parse_number,
    parse_polarity,
    parse_rag,
    parse_target,
    parse_unit,
)

TEXT_FIELDS = ("kpi_id", "kpi_name", "service", "locality", "period", "owner")
NUMBER_FIELDS = ("target", "actual", "previous_actual")


def read_submissions(
    path: Path,
    settings: Settings,
    sheet: str | None = None,
    map_options: list[str] | None = None,
) -> tuple[list[Submission], list[RowProblem]]:
    """Read a file of submissions. Raises InputError for a file that cannot be used at all."""
    mapping = parse_map_options(map_options)
    table = read_table(path, sheet, mapping, ReadLimits.of(settings))
    return submissions_from_table(table, settings, mapping), table.notices


def submissions_from_table(
    table: Table, settings: Settings, mapping: dict[str, str] | None = None
) -> list[Submission]:
    columns = assign_columns(table.headers, mapping, table.file, table.notices, table.written)
    by_header = {table.headers[i]: f for i, f in columns.items()}
    marks = decimal_marks(table.rows, by_header)
    formulas = _formula_notice(table, by_header)
    if formulas is not None:
        table.notices.append(formulas)
    submissions = [_build(raw, by_header, table.file, settings, marks) for raw in table.rows]
    flag_duplicates(submissions)
    return submissions


def decimal_marks(rows: list[RawRow], by_header: dict[str, str]) -> dict[str, str]:
    """Each number field's decimal mark: ',' when its column (or, if the column never shows,
    the file's number columns) writes decimals with a comma, else '.'."""
    def count(headers: list[str]) -> dict[str | None, int]:
        seen: dict[str | None, int] = {}
        for raw in rows:
            for header in headers:
                mark = decimal_mark(raw.values.get(header))
                seen[mark] = seen.get(mark, 0) + 1
        return seen

    def winner(seen: dict[str | None, int]) -> str | None:
        comma, point = seen.get(",", 0), seen.get(".", 0)
        return None if comma == point else ("," if comma > point else ".")

    headers = {f: h for h, f in by_header.items() if f in NUMBER_FIELDS}
    whole_file = winner(count(list(headers.values()))) or "."
    return {f: winner(count([h])) or whole_file for f, h in headers.items()}


def narrative_limit(settings: Settings) -> int:
    """The longest narrative scored or checked, in characters: the setting, and never more
    than the parser takes (Settings made in code are not range-checked)."""
    return min(settings.max_narrative_chars, PARSER_MAX_CHARS)


def _build(raw: RawRow, by_header: dict[str, str], file: str, settings: Settings,
           marks: dict[str, str] | None = None) -> Submission:
    cells: dict[str, tuple[str, Any]] = {}  # field -> (header as written, value)
    extra: dict[str, Any] = {}
    formula: UncachedFormula | None = None  # in the narrative cell
    unreadable: list[RowProblem] = []
    for header, value in raw.values.items():
        field = by_header.get(header)
        value = _valid_unicode(value, Location(file, raw.row, header), unreadable)
        if isinstance(value, UncachedFormula):
            formula = value if field == "narrative" else formula
            value = None
        if field:
            cells[field] = (header, value)
        else:
            extra[header] = value
    sub = Submission(extra=extra, present=frozenset(cells), location=Location(file, raw.row))
    if raw.problem:
        sub.problems.append(raw.problem)
    sub.problems.extend(raw.cell_problems)
    sub.problems.extend(unreadable)
    if raw.problem and raw.problem.blocking:
        return sub
    not_text = _not_text(cells, file, raw.row)
    sub.problems.extend(not_text)
    for field in [f for f, (h, _) in cells.items()
                  if any(p.location.column == h for p in not_text)]:
        cells[field] = (cells[field][0], None)  # read as blank; the row's other values stay

    def where(field: str) -> Location:
        return Location(file, raw.row, cells[field][0] if field in cells else field)

    def value(field: str) -> Any:
        return cells[field][1] if field in cells else None

    for name in TEXT_FIELDS:
        setattr(sub, name, clean_text(value(name)))
    sub.kpi_id = clean_id(value("kpi_id"))
    wrong_period = period_problem(sub.period)
    if wrong_period:
        sub.problems.append(RowProblem(
            "NQE024", f"period '{sub.period}' is not a reporting period: {wrong_period}",
            where("period")))
    hidden = invisible_in(value("kpi_id"))
    if hidden:
        sub.problems.append(RowProblem(
            "NQE032", f"the kpi_id held invisible characters ({', '.join(hidden)}), which "
            f"were removed so it matches other quarters as '{sub.kpi_id}'", where("kpi_id")))
    sub.narrative = clean_text(value("narrative")) or ""
    sub.previous_narrative = clean_text(value("previous_narrative"))

    implied = _read_numbers(sub, value, where, marks or {})
    sub.unit = parse_unit(value("unit"), value("target"), value("actual"))
    try:
        sub.polarity = parse_polarity(value("polarity"))
    except ValueError:
        sub.problems.append(RowProblem(
            "NQE024", f"polarity '{value('polarity')}' is not 'up'/'down' or "
            "'Higher/Lower is better'; it was guessed from the KPI name", where("polarity")))
    _polarity_from_target(sub, implied, value("target"), where("polarity"))
    if sub.polarity is None:
        guessed = infer_polarity(sub.kpi_name)
        sub.polarity, sub.polarity_inferred = (guessed or "up"), True
    try:
        sub.stated_rag = parse_rag(value("stated_rag"))
    except ValueError:
        sub.problems.append(RowProblem(
            "NQE024", f"RAG '{value('stated_rag')}' is not Red, Amber or Green; it was ignored",
            where("stated_rag")))

    limit = narrative_limit(settings)
    if not_text:
        pass  # refused above, with the column named
    elif formula is not None:
        sub.problems.append(RowProblem(
            "NQE054", f"the narrative cell holds a formula ({formula.formula[:60]}) and no "
            "saved text, as in a workbook written by a program and never opened in Excel (or "
            "a formula whose result is empty); this row was not scored", where("narrative"),
            blocking=True))
    elif not sub.narrative:
        sub.problems.append(RowProblem(
            "NQE020", "the narrative is empty; this row was not scored", where("narrative"),
            blocking=True))
    elif len(sub.narrative) > limit:
        sub.problems.append(RowProblem(
            "NQE021",
            f"the narrative is {len(sub.narrative):,} characters, over the limit of "
            f"{limit:,}; this row was not scored",
            where("narrative"), blocking=True))
    elif language := other_language(sub.narrative):
        sub.problems.append(RowProblem(
            "NQE033", f"the narrative reads as {language}; the findings are made for English "
            "narrative, so it was not assessed", where("narrative"), blocking=True))
    if sub.previous_narrative and len(sub.previous_narrative) > limit:
        sub.problems.append(RowProblem(
            "NQE021", "the previous narrative is over the length limit and was ignored",
            where("previous_narrative")))
        sub.previous_narrative = None
    return sub


def _valid_unicode(value: Any, where: Location, problems: list[RowProblem]) -> Any:
    """The value with lone surrogates (JSON's "\\ud800", which no file can hold) replaced by
    U+FFFD, one notice per cell; nested lists and objects too."""
    if isinstance(value, str):
        fixed, count = _SURROGATE.subn("\ufffd", value)
        if count:
            problems.append(RowProblem(
                "NQE027", f"{count} character(s) are not valid Unicode (a lone surrogate such "
                "as \\ud800) and were replaced with \ufffd", where))
        return fixed
    if isinstance(value, dict):
        return {_valid_unicode(k, where, problems): _valid_unicode(v, where, problems)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_valid_unicode(v, where, problems) for v in value]
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")


def _not_text(cells: dict[str, tuple[str, Any]], file: str, row: int) -> list[RowProblem]:
    """A text field holding a JSON object or list (scored before as its Python repr), or a
    NUL character (a damaged cell): the row is not scored, and says which column."""
    problems = []
    for field, (header, value) in cells.items():
        if field in NUMBER_FIELDS:
            continue
        where = Location(file, row, header)
        if isinstance(value, dict | list):
            kind = "JSON object" if isinstance(value, dict) else "list"
            problems.append(RowProblem("NQE028", f"the {field.replace('_', ' ')} is a {kind}, "
                                       "not text; this row was not scored", where,
                                       blocking=True))
        elif isinstance(value, str) and "\x00" in value:
            problems.append(RowProblem("NQE028", f"the {field.replace('_', ' ')} holds "
                                       f"{value.count(chr(0))} NUL character(s), as a damaged "
                                       "cell does; this row was not scored", where,
                                       blocking=True))
    return problems


def _formula_notice(table: Table, by_header: dict[str, str]) -> RowProblem | None:
    """One notice for formula cells with no saved value outside the narrative (a formula
    whose result is empty looks the same, so these are not row errors)."""
    cells = [(raw.row, header) for raw in table.rows for header, value in raw.values.items()
             if isinstance(value, UncachedFormula) and by_header.get(header) != "narrative"]
    if not cells:
        return None
    columns = ", ".join(f"'{h}'" for h in dict.fromkeys(h for _, h in cells))
    return RowProblem(
        "NQE054", f"{len(cells)} cell(s) in column(s) {columns} hold a formula with no saved "
        f"value (first at row {cells[0][0]}) and were read as blank",
        Location(table.file, cells[0][0], cells[0][1]))


def _polarity_from_target(sub: Submission, implied: str | None, target: Any,
                          where: Location) -> None:
    """A target's qualifier ("at least 75%", "10 days or fewer") is the polarity when none
    is given; a given polarity that disagrees is kept, and the row says so."""
    if implied is None:
        return
    if sub.polarity is None:
        sub.polarity = implied
    elif sub.polarity != implied:
        better = "higher" if implied == "up" else "lower"
        sub.problems.append(RowProblem(
            "NQE034", f"target '{clean_text(target)}' says {better} is better but the polarity "
            f"is '{sub.polarity}'; the polarity was kept: check which is right, 'up' or "
            "'down'", where))


def _read_numbers(sub: Submission, value, where, marks: dict[str, str]) -> str | None:
    """Set the number fields; return the polarity the target's qualifier implies, if any."""
    implied = None
    for name in NUMBER_FIELDS:
        raw = value(name)
        mark = marks.get(name, ".")
        try:
            if name == "target":
                number, implied = parse_target(raw, mark)
            else:
                number = parse_number(raw, mark)
            if mark == "," and is_ambiguous(raw):
                sub.problems.append(RowProblem(
                    "NQE052", f"{name.replace('_', ' ')} '{clean_text(raw)}' could be "
                    f"{parse_number(raw, '.'):g} or {number:g}; this column writes decimals "
                    f"with a comma, so it was read as {number:g}", where(name)))
        except NotANumber:
            number = None
            if name == "target":
                # A text target is a qualitative indicator (FINDINGS.md §1) unless the
                # actual is a number, in which case the target is most likely a typo.
                text = clean_text(raw)
                sub.target = text
                if not _is_number(value("actual"), marks.get("actual", ".")):
                    continue
                sub.problems.append(RowProblem(
                    "NQE022", f"target '{text}' is not a number but the actual is; "
                    "the KPI was scored as qualitative (no computed RAG)", where(name)))
                continue
            if name == "actual" and not _is_number(value("target"), marks.get("target", "."),
                                                   qualified=True):
                sub.actual = clean_text(raw)  # qualitative progress text
                continue
            if name == "previous_actual" and isinstance(sub.actual, str):
                # last period's rating or end date, beside this period's (LABELLING.md §1)
                sub.previous_actual = clean_text(raw)
                continue
            sub.problems.append(RowProblem(
                "NQE022", f"{name.replace('_', ' ')} '{clean_text(raw)}' is not a number; "
                "it was left out of the data checks", where(name)))
        setattr(sub, name, number)
    return implied


def _is_number(raw: Any, mark: str = ".", qualified: bool = False) -> bool:
    """A number in the cell; with `qualified`, also one a qualifier goes with, as a
    target's may ("at least 75%")."""
    try:
        return (parse_target(raw, mark)[0] if qualified else parse_number(raw, mark)) is not None
    except NotANumber:
        return False


def flag_duplicates(submissions: Iterable[Submission]) -> None:
    """Rows sharing a kpi_id and period are all scored, and each says which rows clash."""
    groups: dict[tuple[str, tuple[int, int] | str], list[Submission]] = {}
    for sub in submissions:
        if sub.kpi_id and not sub.blocked:
            key = (match_key(sub.kpi_id), period_key(sub.period))
            groups.setdefault(key, []).append(sub)
    for group in groups.values():
        if len(group) < 2:
            continue
        rows = [s.location.row for s in group]
        for sub in group:
            others = ", ".join(str(r) for r in rows if r != sub.location.row)
            sub.problems.append(RowProblem(
                "NQE023",
                f"KPI '{sub.kpi_id}' for period '{sub.period or '(blank)'}' also appears in "
                f"row {others}; every copy was scored",
                Location(sub.location.file, sub.location.row, "kpi_id")))


def submission_from_mapping(data: dict[str, Any], settings: Settings, file: str = "<input>",
                            row: int = 1) -> Submission:
    """One submission from a dict of canonical (or aliased) fields, e.g. from `check`."""
    table = Table(file, list(data), [RawRow(row, data)])
    return submissions_from_table(table, settings)[0]



def submissions_from_rows(rows: Iterable[Any], settings: Settings, file: str = "<rows>",
                          headers: list[str] | None = None) -> list[Submission]:
    """Submissions from rows already in memory (dicts keyed by column names, as a file's
    header would name them; --map aliases apply as for files). Row n is the n-th row. A row
    that is not a mapping is kept, not scored, with NQE025; `headers` names the columns
    when there may be no rows (an empty DataFrame); a missing value (None or NaN)
    is a blank cell and an infinite number is reported (NQE022) and read as blank."""
    raws: list[RawRow] = []
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, Mapping):
            raws.append(RawRow(number, {}, RowProblem(
                "NQE025", f"the row is a {type(row).__name__}, not a mapping of column names "
                "to values", Location(file, number), blocking=True)))
            continue
        values: dict[str, Any] = {}
        problems: list[RowProblem] = []
        for key, value in row.items():
            if isinstance(value, float) and not math.isfinite(value):
                if not math.isnan(value):
                    problems.append(RowProblem(
                        "NQE022", f"'{value}' is not a finite number; it was read as blank",
                        Location(file, number, str(key))))
                value = None
            values[str(key)] = value
        raws.append(RawRow(number, values, cell_problems=problems))
    found = dict.fromkeys(str(h) for h in headers or [])
    found.update(dict.fromkeys(h for raw in raws for h in raw.values))
    return submissions_from_table(Table(file, list(found), raws), settings)
