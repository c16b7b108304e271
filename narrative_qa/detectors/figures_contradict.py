"""NQ10: a figure or a direction of change in the text contradicts the submitted data."""

from __future__ import annotations

import re

from narrative_qa.detectors.base import Context, Hit, Sentence, compile_all, stem

_NEGATED = re.compile(r"\b(?:not|n't|no|never|yet to|failed to)\b(?:\W+\w+){0,2}\W*$", re.I)


def detect(ctx: Context, params: dict) -> list[Hit]:
    sub = ctx.submission
    if not isinstance(sub.actual, float):
        return []
    hits = _value_claims(ctx, params) + _direction_claims(ctx, params)
    return hits[:1] if hits else []


def _about_indicator(sentence: Sentence, ctx: Context, params: dict) -> bool:
    words = {stem(w) for w in re.findall(r"[a-z]+", sentence.text.lower())}
    if words & ctx.kpi_terms:
        return True
    return bool(compile_all(params["indicator_words"]).search(sentence.text))


def _unit_matches(kind: str, unit: str | None) -> bool:
    if unit == "%":
        return kind == "percent"
    return kind in {"count", "duration", "rate", "money", "wte"}


def _value_claims(ctx: Context, params: dict) -> list[Hit]:
    sub = ctx.submission
    claim = compile_all(params["current_value_cues"])
    not_before = compile_all(params["not_current_before"])
    not_after = compile_all(params["not_current_after"])
    hits: list[Hit] = []
    for sentence in ctx.sentences:
        if not _about_indicator(sentence, ctx, params):
            continue
        text = sentence.text
        for figure in sentence.figures:
            if figure.value is None or not _unit_matches(figure.kind, sub.unit):
                continue
            before = text[max(0, figure.start - 40): figure.start]
            after = text[figure.end: figure.end + 30]
            if not claim.search(before) or not_before.search(before) or not_after.match(after):
                continue
            known = [v for v in (sub.actual, sub.target, sub.previous_actual)
                     if isinstance(v, float)]
            if any(_close(figure.value, v, sub.unit) for v in known):
                continue
            hits.append(Hit(
                evidence=[sentence],
                values={"problem": f"the text gives {figure.text.strip()} but the submitted "
                        f"actual is {sub.actual:g}{'%' if sub.unit == '%' else ''}"},
                confidence=params["confidence_value"],
                details={"quoted": figure.text.strip(), "actual": sub.actual},
            ))
    return hits


def _close(a: float, b: float, unit: str | None) -> bool:
    """Equal allowing for rounding: 90.24% may be written 90%, 1,234 as 1,200 is not."""
    if unit == "%":
        return abs(a - b) < 1.0
    return abs(a - b) <= max(0.5, 0.005 * abs(b))


def _direction_claims(ctx: Context, params: dict) -> list[Hit]:
    sub, facts = ctx.submission, ctx.facts
    if not isinstance(sub.previous_actual, float) or sub.actual == sub.previous_actual:
        return []
    went_up = sub.actual > sub.previous_actual
    better = facts.improved
    better_words = compile_all(params["better_words"])
    worse_words = compile_all(params["worse_words"])
    up_words = compile_all(params["up_words"])
    down_words = compile_all(params["down_words"])
    for sentence in ctx.sentences:
        if not _about_indicator(sentence, ctx, params) or sentence.action:
            continue
        subject = _claim_subject(sentence, ctx, params)
        if not subject:
            continue
        text = subject
        claims = []
        if better_words.search(text) and not better:
            claims.append(("improved", "declined"))
        if worse_words.search(text) and better:
            claims.append(("declined", "improved"))
        if up_words.search(text) and not went_up:
            claims.append(("increased", "fell"))
        if down_words.search(text) and went_up:
            claims.append(("fell", "rose"))
        if claims:
            said, truth = claims[0]
            return [Hit(
                evidence=[sentence],
                values={"problem": f"the text says performance {said}, but the data show it "
                        f"{truth} from {sub.previous_actual:g} to {sub.actual:g}"},
                confidence=params["confidence_direction"],
                details={"claimed": said, "previous_actual": sub.previous_actual,
                         "actual": sub.actual},
            )]
    return []


def _claim_subject(sentence: Sentence, ctx: Context, params: dict) -> str:
    """The clause in which the indicator itself is said to have changed, if any.

    'Performance improved to 87%' or 'uptake has increased' qualify; 'referrals increased'
    does not (that is demand, not this indicator), nor does 'has not improved'.
    """
    indicator = compile_all(params["indicator_words"])
    for token in sentence.span:
        if token.lemma_.lower() not in params["change_lemmas"]:
            continue
        left = sentence.span.doc[sentence.span.start: token.i].text
        if _NEGATED.search(left):
            continue
        subject = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        subject_text = " ".join(t.text for c in subject for t in c.subtree).lower()
        if token.pos_ == "NOUN":  # "an improvement in uptake"
            pobj = [t for c in token.children if c.dep_ == "prep" and c.lower_ == "in"
                    for t in c.subtree]
            subject_text = " ".join(t.text for t in pobj).lower()
        words = {stem(w) for w in re.findall(r"[a-z]+", subject_text)}
        if indicator.search(subject_text) or words & ctx.kpi_terms:
            return token.text
    return ""
