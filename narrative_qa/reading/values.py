"""Cell values as councils write them: "87%", "1,234", "95.0 %", "n/a", "Higher is better"."""

from __future__ import annotations

import math
import re
import unicodedata

# The one table of written scales: "£2.5m", "40k", "$1.2 billion" (the patterns that find
# them in text live with their readers; what each word multiplies by lives here).
SCALES = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9,
          "billion": 1e9}
# Each power a cell written without its scale may be on (1, thousands, millions, billions).
POWERS = (1.0, 1e3, 1e6, 1e9)

BLANKS = {"", "n/a", "na", "n.a.", "-", "--", "—", "none", "null", "nil", "tbc", "not available"}

# The digits may carry thousands separators (",", "." or a space) and a decimal mark ("." or
# ","); _digits() decides which is which. Matched against the stripped text, with no two
# quantifiers that can take the same characters side by side, so a failing match backtracks
# in linear time ("1" followed by 60,000 spaces and "x" once took a minute).
_NUMBER = re.compile(
    r"""(?:(?P<currency>[£$€])\s*)?
    (?:(?P<sign>[-+−])\s*)?
    (?:(?P<currency2>[£$€])\s*)?
    (?P<num>\d(?:[.,\u00a0\u202f\ ]?\d)*|[.,]\d+)
    (?:\s*(?P<suffix>%|per\s*cent|percent|pp|k|m|days?|weeks?|hours?|wte|fte))?""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACES = re.compile(r"[ \u00a0\u202f]")


def _match(value: object) -> re.Match[str] | None:
    return _NUMBER.fullmatch(str(value).strip())


class NotANumber(ValueError):
    """The text is present but is not a number."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in BLANKS)


def parse_number(value: object, decimal: str = ".") -> float | None:
    """Return the number in a cell, None for a blank, or raise NotANumber.

    `decimal` is the column's decimal mark; it decides only ambiguous text such as "1,234"
    or "1.234" (see is_ambiguous): "1.234,5", "87,5%" and "1 234" read one way only.
    """
    if isinstance(value, bool):
        raise NotANumber(str(value))
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:
            raise NotANumber(str(value)) from None
        if not math.isfinite(number):
            raise NotANumber(str(value))
        return number
    if is_blank(value):
        return None
    match = _match(value)
    if not match:
        raise NotANumber(str(value))
    number = float(_digits(match["num"], decimal, str(value)))
    if not math.isfinite(number):
        raise NotANumber(str(value))
    if match["sign"] in {"-", "−"}:
        number = -number
    return number * SCALES.get((match["suffix"] or "").lower(), 1)


# A target written with a qualifier ("at least 75%", "10 days or fewer", "75%+", "maximum
# 5"): the number, and the way the qualifier says is better. Tried only on short cells, so
# the lazy match before a trailing qualifier cannot backtrack over a long one.
_QUALIFIER_CHARS = 60
_BETTER_UP = r"at\s+least|no[t]?\s+(?:less|fewer)\s+than|(?:a\s+)?min(?:imum|\.)?(?:\s+of)?|" \
    r"(?:more|greater)\s+than|over|above|>=?|≥"
_BETTER_DOWN = r"at\s+most|no[t]?\s+(?:more|greater)\s+than|(?:a\s+)?max(?:imum|\.)?(?:\s+of)?|" \
    r"(?:less|fewer)\s+than|under|below|<=?|≤"
_OR_MORE = r"\+|(?:or|and)\s+(?:more|over|above|higher|greater)|minimum|min"
_OR_LESS = r"(?:or|and)\s+(?:less|fewer|under|below|lower)|maximum|max"
_QUALIFIED_BEFORE = re.compile(
    rf"(?:(?P<up>{_BETTER_UP})|(?P<down>{_BETTER_DOWN}))\s*(?P<rest>\S.*)", re.I | re.S)
_QUALIFIED_AFTER = re.compile(
    rf"(?P<rest>.*?\S)\s*(?:(?P<up>{_OR_MORE})|(?P<down>{_OR_LESS}))\.?", re.I | re.S)


def split_qualifier(value: object) -> tuple[str, str | None]:
    """'at least 75%' -> ('75%', 'up'); '10 days or fewer' -> ('10 days', 'down'); text
    with no qualifier comes back whole, with None."""
    text = str(value).strip()
    if len(text) <= _QUALIFIER_CHARS:
        for pattern in (_QUALIFIED_BEFORE, _QUALIFIED_AFTER):
            match = pattern.fullmatch(text)
            if match:
                return match["rest"].strip(), "up" if match["up"] is not None else "down"
    return text, None


def parse_target(value: object, decimal: str = ".") -> tuple[float | None, str | None]:
    """A target cell's number (as parse_number) and the polarity its qualifier implies
    ('at least 75%' -> (75.0, 'up')); raise NotANumber for text that is not a number
    with or without a qualifier ("To be determined")."""
    try:
        return parse_number(value, decimal), None
    except NotANumber:
        bare, way = split_qualifier(value)
        if way is None:
            raise
        number = parse_number(bare, decimal)
        if number is None:  # "at least", with no number
            raise NotANumber(str(value)) from None
        return number, way


def _digits(num: str, decimal: str, original: str) -> str:
    """'1.234,5' -> '1234.5': the digits with a '.' decimal point and no separators."""
    spaced = bool(_SPACES.search(num))
    if spaced:
        groups = _SPACES.split(num)
        tail = re.split(r"[.,]", groups[-1], maxsplit=1)
        if not (re.fullmatch(r"\d{1,3}", groups[0]) and all(
                re.fullmatch(r"\d{3}", g) for g in [*groups[1:-1], tail[0]])):
            raise NotANumber(original)
        return "".join(groups[:-1]) + tail[0] + ("." + tail[1] if len(tail) > 1 else "")
    if "," in num and "." in num:
        mark = "," if num.rfind(",") > num.rfind(".") else "."
        whole, _, fraction = num.rpartition(mark)
        other = "." if mark == "," else ","
        if not _grouped(whole, other) or not fraction.isdigit():
            raise NotANumber(original)
        return whole.replace(other, "") + "." + fraction
    for mark in (",", "."):
        if mark not in num:
            continue
        if num.count(mark) > 1 or is_ambiguous(num) and decimal != mark:
            if not _grouped(num, mark):
                raise NotANumber(original)
            return num.replace(mark, "")  # thousands separators
        whole, _, fraction = num.partition(mark)
        return (whole or "0") + "." + fraction
    return num


def _grouped(text: str, sep: str) -> bool:
    """'1,234,567' (sep ',') or a plain run of digits."""
    return text.isdigit() or bool(re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", text))


def is_ambiguous(value: object) -> bool:
    """'1,234' and '1.234' may be a thousand or a decimal; '0,123', '1,5' and '1.234,5' are not."""
    if not isinstance(value, str):
        return False
    match = _match(value)
    return bool(match) and bool(re.fullmatch(r"[1-9]\d{0,2}[.,]\d{3}", match["num"]))


def decimal_mark(value: object) -> str | None:
    """The decimal mark a cell's text can only be read with ('.' or ','), else None."""
    if not isinstance(value, str) or is_ambiguous(value):
        return None
    match = _match(value)
    if not match:
        return None
    num = _SPACES.sub("", match["num"])
    last = max(num.rfind(","), num.rfind("."))
    if last < 0 or num.count(num[last]) > 1:
        return None
    return num[last]


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
    r"number of (?:people|patients|children|adults) waiting|overdue|breach(?:es)?|"
    # LABELLING.md §1: a number of incidents, an error rate: any reader would say lower
    r"error rates?|errors\b|incidents\b)",
    re.IGNORECASE,
)


# A budget against its forecast: off budget in either direction is a variance (LABELLING.md).
_TWO_SIDED_NAME = re.compile(r"\bbudget\b.*\bforecast|\bforecast\b.*\bbudget\b", re.IGNORECASE)


def is_two_sided(kpi_name: str | None) -> bool:
    """A KPI whose target is to be hit, not beaten: a budget against its forecast."""
    return bool(kpi_name and _TWO_SIDED_NAME.search(kpi_name))


# LABELLING.md §1 again: a cost, a time taken or a rank position is lower-is-better, unless
# the name counts its fall ("reduction in cost", "cost savings"); so is a harm counted
# (complaints, accidents, non-compliance, drug use, a loss, an arrear), in a share too ("%
# of products deemed non-compliant"), unless the name counts what was done about it or
# what an inspection found ("complaints closed", "examined ... found non-compliant").
_COST_NAME = re.compile(
    r"\b(costs?(?![-\u2010])|ranking|ranked|(?:weeks|days|months|time) between)\b", re.IGNORECASE)
_HARM_NAME = re.compile(
    r"\b(misconduct|complaints|non-?complian(?:t|ce)|accidents?|collisions?|injur(?:y|ies)|"
    r"fatalit(?:y|ies)|deaths?|mortality|overdoses?|illicit|smok(?:e|ers?|ing)|breakdowns?|"
    r"lost|unpaid|arrears)\b",
    re.IGNORECASE,
)
_FALL_NAMED = re.compile(
    r"\b(reduc\w*|decreas\w*|savings?|saved|avoid\w*|recover\w*|effective\w*)\b", re.IGNORECASE)
_DEALT_WITH = re.compile(
    r"\b(within|resolved|closed|completed|handled|processed|investigated|reviewed|"
    r"inspected|responded|prevented|averted|free|examined|found|identified|detected)\b",
    re.IGNORECASE,
)


# A share that counts the bad outcome itself, whatever else the name says: waits over a
# limit ("% of patients waiting over 18 weeks"), sickness absence ("Sickness absence %").
_SHARE_OF_THE_BAD = re.compile(
    r"\bwait(?:ing|s)?\b[^%]{0,40}?\b(?:over|more than|longer than|in excess of|exceeding)"
    r"\s+\d|\bsickness absence\b|\b(?:staff|working days lost to|employee) absence\b",
    re.IGNORECASE)


def infer_polarity(kpi_name: str | None) -> str | None:
    """A cautious guess from the KPI name: 'down' for waits, delays, absence, costs and
    harms counted; else None."""
    if not kpi_name:
        return None
    if _DOWNWARD_NAME.search(kpi_name):
        # "% ... within 18 weeks" / "% ... seen within" measures timeliness: higher is better;
        # a share of waits over a limit, or of time lost to absence, is not
        if _SHARE_OF_THE_BAD.search(kpi_name) and not _DEALT_WITH.search(kpi_name):
            return "down"
        if re.search(r"%|percent|proportion|within", kpi_name, re.I):
            return None
        return "down"
    if _FALL_NAMED.search(kpi_name) or is_two_sided(kpi_name):
        return None  # a budget against its forecast is off either way, whatever it is called
    if _COST_NAME.search(kpi_name) or (_HARM_NAME.search(kpi_name)
                                       and not _DEALT_WITH.search(kpi_name)):
        return "down"
    return None


def parse_unit(value: object, *example_values: object) -> str | None:
    if not is_blank(value):
        text = str(value).strip()
        return "%" if text.lower() in {"%", "percent", "percentage", "per cent"} else text
    if any(looks_like_percent(v) for v in example_values):
        return "%"
    return None


# Zero-width characters, the byte-order mark and bidirectional controls: invisible, so two
# ids that look the same may differ by one (pasted from a web page or a right-to-left text).
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def clean_id(value: object) -> str | None:
    """An identifier (kpi_id) by the one rule every reader, join and store uses: Unicode
    NFC, invisible characters removed, runs of spaces made one, trimmed."""
    text = clean_text(value)
    if text is None:
        return None
    text = " ".join(INVISIBLE.sub("", unicodedata.normalize("NFC", text)).split())
    return text or None


def invisible_in(value: object) -> list[str]:
    """The invisible characters in a cell, named as U+XXXX, in order, once each."""
    if not isinstance(value, str):
        return []
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in INVISIBLE.findall(value)))


def clean_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text or None
