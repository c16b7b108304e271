"""Comparing wording: words with every number masked, and how alike two texts are."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

_NUMBER = re.compile(r"\d[\d,.]*")


@lru_cache(maxsize=8192)
def normalise(text: str) -> tuple[str, ...]:
    """Words, lower case, every number masked: changing only the figures is not an update."""
    return tuple(_NUMBER.sub("#", text.lower()).split())


def figures(text: str) -> list[str]:
    """The numbers of a text in order ("31st" gives 31)."""
    return _NUMBER.findall(text)


@lru_cache(maxsize=4096)
def similarity(a: str, b: str) -> float:
    """Word-sequence similarity of two texts, numbers masked (0-1)."""
    return SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


def near_copy(a: str, others: list[str], threshold: float) -> bool:
    """True when `a` is, word for word with numbers masked, one of `others` (ratio >=
    threshold). The cheap upper bounds are tried first: most pairs fail them."""
    words = normalise(a)
    for other in others:
        matcher = SequenceMatcher(None, words, normalise(other), autojunk=False)
        if (matcher.real_quick_ratio() >= threshold and matcher.quick_ratio() >= threshold
                and matcher.ratio() >= threshold):
            return True
    return False
