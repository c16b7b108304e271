"""NQ11: the narrative is last period's again, word for word or nearly so."""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.wording import near_copy, similarity
from narrative_qa.specs.params import Share

KIND = "recycled_narrative"
NEEDS = frozenset({"previous", "embeddings"})
PARAMS = {
    "min_similarity": Share,
    "high_similarity": Share,
    "sentence_similarity": Share,
    "min_semantic_similarity": Share,
    "sentence_semantic_similarity": Share,
    "confidence": Share,
    "confidence_high": Share,
    "embed_when_wording_at_least": Share,
}

def texts_to_embed(ctx: Context, params: dict) -> list[str]:
    """Where the wording is close enough to be a rewording: both whole texts and all their
    sentences."""
    current, previous = ctx.analysis, ctx.previous
    if previous is None or similarity(current.text, previous.text) < params[
            "embed_when_wording_at_least"]:
        return []
    return [current.text, previous.text,
            *(s.text for analysis in (current, previous) for s in analysis.content() if s.text)]


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
