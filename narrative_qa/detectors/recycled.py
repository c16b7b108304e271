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
    if ratio < params["min_similarity"]:
        return []
    old = [normalise(s.text) for s in previous.content()]
    unchanged = [
        s for s in ctx.sentences
        if any(SequenceMatcher(None, normalise(s.text), o, autojunk=False).ratio()
               >= params["sentence_similarity"] for o in old)
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
