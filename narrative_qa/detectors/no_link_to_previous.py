"""NQ01: the narrative explains the position without referring back to what was reported."""

from __future__ import annotations

import re

from narrative_qa.assessment import DataFacts, Submission
from narrative_qa.data_checks import has_no_rag, is_delivery
from narrative_qa.detectors.base import Context, Hit, last_actions_and_reports
from narrative_qa.language.analysis import Sentence
from narrative_qa.language.periods import (
    due_dates,
    is_annual,
    is_earlier,
    month_text,
    period_start,
    quarter_mentions,
)
from narrative_qa.language.wording import near_copy
from narrative_qa.language.words import compile_all, content_words
from narrative_qa.specs.params import Count, Share

KIND = "no_link_to_previous"
NEEDS = frozenset({"previous", "embeddings", "readers"})
PARAMS = {
    "confidence": Share,
    "confidence_with_text": Share,
    "min_shared_words": Count,
    "min_similarity": Share,
    "earlier_action_cues": list[str],
    "back_references": list[str],
    "future_quarter_cues": list[str],
    "comparisons": list[str],
    "year_ago_comparisons": list[str],
    "previous_year": list[str],
    "bare_changes": list[str],
    "indicator_changes": list[str],
    "forecast_before": list[str],
    "indicator_subject": list[str],
    "reader_tag": str,
    "reader_at_least": Share,
    "past_told": list[str],
    "ahead_before": list[str],
    "ahead_leads": list[str],
    "names_the_baseline": list[str],
}


def _compares(text: str, patterns: list[str], params: dict) -> bool:
    """A comparison the text makes, not a forecast ("expected to be reduced to 20 days")."""
    forecast = compile_all(params["forecast_before"])
    return any(not forecast.search(text[: m.start()])
               for m in compile_all(patterns).finditer(text))


def compares_with_earlier(sentence: Sentence, ctx: Context, params: dict) -> bool:
    """A comparison with an earlier period, even a bare one ("improved to 56%", "fell
    again", "compared with the same period last year"), is a link (FINDINGS.md NQ01).

    With last period's narrative given, the link must be to what was reported then: the
    indicator's own trend since last period, even without its figures ("our end date has
    slipped because ..."), in a sentence not copied from that narrative; a year-ago
    comparison, or referrals that "rose to 2,140", do not connect to it. With or without
    it, the indicator said to have been moved or re-rated ("our end date was put back
    because ...") has changed since before: a link.
    """
    text = sentence.text
    about_indicator = bool(compile_all(params["indicator_subject"]).search(text)) or any(
        f.value is not None and isinstance(ctx.submission.actual, float)
        and abs(f.value - ctx.submission.actual) < 0.051 for f in sentence.figures)
    changed = about_indicator and _compares(text, params["indicator_changes"], params)
    if not ctx.submission.previous_narrative:
        return (changed or _compares(text, params["comparisons"], params)
                or _compares(text, params["year_ago_comparisons"], params)
                or _compares(text, params["bare_changes"], params))
    if ctx.previous is not None and near_copy(text, [s.text for s in ctx.previous.content()],
                                              0.8):
        return False
    return changed or about_indicator and (
        _compares(text, params["comparisons"], params)
        or _compares(text, params["bare_changes"], params)
        or (is_annual(ctx.submission.period)
            and _compares(text, params["year_ago_comparisons"], params)))


# A period that spans its year's quarters ("FY2025 (quarterly context, Q1–Q4)").
_QUARTER_SPAN = re.compile(r"\bQ([1-4])\s*[–—-]\s*Q([1-4])\b", re.I)


def _own_quarter(mention, period: str | None) -> bool:
    """A quarter the period itself spans, named without a year of its own: 'In Q4' in a
    whole year's record with quarterly context is this period, not an earlier one."""
    span = _QUARTER_SPAN.search(period or "")
    return bool(span) and mention.year is None and (
        int(span.group(1)) <= mention.quarter <= int(span.group(2)))


def names_earlier_quarter(text: str, period: str | None, params: dict) -> bool:
    """'as in Quarter 1', '(29.6 days in Q2 2023/24)'; not 'by the end of Q1' (a deadline)."""
    future = compile_all(params["future_quarter_cues"])
    return any(is_earlier(m, period) and not _own_quarter(m, period)
               and not future.search(text[: m.start]) for m in quarter_mentions(text))


# A date that writes its own year ("FY16/17" too): a month or quarter without one ("in
# Q1", "July") is resolved by guess and is often the period's own (a year's quarters, a
# school term).
_WITH_YEAR = re.compile(
    r"(?<!\d)(?:19|20)\d\d(?!\d)|(?<!\d)\d\d\s*/\s*\d\d(?!\d)|\b[A-Za-z]{3,}\.? \d\d\b")


def tells_dated_earlier_event(text: str, period: str | None, params: dict) -> bool:
    """An event dated before the period and told as past ("the contract was signed in May
    2013") refers to an earlier period (LABELLING.md §3 NQ01); a date it is due by, one
    after a forecast ("we expect to finish by March 2024"), or one after the budget or
    baseline it dates ("the budget is taken from the business case approved in 2014"), is
    not. A date before them dates an event ("in FY 20/21 the budget was amended")."""
    first = period_start(period)
    start = month_text(first) if first else None
    if start is None or not compile_all(params["past_told"]).search(text):
        return False
    ahead = compile_all(params["ahead_before"])
    baseline = compile_all(params["names_the_baseline"])
    return any(d.due is not None and d.due < start and _WITH_YEAR.search(d.text)
               and d.lead not in params["ahead_leads"] and not ahead.search(text[: d.start])
               and not baseline.search(text[: d.start]) for d in due_dates(text, period))


