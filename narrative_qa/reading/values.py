"""Cell values as councils write them: "87%", "1,234", "95.0 %", "n/a", "Higher is better"."""

from __future__ import annotations

import re

BLANKS = {"", "n/a", "na", "n.a.", "-", "--", "—", "none", "null", "nil", "tbc", "not available"}

_NUMBER = re.compile(
    r"""^\s*
    (?P<currency>[£$€])?\s*
    (?P<sign>[-+−])?\s*
    (?P<currency2>[£$€])?\s*
    (?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<suffix>%|per\s*cent|percent|pp|k|m|days?|weeks?|hours?|wte|fte)?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


class NotANumber(ValueError):
    """The text is present but is not a number."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in BLANKS)


def parse_number(value: object) -> float | None:
    """Return the number in a cell, None for a blank, or raise NotANumber."""
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int | float):
        return float(value)
    if is_blank(value):
        return None
    match = _NUMBER.match(str(value))
    if not match:
        raise NotANumber(str(value))
    number = float(match["num"].replace(",", ""))
    if match["sign"] in {"-", "−"}:
        number = -number
    suffix = (match["suffix"] or "").lower()
    if suffix == "k":
        number *= 1_000
    elif suffix == "m":
        number *= 1_000_000
    return number


def looks_like_percent(value: object) -> bool:
    return isinstance(value, str) and bool(re.search(r"%|per\s*cent|percent", value, re.I))


_RAG = {
    "r": "red", "red": "red",
    "a": "amber", "amber": "amber", "yellow": "amber",
    "g": "green", "green": "green",
}


def parse_rag(value: object) -> str | None:
    """'Red', 'AMBER', 'g' -> red/amber/green; blank -> None; anything else raises ValueError."""
    if is_blank(value):
        return None
    key = re.sub(r"[^a-z]", "", str(value).lower())
    if key in _RAG:
        return _RAG[key]
    raise ValueError(str(value))


_UP = {"up", "higher", "higherisbetter", "high", "increase", "maximise", "maximize", "↑", "+"}
_DOWN = {"down", "lower", "lowerisbetter", "low", "decrease", "minimise", "minimize", "↓", "-"}


def parse_polarity(value: object) -> str | None:
    """'Higher is better', 'up', '↑' -> 'up'; 'Lower is better', 'down' -> 'down'."""
    if is_blank(value):
        return None
    text = str(value).strip().lower()
    key = re.sub(r"[^a-z↑↓+\-]", "", text)
    if key in _UP or text in _UP:
        return "up"
    if key in _DOWN or text in _DOWN:
        return "down"
    raise ValueError(str(value))


# Words in a KPI name that say lower is better, used only when no polarity is given.
_DOWNWARD_NAME = re.compile(
    r"\b(waiting|waits?\b|delay(?:ed|s)?|backlog|absence|sickness|re-?admissions?|"
    r"re-?referrals?|repeat homelessness|out of authority placements|complaints received|"
    r"lost bed days|average (?:length|time|number of days)|days to|time to|"
    r"number of (?:people|patients|children|adults) waiting|overdue|breach(?:es)?)",
    re.IGNORECASE,
)


def infer_polarity(kpi_name: str | None) -> str | None:
    """A cautious guess from the KPI name: 'down' for waits, delays, absence; else None."""
    if kpi_name and _DOWNWARD_NAME.search(kpi_name):
        # "% ... within 18 weeks" / "% ... seen within" measures timeliness: higher is better.
        if re.search(r"%|percent|proportion|within", kpi_name, re.I):
            return None
        return "down"
    return None


def parse_unit(value: object, *example_values: object) -> str | None:
    if not is_blank(value):
        text = str(value).strip()
        return "%" if text.lower() in {"%", "percent", "percentage", "per cent"} else text
    if any(looks_like_percent(v) for v in example_values):
        return "%"
    return None


def clean_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None
