"""Quoting a narrative in a finding: evidence once each, short excerpts, joined lists."""

from __future__ import annotations

from typing import Protocol


class Quotable(Protocol):
    """A sentence of the analysis (or anything else) that can be quoted as evidence."""

    quote: str


def quote(evidence: list[Quotable | str]) -> list[str]:
    seen: list[str] = []
    for item in evidence:
        text = item if isinstance(item, str) else item.quote
        if text not in seen:
            seen.append(text)
    return seen


def short(text: str, limit: int = 14) -> str:
    tokens = text.strip().rstrip(".;:,").split()
    return " ".join(tokens[:limit]) + (" …" if len(tokens) > limit else "")


def joined(items: list[str], conjunction: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]
