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


def _names_indicator(text: str, ctx: Context, params: dict) -> bool:
    words = {stem(w) for w in re.findall(r"[a-z]+", text.lower())}
    return bool(words & ctx.kpi_terms) or bool(
        compile_all(params["indicator_words"]).search(text))


def _unit_matches(kind: str, unit: str | None) -> bool:
    if unit == "%":
        return kind == "percent"
    if unit in {"days", "weeks", "hours", "months"}:
        return kind in {"count", "duration"}
    return kind in {"count", "rate"}


def _value_claims(ctx: Context, params: dict) -> list[Hit]:
    """'Performance fell to 57%' or '72% of placements commenced…' where the data say 51."""
    sub = ctx.submission
    claim = compile_all(params["current_value_cues"])
    not_before = compile_all(params["not_current_before"])
    not_after = compile_all(params["not_current_after"])
    known = [v for v in (sub.actual, sub.target, sub.previous_actual) if isinstance(v, float)]
    hits: list[Hit] = []
    for sentence in ctx.sentences:
        if sentence.impact or sentence.section in {"impact", "timescale"}:
            continue  # a forecast, not a statement of the current value
        text = sentence.text
        for figure in sentence.figures:
            if figure.value is None or not _unit_matches(figure.kind, sub.unit):
                continue
            after = text[figure.end: figure.end + 40]
            of_what = re.match(r"^\s*of\s+((?:\S+\s+){0,4})", after)
            if of_what:  # "72% of placements": a claim only if it names this indicator
                if figure.kind != "percent" or not_before.search(text[:figure.start]) or not (
                        _names_indicator(of_what.group(1), ctx, params)):
                    continue  # "8 of the 22 delays" is a breakdown
            else:
                clause_start = max(text.rfind(ch, 0, figure.start) for ch in ";:,(") + 1
                left = text[clause_start: figure.start]
                if not claim.search(left) or not_before.search(left) or not_after.match(after):
                    continue
                if not _names_indicator(" ".join(left.split()[-8:]), ctx, params):
                    continue
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
        if sentence.action:
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


_QUANTITY_HEADS = {"number", "percentage", "proportion", "rate", "level", "share", "%"}


def _head_noun(token):
    """'the number of placements' -> placements; 'uptake at 24 months' -> uptake."""
    if token.lemma_.lower() in _QUANTITY_HEADS:
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return pobj
    return token


def _claim_subject(sentence: Sentence, ctx: Context, params: dict) -> str:
    """The change word when the indicator itself is its subject, else "".

    'Performance improved to 87%' or 'uptake has increased' qualify; 'requests from the
    courts rose' does not (that is demand, not this indicator), nor does 'has not improved'.
    """
    for token in sentence.span:
        if token.lemma_.lower() not in params["change_lemmas"]:
            continue
        left = sentence.span.doc[sentence.span.start: token.i].text
        if _NEGATED.search(left):
            continue
        if token.pos_ == "NOUN":  # "an improvement in uptake"
            heads = [t for c in token.children if c.dep_ == "prep" and c.lower_ == "in"
                     for t in c.children if t.dep_ == "pobj"]
        else:
            heads = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
        for head in heads:
            if any(c.lower_ in {"other", "remaining", "some"} for c in head.children):
                continue  # "other delays fell": a part of the indicator, not the whole
            noun = _head_noun(head)
            if _names_indicator(noun.text, ctx, params) or _names_indicator(
                    " ".join(t.text for t in noun.children if t.dep_ == "compound") + " "
                    + noun.text, ctx, params):
                return token.text
    return ""
