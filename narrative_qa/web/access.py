"""Who may read or change a KPI's submissions: one policy for pages and the API."""

from __future__ import annotations

from narrative_qa.previous import match_key
from narrative_qa.store.accounts import User
from narrative_qa.store.history import History
from narrative_qa.web.security import WebError
from narrative_qa.web.views import KpiView, kpi_view


def may_read(user: User, owner: str | None, service: str | None) -> bool:
    """Officers their own KPIs, reviewers their services' KPIs, admins all."""
    if user.role == "admin":
        return True
    if user.role == "reviewer":
        return user.reviews(service)
    return user.owns(owner)


def stored_kpi(history: History, kpi_id: str | None) -> KpiView | None:
    """The stored KPI `kpi_id` names under the one KPI-identity rule (match_key: case and
    surrounding spaces aside), or None for a KPI never stored. Every access check starts
    here, so no check can compare the id one way while the history join compares another."""
    if match_key(kpi_id) is None:
        return None
    stored = history.latest(kpi_id or "")  # one KPI's record, not the store's (per pause)
    return None if stored is None else kpi_view(stored)


def officer_kpi(history: History, user: User, kpi_id: str) -> KpiView | None:
    """The stored KPI if this officer owns it; None for a KPI never stored (a new one,
    which becomes theirs when they submit it); NQE104 when it is another officer's."""
    kpi = stored_kpi(history, kpi_id)
    if kpi is not None and not user.owns(kpi.owner):
        raise WebError(403, "NQE104", f"KPI '{kpi_id.strip()}' belongs to another officer",
                       "kpi_id")
    return kpi


def readable_kpi(history: History, user: User, kpi_id: str | None) -> KpiView | None:
    """The stored KPI if this user may read it (officers: theirs; reviewers: their
    services'; admins: any); None for a KPI never stored; NQE104 otherwise."""
    kpi = stored_kpi(history, kpi_id)
    if kpi is not None and not may_read(user, kpi.owner, kpi.service):
        whose = "another officer" if user.role == "officer" else "a service you do not review"
        raise WebError(403, "NQE104", f"KPI '{(kpi_id or '').strip()}' belongs to {whose}",
                       "kpi_id")
    return kpi
