"""Checking forecasts when they fall due: against the actual, the trend, or the officer.

A value forecast is met or missed (by how much) against the actual of the period it fell
due in; a direction against the move since the period it was made in; an event is for
the officer to confirm. Whether this period's narrative mentions the forecast, and
explains a miss, is evidence for NQ03 and NQ05 (forecasts/evidence.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from narrative_qa.errors import Location, RowProblem
from narrative_qa.language.lexicon import lexicon
from narrative_qa.language.quoting import short
from narrative_qa.language.words import content_words
from narrative_qa.real_corpus import sentence_spans

if TYPE_CHECKING:
    from narrative_qa.store.forecasts import StoredForecast
    from narrative_qa.store.history import History

STATUSES = ("met", "missed", "not measurable", "to confirm", "not reported")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
_BETTER = re.compile(r"\b(?:improv\w*|better|recover\w*)\b", re.I)
_UP = re.compile(r"\b(?:increas\w*|ris(?:e|ing)|grow\w*|higher|upward)\b", re.I)
_DOWN = re.compile(r"\b(?:reduc\w*|decreas\w*|fall\w*|declin\w*|lower|downward)\b", re.I)
_LOOKING_BACK = re.compile(r"\b(?:forecast\w*|expected|predicted|projected|trajectory|"
                           r"anticipated|we said|we reported|committed)\b", re.I)
_SHORTFALL = re.compile(r"\b(?:because|delay\w*|slipp\w*|late|vacant|absen\w*|cancell?ed|"
                        r"shortage|could not|did not|was not|were not|only)\b", re.I)
MIN_SHARED_WORDS = 3  # distinctive words a sentence shares with the forecast to mention it


@dataclass
class Checked:
    """One due forecast, resolved."""

    forecast: StoredForecast
    status: str  # one of STATUSES
    actual: float | None
    gap: float | None  # how far the actual fell short of the value forecast
    quote: str  # "In 2025/26 Q2 you forecast 60% by 2025/26 Q4; the actual is 52%."
    mentioned: bool  # this period's narrative speaks of it
    explained: bool  # ... and says why it was missed

    @property
    def missed(self) -> bool:
        return self.status == "missed"

    def to_dict(self) -> dict[str, Any]:
        f = self.forecast
        return {"kpi_id": f.kpi_id, "service": f.service, "owner": f.owner,
                "made_in": f.made_in, "version": f.version, "sentence": f.sentence,
                "what": f.what, "value": f.value, "due": f.due, "due_period": f.due_period,
                "confidence": f.confidence, "status": self.status, "actual": self.actual,
                "gap": self.gap, "quote": self.quote, "mentioned": self.mentioned,
                "explained": self.explained}


def expected_number(value: str | None) -> float | None:
    match = _NUMBER.search(value or "")
    return float(match.group(0).replace(",", "")) if match else None


def _shown(number: float, unit: str | None) -> str:
    text = f"{number:g}"
    return f"{text}%" if (unit or "").strip() == "%" else text


def _gap_words(gap: float, unit: str | None) -> str:
    unit = (unit or "").strip()
    points = "percentage points" if unit == "%" else (
        "" if unit.lower() in ("count", "number", "no", "no.", "#") else unit)
    return f"{gap:g} {points}".strip()


def _of_the_kpi(f: StoredForecast) -> bool:
    """Whether the value could be the KPI's own: a percentage for a % indicator, a plain
    figure for any other."""
    return ((f.unit or "").strip() == "%") == (f.value or "").endswith("%")


def _resolve_value(f: StoredForecast, actual: float | None) -> tuple[str, float | None]:
    expected = expected_number(f.value)
    if expected is None or actual is None:
        return "not measurable", None
    if not _of_the_kpi(f):
        return "to confirm", None  # '3 posts' forecast for a % indicator: not its value
    polarity = f.polarity
    if polarity not in ("up", "down") and f.actual_then is not None and \
            f.actual_then != expected:
        polarity = "up" if expected > f.actual_then else "down"
    if polarity not in ("up", "down"):
        return "not measurable", None
    met = actual >= expected if polarity == "up" else actual <= expected
    return ("met", None) if met else ("missed", round(abs(expected - actual), 2))


def _resolve_direction(f: StoredForecast, actual: float | None) -> str:
    if actual is None or f.actual_then is None:
        return "not measurable"
    text = f.sentence
    if _BETTER.search(text) and f.polarity in ("up", "down"):
        wanted = f.polarity
    elif _UP.search(text):
        wanted = "up"
    elif _DOWN.search(text):
        wanted = "down"
    else:
        return "not measurable"
    moved = actual - f.actual_then
    return "met" if (moved > 0 if wanted == "up" else moved < 0) else "missed"


def _mentions(f: StoredForecast, narrative: str, kpi_terms: frozenset[str]
              ) -> tuple[bool, bool]:
    """Whether the narrative speaks of the forecast, and whether it says why it fell short
    (a cause or a shortfall in a sentence that speaks of it or in the two after it)."""
    key = content_words(f.sentence) - kpi_terms
    causal = lexicon().causal
    texts = [span.of(narrative) for span in sentence_spans(narrative or "")]
    mentioned = explained = False
    for index, text in enumerate(texts):
        about = (len(key & content_words(text)) >= MIN_SHARED_WORDS
                 or bool(f.value and f.value in text and _LOOKING_BACK.search(text)))
        if about:
            mentioned = True
            explained = explained or any(causal.search(t) or _SHORTFALL.search(t)
                                         for t in texts[index:index + 3])
    return mentioned, explained


def check_forecast(f: StoredForecast, actual: float | str | None, narrative: str | None,
                   kpi_terms: frozenset[str] = frozenset()) -> Checked:
    """Resolve one due forecast against the period's actual and narrative."""
    number = actual if isinstance(actual, (int, float)) and not isinstance(actual, bool) \
        else None
    gap = None
    if f.what == "value":
        status, gap = _resolve_value(f, number)
    elif f.what == "direction":
        status = _resolve_direction(f, number)
    else:
        status = "to confirm"
    promised = f.value if f.what == "value" and f.value else f"'{short(f.sentence, 16)}'"
    quote = f"In {f.made_in} you forecast {promised} by {f.due_period}"
    if number is not None and f.what in ("value", "direction"):
        quote += f"; the actual is {_shown(number, f.unit)}"
        if gap:
            quote += f", {_gap_words(gap, f.unit)} short"
    elif status == "to confirm":
        quote += "; please confirm whether it happened"
    mentioned, explained = _mentions(f, narrative or "", kpi_terms)
    return Checked(f, status, number, gap, quote + ".", mentioned, explained)


