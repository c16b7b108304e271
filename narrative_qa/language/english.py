"""Whether a narrative is written in English, the only language the findings are made for.

English prose is held together by a few dozen function words; so are Welsh and Gaelic
prose, by other ones (the lists are `function_words` in rules/language.yml). A text of some
length in which English function words are rare and Welsh or Gaelic ones are common is
written in that language, and findings on it would be noise. Rarity alone is not enough: an
English list of figures and dates has almost no function words either.
"""

from __future__ import annotations

import re
from functools import lru_cache

from narrative_qa.language.lexicon import shared

MIN_WORDS = 20  # shorter texts say too little to tell
MAX_ENGLISH = 0.08  # English narrative runs at 0.3 or more
MIN_OTHER = 0.15  # Welsh or Gaelic prose runs at 0.25 or more
_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _vocabularies() -> dict[str, frozenset[str]]:
    return {name: frozenset(w.casefold() for w in words)
            for name, words in shared("function_words").items()}


def other_language(text: str) -> str | None:
    """'Welsh' or 'Gaelic' for a text written in it, else None (English, or too short or
    too list-like to tell)."""
    words = _WORD.findall(text.casefold())
    vocabularies = _vocabularies()
    if len(words) < MIN_WORDS or _share(words, vocabularies["English"]) >= MAX_ENGLISH:
        return None
    name, share = max(((n, _share(words, w)) for n, w in vocabularies.items()
                       if n != "English"), key=lambda p: p[1])
    return name if share >= MIN_OTHER else None


def _share(words: list[str], vocabulary: frozenset[str]) -> float:
    return sum(w in vocabulary for w in words) / len(words)
