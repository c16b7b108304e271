"""Every forecast or commitment in a narrative: what, the value expected, when it is due.

Rules read what must be exact (dates, periods and values: narrative_qa.language.periods is
the one period grammar); the learned sentence readers (language/readers.py) help decide
whether a sentence is a forecast at all, where the rules' cues are missing.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from narrative_qa.language.lexicon import lexicon
from narrative_qa.language.periods import (
    DueDate,
    due_dates,
    month_text,
    period_end,
    period_of_month,
)
from narrative_qa.real_corpus import sentence_spans

WHATS = ("value", "direction", "event", "other")
# A sentence looking forward: a modal, an expectation or a plan. Past forms ("was expected")
# report an old forecast and are not a new one.
_FUTURE = re.compile(
    r"\b(?:will|shall|expects?|expected|expecting|anticipat\w*|forecasts?|forecasted|"
    r"projected|projections?|predict(?:s|ed)?|aims?\s+to|plans?\s+to|planned|intends?\s+to|"
    r"intended|on\s+track\s+to|due\s+to\s+(?:start|begin|complete|go|open|be|finish|launch|"
    r"end|report|conclude)|scheduled|set\s+to|should\s+(?:be|return|reach|see|improve|clear|"
    r"start|lead|result|allow|enable)|is\s+to\s+be|are\s+to\s+be|going\s+to|trajectory|"
    r"target(?:ed|ing)?\s+(?:is|of|to|for)|aiming|committed\s+to|likely\s+to)\b", re.I)
_PAST_FORECAST = re.compile(
    r"\b(?:we|they|it|had)\s+(?:expected|anticipated|forecast|projected|planned)\b|"
    r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+(?:expected|anticipated|forecast|"
    r"projected|planned|scheduled|due)\b", re.I)
_EVENT = re.compile(
    r"\b(?:start|starts|starting|begin|begins|commence\w*|go(?:es)?\s+live|going\s+live|"
    r"launch\w*|open(?:s|ing)?|complet\w*|finish\w*|recruit\w*|appoint\w*|implement\w*|"
    r"deliver\w*|clear(?:ed|ing|s)?|roll(?:ed|ing)?\s+out|in\s+post|install\w*|publish\w*|"
    r"sign\w*|award\w*|construct\w*|introduc\w*|establish\w*|operational|live)\b", re.I)
_DIRECTION = re.compile(
    r"\b(?:improv\w*|increas\w*|decreas\w*|reduc\w*|rise|rising|fall|falling|declin\w*|"
    r"recover\w*|deteriorat\w*|upward|downward|grow\w*|lower|higher|better|worse)\b", re.I)
# A figure stated as where the indicator will be: "return to 60%", "reach 1,200", "95%".
_PERCENT = re.compile(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.I)
_TARGET_NUMBER = re.compile(
    r"\b(?:to|reach|reaching|achieve|achieving|at|below|above|under|over|of|around|"
    r"approximately)\s+(?:around\s+|about\s+|approximately\s+)?(£|\$)?(\d[\d,]*(?:\.\d+)?)"
    r"(?!\s*(?:weeks?|months?|days?|years?|quarters?|%|per\s?cent))(?![\d/.-]*\d)\b", re.I)
READER_TAGS = ("figure_forecast", "expected_impact", "timescale", "action_planned")
# due-dates written after these words are when the forecast falls due
_DUE_LEADS = frozenset({"by", "before", "until", "till", "within", "in", "during", "end",
                        "next", "at", "over", "after", "from", "this"})


@dataclass
class Forecast:
    """One forecast: the sentence (span into the narrative), what it forecasts, the value
    expected (as written, in digits), the last month it covers and its reporting period."""

    start: int
    end: int
    sentence: str
    what: str  # one of WHATS
    value: str | None
    due: str | None  # 'YYYY-MM'; None when the timing is vague or absent
    due_period: str | None  # the UK reporting period holding `due` ('2025/26 Q4')
    vague: bool  # timing written but vague ("soon", "going forward"): NQ02's concern
    confidence: float
    problem: str | None = None  # why the due date cannot be right, when it cannot

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _figure(text: str) -> str | None:
    """The expected figure as written, in digits: '60%', '1200'."""
    percent = _PERCENT.search(text)
    if percent:
        return percent.group(1).replace(",", "") + "%"
    number = _TARGET_NUMBER.search(text)
    if number and not re.fullmatch(r"20\d\d", number.group(2)):
        return (number.group(1) or "") + number.group(2).replace(",", "")
    return None


def _what(text: str, value: str | None) -> str:
    if value is not None:
        return "value"
    if _EVENT.search(text):
        return "event"
    if _DIRECTION.search(text):
        return "direction"
    return "other"


def _due(dates: list[DueDate], written: tuple[int, int] | None) -> DueDate | None:
    """The date the forecast falls due: the last one written after 'by', 'within', 'in'...
    that is not before the period it was written in; else the last one resolved."""
    resolved = [d for d in dates if d.due]
    led = [d for d in resolved if d.lead in _DUE_LEADS]
    if written:
        ahead = [d for d in led if d.due >= month_text(written)]
        if ahead:
            return ahead[-1]
    return (led or resolved or [None])[-1]


def _reader_votes(texts: list[str]) -> list[dict[str, float]]:
    """Per sentence, the forecast-related tags the readers read there (empty without them)."""
    from narrative_qa.errors import NarrativeQAError
    from narrative_qa.language.readers import load_readers

    try:
        readers = load_readers()
    except NarrativeQAError:
        return [{} for _ in texts]
    if not texts:
        return []
    return [{t: p for t, p in tags.items() if t in READER_TAGS}
            for tags in readers.tagged(texts)]


def extract_forecasts(narrative: str, period: str | None) -> list[Forecast]:
    """Every forecast in `narrative`, written in `period` ('2025/26 Q2', 'FY2024', ...)."""
    spans = sentence_spans(narrative or "")
    texts = [s.of(narrative) for s in spans]
    votes = _reader_votes(texts)
    written = period_end(period)
    vague_timing = lexicon().vague_timing
    found = []
    for span, text, read in zip(spans, texts, votes, strict=True):
        dates = due_dates(text, period)
        due = _due(dates, written)
        if _PAST_FORECAST.search(text) and not re.search(r"\b(?:will|shall)\b", text, re.I):
            continue  # an earlier forecast reported back, not a new one
        future = bool(_FUTURE.search(text))
        ahead = due is not None and written is not None and due.due is not None and \
            due.due > month_text(written) and due.lead in _DUE_LEADS
        vague = bool(vague_timing.search(text))
        value = _figure(_without(text, dates))
        what = _what(text, value)
        if not (future and (due or value or vague or what != "other")) and not ahead \
                and not read:
            continue
        if not future and not ahead and not ({"figure_forecast", "expected_impact"} & set(read)):
            continue
        confidence = 0.55 + 0.2 * future + 0.15 * (due is not None) + 0.1 * bool(read)
        problem = None
        due_month = due.due if due else None
        if due_month and written and due_month < month_text(_start_of(written)):
            problem = (f"'{due.text}' ({due_month}) is before the period the forecast was "
                       f"written in ({period})")
        year, month = (int(p) for p in due_month.split("-")) if due_month else (0, 0)
        found.append(Forecast(
            span.start, span.end, text, what, value, due_month,
            period_of_month(year, month) if due_month else None,
            vague and due is None, round(min(confidence, 0.95), 2), problem))
    return found


def _start_of(written: tuple[int, int]) -> tuple[int, int]:
    """The first month of the quarter ending in `written`."""
    index = written[0] * 12 + written[1] - 3
    return index // 12, index % 12 + 1


def _without(text: str, dates: list[DueDate]) -> str:
    """The sentence with its dates blanked, so '31/03/2026' is never read as a value."""
    for date in sorted(dates, key=lambda d: -d.start):
        text = text[:date.start] + " " * (date.end - date.start) + text[date.end:]
    return text