@dataclass
class PeriodCheck:
    period: str
    checked: list[Checked]
    notices: list[RowProblem]


def _where(f: StoredForecast) -> Location:
    return Location(f"{f.source} ({f.kpi_id}, {f.made_in}, version {f.version})", None,
                    "narrative")


def check_period(history: History, period: str) -> PeriodCheck:
    """Every current forecast due in `period`, resolved against the KPI's current
    submission for it; notices for what cannot be checked (each names the submission and
    the sentence; the forecast is kept)."""
    from narrative_qa.language.periods import canonical_period
    from narrative_qa.store.forecasts import forecasts_due

    canonical = canonical_period(period) or period
    current = {s.kpi_id: s for s in history.current(period, with_findings=False)}
    from narrative_qa.previous import match_key

    by_key = {match_key(k): s for k, s in current.items() if k}
    checked, notices = [], []
    for f in forecasts_due(history, canonical):
        stored = by_key.get(match_key(f.kpi_id))
        if stored is None:
            notices.append(RowProblem("NQE132", f"KPI '{f.kpi_id}' has no submission for "
                                      f"{canonical}, where its forecast '{f.sentence}' "
                                      "falls due (renamed or dropped?)", _where(f)))
            checked.append(Checked(f, "not reported", None, None,
                                   f"In {f.made_in} you forecast "
                                   f"{f.value or repr(short(f.sentence, 16))} by "
                                   f"{f.due_period}; nothing was reported for it.",
                                   False, False))
            continue
        record = stored.record
        terms = content_words(f"{record.get('kpi_name') or ''} {record.get('unit') or ''}")
        checked.append(check_forecast(f, record.get("actual"), record.get("narrative"), terms))
    notices += disagreements([c.forecast for c in checked])
    notices += order_notices(history, canonical, made_in(history, canonical))
    return PeriodCheck(canonical, checked, notices)


def made_in(history: History, period: str) -> list[StoredForecast]:
    """The current forecasts written in `period` (in any of its spellings)."""
    from narrative_qa.language.periods import same_period
    from narrative_qa.store.forecasts import stored_forecasts

    spellings = [p for p in history.periods() if same_period(p, period)] or [period]
    return [f for p in spellings for f in stored_forecasts(history, made_in=p)]


def disagreements(due: list[StoredForecast]) -> list[RowProblem]:
    """Two value forecasts of one KPI for the same period that expect different values."""
    from narrative_qa.previous import match_key

    seen: dict[tuple[Any, str], StoredForecast] = {}
    notices = []
    for f in due:
        if f.what != "value" or not f.due_period or expected_number(f.value) is None \
                or not _of_the_kpi(f):
            continue
        key = (match_key(f.kpi_id), f.due_period)
        first = seen.setdefault(key, f)
        if first is not f and expected_number(first.value) != expected_number(f.value):
            notices.append(RowProblem(
                "NQE133", f"for {f.due_period}, '{first.sentence}' ({first.made_in}) "
                f"expects {first.value} but '{f.sentence}' ({f.made_in}) expects "
                f"{f.value}; both are checked", _where(f)))
    return notices


def order_notices(history: History, period: str, every: list[StoredForecast]
                  ) -> list[RowProblem]:
    """Forecasts that cannot be ordered against this period, or could not be checked
    because an earlier quarter is missing (stored out of order)."""
    from narrative_qa.language.periods import parse_period, previous_period, same_period

    notices = []
    for f in (f for f in every if same_period(f.made_in, period)):
        if f.problem:
            notices.append(RowProblem("NQE130", f"'{f.sentence}': {f.problem}",
                                      _where(f)))
        elif parse_period(f.made_in) is None:
            notices.append(RowProblem("NQE131", f"the forecast '{f.sentence}' was "
                                      f"stored under '{f.made_in}', which is not a quarter "
                                      "that can be ordered; it is kept but not checked",
                                      _where(f)))
    stored = set(history.periods())
    earlier = previous_period(period)
    if earlier and earlier not in stored and any(parse_period(p) and parse_period(p)
                                                 < parse_period(earlier) for p in stored):
        notices.append(RowProblem("NQE134", f"{period} is stored but {earlier}, the quarter "
                                  "before it, is not: forecasts it makes for this quarter are "
                                  "checked once it is stored (re-ingest this quarter then to "
                                  "bring them into its findings)", Location(history.url)))
    return notices
