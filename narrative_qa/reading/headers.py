"""Recognising column headers: canonical names and the spellings councils use for them."""

from __future__ import annotations

import re

from narrative_qa.assessment import FIELDS
from narrative_qa.errors import InputError, Location, RowProblem

REQUIRED = ("narrative",)

# Spellings seen in council exports, compared after normalise(), strongest first: when two
# columns match one field, the field's own name beats every alias and an earlier alias beats
# a later one ("Narrative" over "Comments"); the other column is carried through as-is.
ALIASES: dict[str, tuple[str, ...]] = {
    "kpi_id": (
        "kpi id", "kpi ref", "kpi reference", "kpi no", "kpi number", "ref", "reference",
        "indicator id", "indicator ref", "measure id", "measure ref", "pi code", "code",
    ),
    "kpi_name": (
        "kpi", "kpi name", "kpi title", "kpi description", "indicator", "indicator name",
        "measure", "measure name", "performance indicator", "performance measure",
        "description", "title", "pi",
    ),
    "service": ("service", "service area", "care group", "directorate", "department", "area"),
    "locality": ("locality", "localities", "geography"),
    "period": ("period", "reporting period", "quarter", "date", "as at", "period ending"),
    "target": ("target", "target value", "goal", "standard"),
    "actual": (
        "actual", "actual value", "value", "performance", "current", "current value",
        "result", "this period", "current performance", "outturn",
    ),
    "previous_actual": (
        "previous actual", "previous", "previous value", "previous period", "last period",
        "last quarter", "prior period", "previous quarter", "last value",
    ),
    "unit": ("unit", "units", "measure type", "unit of measure"),
    "polarity": (
        "polarity", "direction of improvement", "direction", "better if", "good is",
        "higher or lower is better", "improvement direction",
    ),
    "stated_rag": ("rag", "rag status", "rag rating", "status", "stated rag", "rag stated"),
    "owner": (
        "owner", "lead", "lead officer", "responsible officer", "kpi owner", "officer",
        "responsible", "accountable officer",
    ),
    "narrative": (
        "narrative", "commentary", "comments", "comment", "explanation", "performance narrative",
        "narrative commentary", "analysis", "update", "progress update", "narrative update",
    ),
    "previous_narrative": (
        "previous narrative", "previous commentary", "last quarter narrative",
        "previous comments", "prior narrative", "last narrative",
    ),
}


def normalise(header: object) -> str:
    """Lower case, punctuation and underscores as spaces, single spaces."""
    text = str(header or "").lower().replace("_", " ")
    text = re.sub(r"[^a-z0-9%&]+", " ", text)
    return " ".join(text.split())


_LOOKUP: dict[str, tuple[str, int]] = {}  # normalised header -> (field, strength: 0 strongest)
for _field in FIELDS:
    _LOOKUP[normalise(_field)] = (_field, 0)
    for _rank, _alias in enumerate(ALIASES.get(_field, ()), start=1):
        _LOOKUP.setdefault(normalise(_alias), (_field, _rank))


class HeaderMap(dict[str, str]):
    """{normalised header: field} from --map, remembering each header as it was written."""

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[str, str] = {}


def parse_map_options(options: list[str] | None) -> HeaderMap:
    """--map 'Header Text=field' options -> {normalised header: field}."""
    mapping = HeaderMap()
    for option in options or []:
        header, sep, field = option.rpartition("=")
        field = field.strip()
        if not sep:
            raise InputError("NQE008", f"--map '{option}' has no '='")
        if not normalise(header):
            raise InputError("NQE008", f"--map '{option}': the header part (before '=') is empty")
        if not field:
            raise InputError("NQE008", f"--map '{option}': the field part (after '=') is empty; "
                             f"fields are {', '.join(FIELDS)}")
        if field not in FIELDS:
            raise InputError(
                "NQE008", f"--map '{option}': '{field}' is not one of {', '.join(FIELDS)}"
            )
        key = normalise(header)
        clash = [h for h, f in mapping.items() if f == field and h != key]
        if clash:
            raise InputError("NQE008", f"--map '{option}': '{field}' is already mapped from "
                             f"'{mapping.written[clash[0]]}'; map one header to each field")
        mapping[key] = field
        mapping.written[key] = header.strip()
    return mapping


def match_header(header: object, mapping: dict[str, str] | None = None) -> str | None:
    key = normalise(header)
    if mapping and key in mapping:
        return mapping[key]
    found = _LOOKUP.get(key)
    return found[0] if found else None


def assign_columns(
    headers: list[object], mapping: dict[str, str] | None, file: str,
    notices: list[RowProblem] | None = None, written: list[object] | None = None,
) -> dict[int, str]:
    """Column index -> canonical field.

    A header named in --map always takes its field. Otherwise the strongest match wins, and
    a notice (appended to `notices`) names both columns. A --map header not in the file is a
    notice too. Raises NQE005 when a required field has no column. `written` gives the
    headers as the file wrote them where `headers` made repeats unique ('Narrative (2)'):
    a repeated header matches its field like the first, so the clash is a notice too.
    """
    notices = notices if notices is not None else []
    mapping = mapping or {}
    keys = [normalise(h) for h in headers]
    aliases = [normalise(h) for h in written] if written else keys
    assigned = {i: mapping[k] for i, k in enumerate(keys) if k in mapping}
    taken = set(assigned.values())
    best: dict[str, list[tuple[int, int]]] = {}  # field -> [(strength, index)]
    for index, key in enumerate(aliases):
        if index in assigned or key not in _LOOKUP:
            continue
        field, strength = _LOOKUP[key]
        if field not in taken:
            best.setdefault(field, []).append((strength, index))
    for field, candidates in best.items():
        (_, chosen), *others = sorted(candidates)
        assigned[chosen] = field
        if others:
            notices.append(_two_columns_notice(field, headers, chosen, others, file))
    assigned = dict(sorted(assigned.items()))
    shown = ", ".join(repr(str(h)) for h in headers if str(h or "").strip()) or "none"
    written = getattr(mapping, "written", {})
    for key, field in mapping.items():
        if key not in keys:
            notices.append(RowProblem(
                "NQE051", f"--map names a header '{written.get(key, key)}' (for '{field}') "
                "that is not in this "
                f"file; the headers found were {shown}", Location(file)))
    missing = [f for f in REQUIRED if f not in assigned.values()]
    if missing:
        raise InputError(
            "NQE005",
            f"no column for '{missing[0]}' (accepted headers include "
            f"{', '.join(repr(a) for a in ALIASES[missing[0]][:4])}); the headers found were "
            f"{shown}",
            Location(file),
        )
    return assigned


def _two_columns_notice(field: str, headers: list[object], chosen: int,
                        others: list[tuple[int, int]], file: str) -> RowProblem:
    used = str(headers[chosen])
    rest = [str(headers[i]) for _, i in sorted(others, key=lambda c: c[1])]
    names = " and ".join(repr(h) for h in [used, *rest])
    return RowProblem(
        "NQE050",
        f"columns {names} match '{field}'; '{used}' was read as {field} and "
        f"{', '.join(repr(h) for h in rest)} kept as an extra column; to read "
        f"'{rest[0]}' instead, pass --map '{rest[0]}={field}'",
        Location(file, None, used))


def count_known(headers: list[object], mapping: dict[str, str] | None = None) -> int:
    return len({match_header(h, mapping) for h in headers} - {None})
