"""Reporting periods: which quarters came before this one."""

from __future__ import annotations

import re

_PERIOD_QUARTER = re.compile(r"\bQ([1-4])\b|\bquarter\s*([1-4])\b", re.I)


def earlier_quarters(period: str | None) -> set[int]:
    """Quarter numbers that came before the current one ('2025/26 Q2' -> {1}; Q1 -> {4})."""
    match = _PERIOD_QUARTER.search(period or "")
    if not match:
        return set()
    current = int(match.group(1) or match.group(2))
    return set(range(1, current)) or {4}