def names_previous_year(text: str, period: str | None, params: dict) -> bool:
    """In a yearly record last year is the previous period: "last year there was an
    underspend" refers to it; "we aim to match last year's figure" is a target."""
    return is_annual(period) and _compares(text, params["previous_year"], params)


def find_back_references(ctx: Context, params: dict) -> list:
    """Sentences that refer to the earlier period: its figures, report, trend or actions."""
    patterns = compile_all(params["back_references"])
    found = []
    for sentence in ctx.sentences:
        text = sentence.text
        if (patterns.search(text) or compares_with_earlier(sentence, ctx, params)
                or names_earlier_quarter(text, ctx.submission.period, params)
                or names_previous_year(text, ctx.submission.period, params)
                or tells_dated_earlier_event(text, ctx.submission.period, params)
                or _states_previous_value(sentence, ctx)):
            found.append(sentence)
    return found


def _only_forecasts_a_change(text: str, params: dict) -> bool:
    """Its only comparisons follow a forecast or target ("we aim to have improved to 25
    days by Q4"): a forecast for a future date is not a link (LABELLING.md §3 NQ01)."""
    return (compile_all(params["comparisons"]).search(text) is not None
            and not _compares(text, params["comparisons"], params))


def _dated_only_now(sentence: Sentence, ctx: Context, params: dict) -> bool:
    """It states this period's figure, every date it names falls in the period itself ("In
    Q2, 86% were seen" in a Q2 record) and it compares with nothing: the reading layer
    takes such a date for an earlier period, but a date in the current period is not one."""
    period, text = ctx.submission.period, sentence.text
    first = period_start(period)
    dates = due_dates(text, period)
    if first is None or not dates or not _states_value(sentence, ctx.submission.actual):
        return False
    compares = compile_all([*params["comparisons"], *params["year_ago_comparisons"],
                            *params["bare_changes"]])
    return (all(d.due is not None and d.due >= month_text(first) for d in dates)
            and not compares.search(text))


def read_back(ctx: Context, params: dict) -> list[Sentence]:
    """Sentences the reading layer reads as referring back: links in words no pattern
    lists, less a change it only forecasts. With last period's narrative given, not a
    sentence copied from it, nor a year-ago comparison, which do not connect to what was
    reported then."""
    read = [s for s in ctx.read_as(params["reader_tag"], params["reader_at_least"])
            if not _only_forecasts_a_change(s.text, params)
            and not _dated_only_now(s, ctx, params)]
    if not ctx.submission.previous_narrative:
        return read
    old = [s.text for s in ctx.previous.content()] if ctx.previous is not None else []
    annual = is_annual(ctx.submission.period)  # last period is a year ago
    return [s for s in read if not near_copy(s.text, old, 0.8)
            and (annual or not _compares(s.text, params["year_ago_comparisons"], params))]


def _states_value(sentence: Sentence, value: object) -> bool:
    return isinstance(value, float) and any(
        f.value is not None and abs(f.value - value) < 0.051 for f in sentence.figures)


def _states_previous_value(sentence: Sentence, ctx: Context) -> bool:
    previous_value = ctx.submission.previous_actual
    return isinstance(previous_value, float) and any(
        f.value is not None and abs(f.value - previous_value) < 0.05
        and f.value != ctx.submission.actual and f.value != ctx.submission.target
        for f in sentence.figures)


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


def held_to_link(sub: Submission, facts: DataFacts) -> bool:
    """Whether a KPI held to all findings has a previous period NQ01 asks it to link to:
    last period's narrative, or last period's value off target too. A KPI with no RAG, or
    one held as off target for want of a RAG (a rating, an end date), is held to it as one
    off target last period whenever last period's value is given (§4); that value may be a
    rating or an end date as well as a figure. One off target now but on target last
    period, with no previous narrative, is not: there is nothing reported before to link
    to (tools/apply_scope.py brings the labels to this scope)."""
    previous = sub.previous_actual
    previous_given = isinstance(previous, float) or is_delivery(previous)
    return bool(sub.previous_narrative or facts.previously_off_target
                or (previous_given and (has_no_rag(sub, facts) or facts.assumed_off_target)))


def detect(ctx: Context, params: dict) -> list[Hit]:
    has_previous_text = bool(ctx.submission.previous_narrative)
    if not held_to_link(ctx.submission, ctx.facts):
        return []
    if find_back_references(ctx, params) or mentions_earlier_actions(ctx, params):
        return []
    if read_back(ctx, params):
        return []
    explaining = [s for s in ctx.sentences if s.causal] or ctx.sentences[:1]
    what = "last quarter's narrative" if has_previous_text else "the previous period"
    return [Hit(
        evidence=explaining[:2],
        values={"previous": what},
        confidence=params["confidence_with_text"] if has_previous_text else params["confidence"],
    )]
