"""Periods open for officers' submissions: the performance team (an admin) opens a period,
officers submit and withdraw for it while it is open, and closing it ends both.

One row per period, kept in its canonical spelling ('2025/26 Q2'); reopening a closed
period clears its closing. Uploads and `narrative-qa ingest` are the performance team's
own route and are not held to these windows.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from narrative_qa.errors import ConfigError, Location
from narrative_qa.language.periods import canonical_period, period_key
from narrative_qa.store import schema
from narrative_qa.store.history import History, _now


@dataclass(frozen=True)
class Window:
    period: str
    opened_at: str
    opened_by: str
    closed_at: str | None
    closed_by: str | None

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


def _period(period: str) -> str:
    canonical = canonical_period(period)
    if canonical is None:
        raise ConfigError("NQE024", f"period '{period.strip()}' is not like '2025/26 Q2'",
                          Location(column="period"))
    return canonical


def windows(history: History) -> list[Window]:
    """Every period ever opened, newest first."""
    table = schema.submission_window
    with history.engine.connect() as db:
        rows = db.execute(sa.select(table)).mappings().all()
    found = [Window(r["period"], r["opened_at"], r["opened_by"], r["closed_at"],
                    r["closed_by"]) for r in rows]
    return sorted(found, key=lambda w: period_key(w.period), reverse=True)


def open_periods(history: History) -> list[str]:
    return [w.period for w in windows(history) if w.is_open]


def open_window(history: History, period: str | None) -> Window | None:
    """The open window for `period` in any spelling ('2025-26 q2'), else None."""
    canonical = canonical_period(period)
    return next((w for w in windows(history) if w.is_open and w.period == canonical), None)


def open_period(history: History, period: str, by: str) -> Window:
    """Open `period` for submissions (reopen it when it was closed)."""
    canonical, table = _period(period), schema.submission_window
    with history._writing() as db:
        exists = db.execute(sa.select(table.c.id).where(table.c.period == canonical)).first()
        if exists:
            db.execute(table.update().where(table.c.period == canonical).values(
                opened_at=_now(), opened_by=by, closed_at=None, closed_by=None))
        else:
            db.execute(table.insert().values(period=canonical, opened_at=_now(),
                                             opened_by=by))
    return next(w for w in windows(history) if w.period == canonical)


def close_period(history: History, period: str, by: str) -> Window:
    """Close an open period: no more submissions or withdrawals for it."""
    canonical, table = _period(period), schema.submission_window
    if open_window(history, canonical) is None:
        listed = ", ".join(open_periods(history)) or "none"
        raise ConfigError("NQE120", f"period '{canonical}' is not open; open periods: {listed}",
                          Location(column="period"))
    with history._writing() as db:
        db.execute(table.update().where(table.c.period == canonical).values(
            closed_at=_now(), closed_by=by))
    return next(w for w in windows(history) if w.period == canonical)
