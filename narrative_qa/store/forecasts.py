"""The forecasts table: written with each submission version, read back when they fall due.

Every forecast belongs to the submission version that made it: a resubmission adds a new
version with its own forecasts, and the earlier version keeps its own (nothing is lost).
Only the current, not withdrawn, version of a KPI's period counts as what was promised.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from narrative_qa.language.periods import parse_period, period_name
from narrative_qa.store import schema
from narrative_qa.store.keys import kpi_is

# History (store/history.py) imports this module: it is named here, never imported.
History = Any


def store_forecasts(db: sa.Connection, submission_id: int, narrative: str | None,
                    period: str, actual: Any = None) -> int:
    """Extract and store the forecasts of one submission version; returns how many."""
    from narrative_qa.forecasts.extract import extract_forecasts

    found = extract_forecasts(narrative or "", period, actual=actual) if narrative else []
    for item in found:
        db.execute(schema.forecast.insert().values(
            submission_id=submission_id, start_char=item.start, end_char=item.end,
            sentence=item.sentence, what=item.what, value=(item.value or None) and item.value[:50],
            due=item.due, due_period=item.due_period, vague=item.vague,
            confidence=item.confidence, problem=item.problem))
    return len(found)


@dataclass
class StoredForecast:
    """A forecast as stored, with the submission version that made it."""

    id: int
    kpi_id: str
    made_in: str  # the period it was written in
    version: int
    is_current: bool
    service: str | None
    owner: str | None
    kpi_name: str | None
    unit: str | None
    polarity: str | None
    actual_then: float | None  # the KPI's actual in the period it was written in
    source: str
    start: int
    end: int
    sentence: str
    what: str
    value: str | None
    due: str | None
    due_period: str | None
    vague: bool
    confidence: float
    problem: str | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def stored_forecasts(history: History, *, current_only: bool = True,
                     kpi_id: str | None = None, due_period: str | None = None,
                     made_in: str | None = None) -> list[StoredForecast]:
    """Every stored forecast (of the current versions only, by default), oldest first;
    with `due_period` (canonical, '2025/26 Q3'), only those falling due in it; with
    `made_in`, only those written in that period (as stored)."""
    sub, fc = schema.submission, schema.forecast
    query = sa.select(fc, sub.c.kpi_id, sub.c.period, sub.c.version, sub.c.is_current,
                      sub.c.service, sub.c.owner, sub.c.actual, sub.c.source,
                      sub.c.record).join(sub, sub.c.id == fc.c.submission_id)
    if current_only:
        query = query.where(sub.c.is_current, sub.c.withdrawn.is_(False))
    if due_period is not None:
        query = query.where(fc.c.due_period == due_period)
    if made_in is not None:
        query = query.where(sub.c.period == made_in)
    if kpi_id:  # that KPI's forecasts only, by its indexed key
        query = query.where(kpi_is(sub.c.kpi_key, kpi_id))
    with history.engine.connect() as db:
        rows = db.execute(query.order_by(sub.c.id, fc.c.id)).mappings().all()
    found, records = [], {}
    for row in rows:  # a submission's record is parsed once, however many forecasts it made
        if row["submission_id"] not in records:
            records[row["submission_id"]] = json.loads(row["record"])
        record = records[row["submission_id"]]
        found.append(StoredForecast(
            row["id"], row["kpi_id"], row["period"], row["version"], row["is_current"],
            row["service"], row["owner"], record.get("kpi_name"), record.get("unit"),
            record.get("polarity"), row["actual"], row["source"], row["start_char"],
            row["end_char"], row["sentence"], row["what"], row["value"], row["due"],
            row["due_period"], row["vague"], row["confidence"], row["problem"]))
    return found


def forecasts_due(history: History, period: str, kpi_id: str | None = None
                  ) -> list[StoredForecast]:
    """The current forecasts falling due in `period` (their due month is in it), made in an
    earlier period."""
    wanted = parse_period(period)
    if wanted is None:
        return []
    canonical = period_name(*wanted)  # the canonical spelling, as due_period is stored
    return [f for f in stored_forecasts(history, kpi_id=kpi_id, due_period=canonical)
            if (made := parse_period(f.made_in)) is not None and made < wanted]
