"""NQ11: the narrative is last period's again, word for word or nearly so."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from narrative_qa.detectors.base import Context, Hit

_NUMBER = re.compile(r"\d[\d,.]*")


def normalise(text: str) -> list[str]:
    """Words, lower case, every number masked: changing only the figures is not an update."""
    return _NUMBER.sub("#", text.lower()).split()


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, normalise(a), normalise(b), autojunk=False).ratio()


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
    old = [normalise(t) for t in old_sentences]
    unchanged = [
        s for s in ctx.sentences
        if any(SequenceMatcher(None, normalise(s.text), o, autojunk=False).ratio()
               >= params["sentence_similarity"] for o in old)
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
