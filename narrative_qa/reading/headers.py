"""Recognising column headers: canonical names and the spellings councils use for them."""

from __future__ import annotations

import re

from narrative_qa.errors import InputError, Location
from narrative_qa.model import FIELDS

REQUIRED = ("narrative",)

# Spellings seen in council exports, compared after normalise(). Order matters only in
# that the first column matching a field wins; a second match is carried through as-is.
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


_LOOKUP: dict[str, str] = {}
for _field in FIELDS:
    _LOOKUP[normalise(_field)] = _field
    for _alias in ALIASES.get(_field, ()):
        _LOOKUP.setdefault(normalise(_alias), _field)


def parse_map_options(options: list[str] | None) -> dict[str, str]:
    """--map 'Header Text=field' options -> {normalised header: field}."""
    mapping: dict[str, str] = {}
    for option in options or []:
        header, sep, field = option.rpartition("=")
        field = field.strip()
        if not sep or not header.strip():
            raise InputError("NQE008", f"--map '{option}' has no '='")
        if field not in FIELDS:
            raise InputError(
                "NQE008", f"--map '{option}': '{field}' is not one of {', '.join(FIELDS)}"
            )
        mapping[normalise(header)] = field
    return mapping


def match_header(header: object, mapping: dict[str, str] | None = None) -> str | None:
    key = normalise(header)
    if mapping and key in mapping:
        return mapping[key]
    return _LOOKUP.get(key)


def assign_columns(
    headers: list[object], mapping: dict[str, str] | None, file: str
) -> dict[int, str]:
    """Column index -> canonical field, for the first column matching each field.

    Raises NQE005 when a required field has no column.
    """
    assigned: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        field = match_header(header, mapping)
        if field and field not in taken:
            assigned[index] = field
            taken.add(field)
    missing = [f for f in REQUIRED if f not in taken]
    if missing:
        shown = ", ".join(repr(str(h)) for h in headers if str(h or "").strip()) or "none"
        raise InputError(
            "NQE005",
            f"no column for '{missing[0]}' (accepted headers include "
            f"{', '.join(repr(a) for a in ALIASES[missing[0]][:4])}); the headers found were "
            f"{shown}",
            Location(file),
        )
    return assigned


def count_known(headers: list[object], mapping: dict[str, str] | None = None) -> int:
    return len({match_header(h, mapping) for h in headers} - {None})
