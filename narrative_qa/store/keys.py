"""How the store compares a KPI and an owner: the values of its `kpi_key` and `owner_key`
columns (migration 0006), so one KPI's or one owner's rows are one indexed query."""

from __future__ import annotations

import sqlalchemy as sa

from narrative_qa.previous import match_key


def kpi_key(kpi_id: str | None) -> str:
    """The KPI as compared: narrative_qa.previous.match_key, the one KPI-identity rule
    ('' for a row with no kpi_id)."""
    return match_key(kpi_id) or ""


def kpi_is(column: sa.ColumnElement[str], kpi_id: str | None) -> sa.ColumnElement[bool]:
    """A `kpi_key` column holding the KPI `kpi_id` names (never true for a blank id)."""
    key = kpi_key(kpi_id)
    return column == key if key else sa.false()


def owner_key(name: str | None) -> str:
    """An owner or service name as compared: spaces collapsed, case folded (the one rule
    for whose a KPI is: User.owns and the store's `owner_key` column)."""
    return " ".join((name or "").split()).casefold()
