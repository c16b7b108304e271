"""NQ01: the narrative explains the position without referring back to what was reported."""

from __future__ import annotations

import re

from narrative_qa.detectors.base import Context, Hit, last_actions_and_reports
from narrative_qa.language.periods import earlier_quarters
from narrative_qa.language.wording import near_copy
from narrative_qa.language.words import compile_all, content_words

KIND = "no_link_to_previous"
NEEDS = frozenset({"previous", "embeddings"})
PARAMS = {
    "confidence": float,
    "confidence_with_text": float,
    "min_shared_words": int,
    "min_similarity": float,
    "earlier_action_cues": list[str],
    "back_references": list[str],
    "future_quarter_cues": list[str],
}

_QUARTER = re.compile(r"\bQ([1-4])\b")
def find_back_references(ctx: Context, params: dict) -> list:
    """Sentences that refer to the earlier period: its figures, report, trend or actions."""
    patterns = compile_all(params["back_references"])
    future = compile_all(params["future_quarter_cues"])
    earlier = earlier_quarters(ctx.submission.period)
    previous_value = ctx.submission.previous_actual
    found = []
    for sentence in ctx.sentences:
        text = sentence.text
        if patterns.search(text):
            found.append(sentence)
            continue
        for match in _QUARTER.finditer(text):
            if int(match.group(1)) in earlier and not future.search(text[: match.start()]):
                found.append(sentence)
                break
        else:
            if isinstance(previous_value, float) and any(
                f.value is not None and abs(f.value - previous_value) < 0.05
                and f.value != ctx.submission.actual and f.value != ctx.submission.target
                for f in sentence.figures
            ):
                found.append(sentence)
    return found


def mentions_earlier_actions(ctx: Context, params: dict) -> bool:
    """A sentence that looks back (past tense, "reported", "since") at what last period's
    narrative said: its actions by their words, or any of it by meaning."""
    if ctx.previous is None:
        return False
    previous = ctx.previous.content()
    earlier = [content_words(s.text) - ctx.kpi_terms for s in previous if s.action]
    old = [s.text for s in previous]
    similar = ctx.similarity
    cues = compile_all(params["earlier_action_cues"])
    for sentence in ctx.sentences:
        if not cues.search(sentence.text):
            continue  # restating an action is not referring back to it
        words = content_words(sentence.text)
        lexical = any(len(words & e) >= params["min_shared_words"] for e in earlier)
        semantic = similar is not None and similar.best(
            sentence.text, [s.text for s in previous]) >= params["min_similarity"]
        if not (lexical or semantic):
            continue
        if not near_copy(sentence.text, old, 0.8):
            return True
    return False


def texts_to_embed(ctx: Context, params: dict) -> list[str]:
    """Last period's actions, and this period's sentences that could report on them."""
    return last_actions_and_reports(ctx)


def detect(ctx: Context, params: dict) -> list[Hit]:
    facts = ctx.facts
    has_previous_text = bool(ctx.submission.previous_narrative)
    if not (has_previous_text or facts.previously_off_target):
        return []
    if find_back_references(ctx, params) or mentions_earlier_actions(ctx, params):
        return []
    explaining = [s for s in ctx.sentences if s.causal] or ctx.sentences[:1]
    what = "last quarter's narrative" if has_previous_text else "the previous period"
    return [Hit(
        evidence=explaining[:2],
        values={"previous": what},
        confidence=params["confidence_with_text"] if has_previous_text else params["confidence"],
    )]
