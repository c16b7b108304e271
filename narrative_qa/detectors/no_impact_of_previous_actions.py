"""NQ03: the actions listed last period are not reported on: what did they achieve?

Each earlier action is aligned with the current sentences that share its distinctive words
or say the same thing in other words (sentence embeddings), or that speak of "the actions
reported last quarter" as a whole; it has an outcome when such a sentence reports a result
with evidence, not merely that the action is "ongoing".
"""

from __future__ import annotations

from narrative_qa.detectors.base import Context, Hit, last_actions_and_reports
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.lexicon import shared
from narrative_qa.language.quoting import joined, short
from narrative_qa.language.wording import near_copy
from narrative_qa.language.words import compile_all, content_words
from narrative_qa.specs.params import Count, Share

KIND = "no_impact_of_previous_actions"
NEEDS = frozenset({"previous", "embeddings"})
PARAMS = {
    "confidence_none": Share,
    "confidence_some": Share,
    "min_shared_words": Count,
    "min_similarity": Share,
    "outcome_cues": list[str],
    "looking_back": list[str],
    "ongoing_only": list[str],
    "collective_cues": list[str],
}


def _reports_outcome(sentence: Sentence, outcome, ongoing_only) -> bool:
    """A result with evidence (a figure, or a stated effect), not just 'ongoing'."""
    if sentence.section == "progress":
        return True
    if not (outcome.search(sentence.text) or sentence.figures):
        return False
    return not (ongoing_only.search(sentence.text) and not sentence.figures)


def texts_to_embed(ctx: Context, params: dict) -> list[str]:
    """Last period's actions, and this period's sentences that could report on them."""
    return last_actions_and_reports(ctx)


def detect(ctx: Context, params: dict) -> list[Hit]:
    # issue 19: forecasts falling due this period are a second source of evidence
    from narrative_qa.forecasts.evidence import with_forecasts

    return with_forecasts(ctx, _detect(ctx, params), "NQ03", params["confidence_none"])


def _detect(ctx: Context, params: dict) -> list[Hit]:
    if ctx.previous is None:
        return []
    # The measures last period promised: planned or continuing actions, not results it
    # reported ("84 attendances") nor watching briefs ("continue to monitor").
    earlier = [s for s in ctx.previous.content()
               if s.action and s.action.verb not in shared("watching_verbs")
               and (s.action.kind in {"planned", "continuing"}
                    or not any(f.kind != "duration" for f in s.figures))]
    if not earlier:
        return []
    outcome = compile_all(params["outcome_cues"])
    ongoing_only = compile_all(params["ongoing_only"])
    collective = compile_all(params["collective_cues"])
    kpi = ctx.kpi_terms
    looking_back = compile_all(params["looking_back"])
    old = [s.text for s in ctx.previous.content()]
    current = [s for s in ctx.sentences
               if not (s.action and s.action.kind == "planned" and not looking_back.search(s.text))
               and not near_copy(s.text, old, 0.8)]
    if any(collective.search(s.text) and _reports_outcome(s, outcome, ongoing_only)
           for s in current):
        return []
    similar = ctx.similarity
    following = {s.index: n for s, n in zip(current, current[1:], strict=False)}
    missing = []
    for sentence in earlier:
        key = content_words(sentence.text) - kpi
        aligned = [
            s for s in current
            if len(key & content_words(s.text)) >= params["min_shared_words"]
            or (similar is not None and similar(sentence.text, s.text) >= params["min_similarity"])
        ]
        # The outcome may be in the aligned sentence or the one after it ("It flags …; the
        # average delay fell from 11 to 7 days").
        reported = any(
            _reports_outcome(s, outcome, ongoing_only)
            or (s.index in following and _reports_outcome(following[s.index], outcome,
                                                         ongoing_only))
            for s in aligned
        )
        if not reported:
            missing.append(sentence)
    if not missing:
        return []
    names = [f"'{short(s.action.summary, 10)}'" for s in missing]
    confidence = params["confidence_none"] if len(missing) == len(earlier) else (
        params["confidence_some"])
    restated = [s for s in ctx.sentences if ongoing_only.search(s.text)]
    return [Hit(
        evidence=restated[:2] or ctx.sentences[:1],
        values={"actions": joined(names), "count": len(missing), "total": len(earlier)},
        confidence=confidence,
        details={"actions_without_outcome": [s.action.summary for s in missing],
                 "previous_sentences": [s.quote for s in missing]},
    )]
