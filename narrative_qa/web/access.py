"""Who may read or change a KPI's submissions: one policy for pages and the API."""

from __future__ import annotations

from narrative_qa.store.history import History
from narrative_qa.web.accounts import User
from narrative_qa.web.security import WebError
from narrative_qa.web.views import KpiView, latest_kpis


def may_read(user: User, owner: str | None, service: str | None) -> bool:
    """Officers their own KPIs, reviewers their services' KPIs, admins all."""
    if user.role == "admin":
        return True
    if user.role == "reviewer":
        return user.reviews(service)
    return user.owns(owner)


def officer_kpi(history: History, user: User, kpi_id: str) -> KpiView | None:
    """The stored KPI if this officer owns it; None for a KPI never stored (a new one,
    which becomes theirs when they submit it); NQE104 when it is another officer's."""
    kpi = latest_kpis(history).get(kpi_id.strip()) if kpi_id.strip() else None
    if kpi is not None and not user.owns(kpi.owner):
        raise WebError(403, "NQE104", f"KPI '{kpi_id.strip()}' belongs to another officer",
                       "kpi_id")
    return kpi
