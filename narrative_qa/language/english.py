"""Whether a narrative is written in English, the only language the findings are made for.

English prose is held together by a few dozen function words; so are Welsh and Gaelic
prose, by other ones. A text of some length in which English function words are rare and
Welsh or Gaelic ones are common is written in that language, and findings on it would be
noise. Rarity alone is not enough: an English list of figures and dates has almost no
function words either.
"""

from __future__ import annotations

import re

ENGLISH = frozenset({
    "the", "of", "and", "to", "in", "is", "was", "for", "on", "with", "by", "this", "that",
    "are", "we", "has", "have", "be", "been", "from", "at", "as", "our", "will", "not",
    "it", "its", "were", "which", "their", "there", "these", "those", "they", "than",
    "also", "but", "or", "into", "over", "under", "after", "before", "during", "within",
    "through", "would", "should", "could", "can", "may", "had", "who", "what", "when",
    "where", "while", "due", "because", "since", "per", "against", "more", "less",
    "further", "new"
})
# Words shared with English ("a", "an", "i", "o", "do", "am", "ar") are left out.
OTHER = {
    "Welsh": frozenset({
        "mae", "yn", "y", "yr", "ac", "wedi", "bod", "ei", "eu", "gan", "ein", "hyn",
        "sydd", "fel", "gyda", "ond", "roedd", "byddwn", "ni", "nid", "hefyd", "ydy",
        "ydym", "fydd", "bydd", "gael", "cael", "dros", "drwy", "trwy", "oherwydd", "mewn",
        "gyfer", "hwn", "hon", "rhai"
    }),
    "Gaelic": frozenset({
        "tha", "agus", "air", "na", "gu", "ann", "anns", "sinn", "bha", "seo", "sin", "ri",
        "le", "aig", "gun", "nach", "às", "bho", "mar", "ach", "ris", "airson", "cuideachd",
        "bhith", "bidh", "ged", "nan", "nam", "tro", "rè", "ùr"
    }),
}
MIN_WORDS = 20  # shorter texts say too little to tell
MAX_ENGLISH = 0.08  # English narrative runs at 0.3 or more
MIN_OTHER = 0.15  # Welsh or Gaelic prose runs at 0.25 or more
_WORD = re.compile(r"[^\W\d_]+")


def other_language(text: str) -> str | None:
    """'Welsh' or 'Gaelic' for a text written in it, else None (English, or too short or
    too list-like to tell)."""
    words = _WORD.findall(text.casefold())
    if len(words) < MIN_WORDS or _share(words, ENGLISH) >= MAX_ENGLISH:
        return None
    name, share = max(((n, _share(words, w)) for n, w in OTHER.items()), key=lambda p: p[1])
    return name if share >= MIN_OTHER else None


def _share(words: list[str], vocabulary: frozenset[str]) -> float:
    return sum(w in vocabulary for w in words) / len(words)
