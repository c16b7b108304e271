"""NQ11: the narrative is last period's again, word for word or nearly so."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from narrative_qa.detectors.base import Context, Hit

_NUMBER = re.compile(r"\d[\d,.]*")


@lru_cache(maxsize=8192)
def normalise(text: str) -> tuple[str, ...]:
    """Words, lower case, every number masked: changing only the figures is not an update."""
    return tuple(_NUMBER.sub("#", text.lower()).split())


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


def detect(ctx: Context, params: dict) -> list[Hit]:
    previous = ctx.previous
    if previous is None:
        return []
    ratio = similarity(ctx.analysis.text, previous.text)
    old_sentences = [s.text for s in previous.content()]
    meaning = ctx.similarity
    if ratio < params["min_similarity"]:
        # Reworded but the same: every sentence says what a sentence of last period said.
        if meaning is None or meaning(ctx.analysis.text, previous.text) < params[
                "min_semantic_similarity"]:
            return []
        if not all(meaning.best(s.text, old_sentences) >= params["sentence_semantic_similarity"]
                   for s in ctx.sentences):
            return []
    unchanged = [
        s for s in ctx.sentences
        if near_copy(s.text, old_sentences, params["sentence_similarity"])
        or (meaning is not None and meaning.best(s.text, old_sentences)
            >= params["sentence_semantic_similarity"])
    ]
    confidence = params["confidence_high"] if ratio >= params["high_similarity"] else (
        params["confidence"])
    return [Hit(
        evidence=unchanged or ctx.sentences[:2],
        values={"similarity": f"{ratio:.0%}", "unchanged": len(unchanged),
                "total": len(ctx.sentences)},
        confidence=confidence,
        details={"similarity": round(ratio, 3), "unchanged_sentences": len(unchanged)},
    )]
