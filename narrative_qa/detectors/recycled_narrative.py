"""NQ11: the narrative is last period's again, word for word or nearly so."""

from __future__ import annotations

import math

from narrative_qa.detectors.base import Context, Hit
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.periods import due_dates
from narrative_qa.language.wording import figures, near_copy, similarity
from narrative_qa.specs.params import Count, Share

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
    "figure_tags": list[str],
    "explanation_tags": list[str],
    "read_at_least": Share,
    "explanation_min_words": Count,
}


def explanation(sentences: list[Sentence], readings: dict[str, list[float]],
                params: dict) -> str:
    """The narrative without the sentences that only state the measure's figures: those
    read as giving a figure and as none of the explanation's tags. A report's own preamble
    ("Compared to Q4, the end-date remained ...") changes with every period while the
    officer's words stay the same."""
    def read(tags: list[str], k: int) -> bool:
        return any(readings[t][k] >= params["read_at_least"] for t in tags)

    return " ".join(s.text for k, s in enumerate(sentences)
                    if read(params["explanation_tags"], k)
                    or not read(params["figure_tags"], k))


def _explained_alike(ctx: Context, params: dict) -> float:
    """How alike this period's explanation is to last period's: 0 when it is too short to
    say, or when it gives a figure or date last period's did not (a new date for
    completion, one vacancy fewer: the explanation was updated)."""
    assert ctx.previous is not None
    now = explanation(ctx.sentences, ctx.readings, params)
    before = explanation(ctx.previous.content(), ctx.previous_readings, params)
    if (len(now.split()) < params["explanation_min_words"]
            or not set(figures(now)) <= set(figures(before))):
        return 0.0
    return similarity(now, before)


def texts_to_embed(ctx: Context, params: dict) -> list[str]:
    """Where the wording is close enough to be a rewording: both whole texts and all their
    sentences."""
    current, previous = ctx.analysis, ctx.previous
    if previous is None or similarity(current.text, previous.text) < params[
            "embed_when_wording_at_least"]:
        return []
    return [current.text, previous.text,
            *(s.text for analysis in (current, previous) for s in analysis.content() if s.text)]


def _updated(ctx: Context, ratio: float, params: dict) -> bool:
    """The explanation gives quantities last period's did not (new registrations, a new
    cause's count) while the standing sentences were filled in again: an update, not
    recycling (LABELLING.md §3 NQ11: a standing template sentence with new figures is not
    recycled). Not when nearly all of the text is last period's."""
    assert ctx.previous is not None
    now = explanation(ctx.sentences, ctx.readings, params)
    before = explanation(ctx.previous.content(), ctx.previous_readings, params)
    period = ctx.submission.period
    return (ratio < params["high_similarity"]
            and len(now.split()) >= params["explanation_min_words"]
            and not _quantities(now, period) <= _quantities(before, period))


def _quantities(text: str, period: str | None) -> set[str]:
    """Its figures other than dates: a new period label ('in Q1', '2014/15') in the same
    words is the old explanation again."""
    for date in reversed(due_dates(text, period)):
        text = text[:date.start] + " " + text[date.end:]
    return set(figures(text))


def detect(ctx: Context, params: dict) -> list[Hit]:
    previous = ctx.previous
    if previous is None:
        return []
    whole = similarity(ctx.analysis.text, previous.text)
    explained = _explained_alike(ctx, params)
    ratio = max(whole, explained)
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
    if _updated(ctx, ratio, params):
        return []
    confidence = params["confidence_high"] if ratio >= params["high_similarity"] else (
        params["confidence"])
    return [Hit(
        evidence=unchanged or ctx.sentences[:2],
        # rounded down: a narrative with one figure changed is not "100%" the same
        values={"similarity": f"{math.floor(ratio * 100)}%", "unchanged": len(unchanged),
                "total": len(ctx.sentences),
                # the likeness is word for word with numbers masked: say so when they moved
                "besides": " apart from its figures" if explained > whole or figures(
                    ctx.analysis.text) != figures(previous.text) else ""},
        confidence=confidence,
        details={"similarity": round(ratio, 3), "unchanged_sentences": len(unchanged)},
    )]
