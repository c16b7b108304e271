"""Reporting periods: which quarters came before this one."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PERIOD_QUARTER = re.compile(r"\bQ([1-4])\b|\bquarter\s*([1-4])\b", re.I)
_YEAR = r"(20\d\d)(?:\s*[/-]\s*(?:20)?\d\d)?"
# "Q2", "Quarter 1", "Q2 2023/24", "2023/24 Q2", "quarter 3 of 2024/25"
_MENTION = re.compile(
    rf"(?:\b{_YEAR}\s+)?\b(?:Q|quarter\s*)([1-4])\b(?:\s+(?:of\s+)?{_YEAR}\b)?", re.I)
_PERIOD_YEAR = re.compile(rf"\b{_YEAR}")


# The reporting period as the store, the web app and the readers write it: '2025/26 Q2'
# ('2025-26 q2' too). The home of the grammar; the store's order, next and previous use it.
_PERIOD = re.compile(r"^\s*(\d{4})\s*[/-]\s*(\d{2})\s*Q(\d+)\s*$", re.I)
_QUARTER_NUMBER = re.compile(r"\bQ(?:uarter)?\s*(\d+)\b", re.I)
_YEAR_PAIR = re.compile(r"\b(\d{4})\s*[/-]\s*(\d{2,4})\b")


def parse_period(period: str | None) -> tuple[int, int] | None:
    """'2025/26 Q2' -> (2025, 2); None unless it is a real quarter of a financial year."""
    match = _PERIOD.match(period or "")
    if not match or period_problem(period) is not None:
        return None
    return int(match.group(1)), int(match.group(3))


def period_problem(period: str | None) -> str | None:
    """Why a period names no real quarter ('Q5', 'Q0', '2025/27'), or None. Text that does
    not try to name a quarter ('September 2025') is left alone."""
    text = period or ""
    quarter = _QUARTER_NUMBER.search(text)
    if quarter and not 1 <= int(quarter.group(1)) <= 4:
        return f"there is no quarter {quarter.group(1)} (quarters are Q1 to Q4)"
    years = _YEAR_PAIR.search(text) if quarter else None  # (a date such as 2025-12-31 is not)
    if years:
        first, second = int(years.group(1)), years.group(2)
        if int(second) != (first + 1) % (10 ** len(second)) and len(second) in (2, 4):
            return f"{years.group(0)} is not a financial year (it would be " \
                   f"{first}/{str(first + 1)[-2:]})"
    return None


@dataclass(frozen=True)
class QuarterMention:
    start: int
    end: int
    quarter: int
    year: int | None  # the (financial) year it starts in, when written


def earlier_quarters(period: str | None) -> set[int]:
    """Quarter numbers that came before the current one ('2025/26 Q2' -> {1}; Q1 -> {4})."""
    match = _PERIOD_QUARTER.search(period or "")
    if not match:
        return set()
    current = int(match.group(1) or match.group(2))
    return set(range(1, current)) or {4}


def quarter_mentions(text: str) -> list[QuarterMention]:
    """Every quarter named in text, with its year when one is written beside it."""
    found = []
    for match in _MENTION.finditer(text):
        year = match.group(1) or match.group(3)
        found.append(QuarterMention(match.start(), match.end(), int(match.group(2)),
                                    int(year) if year else None))
    return found


def is_earlier(mention: QuarterMention, period: str | None) -> bool:
    """Whether the quarter named came before the current period ('Q2 2023/24' for
    '2024/25 Q2'; 'Q1' for '2025/26 Q2'). False when the current period is unknown."""
    quarter = _PERIOD_QUARTER.search(period or "")
    if not quarter:
        return False
    current = int(quarter.group(1) or quarter.group(2))
    year = _PERIOD_YEAR.search(_PERIOD_QUARTER.sub(" ", period or ""))
    if mention.year is not None and year:
        return (mention.year, mention.quarter) < (int(year.group(1)), current)
    return mention.quarter in earlier_quarters(period)


def is_previous(mention: QuarterMention, period: str | None) -> bool:
    """Whether the quarter named is the one just before the current period ('Q3' or 'Q3
    2025/26' for '2025/26 Q4'; 'Q4 2024/25' for '2025/26 Q1')."""
    quarter = _PERIOD_QUARTER.search(period or "")
    if not quarter:
        return False
    current = int(quarter.group(1) or quarter.group(2))
    previous = current - 1 or 4
    if mention.quarter != previous:
        return False
    year = _PERIOD_YEAR.search(_PERIOD_QUARTER.sub(" ", period or ""))
    if mention.year is None or not year:
        return True
    return mention.year == int(year.group(1)) - (1 if current == 1 else 0)
