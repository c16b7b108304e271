"""Distinctive words: what ties a sentence to a KPI or to an earlier action.

The general and function words are data (rules/language.yml: generic_words, stop_words,
stem_suffixes).
"""

from __future__ import annotations

import re
from functools import lru_cache

from narrative_qa.language.lexicon import expand, shared


@lru_cache(maxsize=1)
def _ignored() -> frozenset[str]:
    return frozenset(shared("generic_words")) | frozenset(shared("stop_words"))


@lru_cache(maxsize=1)
def _suffixes() -> tuple[str, ...]:
    return tuple(shared("stem_suffixes"))


@lru_cache(maxsize=16384)
def content_words(text: str) -> frozenset[str]:
    """Distinctive word stems of a text (cached: detectors ask for the same sentences)."""
    ignored = _ignored()
    words = re.findall(r"[a-z][a-z'-]+", text.lower())
    return frozenset(stem(w) for w in words if len(w) > 2 and w not in ignored)


def stem(word: str) -> str:
    """A crude stem so 'placements'/'placement' and 'referrals'/'referral' meet."""
    word = word.strip("'-")
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    for suffix in _suffixes():
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def compile_all(patterns: list[str]) -> re.Pattern[str]:
    """One case-insensitive pattern from a rule's list; compiled once per list. A pattern may
    name a list of rules/language.yml as {@name} (see lexicon.expand)."""
    return _compile(tuple(patterns))


@lru_cache(maxsize=256)
def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{expand(p)})" for p in patterns), re.IGNORECASE)
